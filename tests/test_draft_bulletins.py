"""The drafting rules for statistical bulletins, on short texts of our own in the shapes of
county bulletins, quarterly releases and news reviews (no third-party text), against the
committed package's units, regions and catalogue (read only): tables written as text,
structures and shares, the subject carried to a change, periods from the document,
qualifiers, numerals in slogans, concepts by meaning, and units the package lacks. The last
test drafts a bulletin with a table, fills only free text as a reviewer would, accepts it
into a copy of the package and validates it with 0 errors."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from conftest import REPO, copy_package, edit_each_row
from jiutai_data.model.excerpts import SEPARATOR
from jiutai_data.publish.build import build_package
from jiutai_data.tools.accept import accept_drafts
from jiutai_data.tools.add_source import add_source
from jiutai_data.tools.draft import draft_source
from jiutai_data.tools.draft.package import read_facts
from jiutai_data.tools.draft.rows import draft_all
from jiutai_data.validate.run import validate_package

FACTS = read_facts(REPO)
PUBLISHED = date(2024, 2, 20)
TITLE = "九台区2022年国民经济和社会发展统计公报（虚构示例，测试用）\n\n"


def drafted(text: str, published: date = PUBLISHED):
    return draft_all(text + "\n", "test-source", published, FACTS)


def figures(text: str, published: date = PUBLISHED):
    return [d for d in drafted(text, published)[0] if d.table == "indicators"]


def omissions(text: str, published: date = PUBLISHED):
    return [d for d in drafted(text, published)[0] if d.table == "omissions"]


def row(rows, quote_part: str, measure: str | None = None):
    found = [d.values for d in rows if quote_part in d.values["quote"] and measure in (None, d.values["measure"])]
    assert len(found) == 1, [d.values["quote"] for d in rows]
    return found[0]


# ---------------------------------------------------------------- 1. tables in text

HEADER = ("指标", "绝对数(亿元)", "比上年增长(%)")
ROWS = (("社会消费品零售总额", "45.6", "-9.7"), ("固定资产投资", "61.2", "5.3"))


def _table(separator: str, outer: str = "") -> str:
    lines = [outer + separator.join(cells) + outer for cells in (HEADER, *ROWS)]
    return TITLE + "表1　主要指标\n" + "\n".join(lines)


@pytest.mark.parametrize(("layout", "text"), [
    ("tabs", _table("\t")),
    ("spaces", _table("    ")),
    ("full-width spaces", _table("\u3000\u3000")),
    ("pipes", _table(" | ", "| ")),
    ("pipes with a rule", _table(" | ").replace("比上年增长(%)\n", "比上年增长(%)\n--- | --- | ---\n")),
    ("one cell per line", TITLE + "表1　主要指标\n" + "\n".join(c for cells in (HEADER, *ROWS) for c in cells)),
])
def test_a_table_cell_is_named_by_its_row_and_measured_by_its_column(layout, text) -> None:
    rows = figures(text)
    assert len(rows) == 4, (layout, [d.values["quote"] for d in rows])
    level = row(rows, "45.6")
    assert (level["indicator"], level["measure"], level["value"], level["unit"], level["unit_as_stated"]) == (
        "retail_sales_of_consumer_goods", "level", 4560000000.0, "CNY", "亿元")
    assert level["quote"] == SEPARATOR.join(["绝对数(亿元)", "社会消费品零售总额", "45.6"])
    fall = row(rows, "-9.7")
    assert (fall["measure"], fall["value"], fall["unit_as_stated"], fall["direction_as_stated"]) == (
        "yoy_change", -9.7, "%", "-")
    assert fall["quote"] == SEPARATOR.join(["比上年增长(%)", "社会消费品零售总额", "-9.7"])
    assert (fall["period_start"], fall["period_end"]) == ("2022-01-01", "2022-12-31")  # the title's year
    assert all("\t" not in d.values["quote"] and "\n" not in d.values["quote"] for d in rows)


def test_a_unit_line_above_the_table_and_a_part_of_a_row() -> None:
    text = TITLE + "单位：万元\n项目\t2022年\t比上年增长(%)\n一般公共预算收入\t52340\t6.1\n  其中：税收收入\t31200\t-2.5\n"
    rows = figures(text)
    total, tax = row(rows, "52340"), row(rows, "31200")
    assert (total["unit_as_stated"], total["value"], total["measure"]) == ("万元", 523400000.0, "level")
    assert total["quote"] == SEPARATOR.join(["单位：万元", "2022年", "一般公共预算收入", "52340"])
    assert tax["note"] == "A part of 一般公共预算收入 (其中 or indented in the table)."
    assert row(rows, "-2.5")["value"] == -2.5


def test_a_column_of_units_gives_each_row_its_unit() -> None:
    text = TITLE + "产品名称\t计量单位\t产量\t比上年增长(%)\n水泥\t万吨\t45.60\t-9.7\n发电量\t亿千瓦时\t6.03\t2.1\n"
    rows = figures(text)
    cement, power = row(rows, "45.60"), row(rows, "6.03")
    assert (cement["unit_as_stated"], cement["value"], cement["unit"]) == ("万吨", 456000000.0, "kg")
    assert (power["unit_as_stated"], power["value"], power["unit"]) == ("亿千瓦时", 603000000.0, "kWh")
    assert row(rows, "-9.7")["measure"] == "yoy_change"


# ---------------------------------------------------------------- 2. structures and shares

@pytest.mark.parametrize("colon", [":", "∶"])
def test_a_structure_is_one_share_row_per_part(colon) -> None:
    text = TITLE + f"全区三次产业结构为11.2{colon}48.7{colon}40.1。"
    rows = figures(text)
    assert [(d.values["value"], d.values["measure"], d.values["share_of"], d.values["unit_as_stated"])
            for d in rows] == [(v, "share", "gross_regional_product", colon) for v in (11.2, 48.7, 40.1)]
    assert [d.values["name_zh"] for d in rows] == ["第一产业增加值", "第二产业增加值", "第三产业增加值"]
    assert len({d.values["quote"] for d in rows}) == 1 and all(d.values["period_start"] == "2022-01-01" for d in rows)
    units = drafted(text)[2]
    assert [u.values["unit_as_stated"] for u in units] == []  # both colons are in the units table


def test_a_structure_changed_from_an_earlier_one_dates_the_earlier_a_year_before() -> None:
    rows = figures(TITLE + "全区三次产业结构由10.9:49.0:40.1调整为11.2:48.7:40.1。")
    assert len(rows) == 6
    assert {d.values["period_start"] for d in rows[:3]} == {"2021-01-01"}
    assert {d.values["period_start"] for d in rows[3:]} == {"2022-01-01"}
    assert rows[0].values["quote"] != rows[3].values["quote"]


def test_a_share_of_a_whole_names_the_whole() -> None:
    rows = figures(TITLE + "第三产业增加值39.4亿元，占地区生产总值的比重为40.1%。")
    share = row(rows, "40.1%", "share")
    assert (share["share_of"], share["value"], share["unit"]) == ("gross_regional_product", 40.1, "percent")
    assert share["indicator"] == row(rows, "39.4", "level")["indicator"]  # the subject carried


# ---------------------------------------------------------------- 3. the subject carried

def test_a_change_without_a_subject_takes_the_level_before_it() -> None:
    rows = figures(TITLE + "全区地区生产总值98.38亿元。按可比价格计算，增长3.1%。")
    change = row(rows, "3.1", "yoy_change")
    assert change["indicator"] == "gross_regional_product" and change["value"] == 3.1
    assert "按可比价格计算" in change["note"]


def test_each_item_of_a_list_has_its_own_subject_and_the_basis_is_noted() -> None:
    rows = figures(TITLE + "全区地区生产总值98.38亿元，增长3.1%。其中，第一产业增长4.1%；第二产业下降1.2%。"
                           "全年规上工业增加值52.3亿元，同口径增长9.6%。")
    first, second = row(rows, "4.1"), row(rows, "1.2")
    assert first["name_zh"] == "第一产业增加值" and second["name_zh"] == "第二产业增加值"
    assert second["value"] == -1.2 and second["direction_as_stated"] == "下降"
    basis = row(rows, "9.6")
    assert basis["indicator"] == row(rows, "52.3", "level")["indicator"] and "同口径" in basis["note"]


# ---------------------------------------------------------------- 4. periods from the document

def test_the_title_year_wins_over_the_publication_year() -> None:
    (level, change) = figures(TITLE + "全区地区生产总值98.38亿元，比上年增长3.1%。", date(2024, 6, 1))
    assert (level.values["period_start"], level.values["period_end"]) == ("2022-01-01", "2022-12-31")
    assert change.values["period_start"] == "2022-01-01"  # 比上年 names the year compared with, not the year


def test_a_chinese_numeral_year_in_the_title_is_the_subject_year_and_an_omission() -> None:
    text = "二〇二二年九台区统计公报（虚构示例，测试用）\n\n全区地区生产总值98.38亿元。"
    rows, _, _ = drafted(text)
    assert row([d for d in rows if d.table == "indicators"], "98.38")["period_start"] == "2022-01-01"
    assert any(d.values["kind"] == "date_time" and "二〇二二" in d.values["quote"] for d in rows)


@pytest.mark.parametrize(("head", "end"), [("前三季度", "2023-09-30"), ("1—9月", "2023-09-30"),
                                           ("1-9月", "2023-09-30"), ("上半年", "2023-06-30")])
def test_a_period_at_the_head_of_a_paragraph_governs_what_follows(head, end) -> None:
    text = f"九台区经济运行情况（虚构示例，测试用）\n\n{head}，全区规模以上工业增加值52.3亿元。\n\n固定资产投资61.2亿元。\n"
    rows = figures(text, date(2023, 10, 27))
    assert [(d.values["period_start"], d.values["period_end"]) for d in rows] == [("2023-01-01", end)] * 2


def test_a_year_end_paragraph_dates_its_stocks_on_the_last_day() -> None:
    rows = figures(TITLE + "年末，全区规模以上工业企业121户。\n全年新增就业3200人。")
    stock, flow = row(rows, "121"), row(rows, "3200")
    assert stock["period_start"] == stock["period_end"] == "2022-12-31"
    assert (flow["period_start"], flow["period_end"]) == ("2022-01-01", "2022-12-31")


# ---------------------------------------------------------------- 5. qualifiers

@pytest.mark.parametrize(("text", "qualifier", "note"), [
    ("全区规模以上工业企业突破120户。", "more_than", ""), ("新增就业超过3000人。", "more_than", ""),
    ("新增就业逾3000人。", "more_than", ""), ("新增就业超3000人。", "more_than", ""),
    ("新增高标准农田1000公顷以上。", "at_least", ""),
    ("新增就业近3000人。", "approximately", ""), ("新增就业约3000人。", "approximately", ""),
    ("新增就业3000人左右。", "approximately", ""), ("新增就业3000人上下。", "approximately", ""),
    ("粮食总产量不足38.5亿斤。", "less_than", ""), ("新增就业不到3000人。", "less_than", ""),
    ("新增就业少于3000人。", "less_than", ""), ("新增就业不超过3000人。", "at_most", ""),
    ("新增就业3000人以内。", "at_most", ""),
])
def test_qualifiers_bound_the_number_as_the_words_do(text, qualifier, note) -> None:
    (figure,) = figures(TITLE + text)
    assert figure.values["qualifier"] == qualifier, figure.reason()
    assert not figure.values["note"]


# ---------------------------------------------------------------- 6. every number covered

@pytest.mark.parametrize(("text", "numeral"), [
    ("全区实现六个领跑、十个新突破。", "六"), ("全区实现六个领跑、十个新突破。", "十"),
    ("三年过万亿（虚构示例，测试用）", "三"), ("二〇二三年九台区统计公报（虚构示例，测试用）", "二〇二三"),
    ("三次产业协调发展。", "三"),
])
def test_numerals_in_names_and_slogans_are_omissions_with_their_reason(text, numeral) -> None:
    rows = drafted(text)[0]
    assert not [d for d in rows if d.table == "indicators"], [d.values for d in rows]
    start = text.index(numeral)
    claimed = [d for d in rows if (start, start + len(numeral)) in d.claims]
    assert len(claimed) == 1 and claimed[0].table == "omissions" and claimed[0].reason()


# ---------------------------------------------------------------- 7. concepts by meaning

@pytest.mark.parametrize(("text", "code"), [
    ("全县生产总值98.38亿元。", "gross_regional_product"), ("全区GDP98.38亿元。", "gross_regional_product"),
    ("全年粮食作物播种面积19.2万公顷。", "grain_crop_sown_area"),
    ("年末全区规上工业企业120户。", "industrial_enterprises_above_designated_size"),
])
def test_a_concept_is_matched_by_its_meaning(text, code) -> None:
    (figure,) = figures(TITLE + text)
    assert figure.values["indicator"] == code


def test_what_is_new_is_a_flow_not_the_stock() -> None:
    (new,) = figures(TITLE + "新增规模以上工业企业15家。")
    assert new.values["indicator"] != "industrial_enterprises_above_designated_size"
    assert new.values["indicator"].startswith("draft_")
    catalogue = drafted(TITLE + "新增规模以上工业企业15家。")[1]
    assert [c.values["kind"] for c in catalogue] == ["flow"]


def test_one_figure_is_drafted_once() -> None:
    text = TITLE + "全区地区生产总值98.38亿元，增长3.1%。\n指标\t绝对数(亿元)\n地区生产总值\t98.38\n"
    rows, _, _ = drafted(text)
    claims = [span for d in rows for span in d.claims]
    assert len(claims) == len(set(claims))
    assert len([d for d in rows if d.table == "indicators"]) == 3


# ---------------------------------------------------------------- 8. units

@pytest.mark.parametrize(("text", "unit", "base", "value"), [
    ("全年粮食播种面积12.5万亩。", "万亩", "ha", 12.5 * 10000 / 15), ("全年化肥施用量3.2万吨。", "万吨", "kg", 32000000.0),
    ("全年用电量4.6亿千瓦时。", "亿千瓦时", "kWh", 460000000.0), ("新增变电容量12万千伏安。", "万千伏安", "kVA", 120000.0),
    ("城镇化率比上年提高0.8个百分点。", "个百分点", "percentage_point", 0.8),
])
def test_every_unit_of_the_units_table(text, unit, base, value) -> None:
    (figure,) = figures(TITLE + text)
    assert (figure.values["unit_as_stated"], figure.values["unit"]) == (unit, base)
    assert figure.values["value"] == pytest.approx(value)


def test_an_unknown_unit_becomes_a_proposed_units_row() -> None:
    rows, _, units = drafted(TITLE + "全年天然气供应量1.2亿立方米。全区拖拉机保有量3200台。")
    gas, tractors = [d.values for d in rows if d.table == "indicators"]
    assert (gas["unit_as_stated"], gas["unit"], gas["value"]) == ("亿立方米", "m3", 120000000.0)
    assert (tractors["unit_as_stated"], tractors["unit"]) == ("台", "count")
    proposed = {u.values["unit_as_stated"]: u for u in units}
    assert (proposed["亿立方米"].values["unit"], proposed["亿立方米"].values["factor"]) == ("m3", 100000000.0)
    assert "九台区" in proposed["台"].values["note"]  # 台 would make 九台 a quantity: the reviewer is warned
    assert not [d for d in rows if d.table == "omissions" and ("立方米" in d.values["quote"] or "台" in d.values["quote"][-6:])]


# ---------------------------------------------------------------- 9. linear and deterministic

def test_the_same_text_gives_the_same_drafts_for_a_long_table() -> None:
    # (how fast, as a ratio to a regex scan of the same text, is measured in make bench: bench_draft.py)
    body = "\n".join(f"行业{i}\t{i}.5\t-{i % 9}.1" for i in range(1, 3000))
    text = TITLE + "指标\t绝对数(亿元)\t比上年增长(%)\n" + body
    first = drafted(text)[0]
    assert len([d for d in first if d.table == "indicators"]) == 2 * 2999
    assert [(d.table, d.values) for d in first] == [(d.table, d.values) for d in drafted(text)[0]]


# ---------------------------------------------------------------- end to end

BULLETIN = """九台区2022年国民经济和社会发展统计公报（虚构示例，测试用）

九台区统计局

一、综合

全区地区生产总值98.38亿元，比上年增长3.1%。三次产业结构为11.2:48.7:40.1。

年末，全区规模以上工业企业突破120户。全年新增就业3200人，全年天然气供应量1.2亿立方米。

表1　2022年主要指标
指标\t绝对数(亿元)\t比上年增长(%)
社会消费品零售总额\t45.6\t-9.7
固定资产投资\t61.2\t5.3

二、农业

全年粮食总产量38.8亿斤，比上年增长2.4%。
"""


def _review(r: dict[str, str]) -> None:
    """Only free text: English names, definitions, notes."""
    if "name_en" in r and not r["name_en"]:
        r["name_en"] = f"Reviewed name of {r.get('id') or r.get('code') or r.get('unit_as_stated')}"
    if "definition" in r and not r["definition"]:
        r["definition"] = f"Reviewed definition of {r['code']}"


def test_a_drafted_bulletin_with_a_table_is_accepted_and_validates(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    text = tmp_path / "bulletin.txt"
    text.write_text(BULLETIN, encoding="utf-8")
    added = add_source(root, text, source_id="2023-04-18-fictional-bulletin-2022", title_zh="虚构统计公报",
                       title_en="Fictional bulletin", publisher_zh="虚构统计局", publisher_en="Fictional bureau",
                       published="2023-04-18T09:00:00+08:00")
    assert added.ok, added.describe()
    result = draft_source(root, "2023-04-18-fictional-bulletin-2022")
    assert result.counts["indicators"] == 14 and result.counts["units"] == 1, result.counts
    for path in result.folder.glob("*.csv"):
        edit_each_row(path, _review)
    accepted = accept_drafts(result.folder, root)
    assert accepted.ok, "\n".join(accepted.describe())
    assert build_package(root).report.valid
    report = validate_package(root)
    assert report.errors == [], [f.message for f in report.errors]
    with (root / "data" / "units.csv").open(encoding="utf-8") as stream:
        assert "亿立方米" in {r["unit_as_stated"] for r in csv.DictReader(stream)}  # the proposed unit, accepted


# ---------------------------------------------------------------- 9. bounded work

def test_a_text_without_punctuation_gives_short_quotes_and_names() -> None:
    # a line of 400 figures and no punctuation: each row quotes and names the words around its own
    # number, not the whole line (which made the drafts grow with the square of the text)
    from jiutai_data.tools.draft.clauses import MAX_CLAUSE, MAX_SENTENCE, REACH, Layout

    line = "".join(f"项目{i}投资{i % 90 + 1}亿元" for i in range(400))
    text = TITLE + line + "\n"
    rows = figures(text)
    assert len(rows) >= 400
    assert max(len(d.values["quote"]) for d in rows) <= 2 * REACH + 10
    assert all(d.values["quote"] in text for d in rows)
    layout = Layout(text)
    assert max(b - a for a, b in layout.clauses) <= MAX_CLAUSE
    assert max(b - a for a, b in layout.sentences + layout.full_sentences) <= MAX_SENTENCE
