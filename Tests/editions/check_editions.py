#!/usr/bin/env python3
"""The next report, end to end, on a copy of the shipped content (issue 13's acceptance):

  check_editions.py PORTAL OUT_DIR

1. `portal edition 2023-12` records the shipped report;
2. a plainly artificial next paper: paragraph 73's text edited, a paragraph 150 added, a key
   figure changed (5,500 to 5,600 Fast Parcel referrals);
3. `portal build`: editions/2023-12/ holds the old text, the current pages the new one,
   editions/index.html lists both, and the what-changed view links to #p73 and #p150 and shows
   the figure's old and new values;
4. a second build rewrites nothing under editions/ (bytes and times);
5. an edited file of the recorded edition fails the build, and the output stays as it was.

The site is left in OUT_DIR/site for the link, HTML and axe checks (Tests/browser/run.sh).
Exit status 0 when every check holds, 1 otherwise.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OLD_73 = "73. Some examples of this are;"
NEW_73 = "73. Some examples of this are, as this test edition now says;"
NEW_150 = "150. Test edition: a paragraph added after the report, to check what the portal shows as changed."
OLD_FIGURE = "value: 5500, paragraph: 73"
NEW_FIGURE = "value: 5600, paragraph: 73"

failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def run(portal, root, *args, expect=0):
    result = subprocess.run([portal, *args, "--root", root], capture_output=True, text=True)
    if result.returncode != expect:
        print(result.stdout + result.stderr, file=sys.stderr)
    check(result.returncode == expect, f"portal {' '.join(args)} exits {expect} (got {result.returncode})")
    return result


def replace_in(path, old, new):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if old not in text:
        check(False, f"{os.path.relpath(path)} holds {old!r}")
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new, 1))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def tree(folder):
    """path -> (bytes, mtime_ns) of every file under folder."""
    found = {}
    for base, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                found[os.path.relpath(path, folder)] = (f.read(), os.stat(path).st_mtime_ns)
    return found


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    portal, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    root = os.path.join(out, "root")
    site = os.path.join(out, "site")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(root)
    shutil.copytree(os.path.join(REPO, "Content"), os.path.join(root, "Content"))

    run(portal, root, "edition", "2023-12", "--title", "SPR update (shipped report)", "--date", "2023-12-12")
    check(os.path.exists(os.path.join(root, "Editions", "2023-12", "edition.yaml")), "the manifest is written")
    run(portal, root, "edition", "2023-12", expect=1)

    soc = os.path.join(root, "Content", "threats", "serious-and-organised-crime.md")
    replace_in(soc, OLD_73, NEW_73)
    replace_in(soc, OLD_FIGURE, NEW_FIGURE)
    cross = os.path.join(root, "Content", "threats", "cross-cutting-capabilities.md")
    with open(cross, encoding="utf-8") as f:
        text = f.read()
    with open(cross, "w", encoding="utf-8") as f:
        f.write(text.rstrip("\n") + "\n\n" + NEW_150 + "\n")

    run(portal, root, "build", "--output", site)
    old_page = read(os.path.join(site, "editions", "2023-12", "threats", "serious-and-organised-crime.html"))
    new_page = read(os.path.join(site, "threats", "serious-and-organised-crime.html"))
    check("Some examples of this are;" in old_page, "editions/2023-12/ holds paragraph 73's old text")
    check("as this test edition now says" not in old_page, "the old edition does not hold the new text")
    check("as this test edition now says" in new_page, "the current page holds the new text")
    check("An earlier edition" in old_page and "An earlier edition" not in new_page, "only the old edition has the banner")
    index = read(os.path.join(site, "editions", "index.html"))
    check("2023-12/index.html" in index and "SPR update (shipped report)" in index, "editions/index.html lists 2023-12")

    changes_index = os.path.join(site, "changes", "index.html")
    check(os.path.exists(changes_index), "changes/index.html exists")
    changes = ""
    for base, _, files in os.walk(os.path.join(site, "changes")):
        for name in files:
            changes += read(os.path.join(base, name))
    check(re.search(r'href="[^"]*#p73"', changes) is not None, "the what-changed view links to #p73")
    check(re.search(r'href="[^"]*#p150"', changes) is not None, "the what-changed view links to #p150")
    check(re.search(r"5,500", changes) is not None and re.search(r"5,600", changes) is not None,
          "the what-changed view shows the figure's old and new values (5,500 and 5,600)")
    check("2023-12/threats/serious-and-organised-crime.html#p73" in changes,
          "the what-changed view links to paragraph 73 in the old edition")

    before = tree(os.path.join(site, "editions"))
    replace_in(soc, NEW_73, NEW_73.replace("now says", "now says again"))
    run(portal, root, "build", "--output", site)
    check(tree(os.path.join(site, "editions")) == before, "a rebuild rewrites nothing under editions/")
    run(portal, root, "build", "--full", "--output", site)
    check(tree(os.path.join(site, "editions")) == before, "a full rebuild leaves editions/ with its bytes and times")

    frozen = os.path.join(root, "Editions", "2023-12", "Content", "threats", "terrorism.md")
    saved = read(frozen)
    everything = tree(site)
    with open(frozen, "a", encoding="utf-8") as f:
        f.write("\nAn edit after recording.\n")
    result = run(portal, root, "build", "--output", site, expect=1)
    check("was changed after edition '2023-12' was recorded" in result.stderr, "a changed recorded edition is an error")
    check(tree(site) == everything, "the failed build left the output as it was")
    with open(frozen, "w", encoding="utf-8") as f:
        f.write(saved)
    run(portal, root, "check")

    print(f"editions: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
