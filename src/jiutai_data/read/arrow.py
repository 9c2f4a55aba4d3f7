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

from jiutai_data.model.fields import ENUM_TYPE
from jiutai_data.model.schema import Field, Schema

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


def arrow_schema(table_schema: dict[str, Any]) -> pa.Schema:
    """The Arrow schema of the twins and of ``load()`` (model/schema.py: ``Schema.arrow``)."""
    return Schema.of(table_schema).arrow


def _as_enum(field: Field, column: pa.ChunkedArray) -> pa.ChunkedArray:
    dictionary = pa.array(field.enum, pa.string())
    indices = pc.index_in(column.cast(pa.string()), value_set=dictionary).cast(pa.int32())
    if indices.null_count != column.null_count:
        raise ConversionError(f"{field.name}: a value is not one of the field's enum values")
    chunks = [pa.DictionaryArray.from_arrays(chunk, dictionary) for chunk in indices.chunks]
    return pa.chunked_array(chunks, type=ENUM_TYPE)


def _conformed(table: pa.Table, table_schema: dict[str, Any]) -> pa.Table:
    typed = Schema.of(table_schema)
    schema = typed.arrow
    columns = []
    for field, arrow in zip(typed.fields, schema):
        column = table.column(field.name)
        if arrow.type == ENUM_TYPE:
            column = _as_enum(field, column)
        elif column.type != arrow.type:
            try:  # safe: a cast that would lose a digit (e.g. microseconds to milliseconds) raises
                column = column.cast(arrow.type)
            except pa.ArrowInvalid as error:
                raise ConversionError(f"{field.name}: {error}") from None
        if not arrow.nullable and column.null_count:
            raise ConversionError(f"{field.name}: a required field is empty")
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def frame_to_arrow(frame: pl.DataFrame, table_schema: dict[str, Any]) -> pa.Table:
    """A typed frame of the reader (any extra columns such as the row number are dropped)
    as a table with exactly ``arrow_schema(table_schema)``."""
    return _conformed(frame.select(Schema.of(table_schema).names).to_arrow(), table_schema)


def conform(table: pa.Table, table_schema: dict[str, Any]) -> pa.Table:
    """A table read back from Parquet → exactly ``arrow_schema(table_schema)``.

    Parquet readers rebuild a dictionary from the values present; re-encoding against the
    enum gives every reader the same categories in schema order."""
    return _conformed(table, table_schema)

