"""The SQLite download: typed STRICT tables with the Table Schemas' keys and enums, an index
on every foreign key, a full-text index (FTS5) over each table's free text, and the Datasette
metadata that documents them and points Datasette's `_search` at that index. Uses the
standard library's sqlite3: the schema is small enough to write by hand, and sqlite-utils
would add a dependency without saving code.

The full-text index of table T is the FTS5 table `T_fts`, one row per row of T with the same
rowid, holding a word-segmented copy of T's free-text columns (see search.py): FTS5 cannot
split Chinese into words itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa

from jiutai_data.model.fields import field_type, is_web_url, sqlite_checks, sqlite_value
from jiutai_data.model.files import replaced_atomically
from jiutai_data.model.package import Table
from jiutai_data.model.roles import category_fields, free_text_fields, label_field, referenced_tables, unit_note
from jiutai_data.model.schema import foreign_keys, primary_key
from jiutai_data.publish.search import segmented
from jiutai_data.read.arrow import is_required

FTS_SUFFIX = "_fts"
# unicode61 splits the segmented copy at its spaces and punctuation, and folds case and
# diacritics, so "Investment" finds "investment".
FTS_TOKENIZER = "unicode61 remove_diacritics 2"


class SqliteExportError(ValueError):
    """The rows do not fit the schema's keys; the package should have failed validation."""


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_list(fields: str | list[str]) -> list[str]:
    return [fields] if isinstance(fields, str) else list(fields)


def column_definition(field: dict[str, Any], schema: dict[str, Any]) -> str:
    name = quote_name(field["name"])
    parts = [name, field_type(field).sqlite]
    if is_required(field, schema):
        parts.append("NOT NULL")
    if (field.get("constraints") or {}).get("unique") and [field["name"]] != primary_key(schema):
        parts.append("UNIQUE")
    parts.extend(sqlite_checks(field, name))
    return " ".join(parts)


def create_table_sql(table: Table) -> str:
    schema = table.schema
    lines = [column_definition(field, schema) for field in schema["fields"]]
    key = primary_key(schema)
    if key:
        lines.append(f"PRIMARY KEY ({', '.join(quote_name(name) for name in key)})")
    for foreign in schema.get("foreignKeys", []):
        target = foreign["reference"].get("resource") or table.name
        # A table that refers to itself (regions.parent_id) is checked at commit, so its
        # rows need not be in parent-first order; every other key is checked on insert.
        deferred = " DEFERRABLE INITIALLY DEFERRED" if target == table.name else ""
        lines.append(
            f"FOREIGN KEY ({', '.join(quote_name(name) for name in _as_list(foreign['fields']))}) "
            f"REFERENCES {quote_name(target)} "
            f"({', '.join(quote_name(name) for name in _as_list(foreign['reference']['fields']))}){deferred}"
        )
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {quote_name(table.name)} (\n  {body}\n) STRICT;"


def insertion_order(tables: list[Table]) -> list[Table]:
    """Referenced tables before the tables that refer to them (descriptor order otherwise)."""
    by_name = {table.name: table for table in tables}
    ordered: list[Table] = []
    seen: set[str] = set()

    def visit(table: Table) -> None:
        if table.name in seen:
            return
        seen.add(table.name)
        for foreign in table.schema.get("foreignKeys", []):
            target = by_name.get(foreign["reference"].get("resource") or table.name)
            if target is not None and target.name != table.name:
                visit(target)
        ordered.append(table)

    for table in tables:
        visit(table)
    return ordered


def _rows(data: pa.Table) -> list[tuple[Any, ...]]:
    columns = [data.column(index).to_pylist() for index in range(data.num_columns)]
    return [tuple(sqlite_value(value) for value in row) for row in zip(*columns)]


def write_sqlite(path: Path, tables: list[tuple[Table, pa.Table]]) -> None:
    """Write the database to a temporary file beside `path`, then rename it into place."""
    data_of = {table.name: data for table, data in tables}
    with replaced_atomically(path) as temporary:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            ordered = insertion_order([table for table, _ in tables])
            with connection:
                for table in ordered:
                    connection.execute(create_table_sql(table))
                for table in ordered:
                    _insert(connection, table, data_of[table.name])
                for table in ordered:
                    for statement in index_sql(table):
                        connection.execute(statement)
                    _full_text_index(connection, table)
                problems = connection.execute("PRAGMA foreign_key_check").fetchall()
                if problems:
                    table_name, rowid, parent, _ = problems[0]
                    raise SqliteExportError(
                        f"{table_name}: row {rowid} refers to a missing row of {parent} "
                        f"({len(problems)} such rows); run `jiutai-data validate`"
                    )
        finally:
            connection.close()


def fts_table(table: Table) -> str | None:
    """Name of the table's full-text index, or None when it has no free text."""
    return table.name + FTS_SUFFIX if free_text_fields(table.schema) else None


def index_sql(table: Table) -> list[str]:
    """An index on every foreign key (SQLite indexes primary keys and unique columns, not
    these), so joins and Datasette's links from a lookup row to its rows stay fast."""
    statements = []
    for key in foreign_keys(table.schema):
        if key.fields == primary_key(table.schema)[:len(key.fields)]:
            continue  # the primary key's own index serves it
        name = quote_name(f"{table.name}__{'__'.join(key.fields)}")
        columns = ", ".join(quote_name(field) for field in key.fields)
        statements.append(f"CREATE INDEX {name} ON {quote_name(table.name)} ({columns})")
    return statements


def _full_text_index(connection: sqlite3.Connection, table: Table) -> None:
    index = fts_table(table)
    if index is None:
        return
    columns = free_text_fields(table.schema)
    quoted = ", ".join(quote_name(column) for column in columns)
    connection.execute(f"CREATE VIRTUAL TABLE {quote_name(index)} USING fts5({quoted}, tokenize='{FTS_TOKENIZER}')")
    rows = connection.execute(f"SELECT rowid, {quoted} FROM {quote_name(table.name)}")
    connection.executemany(
        f"INSERT INTO {quote_name(index)} (rowid, {quoted}) VALUES ({', '.join('?' for _ in range(len(columns) + 1))})",
        ((rowid, *(segmented(value) for value in values)) for rowid, *values in rows.fetchall()),
    )


def _insert(connection: sqlite3.Connection, table: Table, data: pa.Table) -> None:
    names = [field["name"] for field in table.schema["fields"]]
    statement = (
        f"INSERT INTO {quote_name(table.name)} ({', '.join(quote_name(name) for name in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    try:
        connection.executemany(statement, _rows(data.select(names)))
    except sqlite3.IntegrityError as error:
        raise SqliteExportError(f"{table.name}: {error}; run `jiutai-data validate`") from None
    except sqlite3.OperationalError as error:
        # e.g. "foreign key mismatch": a foreign key whose target is neither a primary key nor unique
        raise SqliteExportError(f"{table.name}: SQLite cannot load the table ({error}); run `jiutai-data validate`, "
                                "which names the key") from None


def _column_description(field: dict[str, Any], schema: dict[str, Any]) -> str:
    description = field.get("description", "")
    unit = unit_note(field, schema)
    return f"{description} {unit}".strip() if unit else description


def _source_line(source: dict[str, Any]) -> str:
    return source.get("title", "") + (f" <{source['path']}>" if source.get("path") else "")


def datasette_metadata(descriptor: dict[str, Any], tables: list[Table], database: str) -> dict[str, Any]:
    """Datasette's metadata.json: the package's title, licence and every source; per table its
    description, the full-text index `_search` uses, the label a foreign key to it shows, the
    facets (its enum columns), and each column's description with its unit."""
    licence = (descriptor.get("licenses") or [{}])[0]
    sources = descriptor.get("sources", [])
    linked = next((source for source in sources if is_web_url(source.get("path"))), {})
    lookups = referenced_tables({table.name: table.schema for table in tables})
    described: dict[str, Any] = {}
    for table in tables:
        entry: dict[str, Any] = {
            "title": table.title,
            "description": table.description,
            "columns": {field["name"]: _column_description(field, table.schema) for field in table.schema["fields"]},
        }
        index = fts_table(table)
        if index is not None:
            entry.update({"fts_table": index, "fts_pk": "rowid"})
        label = label_field(table.schema)
        if table.name in lookups and label is not None:
            entry["label_column"] = label
        facets = category_fields(table.schema)
        if facets:
            entry["facets"] = facets
        described[table.name] = entry
    return {
        "title": descriptor.get("title", descriptor.get("name", "")),
        "description": descriptor.get("description", ""),
        "license": licence.get("name", ""),
        # Datasette shows these as links: only a web address may become one
        "license_url": licence.get("path", "") if is_web_url(licence.get("path")) else "",
        # Datasette shows one source with one link: every source is named, the first online one linked.
        "source": "; ".join(_source_line(source) for source in sources),
        "source_url": linked.get("path", ""),
        "databases": {database: {"source": "; ".join(_source_line(source) for source in sources), "tables": described}},
    }
