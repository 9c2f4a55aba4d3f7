"""A build from a package with an error writes nothing, returns the validation report, and
the CLI exits 1 with that report."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import copy_package

from jiutai_data.publish.build import build_package
from jiutai_data.cli import main
from jiutai_data.model.package import open_package
import pytest

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


def fingerprint(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def break_a_lookup_table(root: Path) -> str:
    """Append a row to the units table whose base unit is not in the schema's enum."""
    units = next(table for table in open_package(root).tables if table.name == "units")
    names = [field["name"] for field in units.schema["fields"]]
    row = {"unit_as_stated": "test-furlong", "unit": "furlong", "factor": "201.168", "name_en": "furlong"}
    with units.csv_path.open("a", encoding="utf-8", newline="") as stream:
        stream.write(",".join(row.get(name, "") for name in names) + "\n")
    return units.name


def test_a_build_from_a_csv_with_an_error_writes_nothing_and_returns_the_report(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    table = break_a_lookup_table(root)
    before = fingerprint(root)

    result = build_package(root)

    assert not result.report.valid
    assert result.written == []
    assert fingerprint(root) == before
    assert any(finding.table == table and finding.column == "unit" for finding in result.report.errors)


def test_the_cli_build_exits_1_and_prints_the_report_when_the_package_is_invalid(tmp_path: Path, capsys) -> None:
    root = copy_package(tmp_path / "package")
    break_a_lookup_table(root)
    before = fingerprint(root)

    status = main(["build", str(root)])

    captured = capsys.readouterr()
    assert status == 1
    assert "furlong" in captured.err
    assert "nothing was written" in captured.err
    assert fingerprint(root) == before


def test_the_cli_build_prints_what_it_wrote_and_exits_0(tmp_path: Path, capsys) -> None:
    root = copy_package(tmp_path / "package")
    for table in open_package(root).tables:
        if table.parquet_path is not None and table.parquet_path.exists():
            table.parquet_path.unlink()

    status = main(["build", str(root)])

    output = capsys.readouterr().out
    assert status == 0
    for table in open_package(root).tables:
        if table.parquet_path is not None:
            assert f"wrote {table.twin['path']}" in output


def test_findings_about_stale_twins_do_not_refuse_the_build(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    twin = next(table.parquet_path for table in open_package(root).tables if table.parquet_path is not None)
    twin.write_bytes(b"not a parquet file")

    result = build_package(root)

    assert result.report.valid, [f.message for f in result.report.errors]
    assert twin in result.written
    assert not any(finding.build_output for finding in result.report.findings)
