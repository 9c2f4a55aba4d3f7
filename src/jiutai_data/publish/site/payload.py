"""The rows of each table and the text of each source, as the JavaScript files the pages load.

Every table page loads only its own table (`data/<table>.js`), and a source text is loaded
only when a row is traced to it, so a page stays light however large the other tables are.
The files are scripts, not JSON, because browsers refuse `fetch()` of a file:// URL while
they run a `<script src>` from one; the site must open from a folder as well as a host.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl

from jiutai_data.model.fields import TYPES
from jiutai_data.model.package import Table
from jiutai_data.model.roles import fixed_unit, language_of, reading_order, role_of, unit_field
from jiutai_data.model.schema import Field, Schema, primary_key, with_fields
from jiutai_data.publish.site.interface import column_title, enum_labels
from jiutai_data.read.catalogue import CATALOGUE, CODE, INDICATORS, JOINED_COLUMNS, KEY

REGISTRY = "(window.JIUTAI = window.JIUTAI || {tables: {}, texts: {}})"
# The word or minus that signs a figure (下降12.4%): written before the number it signs.
DIRECTION = "direction_as_stated"


@dataclass(frozen=True)
class SourceText:
    source_id: str
    script: str  # path of its script, relative to the site folder
    text: str
    download: str  # path of the text file among the downloads, relative to the site folder


def trace_fields(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Which fields a row's provenance view shows; None for tables whose rows carry no quote.

    Worked out from the field names the schemas share (`quote`, `source_id`, `*_as_stated`,
    `value`/`unit`, `*_value`/`*_unit`, `*_cny`), so that a new table with the same
    conventions is traceable without code naming it."""
    typed = Schema.of(schema)
    names = typed.names
    if "quote" not in names or "source_id" not in names:
        return None
    name_set = set(names)
    numeric = [field.name for field in typed.fields if field.type in TYPES and field.kind.numeric]
    normalised = []
    for name in numeric:
        unit_column = unit_field(name, name_set)
        normalised.append({"value": name, "unit_field": unit_column,
                           "unit": fixed_unit(name) if unit_column is None else None})
    return {
        "quote": "quote",
        "source": "source_id",
        "stated": [name for name in names if name.endswith("_as_stated") and name != DIRECTION],
        "direction": DIRECTION if DIRECTION in name_set else None,
        "normalised": normalised,
    }


@dataclass(frozen=True)
class Joined:
    """Columns of another table shown beside a table's own, looked up by a foreign key:
    the catalogue's names and topic of each indicator, declared once in the catalogue."""

    key: str  # the field of the table, e.g. indicators.indicator
    table: Table  # the referenced table, e.g. catalogue
    reference: str  # its key field, e.g. catalogue.code
    columns: list[str]  # the columns shown, inserted after `key`


@dataclass(frozen=True)
class Derived:
    """A column the page shows that no file has: worked out from a row's cells, e.g. the
    figure of an indicator for what it is (figures.py), inserted after ``after``."""

    name: str
    after: str
    values: list[str | None]
    description: str
    role: str = "stated"  # where it is read (model.roles): the figure with the figures as stated
    labels: dict[str, tuple[str, str]] | None = None  # a value's (English, Chinese) text, shown by language


def joined_columns(table: Table, described: list[Table]) -> Joined | None:
    if table.name != INDICATORS or KEY not in Schema.of(table.schema).names:
        return None
    catalogue = next((other for other in described if other.name == CATALOGUE), None)
    if catalogue is None:
        return None
    names = set(Schema.of(catalogue.schema).names)
    columns = [name for name in JOINED_COLUMNS if name in names]
    return Joined(KEY, catalogue, CODE, columns) if CODE in names and columns else None


def _looked_up(joined: Joined, referenced: pl.DataFrame, keys: list[Any]) -> list[list[Any]]:
    """The joined columns for each key, from the referenced table's cells (None where a key resolves nowhere)."""
    by_code: dict[Any, tuple[Any, ...]] = {}
    for code, *row in referenced.select(joined.reference, *joined.columns).iter_rows():
        by_code.setdefault(code, tuple(row))
    empty = (None,) * len(joined.columns)
    return [[by_code.get(key, empty)[i] for key in keys] for i in range(len(joined.columns))]


def _field(field: Field, **extra: Any) -> dict[str, Any]:
    """What the page needs of a column: its name, type, enum with labels, language and titles (interface.py)."""
    values = field.enum
    return {"name": field.name, "type": field.type, "enum": values,
            "labels": enum_labels(values), "language": language_of(field.name), "title": list(column_title(field)),
            **extra}


def lead_fields(shown: dict[str, Any]) -> list[str]:
    """The columns a row leads with, what a figure is: its names, its number and unit as stated, its
    period (a derived column, as a reader says it), its required categories (measure, status) and its
    place (a required key to the regions table); the rest follow in reading order (model.roles).
    Read off the roles and keys of the schema, so that a new table of figures leads the same way."""
    typed = Schema.of(shown)
    by_name = {field.name: field for field in typed.fields}
    order = reading_order(shown)

    def required(name: str) -> bool:
        return by_name[name].required
    roles = {name: role_of(dict(by_name[name].spec), shown) for name in order}
    places = [name for key in typed.foreign_keys if key.resource == "regions" for name in key.fields
              if name in by_name and required(name)]
    lead = [name for name in order if roles[name] == "name"]
    lead += [name for name in order if roles[name] == "stated" and required(name)]
    lead += [name for name in order if roles[name] == "period" and by_name[name].spec.get("derived")]
    lead += [name for name in order if roles[name] == "category" and required(name)]
    lead += [name for name in places if name not in lead]
    return lead


def table_payload(table: Table, strings: pl.DataFrame, texts: list[SourceText], joined: Joined | None = None,
                  referenced: pl.DataFrame | None = None, derived: list[Derived] | Derived | None = None) -> dict[str, Any]:
    """The page data of a table, from its cells as the reader read them (text as written), with the
    columns ``joined`` from the ``referenced`` table's cells after their key, and the ``derived`` columns."""
    own = Schema.of(table.schema)
    fields = [_field(field) for field in own.fields]
    columns = [strings.get_column(field.name).to_list() for field in own.fields]
    shown = table.schema  # the schema of the columns the page shows, joined ones included
    if joined is not None and referenced is not None:
        at = [field["name"] for field in fields].index(joined.key) + 1
        theirs = {field.name: field for field in Schema.of(joined.table.schema).fields}
        shown = with_fields(shown, at, [dict(theirs[name].spec) for name in joined.columns])
        fields[at:at] = [_field(theirs[name], type="string", enum=None, labels=None, joined=joined.table.name)
                         for name in joined.columns]
        columns[at:at] = _looked_up(joined, referenced, columns[at - 1])
    derived = [derived] if isinstance(derived, Derived) else list(derived or [])
    for extra in derived:
        at = [field["name"] for field in fields].index(extra.after) + 1
        # a derived column is read where its role puts it (the figure with the figures as stated)
        declared = {"name": extra.name, "type": "string", "role": extra.role, "derived": True}
        shown = with_fields(shown, at, [declared])
        fields[at:at] = [_field(Field.of(declared), derived=True, role=extra.role,
                                **({"labels": extra.labels} if extra.labels else {}))]
        columns[at:at] = [extra.values]
    figure = next((extra.name for extra in derived if extra.role == "stated"), None)
    trace = trace_fields(table.schema)
    if trace is not None:
        trace["figure"] = figure
        trace["texts"] = {text.source_id: text.script for text in texts}
        trace["downloads"] = {text.source_id: text.download for text in texts}
    names = [field["name"] for field in fields]
    lead = lead_fields(shown)
    order = lead + [name for name in reading_order(shown) if name not in lead]
    return {
        "name": table.name,
        "title": table.title,
        "key": primary_key(table.schema),
        "fields": fields,
        "rows": [list(row) for row in zip(*columns)] if columns else [],
        # Columns are shown leading with what a row is (lead_fields), then in reading order;
        # rows keep the schema's order, so each cell stays where the CSV has it.
        "order": [names.index(name) for name in order],
        "lead": len(lead),
        "trace": trace,
    }


def _script(member: str, key: str, value: Any) -> bytes:
    # ensure_ascii=False keeps Chinese readable and the file small; the file is a script of
    # its own (never inlined in HTML), so no "</script>" in the data can end it early.
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return f"{REGISTRY}.{member}[{json.dumps(key)}] = {body};\n".encode("utf-8")


def table_script(payload: dict[str, Any]) -> bytes:
    return _script("tables", payload["name"], payload)


def text_script(text: SourceText) -> bytes:
    return _script("texts", text.source_id, text.text)
