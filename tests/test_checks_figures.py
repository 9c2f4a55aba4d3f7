"""Figures of statistical bulletins: falls, percentage points, shares and structures, changes
against a place or period, stocks on a day, parts of a whole. Each kind is recorded (the
checks accept it) and each kind of mistake is refused, naming table, row and column.

The rows are built in memory against a short bulletin-shaped text written for this test
(test_checks_support builds the frames, typed as the schemas say).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from test_checks_support import REPO, SCHEMAS, SOURCE_ID, clean_rows, make_frames, where

from jiutai_data.model import codes
from jiutai_data.model.figures import MEASURES, sign_of
from jiutai_data.validate.checks import SEMANTIC_CHECKS
from jiutai_data.validate.checks.arithmetic import check_parts_add_up_to_their_wholes, check_shares_add_up
from jiutai_data.validate.checks.figures import (check_comparisons_name_their_base, check_directions_are_words_of_the_quote,
                                                 check_falls_are_signed, check_shares_name_their_whole,
                                                 check_stocks_are_dated_on_a_day, check_units_are_not_cut_short)
from jiutai_data.validate.checks.units import check_value_ranges, check_values_match_their_units

# A text in the shapes of a county bulletin (our own words and figures).
BULLETIN = (
    "全年实现地区生产总值120.5亿元，比上年增长3.1%。其中，第一产业增加值14.6亿元，第二产业增加值48.6亿元，"
    "第三产业增加值57.3亿元。三次产业结构为12.1:40.3:47.6。第二产业增加值占地区生产总值的比重为40.3%。\n"
    "全年房地产开发投资同比下降12.4%。城镇化率比上年提高0.8个百分点，高于全省1.2个百分点。\n"
    "年末全区户籍人口35.2万人。\n"
    "指标 | 绝对数(亿元) | 比上年增长(%)\n"
    "建筑业增加值 | 9.8 | -3.5\n"
)
YEAR = {"period_start": "2022-01-01", "period_end": "2022-12-31"}
PART = ("primary", "secondary", "tertiary")


def _row(slug: str, indicator: str, quote: str, stated: str, unit_as_stated: str, value: float, unit: str,
         measure: str = "level", **cells: Any) -> dict[str, Any]:
    return {"id": f"{SOURCE_ID}--jiutai-2022-{slug}", "source_id": SOURCE_ID, "region_id": "jiutai",
            "indicator": indicator, "measure": measure, **YEAR, "value": value, "unit": unit,
            "value_as_stated": stated, "unit_as_stated": unit_as_stated, "qualifier": "exact",
            "status": "actual", "quote": quote, **cells}


def bulletin_rows() -> dict[str, list[dict[str, Any]]]:
    """The clean package, plus the bulletin's figures of every new kind, all correct."""
    rows = copy.deepcopy(clean_rows())
    rows["regions"].append({"id": "jilin", "code": "220000", "name_zh": "吉林省", "name_en": "Jilin Province",
                            "level": "province"})
    rows["units"] += [
        {"unit_as_stated": "个百分点", "unit": "percentage_point", "factor": 1, "name_en": "percentage points"},
        {"unit_as_stated": ":", "unit": "percent", "factor": 1, "name_en": "part of a ratio a:b:c"},
        {"unit_as_stated": "万人", "unit": "count", "factor": 1e4, "name_en": "10 thousand persons"},
    ]
    catalogue = rows["catalogue"]
    catalogue[0]["parts_add_up"] = True
    for entry in catalogue:
        entry["kind"] = "flow"
    catalogue += [{"code": f"{p}_industry_value_added", "name_zh": f"{z}产业增加值", "name_en": f"{p} industry",
                   "topic": "economy", "unit": "亿元", "kind": "flow", "part_of": "gross_regional_product",
                   "definition": "Value added."} for p, z in zip(PART, "第一二三")]
    catalogue += [
        {"code": "real_estate_investment", "name_zh": "房地产开发投资", "name_en": "Real estate investment",
         "topic": "economy", "unit": "亿元", "kind": "flow", "definition": "Investment."},
        {"code": "construction_value_added", "name_zh": "建筑业增加值", "name_en": "Construction value added",
         "topic": "economy", "unit": "亿元", "kind": "flow", "definition": "Value added."},
        {"code": "urbanisation_rate", "name_zh": "城镇化率", "name_en": "Urbanisation rate", "topic": "economy",
         "unit": "%", "kind": "stock", "definition": "Urban share of the population."},
        {"code": "registered_population", "name_zh": "户籍人口", "name_en": "Registered population",
         "topic": "economy", "unit": "万人", "kind": "stock", "definition": "Persons registered."},
    ]
    structure = "三次产业结构为12.1:40.3:47.6"
    on_the_day = {"period_start": "2022-12-31", "period_end": "2022-12-31"}
    rows["indicators"] += [
        _row("grp", "gross_regional_product", "全年实现地区生产总值120.5亿元", "120.5", "亿元", 120.5e8, "CNY"),
        *[_row(f"{p}-industry-value-added", f"{p}_industry_value_added", f"{z}产业增加值{n}亿元", n, "亿元",
               float(n) * 1e8, "CNY") for p, z, n in zip(PART, "第一二三", ("14.6", "48.6", "57.3"))],
        *[_row(f"{p}-industry-value-added-share", f"{p}_industry_value_added", structure, n, ":", float(n), "percent",
               "share", share_of="gross_regional_product") for p, n in zip(PART, ("12.1", "40.3", "47.6"))],
        _row("real-estate-investment-yoy", "real_estate_investment", "全年房地产开发投资同比下降12.4%", "12.4", "%",
             -12.4, "percent", "yoy_change", direction_as_stated="下降"),
        _row("construction-value-added-yoy", "construction_value_added", "比上年增长(%) … 建筑业增加值 | 9.8 | -3.5", "3.5", "%",
             -3.5, "percent", "yoy_change", direction_as_stated="-"),
        _row("construction-value-added", "construction_value_added", "绝对数(亿元) … 建筑业增加值 | 9.8 | -3.5", "9.8", "亿元",
             9.8e8, "CNY"),
        _row("urbanisation-rate-points", "urbanisation_rate", "城镇化率比上年提高0.8个百分点", "0.8", "个百分点", 0.8,
             "percentage_point", "point_change", direction_as_stated="提高", **on_the_day,
             compared_with_period_start="2021-12-31", compared_with_period_end="2021-12-31"),
        _row("urbanisation-rate-points-vs-jilin", "urbanisation_rate", "高于全省1.2个百分点", "1.2", "个百分点", 1.2,
             "percentage_point", "point_change", direction_as_stated="高于", **on_the_day,
             compared_with_region_id="jilin"),
        _row("registered-population", "registered_population", "年末全区户籍人口35.2万人", "35.2", "万人", 352000,
             "count", **on_the_day),
    ]
    return rows


FIGURE_CHECKS = (check_directions_are_words_of_the_quote, check_falls_are_signed, check_units_are_not_cut_short,
                 check_comparisons_name_their_base, check_shares_name_their_whole, check_stocks_are_dated_on_a_day,
                 check_parts_add_up_to_their_wholes, check_shares_add_up, check_values_match_their_units,
                 check_value_ranges)


def _findings(rows: dict[str, list[dict[str, Any]]]) -> list:
    frames = make_frames(rows, texts={SOURCE_ID: BULLETIN})
    return [f for check in FIGURE_CHECKS for f in check(frames)]


def _line(rows: dict[str, list[dict[str, Any]]], slug: str) -> int:
    """The CSV line of the indicators row with this slug (header = 1)."""
    return 2 + next(i for i, r in enumerate(rows["indicators"]) if r["id"].endswith(f"--jiutai-2022-{slug}"))


def _edit(slug: str, **cells: Any) -> tuple[dict[str, list[dict[str, Any]]], int]:
    rows = bulletin_rows()
    line = _line(rows, slug)
    rows["indicators"][line - 2].update(cells)
    return rows, line


def test_every_kind_of_bulletin_figure_is_recorded_without_a_finding():
    assert [(f.check, f.row, f.message) for f in _findings(bulletin_rows())] == []


def test_a_fall_recorded_as_a_rise_is_refused_naming_the_row():
    rows, line = _edit("real-estate-investment-yoy", value=12.4, direction_as_stated=None)
    assert ("indicators", line, "direction_as_stated", codes.DIRECTION_MISSING) in where(_findings(rows))


def test_a_flipped_sign_under_a_falling_word_is_a_conversion_error():
    rows, line = _edit("real-estate-investment-yoy", value=12.4)
    findings = [f for f in _findings(rows) if f.check == codes.VALUE_CONVERSION]
    assert where(findings) == [("indicators", line, "value", codes.VALUE_CONVERSION)]
    assert "flipped" in findings[0].message


def test_a_negative_value_without_its_word_is_a_conversion_error():
    rows, line = _edit("real-estate-investment-yoy", direction_as_stated=None, quote="房地产开发投资")
    assert ("indicators", line, "value", codes.VALUE_CONVERSION) in where(_findings(rows))


def test_a_minus_in_a_table_cell_is_a_fall_and_its_absence_is_refused():
    rows, line = _edit("construction-value-added-yoy", direction_as_stated=None, value=3.5)
    assert ("indicators", line, "direction_as_stated", codes.DIRECTION_MISSING) in where(_findings(rows))


def test_a_direction_word_must_stand_in_the_quote_and_be_a_direction():
    rows, line = _edit("real-estate-investment-yoy", direction_as_stated="减少")
    assert ("indicators", line, "direction_as_stated", codes.DIRECTION_IN_QUOTE) in where(_findings(rows))
    rows, line = _edit("real-estate-investment-yoy", direction_as_stated="跌跌")
    assert ("indicators", line, "direction_as_stated", codes.DIRECTION_WORD) in where(_findings(rows))


def test_percentage_points_recorded_as_a_count_are_refused():
    rows, line = _edit("urbanisation-rate-points", unit_as_stated="个", unit="count", measure="change")
    rows["units"].append({"unit_as_stated": "个", "unit": "count", "factor": 1, "name_en": "items"})
    found = where(_findings(rows))
    assert ("indicators", line, "unit_as_stated", codes.UNIT_CUT_SHORT) in found


def test_points_under_another_measure_or_unit_are_refused():
    rows, line = _edit("urbanisation-rate-points", measure="level", compared_with_period_start=None,
                       compared_with_period_end=None)
    assert ("indicators", line, "unit", codes.MEASURE_UNIT) in where(_findings(rows))
    rows, line = _edit("urbanisation-rate-points", unit_as_stated="%", unit="percent")
    assert ("indicators", line, "unit", codes.MEASURE_UNIT) in where(_findings(rows))


def test_a_fall_of_points_is_not_a_negative_level():
    rows, line = _edit("urbanisation-rate-points", direction_as_stated="降低", value=-0.8,
                       quote="城镇化率比上年提高0.8个百分点")
    found = where(_findings(rows))
    assert ("indicators", line, "direction_as_stated", codes.DIRECTION_IN_QUOTE) in found
    assert codes.LEVEL_NONNEGATIVE not in [check for *_, check in found]


def test_a_change_names_what_it_is_compared_with():
    rows, line = _edit("urbanisation-rate-points-vs-jilin", compared_with_region_id=None)
    assert ("indicators", line, "compared_with_region_id", codes.COMPARISON_BASE) in where(_findings(rows))
    rows, line = _edit("urbanisation-rate-points", compared_with_period_end=None)
    assert ("indicators", line, "compared_with_period_end", codes.COMPARISON_BASE) in where(_findings(rows))
    rows, line = _edit("registered-population", compared_with_region_id="jilin")
    assert ("indicators", line, "compared_with_region_id", codes.COMPARISON_BASE) in where(_findings(rows))


def test_a_share_names_its_whole_and_only_a_share_does():
    rows, line = _edit("primary-industry-value-added-share", share_of=None)
    assert ("indicators", line, "share_of", codes.SHARE_OF) in where(_findings(rows))
    rows, line = _edit("grp", share_of="gross_regional_product")
    assert ("indicators", line, "share_of", codes.SHARE_OF) in where(_findings(rows))


def test_a_structure_whose_shares_do_not_make_100_is_reported_with_its_rows():
    rows, line = _edit("tertiary-industry-value-added-share", value_as_stated="41.1", value=41.1)
    findings = [f for f in _findings(rows) if f.check == codes.SHARES_SUM]
    first = _line(rows, "primary-industry-value-added-share")
    assert where(findings) == [("indicators", first, "value", codes.SHARES_SUM)]
    assert f"row {line}" in findings[0].message and findings[0].severity == "warning"


def test_shares_within_rounding_of_100_are_accepted():
    rows, _ = _edit("tertiary-industry-value-added-share", value_as_stated="47.7", value=47.7)  # 100.1: rounding
    assert codes.SHARES_SUM not in [f.check for f in _findings(rows)]


def test_a_typo_in_one_sector_makes_the_parts_miss_their_whole():
    rows, _ = _edit("secondary-industry-value-added", value_as_stated="46.8", value=46.8e8)
    findings = [f for f in _findings(rows) if f.check == codes.PARTS_SUM]
    assert where(findings) == [("indicators", _line(rows, "grp"), "value", codes.PARTS_SUM)]
    assert "gap of -1.8" not in findings[0].message and "180000000" in findings[0].message


def test_parts_are_checked_only_where_the_catalogue_says_they_add_up():
    rows, _ = _edit("secondary-industry-value-added", value_as_stated="46.8", value=46.8e8)
    rows["catalogue"][0]["parts_add_up"] = None
    assert codes.PARTS_SUM not in [f.check for f in _findings(rows)]


def test_a_part_larger_than_its_whole_is_reported():
    rows, line = _edit("tertiary-industry-value-added", value_as_stated="157.3", value=157.3e8,
                       quote="第三产业增加值57.3亿元")
    assert ("indicators", line, "value", codes.PART_EXCEEDS_WHOLE) in where(_findings(rows))


def test_a_stock_dated_over_a_span_is_refused():
    rows, line = _edit("registered-population", period_start="2022-01-01")
    assert where([f for f in _findings(rows) if f.check == codes.STOCK_ON_A_DAY]) == [
        ("indicators", line, "period_start", codes.STOCK_ON_A_DAY)]


def test_the_schema_enum_of_measures_is_the_models():
    measure = next(f for f in SCHEMAS["indicators"]["fields"] if f["name"] == "measure")
    assert tuple(measure["constraints"]["enum"]) == MEASURES


@pytest.mark.parametrize("direction, sign", [("下降", -1), ("-", -1), ("−", -1), ("增长", 1), ("", 1), (None, 1),
                                             ("跌跌", None)])
def test_the_sign_of_a_direction(direction, sign):
    assert sign_of(direction) == sign


def test_every_figure_check_runs_in_validate():
    names = {check.function for check in SEMANTIC_CHECKS}
    assert {check.__name__ for check in FIGURE_CHECKS} <= names


def test_the_committed_catalogue_declares_a_kind_for_every_concept():
    # the schema makes kind required; this shows the committed file follows it (data, not a pin)
    schema = json.loads((REPO / "schemas" / "catalogue.json").read_text(encoding="utf-8"))
    kind = next(f for f in schema["fields"] if f["name"] == "kind")
    assert kind["constraints"]["required"] is True


def test_every_part_of_a_ratio_has_its_colon_in_the_quote_the_last_one_before_it():
    from jiutai_data.validate.checks.provenance import check_stated_units_follow_their_numbers

    frames = make_frames(bulletin_rows(), texts={SOURCE_ID: BULLETIN})
    assert [f for f in check_stated_units_follow_their_numbers(frames) if f.check == codes.UNIT_IN_QUOTE] == []
    rows, line = _edit("tertiary-industry-value-added-share", quote="三次产业结构为12.1:40.3:47.6。第二产业")
    rows["indicators"][line - 2]["unit_as_stated"] = "%"
    found = check_stated_units_follow_their_numbers(make_frames(rows, texts={SOURCE_ID: BULLETIN}))
    assert ("indicators", line, "unit_as_stated", codes.UNIT_IN_QUOTE) in where(found)


@pytest.mark.parametrize("quote, stated, fall", [
    ("低于全省0.3个百分点", "0.3", "低于"),
    ("低于全省平均水平0.3个百分点", "0.3", "低于"),
    ("同比下降了3.2%", "3.2", "下降"),
    ("降幅 -9.7", "9.7", "-"),
    ("粮食产量下降到30万吨", "30", None),  # fell *to* 30: the level, not the fall
    ("减少为12户", "12", None),
    ("增长10-15%", "15", None),  # a range, not a minus
])
def test_which_numbers_a_quote_gives_as_falls(quote, stated, fall):
    from jiutai_data.validate.checks.figures import _fall_before

    assert _fall_before(quote, stated) == fall


def test_a_falling_range_is_signed_at_both_bounds():
    from jiutai_data.validate.checks.ranges import check_ranges_keep_both_bounds, check_qualifiers_go_with_their_numbers

    text = BULLETIN + "全年工业用电量同比下降3至5%。\n"
    rows = bulletin_rows()
    rows["indicators"].append(_row("real-estate-investment-range", "real_estate_investment", "全年工业用电量同比下降3至5%",
                                   "5", "%", -5.0, "percent", "yoy_change", direction_as_stated="下降",
                                   qualifier="range", value_high=-3.0, value_high_as_stated="3"))
    frames = make_frames(rows, texts={SOURCE_ID: text})
    found = [f for check in (check_ranges_keep_both_bounds, check_qualifiers_go_with_their_numbers,
                             check_values_match_their_units) for f in check(frames)]
    assert found == []
    rows["indicators"][-1]["value_high"] = 3.0  # the upper bound's sign flipped
    found = check_ranges_keep_both_bounds(make_frames(rows, texts={SOURCE_ID: text}))
    assert codes.RANGE_CONVERSION in [f.check for f in found]


def test_an_index_against_its_base_year_is_recorded_and_its_base_must_be_written():
    from jiutai_data.validate.checks.provenance import check_stated_units_follow_their_numbers

    text = BULLETIN + "居民消费价格指数(上年=100)为101.8。\n"
    rows = bulletin_rows()
    rows["units"].append({"unit_as_stated": "上年=100", "unit": "index", "factor": 1, "name_en": "index"})
    rows["catalogue"].append({"code": "consumer_price_index", "name_zh": "居民消费价格指数", "name_en": "CPI",
                              "topic": "economy", "unit": "上年=100", "kind": "flow", "definition": "Prices."})
    rows["indicators"].append(_row("consumer-price-index", "consumer_price_index", "居民消费价格指数(上年=100)为101.8",
                                   "101.8", "上年=100", 101.8, "index", "index",
                                   compared_with_period_start="2021-01-01", compared_with_period_end="2021-12-31"))
    frames = make_frames(rows, texts={SOURCE_ID: text})
    assert [f for check in (*FIGURE_CHECKS, check_stated_units_follow_their_numbers) for f in check(frames)] == []
    rows["indicators"][-1].update(quote="居民消费价格指数", value_as_stated="101.8")
    rows["indicators"][-1]["quote"] = "为101.8"
    found = check_stated_units_follow_their_numbers(make_frames(rows, texts={SOURCE_ID: text}))
    assert ("indicators", _line(rows, "consumer-price-index"), "unit_as_stated", codes.UNIT_IN_QUOTE) in where(found)
    rows["indicators"][-1].update(quote="居民消费价格指数(上年=100)为101.8", unit="percent")
    found = check_value_ranges(make_frames(rows, texts={SOURCE_ID: text}))
    assert ("indicators", _line(rows, "consumer-price-index"), "unit", codes.MEASURE_UNIT) in where(found)
