#!/usr/bin/env bash
# Installs Debian's R with readr and jsonlite for the test of the README's R recipes, when they
# are missing (measured here: about 20 s with apt-get update). Without apt-get or root, it says
# what to install and exits 0: that test then skips, saying why.
set -euo pipefail

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(readr); library(jsonlite)' >/dev/null 2>&1; then
  exit 0
fi
packages=(r-base-core r-cran-readr r-cran-jsonlite)
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-r: no apt-get here; install R with the readr and jsonlite packages for the R recipe test" >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo)
else
  echo "install-r: need root to run: apt-get install ${packages[*]}" >&2
  exit 0
fi
echo "install-r: apt-get install ${packages[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
