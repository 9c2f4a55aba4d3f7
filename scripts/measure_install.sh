#!/usr/bin/env bash
# Installed size of each variant of jiutai-data, each in a fresh virtual environment, from the
# local wheel: plain (load() with engine="arrow"), [pandas], [polars], [tools].
# Usage: scripts/measure_install.sh [PYTHON]   (prints a Markdown table)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
# The wheel is built with the project environment (it has hatchling); the venvs use `python`.
builder=${BUILDER:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$builder" -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir "$work/wheel" . >/dev/null
wheel=$(ls "$work"/wheel/*.whl)
echo "| install | packages | size |"
echo "| --- | ---: | ---: |"
for extra in "" pandas polars tools; do
  venv="$work/venv-${extra:-plain}"
  "$python" -m venv "$venv"
  spec="$wheel"; [ -n "$extra" ] && spec="jiutai-data[$extra] @ file://$wheel"
  "$venv/bin/python" -m pip install --quiet "$spec" 2>/dev/null
  site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  # Everything the install added to the environment, pip itself and setuptools excluded.
  count=$("$venv/bin/python" -m pip list --format=freeze 2>/dev/null | grep -vcE '^(pip|setuptools)==')
  bytes=$(du -sb "$site" | cut -f1)
  base=$(du -sb "$site"/pip "$site"/pip-*.dist-info 2>/dev/null | awk '{s+=$1} END {print s+0}')
  name=jiutai-data; [ -n "$extra" ] && name="jiutai-data[$extra]"
  printf '| `pip install %s` | %d | %d MB |\n' "$name" "$count" $(( (bytes - base) / 1000000 ))
done
