"""Read the tables of the partitioned layout: a resource whose rows are Parquet part files in hive folders.

A partitioned resource (README, "Beyond one machine") is declared as

    {"name": "indicators", "format": "parquet", "schema": "schemas/indicators.json",
     "path": ["data/indicators/province=90/published=2017/part-0.parquet", ...],
     "partitioning": {"style": "hive", "keys": ["province", "published"]}}

``path`` lists every part file (the Data Package form of a resource kept in several
files), so nothing is found by listing folders and a file left out of the descriptor is
not data. Each part file's folders name its partition as ``key=value``; the keys are
not columns of the file.

The files are typed: a column's Parquet type must be the one its Table Schema type reads
as (model/schema.py), so nothing is cast from text. A part file whose columns or types
do not fit is reported and its rows are left out, as a CSV file with a wrong header is.

Rows are numbered across the resource's parts in the order the descriptor lists them
(``Part.offset``), so that the checks, which name a row by one integer, can run on
several parts at once; ``locate`` turns that number back into the part file and the row
within it (counting from 1: a Parquet file has no header row).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import polars as pl

from jiutai_data.model import schema as table_schema
from jiutai_data.model import codes
from jiutai_data.model.fields import MAX_CELL_CHARACTERS
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN
from jiutai_data.model.package import DESCRIPTOR, Package, UnsafePath, resolve_inside
from jiutai_data.model.partitioning import is_partitioned, partition_keys, partition_of, parts_problems


@dataclass(frozen=True)
class Part:
    path: str        # as written in the descriptor
    file: Path       # resolved inside the package
    partition: str   # e.g. "province=90/published=2017"
    rows: int
    offset: int      # rows of the resource's parts listed before this one


@dataclass
class PartitionedTable:
    name: str
    schema: dict[str, Any]
    folder: str                      # the folder holding every part, e.g. "data/indicators"
    parts: list[Part] = field(default_factory=list)
    # True for the spooled chunks of a large CSV table (validate/spool.py): each part holds
    # ROW_COLUMN, the CSV row, so rows are not numbered by position
    rows_stored: bool = False

    @property
    def rows(self) -> int:
        return sum(part.rows for part in self.parts)

    def locate(self, row: int) -> tuple[Part, int]:
        """The part file holding row number ``row`` (as in ROW_COLUMN) and the row within it, from 1."""
        index = bisect.bisect_right([part.offset for part in self.parts], row - 1) - 1
        part = self.parts[max(index, 0)]
        return part, row - part.offset


def _common_folder(paths: list[str]) -> str:
    parents = [PurePosixPath(path).parent.parts for path in paths]
    common: list[str] = []
    for level in zip(*parents):
        if len(set(level)) != 1 or "=" in level[0]:
            break
        common.append(level[0])
    return "/".join(common) or "."


def _part_findings(table: str, relative: str, check: str, message: str) -> Finding:
    return Finding(table, None, None, check, message, path=relative)


def open_partitioned(package: Package) -> tuple[dict[str, PartitionedTable], list[Finding]]:
    """Every partitioned resource of the package with its part files, and what is wrong with them.

    A part file that is unsafe, missing, not Parquet or outside a partition folder is
    reported and left out; only its metadata is read here (the row count)."""
    import pyarrow.parquet as pq

    tables: dict[str, PartitionedTable] = {}
    findings: list[Finding] = []
    for resource in package.resources:
        entry = resource.descriptor
        if not is_partitioned(entry) or resource.usable_schema is None:
            continue
        name, keys = resource.name, partition_keys(entry)
        paths = entry["path"]
        if not keys:
            findings.append(Finding(name, None, None, codes.PARTITION,
                                    f"resource {name}: partitioning.keys must list the partition keys, "
                                    "e.g. [\"province\", \"published\"]", path=DESCRIPTOR))
            continue
        findings += [Finding(name, None, None, codes.PARTITION, f"resource {name}: {problem}", path=DESCRIPTOR)
                     for problem in parts_problems(entry)]
        table = PartitionedTable(name, resource.usable_schema, _common_folder([p for p in paths if isinstance(p, str)]))
        offset = 0
        for relative in paths:
            try:
                file = resolve_inside(package.root, relative)
            except UnsafePath as error:
                findings.append(Finding(name, None, None, codes.RESOURCE_PATH, f"resource {name}: {error}", path=DESCRIPTOR))
                continue
            partition = partition_of(relative, keys)
            if partition is None:
                findings.append(_part_findings(name, relative, codes.PARTITION,
                                               f"{relative} is not in a partition folder; expected folders "
                                               f"{'/'.join(k + '=…' for k in keys)} above each part file"))
                continue
            try:
                metadata = pq.ParquetFile(file).metadata
                rows = metadata.num_rows
                if problem := _unbounded(metadata, file.stat().st_size):
                    findings.append(_part_findings(name, relative, codes.PART_BOUNDS, f"{relative}: {problem}"))
                    continue
            except FileNotFoundError:
                findings.append(_part_findings(name, relative, codes.FILE_MISSING,
                                               f"{relative} not found; expected the part file the descriptor lists"))
                continue
            except Exception as error:  # pyarrow raises several types for a file that is not Parquet
                findings.append(_part_findings(name, relative, codes.FILE_UNREADABLE,
                                               f"{relative} cannot be read as Parquet: {error}"))
                continue
            table.parts.append(Part(relative, file, partition, rows, offset))
            offset += rows
        tables[name] = table
    return tables, findings


# What a part file may hold for its size, read from its metadata before a row is read: a small
# file that decodes to gigabytes (1,000,000 copies of one row in 70 KB; one 200 MB cell in
# 21 KB) is refused instead of exhausting memory. Every row of a table has its own ID, so a
# real part holds far fewer rows than bytes; text compresses tens of times, not hundreds; and
# no cell may exceed MAX_CELL_CHARACTERS (at most 4 UTF-8 bytes each), so a column whose pages
# hold more than that per row holds a cell validate would refuse anyway.
MAX_ROWS_PER_BYTE = 1
MAX_EXPANSION = 200  # uncompressed bytes of the pages per byte of the file
_SMALL_FILE = 64 << 10  # below this, the expansion is measured against 64 KiB (headers dominate)
MAX_CELL_BYTES = 4 * MAX_CELL_CHARACTERS
_PAGE_OVERHEAD = 64 << 10  # bytes a column chunk may hold besides its cells (headers, levels, dictionary)


def _unbounded(metadata: Any, size: int) -> str | None:
    """Why a part file with this Parquet metadata and size on disk may not be read, or None."""
    if metadata.num_rows > MAX_ROWS_PER_BYTE * max(size, 1):
        return (f"{metadata.num_rows} rows in {size} bytes is more rows than bytes; expected a part file whose "
                "rows each take at least a byte (its rows have their own IDs), so it is not read")
    uncompressed = 0
    for i in range(metadata.num_row_groups):
        group = metadata.row_group(i)
        for j in range(metadata.num_columns):
            chunk = group.column(j)
            uncompressed += chunk.total_uncompressed_size
            if chunk.total_uncompressed_size > group.num_rows * MAX_CELL_BYTES + _PAGE_OVERHEAD:
                return (f"column {chunk.path_in_schema} holds {chunk.total_uncompressed_size} bytes for "
                        f"{group.num_rows} rows, more than a cell may hold ({MAX_CELL_CHARACTERS} characters); "
                        "so it is not read")
    if uncompressed > MAX_EXPANSION * max(size, _SMALL_FILE):
        return (f"its pages decompress to {uncompressed} bytes from {size} on disk, more than {MAX_EXPANSION} "
                "times; expected a part file of ordinary compression, so it is not read")
    return None


def _expected_type(dtype: pl.DataType, actual: pl.DataType) -> bool:
    if isinstance(dtype, pl.Datetime):
        # an instant: any unit, as long as it is held with a time zone (cast to the reader's below)
        return isinstance(actual, pl.Datetime) and actual.time_zone is not None
    return actual == dtype


def _columns_findings(table: str, part: Part, actual: dict[str, pl.DataType],
                      schema: dict[str, Any]) -> list[Finding]:
    dtypes = table_schema.polars_dtypes(schema)
    types = table_schema.field_types(schema)
    findings = []
    for name, dtype in dtypes.items():
        if name not in actual:
            findings.append(Finding(table, None, name, codes.MISSING_COLUMN,
                                    f"column {name} is missing from {part.path}; expected the columns "
                                    f"{', '.join(dtypes)}. The file's rows are not checked until it is fixed",
                                    path=part.path))
        elif not _expected_type(dtype, actual[name]):
            findings.append(Finding(table, None, name, codes.TYPE,
                                    f"column {name} of {part.path} is stored as {actual[name]}; expected {dtype} "
                                    f"(Table Schema type {types[name]}). The file's rows are not checked until "
                                    "it is fixed", str(actual[name]), path=part.path))
    for name in actual:
        if name not in dtypes:
            findings.append(Finding(table, None, name, codes.EXTRA_COLUMN,
                                    f"column {name!r} of {part.path} is not in the schema; expected only "
                                    f"{', '.join(dtypes)}", name, path=part.path))
    return findings


def read_parts(table: PartitionedTable, parts: list[Part]) -> tuple[pl.DataFrame, pl.Series, list[Finding]]:
    """The typed rows of ``parts`` with ROW_COLUMN numbered across the resource, the partition
    of each row (beside the frame, so that the checks see only the schema's columns), and
    what did not read."""
    dtypes = table_schema.polars_dtypes(table.schema)
    frames: list[pl.DataFrame] = []
    read: list[Part] = []
    findings: list[Finding] = []
    for part in parts:
        try:
            actual = pl.read_parquet_schema(part.file)
        except Exception as error:
            findings.append(_part_findings(table.name, part.path, codes.FILE_UNREADABLE,
                                           f"{part.path} cannot be read as Parquet: {error}"))
            continue
        problems = _columns_findings(table.name, part, actual, table.schema)
        findings.extend(problems)
        if any(f.check != codes.EXTRA_COLUMN for f in problems):
            continue
        frame = pl.read_parquet(part.file, columns=list(dtypes))
        frames.append(frame.select(
            pl.int_range(part.offset + 1, part.offset + 1 + frame.height, dtype=pl.Int64).alias(ROW_COLUMN),
            *[pl.col(name).cast(dtype) for name, dtype in dtypes.items()]))
        read.append(part)
    if not frames:
        return pl.DataFrame(schema={ROW_COLUMN: pl.Int64, **dtypes}), pl.Series("_partition", [], pl.String), findings
    names = pl.Series("_partition", [part.partition for part in read], dtype=pl.String)
    partitions = names.gather(np.repeat(np.arange(len(read)), [frame.height for frame in frames]))
    return pl.concat(frames, rechunk=False), partitions, findings
