"""The files the landing page offers, each with its size and sha256.

They are copied into the site (`downloads/`) so that the site is complete on its own: a
static host serving only dist/site/, or a reader opening it from a folder, gets working links.
The package's own files keep their place in the package (`downloads/datapackage.json`,
`downloads/data/indicators.csv`, `downloads/schemas/indicators.json`, …), so the downloads
folder is itself the data package and `frictionless validate downloads/datapackage.json`
finds every resource and schema it names.
The exported files are checked against dist/SHA256SUMS first, so that a stale or damaged
export is refused rather than published.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiutai_data.model.errors import StaleExport
from jiutai_data.publish.export import CHECKSUMS, DATABASE, METADATA, excel_csv_name, stata_name
from jiutai_data.model.files import read_regular_file, sha256_of_bytes
from jiutai_data.model.package import DESCRIPTOR, Table, UnsafePath, resolve_inside

FOLDER = "downloads"


class DownloadError(StaleExport, ValueError):
    """A download is missing or does not match its checksum; the message says which and why."""


@dataclass(frozen=True)
class Download:
    group: str  # what the landing page lists it under
    label: str
    name: str  # path inside downloads/: a package file keeps its path in the package
    data: bytes

    @property
    def href(self) -> str:
        return f"{FOLDER}/{self.name}"

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return sha256_of_bytes(self.data)


def _recorded_checksums(dist: Path) -> dict[str, str]:
    path = dist / CHECKSUMS
    if not path.is_file():
        raise DownloadError(f"{path}: missing; run `jiutai-data export` before `jiutai-data site`")
    recorded = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            recorded[name] = digest
    return recorded


def _exported(dist: Path, name: str, recorded: dict[str, str]) -> bytes:
    path = dist / name
    if not path.is_file():
        raise DownloadError(f"{path}: missing; run `jiutai-data export` before `jiutai-data site`")
    data = path.read_bytes()
    if recorded.get(name) != sha256_of_bytes(data):
        raise DownloadError(
            f"{path}: sha256 {sha256_of_bytes(data)} does not match {dist / CHECKSUMS} "
            f"({recorded.get(name, 'not listed')}); run `jiutai-data export` again"
        )
    return data


def package_path(root: Path, path: Path) -> str:
    """Where a file of the package goes in downloads/: its own path in the package."""
    return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()


def collect_downloads(root: Path, dist: Path, descriptor: dict[str, Any], tables: list[Table],
                      text_paths: list[Path]) -> list[Download]:
    """Every download, in the order the landing page lists them."""
    recorded = _recorded_checksums(dist)
    archive = f"{descriptor.get('name', DATABASE)}-{descriptor.get('version', '0')}.zip"
    found = [
        Download("Whole package", "Data package (zip: CSV, Parquet, schemas, source texts, SHA256SUMS)",
                 archive, _exported(dist, archive, recorded)),
        Download("Whole package", "SQLite database (for Datasette, sqlite3, DuckDB)",
                 f"{DATABASE}.sqlite", _exported(dist, f"{DATABASE}.sqlite", recorded)),
        Download("Whole package", "Datasette metadata for the SQLite database (titles, descriptions, licence)",
                 METADATA, _exported(dist, METADATA, recorded)),
        Download("Whole package", "Excel workbook (one sheet per table, with a README sheet)",
                 f"{DATABASE}.xlsx", _exported(dist, f"{DATABASE}.xlsx", recorded)),
        Download("Whole package", "Descriptor (datapackage.json)", DESCRIPTOR, read_regular_file(root / DESCRIPTOR)),
    ]
    for table in tables:
        found.append(Download("Stata", f"{table.name} (Stata 14 or later: format 118, UTF-8, with variable and value labels)",
                              stata_name(table), _exported(dist, stata_name(table), recorded)))

    def packaged(group: str, label: str, path: Path) -> Download:
        # read as a plain file only: a link or a pipe is refused, not followed
        return Download(group, label, package_path(root, path), read_regular_file(path))

    for table in tables:
        found.append(packaged("Tables", f"{table.name} (CSV, UTF-8)", table.csv_path))
        found.append(Download("Tables", f"{table.name} (CSV for Excel: UTF-8 with a byte-order mark, opens with a double-click)",
                              excel_csv_name(table), _exported(dist, excel_csv_name(table), recorded)))
        if table.parquet_path is not None and table.parquet_path.is_file():
            found.append(packaged("Tables", f"{table.name} (Parquet)", table.parquet_path))
        schema = table.resource.get("schema")
        # Tables may share one schema file; it is offered once.
        if isinstance(schema, str) and all(download.name != Path(schema).as_posix() for download in found):
            try:
                found.append(packaged("Tables", f"{table.name} (Table Schema)", resolve_inside(root, schema)))
            except UnsafePath as error:
                raise DownloadError(f"{schema}: {error}") from None
    for path in text_paths:
        found.append(packaged("Source texts", f"{path.name} (UTF-8 text)", path))
    names = [download.name for download in found]
    clashes = sorted({name for name in names if names.count(name) > 1})
    if clashes:
        raise DownloadError(f"two downloads would share the file name {', '.join(clashes)}")
    return found


def checksums_download(downloads: list[Download]) -> Download:
    """SHA256SUMS for the downloads folder (`sha256sum -c SHA256SUMS` there checks them all)."""
    text = "".join(f"{download.sha256}  {download.name}\n" for download in sorted(downloads, key=lambda d: d.name))
    return Download("Checksums", "SHA256SUMS of every file above", CHECKSUMS, text.encode("utf-8"))
