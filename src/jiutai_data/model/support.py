"""The schema meta-check: each Table Schema and CSV resource against what this package supports.

It runs on the descriptor and the schemas, before any row is read, and costs
nothing per row. A schema that breaks the subset of Table Schema the reader
and the generated Pandera schema implement (see schema.py) would otherwise be
read with a rule silently dropped, or crash a check; here it becomes one
``schema`` finding per mistake, naming the field, and package.py marks that
table's schema as refused so its rows are not read (the other tables are).

The subset is derived, never re-listed: the types are the keys of
``fields.TYPES``, the constraints each type takes are ``TYPE_CONSTRAINTS``,
the string formats ``STRING_FORMAT_PATTERNS``. A pattern must compile both in
Python's ``re`` (what Frictionless and most tools use) and in polars' Rust
regex engine (what the checks run), since the two accept different syntax.

A CSV resource's ``dialect`` and ``encoding`` must describe the one CSV format
the package uses (CSV_CONTRACT); the reader honours no other, so any other
value is a ``dialect`` or ``encoding`` error instead of being ignored.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from typing import Any


from jiutai_data.model import codes
from jiutai_data.model.fields import pl  # None in a light install, which only loads Parquet
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN
from jiutai_data.model.package import DESCRIPTOR
from jiutai_data.model.fields import (MAPPED_CONSTRAINTS, STRING_FORMAT_PATTERNS, TYPE_CONSTRAINTS, TYPES, as_json,
                                      constraint_value, format_is_supported, full_match)

CSV_CONTRACT = ("this package's CSV files are UTF-8 without a byte order mark, comma-separated, with one header "
                "row and LF line endings; a cell holding a comma, a quote or a line break is put in double "
                "quotes (\"), with a quote inside it doubled (\"\")")

# Dialect options the reader follows, with the one value each may take
# (absent means that value). Frictionless v5 may nest CSV options under "csv".
_DIALECT_VALUES: dict[str, Any] = {
    "delimiter": ",", "header": True, "headerRows": [1], "quoteChar": '"', "doubleQuote": True,
    "lineTerminator": "\n", "skipInitialSpace": False,
}
# Options the reader cannot follow whatever their value.
_DIALECT_UNSUPPORTED = ("escapeChar", "commentChar", "commentRows", "nullSequence")
_UTF8 = ("utf-8", "utf8")

# Common names for a supported type, to suggest the right one.
_TYPE_HINTS = {"text": "string", "str": "string", "float": "number", "decimal": "number", "double": "number",
               "int": "integer", "bool": "boolean"}


def _listing(values: Any) -> str:
    return ", ".join(str(value) for value in values)


def _key_names(value: Any) -> list[str] | None:
    """Field names of a key written as one name or a list of names; None if malformed."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(name, str) for name in value):
        return list(value)
    return None


# --- regular expressions ------------------------------------------------------------

def _polars_regex_error(error: Exception) -> str:
    lines = str(error).splitlines()
    reason = next((line[len("error: "):] for line in lines if line.startswith("error: ")), None)
    return reason or (lines[0] if lines else type(error).__name__)


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used, or None: it must compile in Python's re and in polars."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. FutureWarning "possible nested set"
            re.compile(pattern)
        python_error = None
    except re.error as error:
        python_error = str(error)
    polars_error = None
    try:
        if pl is not None:  # the checks that run patterns need polars; load() runs none
            pl.select(pl.lit("").str.contains(full_match(pattern)))
    except Exception as error:  # polars raises ComputeError with the regex crate's message
        polars_error = _polars_regex_error(error)
    if python_error and polars_error:
        return f"the pattern {as_json(pattern)} is not a valid regular expression: {python_error}"
    if python_error:
        return (f"the pattern {as_json(pattern)} is accepted by polars (Rust regex) but not by Python's re, which "
                f"Frictionless and most tools use: {python_error}; write it in syntax both accept "
                "(e.g. a character range such as [\\u4e00-\\u9fff] instead of \\p{Han})")
    if polars_error:
        return (f"the pattern {as_json(pattern)} is valid in Python's re (Frictionless) but polars' regex engine, "
                f"which this validator uses, refuses it: {polars_error}; write it in syntax both accept "
                "(polars has no look-around and no backreferences)")
    return None


# --- fields ----------------------------------------------------------------------

def _format_words(kind: str) -> str:
    if kind == "string":
        return f"default, {_listing(STRING_FORMAT_PATTERNS)}"
    if kind == "date":
        return "default (YYYY-MM-DD) or a strftime pattern such as %d.%m.%Y"
    return "default (or no format)"


def _constraint_problem(kind: str, name: str, value: Any) -> str | None:
    if name in ("required", "unique"):
        return None if isinstance(value, bool) else f"constraint {name} must be true or false, not {as_json(value)}"
    if name in ("minLength", "maxLength"):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"constraint {name} must be a whole number ≥ 0, not {as_json(value)}"
        return None
    if name == "pattern":
        if not isinstance(value, str):
            return f"constraint pattern must be text, not {as_json(value)}"
        return pattern_problem(value)
    if name == "enum":
        if not isinstance(value, list) or not value:
            return (f"constraint enum must be a non-empty list of the allowed values, e.g. [{as_json(value)}], "
                    f"not {as_json(value)}")
        for item in value:
            try:
                constraint_value(kind, item)
            except ValueError as error:
                return f"constraint enum lists a value that does not fit the {kind} type: {error}"
        return None
    try:  # a bound
        constraint_value(kind, value)
    except ValueError as error:
        return f"constraint {name} does not fit the {kind} type: {error}"
    return None


def _field_problems(field: dict[str, Any]) -> list[str]:
    """What is wrong with one field's declaration, in words."""
    kind = field.get("type", "string")
    if not isinstance(kind, str) or kind not in TYPES:
        hint = f" (did you mean {_TYPE_HINTS[kind]}?)" if isinstance(kind, str) and kind in _TYPE_HINTS else ""
        # What applies depends on the type, so nothing more can be said about this field.
        return [f"the type {as_json(kind)} is not supported{hint}; expected one of: {_listing(TYPES)}"]
    problems = []
    if not format_is_supported(kind, field.get("format")):
        problems.append(f"the format {as_json(field.get('format'))} is not supported for a {kind} field; "
                        f"expected {_format_words(kind)}")
    for name in sorted(MAPPED_CONSTRAINTS & field.keys()):
        problems.append(f"{name} is written on the field itself, where it has no effect; "
                        f"move it into \"constraints\": {{\"{name}\": …}}")
    if "missingValues" in field:
        problems.append("missingValues on a field is not supported; declare missingValues once for the "
                        "whole schema")
    plain_numbers = (field.get("decimalChar", ".") == "." and field.get("groupChar") is None
                     and field.get("bareNumber", True) is True)
    if not plain_numbers:
        problems.append("decimalChar, groupChar and bareNumber are not supported: numbers are written with "
                        "'.' as the decimal point, no thousands separators and nothing around them")
    for name in ("trueValues", "falseValues"):
        values = field.get(name)
        if name in field and not (isinstance(values, list) and values and all(isinstance(v, str) for v in values)):
            problems.append(f"{name} must be a non-empty list of text, not {as_json(values)}")
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        return problems + [f"constraints must be an object, not {as_json(constraints)}"]
    applies = TYPE_CONSTRAINTS[kind]
    for name, value in constraints.items():
        if name not in MAPPED_CONSTRAINTS:
            problems.append(f"the constraint {as_json(name)} is not supported; expected some of: "
                            f"{_listing(sorted(MAPPED_CONSTRAINTS))}")
        elif name not in applies:
            problems.append(f"the constraint {name} does not apply to a {kind} field; "
                            f"a {kind} field takes: {_listing(sorted(applies))}")
        else:
            problem = _constraint_problem(kind, name, value)
            if problem:
                problems.append(problem)
    return problems


# --- the schema -------------------------------------------------------------------

def _key_problems(schema: dict[str, Any], names: list[str]) -> list[str]:
    problems: list[str] = []
    known = set(names)
    fields_in_words = f"the schema's fields are {_listing(names)}"
    if "primaryKey" in schema:
        key = _key_names(schema["primaryKey"])
        if key is None:
            problems.append("primaryKey must be a field name or a list of field names, "
                            f"not {as_json(schema['primaryKey'])}")
        elif unknown := [name for name in key if name not in known]:
            problems.append(f"primaryKey names {_listing(unknown)}, which the schema does not declare; "
                            f"{fields_in_words}")
    foreign_keys = schema.get("foreignKeys", [])
    if not isinstance(foreign_keys, list):
        return problems + [f"foreignKeys must be a list, not {as_json(foreign_keys)}"]
    for number, key in enumerate(foreign_keys, start=1):
        reference = key.get("reference") if isinstance(key, dict) else None
        local = _key_names(key.get("fields")) if isinstance(key, dict) else None
        remote = _key_names(reference.get("fields")) if isinstance(reference, dict) else None
        resource = reference.get("resource", "") if isinstance(reference, dict) else None
        if local is None or remote is None or not isinstance(resource, str):
            problems.append(f"foreign key #{number} must be an object with \"fields\" and a \"reference\" "
                            f"holding \"resource\" and \"fields\", not {as_json(key)}")
        elif unknown := [name for name in local if name not in known]:
            problems.append(f"foreign key #{number} is from {_listing(unknown)}, which the schema does not "
                            f"declare; {fields_in_words}")
        elif len(local) != len(remote):
            problems.append(f"foreign key #{number} pairs {len(local)} field(s) ({_listing(local)}) with "
                            f"{len(remote)} referenced field(s) ({_listing(remote)}); expected as many of each")
    return problems


def check_table_schema(table: str, schema: dict[str, Any], where: str) -> list[Finding]:
    """Every way ``schema`` (of ``table``, read from ``where``) leaves the supported subset of Table Schema."""
    found: list[tuple[str | None, str]] = []  # (field name or None, message)
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        found.append((None, "the schema must have a 'fields' list of objects with a 'name'"))
        fields, schema = [], {}
    names = [field["name"] for field in fields]
    for name, count in Counter(names).items():
        if count > 1:
            found.append((name, f"the field {name} is declared {count} times; expected each field once"))
    for field in fields:
        name = field["name"]
        if not name.strip():
            found.append((None, f"a field has the empty name {as_json(name)}; expected the name of its CSV column"))
        elif name == ROW_COLUMN:
            found.append((name, f"the field name {ROW_COLUMN} is reserved by the validator for row numbers; "
                                "rename the column"))
        found += [(name, problem) for problem in _field_problems(field)]
    found += [(None, problem) for problem in _key_problems(schema, names)]
    missing = schema.get("missingValues", [""])
    if not (isinstance(missing, list) and all(isinstance(value, str) for value in missing)):
        found.append((None, f"missingValues must be a list of text, e.g. [\"\"], not {as_json(missing)}"))
    if schema.get("uniqueKeys"):
        found.append((None, "uniqueKeys is not supported; mark a single field unique with "
                            "\"constraints\": {\"unique\": true}"))
    if schema.get("fieldsMatch", "exact") != "exact":
        found.append((None, f"fieldsMatch {as_json(schema['fieldsMatch'])} is not supported; the CSV header must list "
                            "exactly the schema's fields, in order (\"exact\")"))
    return [Finding(table, None, column, codes.SCHEMA,
                    f"{message}. The rows of {table} are not checked until the schema is fixed",
                    path=where)
            for column, message in found]


# --- dialect and encoding ---------------------------------------------------------

def _dialect_options(dialect: dict[str, Any]) -> dict[str, Any]:
    nested = dialect.get("csv")
    return {**dialect, **nested} if isinstance(nested, dict) else dialect


def check_csv_resource(table: str, resource: dict[str, Any]) -> list[Finding]:
    """The CSV resource's declared dialect and encoding, against the one CSV format the reader follows."""
    findings: list[Finding] = []

    def dialect_error(message: str, value: Any) -> None:
        findings.append(Finding(table, None, None, codes.DIALECT,
                                f"{message}; {CSV_CONTRACT}. Save the file in that format and remove the option "
                                "from the dialect",
                                value=value, path=DESCRIPTOR))

    dialect = resource.get("dialect")
    if isinstance(dialect, dict):
        options = _dialect_options(dialect)
        for name, expected in _DIALECT_VALUES.items():
            if name in options and options[name] != expected:
                dialect_error(f"the dialect declares {name} {as_json(options[name])}, which the reader does not follow "
                              f"(expected {as_json(expected)})", options[name])
        for name in _DIALECT_UNSUPPORTED:
            if options.get(name) is not None:
                dialect_error(f"the dialect declares {name} {as_json(options[name])}, which the reader does not follow",
                              options[name])
    elif dialect is not None:
        dialect_error(f"the dialect must be an object written in {DESCRIPTOR}, not {as_json(dialect)}", dialect)
    encoding = resource.get("encoding")
    if encoding is not None and not (isinstance(encoding, str) and encoding.strip().lower() in _UTF8):
        source = encoding if isinstance(encoding, str) and encoding.strip() else "GBK"
        findings.append(Finding(
            table, None, None, codes.ENCODING,
            f"the resource declares the encoding {as_json(encoding)}; this package's CSV files must be UTF-8 without a "
            f"byte order mark. Re-save the file as UTF-8 (e.g. `iconv -f {source} -t UTF-8 {resource.get('path')} "
            "> fixed.csv`, or 'CSV UTF-8' in a spreadsheet, then remove the BOM) and declare "
            "\"encoding\": \"utf-8\"", value=encoding, path=DESCRIPTOR))
    return findings
