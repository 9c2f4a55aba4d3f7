"""Charts of the data browser: inline SVG strings written at build time.

Why hand-written SVG: the site is static and must work offline, so no chart library, no
JavaScript and no CDN font. An SVG string scales with the page (the root sets only a viewBox;
the page CSS gives it width:100%), prints well, and is byte-for-byte reproducible. Each chart is
drawn for a page and for a phone (chart_parts.NARROW), so its text stays legible on both.

Every label is bilingual, Chinese then English, and every number is shown as the source stated
it (264.6亿元, with >, ≥ or ≈ for its qualifier) and for what it is, by figures.py: a fall with its
minus (−12.4%), points as points, a share with its whole, a change with what it is compared with.
Bar lengths and point heights use the numeric ``value``, signed, so a fall is drawn below (or left
of) zero. Each bar and point carries ``data-value`` (that number) and a ``<title>`` tooltip, and
links to its row. Charts never put unlike figures side by side: one measure, unit and kind of
period per chart (series.py), one period per growth chart.

Pure functions over the indicators table as read with ``infer_schema=False``
(every column a string, an empty cell null): no file I/O, no state.
"""

from __future__ import annotations

from html import escape

import polars as pl

from jiutai_data.model.figures import LEVEL, YOY_CHANGE
from jiutai_data.publish.site.chart_parts import (
    STATUS_MARK, UNIT_NAMES, Bar, Chart, bar_rows, slug, with_narrow, with_values,
)
from jiutai_data.publish.site.figures import COMPARED_END, COMPARED_REGION, COMPARED_START, NO_NAMES, Names, figure, period_text
from jiutai_data.publish.site.series import SERIES_LIMIT, series_charts, series_total
from jiutai_data.publish.site.svg import MARGIN, WIDTH, fit, svg_document, text_width, wrap

__all__ = ["SERIES_LIMIT", "Chart", "all_charts", "growth_charts", "headline_chart", "headline_rows",
           "series_charts", "series_total", "text_width"]

HEADLINE_LIMIT = 12  # bars per unit in the headline chart
GROWTH_LIMIT = 3  # growth charts on the page: the latest periods


def _label(zh: str, en: str, extra: str, width: int, cap: float) -> list[tuple[str, float, bool]]:
    room = cap if width >= 600 else width - 2 * MARGIN
    lines = [(line, 14, True) for line in wrap(zh, 14, room)] + [(line, 12, False) for line in wrap(en, 12, room)]
    return lines + [(fit(line, 12, room), 12, False) for line in wrap(extra, 12, room)] if extra else lines


# --- headline indicators -----------------------------------------------------

def headline_rows(indicators: pl.DataFrame, year: int | None = None, names: Names = NO_NAMES) -> pl.DataFrame:
    """Levels for a calendar year that have a year-on-year change for the same indicator,
    source, region and period; columns ``yoy_*`` describe that change (``yoy_figure`` as figures.py writes it) and ``_year`` is the year.

    With ``year``, that year only; without, the latest year of each indicator and region
    that has such a pair, from every source that states it (so a new source's year shows
    as soon as it arrives, and two sources stating one year both show)."""
    keys = ["indicator", "source_id", "region_id", "period_start", "period_end"]
    start, end = pl.col("period_start"), pl.col("period_end")
    calendar = (with_values(indicators)
                .filter(start.str.ends_with("-01-01"), end.str.ends_with("-12-31"),
                        start.str.slice(0, 4) == end.str.slice(0, 4))
                .with_columns(_year=start.str.slice(0, 4).cast(pl.Int32, strict=False))
                .filter(pl.col("_year").is_not_null()))
    if year is not None:
        calendar = calendar.filter(pl.col("_year") == year)
    # against the same period a year earlier: a change against another place or period is no headline
    compared = [pl.col(c).is_not_null() for c in (COMPARED_REGION, COMPARED_END) if c in calendar.columns]
    if compared:
        calendar = calendar.filter(~(pl.any_horizontal(compared) & (pl.col("measure") == YOY_CHANGE)))
    changes = calendar.filter(pl.col("measure") == YOY_CHANGE).sort("id").unique(keys, keep="first", maintain_order=True)
    changes = (changes.with_columns(yoy_figure=pl.Series([figure(r, names).stated for r in changes.iter_rows(named=True)],
                                                         dtype=pl.String))
               .select(*keys, "yoy_figure", yoy_v="_v", yoy_stated="value_as_stated", yoy_unit="unit_as_stated",
                       yoy_qualifier="qualifier", yoy_status="status"))
    pairs = calendar.filter(pl.col("measure") == LEVEL).join(changes, on=keys, how="inner")
    if year is None:
        pairs = pairs.filter(pl.col("_year") == pl.col("_year").max().over("indicator", "region_id"))
    return pairs.sort(["unit", "_v", "id"], descending=[False, True, False])


def headline_chart(indicators: pl.DataFrame, year: int | None = None, names: Names = NO_NAMES) -> Chart | None:
    """The headline levels as horizontal bars, each with its change beside it: of ``year``,
    or (by default) of the latest year of each indicator.

    Bars are drawn per unit (one group and one scale each: yuan and counts do not
    share an axis), longest first. None when no level has its change for the year.
    """
    everything = headline_rows(indicators, year, names)
    if everything.is_empty():
        return None
    return with_narrow(_headline, everything, year, names)


def _headline(everything: pl.DataFrame, year: int | None, names: Names, width: int = WIDTH) -> Chart:
    # A page must stay light however many rows a package has: the largest bars of each unit only.
    rows = everything.group_by("unit", maintain_order=True).head(HEADLINE_LIMIT)
    chart_id = f"headline-{year}" if year is not None else "headline"
    years = sorted(set(rows["_year"].to_list()))
    several_sources = rows["source_id"].n_unique() > 1
    groups, kinds = [], []
    for unit in dict.fromkeys(rows["unit"]):
        bars = []
        for r in rows.filter(pl.col("unit") == unit).iter_rows(named=True):
            status = r["status"] if r["status"] in STATUS_MARK else r["yoy_status"]
            kinds.append(status)
            level, change = figure(r, names).stated, r["yoy_figure"] + " y/y 同比"
            # which year (and, among several, which source) each bar is
            extra = "" if year is not None else f"{r['_year']}" + (f" · {r['source_id']}" if several_sources else "")
            tip = f"{r['name_zh']} / {r['name_en']}: {level}, {change} ({r['status']}; {r['region_id']}, {r['source_id']})"
            bars.append(Bar(_label(r["name_zh"], r["name_en"], extra, width, 280.0), r["_v"], level,
                            STATUS_MARK.get(status, ""), change, r["id"], tip,
                            f' data-indicator="{escape(r["indicator"])}"'))
        groups.append((f"Unit 单位: {UNIT_NAMES.get(unit, unit)}", bars))
    body, height = bar_rows(groups, width)
    drawn = len(kinds)
    marked = "; ".join(f"{kinds.count(k)} of {drawn} are {k}s, marked “{STATUS_MARK[k]}”"
                       for k in sorted(set(kinds) & set(STATUS_MARK)))
    shown = (f"the {drawn} largest (at most {HEADLINE_LIMIT} per unit) of the {everything.height}"
             if everything.height > drawn else f"the {drawn}")
    span = "–".join(str(y) for y in dict.fromkeys([years[0], years[-1]]))
    when = (f"calendar year {year}" if year is not None else
            f"the latest calendar year of each indicator and region ({span}), from every source that states it")
    caption = (f"Levels of {shown} indicators that have both a level and a year-on-year change for "
               f"{when} from the same source and region, longest bar first"
               f"{', one group and scale per unit' if len(groups) > 1 else ''}; bar length is proportional to the "
               f"level and the change is written beside it. "
               + (f"{marked}." if marked else f"All {drawn} are reported as actual figures."))
    if year is not None:
        title_zh, title_en = f"{year}年主要指标", f"Headline indicators, {year}"
    else:
        title_zh, title_en = f"主要指标（各指标最新年份，{span}年）", f"Headline indicators, latest year of each ({span})"
    return Chart(chart_id, title_zh, title_en, caption,
                 svg_document(chart_id, f"{title_zh} / {title_en}", caption, height + MARGIN - 8, body, width))


# --- growth: year-on-year changes of one period ------------------------------

def growth_rows(indicators: pl.DataFrame) -> pl.DataFrame:
    """Year-on-year changes against the same period a year earlier (no other place or period named)."""
    changes = with_values(indicators).filter(pl.col("measure") == YOY_CHANGE, pl.col("period_start").is_not_null(),
                                             pl.col("period_end").is_not_null())
    for column in (COMPARED_REGION, COMPARED_START, COMPARED_END):
        if column in changes.columns:
            changes = changes.filter(pl.col(column).is_null())
    return changes


def growth_charts(indicators: pl.DataFrame, names: Names = NO_NAMES) -> list[Chart]:
    """Which grew and which fell: the year-on-year changes of one period and place, one chart each,
    fastest first, for the GROWTH_LIMIT latest periods that state two or more. A chart holds one
    period only, so a full year is never set beside nine months."""
    changes = growth_rows(indicators)
    periods = (changes.group_by("region_id", "period_start", "period_end").len().filter(pl.col("len") >= 2)
               .sort(["period_end", "len", "period_start", "region_id"], descending=[True, True, False, False])
               .head(GROWTH_LIMIT))
    several_regions = periods["region_id"].n_unique() > 1
    charts = []
    for region, start, end, _ in periods.iter_rows():
        group = changes.filter(pl.col("region_id") == region, pl.col("period_start") == start,
                               pl.col("period_end") == end).sort(["_v", "id"], descending=[True, False])
        chart_id = f"growth-{start}-{end}" + (f"-{slug(region)}" if several_regions else "")
        charts.append(with_narrow(_growth, chart_id, group, region if several_regions else "", names))
    return charts


def _growth(chart_id: str, group: pl.DataFrame, region: str, names: Names, width: int = WIDTH) -> Chart:
    first = group.row(0, named=True)
    start, end = first["period_start"], first["period_end"]
    several_sources = group["source_id"].n_unique() > 1
    bars = []
    for r in group.iter_rows(named=True):
        stated = figure(r, names).stated
        tip = f"{r['name_zh']} / {r['name_en']}: {stated} ({r['status']}; {r['region_id']}, {r['source_id']})"
        bars.append(Bar(_label(r["name_zh"], r["name_en"], r["source_id"] if several_sources else "", width, 280.0),
                        r["_v"], stated, STATUS_MARK.get(r["status"], ""), "", r["id"], tip,
                        f' data-indicator="{escape(r["indicator"])}"'))
    body, height = bar_rows([("Unit 单位: percent 百分比 (%)", bars)], width)
    place_zh, place_en = names.region(region) if region else ("", "")
    title_zh = f"{place_zh}{period_text(start, end, 'zh')}同比增速"
    title_en = f"Year-on-year change, {period_text(start, end)}" + (f", {place_en}" if region else "")
    falls = sum(v < 0 for v in group["_v"])
    caption = (f"Change on the same period a year earlier of the {group.height} indicators stated for "
               f"{period_text(start, end)} ({start} to {end}) in {first['region_id']}, fastest first; only this period, "
               "so every bar covers the same months."
               + (f" {falls} fell, drawn left of zero." if falls else ""))
    return Chart(chart_id, title_zh, title_en, caption,
                 svg_document(chart_id, f"{title_zh} / {title_en}", caption, height + MARGIN - 8, body, width))


def all_charts(indicators: pl.DataFrame, names: Names = NO_NAMES) -> list[Chart]:
    """Headline (when there is one), growth by period, then the series charts by id; ``names``
    name the places and wholes a figure refers to (figures.names_from)."""
    headline = headline_chart(indicators, names=names)
    return [*([headline] if headline else []), *growth_charts(indicators, names), *series_charts(indicators, names)]
