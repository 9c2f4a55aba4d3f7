"""Write the static site into dist/site/: gather everything, render, then write only what changed.

Pages: index.html (what the package is, where it comes from, its downloads and validation
status), headline.html (the main indicators × their latest periods, also a CSV download),
charts.html, and tables/<table>.html for each table. Everything a page needs is
inside the folder (no CDN, font or script from elsewhere), and links are relative, so the
site works from file:// and from any static host.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jiutai_data.model.errors import RefusedOutput
from jiutai_data.model.partitioning import publishing_refusal
from jiutai_data.model.files import OutputPathError, refuse_linked_folder, resolve_output, write_atomically
from jiutai_data.publish.recipes import TITLES as RECIPE_TITLES, recipes
from jiutai_data.model.findings import Report
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import PackageError, Table, UnsafePath, resolve_inside
from jiutai_data.model.schema import Schema
from jiutai_data.publish.readme import FieldEntry, field_entries
from jiutai_data.publish.site.charts import all_charts, series_total
from jiutai_data.publish.site.figures import Names, figure, names_from, period_text, when_text
from jiutai_data.publish.site.downloads import FOLDER, Download, checksums_download, collect_downloads, package_path
from jiutai_data.publish.site.headline import NAME as HEADLINE_CSV, Headline, headline_csv, headline_view, page_context
from jiutai_data.publish.site.interface import interface_script
from jiutai_data.publish.site.payload import (
    REGISTRY, Derived, Joined, SourceText, joined_columns, table_payload, table_script, text_script, trace_fields,
)
from jiutai_data.read.catalogue import CATALOGUE, with_catalogue
from jiutai_data.publish.site.render import render_page
from jiutai_data.validate.run import Checked, check_package
from jiutai_data.validate.report import plural

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
            f"site: {plural(len(self.pages), 'page')} in {self.folder}/ (open {self.folder / 'index.html'})",
            f"site: {plural(len(self.written), 'file')} written, {len(self.removed)} removed, the rest unchanged",
            f"site: the package is {verdict}",
        ]


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (the reproducible-builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _source_texts(root: Path, frames: PackageFrames) -> tuple[list[SourceText], list[Path]]:
    """The source texts the reader read, each with the file it came from."""
    sources = frames.text.get("sources")
    if sources is None or not {"id", "path"} <= set(sources.columns):
        return [], []
    texts, paths = [], []
    # Scripts are numbered rather than named by source ID so that no ID, valid or not, becomes a file name.
    for number, (source_id, relative) in enumerate(sources.select("id", "path").iter_rows(), start=1):
        if not relative or source_id not in frames.texts:
            continue
        try:
            path = resolve_inside(root, relative)
        except UnsafePath:
            continue  # reported by validate, whose verdict the site shows
        texts.append(SourceText(source_id, f"data/texts/source-{number}.js", frames.texts[source_id],
                                f"{FOLDER}/{package_path(root, path)}"))
        paths.append(path)
    return texts, paths


FIGURE = "figure"  # the indicators page's column that shows each figure for what it is
FIGURE_DESCRIPTION = (
    "Shown on this page only, not a column of the files: the figure for what it is, worked out from measure, "
    "value, value_as_stated, unit_as_stated, direction_as_stated, share_of and compared_with_…: a fall with its "
    "minus or its word (−12.4%, 同比下降12.4%), a change of a rate in percentage points, a share with its whole "
    "(46.2% of gross regional product), a change with what it is compared with (vs Jilin Province, vs Jan–Jun "
    "2022), and the period, a figure of one day (a stock) on that day.")


def _names(frames: PackageFrames) -> Names:
    return names_from(frames.text.get("regions"), frames.text.get(CATALOGUE))


def _figures(table: Table, strings: Any, names: Names) -> list[Derived]:
    """The columns a page shows that no file has: the indicators page's figure (figures.py), and a
    period as a reader says it for each pair of dates <x>_start/<x>_end (2022, Jan–Sep 2022, on 9 Dec 2022)."""
    columns = {field.name: field for field in Schema.of(table.schema).fields}
    derived = []
    if table.name == "indicators" and {"measure", "value", "value_as_stated"} <= set(columns):
        values = [figure(row, names).text for row in strings.iter_rows(named=True)]
        # after the number and unit as stated, which a phone shows first; then the figure for what it is
        derived.append(Derived(FIGURE, "unit_as_stated", values, FIGURE_DESCRIPTION))
    for name, declared in columns.items():
        what = name.removesuffix("_start")
        end = columns.get(f"{what}_end")
        if (what != name and "_" not in what and declared.type == "date"
                and end is not None and end.type == "date" and what not in columns):
            pairs = list(strings.select(name, f"{what}_end").iter_rows())
            # each period worded once, however many rows share it; with 中文 as a Chinese reader writes it
            said = {pair: when_text(*pair) or None for pair in dict.fromkeys(pairs)}  # in row order: same bytes each build
            values = [said[pair] for pair in pairs]
            labels = {english: (english, period_text(*pair, "zh")) for pair, english in said.items() if english}
            derived.append(Derived(what, f"{what}_end", values, PERIOD_DESCRIPTION.format(what=what), role="period",
                                   labels=labels))
    return derived


PERIOD_DESCRIPTION = ("Shown on this page only, not a column of the files: {what}_start and {what}_end as a reader "
                      "says them: 2022 for a calendar year, Jan–Sep 2022 for whole months, on 9 Dec 2022 for a "
                      "figure of one day (a stock), else the two dates.")


def _indicators(frames: PackageFrames) -> Any:
    """The indicators with the catalogue's names and topic, as the charts and the headline view read them."""
    catalogue = frames.text.get(CATALOGUE)
    return with_catalogue(frames.text["indicators"].drop(ROW_COLUMN),
                          None if catalogue is None else catalogue.drop(ROW_COLUMN))


def _charts(frames: PackageFrames) -> dict[str, Any]:
    if "indicators" not in frames.text:
        return {"charts": [], "series_total": 0, "series_drawn": 0}
    indicators = _indicators(frames)
    charts = all_charts(indicators, _names(frames))
    return {"charts": charts, "series_total": series_total(indicators),
            "series_drawn": sum(chart.id.startswith("series-") for chart in charts)}


def _sources_rows(frames: PackageFrames) -> list[dict[str, Any]]:
    sources = frames.text.get("sources")
    return [] if sources is None else sources.drop(ROW_COLUMN).to_dicts()


def _findings(report: Report) -> list[dict[str, Any]]:
    shown = [*report.errors, *report.warnings][:FINDINGS_SHOWN]
    return [
        {"severity": finding.severity, "path": finding.path or finding.table or "", "row": finding.row if finding.row is not None else "",
         "column": finding.column or "", "check": finding.check, "message": finding.message}
        for finding in shown
    ]


def _entries(table: Table, joined: Joined | None, derived: list[Derived]) -> list:
    """The field dictionary of a table's page: its schema's fields, the columns joined from another table
    (described by that table's schema) after their key, and each derived column after its field."""
    entries = field_entries(table)
    for extra in derived:
        at = [entry.name for entry in entries].index(extra.after) + 1
        entries[at:at] = [FieldEntry(name=extra.name, type="string", required=False, constraints=[],
                                     description=extra.description)]
    if joined is None:
        return entries
    theirs = {entry.name: entry for entry in field_entries(joined.table)}
    at = [entry.name for entry in entries].index(joined.key) + 1
    entries[at:at] = [replace(theirs[name], required=False, constraints=[],
                              description=f"From {joined.table.name}.{name}, by {joined.key}: {theirs[name].description}")
                      for name in joined.columns]
    return entries


def _scripts(table: Table, described: list[Table]) -> list[str]:
    """The data scripts a table page loads: its own rows, and the sources' titles when it traces rows to them."""
    scripts = [f"data/{table.name}.js"]
    has_sources = any(other.name == "sources" for other in described)
    if trace_fields(table.schema) is not None and has_sources and table.name != "sources":
        scripts.insert(0, "data/sources.js")
    return scripts


def _headline(frames: PackageFrames) -> Headline:
    return headline_view(_indicators(frames), _names(frames)) if "indicators" in frames.text else Headline([], [])


def _pages(root: Path, descriptor: dict[str, Any], described: list[Table], frames: PackageFrames, report: Report,
           downloads: list[Download], texts: list[SourceText], built_at: datetime, headline: Headline) -> dict[str, bytes]:
    joins = {table.name: joined_columns(table, described) for table in described}
    names = _names(frames)
    derived = {table.name: _figures(table, frames.text[table.name], names) for table in described}
    payloads = {table.name: table_payload(table, frames.text[table.name], texts, joins[table.name],
                                          frames.text.get(joins[table.name].table.name) if joins[table.name] else None,
                                          derived[table.name])
                for table in described}
    counts = {name: len(payload["rows"]) for name, payload in payloads.items()}
    navigation = [{"name": table.name, "title": table.title, "href": f"tables/{table.name}.html"} for table in described]
    # A descriptor need not state a title, description or version; the pages then show none
    # (the templates refuse an undefined name, so that a misspelt one is caught).
    shown = {"name": "", "title": descriptor.get("name", ""), "description": "", "version": "", **descriptor}
    common = {
        "package": shown,
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
            sources=_sources_rows(frames),
            downloads=downloads,
            recipes=[{"table": table, "recipes": recipes(table), "titles": RECIPE_TITLES} for table in described],
            errors=len(report.errors), warnings=len(report.warnings), findings=_findings(report),
            findings_total=len(report.errors) + len(report.warnings),
        ),
        "charts.html": render_page("charts.html", base="", current="charts", **common, **_charts(frames)),
        "headline.html": render_page("headline.html", base="", current="headline", **common, **page_context(headline),
                                     download=next((d for d in downloads if d.name == HEADLINE_CSV), None)),
        "data/interface.js": interface_script(REGISTRY),
    }
    for table in described:
        payload = payloads[table.name]
        # the page's columns are the payload's, described by the field dictionary's entries
        fields = [{**entry.__dict__, **shown, "index": index}
                  for index, (entry, shown) in enumerate(zip(_entries(table, joins[table.name], derived[table.name]),
                                                              payload["fields"], strict=True))]
        columns = [fields[index] for index in payload["order"]]
        own = [table.csv_path, table.parquet_path]
        files = [by_table_downloads[name] for name in (package_path(root, path) for path in own if path is not None)
                 if name in by_table_downloads]
        pages[f"tables/{table.name}.html"] = render_page(
            "table.html", base="../", current=table.name, **common,
            table=table, rows=counts[table.name], fields=fields, columns=columns, files=files,
            traceable=trace_fields(table.schema) is not None, figure=payload["trace"] is not None and bool(payload["trace"]["figure"]),
            lead=payload["lead"],
            scripts=_scripts(table, described),
        )
        pages[f"data/{table.name}.js"] = table_script(payload)
    return pages


class SiteError(RefusedOutput, ValueError):
    """The package cannot be shown: a table could not be read. The message says which."""


def site_files(root: Path, dist: Path, built_at: datetime | None = None,
               checked: Checked | None = None) -> tuple[dict[str, bytes], Report]:
    """Every file of the site (path relative to the site folder → bytes), and the validation report shown.

    ``checked`` is a validation of the package just made that kept the cells as written
    (``check_package(root, keep_text=True)``); without it, the package is validated here."""
    root, dist = Path(root), Path(dist)
    checked = checked if checked is not None else check_package(root, keep_text=True)
    report, package, frames = checked.report, checked.package, checked.frames
    if report.stats.get("could_not_run"):  # no package there: exit 2, not a refusal
        raise PackageError("; ".join(finding.message for finding in report.errors))
    if package is not None and (refusal := publishing_refusal(package.descriptor)):
        raise SiteError(refusal)
    if package is None or package.descriptor is None or frames is None:
        raise SiteError("cannot read the package: " + "; ".join(f.message for f in report.errors[:3]))
    described = package.tables
    # a table left out of package.tables (its path refused, e.g. a symbolic link) is unread too
    unread = [table.resource for table in described if table.name not in frames.text]
    unread += [resource.descriptor for resource in package.resources
               if resource.is_table and resource.name not in {table.name for table in described}]
    if unread:
        why = {f.table: f.message for f in reversed(report.errors)}
        raise SiteError("cannot read the package: " + "; ".join(
            f"{resource.get('path')}: {why.get(resource.get('name'), 'could not be read')}" for resource in unread)
            + "; `jiutai-data validate` lists every problem")
    texts, text_paths = _source_texts(root, frames)
    downloads = collect_downloads(root, dist, package.descriptor, described, text_paths)
    headline = _headline(frames)
    if headline.lines:  # written by the site, listed and checksummed like every other download
        downloads.append(Download("Headline view", "Headline figures: main indicators × latest periods, level and "
                                  "year-on-year change, as stated (CSV, UTF-8)", HEADLINE_CSV, headline_csv(headline)))
    downloads.append(checksums_download(downloads))
    files = _pages(root, package.descriptor, described, frames, report, downloads, texts, built_at or build_time(),
                   headline)
    files.update({f"{FOLDER}/{download.name}": download.data for download in downloads})
    files.update({text.script: text_script(text) for text in texts})
    files.update({f"assets/{path.name}": path.read_bytes() for path in sorted(STATIC.iterdir()) if path.is_file()})
    return files, report


def build_site(root: Path, dist: Path, built_at: datetime | None = None,
               checked: Checked | None = None) -> SiteResult:
    """Write the site into `dist`/site; files no longer part of it are removed (see site_files)."""
    folder = Path(dist) / SITE
    try:
        # dist (read for the downloads) and dist/site must not be links a pull request committed
        refuse_linked_folder(Path(dist), folder)
    except OutputPathError as error:
        raise SiteError(str(error)) from None
    files, report = site_files(root, dist, built_at, checked)
    result = SiteResult(folder=folder, report=report, pages=sorted(name for name in files if name.endswith(".html")))
    try:
        # every path is checked before the first file is written (a table named ../../x would leave the folder)
        targets = {relative: resolve_output(folder, relative) for relative in files}
    except OutputPathError as error:
        raise SiteError(f"{error}; a table's name names its page, so it must be a plain name "
                        "(`jiutai-data validate` says which)") from None
    for relative, data in sorted(files.items()):
        path = targets[relative]
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
