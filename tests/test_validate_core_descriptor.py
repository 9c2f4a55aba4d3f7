"""The schema meta-check: Table Schemas and CSV dialects outside what the package supports are
refused before any row is read, naming the table and field, and the other tables are still checked."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Callable

import polars as pl
import pytest
from conftest import REPO, edit_field, edit_schema, tiny_rows, write_table
from frictionless import system

from jiutai_data.model.support import check_csv_resource, check_table_schema, pattern_problem
from jiutai_data.validate.checks.structure import check_structure
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.fields import MAPPED_CONSTRAINTS, TYPE_CONSTRAINTS, TYPES
from jiutai_data.validate.run import validate_package

SCHEMAS = sorted((REPO / "schemas").glob("*.json"))


def edit_resource(root: Path, table: str, edit: Callable[[dict[str, Any]], None]) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(next(r for r in descriptor["resources"] if r["name"] == table))
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def errors_of(report, check: str) -> list:
    return [f for f in report.errors if f.check == check]


def where(report, check: str) -> list[tuple]:
    return [(f.table, f.row, f.column) for f in errors_of(report, check)]


def assert_no_crash(report) -> None:
    assert not [f.message for f in report.findings if f.check == "internal"]


# --- 1. field types ---------------------------------------------------------------

def test_unsupported_field_type_is_refused_naming_the_schema_file_field_and_supported_types(tiny_package):
    edit_field(tiny_package, "topics", "name_en", lambda f: f.update(type="text"))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("topics", None, "name_en")]
    finding = errors_of(report, "schema")[0]
    assert finding.path == "schemas/topics.json"
    assert '"text"' in finding.message and "did you mean string" in finding.message
    assert all(kind in finding.message for kind in TYPES)
    assert "topics" not in report.stats["rows"]  # its rows are not read by a schema we cannot honour
    assert report.stats["rows"]["indicators"] == 2  # the other tables are
    assert_no_crash(report)


def test_table_schema_type_the_reader_does_not_implement_is_refused(tiny_package):
    edit_field(tiny_package, "regions", "code", lambda f: f.update(type="geopoint"))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("regions", None, "code")]


@pytest.mark.parametrize("kind", list(TYPES))
def test_every_type_the_reader_maps_is_accepted(kind):
    assert check_table_schema("t", {"fields": [{"name": "a", "type": kind}]}, "t.json") == []


# --- 2. keys naming fields the schema does not have ---------------------------------

def test_primary_key_naming_a_missing_field_is_a_schema_error_not_a_crash(tiny_package):
    edit_schema(tiny_package, "topics", lambda s: s.update(primaryKey=["identifier"]))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("topics", None, None)]
    assert "identifier" in errors_of(report, "schema")[0].message
    assert_no_crash(report)


def test_foreign_key_from_a_missing_field_is_a_schema_error(tiny_package):
    edit_schema(tiny_package, "regions", lambda s: s["foreignKeys"][0].update(fields="parent"))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("regions", None, None)]
    assert "parent" in errors_of(report, "schema")[0].message
    assert_no_crash(report)


def test_foreign_key_pairing_one_field_with_two_is_a_schema_error(tiny_package):
    edit_schema(tiny_package, "regions",
                lambda s: s["foreignKeys"][0]["reference"].update(fields=["id", "code"]))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("regions", None, None)]
    assert "expected as many of each" in errors_of(report, "schema")[0].message


# --- 3. a field declared twice ------------------------------------------------------

def test_field_declared_twice_is_named_and_the_other_tables_are_still_checked(tiny_package):
    edit_schema(tiny_package, "topics", lambda s: s["fields"].append(dict(s["fields"][-1])))
    rows = tiny_rows()["indicators"]
    rows[1]["measure"] = "growth"
    write_table(tiny_package, "indicators", rows)
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("topics", None, "description")]
    assert "2 times" in errors_of(report, "schema")[0].message
    assert where(report, "enum") == [("indicators", 3, "measure")]
    assert_no_crash(report)


# --- 4. patterns ------------------------------------------------------------------

def test_pattern_that_is_not_a_regular_expression_is_refused_with_the_reason(tiny_package):
    edit_field(tiny_package, "topics", "id", lambda f: f["constraints"].update(pattern="[a-z"))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("topics", None, "id")]
    assert "unterminated character set" in errors_of(report, "schema")[0].message
    assert_no_crash(report)


def test_pattern_only_python_accepts_is_refused_naming_polars():
    # Frictionless would accept the look-ahead; the checks here run on polars, which has none.
    problem = pattern_problem("(?=[a-z])[a-z0-9]+")
    assert problem is not None and "polars" in problem and "look-around" in problem


def test_pattern_only_polars_accepts_is_refused_naming_python_re():
    # \p{Han} works in the checks here, but Frictionless (Python re) would crash on it.
    problem = pattern_problem(r"\p{Han}+")
    assert problem is not None and "Python's re" in problem and "bad escape" in problem


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.stem)
def test_every_committed_schema_passes_the_meta_check(path):
    assert check_table_schema(path.stem, json.loads(path.read_text(encoding="utf-8")), path.name) == []


# --- 5. dialect -------------------------------------------------------------------

def test_semicolon_delimiter_is_refused_explaining_the_csv_contract_and_the_rows_still_checked(tiny_package):
    edit_resource(tiny_package, "topics", lambda r: r["dialect"].update(delimiter=";"))
    rows = tiny_rows()["topics"]
    rows[0]["name_en"] = "=SUM(A1)"
    write_table(tiny_package, "topics", rows)
    report = validate_package(tiny_package)
    assert where(report, "dialect") == [("topics", None, None)]
    finding = errors_of(report, "dialect")[0]
    assert '";"' in finding.message and "comma-separated" in finding.message and "LF" in finding.message
    assert finding.path == "datapackage.json" and finding.value == ";"
    assert where(report, "formula") == [("topics", 2, "name_en")]


@pytest.mark.parametrize("dialect", [
    {"header": False}, {"quoteChar": "'"}, {"doubleQuote": False}, {"lineTerminator": "\r\n"},
    {"skipInitialSpace": True}, {"headerRows": [1, 2]}, {"escapeChar": "\\"}, {"commentChar": "#"},
    {"nullSequence": "NA"}, {"csv": {"delimiter": "\t"}},  # Frictionless v5 nests CSV options under "csv"
])
def test_dialect_option_the_reader_does_not_follow_is_refused(dialect):
    findings = check_csv_resource("topics", {"path": "data/topics.csv", "dialect": dialect})
    assert [(f.table, f.column, f.check) for f in findings] == [("topics", None, "dialect")]


def test_dialect_that_is_not_an_inline_object_is_refused():
    findings = check_csv_resource("topics", {"path": "data/topics.csv", "dialect": "dialects/topics.json"})
    assert [f.check for f in findings] == ["dialect"]


def test_dialect_that_states_the_package_contract_is_accepted():
    dialect = {"delimiter": ",", "header": True, "quoteChar": '"', "doubleQuote": True, "lineTerminator": "\n"}
    assert check_csv_resource("topics", {"path": "data/topics.csv", "dialect": dialect}) == []


# --- 6. encoding ------------------------------------------------------------------

def test_declared_encoding_other_than_utf8_is_refused_saying_how_to_resave(tiny_package):
    edit_resource(tiny_package, "topics", lambda r: r.update(encoding="gbk"))
    report = validate_package(tiny_package)
    assert where(report, "encoding") == [("topics", None, None)]
    finding = errors_of(report, "encoding")[0]
    assert "UTF-8" in finding.message and "iconv -f gbk -t UTF-8 data/topics.csv" in finding.message
    assert finding.value == "gbk"


@pytest.mark.parametrize("encoding", ["utf-8", "UTF-8", "utf8"])
def test_utf8_however_spelt_is_accepted(encoding):
    assert check_csv_resource("topics", {"path": "data/topics.csv", "encoding": encoding}) == []


# --- malformed constraints --------------------------------------------------------------

def test_enum_written_as_text_is_one_schema_error_not_one_per_row(tiny_package):
    edit_field(tiny_package, "units", "unit", lambda f: f["constraints"].update(enum="CNY"))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("units", None, "unit")]
    assert "list" in errors_of(report, "schema")[0].message
    assert where(report, "enum") == []


def test_bound_that_is_not_a_number_is_a_clean_schema_error(tiny_package):
    edit_field(tiny_package, "units", "factor", lambda f: f["constraints"].update(exclusiveMinimum="zero"))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("units", None, "factor")]
    message = errors_of(report, "schema")[0].message
    assert '"zero"' in message and "number" in message
    assert "ComputeError" not in message and "expression" not in message
    assert_no_crash(report)


@pytest.mark.parametrize("table, name, edit, words", [
    ("indicators", "value", lambda f: f["constraints"].update(pattern="[0-9]+"), "does not apply to a number"),
    ("topics", "name_en", lambda f: f["constraints"].update(minimum=1), "does not apply to a string"),
    ("topics", "name_en", lambda f: f["constraints"].update(minLenght=1), '"minLenght" is not supported'),
    ("topics", "name_en", lambda f: f["constraints"].update(minLength=-1), "≥ 0"),
    ("topics", "name_en", lambda f: f["constraints"].update(required="yes"), "true or false"),
    ("topics", "name_en", lambda f: f.update(required=True), "move it into \"constraints\""),
    ("topics", "name_en", lambda f: f.update(format="binary"), 'format "binary"'),
    ("indicators", "period_start", lambda f: f.update(constraints={"minimum": "1st of May"}), "ISO 8601"),
    ("indicators", "period_start", lambda f: f.update(missingValues=["n/a"]), "missingValues"),
    ("indicators", "value", lambda f: f.update(groupChar=","), "groupChar"),
    ("topics", "name_en", lambda f: f.update(name="_row"), "reserved"),
])
def test_field_declaration_outside_the_supported_subset_is_refused_naming_the_field(tiny_package, table, name,
                                                                                     edit, words):
    edit_field(tiny_package, table, name, edit)
    report = validate_package(tiny_package)
    findings = errors_of(report, "schema")
    assert [(f.table, f.row) for f in findings] == [(table, None)]
    assert findings[0].column in (name, "_row") and words in findings[0].message
    assert_no_crash(report)


@pytest.mark.parametrize("key, value, words", [
    ("missingValues", "NA", "missingValues must be a list"),
    ("uniqueKeys", [["name_zh", "name_en"]], "uniqueKeys is not supported"),
    ("fieldsMatch", "subset", 'fieldsMatch "subset"'),
    ("primaryKey", [1], "primaryKey must be"),
])
def test_schema_property_outside_the_supported_subset_is_refused(tiny_package, key, value, words):
    edit_schema(tiny_package, "topics", lambda s: s.update({key: value}))
    report = validate_package(tiny_package)
    assert where(report, "schema") == [("topics", None, None)]
    assert words in errors_of(report, "schema")[0].message


def test_constraints_accepted_per_type_are_those_frictionless_supports():
    # Frictionless rejects a constraint its field type does not support; so do we, no more, no less.
    for kind, ours in TYPE_CONSTRAINTS.items():
        assert ours == {*system.select_field_class(kind).supported_constraints, "unique"}, kind
    assert MAPPED_CONSTRAINTS == set().union(*TYPE_CONSTRAINTS.values())


# --- one report per schema file, and no crash on odd JSON -----------------------------------

def test_schema_shared_by_a_csv_and_its_parquet_twin_is_reported_once_under_the_csv_table(package_copy):
    edit_field(package_copy, "topics", "name_en", lambda f: f.update(type="text"))
    report = validate_package(package_copy)
    assert where(report, "schema") == [("topics", None, "name_en")]
    assert_no_crash(report)


ODD_VALUES = [None, 0, 1.5, True, "", "x", [], [None], ["x", 1], {}, {"a": 1}, "(?=x)", r"\p{Han}"]
BASE = json.loads((REPO / "schemas" / "indicators.json").read_text(encoding="utf-8"))


def _at(place: str) -> Callable[[dict[str, Any], Any], None]:
    def put(schema: dict[str, Any], value: Any) -> None:
        target: Any = schema
        *steps, last = place.split(".")
        for step in steps:
            target = target[int(step)] if step.isdigit() else target.setdefault(step, {})
        target[last] = value
    return put


@pytest.mark.parametrize("place", [
    "fields", "primaryKey", "foreignKeys", "missingValues", "uniqueKeys", "fieldsMatch",
    "foreignKeys.0.fields", "foreignKeys.0.reference", "foreignKeys.0.reference.fields",
    "foreignKeys.0.reference.resource", "fields.0.name", "fields.0.type", "fields.0.format",
    "fields.0.constraints", "fields.9.trueValues", "fields.9.decimalChar",
    *[f"fields.{i}.constraints.{c}" for i in (0, 8, 10) for c in sorted(MAPPED_CONSTRAINTS)],
])
def test_any_json_value_anywhere_in_a_schema_is_judged_without_raising(place):
    put = _at(place)
    for value in ODD_VALUES:
        schema = copy.deepcopy(BASE)
        put(schema, value)
        findings = check_table_schema("indicators", schema, "schemas/indicators.json")
        assert {f.check for f in findings} <= {"schema"}


@pytest.mark.parametrize("resource", [{"dialect": value, "encoding": value} for value in ODD_VALUES]
                         + [{"dialect": {"delimiter": value, "csv": value, "headerRows": value}}
                            for value in ODD_VALUES])
def test_any_json_dialect_or_encoding_is_judged_without_raising(resource):
    findings = check_csv_resource("topics", {"path": "data/topics.csv", **resource})
    assert {f.check for f in findings} <= {"dialect", "encoding"}


def test_constraint_check_that_still_crashes_is_contained_to_its_table():
    # The meta-check keeps such schemas out; should one slip through, only its table loses its constraints.
    broken = {"fields": [{"name": "a", "type": "number", "constraints": {"minimum": "zero"}}]}
    sound = {"fields": [{"name": "a", "type": "string", "constraints": {"required": True}}]}
    frames = PackageFrames(root=Path("."), descriptor={"resources": []},
                           schemas={"broken": broken, "sound": sound},
                           tables={"broken": pl.DataFrame({ROW_COLUMN: [2], "a": [1.0]}),
                                   "sound": pl.DataFrame({ROW_COLUMN: [2], "a": pl.Series([None], dtype=pl.String)})})
    findings = check_structure(frames)
    assert sorted((f.table, f.row, f.column, f.check) for f in findings) == [
        ("broken", None, None, "internal"), ("sound", 2, "a", "required")]


@pytest.mark.parametrize("edit, refused", [
    (lambda r: r.update(format="CSV"), False),
    (lambda r: r.pop("format"), False),
    (lambda r: r.update(format=" csv "), False),
    (lambda r: r.update(format="tsv"), True),
    (lambda r: r.update(format="xlsx"), True),
    (lambda r: r.update(format="parquet"), True),  # a Parquet file that is no table's twin
], ids=["upper case", "no format", "padded", "tsv", "xlsx", "parquet not a twin"])
def test_a_resource_is_a_table_by_its_format_in_any_case_or_its_extension_and_any_other_is_refused(
        tiny_package, edit, refused):
    edit_resource(tiny_package, "topics", edit)
    report = validate_package(tiny_package)
    assert_no_crash(report)
    found = where(report, "resource-format")
    if refused:
        assert found == [("topics", None, None)]
        assert "topics" in errors_of(report, "resource-format")[0].message
    else:
        assert found == [] and report.valid, [f.message for f in report.errors]
        assert report.stats["rows"]["topics"] > 0  # read and checked like every other table
