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
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from jiutai_data.model import codes

if TYPE_CHECKING:
    import pandera.polars as pa
    from pandera.api.polars.types import PolarsData

# Pandera is imported only where a Pandera schema is built: importing it costs
# about as much as reading a million rows (it loads pandas), and reading the
# package, its descriptor and its schemas needs none of it. validate.py
# imports it in the background while the tables are read.
PANDERA_MODULE = "pandera.polars"

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


# Table Schema constraints the generated Pandera schema enforces, by field
# type. As in the spec (and Frictionless), lengths and patterns apply to text
# only and bounds to ordered types; a constraint on a type it does not apply to
# is a schema error (see model/support.py), not silently skipped.
_ANY_TYPE_CONSTRAINTS = frozenset({"required", "unique", "enum"})
_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_OWN_CONSTRAINTS = {"string": frozenset({"pattern", "minLength", "maxLength"}), "boolean": frozenset()}
TYPE_CONSTRAINTS: dict[str, frozenset[str]] = {
    kind: _ANY_TYPE_CONSTRAINTS | _OWN_CONSTRAINTS.get(kind, _BOUNDS) for kind in POLARS_DTYPES
}
MAPPED_CONSTRAINTS = frozenset().union(*TYPE_CONSTRAINTS.values())


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


def full_match(pattern: str) -> str:
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


def as_json(value: Any) -> str:
    """A value as it is written in the JSON schema a contributor edits (true, "CNY", not True, 'CNY')."""
    return json.dumps(value, ensure_ascii=False, default=str)


_ISO_EXAMPLES = {"date": "2022-12-31", "datetime": "2022-12-12T08:00:00+08:00", "time": "08:00:00"}


def constraint_value(kind: str, value: Any) -> Any:
    """An enum item or a bound, as written in JSON, as a value of the column's type.

    Raises ValueError saying what was expected when ``value`` does not fit:
    numbers and booleans must be JSON numbers and booleans (not text), dates
    and times ISO text, as the Table Schema spec writes them.
    """
    if kind in ("number", "integer", "year"):
        whole = kind != "number"
        if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
            raise ValueError(f"expected a JSON {'whole ' if whole else ''}number, e.g. 0, not {as_json(value)}")
        return value if whole else float(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, not {as_json(value)}")
        return value
    if kind in ("date", "datetime", "time"):
        expected = f"expected ISO 8601 text such as {as_json(_ISO_EXAMPLES[kind])}, not {as_json(value)}"
        if not isinstance(value, str):
            raise ValueError(expected)
        try:
            if kind == "date":
                return dt.date.fromisoformat(value)
            if kind == "time":
                return dt.time.fromisoformat(value)
            instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(expected) from None
        return instant.astimezone(dt.timezone.utc) if instant.tzinfo else instant.replace(tzinfo=dt.timezone.utc)
    if not isinstance(value, str):
        raise ValueError(f"expected text, not {as_json(value)}")
    return value


def format_is_supported(kind: str, fmt: Any) -> bool:
    """Whether the reader and the generated checks honour ``format`` for a field of type ``kind``."""
    if fmt is None or fmt == "default":
        return True
    if kind == "string":
        return isinstance(fmt, str) and fmt in STRING_FORMAT_PATTERNS
    # A date may be written in a strftime pattern (read.py parses it); no other type has formats here.
    return kind == "date" and isinstance(fmt, str) and fmt.startswith("%")


def _column_checks(field: dict[str, Any], kind: str, key_fields: list[str]) -> tuple[list[pa.Check], list[CheckLabel]]:
    import pandera.polars as pa

    constraints = field.get("constraints") or {}
    checks: list[pa.Check] = []
    labels: list[CheckLabel] = []

    def add(check: pa.Check, name: str, expected: str) -> None:
        checks.append(check)
        labels.append(CheckLabel(name, expected))

    applies = TYPE_CONSTRAINTS.get(kind, TYPE_CONSTRAINTS["string"])
    if "enum" in constraints:
        values = constraints["enum"]
        add(pa.Check.isin([constraint_value(kind, value) for value in values]), codes.ENUM,
            f"one of: {_describe(values)}")
    if "pattern" in constraints and "pattern" in applies:
        pattern = constraints["pattern"]
        add(pa.Check.str_matches(full_match(pattern)), codes.PATTERN, f"text matching {pattern}")
    string_format = field.get("format")
    if kind == "string" and isinstance(string_format, str) and string_format in STRING_FORMAT_PATTERNS:
        add(pa.Check.str_matches(full_match(STRING_FORMAT_PATTERNS[string_format])), codes.FORMAT,
            f"a valid {string_format}")
    if "minLength" in constraints and "minLength" in applies:
        add(pa.Check.str_length(min_value=constraints["minLength"]), codes.MIN_LENGTH,
            f"at least {constraints['minLength']} characters")
    if "maxLength" in constraints and "maxLength" in applies:
        add(pa.Check.str_length(max_value=constraints["maxLength"]), codes.MAX_LENGTH,
            f"at most {constraints['maxLength']} characters")
    for keyword, builder, name, words in (
        ("minimum", pa.Check.ge, codes.MINIMUM, "≥"),
        ("maximum", pa.Check.le, codes.MAXIMUM, "≤"),
        ("exclusiveMinimum", pa.Check.gt, codes.EXCLUSIVE_MINIMUM, ">"),
        ("exclusiveMaximum", pa.Check.lt, codes.EXCLUSIVE_MAXIMUM, "<"),
    ):
        if keyword in constraints and keyword in applies:
            add(builder(constraint_value(kind, constraints[keyword])), name, f"a value {words} {constraints[keyword]}")
    # A single-field primary key already demands uniqueness; say it once.
    if constraints.get("unique") and key_fields != [field["name"]]:
        add(pa.Check(_unique_ignoring_missing), codes.UNIQUE, "a value no other row has")
    return checks, labels


def pandera_schema(schema: dict[str, Any], name: str = "table") -> GeneratedSchema:
    """The Pandera (polars) schema enforcing every field constraint and the primary key.

    It expects a typed frame (see :func:`polars_dtypes`); extra columns such as
    the row-number column are allowed.
    """
    import pandera.polars as pa

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
        frame_labels.append(CheckLabel(codes.PRIMARY_KEY, f"a value of ({', '.join(key_fields)}) no other row has"))
    return GeneratedSchema(
        pandera=pa.DataFrameSchema(columns, checks=frame_checks, name=name, coerce=False, strict=False),
        column_labels=column_labels,
        frame_labels=frame_labels,
    )
