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
5. an edited file of the recorded edition fails the build, and the output stays as it was;
6. three editions through the command line: A (the shipped report) recorded, B renumbering the
   last section (a paragraph inserted before 148) and changing the CTSFO figure, recorded, then
   C changing that figure again: B's what-changed view shows exactly the inserted paragraph as
   added and 148 and 149 as moved, not changed; the current one a trend of the figure across all
   three; and the data that still cites 149 (boards.yaml) is warned about.

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


INSERTED = "Test edition B: a paragraph inserted before 148, so the ones after it shift."


def three_editions(portal, out):
    root = os.path.join(out, "root")
    site = os.path.join(out, "site")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(root)
    shutil.copytree(os.path.join(REPO, "Content"), os.path.join(root, "Content"))
    terrorism = os.path.join(root, "Content", "threats", "terrorism.md")
    cross = os.path.join(root, "Content", "threats", "cross-cutting-capabilities.md")
    run(portal, root, "edition", "2023-12", "--title", "Test edition A", "--date", "2023-12-12")
    replace_in(cross, "149. ", "150. ")
    replace_in(cross, "148. ", "149. ")
    replace_in(cross, "\n149. ", f"\n148. {INSERTED}\n\n149. ")
    replace_in(terrorism, "value: 42, paragraph: 66", "value: 44, paragraph: 66")
    result = run(portal, root, "check")
    check(re.search(r"boards\.yaml:\d+:\d+: warning: paragraph 149 now says .*that text is now paragraph 150",
                    result.stderr) is not None, "data still citing the renumbered 149 is warned about")
    run(portal, root, "edition", "2024-03", "--title", "Test edition B", "--date", "2024-03-12")
    replace_in(terrorism, "value: 44, paragraph: 66", "value: 47, paragraph: 66")
    run(portal, root, "build", "--output", site)
    b = read(os.path.join(site, "editions", "2024-03", "changes", "cross-cutting-capabilities.html"))
    labels = re.findall(r'<span class="tag change-tag">([^<]+)</span>', b)
    check(labels.count("Added") == 1, f"B's view shows one added paragraph ({labels})")
    check(sum(1 for label in labels if label.startswith("Moved")) == 2, f"B's view shows two moved paragraphs ({labels})")
    check("Changed" not in labels, f"B's view shows no renumbered paragraph as changed ({labels})")
    check(INSERTED in b, "B's view shows the inserted paragraph's text")
    current = read(os.path.join(site, "changes", "index.html"))
    check("<svg" in current and "CTSFOs in force" in current, "the current view draws a trend of the CTSFO figure")
    for value in ("42", "44", "47"):
        check(f">{value}<" in current, f"the trend's table holds {value}")


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

    three_editions(portal, os.path.join(out, "three"))

    print(f"editions: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
