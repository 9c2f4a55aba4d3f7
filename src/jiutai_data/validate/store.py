"""Where the engine holds the rows of the large tables (those with a ``source_id``) while it checks them.

A store reads the large tables once and then gives the engine (validate/engine.py) two views
of them, which are all the checks need whatever the package's size or layout:

- **batches**: frames holding every row of some sources, checked by validate/batch.py;
- **rows**: each table as SQL over every row (``Rows``), for the queries of validate/whole.py.

Three stores, chosen by the layout and the size of the package, never by the checks:

- ``held``: a CSV package whose large tables fit in memory (up to HOLD_BELOW bytes), read
  whole: one batch, and polars' SQL engine runs the whole-store queries on the frames in
  place (validate/whole.py, ``InMemorySQL``). The publishing verbs ask for this
  store, since they publish the frames that were checked;
- ``spooled``: a larger CSV package, read a chunk at a time into buckets of sources on disk
  (validate/spool.py): one batch per bucket;
- ``parts``: the partitioned layout, batches of partition folders (validate/parts.py).

The engine chooses one (``engine.open_store``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

import polars as pl

from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import TWIN_SUFFIX, Package, Resource
from jiutai_data.read import chunks as chunked
from jiutai_data.read.partitioned import PartitionedTable
from jiutai_data.read.tables import read_table
from jiutai_data.validate import spool as spooling
from jiutai_data.validate.batch import SOURCES
from jiutai_data.validate.guard import timed
from jiutai_data.validate.whole import Rows, consistency_columns, quoted

# The CSV bytes of the large tables up to which they are read whole: the checks of one batch
# take about four times its bytes, so above this the rows are spooled to disk in buckets.
HOLD_BELOW = 128 << 20
_registered = itertools.count()


@dataclass
class Batch:
    tables: dict[str, pl.DataFrame]  # the batch's rows of each large table
    sources: set[str]  # the ids of the sources the batch owns (the engine adds those its rows cite)
    findings: list[Finding] = field(default_factory=list)  # what reading the batch found


@dataclass
class FrameRows:
    """A large table held in memory, as SQL over the frame itself (registered, not copied)."""

    name: str
    schema: dict[str, Any]
    frame: pl.DataFrame

    @property
    def rows(self) -> int:
        return self.frame.height

    def sql(self, connection: Any, columns: list[str], select: str = "") -> str:
        view = f"held_{next(_registered)}"
        connection.register(view, self.frame.select(ROW_COLUMN, *columns))
        wanted = ", ".join(f"t.{quoted(c)}" for c in columns)
        return f"SELECT t.{ROW_COLUMN} AS {ROW_COLUMN}, {wanted}{select} FROM {view} t"


@dataclass
class FileRows:
    """A large table kept in Parquet files (spooled chunks, or the part files of the partitioned layout)."""

    table: PartitionedTable

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def schema(self) -> dict[str, Any]:
        return self.table.schema

    @property
    def rows(self) -> int:
        return self.table.rows

    def sql(self, connection: Any, columns: list[str], select: str = "") -> str:
        """Every row with ROW_COLUMN as stored (spooled chunks) or numbered as read_parts numbers it."""
        table = self.table
        wanted = ", ".join(f"t.{quoted(c)}" for c in columns)
        files = "[" + ", ".join("'" + str(part.file).replace("'", "''") + "'" for part in table.parts) + "]"
        if table.rows_stored:
            return f"SELECT t.{ROW_COLUMN} AS {ROW_COLUMN}, {wanted}{select} FROM read_parquet({files}) t"
        offsets = f"offsets_{next(_registered)}"
        connection.register(offsets, pl.DataFrame({
            "filename": [str(part.file) for part in table.parts],
            "row_offset": [part.offset for part in table.parts]}, schema={"filename": pl.String, "row_offset": pl.Int64}))
        return (f"SELECT p.row_offset + t.file_row_number + 1 AS {ROW_COLUMN}, {wanted}{select} "
                f"FROM read_parquet({files}, filename = true, file_row_number = true) t "
                f"JOIN {offsets} p ON p.filename = t.filename")


class Store:
    """The large tables of a package, read once (see the module doc). The base holds what every
    store gives; a store for a layout overrides ``batches`` and, where it must, the rest."""

    memory_limit = "1GB"  # DuckDB's, for the queries over the whole store (it spills beyond it)
    holds = False  # True: one batch holds every table, whose frames the engine returns to publish

    def __init__(self, package: Package) -> None:
        assert package.descriptor is not None
        self.package = package
        self.view: dict[str, Any] = package.descriptor  # the descriptor as the checks see it
        self.tables: dict[str, Rows] = {}  # the large tables that could be read
        self.skip: dict[str, pl.DataFrame] = {}  # table -> the cells its reader found failing to cast
        self.findings: list[Finding] = []  # what reading found
        self.hashes: dict[str, str] = {}  # path -> SHA-256 of the bytes read
        self.paths: dict[str, str] = {}  # table -> the path its findings name
        self.counts: dict[str, Any] = {}  # added to the report's stats
        self.reads: set[str] = set()  # the CSV resources the store reads (the engine reads the others)
        self.text: dict[str, pl.DataFrame] = {}  # table -> cells as written (a held store asked to keep them)

    def batches(self, small: dict[str, pl.DataFrame]) -> Iterator[Batch]:
        raise NotImplementedError

    def by_figure(self, table: str) -> Iterable[pl.DataFrame]:
        """The rows of ``table`` the checks across sources read, in buckets of (indicator, region_id):
        each bucket holds every statement of the figures it holds."""
        raise NotImplementedError

    def keeps(self, finding: Finding) -> bool:
        return True

    def place(self, finding: Finding) -> Finding:
        """The finding naming the file and row a reader would look at."""
        return finding


def _all_sources(small: dict[str, pl.DataFrame]) -> set[str]:
    sources = small.get(SOURCES)
    if sources is None or "id" not in sources.columns:
        return set()
    return set(sources.get_column("id").drop_nulls().cast(pl.String).to_list())


class HeldStore(Store):
    """A CSV package whose large tables are read whole: one batch."""

    holds = True

    def __init__(self, package: Package, large: list[Resource], schemas: dict[str, Any], keep_text: bool) -> None:
        super().__init__(package)
        self.frames: dict[str, pl.DataFrame] = {}
        self.reads = {r.name for r in large}
        for resource in large:
            result = read_table(resource, keep_text)
            self.findings += result.findings
            if result.sha256 is not None and resource.path is not None:
                self.hashes[resource.path] = result.sha256
            if result.frame is None:
                continue
            self.frames[resource.name] = result.frame
            self.skip[resource.name] = result.cast_failures
            self.paths[resource.name] = resource.path or resource.name
            self.tables[resource.name] = FrameRows(resource.name, schemas[resource.name], result.frame)
            if result.text is not None:
                self.text[resource.name] = result.text
        self.findings += _twin_findings(package, schemas, self.frames)
        self.counts["batches"] = 1

    def batches(self, small: dict[str, pl.DataFrame]) -> Iterator[Batch]:
        yield Batch(self.frames, _all_sources(small))

    def by_figure(self, table: str) -> Iterable[pl.DataFrame]:
        rows = self.frames[table]
        return [rows.select(ROW_COLUMN, *consistency_columns(self.tables[table].schema))]


def _twin_findings(package: Package, schemas: dict[str, Any], tables: dict[str, pl.DataFrame]) -> list[Finding]:
    """The comparison of each large table with its Parquet twin, whole (the check of scope FILES
    compares the small tables' twins: only the large tables' are kept here)."""
    from jiutai_data.validate.checks.twins import check_parquet_twins_match_csv

    frames = PackageFrames(root=package.root, descriptor=package.descriptor or {}, schemas=schemas, tables=tables)
    twins = {table + TWIN_SUFFIX for table in tables}
    return [f for f in check_parquet_twins_match_csv(frames) if f.table in twins]


class SpooledStore(Store):
    """A CSV package too large to read whole: chunks spooled to disk in buckets of sources (validate/spool.py)."""

    memory_limit = spooling.DUCKDB_MEMORY_LIMIT

    def __init__(self, package: Package, large: list[Resource], schemas: dict[str, Any], spill: Path,
                 steps: dict[str, float]) -> None:
        super().__init__(package)
        self.schemas = schemas
        self.reads = {r.name for r in large}
        buckets = max(1, math.ceil(spooling.large_bytes(package) / spooling.BUCKET_BYTES))
        self.spool = spooling.Spool(spill / "spool", buckets)
        self.spool.folder.mkdir()
        with timed(steps, "read in chunks, spooled to buckets"):
            for resource in large:
                found, failures, sha256, twin_differs = spooling.spool_table(
                    package, resource, self.spool, chunked.CHUNK_BYTES)
                self.findings += found
                if sha256 is not None and resource.path is not None:
                    self.hashes[resource.path] = sha256
                if failures is None:
                    continue
                self.skip[resource.name] = failures
                self.paths[resource.name] = resource.path or resource.name
                self.tables[resource.name] = FileRows(self.spool.as_parts(resource.name, resource))
                if twin_differs:
                    self.findings += spooling.whole_twin_findings(package, resource, schemas)
        self.counts["batches"] = self.counts["buckets"] = buckets

    def batches(self, small: dict[str, pl.DataFrame]) -> Iterator[Batch]:
        sources = small.get(SOURCES)
        owners: dict[int, set[str]] = {}
        if sources is not None and "id" in sources.columns:
            ids = sources.select(pl.col("id").cast(pl.String), spooling.bucket_of(
                pl.col("id").cast(pl.String), self.spool.buckets).alias(spooling.BUCKET)).drop_nulls("id")
            for source_id, bucket in ids.iter_rows():
                owners.setdefault(bucket, set()).add(source_id)
        for bucket in range(self.spool.buckets):
            rows = {name: self.spool.read(name, bucket, self.schemas[name]) for name in self.tables}
            yield Batch(rows, owners.get(bucket, set()))

    def by_figure(self, table: str) -> Iterable[pl.DataFrame]:
        return self.spool.by_figure(table)
