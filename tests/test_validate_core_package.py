"""The whole run: clean packages pass, nothing is written, a failing check is contained, and the CLI's exit status."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PACKAGE, REPO, write_tiny_package

from jiutai_data.validate import checks
from jiutai_data.validate.checks.declare import Scope, declares
from jiutai_data.cli import main
from jiutai_data.validate.run import validate_package

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


def test_tiny_clean_package_validates_without_errors_or_warnings(tiny_package):
    report = validate_package(tiny_package)
    assert [f.to_dict() for f in report.findings] == []
    assert report.valid and not report.stats["could_not_run"]
    assert report.stats["rows"]["indicators"] == 2 and report.stats["sources"] == 1


def test_committed_package_validates_without_errors_or_unacknowledged_warnings():
    report = validate_package(PACKAGE)
    assert [f.to_dict() for f in report.errors] == []
    assert [f.to_dict() for f in report.warnings] == []  # a warning a reviewer accepted is acknowledged in the data
    csv_tables = [r for r in json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                  if r.get("format") == "csv"]
    assert report.stats["tables"] == len(csv_tables)


def file_hashes(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_validation_changes_no_file_even_of_a_broken_package(package_copy):
    (package_copy / "data" / "topics.csv").write_bytes("id,name_zh\n=SUM(A1),\xa0\n".encode("utf-8"))
    before = file_hashes(package_copy)
    names_before = sorted(os.listdir(package_copy))
    report = validate_package(package_copy)
    assert not report.valid
    assert file_hashes(package_copy) == before
    assert sorted(os.listdir(package_copy)) == names_before


def test_a_check_that_crashes_becomes_an_internal_finding_and_the_others_still_run(tiny_package, monkeypatch):
    @declares(Scope.ROW)
    def broken_check(frames):
        raise KeyError("no such column")

    monkeypatch.setattr(checks, "SEMANTIC_CHECKS", [broken_check, *checks.SEMANTIC_CHECKS])
    (tiny_package / "data" / "regions.csv").write_bytes(b"")
    report = validate_package(tiny_package)
    internal = [f for f in report.findings if f.check == "internal"]
    assert len(internal) == 1 and "broken_check" in internal[0].message and "KeyError" in internal[0].message
    assert any(f.check == "empty-file" for f in report.findings)


def test_a_semantic_module_that_does_not_import_is_reported_by_name(tiny_package, monkeypatch):
    monkeypatch.setattr(checks, "SEMANTIC_CHECKS", [checks.lazy("no_such_module", "check_nothing")])
    report = validate_package(tiny_package)
    assert [f.check for f in report.findings] == ["internal"]
    assert "no_such_module.check_nothing" in report.findings[0].message


@pytest.mark.parametrize("content", [b"{not json", b"[]", b"\xff\xfe"])
def test_unreadable_descriptor_means_could_not_run(tmp_path, content):
    (tmp_path / "datapackage.json").write_bytes(content)
    report = validate_package(tmp_path)
    assert report.stats["could_not_run"] and not report.valid
    assert [f.check for f in report.findings] == ["descriptor"]


def test_missing_folder_means_could_not_run(tmp_path):
    report = validate_package(tmp_path / "nowhere")
    assert report.stats["could_not_run"]
    assert [f.check for f in report.findings] == ["package"]


def test_schema_file_that_is_not_json_is_refused_for_its_table_only(tiny_package):
    (tiny_package / "schemas" / "topics.json").write_text("{oops", encoding="utf-8")
    report = validate_package(tiny_package)
    assert [(f.table, f.check) for f in report.errors] == [("topics", "schema")]


# --- CLI --------------------------------------------------------------------------

def break_gbk(root: Path) -> None:
    path = root / "data" / "topics.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))


def break_formula(root: Path) -> None:
    path = root / "data" / "topics.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Output and growth.", "=SUM(A1)"), encoding="utf-8")


def break_url(root: Path) -> None:
    path = root / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"data/units.csv"', '"https://example.org/u.csv"'),
                    encoding="utf-8")


def break_nan(root: Path) -> None:
    path = root / "data" / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",5.2,percent,", ",NaN,percent,"), encoding="utf-8")


def break_truncate(root: Path) -> None:
    path = root / "data" / "indicators.csv"
    path.write_bytes(path.read_bytes()[:-40])


@pytest.mark.mutation  # expects what its own break produces (test_second_source.py)
@pytest.mark.parametrize("breaker", [break_gbk, break_formula, break_url, break_nan, break_truncate])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_cli_exits_1_without_a_traceback_for_a_broken_package(tiny_package, capsys, breaker, fmt):
    breaker(tiny_package)
    status = main(["validate", str(tiny_package), "--format", fmt])
    out, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in out + err
    if fmt == "json":
        assert json.loads(out)["valid"] is False


def run_cli(*arguments: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    return subprocess.run([sys.executable, "-m", "jiutai_data.cli", *arguments],
                          capture_output=True, text=True, env=environment, timeout=120)


def test_cli_process_exits_0_for_a_clean_package_and_1_for_a_broken_one(tmp_path):
    clean = write_tiny_package(tmp_path / "clean")
    assert run_cli("validate", str(clean)).returncode == 0
    broken = write_tiny_package(tmp_path / "broken")
    break_gbk(broken)
    result = run_cli("validate", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "data/topics.csv:2: encoding:" in result.stdout


def test_cli_process_exits_2_for_a_missing_package_folder(tmp_path):
    result = run_cli("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert "not a folder" in result.stdout
