"""Acknowledged warnings: a reviewer accepts a warning in the acknowledgements table; it is shown
as acknowledged and fails nothing, and an acknowledgement that matches no warning is a warning."""

from __future__ import annotations

import json

from conftest import TINY_SOURCE_TEXT, tiny_rows, write_tiny_package

from jiutai_data.cli import main
from jiutai_data.validate.report import render_report
from jiutai_data.validate.run import validate_package

TEXT = TINY_SOURCE_TEXT + "上年同期地区生产总值为200.0亿元。\n"
LEVEL_ID, CHANGE_ID = (row["id"] for row in tiny_rows()["indicators"])  # the level and its change


def rows_with_a_contradicting_level(*acknowledgements: dict[str, str]) -> dict:
    """The tiny rows plus a level a year earlier that the stated change (5.2%) contradicts (32.3%)."""
    rows = tiny_rows(TEXT)
    level = rows["indicators"][0]
    rows["indicators"].append({**level, "id": f"{level['id']}-year-before", "period_start": "2021-01-01",
                               "period_end": "2021-09-30", "value": "20000000000", "value_as_stated": "200.0",
                               "quote": "上年同期地区生产总值为200.0亿元"})
    rows["acknowledgements"] = list(acknowledgements)
    return rows


def acknowledgement(code: str = "yoy-levels", table: str = "indicators", row_id: str = CHANGE_ID) -> dict[str, str]:
    return {"finding_code": code, "table_name": table, "row_id": row_id,
            "reason": "The source's change is at comparable prices.", "reviewed_by": "a reviewer",
            "reviewed_on": "2024-02-02"}


def test_the_warning_names_the_implied_base_and_the_likely_causes(tmp_path) -> None:
    report = validate_package(write_tiny_package(tmp_path / "p", rows_with_a_contradicting_level(), TEXT))
    (warning,) = report.warnings
    assert (warning.check, warning.row) == ("yoy-levels", 3)
    assert "implies a base of about 251.5亿元 a year earlier" in warning.message  # 264.6 / 1.052
    assert "the base was revised" in warning.message and "comparable prices" in warning.message


def test_an_acknowledged_warning_is_shown_but_not_counted(tmp_path, capsys) -> None:
    root = write_tiny_package(tmp_path / "p", rows_with_a_contradicting_level(acknowledgement()), TEXT)
    report = validate_package(root)
    assert report.valid and report.warnings == [] and report.stats["warnings"] == 0
    (acknowledged,) = report.acknowledged
    assert acknowledged.check == "yoy-levels" and acknowledged.acknowledged.startswith(
        "The source's change is at comparable prices. (reviewed by a reviewer on 2024-02-02; acknowledgements row 2)")
    text = render_report(report)
    assert "acknowledged warnings in indicators" in text and "[acknowledged: The source's change" in text
    assert "0 warnings (1 more acknowledged)" in text
    document = json.loads(render_report(report, "json"))
    assert document["warnings"] == [] and document["acknowledged"][0]["check"] == "yoy-levels"
    assert "☑️" in render_report(report, "markdown")
    assert main(["validate", str(root)]) == 0


def test_an_acknowledgement_matching_no_warning_is_itself_a_warning(tmp_path) -> None:
    rows = rows_with_a_contradicting_level(acknowledgement(), acknowledgement("revision"),
                                           acknowledgement(row_id="no-such-row"))
    report = validate_package(write_tiny_package(tmp_path / "p", rows, TEXT))
    assert [f.check for f in report.acknowledged] == ["yoy-levels"]
    unmatched = [(f.table, f.row, f.check) for f in report.warnings]
    assert unmatched == [("acknowledgements", 3, "acknowledgement-unmatched"),
                         ("acknowledgements", 4, "acknowledgement-unmatched")]
    assert "the warning is gone" in report.warnings[0].message
    assert "the table indicators has no row no-such-row" in report.warnings[1].message


def test_an_error_cannot_be_acknowledged(tmp_path) -> None:
    rows = rows_with_a_contradicting_level(acknowledgement("value-conversion", row_id=LEVEL_ID))
    rows["indicators"][0]["value"] = "264.6"  # not converted to yuan: an error
    report = validate_package(write_tiny_package(tmp_path / "p", rows, TEXT))
    assert "value-conversion" in {f.check for f in report.errors}
    (unmatched,) = [f for f in report.warnings if f.check == "acknowledgement-unmatched"]
    assert "it names an error, which must be fixed rather than acknowledged" in unmatched.message
