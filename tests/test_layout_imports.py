"""The package's folders are its stages, and imports run only downward:
model → read → validate → publish, with the contributor tools beside publish and the CLI on top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "jiutai_data"
# A stage may import its own modules and those of any stage with a lower rank.
# publish and tools share a rank but must not import each other: they are siblings.
RANKS = {"model": 0, "read": 1, "validate": 2, "publish": 3, "tools": 3, "cli": 4, "__init__": 4}


def stage_of(module: str) -> str:
    """`jiutai_data.validate.checks.units` → `validate`; `jiutai_data.cli` → `cli`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{alias.name}") if node.module == "jiutai_data"
                      else (node.lineno, node.module) for alias in node.names]
    return [(line, name) for line, name in found if name.startswith("jiutai_data.")]


def violations(source: Path) -> list[str]:
    found = []
    for path in sorted(source.rglob("*.py")):
        own = stage_of("jiutai_data." + ".".join(path.relative_to(source).with_suffix("").parts))
        for line, name in imported_modules(path):
            other = stage_of(name)
            if other == own:
                continue
            if other not in RANKS or RANKS[other] > RANKS[own] or (RANKS[other] == RANKS[own]):
                found.append(f"{path.relative_to(source)}:{line} ({own}) imports {name} ({other})")
    return found


def test_every_module_lives_in_a_stage_folder_or_is_the_cli() -> None:
    top = {path.stem for path in SOURCE.glob("*.py")}
    folders = {path.name for path in SOURCE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert top <= {"__init__", "cli"}, sorted(top)
    assert folders == {"model", "read", "validate", "publish", "tools"}, sorted(folders)


def test_no_module_imports_from_a_stage_above_it() -> None:
    assert violations(SOURCE) == []


@pytest.mark.parametrize(("own", "line", "expected"), [
    ("model/fields.py", "from jiutai_data.validate.report import render\n", "imports jiutai_data.validate.report"),
    ("tools/diff.py", "import jiutai_data.publish.build\n", "imports jiutai_data.publish.build"),
    ("read/tables.py", "from jiutai_data import cli\n", "imports jiutai_data.cli"),
])
def test_the_rule_catches_an_import_against_the_flow(tmp_path: Path, own: str, line: str, expected: str) -> None:
    module = tmp_path / own
    module.parent.mkdir(parents=True)
    module.write_text(line, encoding="utf-8")
    (tmp_path / "model").mkdir(exist_ok=True)
    (tmp_path / "model" / "ok.py").write_text("from jiutai_data.model.ok import x\n", encoding="utf-8")
    found = violations(tmp_path)
    assert len(found) == 1 and expected in found[0], found
