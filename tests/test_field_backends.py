"""Every Table Schema type through every backend, on the same cells.

The cells include the edge cases where backends used to disagree: fractional seconds,
UTC offsets, cells at and over the size limit, empty values. For each cell, the verdict
of an oracle written here from the Table Schema spec and the package's documented rules
(Python's own parsers, not the package's) is compared with what `validate` says; then
every accepted cell is published (`jiutai-data publish`: Parquet, SQLite, Excel, the site)
and read back from each output, where it must be the oracle's value. So validate refuses
exactly the cells some output could not hold, and every output holds every other one.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from jiutai_data.model.fields import EXCEL_TIME_ZONE, MAX_CELL_CHARACTERS, MAX_EXACT_INTEGER, TYPES
from jiutai_data.publish.run import publish_package
from jiutai_data.read.arrow import ConversionError, frame_to_arrow
from jiutai_data.validate.run import validate_package

REFUSED = object()
LONG = "长" * MAX_CELL_CHARACTERS

CELLS: dict[str, list[str]] = {
    "string": ["", "文本", "a,b", LONG, LONG + "x", "x" * 3_000_000],
    "number": ["", "264.6", "-0.5", "1e3", ".5", "1.", "+7", "1,000", "１２", "NaN", "inf", "1 ", "twelve"],
    "integer": ["", "12", "-3", "+4", "1.0", "1e3", "１", "9007199254740991", "-9007199254740992",
                "9223372036854775808"],
    "boolean": ["", "true", "False", "1", "0", "yes", "TRUE"],
    "date": ["", "2022-12-31", "2024-02-29", "2023-02-29", "2022-13-01", "20221231", "2022-12-31T00:00:00"],
    "datetime": ["", "2022-12-12T17:02:00+08:00", "2022-12-12T09:02:00Z", "2022-12-12T17:02:00-05:30",
                 "2022-12-12T17:02:00.5+08:00", "2022-12-12T17:02:00.123+08:00", "2022-12-12T17:02:00.1234+08:00",
                 "2022-12-12T17:02:00", "2022-12-12 17:02:00+08:00", "2022-12-12T17:02:00+0800",
                 "2022-12-12T25:02:00+08:00"],
    "time": ["", "08:00:00", "23:59:59", "24:00:00", "8:00:00", "08:00"],
    "year": ["", "2022", "0999", "22", "2022.0"],
}


def oracle(kind: str, text: str) -> Any:
    """The value a cell stands for, or REFUSED: the spec's rule by Python's own parsers."""
    if text == "":
        return None
    if len(text) > MAX_CELL_CHARACTERS:
        return REFUSED  # more than an Excel cell holds
    plain = text.isascii() and text == text.strip() and "_" not in text
    try:
        if kind == "string":
            return text
        if kind == "number":
            value = float(text) if plain and "," not in text else REFUSED
            return value if value is not REFUSED and math.isfinite(value) else REFUSED
        if kind == "integer":
            value = int(text) if plain and text.lstrip("+-").isdigit() and text[:2].count("+") + text[:2].count("-") <= 1 else REFUSED
            # beyond 2**53 a spreadsheet's 64-bit float cannot hold the number exactly
            return value if value is REFUSED or abs(value) <= MAX_EXACT_INTEGER else REFUSED
        if kind == "boolean":
            return {"true": True, "True": True, "TRUE": True, "1": True,
                    "false": False, "False": False, "FALSE": False, "0": False}.get(text, REFUSED)
        if kind == "date":
            return dt.date.fromisoformat(text) if len(text) == 10 and text[4] == text[7] == "-" else REFUSED
        if kind == "datetime":
            value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            offset = text[-6:] if not text.endswith("Z") else "+00:00"
            fraction = text[20:].split("+")[0].split("-")[0].rstrip("Z") if text[19:20] == "." else ""
            stated_offset = offset[0] in "+-" and offset[3] == ":"
            if text[10] != "T" or value.tzinfo is None or not stated_offset or len(fraction) > 3:
                return REFUSED  # milliseconds at most: what the Parquet twins store
            return value.astimezone(dt.timezone.utc)
        if kind == "time":
            return dt.time.fromisoformat(text) if len(text) == 8 else REFUSED
        if kind == "year":
            return int(text) if len(text) == 4 and text.isdigit() and plain else REFUSED
    except ValueError:
        return REFUSED
    raise AssertionError(kind)


def table_name(kind: str) -> str:
    return f"cells_{kind}"


def write_package(root: Path, cells: dict[str, list[str]]) -> Path:
    """One table per type: a row number and the cell, so every output can be read back by row."""
    (root / "data").mkdir(parents=True)
    resources = []
    for kind, texts in cells.items():
        name = table_name(kind)
        lines = ["n,v"] + [f'{n},"{text}"' for n, text in enumerate(texts)]
        (root / "data" / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "v", "type": kind}], "primaryKey": ["n"]}
        resources.append({"name": name, "path": f"data/{name}.csv", "format": "csv", "schema": schema})
        resources.append({"name": f"{name}-parquet", "path": f"data/{name}.parquet", "format": "parquet",
                          "schema": schema})
    descriptor = {"name": "cells", "version": "1.0.0", "title": "Cells", "resources": resources}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def test_validate_accepts_exactly_the_cells_the_spec_accepts_and_names_each_refused_one(tmp_path: Path) -> None:
    root = write_package(tmp_path / "all", CELLS)
    errors = [f for f in validate_package(root).errors if not f.check.startswith("twin")]
    refused = {(f.table, f.row, f.column) for f in errors}
    for kind, texts in CELLS.items():
        for n, text in enumerate(texts):
            expected_refused = oracle(kind, text) is REFUSED
            where = (table_name(kind), n + 2, "v")  # header is row 1
            assert (where in refused) == expected_refused, (kind, text[:40])
    assert all(f.row is not None and f.column == "v" for f in errors)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, list[Any]], dict[str, list[str]]]:
    folder = tmp_path_factory.mktemp("accepted")
    accepted = {kind: [text for text in texts if oracle(kind, text) is not REFUSED] for kind, texts in CELLS.items()}
    root = write_package(folder / "package", accepted)
    result = publish_package(root, folder / "dist")
    assert result.ok, [f.message for f in result.build.report.errors][:5]
    values = {kind: [oracle(kind, text) for text in texts] for kind, texts in accepted.items()}
    return root, folder / "dist", values, accepted


def _same(kind: str, got: Any, expected: Any) -> bool:
    if expected is None or got is None:
        return got is None and expected is None
    if kind == "datetime":
        return got == expected  # aware instants compare as instants
    return got == expected and type(got) is type(expected)


def test_every_accepted_cell_is_in_the_parquet_twin_as_its_value(published) -> None:
    root, _, values, _ = published
    for kind, expected in values.items():
        column = pq.read_table(root / "data" / f"{table_name(kind)}.parquet").column("v").to_pylist()
        assert all(_same(kind, got, want) for got, want in zip(column, expected, strict=True)), kind


def test_every_accepted_cell_is_in_the_sqlite_download_as_its_value(published) -> None:
    _, dist, values, _ = published
    parse = {"date": dt.date.fromisoformat, "time": dt.time.fromisoformat,
             "datetime": lambda text: dt.datetime.fromisoformat(text), "boolean": bool}
    with sqlite3.connect(dist / "jiutai-data.sqlite") as connection:
        for kind, expected in values.items():
            stored = [v for (v,) in connection.execute(f'SELECT v FROM "{table_name(kind)}" ORDER BY n')]
            got = [None if v is None else parse.get(kind, lambda x: x)(v) for v in stored]
            assert all(_same(kind, g, w) for g, w in zip(got, expected, strict=True)), kind
            declared = connection.execute(f"SELECT type FROM pragma_table_info('{table_name(kind)}') "
                                          "WHERE name = 'v'").fetchone()[0]
            assert declared == TYPES[kind].sqlite


def test_every_accepted_cell_is_in_the_excel_workbook_as_its_value(published) -> None:
    _, dist, values, _ = published
    workbook = openpyxl.load_workbook(dist / "jiutai-data.xlsx")
    for kind, expected in values.items():
        got = [row[1] for row in workbook[table_name(kind)].iter_rows(min_row=2, values_only=True)]
        for cell, want in zip(got, expected, strict=True):
            if kind == "datetime" and want is not None:
                # Excel holds wall-clock time at UTC+08:00 and rounds to the millisecond
                wall = want.astimezone(EXCEL_TIME_ZONE).replace(tzinfo=None)
                assert abs(cell - wall) < dt.timedelta(milliseconds=1), (kind, cell, want)
            elif kind == "date" and want is not None:
                assert cell.date() == want, (kind, cell, want)
            elif kind == "time" and want is not None:
                assert cell == want, (kind, cell, want)
            elif kind == "boolean" and want is not None:
                assert cell is want, (kind, cell, want)
            else:
                assert cell == want, (kind, cell, want)


def test_every_accepted_cell_is_on_its_site_page_as_written(published) -> None:
    _, dist, _, accepted = published
    for kind, texts in accepted.items():
        script = (dist / "site" / "data" / f"{table_name(kind)}.js").read_text(encoding="utf-8")
        payload = json.loads(script.split("] = ", 1)[1].rstrip(";\n"))
        assert [row[1] for row in payload["rows"]] == [text or None for text in texts], kind


def test_an_instant_finer_than_a_millisecond_is_what_the_arrow_types_refuse(tmp_path: Path) -> None:
    # The reason validate refuses a fourth fractional digit: the twin's timestamp[ms] cannot hold it.
    schema = {"fields": [{"name": "v", "type": "datetime"}]}
    fine = pl.DataFrame({"v": [dt.datetime(2022, 12, 12, 9, 2, 0, 123_400, tzinfo=dt.timezone.utc)]},
                        schema={"v": TYPES["datetime"].polars})
    with pytest.raises(ConversionError):
        frame_to_arrow(fine, schema)
    milliseconds = fine.with_columns(pl.col("v").dt.truncate("1ms"))
    assert frame_to_arrow(milliseconds, schema).column("v").to_pylist()[0].microsecond == 123_000


CONSTRAINED = [
    ({"type": "number", "constraints": {"minimum": 0}}, ["-0.5", "0", "3"]),
    ({"type": "number", "constraints": {"exclusiveMinimum": 0}}, ["0", "0.1"]),
    ({"type": "integer", "constraints": {"maximum": 10}}, ["10", "11"]),
    ({"type": "integer", "constraints": {"exclusiveMaximum": 10}}, ["9", "10"]),
    ({"type": "string", "constraints": {"minLength": 2}}, ["长", "长长"]),
    ({"type": "string", "constraints": {"maxLength": 2}}, ["长长", "长长长"]),
    ({"type": "string", "constraints": {"enum": ["a", "b"]}}, ["a", "c"]),
]


@pytest.mark.parametrize("field, texts", CONSTRAINED, ids=[json.dumps(f) for f, _ in CONSTRAINED])
def test_the_sqlite_checks_refuse_exactly_what_validate_refuses(tmp_path: Path, field: dict[str, Any],
                                                                 texts: list[str]) -> None:
    from jiutai_data.model.package import open_package
    from jiutai_data.model.schema import Schema
    from jiutai_data.publish.sqlite import column_definition, sqlite_value
    from jiutai_data.read.tables import read_package

    field = {"name": "v", **field}
    schema = {"fields": [field]}
    (tmp_path / "t.csv").write_text("v\n" + "\n".join(texts) + "\n", encoding="utf-8")
    descriptor = {"name": "t", "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    refused_rows = {f.row for f in validate_package(tmp_path).errors}
    assert refused_rows, "each case has a cell that validate refuses"
    frame = read_package(open_package(tmp_path)).frames.table("t")
    connection = sqlite3.connect(":memory:")
    typed = Schema.of(schema)
    connection.execute(f"CREATE TABLE t ({column_definition(typed.field('v'), typed)}) STRICT")
    for row, value in frame.select("_row", "v").iter_rows():
        try:
            connection.execute("INSERT INTO t VALUES (?)", (sqlite_value(value),))
            accepted = True
        except sqlite3.IntegrityError:
            accepted = False
        assert accepted == (row not in refused_rows), (field, row, value)
