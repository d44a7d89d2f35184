#!/usr/bin/env bash
# Proves the browser/HTML checks can fail: every checker must pass on selftest/good and
# fail on selftest/bad with the expected messages (one planted problem each).
#
# Usage: Tests/browser/selftest/selftest.sh     (needs what run.sh installs)
# Prints "ok"/"not ok" per assertion and ends with "N passed, M failed"; exit 1 on failure.
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TOOLS="$(dirname "$HERE")"
PY="${PYTHON:-python3}"
GOOD="$HERE/good"
BAD="$HERE/bad"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$HERE"   # so the tools print short paths like bad/index.html:16

PASSED=0
FAILED=0
OUT="$TMP/out"
ok()     { PASSED=$((PASSED + 1)); echo "ok - $1"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $1"; }

# check NAME EXPECTED_EXIT CMD...: run CMD, keep its output in $OUT, assert the exit code.
check() {
    local name=$1 want=$2; shift 2
    local t0=$SECONDS rc
    "$@" >"$OUT" 2>&1; rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$name exits $want ($((SECONDS - t0))s)"
    else
        not_ok "$name exits $rc, expected $want; output:"
        sed 's/^/    /' "$OUT"
    fi
}
# expect TEXT: the last check's output contains TEXT (fixed string).
expect() {
    if grep -qF -- "$1" "$OUT"; then ok "  reports: $1"; else not_ok "  missing: $1"; fi
}
png_width() { "$PY" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print(struct.unpack(">I", d[16:20])[0] if d[:8]==b"\x89PNG\r\n\x1a\n" else 0)' "$1"; }

START=$SECONDS
LINK_ARGS=(--unique-pattern '^p\d+$' --unique-exclude report.html --expect-ids p1..p3 --strict-disk)

echo "# check_links.py"
check "check_links good" 0 "$PY" "$TOOLS/check_links.py" good "${LINK_ARGS[@]}"
check "check_links bad" 1 "$PY" "$TOOLS/check_links.py" bad "${LINK_ARGS[@]}"
expect "bad/index.html:16: error: <a href> target does not exist: missing.html"
expect "bad/index.html:17: error: <a href>: no id 'nope' in glossary.html"
expect "bad/index.html:9: error: external resource loaded by <script src>: https://cdn.example.com/lib.js"
expect "bad/index.html:8: error: external resource loaded by <link href>: https://fonts.example.com/"
expect "bad/index.html:27: error: external resource loaded by inline CSS: https://img.example.com/bg.png"
expect "bad/assets/site.css:1: error: external resource loaded by CSS url()/@import: https://fonts.example.com/font.css"
expect "bad/index.html:18: error: absolute-path URL in <a href>"
expect "bad/index.html:19: error: <a href> points to a directory (threats/)"
expect "bad/index.html:22: error: duplicate id 'dup' in this page (first at line 21)"
expect "bad/threats/bomb.html:10: error: id 'p1' is also defined at bad/index.html:14"
expect "error: expected id 'p3' not found"
# The same site without --strict-disk: the directory link is only a warning.
check "check_links bad without --strict-disk" 1 "$PY" "$TOOLS/check_links.py" bad
expect "bad/index.html:19: warning: <a href> points to a directory"

echo "# check_html.sh"
check "check_html good" 0 bash "$TOOLS/check_html.sh" good
check "check_html good --css" 0 bash "$TOOLS/check_html.sh" good --css
check "check_html bad" 1 bash "$TOOLS/check_html.sh" bad
expect 'bad/index.html:22:3: error: Duplicate ID "dup"'
expect 'bad/index.html:23:3: error: An "img" element must have an "alt" attribute'
expect 'bad/index.html:25:9: error: Element "div" not allowed as child of element "span"'
expect 'bad/index.html:26:3: error: No "p" element in scope but a "p" end tag seen'

echo "# check_axe.py"
SHOTS="$TMP/shots"
check "check_axe good (strictest, with screenshots)" 0 "$PY" "$TOOLS/check_axe.py" good \
    --fail-on any --strict-best-practice --screenshots "$SHOTS"
for shot in home-1280 home-375 threat-terrorism-1280 threat-terrorism-375 \
            capability-armed-policing-1280 capability-armed-policing-375 report-1280 report-375; do
    want=${shot##*-}
    if [ -f "$SHOTS/$shot.png" ] && [ "$(png_width "$SHOTS/$shot.png")" = "$want" ]; then
        ok "  screenshot $shot.png is ${want}px wide"
    else
        not_ok "  screenshot $shot.png missing or not ${want}px wide"
    fi
done
check "check_axe good --serve" 0 "$PY" "$TOOLS/check_axe.py" good --serve --fail-on any
expect "(12 runs, http://127.0.0.1)"
check "check_axe bad" 1 "$PY" "$TOOLS/check_axe.py" bad --fail-on serious
expect "bad/index.html: error: [critical] image-alt @1280+375"
expect "bad/index.html: error: [critical] label @1280+375"
expect 'first: input <input type="text" name="q">'
expect "warning: @1280: console error: https://cdn.example.com/lib.js"   # offline: nothing resolves
expect "bad/glossary.html: warning: @375: no <meta name=viewport>"
check "check_axe bad, threats/* only (clean apart from warnings)" 0 "$PY" "$TOOLS/check_axe.py" bad \
    --fail-on any --pages 'threats/*'

echo "# total $((SECONDS - START))s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
