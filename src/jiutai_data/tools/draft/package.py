"""What the package knows that a draft needs: units, regions, topics, the indicator
catalogue, the source's row and text, and the columns each table declares.

The package is opened as every verb opens it (``open_package``) and each table read by the
one reader, as text (``read_table(..., keep_text=True)``): a draft is made for a package
that may not validate yet (a new source's numbers are not covered until its rows exist),
so it takes the cells as written rather than waiting for the validator's verdict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jiutai_data.model.ids import SEPARATOR, row_id, slugify
from jiutai_data.model.package import Resource, UnsafePath, open_package, resolve_inside
from jiutai_data.model.schema import Schema
from jiutai_data.read.tables import read_table

CATALOGUE = "catalogue"
INDICATORS = "indicators"
# The columns the derived catalogue is made of, in indicators.csv before it had a catalogue table.
CATALOGUE_FROM_INDICATORS = {"code": "indicator", "name_zh": "name_zh", "name_en": "name_en", "topic": "topic"}


class PackageReadError(Exception):
    """The package lacks something a draft needs; the message says what."""


@dataclass(frozen=True)
class Unit:
    as_stated: str
    base: str
    factor: float


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name_zh: str
    name_en: str
    topic: str
    kind: str = ""  # flow or stock (catalogue.kind), empty where the package does not say
    unit: str = ""  # the unit of its level as written (catalogue.unit), empty where the package does not say


@dataclass
class PackageFacts:
    root: Path
    descriptor: dict[str, Any]
    columns: dict[str, list[str]]  # table -> its schema's field names, in order
    id_patterns: dict[str, str]  # table -> the pattern of its id field, if any
    paths: dict[str, str]  # table -> CSV path relative to the package
    units: dict[str, Unit]
    regions: list[dict[str, str]]
    topics: list[dict[str, str]]
    sources: list[dict[str, str]]
    catalogue: list[CatalogueEntry]
    has_catalogue_table: bool
    enums: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def row_id(self, table: str, source_id: str, slug: str) -> str:
        """The row ID by the package's scheme (`<source_id>--<slug>`), or, in a package whose
        id pattern does not admit `--` yet, the source ID and slug joined into one slug."""
        scheme = row_id(source_id, slug)
        pattern = self.id_patterns.get(table)
        if pattern and SEPARATOR in scheme and not re.search(pattern, scheme):
            return slugify(f"{source_id}-{slug}")
        return scheme


def _rows(resource: Resource) -> list[dict[str, str]]:
    """The table's rows as written (a missing cell as the empty string)."""
    read = read_table(resource, keep_text=True)
    if read.text is None:
        problems = "; ".join(f.message for f in read.findings) or "it cannot be read"
        raise PackageReadError(f"{resource.path or resource.name}: {problems} (jiutai-data validate says more)")
    return [{key: "" if value is None else value for key, value in row.items()} for row in read.text.iter_rows(named=True)]


def read_facts(root: Path) -> PackageFacts:
    root = Path(root)
    package = open_package(root)
    if package.descriptor is None:
        raise PackageReadError("; ".join(f.message for f in package.findings) or f"{root} holds no package")
    columns, id_patterns, paths, rows, enums = {}, {}, {}, {}, {}
    for resource in package.resources:
        if not resource.is_table:
            continue
        schema = resource.usable_schema
        if schema is None or resource.file is None:
            raise PackageReadError(f"the table {resource.name} cannot be opened: "
                                   + ("; ".join(f.message for f in package.findings if f.table == resource.name)
                                      or "no usable schema or file"))
        name = resource.name
        typed = Schema.of(schema)  # a usable schema: model/support.py has checked its fields
        columns[name] = typed.names
        paths[name] = resource.path or name
        for column in typed.fields:
            if column.name == "id" and "pattern" in column.constraints:
                id_patterns[name] = column.constraints["pattern"]
            if column.enum is not None:
                enums[(name, column.name)] = column.enum
        rows[name] = _rows(resource)
    for needed in ("sources", "units", "regions", "topics"):
        if needed not in rows:
            raise PackageReadError(f"the package has no {needed} table, which a draft needs")
    units = {}
    for row in rows["units"]:
        try:
            units[row["unit_as_stated"]] = Unit(row["unit_as_stated"], row["unit"], float(row["factor"]))
        except (KeyError, ValueError):
            continue  # validate reports a broken unit row; the draft only cannot use it
    return PackageFacts(
        root=root, descriptor=package.descriptor, columns=columns, id_patterns=id_patterns, paths=paths,
        units=units, regions=rows["regions"], topics=rows["topics"], sources=rows["sources"],
        catalogue=indicator_catalogue(rows), has_catalogue_table=CATALOGUE in rows, enums=enums,
    )


def indicator_catalogue(rows: dict[str, list[dict[str, str]]]) -> list[CatalogueEntry]:
    """The indicator catalogue: the `catalogue` table when the package has one, otherwise
    the distinct (indicator, name_zh, name_en, topic) of indicators (one entry per name,
    so that 地区生产总值 and 地区生产总值同比增长 both find gross_regional_product)."""
    if CATALOGUE in rows:
        source, names = rows[CATALOGUE], {"code": "code", "name_zh": "name_zh", "name_en": "name_en", "topic": "topic",
                                          "kind": "kind", "unit": "unit"}
    else:
        source, names = rows.get(INDICATORS, []), {**CATALOGUE_FROM_INDICATORS, "kind": "kind", "unit": "unit_as_stated"}
    seen, entries = set(), []
    for row in source:
        entry = CatalogueEntry(*(row.get(names[key]) or "" for key in ("code", "name_zh", "name_en", "topic", "kind", "unit")))
        if entry.code and entry.name_zh and (entry.code, entry.name_zh) not in seen:
            seen.add((entry.code, entry.name_zh))
            entries.append(entry)
    return entries


@dataclass(frozen=True)
class Source:
    id: str
    text: str
    published: date
    path: str


def read_source(facts: PackageFacts, source_id: str) -> Source:
    sources = facts.sources
    row = next((r for r in sources if r.get("id") == source_id), None)
    if row is None:
        known = ", ".join(r.get("id", "") for r in sources) or "none"
        raise PackageReadError(f"no source {source_id!r} in {facts.paths['sources']} (the sources are: {known}); "
                               "register the text first with jiutai-data add-source")
    try:
        text = resolve_inside(facts.root, row["path"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, UnsafePath, KeyError) as error:
        raise PackageReadError(f"the text of source {source_id} ({row.get('path')}) cannot be read: {error}") from None
    try:
        published = datetime.fromisoformat(row["published"]).date()
    except (KeyError, ValueError):
        raise PackageReadError(f"source {source_id}: published {row.get('published')!r} is not an ISO date-time") from None
    return Source(source_id, text, published, row["path"])
