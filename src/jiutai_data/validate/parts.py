"""The store of the partitioned layout: the large tables' Parquet part files, in batches of partitions.

Partitions (hive folders, one per source province and publication year) are taken in order
and grouped until a batch holds BATCH_ROWS rows. A row must lie in its source's partition
(code ``partition``), which is what makes a source's rows and its text meet in one batch.

A row is named by its part file and its position in it (from 1) instead of a CSV line: the
checks number rows across a resource's parts (read/partitioned.py), and ``place`` turns the
numbers back into file and row at the end, also where a message cites another row.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Iterator

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN
from jiutai_data.model.package import Package
from jiutai_data.model.partitioning import is_partitioned, partition_keys, partition_of
from jiutai_data.read.partitioned import PartitionedTable, open_partitioned, read_parts
from jiutai_data.validate.batch import SOURCES
from jiutai_data.validate.checks.files import UNDECLARED_FILE_CHECK
from jiutai_data.validate.spool import Spool
from jiutai_data.validate.store import Batch, FileRows, Store
from jiutai_data.validate.whole import consistency_columns

# Rows of the large tables checked at once: the checks of a million rows peak near 1 GB, so a
# batch of this size stays well inside 2 GiB whatever the package's size.
BATCH_ROWS = 500_000
# Rows per bucket of the checks across sources (eleven short columns each): at 2,000,000 the
# checks of one bucket set the peak of a 10M-row run (2.4 GiB); at 1,000,000 it was 1.5 GiB.
BUCKET_ROWS = 1_000_000
_ROW_REFERENCE = re.compile(r"\brow (\d+)\b")


def is_partitioned_package(package: Package) -> bool:
    return any(is_partitioned(resource.descriptor) for resource in package.resources)


def _view(descriptor: dict[str, Any], tables: dict[str, PartitionedTable]) -> dict[str, Any]:
    """The descriptor as the checks see it: a partitioned resource's path is its folder
    (e.g. data/indicators), so that findings name the table's files until they are
    placed in a part file, and no check takes the list of parts for one file."""
    resources = []
    for entry in descriptor.get("resources") or []:
        if isinstance(entry, dict) and entry.get("name") in tables:
            entry = {k: v for k, v in entry.items() if k not in ("bytes", "hash")}
            entry["path"] = tables[entry["name"]].folder
        resources.append(entry)
    return {**descriptor, "resources": resources}


def _source_partitions(sources: pl.DataFrame | None, keys: list[str]) -> pl.DataFrame:
    """source id -> the partition of its text (null when its path is not in a partition folder)."""
    if sources is None or not {"id", "path"} <= set(sources.columns):
        return pl.DataFrame(schema={"source_id": pl.String, "_source_partition": pl.String})
    return sources.select(
        pl.col("id").alias("source_id"),
        pl.col("path").map_elements(lambda path: partition_of(path, keys), return_dtype=pl.String)
        .alias("_source_partition"),
    ).filter(pl.col("source_id").is_not_null()).unique("source_id", keep="first", maintain_order=True)


def _misplaced(table: str, frame: pl.DataFrame, partitions: pl.Series, owners: pl.DataFrame) -> list[Finding]:
    """Rows that are not in the partition of their source (whose text is there)."""
    if "source_id" not in frame.columns or frame.height == 0:
        return []
    wrong = (frame.select(ROW_COLUMN, "source_id").with_columns(partitions.alias("_partition"))
             .join(owners, on="source_id", how="inner")
             .filter(pl.col("_source_partition").is_not_null() & (pl.col("_partition") != pl.col("_source_partition"))))
    return [Finding(table, row, "source_id", codes.PARTITION,
                    f"the row is in partition {here} but the text of its source {source_id} is in {there}; "
                    "expected every row in its source's partition, beside its text (move the row there)",
                    source_id)
            for row, source_id, here, there in wrong.sort(ROW_COLUMN).iter_rows()]


def _batches(tables: dict[str, PartitionedTable], source_partitions: list[str]) -> list[list[str]]:
    rows: dict[str, int] = {partition: 0 for partition in source_partitions}
    for table in tables.values():
        for part in table.parts:
            rows[part.partition] = rows.get(part.partition, 0) + part.rows
    batches: list[list[str]] = []
    size = BATCH_ROWS
    for partition in sorted(rows):
        if not batches or size + rows[partition] > BATCH_ROWS and size > 0:
            batches.append([])
            size = 0
        batches[-1].append(partition)
        size += rows[partition]
    return batches or [[]]


class PartsStore(Store):
    def __init__(self, package: Package, schemas: dict[str, Any], spill: Path) -> None:
        super().__init__(package)
        self.parts, self.findings = open_partitioned(package)
        # The columns the checks across sources read, written into buckets of (indicator, region_id)
        # as the batches are read: cheaper than a second pass of DuckDB over every part file.
        self.across = {name: columns for name, table in self.parts.items()
                       if (columns := consistency_columns(table.schema))}
        rows = max((self.parts[name].rows for name in self.across), default=0)
        self.figures = Spool(spill / "by-figure", max(1, math.ceil(rows / BUCKET_ROWS)))
        self.figures.folder.mkdir()
        self.view = _view(self.view, self.parts)
        self.tables = {name: FileRows(table) for name, table in self.parts.items()}
        self.paths = {name: table.folder for name, table in self.parts.items()}
        # The part files are declared in their resource's path list, which the check of undeclared
        # files (checks/files.py, written for one file per resource) does not read.
        self.listed = {path for r in package.resources if r.name in self.parts for path in r.descriptor.get("path") or []}
        self.counts["partitions"] = len({part.partition for table in self.parts.values() for part in table.parts})

    def batches(self, small: dict[str, pl.DataFrame]) -> Iterator[Batch]:
        entry = next((r.descriptor for r in self.package.resources if r.name in self.parts), None)
        owners = _source_partitions(small.get(SOURCES), partition_keys(entry) if entry else [])
        source_partitions = [p for p in owners.get_column("_source_partition").unique().to_list() if p is not None]
        batches = _batches(self.parts, source_partitions)
        self.counts["batches"] = len(batches)
        for number, batch in enumerate(batches):
            yield self._batch(batch, owners, owned_unpartitioned=number == 0)

    def _batch(self, batch: list[str], owners: pl.DataFrame, owned_unpartitioned: bool) -> Batch:
        wanted = set(batch)
        found: list[Finding] = []
        large: dict[str, pl.DataFrame] = {}
        for name, table in self.parts.items():
            frame, partitions, read_findings = read_parts(table, [p for p in table.parts if p.partition in wanted])
            found += read_findings + _misplaced(name, frame, partitions, owners)
            large[name] = frame
            if name in self.across:
                self.figures.add_by_figure(name, frame, self.across[name])
        owned = owners.filter(pl.col("_source_partition").is_in(batch)
                              | (pl.col("_source_partition").is_null() & pl.lit(owned_unpartitioned)))
        return Batch(large, set(owned.get_column("source_id").to_list()), found)

    def by_figure(self, table: str) -> Iterable[pl.DataFrame]:
        return self.figures.by_figure(table)

    def keeps(self, finding: Finding) -> bool:
        return not (finding.check == UNDECLARED_FILE_CHECK and finding.path in self.listed)

    def place(self, finding: Finding) -> Finding:
        """A finding about a row of a partitioned table, naming its part file and its row in it."""
        table = self.parts.get(finding.table or "")
        if table is None or not table.parts:
            return finding

        def local(match: re.Match[str]) -> str:
            part, row = table.locate(int(match.group(1)))
            return f"row {row} of {part.path}"

        message = _ROW_REFERENCE.sub(local, finding.message)
        if finding.row is None:
            return replace(finding, message=message)
        part, row = table.locate(finding.row)
        return replace(finding, row=row, message=message, path=part.path)

