"""Foreign keys: every reference resolves to a row of the table it names, also across tables;
every key points at the target's primary key or a unique field; a table that refers to
itself (a hierarchy) has no cycles.

(Primary keys are enforced with the other field constraints, in the generated
Pandera schema; see structure.py.)
"""

from __future__ import annotations

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths
from jiutai_data.model.schema import ForeignKey, Schema, foreign_keys, primary_key
from jiutai_data.validate.checks.declare import Scope, declares

# Finding codes raised here (besides foreign-key).
FOREIGN_KEY_TARGET_CHECK = codes.FOREIGN_KEY_TARGET  # a key into columns that are not the target's key
HIERARCHY_CYCLE_CHECK = codes.HIERARCHY_CYCLE        # a row that is its own parent or ancestor


def _unresolved(child: pl.DataFrame, parent: pl.DataFrame, key: ForeignKey) -> pl.DataFrame:
    """Rows of ``child`` whose key is set but matches no row of ``parent`` (an anti-join).

    Both sides are compared as text, so a key typed differently in the two
    schemas still joins. A key with a missing part is not checked, as in
    Frictionless.
    """
    as_text = [pl.col(name).cast(pl.String) for name in key.fields]
    references = parent.select(
        pl.col(ref).cast(pl.String).alias(name) for ref, name in zip(key.reference_fields, key.fields)
    ).unique()
    return (child.select(ROW_COLUMN, *as_text)
            .filter(pl.all_horizontal(pl.col(name).is_not_null() for name in key.fields))
            .join(references, on=key.fields, how="anti")
            .sort(ROW_COLUMN))


@declares(Scope.ROW, codes.FOREIGN_KEY)
def check_foreign_keys(frames: PackageFrames) -> list[Finding]:
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in frames.rows_to_check():
        for key in foreign_keys(frames.schemas.get(table, {})):
            referenced = key.resource or table
            path = paths.get(table)
            target = f"{referenced}.{', '.join(key.reference_fields)}"
            if referenced not in paths:
                findings.append(Finding(table, None, key.fields[0] if key.fields else None, codes.FOREIGN_KEY,
                                        f"the schema refers to table {referenced!r}, which the package does not declare",
                                        path=path))
                continue
            parent = frames.tables.get(referenced)
            if parent is None:
                continue  # that table could not be read; it is reported already
            absent = [n for n in key.fields if n not in frame.columns] + \
                     [n for n in key.reference_fields if n not in parent.columns]
            if absent or len(key.fields) != len(key.reference_fields) or not key.fields:
                findings.append(Finding(table, None, None, codes.FOREIGN_KEY,
                                        f"the foreign key {key.fields} -> {target} names columns that do not "
                                        f"exist or do not pair up: {absent}", path=path))
                continue
            for row, *values in _unresolved(frame, parent, key).iter_rows():
                value = values[0] if len(values) == 1 else values
                findings.append(Finding(table, row, key.fields[0] if len(key.fields) == 1 else None, codes.FOREIGN_KEY,
                                        f"{value!r} is not in {target}; expected a value of {target}",
                                        value, path=path))
    return findings


# --- what a foreign key may point at ------------------------------------------------------

def _is_key_of(schema: dict, reference_fields: list[str]) -> bool:
    """The fields are the schema's primary key, or one field declared unique."""
    if reference_fields and sorted(primary_key(schema)) == sorted(reference_fields):
        return True
    if len(reference_fields) == 1:
        return reference_fields[0] in Schema.of(schema).unique
    return False


@declares(Scope.FILES, codes.FOREIGN_KEY_TARGET)
def check_foreign_key_targets(frames: PackageFrames) -> list[Finding]:
    """Every foreign key points at the target table's primary key or at a unique field.

    A key into columns that may repeat would match a row to several parents (and the
    SQLite export, whose engine requires a unique target, could not be written)."""
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, schema in frames.schemas.items():
        for key in foreign_keys(schema):
            referenced = key.resource or table
            target = frames.schemas.get(referenced)
            if target is None or not key.reference_fields:
                continue  # an unknown or unreadable table is reported by check_foreign_keys or the reader
            if _is_key_of(target, key.reference_fields):
                continue
            fields_named = ", ".join(key.reference_fields)
            findings.append(Finding(
                table, None, key.fields[0] if len(key.fields) == 1 else None, FOREIGN_KEY_TARGET_CHECK,
                f"the foreign key {', '.join(key.fields)} -> {referenced}.{fields_named} points at "
                f"{fields_named}, which is neither the primary key of {referenced} "
                f"({', '.join(primary_key(target)) or 'none declared'}) nor declared unique; expected a key "
                f"that names one row (declare \"unique\": true on it, or point at the primary key)",
                path=paths.get(table)))
    return findings


def _cycles(parents: dict[object, object]) -> list[list[object]]:
    """Each cycle of the child -> parent map once, from its first member met; linear time."""
    state: dict[object, int] = {}  # 1: on the current walk, 2: done
    found: list[list[object]] = []
    for start in parents:
        walk: list[object] = []
        node = start
        while node in parents and node not in state:
            state[node] = 1
            walk.append(node)
            node = parents[node]
        if state.get(node) == 1:  # the walk came back to itself
            found.append(walk[walk.index(node):])
        for member in walk:
            state[member] = 2
    return found


@declares(Scope.FILES, codes.HIERARCHY_CYCLE)
def check_hierarchies_have_no_cycles(frames: PackageFrames) -> list[Finding]:
    """A table whose one-field foreign key points at itself (regions.parent_id -> regions.id)
    is a hierarchy: no row may be its own parent or its own ancestor."""
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in frames.tables.items():
        for key in foreign_keys(frames.schemas.get(table, {})):
            if (key.resource or table) != table or len(key.fields) != 1 or len(key.reference_fields) != 1:
                continue
            child, parent = key.fields[0], key.reference_fields[0]
            if child not in frame.columns or parent not in frame.columns:
                continue
            pairs = frame.select(ROW_COLUMN, pl.col(parent).cast(pl.String).alias("_id"),
                                 pl.col(child).cast(pl.String).alias("_parent")).drop_nulls(["_id", "_parent"])
            rows = dict(pairs.select("_id", ROW_COLUMN).unique("_id", keep="first").iter_rows())
            parents = dict(pairs.select("_id", "_parent").unique("_id", keep="first").iter_rows())
            for cycle in _cycles(parents):
                first = min(cycle, key=lambda member: rows[member])
                at = cycle.index(first)
                cycle = cycle[at:] + cycle[:at]  # told from the row that comes first in the file
                if len(cycle) == 1:
                    message = (f"{first!r} is its own {child}; expected the {parent} of another row "
                               "(or empty at the top of the hierarchy)")
                else:
                    loop = " -> ".join(repr(member) for member in [*cycle, cycle[0]])
                    message = (f"the {child} of these rows go round in a cycle: {loop} "
                               f"(rows {', '.join(str(rows[member]) for member in cycle)}); expected every chain "
                               f"of {child} to end at a row without one")
                findings.append(Finding(table, rows[first], child, HIERARCHY_CYCLE_CHECK, message, first,
                                        path=paths.get(table)))
    return findings
