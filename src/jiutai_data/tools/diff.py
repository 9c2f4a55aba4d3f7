"""What changed between two versions of a package: rows, schemas and resources.

OLD and NEW are package folders or git revisions. Each CSV table is compared by
the primary key its Table Schema declares, with one vectorised polars join.

How values are compared (so a diff shows changes a reader would call changes):
cells are read by the package's one reader (read/tables.py) in its text mode, as the
text written in the CSV; a cell equal to one of the
schema's ``missingValues`` counts as missing. Columns the schema types as
``number`` or ``integer`` are compared by numeric value, so ``1`` and ``1.0``
are the same; every other column (strings, dates, date-times) is compared as
written, character for character. Old and new values are always shown as
written. Only columns present in both versions are compared row by row; a
column added or removed is reported once, as a schema change.

Parquet twins are not compared: they are built from the CSV files, which are
the canonical form. The text of each source in both versions is compared line by line, and
its changed lines are shown (``texts``).

A git revision is read from git objects directly (``git ls-tree`` and ``git cat-file``, by
validate/checks/history.py), never through ``git archive``: so a ``.gitattributes`` of the
revision (``export-ignore``, filters, line-end conversion) cannot hide or alter any file of it.

Why one module of this size: it compares three kinds of thing (rows, schemas, resources) that share
one notion of a row's key and canonical cell; the rendering lives apart, in diff_report.py.
"""

from __future__ import annotations

import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Collection

import polars as pl

from jiutai_data.model.errors import CannotRun
from jiutai_data.model.frames import ROW_COLUMN
from jiutai_data.model.package import DESCRIPTOR, open_package
from jiutai_data.read.tables import read_package
from jiutai_data.validate.checks.history import RevisionError, canonical_cell, changed_lines, materialise_revision

# Column names used internally; chosen so that they cannot clash with a field
# name allowed by the schemas (which are snake_case without leading underscores).
_ROW = ROW_COLUMN  # the reader's row number (header = 1)
_OCCURRENCE = "__occurrence"
_IN_OLD, _IN_NEW = "__in_old", "__in_new"
_CANON = "__canonical"
_NEW = "__new"

# Resource properties that change on every build; the row diff already says
# what changed in the data, so these would only be noise.
_BUILD_PROPERTIES = {"bytes", "hash"}


class DiffError(CannotRun):
    """The diff could not run (exit status 2): a name that is neither a package
    folder nor a git revision, or a descriptor that cannot be read."""


@dataclass(frozen=True)
class ColumnChange:
    column: str
    old: str | None
    new: str | None


@dataclass
class RowEntry:
    """A row added or removed: its key, its row number (header = 1) and its values as written."""

    key: dict[str, str | None]
    row: int
    values: dict[str, str | None]


@dataclass
class RowChange:
    key: dict[str, str | None]
    row_old: int
    row_new: int
    columns: list[ColumnChange]
    # the row as it is now, so that a reviewer sees its value and quote beside the change
    values: dict[str, str | None] = field(default_factory=dict)


@dataclass
class TableDiff:
    table: str
    key: list[str]
    added: list[RowEntry] = field(default_factory=list)
    removed: list[RowEntry] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class PropertyChange:
    """A changed property: of the package (subject None), a resource or a schema field."""

    subject: str | None
    property: str
    old: Any
    new: Any


@dataclass
class SchemaDiff:
    table: str
    fields_added: list[str] = field(default_factory=list)
    fields_removed: list[str] = field(default_factory=list)
    # field -> (old type, new type)
    fields_retyped: list[PropertyChange] = field(default_factory=list)
    # constraints, format, description … of fields present in both
    field_properties: list[PropertyChange] = field(default_factory=list)
    # primaryKey, foreignKeys, missingValues, field order
    table_properties: list[PropertyChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.fields_added or self.fields_removed or self.fields_retyped
                    or self.field_properties or self.table_properties)


@dataclass
class TextChange:
    """A source whose text differs between the versions: its changed lines, ``-N: old`` and ``+N: new``."""

    source: str
    path: str | None
    lines: list[str]


@dataclass
class PackageDiff:
    old: str
    new: str
    package_properties: list[PropertyChange] = field(default_factory=list)
    resources_added: list[str] = field(default_factory=list)
    resources_removed: list[str] = field(default_factory=list)
    resource_properties: list[PropertyChange] = field(default_factory=list)
    schemas: list[SchemaDiff] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)
    # tables that could not be compared, and why
    notes: list[str] = field(default_factory=list)
    # sources in both versions whose texts differ
    texts: list[TextChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.package_properties or self.resources_added or self.resources_removed
                    or self.resource_properties or self.schemas or self.tables or self.notes or self.texts)


# --------------------------------------------------------------------------- reading


@dataclass
class _Table:
    schema: dict[str, Any]
    frame: pl.DataFrame | None  # None when the file could not be read (see notes)


@dataclass
class _Package:
    descriptor: dict[str, Any]
    resources: dict[str, dict[str, Any]]
    tables: dict[str, _Table]
    notes: list[str]
    texts: dict[str, str] = field(default_factory=dict)  # source id -> its text
    text_paths: dict[str, str] = field(default_factory=dict)  # source id -> the path of its text


def _load(root: Path) -> _Package:
    """The package model and every table's cells as written, read by the one reader."""
    package = open_package(root)
    if package.descriptor is None:
        raise DiffError(f"{root}/{DESCRIPTOR} could not be read: "
                        + "; ".join(finding.message for finding in package.findings))
    read = read_package(package, keep_text=True)
    frames = read.frames
    problems: dict[str, str] = {}
    for finding in package.findings + read.findings:
        if finding.table is not None and finding.severity == "error":
            problems.setdefault(finding.table, finding.message)
    resources = {r.name: r.descriptor for r in package.resources}
    tables: dict[str, _Table] = {}
    notes: list[str] = []
    for resource in package.resources:
        if not resource.is_table:
            continue
        name = resource.name
        if resource.schema is None:
            notes.append(f"{name}: not compared: {problems.get(name, 'its schema could not be read')}")
            continue
        frame = frames.text.get(name)
        if frame is None:
            notes.append(f"{name}: not compared: {resource.path} {problems.get(name, 'could not be read')}")
        tables[name] = _Table(resource.schema, frame)
    sources = frames.text.get("sources")
    paths = ({i: p for i, p in sources.select("id", "path").iter_rows() if i is not None and p is not None}
             if sources is not None and {"id", "path"} <= set(sources.columns) else {})
    return _Package(package.descriptor, resources, tables, notes, dict(frames.texts), paths)


# --------------------------------------------------------------------------- git revisions


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError as error:
        raise DiffError("git is not installed, so revisions cannot be read; pass package folders") from error


def _commit(repo: Path, revision: str) -> str | None:
    # --end-of-options: a revision that starts with "-" is a name, never an option
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return done.stdout.decode().strip() if done.returncode == 0 else None


def _materialise(repo: Path, revision: str, into: Path) -> Path:
    """Write the package as it is at the revision into a temporary folder, from git objects
    (validate/checks/history.py); the repository and its working tree are only read."""
    try:
        return materialise_revision(repo, revision, into)
    except RevisionError as error:
        raise DiffError(str(error)) from None


def package_folder(spec: str, repo: Path, stack: ExitStack) -> Path:
    """The folder holding the package SPEC names: SPEC itself if it is a folder
    with datapackage.json, else SPEC as a git revision of REPO, extracted into a
    temporary folder that lives as long as STACK."""
    folder = Path(spec)
    if folder.is_dir() and (folder / DESCRIPTOR).is_file():
        return folder
    commit = _commit(repo, spec) if repo.is_dir() else None
    if commit is None:
        raise DiffError(
            f"{spec!r} is neither a package folder (a folder holding datapackage.json) "
            f"nor a git revision of the repository at {repo}")
    into = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jiutai-diff-")))
    return _materialise(repo, spec, into)


# --------------------------------------------------------------------------- comparing


def _changes(subject: str | None, old: dict[str, Any], new: dict[str, Any],
             skip: Collection[str] = ()) -> list[PropertyChange]:
    """Properties that differ between two dicts; nested dicts (constraints) are
    compared one level down, so the change names e.g. ``constraints.minimum``."""
    found = []
    for name in [*old, *(k for k in new if k not in old)]:
        if name in skip:
            continue
        before, after = old.get(name), new.get(name)
        if isinstance(before, dict) and isinstance(after, dict):
            found += [PropertyChange(subject, f"{name}.{c.property}", c.old, c.new)
                      for c in _changes(subject, before, after)]
        elif before != after:
            found.append(PropertyChange(subject, name, before, after))
    return found


def diff_schema(table: str, old: dict[str, Any], new: dict[str, Any]) -> SchemaDiff:
    old_fields = {f["name"]: f for f in old.get("fields", []) if isinstance(f, dict) and "name" in f}
    new_fields = {f["name"]: f for f in new.get("fields", []) if isinstance(f, dict) and "name" in f}
    result = SchemaDiff(table)
    result.fields_added = [n for n in new_fields if n not in old_fields]
    result.fields_removed = [n for n in old_fields if n not in new_fields]
    for name in (n for n in new_fields if n in old_fields):
        before, after = old_fields[name], new_fields[name]
        old_type, new_type = before.get("type", "string"), after.get("type", "string")
        if old_type != new_type:
            result.fields_retyped.append(PropertyChange(name, "type", old_type, new_type))
        result.field_properties += _changes(name, before, after, skip={"name", "type"})
    result.table_properties = _changes(None, old, new, skip={"fields", "$schema"})
    common_old = [n for n in old_fields if n in new_fields]
    common_new = [n for n in new_fields if n in old_fields]
    if common_old != common_new:
        result.table_properties.append(PropertyChange(None, "field order", common_old, common_new))
    return result


def _field_types(schema: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f.get("type", "string") for f in schema.get("fields", []) if isinstance(f, dict)}



def _prepared(frame: pl.DataFrame, schema: dict[str, Any], columns: list[str], key: list[str]) -> pl.DataFrame:
    missing = schema.get("missingValues", [""])
    types = _field_types(schema)
    as_written = [pl.when(pl.col(c).is_in(missing)).then(None).otherwise(pl.col(c)).alias(c) if missing
                  else pl.col(c) for c in columns]
    prepared = frame.select(_ROW, *as_written)
    prepared = prepared.with_columns(canonical_cell(c, types.get(c, "string")).alias(c + _CANON) for c in columns)
    # numbering repeats of a key lets a table with duplicate keys (an invalid
    # contribution) still be compared one-to-one instead of multiplying rows
    return prepared.with_columns(pl.int_range(pl.len()).over([k + _CANON for k in key]).alias(_OCCURRENCE))


def _key_for(old: dict[str, Any], new: dict[str, Any], columns: list[str]) -> list[str]:
    """The new primary key if both versions have its columns, else the old one,
    else every common column (rows then only appear as added or removed)."""
    for schema in (new, old):
        key = schema.get("primaryKey")
        key = [key] if isinstance(key, str) else key
        if key and all(k in columns for k in key):
            return list(key)
    return list(columns)


def _as_dict(row: dict[str, Any], names: list[str], suffix: str = "") -> dict[str, str | None]:
    return {n: row[n + suffix] for n in names}


def diff_table(table: str, old: pl.DataFrame, new: pl.DataFrame,
               old_schema: dict[str, Any], new_schema: dict[str, Any]) -> TableDiff:
    """Rows added, removed and changed between two frames of cells as written (the reader's text mode)."""
    old_columns = [c for c in old.columns if c != _ROW]
    new_columns = [c for c in new.columns if c != _ROW]
    columns = [c for c in new_columns if c in old_columns]
    key = _key_for(old_schema, new_schema, columns)
    result = TableDiff(table, key)

    before = _prepared(old, old_schema, columns, key).with_columns(pl.lit(True).alias(_IN_OLD))
    after = _prepared(new, new_schema, columns, key).with_columns(pl.lit(True).alias(_IN_NEW))
    on = [k + _CANON for k in key] + [_OCCURRENCE]
    joined = before.join(after, on=on, how="full", coalesce=True, nulls_equal=True, suffix=_NEW)

    added_rows = joined.filter(pl.col(_IN_OLD).is_null()).get_column(_ROW + _NEW)
    removed_rows = joined.filter(pl.col(_IN_NEW).is_null()).get_column(_ROW)
    result.added = _entries(new, new_columns, key, added_rows)
    result.removed = _entries(old, old_columns, key, removed_rows)

    both = joined.filter(pl.col(_IN_OLD) & pl.col(_IN_NEW))
    differing = [
        both.filter(pl.col(c + _CANON).ne_missing(pl.col(c + _CANON + _NEW))).select(
            pl.col(_ROW), pl.col(_ROW + _NEW),
            *(pl.col(k + _NEW).alias(k) for k in key),
            pl.lit(i).alias("__position"), pl.lit(c).alias("__column"),
            pl.col(c).alias("__old"), pl.col(c + _NEW).alias("__new_value"))
        for i, c in enumerate(columns) if c not in key  # key columns are equal by the join
    ]
    if differing:
        long = pl.concat(differing).sort([_ROW + _NEW, "__position"])
        changes: dict[int, RowChange] = {}
        for row in long.iter_rows(named=True):
            change = changes.get(row[_ROW + _NEW])
            if change is None:
                change = changes[row[_ROW + _NEW]] = RowChange(
                    _as_dict(row, key), row[_ROW], row[_ROW + _NEW], [])
            change.columns.append(ColumnChange(row["__column"], row["__old"], row["__new_value"]))
        now = new.filter(pl.col(_ROW).is_in(list(changes))).select(_ROW, *new_columns)
        for row in now.iter_rows(named=True):
            changes[row[_ROW]].values = _as_dict(row, new_columns)
        result.changed = list(changes.values())
    return result


def _entries(frame: pl.DataFrame, columns: list[str], key: list[str], rows: pl.Series) -> list[RowEntry]:
    picked = frame.filter(pl.col(_ROW).is_in(rows.implode())).sort(_ROW)
    return [RowEntry(_as_dict(r, key), r[_ROW], _as_dict(r, columns)) for r in picked.iter_rows(named=True)]


def compare_packages(old_root: Path, new_root: Path, old_label: str, new_label: str) -> PackageDiff:
    """The diff of two package folders."""
    old, new = _load(old_root), _load(new_root)
    result = PackageDiff(old_label, new_label)
    result.package_properties = _changes(None, old.descriptor, new.descriptor, skip={"resources"})
    result.resources_added = [n for n in new.resources if n not in old.resources]
    result.resources_removed = [n for n in old.resources if n not in new.resources]
    for name in (n for n in new.resources if n in old.resources):
        result.resource_properties += _changes(name, old.resources[name], new.resources[name],
                                               skip=_BUILD_PROPERTIES)
    result.notes = sorted(set(old.notes) | set(new.notes))
    result.texts = [TextChange(source, new.text_paths.get(source), changed_lines(text, new.texts[source], limit=None))
                    for source, text in sorted(old.texts.items())
                    if source in new.texts and new.texts[source] != text]

    for name in [*new.tables, *(n for n in old.tables if n not in new.tables)]:
        before, after = old.tables.get(name), new.tables.get(name)
        if before is not None and after is not None:
            schema_diff = diff_schema(name, before.schema, after.schema)
            if not schema_diff.is_empty:
                result.schemas.append(schema_diff)
        if (before is not None and before.frame is None) or (after is not None and after.frame is None):
            continue  # already explained in notes
        # a table only in one version is compared with an empty one: all its rows are added (or removed)
        old_frame = before.frame if before is not None else after.frame.clear()
        new_frame = after.frame if after is not None else before.frame.clear()
        old_schema = before.schema if before is not None else after.schema
        new_schema = after.schema if after is not None else before.schema
        table_diff = diff_table(name, old_frame, new_frame, old_schema, new_schema)
        if not table_diff.is_empty:
            result.tables.append(table_diff)
    return result


def diff_packages(old: str, new: str, repo: Path) -> PackageDiff:
    """Compare OLD with NEW, each a package folder or a git revision of REPO."""
    with ExitStack() as stack:
        old_root = package_folder(str(old), repo, stack)
        new_root = package_folder(str(new), repo, stack)
        return compare_packages(old_root, new_root, str(old), str(new))
