"""Open a package folder read-only: the one model of a package that every verb uses.

``open_package(root)`` reads the descriptor and every resource's Table Schema, resolves
every path safely, and says which resources are tables (``is_table``: one rule, below)
and which Parquet resource is each table's twin. validate, build, export, site, summary,
the README tables, diff, add-source and ``load()`` all open a package here.

A resource's format is its ``format`` (in any case) or else its path's extension, as the
Data Package spec says. A ``csv`` resource is a table; a ``parquet`` resource named
``<table>-parquet`` is that table's twin. Any other format is a ``resource-format`` error,
so that no resource is silently left out of what the verbs publish.

Nothing here writes, and nothing follows a path out of the package: a path that
is absolute, climbs out with ``..`` or a symbolic link, or is a URL is refused
with a finding and never opened; a declared file reached through any symbolic
link, even one that stays inside, is refused too (``symlink``). Names must be
plain names, since they become file names; JSON deeper than a stated limit is
refused before it is parsed. There is no network access.

Why one module of this size: opening a package is one guarded step (paths that may not leave the
folder, the descriptor, each schema), and every verb must see the same refusals.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from jiutai_data.model import codes
from jiutai_data.model.errors import UnknownTable, UnreadablePackage, UnsafePathError
from jiutai_data.model.bounded_json import NESTING_CHECK, NestingTooDeep, loads_bounded
from jiutai_data.model.files import name_problem
from jiutai_data.model.findings import Finding
from jiutai_data.model.partitioning import is_partitioned

DESCRIPTOR = "datapackage.json"
# Finding codes raised here.
NAME_CHECK = codes.NAME            # a package or resource name that is not a safe name
SYMLINK_CHECK = codes.SYMLINK      # a declared file reached through a symbolic link
NO_RESOURCES_CHECK = codes.NO_RESOURCES
URL_CHECK = codes.URL              # a link in the descriptor that is not a web address
# Descriptor properties that hold a link (the Data Package spec's `path` of a licence,
# source or contributor, and the package's homepage); each must be a web URL or a
# relative path, never another scheme such as javascript: or file:.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
TABLE_FORMAT = "csv"
TWIN_FORMAT = "parquet"
TWIN_SUFFIX = "-parquet"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


class UnsafePath(UnsafePathError, ValueError):
    """A path that must not be opened; the message says why."""


class PackageError(UnreadablePackage, ValueError):
    """The package cannot be used by a verb that needs a readable one; the message says why."""


# Resolutions made during one validation run (see resolving_once), keyed by
# (package root, path as written); None outside a run.
_RESOLVED: ContextVar[dict[tuple[Path, str], Path] | None] = ContextVar("resolved_paths", default=None)


@contextlib.contextmanager
def resolving_once() -> Iterator[None]:
    """Within this block, resolve_inside resolves each (root, path) once and each folder once.

    One validation run resolves every source path twice (the reader, then the
    hash check), and thousands of source files share a few folders. Outside the
    block nothing is remembered, so a later run sees the files as they are then.
    """
    token = _RESOLVED.set({})
    try:
        yield
    finally:
        _RESOLVED.reset(token)


def _resolve_below(base: Path, parts: tuple[str, ...], memo: dict[tuple[Path, str], Path]) -> Path:
    """What ``base/parts`` resolves to, as Path.resolve() would; ``base`` is already resolved.

    Resolving a path is resolving its folder, then its last part: so a folder
    shared by many files is resolved once, and each file costs one lstat.
    """
    if not parts:
        return base
    key = (base, "/".join(parts))
    if key in memo:
        return memo[key]
    candidate = _resolve_below(base, parts[:-1], memo) / parts[-1]
    # Like Path.resolve(), a part that does not exist is kept as it is; a link is followed all the way.
    resolved = candidate.resolve() if os.path.islink(candidate) else candidate
    memo[key] = resolved
    return resolved


def resolve_inside(root: Path, relative: Any) -> Path:
    """The file that ``relative`` names inside the package at ``root``.

    Raises UnsafePath for anything that is not a plain relative path staying
    inside ``root`` once symbolic links are resolved. The file need not exist.
    """
    if not isinstance(relative, str) or not relative.strip():
        raise UnsafePath(f"the path {relative!r} is not a non-empty string")
    if _URL.match(relative) or relative.startswith("//"):
        raise UnsafePath(f"the path {relative!r} is a URL; resources must be files inside the package")
    if "\\" in relative or "\x00" in relative:
        raise UnsafePath(f"the path {relative!r} must use '/' separators and no control characters")
    posix = PurePosixPath(relative)
    if posix.is_absolute() or re.match(r"^[A-Za-z]:", relative):
        raise UnsafePath(f"the path {relative!r} is absolute; use a path relative to datapackage.json")
    if ".." in posix.parts:
        raise UnsafePath(f"the path {relative!r} leaves the package folder ('..')")
    memo = _RESOLVED.get()
    if memo is None:
        memo = {}
    root_key = (Path(root), "")
    base = memo.get(root_key)
    if base is None:
        base = memo[root_key] = Path(root).resolve()
    try:
        target = _resolve_below(base, posix.parts, memo)
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links
        raise UnsafePath(f"the path {relative!r} cannot be resolved (a loop of symbolic links?)") from None
    if not target.is_relative_to(base):
        raise UnsafePath(f"the path {relative!r} leads outside the package folder (through a symbolic link)")
    return target


@dataclass
class Resource:
    name: str
    path: str | None               # as written in the descriptor
    file: Path | None              # resolved and safe, or None if refused
    format: str
    schema: dict[str, Any] | None  # the Table Schema, or None if it could not be loaded
    descriptor: dict[str, Any]
    # The schema leaves the subset of Table Schema this package supports
    # (model/support.py has said how), so the table's rows are not read.
    schema_refused: bool = False

    @property
    def is_table(self) -> bool:
        return is_table(self.descriptor)

    @property
    def is_twin(self) -> bool:
        return is_twin(self.descriptor)

    @property
    def usable_schema(self) -> dict[str, Any] | None:
        """The schema to read and check the rows by, or None if there is none that can be used."""
        return None if self.schema_refused else self.schema


@dataclass(frozen=True)
class Table:
    """A table as the verbs publish it: its CSV resource, its Parquet twin and its schema."""

    name: str  # the CSV resource's name, e.g. "indicators"
    resource: dict[str, Any]  # the CSV resource as declared
    twin: dict[str, Any] | None  # the Parquet resource "<name>-parquet", if declared
    schema: dict[str, Any]  # the Table Schema
    csv_path: Path
    parquet_path: Path | None

    @property
    def title(self) -> str:
        return self.resource.get("title", self.name)

    @property
    def description(self) -> str:
        return self.resource.get("description", "")


@dataclass
class Package:
    root: Path
    descriptor: dict[str, Any] | None
    resources: list[Resource] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def can_run(self) -> bool:
        """False when there is nothing to validate (no readable descriptor)."""
        return self.descriptor is not None

    @property
    def tables(self) -> list[Table]:
        """Every table whose file and schema could be opened, in descriptor order (which
        respects the foreign keys). A table left out here has a finding saying why."""
        twins = {r.name: r for r in self.resources if r.is_twin and r.file is not None}
        found = []
        for resource in self.resources:
            if not resource.is_table or resource.file is None or resource.usable_schema is None:
                continue
            twin = twins.get(resource.name + TWIN_SUFFIX)
            found.append(Table(resource.name, resource.descriptor, twin.descriptor if twin else None,
                               resource.usable_schema, resource.file, twin.file if twin else None))
        return found

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        known = ", ".join(table.name for table in self.tables)
        raise UnknownTable(f"no table {name!r} in this package; the tables are: {known}")

    def require(self) -> Package:
        """This package, or PackageError when its descriptor could not be read at all."""
        if self.descriptor is None:
            raise PackageError("; ".join(finding.message for finding in self.findings) or f"no package at {self.root}")
        return self


def _read_json(file: Path) -> Any:
    return loads_bounded(file.read_text(encoding="utf-8"), file.name)


def symbolic_link_in(root: Path, relative: str) -> str | None:
    """The first part of ``relative`` (below ``root``) that is a symbolic link, as a path, or None.

    Such a file is refused rather than followed, even when the link stays inside the
    package: what is published must be the plain file the descriptor names."""
    parts = PurePosixPath(relative).parts
    for count in range(1, len(parts) + 1):
        partial = "/".join(parts[:count])
        if os.path.islink(Path(root) / partial):
            return partial
    return None


def _link_target(root: Path, partial: str) -> str:
    try:
        return os.readlink(Path(root) / partial)
    except OSError:
        return "?"


def _package_error(check: str, message: str, path: str = DESCRIPTOR, table: str | None = None) -> Finding:
    return Finding(table, None, None, check, message, path=path)


def load_descriptor(root: Path) -> tuple[dict[str, Any] | None, list[Finding]]:
    if not root.is_dir():
        return None, [_package_error(codes.PACKAGE, f"{root} is not a folder; expected a folder holding {DESCRIPTOR}")]
    file = root / DESCRIPTOR
    if file.is_symlink():
        return None, [_package_error(SYMLINK_CHECK, f"{DESCRIPTOR} is a symbolic link (to {_link_target(root, DESCRIPTOR)}); "
                                                    "expected a plain file, which is refused rather than followed")]
    if not file.is_file():
        return None, [_package_error(codes.PACKAGE, f"{DESCRIPTOR} not found in {root}")]
    try:
        descriptor = _read_json(file)
    except UnicodeDecodeError as error:
        return None, [_package_error(codes.DESCRIPTOR, f"{DESCRIPTOR} is not UTF-8 ({error.reason} at byte {error.start})")]
    except json.JSONDecodeError as error:
        return None, [_package_error(codes.DESCRIPTOR, f"{DESCRIPTOR} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}")]
    except NestingTooDeep as error:
        return None, [_package_error(NESTING_CHECK, str(error))]
    except OSError as error:
        return None, [_package_error(codes.PACKAGE, f"{DESCRIPTOR} cannot be read: {error.strerror}")]
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return None, [_package_error(codes.DESCRIPTOR, f"{DESCRIPTOR} must be a JSON object with a 'resources' list")]
    findings = []
    if not descriptor["resources"]:
        findings.append(_package_error(NO_RESOURCES_CHECK, f"{DESCRIPTOR} declares no resources; expected at least "
                                                           "one table (a package without data is not a package)"))
    if "name" in descriptor and (problem := name_problem(descriptor["name"])):
        findings.append(_package_error(NAME_CHECK, f"the package {problem}; the name becomes the file name of "
                                                   "the zip download, so it must not be a path"))
    elif "version" in descriptor and (problem := name_problem(f"{descriptor.get('name', '')}-{descriptor['version']}")):
        findings.append(_package_error(NAME_CHECK, f"the package version {descriptor['version']!r} cannot be part of "
                                                   f"the zip's file name: {problem}"))
    return descriptor, findings


def _load_schema(root: Path, name: str, reference: Any) -> tuple[dict[str, Any] | None, list[Finding]]:
    if isinstance(reference, dict):
        schema = reference
        where = DESCRIPTOR
    else:
        try:
            file = resolve_inside(root, reference)
        except UnsafePath as error:
            return None, [_package_error(codes.RESOURCE_PATH, f"schema of {name}: {error}", table=name)]
        where = str(reference)
        if (link := symbolic_link_in(root, reference)) is not None:
            return None, [_package_error(SYMLINK_CHECK, f"schema of {name}: {link} is a symbolic link (to "
                                                        f"{_link_target(root, link)}); expected a plain file, "
                                                        "refused rather than followed", where, name)]
        try:
            schema = _read_json(file)
        except FileNotFoundError:
            return None, [_package_error(codes.SCHEMA, f"schema file {reference} of {name} not found", where, name)]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            return None, [_package_error(codes.SCHEMA, f"schema file {reference} of {name} cannot be read as JSON: {error}", where, name)]
        except NestingTooDeep as error:
            return None, [_package_error(NESTING_CHECK, f"schema of {name}: {error}", where, name)]
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        return None, [_package_error(codes.SCHEMA, f"schema of {name} must have a 'fields' list of objects with a 'name'", where, name)]
    return schema, []


def format_of(entry: dict[str, Any]) -> str:
    """The resource's format as declared (in any case), else as its path's extension says."""
    declared, path = entry.get("format"), entry.get("path")
    if isinstance(declared, str) and declared.strip():
        return declared.strip().lower()
    return PurePosixPath(path).suffix.lstrip(".").lower() if isinstance(path, str) else ""


def is_table(entry: dict[str, Any]) -> bool:
    """The one rule for which resources are tables: CSV files."""
    return format_of(entry) == TABLE_FORMAT


def is_twin(entry: dict[str, Any]) -> bool:
    """A table's Parquet twin: a Parquet resource named ``<table>-parquet``."""
    name = entry.get("name")
    return format_of(entry) == TWIN_FORMAT and isinstance(name, str) and name.endswith(TWIN_SUFFIX)


def _format_problem(name: str, fmt: str, table_names: set[str]) -> str | None:
    """Why a resource of this format would not be published, or None."""
    if fmt == TABLE_FORMAT:
        return None
    if fmt == TWIN_FORMAT:
        if name.endswith(TWIN_SUFFIX) and name[: -len(TWIN_SUFFIX)] in table_names:
            return None
        return (f"resource {name} is a Parquet file but not the twin of a table; a Parquet resource must be "
                f"named <table>{TWIN_SUFFIX} after the CSV table it is built from")
    shown = f"the format {fmt!r}" if fmt else "no format (and its path has no extension)"
    return (f"resource {name} has {shown}, which this package does not publish; a table is a CSV file "
            f"(\"format\": \"csv\"), its twin a Parquet file (\"format\": \"parquet\")")


def _schema_owners(entries: list[Any]) -> dict[str, str]:
    """Schema file -> the resource its mistakes are reported under: the first CSV
    resource naming it (a Parquet twin shares its CSV's schema), else the first one."""
    named = [e for e in entries if isinstance(e, dict) and isinstance(e.get("name"), str)
             and isinstance(e.get("schema"), str)]
    owners: dict[str, str] = {}
    for entry in sorted(named, key=lambda e: not is_table(e)):
        owners.setdefault(entry["schema"], entry["name"])
    return owners


def descriptor_link_findings(descriptor: dict[str, Any]) -> list[Finding]:
    """Each link property of the descriptor that names a scheme other than http(s)."""
    from jiutai_data.model.fields import WEB_URL_SCHEMES, is_web_url

    links: list[tuple[str, Any]] = [("homepage", descriptor.get("homepage"))]
    for group in ("licenses", "sources", "contributors"):
        entries = descriptor.get(group)
        for number, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
            if isinstance(entry, dict):
                links.append((f"{group}[{number}].path", entry.get("path")))
    findings = []
    for where, value in links:
        if isinstance(value, str) and _SCHEME.match(value) and not is_web_url(value):
            findings.append(_package_error(URL_CHECK, f"{where} is {value!r}; expected a web address starting with "
                                                      f"{' or '.join(s + '://' for s in WEB_URL_SCHEMES)} "
                                                      "(other schemes are never shown as links)"))
    return findings


def open_package(root: Path) -> Package:
    """Read the descriptor and every resource's schema; refuse unsafe paths, formats, and
    schemas or CSV dialects outside what the package supports. Never raises on bad input:
    what is wrong is in ``findings``."""
    # Imported here: it loads polars, which the users of resolve_inside need not.
    from jiutai_data.model.support import check_csv_resource, check_table_schema

    root = Path(root)
    descriptor, findings = load_descriptor(root)
    package = Package(root=root, descriptor=descriptor, findings=findings)
    if descriptor is None:
        return package
    package.findings.extend(descriptor_link_findings(descriptor))
    table_names = {e["name"] for e in descriptor["resources"]
                   if isinstance(e, dict) and isinstance(e.get("name"), str) and is_table(e)}
    owners = _schema_owners(descriptor["resources"])
    # A schema file shared by several resources is loaded and checked once, and its mistakes reported once.
    checked: dict[str, tuple[dict[str, Any] | None, bool]] = {}
    seen: set[str] = set()
    for index, entry in enumerate(descriptor["resources"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            package.findings.append(_package_error(codes.DESCRIPTOR, f"resource #{index + 1} has no name"))
            continue
        name = entry["name"]
        if name in seen:
            package.findings.append(_package_error(codes.DESCRIPTOR, f"resource name {name!r} is used twice", table=name))
            continue
        seen.add(name)
        if problem := name_problem(name):
            package.findings.append(_package_error(NAME_CHECK, f"resource {name!r}: {problem}; a resource's name "
                                                               "names the files of its pages, so it must not be a path",
                                                   table=name))
        path = entry.get("path")
        file = None
        if isinstance(path, list):
            # The partitioned layout lists its Parquet part files; read/partitioned.py opens each one.
            if not is_partitioned(entry):
                package.findings.append(_package_error(codes.RESOURCE_PATH, f"resource {name}: multipart paths are not supported", table=name))
        else:
            try:
                file = resolve_inside(root, path)
            except UnsafePath as error:
                package.findings.append(_package_error(codes.RESOURCE_PATH, f"resource {name}: {error}", table=name))
            else:
                if (link := symbolic_link_in(root, path)) is not None:
                    file = None
                    package.findings.append(_package_error(
                        SYMLINK_CHECK, f"resource {name}: {link} is a symbolic link (to {_link_target(root, link)}); "
                                       f"expected {path} to be a plain file in the package, which is refused rather "
                                       "than followed", path=path, table=name))
        fmt = format_of(entry)
        # a partitioned table is validated (validate/parts.py); publishing refuses it by name
        if not is_partitioned(entry) and (problem := _format_problem(name, fmt, table_names)):
            package.findings.append(_package_error(codes.RESOURCE_FORMAT, problem, table=name))
        if is_table(entry):
            package.findings.extend(check_csv_resource(name, entry))
        schema, refused = None, False
        reference = entry.get("schema")
        if isinstance(reference, str) and reference in checked:
            schema, refused = checked[reference]
        elif "schema" in entry:
            owner = owners.get(reference, name) if isinstance(reference, str) else name
            schema, schema_findings = _load_schema(root, owner, reference)
            if schema is not None:
                where = reference if isinstance(reference, str) else DESCRIPTOR
                problems = check_table_schema(owner, schema, where)
                refused = bool(problems)
                schema_findings += problems
            package.findings.extend(schema_findings)
            if isinstance(reference, str):
                checked[reference] = (schema, refused)
        elif is_table(entry):
            package.findings.append(_package_error(codes.SCHEMA, f"resource {name} has no schema; expected a Table Schema "
                                                             "that declares its columns", table=name))
        package.resources.append(Resource(name, path if isinstance(path, str) else None, file, fmt, schema, entry,
                                          refused))
    return package


def resource_paths(descriptor: dict[str, Any] | None) -> dict[str, str]:
    """Resource name -> path as written in the descriptor, for naming files in findings."""
    paths: dict[str, str] = {}
    for entry in (descriptor or {}).get("resources") or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str) and isinstance(entry.get("path"), str):
            paths[entry["name"]] = entry["path"]
    return paths


def descriptor_text(descriptor: dict[str, Any]) -> str:
    """The one formatting of datapackage.json, so that rewriting an unchanged descriptor is a no-op."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def local_resources(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources whose data is one local file (not inline data, not a URL, not several files)."""
    return [
        resource for resource in descriptor.get("resources", [])
        if isinstance(resource, dict) and isinstance(resource.get("path"), str) and not _URL.match(resource["path"])
    ]


def source_text_paths(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """The `path` of every row of the sources table, as written (the source texts)."""
    import csv

    resource = next((r for r in descriptor.get("resources", []) if isinstance(r, dict) and r.get("name") == "sources"
                     and isinstance(r.get("path"), str)), None)
    if resource is None:
        return []
    try:
        with resolve_inside(root, resource["path"]).open(encoding="utf-8", newline="") as stream:
            return [row["path"] for row in csv.DictReader(stream) if row.get("path")]
    except (OSError, UnicodeDecodeError, csv.Error, UnsafePath, KeyError):
        return []


def declared_files(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """Every file the package declares, as written: each local resource's file and schema, and
    each source text. A path that is unsafe, missing, or reached through a symbolic link is left
    out (validate names it)."""
    named = []
    for resource in local_resources(descriptor):
        named.append(resource["path"])
        if isinstance(resource.get("schema"), str):
            named.append(resource["schema"])
    named += source_text_paths(root, descriptor)
    found = []
    for relative in named:
        try:
            file = resolve_inside(root, relative)
        except UnsafePath:
            continue
        if symbolic_link_in(root, relative) is None and file.is_file():
            found.append(PurePosixPath(relative).as_posix())
    return sorted(set(found))
