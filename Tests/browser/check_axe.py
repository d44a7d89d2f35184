#!/usr/bin/env python3
"""Run axe-core accessibility checks on every page of a static site in headless Chromium.

Usage:
  check_axe.py SITE_DIR [--fail-on serious|any] [--strict-best-practice]
               [--pages GLOB ...] [--serve]
               [--screenshots OUT_DIR [--screenshot-pages PAGE ...]]
               [--viewports 1280x900 375x812] [--jobs N] [-v]

Pages are opened from disk (file://) because the site must work from disk; --serve uses
a throwaway http.server on 127.0.0.1 instead. Each page is checked at every viewport
(default desktop 1280x900 and mobile 375x812: results differ, e.g. hidden menus).
One browser session per job (--jobs, default 2) is reused for all of its pages.

  --fail-on serious   fail on WCAG violations of impact serious or critical (default)
  --fail-on any       fail on every WCAG violation (tags wcag2a/aa, wcag21a/aa, wcag22aa)
  best-practice-only rules are warnings unless --strict-best-practice.

Also reported as warnings (never failures): JavaScript console errors, horizontal
scrolling at a viewport (WCAG 1.4.10 reflow, which axe does not test), and a mobile
layout viewport wider than the screen (missing <meta name=viewport>).
The browser cannot resolve any host name (--host-resolver-rules), so the run is offline
and an external resource fails instead of silently loading.

axe-core comes from the PyPI package axe-playwright-python (its axe.min.js; Playwright
itself is not used). Exit status: 0 clean, 1 failures, 2 setup problem.
"""

import argparse
import base64
import concurrent.futures
import fnmatch
import functools
import http.server
import importlib.util
import os
import pathlib
import re
import sys
import threading
import time
from urllib.parse import quote

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

CHROMIUM = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
IMPACT_ORDER = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3, None: 4}

# Runs inside the page. Returns only what we print, so large pages don't ship megabytes
# of axe results back over the WebDriver wire.
RUN_AXE = """
const done = arguments[arguments.length - 1];
const options = arguments[0];
if (typeof axe === 'undefined') { done({error: 'axe-core is not loaded in this page'}); return; }
axe.run(document, options).then(r => done({
  version: axe.version,
  incomplete: r.incomplete.map(v => v.id),
  violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, tags: v.tags, help: v.help, helpUrl: v.helpUrl,
    count: v.nodes.length,
    nodes: v.nodes.slice(0, 1).map(n => ({target: n.target, html: n.html.slice(0, 240)}))
  })),
  innerWidth: window.innerWidth,
  viewportMeta: !!document.querySelector('meta[name="viewport"]'),
  scrollWidth: document.documentElement.scrollWidth
})).catch(e => done({error: String(e && e.stack || e)}));
"""


def find_axe_source():
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("check_axe: PyPI package axe-playwright-python is not installed")
    path = pathlib.Path(list(spec.submodule_search_locations)[0]) / "axe.min.js"
    if not path.is_file():
        raise SystemExit(f"check_axe: {path} not found")
    return path.read_text(encoding="utf-8")


def list_pages(site, globs):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    if globs:
        pages = [p for p in pages if any(fnmatch.fnmatch(p, g) for g in globs)]
    # Home page first: it is the one people look at when the log is long.
    return sorted(pages, key=lambda p: (p != "index.html", p))


def default_screenshot_pages(site):
    picks = ["index.html"]
    for folder in ("threats", "capabilities"):
        files = sorted(p.relative_to(site).as_posix() for p in (site / folder).glob("*.html")
                       if p.name != "index.html") if (site / folder).is_dir() else []
        picks += files[:1]  # first real entry page, not the listing
    picks.append("report/index.html")
    return [p for p in picks if (site / p).is_file()]


def singular(word):
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def screenshot_name(rel):
    """index.html -> home, threats/terrorism.html -> threat-terrorism, threats/index.html -> threats."""
    parts = rel[:-len(".html")].split("/") if rel.endswith(".html") else rel.split("/")
    if parts == ["index"]:
        return "home"
    if parts[-1] == "index":
        return "-".join(parts[:-1])
    return "-".join([singular(d) for d in parts[:-1]] + [parts[-1]])


def start_server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def make_driver(axe_source):
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900",
                # Offline by construction: nothing outside 127.0.0.1 resolves.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--disable-extensions", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path also keeps Selenium Manager from trying to download one.
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    # Inject axe into every new document once, before page scripts run: cheaper than
    # sending 500 KB through execute_script for every page (there is a fallback below).
    driver.execute_cdp_cmd("Page.enable", {})
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": axe_source})
    return driver


def set_viewport(driver, width, height):
    # Device-metrics emulation gives the exact CSS viewport (a window size would include
    # scrollbars); mobile=True makes <meta name=viewport> count, as on a phone.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 768})
    # Overlay scrollbars (as on phones and macOS): layout width and screenshots are the
    # full viewport width instead of 15px less.
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})


def full_page_png(driver):
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "fromSurface": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    return base64.b64decode(shot["data"])


def check_shard(pages, base, viewports, axe_source, axe_options, shot_pages, shot_dir, verbose):
    """Check `pages` at every viewport in one browser; return one record per (page, viewport)."""
    records = []
    driver = make_driver(axe_source)
    try:
        for width, height in viewports:
            set_viewport(driver, width, height)
            for rel in pages:
                rec = dict(page=rel, viewport=(width, height), result=None, console=[], error=None, shots=0)
                records.append(rec)
                t0 = time.monotonic()
                try:
                    driver.get_log("browser")  # drop messages from the previous page
                    driver.get(base + quote(rel))
                    if driver.execute_script("return typeof axe === 'undefined'"):
                        driver.execute_script(axe_source)  # e.g. blocked by a CSP
                    if rel in shot_pages:
                        out = os.path.join(shot_dir, f"{screenshot_name(rel)}-{width}.png")
                        with open(out, "wb") as f:
                            f.write(full_page_png(driver))
                        rec["shots"] = 1
                    console = driver.get_log("browser")  # the page's own messages
                    result = driver.execute_async_script(RUN_AXE, axe_options)
                    # axe re-reads stylesheets with XHR (CSSOM preload), which Chromium
                    # blocks for file:// pages; those errors are axe's, not the site's.
                    console += [m for m in driver.get_log("browser") if ".css" not in m.get("message", "")]
                except WebDriverException as e:
                    rec["error"] = f"browser error: {e.msg}"
                    continue
                if result.get("error"):
                    rec["error"] = f"axe failed: {result['error']}"
                    continue
                rec["result"] = result
                # In --serve mode Chromium asks for /favicon.ico on its own; not a site bug.
                rec["console"] = [m for m in console if m.get("level") == "SEVERE"
                                  and "/favicon.ico " not in m.get("message", "")]
                if verbose:
                    review = ", ".join(result["incomplete"]) or "none"
                    print(f"  {rel} @{width}: {len(result['violations'])} violations, needs review: "
                          f"{review} ({time.monotonic() - t0:.2f}s)", flush=True)
    finally:
        driver.quit()
    return records


def is_wcag(violation):
    return any(t.startswith("wcag") for t in violation["tags"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_dir")
    ap.add_argument("--fail-on", choices=("serious", "any"), default="serious")
    ap.add_argument("--strict-best-practice", action="store_true",
                    help="best-practice violations fail like WCAG ones")
    ap.add_argument("--pages", nargs="+", metavar="GLOB", help="only pages matching these globs")
    ap.add_argument("--serve", action="store_true", help="use http://127.0.0.1 instead of file://")
    ap.add_argument("--screenshots", metavar="OUT_DIR", help="save full-page PNGs here")
    ap.add_argument("--screenshot-pages", nargs="+", metavar="PAGE",
                    help="pages to screenshot (default: index.html, first threat, first capability, report/index.html)")
    ap.add_argument("--viewports", nargs="+", default=["1280x900", "375x812"], metavar="WxH")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                    help="browsers run in parallel (default: 2, or 1 on a single CPU)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each page as it is checked")
    args = ap.parse_args(argv)

    site = pathlib.Path(args.site_dir).resolve()
    if not site.is_dir():
        print(f"check_axe: not a directory: {args.site_dir}", file=sys.stderr)
        return 2
    try:
        viewports = [tuple(int(n) for n in v.lower().split("x")) for v in args.viewports]
    except ValueError:
        print("check_axe: --viewports takes WIDTHxHEIGHT values", file=sys.stderr)
        return 2
    pages = list_pages(site, args.pages)
    if not pages:
        print(f"check_axe: no pages to check under {site}", file=sys.stderr)
        return 2
    shot_pages = set()
    if args.screenshots:
        shot_pages = set(args.screenshot_pages or default_screenshot_pages(site))
        missing = [p for p in shot_pages if not (site / p).is_file()]
        if missing:
            print(f"check_axe: --screenshot-pages not found: {' '.join(missing)}", file=sys.stderr)
            return 2
        os.makedirs(args.screenshots, exist_ok=True)

    axe_source = find_axe_source()
    axe_options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    started = time.monotonic()
    server = start_server(site) if args.serve else None
    base = f"http://127.0.0.1:{server.server_address[1]}/" if server else site.as_uri() + "/"

    # Split pages round-robin over --jobs browsers; each browser checks its pages at every
    # viewport. Results come back as plain records and are merged in a stable order.
    jobs = max(1, min(args.jobs, len(pages)))
    shards = [pages[i::jobs] for i in range(jobs)]
    runner = functools.partial(check_shard, base=base, viewports=viewports, axe_source=axe_source,
                               axe_options=axe_options, shot_pages=shot_pages,
                               shot_dir=args.screenshots, verbose=args.verbose)
    try:
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            shard_results = list(pool.map(runner, shards))
    except WebDriverException as e:
        print(f"check_axe: cannot start Chromium ({CHROMIUM}) via {CHROMEDRIVER}: {e.msg}", file=sys.stderr)
        return 2
    finally:
        if server:
            server.shutdown()
    records = sorted((r for shard in shard_results for r in shard),
                     key=lambda r: (viewports.index(r["viewport"]), pages.index(r["page"])))

    # findings[(page, rule)] = dict(violation..., widths=[...]) so a problem seen at both
    # viewports is printed once.
    findings = {}
    notes = []          # (page, message) warnings outside axe
    errors = []         # (page, message) pages that could not be checked
    incomplete = 0
    axe_version = "?"
    shots = sum(r["shots"] for r in records)
    for r in records:
        rel, (width, _) = r["page"], r["viewport"]
        result = r["result"]
        if r["error"]:
            errors.append((rel, f"@{width}: {r['error']}"))
            continue
        axe_version = result["version"]
        incomplete += len(result["incomplete"])
        for v in result["violations"]:
            key = (rel, v["id"])
            if key in findings:
                findings[key]["widths"].append(width)
            else:
                findings[key] = dict(v, widths=[width])
        for m in r["console"]:
            notes.append((rel, f"@{width}: console error: {m.get('message', '')[:300]}"))
        if width < 768 and not result["viewportMeta"]:
            notes.append((rel, f"@{width}: no <meta name=viewport>: phones render it "
                               f"{result['innerWidth']}px wide and shrink it"))
        elif result["innerWidth"] > width:
            # A mobile browser zooms out to fit over-wide content.
            notes.append((rel, f"@{width}: content is {result['innerWidth']}px wide on a {width}px "
                               f"screen, so it is zoomed out (WCAG 1.4.10 reflow)"))
        elif result["scrollWidth"] > result["innerWidth"]:
            notes.append((rel, f"@{width}: page scrolls sideways (content {result['scrollWidth']}px "
                               f"> viewport {result['innerWidth']}px; WCAG 1.4.10 reflow)"))

    # Classify and print, worst first within each page.
    failing = wcag_other = bp_warn = 0
    lines = []
    for (rel, rule), v in sorted(findings.items(), key=lambda kv: (kv[0][0], IMPACT_ORDER.get(kv[1]["impact"], 4), kv[0][1])):
        wcag = is_wcag(v)
        counts = wcag or args.strict_best_practice
        fails = counts and (args.fail_on == "any" or v["impact"] in ("serious", "critical"))
        if fails:
            failing += 1
        elif wcag:
            wcag_other += 1
        else:
            bp_warn += 1
        level = "error" if fails else "warning"
        kind = "" if wcag else " best-practice"
        node = v["nodes"][0] if v["nodes"] else {"target": [], "html": ""}
        target = " ".join(str(t) for t in node["target"])
        html = re.sub(r"\s+", " ", node["html"]).strip()
        widths = "+".join(str(w) for w in v["widths"])
        lines.append(f"{rel}: {level}: [{v['impact']}]{kind} {rule} @{widths}: {v['help']} "
                     f"({v['count']} node{'s' if v['count'] != 1 else ''}; first: {target} {html}) {v['helpUrl']}")
    for rel, msg in sorted(set(notes)):  # Chromium repeats some console messages
        lines.append(f"{rel}: warning: {msg}")
    for rel, msg in errors:
        lines.append(f"{rel}: error: {msg}")
    for line in lines:
        print(os.path.join(args.site_dir, line))  # "SITE/page.html: ..." like the other checkers

    runs = len(pages) * len(viewports)
    mode = "http://127.0.0.1" if server else "file://"
    shot_text = f"; {shots} screenshots in {args.screenshots}" if args.screenshots else ""
    print(f"check_axe: {len(pages)} pages x {len(viewports)} viewports ({runs} runs, {mode}) with axe "
          f"{axe_version} in {time.monotonic() - started:.1f}s: {failing} failing violations "
          f"(--fail-on {args.fail_on}), {wcag_other} other WCAG violations, {bp_warn} best-practice "
          f"warnings, {len(set(notes))} other warnings, {incomplete} needs-review results, "
          f"{len(errors)} page errors{shot_text}")
    return 1 if failing or errors else 0


if __name__ == "__main__":
    sys.exit(main())
