"""The Table Schema -> Pandera mapping: each constraint kind catches a frame that breaks it."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from jiutai_data.validate.checks.structure import check_table_constraints
from jiutai_data.model.frames import ROW_COLUMN
from jiutai_data.model.fields import MAPPED_CONSTRAINTS
from jiutai_data.model.schema import field_types, foreign_keys, pandera_schema, polars_dtypes, primary_key

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "schemas").glob("*.json"))


def failures(field: dict, values: list, primary: list[str] | None = None, extra: dict | None = None) -> list[tuple]:
    """(row, column, check) of every failure when ``values`` fill the one column of ``field``."""
    schema = {"fields": [field, *(extra or {}).get("fields", [])]}
    if primary:
        schema["primaryKey"] = primary
    dtype = polars_dtypes(schema)[field["name"]]
    columns = {ROW_COLUMN: list(range(2, len(values) + 2)), field["name"]: pl.Series(values, dtype=dtype)}
    columns.update((extra or {}).get("columns", {}))
    frame = pl.DataFrame(columns)
    return [(f.row, f.column, f.check) for f in check_table_constraints("t", frame, schema)]


def test_required_catches_a_missing_value():
    field = {"name": "a", "type": "string", "constraints": {"required": True}}
    assert failures(field, ["x", None, "y"]) == [(3, "a", "required")]


def test_optional_field_accepts_missing_values():
    field = {"name": "a", "type": "string", "constraints": {"enum": ["x"], "pattern": "x", "minLength": 1}}
    assert failures(field, [None, "x", None]) == []


def test_unique_catches_a_repeat_but_not_repeated_missing_values():
    field = {"name": "a", "type": "string", "constraints": {"unique": True}}
    assert failures(field, ["x", None, None, "y", "x"]) == [(6, "a", "unique")]


def test_enum_catches_a_value_not_listed():
    field = {"name": "a", "type": "string", "constraints": {"enum": ["level", "yoy_change"]}}
    assert failures(field, ["level", "Level"]) == [(3, "a", "enum")]


def test_pattern_is_a_full_match():
    field = {"name": "a", "type": "string", "constraints": {"pattern": "[0-9]{6}([0-9]{3})?"}}
    assert failures(field, ["220113", "2201131", "x220113", "220113001"]) == [(3, "a", "pattern"), (4, "a", "pattern")]


def test_pattern_alternatives_are_anchored_as_a_whole():
    # ^a|b$ unanchored would accept "ax"; Frictionless anchors the whole pattern.
    field = {"name": "a", "type": "string", "constraints": {"pattern": "a|b"}}
    assert failures(field, ["a", "ax", "xb"]) == [(3, "a", "pattern"), (4, "a", "pattern")]


def test_uri_format_catches_text_that_is_not_a_uri():
    field = {"name": "a", "type": "string", "format": "uri"}
    assert failures(field, ["https://example.org/x", "example.org", "http://a b"]) == [(3, "a", "format"), (4, "a", "format")]


def test_min_length_counts_characters():
    field = {"name": "a", "type": "string", "constraints": {"minLength": 2}}
    assert failures(field, ["九台", "九", ""]) == [(3, "a", "min-length"), (4, "a", "min-length")]


def test_max_length_counts_characters():
    field = {"name": "a", "type": "string", "constraints": {"maxLength": 2}}
    assert failures(field, ["九台", "九台区"]) == [(3, "a", "max-length")]


def test_minimum_is_inclusive():
    field = {"name": "a", "type": "number", "constraints": {"minimum": 0}}
    assert failures(field, [0.0, -0.5, 3.0]) == [(3, "a", "minimum")]


def test_maximum_is_inclusive():
    field = {"name": "a", "type": "integer", "constraints": {"maximum": 100}}
    assert failures(field, [100, 101]) == [(3, "a", "maximum")]


def test_exclusive_minimum_rejects_the_bound():
    field = {"name": "a", "type": "number", "constraints": {"exclusiveMinimum": 0}}
    assert failures(field, [0.001, 0.0, -1.0]) == [(3, "a", "exclusive-minimum"), (4, "a", "exclusive-minimum")]


def test_exclusive_maximum_rejects_the_bound():
    field = {"name": "a", "type": "number", "constraints": {"exclusiveMaximum": 100}}
    assert failures(field, [99.9, 100.0]) == [(3, "a", "exclusive-maximum")]


def test_single_field_primary_key_catches_a_repeat_once_and_a_missing_key():
    field = {"name": "id", "type": "string", "constraints": {"unique": True}}
    assert failures(field, ["a", "b", "a", None, None], primary=["id"]) == [
        (4, "id", "primary-key"), (5, "id", "required"), (6, "id", "required")]


def test_composite_primary_key_catches_a_repeated_pair_only():
    field = {"name": "a", "type": "string"}
    extra = {"fields": [{"name": "b", "type": "integer"}], "columns": {"b": [1, 2, 1, 1]}}
    assert failures(field, ["x", "x", "y", "x"], primary=["a", "b"], extra=extra) == [(5, None, "primary-key")]


def test_every_constraint_the_schemas_use_is_mapped():
    used = {key for path in SCHEMAS for field in json.loads(path.read_text())["fields"]
            for key in field.get("constraints", {})}
    assert used and used <= MAPPED_CONSTRAINTS


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.stem)
def test_every_committed_schema_becomes_a_pandera_schema_with_its_types(path):
    schema = json.loads(path.read_text())
    generated = pandera_schema(schema, path.stem)
    assert list(generated.pandera.columns) == [f["name"] for f in schema["fields"]]
    assert set(field_types(schema).values()) <= {"string", "number", "integer", "date", "datetime", "boolean"}
    assert primary_key(schema) and all(key.resource for key in foreign_keys(schema))


def test_types_map_to_polars_dtypes():
    schema = {"fields": [{"name": n, "type": t} for n, t in
                         [("s", "string"), ("n", "number"), ("i", "integer"), ("d", "date"),
                          ("t", "datetime"), ("b", "boolean"), ("x", "geopoint")]]}
    assert polars_dtypes(schema) == {"s": pl.String, "n": pl.Float64, "i": pl.Int64, "d": pl.Date,
                                     "t": pl.Datetime("us", "UTC"), "b": pl.Boolean, "x": pl.String}


def test_date_bounds_written_as_text_are_compared_as_dates():
    import datetime as dt

    field = {"name": "a", "type": "date", "constraints": {"minimum": "2000-01-01"}}
    assert failures(field, [dt.date(2000, 1, 1), dt.date(1999, 12, 31)]) == [(3, "a", "minimum")]
