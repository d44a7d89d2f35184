#!/usr/bin/env python3
"""What a reader does with the built site, checked in headless Chromium from file://.

Usage:
  check_reader.py SITE_DIR [--screenshots DIR] [--paragraphs N] [--readme-screenshot FILE.png]

Checks (each prints "ok - ..." or "not ok - ...", then "N passed, M failed"):
  * the skip link is the first tab stop and moves focus to the main content;
  * the header search works without JavaScript up to the results page (a GET form), and the
    results page then says plainly that search needs JavaScript;
  * searching "Fast Parcel" lists paragraph 73 first, linked to #p73, with its section; the
    link opens the paragraph;
  * searching "CTSFO" lists the Armed Policing capability;
  * an acronym's expansion is hidden until the paragraph holding it has keyboard focus, and
    is in the page for screen readers all along;
  * the full report printed to PDF (Chromium's own print) holds paragraphs 1 to N in order,
    each after its number, and none of the navigation, search or footer.

--screenshots DIR saves full-page PNGs of the home page, a threat page, a capability page, a
table page, the full report and a search, at 1280 and 375 px wide, a section page with print
styles at A4's width, and the printed report as report.pdf (and its first pages as PNGs where
pdftoppm is installed).
--readme-screenshot FILE saves the top of the home page at 1280 x 1600 (for the README).

Needs selenium, /usr/bin/chromium and /usr/bin/chromedriver (what run.sh installs); the PDF
text is read by pdf_text.py beside this file (standard library only). Exit status: 0 when every
check passed, 1 when one failed, 2 on a setup problem.
"""

import argparse
import base64
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from urllib.parse import quote

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

import check_axe  # noqa: E402  (driver constants, viewport and screenshot helpers)
from pdf_text import pdf_text  # noqa: E402

THREAT_PAGE = "threats/terrorism.html"
CAPABILITY_PAGE = "capabilities/armed-policing.html"
TABLE_PAGE = "tables/rocu-establishment.html"
REPORT_PAGE = "report/index.html"
SEARCH_PAGE = "search/index.html"
# Text that only the page's chrome holds: none of it may reach the printed report.
CHROME_TEXT = ["Skip to main content", "Search the report", "Report sections", "Previous section",
               "Next section", "Full report, for printing"]
# What print styles must leave out of every page.
PRINT_HIDDEN = [".skip-link", ".site-nav", ".nav-menu", ".site-search", ".breadcrumbs", ".site-footer", ".pager",
                ".abbr-expansion"]
# Chromium cannot capture a texture taller than this in one go.
MAX_SHOT_HEIGHT = 16000


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, name, detail=""):
        if condition:
            self.passed += 1
            print(f"ok - {name}", flush=True)
        else:
            self.failed += 1
            print(f"not ok - {name}{': ' + detail if detail else ''}", flush=True)
        return condition


def make_driver(javascript=True):
    opts = webdriver.ChromeOptions()
    opts.binary_location = check_axe.CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--disable-extensions", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"):
        opts.add_argument(arg)
    if not javascript:
        opts.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(check_axe.CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    return driver


def url(base, rel, query=None):
    return base + quote(rel) + (f"?q={quote(query)}" if query else "")


def compact(text):
    """Text without any whitespace, ligatures unfolded: PDF extraction spaces words loosely."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def wait_for_results(driver, timeout=10):
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_element(By.ID, "search-status").text.strip() != "")
    return driver.execute_script("""
        return Array.from(document.querySelectorAll('#search-results .result')).map(r => ({
          href: r.querySelector('a').getAttribute('href'),
          title: r.querySelector('.result-title a').textContent,
          context: (r.querySelector('.result-context') || {}).textContent || ''}));""")


def check_skip_link(driver, base, results):
    for rel in ("index.html", THREAT_PAGE):
        driver.get(url(base, rel))
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        first = driver.execute_script(
            "const e = document.activeElement; const r = e.getBoundingClientRect();"
            "return {cls: e.className, href: e.getAttribute('href'), top: r.top, height: r.height};")
        results.check(first["cls"] == "skip-link" and first["href"] == "#main-content" and first["top"] >= 0
                      and first["height"] > 0,
                      f"{rel}: the first tab stop is the visible skip link", str(first))
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        focused = driver.execute_script("return document.activeElement.id")
        results.check(focused == "main-content", f"{rel}: the skip link moves focus to the main content",
                      f"focus is on #{focused}")


def check_search(driver, base, results):
    # From the header of any page: a plain GET form to the search page.
    driver.get(url(base, "index.html"))
    box = driver.find_element(By.ID, "site-search-q")
    box.send_keys("Fast Parcel")
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: SEARCH_PAGE in d.current_url)
    results.check("q=Fast" in driver.current_url, "the header search opens the search page with the query",
                  driver.current_url)
    found = wait_for_results(driver)
    first = found[0] if found else {}
    results.check(first.get("href", "").endswith("#p73"), "searching “Fast Parcel” lists paragraph 73 first",
                  f"first result: {first}")
    results.check("Serious and Organised Crime" in first.get("context", ""),
                  "the paragraph 73 result names its section", f"first result: {first}")
    if first.get("href", "").endswith("#p73"):
        driver.find_element(By.CSS_SELECTOR, "#search-results .result a").click()
        WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("#p73"))
        opened = driver.execute_script("const p = document.querySelector(':target'); return p && p.id")
        results.check(opened == "p73" and "serious-and-organised-crime" in driver.current_url,
                      "the result opens paragraph 73 on its section page", driver.current_url)

    # Typing on the search page itself.
    driver.get(url(base, SEARCH_PAGE))
    box = driver.find_element(By.ID, "search-q")
    box.send_keys("CTSFO")
    box.send_keys(Keys.ENTER)
    found = wait_for_results(driver)
    hrefs = [r["href"] for r in found]
    results.check(any(h.endswith("capabilities/armed-policing.html") for h in hrefs),
                  "searching “CTSFO” lists the Armed Policing capability", f"results: {hrefs[:8]}")
    results.check(bool(hrefs) and hrefs[0].endswith("capabilities/armed-policing.html"),
                  "the Armed Policing capability is the best match for “CTSFO”", f"results: {hrefs[:3]}")


def check_without_javascript(base, results):
    driver = make_driver(javascript=False)
    try:
        driver.get(url(base, THREAT_PAGE))
        box = driver.find_element(By.ID, "site-search-q")
        box.send_keys("Fast Parcel")
        box.send_keys(Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: SEARCH_PAGE in d.current_url)
        results.check("q=Fast" in driver.current_url, "without JavaScript the header search still reaches the "
                      "search page", driver.current_url)
        text = driver.find_element(By.TAG_NAME, "main").text
        results.check("Search needs JavaScript" in text and "full report" in text,
                      "without JavaScript the search page says so and points to the full report", text[:200])
        driver.get(url(base, "index.html"))
        driver.set_window_size(375, 900)
        check_axe.set_viewport(driver, 375, 812)
        menu = driver.find_element(By.CSS_SELECTOR, "details.nav-menu summary")
        menu.click()
        visible = driver.execute_script(
            "return Array.from(document.querySelectorAll('details.nav-menu a')).filter(a => a.offsetHeight > 0).length")
        results.check(visible >= 10, "without JavaScript the phone menu opens and lists the sections",
                      f"{visible} links visible")
    finally:
        driver.quit()


def check_acronyms(driver, base, results):
    driver.get(url(base, THREAT_PAGE))
    state = driver.execute_script("""
        const expansion = document.querySelector('.para .abbr-expansion');
        if (!expansion) return null;
        const para = expansion.closest('.para');
        const abbr = expansion.previousElementSibling;
        const before = expansion.getBoundingClientRect().width;
        para.querySelector('.para-num').focus();
        const after = expansion.getBoundingClientRect().width;
        return {para: para.id, title: abbr && abbr.getAttribute('title'), text: expansion.textContent,
                before: before, after: after};""")
    if not results.check(state is not None, f"{THREAT_PAGE}: acronyms are marked"):
        return
    results.check(bool(state["title"]) and state["title"] in state["text"],
                  "an acronym carries its expansion as a title and as text for screen readers", str(state))
    results.check(state["before"] <= 1 < state["after"],
                  "the expansion shows when the paragraph has keyboard focus, not before", str(state))


def check_print(driver, base, results, expected, pdf_out):
    driver.get(url(base, REPORT_PAGE))
    paragraphs = driver.execute_script("""
        return Array.from(document.querySelectorAll('.para')).map(p => {
          const body = p.querySelector('.para-body').cloneNode(true);
          body.querySelectorAll('.abbr-expansion, .visually-hidden').forEach(e => e.remove());
          return [parseInt(p.id.slice(1), 10), body.textContent];
        });""")
    numbers = [n for n, _ in paragraphs]
    last = expected or (max(numbers) if numbers else 0)
    results.check(numbers == list(range(1, last + 1)),
                  f"the full report page holds paragraphs 1 to {last} in order",
                  f"found {len(numbers)}: {numbers[:5]}…{numbers[-5:]}")
    started = time.monotonic()
    pdf = base64.b64decode(driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})["data"])
    if pdf_out:
        pdf_out.write_bytes(pdf)
        # The paper as printed, page numbers and running title included, to look at.
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-f", "1", "-l", "3", "-r", "60", "-png", str(pdf_out),
                            str(pdf_out.with_name("printed-report"))], check=False)
    pages = pdf_text(pdf)
    text = compact("".join(pages))
    results.check(len(pages) > 1 and len(text) > 1000,
                  f"the full report prints to a {len(pages)}-page PDF in {time.monotonic() - started:.1f}s")
    position, missing = 0, []
    for number, body in paragraphs:
        start = compact(body)[:40]
        found = text.find(f"{number}{start}", position)
        if found < 0:
            missing.append(number)
        else:
            position = found + len(start)
    results.check(not missing, f"the printed report holds paragraphs 1 to {last} in order, each after its number",
                  f"missing or out of order: {missing[:10]}")
    leaked = [t for t in CHROME_TEXT if compact(t) in text]
    nav = driver.execute_script(
        "return Array.from(document.querySelectorAll('.site-nav .nav-sections a')).slice(0, 3).map(a => a.textContent)")
    if len(nav) == 3 and compact("".join(nav)) in text:
        leaked.append("the site navigation")
    results.check(not leaked, "the printed report has no navigation, search or footer", f"found: {leaked}")

    # The same, element by element, with print styles applied: at any paper width.
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    for rel in (REPORT_PAGE, THREAT_PAGE):
        driver.get(url(base, rel))
        shown = driver.execute_script(
            "return arguments[0].filter(s => Array.from(document.querySelectorAll(s)).some(e => e.getClientRects().length))",
            PRINT_HIDDEN)
        results.check(not shown, f"{rel}: print styles hide the navigation, search, breadcrumbs and footer",
                      f"printed: {shown}")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def full_page_png(driver):
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "fromSurface": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], MAX_SHOT_HEIGHT),
                 "scale": 1}})
    return base64.b64decode(shot["data"])


def take_screenshots(driver, base, site, out_dir, results):
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = [p for p in ("index.html", THREAT_PAGE, CAPABILITY_PAGE, TABLE_PAGE, REPORT_PAGE) if (site / p).is_file()]
    saved = []
    for width, height in ((1280, 900), (375, 812)):
        check_axe.set_viewport(driver, width, height)
        for rel in pages:
            driver.get(url(base, rel))
            path = out_dir / f"{check_axe.screenshot_name(rel)}-{width}.png"
            path.write_bytes(full_page_png(driver))
            saved.append(path.name)
        driver.get(url(base, SEARCH_PAGE, "Fast Parcel"))
        wait_for_results(driver)
        path = out_dir / f"search-fast-parcel-{width}.png"
        path.write_bytes(full_page_png(driver))
        saved.append(path.name)
    # A printed page as the paper shows it: a section page with print styles, at A4's width.
    check_axe.set_viewport(driver, 794, 1123)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.get(url(base, THREAT_PAGE))
    (out_dir / "printed-section-794.png").write_bytes(full_page_png(driver))
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    saved.append("printed-section-794.png")
    check_axe.set_viewport(driver, 1280, 900)
    results.check(len(saved) == 2 * (len(pages) + 1) + 1, f"{len(saved)} screenshots saved in {out_dir}",
                  ", ".join(saved))


def readme_screenshot(driver, base, path):
    check_axe.set_viewport(driver, 1280, 1600)
    driver.get(url(base, "index.html"))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    check_axe.set_viewport(driver, 1280, 900)
    print(f"saved {path}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_dir")
    ap.add_argument("--screenshots", metavar="DIR", help="save screenshots and the printed report here")
    ap.add_argument("--paragraphs", type=int, metavar="N", help="the report has paragraphs 1 to N")
    ap.add_argument("--readme-screenshot", metavar="FILE", help="save the top of the home page here")
    args = ap.parse_args(argv)

    site = pathlib.Path(args.site_dir).resolve()
    missing = [p for p in ("index.html", SEARCH_PAGE, REPORT_PAGE, THREAT_PAGE) if not (site / p).is_file()]
    if missing:
        print(f"check_reader: {site} lacks {', '.join(missing)}", file=sys.stderr)
        return 2
    base = site.as_uri() + "/"
    started = time.monotonic()
    results = Results()
    try:
        driver = make_driver()
    except WebDriverException as e:
        print(f"check_reader: cannot start Chromium ({check_axe.CHROMIUM}) via {check_axe.CHROMEDRIVER}: {e.msg}",
              file=sys.stderr)
        return 2
    try:
        check_axe.set_viewport(driver, 1280, 900)
        steps = []
        if args.readme_screenshot:  # first, before any link on the page has been visited
            steps.append(("README screenshot", lambda: readme_screenshot(driver, base,
                                                                         pathlib.Path(args.readme_screenshot))))
        steps += [
            ("skip link", lambda: check_skip_link(driver, base, results)),
            ("search", lambda: check_search(driver, base, results)),
            ("without JavaScript", lambda: check_without_javascript(base, results)),
            ("acronyms", lambda: check_acronyms(driver, base, results)),
            ("print", lambda: check_print(driver, base, results, args.paragraphs,
                                          pathlib.Path(args.screenshots) / "report.pdf" if args.screenshots else None)),
        ]
        if args.screenshots:
            pathlib.Path(args.screenshots).mkdir(parents=True, exist_ok=True)
            steps.append(("screenshots", lambda: take_screenshots(driver, base, site, pathlib.Path(args.screenshots),
                                                                  results)))
        for name, step in steps:
            try:
                step()
            except (WebDriverException, TimeoutException) as e:
                results.check(False, f"{name}: the browser failed", getattr(e, "msg", None) or repr(e))
    finally:
        driver.quit()
    print(f"check_reader: {site} in {time.monotonic() - started:.1f}s")
    print(f"{results.passed} passed, {results.failed} failed")
    return 1 if results.failed else 0


if __name__ == "__main__":
    sys.exit(main())
