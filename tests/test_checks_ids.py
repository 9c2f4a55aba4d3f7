"""checks/ids.py: a row's ID is <source_id>--<slug> of its own source, an indicator's slug
contains its code, and an ID cited in a note exists."""

from __future__ import annotations

from datetime import date

from conftest import TINY_SOURCE_ID, tiny_id, tiny_rows, write_tiny_package

from jiutai_data.model.ids import ID_PATTERN, indicator_slug, period_label, row_id, split_row_id
from jiutai_data.validate.run import validate_package


def findings(report, check: str) -> list[tuple]:
    return [(f.table, f.row, f.column) for f in report.findings if f.check == check]


def test_the_tiny_package_has_no_id_findings(tmp_path) -> None:
    report = validate_package(write_tiny_package(tmp_path / "tiny"))
    assert [f for f in report.findings if f.check.startswith("id-")] == []


def test_an_id_with_the_prefix_of_another_source_is_refused(tmp_path) -> None:
    rows = tiny_rows()
    # copied from another source's row: well formed, but it names the wrong source
    rows["indicators"][1]["id"] = "2022-12-12-changchun-daily-jiutai-district--jiutai-2022-q1-q3-gross-regional-product-yoy"
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "id-source") == [("indicators", 3, "id")]
    message = next(f.message for f in report.findings if f.check == "id-source")
    assert f"expected {TINY_SOURCE_ID}--jiutai-2022-q1-q3-gross-regional-product-yoy" in message
    assert not report.valid


def test_an_id_without_the_source_prefix_breaks_the_schema_pattern(tmp_path) -> None:
    rows = tiny_rows()
    rows["indicators"][0]["id"] = "jiutai-2022-q1-q3-gross-regional-product"
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "pattern") == [("indicators", 2, "id")]
    assert findings(report, "id-source") == []  # said once, by the pattern


def test_an_indicator_id_that_does_not_name_its_code_is_refused(tmp_path) -> None:
    rows = tiny_rows()
    rows["indicators"][0]["id"] = tiny_id("jiutai-2022-q1-q3-gdp")
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "id-indicator") == [("indicators", 2, "id")]
    # a code that is only part of a word does not count: gross-regional-product-x is another code
    rows["indicators"][0]["id"] = tiny_id("jiutai-2022-gross-regional-productivity")
    report = validate_package(write_tiny_package(tmp_path / "again", rows))
    assert findings(report, "id-indicator") == [("indicators", 2, "id")]


def test_a_note_citing_an_id_that_does_not_exist_is_refused(tmp_path) -> None:
    rows = tiny_rows()
    level, change = rows["indicators"]
    change["note"] = f"Its level is {level['id']}; see also {tiny_id('jiutai-2021-gross-regional-product')}."
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows))
    assert findings(report, "id-reference") == [("indicators", 3, "note")]
    finding = next(f for f in report.findings if f.check == "id-reference")
    assert finding.value == tiny_id("jiutai-2021-gross-regional-product")


def test_the_scheme_splits_back_and_the_slug_follows_place_period_and_code() -> None:
    identifier = row_id("2022-12-12-changchun-daily", "Jiutai 2022 GDP")
    assert identifier == "2022-12-12-changchun-daily--jiutai-2022-gdp"
    assert split_row_id(identifier) == ("2022-12-12-changchun-daily", "jiutai-2022-gdp")
    assert split_row_id("jiutai-2022-gdp") is None and split_row_id("a---b") is None
    assert ID_PATTERN.startswith("^") and ID_PATTERN.endswith("$")
    assert period_label(date(2022, 1, 1), date(2022, 12, 31)) == "2022"
    assert period_label(date(2022, 1, 1), date(2022, 9, 30)) == "2022-q1-q3"
    assert period_label(date(2022, 1, 1), date(2022, 3, 31)) == "2022-q1"
    assert period_label(date(2022, 1, 1), date(2022, 12, 12)) == "2022-ytd"
    assert period_label(date(2022, 12, 9), date(2022, 12, 9)) == "2022-12-09"
    assert period_label(date(2021, 1, 1), date(2025, 12, 31)) == "20210101-20251231"
    assert period_label(None, None) == ""
    assert indicator_slug("jiutai", "fixed_asset_investment", "yoy_change", date(2022, 1, 1), date(2022, 9, 30)) \
        == "jiutai-2022-q1-q3-fixed-asset-investment-yoy"
    assert indicator_slug("jiutai", "construction_project_approval_time", "level", None, None) \
        == "jiutai-construction-project-approval-time"
