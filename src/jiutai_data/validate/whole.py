"""The checks that need rows of every batch at once, as SQL queries over the whole store.

A batch (validate/batch.py) holds whole sources, so four things cannot be found in one:

- **repeated primary keys and unique values**: GROUP BY … HAVING count(*) > 1 over the key
  columns of every row, each repeat naming the first row, as structure.check_table_constraints
  words it;
- **the checks of scope PACKAGE** (consistency across sources), which need every statement of
  one figure: the store gives the few columns they read in hash buckets of (indicator,
  region_id), and the checks of checks/consistency.py run on one bucket at a time;
- **the checks of scope TABLE**: the IDs a note cites (``cited_ids_findings``) and the topics in
  use (``topic_findings``), each fetching only the rows that can matter;
- **the acknowledgements** (``acknowledge``), with the keys of the rows they and the findings name.

The same queries run whatever holds the rows (validate/store.py): frames in memory for a small
package, spooled chunks of a large CSV package, or the part files of the partitioned layout.
DuckDB runs them over rows on disk and spills beyond its memory limit; polars' SQL engine runs
the same text over rows held in memory (``InMemorySQL``). The size of the package changes how a
query executes, never which query runs.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Iterable, Protocol

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model import schema as table_schema
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import Package
from jiutai_data.validate.batch import SOURCES, semantic_checks
from jiutai_data.validate.checks import LazyCheck
from jiutai_data.validate.checks.declare import Scope
from jiutai_data.validate.guard import check_name, guarded, run_check

DUCKDB_MEMORY_LIMIT = "1GB"


class Rows(Protocol):
    """Every row of one large table, as the whole store's queries read it."""

    name: str
    schema: dict[str, Any]

    @property
    def rows(self) -> int: ...

    def sql(self, connection: Any, columns: list[str], select: str = "") -> str:
        """SQL for every row, aliased ``t``: ROW_COLUMN, then ``columns``, then ``select``."""


def connect_duckdb(spill: Path, memory_limit: str = DUCKDB_MEMORY_LIMIT):
    import duckdb

    return duckdb.connect(":memory:", config={"memory_limit": memory_limit, "temp_directory": str(spill),
                                              "preserve_insertion_order": False})


class InMemorySQL:
    """The same SQL run by polars' SQL engine, over frames already in memory.

    For a store that holds its rows in memory there is nothing to spill, and importing and
    starting DuckDB would cost more than the queries (about 0.15 s, a tenth of validating the
    committed package). The queries are the same text, and the tests hold the findings of a
    held store (these) and a spooled one (DuckDB) to be the same for every finding code."""

    def __init__(self) -> None:
        self.context = pl.SQLContext()

    def register(self, name: str, frame: pl.DataFrame) -> None:
        self.context.register(name, frame)

    def sql(self, query: str) -> "InMemorySQL._Result":
        return InMemorySQL._Result(self.context.execute(query, eager=True))

    def close(self) -> None:
        pass

    class _Result:
        """What DuckDB's ``connection.sql`` gives, as far as the queries here read it."""

        def __init__(self, frame: pl.DataFrame) -> None:
            self.frame = frame

        def pl(self) -> pl.DataFrame:
            return self.frame


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _frame(connection, sql: str) -> pl.DataFrame:
    return connection.sql(sql).pl()


# --- repeated keys -----------------------------------------------------------------------------

def _repeated(connection, table: Rows, fields: list[str]) -> pl.DataFrame:
    """ROW_COLUMN and key of every row whose key (all of it set) another row also has."""
    key = ", ".join(quoted(f) for f in fields)
    complete = " AND ".join(f"{quoted(f)} IS NOT NULL" for f in fields)
    sql = (f"WITH t AS ({table.sql(connection, fields)}), "
           f"d AS (SELECT {key} FROM t WHERE {complete} GROUP BY {key} HAVING count(*) > 1) "
           f"SELECT t.* FROM t JOIN d USING ({key}) ORDER BY t.{ROW_COLUMN}")
    return _frame(connection, sql)


def repeat_findings(connection, table: Rows) -> list[Finding]:
    """The primary key and unique fields of a large table, over all its rows: as
    structure.check_table_constraints reports them, each repeat naming the first row."""
    findings: list[Finding] = []
    for fields, label in table_schema.repeat_labels(table.schema):
        check, expected = label.check, label.expected
        first: dict[tuple[Any, ...], int] = {}
        for row, *key in _repeated(connection, table, fields).iter_rows():
            value: Any = key[0] if len(key) == 1 else list(key)
            group = tuple(key)
            if group not in first:
                first[group] = row
                continue
            findings.append(Finding(table.name, row, fields[0] if len(fields) == 1 else None, check,
                                    f"{value!r} is already in row {first[group]}; expected {expected}", value))
    return findings


# --- consistency across sources (scope PACKAGE) --------------------------------------------------

def consistency_columns(schema: dict[str, Any]) -> list[str]:
    """The columns of a table the checks across sources read (none: the table holds no figures)."""
    consistency = importlib.import_module("jiutai_data.validate.checks.consistency")
    dtypes = table_schema.polars_dtypes(schema)
    columns = [c for c in consistency.COLUMNS if c in dtypes]
    return columns if {"indicator", "region_id"} <= set(columns) else []


def across_sources_findings(package: Package, view: dict[str, Any], schemas: dict[str, Any], table: str,
                            buckets: Iterable[pl.DataFrame], sources: pl.DataFrame | None,
                            seconds: dict[str, float] | None = None) -> list[Finding]:
    """The checks of scope PACKAGE on each bucket of the table's rows, where a bucket holds every row
    of the indicators and regions it holds (a hash of indicator and region_id)."""
    dtypes = table_schema.polars_dtypes(schemas[table])
    columns = consistency_columns(schemas[table])
    findings: list[Finding] = []
    checks = semantic_checks(Scope.PACKAGE)
    for bucket in buckets:
        frame = (bucket.select(pl.col(ROW_COLUMN).cast(pl.Int64), *[pl.col(c).cast(dtypes[c]) for c in columns])
                 .sort(ROW_COLUMN))
        frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas,
                               tables={table: frame, **({SOURCES: sources} if sources is not None else {})})
        for check in checks:
            findings += run_check(check, seconds, frames)
        del frame, frames
    return findings


# --- every row of a table at once (scope TABLE) --------------------------------------------------

def every_row_findings(connection, package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame],
                       schemas: dict[str, Any], tables: dict[str, Rows],
                       seconds: dict[str, float] | None = None) -> list[Finding]:
    """The checks that need every row of a table at once (scope TABLE), over the whole store.

    Each needs its own way of fetching only the rows that can matter; a TABLE check without one
    is an ``internal`` finding, never a check silently skipped."""
    ids = importlib.import_module("jiutai_data.validate.checks.ids")
    catalogue = importlib.import_module("jiutai_data.validate.checks.catalogue")
    found: list[Finding] = []
    for check in semantic_checks(Scope.TABLE):
        function = check.load() if isinstance(check, LazyCheck) else check
        if function is ids.check_cited_ids_exist:
            found += guarded(check_name(check), lambda: cited_ids_findings(connection, package, view, small, schemas,
                                                                           tables), seconds)
        elif function is catalogue.check_every_topic_is_used:
            found += guarded(check_name(check), lambda: topic_findings(connection, package, view, small, schemas,
                                                                       tables), seconds)
        else:
            found.append(Finding(None, None, None, codes.INTERNAL,
                                 f"the check {check_name(check)} needs every row of a table at once, which the "
                                 "engine cannot give it; its findings are missing (please report this)"))
    return found


def cited_ids_findings(connection, package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame],
                       schemas: dict[str, Any], tables: dict[str, Rows]) -> list[Finding]:
    """`id-reference` over the whole package: a note of any table may cite a row of any batch.

    Only the rows that can matter are fetched: those whose citing columns hold the ID separator,
    and those whose id is cited; with the small tables, they are all ``check_cited_ids_exist``
    needs to give the findings of the whole package."""
    ids = importlib.import_module("jiutai_data.validate.checks.ids")
    fetched: dict[str, list[pl.DataFrame]] = {}
    rows_of: dict[str, str] = {}  # table -> SQL of its rows, with the columns the check reads
    for name, table in tables.items():
        fields = table_schema.field_names(table.schema)
        citing = [c for c in ids.CITING_COLUMNS if c in fields]
        if not table.rows or not {"id", "source_id"} <= set(fields) or not citing:
            continue
        rows_of[name] = table.sql(connection, ["id", "source_id", *citing])
        where = " OR ".join(f"{quoted(c)} LIKE '%{ids.SEPARATOR}%'" for c in citing)
        fetched[name] = [_frame(connection, f"SELECT * FROM ({rows_of[name]}) WHERE {where}")]
    cited: set[str] = set()
    for frame in [*small.values(), *(parts[0] for parts in fetched.values())]:
        for column in (c for c in ids.CITING_COLUMNS if c in frame.columns):
            cited |= set(frame.get_column(column).cast(pl.String).str.extract_all(ids.CITED_ID).explode()
                         .drop_nulls().to_list())
    if cited:
        connection.register("cited_ids", pl.DataFrame({"id": sorted(cited)}))
        for name in fetched:
            fetched[name].append(_frame(connection, f"SELECT * FROM ({rows_of[name]}) WHERE id IN "
                                                    "(SELECT id FROM cited_ids)"))
    large = {name: pl.concat([p.with_columns(pl.col(ROW_COLUMN).cast(pl.Int64)) for p in parts], how="vertical_relaxed")
             .unique(ROW_COLUMN, keep="first").sort(ROW_COLUMN) for name, parts in fetched.items()}
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables={**small, **large})
    return ids.check_cited_ids_exist(frames)


def topic_findings(connection, package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame],
                   schemas: dict[str, Any], tables: dict[str, Rows]) -> list[Finding]:
    """`unused-topic` over the whole package: the distinct topics of every large table, which with
    the small tables are all ``check_every_topic_is_used`` needs."""
    catalogue = importlib.import_module("jiutai_data.validate.checks.catalogue")
    large: dict[str, pl.DataFrame] = {}
    for name, table in tables.items():
        if table.rows and catalogue.TOPIC in table_schema.field_names(table.schema):
            topic = quoted(catalogue.TOPIC)
            large[name] = _frame(connection, f"SELECT DISTINCT CAST({topic} AS VARCHAR) AS {topic} FROM "
                                             f"({table.sql(connection, [catalogue.TOPIC])})")
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables={**small, **large})
    return catalogue.check_every_topic_is_used(frames)


# --- the acknowledgements ----------------------------------------------------------------------

def acknowledge(connection, findings: list[Finding], package: Package, view: dict[str, Any],
                small: dict[str, pl.DataFrame], schemas: dict[str, Any], tables: dict[str, Rows]) -> list[Finding]:
    """``apply_acknowledgements`` over the whole package.

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
        if len(key) != 1 or not tables[name].rows:
            continue  # the large tables' keys are one id column; any other key is matched by no row here
        rows = sorted({f.row for f in findings if f.table == name and f.row is not None})
        ids = named.filter(pl.col(TABLE_NAME) == name).get_column(ROW_ID).to_list()
        connection.register("acknowledged_rows", pl.DataFrame({"row": rows}, schema={"row": pl.Int64}))
        connection.register("acknowledged_ids", pl.DataFrame({"id": ids}, schema={"id": pl.String}))
        sql = (f"SELECT * FROM ({tables[name].sql(connection, key)}) WHERE {ROW_COLUMN} IN "
               f"(SELECT row FROM acknowledged_rows) OR CAST({quoted(key[0])} AS VARCHAR) IN "
               "(SELECT id FROM acknowledged_ids)")
        keys[name] = _frame(connection, sql).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas, tables={**small, **keys})
    return apply_acknowledgements(findings, frames)
