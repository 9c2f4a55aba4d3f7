"""Rendering a report as text, Markdown and JSON."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jiutai_data.model.findings import Finding, Report
from jiutai_data.validate.report import MARKDOWN_ROW_LIMIT, render_report

PATHS = {"sources": "data/sources.csv", "indicators": "data/indicators.csv"}


def sample_report() -> Report:
    findings = [
        Finding("indicators", 14, "value", "type", "'NaN' is not a finite number; expected a number", "NaN"),
        Finding("indicators", None, None, "line-endings", "Windows (CRLF) line endings; expected LF only"),
        Finding("indicators", 3, "period_end", "revision", "two values for one figure", dt.date(2022, 9, 30),
                severity="warning"),
        Finding("sources", 2, "published", "period-order", "after the figures", float("nan")),
        Finding(None, None, None, "resource-path", "resource units: the path is a URL", path="datapackage.json"),
    ]
    stats = {"tables": 2, "rows": {"sources": 1, "indicators": 20}, "sources": 1, "seconds": 0.25,
             "paths": PATHS, "could_not_run": False}
    return Report(findings, stats)


def test_text_lines_name_file_row_column_rule_and_message():
    text = render_report(sample_report(), "text")
    assert "data/indicators.csv:14: value: type: 'NaN' is not a finite number; expected a number" in text
    assert "data/indicators.csv: line-endings: Windows (CRLF)" in text
    assert "datapackage.json: resource-path: resource units" in text


def test_text_groups_by_table_in_descriptor_order_with_warnings_after_errors_and_a_summary_last():
    lines = render_report(sample_report(), "text").splitlines()
    position = {key: next(i for i, line in enumerate(lines) if key in line)
                for key in ("resource-path", "sources.csv:2", "indicators.csv:14", "revision")}
    assert position["resource-path"] < position["sources.csv:2"] < position["indicators.csv:14"] < position["revision"]
    assert lines[-1].startswith("invalid: 4 errors, 1 warning; 2 tables, 21 rows, 1 source")


def test_text_of_a_valid_report_is_one_summary_line():
    report = Report([], {"tables": 8, "rows": {"a": 3}, "sources": 1, "seconds": 0.1, "could_not_run": False})
    assert render_report(report, "text") == "valid: 0 errors, 0 warnings; 8 tables, 3 rows, 1 source checked in 0.10 s"


def test_json_has_the_documented_shape_and_plain_values():
    document = json.loads(render_report(sample_report(), "json"))
    assert document["valid"] is False
    assert len(document["errors"]) == 4 and len(document["warnings"]) == 1
    first = document["errors"][0]
    assert {"table", "row", "column", "check", "message", "value", "severity"} <= set(first)
    assert document["warnings"][0]["value"] == "2022-09-30"
    nan_error = next(e for e in document["errors"] if e["check"] == "period-order")
    assert nan_error["value"] == "nan"
    assert document["stats"]["rows"] == {"sources": 1, "indicators": 20}


def test_json_of_a_valid_report_says_valid():
    document = json.loads(render_report(Report([], {"could_not_run": False}), "json"))
    assert document == {"valid": True, "errors": [], "warnings": [], "acknowledged": [], "stats": {"could_not_run": False}}


def test_markdown_has_a_verdict_heading_and_a_table_with_escaped_cells():
    report = sample_report()
    report.findings.append(Finding("sources", 5, "title_en", "whitespace", "'a|b\\nc' has white space", "a|b"))
    markdown = render_report(report, "markdown")
    lines = markdown.splitlines()
    assert lines[0] == "## ❌ jiutai-data validate: 5 errors"
    assert "| ❌ | data/indicators.csv | 14 | value | type |" in markdown
    assert "| ⚠️ | data/indicators.csv | 3 | period_end | revision |" in markdown
    assert "'a\\|b" in markdown
    assert all(line.count("|") - line.count("\\|") == 7 for line in lines if line.startswith("| "))


def test_markdown_of_a_valid_report_has_a_check_mark_and_no_table():
    markdown = render_report(Report([], {"tables": 1, "rows": {}, "could_not_run": False}), "markdown")
    assert markdown.startswith("## ✅ jiutai-data validate: valid") and "| File |" not in markdown


def test_markdown_is_cut_after_the_row_limit_with_a_note():
    findings = [Finding("indicators", row, "value", "type", "bad") for row in range(2, MARKDOWN_ROW_LIMIT + 12)]
    markdown = render_report(Report(findings, {"paths": PATHS, "could_not_run": False}), "markdown")
    assert markdown.count("| ❌ |") == MARKDOWN_ROW_LIMIT
    assert "and 10 more not shown" in markdown


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(Report(), "yaml")


def _refused_build_report(real_errors: int = 2, stale: int = 5) -> Report:
    """What validate finds after a refused build: real errors plus stale twins and hashes."""
    findings = [Finding("indicators", row, "quote", "quote-verbatim", "the quote is not in the text")
                for row in range(2, 2 + real_errors)]
    findings += [Finding("indicators", row, "value", "twin-value", "differs; rebuild it") for row in range(2, 2 + stale)]
    findings.append(Finding("indicators", None, None, "resource-hash", "hash is stale; rebuild it",
                            path="datapackage.json"))
    findings.append(Finding("indicators", 3, "value", "yoy-levels", "levels imply another change"))
    return Report(findings, {"paths": PATHS, "could_not_run": False, "tables": 2, "rows": {}})


def test_text_groups_build_output_findings_into_one_line_while_other_errors_remain():
    text = render_report(_refused_build_report(), "text")
    assert "twin-value:" not in text and "resource-hash:" not in text  # no line of their own
    assert ("… and 6 findings about build outputs (resource-hash 1, twin-value 5): fix the 2 errors above, "
            "then run `jiutai-data build`") in text
    assert text.count("quote-verbatim") == 2 and "yoy-levels" in text
    assert text.splitlines()[-1].startswith("invalid: 8 errors, 1 warning")


def test_markdown_groups_build_output_findings_too():
    markdown = render_report(_refused_build_report(), "markdown")
    assert "| twin-value |" not in markdown and "| resource-hash |" not in markdown
    assert markdown.count("| quote-verbatim |") == 2
    assert "_… and 6 findings about build outputs (resource-hash 1, twin-value 5): fix the 2 errors above" in markdown


def test_build_output_findings_alone_are_listed_one_by_one():
    report = _refused_build_report(real_errors=0)
    text = render_report(report, "text")
    assert text.count("twin-value:") == 5 and "findings about build outputs" not in text


def test_json_keeps_every_finding_with_its_build_output_flag():
    document = json.loads(render_report(_refused_build_report(), "json"))
    flags = {(error["check"], error["build_output"]) for error in document["errors"]}
    assert flags == {("quote-verbatim", False), ("twin-value", True), ("resource-hash", True)}
    assert len(document["errors"]) == 8


def test_a_finding_with_an_undeclared_code_is_refused():
    from jiutai_data.model.codes import UnknownCode

    with pytest.raises(UnknownCode, match="brand-new-check"):
        Finding("indicators", 2, "value", "brand-new-check", "made up")


def test_a_finding_takes_its_codes_default_severity():
    assert Finding("indicators", 2, "value", "revision", "two values").severity == "warning"
    assert Finding("indicators", 2, "value", "enum", "not allowed").severity == "error"


# --- numbers in messages -----------------------------------------------------------------

@pytest.mark.parametrize(("value", "shown"), [
    (2133.3333333333335, "2133.33"),  # 3.2万亩 in ha: every area stated in 亩 repeats
    (26460000000.0, "26460000000"),  # whole numbers whole, without separators, as in the CSV
    (26460000000.000004, "26460000000"),
    (264.6, "264.6"),
    (-12.4, "-12.4"),
    (0.92, "0.92"),
    (0.0666666666666667, "0.0666667"),  # below 1: significant digits, not two decimals (0.07)
    (1.23456789e-05, "0.0000123457"),  # never exponent notation
    (5, "5"),
    (-0.0, "0"),
    (None, "None"),
    (float("nan"), "nan"),
])
def test_a_message_shows_a_number_rounded_for_reading(value, shown) -> None:
    from jiutai_data.model.numbers import display_number

    assert display_number(value) == shown


@pytest.mark.parametrize("values", [
    (2133.3333333333335, 2133.3334),
    (26460000000.0, 26460000000.000004),
    (0.0666666666666667, 0.06666667),
    (0.1 + 0.2, 0.3),
])
def test_numbers_that_differ_are_shown_with_the_digits_that_tell_them_apart(values) -> None:
    from jiutai_data.model.numbers import display_number, display_numbers

    shown = display_numbers(*values)
    assert len(set(shown)) == len(set(values)), shown
    assert all("e" not in text for text in shown)
    assert display_numbers(values[0], values[0]) == [display_number(values[0])] * 2


def test_a_conversion_message_shows_its_numbers_rounded(tiny_package) -> None:
    # a value in ha converted from 亩, whose factor is 1/15: wrong on purpose, so that the check says
    # what it expected; every number of the message reads as a person writes it
    import csv
    import re

    from conftest import write_table
    from jiutai_data.model import codes
    from jiutai_data.validate.run import validate_package

    with (tiny_package / "data" / "units.csv").open(encoding="utf-8", newline="") as stream:
        units = list(csv.DictReader(stream))
    units.append({"unit_as_stated": "亩", "unit": "ha", "factor": repr(1 / 15), "name_en": "mu"})
    write_table(tiny_package, "units", units)
    with (tiny_package / "data" / "indicators.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[0].update(value_as_stated="32000", unit_as_stated="亩", unit="ha", value="2000")
    write_table(tiny_package, "indicators", rows)
    findings = [f for f in validate_package(tiny_package).findings if f.check == codes.VALUE_CONVERSION]
    assert findings, "the wrong value was not found: nothing here is tested"
    message = findings[0].message
    assert "= 2133.33" in message and "× 0.0666667" in message, message
    assert not re.search(r"[0-9]\.[0-9]{8,}", message), message
