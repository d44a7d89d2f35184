#!/usr/bin/env python3
"""Search across editions, as a reader meets it: the site check_editions.py built (the shipped
report recorded as 2023-12, paragraph 73 edited), its search page in headless Chromium from
file://. By default only the current edition answers; ticking "Include earlier editions" loads
the earlier edition's index and its results say which edition they come from.

  check_edition_search.py SITE_DIR
Exit status 0 when every check holds, 1 otherwise.
"""
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "browser"))
from check_reader import make_driver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

RESULTS = """
return Array.from(document.querySelectorAll('#search-results li.result')).map(function (li) {
  var a = li.querySelector('a'), c = li.querySelector('.result-context');
  return [a.getAttribute('href'), c ? c.textContent : ''];
});
"""

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def search(driver, query):
    box = driver.find_element(By.ID, "search-q")
    box.clear()
    box.send_keys(query)
    driver.find_element(By.CSS_SELECTOR, "#search-form button[type=submit]").click()
    deadline = time.time() + 10
    while time.time() < deadline:
        status = driver.find_element(By.ID, "search-status").text
        if status and not status.startswith("Loading"):
            break
        time.sleep(0.05)
    return driver.execute_script(RESULTS), driver.find_element(By.ID, "search-status").text


def main():
    site = pathlib.Path(sys.argv[1]).resolve()
    driver = make_driver()
    try:
        driver.get((site / "search" / "index.html").as_uri())
        hits, _ = search(driver, "Some examples of this are")
        check(any(h.endswith("#p73") and not h.startswith("../editions/") for h, _ in hits),
              "the current edition's paragraph 73 is found")
        check(not any("editions/" in h for h, _ in hits), "earlier editions are not searched by default")
        driver.find_element(By.ID, "search-editions").click()
        hits, status = search(driver, "Some examples of this are")
        old = [(h, c) for h, c in hits if h.startswith("../editions/2023-12/") and h.endswith("#p73")]
        check(bool(old), "with earlier editions included, edition 2023-12's paragraph 73 is found")
        check(all(c.startswith("Edition 2023-12") for _, c in old), "each such result names its edition")
        check("1 earlier one" in status, f"the status says earlier editions were searched ({status!r})")
        hits, _ = search(driver, "as this test edition now says")
        check(hits and not any("editions/" in h for h, _ in hits), "text only the current edition has is found only there")
        check("editions=all" in driver.current_url, "the address keeps the choice")
    finally:
        driver.quit()
    print(f"edition search: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
