"""The README's list of checks keeps up with the checks the validator can report."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "src" / "jiutai_data"
# Modules whose findings reach `jiutai-data validate`.
FINDING_MODULES = [*sorted((SOURCE / "validate" / "checks").glob("*.py")), SOURCE / "read" / "tables.py",
                   SOURCE / "model" / "package.py", SOURCE / "model" / "support.py",
                   SOURCE / "validate" / "run.py"]
# Check names are kebab-case words with at least one hyphen (single-word names such as
# `type` or `enum` cannot be told apart from other strings, so they are not scanned).
CHECK_NAME = re.compile(r"^[a-z]+(-[a-z]+)+$")


def hyphenated_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings and CHECK_NAME.match(node.value)}


def documented_names() -> set[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Validation checks and the JSON report", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z0-9-]+)`", section))


def test_every_check_name_the_validator_can_report_is_documented_in_the_readme():
    names = set().union(*(hyphenated_names(path) for path in FINDING_MODULES))
    assert names, "the scan found no check names at all"
    missing = sorted(names - documented_names())
    assert not missing, f"README's 'Validation checks' section does not list: {missing}"


def test_the_scan_would_notice_an_undocumented_check(tmp_path: Path):
    module = tmp_path / "new_check.py"
    module.write_text('"""doc-string"""\nNAME = "brand-new-check"\n', encoding="utf-8")
    assert hyphenated_names(module) == {"brand-new-check"}
    assert "brand-new-check" not in documented_names()
