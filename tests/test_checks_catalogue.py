"""checks/catalogue.py and the catalogue key: every indicator code is in the catalogue, and
a level is in the base unit of its catalogue unit."""

from __future__ import annotations

from conftest import tiny_rows, write_tiny_package

from jiutai_data.validate.run import validate_package


def findings(report, check: str) -> list[tuple]:
    return [(f.table, f.row, f.column) for f in report.findings if f.check == check]


def test_a_level_in_another_base_unit_than_its_catalogue_unit_is_refused(tmp_path) -> None:
    rows = tiny_rows()
    rows["units"].append({"unit_as_stated": "公顷", "unit": "ha", "factor": "1", "name_en": "hectare"})
    rows["catalogue"][0]["unit"] = "公顷"  # GDP declared in hectares
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "catalogue-unit") == [("indicators", 2, "unit")]  # the level; the change is in percent
    message = next(f.message for f in report.findings if f.check == "catalogue-unit")
    assert "unit is 'CNY' but the catalogue reports gross_regional_product in 公顷, whose base unit is 'ha'" in message


def test_a_level_in_another_unit_with_the_same_base_is_accepted(tmp_path) -> None:
    rows = tiny_rows()
    rows["units"].append({"unit_as_stated": "万元", "unit": "CNY", "factor": "10000", "name_en": "10 thousand yuan"})
    rows["catalogue"][0]["unit"] = "万元"
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "catalogue-unit") == [] and report.valid


def test_an_indicator_code_missing_from_the_catalogue_is_a_foreign_key_error(tmp_path) -> None:
    rows = tiny_rows()
    for row in rows["indicators"]:
        row["indicator"] = "gross_domestic_product"
        row["id"] = row["id"].replace("gross-regional-product", "gross-domestic-product")
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "foreign-key") == [("indicators", 2, "indicator"), ("indicators", 3, "indicator")]
    assert "not in catalogue.code" in next(f.message for f in report.findings if f.check == "foreign-key")


def test_a_topic_no_row_has_is_a_warning_naming_it_and_a_used_one_is_not() -> None:
    from test_checks_support import clean_rows, make_frames

    from jiutai_data.validate.checks.catalogue import check_every_topic_is_used

    rows = clean_rows()
    rows["topics"] = [*rows["topics"], {**rows["topics"][0], "id": "idle", "name_en": "Idle"}]
    found = check_every_topic_is_used(make_frames(rows))
    assert [(f.table, f.row, f.column, f.check, f.value) for f in found] == [
        ("topics", len(rows["topics"]) + 1, "id", "unused-topic", "idle")]
    assert found[0].severity == "warning"
