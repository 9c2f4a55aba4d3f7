"""Rules that decide a figure's status, measure, period and what it is compared with, each on
made-up sentences (not the draft corpus's) against the committed package's facts (read only)."""

from __future__ import annotations

from datetime import date

from conftest import REPO
from jiutai_data.tools.draft.package import read_facts
from jiutai_data.tools.draft.rows import draft_rows

FACTS = read_facts(REPO)


def figures(text: str, published: date) -> list:
    return [d for d in draft_rows(text + "\n", "test-source", published, FACTS)[0] if d.table != "omissions"]


def by_stated(rows: list) -> dict:
    return {d.values.get("value_as_stated") or d.values.get("target_as_stated"): d for d in rows}


def period(draft) -> tuple:
    return draft.facts["period_start"], draft.facts["period_end"]


# 1. status per section, not per title
def test_a_review_section_reports_actuals_under_a_title_that_also_names_the_plan() -> None:
    text = ("某乡2022年工作总结和2023年工作打算安排\n\n一、2022年工作总结\n\n"
            "2022年，全乡完成粮食总产量3.6万吨，新修村道12公里。\n\n二、2023年工作安排\n\n"
            "2023年，力争全乡粮食总产量达到3.8万吨。")
    rows = by_stated(figures(text, date(2023, 1, 15)))
    assert rows["3.6"].facts["status"] == "actual" and rows["12"].facts["status"] == "actual"
    assert rows["3.8"].facts["status"] == "target"
    assert period(rows["3.6"]) == ("2022-01-01", "2022-12-31")


def test_a_table_caption_naming_a_past_year_does_not_look_ahead() -> None:
    text = ("某县2022年统计公报\n\n表1  2022年主要农产品产量\n\n一、其他\n\n"
            "全年规模以上工业增加值比上年增长2.2%。")
    (row,) = figures(text, date(2023, 4, 1))
    assert (row.table, row.facts["status"], row.facts["measure"]) == ("indicators", "actual", "yoy_change")


# 2. targets on indicators keep their measure
def test_a_growth_target_is_an_indicator_row_with_status_target_and_measure_yoy_change() -> None:
    text = "二、2024年主要目标\n\n2024年主要预期目标是：全县地区生产总值增长5.5%左右；城镇新增就业3000人以上。"
    rows = by_stated(figures(text, date(2024, 1, 12)))
    growth, jobs = rows["5.5"], rows["3000"]
    assert (growth.table, growth.facts["status"], growth.facts["measure"]) == ("indicators", "target", "yoy_change")
    assert growth.values["direction_as_stated"] == "增长" and growth.facts["qualifier"] == "approximately"
    assert (jobs.table, jobs.facts["measure"], jobs.facts["qualifier"]) == ("indicators", "level", "at_least")
    assert period(growth) == ("2024-01-01", "2024-12-31")


def test_a_task_that_counts_what_it_acts_on_stays_a_plan() -> None:
    (row,) = figures("明年将整治提升9个村屯主要街路。", date(2022, 12, 12))
    assert row.table == "plans"


def test_a_target_for_a_flow_by_a_year_covers_that_year() -> None:
    (row,) = figures("到2027年，全区地区生产总值力争达到350亿元。", date(2024, 1, 12))
    assert (row.table, row.facts["status"]) == ("indicators", "target")
    assert period(row) == ("2027-01-01", "2027-12-31")


# 3. stocks dated on the day that governs their sentence or paragraph
def test_a_day_at_the_head_of_a_sentence_dates_its_later_clauses() -> None:
    text = "2023年，全乡经济平稳。年末全乡常住人口1.92万人，其中城镇人口0.64万人。全年新增就业岗位150个。"
    rows = by_stated(figures(text, date(2024, 2, 1)))
    assert period(rows["1.92"]) == ("2023-12-31", "2023-12-31")
    assert period(rows["0.64"]) == ("2023-12-31", "2023-12-31")
    assert period(rows["150"]) == ("2023-01-01", "2023-12-31")


def test_a_month_end_dates_balances_of_the_sentence_on_that_day() -> None:
    text = ("某区2023年前三季度经济运行情况\n\n1—9月，全区社会消费品零售总额40.1亿元。\n\n"
            "9月末，全区人民币存款余额301.5亿元，比年初增加12.3亿元；贷款余额150.2亿元，同比增长1.1%。")
    rows = by_stated(figures(text, date(2023, 10, 25)))
    for stated in ("301.5", "12.3", "150.2", "1.1"):
        assert period(rows[stated]) == ("2023-09-30", "2023-09-30"), stated
    assert period(rows["40.1"]) == ("2023-01-01", "2023-09-30")


def test_a_day_at_the_head_of_a_paragraph_does_not_date_its_flows() -> None:
    text = "2023年，全县经济平稳。\n\n年末全县共有幼儿园41所。全县实施惠民工程，新建村级广场16个。"
    rows = by_stated(figures(text, date(2024, 3, 1)))
    assert period(rows["41"]) == ("2023-12-31", "2023-12-31")
    assert period(rows["16"]) == ("2023-01-01", "2023-12-31")


def test_a_balance_or_a_count_that_reached_a_number_is_a_stock() -> None:
    text = "2022年，全区经济平稳。全区专精特新企业达到37户。全区住户存款余额88.6亿元。"
    rows = by_stated(figures(text, date(2023, 1, 20)))
    assert period(rows["37"]) == ("2022-12-31", "2022-12-31")
    assert period(rows["88.6"]) == ("2022-12-31", "2022-12-31")


# 4. compared with another part of the year or a day
def test_a_change_on_another_part_of_the_year_or_a_day_names_that_period() -> None:
    text = ("某县2024年上半年经济运行简况\n\n上半年，全县固定资产投资同比增长3.3%，增速比一季度加快1.4个百分点。"
            "\n\n年末全县学校58所，比上年末减少2所。")
    rows = by_stated(figures(text, date(2024, 7, 20)))
    points = rows["1.4"]
    assert (points.facts["measure"], period(points)) == ("point_change", ("2024-01-01", "2024-06-30"))
    assert (points.values["compared_with_period_start"], points.values["compared_with_period_end"]) == (
        "2024-01-01", "2024-03-31")
    change = rows["2"]
    assert change.facts["measure"] == "change"
    assert (change.values["compared_with_period_start"], change.values["compared_with_period_end"]) == (
        "2023-12-31", "2023-12-31")


def test_a_change_on_the_start_of_the_year_is_compared_with_1_january() -> None:
    text = "2023年，全市经济平稳。年末全市贷款余额99.9亿元，比年初增加4.4亿元。"
    rows = by_stated(figures(text, date(2024, 2, 1)))
    change = rows["4.4"]
    assert period(change) == ("2023-12-31", "2023-12-31")
    assert (change.values["compared_with_period_start"], change.values["compared_with_period_end"]) == (
        "2023-01-01", "2023-01-01")


def test_a_growth_rate_change_with_no_comparison_is_on_the_year_before() -> None:
    text = "2022年，全区农村居民人均可支配收入增长5.1%，增速回落0.9个百分点。"
    rows = by_stated(figures(text, date(2023, 1, 20)))
    points = rows["0.9"]
    assert (points.facts["measure"], points.values["direction_as_stated"]) == ("point_change", "回落")
    assert (points.values["compared_with_period_start"], points.values["compared_with_period_end"]) == (
        "2021-01-01", "2021-12-31")


# 5. words that make a change
def test_more_output_and_more_than_last_year_are_changes() -> None:
    text = "2023年，全县油料产量1.2万吨，比上年增产0.3万吨；新签约项目25个，比上年多6个。"
    rows = by_stated(figures(text, date(2024, 2, 1)))
    for stated in ("0.3", "6"):
        assert rows[stated].facts["measure"] == "change", stated
        assert (rows[stated].values["compared_with_period_start"],
                rows[stated].values["compared_with_period_end"]) == ("2022-01-01", "2022-12-31")


def test_words_shared_by_a_list_and_a_contribution() -> None:
    text = ("2023年，城乡居民人均可支配收入分别增长3.8%和5.6%；居民消费价格涨幅1.5%左右。"
            "衣着类价格上涨2.0%，影响居民消费价格总水平上涨约0.12个百分点。")
    rows = by_stated(figures(text, date(2024, 2, 1)))
    assert rows["3.8"].facts["measure"] == rows["5.6"].facts["measure"] == "yoy_change"
    assert rows["5.6"].values["direction_as_stated"] == "增长"
    assert rows["1.5"].facts["measure"] == "yoy_change"
    assert rows["0.12"].facts["measure"] == "level"


# 6. periods at the head of a paragraph; one month; the same period a year earlier
def test_one_month_is_that_month_only() -> None:
    text = ("某县2024年上半年经济运行简况\n\n1—6月，全县规模以上工业总产值同比增长8.1%，其中，6月份当月增长9.4%。"
            "\n\n5月份，全县居民消费价格同比上涨0.2%。")
    rows = by_stated(figures(text, date(2024, 7, 20)))
    assert period(rows["8.1"]) == ("2024-01-01", "2024-06-30")
    assert period(rows["9.4"]) == ("2024-06-01", "2024-06-30")
    assert period(rows["0.2"]) == ("2024-05-01", "2024-05-31")


def test_the_same_period_a_year_earlier_is_the_figures_own_period() -> None:
    text = "某区2023年前三季度经济运行情况\n\n前三季度，全区地区生产总值同比增长5.1%。上年同期增速为3.3%。"
    rows = by_stated(figures(text, date(2023, 10, 25)))
    assert period(rows["5.1"]) == ("2023-01-01", "2023-09-30")
    assert period(rows["3.3"]) == ("2022-01-01", "2022-09-30")


def test_by_the_end_of_the_year_is_a_whole_years_total_not_a_day() -> None:
    (level, growth) = figures("预计到年末，全区地区生产总值完成301.2亿元，同比增长2%。", date(2022, 12, 20))
    assert level.facts["status"] == "estimate"
    assert period(level) == period(growth) == ("2022-01-01", "2022-12-31")


def test_what_a_stock_of_enterprises_earns_is_a_flow_not_the_stock() -> None:
    text = "某区2023年前三季度经济运行情况\n\n1—9月，全区规模以上工业企业实现营业收入逾88亿元。"
    (row,) = figures(text, date(2023, 10, 25))
    assert row.facts["code"] != "industrial_enterprises_above_designated_size"
    assert period(row) == ("2023-01-01", "2023-09-30")
