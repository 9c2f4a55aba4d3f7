"""Valid means publishable: names that would collide in a download, and characters no download can hold.

Each download has its own namespace, with its own rules, and a name that is fine in the
descriptor can clash there:

- SQLite: table names are case-insensitive and share one namespace with the full-text index
  of each table with free text (`T_fts`, and FTS5's shadow tables `T_fts_data`, `_idx`,
  `_content`, `_docsize`, `_config`) and with the index on each foreign key (`T__field`);
  `sqlite_*` is SQLite's own; column names are case-insensitive too;
- the workbook: sheet names are case-insensitive, at most 31 characters, beside the README
  sheet (and Excel reserves `History`);
- Stata: a variable name holds letters, digits and `_`, at most 32 of them; pandas rewrites
  any other name (a-b -> a_b), so two fields can become one variable.

A clash is an error naming the table and column: otherwise `validate` passes and `export`
stops with "table already exists" or an internal error. The rules mirror publish/sqlite.py,
publish/excel.py and publish/stata.py, which validate may not import; a test holds them equal.

Noncharacters (U+FDD0–U+FDEF and U+xFFFE, U+xFFFF of every plane) are not text: YAML and
XML (CITATION.cff, the workbook) cannot hold them, so a cell or a descriptor text holding one
is an error naming its code point.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import DESCRIPTOR, resource_paths
from jiutai_data.model.roles import free_text_fields
from jiutai_data.model.schema import Schema, foreign_keys, primary_key, string_fields
from jiutai_data.validate.checks.declare import Scope, declares

# publish/sqlite.py
FTS_SUFFIX = "_fts"
FTS_SHADOW_SUFFIXES = ("", "_data", "_idx", "_content", "_docsize", "_config")
SQLITE_RESERVED_PREFIX = "sqlite_"
# publish/excel.py
README_SHEET = "README"
SHEET_NAME_LENGTH = 31
EXCEL_RESERVED_SHEETS = ("History",)
# publish/stata.py (pandas' rules for a variable name)
STATA_NAME_LENGTH = 32
_NOT_STATA = re.compile(r"[^A-Za-z0-9_]")

MAX_NAMED = 1000  # rows named one by one; beyond them a table's rows are counted
NONCHARACTER_RANGES = ((0xFDD0, 0xFDEF), *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)))
_NONCHARACTER = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in NONCHARACTER_RANGES) + "]")
NONCHARACTERS = "[" + "".join(f"\\x{{{low:X}}}-\\x{{{high:X}}}" for low, high in NONCHARACTER_RANGES) + "]"


def sqlite_names(name: str, schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(name in the database, what it is) for each object a table makes in the SQLite download."""
    names = [(name, f"the table {name}")]
    if free_text_fields(schema):
        names += [(name + FTS_SUFFIX + suffix, f"the full-text index of {name}") for suffix in FTS_SHADOW_SUFFIXES]
    for key in foreign_keys(schema):
        if key.fields != primary_key(schema)[:len(key.fields)]:
            names.append((f"{name}__{'__'.join(key.fields)}", f"the index on {name}.{', '.join(key.fields)}"))
    return names


def stata_name(field: str) -> str:
    """The variable name pandas writes for a field (before it renames duplicates)."""
    name = _NOT_STATA.sub("_", field) or "_"
    return ("_" + name if name[0].isdigit() else name)[:STATA_NAME_LENGTH]


def _clash(table: str, column: str | None, message: str, path: str) -> Finding:
    return Finding(table, None, column, codes.NAME_COLLISION, message, column or table, path=path)


@declares(Scope.FILES, codes.NAME_COLLISION)
def check_names_do_not_collide(frames: PackageFrames) -> list[Finding]:
    """Every name a download makes from a table or column name is unique in that download."""
    paths = resource_paths(frames.descriptor)
    tables = [(name, schema) for name, schema in frames.schemas.items() if isinstance(schema, dict)]
    findings: list[Finding] = []

    taken: dict[str, str] = {}  # SQLite, case-folded name -> what took it
    sheets: dict[str, str] = {README_SHEET.casefold(): "the README sheet",
                              **{reserved.casefold(): f"the name Excel reserves ({reserved})"
                                 for reserved in EXCEL_RESERVED_SHEETS}}
    for name, schema in tables:
        path = paths.get(name, DESCRIPTOR)
        for made, what in sqlite_names(name, schema):
            key = made.casefold()
            if key.startswith(SQLITE_RESERVED_PREFIX):
                findings.append(_clash(name, None, f"{what} would be named {made!r} in the SQLite download; names "
                                       f"starting with {SQLITE_RESERVED_PREFIX} are SQLite's own: rename the table",
                                       DESCRIPTOR))
            elif key in taken:
                findings.append(_clash(name, None, f"{what} would be named {made!r} in the SQLite download, as "
                                       f"{taken[key]} is (SQLite ignores case): rename the table", DESCRIPTOR))
            else:
                taken[key] = what
        sheet = name[:SHEET_NAME_LENGTH]
        if sheet.casefold() in sheets:
            findings.append(_clash(name, None, f"the table {name} would be the workbook's sheet {sheet!r}, as "
                                   f"{sheets[sheet.casefold()]} is (sheet names ignore case and keep "
                                   f"{SHEET_NAME_LENGTH} characters): rename the table", DESCRIPTOR))
        else:
            sheets[sheet.casefold()] = f"the table {name}"

        columns: dict[str, str] = {}
        variables: dict[str, str] = {}
        for column in Schema.of(schema).names:
            if column.casefold() in columns:
                findings.append(_clash(name, column, f"the columns {columns[column.casefold()]!r} and {column!r} of "
                                       f"{name} differ only in case; SQLite (and a reader) takes them for one "
                                       "column: rename one", path))
                continue
            columns[column.casefold()] = column
            variable = stata_name(column)
            if variable in variables:
                findings.append(_clash(name, column, f"the columns {variables[variable]!r} and {column!r} of {name} "
                                       f"would both be the Stata variable {variable!r} (letters, digits and _ only, "
                                       f"at most {STATA_NAME_LENGTH}): rename one", path))
            variables.setdefault(variable, column)
    return findings


def _texts(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON document (keys too), with where it is."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(key, where)
            yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _texts(value, f"{where}[{index}]")


def _code_point(text: str) -> str:
    found = _NONCHARACTER.search(text)
    return f"U+{ord(found.group()):04X}" if found else ""


@declares(Scope.ROW, codes.NONCHARACTER)
def check_text_has_no_noncharacters(frames: PackageFrames) -> list[Finding]:
    """No cell, and no text of the descriptor or a schema, holds a noncharacter."""
    findings: list[Finding] = []
    paths = resource_paths(frames.descriptor)
    documents = [(None, DESCRIPTOR, frames.descriptor)] + [(name, paths.get(name, DESCRIPTOR), schema)
                                                           for name, schema in frames.schemas.items()]
    for table, path, document in documents:
        for where, text in _texts(document, "descriptor" if table is None else f"schema of {table}"):
            if point := _code_point(text):
                findings.append(Finding(table, None, None, codes.NONCHARACTER,
                                        f"{where} holds the noncharacter {point}, which is not text (YAML and the "
                                        "workbook's XML cannot hold it): delete it", point, path=path))
    for name, frame in frames.rows_to_check():
        schema = frames.schemas.get(name)
        columns = [c for c in string_fields(schema) if c in frame.columns] if isinstance(
            schema, dict) else []
        if not columns:
            continue
        # one vectorised scan per table (Rust's linear regex); only the first cells found are read again
        holds = [pl.col(c).cast(pl.String).str.contains(NONCHARACTERS).fill_null(False) for c in columns]
        flagged = frame.filter(pl.any_horizontal(holds))
        for row in flagged.head(MAX_NAMED).select(ROW_COLUMN, *[pl.col(c).cast(pl.String) for c in columns]).iter_rows(
                named=True):
            for column in columns:
                if row[column] and (point := _code_point(row[column])):
                    findings.append(Finding(name, row[ROW_COLUMN], column, codes.NONCHARACTER,
                                            f"{column} holds the noncharacter {point}, which is not text (YAML and "
                                            "the workbook's XML cannot hold it): delete it", point,
                                            path=paths.get(name)))
        if flagged.height > MAX_NAMED:  # counted, not listed
            findings.append(Finding(name, None, None, codes.NONCHARACTER,
                                    f"{flagged.height} rows hold a noncharacter; the first {MAX_NAMED} are named",
                                    flagged.height, path=paths.get(name)))
    return findings
