"""One set of date types in pandas: `pd.read_parquet` of a twin, the pandas recipe of its CSV
and `jiutai_data.load()` give a date, date-time or time column the same dtype, on which
`.dt.year` works and gives the year the CSV states.

Which columns are dates comes from the Table Schemas; the years from the CSV text, read with
the csv module. Nothing here names a committed column or value."""

from __future__ import annotations

import csv
from typing import Any

import pytest
from conftest import PACKAGE

import jiutai_data
from jiutai_data.model.package import Table, open_package
from jiutai_data.publish.recipes import pandas_recipe, variable_name

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

pd = pytest.importorskip("pandas")

TEMPORAL = ("date", "datetime", "time")
TABLES = [table for table in open_package(PACKAGE).tables
          if any(field.get("type") in TEMPORAL for field in table.schema["fields"])]


def temporal_fields(table: Table) -> list[dict[str, Any]]:
    return [field for field in table.schema["fields"] if field.get("type") in TEMPORAL]


def three_ways(table: Table, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.chdir(PACKAGE)  # the recipe names the CSV by its path inside the package
    scope: dict[str, Any] = {}
    exec(pandas_recipe(table), scope)
    return {
        "pd.read_parquet": pd.read_parquet(table.parquet_path),
        "recipe": scope[variable_name(table)],
        "load()": jiutai_data.load(table.name, package_dir=PACKAGE),
    }


def stated_years(table: Table, name: str) -> list[int | None]:
    with table.csv_path.open(encoding="utf-8", newline="") as stream:
        return [int(row[name][:4]) if row[name] else None for row in csv.DictReader(stream)]


def test_the_package_has_dates_to_compare() -> None:
    assert TABLES, "no table declares a date, date-time or time field: nothing here is tested"


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_read_parquet_the_recipe_and_load_give_a_date_column_one_dtype(table: Table, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = three_ways(table, monkeypatch)
    for field in temporal_fields(table):
        dtypes = {way: frame[field["name"]].dtype for way, frame in frames.items()}
        assert len(set(map(str, dtypes.values()))) == 1, (table.name, field["name"], dtypes)
        # not numpy's object: a date is not text, nor a Python object pandas cannot compute with
        assert all(dtype != object for dtype in dtypes.values()), (table.name, field["name"], dtypes)


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_dt_year_works_every_way_and_gives_the_year_the_csv_states(table: Table, monkeypatch: pytest.MonkeyPatch) -> None:
    frames = three_ways(table, monkeypatch)
    for field in temporal_fields(table):
        if field["type"] == "time":
            continue  # a time of day has no year
        stated = stated_years(table, field["name"])
        for way, frame in frames.items():
            years = [None if pd.isna(year) else int(year) for year in frame[field["name"]].dt.year]
            # a date-time's year is in the offset it is shown in (+08:00), the offset the sources state
            assert years == stated, (table.name, field["name"], way)


def test_the_dtypes_come_from_the_twins_metadata_so_plain_pyarrow_reads_them_too() -> None:
    # pd.read_parquet reads the dtypes from the twin's "pandas" metadata; the same metadata
    # makes pyarrow's own to_pandas() agree, for any tool that reads through it (frictionless)
    import pyarrow.parquet as pq

    for table in TABLES:
        via_pyarrow = pq.read_table(table.parquet_path).to_pandas()
        via_pandas = pd.read_parquet(table.parquet_path)
        for field in temporal_fields(table):
            assert via_pyarrow[field["name"]].dtype == via_pandas[field["name"]].dtype, (table.name, field["name"])
