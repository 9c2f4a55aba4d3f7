"""The Parquet twins the build writes: every reader gets the CSV's rows and the schema's types.

Expectations are derived from the CSV files (read with the csv module, independently of the
build's own reader) and the Table Schemas, never hard-coded, so these tests hold for any data.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import copy_package

from jiutai_data.model.fields import ENUM_TYPE, TIMESTAMP_TYPE
from jiutai_data.read.arrow import (
    METADATA_PACKAGE_NAME,
    METADATA_PACKAGE_VERSION,
    METADATA_TABLE,
    METADATA_TABLE_SCHEMA,
    arrow_schema,
    frame_to_arrow,
)
from jiutai_data.read.tables import read_package
from jiutai_data.validate.run import validate_package
from jiutai_data.publish.build import build_package
from jiutai_data.model.package import Table, open_package

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_package(tmp_path_factory.mktemp("built") / "package")
    result = build_package(root)
    assert result.report.valid, [finding.message for finding in result.report.errors][:5]
    return root


def built_tables(root: Path) -> list[Table]:
    found = [table for table in open_package(root).tables if table.parquet_path is not None]
    assert found, "the descriptor declares no Parquet twins"
    return found


def _cell(text: str, field: dict[str, Any]) -> Any:
    """A CSV cell as the value its Table Schema type promises (the test's own oracle)."""
    if text == "":
        return None
    kind = field.get("type", "string")
    if kind == "number":
        return float(text)
    if kind == "integer":
        return int(text)
    if kind == "boolean":
        return text in field.get("trueValues", ["true", "True", "TRUE", "1"])
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "datetime":
        return dt.datetime.fromisoformat(text)
    return text


def csv_rows(table: Table) -> list[tuple[Any, ...]]:
    fields = table.schema["fields"]
    with table.csv_path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return [tuple(_cell(row[field["name"]], field) for field in fields) for row in reader]


def _none_for_missing(value: Any) -> Any:
    if value is None:
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def normalised(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(_none_for_missing(value) for value in row) for row in rows]


def test_every_twin_reads_back_with_pyarrow_with_the_csv_rows_and_the_schema_types(built: Path) -> None:
    for table in built_tables(built):
        data = pq.read_table(table.parquet_path)
        expected = arrow_schema(table.schema)
        assert [(f.name, f.type, f.nullable) for f in data.schema] == [(f.name, f.type, f.nullable) for f in expected], table.name
        rows = list(zip(*(data.column(name).to_pylist() for name in data.column_names))) if data.num_rows else []
        assert rows == csv_rows(table), table.name


def test_every_twin_reads_back_with_polars_with_the_csv_rows_and_the_schema_types(built: Path) -> None:
    import polars as pl

    polars_types = {"string": pl.String, "number": pl.Float64, "integer": pl.Int64, "boolean": pl.Boolean, "date": pl.Date}
    for table in built_tables(built):
        frame = pl.read_parquet(table.parquet_path)
        for field in table.schema["fields"]:
            dtype = frame.schema[field["name"]]
            if "enum" in field.get("constraints", {}):
                assert dtype == pl.Categorical, (table.name, field["name"], dtype)
            elif field["type"] == "datetime":
                assert isinstance(dtype, pl.Datetime) and dtype.time_zone is not None, (table.name, field["name"], dtype)
            else:
                assert dtype == polars_types[field["type"]], (table.name, field["name"], dtype)
        assert frame.rows() == csv_rows(table), table.name


def test_every_twin_reads_back_with_pandas_with_the_csv_rows_and_the_schema_types(built: Path) -> None:
    import pandas as pd

    for table in built_tables(built):
        frame = pd.read_parquet(table.parquet_path)
        arrow_types = {field.name: field.type for field in arrow_schema(table.schema)}
        for field in table.schema["fields"]:
            dtype = frame[field["name"]].dtype
            required = field.get("constraints", {}).get("required", False)
            if "enum" in field.get("constraints", {}):
                assert isinstance(dtype, pd.CategoricalDtype), (table.name, field["name"], dtype)
            elif field["type"] == "number":
                # a nullable number keeps its nulls as <NA> (pandas Float64), not NaN
                assert dtype == ("float64" if required else pd.Float64Dtype()), (table.name, field["name"], dtype)
            elif field["type"] in ("date", "datetime", "time"):
                # the Arrow type itself (pandas has no date dtype; object would have no .dt)
                assert dtype == pd.ArrowDtype(arrow_types[field["name"]]), (table.name, field["name"], dtype)
            elif field["type"] == "string":
                assert pd.api.types.is_string_dtype(dtype), (table.name, field["name"], dtype)
        rows = [
            tuple(value.to_pydatetime() if isinstance(value, pd.Timestamp) else value for value in row)
            for row in frame.astype(object).itertuples(index=False, name=None)
        ]
        assert normalised(rows) == csv_rows(table), table.name


def test_every_twin_reads_back_with_duckdb_with_the_csv_rows_and_the_schema_types(built: Path) -> None:
    import duckdb

    duckdb_types = {"string": "VARCHAR", "number": "DOUBLE", "integer": "BIGINT", "boolean": "BOOLEAN",
                    "date": "DATE", "datetime": "TIMESTAMP WITH TIME ZONE"}
    connection = duckdb.connect()
    for table in built_tables(built):
        source = f"read_parquet('{table.parquet_path.as_posix()}')"
        described = {row[0]: row[1] for row in connection.sql(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        assert described == {field["name"]: duckdb_types[field["type"]] for field in table.schema["fields"]}, table.name
        assert connection.sql(f"SELECT * FROM {source}").fetchall() == csv_rows(table), table.name


def test_every_twin_records_its_table_schema_and_the_package_name_and_version(built: Path) -> None:
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    for table in built_tables(built):
        metadata = pq.read_schema(table.parquet_path).metadata
        assert json.loads(metadata[METADATA_TABLE_SCHEMA.encode()]) == table.schema
        assert metadata[METADATA_PACKAGE_NAME.encode()].decode() == descriptor["name"]
        assert metadata[METADATA_PACKAGE_VERSION.encode()].decode() == descriptor["version"]
        assert metadata[METADATA_TABLE.encode()].decode() == table.name


def test_every_twin_is_zstd_compressed(built: Path) -> None:
    for table in built_tables(built):
        metadata = pq.read_metadata(table.parquet_path)
        codecs = {metadata.row_group(g).column(c).compression for g in range(metadata.num_row_groups)
                  for c in range(metadata.num_columns)}
        assert codecs <= {"ZSTD"}, (table.name, codecs)


def test_each_table_schema_type_maps_to_its_arrow_type_and_required_to_not_null() -> None:
    schema = {
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "kind", "type": "string", "constraints": {"required": True, "enum": ["a", "b"]}},
            {"name": "share", "type": "number"},
            {"name": "count", "type": "integer", "constraints": {"required": True}},
            {"name": "flag", "type": "boolean"},
            {"name": "day", "type": "date"},
            {"name": "at", "type": "datetime"},
        ],
        "primaryKey": ["id"],
    }
    arrow = arrow_schema(schema)
    assert [(f.type, f.nullable) for f in arrow] == [
        (pa.string(), False),  # primary-key fields are required
        (pa.dictionary(pa.int32(), pa.string()), False),
        (pa.float64(), True),
        (pa.int64(), False),
        (pa.bool_(), True),
        (pa.date32(), True),
        (pa.timestamp("ms", tz="+08:00"), True),
    ]
    assert ENUM_TYPE == pa.dictionary(pa.int32(), pa.string()) and TIMESTAMP_TYPE.tz == "+08:00"


def one_table_package(folder: Path, csv_text: str, schema: dict[str, Any]) -> Path:
    """A package of one CSV table ``t`` with an inline schema, for the reader and the checks."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.csv").write_text(csv_text, encoding="utf-8")
    descriptor = {"name": "t", "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def typed_arrow(folder: Path, csv_text: str, schema: dict[str, Any]) -> pa.Table:
    """The table as the build publishes it: the one reader's typed frame, in the schema's Arrow types."""
    root = one_table_package(folder, csv_text, schema)
    frame = read_package(open_package(root)).frames.table("t")
    assert frame is not None
    return frame_to_arrow(frame, schema)


def test_an_enum_column_uses_the_whole_enum_as_its_dictionary_in_schema_order(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "kind", "type": "string", "constraints": {"enum": ["c", "a", "b"]}}]}
    column = typed_arrow(tmp_path, "kind\nb\n\"\"\nb\n", schema).column("kind").combine_chunks()
    assert column.dictionary.to_pylist() == ["c", "a", "b"]
    assert column.to_pylist() == ["b", None, "b"]


def test_a_datetime_keeps_its_instant_whatever_offset_the_csv_states(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "at", "type": "datetime"}]}
    text = "at\n2022-12-12T17:02:00+08:00\n2022-12-12T09:02:00Z\n2022-12-12T17:02:00.5+08:00\n"
    first, second, fractional = typed_arrow(tmp_path, text, schema).column("at").to_pylist()
    assert first == second == dt.datetime(2022, 12, 12, 9, 2, tzinfo=dt.timezone.utc)
    assert first.utcoffset() == dt.timedelta(hours=8)
    assert fractional == dt.datetime(2022, 12, 12, 9, 2, 0, 500_000, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize("field, good, bad, check, message", [
    ({"name": "x", "type": "number"}, "1.5", "twelve", "type", "is not a number"),
    ({"name": "x", "type": "date"}, "2022-12-01", "2022-13-01", "type", "is not a date"),
    ({"name": "x", "type": "datetime"}, "2022-12-12T17:02:00+08:00", "2022-12-12T17:02:00", "type", "UTC offset"),
    ({"name": "x", "type": "datetime"}, "2022-12-12T17:02:00.5+08:00", "2022-12-12T17:02:00.1234+08:00", "type",
     "at most three digits"),
    ({"name": "x", "type": "string", "constraints": {"enum": ["a"]}}, "a", "b", "enum", "one of"),
    ({"name": "x", "type": "string", "constraints": {"required": True}}, "a", "", "required", ""),
])
def test_a_cell_the_build_could_not_publish_is_refused_by_validate_with_its_row_and_column(
    tmp_path: Path, field: dict[str, Any], good: str, bad: str, check: str, message: str
) -> None:
    root = one_table_package(tmp_path, f"x\n{good}\n{bad}\n", {"fields": [field]})
    errors = validate_package(root).errors
    assert [(f.row, f.column, f.check) for f in errors] == [(3, "x", check)]  # header is row 1
    assert message in errors[0].message
    assert not build_package(root).report.valid
