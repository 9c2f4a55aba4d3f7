# Sourced by install-browser.sh and install-r.sh: apt_install NAME HINT PACKAGE...
# installs Debian packages with apt-get, as root or through sudo. Where it cannot (no apt-get,
# no root), it says what to install on stderr and returns 0, so that the tests that need the
# packages decide for themselves (they skip, saying why, or fail where CI requires them).
# Pure bash apart from apt-get, id and sudo: the tests run it with a PATH of stand-ins.
apt_install() {
  local name=$1 hint=$2
  shift 2
  local packages=("$@") run=()
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$name: no apt-get here; $hint" >&2
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      run=(sudo)
    else
      echo "$name: need root to run: apt-get install ${packages[*]}" >&2
      return 0
    fi
  fi
  echo "$name: apt-get install ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${run[@]}" apt-get update -qq
  "${run[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}
