"""`make` (`jiutai-data publish`) validates the package once and parses each CSV file once."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from conftest import copy_package

import jiutai_data.validate.engine
from jiutai_data.model.package import open_package
from jiutai_data.publish.run import publish_package


def test_publish_reads_and_validates_the_package_once_and_publishes_every_table(tmp_path: Path, monkeypatch) -> None:
    root = copy_package(tmp_path / "package")
    reads: list[object] = []
    parses: list[object] = []
    run, read_csv = jiutai_data.validate.engine.run, pl.read_csv

    def counting_run(*args, **kwargs):
        reads.append(args)
        return run(*args, **kwargs)

    def counting_read_csv(*args, **kwargs):
        parses.append(args)
        return read_csv(*args, **kwargs)

    monkeypatch.setattr(jiutai_data.validate.engine, "run", counting_run)
    monkeypatch.setattr(pl, "read_csv", counting_read_csv)
    result = publish_package(root, tmp_path / "dist")

    assert result.ok and result.site is not None and result.site.report is not None and result.site.report.valid
    tables = open_package(root).tables
    assert len(reads) == 1, "one validation, whose frames every step publishes"
    assert len(parses) == len(tables), "each CSV file is parsed once, by the one reader"
    assert set(result.build.rows) == {table.name for table in tables}
    assert "validation: valid" in result.summary


def test_the_publish_command_refuses_an_invalid_package_and_writes_nothing(tmp_path: Path, capsys) -> None:
    from jiutai_data.cli import main

    root = copy_package(tmp_path / "package")
    units = root / "data" / "units.csv"
    units.write_text(units.read_text(encoding="utf-8") + "亿斤,kg,not-a-number,hundred million jin,\n",
                     encoding="utf-8")
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    assert main(["publish", str(root), "--dist", str(tmp_path / "dist")]) == 1
    error = capsys.readouterr().err
    assert "not-a-number" in error and "nothing was written" in error and "Traceback" not in error
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before
    assert not (tmp_path / "dist").exists()
