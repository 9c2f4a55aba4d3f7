"""The drafting rules one by one, on short made-up sentences against the committed
package's units, regions and catalogue (read only)."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import REPO
from jiutai_data.tools.draft.package import read_facts
from jiutai_data.tools.draft.period import period_of
from jiutai_data.tools.draft.rows import draft_rows

FACTS = read_facts(REPO)
PUBLISHED = date(2022, 12, 12)


def drafts(text: str, published: date = PUBLISHED):
    return draft_rows(text + "\n", "test-source", published, FACTS)[0]


def figures(text: str, published: date = PUBLISHED):
    return [d for d in drafts(text, published) if d.table != "omissions"]


@pytest.mark.parametrize(("text", "stated", "value", "unit"), [
    ("全区地区生产总值完成264.6亿元。", "264.6", 26460000000.0, "CNY"),
    ("全区地区生产总值完成２６４．６亿元。", "264.6", 26460000000.0, "CNY"),  # full-width digits
    ("打造三个示范村。", "三", 3.0, "count"),
    ("建成两个园区。", "两", 2.0, "count"),
    ("新建农村公路十二公里。", "十二", 12.0, "km"),
    ("培育百亿级产业集群。", "百", 10000000000.0, "CNY"),
    ("服务群众10余万人次。", "10", 100000.0, "count"),
    ("审批时间缩减到13个工作日。", "13", 13.0, "working_day"),
])
def test_the_number_and_unit_as_stated_convert_through_the_units_table(text, stated, value, unit) -> None:
    (figure,) = figures(text)
    assert (figure.values.get("value_as_stated") or figure.values.get("target_as_stated")) == stated
    assert figure.facts["value"] == value and figure.facts["unit"] == unit


@pytest.mark.parametrize("text", [
    "传来一条令人振奋的消息。",  # 一条: "a", not one
    "一个个增长的经济指标。",
    "实施“四个服务 四个提高”专项行动。",  # a name in quotation marks
])
def test_chinese_numerals_that_do_not_quantify_give_no_figure(text) -> None:
    assert [d.values for d in drafts(text) if d.facts.get("value") is not None] == []


@pytest.mark.parametrize(("text", "qualifier"), [
    ("帮助解决问题50余个。", "more_than"), ("审批时间由原来200多个工作日。", "more_than"),
    ("新增高标准农田1万公顷以上，", "at_least"), ("维修农村公路超过300公里。", "more_than"),
    ("开发就业岗位近5600个。", "approximately"), ("收入约1.52万元。", "approximately"),
    ("增长6.1%左右。", "approximately"), ("新增就业至少3000人。", "at_least"),
    ("粮食总产量达到38.8亿斤。", "exact"),
])
def test_the_qualifier_comes_from_the_words_next_to_the_number(text, qualifier) -> None:
    (figure,) = figures(text)
    assert figure.facts["qualifier"] == qualifier, figure.reason()


@pytest.mark.parametrize(("text", "measures"), [
    ("地区生产总值完成264.6亿元,同比增长1%。", ["level", "yoy_change"]),
    ("全区园艺特产业产值增长75%。", ["yoy_change"]),
    ("全程网办率达到92%。", ["level"]),
])
def test_the_measure_is_a_change_only_after_a_change_word(text, measures) -> None:
    assert [d.facts["measure"] for d in figures(text)] == measures


def test_a_change_with_no_name_takes_the_figure_before_and_its_clause() -> None:
    level, change = figures("地区生产总值完成264.6亿元,同比增长1%。")
    assert change.values["indicator"] == level.values["indicator"] == "gross_regional_product"
    assert change.values["quote"] == "地区生产总值完成264.6亿元,同比增长1%"


@pytest.mark.parametrize(("words", "published", "expected"), [
    ("“十四五”期间", PUBLISHED, ("2021-01-01", "2025-12-31")),
    ("前三季度", PUBLISHED, ("2022-01-01", "2022-09-30")),
    ("上半年", PUBLISHED, ("2022-01-01", "2022-06-30")),
    ("1—9月", PUBLISHED, ("2022-01-01", "2022-09-30")),
    ("今年", PUBLISHED, ("2022-01-01", "2022-12-31")),
    ("明年", PUBLISHED, ("2023-01-01", "2023-12-31")),
    ("去年", date(2024, 1, 10), ("2023-01-01", "2023-12-31")),
    ("到2025年", PUBLISHED, (None, "2025-12-31")),
    ("由原来", PUBLISHED, (None, None)),
    ("全区", PUBLISHED, ("2022-01-01", "2022-12-31")),  # no time words: the year the text is about
])
def test_the_period_is_read_against_the_publication_date(words, published, expected) -> None:
    # the year the text is about so far, as the drafter passes it: the year of publication here
    assert period_of([words], published, published.year)[:2] == expected


def test_estimates_targets_and_reported_figures() -> None:
    estimate, = figures("粮食总产量预计达38.8亿斤。", date(2023, 3, 1))
    target, = figures("力争新增高标准农田8000公顷。", date(2023, 3, 1))
    actual, = figures("2022年，新增高标准农田5000公顷。", date(2023, 3, 1))
    # a quantified goal for an indicator is an indicator row with status target (CONTRIBUTING.md, section 4)
    assert (estimate.facts["status"], target.table, target.facts["status"], actual.facts["status"]) == (
        "estimate", "indicators", "target", "actual")
    assert actual.facts["period_start"] == "2022-01-01"


def test_a_township_named_in_the_clause_is_the_region() -> None:
    (figure,) = figures("其塔木镇新建示范村5个。")
    assert figure.facts["region_id"] == "qitamu"
    (figure,) = figures("全区新建示范村5个。")
    assert figure.facts["region_id"] == "jiutai"


@pytest.mark.parametrize(("text", "kind"), [
    ("9日,中共长春市九台区委全体会议召开。", "date_time"), ("2022-12-12 17:02", "date_time"),
    ("九台2", "label"), ("1.全区地区生产总值增长。", "label"), ("大力实施“1728”口号。", "name"),
    ("成功创建第2批示范县。", "ordinal"),
])
def test_numbers_that_are_not_data_become_omissions_with_their_kind(text, kind) -> None:
    rows = drafts(text)
    assert rows and all(d.table == "omissions" for d in rows), [(d.table, d.values) for d in rows]
    assert {d.values["kind"] for d in rows} == {kind}


def test_a_threshold_is_part_of_the_figures_name_not_a_figure() -> None:
    (figure,) = figures("100个5000万元以上项目如期实现开复工。")
    assert figure.facts["value"] == 100.0
    assert len(figure.claims) == 2  # 100 and 5000


def test_an_investment_before_a_named_project_is_a_project() -> None:
    (project,) = figures("推动投资7亿元的职教园区落位。")
    assert project.table == "projects" and project.values["name_zh"] == "职教园区"
    assert project.values["investment_cny"] == 700000000.0


def test_a_class_figure_applies_to_each_item_listed_before_it() -> None:
    rows = figures("九台区将着力打造精优食品加工、新型建材、矿产能源三个50亿级产业集群。")
    assert sorted((d.values["target_value"], d.values["name_zh"]) for d in rows) == [
        (3.0, "50亿级产业集群"), (5000000000.0, "新型建材50亿级产业集群"),
        (5000000000.0, "矿产能源50亿级产业集群"), (5000000000.0, "精优食品加工50亿级产业集群")]


def test_a_range_is_one_row_that_claims_both_numbers() -> None:
    (target,) = figures("今年预期目标：地区生产总值增长6—7%。", date(2024, 1, 10))
    assert len(target.claims) == 2 and "range" in target.reason()
