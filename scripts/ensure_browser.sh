#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser/) and
# scripts/report_screenshots.py. Playwright drives that browser: its own browser download is never used (the
# development machines and CI cannot fetch it, and Debian's package gets security updates with the system).
#
#   scripts/ensure_browser.sh          # run by `make test`; returns at once when chromium is already there
#
# Installs with apt-get (as root, or through sudo when available); runs `apt-get update` only when the first
# install attempt fails, so that a machine with fresh package lists does not wait for it. Set CHROMIUM to check
# another path (nothing is installed then: only Debian's package is known to land at /usr/bin/chromium).
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
    exit 0
fi
if [ "$CHROMIUM" != /usr/bin/chromium ]; then
    echo "ensure_browser: $CHROMIUM is not an executable file (CHROMIUM is set; nothing installed)" >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)  # -n: fail instead of hanging on a password prompt in CI
else
    cat >&2 <<'EOF'
ensure_browser: /usr/bin/chromium is missing and this user can neither install packages (not root) nor use
sudo without a password. Install Debian's Chromium once as root, then run `make test` again:

    apt-get update && apt-get install -y --no-install-recommends chromium
EOF
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_browser: /usr/bin/chromium is missing and there is no apt-get here; install Chromium so that" \
         "it is at /usr/bin/chromium (or set CHROMIUM to where it is)" >&2
    exit 1
fi

install() {
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y --no-install-recommends chromium
}

echo "ensure_browser: installing Debian's chromium (apt-get install chromium)" >&2
if ! install; then
    echo "ensure_browser: install failed; refreshing the package lists (apt-get update) and trying again" >&2
    "${as_root[@]}" apt-get update
    install
fi
if [ ! -x "$CHROMIUM" ]; then
    echo "ensure_browser: apt-get installed chromium but $CHROMIUM is still missing" >&2
    exit 1
fi
"$CHROMIUM" --version >&2
