"""Every output shows each figure for what it is: a fall as a fall, points as points, a share
with its whole, a comparison with its base, a stock on its day.

A small package of its own (a bulletin-like text written for this test) holds a row of each
kind: a fall written 下降 and one written with a lone minus, a change in percentage points
against the province and one against an earlier day, a share of a whole, and a stock dated
on one day. It validates, is published (build, export, site), and each output is asked the
specific thing it must show; no output is compared whole.
"""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from conftest import tiny_id, tiny_rows, write_tiny_package

from jiutai_data.model.figures import MEASURES, POINT_CHANGE, SHARE, YOY_CHANGE
from jiutai_data.model.package import open_package
from jiutai_data.publish.recipes import recipes
from jiutai_data.publish.run import publish_package
from jiutai_data.publish.site.charts import series_charts
from jiutai_data.publish.site.figures import figure, names_from
from jiutai_data.publish.site.payload import REGISTRY
from jiutai_data.read.catalogue import with_catalogue
from jiutai_data.validate.run import validate_package

TEXT = ("九台区前三季度地区生产总值达到264.6亿元，同比增长5.2%。"
        "上年前三季度规模以上工业增加值同比下降8.1%，今年前三季度同比下降12.4%，固定资产投资同比-9.7%。"
        "第三产业增加值占地区生产总值的比重为46.2%。"
        "6月末城镇化率为57.9%，9月末为58.3%，高于全省1.9个百分点，比6月末提高0.4个百分点。\n")

FALL = tiny_id("jiutai-2022-q1-q3-industrial-value-added-yoy")
MINUS_FALL = tiny_id("jiutai-2022-q1-q3-fixed-asset-investment-yoy")
SHARE_ROW = tiny_id("jiutai-2022-q1-q3-tertiary-industry-value-added-share")
STOCK = tiny_id("jiutai-2022-09-30-urbanisation-rate")
VS_PROVINCE = tiny_id("jiutai-2022-09-30-urbanisation-rate-vs-jilin")
VS_JUNE = tiny_id("jiutai-2022-09-30-urbanisation-rate-vs-june")
SVG = "{http://www.w3.org/2000/svg}"


def measure_rows() -> dict[str, list[dict]]:
    """tiny_rows() and a row of each new kind, with the regions, units and catalogue they need."""
    rows = tiny_rows(TEXT)
    common = {key: value for key, value in rows["indicators"][0].items()
              if key in ("source_id", "region_id", "period_start", "period_end", "qualifier", "status")}
    rows["regions"].append({"id": "jilin", "code": "220000", "name_zh": "吉林省", "name_en": "Jilin Province",
                            "level": "province"})
    rows["units"] += [
        {"unit_as_stated": "个百分点", "unit": "percentage_point", "factor": "1", "name_en": "percentage points"},
        {"unit_as_stated": ":", "unit": "percent", "factor": "1", "name_en": "part of a ratio written a:b:c"},
    ]

    def concept(code: str, zh: str, en: str, unit: str, kind: str) -> dict:
        return {"code": code, "name_zh": zh, "name_en": en, "topic": "economy", "unit": unit, "kind": kind,
                "definition": f"{en}."}

    rows["catalogue"] += [
        concept("industrial_value_added", "规模以上工业增加值", "Industrial value added above designated size", "亿元", "flow"),
        concept("fixed_asset_investment", "固定资产投资", "Fixed-asset investment", "亿元", "flow"),
        concept("tertiary_industry_value_added", "第三产业增加值", "Value added of tertiary industry", "亿元", "flow"),
        concept("urbanisation_rate", "城镇化率", "Urbanisation rate", "%", "stock"),
    ]
    percent = {"unit": "percent", "unit_as_stated": "%"}
    points = {"unit": "percentage_point", "unit_as_stated": "个百分点"}
    september, june = ({"period_start": day, "period_end": day} for day in ("2022-09-30", "2022-06-30"))
    rows["indicators"] += [
        # the same nine months a year earlier: a like period, so the two falls make one series
        {**common, **percent, "id": tiny_id("jiutai-2021-q1-q3-industrial-value-added-yoy"),
         "indicator": "industrial_value_added", "measure": YOY_CHANGE, "period_start": "2021-01-01",
         "period_end": "2021-09-30", "value": "-8.1", "value_as_stated": "8.1", "direction_as_stated": "下降",
         "quote": "上年前三季度规模以上工业增加值同比下降8.1%"},
        {**common, **percent, "id": FALL, "indicator": "industrial_value_added", "measure": YOY_CHANGE,
         "value": "-12.4", "value_as_stated": "12.4", "direction_as_stated": "下降", "quote": "今年前三季度同比下降12.4%"},
        {**common, **percent, "id": MINUS_FALL, "indicator": "fixed_asset_investment", "measure": YOY_CHANGE,
         "value": "-9.7", "value_as_stated": "9.7", "direction_as_stated": "-", "quote": "固定资产投资同比-9.7%"},
        {**common, **percent, "id": SHARE_ROW, "indicator": "tertiary_industry_value_added", "measure": SHARE,
         "value": "46.2", "value_as_stated": "46.2", "share_of": "gross_regional_product",
         "quote": "第三产业增加值占地区生产总值的比重为46.2%"},
        {**common, **percent, **june, "id": tiny_id("jiutai-2022-06-30-urbanisation-rate"), "indicator": "urbanisation_rate",
         "measure": "level", "value": "57.9", "value_as_stated": "57.9", "quote": "6月末城镇化率为57.9%"},
        {**common, **percent, **september, "id": STOCK, "indicator": "urbanisation_rate", "measure": "level",
         "value": "58.3", "value_as_stated": "58.3", "quote": "9月末为58.3%"},
        {**common, **points, **september, "id": VS_PROVINCE, "indicator": "urbanisation_rate", "measure": POINT_CHANGE,
         "value": "1.9", "value_as_stated": "1.9", "direction_as_stated": "高于", "compared_with_region_id": "jilin",
         "quote": "高于全省1.9个百分点"},
        {**common, **points, **september, "id": VS_JUNE, "indicator": "urbanisation_rate", "measure": POINT_CHANGE,
         "value": "0.4", "value_as_stated": "0.4", "direction_as_stated": "提高",
         "compared_with_period_start": "2022-06-30", "compared_with_period_end": "2022-06-30",
         "quote": "比6月末提高0.4个百分点"},
    ]
    return rows


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = write_tiny_package(tmp_path_factory.mktemp("measures") / "package", measure_rows(), TEXT)
    dist = root / "dist"
    result = publish_package(root, dist)
    assert result.ok, [finding.message for finding in result.build.report.errors]
    return root, dist


def page_data(dist: Path) -> dict:
    """What the indicators page loads (data/indicators.js)."""
    text = (dist / "site" / "data" / "indicators.js").read_text(encoding="utf-8")
    match = re.fullmatch(re.escape(REGISTRY) + r'\.tables\["indicators"\] = (.*);\n', text, re.DOTALL)
    assert match
    return json.loads(match.group(1))


def payload(dist: Path) -> tuple[list[str], dict[str, list]]:
    """The indicators page's fields and its rows by id."""
    data = page_data(dist)
    names = [field["name"] for field in data["fields"]]
    return names, {row[names.index("id")]: row for row in data["rows"]}


def shown(dist: Path, row_id: str) -> str:
    names, rows = payload(dist)
    return rows[row_id][names.index("figure")]


# ------------------------------------------------------------------ the package


def test_the_package_with_every_kind_of_figure_validates(tmp_path: Path) -> None:
    report = validate_package(write_tiny_package(tmp_path / "package", measure_rows(), TEXT))
    assert [finding.message for finding in report.errors] == []
    measures = set(pl.read_csv(tmp_path / "package" / "data" / "indicators.csv", infer_schema=False)["measure"])
    assert {YOY_CHANGE, POINT_CHANGE, SHARE, "level"} <= measures


# ------------------------------------------------------------------ site


def test_the_indicators_page_shows_a_fall_as_a_fall(published) -> None:
    _, dist = published
    fall = shown(dist, FALL)
    assert "−12.4%" in fall and "下降12.4%" in fall and "year-on-year" in fall
    assert not re.search(r"(?<![−\-下降\d])12\.4 ?%", fall.replace("下降12.4%", "")), fall
    minus = shown(dist, MINUS_FALL)  # a table's -9.7: a minus, not a word
    assert "−9.7%" in minus and "+9.7" not in minus


def test_the_indicators_page_keeps_the_cells_as_written_beside_the_figure(published) -> None:
    _, dist = published
    names, rows = payload(dist)
    fall = rows[FALL]
    assert fall[names.index("value")] == "-12.4"
    assert fall[names.index("value_as_stated")] == "12.4" and fall[names.index("direction_as_stated")] == "下降"
    assert rows[MINUS_FALL][names.index("direction_as_stated")] == "-"


def test_points_are_points_and_a_comparison_names_its_base(published) -> None:
    _, dist = published
    province = shown(dist, VS_PROVINCE)
    assert "+1.9 percentage points" in province and "个百分点" in province
    assert "vs Jilin Province" in province and "吉林省" in province
    june = shown(dist, VS_JUNE)
    assert "+0.4 percentage points" in june and "vs 30 Jun 2022" in june


def test_a_share_names_its_whole_and_a_stock_its_day(published) -> None:
    _, dist = published
    assert "46.2% of gross regional product" in shown(dist, SHARE_ROW)
    assert "占地区生产总值的46.2%" in shown(dist, SHARE_ROW)
    stock = shown(dist, STOCK)
    assert "on 30 Sep 2022" in stock and "–" not in stock  # one day, not a span
    assert "Jan–Sep 2022" in shown(dist, FALL)  # a flow keeps its span


def test_the_indicators_page_describes_its_figure_column_and_traces_the_direction(published) -> None:
    _, dist = published
    page = (dist / "site" / "tables" / "indicators.html").read_text(encoding="utf-8")
    assert "<code>figure</code>" in page.split('id="dictionary-heading"', 1)[1]
    assert 'id="trace-figure"' in page
    trace = page_data(dist)["trace"]
    assert trace["direction"] == "direction_as_stated" and trace["figure"] == "figure"
    assert "direction_as_stated" not in trace["stated"]


# ------------------------------------------------------------------ charts


def chart_frames(root: Path) -> tuple[pl.DataFrame, object]:
    read = lambda table: pl.read_csv(root / "data" / f"{table}.csv", infer_schema=False)  # noqa: E731
    return with_catalogue(read("indicators"), read("catalogue")), names_from(read("regions"), read("catalogue"))


def test_a_series_of_falls_is_drawn_below_zero_and_labelled_with_its_minus(published) -> None:
    root, dist = published
    indicators, names = chart_frames(root)
    charts = {chart.id: chart for chart in series_charts(indicators, names)}
    chart = charts["series-industrial-value-added-yoy-change"]
    svg = ET.fromstring(chart.svg)
    labels = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert {"−8.1%", "−12.4%"} <= set(labels)
    zero = next(line for line in svg.iter(f"{SVG}line") if line.get("stroke") == "#718096")
    points = list(svg.iter(f"{SVG}circle"))
    assert sorted(float(p.get("data-value")) for p in points) == [-12.4, -8.1]
    assert all(float(p.get("cy")) > float(zero.get("y1")) for p in points)  # below the zero line
    assert "0" in labels and any(label.startswith("−") for label in labels if re.fullmatch(r"−[\d.,]+", label))
    assert "falls, drawn below zero" in chart.caption
    assert "−12.4%" in (dist / "site" / "charts.html").read_text(encoding="utf-8")


def test_measures_are_never_mixed_and_a_stock_is_dated_on_its_day(published) -> None:
    root, _ = published
    indicators, names = chart_frames(root)
    charts = {chart.id: chart for chart in series_charts(indicators, names)}
    chart = charts["series-urbanisation-rate-level"]  # the level only, not the point changes of the same days
    svg = ET.fromstring(chart.svg)
    assert sorted(float(p.get("data-value")) for p in svg.iter(f"{SVG}circle")) == [57.9, 58.3]
    labels = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    assert "2022-09-30" in labels and "2022-09-30–" not in labels
    assert "one day" in chart.caption


def test_the_formatting_is_one_function_for_every_kind_of_figure() -> None:
    base = {"qualifier": "exact", "period_start": "2022-01-01", "period_end": "2022-12-31"}
    assert figure({**base, "measure": YOY_CHANGE, "value": "-12", "value_as_stated": "12", "unit_as_stated": "%",
                   "unit": "percent", "qualifier": "more_than", "direction_as_stated": "下降"}).stated == "<−12%"
    ratio = figure({**base, "measure": SHARE, "value": "11.2", "value_as_stated": "11.2", "unit_as_stated": ":",
                    "unit": "percent", "share_of": "gross_regional_product"})
    assert ratio.stated == "11.2%" and ratio.en == "11.2% of gross_regional_product"
    change = figure({**base, "measure": "change", "value": "-1.2", "value_as_stated": "1.2", "unit_as_stated": "万人",
                     "unit": "count", "direction_as_stated": "减少", "compared_with_period_start": "2021-01-01",
                     "compared_with_period_end": "2021-12-31"})
    assert change.stated == "−1.2万人" and change.en == "−1.2万人 vs 2021" and change.zh == "较2021年减少1.2万人"
    level = figure({**base, "measure": "level", "value": "26460000000", "value_as_stated": "264.6",
                    "unit_as_stated": "亿元", "unit": "CNY"})
    assert level.stated == "264.6亿元" and level.when == "2022" and not level.negative


# ------------------------------------------------------------------ exports


def test_sqlite_holds_the_negative_value_and_every_measure(published) -> None:
    _, dist = published
    connection = sqlite3.connect(dist / "jiutai-data.sqlite")
    try:
        value, direction = connection.execute(
            "SELECT value, direction_as_stated FROM indicators WHERE id = ?", (FALL,)).fetchone()
        assert value == -12.4 and direction == "下降"
        assert connection.execute("SELECT direction_as_stated FROM indicators WHERE id = ?", (MINUS_FALL,)).fetchone() == ("-",)
        stored = {measure for (measure,) in connection.execute("SELECT DISTINCT measure FROM indicators")}
        assert {YOY_CHANGE, POINT_CHANGE, SHARE, "level"} <= stored
        create = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'indicators'").fetchone()[0]
        assert all(f"'{measure}'" in create for measure in MEASURES)  # the enum's CHECK allows every measure
        assert connection.execute("SELECT share_of, compared_with_region_id FROM indicators WHERE id = ?",
                                  (SHARE_ROW,)).fetchone() == ("gross_regional_product", None)
    finally:
        connection.close()


def test_the_workbook_keeps_a_fall_a_number_and_a_lone_minus_text(published) -> None:
    _, dist = published
    sheet = openpyxl.load_workbook(dist / "jiutai-data.xlsx")["indicators"]
    header = [cell.value for cell in sheet[1]]
    rows = {row[header.index("id")].value: row for row in sheet.iter_rows(min_row=2)}
    value = rows[FALL][header.index("value")]
    assert value.data_type == "n" and value.value == -12.4
    minus = rows[MINUS_FALL][header.index("direction_as_stated")]
    assert minus.data_type == "s" and minus.value == "-"  # text, not a formula
    assert rows[FALL][header.index("direction_as_stated")].value == "下降"


def test_stata_labels_every_measure(published) -> None:
    import pandas as pd

    _, dist = published
    with pd.io.stata.StataReader(dist / "indicators.dta") as reader:
        labels = reader.value_labels()["measure"]
        frame = reader.read(convert_categoricals=True)
    assert [labels[code] for code in sorted(labels)] == list(MEASURES)
    fall = frame.set_index("id").loc[FALL]
    assert fall["measure"] == YOY_CHANGE and fall["value"] == pytest.approx(-12.4)
    assert frame.set_index("id").loc[MINUS_FALL]["direction_as_stated"] == "-"


def test_the_csv_downloads_and_recipes_carry_the_new_columns_and_measures(published) -> None:
    root, dist = published
    download = pl.read_csv(dist / "indicators-excel.csv", infer_schema=False)
    for column in ("direction_as_stated", "share_of", "compared_with_region_id",
                   "compared_with_period_start", "compared_with_period_end"):
        assert column in download.columns
    fall = download.filter(pl.col("id") == FALL).row(0, named=True)
    assert fall["value"] == "-12.4" and fall["direction_as_stated"] == "下降"
    table = next(table for table in open_package(root).tables if table.name == "indicators")
    for recipe in recipes(table):
        if recipe.tool in ("pandas", "polars", "readr"):  # the enum as categories, from the schema
            assert all(f'"{measure}"' in recipe.code for measure in MEASURES), recipe.tool
        assert "direction_as_stated" in recipe.code and "compared_with_period_end" in recipe.code
