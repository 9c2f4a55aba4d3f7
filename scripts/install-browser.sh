#!/usr/bin/env bash
# Installs Debian's Chromium (and a CJK font, so that screenshots show Chinese) for the browser
# tests, when they are missing. The test tool never downloads a browser of its own: the tests
# drive this system Chromium through Playwright with its executable path set.
#
# Without apt-get or root (e.g. on macOS), it says what to install and exits 0: the browser
# tests then skip, except where JIUTAI_REQUIRE_BROWSER=1 (as in .ci/run), where they fail.
set -euo pipefail

browser="${JIUTAI_CHROMIUM:-/usr/bin/chromium}"
packages=()
[ -x "$browser" ] || packages+=(chromium)
# No fc-list means no fontconfig yet (Chromium brings it), so no Chinese font either.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  packages+=(fonts-wqy-zenhei)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

source "${BASH_SOURCE[0]%/*}/apt-install.sh"
apt_install install-browser "install Chromium and set JIUTAI_CHROMIUM=/path/to/chromium for the browser tests" \
  "${packages[@]}"
