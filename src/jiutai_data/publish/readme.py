"""The README's generated sections: the sources (publish/metadata.py), the list of tables with
row counts, and the data dictionary, written from the package model, the Table Schemas and the typed frames
the one reader made of the CSV files; the recipes (publish/recipes.py); and the list of checks,
written from the registry of finding codes (model/codes.py).

Each section sits between `<!-- BEGIN GENERATED: name -->` and `<!-- END GENERATED: name -->`;
everything outside the markers is hand-written and left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from jiutai_data.model import codes
from jiutai_data.model.files import write_atomically
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import Table, open_package
from jiutai_data.model.schema import primary_key
from jiutai_data.publish.recipes import readme_section
from jiutai_data.publish.metadata import sources_section
from jiutai_data.read.arrow import is_required

README = "README.md"


def markdown_text(text: Any) -> str:
    """Text from the package as Markdown prose: "<!" as "&lt;!" (which renders as "<!"), so that no
    text opens an HTML comment or writes a section marker (a note holding
    `<!-- END GENERATED: sources -->` made the README grow on every build)."""
    return str(text).replace("<!", "&lt;!")


def _cell(text: Any) -> str:
    # A Markdown table cell: one line, pipes escaped (GitHub unescapes them inside code spans too).
    return markdown_text(" ".join(str(text).split()).replace("|", "\\|"))


def _code(text: Any) -> str:
    return f"`{_cell(text)}`"


def row_count(table: Table, frames: PackageFrames) -> int:
    frame = frames.table(table.name)
    return frame.height if frame is not None else 0


def _foreign_keys(schema: dict[str, Any]) -> dict[str, str]:
    """field name → "table.field" it references (single-field keys, which is all this package uses)."""
    references = {}
    for key in schema.get("foreignKeys", []):
        fields = key["fields"] if isinstance(key["fields"], list) else [key["fields"]]
        target = key["reference"]
        target_fields = target["fields"] if isinstance(target["fields"], list) else [target["fields"]]
        for name, target_field in zip(fields, target_fields):
            references[name] = f"{target.get('resource') or 'this table'}.{target_field}"
    return references


# A constraint is a list of segments (text, is_code), so that the README (Markdown) and the
# site (HTML) render the same words from one description of the schema.
Segment = tuple[str, bool]


def constraint_parts(field: dict[str, Any], schema: dict[str, Any], references: dict[str, str]) -> list[list[Segment]]:
    """The field's key role and constraints, in words, one list of segments per constraint."""
    constraints = field.get("constraints", {})
    parts: list[list[Segment]] = []
    if field["name"] in primary_key(schema):
        parts.append([("primary key", False)])
    elif constraints.get("unique"):
        parts.append([("unique", False)])
    if field["name"] in references:
        parts.append([("→ ", False), (references[field["name"]], True)])
    if "enum" in constraints:
        segments: list[Segment] = [("one of ", False)]
        for index, value in enumerate(constraints["enum"]):
            segments.extend([(", ", False)] if index else [])
            segments.append((str(value), True))
        parts.append(segments)
    if "pattern" in constraints:
        parts.append([("pattern ", False), (constraints["pattern"], True)])
    for name, symbol in [("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")]:
        if name in constraints:
            parts.append([(f"{symbol} {constraints[name]}", False)])
    if "minLength" in constraints and "enum" not in constraints and "pattern" not in constraints:
        parts.append([(f"at least {constraints['minLength']} character{'s' if constraints['minLength'] != 1 else ''}", False)])
    if "maxLength" in constraints:
        parts.append([(f"at most {constraints['maxLength']} characters", False)])
    if field.get("format") not in (None, "default"):
        parts.append([("format ", False), (field["format"], True)])
    return parts


@dataclass(frozen=True)
class FieldEntry:
    """One line of the data dictionary."""
    name: str
    type: str
    required: bool
    constraints: list[list[Segment]]
    description: str


def field_entries(table: Table) -> list[FieldEntry]:
    references = _foreign_keys(table.schema)
    return [
        FieldEntry(
            name=field["name"],
            type=field.get("type", "string"),
            required=is_required(field, table.schema),
            constraints=constraint_parts(field, table.schema, references),
            description=field.get("description", ""),
        )
        for field in table.schema["fields"]
    ]


def _markdown_constraints(parts: list[list[Segment]]) -> str:
    return "; ".join("".join(_code(text) if is_code else text for text, is_code in part) for part in parts)


def tables_section(tables: list[Table], frames: PackageFrames) -> str:
    lines = [
        "| Table | Rows | What one row is | Files |",
        "| --- | ---: | --- | --- |",
    ]
    for table in tables:
        files = [f"[CSV]({table.resource['path']})"]
        if table.twin is not None:
            files.append(f"[Parquet]({table.twin['path']})")
        if isinstance(table.resource.get("schema"), str):
            files.append(f"[schema]({table.resource['schema']})")
        lines.append(
            f"| {_code(table.name)} | {row_count(table, frames)} | {_cell(table.description)} | {' · '.join(files)} |"
        )
    return "\n".join(lines)


def dictionary_section(tables: list[Table], frames: PackageFrames) -> str:
    blocks = []
    for table in tables:
        lines = [
            f"#### `{table.name}`: {_cell(table.title)}",
            "",
            markdown_text(table.description),
            "",
            "| Field | Type | Required | Constraints | Description |",
            "| --- | --- | --- | --- | --- |",
        ]
        for entry in field_entries(table):
            lines.append(
                f"| {_code(entry.name)} | {entry.type} | {'yes' if entry.required else ''} "
                f"| {_markdown_constraints(entry.constraints)} | {_cell(entry.description)} |"
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def checks_section(tables: list[Table], frames: PackageFrames) -> str:
    """Every finding code, by family, from the registry (the package does not matter)."""
    blocks = []
    for family in codes.FAMILIES:
        declared = [code for code in codes.CODES.values() if code.family == family]
        if not declared:
            continue
        lines = [f"#### {family}", "", "| Check | Severity | Reported by | What it means | How to fix it |",
                 "| --- | --- | --- | --- | --- |"]
        for code in declared:
            severity = code.severity + (", build output" if code.build_output else "")
            lines.append(f"| {_code(code.name)}: {_cell(code.title)} | {severity} | "
                         f"{', '.join(code.reported_by)} | {_cell(code.meaning)} | {_cell(code.fix)} |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def recipes_section(tables: list[Table], frames: PackageFrames) -> str:
    return readme_section(tables)


SECTIONS: dict[str, Callable[[list[Table], PackageFrames], str]] = {
    "sources": sources_section,
    "tables": tables_section,
    "dictionary": dictionary_section,
    "recipes": recipes_section,
    "checks": checks_section,
}


def _marker_pattern(name: str) -> re.Pattern[str]:
    # A marker is a whole line: generated text never starts a line with "<!" (markdown_text), so it
    # can never end its own section early.
    return re.compile(
        rf"^(<!-- BEGIN GENERATED: {re.escape(name)} -->\n)(.*?)^(<!-- END GENERATED: {re.escape(name)} -->)",
        re.DOTALL | re.MULTILINE,
    )


def render_readme(text: str, tables: list[Table], frames: PackageFrames) -> str:
    """`text` with every generated section that it marks rewritten from these tables."""
    for name, render in SECTIONS.items():
        pattern = _marker_pattern(name)
        if pattern.search(text):
            generated = render(tables, frames)
            text = pattern.sub(lambda match: match.group(1) + generated + "\n" + match.group(3), text, count=1)
    return text


def readme_inputs(root: Path) -> tuple[list[Table], PackageFrames]:
    """The tables and their frames, as the one reader reads them, for the sections."""
    from jiutai_data.read.tables import read_package

    package = open_package(root).require()
    return package.tables, read_package(package).frames


def stale_readme_sections(root: Path) -> list[str]:
    """Names of the README's generated sections that differ from what the package says now."""
    path = root / README
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    tables, frames = readme_inputs(root)
    stale = []
    for name, render in SECTIONS.items():
        match = _marker_pattern(name).search(text)
        if match and match.group(2) != render(tables, frames) + "\n":
            stale.append(name)
    return stale


def refresh_readme(root: Path, tables: list[Table], frames: PackageFrames) -> list[Path]:
    """Rewrite the README's generated sections if they changed; returns the files written."""
    path = root / README
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8")
    updated = render_readme(text, tables, frames)
    return [path] if write_atomically(path, updated.encode("utf-8")) else []
