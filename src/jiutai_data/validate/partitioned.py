"""validate for the partitioned layout, in bounded memory: batches of partitions in polars, the global checks in DuckDB.

The checks are the ones of the CSV form (validate/checks/), run on the same typed
frames; what changes is how much of the package is in memory at once:

1. **The small tables** (the CSV resources: sources, regions, units, topics) are read
   once and checked on their own, like a package without large tables.
2. **Batches of partitions.** Partitions (hive folders, one per source province and
   publication year) are taken in order and grouped until a batch holds BATCH_ROWS
   rows. A batch is checked with every row-local and source-local check: structure
   and types, foreign keys (the small tables are all in memory), hygiene, units,
   periods, and provenance and coverage against the texts of the batch's sources
   (the quote lookup stays a hash join and a byte comparison, per batch). Memory is
   bounded by the batch, not by the package. A row must lie in its source's
   partition (check ``partition``), which is what makes a source's rows and its text
   meet in one batch.
3. **The global checks** run as grouped queries in DuckDB, which spills to disk
   under its memory limit: repeated primary keys and unique values (GROUP BY …
   HAVING count(*) > 1 over the key columns of every part), and consistency across
   sources, whose two checks need every statement of one indicator and region:
   DuckDB writes the few columns they read into hash buckets of (indicator,
   region_id), and the checks of checks/consistency.py run on one bucket at a time.
   The IDs that notes cite are looked up over every part (``cited_ids_findings``), and
   the acknowledgements are applied last, with the keys of the rows they and the
   findings name (``acknowledge``). validate/bounded.py uses the same functions.

Findings are those of the CSV form. A row is named by its part file and its
position in it (from 1) instead of a CSV line: the checks number rows across a
resource's parts (read/partitioned.py), and the numbers are turned back into file
and row at the end, also where a message cites another row. The same finding from
two batches (a small-table finding, a source referenced from two batches) is kept
once.

Why one module of this size: the run in bounded memory and its global queries; it is what the one
engine of issue 25 is to replace, and is kept whole until then rather than split along a seam that will go.
"""

from __future__ import annotations

import importlib
import math
import re
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable

import polars as pl

from jiutai_data.model import schema as table_schema
from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import Package
from jiutai_data.model.partitioning import partition_keys, partition_of
from jiutai_data.read.partitioned import PartitionedTable, open_partitioned, read_parts
from jiutai_data.read.tables import read_source_texts, read_table
from jiutai_data.validate.checks.files import UNDECLARED_FILE_CHECK
from jiutai_data.validate.checks import LazyCheck, lazy
from jiutai_data.validate.checks.declare import Scope
from jiutai_data.validate.guard import acknowledged, check_name, guarded, run_check, timed

# Rows of the large tables checked at once: the in-memory check of a million rows peaks
# near 1 GB, so a batch of this size stays well inside 2 GiB whatever the package's size.
BATCH_ROWS = 500_000
# Indicator rows per consistency bucket: only the eleven short columns of consistency.COLUMNS are held, so buckets can be larger.
BUCKET_ROWS = 2_000_000
DUCKDB_MEMORY_LIMIT = "1GB"

SOURCES = "sources"
_REPEATS = (codes.UNIQUE, codes.PRIMARY_KEY)  # found by the global query, not per batch
_ROW_REFERENCE = re.compile(r"\brow (\d+)\b")


def is_partitioned_package(package: Package) -> bool:
    from jiutai_data.model.partitioning import is_partitioned

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


def _scope(check: LazyCheck) -> Scope | None:
    """The scope a check declares, or None if it cannot say (run_check then reports why, once)."""
    try:
        return check.declaration.scope
    except Exception:
        return None


# --- 1. the small tables ---------------------------------------------------------------------

def _read_small(package: Package, findings: list[Finding]) -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame], dict[str, str]]:
    tables: dict[str, pl.DataFrame] = {}
    failures: dict[str, pl.DataFrame] = {}
    hashes: dict[str, str] = {}
    for resource in package.resources:
        if not resource.is_table:
            continue
        result = read_table(resource)
        findings.extend(result.findings)
        if result.sha256 is not None and resource.path is not None:
            hashes[resource.path] = result.sha256
        if result.frame is not None:
            tables[resource.name] = result.frame
            failures[resource.name] = result.cast_failures
    return tables, failures, hashes


def _semantic_checks(*scopes: Scope) -> list[LazyCheck]:
    """The semantic checks, in their order; with ``scopes``, only those that declare one of them."""
    from jiutai_data.validate.checks import SEMANTIC_CHECKS

    return [check for check in SEMANTIC_CHECKS if not scopes or _scope(check) in scopes]


def check_small(frames: PackageFrames, failures: dict[str, pl.DataFrame], consistency_here: bool) -> list[Finding]:
    """Every check on the small tables alone (no texts: the checks of a whole source run with its
    batch, and those of every row of a table over all batches)."""
    found: list[Finding] = []
    found += run_check(lazy("structure", "check_structure"), None, frames, failures)
    found += run_check(lazy("keys", "check_foreign_keys"), None, frames)
    found += run_check(lazy("hygiene", "check_text_hygiene"), None, frames)
    skipped = {Scope.SOURCE, Scope.TABLE} | (set() if consistency_here else {Scope.PACKAGE})
    for check in _semantic_checks():
        if _scope(check) not in skipped:
            found += run_check(check, None, frames)
    return found


# --- 2. batches of partitions ------------------------------------------------------------------

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


def _check_batch(package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame], schemas: dict[str, Any],
                 tables: dict[str, PartitionedTable], batch: list[str], owners: pl.DataFrame,
                 owned_unpartitioned: bool, consistency_elsewhere: bool,
                 seconds: dict[str, float] | None = None) -> tuple[list[Finding], set[str]]:
    found: list[Finding] = []
    wanted = set(batch)
    large: dict[str, pl.DataFrame] = {}
    referenced: set[str] = set()
    with timed(seconds, "read the part files"):
        for name, table in tables.items():
            parts = [part for part in table.parts if part.partition in wanted]
            frame, partitions, read_findings = read_parts(table, parts)
            found += read_findings
            large[name] = frame
            found += _misplaced(name, frame, partitions, owners)
            if "source_id" in frame.columns:
                referenced.update(frame.get_column("source_id").drop_nulls().unique().to_list())
    sources = small.get(SOURCES)
    keep: set[str] = set(referenced)
    if sources is not None and "id" in sources.columns:
        owned = owners.filter(pl.col("_source_partition").is_in(batch)
                              | (pl.col("_source_partition").is_null() & pl.lit(owned_unpartitioned)))
        keep |= set(owned.get_column("source_id").to_list())
    paths = {name: table.folder for name, table in tables.items()}
    checked, texts = check_rows(package, view, small, schemas, large, paths, keep, consistency_elsewhere,
                                seconds=seconds)
    return found + checked, texts


def check_rows(package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame], schemas: dict[str, Any],
               large: dict[str, pl.DataFrame], paths: dict[str, str], keep_sources: set[str],
               consistency_elsewhere: bool, skip: dict[str, pl.DataFrame] | None = None,
               seconds: dict[str, float] | None = None) -> tuple[list[Finding], set[str]]:
    """Every row-local and source-local check on one batch of the large tables (``large``, with
    the small tables beside them), against the texts of the sources in ``keep_sources``; the
    findings about the batch's rows and sources, and the ids of the texts read. ``skip`` holds
    the cells each large table's reader already reported as failing to cast."""
    sources = small.get(SOURCES)
    texts: dict[str, str] = {}
    hashes: dict[str, str] = {}
    found: list[Finding] = []
    if sources is not None and "id" in sources.columns:
        sources = sources.filter(pl.col("id").is_in(list(keep_sources)))
        texts, hashes, text_findings = read_source_texts(package.root, sources)
        found += text_findings
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas,
                           tables={**small, **({SOURCES: sources} if sources is not None else {}), **large},
                           texts=texts, file_sha256=hashes)
    from_checks: list[Finding] = []
    for name, frame in large.items():
        schema = schemas[name]
        cells = (skip or {}).get(name)
        from_checks += [f for f in run_check(lazy("structure", "check_table_constraints"), seconds,
                                             name, frame, schema, paths[name], cells) if f.check not in _REPEATS]
        from_checks += run_check(lazy("hygiene", "check_table_hygiene"), seconds,
                                 name, frame, table_schema.string_fields(schema), paths[name])
    from_checks += run_check(lazy("keys", "check_foreign_keys"), seconds, frames)
    per_source: list[Finding] = []
    skipped = {Scope.FILES, Scope.TABLE} | ({Scope.PACKAGE} if consistency_elsewhere else set())
    for check in _semantic_checks():
        scope = _scope(check)
        if scope not in skipped:
            (per_source if scope is Scope.SOURCE else from_checks).extend(run_check(check, seconds, frames))
    # The small tables were checked on their own; here only what is about this batch's rows,
    # or about its sources' texts, is kept.
    found += [f for f in from_checks if f.table in large or f.table is None] + per_source
    return found, set(texts)


# --- 3. the global checks, in DuckDB -----------------------------------------------------------

def connect_duckdb(spill: Path, memory_limit: str = DUCKDB_MEMORY_LIMIT):
    import duckdb

    return duckdb.connect(":memory:", config={"memory_limit": memory_limit, "temp_directory": str(spill),
                                              "preserve_insertion_order": False})


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + "]"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _rows_of(connection, table: PartitionedTable, columns: list[str], select: str = "") -> str:
    """SQL for every row of the table's parts with ROW_COLUMN numbered as read_parts numbers it
    (or as stored, for spooled CSV chunks)."""
    wanted = ", ".join(f"t.{_quoted(c)}" for c in columns)
    files = _sql_list([str(part.file) for part in table.parts])
    if table.rows_stored:
        return f"SELECT t.{ROW_COLUMN} AS {ROW_COLUMN}, {wanted}{select} FROM read_parquet({files}) t"
    connection.register(f"parts_{id(table)}", pl.DataFrame({
        "filename": [str(part.file) for part in table.parts],
        "row_offset": [part.offset for part in table.parts]}, schema={"filename": pl.String, "row_offset": pl.Int64}
    ).to_arrow())
    return (f"SELECT p.row_offset + t.file_row_number + 1 AS {ROW_COLUMN}, {wanted}{select} "
            f"FROM read_parquet({files}, filename = true, "
            f"file_row_number = true) t JOIN parts_{id(table)} p ON p.filename = t.filename")


def _repeated(connection, table: PartitionedTable, fields: list[str]) -> pl.DataFrame:
    """ROW_COLUMN and key of every row whose key (all of it set) another row also has."""
    key = ", ".join(_quoted(f) for f in fields)
    complete = " AND ".join(f"{_quoted(f)} IS NOT NULL" for f in fields)
    sql = (f"WITH t AS ({_rows_of(connection, table, fields)}), "
           f"d AS (SELECT {key} FROM t WHERE {complete} GROUP BY {key} HAVING count(*) > 1) "
           f"SELECT t.* FROM t JOIN d USING ({key}) ORDER BY t.{ROW_COLUMN}")
    return pl.from_arrow(connection.sql(sql).to_arrow_table())


def repeat_findings(connection, table: PartitionedTable) -> list[Finding]:
    """The primary key and unique fields of a partitioned table, over all its parts: as
    structure.check_table_constraints reports them, each repeat naming the first row."""
    from jiutai_data.model.schema import pandera_schema

    generated = pandera_schema(table.schema, table.name)
    key_fields = table_schema.primary_key(table.schema)
    rules: list[tuple[str, list[str], str]] = []
    if key_fields and generated.frame_labels:
        rules.append((codes.PRIMARY_KEY, key_fields, generated.frame_labels[0].expected))
    for name, labels in generated.column_labels.items():
        rules += [(codes.UNIQUE, [name], label.expected) for label in labels if label.check == "unique"]
    findings: list[Finding] = []
    for check, fields, expected in rules:
        repeated = _repeated(connection, table, fields)
        first: dict[tuple[Any, ...], int] = {}
        for row, *key in repeated.iter_rows():
            value: Any = key[0] if len(key) == 1 else list(key)
            group = tuple(key)
            if group not in first:
                first[group] = row
                continue
            findings.append(Finding(table.name, row, fields[0] if len(fields) == 1 else None, check,
                                    f"{value!r} is already in row {first[group]}; expected {expected}", value))
    return findings


def _consistency_findings(connection, package: Package, view: dict[str, Any], schemas: dict[str, Any],
                          table: PartitionedTable, sources: pl.DataFrame | None, spill: Path,
                          bucket_rows: int = BUCKET_ROWS) -> list[Finding]:
    """The consistency checks, one hash bucket of (indicator, region_id) at a time."""
    consistency = importlib.import_module("jiutai_data.validate.checks.consistency")
    dtypes = table_schema.polars_dtypes(table.schema)
    columns = [c for c in consistency.COLUMNS if c in dtypes]
    if not {"indicator", "region_id"} <= set(columns) or not table.parts:
        return []
    buckets = max(1, math.ceil(table.rows / bucket_rows))
    folder = spill / "buckets"
    connection.execute(
        f"COPY ({_rows_of(connection, table, columns, ', hash(t.indicator, t.region_id) % ' + str(buckets) + ' AS bucket')}) "
        f"TO '{str(folder).replace(chr(39), chr(39) * 2)}' (FORMAT parquet, PARTITION_BY (bucket))")
    frames = (pl.read_parquet(bucket / "*.parquet") for bucket in sorted(folder.glob("bucket=*")))
    return consistency_in_buckets(package, view, schemas, table.name, frames, sources)


def consistency_in_buckets(package: Package, view: dict[str, Any], schemas: dict[str, Any], table: str,
                           buckets: Iterable[pl.DataFrame], sources: pl.DataFrame | None) -> list[Finding]:
    """The consistency checks on each bucket of the table's rows, where a bucket holds every row
    of the indicators and regions it holds (a hash of indicator and region_id)."""
    consistency = importlib.import_module("jiutai_data.validate.checks.consistency")
    dtypes = table_schema.polars_dtypes(schemas[table])
    columns = [c for c in consistency.COLUMNS if c in dtypes]
    findings: list[Finding] = []
    across_sources = _semantic_checks(Scope.PACKAGE)
    for bucket in buckets:
        frame = (bucket.select(pl.col(ROW_COLUMN).cast(pl.Int64), *[pl.col(c).cast(dtypes[c]) for c in columns])
                 .sort(ROW_COLUMN))
        frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas,
                               tables={table: frame, **({SOURCES: sources} if sources is not None else {})})
        for check in across_sources:
            findings += run_check(check, None, frames)
        del frame, frames
    return findings


def every_row_findings(connection, package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame],
                       schemas: dict[str, Any], tables: dict[str, PartitionedTable],
                       seconds: dict[str, float] | None = None) -> list[Finding]:
    """The checks that need every row of a table at once (scope TABLE), over every part.

    Each needs its own way of fetching only the rows that can matter; a TABLE check without one
    is an ``internal`` finding, never a check silently skipped."""
    ids = importlib.import_module("jiutai_data.validate.checks.ids")
    catalogue = importlib.import_module("jiutai_data.validate.checks.catalogue")
    found: list[Finding] = []
    for check in _semantic_checks(Scope.TABLE):
        function = check.load() if isinstance(check, LazyCheck) else check
        if function is ids.check_cited_ids_exist:
            found += guarded(check_name(check), lambda: cited_ids_findings(connection, package, view, small, schemas,
                                                                           tables), seconds)
        elif function is catalogue.check_every_topic_is_used:
            found += guarded(check_name(check), lambda: topic_findings(connection, package, view, small, schemas,
                                                                       tables), seconds)
        else:
            found.append(Finding(None, None, None, codes.INTERNAL,
                                 f"the check {check_name(check)} needs every row of a table at once, which the run in "
                                 "bounded memory cannot give it; its findings are missing (please report this)"))
    return found


def cited_ids_findings(connection, package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame],
                       schemas: dict[str, Any], tables: dict[str, PartitionedTable]) -> list[Finding]:
    """`id-reference` over the whole package: a note of any table may cite a row of any batch.

    Only the rows that can matter are fetched (DuckDB over every part): those whose citing
    columns hold the ID separator, and those whose id is cited; with the small tables, they
    are all ``check_cited_ids_exist`` needs to give the findings of the whole package."""
    ids = importlib.import_module("jiutai_data.validate.checks.ids")
    fetched: dict[str, list[pl.DataFrame]] = {}
    rows_of: dict[str, str] = {}  # table -> SQL of its rows, with the columns the check reads
    for name, table in tables.items():
        fields = table_schema.field_names(table.schema)
        citing = [c for c in ids.CITING_COLUMNS if c in fields]
        if not table.parts or not {"id", "source_id"} <= set(fields) or not citing:
            continue
        rows_of[name] = _rows_of(connection, table, ["id", "source_id", *citing])
        where = " OR ".join(f"{_quoted(c)} LIKE '%{ids.SEPARATOR}%'" for c in citing)
        fetched[name] = [pl.from_arrow(connection.sql(f"SELECT * FROM ({rows_of[name]}) WHERE {where}").to_arrow_table())]
    cited: set[str] = set()
    for frame in [*small.values(), *(parts[0] for parts in fetched.values())]:
        for column in (c for c in ids.CITING_COLUMNS if c in frame.columns):
            cited |= set(frame.get_column(column).cast(pl.String).str.extract_all(ids.CITED_ID).explode()
                         .drop_nulls().to_list())
    if cited:
        connection.register("cited_ids", pl.DataFrame({"id": sorted(cited)}).to_arrow())
        for name in fetched:
            sql = f"SELECT * FROM ({rows_of[name]}) WHERE id IN (SELECT id FROM cited_ids)"
            fetched[name].append(pl.from_arrow(connection.sql(sql).to_arrow_table()))
    large = {name: pl.concat([p.with_columns(pl.col(ROW_COLUMN).cast(pl.Int64)) for p in parts], how="vertical_relaxed")
             .unique(ROW_COLUMN, keep="first").sort(ROW_COLUMN) for name, parts in fetched.items()}
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables={**small, **large})
    return ids.check_cited_ids_exist(frames)


def topic_findings(connection, package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame],
                   schemas: dict[str, Any], tables: dict[str, PartitionedTable]) -> list[Finding]:
    """`unused-topic` over the whole package: DuckDB gives the distinct topics of every part,
    which with the small tables are all ``check_every_topic_is_used`` needs."""
    catalogue = importlib.import_module("jiutai_data.validate.checks.catalogue")
    large: dict[str, pl.DataFrame] = {}
    for name, table in tables.items():
        if table.parts and catalogue.TOPIC in table_schema.field_names(table.schema):
            sql = f"SELECT DISTINCT CAST({_quoted(catalogue.TOPIC)} AS VARCHAR) AS {_quoted(catalogue.TOPIC)} FROM " \
                  f"({_rows_of(connection, table, [catalogue.TOPIC])})"
            large[name] = pl.from_arrow(connection.sql(sql).to_arrow_table())
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables={**small, **large})
    return catalogue.check_every_topic_is_used(frames)


def acknowledge(connection, findings: list[Finding], package: Package, view: dict[str, Any],
                small: dict[str, pl.DataFrame], schemas: dict[str, Any],
                tables: dict[str, PartitionedTable]) -> list[Finding]:
    """``apply_acknowledgements`` over the whole package, as the run in memory applies it.

    It needs, of each large table an acknowledgement names, the key of every row a finding
    names and of every row an acknowledgement names: DuckDB fetches those rows only."""
    from jiutai_data.validate.acknowledgements import ROW_ID, TABLE, TABLE_NAME, apply_acknowledgements

    acknowledgements = small.get(TABLE)
    if acknowledgements is None or not {TABLE_NAME, ROW_ID} <= set(acknowledgements.columns):
        return findings
    named = acknowledgements.select(pl.col(TABLE_NAME).cast(pl.String), pl.col(ROW_ID).cast(pl.String)).drop_nulls()
    keys: dict[str, pl.DataFrame] = {}
    for name in set(named.get_column(TABLE_NAME).to_list()) & set(tables):
        key = table_schema.primary_key(schemas[name])
        if len(key) != 1 or not tables[name].parts:
            continue  # the large tables' keys are one id column; any other key is matched by no row here
        rows = sorted({f.row for f in findings if f.table == name and f.row is not None})
        ids = named.filter(pl.col(TABLE_NAME) == name).get_column(ROW_ID).to_list()
        connection.register("acknowledged_rows", pl.DataFrame({"row": rows}, schema={"row": pl.Int64}).to_arrow())
        connection.register("acknowledged_ids", pl.DataFrame({"id": ids}, schema={"id": pl.String}).to_arrow())
        sql = (f"SELECT * FROM ({_rows_of(connection, tables[name], key)}) WHERE {ROW_COLUMN} IN "
               f"(SELECT row FROM acknowledged_rows) OR CAST({_quoted(key[0])} AS VARCHAR) IN (SELECT id FROM acknowledged_ids)")
        keys[name] = pl.from_arrow(connection.sql(sql).to_arrow_table()).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables={**small, **keys})
    return apply_acknowledgements(findings, frames)


# --- 4. rows back to files -------------------------------------------------------------------

def _placed(finding: Finding, tables: dict[str, PartitionedTable]) -> Finding:
    """A finding about a row of a partitioned table, naming its part file and its row in it."""
    table = tables.get(finding.table or "")
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


def once_each(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for finding in findings:
        key = (finding.table, finding.row, finding.column, finding.check, finding.message, repr(finding.value),
               finding.severity, finding.path)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


# --- the run -----------------------------------------------------------------------------------

def run_partitioned(package: Package, findings: list[Finding], stats: dict[str, Any]) -> None:
    """Every check of the package at ``package.root`` in its partitioned layout; adds to ``findings`` and ``stats``."""
    assert package.descriptor is not None
    found: list[Finding] = []
    small, failures, hashes = _read_small(package, found)
    tables, part_findings = open_partitioned(package)
    found += part_findings
    view = _view(package.descriptor, tables)
    schemas = {r.name: r.usable_schema for r in package.resources if r.usable_schema is not None}
    consistency_table = importlib.import_module("jiutai_data.validate.checks.consistency").TABLE
    consistency_global = consistency_table in tables

    small_frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables=dict(small),
                                 file_sha256=hashes)
    # The part files are declared in their resource's path list, which the check of undeclared
    # files (checks/files.py, written for one file per resource) does not read.
    listed = {path for r in package.resources if r.name in tables for path in r.descriptor.get("path") or []}
    steps: dict[str, float] = stats.setdefault("seconds_by_step", {})
    with timed(steps, "the small tables, every check"):
        found += check_small(small_frames, failures, consistency_here=not consistency_global)
    del small_frames

    keys = partition_keys(next(r.descriptor for r in package.resources if r.name in tables)) if tables else []
    owners = _source_partitions(small.get(SOURCES), keys)
    source_partitions = [p for p in owners.get_column("_source_partition").unique().to_list() if p is not None]
    batches = _batches(tables, source_partitions)
    texts: set[str] = set()
    for number, batch in enumerate(batches):
        batch_findings, read = _check_batch(package, view, small, schemas, tables, batch, owners, seconds=steps,
                                            owned_unpartitioned=number == 0, consistency_elsewhere=consistency_global)
        found += batch_findings
        texts |= read

    with tempfile.TemporaryDirectory(prefix="jiutai-data-validate-") as spill:
        connection = connect_duckdb(Path(spill))
        try:
            for table in tables.values():
                if table.parts:
                    found += guarded("structure.check_structure", lambda table=table: repeat_findings(connection, table),
                                     steps)
            if consistency_global:
                with timed(steps, "global: consistency across sources"):
                    found += _consistency_findings(connection, package, view, schemas, tables[consistency_table],
                                                   small.get(SOURCES), Path(spill))
            found += every_row_findings(connection, package, view, small, schemas, tables, steps)
            found = once_each(f for f in found if not (f.check == UNDECLARED_FILE_CHECK and f.path in listed))
            found = acknowledged(found, lambda found: acknowledge(connection, found, package, view, small, schemas, tables))
        finally:
            connection.close()

    findings.extend(_placed(f, tables) for f in found)
    stats["tables"] = len(small) + len(tables)
    stats["rows"] = {**{name: frame.height for name, frame in small.items()},
                     **{name: table.rows for name, table in tables.items()}}
    stats["sources"] = len(texts)
    stats["partitions"] = len({part.partition for table in tables.values() for part in table.parts})
    stats["batches"] = len(batches)
