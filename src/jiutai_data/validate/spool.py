"""The spool of a CSV package too large to hold whole: its large tables read a chunk of rows at a
time (read/chunks.py) into temporary Parquet files, one per bucket of sources.

A bucket is a hash of ``source_id``, so every row of one source, of every table, lands in one
bucket: the engine checks a bucket as a batch (validate/batch.py), against the texts of the
bucket's sources only. The few columns the checks across sources read are also written by a
hash of (indicator, region_id), so that no second pass over the rows is needed for them
(validate/whole.py). Each chunk is compared with the same rows of the table's Parquet twin as
it is read. The files live in a private temporary folder, removed when the run ends.

Where something is wrong in a way the chunks cannot report exactly as a whole read does, that
one thing is done whole: a file that does not read chunk by chunk (read/chunks.py says when)
is read whole, and a Parquet twin that differs from its CSV is compared whole. Both are files a
contributor must fix anyway. In memory at once: one chunk, or one bucket.
"""

from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path
from typing import Any

import polars as pl

from jiutai_data.model import schema as table_schema
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import FAILED_COLUMN, ROW_COLUMN, PackageFrames
from jiutai_data.model.package import TWIN_SUFFIX, Package, Resource
from jiutai_data.read.chunks import Chunks, WholeFileNeeded
from jiutai_data.read.partitioned import Part, PartitionedTable
from jiutai_data.read.tables import read_table

# CSV bytes of the large tables per bucket: a bucket's checks take about four times its
# bytes, so a bucket of this size keeps the run near the memory of one chunk.
BUCKET_BYTES = 32 << 20
# DuckDB's own limit for the global queries (it spills to disk beyond it): kept small, since
# the point of spooling is a peak near the size of one chunk, not of the package.
DUCKDB_MEMORY_LIMIT = "128MB"
SOURCE_ID = "source_id"
BUCKET = "_bucket"
_BY_FIGURE = "by figure: "  # the spool's name for a table's rows bucketed by (indicator, region_id)
_HASH_SEED = 20261201  # any fixed seed: rows and sources must hash alike within one run


def large_resources(package: Package) -> list[Resource]:
    """The tables whose rows belong to a source (they have a source_id): those held in chunks."""
    return [r for r in package.resources
            if r.is_table and not r.is_twin and r.usable_schema is not None and r.file is not None
            and SOURCE_ID in table_schema.field_names(r.usable_schema)]


def _size(file: Path) -> int:
    try:
        status = os.lstat(file)
    except OSError:
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0


def large_bytes(package: Package) -> int:
    return sum(_size(r.file) for r in large_resources(package) if r.file is not None)


def bucket_of(column: pl.Expr, buckets: int) -> pl.Expr:
    return (column.hash(seed=_HASH_SEED) % buckets).cast(pl.Int64)


# --- chunks into buckets ------------------------------------------------------------------

class Spool:
    """Typed rows written to temporary Parquet files by table and bucket."""

    def __init__(self, folder: Path, buckets: int) -> None:
        self.folder, self.buckets = folder, buckets
        self.files: dict[str, dict[int, list[Path]]] = {}
        self.rows: dict[str, int] = {}
        self._file_rows: dict[Path, int] = {}
        self._written = 0

    def _write(self, name: str, bucketed: pl.DataFrame) -> None:
        """The rows of ``bucketed`` (with a BUCKET column) added to the spool ``name``: one file a bucket."""
        files = self.files.setdefault(name, {})
        for (bucket,), rows in bucketed.partition_by(BUCKET, as_dict=True, include_key=False).items():
            self._written += 1
            path = self.folder / f"{self._written}.parquet"
            # lz4: the files live for one run, so writing fast matters more than their size
            rows.write_parquet(path, compression="lz4", statistics=False)
            self._file_rows[path] = rows.height
            files.setdefault(int(bucket), []).append(path)

    @staticmethod
    def _concat(paths: list[Path]) -> pl.DataFrame:
        return pl.concat([pl.read_parquet(path) for path in paths], rechunk=False)

    def add(self, table: str, frame: pl.DataFrame) -> None:
        self.rows[table] = self.rows.get(table, 0) + frame.height
        self._write(table, frame.with_columns(bucket_of(pl.col(SOURCE_ID), self.buckets).alias(BUCKET)))

    def add_by_figure(self, table: str, frame: pl.DataFrame, columns: list[str]) -> None:
        """``columns`` of the rows, in buckets of (indicator, region_id): the consistency checks'
        view, written beside the buckets of sources so that no second pass over the rows is needed."""
        self._write(_BY_FIGURE + table, frame.select(ROW_COLUMN, *columns).with_columns(
            (pl.struct("indicator", "region_id").hash(seed=_HASH_SEED) % self.buckets).cast(pl.Int64).alias(BUCKET)))

    def by_figure(self, table: str):
        """Each bucket of (indicator, region_id) of the table, as one frame."""
        for paths in self.files.get(_BY_FIGURE + table, {}).values():
            yield self._concat(paths)

    def drop(self, table: str) -> None:
        for name in (table, _BY_FIGURE + table):
            for paths in self.files.pop(name, {}).values():
                for path in paths:
                    path.unlink(missing_ok=True)
        self.rows.pop(table, None)

    def read(self, table: str, bucket: int, schema: dict[str, Any]) -> pl.DataFrame:
        dtypes = table_schema.polars_dtypes(schema)
        paths = self.files.get(table, {}).get(bucket, [])
        if not paths:
            return pl.DataFrame(schema={ROW_COLUMN: pl.Int64, **dtypes})
        return self._concat(paths).select(pl.col(ROW_COLUMN).cast(pl.Int64), *[pl.col(n).cast(d) for n, d in dtypes.items()])

    def as_parts(self, table: str, resource: Resource) -> PartitionedTable:
        """The table's spooled files as the partitioned layout's global queries read them."""
        parts = [Part(resource.path or table, path, "", self._file_rows[path], 0)
                 for paths in self.files.get(table, {}).values() for path in paths]
        return PartitionedTable(table, resource.usable_schema or {}, resource.path or table, parts, rows_stored=True)


class _TwinRows:
    """The rows of a table's Parquet twin, taken in file order as the CSV's chunks come."""

    def __init__(self, file: Path) -> None:
        import pyarrow.parquet as pq

        self._batches = pq.ParquetFile(file).iter_batches(batch_size=65_536)
        self._left = None

    def take(self, count: int):
        import pyarrow as pa

        pieces, have = [], 0
        if self._left is not None:
            pieces, have, self._left = [self._left], self._left.num_rows, None
        while have < count:
            batch = next(self._batches, None)
            if batch is None:
                break
            pieces.append(pa.Table.from_batches([batch]))
            have += batch.num_rows
        taken = pa.concat_tables(pieces) if pieces else None
        if taken is not None and taken.num_rows > count:
            self._left, taken = taken.slice(count), taken.slice(0, count)
        return taken

    def exhausted(self) -> bool:
        return self.take(1) is None


def _twin_of(package: Package, table: str) -> tuple[Resource | None, Path | None]:
    twin = next((r for r in package.resources if r.name == table + TWIN_SUFFIX and r.is_twin), None)
    if twin is None or twin.file is None or _size(twin.file) == 0:
        return twin, None
    return twin, twin.file


def spool_table(package: Package, resource: Resource, spool: Spool, chunk_bytes: int
                 ) -> tuple[list[Finding], pl.DataFrame | None, str | None, bool]:
    """Read ``resource`` into the spool: its findings, its cast failures (None if the table
    could not be read), the SHA-256 of its file, and whether its twin differs."""
    from jiutai_data.validate.checks.twins import compare_twin

    schema = resource.usable_schema
    twin, twin_file = _twin_of(package, resource.name)
    consistency = importlib.import_module("jiutai_data.validate.checks.consistency")
    fields = table_schema.field_names(schema)
    by_figure = ([c for c in consistency.COLUMNS if c in fields]
                 if resource.name == consistency.TABLE and {"indicator", "region_id"} <= set(fields) else [])
    findings: list[Finding] = []
    failures: list[pl.DataFrame] = []
    twin_differs = False
    chunks = Chunks(resource, chunk_bytes)
    try:
        twin_rows = _TwinRows(twin_file) if twin_file is not None else None
    except Exception:  # unreadable: the whole comparison reports it as a whole read does
        twin_rows, twin_differs = None, True
    try:
        for read in chunks:
            findings += read.findings
            if read.frame is None:
                return findings, None, chunks.sha256, False
            failures.append(read.cast_failures)
            if twin_rows is not None and not twin_differs:
                try:
                    taken = twin_rows.take(read.frame.height)
                    twin_differs = taken is None and read.frame.height > 0 or taken is not None and bool(
                        compare_twin(twin.name, twin.path, read.frame, taken, schema))
                except Exception:  # a twin that breaks part-way: the whole comparison reports it
                    twin_differs = True
            spool.add(resource.name, read.frame)
            if by_figure:
                spool.add_by_figure(resource.name, read.frame, by_figure)
        sha256 = chunks.sha256
    except WholeFileNeeded:
        spool.drop(resource.name)
        whole = read_table(resource)
        findings, sha256 = whole.findings, whole.sha256
        if whole.frame is None:
            return findings, None, sha256, False
        spool.add(resource.name, whole.frame)
        if by_figure:
            spool.add_by_figure(resource.name, whole.frame, by_figure)
        failures = [whole.cast_failures]
        twin_differs = twin_file is not None  # compared whole below, as for a package held in memory
        return findings, _concat_failures(failures), sha256, twin_differs
    if twin_rows is not None and not twin_differs:
        try:
            twin_differs = not twin_rows.exhausted()
        except Exception:
            twin_differs = True
    return findings, _concat_failures(failures), sha256, twin_differs


def _concat_failures(failures: list[pl.DataFrame | None]) -> pl.DataFrame:
    present = [f for f in failures if f is not None and f.height]
    return pl.concat(present) if present else pl.DataFrame(schema={ROW_COLUMN: pl.Int64, FAILED_COLUMN: pl.String})


def whole_twin_findings(package: Package, resource: Resource, schemas: dict[str, Any]) -> list[Finding]:
    """The twin comparison of a package held in memory, for a twin that differs from its CSV."""
    from jiutai_data.validate.checks.twins import check_parquet_twins_match_csv

    whole = read_table(resource)
    if whole.frame is None:
        return []
    frames = PackageFrames(root=package.root, descriptor=package.descriptor, schemas=schemas,
                           tables={resource.name: whole.frame})
    twin = resource.name + TWIN_SUFFIX
    return [f for f in check_parquet_twins_match_csv(frames) if f.table == twin]
