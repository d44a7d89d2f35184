#!/usr/bin/env python3
"""Offline link, resource and id checker for a generated static site.

Usage:
  check_links.py SITE_DIR [--unique-pattern '^p\\d+$'] [--unique-exclude report.html ...]
                          [--expect-ids p1..p149 ...] [--strict-disk]

What it enforces (stdlib only, nothing is fetched):
  * every relative URL (href, src, srcset, action, poster, data, cite, CSS url()/@import...)
    resolves to an existing file inside SITE_DIR (exact case, so a site built on a
    case-insensitive macOS disk still works on Linux hosting); a directory needs index.html;
  * a #fragment names an id (or <a name>) in the target page ('#' and '#top' are allowed);
  * nothing is *loaded* from outside: http:, https: or // in any src/srcset/poster/data,
    <link rel=stylesheet|icon|preload|...>, CSS url()/@import (in .css files, <style>
    and style="") is an error. Plain <a href="https://..."> is fine (counted, not fetched);
  * no absolute-path URLs ("/x"): the site must work under any sub-path and from disk;
  * ids are unique within a page; ids matching --unique-pattern are unique across the
    site (files matching --unique-exclude are skipped); --expect-ids asserts each listed
    id exists exactly once outside the excluded files.

Output: one "file:line: error: message" per problem, then a one-line summary.
Exit status: 0 clean, 1 errors found, 2 usage problem.
"""

import argparse
import fnmatch
import os
import posixpath
import re
import sys
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

HTML_EXTS = (".html", ".htm")

# <link rel> values that only *point* somewhere and make the browser load nothing.
# Any other rel (stylesheet, icon, preload, prefetch, preconnect, manifest, ...) loads.
NAV_RELS = {
    "alternate", "author", "bookmark", "canonical", "external", "help", "license",
    "me", "next", "prev", "previous", "search", "tag", "nofollow", "noopener",
    "noreferrer", "opener", "privacy-policy", "terms-of-service", "sitemap", "home",
}

# (tag or None for any tag, attribute) pairs whose value is a URL.
# "nav" = navigation only (external allowed), "load" = the browser fetches it.
URL_ATTRS = {
    ("a", "href"): "nav",
    ("area", "href"): "nav",
    (None, "cite"): "nav",
    ("form", "action"): "nav",
    (None, "formaction"): "nav",
    ("link", "href"): "link",          # decided by rel
    (None, "src"): "load",
    (None, "poster"): "load",
    ("object", "data"): "load",
    (None, "background"): "load",
    ("html", "manifest"): "load",
    ("use", "href"): "load",
    ("image", "href"): "load",
    ("feimage", "href"): "load",
    (None, "xlink:href"): "load",
}
SRCSET_ATTRS = ("srcset", "imagesrcset")

CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""", re.I)
CSS_IMPORT_STR = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def parse_srcset(value):
    """Yield the URLs of a srcset ("a.png 1x, b.png 2x"); URLs may contain commas."""
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")  # no descriptor: the comma ends the candidate
        else:
            while i < n and value[i] != ",":
                i += 1  # skip the descriptor ("2x", "640w")
        if url:
            yield url


def css_urls(text):
    """Yield (offset, url) for url(...) and @import "..." in CSS, comments ignored."""
    # Blank out comments but keep newlines so offsets still map to the right lines.
    text = CSS_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for rx in (CSS_URL, CSS_IMPORT_STR):
        for m in rx.finditer(text):
            url = next(g for g in m.groups() if g is not None)
            yield m.start(), url.strip()


class PageParser(HTMLParser):
    """Collects ids, fragment targets, URL references and inline CSS of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = []          # (id, line)
        self.anchors = set()   # extra fragment targets: <a name=...>
        self.refs = []         # (line, tag, attr, kind, url)
        self.css = []          # (line, css text) from style="" and <style>
        self.base = None
        self._style = None     # [line, chunks] while inside <style>

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        a = {}
        for k, v in attrs:
            a.setdefault(k, v if v is not None else "")
        if "id" in a:
            self.ids.append((a["id"], line))
        if tag == "a" and a.get("name"):
            self.anchors.add(a["name"])
        if tag == "base" and "href" in a:
            self.base = (line, a["href"])
        if a.get("style"):
            self.css.append((line, a["style"]))
        if tag == "style":
            self._style = [None, []]
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            m = re.search(r"url\s*=\s*['\"]?([^'\"]+)", a.get("content", ""), re.I)
            if m:
                self.refs.append((line, tag, "http-equiv=refresh", "nav", m.group(1)))
        for attr, value in a.items():
            if attr in SRCSET_ATTRS:
                for url in parse_srcset(value):
                    self.refs.append((line, tag, attr, "load", url))
                continue
            kind = URL_ATTRS.get((tag, attr)) or URL_ATTRS.get((None, attr))
            if kind == "link":
                rels = set(a.get("rel", "").lower().split())
                kind = "nav" if rels and rels <= NAV_RELS else "load"
            if kind:
                self.refs.append((line, tag, attr, kind, value))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._style is not None:
            if self._style[0] is None:
                self._style[0] = self.getpos()[0]
            self._style[1].append(data)

    def handle_endtag(self, tag):
        if tag == "style" and self._style is not None:
            line, chunks = self._style
            if chunks:
                self.css.append((line, "".join(chunks)))
            self._style = None


class Site:
    def __init__(self, root, strict_disk=False):
        self.display_root = root  # for messages: paths as the user typed them
        self.root = os.path.abspath(root)
        self.real_root = os.path.realpath(self.root)
        self.strict_disk = strict_disk
        self.problems = []      # (rel_file, line, level, message)
        self.pages = {}         # rel path -> PageParser
        self._listing = {}      # dir -> set(names), for exact-case lookups
        self._targets = {}      # rel path -> set of fragment targets (lazy, for .svg)
        self.stats = dict(links=0, internal=0, external=0, other=0, fragments=0, css_files=0)

    # -- reporting -------------------------------------------------------------
    def error(self, rel, line, msg):
        self.problems.append((rel, line, "error", msg))

    def warning(self, rel, line, msg):
        self.problems.append((rel, line, "warning", msg))

    # -- filesystem helpers ----------------------------------------------------
    def walk(self, exts):
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            for name in sorted(filenames):
                if name.lower().endswith(exts):
                    full = os.path.join(dirpath, name)
                    yield os.path.relpath(full, self.root).replace(os.sep, "/")

    def exists_exact(self, rel):
        """'file', 'dir' or None; every path component must match in exact case."""
        cur = self.root
        for part in [p for p in rel.split("/") if p]:
            if cur not in self._listing:
                try:
                    self._listing[cur] = set(os.listdir(cur))
                except OSError:
                    self._listing[cur] = set()
            if part not in self._listing[cur]:
                return None
            cur = os.path.join(cur, part)
        real = os.path.realpath(cur)
        if real != self.real_root and not real.startswith(self.real_root + os.sep):
            return None  # symlink pointing outside the site
        return "dir" if os.path.isdir(cur) else "file"

    def fragment_targets(self, rel):
        if rel in self.pages:
            p = self.pages[rel]
            return {i for i, _ in p.ids} | p.anchors
        if rel not in self._targets:
            ids = set()
            if rel.lower().endswith(".svg"):
                parser = PageParser()
                with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                    parser.feed(f.read())
                ids = {i for i, _ in parser.ids}
            self._targets[rel] = ids
        return self._targets[rel]

    # -- checks ----------------------------------------------------------------
    def load_pages(self):
        for rel in self.walk(HTML_EXTS):
            parser = PageParser()
            with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                parser.feed(f.read())
            parser.close()
            self.pages[rel] = parser

    def check_url(self, src, line, kind, url, what):
        """Check one URL found in file `src` (site-relative path)."""
        url = url.strip()
        self.stats["links"] += 1
        if url == "":
            if kind == "load":
                self.error(src, line, f"empty URL in {what}")
            return
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if url.startswith("//"):
            if kind == "load":
                self.error(src, line, f"external resource loaded by {what}: {url}")
            else:
                self.error(src, line, f"protocol-relative URL in {what} breaks when opened from disk: {url}")
            return
        if scheme in ("http", "https"):
            if kind == "load":
                self.error(src, line, f"external resource loaded by {what}: {url}")
            else:
                self.stats["external"] += 1
            return
        if scheme == "file":
            self.error(src, line, f"file: URL in {what} points outside the site: {url}")
            return
        if scheme:
            # mailto:, tel:, data:, javascript:... nothing to resolve locally.
            self.stats["other"] += 1
            if kind == "load" and scheme not in ("data", "blob"):
                self.error(src, line, f"{what} loads a '{scheme}:' URL: {url}")
            return
        if url.startswith("/"):
            self.error(src, line, f"absolute-path URL in {what} breaks under a sub-path and from disk: {url}")
            return

        self.stats["internal"] += 1
        path = unquote(parts.path)
        fragment = parts.fragment
        if path == "":
            target = src  # "#frag" or "?q": the page itself
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
            if target == ".." or target.startswith("../"):
                self.error(src, line, f"{what} points outside the site: {url}")
                return
            found = self.exists_exact(target)
            if found is None:
                self.error(src, line, f"{what} target does not exist: {url}")
                return
            if found == "dir":
                index = posixpath.normpath(posixpath.join(target, "index.html"))
                if self.exists_exact(index) != "file":
                    self.error(src, line, f"{what} points to a directory without index.html: {url}")
                    return
                msg = (f"{what} points to a directory ({url}); from disk (file://) the browser "
                       f"shows a listing instead of index.html - link to the file itself")
                (self.error if self.strict_disk else self.warning)(src, line, msg)
                target = index
            elif path.endswith("/"):
                self.error(src, line, f"{what} has a trailing slash but is a file: {url}")
                return
        if not fragment or fragment.lower() == "top" or fragment.startswith(":~:"):
            return  # '#', '#top' and text fragments are always fine
        if not target.lower().endswith(HTML_EXTS + (".svg",)):
            return  # e.g. file.pdf#page=2: not ours to check
        self.stats["fragments"] += 1
        targets = self.fragment_targets(target)
        if fragment not in targets and unquote(fragment) not in targets:
            where = "this page" if target == src else target
            self.error(src, line, f"{what}: no id '{unquote(fragment)}' in {where} ({url})")

    def check_css(self, src, base_line, text, what):
        for offset, url in css_urls(text):
            line = base_line + text.count("\n", 0, offset)
            if url.startswith("#"):
                continue  # url(#filter) refers to the embedding document
            self.check_url(src, line, "load", url, what)

    def check_all(self):
        self.load_pages()
        for rel, page in self.pages.items():
            if page.base:
                self.error(rel, page.base[0], "<base href> changes how every relative link resolves; not supported")
            seen = {}
            for id_, line in page.ids:
                if id_ == "" or any(c.isspace() for c in id_):
                    self.error(rel, line, f"invalid id '{id_}' (empty or contains whitespace)")
                if id_ in seen:
                    self.error(rel, line, f"duplicate id '{id_}' in this page (first at line {seen[id_]})")
                else:
                    seen[id_] = line
            for line, tag, attr, kind, url in page.refs:
                self.check_url(rel, line, kind, url, f"<{tag} {attr}>")
            for line, css in page.css:
                self.check_css(rel, line, css, "inline CSS")
        for rel in self.walk((".css",)):
            self.stats["css_files"] += 1
            with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                self.check_css(rel, 1, f.read(), "CSS url()/@import")

    def check_site_ids(self, pattern, excludes, expected):
        """Ids matching `pattern` (and every expected id) must be unique site-wide."""
        rx = re.compile(pattern) if pattern else None
        expected_set = set(expected)
        first = {}   # id -> (file, line)
        counts = {}
        for rel, page in self.pages.items():
            if any(fnmatch.fnmatch(rel, ex) for ex in excludes):
                continue
            for id_, line in page.ids:
                if not ((rx and rx.search(id_)) or id_ in expected_set):
                    continue
                counts[id_] = counts.get(id_, 0) + 1
                if id_ in first:
                    f, l = first[id_]
                    if f != rel:  # same-page duplicates are already reported
                        where = os.path.normpath(os.path.join(self.display_root, f))
                        self.error(rel, line, f"id '{id_}' is also defined at {where}:{l} (must be unique across the site)")
                else:
                    first[id_] = (rel, line)
        missing = [i for i in expected if i not in counts]
        for id_ in missing:
            self.error(".", 0, f"expected id '{id_}' not found in any page")
        return len(expected) - len(missing)


def expand_ids(specs):
    """'p1..p149' -> p1, p2, ... p149; also accepts comma lists ('intro,p1..p3')."""
    out = []
    for spec in specs:
        for item in spec.split(","):
            item = item.strip()
            m = re.fullmatch(r"(.*?)(\d+)\.\.(.*?)(\d+)", item)
            if m and m.group(1) == m.group(3):
                lo, hi = int(m.group(2)), int(m.group(4))
                out.extend(f"{m.group(1)}{n}" for n in range(lo, hi + 1))
            elif item:
                out.append(item)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site_dir")
    ap.add_argument("--unique-pattern", help="regex; matching ids must be unique across the site")
    ap.add_argument("--unique-exclude", action="append", default=[],
                    help="site-relative file (glob) skipped by the site-wide id checks; repeatable")
    ap.add_argument("--expect-ids", action="append", default=[],
                    help="ids that must exist exactly once, e.g. p1..p149; repeatable")
    ap.add_argument("--strict-disk", action="store_true",
                    help="treat links to directories (which fail from file://) as errors")
    args = ap.parse_args(argv)

    if not os.path.isdir(args.site_dir):
        print(f"check_links: not a directory: {args.site_dir}", file=sys.stderr)
        return 2
    if args.unique_pattern:
        try:
            re.compile(args.unique_pattern)
        except re.error as e:
            print(f"check_links: bad --unique-pattern: {e}", file=sys.stderr)
            return 2

    site = Site(args.site_dir, strict_disk=args.strict_disk)
    site.check_all()
    if not site.pages:
        site.error(".", 0, "no *.html files found")
    expected = expand_ids(args.expect_ids)
    if args.unique_pattern or expected:
        site.check_site_ids(args.unique_pattern, args.unique_exclude, expected)

    site.problems.sort(key=lambda p: (p[0], p[1]))
    for rel, line, level, msg in site.problems:
        path = os.path.normpath(os.path.join(args.site_dir, rel))
        print(f"{path}:{line}: {level}: {msg}")
    errors = sum(1 for p in site.problems if p[2] == "error")
    warnings = len(site.problems) - errors
    s = site.stats
    extra = f", {len(expected)} expected ids" if expected else ""
    print(f"check_links: {len(site.pages)} pages, {s['css_files']} CSS files, {s['links']} links "
          f"({s['internal']} internal, {s['external']} external not fetched, {s['other']} other), "
          f"{s['fragments']} fragments checked{extra}; {errors} errors, {warnings} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
