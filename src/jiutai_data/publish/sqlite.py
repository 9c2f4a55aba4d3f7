"""The SQLite download: typed STRICT tables with the Table Schemas' keys and enums, and the
Datasette metadata that documents them. Uses the standard library's sqlite3: the schema is
small enough to write by hand, and sqlite-utils would add a dependency without saving code."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from jiutai_data.model.fields import field_type, is_web_url, sqlite_checks, sqlite_value
from jiutai_data.model.package import Table
from jiutai_data.model.schema import primary_key
from jiutai_data.read.arrow import is_required


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
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    data_of = {table.name: data for table, data in tables}
    try:
        connection = sqlite3.connect(temporary)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            ordered = insertion_order([table for table, _ in tables])
            with connection:
                for table in ordered:
                    connection.execute(create_table_sql(table))
                for table in ordered:
                    _insert(connection, table, data_of[table.name])
                problems = connection.execute("PRAGMA foreign_key_check").fetchall()
                if problems:
                    table_name, rowid, parent, _ = problems[0]
                    raise SqliteExportError(
                        f"{table_name}: row {rowid} refers to a missing row of {parent} "
                        f"({len(problems)} such rows); run `jiutai-data validate`"
                    )
        finally:
            connection.close()
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


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


def datasette_metadata(descriptor: dict[str, Any], tables: list[Table], database: str) -> dict[str, Any]:
    """Datasette's metadata.json: package title, licence and source, and every table's and column's description."""
    licence = (descriptor.get("licenses") or [{}])[0]
    source = next((source for source in descriptor.get("sources", []) if source.get("path")), {})
    metadata: dict[str, Any] = {
        "title": descriptor.get("title", descriptor.get("name", "")),
        "description": descriptor.get("description", ""),
        "license": licence.get("name", ""),
        # Datasette shows these as links: only a web address may become one
        "license_url": licence.get("path", "") if is_web_url(licence.get("path")) else "",
        "source": source.get("title", ""),
        "source_url": source.get("path", "") if is_web_url(source.get("path")) else "",
        "databases": {
            database: {
                "tables": {
                    table.name: {
                        "title": table.title,
                        "description": table.description,
                        "columns": {field["name"]: field.get("description", "") for field in table.schema["fields"]},
                    }
                    for table in tables
                }
            }
        },
    }
    return metadata
