"""How draft writes falls, points and changes, on short made-up sentences against the committed
package's units, regions and catalogue (read only): a fall is a negative value with the word (or
minus) that signs it in direction_as_stated; 个百分点 is a point_change compared with a place or
period; a stock is dated on a day."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import REPO
from jiutai_data.model.figures import FALLING_WORDS, MINUS_SIGNS, sign_of
from jiutai_data.tools.draft.package import read_facts
from jiutai_data.tools.draft.rows import draft_rows

FACTS = read_facts(REPO)
PUBLISHED = date(2023, 3, 1)


def figures(text: str):
    return [d for d in draft_rows(text + "\n", "test-source", PUBLISHED, FACTS)[0] if d.table == "indicators"]


@pytest.mark.parametrize(("text", "word", "value"), [
    ("2022年，全区房地产开发投资同比下降12.4%。", "下降", -12.4),
    ("2022年，全区社会消费品零售总额比上年减少了3.1%。", "减少", -3.1),
    ("2022年，全区工业用电量同比回落2.5%。", "回落", -2.5),
    ("2022年，全区出口总额负增长8.1%。", "负增长", -8.1),
    ("2022年，全区地区生产总值同比增长5.2%。", "增长", 5.2),
])
def test_a_change_in_percent_records_its_word_and_its_sign(text, word, value) -> None:
    (figure,) = figures(text)
    assert figure.values["measure"] == "yoy_change", figure.reason()
    assert figure.values["direction_as_stated"] == word and word in figure.values["quote"]
    assert figure.values["value"] == value and float(figure.values["value_as_stated"]) == abs(value)
    assert (word in FALLING_WORDS) == (value < 0) and sign_of(word) * abs(value) == value


def test_a_minus_in_a_table_cell_is_a_fall_with_the_minus_as_its_direction() -> None:
    text = "表1 2022年主要经济指标\n指标\t绝对数\t比上年增长\n工业增加值\t25.6亿元\t-3.5%"
    level, change = figures(text)
    assert level.values["measure"] == "level" and level.values["value"] == 2560000000.0
    assert level.values["direction_as_stated"] == ""
    assert change.values["measure"] == "yoy_change" and change.values["indicator"] == level.values["indicator"]
    assert change.values["value"] == -3.5 and change.values["value_as_stated"] == "3.5"
    assert change.values["direction_as_stated"] == "-" and "-" in MINUS_SIGNS
    # a cell is quoted as its column's header … its row's label … the cell: no tab in any excerpt
    assert change.values["quote"] == "比上年增长 … 工业增加值 … -3.5%"
    assert level.values["quote"] == "绝对数 … 工业增加值 … 25.6亿元"


def test_a_hyphen_between_two_numbers_is_a_range_not_a_minus() -> None:
    (figure,) = figures("2022年，全区地区生产总值增长6-7%。")
    assert figure.values["value"] == 6.0 and figure.values["direction_as_stated"] == "增长"


def test_points_against_the_province_are_a_point_change_compared_with_jilin() -> None:
    level, year, province = figures("2022年，全区城镇化率为55.1%，比上年提高0.8个百分点，高于全省1.2个百分点。")
    assert level.values["measure"] == "level" and level.values["unit"] == "percent"
    for points in (year, province):
        assert points.values["measure"] == "point_change", points.reason()
        assert points.values["unit_as_stated"] == "个百分点" and points.values["unit"] == "percentage_point"
        assert points.values["indicator"] == level.values["indicator"]  # a change takes the figure before's name
    assert year.values["direction_as_stated"] == "提高" and year.values["value"] == 0.8
    assert (year.values["compared_with_period_start"], year.values["compared_with_period_end"]) == ("2021-01-01",
                                                                                                      "2021-12-31")
    assert province.values["direction_as_stated"] == "高于" and province.values["value"] == 1.2
    assert province.values["compared_with_region_id"] == "jilin"
    assert not province.values.get("compared_with_period_start")


@pytest.mark.parametrize(("place", "region"), [("全市", "changchun"), ("全国", "china")])
def test_points_below_the_city_or_the_nation_are_a_negative_point_change(place, region) -> None:
    (_, points) = figures(f"2022年，全区城镇化率为55.1%，低于{place}0.6个百分点。")
    assert points.values["measure"] == "point_change" and points.values["value"] == -0.6
    assert points.values["direction_as_stated"] == "低于" and points.values["compared_with_region_id"] == region


def test_points_against_an_unnamed_base_are_left_for_the_reviewer() -> None:
    (_, points) = figures("2022年，全区城镇化率为55.1%，回落0.4个百分点。")
    assert points.values["measure"] == "point_change" and points.values["value"] == -0.4
    assert points.values["direction_as_stated"] == "回落"
    assert not any(points.values.get(c) for c in ("compared_with_region_id", "compared_with_period_start"))
    assert "fill compared_with" in points.reason()


def test_points_against_a_part_of_the_year_are_compared_with_it() -> None:
    (_, points) = figures("2022年，全区城镇化率为55.1%，较上半年回落0.4个百分点。")
    assert points.values["measure"] == "point_change" and points.values["value"] == -0.4
    assert (points.values["compared_with_period_start"], points.values["compared_with_period_end"]) == (
        "2022-01-01", "2022-06-30")


def test_a_fall_of_a_count_is_a_change_and_a_year_end_stock_is_dated_on_a_day() -> None:
    level, change = figures("2022年，年末常住人口35.2万人，比上年减少0.3万人。")
    assert level.values["measure"] == "level" and level.values["period_start"] == level.values["period_end"] == "2022-12-31"
    assert change.values["measure"] == "change" and change.values["value"] == -3000.0
    assert change.values["direction_as_stated"] == "减少" and change.values["unit_as_stated"] == "万人"
    assert change.values["period_start"] == change.values["period_end"] == "2022-12-31"
    assert change.values["compared_with_period_start"] == change.values["compared_with_period_end"] == "2021-12-31"


def test_a_new_code_counted_on_a_day_is_drafted_as_a_stock() -> None:
    _, catalogue = draft_rows("2022年，年末虚构储备面积35.2万亩。\n", "test-source", PUBLISHED, FACTS)
    assert [row.values["kind"] for row in catalogue] == ["stock"]


@pytest.mark.parametrize("text", ["2022年，全区新增就业5000人。", "2022年，全区城镇化率提高到55.1%。"])
def test_a_word_that_is_no_change_gives_a_level_without_direction(text) -> None:
    (figure,) = figures(text)
    assert figure.values["measure"] == "level" and figure.values["direction_as_stated"] == ""
    assert figure.values["value"] > 0


def test_a_falling_range_is_signed_by_the_word_before_its_lower_bound() -> None:
    (figure,) = figures("2022年，全区能耗强度下降3-5%。")
    assert figure.values["measure"] == "yoy_change" and figure.values["direction_as_stated"] == "下降"
    # the range runs from −5 to −3: its lower bound is the larger fall, as range-order wants
    assert (figure.values["value"], figure.values["value_high"]) == (-5.0, -3.0)
    assert (figure.values["value_as_stated"], figure.values["value_high_as_stated"]) == ("5", "3")
