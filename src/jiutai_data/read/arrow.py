"""Arrow types derived from the Table Schemas, and CSV → typed Arrow tables.

One mapping, used by the build (Parquet), the export (SQLite, Excel) and `load`:

    string            → string, or dictionary<int32, string> when the field has an `enum`
                        (the dictionary is the enum itself, in schema order)
    number            → float64
    integer           → int64
    boolean           → bool
    date              → date32
    datetime          → timestamp("ms", tz="+08:00")
    nullable          ← not `required` (fields of the primary key are required too)

Why milliseconds: Parquet has no second-resolution timestamp, so a "s" column comes back
from every reader as "ms"; declaring "ms" makes the written type and the read type the same.
Why a fixed "+08:00": it is China Standard Time, the offset every source states, and a fixed
offset needs no time-zone database in any reader. The stored instant is exact whatever offset
a CSV cell states; "+08:00" only decides how it is displayed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

TIMESTAMP_TYPE = pa.timestamp("ms", tz="+08:00")
ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())

# Keys of the Parquet file's key-value metadata written by the build.
METADATA_TABLE_SCHEMA = "table_schema"
METADATA_PACKAGE_NAME = "package_name"
METADATA_PACKAGE_VERSION = "package_version"
METADATA_TABLE = "table"
METADATA_PANDAS = "pandas"  # the key pyarrow's to_pandas() reads

# Table Schema defaults for booleans (a field may override them).
DEFAULT_TRUE_VALUES = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE_VALUES = ["false", "False", "FALSE", "0"]

_SCALAR_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "number": pa.float64(),
    "integer": pa.int64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": TIMESTAMP_TYPE,
}


class UnsupportedType(ValueError):
    """A Table Schema type this package has no Arrow mapping for."""


@dataclass(frozen=True)
class ConversionError(Exception):
    """A CSV cell that does not convert to its field's Arrow type."""

    column: str
    row: int | None  # CSV line number (header = 1), when known
    value: Any
    message: str

    def __str__(self) -> str:
        where = f"line {self.row}" if self.row is not None else "a row"
        return f"{self.column}: {where}: {self.message}: {self.value!r}"


def enum_values(field: dict[str, Any]) -> list[str] | None:
    enum = field.get("constraints", {}).get("enum")
    return [str(value) for value in enum] if enum is not None else None


def primary_key(table_schema: dict[str, Any]) -> list[str]:
    key = table_schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def is_required(field: dict[str, Any], table_schema: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("required")) or field["name"] in primary_key(table_schema)


def arrow_type(field: dict[str, Any]) -> pa.DataType:
    field_type = field.get("type", "string")
    if field_type == "string" and enum_values(field) is not None:
        return ENUM_TYPE
    try:
        return _SCALAR_TYPES[field_type]
    except KeyError:
        raise UnsupportedType(f"field {field['name']!r}: Table Schema type {field_type!r} has no Arrow mapping") from None


def arrow_field(field: dict[str, Any], table_schema: dict[str, Any]) -> pa.Field:
    # The description travels with the column, so `pq.read_schema(...)` documents itself.
    metadata = {"description": field["description"]} if field.get("description") else None
    return pa.field(field["name"], arrow_type(field), nullable=not is_required(field, table_schema), metadata=metadata)


def arrow_schema(table_schema: dict[str, Any]) -> pa.Schema:
    return pa.schema([arrow_field(field, table_schema) for field in table_schema["fields"]])


# pandas dtypes for the columns whose default conversion loses information: a nullable
# float64 would turn nulls into NaN, a nullable int64 would become float64. pandas' own
# nullable dtypes keep both. Other columns keep pyarrow's default conversion.
_NULLABLE_PANDAS_DTYPES = {"float64": "Float64", "int64": "Int64", "bool": "boolean"}
_PANDAS_LOGICAL_TYPES = {"string": "unicode", "double": "float64", "int64": "int64", "bool": "bool", "date32[day]": "date"}


def pandas_metadata(table_schema: dict[str, Any]) -> dict[str, Any]:
    """The "pandas" key-value metadata of a Parquet file, written from the Table Schema alone
    (no pandas or pyarrow version in it, so the bytes do not depend on the environment).

    With it, `pd.read_parquet` and every tool that reads through pandas (among them
    `frictionless validate`) gets nullable numbers as pandas `Float64` with <NA>, not NaN."""
    columns = []
    for described, field in zip(table_schema["fields"], arrow_schema(table_schema)):
        if pa.types.is_dictionary(field.type):
            pandas_type, numpy_type = "categorical", "int32"
            metadata: dict[str, Any] | None = {"num_categories": len(enum_values(described) or []), "ordered": False}
        elif pa.types.is_timestamp(field.type):
            pandas_type, numpy_type, metadata = "datetimetz", f"datetime64[{field.type.unit}]", {"timezone": field.type.tz}
        else:
            pandas_type = _PANDAS_LOGICAL_TYPES[str(field.type)]
            numpy_type = "object" if pandas_type in ("unicode", "date") else pandas_type
            if field.nullable:
                numpy_type = _NULLABLE_PANDAS_DTYPES.get(numpy_type, numpy_type)
            metadata = None
        columns.append({
            "name": field.name, "field_name": field.name,
            "pandas_type": pandas_type, "numpy_type": numpy_type, "metadata": metadata,
        })
    return {"index_columns": [], "column_indexes": [], "columns": columns}


def read_csv_strings(path: Path, table_schema: dict[str, Any]) -> pa.Table:
    """The CSV's cells as strings, columns in schema order, missing values as nulls."""
    names = [field["name"] for field in table_schema["fields"]]
    missing_values = table_schema.get("missingValues", [""])
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding="utf8", use_threads=False),
        # A blank line is a row (of one empty cell), so that line numbers match the file's.
        parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            include_columns=names,
            null_values=missing_values,
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    return table.select(names)


def _first_bad_row(source: pa.ChunkedArray, converted: pa.ChunkedArray) -> tuple[int | None, Any]:
    # Cells that were present but became null are the ones that failed to convert.
    bad = pc.and_(pc.is_valid(source), pc.is_null(converted))
    positions = pc.indices_nonzero(bad.combine_chunks() if isinstance(bad, pa.ChunkedArray) else bad)
    if len(positions) == 0:
        return None, None
    position = positions[0].as_py()
    return position + 2, source[position].as_py()  # header is line 1


def _convert_boolean(field: dict[str, Any], cells: pa.ChunkedArray) -> pa.ChunkedArray:
    true_values = pa.array(field.get("trueValues", DEFAULT_TRUE_VALUES))
    false_values = pa.array(field.get("falseValues", DEFAULT_FALSE_VALUES))
    is_true = pc.is_in(cells, value_set=true_values)
    is_false = pc.is_in(cells, value_set=false_values)
    known = pc.or_(is_true, is_false)
    return pc.if_else(known, is_true, pa.scalar(None, pa.bool_()))


def _convert_datetime(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    # %z accepts "+08:00", "+0800" and "Z"; a time without an offset is refused, since the
    # schema promises every datetime states its offset.
    parsed = pc.strptime(cells, format="%Y-%m-%dT%H:%M:%S%z", unit="ms", error_is_null=True)
    return parsed.cast(TIMESTAMP_TYPE)


def _convert_enum(field: dict[str, Any], cells: pa.ChunkedArray) -> pa.ChunkedArray:
    dictionary = pa.array(enum_values(field), pa.string())
    indices = pc.index_in(cells, value_set=dictionary).cast(pa.int32())
    chunks = [pa.DictionaryArray.from_arrays(chunk, dictionary) for chunk in indices.chunks]
    return pa.chunked_array(chunks, type=ENUM_TYPE)


def convert_column(field: dict[str, Any], cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """One column of string cells → the field's Arrow type; raises ConversionError on a bad cell."""
    target = arrow_type(field)
    if target == ENUM_TYPE:
        converted = _convert_enum(field, cells)
        failure = "not one of the field's enum values"
    elif field.get("type") == "boolean":
        converted = _convert_boolean(field, cells)
        failure = "not a boolean of the field's trueValues/falseValues"
    elif target == TIMESTAMP_TYPE:
        converted = _convert_datetime(cells)
        failure = "not an ISO 8601 date-time with a UTC offset"
    elif target == pa.string():
        return cells
    else:
        try:
            converted = pc.cast(cells, target, safe=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            row, value = _first_unparsable(cells, target)
            raise ConversionError(field["name"], row, value, f"not a valid {field.get('type')}") from error
        failure = f"not a valid {field.get('type')}"
    row, value = _first_bad_row(cells, converted)
    if row is not None:
        raise ConversionError(field["name"], row, value, failure)
    return converted


def _first_unparsable(cells: pa.ChunkedArray, target: pa.DataType) -> tuple[int | None, Any]:
    # Only reached after a failed vectorised cast, so a slow scan is fine here.
    for position, cell in enumerate(cells.to_pylist()):
        if cell is None:
            continue
        try:
            pa.array([cell]).cast(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return position + 2, cell
    return None, None


def to_arrow_table(strings: pa.Table, table_schema: dict[str, Any]) -> pa.Table:
    """String cells → a table with exactly `arrow_schema(table_schema)`."""
    schema = arrow_schema(table_schema)
    columns = []
    for field in table_schema["fields"]:
        column = convert_column(field, strings.column(field["name"]))
        if is_required(field, table_schema) and column.null_count:
            row, value = _first_null_row(column)
            raise ConversionError(field["name"], row, value, "a required field is empty")
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _first_null_row(column: pa.ChunkedArray) -> tuple[int | None, Any]:
    positions = pc.indices_nonzero(pc.is_null(column.combine_chunks()))
    return (positions[0].as_py() + 2, None) if len(positions) else (None, None)


def read_csv_table(path: Path, table_schema: dict[str, Any]) -> pa.Table:
    """A CSV file as a typed Arrow table with the schema's exact types."""
    return to_arrow_table(read_csv_strings(path, table_schema), table_schema)


def conform(table: pa.Table, table_schema: dict[str, Any]) -> pa.Table:
    """A table read back from Parquet → exactly `arrow_schema(table_schema)`.

    Parquet readers rebuild a dictionary from the values present; re-encoding against the
    enum gives every reader the same categories in schema order."""
    schema = arrow_schema(table_schema)
    columns = []
    for field, arrow in zip(table_schema["fields"], schema):
        column = table.column(field["name"])
        if arrow.type == ENUM_TYPE:
            column = _convert_enum(field, column.cast(pa.string()))
        elif column.type != arrow.type:
            column = column.cast(arrow.type)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)
