"""`jiutai-data export`: the downloads, written into dist/.

- `jiutai-data-<version>.zip`: the whole data package, `datapackage.json` at the zip's root
  with its resources beside it (so `frictionless validate jiutai-data-<version>.zip` and
  `Package(zip)` find and check every resource), and a SHA256SUMS file (`sha256sum -c
  SHA256SUMS` where it is unzipped checks every file);
- `jiutai-data.sqlite` with `metadata.json` for Datasette;
- `jiutai-data.xlsx`;
- `<table>.dta` for each table, for Stata;
- `<table>-excel.csv` for each table: the canonical CSV with a UTF-8 byte-order mark in front,
  which Excel needs to read UTF-8 when a CSV is opened with a double-click (without it, Excel
  on Chinese Windows reads GBK and shows 涔濆彴琛楅亾 for 九台街道). The canonical files keep no BOM;
- `SHA256SUMS` beside them, for checking the downloads themselves.

The export validates the package (or takes the validation just made, as `jiutai-data
publish` does) and refuses one that is not valid; it publishes the typed frames that the
validation read, converted to the schema's Arrow types, so every table that validates is in
every download.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from jiutai_data.model.errors import RefusedOutput
from jiutai_data.model.partitioning import publishing_refusal
from jiutai_data.model.files import (OutputPathError, archive_entry, name_problem, read_regular_file, resolve_output,
                                     sha256_of_bytes, sha256_of_file, write_atomically)
from jiutai_data.model.package import DESCRIPTOR, PackageError, Table, declared_files
from jiutai_data.publish.excel import write_workbook
from jiutai_data.publish.stata import SUFFIX as STATA_SUFFIX, dta_bytes
from jiutai_data.publish.sqlite import SqliteExportError, datasette_metadata, write_sqlite
from jiutai_data.read.arrow import ConversionError, frame_to_arrow
from jiutai_data.validate.report import render_report
from jiutai_data.validate.run import Checked, check_package

CHECKSUMS = "SHA256SUMS"
# Files beside the descriptor that belong in the download when they exist.
DOCUMENTS = ["README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff", "CHANGELOG.md"]
DATABASE = "jiutai-data"
METADATA = "metadata.json"
EXCEL_CSV_SUFFIX = "-excel.csv"
UTF8_BOM = b"\xef\xbb\xbf"
# Every entry gets this time stamp (the earliest a zip can hold), so the zip depends only on content.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ExportError(RefusedOutput, ValueError):
    """The package cannot be exported; the message says why."""


def package_files(root: Path, descriptor: dict[str, Any]) -> list[str]:
    """Paths (relative, POSIX) of every file the data package declares, sorted.

    Only declared files are packed: the descriptor, the documents beside it, each
    resource's file and schema, and each source text the sources table names. A stray
    file in data/ (or a link in it to /etc/passwd) is never published."""
    files = [DESCRIPTOR] + [name for name in DOCUMENTS if (root / name).is_file() and not (root / name).is_symlink()]
    files += declared_files(root, descriptor)
    return sorted(set(files))


def checksums_text(digests: dict[str, str]) -> str:
    """The format `sha256sum` writes and `sha256sum -c` reads: digest, two spaces, path."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))


def zip_bytes(root: Path, descriptor: dict[str, Any]) -> bytes:
    files = package_files(root, descriptor)
    try:
        # read as plain files only: a declared file that became a link or a pipe is refused, not followed
        contents = {name: read_regular_file(root / name) for name in files}
    except OSError as error:
        raise ExportError(f"cannot pack the package: {error}; run `jiutai-data validate`") from None
    contents[CHECKSUMS] = checksums_text({name: sha256_of_bytes(data) for name, data in contents.items()}).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(contents):
            # At the root, not in a folder: frictionless looks for datapackage.json there.
            info = zipfile.ZipInfo(archive_entry("", name), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, contents[name])
    return buffer.getvalue()


def typed_tables(checked: Checked) -> list[tuple[Table, pa.Table]]:
    """Every table of a valid package as an Arrow table with its schema's types, from the
    frames the validation read; ExportError for a package that is not valid (or partitioned),
    PackageError when there is no package to read (the command could not run)."""
    if checked.report.stats.get("could_not_run"):
        raise PackageError("; ".join(finding.message for finding in checked.report.errors))
    if checked.package is not None and (refusal := publishing_refusal(checked.package.descriptor)):
        raise ExportError(refusal)
    if not checked.report.valid or checked.package is None or checked.frames is None:
        raise ExportError("the package is not valid; nothing was exported:\n" + render_report(checked.report))
    typed = []
    for table in checked.package.tables:
        frame = checked.frames.table(table.name)
        try:
            if frame is None:
                raise ConversionError("the table was not read")
            typed.append((table, frame_to_arrow(frame, table.schema)))
        except ConversionError as error:
            raise ExportError(f"{table.resource.get('path')}: {error}") from None
    return typed


def stata_name(table: Table) -> str:
    return table.name + STATA_SUFFIX


def excel_csv_name(table: Table) -> str:
    return f"{table.name}{EXCEL_CSV_SUFFIX}"


def download_names(descriptor: dict[str, Any], described: list[Table]) -> list[str]:
    """The name of every file `export_package` writes, SHA256SUMS aside."""
    name, version = descriptor.get("name", DATABASE), descriptor.get("version", "0")
    return [f"{name}-{version}.zip", f"{DATABASE}.sqlite", METADATA, f"{DATABASE}.xlsx",
            *(stata_name(table) for table in described), *(excel_csv_name(table) for table in described)]


def _created(descriptor: dict[str, Any]) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(descriptor.get("created", "")).replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def export_package(root: Path, dist: Path, checked: Checked | None = None) -> list[Path]:
    """Write every download into `dist` (created if needed); returns the files, SHA256SUMS last.

    ``checked`` is a validation of the package at ``root`` just made; without it, the
    package is validated here."""
    root, dist = Path(root), Path(dist)
    checked = checked if checked is not None else check_package(root)
    typed = typed_tables(checked)
    assert checked.package is not None and checked.package.descriptor is not None
    descriptor = checked.package.descriptor
    name, version = descriptor.get("name", DATABASE), descriptor.get("version", "0")
    folder = f"{name}-{version}"
    if problem := name_problem(folder):
        raise ExportError(f"the package name and version make the zip's name: {problem}; "
                          "`jiutai-data validate` says which to fix")
    try:
        archive, database, metadata, workbook, checksums = (
            resolve_output(dist, file) for file in (f"{folder}.zip", f"{DATABASE}.sqlite", METADATA,
                                                    f"{DATABASE}.xlsx", CHECKSUMS))
        # A table name that would lead out of dist is refused here, before anything is written.
        statas = [resolve_output(dist, stata_name(table)) for table, _ in typed]
        excel_copies = [resolve_output(dist, excel_csv_name(table)) for table, _ in typed]
        contents = zip_bytes(root, descriptor)
    except OutputPathError as error:
        raise ExportError(str(error)) from None
    metadata_json = json.dumps(datasette_metadata(descriptor, [table for table, _ in typed], DATABASE), indent=2, ensure_ascii=False)
    dist.mkdir(parents=True, exist_ok=True)
    # The database first: it is the one download that can still fail on the package's content
    # (it is written to a temporary file and renamed), so a refusal leaves the other files as they were.
    try:
        write_sqlite(database, typed)
    except SqliteExportError as error:
        raise ExportError(str(error)) from None
    # Each file is hashed from the bytes written, as it is written; only the two files a library
    # writes to disk (the database and the workbook) are read back to be hashed.
    digests: dict[str, str] = {}

    def write(path: Path, data: bytes) -> None:
        write_atomically(path, data)
        digests[path.name] = sha256_of_bytes(data)

    write(archive, contents)
    write(metadata, (metadata_json + "\n").encode("utf-8"))
    write_workbook(workbook, descriptor, typed)
    created = _created(descriptor)
    for path, (table, data) in zip(statas, typed):
        write(path, dta_bytes(table, data, created))
    for path, (table, _) in zip(excel_copies, typed):
        try:
            write(path, UTF8_BOM + read_regular_file(table.csv_path))
        except OSError as error:
            raise ExportError(f"{table.resource.get('path')}: cannot read: {error}; run `jiutai-data validate`") from None

    written = [archive, database, metadata, workbook, *statas, *excel_copies]
    for path in (database, workbook):
        digests[path.name] = sha256_of_file(path)
    write_atomically(checksums, checksums_text({path.name: digests[path.name] for path in written}).encode())
    return [*written, checksums]
