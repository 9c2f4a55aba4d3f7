"""`jiutai-data summary`: the tables with their rows, the files, the downloads and the verdict."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from conftest import copy_exported, copy_package

from jiutai_data.cli import main
from jiutai_data.model.package import open_package
from jiutai_data.publish.site.build import build_site
from jiutai_data.publish.summary import summarise
import pytest

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


def test_the_summary_lists_every_table_with_its_rows_the_downloads_and_the_verdict(exported_package: Path,
                                                                                   tmp_path: Path) -> None:
    root = copy_exported(exported_package, tmp_path / "package")  # built and exported

    text = summarise(root)

    total = 0
    for table in open_package(root).tables:
        with table.csv_path.open(encoding="utf-8", newline="") as stream:
            rows = sum(1 for _ in csv.DictReader(stream))
        total += rows
        assert re.search(rf"^{re.escape(table.name)}\s+{rows}\s", text, re.MULTILINE), table.name
    assert re.search(rf"^total\s+{total}$", text, re.MULTILINE)
    for path in (root / "dist").iterdir():
        assert path.name in text
    assert "validation: valid: 0 errors" in text
    assert "site: none yet in dist/site/ (run `jiutai-data site`)" in text

    build_site(root, root / "dist")
    pages = len(list((root / "dist" / "site").rglob("*.html")))
    assert f"site: dist/site/index.html ({pages} pages;" in summarise(root)


def test_the_summary_reports_an_invalid_package_and_missing_downloads(tmp_path: Path, capsys) -> None:
    root = copy_package(tmp_path / "package")
    units = next(table for table in open_package(root).tables if table.name == "units")
    with units.csv_path.open("a", encoding="utf-8") as stream:
        stream.write(",".join("" for _ in units.schema["fields"]) + "\n")  # an empty row: required cells missing

    assert main(["summary", str(root)]) == 0
    output = capsys.readouterr().out
    assert "validation: INVALID" in output
    assert "downloads: none yet" in output


def test_the_summary_of_a_folder_without_a_package_exits_2(tmp_path: Path, capsys) -> None:
    assert main(["summary", str(tmp_path)]) == 2
    assert "datapackage.json" in capsys.readouterr().err
