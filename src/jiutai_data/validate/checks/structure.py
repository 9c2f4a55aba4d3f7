"""Field constraints and primary keys, enforced by the Pandera schema generated from each Table Schema."""

from __future__ import annotations

from typing import Any

import pandera.polars as pa
import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import FAILED_COLUMN, ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths
from jiutai_data.model.fields import CheckLabel
from jiutai_data.model.schema import GeneratedSchema, pandera_schema, primary_key
from jiutai_data.validate.checks.declare import Scope, declares

_REPEATS = (codes.UNIQUE, codes.PRIMARY_KEY)  # reported on each repeat, naming the first row


_FOUND = {
    codes.ENUM: "is not an allowed value",
    codes.PATTERN: "does not match the pattern",
    codes.FORMAT: "is not well formed",
    codes.MIN_LENGTH: "is too short",
    codes.MAX_LENGTH: "is too long",
    codes.MINIMUM: "is too small",
    codes.MAXIMUM: "is too large",
    codes.EXCLUSIVE_MINIMUM: "is too small",
    codes.EXCLUSIVE_MAXIMUM: "is too large",
}


def _first_line(text: Any) -> str:
    """The first line of an engine's message: polars appends a dump of the failing expression."""
    lines = str(text).strip().splitlines()
    return lines[0] if lines else "no reason given"


def _message(label: CheckLabel, value: Any, first_row: int | None) -> str:
    if label.check == codes.REQUIRED:
        return f"the cell is empty; expected {label.expected}"
    if first_row is not None:
        return f"{value!r} is already in row {first_row}; expected {label.expected}"
    return f"{value!r} {_FOUND.get(label.check, 'breaks the rule')}; expected {label.expected}"


def _label(case: dict[str, Any], generated: GeneratedSchema) -> CheckLabel | None:
    if case["schema_context"] == "Column" and case["check"] == "not_nullable":
        return CheckLabel(codes.REQUIRED, "a value (the column is required)")
    number = case["check_number"]
    if case["schema_context"] == "Column":
        labels = generated.column_labels.get(case["column"], [])
    else:
        labels = generated.frame_labels
    if number is None or not 0 <= number < len(labels):
        return None
    return labels[number]


@declares(Scope.ROW, codes.PRIMARY_KEY, codes.UNIQUE, codes.REQUIRED, codes.SCHEMA, *_FOUND)
def check_table_constraints(table: str, frame: pl.DataFrame, schema: dict[str, Any],
                            path: str | None = None, skip: pl.DataFrame | None = None) -> list[Finding]:
    """Every cell or row of ``frame`` that breaks a constraint of ``schema``.

    ``skip`` lists (ROW_COLUMN, FAILED_COLUMN) cells already reported as failing
    to cast: they are null here and must not be reported again as missing.
    """
    generated = pandera_schema(schema, table)
    try:
        generated.pandera.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as error:
        cases = error.failure_cases
    except pa.errors.SchemaError as error:
        return [Finding(table, None, None, codes.SCHEMA, f"the table does not fit its schema: {error}", path=path)]
    key_fields = primary_key(schema)
    positions = frame.select(ROW_COLUMN).with_row_index("index").with_columns(pl.col("index").cast(pl.Int64))
    cases = (cases.with_columns(pl.col("index").cast(pl.Int64))
             .join(positions, on="index", how="left")
             .with_columns(pl.when(pl.col("schema_context") == "Column").then(pl.col("column")).alias("field")))
    if skip is not None and skip.height:
        cases = cases.join(skip.rename({FAILED_COLUMN: "field"}), on=[ROW_COLUMN, "field"], how="anti", nulls_equal=False)
    findings: list[Finding] = []
    first_rows: dict[tuple[str, Any], int] = {}
    key_values = frame.select(key_fields) if key_fields else None
    for case in cases.sort(ROW_COLUMN, nulls_last=False).iter_rows(named=True):
        label = _label(case, generated)
        row = case[ROW_COLUMN]
        if label is None or row is None:
            findings.append(Finding(table, None, case["field"], codes.SCHEMA,
                                    f"the check {case['check']} could not run: {_first_line(case['failure_case'])}",
                                    path=path))
            continue
        column = case["field"]
        value: Any = case["failure_case"]
        if label.check == codes.PRIMARY_KEY and key_values is not None:
            value = key_values.row(case["index"])
            value = value[0] if len(value) == 1 else list(value)
            column = key_fields[0] if len(key_fields) == 1 else None
        first_row = None
        if label.check in _REPEATS:
            group = (label.check, column, str(value))
            if group not in first_rows:
                first_rows[group] = row
                continue
            first_row = first_rows[group]
        findings.append(Finding(table, row, column, label.check, _message(label, value, first_row),
                                None if label.check == codes.REQUIRED else value, path=path))
    return findings


@declares(Scope.ROW, codes.PRIMARY_KEY, codes.UNIQUE, codes.REQUIRED, codes.SCHEMA, *_FOUND)
def check_structure(frames: PackageFrames, cast_failures: dict[str, pl.DataFrame] | None = None) -> list[Finding]:
    """Field constraints (required, unique, enum, pattern, format, lengths, bounds) and primary keys of every table."""
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in frames.tables.items():
        schema = frames.schemas.get(table)
        if schema is None:
            continue
        skip = (cast_failures or {}).get(table)
        try:
            findings.extend(check_table_constraints(table, frame, schema, paths.get(table), skip))
        except Exception as error:  # schemas are meta-checked first; if one still breaks, the other tables go on
            findings.append(Finding(table, None, None, codes.INTERNAL,
                                    f"the field constraints of {table} could not be checked: "
                                    f"{type(error).__name__}: {_first_line(error)} (please report this)",
                                    path=paths.get(table)))
    return findings
