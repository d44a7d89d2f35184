#!/usr/bin/env python3
"""Any force, any report: a made-up force's report (Tests/other-force/Content, written by
following the README) builds on a site made by `portal init`, with no file copied from the
repository, and its pages carry no name of the shipped West Midlands report and no SPR wording.

  check_other_force.py PORTAL [--screenshots DIR]

The shipped report's names are read from the repository's own Content/ (organisation, section
and capability titles, boards, partners, operations, acronyms), less any the made-up report
uses itself, plus the SPR's own phrases; each is looked for as a whole word in every page.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(REPO, "Tests", "other-force", "Content")
SPR_PHRASES = ["Strategic Policing Requirement", "national threat", "SPR", "West Midlands", "WMP"]


def shipped_names():
    names = set(SPR_PHRASES)
    content = os.path.join(REPO, "Content")
    patterns = [
        re.compile(r'^title:\s*"?([^"\n]+)"?\s*$', re.M),
        re.compile(r'^\s*(?:- )?name:\s*"?([^"\n]+)"?\s*$', re.M),
        re.compile(r'^organisation:\s*(.+)$', re.M),
        re.compile(r'\{term:\s*([^,}]+)'),
    ]
    for folder, _, files in os.walk(content):
        for name in files:
            if not name.endswith((".md", ".yaml")):
                continue
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            for pattern in patterns:
                names.update(m.strip().strip('"') for m in pattern.findall(text))
    # A name the made-up report uses itself (Introduction, PCC) is not the shipped report's.
    own = ""
    for folder, _, files in os.walk(FIXTURE):
        for name in files:
            own += open(os.path.join(folder, name), encoding="utf-8").read() + "\n"
    return sorted(n for n in names if len(n) >= 3 and not re.search(r"\b%s\b" % re.escape(n), own, re.I))


def page_text(path):
    html = open(path, encoding="utf-8").read()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html) + " " + " ".join(re.findall(r'(?:title|content|alt)="([^"]*)"', html))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("portal")
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    portal = os.path.abspath(args.portal)
    work = tempfile.mkdtemp(prefix="portal-other-force-")
    try:
        site = os.path.join(work, "northshire")
        subprocess.run([portal, "init", site], check=True, stdout=subprocess.DEVNULL)
        # The author replaces init's placeholder content with their own report.
        shutil.rmtree(os.path.join(site, "Content"))
        shutil.copytree(FIXTURE, os.path.join(site, "Content"))
        if os.path.exists(os.path.join(site, "Themes")):
            sys.exit("other-force: portal init made a Themes/ folder; the theme must be built in")
        check = subprocess.run([portal, "check", "--root", site], capture_output=True, text=True)
        if check.returncode != 0 or "0 errors, 0 warnings" not in check.stdout:
            sys.exit("other-force: check failed:\n" + check.stdout + check.stderr)
        build = subprocess.run([portal, "build", "--root", site], capture_output=True, text=True)
        if build.returncode != 0:
            sys.exit("other-force: build failed:\n" + build.stdout + build.stderr)
        public = os.path.join(site, "Public")
        names = shipped_names()
        found = []
        pages = 0
        for folder, _, files in os.walk(public):
            for name in files:
                if not name.endswith((".html", ".js")) or name == "search.js":
                    continue
                pages += 1
                path = os.path.join(folder, name)
                text = page_text(path) if name.endswith(".html") else open(path, encoding="utf-8").read()
                for shipped in names:
                    if re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(shipped), text):
                        found.append(f"{os.path.relpath(path, public)}: {shipped!r}")
        if found:
            sys.exit("other-force: the shipped report's words appear:\n  " + "\n  ".join(found[:40]))
        home = open(os.path.join(public, "index.html"), encoding="utf-8").read()
        table = open(os.path.join(public, "tables", "priority-funding.html"), encoding="utf-8").read()
        for expected in ["Northshire Constabulary", "The 3 local priorities at a glance", "Background", "£410,000"]:
            if expected not in home + table:
                sys.exit(f"other-force: expected {expected!r} on the home or table page")
        if args.screenshots:
            screenshots(public, args.screenshots)
        print(f"other-force: {pages} pages of a made-up force's report, none with any of "
              f"{len(names)} names of the shipped report")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def screenshots(public, folder):
    os.makedirs(folder, exist_ok=True)
    chromium = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for page, name in [("index.html", "home"), ("sections/rural-crime.html", "section"),
                       ("tables/priority-funding.html", "table")]:
        for width in (1280, 375):
            out = os.path.join(folder, f"other-force-{name}-{width}.png")
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                            f"--window-size={width},2000", f"--screenshot={out}",
                            "file://" + os.path.join(public, page)],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


main()
