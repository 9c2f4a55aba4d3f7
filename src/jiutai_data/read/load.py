"""What `jiutai_data.load("indicators")` calls: a table from its Parquet twin, with the
schema's types.

Works in a clone (the repository's package) and from an installed wheel (the copy bundled
in `jiutai_data/package/`). Enum columns come back with every value of the enum as a
category, in schema order, whichever values the table happens to use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from jiutai_data.model.errors import MissingTwin
from jiutai_data.model.extras import require
from jiutai_data.model.fields import ENUM_TYPE
from jiutai_data.model.package import Table, open_package
from jiutai_data.model.paths import bundled_package_dir
from jiutai_data.model.schema import Schema
from jiutai_data.read.arrow import conform

Engine = Literal["pandas", "polars", "arrow"]
ENGINES = ("pandas", "polars", "arrow")


def _described(table: str, package_dir: Path | None) -> Table:
    root = Path(package_dir) if package_dir is not None else bundled_package_dir()
    return open_package(root).require().table(table)


def _read(described: Table) -> pa.Table:
    if described.parquet_path is None or not described.parquet_path.is_file():
        raise MissingTwin(
            f"{described.name}: no Parquet twin at {described.parquet_path}; run `jiutai-data build` first"
        )
    # ParquetFile.read, not pq.read_table: the latter imports pandas (about 0.2 s and, in a light
    # install, a package that is not there) even when no pandas frame is asked for.
    return conform(pq.ParquetFile(described.parquet_path).read(), described.schema)


def table_names(package_dir: Path | None = None) -> list[str]:
    """The names of the package's tables, in the descriptor's order."""
    root = Path(package_dir) if package_dir is not None else bundled_package_dir()
    return [table.name for table in open_package(root).require().tables]


def describe(table: str, package_dir: Path | None = None) -> dict[str, Any]:
    """What a table is, from its descriptor and Table Schema: title, description, rows (from the
    twin's metadata, without reading a row), primary key and each column's type, description,
    whether it is required, and its allowed values."""
    described = _described(table, package_dir)
    rows = None
    if described.parquet_path is not None and described.parquet_path.is_file():
        rows = pq.ParquetFile(described.parquet_path).metadata.num_rows
    schema = Schema.of(described.schema)
    return {
        "name": described.name,
        "title": described.title,
        "description": described.description,
        "rows": rows,
        "primary_key": list(schema.primary_key),
        "columns": [{"name": field.name, "type": field.type, "description": field.description,
                     "required": field.required, "values": field.enum or None}
                    for field in schema.fields],
    }


def load_arrow(table: str, package_dir: Path | None = None) -> pa.Table:
    return _read(_described(table, package_dir))


def _to_pandas(data: pa.Table) -> Any:
    pd = require("pandas")

    # Arrow-backed columns keep the exact types (nullable floats, date32, timestamps with
    # their offset); enums become pandas categoricals with the enum as categories. A date is
    # thus the dtype `pd.read_parquet` of the twin and the recipe give it (Field.pandas_temporal, model/schema.py).
    def mapper(arrow_type: pa.DataType) -> Any:
        return None if pa.types.is_dictionary(arrow_type) else pd.ArrowDtype(arrow_type)

    return data.to_pandas(types_mapper=mapper)


def _to_polars(data: pa.Table, schema: dict[str, Any]) -> Any:
    pl = require("polars")

    frame = pl.from_arrow(data)
    enums = {
        field.name: pl.Enum(field.enum)
        for field, arrow in zip(Schema.of(schema).fields, data.schema)
        if arrow.type == ENUM_TYPE
    }
    return frame.with_columns(pl.col(name).cast(pl.String).cast(dtype) for name, dtype in enums.items())


def load(table: str, engine: Engine = "pandas", package_dir: Path | None = None) -> Any:
    """The table `table` as a pandas DataFrame (default), a polars DataFrame or an Arrow Table.

    `package_dir` defaults to this repository's package (or the one bundled in the wheel).
    Each engine imports only its own library; a missing one raises MissingExtra (a
    ModuleNotFoundError) naming the extra to install: `jiutai-data[pandas]`, `jiutai-data[polars]`."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    described = _described(table, package_dir)
    data = _read(described)
    if engine == "arrow":
        return data
    if engine == "polars":
        return _to_polars(data, described.schema)
    return _to_pandas(data)
