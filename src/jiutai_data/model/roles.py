"""What each field is for, read off its Table Schema: the SQLite export's search index, its
Datasette facets and labels, and the unit a column is in all come from here, so a new table or
column that follows the schemas' conventions needs no code naming it.

- **free text**: a string with no enum, pattern or format that is no key (names, titles,
  quotes, notes): what full-text search indexes;
- **category**: a field with an `enum`: what Datasette offers as a facet;
- **label**: the first required free-text field of a table, what a foreign key to it shows
  (regions.name_zh for `jiutai`);
- **unit**: the column holding a numeric field's unit (`value` → `unit`, `target_value` →
  `target_unit`), or the unit a field's name states (`investment_cny` → CNY).
"""

from __future__ import annotations

from typing import Any

from jiutai_data.model.fields import TYPES
from jiutai_data.model.schema import fields, foreign_keys, primary_key
# A field named "<what>_<suffix>" holds amounts in that unit.
UNIT_SUFFIXES = {"_cny": "CNY"}


def key_fields(schema: dict[str, Any]) -> set[str]:
    """Fields of the primary key and of every foreign key."""
    keys = set(primary_key(schema))
    for key in foreign_keys(schema):
        keys.update(key.fields)
    return keys


def is_numeric(field: dict[str, Any]) -> bool:
    kind = TYPES.get(field.get("type", "string"))
    return kind is not None and kind.numeric


def is_free_text(field: dict[str, Any], schema: dict[str, Any]) -> bool:
    constraints = field.get("constraints") or {}
    return (
        field.get("type", "string") == "string"
        and "enum" not in constraints
        and "pattern" not in constraints
        and field.get("format") in (None, "default")
        and field["name"] not in key_fields(schema)
    )


def free_text_fields(schema: dict[str, Any]) -> list[str]:
    return [field["name"] for field in fields(schema) if is_free_text(field, schema)]


def category_fields(schema: dict[str, Any]) -> list[str]:
    return [field["name"] for field in fields(schema) if "enum" in (field.get("constraints") or {})]


def label_field(schema: dict[str, Any]) -> str | None:
    for field in fields(schema):
        if is_free_text(field, schema) and (field.get("constraints") or {}).get("required"):
            return field["name"]
    return None


def referenced_tables(schemas: dict[str, dict[str, Any]]) -> set[str]:
    """Names of the tables some foreign key points to (a key to its own table counts)."""
    return {key.resource or name for name, schema in schemas.items() for key in foreign_keys(schema)}


def unit_field(name: str, names: set[str]) -> str | None:
    """The field holding the unit of numeric field `name`: value → unit, target_value → target_unit; the upper
    bound of a range (value_high, target_value_high) shares the unit of its lower bound."""
    name = name.removesuffix("_high")
    candidate = "unit" if name == "value" else name.removesuffix("_value") + "_unit"
    return candidate if candidate != name and candidate in names else None


def fixed_unit(name: str) -> str | None:
    """The unit a field's name states, e.g. investment_cny → CNY."""
    return next((unit for suffix, unit in UNIT_SUFFIXES.items() if name.endswith(suffix)), None)


def unit_note(field: dict[str, Any], schema: dict[str, Any]) -> str | None:
    """The unit of a numeric field, in words, for a column's description; None for other fields."""
    if not is_numeric(field):
        return None
    names = {other["name"] for other in fields(schema)}
    column = unit_field(field["name"], names)
    if column is not None:
        return f"Unit: given per row in column {column}."
    unit = fixed_unit(field["name"])
    return f"Unit: {unit}." if unit is not None else None


# --- reading order ------------------------------------------------------------------------
#
# What a reader comes for comes first: the name, the figure as stated, the figure normalised
# with its unit, the period, the status and other categories; then the remaining text (quote,
# note), and last the identifiers and foreign keys. Each field's role is read off the schema
# by the conventions the schemas share (a `_zh`/`_en` suffix marks a name in one language,
# `_as_stated` the source's own wording, `value`/`unit` and `*_cny` an amount), or declared
# on the field as `"role"` (one of ROLES) where a convention does not fit.
ROLE_PROPERTY = "role"
ROLES = ("name", "stated", "normalised", "period", "category", "text", "identifier")
LANGUAGE_SUFFIXES = {"_zh": "zh", "_en": "en"}
STATED_SUFFIX = "_as_stated"


def language_of(field_name: str) -> str | None:
    for suffix, language in LANGUAGE_SUFFIXES.items():
        if field_name.endswith(suffix):
            return language
    return None


def _unit_columns(schema: dict[str, Any]) -> set[str]:
    names = {field["name"] for field in fields(schema)}
    return {unit for field in fields(schema) if is_numeric(field)
            if (unit := unit_field(field["name"], names)) is not None}


def role_of(field: dict[str, Any], schema: dict[str, Any], unit_columns: set[str] | None = None) -> str:
    declared = field.get(ROLE_PROPERTY)
    if declared in ROLES:
        return declared
    name = field["name"]
    units = _unit_columns(schema) if unit_columns is None else unit_columns
    if name.endswith(STATED_SUFFIX):
        return "stated"
    if is_free_text(field, schema) and language_of(name) is not None:
        return "name"
    if is_numeric(field) or name in units:
        return "normalised"
    if field.get("type") in ("date", "datetime", "time", "year"):
        return "period"
    if "enum" in (field.get("constraints") or {}) and name not in key_fields(schema):
        return "category"
    if is_free_text(field, schema):
        return "text"
    return "identifier"


def reading_order(schema: dict[str, Any]) -> list[str]:
    """The field names in the order a reader wants them: by role, then in schema order."""
    units = _unit_columns(schema)
    ranked = [(ROLES.index(role_of(field, schema, units)), position, field["name"])
              for position, field in enumerate(fields(schema))]
    return [name for _, _, name in sorted(ranked)]
