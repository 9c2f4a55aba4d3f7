"""Metadata that follows the data: what the descriptor, the README and CITATION.cff say about
the sources is written from the sources table (and the rows citing each source) by `build`.

- datapackage.json `sources`: one entry per source document, then the hand-written
  references that are not documents of the table (they have no `path`, e.g. the division codes);
- README.md, section `sources`: a table of the sources with their publisher, date and rows;
- CITATION.cff, between `# BEGIN GENERATED: <name>` and `# END GENERATED: <name>` comment
  lines: the `abstract` (naming how many sources, and which) and the `references`.

Pure functions from the package's tables to text or JSON; build.py writes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiutai_data.model.files import write_atomically
from jiutai_data.model.layout import Table, tables
from jiutai_data.read.arrow import read_csv_strings

SOURCES = "sources"
SOURCE_ID = "source_id"
CITATION = "CITATION.cff"
_CJK = re.compile(r"[\u4e00-\u9fff]")
# 梁闯 (Liang Chuang): a Chinese name with its romanisation, family name first
_ROMANISED = re.compile(r"^(?P<alias>[^()]+?)\s*\((?P<family>[A-Z][a-z]+) (?P<given>[A-Z][A-Za-z-]+)\)$")


@dataclass(frozen=True)
class Source:
    id: str
    title_zh: str
    title_en: str
    publisher_zh: str
    publisher_en: str
    published: str
    url: str
    author: str
    path: str
    licence_note: str
    note: str  # what a reader should know about the document (a repost, its original title), if anything
    rows: int  # rows of every table that cite it

    @property
    def date(self) -> str:
        return self.published[:10]


def _strings(table: Table) -> list[dict[str, Any]]:
    return read_csv_strings(table.csv_path, table.schema).to_pylist()


def sources_of(root: Path) -> list[Source]:
    """The sources table in file order, each with the number of rows that cite it."""
    described = tables(root)
    table = next((t for t in described if t.name == SOURCES), None)
    if table is None:
        return []
    counts: dict[str, int] = {}
    for other in described:
        if SOURCE_ID in {f["name"] for f in other.schema["fields"]}:
            for row in read_csv_strings(other.csv_path, other.schema).column(SOURCE_ID).to_pylist():
                counts[row] = counts.get(row, 0) + 1
    fields = [f.name for f in Source.__dataclass_fields__.values() if f.name != "rows"]
    return [Source(**{name: row.get(name) or "" for name in fields}, rows=counts.get(row["id"], 0))
            for row in _strings(table)]


# --- datapackage.json ---------------------------------------------------------------------------

def descriptor_sources(sources: list[Source], existing: list[Any]) -> list[dict[str, Any]]:
    """The descriptor's `sources`: each document of the table, then the references kept by hand."""
    documents = [{"title": f"{s.publisher_zh} ({s.publisher_en}), {s.date}: {s.title_zh} ({s.title_en})"
                           + (f". {s.note}" if s.note else ""),
                  "path": s.url or s.path} for s in sources]
    by_hand = [entry for entry in existing if isinstance(entry, dict) and "path" not in entry]
    return documents + by_hand


# --- README.md ------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def sources_section(root: Path) -> str:
    sources = sources_of(root)
    total = sum(s.rows for s in sources)
    lines = [f"The package holds {total} rows from {len(sources)} source document{'s' if len(sources) != 1 else ''}; "
             "each row names its source in `source_id`:", "",
             "| Source | Publisher | Published | Rows |", "| --- | --- | --- | ---: |"]
    for s in sources:
        link = f" ([online copy]({s.url}))" if s.url else ""
        lines.append(f"| **{_cell(s.title_zh)}**<br>*{_cell(s.title_en)}*{link}<br>`{s.id}` "
                     f"| {_cell(s.publisher_zh)} ({_cell(s.publisher_en)}) | {s.date} | {s.rows} |")
    notes = [f"- `{s.id}`: {' '.join(s.note.split())}" for s in sources if s.note]
    return "\n".join(lines + ([""] + notes if notes else []))


# --- CITATION.cff ---------------------------------------------------------------------------------

def _yaml(text: str) -> str:
    """A YAML scalar: a JSON string is a valid double-quoted YAML scalar."""
    return json.dumps(text, ensure_ascii=False)


def _authors(source: Source) -> list[str]:
    match = _ROMANISED.match(source.author)
    if match:
        return [f"      - family-names: {_yaml(match['family'])}", f"        given-names: {_yaml(match['given'])}",
                f"        alias: {_yaml(match['alias'])}"]
    return [f"      - name: {_yaml(source.author or source.publisher_zh)}"]


def citation_abstract(root: Path) -> str:
    sources = sources_of(root)
    named = "; ".join(f"{s.publisher_en}, {s.date}" for s in sources)
    text = (f"Figures, projects and plans on the development of Jiutai District (九台区), Changchun, Jilin, China, "
            f"extracted from {len(sources)} source document{'s' if len(sources) != 1 else ''} ({named}) into "
            "validated, typed, bilingual tables. Every row carries a verbatim quote from its source document. "
            "Canonical CSV with Parquet twins, as a Frictionless data package.")
    return f"abstract: {_yaml(text)}"


def citation_references(root: Path) -> str:
    lines = ["references:"]
    for s in sources_of(root):
        lines += [f"  - type: generic", f"    title: {_yaml(s.title_zh)}", "    authors:", *_authors(s),
                  "    publisher:", f"      name: {_yaml(f'{s.publisher_zh} ({s.publisher_en})')}",
                  f"    date-published: {_yaml(s.date)}"]
        if s.url:
            lines.append(f"    url: {_yaml(s.url)}")
        if _CJK.search(s.title_zh):
            lines += ["    languages:", "      - zh"]
        lines.append(f"    notes: {_yaml(' '.join(filter(None, [s.note, s.licence_note])))}")
    return "\n".join(lines)


CITATION_SECTIONS = {"abstract": citation_abstract, "references": citation_references}


def _citation_marker(name: str) -> re.Pattern[str]:
    return re.compile(rf"(# BEGIN GENERATED: {re.escape(name)}\n)(.*?)(# END GENERATED: {re.escape(name)})", re.DOTALL)


def render_citation(text: str, root: Path) -> str:
    for name, render in CITATION_SECTIONS.items():
        generated = render(root)
        text = _citation_marker(name).sub(lambda m: m.group(1) + generated + "\n" + m.group(3), text, count=1)
    return text


def stale_citation_sections(root: Path) -> list[str]:
    path = root / CITATION
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [name for name, render in CITATION_SECTIONS.items()
            if (match := _citation_marker(name).search(text)) and match.group(2) != render(root) + "\n"]


def refresh_citation(root: Path) -> list[Path]:
    path = root / CITATION
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [path] if write_atomically(path, render_citation(text, root).encode("utf-8")) else []
