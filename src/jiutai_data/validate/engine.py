"""The one run of every check, for every package: one contribution or ten million rows, CSV or partitioned.

1. **Read.** The small tables (those without a ``source_id``) are read whole. The large tables
   go into a store (validate/store.py) chosen by the layout and the size: held in memory,
   spooled to disk in buckets of sources, or left in their Parquet part files.
2. **The small tables and the files**: every check on them alone (``batch.check_small``).
3. **Batches.** Each batch of the store holds every row of some sources and is checked with
   every check of scope ROW and SOURCE (``batch.check_rows``), against its sources' texts.
4. **The whole store**: primary keys and unique fields, the checks of scope TABLE and PACKAGE,
   and the acknowledgements, as DuckDB queries over every row (validate/whole.py).

The checks are planned by the scope each declares (checks/declare.py), never by name. What the
size changes is only how the rows are held (one batch in memory, or many from disk) and how
DuckDB executes its queries (in memory, or spilling under its limit); the same code runs.
Validation only reads the package: the store's files live in a private temporary folder,
removed when the run ends, and no network connection is opened.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable

import polars as pl

from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import Package
from jiutai_data.read.tables import read_table
from jiutai_data.validate import spool as spooling
from jiutai_data.validate.batch import SOURCES, check_rows, check_small, once_each
from jiutai_data.validate.guard import acknowledged, guarded, timed
from jiutai_data.validate.parts import PartsStore, is_partitioned_package
from jiutai_data.validate.store import HOLD_BELOW, Batch, HeldStore, SpooledStore, Store
from jiutai_data.validate.whole import (InMemorySQL, acknowledge, across_sources_findings, connect_duckdb,
                                        consistency_columns, every_row_findings, repeat_findings)


# A batch's findings, the ids of the texts it read, and its frames when the store holds every
# table in one batch (to publish); nothing more, since an executor may ship it between processes.
BatchChecked = tuple[list[Finding], set[str], PackageFrames | None]
# How the batches are checked: ``map`` here, one after another; Spark's executors in
# scripts/bench_spark.py, which hand the same function to ``parallelize(...).map``.
Executor = Callable[[Callable[[Batch], BatchChecked], Iterable[Batch]], Iterable[BatchChecked]]


def run(package: Package, findings: list[Finding], stats: dict[str, Any], keep_text: bool = False,
        hold_below: int | None = HOLD_BELOW, read: Callable[[], None] | None = None,
        executor: Executor = map) -> PackageFrames | None:
    """Every check of the package; adds to ``findings`` and ``stats``. Returns every table's frames
    when the store held them in memory (``hold_below`` None holds them whatever their size).
    ``read`` is called once the tables are read, before the first check; ``executor`` runs the
    checks of each batch (see Executor)."""
    assert package.descriptor is not None
    steps: dict[str, float] = stats.setdefault("seconds_by_step", {})
    found: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="jiutai-data-validate-") as folder:
        spill = Path(folder)
        schemas = {r.name: r.usable_schema for r in package.resources if r.usable_schema is not None and not r.is_twin}
        store = open_store(package, schemas, spill, steps, keep_text, hold_below)
        found += store.findings
        small, failures, text, hashes = _read_small(package, store, keep_text, found, steps)
        if read is not None:
            read()
        across = [name for name in store.tables if consistency_columns(schemas[name])]
        small_frames = PackageFrames(root=package.root, descriptor=store.view, schemas=schemas, tables=dict(small),
                                     file_sha256={**hashes, **store.hashes})
        with timed(steps, "the small tables and the files, every check"):
            found += check_small(small_frames, failures, across_sources=not across, seconds=steps)
        texts: set[str] = set()  # the ids of the texts read (the texts themselves go with their batch)
        checked: PackageFrames | None = None  # a held store's one batch: every table, to publish

        # what each batch's check needs, bound here so that the function shipped to an executor
        # carries these and not the store (which, held, would carry every table with it)
        view, paths, skip, holds = store.view, store.paths, store.skip, store.holds

        def check(batch: Batch) -> BatchChecked:
            batch_found, frames = check_rows(package, view, small, schemas, batch.tables, paths, batch.sources, skip,
                                             steps)
            return batch.findings + batch_found, set(frames.texts), frames if holds else None

        for batch_found, read_texts, checked in executor(check, store.batches(small)):
            found += batch_found
            texts |= read_texts
        found = _over_the_whole_store(package, store, small, schemas, found, across, spill, steps)
    findings.extend(store.place(f) for f in found)
    stats["tables"] = len(small) + len(store.tables)
    stats["rows"] = {**{name: frame.height for name, frame in small.items()},
                     **{name: table.rows for name, table in store.tables.items()}}
    stats["sources"] = len(texts)
    stats.update(store.counts)
    if checked is None:
        return None
    checked.tables[SOURCES] = small[SOURCES] if SOURCES in small else checked.tables.get(SOURCES)
    checked.lookups = frozenset()  # published whole
    checked.text = {**text, **store.text}
    checked.file_sha256 = {**hashes, **store.hashes, **checked.file_sha256}
    return checked


def open_store(package: Package, schemas: dict[str, Any], spill: Path, steps: dict[str, float],
               keep_text: bool = False, hold_below: int | None = HOLD_BELOW) -> Store:
    """The store for the package's layout and size (``hold_below`` None: read whole whatever the size)."""
    if is_partitioned_package(package):
        return PartsStore(package, schemas, spill)
    large = spooling.large_resources(package)
    if hold_below is None or spooling.large_bytes(package) <= hold_below:
        with timed(steps, "read the CSV files"):
            return HeldStore(package, large, schemas, keep_text)
    return SpooledStore(package, large, schemas, spill, steps)


def _read_small(package: Package, store: Store, keep_text: bool, found: list[Finding], steps: dict[str, float]
                ) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame], dict[str, pl.DataFrame], dict[str, str]]:
    """The tables the store does not hold: frames, cast failures, cells as written (with keep_text), hashes."""
    tables: dict[str, pl.DataFrame] = {}
    failures: dict[str, pl.DataFrame] = {}
    text: dict[str, pl.DataFrame] = {}
    hashes: dict[str, str] = {}
    with timed(steps, "read the CSV files"):
        for resource in package.resources:
            if not resource.is_table or resource.name in store.reads:
                continue
            result = read_table(resource, keep_text)
            found.extend(result.findings)
            if result.sha256 is not None and resource.path is not None:
                hashes[resource.path] = result.sha256
            if result.frame is not None:
                tables[resource.name] = result.frame
                failures[resource.name] = result.cast_failures
                if result.text is not None:
                    text[resource.name] = result.text
    return tables, failures, text, hashes


def _over_the_whole_store(package: Package, store: Store, small: dict[str, pl.DataFrame], schemas: dict[str, Any],
                          found: list[Finding], across: list[str], spill: Path, steps: dict[str, float]
                          ) -> list[Finding]:
    """The keys, the checks of scope TABLE and PACKAGE, and the acknowledgements, over every row."""
    connection = InMemorySQL() if store.holds else connect_duckdb(spill, store.memory_limit)
    try:
        for name, table in store.tables.items():
            if table.rows:
                found += guarded("structure.check_structure",
                                 lambda table=table: [f if f.path else _with_path(f, store.paths[name])
                                                      for f in repeat_findings(connection, table)], steps)
        for name in across:
            with timed(steps, "across sources, by figure"):
                found += across_sources_findings(package, store.view, schemas, name,
                                                 store.by_figure(name), small.get(SOURCES), steps)
        found += every_row_findings(connection, package, store.view, small, schemas, store.tables, steps)
        found = once_each(f for f in found if store.keeps(f))
        return acknowledged(found, lambda found: acknowledge(connection, found, package, store.view, small, schemas,
                                                             store.tables))
    finally:
        connection.close()


def _with_path(finding: Finding, path: str) -> Finding:
    return replace(finding, path=path)

