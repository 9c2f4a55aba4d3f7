"""The package's folders are its stages, and imports run only downward: model → read → validate →
publish, with the contributor tools beside publish and the CLI on top. The rule is an import-linter
contract in pyproject.toml ([tool.importlinter]); these tests run `lint-imports` on the code, and on a
copy of it broken against the flow, to show that the contract is kept and that it can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "src" / "jiutai_data"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# (import-linter is in the dev extra that `make` installs: without it these tests fail, they do not skip)


def lint_imports(source_parent: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the repository's contract (its pyproject.toml), reading the package found
    under ``source_parent``."""
    shutil.copy2(REPO / "pyproject.toml", cwd / "pyproject.toml")
    environment = {**os.environ, "PYTHONPATH": str(source_parent)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """A copy of src/jiutai_data (code only) under tmp_path/src, safe to break."""
    shutil.copytree(SOURCE, tmp_path / "src" / "jiutai_data", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return tmp_path / "src" / "jiutai_data"


def test_the_code_keeps_the_layering_contract(tmp_path: Path) -> None:
    done = lint_imports(REPO / "src", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


# (module, line added to it, the illegal import lint-imports names)
AGAINST_THE_FLOW = [
    # a lower stage importing a higher one, at the top of a module or inside a function
    ("model/fields.py", "from jiutai_data.validate.report import render_report\n",
     "jiutai_data.model.fields -> jiutai_data.validate.report"),
    ("read/tables.py", "def later():\n    from jiutai_data import cli\n", "jiutai_data.read.tables -> jiutai_data.cli"),
    # the siblings publish and tools import neither the other
    ("tools/diff.py", "import jiutai_data.publish.build\n", "jiutai_data.tools.diff -> jiutai_data.publish.build"),
]


def test_the_contract_catches_imports_against_the_flow_and_a_module_outside_every_stage(
        source_copy: Path, tmp_path: Path) -> None:
    for module, line, _ in AGAINST_THE_FLOW:
        path = source_copy / module
        path.write_text(path.read_text(encoding="utf-8") + "\n" + line, encoding="utf-8")
    (source_copy / "helpers.py").write_text('"""A module in no stage folder."""\n', encoding="utf-8")
    done = lint_imports(source_copy.parent, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 broken" in done.stdout, done.stdout
    assert [expected for _, _, expected in AGAINST_THE_FLOW if expected not in done.stdout] == [], done.stdout
    assert "jiutai_data.helpers" in done.stdout, done.stdout
