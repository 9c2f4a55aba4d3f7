"""Every backend takes a field's types from the one table of types (model/fields.py: TYPES), through
the typed schema (model/schema.py): a type added there reaches the reader, the checks, the
Parquet twin, the SQLite and Stata downloads and every recipe, with no other module edited."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jiutai_data.model import fields as field_model
from jiutai_data.model.fields import TYPES, FieldType
from jiutai_data.model.package import open_package
from jiutai_data.publish.recipes import recipes
from jiutai_data.publish.run import publish_package
from jiutai_data.validate.run import validate_package

# Frictionless' "yearmonth", which this package does not use: a month as YYYY-MM, held as text.
YEARMONTH = FieldType(
    "yearmonth", pl.String(), pa.string(), "TEXT", r"^[0-9]{4}-(0[1-9]|1[0-2])$", "a month as YYYY-MM, e.g. 2024-01",
    None, "unicode", "string", TYPES["string"].fits,
    recipe={"pandas": '"string"', "polars": "pl.String", "duckdb": "VARCHAR", "readr": "col_character()"},
    stata="text")


@pytest.fixture
def with_yearmonth(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(TYPES, "yearmonth", YEARMONTH)
    monkeypatch.setitem(field_model.TYPE_CONSTRAINTS, "yearmonth", field_model.TYPE_CONSTRAINTS["string"])


def _package(root: Path, months: list[str]) -> Path:
    (root / "data").mkdir(parents=True)
    lines = ["n,month"] + [f"{n},{month}" for n, month in enumerate(months)]
    (root / "data" / "months.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    schema = {"fields": [{"name": "n", "type": "integer"}, {"name": "month", "type": "yearmonth",
                                                              "description": "The month."}], "primaryKey": ["n"]}
    descriptor = {"name": "months", "version": "1.0.0", "title": "Months", "resources": [
        {"name": "months", "path": "data/months.csv", "format": "csv", "schema": schema},
        {"name": "months-parquet", "path": "data/months.parquet", "format": "parquet", "schema": schema}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return root


def test_a_type_unknown_to_the_table_of_types_is_refused(tmp_path: Path) -> None:
    root = _package(tmp_path / "package", ["2024-01"])
    assert "schema" in {f.check for f in validate_package(root).errors}


def test_the_reader_and_the_checks_follow_a_new_type(tmp_path: Path, with_yearmonth: None) -> None:
    root = _package(tmp_path / "package", ["2024-01", "2024-13"])
    errors = [f for f in validate_package(root).errors if not f.check.startswith("twin")]
    assert [(f.row, f.column) for f in errors] == [(3, "month")]
    assert "YYYY-MM" in errors[0].message


def test_every_output_follows_a_new_type(tmp_path: Path, with_yearmonth: None) -> None:
    root = _package(tmp_path / "package", ["2024-01", "2023-12"])
    result = publish_package(root, tmp_path / "dist")
    assert result.ok, result.build.report.errors

    twin = pq.read_schema(root / "data" / "months.parquet")
    assert twin.field("month").type == YEARMONTH.arrow
    database = sqlite3.connect(next((tmp_path / "dist").glob("*.sqlite")))
    declared = {row[1]: row[2] for row in database.execute("PRAGMA table_info(months)")}
    assert declared["month"] == YEARMONTH.sqlite
    assert list(database.execute("SELECT month FROM months ORDER BY n")) == [("2024-01",), ("2023-12",)]
    stata = pd.read_stata(tmp_path / "dist" / "months.dta")
    assert list(stata["month"]) == ["2024-01", "2023-12"]

    table = open_package(root).table("months")
    written = {recipe.tool: recipe.code for recipe in recipes(table)}
    for tool, declared_type in YEARMONTH.recipe.items():
        line = next(line for line in written[tool].splitlines() if "month" in line and "months" not in line)
        assert declared_type in line, tool
