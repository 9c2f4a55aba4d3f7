"""Everything the code knows about a table comes from its Table Schema, through here.

One place derives, from a Table Schema dict: the field names and Frictionless
types, the polars dtypes of the typed frames, the keys, and the Pandera
(polars backend) schema that enforces the field constraints. Pandera's own
``from_frictionless_schema`` is pandas-only and tied to Frictionless v4, so the
small mapping is written here.

Constraint semantics follow the Table Schema spec as Frictionless applies it:
missing values (null) pass every constraint except ``required``; ``pattern`` must
match the whole cell; ``unique`` ignores missing values; primary-key fields are
required and unique together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandera.polars as pa
import polars as pl
from pandera.api.polars.types import PolarsData

# Frictionless type -> polars dtype of the typed frame. Types not listed are
# kept as strings (the package uses none of them).
POLARS_DTYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "number": pl.Float64(),
    "integer": pl.Int64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    # Instants with an offset are held in UTC: per-row offsets have no polars
    # dtype. Convert with .dt.convert_time_zone(...) for a local calendar date.
    "datetime": pl.Datetime("us", "UTC"),
    "time": pl.Time(),
    "year": pl.Int32(),
}

# A scheme and something after it, no white space: what Frictionless (rfc3986
# with a required scheme) accepts, slightly stricter.
STRING_FORMAT_PATTERNS: dict[str, str] = {
    "uri": r"[A-Za-z][A-Za-z0-9+.\-]*:\S+",
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
}


# Table Schema constraints the generated Pandera schema enforces.
MAPPED_CONSTRAINTS = frozenset({
    "required", "unique", "enum", "pattern", "minLength", "maxLength",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
})


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str  # "" means the table itself, as in the spec
    reference_fields: list[str]


def fields(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return list(schema.get("fields") or [])


def field_names(schema: dict[str, Any]) -> list[str]:
    return [field["name"] for field in fields(schema)]


def field_types(schema: dict[str, Any]) -> dict[str, str]:
    """Field name -> Frictionless type (``string`` where the schema says none)."""
    return {field["name"]: field.get("type", "string") for field in fields(schema)}


def polars_dtypes(schema: dict[str, Any]) -> dict[str, pl.DataType]:
    """Field name -> polars dtype of the column in a typed frame."""
    return {name: POLARS_DTYPES.get(kind, pl.String()) for name, kind in field_types(schema).items()}


def string_fields(schema: dict[str, Any]) -> list[str]:
    """Names of the text columns (what hygiene checks apply to)."""
    return [name for name, kind in field_types(schema).items() if kind == "string"]


def missing_values(schema: dict[str, Any]) -> list[str]:
    return list(schema.get("missingValues", [""]))


def _as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def primary_key(schema: dict[str, Any]) -> list[str]:
    return _as_list(schema.get("primaryKey"))


def foreign_keys(schema: dict[str, Any]) -> list[ForeignKey]:
    keys = []
    for key in schema.get("foreignKeys") or []:
        reference = key.get("reference") or {}
        keys.append(ForeignKey(
            fields=_as_list(key.get("fields")),
            resource=reference.get("resource", ""),
            reference_fields=_as_list(reference.get("fields")),
        ))
    return keys


# --- Pandera ---------------------------------------------------------------

@dataclass(frozen=True)
class CheckLabel:
    """How a failure of one generated Pandera check is reported."""

    check: str     # the Finding.check name, e.g. "enum"
    expected: str  # what the rule wants, in words


@dataclass
class GeneratedSchema:
    """A Pandera schema plus the labels that turn its failure cases into findings.

    Pandera reports a failed check by its position; ``column_labels[column][i]``
    and ``frame_labels[i]`` label check number ``i``.
    """

    pandera: pa.DataFrameSchema
    column_labels: dict[str, list[CheckLabel]]
    frame_labels: list[CheckLabel]


def _full_match(pattern: str) -> str:
    # Frictionless anchors the pattern at both ends; so do we.
    return f"^(?:{pattern})$"


def _unique_ignoring_missing(data: PolarsData) -> pl.LazyFrame:
    column = pl.col(data.key)
    return data.lazyframe.select(column.is_null() | ~column.is_duplicated())


def _unique_together(names: list[str]):
    # A key with a missing part is reported as missing (required), not as a repeat.
    def check(data: PolarsData) -> pl.LazyFrame:
        incomplete = pl.any_horizontal(pl.col(name).is_null() for name in names)
        return data.lazyframe.select((incomplete | ~pl.struct(names).is_duplicated()).alias("unique_together"))
    return check


def _describe(values: list[Any], limit: int = 8) -> str:
    shown = ", ".join(str(value) for value in values[:limit])
    return shown + (f", … ({len(values)} in all)" if len(values) > limit else "")


def _bound(kind: str, value: Any) -> Any:
    """A minimum or maximum as a value of the column's type (dates are written as text in JSON)."""
    if kind == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if kind == "datetime" and isinstance(value, str):
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return instant.astimezone(dt.timezone.utc) if instant.tzinfo else instant.replace(tzinfo=dt.timezone.utc)
    return value


def _column_checks(field: dict[str, Any], kind: str, key_fields: list[str]) -> tuple[list[pa.Check], list[CheckLabel]]:
    constraints = field.get("constraints") or {}
    checks: list[pa.Check] = []
    labels: list[CheckLabel] = []

    def add(check: pa.Check, name: str, expected: str) -> None:
        checks.append(check)
        labels.append(CheckLabel(name, expected))

    if "enum" in constraints:
        values = constraints["enum"]
        add(pa.Check.isin(values), "enum", f"one of: {_describe(values)}")
    if "pattern" in constraints and kind == "string":
        pattern = constraints["pattern"]
        add(pa.Check.str_matches(_full_match(pattern)), "pattern", f"text matching {pattern}")
    string_format = field.get("format")
    if kind == "string" and string_format in STRING_FORMAT_PATTERNS:
        add(pa.Check.str_matches(_full_match(STRING_FORMAT_PATTERNS[string_format])), "format",
            f"a valid {string_format}")
    if "minLength" in constraints and kind == "string":
        add(pa.Check.str_length(min_value=constraints["minLength"]), "min-length",
            f"at least {constraints['minLength']} characters")
    if "maxLength" in constraints and kind == "string":
        add(pa.Check.str_length(max_value=constraints["maxLength"]), "max-length",
            f"at most {constraints['maxLength']} characters")
    for keyword, builder, name, words in (
        ("minimum", pa.Check.ge, "minimum", "≥"),
        ("maximum", pa.Check.le, "maximum", "≤"),
        ("exclusiveMinimum", pa.Check.gt, "exclusive-minimum", ">"),
        ("exclusiveMaximum", pa.Check.lt, "exclusive-maximum", "<"),
    ):
        if keyword in constraints:
            add(builder(_bound(kind, constraints[keyword])), name, f"a value {words} {constraints[keyword]}")
    # A single-field primary key already demands uniqueness; say it once.
    if constraints.get("unique") and key_fields != [field["name"]]:
        add(pa.Check(_unique_ignoring_missing), "unique", "a value no other row has")
    return checks, labels


def pandera_schema(schema: dict[str, Any], name: str = "table") -> GeneratedSchema:
    """The Pandera (polars) schema enforcing every field constraint and the primary key.

    It expects a typed frame (see :func:`polars_dtypes`); extra columns such as
    the row-number column are allowed.
    """
    key_fields = primary_key(schema)
    types = field_types(schema)
    dtypes = polars_dtypes(schema)
    columns: dict[str, pa.Column] = {}
    column_labels: dict[str, list[CheckLabel]] = {}
    for field in fields(schema):
        field_name = field["name"]
        constraints = field.get("constraints") or {}
        checks, labels = _column_checks(field, types[field_name], key_fields)
        required = bool(constraints.get("required")) or field_name in key_fields
        columns[field_name] = pa.Column(dtypes[field_name], checks=checks, nullable=not required)
        column_labels[field_name] = labels
    frame_checks: list[pa.Check] = []
    frame_labels: list[CheckLabel] = []
    if key_fields:
        frame_checks.append(pa.Check(_unique_together(key_fields)))
        frame_labels.append(CheckLabel("primary-key", f"a value of ({', '.join(key_fields)}) no other row has"))
    return GeneratedSchema(
        pandera=pa.DataFrameSchema(columns, checks=frame_checks, name=name, coerce=False, strict=False),
        column_labels=column_labels,
        frame_labels=frame_labels,
    )
