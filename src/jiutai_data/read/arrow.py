"""Typed polars frames → Arrow tables with the Table Schema's Arrow types (model/fields.py).

The build (Parquet), the export (SQLite, Excel) and ``load()`` publish Arrow tables made
here from the reader's frames; nothing here parses CSV text. Required fields (and the
primary key's) are non-nullable; an enum column is a dictionary whose values are the enum,
in schema order, whichever values the table happens to use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from jiutai_data.model.fields import ENUM_TYPE, arrow_type, enum_values, field_type
from jiutai_data.model.schema import primary_key

if TYPE_CHECKING:  # load() uses this module in a light install, which has no polars
    import polars as pl

# Keys of the Parquet file's key-value metadata written by the build.
METADATA_TABLE_SCHEMA = "table_schema"
METADATA_PACKAGE_NAME = "package_name"
METADATA_PACKAGE_VERSION = "package_version"
METADATA_TABLE = "table"
METADATA_PANDAS = "pandas"  # the key pyarrow's to_pandas() reads


class ConversionError(ValueError):
    """A typed frame that does not fit its schema's Arrow types: validate should have refused it."""


def is_required(field: dict[str, Any], table_schema: dict[str, Any]) -> bool:
    return bool((field.get("constraints") or {}).get("required")) or field["name"] in primary_key(table_schema)


def arrow_field(field: dict[str, Any], table_schema: dict[str, Any]) -> pa.Field:
    # The description travels with the column, so `pq.read_schema(...)` documents itself.
    metadata = {"description": field["description"]} if field.get("description") else None
    return pa.field(field["name"], arrow_type(field), nullable=not is_required(field, table_schema), metadata=metadata)


def arrow_schema(table_schema: dict[str, Any]) -> pa.Schema:
    return pa.schema([arrow_field(field, table_schema) for field in table_schema["fields"]])


def pandas_temporal_dtype(field: dict[str, Any]) -> str | None:
    """The pandas dtype of a date, date-time or time field, by name (``"date32[day][pyarrow]"``):
    ``pd.ArrowDtype`` of the field's Arrow type; None for every other field.

    One dtype for `pd.read_parquet` of a twin (through the "pandas" metadata below), for
    ``load()`` and for the pandas recipe of the CSV. pandas has no date dtype of its own:
    by default pyarrow gives a date column as `object` (datetime.date), on which `.dt.year`
    fails, while an Arrow date keeps the date and has `.dt`. The name is what
    `pd.ArrowDtype(...)` prints, which `pd.read_parquet` and `pd.read_csv(dtype=...)` both accept."""
    arrow = arrow_type(field)
    return f"{arrow}[pyarrow]" if pa.types.is_temporal(arrow) else None


def pandas_metadata(table_schema: dict[str, Any]) -> dict[str, Any]:
    """The "pandas" key-value metadata of a Parquet file, written from the Table Schema alone
    (no pandas or pyarrow version in it, so the bytes do not depend on the environment).

    With it, `pd.read_parquet` and every tool that reads through pandas (among them
    `frictionless validate`) gets nullable numbers as pandas `Float64` with <NA>, not NaN,
    and dates and date-times as the Arrow dtypes of ``pandas_temporal_dtype``."""
    columns = []
    for described, field in zip(table_schema["fields"], arrow_schema(table_schema)):
        kind = field_type(described)
        pandas_type = kind.pandas
        metadata: dict[str, Any] | None = None
        temporal = pandas_temporal_dtype(described)
        if pa.types.is_dictionary(field.type):
            pandas_type, numpy_type = "categorical", "int32"
            metadata = {"num_categories": len(enum_values(described) or []), "ordered": False}
        elif temporal is not None:
            # pyarrow makes a column whose numpy_type names a pandas extension dtype of that dtype
            numpy_type = temporal
        else:
            numpy_type = "object" if pandas_type == "unicode" else pandas_type
            # A nullable float64 would turn nulls into NaN, a nullable int64 become float64;
            # pandas' own nullable dtypes keep both.
            if field.nullable and kind.pandas_nullable:
                numpy_type = kind.pandas_nullable
        columns.append({
            "name": field.name, "field_name": field.name,
            "pandas_type": pandas_type, "numpy_type": numpy_type, "metadata": metadata,
        })
    return {"index_columns": [], "column_indexes": [], "columns": columns}


def _as_enum(field: dict[str, Any], column: pa.ChunkedArray) -> pa.ChunkedArray:
    dictionary = pa.array(enum_values(field), pa.string())
    indices = pc.index_in(column.cast(pa.string()), value_set=dictionary).cast(pa.int32())
    if indices.null_count != column.null_count:
        raise ConversionError(f"{field['name']}: a value is not one of the field's enum values")
    chunks = [pa.DictionaryArray.from_arrays(chunk, dictionary) for chunk in indices.chunks]
    return pa.chunked_array(chunks, type=ENUM_TYPE)


def _conformed(table: pa.Table, table_schema: dict[str, Any]) -> pa.Table:
    schema = arrow_schema(table_schema)
    columns = []
    for field, arrow in zip(table_schema["fields"], schema):
        column = table.column(field["name"])
        if arrow.type == ENUM_TYPE:
            column = _as_enum(field, column)
        elif column.type != arrow.type:
            try:  # safe: a cast that would lose a digit (e.g. microseconds to milliseconds) raises
                column = column.cast(arrow.type)
            except pa.ArrowInvalid as error:
                raise ConversionError(f"{field['name']}: {error}") from None
        if not arrow.nullable and column.null_count:
            raise ConversionError(f"{field['name']}: a required field is empty")
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def frame_to_arrow(frame: pl.DataFrame, table_schema: dict[str, Any]) -> pa.Table:
    """A typed frame of the reader (any extra columns such as the row number are dropped)
    as a table with exactly ``arrow_schema(table_schema)``."""
    names = [field["name"] for field in table_schema["fields"]]
    return _conformed(frame.select(names).to_arrow(), table_schema)


def conform(table: pa.Table, table_schema: dict[str, Any]) -> pa.Table:
    """A table read back from Parquet → exactly ``arrow_schema(table_schema)``.

    Parquet readers rebuild a dictionary from the values present; re-encoding against the
    enum gives every reader the same categories in schema order."""
    return _conformed(table, table_schema)

