"""Metadata that follows the data: what the descriptor, the README and CITATION.cff say about
the sources is written from the sources table (and the rows citing each source) by `build`.

- datapackage.json `sources`: one entry per source document, then the hand-written
  references that are not documents of the table (they have no `path`, e.g. the division codes);
- datapackage.json `description`: what the package holds, naming how many sources, and which
  (the same words as CITATION.cff's abstract);
- README.md, section `sources`: a table of the sources with their publisher, date and rows;
- CITATION.cff, between `# BEGIN GENERATED: <name>` and `# END GENERATED: <name>` comment
  lines: the `abstract` (naming how many sources, and which) and the `references`.

Pure functions from the typed frames the one reader made of the tables to text or JSON;
build.py writes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from jiutai_data.model.files import write_atomically
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import Table

SOURCES = "sources"
SOURCE_ID = "source_id"
CITATION = "CITATION.cff"
# Sources state their time with the offset of China Standard Time; their date is the local one.
LOCAL_TIME_ZONE = "Asia/Shanghai"
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
    date: str  # the local calendar date of publication, ISO
    url: str
    author: str
    path: str
    licence_note: str
    note: str  # what a reader should know about the document (a repost, its original title), if anything
    rows: int  # rows of every table that cite it


def _text(frame: pl.DataFrame, column: str) -> pl.Expr:
    return (pl.col(column).cast(pl.String) if column in frame.columns else pl.lit(None, pl.String)).fill_null("")


def sources_of(tables: list[Table], frames: PackageFrames) -> list[Source]:
    """The sources table in file order (as the one reader read it), each with the number of
    rows of every table that cite it."""
    sources = frames.table(SOURCES)
    if sources is None or "id" not in sources.columns:
        return []
    counts: dict[str, int] = {}
    for table in tables:
        frame = frames.table(table.name)
        if frame is not None and SOURCE_ID in frame.columns:
            for source_id, count in frame.get_column(SOURCE_ID).cast(pl.String).value_counts().iter_rows():
                counts[source_id] = counts.get(source_id, 0) + count
    published = pl.col("published")
    if "published" in sources.columns and isinstance(sources.schema["published"], pl.Datetime):
        zone = sources.schema["published"].time_zone
        local = (published if zone else published.dt.replace_time_zone("UTC")).dt.convert_time_zone(LOCAL_TIME_ZONE)
        date = local.dt.strftime("%Y-%m-%d")
    elif "published" in sources.columns:
        date = published.cast(pl.String).str.slice(0, 10)
    else:
        date = pl.lit("")
    names = ["id", "title_zh", "title_en", "publisher_zh", "publisher_en", "url", "author", "path", "licence_note",
             "note"]
    rows = sources.select(*[_text(sources, name).alias(name) for name in names], date.fill_null("").alias("date"))
    return [Source(**row, rows=counts.get(row["id"], 0)) for row in rows.iter_rows(named=True)]


# --- datapackage.json ---------------------------------------------------------------------------

def descriptor_sources(sources: list[Source], existing: list[Any]) -> list[dict[str, Any]]:
    """The descriptor's `sources`: each document of the table, then the references kept by hand."""
    documents = [{"title": f"{s.publisher_zh} ({s.publisher_en}), {s.date}: {s.title_zh} ({s.title_en})"
                           + (f". {s.note}" if s.note else ""),
                  "path": s.url or s.path} for s in sources]
    by_hand = [entry for entry in existing if isinstance(entry, dict) and "path" not in entry]
    return documents + by_hand


SUBJECT = "Figures, projects and plans on the development of Jiutai District (九台区), Changchun, Jilin, China"


def extracted_from(sources: list[Source]) -> str:
    """"extracted from 1 source document (Changchun Daily, 2022-12-12)": how many sources, and whose."""
    named = "; ".join(f"{s.publisher_en or s.publisher_zh}, {s.date}" for s in sources)
    return f"extracted from {len(sources)} source document{'s' if len(sources) != 1 else ''}" + (f" ({named})" if named else "")


def descriptor_description(sources: list[Source]) -> str:
    """The descriptor's `description`, written from the sources table so that it never claims more
    sources, or other kinds of source, than the package holds."""
    return (f"{SUBJECT}, {extracted_from(sources)}. Every row carries a verbatim quote from its source document "
            "so that it can be checked. Canonical CSV with Parquet twins.")


# --- README.md ------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    # one line, pipes escaped, and "<!" as "&lt;!": a note cannot open a comment or end the section
    return " ".join(text.split()).replace("|", "\\|").replace("<!", "&lt;!")


def sources_section(tables: list[Table], frames: PackageFrames) -> str:
    sources = sources_of(tables, frames)
    total = sum(s.rows for s in sources)
    lines = [f"The package holds {total} rows from {len(sources)} source document{'s' if len(sources) != 1 else ''}; "
             "each row names its source in `source_id`:", "",
             "| Source | Publisher | Published | Rows |", "| --- | --- | --- | ---: |"]
    for s in sources:
        link = f" ([online copy]({s.url}))" if s.url else ""
        lines.append(f"| **{_cell(s.title_zh)}**<br>*{_cell(s.title_en)}*{link}<br>`{s.id}` "
                     f"| {_cell(s.publisher_zh)} ({_cell(s.publisher_en)}) | {s.date} | {s.rows} |")
    notes = [f"- `{s.id}`: {_cell(s.note)}" for s in sources if s.note]
    return "\n".join(lines + ([""] + notes if notes else []))


# --- CITATION.cff ---------------------------------------------------------------------------------

# What JSON leaves as it is but YAML cannot hold raw or reads otherwise: DEL and the C1 controls,
# U+2028/U+2029 (line breaks to YAML 1.1), the BOM, surrogates and the noncharacters (U+FFFF in a
# title made CITATION.cff unreadable as YAML). Each is written as a YAML \uXXXX (or \UXXXXXXXX) escape.
_NOT_YAML = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0x10000, 0x110000, 0x10000)) + "]")


def _yaml(text: str) -> str:
    """A YAML scalar: a JSON string is a valid double-quoted YAML scalar, once every character YAML
    does not print is escaped (and JSON's escapes are YAML's)."""
    return _NOT_YAML.sub(_yaml_escape, json.dumps(text, ensure_ascii=False))


def _yaml_escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    return f"\\u{point:04x}" if point <= 0xFFFF else f"\\U{point:08x}"


def _authors(source: Source) -> list[str]:
    match = _ROMANISED.match(source.author)
    if match:
        return [f"      - family-names: {_yaml(match['family'])}", f"        given-names: {_yaml(match['given'])}",
                f"        alias: {_yaml(match['alias'])}"]
    return [f"      - name: {_yaml(source.author or source.publisher_zh)}"]


def citation_abstract(sources: list[Source]) -> str:
    text = (f"{SUBJECT}, {extracted_from(sources)} into "
            "validated, typed, bilingual tables. Every row carries a verbatim quote from its source document. "
            "Canonical CSV with Parquet twins, as a Frictionless data package.")
    return f"abstract: {_yaml(text)}"


def citation_references(sources: list[Source]) -> str:
    lines = ["references:"]
    for s in sources:
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
    # Markers are whole lines: a generated line starts with a key or spaces, and a title holding
    # "# END GENERATED: references" stays inside its quoted scalar, mid-line
    return re.compile(rf"^(# BEGIN GENERATED: {re.escape(name)}\n)(.*?)^(# END GENERATED: {re.escape(name)})",
                      re.DOTALL | re.MULTILINE)


def render_citation(text: str, sources: list[Source]) -> str:
    for name, render in CITATION_SECTIONS.items():
        generated = render(sources)
        text = _citation_marker(name).sub(lambda m: m.group(1) + generated + "\n" + m.group(3), text, count=1)
    return text


def stale_citation_sections(root: Path) -> list[str]:
    """Names of CITATION.cff's generated sections that differ from what the package says now."""
    from jiutai_data.publish.readme import readme_inputs

    path = root / CITATION
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    sources = sources_of(*readme_inputs(root))
    return [name for name, render in CITATION_SECTIONS.items()
            if (match := _citation_marker(name).search(text)) and match.group(2) != render(sources) + "\n"]


def refresh_citation(root: Path, sources: list[Source]) -> list[Path]:
    path = root / CITATION
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    return [path] if write_atomically(path, render_citation(text, sources).encode("utf-8")) else []
