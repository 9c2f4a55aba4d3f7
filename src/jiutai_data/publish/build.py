"""`jiutai-data build`: validate the CSVs, then write the Parquet twins, the descriptor's
`bytes`/`hash` and `sources`, and the generated sections of the README and CITATION.cff —
each only when its content changed.

Nothing is written unless the whole package validates (apart from the findings that only
say the build's own outputs are stale), and every file is replaced atomically. The twins
are the typed frames the validation read and checked (read/tables.py), converted to the
schema's Arrow types: no CSV is parsed a second time, nor by another parser.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jiutai_data.model import codes
from jiutai_data.model.partitioning import publishing_refusal
from jiutai_data.model.files import (HASH_ALGORITHM, TEMPORARY_FILE, OutputPathError, leftover_temporary_files,
                                     resolve_output, sha256_of_file, write_atomically)
from jiutai_data.model.findings import Finding, Report
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import DESCRIPTOR, TWIN_FORMAT, Table, descriptor_text, format_of, local_resources
from jiutai_data.model.package import UnsafePath, resolve_inside
from jiutai_data.model.schema import Schema
from jiutai_data.read.arrow import (
    METADATA_PACKAGE_NAME,
    METADATA_PACKAGE_VERSION,
    METADATA_PANDAS,
    METADATA_TABLE,
    METADATA_TABLE_SCHEMA,
    ConversionError,
    conform,
    frame_to_arrow,
)
from jiutai_data.validate.run import Checked, check_package
from jiutai_data.publish.metadata import Source, descriptor_description, descriptor_sources
from jiutai_data.validate.report import plural

PARQUET_COMPRESSION = "zstd"
PARQUET_COMPRESSION_LEVEL = 9
ARROW_SCHEMA_KEY = b"ARROW:schema"  # written by pyarrow itself; not part of our metadata
BUILD_CHECK = codes.BUILD
# `frictionless validate` (5.x) reads Parquet through pyarrow without counting its bytes, so
# it rejects any declared `bytes` of a Parquet resource ("actual is None"). Those resources
# carry only `hash`, which frictionless skips and `jiutai-data validate` checks.
FORMATS_WITHOUT_BYTE_COUNT = frozenset({TWIN_FORMAT})


@dataclass
class BuildResult:
    report: Report  # the validation report, less the findings about the outputs being rebuilt
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)  # temporary files an interrupted build left
    root: Path = Path(".")
    rows: dict[str, int] = field(default_factory=dict)
    descriptor: dict[str, Any] | None = None  # as written, with its refreshed bytes and hashes

    def describe(self) -> list[str]:
        lines = [f"build: removed the leftover temporary file {path.relative_to(self.root).as_posix()}"
                 for path in self.removed]
        lines += [f"build: wrote {path.relative_to(self.root).as_posix()}" for path in self.written]
        if self.report.valid and not self.written:
            lines.append("build: every file was already up to date; nothing written")
        if self.rows:
            total = sum(self.rows.values())
            lines.append(f"build: {plural(len(self.rows), 'table')}, {plural(total, 'row')}")
        return lines


class _Refused(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def _refusal(report: Report, root: Path, *findings: Finding) -> BuildResult:
    return BuildResult(report=Report(findings=[*report.findings, *findings], stats=report.stats), root=root)


def parquet_metadata(descriptor: dict[str, Any], table: Table) -> dict[str, str]:
    return {
        METADATA_PANDAS: json.dumps(Schema.of(table.schema).pandas_metadata(), separators=(",", ":")),
        METADATA_TABLE: table.name,
        METADATA_PACKAGE_NAME: str(descriptor.get("name", "")),
        METADATA_PACKAGE_VERSION: str(descriptor.get("version", "")),
        METADATA_TABLE_SCHEMA: json.dumps(table.schema, ensure_ascii=False, separators=(",", ":")),
    }


def parquet_bytes(data: pa.Table, metadata: dict[str, str]) -> bytes:
    """The Parquet file for `data`; the same input gives the same bytes on every run.

    pyarrow writes no time stamp; its only run-dependent choices are threads and row-group
    size, fixed here to one thread-independent row group."""
    sink = pa.BufferOutputStream()
    pq.write_table(
        data.replace_schema_metadata(metadata),
        sink,
        row_group_size=max(data.num_rows, 1),
        compression=PARQUET_COMPRESSION,
        compression_level=PARQUET_COMPRESSION_LEVEL,
        use_dictionary=True,
        write_statistics=True,
        store_schema=True,
    )
    return sink.getvalue().to_pybytes()


def holds_same_content(path: Path, data: pa.Table, metadata: dict[str, str], table: Table) -> bool:
    """True when the Parquet file at `path` already holds these rows, types and metadata.

    Another pyarrow or zstd version may encode the same content in other bytes; such a file
    is left alone, so that a fresh clone's build does not rewrite committed files."""
    try:
        existing = pq.read_table(path)
        file_metadata = pq.read_metadata(path)
    except (OSError, pa.ArrowException):
        return False
    stored = {key: value for key, value in (existing.schema.metadata or {}).items() if key != ARROW_SCHEMA_KEY}
    expected = {key.encode(): value.encode() for key, value in metadata.items()}
    if stored != expected:
        return False
    if any(
        file_metadata.row_group(group).column(column).compression.lower() != PARQUET_COMPRESSION
        for group in range(file_metadata.num_row_groups)
        for column in range(file_metadata.num_columns)
    ):
        return False
    try:
        return conform(existing, table.schema).equals(data)
    except (KeyError, pa.ArrowException):
        return False


def refreshed_descriptor(root: Path, descriptor: dict[str, Any], sources: list[Source] | None = None) -> dict[str, Any]:
    """The descriptor with `hash` (and `bytes`, where declarable) of every local resource set from its
    file, and `sources` and `description` written from the rows of the sources table (publish/metadata.py)."""
    refreshed = copy.deepcopy(descriptor)
    if sources is not None and (sources or "sources" in refreshed):
        refreshed["sources"] = descriptor_sources(sources, refreshed.get("sources") or [])
        refreshed["description"] = descriptor_description(sources)
    for resource in local_resources(refreshed):
        try:
            path = resolve_inside(root, resource["path"])
        except UnsafePath:
            continue  # validate refused it, so the build never gets here
        if not path.is_file():
            continue
        if format_of(resource) in FORMATS_WITHOUT_BYTE_COUNT:
            resource.pop("bytes", None)
        else:
            resource["bytes"] = path.stat().st_size
        resource["hash"] = f"{HASH_ALGORITHM}:{sha256_of_file(path)}"
    return refreshed


def _planned_parquet(root: Path, descriptor: dict[str, Any], tables: list[Table],
                     frames: PackageFrames) -> tuple[list[tuple[Path, bytes, bool]], dict[str, int]]:
    """Every twin's new bytes, computed before anything is written, and whether it needs writing."""
    planned, rows = [], {}
    for table in tables:
        frame = frames.table(table.name)
        if frame is None:  # validate reports why a table could not be read, so this is a bug
            raise _Refused(Finding(table.name, None, None, BUILD_CHECK, "the table was not read",
                                   path=table.resource.get("path")))
        try:
            data = frame_to_arrow(frame, table.schema)
        except ConversionError as error:
            raise _Refused(Finding(table.name, None, None, BUILD_CHECK,
                                   f"cannot convert to its Parquet types: {error}", path=table.resource.get("path")))
        rows[table.name] = data.num_rows
        if table.parquet_path is None:
            continue
        metadata = parquet_metadata(descriptor, table)
        new_bytes = parquet_bytes(data, metadata)
        try:
            path = resolve_output(root, table.twin["path"])
        except OutputPathError as error:  # validate refuses such a path, so the build never gets here
            raise _Refused(Finding(table.name, None, None, BUILD_CHECK, str(error), path=table.twin.get("path")))
        unchanged = path.is_file() and (path.read_bytes() == new_bytes or holds_same_content(path, data, metadata, table))
        planned.append((path, new_bytes, not unchanged))
    return planned, rows


def build_package(root: Path, checked: Checked | None = None) -> BuildResult:
    """Validate the package (or take ``checked``, a validation of it just made) and build it."""
    from jiutai_data.publish.metadata import refresh_citation, sources_of  # (beside readme, imported late like it)
    from jiutai_data.publish.readme import refresh_readme

    root = Path(root)
    checked = checked if checked is not None else check_package(root)
    validation = checked.report
    # Findings that only say the build's outputs are stale (codes.Code.build_output) are what
    # the build is about to fix, so they do not refuse it.
    report = Report(
        findings=[finding for finding in validation.findings if not finding.build_output],
        stats=validation.stats,
    )
    if checked.package is not None and (refusal := publishing_refusal(checked.package.descriptor)):
        report.findings.append(Finding(None, None, None, BUILD_CHECK, f"cannot build: {refusal}", path=DESCRIPTOR))
    if not report.valid or checked.package is None or checked.frames is None:
        return BuildResult(report=report, root=root)

    package = checked.package
    descriptor = package.descriptor
    assert descriptor is not None
    try:
        planned, rows = _planned_parquet(root, descriptor, package.tables, checked.frames)
    except _Refused as refusal:
        return _refusal(report, root, refusal.finding)

    removed = remove_leftover_temporary_files(root, [path for path, _, _ in planned])
    written = [path for path, data, needed in planned if needed and write_atomically(path, data)]
    descriptor_path = root / DESCRIPTOR
    sources = sources_of(package.tables, checked.frames)
    refreshed = refreshed_descriptor(root, descriptor, sources)
    if write_atomically(descriptor_path, descriptor_text(refreshed).encode("utf-8")):
        written.append(descriptor_path)
    written.extend(refresh_readme(root, package.tables, checked.frames))
    written.extend(refresh_citation(root, sources))
    return BuildResult(report=report, written=written, removed=removed, root=root, rows=rows, descriptor=refreshed)


def remove_leftover_temporary_files(root: Path, outputs: list[Path]) -> list[Path]:
    """Delete the temporary files (".<name>.<random>.tmp") that an interrupted write of one
    of the build's own outputs left beside it; no other file is touched."""
    from jiutai_data.publish.readme import README

    names: dict[Path, set[str]] = {}
    for path in [*outputs, root / DESCRIPTOR, root / README]:
        names.setdefault(path.parent, set()).add(path.name)
    removed = []
    for folder, own in names.items():
        for leftover in leftover_temporary_files(folder):
            match = TEMPORARY_FILE.match(leftover.name)
            if match and match.group("name") in own:
                leftover.unlink(missing_ok=True)
                removed.append(leftover)
    return removed
