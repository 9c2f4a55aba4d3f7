"""The README's recipes for reading each CSV with its types: run in pandas, polars, DuckDB and
R (readr), each must give the values of the Parquet twin, with no column guessed (a text
column such as value_as_stated or regions.code stays text, dates are dates)."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from jiutai_data.model.package import Table, open_package
from jiutai_data.publish.recipes import duckdb_recipe, pandas_recipe, polars_recipe, readr_recipe, variable_name
from jiutai_data.read.load import load_arrow

TABLES = open_package(REPO).tables


def canonical(value: Any, kind: str) -> Any:
    """One form per value whatever the tool: None for every null, dates as dates, instants in UTC."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime()
    if kind == "date":
        return value.date() if isinstance(value, dt.datetime) else value
    if kind == "datetime":
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.timezone.utc)
        return value.astimezone(dt.timezone.utc) if isinstance(value, dt.datetime) else value
    if kind in ("number", "integer") and not isinstance(value, (int, float)):
        return value  # a number read as text stays text, so the comparison fails
    if kind == "number":
        return float(value)
    return value if not hasattr(value, "item") else value.item()


def expected(table: Table) -> dict[str, list[Any]]:
    twin = load_arrow(table.name, REPO)
    kinds = {field["name"]: field.get("type", "string") for field in table.schema["fields"]}
    return {name: [canonical(value, kinds[name]) for value in twin.column(name).to_pylist()] for name in kinds}


def compared(table: Table, columns: dict[str, list[Any]]) -> None:
    kinds = {field["name"]: field.get("type", "string") for field in table.schema["fields"]}
    assert list(columns) == list(kinds), table.name
    want = expected(table)
    for name, values in columns.items():
        got = [canonical(value, kinds[name]) for value in values]
        assert [type(value) for value in got] == [type(value) for value in want[name]], (table.name, name)
        assert got == want[name], (table.name, name)


@pytest.fixture(autouse=True)
def in_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the recipes use the package's relative paths


def test_the_docs_recipes_page_holds_every_tables_recipes() -> None:
    # the recipes moved from the README to the documentation site (publish/docs.py), generated at build time
    from jiutai_data.publish.docs import RECIPES, generated_pages

    def flush(text: str) -> str:  # the page indents recipes inside tabs
        return "\n".join(line.strip() for line in text.splitlines())

    page = flush(generated_pages(REPO)[RECIPES])
    for table in TABLES:
        for recipe in (pandas_recipe, polars_recipe, duckdb_recipe, readr_recipe):
            assert flush(recipe(table)) in page, (table.name, recipe.__name__)


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_the_pandas_recipe_reads_the_twins_values(table: Table) -> None:
    pytest.importorskip("pandas")
    scope: dict[str, Any] = {}
    exec(pandas_recipe(table), scope)
    frame = scope[variable_name(table)]
    compared(table, {name: frame[name].tolist() for name in frame.columns})


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_the_polars_recipe_reads_the_twins_values(table: Table) -> None:
    pytest.importorskip("polars")
    scope: dict[str, Any] = {}
    exec(polars_recipe(table), scope)
    frame = scope[variable_name(table)]
    compared(table, {name: frame[name].to_list() for name in frame.columns})


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.name)
def test_the_duckdb_recipe_reads_the_twins_values(table: Table) -> None:
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(duckdb_recipe(table))
    result = connection.execute(f"SELECT * FROM {variable_name(table)}")
    names = [column[0] for column in result.description]
    rows = result.fetchall()
    compared(table, {name: [row[index] for row in rows] for index, name in enumerate(names)})


def test_pandas_defaults_would_guess_wrong_so_the_comparison_can_fail() -> None:
    pd = pytest.importorskip("pandas")
    table = next(table for table in TABLES if table.name == "indicators")
    frame = pd.read_csv(table.resource["path"])
    with pytest.raises(AssertionError):
        compared(table, {name: frame[name].tolist() for name in frame.columns})


R_EXPORT = """
frame <- {name}
for (column in names(frame)) if (inherits(frame[[column]], "POSIXct")) attr(frame[[column]], "tzone") <- "UTC"
classes <- vapply(frame, function(column) class(column)[1], "")
jsonlite::write_json(list(classes = as.list(classes), columns = frame), {out}, dataframe = "columns", auto_unbox = TRUE,
                     na = "null", digits = NA, POSIXt = "ISO8601", Date = "ISO8601", factor = "string")
"""
R_CLASSES = {"string": "character", "number": "numeric", "integer": "integer", "boolean": "logical",
             "date": "Date", "datetime": "POSIXct"}


def _r_with_readr() -> str | None:
    rscript = shutil.which("Rscript")
    if rscript is None:
        return None
    probe = subprocess.run([rscript, "-e", "library(readr); library(jsonlite)"], capture_output=True)
    return rscript if probe.returncode == 0 else None


@pytest.mark.skipif(_r_with_readr() is None, reason="needs Rscript with readr and jsonlite (Debian: r-cran-readr, r-cran-jsonlite)")
def test_the_r_recipes_read_the_twins_values(tmp_path: Path) -> None:
    rscript = _r_with_readr()
    script, outputs = [], {}
    for table in TABLES:  # one R process for every table: R starts slowly
        outputs[table.name] = tmp_path / f"{table.name}.json"
        script += [readr_recipe(table), R_EXPORT.format(name=variable_name(table), out=json.dumps(str(outputs[table.name])))]
    (tmp_path / "recipes.R").write_text("\n".join(script), encoding="utf-8")
    subprocess.run([rscript, str(tmp_path / "recipes.R")], cwd=REPO, check=True, capture_output=True)
    for table in TABLES:
        read = json.loads(outputs[table.name].read_text(encoding="utf-8"))
        for field in table.schema["fields"]:
            enum = "enum" in field.get("constraints", {})
            assert read["classes"][field["name"]] == ("factor" if enum else R_CLASSES[field.get("type", "string")]), \
                (table.name, field["name"])
        columns = read["columns"]
        for field in table.schema["fields"]:
            if field.get("type") == "date":
                columns[field["name"]] = [dt.date.fromisoformat(value) if value else None for value in columns[field["name"]]]
        compared(table, {field["name"]: columns[field["name"]] for field in table.schema["fields"]})
