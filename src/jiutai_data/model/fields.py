"""Every Table Schema type, declared once, with what it is in every backend (PUDL style).

One row per type: how a CSV cell's text is parsed (the lexical rule and the polars
expression), the polars dtype of the typed frames, the Arrow type of the Parquet twins
and of ``load()``, the SQLite column type (and CHECK) of the download, the Excel number
format, the pandas logical type written into the Parquet metadata, and which Arrow types
a twin may hold for it. The reader, the Pandera schema, the twin check, the build, the
SQLite and Excel exports all look a type up here; none of them keeps a map of its own.

Three limits hold for every backend, so that a cell ``validate`` accepts is one that every
output can publish:

- a cell holds at most ``MAX_CELL_CHARACTERS`` (32,767) characters: the most an Excel cell
  holds (Microsoft's "Excel specifications and limits"); every other backend holds more;
- an integer lies within ±``MAX_EXACT_INTEGER`` (2**53 − 1): Excel cells (and JavaScript)
  hold numbers as 64-bit floats, which hold no larger whole number exactly;
- a date-time has at most three fractional digits. Table Schema (v2) defines the default
  ``datetime`` as XML Schema's ``dateTime`` with "required date and time parts, followed by
  optional milliseconds and timezone parts" (``2024-01-26T15:00:00.300-05:00``), and
  milliseconds are what the Parquet twins store (``timestamp[ms]``). So
  ``2022-12-12T17:02:00.5+08:00`` is accepted by validate and published by every output,
  while a finer time, which some output would round silently, is refused with its row and
  column. (This package also requires the offset, so that every instant is exact.)
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, Callable, Mapping

try:
    import polars as pl
except ModuleNotFoundError:  # a light install: load() reads the Parquet twins with pyarrow alone
    pl = None
import pyarrow as pa

from jiutai_data.model import codes
from jiutai_data.model.numbers import PATTERN_RULES

if TYPE_CHECKING:
    import pandera.polars as pandera
    from pandera.api.polars.types import PolarsData

MAX_CELL_CHARACTERS = 32_767
MAX_EXACT_INTEGER = 2**53 - 1

# Why milliseconds and a fixed "+08:00": Parquet has no second-resolution timestamp, so a
# "s" column comes back from every reader as "ms"; "+08:00" is China Standard Time, the
# offset every source states, and a fixed offset needs no time-zone database in any reader.
# The stored instant is exact whatever offset a cell states; the offset only decides display.
TIMESTAMP_TYPE = pa.timestamp("ms", tz="+08:00")
# A string field with an enum: a categorical whose dictionary is the enum, in schema order.
ENUM_TYPE = pa.dictionary(pa.int32(), pa.string())

# Table Schema defaults for booleans (a field may override them).
DEFAULT_TRUE_VALUES = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE_VALUES = ["false", "False", "FALSE", "0"]


def _is_text(arrow: pa.DataType) -> bool:
    return pa.types.is_string(arrow) or pa.types.is_large_string(arrow) or pa.types.is_string_view(arrow)


@dataclass(frozen=True)
class FieldType:
    name: str
    polars: pl.DataType
    arrow: pa.DataType
    sqlite: str                 # column type in the STRICT SQLite download
    lexical: str | None         # regex the cell's text must match; None: any text
    expected: str               # what a cell must look like, in words
    excel_format: str | None    # Excel number format; None: the cell's own type
    pandas: str                 # pandas logical type in the Parquet "pandas" metadata
    arrow_words: str            # the Arrow types a twin may hold, in words
    fits: Callable[[pa.DataType], bool]  # whether a twin's Arrow type holds this type's values
    numeric: bool = False       # compared by value (diff), filtered with <, > (site)
    pandas_nullable: str | None = None  # pandas dtype that keeps a missing value as <NA>
    # Each tool's type in the recipe that reads the CSV (publish/recipes.py), keyed by tool; no
    # pandas entry for a date, date-time or time, which pandas reads as the twin's Arrow dtype.
    recipe: Mapping[str, str] = dataclass_field(default_factory=dict)
    stata: str = "text"         # how the Stata download holds it: text, float, integer, boolean, date, instant, time


def _polars(name: str, *arguments: Any) -> Any:
    """A polars dtype, or None in a light install without polars (nothing there reads CSV)."""
    return getattr(pl, name)(*arguments) if pl is not None else None


TYPES: dict[str, FieldType] = {t.name: t for t in [
    FieldType("string", _polars("String"), pa.string(), "TEXT", None, "text",
              None, "unicode", "string (or a dictionary of strings)", _is_text,
              recipe={'pandas': '"string"', 'polars': 'pl.String', 'duckdb': 'VARCHAR', 'readr': 'col_character()'}, stata='text'),
    FieldType("number", _polars("Float64"), pa.float64(), "REAL",
              r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$",
              "a number written with ASCII digits and '.' as the decimal point, e.g. 264.6 "
              "(no units, spaces or thousands separators)",
              None, "float64", "double (float64)", pa.types.is_float64, numeric=True, pandas_nullable="Float64",
              recipe={'pandas': '"Float64"', 'polars': 'pl.Float64', 'duckdb': 'DOUBLE', 'readr': 'col_double()'}, stata='float'),
    FieldType("integer", _polars("Int64"), pa.int64(), "INTEGER", r"^[+-]?[0-9]+$",
              f"a whole number written with ASCII digits, e.g. 12, between -{MAX_EXACT_INTEGER:,} and "
              f"{MAX_EXACT_INTEGER:,} (the largest a spreadsheet holds exactly)",
              None, "int64", "int64", pa.types.is_int64, numeric=True, pandas_nullable="Int64",
              recipe={'pandas': '"Int64"', 'polars': 'pl.Int64', 'duckdb': 'BIGINT', 'readr': 'col_integer()'}, stata='integer'),
    FieldType("boolean", _polars("Boolean"), pa.bool_(), "INTEGER", None, "true or false",
              None, "bool", "bool", pa.types.is_boolean, pandas_nullable="boolean",
              recipe={'pandas': '"boolean"', 'polars': 'pl.Boolean', 'duckdb': 'BOOLEAN', 'readr': 'col_logical()'}, stata='boolean'),
    FieldType("date", _polars("Date"), pa.date32(), "TEXT", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
              "a date as YYYY-MM-DD, e.g. 2022-12-31",
              "yyyy-mm-dd", "date", "date32", pa.types.is_date32,
              recipe={'polars': 'pl.Date', 'duckdb': 'DATE', 'readr': 'col_date()'}, stata='date'),
    # Instants with an offset are held in UTC in the frames: per-row offsets have no polars dtype.
    FieldType("datetime", _polars("Datetime", "us", "UTC"), TIMESTAMP_TYPE, "TEXT",
              r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2})$",
              "a date and time with its UTC offset, e.g. 2022-12-12T08:00:00+08:00 "
              "(at most three digits after the seconds' point)",
              "yyyy-mm-dd hh:mm:ss", "datetimetz", "timestamp with a time zone",
              lambda arrow: pa.types.is_timestamp(arrow) and arrow.tz is not None,
              recipe={'polars': 'pl.Datetime("ms", "UTC")', 'duckdb': 'TIMESTAMPTZ', 'readr': 'col_datetime()'}, stata='instant'),
    FieldType("time", _polars("Time"), pa.time64("us"), "TEXT", r"^[0-9]{2}:[0-9]{2}:[0-9]{2}$",
              "a time as hh:mm:ss", "hh:mm:ss", "time", "a time", pa.types.is_time,
              recipe={'polars': 'pl.Time', 'duckdb': 'TIME', 'readr': 'col_time()'}, stata='time'),
    FieldType("year", _polars("Int32"), pa.int32(), "INTEGER", r"^[0-9]{4}$",
              "a year as four ASCII digits", None, "int32", "an integer", pa.types.is_integer,
              pandas_nullable="Int32",
              recipe={'pandas': '"Int32"', 'polars': 'pl.Int32', 'duckdb': 'INTEGER', 'readr': 'col_integer()'}, stata='integer'),
]}


def field_type(field: dict[str, Any]) -> FieldType:
    """The type of a field (``string`` where the schema says none); KeyError for an unknown one,
    which model/support.py refuses before anything is read."""
    return TYPES[field.get("type", "string")]


def enum_values(field: dict[str, Any]) -> list[str] | None:
    enum = (field.get("constraints") or {}).get("enum")
    return [str(value) for value in enum] if enum is not None else None


# --- parsing: a cell's text to its typed value --------------------------------------

def parse(raw: pl.Expr, field: dict[str, Any]) -> pl.Expr:
    """The typed value of a text cell, null where the text is not one of the type's values."""
    kind = field_type(field)
    fmt = field.get("format", "default")
    lexical = raw.str.contains(kind.lexical) if kind.lexical else None
    if kind.name == "number":
        number = raw.cast(pl.Float64, strict=False)
        return pl.when(lexical & number.is_finite()).then(number)
    if kind.name == "integer":
        whole = raw.cast(kind.polars, strict=False)
        return pl.when(lexical & (whole.abs() <= MAX_EXACT_INTEGER)).then(whole)
    if kind.name == "year":
        return pl.when(lexical).then(raw.cast(kind.polars, strict=False))
    if kind.name == "date":
        if isinstance(fmt, str) and fmt.startswith("%"):
            return raw.str.to_date(fmt, strict=False)
        return pl.when(lexical).then(raw.str.to_date("%Y-%m-%d", strict=False))
    if kind.name == "datetime":
        instant = raw.str.replace(r"Z$", "+00:00").str.to_datetime(
            "%Y-%m-%dT%H:%M:%S%.f%:z", time_unit="us", time_zone="UTC", strict=False)
        return pl.when(lexical).then(instant)
    if kind.name == "time":
        return pl.when(lexical).then(raw.str.to_time("%H:%M:%S", strict=False))
    if kind.name == "boolean":
        true_values = field.get("trueValues", DEFAULT_TRUE_VALUES)
        false_values = field.get("falseValues", DEFAULT_FALSE_VALUES)
        return pl.when(raw.is_in(true_values)).then(True).when(raw.is_in(false_values)).then(False)
    # Any other type is held as its text, where the text is one of its values (its lexical rule).
    return raw if lexical is None else pl.when(lexical).then(raw)


def parses_text(field: dict[str, Any]) -> bool:
    """Whether a cell of this field can fail to parse (every type but string)."""
    return field_type(field).name != "string"


# --- Arrow ------------------------------------------------------------------------

def arrow_type(field: dict[str, Any]) -> pa.DataType:
    kind = field_type(field)
    return ENUM_TYPE if kind.name == "string" and enum_values(field) is not None else kind.arrow


# --- SQLite -------------------------------------------------------------------------

def _sql_literal(value: Any) -> str:
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


_SQL_BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}


def sqlite_checks(field: dict[str, Any], quoted_name: str) -> list[str]:
    """The CHECK clauses that hold a column of the download to its field's type and constraints.

    Patterns have no CHECK: SQLite has no regular expressions without an extension."""
    kind = field_type(field)
    constraints = field.get("constraints") or {}
    checks = []
    enum = enum_values(field)
    if enum is not None and kind.name == "string":
        checks.append(f"{quoted_name} IN ({', '.join(_sql_literal(value) for value in enum)})")
    if kind.name == "boolean":
        checks.append(f"{quoted_name} IN (0, 1)")
    if kind.name in ("number", "integer", "year"):
        for keyword, operator in _SQL_BOUNDS.items():
            if keyword in constraints:
                checks.append(f"{quoted_name} {operator} {_sql_literal(constraints[keyword])}")
    if kind.name == "string":
        if "minLength" in constraints:
            checks.append(f"length({quoted_name}) >= {int(constraints['minLength'])}")
        if "maxLength" in constraints:
            checks.append(f"length({quoted_name}) <= {int(constraints['maxLength'])}")
    return [f"CHECK ({check})" for check in checks]


def sqlite_value(value: Any) -> Any:
    """A value of a typed column as SQLite stores it: dates and times as ISO 8601 text (what
    SQLite's own date functions read), booleans as 0 and 1."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


# --- Excel --------------------------------------------------------------------------

# Excel has no time zones: date-times are written as wall-clock time at the Arrow type's offset.
EXCEL_TIME_ZONE = dt.datetime.strptime(TIMESTAMP_TYPE.tz, "%z").tzinfo


def excel_value(value: Any) -> Any:
    """A value as an Excel cell holds it (a date-time as wall-clock time at UTC+08:00)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(EXCEL_TIME_ZONE).replace(tzinfo=None)
    return value


# --- constraints -------------------------------------------------------------------

# The link schemes a `uri` field accepts: web addresses only. Frictionless
# accepts any scheme (rfc3986), so `javascript:alert(1)` would pass and become a
# live link on the site; this package is stricter, and the site shows a URL as a
# link only after this same check (publish/site/render.py).
WEB_URL_SCHEMES = ("http", "https")
WEB_URL_PATTERN = r"(?i:" + "|".join(WEB_URL_SCHEMES) + r")://[^\s/?#@]+(?:[/?#]\S*)?"
STRING_FORMAT_PATTERNS: dict[str, str] = {
    "uri": WEB_URL_PATTERN,
    "email": r"[^@\s]+@[^@\s]+\.[^@\s]+",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
}

STRING_FORMAT_EXPECTED = {"uri": f"a web address starting with {' or '.join(s + '://' for s in WEB_URL_SCHEMES)}"}


def is_web_url(value: object) -> bool:
    """True when ``value`` is a URL the `uri` format accepts (the same pattern, in polars' linear-time engine)."""
    if not isinstance(value, str):
        return False
    if pl is None:
        # A light install (load() alone, on the package's own descriptor): Python's re, for
        # which this pattern needs no backtracking (a host cannot hold / ? # or white space).
        import re

        return re.fullmatch(full_match(WEB_URL_PATTERN), value) is not None
    return bool(pl.select(pl.lit(value).str.contains(full_match(WEB_URL_PATTERN))).item())


# Table Schema constraints the generated Pandera schema enforces, by field
# type. As in the spec (and Frictionless), lengths and patterns apply to text
# only and bounds to ordered types; a constraint on a type it does not apply to
# is a schema error (see model/support.py), not silently skipped.
_ANY_TYPE_CONSTRAINTS = frozenset({"required", "unique", "enum"})
_BOUNDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_OWN_CONSTRAINTS = {"string": frozenset({"pattern", "minLength", "maxLength"}), "boolean": frozenset()}
TYPE_CONSTRAINTS: dict[str, frozenset[str]] = {
    kind: _ANY_TYPE_CONSTRAINTS | _OWN_CONSTRAINTS.get(kind, _BOUNDS) for kind in TYPES
}
MAPPED_CONSTRAINTS = frozenset().union(*TYPE_CONSTRAINTS.values())


@dataclass(frozen=True)
class CheckLabel:
    """How a failure of one generated Pandera check is reported."""

    check: str     # the Finding.check name, e.g. "enum"
    expected: str  # what the rule wants, in words


def full_match(pattern: str) -> str:
    # Frictionless anchors the pattern at both ends; so do we.
    return f"^(?:{pattern})$"


def _unique_ignoring_missing(data: PolarsData) -> pl.LazyFrame:
    column = pl.col(data.key)
    return data.lazyframe.select(column.is_null() | ~column.is_duplicated())


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


def pandera_checks(field: dict[str, Any], kind: str,
                   key_fields: list[str]) -> tuple[list[pandera.Check], list[CheckLabel]]:
    """The Pandera checks of one field's constraints, and how a failure of each is reported."""
    import pandera.polars as pandera

    constraints = field.get("constraints") or {}
    checks: list[pandera.Check] = []
    labels: list[CheckLabel] = []

    def add(check: pandera.Check, name: str, expected: str) -> None:
        checks.append(check)
        labels.append(CheckLabel(name, expected))

    applies = TYPE_CONSTRAINTS.get(kind, TYPE_CONSTRAINTS["string"])
    if "enum" in constraints:
        values = constraints["enum"]
        add(pandera.Check.isin([constraint_value(kind, value) for value in values]), codes.ENUM,
            f"one of: {_describe(values)}")
    if "pattern" in constraints and "pattern" in applies:
        pattern = constraints["pattern"]
        rule = PATTERN_RULES.get(pattern)  # words that say what to write, where the package has them
        add(pandera.Check.str_matches(full_match(pattern)), codes.PATTERN,
            f"{rule} (the pattern {pattern})" if rule else f"text matching {pattern}")
    string_format = field.get("format")
    if kind == "string" and isinstance(string_format, str) and string_format in STRING_FORMAT_PATTERNS:
        add(pandera.Check.str_matches(full_match(STRING_FORMAT_PATTERNS[string_format])), codes.FORMAT,
            STRING_FORMAT_EXPECTED.get(string_format, f"a valid {string_format}"))
    if "minLength" in constraints and "minLength" in applies:
        add(pandera.Check.str_length(min_value=constraints["minLength"]), codes.MIN_LENGTH,
            f"at least {constraints['minLength']} characters")
    if "maxLength" in constraints and "maxLength" in applies:
        add(pandera.Check.str_length(max_value=constraints["maxLength"]), codes.MAX_LENGTH,
            f"at most {constraints['maxLength']} characters")
    for keyword, builder, name, words in (
        ("minimum", pandera.Check.ge, codes.MINIMUM, "≥"),
        ("maximum", pandera.Check.le, codes.MAXIMUM, "≤"),
        ("exclusiveMinimum", pandera.Check.gt, codes.EXCLUSIVE_MINIMUM, ">"),
        ("exclusiveMaximum", pandera.Check.lt, codes.EXCLUSIVE_MAXIMUM, "<"),
    ):
        if keyword in constraints and keyword in applies:
            add(builder(constraint_value(kind, constraints[keyword])), name, f"a value {words} {constraints[keyword]}")
    # A single-field primary key already demands uniqueness; say it once.
    if constraints.get("unique") and key_fields != [field["name"]]:
        add(pandera.Check(_unique_ignoring_missing), codes.UNIQUE, "a value no other row has")
    return checks, labels
