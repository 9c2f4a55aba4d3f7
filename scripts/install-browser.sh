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

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; install Chromium and set JIUTAI_CHROMIUM=/path/to/chromium for the browser tests" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo)
else
  echo "install-browser: need root to run: apt-get install ${packages[*]}" >&2
  exit 0
fi
echo "install-browser: apt-get install ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
