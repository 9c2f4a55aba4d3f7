#!/usr/bin/env bash
# Installs Debian's R with readr and jsonlite for the test of the README's R recipes, when they
# are missing (measured here: about 20 s with apt-get update). Without apt-get or root, it says
# what to install and exits 0: that test then skips, saying why.
set -euo pipefail

if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(readr); library(jsonlite)' >/dev/null 2>&1; then
  exit 0
fi
source "${BASH_SOURCE[0]%/*}/apt-install.sh"
apt_install install-r "install R with the readr and jsonlite packages for the R recipe test" \
  r-base-core r-cran-readr r-cran-jsonlite
