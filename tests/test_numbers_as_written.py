"""Numbers as the source writes them: one pattern for every stated-number column, a message
that says what to write, and Chinese-numeral quantities in add-source's list of uncovered numbers."""

from __future__ import annotations

import pytest

from conftest import tiny_rows, write_tiny_package
from test_checks_support import SCHEMAS

from jiutai_data.model.numbers import STATED_NUMBER_PATTERN, STATED_NUMBER_RULE
from jiutai_data.tools.add_source import uncovered_numbers
from jiutai_data.validate.checks.units import STATED_QUANTITIES
from jiutai_data.validate.run import validate_package


def test_every_stated_number_column_has_the_one_pattern() -> None:
    # every number as stated (value_as_stated, a range's upper bound, …): *_as_stated but not a unit
    # nor the word that signs a number (direction_as_stated)
    stated = [(table, f) for table, schema in SCHEMAS.items() for f in schema["fields"]
              if f["name"].endswith("_as_stated") and "unit" not in f["name"] and "direction" not in f["name"]]
    assert {(q.table, q.as_stated) for q in STATED_QUANTITIES} <= {(table, f["name"]) for table, f in stated}
    for table, field in stated:
        assert field["constraints"]["pattern"] == STATED_NUMBER_PATTERN, (table, field["name"])


@pytest.mark.parametrize("stated", ["25%", "约6", "1,229", "-3"])
def test_a_stated_number_that_breaks_the_pattern_is_told_what_to_write(tmp_path, stated: str) -> None:
    rows = tiny_rows()
    rows["indicators"][1]["value_as_stated"] = stated
    report = validate_package(write_tiny_package(tmp_path / "package", rows))
    (finding,) = [f for f in report.errors if f.check == "pattern"]
    assert (finding.table, finding.row, finding.column) == ("indicators", 3, "value_as_stated")
    assert STATED_NUMBER_RULE in finding.message and "full-width digits as written (２５" in finding.message


def test_full_width_digits_as_written_validate(tmp_path) -> None:
    text = "九台区前三季度地区生产总值达到264.6亿元，同比增长５.２%。\n"
    rows = tiny_rows(text)
    rows["indicators"][1].update(value_as_stated="５.２", quote="同比增长５.２%")
    report = validate_package(write_tiny_package(tmp_path / "package", rows, source_text=text))
    assert report.errors == [], [f.message for f in report.errors]


def test_add_source_lists_chinese_numeral_quantities_that_no_quote_covers() -> None:
    text = "新建农村公路三百公里，建成六个示范村，打造两个产业园。\n一个个项目落地。\n"
    found = uncovered_numbers(text, ["建成六个示范村"])
    assert [(n.line, n.text) for n in found] == [(1, "三百"), (1, "两")]
    assert [n.text for n in uncovered_numbers("产量达到五亿斤。", [], units=["亿斤"])] == ["五"]


def test_a_full_width_unit_converts_as_its_ascii_form_or_is_refused() -> None:
    from test_checks_support import clean_rows, make_frames

    from jiutai_data.validate.checks.units import check_full_width_units_agree

    rows = clean_rows()
    rows["units"].append({"unit_as_stated": "％", "unit": "percent", "factor": 1, "name_en": "percent (full-width)"})
    assert check_full_width_units_agree(make_frames(rows)) == []
    rows["units"][-1]["factor"] = 0.01  # as if ％ were a fraction
    (finding,) = check_full_width_units_agree(make_frames(rows))
    assert (finding.table, finding.row, finding.check) == ("units", 7, "unit-full-width")
    assert "'％' is the full-width form of '%'" in finding.message
