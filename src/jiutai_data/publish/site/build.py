"""Write the static site into dist/site/: gather everything, render, then write only what changed.

Pages: index.html (what the package is, where it comes from, its downloads and validation
status), charts.html, and tables/<table>.html for each table. Everything a page needs is
inside the folder (no CDN, font or script from elsewhere), and links are relative, so the
site works from file:// and from any static host.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from jiutai_data.model.errors import RefusedOutput
from jiutai_data.publish.readme import field_entries
from jiutai_data.model.files import write_atomically
from jiutai_data.model.findings import Report
from jiutai_data.model.layout import Table, inside, read_descriptor, tables
from jiutai_data.publish.site.charts import all_charts, series_total
from jiutai_data.publish.site.downloads import FOLDER, Download, checksums_download, collect_downloads
from jiutai_data.publish.site.payload import SourceText, language_of, table_payload, table_script, text_script, trace_fields
from jiutai_data.publish.site.render import render_page

SITE = "site"
STATIC = Path(__file__).parent / "static"
FINDINGS_SHOWN = 50


@dataclass
class SiteResult:
    folder: Path
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    report: Report | None = None

    def describe(self) -> list[str]:
        verdict = "valid" if self.report is not None and self.report.valid else "NOT valid (the site says so)"
        return [
            f"site: {len(self.pages)} pages in {self.folder}/ (open {self.folder / 'index.html'})",
            f"site: {len(self.written)} files written, {len(self.removed)} removed, the rest unchanged",
            f"site: the package is {verdict}",
        ]


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _source_texts(root: Path, described: list[Table]) -> tuple[list[SourceText], list[Path]]:
    sources = next((table for table in described if table.name == "sources"), None)
    if sources is None:
        return [], []
    frame = pl.read_csv(sources.csv_path, infer_schema=False)
    if "path" not in frame.columns:
        return [], []
    texts, paths = [], []
    # Scripts are numbered rather than named by source ID so that no ID, valid or not, becomes a file name.
    for number, (source_id, relative) in enumerate(frame.select("id", "path").iter_rows(), start=1):
        if not relative:
            continue
        path = inside(root, relative)
        texts.append(SourceText(source_id, f"data/texts/source-{number}.js", path.read_text(encoding="utf-8"),
                                f"{FOLDER}/{path.name}"))
        paths.append(path)
    return texts, paths


def _charts(described: list[Table]) -> dict[str, Any]:
    by_name = {table.name: table for table in described}
    if "indicators" not in by_name or "topics" not in by_name:
        return {"charts": [], "series_total": 0, "series_drawn": 0}
    indicators = pl.read_csv(by_name["indicators"].csv_path, infer_schema=False)
    topics = pl.read_csv(by_name["topics"].csv_path, infer_schema=False)
    charts = all_charts(indicators, topics)
    return {"charts": charts, "series_total": series_total(indicators),
            "series_drawn": sum(chart.id.startswith("series-") for chart in charts)}


def _sources_rows(described: list[Table]) -> list[dict[str, Any]]:
    sources = next((table for table in described if table.name == "sources"), None)
    if sources is None:
        return []
    return pl.read_csv(sources.csv_path, infer_schema=False).to_dicts()


def _findings(report: Report) -> list[dict[str, Any]]:
    shown = [*report.errors, *report.warnings][:FINDINGS_SHOWN]
    return [
        {"severity": finding.severity, "path": finding.path or finding.table or "", "row": finding.row if finding.row is not None else "",
         "column": finding.column or "", "check": finding.check, "message": finding.message}
        for finding in shown
    ]


def _scripts(table: Table, described: list[Table]) -> list[str]:
    """The data scripts a table page loads: its own rows, and the sources' titles when it traces rows to them."""
    scripts = [f"data/{table.name}.js"]
    has_sources = any(other.name == "sources" for other in described)
    if trace_fields(table.schema) is not None and has_sources and table.name != "sources":
        scripts.insert(0, "data/sources.js")
    return scripts


def _pages(descriptor: dict[str, Any], described: list[Table], report: Report, downloads: list[Download],
           texts: list[SourceText], built_at: datetime) -> dict[str, bytes]:
    payloads = {table.name: table_payload(table, texts) for table in described}
    counts = {name: len(payload["rows"]) for name, payload in payloads.items()}
    navigation = [{"name": table.name, "title": table.title, "href": f"tables/{table.name}.html"} for table in described]
    common = {
        "package": descriptor,
        "navigation": navigation,
        "built_at": built_at.strftime("%Y-%m-%d %H:%M UTC"),
        "built_at_iso": built_at.isoformat().replace("+00:00", "Z"),
        "valid": report.valid,
    }
    by_table_downloads = {download.name: download for download in downloads}
    pages = {
        "index.html": render_page(
            "index.html", base="", current="index", **common,
            tables=[{"table": table, "rows": counts[table.name]} for table in described],
            sources=_sources_rows(described),
            downloads=downloads,
            errors=len(report.errors), warnings=len(report.warnings), findings=_findings(report),
            findings_total=len(report.errors) + len(report.warnings),
        ),
        "charts.html": render_page("charts.html", base="", current="charts", **common, **_charts(described)),
    }
    for table in described:
        payload = payloads[table.name]
        fields = [{**entry.__dict__, "language": language_of(entry.name),
                   "enum": next((f["enum"] for f in payload["fields"] if f["name"] == entry.name), None)}
                  for entry in field_entries(table)]
        files = [by_table_downloads[name] for name in (table.csv_path.name, getattr(table.parquet_path, "name", None))
                 if name in by_table_downloads]
        pages[f"tables/{table.name}.html"] = render_page(
            "table.html", base="../", current=table.name, **common,
            table=table, rows=counts[table.name], fields=fields, files=files,
            traceable=trace_fields(table.schema) is not None,
            scripts=_scripts(table, described),
        )
        pages[f"data/{table.name}.js"] = table_script(payload)
    return pages


class SiteError(RefusedOutput, ValueError):
    """The package cannot be shown: a file cannot be read as the descriptor says. The message says which."""


def site_files(root: Path, dist: Path, built_at: datetime | None = None) -> tuple[dict[str, bytes], Report]:
    """Every file of the site (path relative to the site folder → bytes), and the validation report shown."""
    try:
        return _site_files(Path(root), Path(dist), built_at)
    except (pa.ArrowException, pl.exceptions.PolarsError, UnicodeDecodeError) as error:
        raise SiteError(f"cannot read the package: {type(error).__name__}: {error}; "
                        "`jiutai-data validate` names the file and row") from None


def _site_files(root: Path, dist: Path, built_at: datetime | None) -> tuple[dict[str, bytes], Report]:
    from jiutai_data.validate.run import validate_package

    descriptor = read_descriptor(root)
    described = tables(root, descriptor)
    report = validate_package(root)
    texts, text_paths = _source_texts(root, described)
    downloads = collect_downloads(root, dist, descriptor, described, text_paths)
    downloads.append(checksums_download(downloads))
    files = _pages(descriptor, described, report, downloads, texts, built_at or build_time())
    files.update({f"{FOLDER}/{download.name}": download.data for download in downloads})
    files.update({text.script: text_script(text) for text in texts})
    files.update({f"assets/{path.name}": path.read_bytes() for path in sorted(STATIC.iterdir()) if path.is_file()})
    return files, report


def build_site(root: Path, dist: Path, built_at: datetime | None = None) -> SiteResult:
    """Write the site into `dist`/site; files no longer part of it are removed."""
    files, report = site_files(root, dist, built_at)
    folder = Path(dist) / SITE
    result = SiteResult(folder=folder, report=report, pages=sorted(name for name in files if name.endswith(".html")))
    for relative, data in sorted(files.items()):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if write_atomically(path, data):
            result.written.append(path)
    for path in sorted(folder.rglob("*"), reverse=True):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
            result.removed.append(path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return result
