"""The corpus of real contribution mistakes (tests/corpus/*/case.toml): each, applied to a
copy of the committed package, gets the finding the contributor must see and its exit
status, and validation leaves every file as it was."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import jiutai_data
from conftest import PACKAGE
from jiutai_data.validate.report import render_report
from jiutai_data.validate.run import validate_package

pytestmark = pytest.mark.data
COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)


def _load_harness():
    path = Path(__file__).parent / "corpus" / "harness.py"
    spec = importlib.util.spec_from_file_location("corpus_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


harness = _load_harness()
CASES = harness.load_cases()

# The mistakes issue 5 names; a case folder may be renamed, but none may disappear.
REQUIRED = ["missing-source-row", "quote-with-a-typo", "yi-yuan-entered-as-wan-yuan", "percentage-as-a-fraction",
            "duplicate-id", "foreign-key-to-nowhere", "gbk-encoded-csv", "bom-and-crlf", "formula-in-a-cell",
            "resource-path-outside-the-package", "revised-figure-from-a-second-source"]


def prepared(case, tmp_path: Path):
    root = harness.copy_package(COMMITTED, tmp_path / "package")
    applied = harness.apply_case(case, root)
    if case.build:
        from jiutai_data.publish.build import build_package

        built = build_package(root)
        assert built.report.valid, render_report(built.report, "text")
    return root, applied


def test_the_corpus_holds_every_mistake_the_contribution_issue_names() -> None:
    names = [case.name for case in CASES]
    assert [required for required in REQUIRED if not any(name.endswith(required) for name in names)] == []
    assert all(case.expect for case in CASES)


def test_the_committed_package_is_clean_so_each_finding_comes_from_its_case(tmp_path: Path) -> None:
    from jiutai_data.publish.build import build_package

    root = harness.copy_package(COMMITTED, tmp_path / "package")
    built = build_package(root)  # Parquet twins are build outputs, maybe not committed yet
    assert built.report.valid, render_report(built.report, "text")
    report = validate_package(root)
    assert report.errors == [], render_report(report, "text")


@pytest.mark.mutation  # expects what its own break produces (test_second_source.py)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_contribution_gets_its_expected_finding_and_exit_status_and_changes_no_file(case, tmp_path: Path) -> None:
    root, applied = prepared(case, tmp_path)
    before = harness.hash_files(tmp_path)
    report = validate_package(root)
    assert harness.hash_files(tmp_path) == before, "validation changed a file"

    shown = f"{case.description}\n{render_report(report, 'text')}"
    assert (0 if report.valid else 1) == case.exit_status, shown
    assert [f for f in report.findings if f.check == "internal"] == [], shown  # no check crashed on it
    for expected in case.expect:
        assert any(harness.finding_matches(f, expected, applied, root) for f in report.findings), (
            f"expected {harness.describe_expected(expected, applied, root)}\n{shown}")


def test_the_command_line_exits_1_and_names_the_row_and_column_in_json(tmp_path: Path) -> None:
    case = next(case for case in CASES if case.name.endswith("foreign-key-to-nowhere"))
    root, applied = prepared(case, tmp_path)
    before = harness.hash_files(tmp_path)
    source_folder = Path(jiutai_data.__file__).resolve().parent.parent
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(source_folder), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, "-m", "jiutai_data.cli", "validate", str(root), "--format", "json"],
                          capture_output=True, text=True, env=environment, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    errors = json.loads(done.stdout)["errors"]
    assert {"table": "projects", "row": applied.appended_rows["projects"], "column": "region_id",
            "check": "foreign-key"} in [{k: e[k] for k in ("table", "row", "column", "check")} for e in errors]
    assert harness.hash_files(tmp_path) == before
