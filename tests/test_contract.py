"""The contract (model/contract.py): a pull request cannot weaken, in the same change, the schema
its data is checked against. Each case below was valid (and built) before the contract; each
is now an error naming the file, the table, the field and the guarantee."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from conftest import REPO, copy_package, edit_field, edit_rows, edit_schema

from jiutai_data.model import codes
from jiutai_data.model.contract import CONTRACT_FILE, generate_contract, load_contract, weakenings
from jiutai_data.model.frames import PackageFrames
from jiutai_data.validate.checks.contract import check_schemas_keep_the_contract
from jiutai_data.validate.run import validate_package

pytestmark = [pytest.mark.data, pytest.mark.mutation]

# what the contract allows in indicators.measure (level, yoy_change, point_change, change, share, …)
MEASURES = ", ".join(next(f for f in load_contract()["indicators"]["fields"] if f["name"] == "measure")["enum"])


# --------------------------------------------------------------------------- helpers


def edit_descriptor(root: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def contract_messages(root: Path) -> list[str]:
    report = validate_package(root)
    return [f.message for f in report.findings if f.check in (codes.CONTRACT, codes.CONTRACT_OPTION)]


def built(root: Path) -> Path:
    """Rebuild the Parquet twins and hashes, as a pull request that edits the schema would."""
    from jiutai_data.publish.build import build_package

    build_package(root)
    return root


# --------------------------------------------------------------------------- one source of truth


def test_the_committed_contract_is_generated_from_the_committed_schemas() -> None:
    committed = json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))
    assert committed == generate_contract(REPO / "schemas"), (
        "schemas/ and the contract differ: run `python -m jiutai_data.model.contract schemas` and commit both")


def test_the_committed_schemas_satisfy_the_contract_exactly() -> None:
    contract = load_contract()
    assert sorted(contract) == ["acknowledgements", "catalogue", "designations", "indicators", "omissions", "plans",
                                "projects", "regions", "sources", "topics", "units"]
    for table, promised in contract.items():
        schema = json.loads((REPO / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
        assert weakenings(promised, schema) == [], table


def test_the_committed_package_keeps_the_contract(package_copy: Path) -> None:
    assert contract_messages(package_copy) == []


def test_the_contract_lives_in_the_library_not_in_the_package() -> None:
    assert CONTRACT_FILE.is_relative_to(REPO / "src" / "jiutai_data")


def test_a_pull_request_that_edits_schemas_does_not_change_the_contract(package_copy: Path) -> None:
    before = load_contract()
    edit_field(package_copy, "indicators", "measure", lambda f: f["constraints"]["enum"].append("qoq_change"))
    validate_package(package_copy)
    assert load_contract() == before and generate_contract(REPO / "schemas")["tables"] == before


# --------------------------------------------------------------------------- the cases of the issue


def test_a_dropped_primary_key_with_a_duplicated_row_is_refused(package_copy: Path) -> None:
    edit_schema(package_copy, "topics", lambda s: s.pop("primaryKey"))
    edit_field(package_copy, "topics", "id", lambda f: f["constraints"].pop("unique", None))
    edit_rows(package_copy, "topics", lambda rows: rows + [rows[0]])
    messages = contract_messages(built(package_copy))
    assert "schemas/topics.json: table topics: primaryKey changed (now none); the contract requires id" in messages


def test_a_dropped_region_foreign_key_with_atlantis_is_refused(package_copy: Path) -> None:
    edit_schema(package_copy, "indicators", lambda s: s.update(
        foreignKeys=[k for k in s["foreignKeys"] if k["fields"] != "region_id"]))
    edit_rows(package_copy, "indicators", lambda rows: [{**rows[0], "region_id": "atlantis"}, *rows[1:]])
    assert ("schemas/indicators.json: table indicators: field region_id: foreign key region_id → regions.id "
            "dropped; the contract requires it") in contract_messages(package_copy)


def test_a_foreign_key_pointed_elsewhere_is_refused(package_copy: Path) -> None:
    def edit(schema: dict[str, Any]) -> None:
        next(k for k in schema["foreignKeys"] if k["fields"] == "region_id")["reference"]["resource"] = "topics"
    edit_schema(package_copy, "indicators", edit)
    assert any("foreign key region_id → regions.id changed to region_id → topics.id" in m
               for m in contract_messages(package_copy))


def test_a_widened_enum_is_refused_with_the_message_of_the_issue(package_copy: Path) -> None:
    edit_field(package_copy, "indicators", "measure", lambda f: f["constraints"]["enum"].append("qoq_change"))
    edit_rows(package_copy, "indicators", lambda rows: [{**rows[0], "measure": "qoq_change"}, *rows[1:]])
    report = validate_package(built(package_copy))
    found = [f for f in report.findings if f.check == codes.CONTRACT]
    assert [(f.path, f.table, f.column, f.message) for f in found] == [(
        "schemas/indicators.json", "indicators", "measure",
        "schemas/indicators.json: table indicators: field measure: enum widened by 'qoq_change'; the contract "
        f"allows {MEASURES}")]
    assert not report.valid


def test_a_dropped_enum_is_refused(package_copy: Path) -> None:
    edit_field(package_copy, "indicators", "measure", lambda f: f["constraints"].pop("enum"))
    assert ("schemas/indicators.json: table indicators: field measure: enum dropped; the contract allows "
            f"{MEASURES}") in contract_messages(package_copy)


def test_a_date_made_a_string_is_refused(package_copy: Path) -> None:
    edit_field(package_copy, "indicators", "period_end", lambda f: f.update(type="string"))
    edit_rows(package_copy, "indicators", lambda rows: [{**rows[0], "period_end": "end of 2022"}, *rows[1:]])
    assert ("schemas/indicators.json: table indicators: field period_end: type changed from date to string; the "
            "contract requires date") in contract_messages(built(package_copy))


def test_dropped_year_bounds_are_refused(package_copy: Path) -> None:
    edit_field(package_copy, "designations", "year", lambda f: f.pop("constraints", None))
    messages = contract_messages(package_copy)
    assert ("schemas/designations.json: table designations: field year: minimum loosened (now none); the contract "
            "requires minimum 1900") in messages
    assert ("schemas/designations.json: table designations: field year: maximum loosened (now none); the contract "
            "requires maximum 2100") in messages


def test_a_lowered_bound_is_refused_and_a_raised_one_is_not(package_copy: Path) -> None:
    edit_field(package_copy, "designations", "year", lambda f: f["constraints"].update(minimum=1000, maximum=2050))
    assert contract_messages(package_copy) == [
        "schemas/designations.json: table designations: field year: minimum loosened (now minimum 1000); the "
        "contract requires minimum 1900"]


def test_a_loosened_id_pattern_is_refused(package_copy: Path) -> None:
    edit_field(package_copy, "indicators", "id", lambda f: f["constraints"].update(pattern="^.+$"))
    assert any(m.startswith('schemas/indicators.json: table indicators: field id: pattern changed from '
                            '"^[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*$" to "^.+$"')
               for m in contract_messages(package_copy))


def test_a_value_made_a_string_with_its_twin_rebuilt_as_text_is_refused(package_copy: Path) -> None:
    edit_field(package_copy, "indicators", "value", lambda f: f.update(type="string"))
    assert ("schemas/indicators.json: table indicators: field value: type changed from number to string; the "
            "contract requires number") in contract_messages(built(package_copy))


def test_a_twin_with_a_schema_of_its_own_is_held_to_the_contract(package_copy: Path) -> None:
    loose = json.loads((package_copy / "schemas" / "indicators.json").read_text(encoding="utf-8"))
    next(f for f in loose["fields"] if f["name"] == "value")["type"] = "string"
    (package_copy / "schemas" / "indicators-text.json").write_text(json.dumps(loose), encoding="utf-8")
    edit_descriptor(package_copy, lambda d: resource(d, "indicators-parquet").update(schema="schemas/indicators-text.json"))
    assert ("schemas/indicators-text.json: table indicators: field value: type changed from number to string; the "
            "contract requires number") in contract_messages(package_copy)


def test_dropped_required_and_unique_are_refused(package_copy: Path) -> None:
    edit_field(package_copy, "units", "unit_as_stated", lambda f: f.update(constraints={"minLength": 1}))
    messages = contract_messages(package_copy)
    assert "schemas/units.json: table units: field unit_as_stated: required dropped; the contract requires " \
           "required: true" in messages
    assert "schemas/units.json: table units: field unit_as_stated: unique dropped; the contract requires " \
           "unique: true" in messages


def test_a_removed_field_and_a_removed_table_are_refused(package_copy: Path) -> None:
    edit_schema(package_copy, "topics", lambda s: s.update(fields=[f for f in s["fields"] if f["name"] != "description"]))
    edit_descriptor(package_copy, lambda d: d.update(resources=[r for r in d["resources"]
                                                                if r["name"] not in ("omissions", "omissions-parquet")]))
    messages = contract_messages(package_copy)
    assert "schemas/topics.json: table topics: field description: field removed; the contract requires it (string)" \
        in messages
    assert "datapackage.json: table omissions removed; the contract requires a resource named omissions" in messages


def test_missing_values_that_turn_notes_into_nulls_are_refused(package_copy: Path) -> None:
    note = next(row["note"] for row in csv.DictReader(
        (package_copy / "data" / "indicators.csv").open(encoding="utf-8")) if row["note"])
    edit_schema(package_copy, "indicators", lambda s: s.update(missingValues=["", note]))
    messages = contract_messages(package_copy)
    assert any(m.startswith("schemas/indicators.json: table indicators: missingValues changed to") and
               'the contract requires [""]' in m for m in messages), messages


@pytest.mark.parametrize(("name", "option", "value"), [
    ("topics", "compression", "gz"),
    ("topics-parquet", "encoding", "gbk"),
    ("units", "decimalChar", ","),
    ("units", "groupChar", ","),
    ("units", "missingValues", ["", "-"]),
])
def test_options_that_change_what_a_cell_means_are_refused(package_copy: Path, name: str, option: str,
                                                           value: Any) -> None:
    edit_descriptor(package_copy, lambda d: resource(d, name).update({option: value}))
    messages = contract_messages(package_copy)
    assert any(m.startswith(f"datapackage.json: resource {name}: {option} {json.dumps(value)} changes what a cell "
                            "means") for m in messages), messages


def test_options_in_the_dialect_are_refused_too(package_copy: Path) -> None:
    edit_descriptor(package_copy, lambda d: resource(d, "units")["dialect"].update(decimalChar=","))
    assert any(m.startswith('datapackage.json: resource units: dialect.decimalChar "," changes what a cell means')
               for m in contract_messages(package_copy))


def test_a_compressed_csv_is_refused_by_validate_and_build(package_copy: Path) -> None:
    from jiutai_data.publish.build import build_package

    edit_descriptor(package_copy, lambda d: resource(d, "topics").update(compression="gz"))
    result = build_package(package_copy)
    assert not result.report.valid
    assert codes.CONTRACT_OPTION in {f.check for f in result.report.errors}


# --------------------------------------------------------------------------- what a schema may do


def test_a_stricter_schema_and_a_new_optional_field_keep_the_contract() -> None:
    contract = load_contract()["indicators"]
    schema = json.loads((REPO / "schemas" / "indicators.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    fields["measure"]["constraints"]["enum"] = ["level", "yoy_change"]  # narrowed
    fields["quote"]["constraints"].update(minLength=2, maxLength=5000)  # raised, added
    fields["value"].setdefault("constraints", {}).update(minimum=-1e12, maximum=1e15)  # bounds added
    fields["note"].setdefault("constraints", {}).update(pattern="^[^<>]*$")  # a pattern added
    schema["fields"].append({"name": "reviewed", "type": "boolean"})  # a new optional field
    schema["foreignKeys"].append({"fields": "unit", "reference": {"resource": "units", "fields": "unit"}})
    assert weakenings(contract, schema) == []


def test_an_exclusive_bound_may_replace_an_inclusive_one_only_if_as_strict() -> None:
    contract = load_contract()["units"]
    schema = json.loads((REPO / "schemas" / "units.json").read_text(encoding="utf-8"))
    factor = next(f for f in schema["fields"] if f["name"] == "factor")
    factor["constraints"] = {"required": True, "exclusiveMinimum": 1}
    assert weakenings(contract, schema) == []
    factor["constraints"] = {"required": True, "minimum": 0}
    assert weakenings(contract, schema) == [
        ("factor", "exclusiveMinimum loosened (now minimum 0); the contract requires exclusiveMinimum 0")]


def test_a_new_table_is_allowed(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": "notes", "path": "data/notes.csv", "format": "csv",
                                    "schema": {"fields": [{"name": "id", "type": "string"}]}})
    frames = PackageFrames(root=root, descriptor=descriptor)
    assert check_schemas_keep_the_contract(frames) == []
    descriptor["resources"][-1]["schema"]["missingValues"] = ["", "n/a"]
    assert [f.check for f in check_schemas_keep_the_contract(frames)] == [codes.CONTRACT_OPTION]


def test_a_package_with_none_of_the_contract_tables_is_not_required_to_have_them(tmp_path: Path) -> None:
    descriptor = {"resources": [{"name": "t", "path": "data/t.csv", "format": "csv",
                                 "schema": {"fields": [{"name": "x", "type": "string"}]}}]}
    assert check_schemas_keep_the_contract(PackageFrames(root=tmp_path, descriptor=descriptor)) == []
    descriptor["resources"].append({"name": "topics", "path": "data/topics.csv", "format": "csv",
                                    "schema": "schemas/topics.json"})
    missing = [f.table for f in check_schemas_keep_the_contract(PackageFrames(root=tmp_path, descriptor=descriptor))]
    assert "indicators" in missing and "topics" not in missing
