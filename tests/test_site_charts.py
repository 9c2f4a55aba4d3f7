"""site/charts.py: build-time SVG charts of the committed data, and of small frames that break it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import polars as pl
import pytest

from conftest import PACKAGE
from jiutai_data.publish.site.chart_parts import NARROW, period_kind
from jiutai_data.publish.site.charts import (
    SERIES_LIMIT, Chart, all_charts, growth_charts, headline_chart, series_charts, text_width,
)
from jiutai_data.read.catalogue import with_catalogue

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

SVG = "{http://www.w3.org/2000/svg}"
COLUMNS = ["id", "source_id", "region_id", "indicator", "name_zh", "name_en", "topic", "measure", "period_start",
           "period_end", "value", "unit", "value_as_stated", "unit_as_stated", "qualifier", "status", "quote", "note"]


@pytest.fixture(scope="module")
def indicators() -> pl.DataFrame:
    """The indicators of the package under test as the site sees them: with the catalogue's names and topic."""
    return with_catalogue(pl.read_csv(PACKAGE / "data" / "indicators.csv", infer_schema=False),
                          pl.read_csv(PACKAGE / "data" / "catalogue.csv", infer_schema=False))


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


points_of = points


# --- headline ----------------------------------------------------------------

def expected_headline(indicators: pl.DataFrame) -> dict[str, dict]:
    """The rows the headline should draw, found in plain Python: levels of a calendar year with a
    year-on-year change of the same source, region and period, in the latest such year of each
    indicator and region (every source that states that year); row id -> row."""
    rows = [r for r in indicators.iter_rows(named=True)
            if r["period_start"] and r["period_end"] and r["period_start"][5:] == "01-01"
            and r["period_end"][5:] == "12-31" and r["period_start"][:4] == r["period_end"][:4]]

    def key(r):
        return r["indicator"], r["source_id"], r["region_id"], r["period_start"]

    changes = {key(r) for r in rows if r["measure"] == "yoy_change"}
    pairs = [r for r in rows if r["measure"] == "level" and key(r) in changes]
    latest: dict[tuple, str] = {}
    for r in pairs:
        latest[(r["indicator"], r["region_id"])] = max(latest.get((r["indicator"], r["region_id"]), ""),
                                                       r["period_start"][:4])
    return {r["id"]: r for r in pairs if r["period_start"][:4] == latest[(r["indicator"], r["region_id"])]}


def bar_rows(chart: Chart) -> list[str]:
    """The row id each bar links to, in drawing order."""
    return [link.get("href").split("#row=")[1] for link in parse(chart).iter(f"{SVG}a")]


def test_headline_of_the_data_draws_the_latest_year_of_each_indicator_from_every_source(indicators) -> None:
    expected = expected_headline(indicators)
    chart = headline_chart(indicators)
    assert chart is not None and chart.id == "headline"
    assert sorted(bar_rows(chart)) == sorted(expected)  # (fewer than HEADLINE_LIMIT per unit here)
    assert {b.get("data-indicator") for b in bars(chart)} == {r["indicator"] for r in expected.values()}
    years = sorted({r["period_start"][:4] for r in expected.values()})
    assert years[-1] in chart.title_en and years[0] in chart.caption


def test_headline_bars_are_sorted_by_value_within_each_unit_and_their_widths_are_proportional(indicators) -> None:
    chart = headline_chart(indicators)
    assert chart is not None
    rows = expected_headline(indicators)
    drawn = [(rows[row_id]["unit"], float(bar.get("data-value")), float(bar.get("width")))
             for row_id, bar in zip(bar_rows(chart), bars(chart))]
    units = list(dict.fromkeys(unit for unit, _, _ in drawn))
    assert [unit for unit, _, _ in drawn] == sorted((u for u, _, _ in drawn), key=units.index)  # one group per unit
    for unit in units:
        group = [(value, width) for u, value, width in drawn if u == unit]
        assert [value for value, _ in group] == sorted((value for value, _ in group), reverse=True)
        for value, width in group:
            assert width / group[0][1] == pytest.approx(value / group[0][0], rel=1e-3)


def test_headline_labels_show_stated_level_signed_change_year_and_both_names(indicators) -> None:
    chart = headline_chart(indicators)
    assert chart is not None
    rows = expected_headline(indicators)
    labels = texts(chart)
    marks = {"estimate": " · estimate 预计", "target": " · target 目标"}
    signs = {"more_than": ">", "at_least": "≥", "approximately": "≈"}
    for row_id in bar_rows(chart):
        row = rows[row_id]
        level = f"{signs.get(row['qualifier'], '')}{row['value_as_stated']}{row['unit_as_stated']}"
        assert any(label.startswith(level) for label in labels), level
        assert row["name_zh"] in "".join(labels) and row["period_start"][:4] in "".join(labels)
    assert any(re.fullmatch(r"[+−]?[^ ]+% y/y 同比", label) for label in labels)


def test_a_headline_without_a_year_takes_each_indicators_latest_year_and_every_source() -> None:
    chart = headline_chart(frame(
        row("a", value="300"), row("a", "yoy_change", "5"),
        row("a", value="330", period_start="2023-01-01", period_end="2023-12-31", source_id="s2"),
        row("a", "yoy_change", "10", period_start="2023-01-01", period_end="2023-12-31", source_id="s2"),
        row("a", value="331", period_start="2023-01-01", period_end="2023-12-31", source_id="s3"),
        row("a", "yoy_change", "10.3", period_start="2023-01-01", period_end="2023-12-31", source_id="s3"),
        row("b", value="50"), row("b", "yoy_change", "2"),
        row("b", value="60", period_start="2023-01-01", period_end="2023-12-31"),  # 2023 without a change
    ))
    assert chart is not None
    drawn = sorted((b.get("data-indicator"), float(b.get("data-value"))) for b in bars(chart))
    assert drawn == [("a", 330.0), ("a", 331.0), ("b", 50.0)]
    assert "2022–2023" in chart.title_en and "2023 · s2" in texts(chart) and "2022 · s1" in texts(chart)
    assert headline_chart(frame(row("a"), row("a", "yoy_change", "2")), year=2022).id == "headline-2022"


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


# --- growth ------------------------------------------------------------------

def test_growth_charts_hold_one_period_each_fastest_first_and_a_fall_left_of_zero() -> None:
    q3 = {"period_end": "2022-09-30"}
    charts = growth_charts(frame(
        row("a", "yoy_change", "5"), row("b", "yoy_change", "-3.5", direction_as_stated="下降"),
        row("c", "yoy_change", "12"),
        row("a", "yoy_change", "7", **q3), row("c", "yoy_change", "9", **q3),
        row("d", "yoy_change", "4", period_end="2022-06-30"),  # alone in its period: no chart
    ))
    assert [chart.id for chart in charts] == ["growth-2022-01-01-2022-12-31", "growth-2022-01-01-2022-09-30"]
    year, nine_months = charts
    assert [(b.get("data-indicator"), float(b.get("data-value"))) for b in bars(year)] == [
        ("c", 12.0), ("a", 5.0), ("b", -3.5)]
    assert {b.get("data-indicator") for b in bars(nine_months)} == {"a", "c"}  # never beside the full year
    fall = next(b for b in bars(year) if b.get("data-indicator") == "b")
    zero = min(float(b.get("x")) for b in bars(year) if float(b.get("data-value")) > 0)
    assert float(fall.get("x")) + float(fall.get("width")) == pytest.approx(zero)
    assert "−3.5%" in texts(year) and "1 fell" in year.caption


def test_growth_leaves_out_changes_against_another_place_or_period() -> None:
    compared = frame(row("a", "yoy_change", "5"), row("b", "yoy_change", "6"), row("c", "yoy_change", "2"))
    compared = compared.with_columns(compared_with_region_id=pl.Series([None, None, "jilin"]))
    (chart,) = growth_charts(compared)
    assert {b.get("data-indicator") for b in bars(chart)} == {"a", "b"}


# --- series ------------------------------------------------------------------

def expected_series(indicators: pl.DataFrame) -> dict[tuple, set[tuple[str, float]]]:
    """(indicator, measure, unit, region, kind of period) -> its (period, value) points, for every
    series with two or more periods, found in plain Python."""
    series: dict[tuple, set[tuple[str, float]]] = {}
    for r in indicators.iter_rows(named=True):
        if r["period_start"] and r["period_end"] and r["value"]:
            kind = period_kind(r["period_start"], r["period_end"])
            series.setdefault((r["indicator"], r["measure"], r["unit"], r["region_id"], kind), set()).add(
                (f"{r['period_start']}/{r['period_end']}", float(r["value"])))
    return {key: points for key, points in series.items() if len({p for p, _ in points}) >= 2}


def test_the_data_gives_one_series_per_indicator_stated_for_several_periods_in_date_order(indicators) -> None:
    expected = expected_series(indicators)
    charts = series_charts(indicators)
    assert len(charts) == min(len(expected), SERIES_LIMIT)
    drawn = []
    for chart in charts:
        points = [(p.get("data-period"), float(p.get("data-value"))) for p in points_of(chart)]
        drawn.append(set(points))
        xs = [float(p.get("cx")) for p in points_of(chart)]
        ends = [period.split("/")[1] for period, _ in points]
        assert [end for _, end in sorted(zip(xs, ends))] == sorted(ends)  # date order from left to right
    assert sorted(map(sorted, drawn)) == sorted(map(sorted, expected.values()))


def test_a_full_year_and_january_to_september_are_never_drawn_side_by_side() -> None:
    """The GRP chart of the issue: 2022 beside Jan–Sep 2024 read as a fall; unlike periods make separate series."""
    mixed = frame(row("gdp", value="26460000000", value_as_stated="264.6", unit_as_stated="亿元", id="2022"),
                  row("gdp", value="20000000000", value_as_stated="200", unit_as_stated="亿元", id="2024-q3",
                      period_start="2024-01-01", period_end="2024-09-30"))
    assert series_charts(mixed) == []
    both = pl.concat([mixed, frame(row("gdp", value="28000000000", value_as_stated="280", unit_as_stated="亿元",
                                       id="2023", period_start="2023-01-01", period_end="2023-12-31"),
                                   row("gdp", value="19000000000", value_as_stated="190", unit_as_stated="亿元",
                                       id="2023-q3", period_start="2023-01-01", period_end="2023-09-30"))])
    charts = series_charts(both)
    assert len(charts) == 2
    for chart in charts:
        kinds = {period_kind(*p.get("data-period").split("/")) for p in points(chart)}
        assert len(kinds) == 1, (chart.id, kinds)  # one kind of period per chart
    assert sorted(c.id for c in charts) == ["series-gdp-level-12m", "series-gdp-level-9m"]
    nine = next(c for c in charts if c.id.endswith("9m"))
    assert "Jan–Sep" in nine.title_en and "1–9月" in nine.title_zh and "1 row(s) of other kinds" not in nine.caption
    assert "2 row(s) of other kinds of period are not drawn" in nine.caption


def test_the_axis_of_a_series_is_in_the_unit_the_source_states() -> None:
    (chart,) = series_charts(frame(
        row("gdp", value="26460000000", value_as_stated="264.6", unit_as_stated="亿元", id="a"),
        row("gdp", value="28000000000", value_as_stated="280", unit_as_stated="亿元", id="b",
            period_start="2023-01-01", period_end="2023-12-31")))
    labels = texts(chart)
    assert "Unit 单位: 亿元" in labels
    ticks = [float(t.replace(",", "")) for t in labels if re.fullmatch(r"[\d,.]+", t)]
    assert max(ticks) == pytest.approx(300) and 0 in ticks  # in 亿元, not in yuan
    assert sorted(float(p.get("data-value")) for p in points(chart)) == [26460000000.0, 28000000000.0]
    assert {"264.6亿元", "280亿元"} <= set(labels)


def test_periods_are_alike_when_they_are_of_one_kind() -> None:
    assert period_kind("2022-01-01", "2022-12-31") == period_kind("2023-01-01", "2023-12-31") == "12m"
    assert period_kind("2022-01-01", "2022-09-30") == "9m" != period_kind("2022-01-01", "2022-12-31")
    assert period_kind("2022-06-30", "2022-06-30") == period_kind("2022-09-30", "2022-09-30") == "day"
    assert period_kind("2022-01-01", "2022-12-12") == "346d" and period_kind("2022-13-01", "2022-12-12") == ""


def test_an_indicator_stated_for_a_single_period_gives_no_series() -> None:
    assert series_charts(frame(row("a"), row("a", "yoy_change", "2"), row("b"), row("b", source_id="s2"))) == []


def test_two_sources_disagreeing_on_one_period_keep_both_points() -> None:
    charts = series_charts(frame(row("a", value="10", period_start="2021-01-01", period_end="2021-12-31", id="a-2021"),
                                 row("a", value="30", source_id="s1"), row("a", value="20", source_id="s2")))
    assert len(charts) == 1
    drawn = sorted((p.get("data-period"), float(p.get("data-value"))) for p in points(charts[0]))
    assert drawn == [("2021-01-01/2021-12-31", 10.0), ("2022-01-01/2022-12-31", 20.0), ("2022-01-01/2022-12-31", 30.0)]
    assert "every source's point is drawn" in charts[0].caption
    assert {"source 来源: s1", "source 来源: s2"} <= set(texts(charts[0]))


def test_series_of_the_same_indicator_in_two_regions_get_distinct_ids() -> None:
    rows = [row("a", region_id=r, period_start=f"{y}-01-01", period_end=f"{y}-12-31", id=f"{r}-{y}")
            for r in ("r1", "r2") for y in ("2021", "2022")]
    assert [c.id for c in series_charts(frame(*rows))] == ["series-a-level-r1", "series-a-level-r2"]


# --- every chart -------------------------------------------------------------

def test_names_with_markup_characters_are_escaped_and_the_svg_still_parses() -> None:
    nasty = 'A <b> & "quoted" \'name\''
    data = frame(row("a", name_zh="<甲&乙>", name_en=nasty, period_start="2021-01-01", period_end="2021-12-31", id="a-1"),
                 row("a", name_zh="<甲&乙>", name_en=nasty), row("a", "yoy_change", "4", name_en=nasty),
                 row("b", "yoy_change", "2", name_en=nasty))
    charts = all_charts(data)
    assert [c.id for c in charts] == ["headline", "growth-2022-01-01-2022-12-31", "series-a-level"]
    for chart in charts:
        parse(chart)
        ET.fromstring(chart.narrow)
    assert "<甲&乙>" in texts(charts[0]) and nasty in texts(charts[0])
    assert charts[2].title_en == nasty and "<b>" not in charts[2].svg


def test_output_is_deterministic_whatever_the_row_order(indicators: pl.DataFrame) -> None:
    first = all_charts(indicators)
    assert all_charts(indicators) == first
    assert all_charts(indicators.sample(fraction=1.0, shuffle=True, seed=7)) == first


def test_every_chart_is_an_accessible_scalable_svg(indicators: pl.DataFrame) -> None:
    charts = all_charts(indicators)
    assert [c.id for c in charts] == ["headline", *(c.id for c in growth_charts(indicators)),
                                      *sorted(c.id for c in series_charts(indicators))]
    for chart in charts:
        root = parse(chart)
        narrow = ET.fromstring(chart.narrow)  # the phone's drawing: as accessible, ids of its own
        assert float(narrow.get("viewBox").split()[2]) == NARROW
        assert narrow.get("aria-labelledby") == f"{chart.id}-narrow-title {chart.id}-narrow-desc"
        assert all(float(t.get("font-size")) >= 12 for t in narrow.iter(f"{SVG}text"))
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


def test_left_aligned_texts_fit_inside_the_view_box(indicators: pl.DataFrame) -> None:
    """By the same width estimate the layout uses: nothing runs off the right edge or into the bars."""
    assert_left_aligned_texts_fit(all_charts(indicators))


def test_a_long_source_id_in_a_series_legend_fits_a_phone_on_a_line_of_its_own() -> None:
    long_ids = ["2022-12-12-changchun-daily-jiutai-district", "2023-02-01-jiutai-district-government-work-report"]
    charts = series_charts(frame(row("a", value="10", period_start="2021-01-01", period_end="2021-12-31",
                                     source_id=long_ids[0], id="a-2021"),
                                 row("a", value="30", source_id=long_ids[1], id="a-2022")))
    assert len(charts) == 1
    assert_left_aligned_texts_fit(charts)
    desktop = {"".join(t.itertext()) for t in ET.fromstring(charts[0].svg).iter(f"{SVG}text")}
    phone = {"".join(t.itertext()) for t in ET.fromstring(charts[0].narrow).iter(f"{SVG}text")}
    assert {f"source 来源: {s}" for s in long_ids} <= desktop
    assert {"source 来源:", long_ids[0]} <= phone  # whole, on its own line
    assert any(t.startswith(long_ids[1][:20]) for t in phone)  # the longer one cut with an ellipsis if need be


def assert_left_aligned_texts_fit(charts) -> None:
    for root in (ET.fromstring(svg) for chart in charts for svg in (chart.svg, chart.narrow)):
        width = float(root.get("viewBox").split()[2])
        bar_start = min((float(r.get("x")) for r in root.iter(f"{SVG}rect") if "data-value" in r.attrib), default=width)
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


def test_every_bar_and_series_point_links_to_its_row(indicators) -> None:
    charts = all_charts(indicators)
    ids = set(indicators["id"].to_list())
    for chart in charts:
        for link in parse(chart).iter(f"{SVG}a"):
            href = link.get("href")
            assert href.startswith("tables/indicators.html#row=") and href.split("#row=")[1] in ids
            assert len(list(link)) == 1 and list(link)[0].get("data-value") is not None
    linked = sum(1 for chart in charts for _ in parse(chart).iter(f"{SVG}a"))
    assert linked == sum(len(bars(chart)) + len(points(chart)) for chart in charts)


@pytest.mark.parametrize(("start", "end", "english", "chinese"), [
    ("2022-01-01", "2022-12-31", "2022", "2022年"),
    ("2022-01-01", "2022-09-30", "Jan–Sep 2022", "2022年1–9月"),
    ("2022-06-30", "2022-06-30", "30 Jun 2022", "2022年6月30日"),
    ("2022-01-01", "2022-12-12", "1 Jan–12 Dec 2022", "2022年1月1日–12月12日"),
    ("2021-07-01", "2022-06-30", "1 Jul 2021–30 Jun 2022", "2021年7月1日–2022年6月30日"),
])
def test_a_period_reads_as_a_reader_writes_it(start: str, end: str, english: str, chinese: str) -> None:
    from jiutai_data.publish.site.figures import period_text

    assert period_text(start, end) == english
    assert period_text(start, end, "zh") == chinese
