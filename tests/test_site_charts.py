"""site/charts.py: build-time SVG charts of the committed data, and of small frames that break it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from jiutai_data.publish.site.charts import Chart, all_charts, headline_chart, series_charts, text_width, topic_chart
from jiutai_data.read.catalogue import with_catalogue

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
COLUMNS = ["id", "source_id", "region_id", "indicator", "name_zh", "name_en", "topic", "measure", "period_start",
           "period_end", "value", "unit", "value_as_stated", "unit_as_stated", "qualifier", "status", "quote", "note"]


def committed_headline(year: int = 2022) -> set[str]:
    """The indicators with a level and its change for the calendar ``year`` (same source, region and
    period), worked out from the committed CSV rows in plain Python, apart from the chart code."""
    import csv

    with (REPO / "data" / "indicators.csv").open(encoding="utf-8", newline="") as stream:
        rows = [r for r in csv.DictReader(stream)
                if (r["period_start"], r["period_end"]) == (f"{year}-01-01", f"{year}-12-31")]
    def key(r: dict) -> tuple:
        return r["indicator"], r["source_id"], r["region_id"]
    changes = {key(r) for r in rows if r["measure"] == "yoy_change"}
    return {r["indicator"] for r in rows if r["measure"] == "level" and key(r) in changes}


HEADLINE = committed_headline()


@pytest.fixture(scope="module")
def indicators() -> pl.DataFrame:
    """The committed indicators as the site sees them: with the catalogue's names and topic."""
    return with_catalogue(pl.read_csv(REPO / "data" / "indicators.csv", infer_schema=False),
                          pl.read_csv(REPO / "data" / "catalogue.csv", infer_schema=False))


@pytest.fixture(scope="module")
def topics() -> pl.DataFrame:
    return pl.read_csv(REPO / "data" / "topics.csv", infer_schema=False)


def row(indicator: str = "gdp", measure: str = "level", value: str = "100", **cells: str | None) -> dict:
    """One indicators row for calendar 2022, with every cell a string as ``infer_schema=False`` reads them."""
    yoy = measure == "yoy_change"
    base = {"id": f"{indicator}-{measure}-{cells.get('period_end', '2022-12-31')}-{cells.get('source_id', 's1')}",
            "source_id": "s1", "region_id": "r1", "indicator": indicator, "name_zh": f"{indicator}中文",
            "name_en": f"{indicator} in English", "topic": "economy", "measure": measure,
            "period_start": "2022-01-01", "period_end": "2022-12-31", "value": value,
            "unit": "percent" if yoy else "CNY", "value_as_stated": value.lstrip("-"),
            "unit_as_stated": "%" if yoy else "元", "qualifier": "exact", "status": "actual", "quote": "q", "note": None}
    return base | cells


def frame(*rows: dict) -> pl.DataFrame:
    return pl.DataFrame({c: [r[c] for r in rows] for c in COLUMNS}, schema={c: pl.String for c in COLUMNS})


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def texts(chart: Chart) -> list[str]:
    return ["".join(t.itertext()) for t in parse(chart).iter(f"{SVG}text")]


def bars(chart: Chart) -> list[ET.Element]:
    return [r for r in parse(chart).iter(f"{SVG}rect") if "data-value" in r.attrib]


def points(chart: Chart) -> list[ET.Element]:
    return list(parse(chart).iter(f"{SVG}circle"))


# --- headline ----------------------------------------------------------------

def test_headline_of_committed_data_has_exactly_the_levels_with_a_yoy_change_for_the_year(indicators: pl.DataFrame) -> None:
    chart = headline_chart(indicators)
    assert chart is not None and chart.id == "headline-2022"
    assert HEADLINE and {b.get("data-indicator") for b in bars(chart)} == HEADLINE
    assert len(bars(chart)) == len(HEADLINE)


def test_headline_bars_are_sorted_by_value_and_their_widths_are_proportional(indicators: pl.DataFrame) -> None:
    chart = headline_chart(indicators)
    assert chart is not None
    values = [float(b.get("data-value")) for b in bars(chart)]
    widths = [float(b.get("width")) for b in bars(chart)]
    assert values == sorted(values, reverse=True)
    assert bars(chart)[0].get("data-indicator") == "gross_regional_product"
    for value, width in zip(values, widths):
        assert width / widths[0] == pytest.approx(value / values[0], rel=1e-3)


def test_headline_labels_show_stated_level_signed_change_and_both_names(indicators: pl.DataFrame) -> None:
    chart = headline_chart(indicators)
    assert chart is not None
    gdp = indicators.filter(pl.col("indicator") == "gross_regional_product", pl.col("measure") == "level").row(0, named=True)
    labels = texts(chart)
    assert "264.6亿元 · estimate 预计" in labels
    assert "+1% y/y 同比" in labels
    assert gdp["name_zh"] in labels and gdp["name_en"] in labels
    assert (gdp["name_zh"], gdp["name_en"]) == ("地区生产总值", "Gross regional product")


def test_a_level_without_a_matching_yoy_row_is_not_a_headline() -> None:
    chart = headline_chart(frame(
        row("a", value="300"), row("a", "yoy_change", "5"),
        row("b", value="200"),                                     # no change at all
        row("c", value="100"), row("c", "yoy_change", "5", source_id="s2"),  # change from another source
        row("d", value="50"), row("d", "yoy_change", "5", region_id="r2"),   # change for another region
    ))
    assert chart is not None
    assert [b.get("data-indicator") for b in bars(chart)] == ["a"]


def test_a_level_for_a_period_other_than_the_calendar_year_is_not_a_headline() -> None:
    q3 = {"period_end": "2022-09-30"}
    chart = headline_chart(frame(row("a", **q3), row("a", "yoy_change", "5", **q3),
                                 row("b"), row("b", "yoy_change", "5")))
    assert chart is not None
    assert [b.get("data-indicator") for b in bars(chart)] == ["b"]
    assert headline_chart(frame(row("b"), row("b", "yoy_change", "5")), year=2021) is None


def test_no_headline_rows_gives_none() -> None:
    assert headline_chart(frame(row("a"), row("b", "yoy_change", "3"))) is None
    assert headline_chart(frame(row("a")).clear()) is None


def test_estimates_are_marked_on_the_bar_and_in_the_caption() -> None:
    chart = headline_chart(frame(row("a", status="estimate"), row("a", "yoy_change", "2", status="estimate"),
                                 row("b", value="50"), row("b", "yoy_change", "2")))
    assert chart is not None
    labels = texts(chart)
    assert "100元 · estimate 预计" in labels and "50元" in labels
    assert "1 of 2 are estimates" in chart.caption


def test_a_negative_yoy_change_is_shown_with_a_minus_sign() -> None:
    chart = headline_chart(frame(row("a"), row("a", "yoy_change", "-3.5")))
    assert chart is not None
    assert "−3.5% y/y 同比" in texts(chart)
    assert not any("+3.5" in t for t in texts(chart))


def test_several_units_get_one_group_each_with_its_own_scale() -> None:
    chart = headline_chart(frame(
        row("money", value="1000000"), row("money", "yoy_change", "1"),
        row("cash", value="500000"), row("cash", "yoy_change", "1"),
        row("firms", value="30", unit="count", unit_as_stated="家"), row("firms", "yoy_change", "1"),
    ))
    assert chart is not None
    assert [t for t in texts(chart) if t.startswith("Unit 单位")] == ["Unit 单位: yuan (CNY) 元",
                                                                     "Unit 单位: count 个数"]
    width = {b.get("data-indicator"): float(b.get("width")) for b in bars(chart)}
    assert width["firms"] == pytest.approx(width["money"], rel=0.05)  # each group's largest bar is full length
    assert width["cash"] == pytest.approx(width["money"] / 2, rel=1e-3)


# --- topics ------------------------------------------------------------------

def test_topic_counts_equal_a_group_by_count_and_are_sorted(indicators: pl.DataFrame, topics: pl.DataFrame) -> None:
    chart = topic_chart(indicators, topics)
    expected = (indicators.group_by("topic").len().join(topics, left_on="topic", right_on="id")
                .sort(["len", "topic"], descending=[True, False]))
    drawn = [(b.find(f"{SVG}title").text, int(b.get("data-value"))) for b in bars(chart)]
    assert drawn == [(f"{r['name_zh']} / {r['name_en']}: {r['len']}", r["len"]) for r in expected.iter_rows(named=True)]
    assert sum(n for _, n in drawn) == indicators.height
    assert f"{expected['name_zh'][0]} / {expected['name_en'][0]}" in texts(chart)


def test_topics_without_indicators_are_left_out(topics: pl.DataFrame) -> None:
    chart = topic_chart(frame(row("a", topic="transport"), row("b", topic="economy"), row("c", topic="economy")), topics)
    assert [int(b.get("data-value")) for b in bars(chart)] == [2, 1]
    assert [b.find(f"{SVG}title").text for b in bars(chart)] == ["经济运行 / Economy: 2", "交通 / Transport: 1"]


# --- series ------------------------------------------------------------------

def test_committed_data_gives_one_series_with_two_points_in_date_order(indicators: pl.DataFrame) -> None:
    charts = series_charts(indicators)
    assert [c.id for c in charts] == ["series-fixed-asset-investment-yoy-change"]
    drawn = [(p.get("data-period"), float(p.get("data-value"))) for p in points(charts[0])]
    assert drawn == [("2022-01-01/2022-09-30", 14.2), ("2022-01-01/2022-12-31", 6.0)]
    xs = [float(p.get("cx")) for p in points(charts[0])]
    assert xs == sorted(xs)
    assert "2022-01-01–2022-09-30" in charts[0].caption and "differ in length" in charts[0].caption
    assert "cumulative from 1 January" in charts[0].caption
    assert {"+14.2%", "+6% (estimate 预计)", "2022-01-01–", "2022-09-30"} <= set(texts(charts[0]))


def test_an_indicator_stated_for_a_single_period_gives_no_series() -> None:
    assert series_charts(frame(row("a"), row("a", "yoy_change", "2"), row("b"), row("b", source_id="s2"))) == []


def test_two_sources_disagreeing_on_one_period_keep_both_points() -> None:
    charts = series_charts(frame(row("a", value="10", period_end="2022-06-30"),
                                 row("a", value="30", source_id="s1"), row("a", value="20", source_id="s2")))
    assert len(charts) == 1
    drawn = sorted((p.get("data-period"), float(p.get("data-value"))) for p in points(charts[0]))
    assert drawn == [("2022-01-01/2022-06-30", 10.0), ("2022-01-01/2022-12-31", 20.0), ("2022-01-01/2022-12-31", 30.0)]
    assert "every source's point is drawn" in charts[0].caption
    assert {"source 来源: s1", "source 来源: s2"} <= set(texts(charts[0]))


def test_series_of_the_same_indicator_in_two_regions_get_distinct_ids() -> None:
    rows = [row("a", region_id=r, period_end=e, id=f"{r}-{e}") for r in ("r1", "r2") for e in ("2022-06-30", "2022-12-31")]
    assert [c.id for c in series_charts(frame(*rows))] == ["series-a-level-r1-cny", "series-a-level-r2-cny"]


# --- every chart -------------------------------------------------------------

def test_names_with_markup_characters_are_escaped_and_the_svg_still_parses(topics: pl.DataFrame) -> None:
    nasty = 'A <b> & "quoted" \'name\''
    data = frame(row("a", name_zh="<甲&乙>", name_en=nasty, period_end="2022-06-30", id="a-1"),
                 row("a", name_zh="<甲&乙>", name_en=nasty), row("a", "yoy_change", "4", name_en=nasty))
    charts = all_charts(data, topics)
    assert [c.id for c in charts] == ["headline-2022", "by-topic", "series-a-level"]
    for chart in charts:
        parse(chart)
    assert "<甲&乙>" in texts(charts[0]) and nasty in texts(charts[0])
    assert charts[2].title_en == nasty and "<b>" not in charts[2].svg


def test_output_is_deterministic_whatever_the_row_order(indicators: pl.DataFrame, topics: pl.DataFrame) -> None:
    first = all_charts(indicators, topics)
    assert all_charts(indicators, topics) == first
    assert all_charts(indicators.sample(fraction=1.0, shuffle=True, seed=7), topics) == first


def test_every_chart_is_an_accessible_scalable_svg(indicators: pl.DataFrame, topics: pl.DataFrame) -> None:
    charts = all_charts(indicators, topics)
    assert [c.id for c in charts] == ["headline-2022", "by-topic", "series-fixed-asset-investment-yoy-change"]
    for chart in charts:
        root = parse(chart)
        assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc" and root.get("role") == "img"
        assert "width" not in root.attrib and "height" not in root.attrib
        assert 720 <= float(root.get("viewBox").split()[2]) <= 800
        assert "Noto Sans CJK SC" in root.get("font-family")
        title, desc = root[0], root[1]
        assert (title.tag, title.get("id"), title.text) == (f"{SVG}title", f"{chart.id}-title",
                                                           f"{chart.title_zh} / {chart.title_en}")
        assert (desc.tag, desc.get("id"), desc.text) == (f"{SVG}desc", f"{chart.id}-desc", chart.caption)
        assert re.search(r"[\u4e00-\u9fff]", chart.title_zh) and re.search(r"[A-Za-z]", chart.title_en)
        assert all(float(t.get("font-size")) >= 12 for t in root.iter(f"{SVG}text"))
        assert not re.search(r"\d\.\d{3}", " ".join(f"{k}={v}" for e in root.iter() for k, v in e.attrib.items()))
        for mark in bars(chart) + points(chart):
            assert mark.find(f"{SVG}title") is not None


def test_left_aligned_texts_fit_inside_the_view_box(indicators: pl.DataFrame, topics: pl.DataFrame) -> None:
    """By the same width estimate the layout uses: nothing runs off the right edge or into the bars."""
    for chart in all_charts(indicators, topics):
        root = parse(chart)
        width = float(root.get("viewBox").split()[2])
        bar_start = min((float(b.get("x")) for b in bars(chart)), default=width)
        for t in root.iter(f"{SVG}text"):
            content, x = "".join(t.itertext()), float(t.get("x"))
            if t.get("text-anchor") is None:
                assert x + text_width(content, float(t.get("font-size"))) <= width, content
                if x < bar_start:  # a label in the left column
                    assert x + text_width(content, float(t.get("font-size"))) <= bar_start, content


def test_the_headline_chart_draws_only_the_largest_bars_of_each_unit_and_says_so() -> None:
    from jiutai_data.publish.site.charts import HEADLINE_LIMIT

    many = [row(f"i{n:02d}", value=str(100 + n)) for n in range(HEADLINE_LIMIT + 5)]
    changes = [row(f"i{n:02d}", "yoy_change", "1") for n in range(HEADLINE_LIMIT + 5)]
    chart = headline_chart(frame(*many, *changes))
    drawn = [float(bar.get("data-value")) for bar in bars(chart)]
    assert drawn == sorted((100.0 + n for n in range(HEADLINE_LIMIT + 5)), reverse=True)[:HEADLINE_LIMIT]
    assert f"the {HEADLINE_LIMIT} largest (at most {HEADLINE_LIMIT} per unit) of the {HEADLINE_LIMIT + 5}" in chart.caption


def test_only_the_series_with_the_most_periods_are_drawn_and_the_total_is_counted() -> None:
    from jiutai_data.publish.site.charts import SERIES_LIMIT, series_total

    rows = []
    for n in range(SERIES_LIMIT + 3):
        ends = ["2020-12-31", "2021-12-31"] + (["2022-12-31"] if n == SERIES_LIMIT + 2 else [])
        rows += [row(f"s{n:02d}", value=str(n + 1), period_start=end[:4] + "-01-01", period_end=end) for end in ends]
    indicators = frame(*rows)
    charts = series_charts(indicators)
    assert series_total(indicators) == SERIES_LIMIT + 3
    assert len(charts) == SERIES_LIMIT
    assert any(f"s{SERIES_LIMIT + 2}" in chart.id for chart in charts)  # the one with three periods is kept


def test_every_headline_bar_and_series_point_links_to_its_row(indicators, topics) -> None:
    charts = all_charts(indicators, topics)
    ids = set(indicators["id"].to_list())
    for chart in charts:
        for link in parse(chart).iter(f"{SVG}a"):
            href = link.get("href")
            if chart.id == "by-topic":
                continue
            assert href.startswith("tables/indicators.html#row=") and href.split("#row=")[1] in ids
            assert len(list(link)) == 1 and list(link)[0].get("data-value") is not None
    linked = sum(1 for chart in charts if chart.id != "by-topic" for _ in parse(chart).iter(f"{SVG}a"))
    assert linked == len(bars(charts[0])) + sum(len(points(chart)) for chart in charts if chart.id.startswith("series-"))


def test_every_topic_bar_links_to_the_indicators_filtered_to_its_topic(indicators, topics) -> None:
    chart = topic_chart(indicators, topics)
    links = {link.get("href"): list(link)[0].get("data-topic") for link in parse(chart).iter(f"{SVG}a")}
    assert links == {f"tables/indicators.html#topic={topic}": topic for topic in set(indicators["topic"].to_list())}
