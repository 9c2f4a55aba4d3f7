"""A light install: `load()` needs pyarrow only, each engine imports its own library and no
other, and a missing extra is named in a clear message rather than a traceback.

Each case runs in a fresh interpreter in which the modules of the other extras cannot be
imported, as in an environment where they were never installed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO

from jiutai_data.model.package import open_package

# The modules of the extras; numpy comes with pandas, not with pyarrow.
EXTRA_MODULES = ["pandas", "polars", "numpy", "frictionless", "pandera", "duckdb", "openpyxl", "xlsxwriter",
                 "jinja2", "jieba", "datasette"]

BLOCKER = """
import sys
BLOCKED = {blocked!r}
class Absent:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Absent())
"""


def run(code: str, blocked: list[str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCKER.format(blocked=blocked) + code, *arguments],
                          capture_output=True, text=True, cwd=REPO, timeout=120)


LOAD = """
import jiutai_data
data = jiutai_data.load(sys.argv[1], engine=sys.argv[2])
print(len(data), sorted(name for name in {modules!r} if name in sys.modules))
"""


@pytest.mark.parametrize(("engine", "own"), [("arrow", None), ("polars", "polars"), ("pandas", "pandas")])
def test_each_engine_loads_with_only_its_own_library(engine: str, own: str | None) -> None:
    table = open_package(REPO).tables[0]
    allowed = {own, "numpy"} if own == "pandas" else {own}  # pandas brings numpy
    blocked = [name for name in EXTRA_MODULES if name not in allowed]
    result = run(LOAD.format(modules=EXTRA_MODULES), blocked, table.name, engine)
    assert result.returncode == 0, result.stderr
    rows, imported = result.stdout.split(" ", 1)
    assert int(rows) > 0
    assert set(eval(imported)) <= allowed


def test_a_missing_engine_library_names_its_extra() -> None:
    result = run("import jiutai_data\njiutai_data.load('regions', engine='pandas')", ["pandas"])
    assert result.returncode != 0
    assert "jiutai-data[pandas]" in result.stderr.splitlines()[-1]


def test_the_cli_names_the_extra_to_install_instead_of_a_traceback() -> None:
    for blocked in (["pandera"], ["polars", "pandera"]):
        result = run("from jiutai_data.cli import main\nsys.exit(main(sys.argv[1:]))", blocked, "validate", str(REPO))
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        # first the package it reads (cli.main says so for every verb), then what to install
        assert result.stderr.splitlines()[1].startswith("validate: the Python package"), result.stderr
        assert "jiutai-data[tools]" in result.stderr, result.stderr
