"""Valid means publishable: whatever `validate` accepts, build, export and site publish whole.

For every case of tests/corpus/ and for variations of the clean package (the format's case,
a missing format, fractional seconds, large cells, empty optional cells, reordered
resources, an unsupported format), the package is validated once and built from that
validation. Then:

- the build adds no refusal of its own: what it refuses, validate reported, naming the
  table, row and column of each cell;
- when the build succeeds, export and site succeed too, and every table the package
  declares is in the SQLite database, the workbook, the zip and the site, with all its rows.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sqlite3
import sys
import zipfile
from pathlib import Path
from typing import Any, Callable

import openpyxl
import pytest
from conftest import REPO, copy_package

from jiutai_data.model.fields import MAX_CELL_CHARACTERS
from jiutai_data.model.package import open_package
from jiutai_data.publish.build import BUILD_CHECK, build_package
from jiutai_data.publish.export import export_package
from jiutai_data.publish.site.build import build_site
from jiutai_data.validate.run import check_package


def _load_harness():
    path = Path(__file__).parent / "corpus" / "harness.py"
    spec = importlib.util.spec_from_file_location("corpus_harness_publishable", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _load_harness()


# --- variations of the clean package -------------------------------------------------

def _edit_descriptor(root: Path, change: Callable[[dict[str, Any]], None]) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    change(descriptor)
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _resource(name: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda descriptor: next(r for r in descriptor["resources"] if r["name"] == name)


def _edit_cell(root: Path, table: str, column: str, value: Callable[[str], str], every_row: bool = False) -> None:
    """Set a cell of the first row (or of every row), keeping the file's CSV form."""
    path = root / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    at = rows[0].index(column)
    for row in rows[1:] if every_row else rows[1:2]:
        row[at] = value(row[at])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _fractional(digits: str) -> Callable[[str], str]:
    # 2022-12-12T17:02:00+08:00 -> 2022-12-12T17:02:00.<digits>+08:00
    return lambda published: published[:19] + "." + digits + published[19:]


VARIATIONS: dict[str, Callable[[Path], None]] = {
    "format in upper case": lambda root: _edit_descriptor(root, lambda d: _resource("topics")(d).update(format="CSV")),
    "no format": lambda root: _edit_descriptor(root, lambda d: _resource("topics")(d).pop("format")),
    "an unsupported format": lambda root: _edit_descriptor(root, lambda d: _resource("topics")(d).update(format="tsv")),
    "fractional seconds": lambda root: _edit_cell(root, "sources", "published", _fractional("5")),
    "finer than milliseconds": lambda root: _edit_cell(root, "sources", "published", _fractional("1234")),
    "a cell at the size limit": lambda root: _edit_cell(root, "regions", "note", lambda _: "注" * MAX_CELL_CHARACTERS),
    "a 3 MB cell": lambda root: _edit_cell(root, "regions", "note", lambda _: "注" * 1_000_000),
    "empty optional cells": lambda root: _edit_cell(root, "indicators", "note", lambda _: "", every_row=True),
    "reordered resources": lambda root: _edit_descriptor(root, lambda d: d["resources"].reverse()),
}


def _prepare_case(case: Any, root: Path) -> None:
    harness.copy_package(REPO, root)
    harness.apply_case(case, root)


def _prepare_variation(name: str, root: Path) -> None:
    copy_package(root)
    VARIATIONS[name](root)


# every kind of corpus case in `make test` (harness.representative), every case in `make bench` (sweep)
_CASES = harness.load_cases()
_REPRESENTATIVE = {case.name for case in harness.representative(_CASES)}
PACKAGES = ([pytest.param(lambda root, case=case: _prepare_case(case, root), id=f"corpus {case.name}",
                          marks=() if case.name in _REPRESENTATIVE else pytest.mark.sweep)
             for case in _CASES]
            + [pytest.param(lambda root, name=name: _prepare_variation(name, root), id=name) for name in VARIATIONS])


def _published_everywhere(root: Path, dist: Path, rows: dict[str, int]) -> None:
    tables = list(rows)
    with sqlite3.connect(dist / "jiutai-data.sqlite") as connection:
        for table in tables:
            (count,) = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            assert count == rows[table], ("sqlite", table)
    workbook = openpyxl.load_workbook(dist / "jiutai-data.xlsx", read_only=True)
    for table in tables:
        assert workbook[table].max_row - 1 == rows[table], ("workbook", table)
    archive = next(dist.glob("*.zip"))
    names = zipfile.ZipFile(archive).namelist()
    for table in open_package(root).tables:
        for path in (table.csv_path, table.parquet_path or table.csv_path):
            # At the zip's root, beside datapackage.json, as the descriptor names it.
            assert path.relative_to(root).as_posix() in names, ("zip", table.name)
    for table in tables:
        script = (dist / "site" / "data" / f"{table}.js").read_text(encoding="utf-8")
        assert len(json.loads(script.split("] = ", 1)[1].rstrip(";\n"))["rows"]) == rows[table], ("site", table)
        assert (dist / "site" / "tables" / f"{table}.html").is_file(), ("site", table)


@pytest.mark.parametrize("prepare", PACKAGES)
def test_what_validate_accepts_every_verb_publishes_and_what_build_refuses_validate_names(
        prepare: Callable[[Path], None], tmp_path: Path) -> None:
    root, dist = tmp_path / "package", tmp_path / "dist"
    prepare(root)
    checked = check_package(root)
    built = build_package(root, checked)
    expected = [f for f in checked.report.findings if not f.build_output]
    assert built.report.findings == expected, "the build refuses only what validate reported"
    assert not any(f.check == BUILD_CHECK for f in built.report.findings)
    cell_errors = [f for f in built.report.errors if f.check in ("type", "cell-size")]
    assert all(f.table and f.row and f.column for f in cell_errors), "a refused cell is named by table, row, column"
    if not built.report.valid:
        return
    rows = built.rows
    assert set(rows) == {table.name for table in open_package(root).tables}
    export_package(root, dist)
    site = build_site(root, dist)
    assert site.report is not None and site.report.valid
    _published_everywhere(root, dist, rows)


def test_the_variations_cover_both_verdicts(tmp_path: Path) -> None:
    """The variations are not all valid nor all refused, so the property is tested both ways."""
    verdicts = {}
    for name in ("format in upper case", "no format", "an unsupported format", "finer than milliseconds",
                 "a 3 MB cell"):
        root = tmp_path / name.replace(" ", "-")
        _prepare_variation(name, root)
        report = build_package(root).report
        verdicts[name] = report.valid
        if not report.valid:
            assert all(f.table is not None for f in report.errors), name
    assert verdicts == {"format in upper case": True, "no format": True, "an unsupported format": False,
                        "finer than milliseconds": False, "a 3 MB cell": False}
