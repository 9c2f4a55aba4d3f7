"""A chart per concept over time: one line per series of like figures.

A series is an indicator's figures of one measure, unit and region (one whole, one place or
lag compared with) over periods of one kind: only full years with full years, Jan–Sep with
Jan–Sep, one day with one day (chart_parts.period_kind). A full year drawn beside Jan–Sep of a
later year would read as a fall that never happened; such figures make separate series.

The axis is in the unit the source states (亿元 rather than yuan) where every point of the series
is stated in it; each point's ``data-value`` stays the value in the base unit.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from html import escape

import polars as pl

from jiutai_data.model.figures import CHANGE, POINT_CHANGE, SHARE, YOY_CHANGE
from jiutai_data.publish.site.chart_parts import (
    COMPARISON_KEYS, SPAN, STATUS_MARK, UNIT_NAMES, Chart, row_link, slug, span_words, stated_scale, with_comparisons,
    with_narrow, with_spans, with_values,
)
from jiutai_data.publish.site.figures import (
    COMPARED_REGION, MEASURE_NAMES, NO_NAMES, SHARE_OF, Names, figure, period_text,
)
from jiutai_data.publish.site.svg import (AXIS, GRID, MARGIN, MUTED, WIDTH, fit, grouped, number, svg_document, svg_text,
                                          text_width)

SERIES_LIMIT = 24  # series charts on the page
SERIES_KEYS = ["indicator", "measure", "unit", "region_id"]
KEYS = SERIES_KEYS + COMPARISON_KEYS + [SPAN]
SOURCE_COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1")  # each ≥ 4.5:1 on white


def _length(start: str, end: str) -> str:
    """A period's length in whole months when it is made of whole months, else in days."""
    d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
    if d0.day == 1 and (d1 + timedelta(days=1)).day == 1:
        months = (d1.year - d0.year) * 12 + d1.month - d0.month + 1
        return f"{months} month{'s' if months != 1 else ''}"
    days = (d1 - d0).days + 1
    return f"{days} day{'s' if days != 1 else ''}"


def ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values covering [lo, hi], about ``n`` steps of 1, 2, 2.5 or 5 × 10^k."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _series_periods(dated: pl.DataFrame) -> pl.DataFrame:
    """Each series with two or more periods, and its number of periods."""
    return (dated.group_by(KEYS).agg(periods=pl.struct("period_start", "period_end").n_unique())
            .filter(pl.col("periods") >= 2))


def _drawn_series(dated: pl.DataFrame) -> pl.DataFrame:
    # A page must stay light however many rows a package has: the series with the most periods first.
    return (_series_periods(dated).sort(["periods", *KEYS], descending=[True, *[False] * len(KEYS)])
            .head(SERIES_LIMIT).select(KEYS))


def _dated(indicators: pl.DataFrame) -> pl.DataFrame:
    dated = with_values(indicators).filter(pl.col("period_start").is_not_null(), pl.col("period_end").is_not_null())
    return with_spans(with_comparisons(dated)).filter(pl.col(SPAN) != "")


def series_total(indicators: pl.DataFrame) -> int:
    """How many series have two or more periods (series_charts draws at most SERIES_LIMIT)."""
    return _series_periods(_dated(indicators)).height


def series_charts(indicators: pl.DataFrame, names: Names = NO_NAMES) -> list[Chart]:
    """One line chart per series stated for ≥ 2 periods of one kind (see the module's docstring).

    Points sit at evenly spaced periods in date order (by end, then start), one per row: when two
    sources give the same period, both points are drawn, one line per source, so a disagreement
    stays visible instead of being averaged away. Charts of one indicator and measure are told apart
    by what differs between them (region, unit, comparison, kind of period), in their ids and titles.
    """
    dated = _dated(indicators)
    found = [(tuple(key), group.sort(["period_end", "period_start", "id"]))
             for key, group in dated.join(_drawn_series(dated), on=KEYS, how="semi").group_by(KEYS)]
    charts = []
    for key, group in found:
        base = f"series-{slug(key[0])}-{slug(key[1])}"
        siblings = [other for other, _ in found if other[:2] == key[:2]]
        differing = [i for i in range(2, len(KEYS)) if len({other[i] for other in siblings}) > 1]
        chart_id = "-".join([base, *(slug(key[i]) for i in differing if key[i])])
        charts.append(with_narrow(_series_chart, chart_id, key, group, 3 in differing, SPAN_AT in differing,
                                  indicators, names))
    return sorted(charts, key=lambda c: c.id)


SPAN_AT = KEYS.index(SPAN)


def _what(measure: str, share_of: str, region: str, lag: str, names: Names) -> tuple[str, str]:
    """What a series' figures are, beyond their name: (Chinese, English) to add to its title."""
    zh, en = "", ""
    if measure == SHARE:
        whole_zh, whole_en = names.concept(share_of) if share_of else ("整体", "the whole")
        zh, en = f"占{whole_zh}比重", f"share of {whole_en[:1].lower() + whole_en[1:]}"
    elif measure in (POINT_CHANGE, CHANGE):
        zh, en = ("变化（百分点）", "change in percentage points") if measure == POINT_CHANGE else ("增减", "change")
    if region:
        region_zh, region_en = names.region(region)
        zh, en = zh + f"，与{region_zh}比较", en + f" vs {region_en}"
    if lag:
        zh, en = zh + f"，较{lag}个月前", en + f" vs {lag} months earlier"
    return zh.lstrip("，"), en.lstrip(" ")


def _series_chart(chart_id: str, key: tuple, group: pl.DataFrame, name_region: bool, name_span: bool,
                  indicators: pl.DataFrame, names: Names = NO_NAMES, width: int = WIDTH) -> Chart:
    indicator, measure, unit, region, share_of, compared_region, lag, span = key
    rows = list(group.iter_rows(named=True))
    latest = rows[-1]
    title_zh, title_en = latest["name_zh"], latest["name_en"]
    if measure == YOY_CHANGE:  # names usually say so already (…同比增长); add it only where they do not
        title_zh += "" if "同比" in title_zh else "（同比）"
        title_en += "" if "year-on-year" in title_en.lower() else ", year-on-year change"
    what_zh, what_en = _what(measure, share_of, compared_region, lag, names)
    if what_en:
        title_zh, title_en = f"{title_zh}（{what_zh}）", f"{title_en}, {what_en}"
    if name_region:
        title_zh, title_en = f"{title_zh}（{region}）", f"{title_en} ({region})"
    periods = sorted({(r["period_end"], r["period_start"]) for r in rows})
    kind_en, kind_zh = span_words(span, [start for _, start in periods])
    if name_span:
        title_zh, title_en = f"{title_zh}（{kind_zh}）", f"{title_en} ({kind_en})"
    column = {p: i for i, p in enumerate(periods)}
    sources = sorted({r["source_id"] for r in rows})
    colour = {s: SOURCE_COLOURS[i % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}
    scale = stated_scale(rows)
    factor, unit_shown = scale if scale else (1.0, UNIT_NAMES.get(unit, unit))
    if scale and factor == 1 and unit in UNIT_NAMES:
        unit_shown = f"{UNIT_NAMES[unit]} ({scale[1]})"

    y = MARGIN + 13
    body = [svg_text(MARGIN, y, f"Unit 单位: {unit_shown}", 13, fill=MUTED, bold=True),
            svg_text(MARGIN, y + 18, f"{kind_en} · {kind_zh}", 12, fill=MUTED)]
    y += 18
    if len(sources) > 1:
        room = width - 2 * MARGIN - 18
        for s in sources:
            y += 18
            body.append(f'<rect x="{MARGIN}" y="{number(y - 10)}" width="12" height="12" fill="{colour[s]}"/>')
            if text_width(f"source 来源: {s}", 12) <= room:
                body.append(svg_text(MARGIN + 18, y, f"source 来源: {s}", 12, fill=MUTED))
            else:  # on a phone: the source ID on a line of its own, cut only if even that is too long
                body.append(svg_text(MARGIN + 18, y, "source 来源:", 12, fill=MUTED))
                y += 16
                body.append(svg_text(MARGIN + 18, y, fit(s, 12, room), 12, fill=MUTED))
    labels, figures = {}, {}
    for r in rows:
        figures[r["id"]] = figure(r, names)
        labels[r["id"]] = figures[r["id"]].stated + (f" ({STATUS_MARK[r['status']]})" if r["status"] in STATUS_MARK else "")
    # the axis always holds zero, so a fall is drawn below it and a rise above; in the unit as stated
    marks = ticks(min(0.0, min(r["_v"] / factor for r in rows)), max(0.0, max(r["_v"] / factor for r in rows)))
    lo, hi = marks[0], marks[-1]
    left = MARGIN + max(text_width(grouped(t), 12) for t in marks) + 10
    top, plot_h = y + 30, 200.0
    bottom, inner, n = top + plot_h, width - MARGIN - left, len(periods)
    # evenly spaced periods; the outermost sit far enough from the edges for their labels not to be clipped
    x_label_w = text_width("2022-01-01–", 12)
    point_label_w = max(text_width(label, 13) for label in labels.values())
    edge = min(max(inner / n / 2, max(x_label_w, point_label_w) / 2 + 2), inner / 2 - 1)
    step = (inner - 2 * edge) / (n - 1)

    def px(i: float) -> float:
        return left + edge + i * step

    def py(v: float) -> float:
        return bottom - (v / factor - lo) / (hi - lo) * plot_h

    for t in marks:
        body.append(f'<line x1="{number(left)}" y1="{number(py(t * factor))}" x2="{width - MARGIN}" '
                    f'y2="{number(py(t * factor))}" stroke="{AXIS if t == 0 else GRID}"/>')
        body.append(svg_text(left - 6, py(t * factor) + 4, grouped(t), 12, anchor="end", fill=MUTED))
    every = math.ceil((x_label_w + 8) / step)  # where labels would collide, label every few periods only
    for (end, start), i in column.items():
        if i % every == 0:
            if start == end:  # a stock: the one day it is counted on, not a span
                body.append(svg_text(px(i), bottom + 18, end, 12, anchor="middle", fill=MUTED))
            else:
                body.append(svg_text(px(i), bottom + 18, f"{start}–", 12, anchor="middle", fill=MUTED))
                body.append(svg_text(px(i), bottom + 34, end, 12, anchor="middle", fill=MUTED))
    # Point labels: above the point; below it for the lower of rows sharing a period. Where
    # neighbours' labels would collide, alternate periods put theirs below, and if even that is
    # too tight only every few periods are labelled (every point keeps its tooltip).
    stagger = point_label_w + 6 > step
    label_every = math.ceil((point_label_w + 6) / (2 * step)) if stagger else 1
    points = {}
    for p, i in column.items():
        same = sorted((r for r in rows if (r["period_end"], r["period_start"]) == p), key=lambda r: (-r["_v"], r["id"]))
        for k, r in enumerate(same):
            below = (k > 0) != (stagger and i % 2 == 1)
            shown = i % (2 * label_every) in (0, 1) if stagger else True
            points[r["id"]] = (px(i + (k - (len(same) - 1) / 2) * 16 / step), py(r["_v"]), below, shown)
    for s in sources:
        xy = [points[r["id"]][:2] for r in rows if r["source_id"] == s]
        if len(xy) > 1:
            body.append(f'<polyline points="{" ".join(f"{number(x)},{number(v)}" for x, v in xy)}" fill="none" '
                        f'stroke="{colour[s]}" stroke-width="2"/>')
    for r in rows:
        x, v, below, shown = points[r["id"]]
        shown_figure = figures[r["id"]]
        tip = (f"{period_text(r['period_start'], r['period_end'])}: {shown_figure.zh} · {shown_figure.en}"
               f"{(' (' + STATUS_MARK[r['status']] + ')') if r['status'] in STATUS_MARK else ''} ({r['source_id']})")
        body.append(row_link(r["id"], f'<circle cx="{number(x)}" cy="{number(v)}" r="5" fill="{colour[r["source_id"]]}" '
                                      f'data-value="{number(r["_v"])}" data-period="{r["period_start"]}/{r["period_end"]}">'
                                      f'<title>{escape(tip)}</title></circle>'))
        if shown:
            body.append(svg_text(x, v + 20 if below else v - 10, labels[r["id"]], 13, anchor="middle", bold=True, halo=True))

    spans = [s if s == e else f"{s}–{e}" for e, s in periods]
    what = MEASURE_NAMES.get(measure, (measure, measure))[1] + (f", {what_en}" if what_en else "")
    falls = sum(r["_v"] < 0 for r in rows)
    caption = (f"{latest['name_en']} ({what}, {unit}) "
               f"in {region}: one point per row of indicator {indicator} that states a period of this kind ({len(rows)} rows), "
               f"placed at its period in date order: "
               + (", ".join(spans) if len(spans) <= 6 else f"{len(spans)} periods from {spans[0]} to {spans[-1]}") + ". ")
    if span == "day":
        caption += "Each figure is of one day (a stock, counted on that day)."
    else:
        caption += f"Only like periods are compared: {kind_en}, each {_length(periods[0][1], periods[0][0])} long."
    if scale and factor != 1:
        caption += f" The axis is in {scale[1]}, the unit the source states."
    if len(rows) > len(periods):
        caption += " Where sources give the same period, every source's point is drawn."
    if falls:
        caption += f" {falls} of the {len(rows)} figures are falls, drawn below zero."
    others = with_spans(with_comparisons(indicators)).filter(
        pl.col("indicator") == indicator, pl.col("measure") == measure, pl.col("unit") == unit,
        pl.col("region_id") == region, pl.col(SHARE_OF) == share_of, pl.col(COMPARED_REGION) == compared_region,
        pl.col("_lag") == lag)
    unlike = others.filter(pl.col(SPAN).is_not_null() & (pl.col(SPAN) != span)).height
    undated = others.height - unlike - len(rows)
    if unlike:
        caption += f" {unlike} row(s) of other kinds of period are not drawn beside these."
    if undated:
        caption += f" {undated} row(s) without a period or a number are left out."
    return Chart(chart_id, title_zh, title_en, caption,
                 svg_document(chart_id, f"{title_zh} / {title_en}", caption, bottom + 34 + MARGIN + 4, body, width))
