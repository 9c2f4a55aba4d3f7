"""`jiutai-data export`: the downloads, written into dist/.

- `jiutai-data-<version>.zip`: the whole data package in a folder of the same name, with a
  SHA256SUMS file inside (`sha256sum -c SHA256SUMS` in the unzipped folder checks every file);
- `jiutai-data.sqlite` with `metadata.json` for Datasette;
- `jiutai-data.xlsx`;
- `SHA256SUMS` beside them, for checking the downloads themselves.

The export reads the CSV files (the canonical form) and expects a package that validates;
`make` runs `jiutai-data build` and `validate` first.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from jiutai_data.model.errors import RefusedOutput
from jiutai_data.read.arrow import ConversionError, read_csv_table
from jiutai_data.publish.excel import workbook_bytes
from jiutai_data.publish.sqlite import SqliteExportError, datasette_metadata, write_sqlite
from jiutai_data.model.files import sha256_of_bytes, sha256_of_file, write_atomically
from jiutai_data.model.layout import DESCRIPTOR, LayoutError, Table, read_descriptor, tables

CHECKSUMS = "SHA256SUMS"
# Files beside the descriptor that belong in the download when they exist.
DOCUMENTS = ["README.md", "LICENSE", "LICENSE-DATA.md", "CITATION.cff", "CHANGELOG.md"]
PACKAGE_FOLDERS = ["data", "schemas"]
DATABASE = "jiutai-data"
# Every entry gets this time stamp (the earliest a zip can hold), so the zip depends only on content.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ExportError(RefusedOutput, ValueError):
    """The package cannot be exported; the message says why."""


def package_files(root: Path) -> list[str]:
    """Paths (relative, POSIX) of every file of the data package, sorted."""
    files = [DESCRIPTOR] + [name for name in DOCUMENTS if (root / name).is_file()]
    for folder in PACKAGE_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            # Hidden files are temporary files of an interrupted write, never package content.
            if path.is_file() and not any(part.startswith(".") for part in relative.parts) and path.suffix != ".tmp":
                files.append(relative.as_posix())
    return sorted(set(files))


def checksums_text(digests: dict[str, str]) -> str:
    """The format `sha256sum` writes and `sha256sum -c` reads: digest, two spaces, path."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))


def zip_bytes(root: Path, folder: str) -> bytes:
    files = package_files(root)
    contents = {name: (root / name).read_bytes() for name in files}
    contents[CHECKSUMS] = checksums_text({name: sha256_of_bytes(data) for name, data in contents.items()}).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(contents):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, contents[name])
    return buffer.getvalue()


def _typed_tables(root: Path, descriptor: dict[str, Any]) -> list[tuple[Table, pa.Table]]:
    typed = []
    for table in tables(root, descriptor):
        try:
            typed.append((table, read_csv_table(table.csv_path, table.schema)))
        except ConversionError as error:
            raise ExportError(f"{table.resource['path']}: {error}; run `jiutai-data validate`") from None
        except (OSError, pa.ArrowException) as error:
            raise ExportError(f"{table.resource['path']}: cannot read: {error}") from None
    return typed


def export_package(root: Path, dist: Path) -> list[Path]:
    """Write every download into `dist` (created if needed); returns the files, SHA256SUMS last."""
    root, dist = Path(root), Path(dist)
    descriptor = read_descriptor(root)  # no package there: the command could not run (exit 2)
    try:
        typed = _typed_tables(root, descriptor)
    except LayoutError as error:
        raise ExportError(str(error)) from None
    name, version = descriptor.get("name", DATABASE), descriptor.get("version", "0")
    dist.mkdir(parents=True, exist_ok=True)

    archive = dist / f"{name}-{version}.zip"
    write_atomically(archive, zip_bytes(root, f"{name}-{version}"))

    database = dist / f"{DATABASE}.sqlite"
    try:
        write_sqlite(database, typed)
    except SqliteExportError as error:
        raise ExportError(str(error)) from None
    metadata = dist / "metadata.json"
    metadata_json = json.dumps(datasette_metadata(descriptor, [table for table, _ in typed], DATABASE), indent=2, ensure_ascii=False)
    write_atomically(metadata, (metadata_json + "\n").encode("utf-8"))

    workbook = dist / f"{DATABASE}.xlsx"
    write_atomically(workbook, workbook_bytes(descriptor, typed))

    written = [archive, database, metadata, workbook]
    checksums = dist / CHECKSUMS
    write_atomically(checksums, checksums_text({path.name: sha256_of_file(path) for path in written}).encode())
    return [*written, checksums]
