#!/usr/bin/env bash
# Smoke test of the benchmark generator, for `make test`: generate a 200-page synthetic report,
# build it with portal twice, and check that the build is clean (no warnings), complete (every
# section, capability and table page), link-clean and byte-identical between the two builds.
#
# Usage: Tests/bench/smoke.sh [PAGES]        (default 200; about 5 s with a release binary)
# Environment: PORTAL=path/to/portal (default: .build/release/portal, else .build/debug/portal)
#              KEEP=1 keeps the scratch folder and prints where it is.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PAGES="${1:-200}"
PORTAL="${PORTAL:-}"
if [ -z "$PORTAL" ]; then
  if [ -x "$REPO/.build/release/portal" ]; then PORTAL="$REPO/.build/release/portal"
  else PORTAL="$REPO/.build/debug/portal"; fi
fi
[ -x "$PORTAL" ] || { echo "smoke: no portal binary at $PORTAL (swift build --product portal)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/portal-bench-smoke.XXXXXX")"
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "smoke: kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

start=$(date +%s%N)
python3 "$HERE/generate.py" "$WORK/site" --pages "$PAGES" --quiet
manifest="$WORK/site/manifest.json"
expect=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1])); print(m['pages']+m['capabilities']+m['tables'])" "$manifest")

# Generation is deterministic: a second run gives the same bytes.
python3 "$HERE/generate.py" "$WORK/again" --pages "$PAGES" --quiet
diff -r -q --no-dereference "$WORK/site/portal/Content" "$WORK/again/portal/Content" >/dev/null \
  || fail "generate.py is not deterministic (portal sources differ)"
diff -r -q "$WORK/site/hugo" "$WORK/again/hugo" >/dev/null || fail "generate.py is not deterministic (Hugo sources differ)"
rm -rf "$WORK/again"

"$PORTAL" build --root "$WORK/site/portal" --output "$WORK/out" >"$WORK/build1.txt" 2>"$WORK/build1.err" \
  || { cat "$WORK/build1.err" >&2; fail "portal build failed"; }
if grep -q "warning:" "$WORK/build1.err" "$WORK/build1.txt"; then
  head -20 "$WORK/build1.err" >&2; fail "portal printed warnings on the generated content"
fi
cat "$WORK/build1.txt"
for kind in threats capabilities tables; do
  [ -d "$WORK/out/$kind" ] || fail "no $kind/ folder in the output"
done
got=$(find "$WORK/out/threats" "$WORK/out/capabilities" "$WORK/out/tables" -name '*.html' ! -name index.html | wc -l)
[ "$got" -eq "$expect" ] || fail "expected $expect section, capability and table pages, found $got"

cp -a "$WORK/out" "$WORK/first"
rm -rf "$WORK/out" "$WORK/site/portal/.portal-cache"
"$PORTAL" build --root "$WORK/site/portal" --output "$WORK/out" >/dev/null 2>&1 || fail "second portal build failed"
diff -r -q "$WORK/first" "$WORK/out" >/dev/null || fail "two cold builds of the same content differ"

python3 "$REPO/Tests/browser/check_links.py" "$WORK/out" --unique-pattern '^p[0-9]+$' \
  --unique-exclude report/index.html --expect-ids "p1..p$((PAGES * 12))" >"$WORK/links.txt" 2>&1 \
  || { head -20 "$WORK/links.txt" >&2; tail -1 "$WORK/links.txt" >&2; fail "link check"; }
tail -1 "$WORK/links.txt"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "smoke: $PAGES-page synthetic report built clean, complete, deterministic and link-checked in $((ms / 1000)).$(( (ms % 1000) / 100 )) s"
