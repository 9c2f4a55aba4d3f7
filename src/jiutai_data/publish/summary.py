"""`jiutai-data summary`: what `make` just produced, in a few lines: tables and rows,
files and their sizes, the downloads, and the validation result."""

from __future__ import annotations

from pathlib import Path

from jiutai_data.model.package import PackageError
from jiutai_data.publish.export import CHECKSUMS
from jiutai_data.publish.readme import row_count
from jiutai_data.validate.run import Checked, check_package
from jiutai_data.validate.report import plural

DIST = "dist"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def _size_of(path: Path | None) -> str:
    return human_size(path.stat().st_size) if path is not None and path.is_file() else "missing"


def summarise(root: Path, checked: Checked | None = None, dist: Path | None = None) -> str:
    """The summary of the package at ``root`` and its downloads in ``dist`` (default: its
    dist/), from ``checked`` (a validation of it just made) or from a validation made here."""
    root = Path(root)
    checked = checked if checked is not None else check_package(root)
    if checked.package is None or checked.frames is None:
        raise PackageError("; ".join(finding.message for finding in checked.report.errors) or f"no package at {root}")
    descriptor = checked.package.descriptor or {}
    described = checked.package.tables
    width = max([len("table"), *(len(table.name) for table in described)])
    lines = [
        f"{descriptor.get('name', '')} {descriptor.get('version', '')}: {descriptor.get('title', '')}",
        "",
        f"{'table':<{width}}  {'rows':>6}  {'CSV':>10}  {'Parquet':>10}",
    ]
    total = 0
    for table in described:
        rows = row_count(table, checked.frames)
        total += rows
        lines.append(
            f"{table.name:<{width}}  {rows:>6}  {_size_of(table.csv_path):>10}  {_size_of(table.parquet_path):>10}"
        )
    lines.append(f"{'total':<{width}}  {total:>6}")

    dist = Path(dist) if dist is not None else root / DIST
    downloads = sorted(path for path in dist.glob("*") if path.is_file() and not path.name.startswith(".")) if dist.is_dir() else []
    lines.append("")
    if downloads:
        lines.append(f"downloads in {DIST}/ (check them with `sha256sum -c {CHECKSUMS}` there):")
        name_width = max(len(path.name) for path in downloads)
        lines.extend(f"  {path.name:<{name_width}}  {human_size(path.stat().st_size):>10}" for path in downloads)
    else:
        lines.append(f"downloads: none yet in {DIST}/ (run `jiutai-data export`)")

    site_index = dist / "site" / "index.html"
    lines.append("")
    if site_index.is_file():
        pages = len(list(site_index.parent.rglob("*.html")))
        lines.append(f"site: {DIST}/site/index.html ({pages} pages; open it in a browser, or serve {DIST}/site/ from any static host)")
    else:
        lines.append(f"site: none yet in {DIST}/site/ (run `jiutai-data site`)")

    report = checked.report
    verdict = "valid" if report.valid else "INVALID"
    lines.append("")
    lines.append(f"validation: {verdict}: {plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}")
    return "\n".join(lines)
