"""A PackageDiff (diff.py) as text, Markdown or JSON, for people, pull requests and tools."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from jiutai_data.tools.diff import PackageDiff, PropertyChange, SchemaDiff, TableDiff
from jiutai_data.validate.checks.units import STATED_QUANTITIES
# The same cap as the validation report's: both go into one GitHub job summary (1 MiB at most).
from jiutai_data.validate.report import MARKDOWN_ROW_LIMIT, plural

QUOTE = "quote"
QUOTE_CHARACTERS = 80  # of a quote shown beside its row; the rest is counted
# Of a changed value shown in text and Markdown: a package's description or its list of sources
# is some 2,000 characters of JSON, one line a reader scrolls past. A long value is shown around
# where old and new differ, CONTEXT_CHARACTERS either side; `--format json` holds them whole.
VALUE_CHARACTERS = 120
CONTEXT_CHARACTERS = 30


def render_diff(diff: PackageDiff, fmt: str = "text", *, row_limit: int | None = None) -> str:
    """The diff as text, Markdown (for a pull request or CI job summary) or JSON.
    ``row_limit`` caps the rows listed per table (Markdown defaults to
    MARKDOWN_ROW_LIMIT; JSON always lists every row)."""
    if fmt == "json":
        return json.dumps(_as_json(diff), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return _markdown(diff, MARKDOWN_ROW_LIMIT if row_limit is None else row_limit)
    if fmt == "text":
        return _text(diff, row_limit)
    raise ValueError(f"unknown format {fmt!r}: use text, markdown or json")


def _as_json(diff: PackageDiff) -> dict[str, Any]:
    def change(c: PropertyChange, subject: str) -> dict[str, Any]:
        return {subject: c.subject, "property": c.property, "old": c.old, "new": c.new}

    return {
        "old": diff.old,
        "new": diff.new,
        "changed": diff.has_changes,
        "package": [{"property": c.property, "old": c.old, "new": c.new} for c in diff.package_properties],
        "resources": {
            "added": diff.resources_added,
            "removed": diff.resources_removed,
            "changed": [change(c, "resource") for c in diff.resource_properties],
        },
        "schemas": {
            s.table: {
                "fields_added": s.fields_added,
                "fields_removed": s.fields_removed,
                "fields_retyped": [{"field": c.subject, "old": c.old, "new": c.new} for c in s.fields_retyped],
                "field_properties": [change(c, "field") for c in s.field_properties],
                "table_properties": [{"property": c.property, "old": c.old, "new": c.new}
                                     for c in s.table_properties],
            }
            for s in diff.schemas
        },
        "tables": {
            t.table: {
                "key": t.key,
                "added": [asdict(e) for e in t.added],
                "removed": [asdict(e) for e in t.removed],
                "changed": [asdict(c) for c in t.changed],
            }
            for t in diff.tables
        },
        "notes": diff.notes,
        "texts": [asdict(t) for t in diff.texts],
    }


def summary(diff: PackageDiff) -> str:
    """What changed, counted, in one line: "3 resources added; 2 schemas changed; rows: 12 added,
    1 removed, 4 changed in 3 tables"."""
    if not diff.has_changes:
        return "no changes"
    parts = []
    if diff.package_properties:
        parts.append(f"package {', '.join(c.property for c in diff.package_properties)} changed")
    for count, what in ((len(diff.resources_added), "added"), (len(diff.resources_removed), "removed"),
                        (len({c.subject for c in diff.resource_properties}), "changed")):
        if count:
            parts.append(f"{plural(count, 'resource')} {what}")
    if diff.texts:
        parts.append(f"{plural(len(diff.texts), 'source text')} changed")
    if diff.schemas:
        parts.append(f"{plural(len(diff.schemas), 'schema')} changed")
    if diff.tables:
        added, removed, changed = (sum(len(getattr(t, kind)) for t in diff.tables)
                                   for kind in ("added", "removed", "changed"))
        parts.append(f"rows: {added:,} added, {removed:,} removed, {changed:,} changed "
                     f"in {plural(len(diff.tables), 'table')}")
    if diff.notes:
        parts.append(f"{plural(len(diff.notes), 'note')} on what was not compared")
    return "; ".join(parts)


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """Old and new text as shown: whole when both are short, else each around where they differ."""
    if len(old) <= VALUE_CHARACTERS and len(new) <= VALUE_CHARACTERS:
        return old, new
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = max(0, prefix - CONTEXT_CHARACTERS)

    def excerpt(text: str) -> str:
        end = len(text) - max(0, suffix - CONTEXT_CHARACTERS)
        shown = text[start:end]
        cut = len(shown) > VALUE_CHARACTERS
        shown = shown[:VALUE_CHARACTERS] if cut else shown
        return ("…" if start else "") + shown + ("…" if cut or end < len(text) else "") + f" ({len(text):,} characters)"

    return excerpt(old), excerpt(new)


def _change_text(old: Any, new: Any) -> str:
    shown_old, shown_new = _excerpts(_value_text(old), _value_text(new))
    return f"{shown_old} → {shown_new}"


def _key_text(key: dict[str, str | None]) -> str:
    if len(key) == 1:
        return str(next(iter(key.values())))
    return ", ".join(f"{k}={v}" for k, v in key.items())


def _value_text(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    return json.dumps(value, ensure_ascii=False)


def _capped_quote(quote: str) -> str:
    if len(quote) <= QUOTE_CHARACTERS:
        return quote
    return f"{quote[:QUOTE_CHARACTERS]}… (+{len(quote) - QUOTE_CHARACTERS} characters)"


def review_text(table: str, values: dict[str, str | None]) -> str:
    """What a reviewer checks a row by: each number as stated with its unit, the value it was
    converted to, and the quote (capped), e.g. 264.6亿元 = 26460000000.0 CNY · “…完成264.6亿元”."""
    parts = []
    for quantity in STATED_QUANTITIES:
        stated = values.get(quantity.as_stated)
        if quantity.table != table or not stated:
            continue
        base = values.get(quantity.unit) if quantity.unit else quantity.fixed_unit
        converted = values.get(quantity.value)
        qualifier = values.get("qualifier")
        parts.append(f"{stated}{values.get(quantity.unit_as_stated) or ''}"
                     + (f" = {converted} {base or ''}".rstrip() if converted else "")
                     + (f" ({qualifier})" if qualifier and qualifier != "exact" else ""))
    if values.get(QUOTE):
        parts.append(f"“{_capped_quote(values[QUOTE])}”")
    return " · ".join(parts)


def _counts(table: TableDiff) -> str:
    return f"{len(table.added)} added, {len(table.removed)} removed, {len(table.changed)} changed"


def _schema_lines(schema: SchemaDiff) -> list[str]:
    lines = [f"field added: {n}" for n in schema.fields_added]
    lines += [f"field removed: {n}" for n in schema.fields_removed]
    lines += [f"field retyped: {c.subject}: {c.old} → {c.new}" for c in schema.fields_retyped]
    lines += [f"field {c.subject}: {c.property}: {_change_text(c.old, c.new)}" for c in schema.field_properties]
    lines += [f"{c.property}: {_change_text(c.old, c.new)}" for c in schema.table_properties]
    return lines


def _text(diff: PackageDiff, row_limit: int | None) -> str:
    # The first line says what changed, counted; the changes follow, each value excerpted.
    lines = [f"jiutai-data diff: {diff.old} → {diff.new}: {summary(diff)}"]
    if not diff.has_changes:
        return "\n".join(lines)
    for c in diff.package_properties:
        lines.append(f"package {c.property}: {_change_text(c.old, c.new)}")
    lines += [f"resource added: {n}" for n in diff.resources_added]
    lines += [f"resource removed: {n}" for n in diff.resources_removed]
    lines += [f"resource {c.subject}: {c.property}: {_change_text(c.old, c.new)}" for c in diff.resource_properties]
    for text in diff.texts:
        lines.append(f"source text changed: {text.source}" + (f" ({text.path})" if text.path else ""))
        lines += _capped([f"  {_value_text(line)}" for line in text.lines], row_limit, "  ")
    for schema in diff.schemas:
        lines.append(f"schema of {schema.table}:")
        lines += [f"  {line}" for line in _schema_lines(schema)]
    for table in diff.tables:
        lines.append(f"{table.table} (by {', '.join(table.key)}): {_counts(table)}")
        listed = []
        for e in table.added:
            review = review_text(table.table, e.values)
            listed.append(f"  + {_key_text(e.key)} (row {e.row})" + (f": {_value_text(review)}" if review else ""))
        listed += [f"  - {_key_text(e.key)} (was row {e.row})" for e in table.removed]
        for change in table.changed:
            listed.append(f"  ~ {_key_text(change.key)} (row {change.row_new}, was {change.row_old})")
            listed += [f"      {c.column}: {_change_text(c.old, c.new)}" for c in change.columns]
            review = review_text(table.table, change.values)
            listed += [f"      now: {_value_text(review)}"] if review else []
        lines += _capped(listed, row_limit, "  ")
    lines += [f"note: {n}" for n in diff.notes]
    return "\n".join(lines)


def _capped(lines: list[str], limit: int | None, indent: str = "") -> list[str]:
    if limit is None or len(lines) <= limit:
        return lines
    # the blank line ends a Markdown table, so the remark is not read as a row
    return [*lines[:limit], *([""] if not indent else []),
            f"{indent}… {len(lines) - limit} more lines; `jiutai-data diff --format json` lists all"]


def _cell(value: Any) -> str:
    """A value safe inside a Markdown table cell; contributed text is untrusted,
    so HTML is escaped rather than rendered."""
    text = _value_text(value)
    for raw, safe in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "&#96;")):
        text = text.replace(raw, safe)
    return text


def _excerpt_cells(old: Any, new: Any) -> tuple[str, str]:
    shown_old, shown_new = _excerpts(_value_text(old), _value_text(new))
    return _cell(shown_old), _cell(shown_new)


def _markdown(diff: PackageDiff, row_limit: int | None) -> str:
    lines = [f"## Data changes: {_cell(diff.old)} → {_cell(diff.new)}", ""]
    if not diff.has_changes:
        return "\n".join([*lines, "No changes."])
    lines += [f"In short: {_cell(summary(diff))}.", ""]
    if diff.package_properties or diff.resources_added or diff.resources_removed or diff.resource_properties:
        lines += ["### Package and resources", ""]
        lines += [f"- package {_cell(c.property)}: {' → '.join(_excerpt_cells(c.old, c.new))}"
                  for c in diff.package_properties]
        lines += [f"- resource added: **{_cell(n)}**" for n in diff.resources_added]
        lines += [f"- resource removed: **{_cell(n)}**" for n in diff.resources_removed]
        lines += [f"- resource {_cell(c.subject)}: {_cell(c.property)}: "
                  f"{' → '.join(_excerpt_cells(c.old, c.new))}" for c in diff.resource_properties]
        lines.append("")
    for text in diff.texts:
        lines += [f"### Source text changed: {_cell(text.source)}" + (f" ({_cell(text.path)})" if text.path else ""), ""]
        lines += _capped([f"- {_cell(line)}" for line in text.lines], row_limit)
        lines.append("")
    for schema in diff.schemas:
        lines += [f"### Schema of {_cell(schema.table)}", ""]
        lines += [f"- {_cell(line)}" for line in _schema_lines(schema)]
        lines.append("")
    for table in diff.tables:
        lines += [f"### {_cell(table.table)}: {_counts(table)}", "",
                  f"| change | {_cell(', '.join(table.key))} | row | column | old | new | value · quote |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        rows = [f"| added | {_cell(_key_text(e.key))} | {e.row} | | | | {_cell(review_text(table.table, e.values))} |"
                for e in table.added]
        rows += [f"| removed | {_cell(_key_text(e.key))} | {e.row} | | | | |" for e in table.removed]
        for change in table.changed:
            review = _cell(review_text(table.table, change.values))
            rows += [f"| changed | {_cell(_key_text(change.key))} | {change.row_new} | {_cell(c.column)} "
                     f"| {' | '.join(_excerpt_cells(c.old, c.new))} | {review if i == 0 else ''} |"
                     for i, c in enumerate(change.columns)]
        lines += _capped(rows, row_limit)
        lines.append("")
    if diff.notes:
        lines += ["### Not compared", ""] + [f"- {_cell(n)}" for n in diff.notes]
    return "\n".join(lines).rstrip() + "\n"
