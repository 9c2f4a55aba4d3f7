"""Charts of the data browser: inline SVG strings written at build time.

Why hand-written SVG: the site is static and must work offline, so no chart
library, no JavaScript and no CDN font. An SVG string scales with the page (the
root sets only a viewBox; the page CSS gives it width:100%), prints well, and is
byte-for-byte reproducible, so rebuilding unchanged data gives an unchanged site.

Every label is bilingual, Chinese then English, and every number is shown as the
source stated it (264.6亿元, with >, ≥ or ≈ for its qualifier) and for what it is, by
figures.py: a fall with its minus (−12.4%), points as points (+1.9个百分点), a share with
its whole, a change with what it is compared with. Bar lengths and point heights use the
numeric ``value`` in the base unit, signed, so a fall is drawn below zero. Each bar and point
carries ``data-value`` (that number) and a ``<title>`` tooltip with the full label.

Pure functions over the indicators table as read with ``infer_schema=False``
(every column a string, an empty cell null): no file I/O, no state.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from urllib.parse import quote

import polars as pl

from jiutai_data.model.figures import CHANGE, LEVEL, POINT_CHANGE, SHARE, YOY_CHANGE
from jiutai_data.publish.site.figures import (
    COMPARED_END, COMPARED_REGION, MEASURE_NAMES, NO_NAMES, SHARE_OF, Names, figure, period_text,
)
from jiutai_data.publish.site.svg import (
    AXIS, BAR, GRID, MARGIN, MUTED, TEXT, WIDTH, grouped, link, number, svg_document, svg_text, text_width, wrap,
)

ROW_LINK = "tables/indicators.html#row={id}"  # relative to charts.html
TOPIC_LINK = "tables/indicators.html#topic={topic}"
HEADLINE_LIMIT = 12  # bars per unit in the headline chart
SERIES_LIMIT = 24  # series charts on the page
SERIES_KEYS = ["indicator", "measure", "unit", "region_id"]
# What else keeps two series apart (a share of one whole and of another, a change against the
# province and against the previous quarter): never drawn on one line. ``_lag`` is the months
# between a figure's period and the period it is compared with, so that "vs the quarter
# before" of each quarter is one series.
COMPARISON_KEYS = [SHARE_OF, COMPARED_REGION, "_lag"]
SOURCE_COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1")  # each ≥ 4.5:1 on white
STATUS_MARK = {"estimate": "estimate 预计", "target": "target 目标"}
UNIT_NAMES = {"CNY": "yuan (CNY) 元", "percent": "percent 百分比", "count": "count 个数",
              "ha": "hectares 公顷", "kg": "kilograms 公斤", "km": "kilometres 公里",
              "working_day": "working days 工作日", "percentage_point": "percentage points 百分点",
              "USD": "US dollars (USD) 美元", "m2": "square metres 平方米", "m3": "cubic metres 立方米",
              "kW": "kilowatts 千瓦", "kWh": "kilowatt-hours 千瓦时", "kVA": "kilovolt-amperes 千伏安",
              "day": "days 天", "year": "years 年"}


@dataclass(frozen=True)
class Chart:
    id: str        # HTML id slug, e.g. "headline" or "by-topic"
    title_zh: str
    title_en: str
    caption: str   # what is plotted and how the rows were chosen, in English
    svg: str       # a complete <svg>...</svg> element


# --- text and number helpers -------------------------------------------------

def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _row_link(row_id: str, shape: str) -> str:
    """`shape` as a link to its row on the indicators page, which opens the row's quote in its source."""
    return link(ROW_LINK.format(id=quote(row_id, safe="")), shape)


def _topic_link(topic: str, shape: str) -> str:
    """`shape` as a link to the indicators page filtered to the topic."""
    return link(TOPIC_LINK.format(topic=quote(topic, safe="")), shape)


def _with_values(indicators: pl.DataFrame) -> pl.DataFrame:
    """Add ``_v``, the numeric value; rows whose value does not parse cannot be drawn."""
    return indicators.with_columns(_v=pl.col("value").cast(pl.Float64, strict=False)).filter(
        pl.col("_v").is_not_null())


def _with_comparisons(frame: pl.DataFrame) -> pl.DataFrame:
    """COMPARISON_KEYS as text columns, "" where a row has none (or the frame lacks the column)."""
    columns = [pl.col(name).cast(pl.String).fill_null("") if name in frame.columns else pl.lit("").alias(name)
               for name in (SHARE_OF, COMPARED_REGION)]
    if COMPARED_END in frame.columns:
        compared, own = pl.col(COMPARED_END).cast(pl.String), pl.col("period_end").cast(pl.String)
        months = ((own.str.slice(0, 4).cast(pl.Int32, strict=False) * 12 + own.str.slice(5, 2).cast(pl.Int32, strict=False))
                  - (compared.str.slice(0, 4).cast(pl.Int32, strict=False) * 12
                     + compared.str.slice(5, 2).cast(pl.Int32, strict=False)))
        columns.append(months.cast(pl.String).fill_null("").alias("_lag"))
    else:
        columns.append(pl.lit("").alias("_lag"))
    return frame.with_columns(columns)


# --- headline indicators -----------------------------------------------------

def headline_rows(indicators: pl.DataFrame, year: int | None = None, names: Names = NO_NAMES) -> pl.DataFrame:
    """Levels for a calendar year that have a year-on-year change for the same indicator,
    source, region and period; columns ``yoy_*`` describe that change (``yoy_figure`` as figures.py writes it) and ``_year`` is the year.

    With ``year``, that year only; without, the latest year of each indicator and region
    that has such a pair, from every source that states it (so a new source's year shows
    as soon as it arrives, and two sources stating one year both show)."""
    keys = ["indicator", "source_id", "region_id", "period_start", "period_end"]
    start, end = pl.col("period_start"), pl.col("period_end")
    calendar = (_with_values(indicators)
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
    # A page must stay light however many rows a package has: the largest bars of each unit only.
    rows = everything.group_by("unit", maintain_order=True).head(HEADLINE_LIMIT)
    chart_id, label_cap = (f"headline-{year}" if year is not None else "headline"), 280.0
    years = sorted(set(rows["_year"].to_list()))
    several_sources = rows["source_id"].n_unique() > 1
    items = []
    for r in rows.iter_rows(named=True):
        status = r["status"] if r["status"] in STATUS_MARK else r["yoy_status"]
        level = figure(r, names).stated
        change = r["yoy_figure"] + " y/y 同比"
        after = (level, change, STATUS_MARK.get(status, ""))
        label = [(line, 14, True) for line in wrap(r["name_zh"], 14, label_cap)]
        label += [(line, 12, False) for line in wrap(r["name_en"], 12, label_cap)]
        if year is None:  # which year (and, among several, which source) each bar is
            label += [(line, 12, False) for line in wrap(
                f"{r['_year']}" + (f" · {r['source_id']}" if several_sources else ""), 12, label_cap)]
        tip = f"{r['name_zh']} / {r['name_en']}: {level}, {change} ({r['status']}; {r['region_id']}, {r['source_id']})"
        items.append((r, label, after, tip, status))
    label_w = max(text_width(t, s) for _, label, *_ in items for t, s, _ in label)
    x0 = MARGIN + label_w + 12
    body, y = [], MARGIN
    units = list(dict.fromkeys(rows["unit"]))
    for unit in units:
        group = [item for item in items if item[0]["unit"] == unit]
        body.append(svg_text(MARGIN, y + 14, f"Unit 单位: {UNIT_NAMES.get(unit, unit)}", 13, fill=MUTED, bold=True))
        body.append(f'<line x1="{number(x0)}" y1="{number(y + 22)}" x2="{number(x0)}" '
                    f'y2="{number(y + 22 + sum(max(2, len(i[1])) * 17 + 12 for i in group))}" stroke="{AXIS}"/>')
        y += 26
        # px per base unit: the largest scale at which every bar still leaves room for its texts
        room = WIDTH - MARGIN - x0 - 8
        scale = min((max(room - max(text_width(f"{a} · {m}", 13), text_width(c, 12)), 0.0) / r["_v"]
                     for r, _, (a, c, m), *_ in group if r["_v"] > 0), default=0.0)
        for r, label, after, tip, _ in group:
            bar_w = max(r["_v"], 0.0) * scale
            for i, (line, size, bold) in enumerate(label):
                body.append(svg_text(MARGIN, y + 14 + 17 * i, line, size, fill=TEXT if bold else MUTED, bold=bold))
            body.append(_row_link(r["id"], f'<rect x="{number(x0)}" y="{number(y + 1)}" width="{number(bar_w)}" height="32" '
                                  f'fill="{BAR}" data-value="{number(r["_v"])}" data-indicator="{escape(r["indicator"])}">'
                                  f'<title>{escape(tip)}</title></rect>'))
            level, change, mark = after  # the status mark is quieter than the figure it qualifies
            body.append(f'<text x="{number(x0 + bar_w + 8)}" y="{number(y + 14)}" font-size="13" font-weight="600">'
                        f'{escape(level)}' + (f'<tspan fill="{MUTED}" font-weight="400"> · {escape(mark)}</tspan>'
                                              if mark else "") + '</text>')
            body.append(svg_text(x0 + bar_w + 8, y + 31, change, 12, fill=MUTED))
            y += max(2, len(label)) * 17 + 12
        y += 8
    kinds = [item[-1] for item in items if item[-1] in STATUS_MARK]
    marked = "; ".join(f"{kinds.count(k)} of {len(items)} are {k}s, marked “{STATUS_MARK[k]}”"
                       for k in sorted(set(kinds)))
    shown = (f"the {len(items)} largest (at most {HEADLINE_LIMIT} per unit) of the {everything.height}"
             if everything.height > len(items) else f"the {len(items)}")
    when = (f"calendar year {year}" if year is not None else
            "the latest calendar year of each indicator and region (" + "–".join(
                str(y) for y in dict.fromkeys([years[0], years[-1]])) + "), from every source that states it")
    caption = (f"Levels of {shown} indicators that have both a level and a year-on-year change for "
               f"{when} from the same source and region, longest bar first"
               f"{', one group and scale per unit' if len(units) > 1 else ''}; bar length is proportional to the "
               f"level and the change is written beside it. "
               + (f"{marked}." if marked else f"All {len(items)} are reported as actual figures."))
    if year is not None:
        title_zh, title_en = f"{year}年主要指标", f"Headline indicators, {year}"
    else:
        span = "–".join(str(y) for y in dict.fromkeys([years[0], years[-1]]))
        title_zh, title_en = f"主要指标（各指标最新年份，{span}年）", f"Headline indicators, latest year of each ({span})"
    return Chart(chart_id, title_zh, title_en, caption,
                 svg_document(chart_id, f"{title_zh} / {title_en}", caption, y + MARGIN - 8, body))


# --- rows per topic ----------------------------------------------------------

def topic_chart(indicators: pl.DataFrame, topics: pl.DataFrame) -> Chart:
    """Indicator rows per topic, most first (ties by topic id); empty topics are left out."""
    names = {r["id"]: f"{r['name_zh']} / {r['name_en']}" for r in topics.iter_rows(named=True)}
    counts = indicators.group_by("topic").len().sort(["len", "topic"], descending=[True, False], nulls_last=True)
    rows = [(names.get(t, t or "no topic 无主题"), n, t) for t, n in counts.iter_rows()]
    label_w = min(max((text_width(label, 13) for label, _, _ in rows), default=0.0), 320.0)
    x0 = MARGIN + label_w + 12
    most = rows[0][1] if rows else 1
    scale = (WIDTH - MARGIN - x0 - 8 - text_width(str(most), 13)) / most
    body, y = [], MARGIN
    for label, n, topic in rows:
        lines = wrap(label, 13, label_w)
        for i, line in enumerate(lines):
            body.append(svg_text(MARGIN, y + 15 + 17 * i, line))
        bar = (f'<rect x="{number(x0)}" y="{number(y + 3)}" width="{number(n * scale)}" height="16" fill="{BAR}" '
               f'data-value="{n}" data-topic="{escape(topic or "")}"><title>{escape(label)}: {n}</title></rect>')
        body.append(_topic_link(topic, bar) if topic else bar)
        body.append(svg_text(x0 + n * scale + 6, y + 15, str(n)))
        y += 17 * len(lines) + 7
    body.append(f'<line x1="{number(x0)}" y1="{MARGIN}" x2="{number(x0)}" y2="{number(y)}" stroke="{AXIS}"/>')
    caption = ("Number of indicator rows (every measure: levels, changes and shares; every source, region and period) "
               "in each topic, most first; topics without any row are left out.")
    return Chart("by-topic", "各主题指标数", "Indicators per topic", caption,
                 svg_document("by-topic", "各主题指标数 / Indicators per topic", caption, y + MARGIN, body))


# --- series over several periods ---------------------------------------------

def _length(start: str, end: str) -> str:
    """A period's length in whole months when it is made of whole months, else in days."""
    d0, d1 = date.fromisoformat(start), date.fromisoformat(end)
    if d0.day == 1 and (d1 + timedelta(days=1)).day == 1:
        months = (d1.year - d0.year) * 12 + d1.month - d0.month + 1
        return f"{months} month{'s' if months != 1 else ''}"
    days = (d1 - d0).days + 1
    return f"{days} day{'s' if days != 1 else ''}"


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """Round tick values covering [lo, hi], about ``n`` steps of 1, 2, 2.5 or 5 × 10^k."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _series_periods(dated: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Each series with two or more periods, and its number of periods."""
    return (dated.group_by(keys).agg(periods=pl.struct("period_start", "period_end").n_unique())
            .filter(pl.col("periods") >= 2))


def _drawn_series(dated: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    # A page must stay light however many rows a package has: the series with the most periods first.
    return (_series_periods(dated, keys).sort(["periods", *keys], descending=[True, *[False] * len(keys)])
            .head(SERIES_LIMIT).select(keys))


def _dated(indicators: pl.DataFrame) -> pl.DataFrame:
    return _with_comparisons(_with_values(indicators).filter(pl.col("period_start").is_not_null(),
                                                             pl.col("period_end").is_not_null()))


def series_total(indicators: pl.DataFrame) -> int:
    """How many series have two or more periods (series_charts draws at most SERIES_LIMIT)."""
    return _series_periods(_dated(indicators), SERIES_KEYS + COMPARISON_KEYS).height


def series_charts(indicators: pl.DataFrame, names: Names = NO_NAMES) -> list[Chart]:
    """One line chart per series stated for ≥ 2 periods: an indicator's figures of one measure,
    unit and region (and one whole, one place or lag compared with), never measures mixed.

    Points sit at evenly spaced periods in date order (by end, then start), one per
    row: when two sources give the same period, both points are drawn, one line
    per source, so a disagreement stays visible instead of being averaged away.
    """
    keys = SERIES_KEYS + COMPARISON_KEYS
    dated = _dated(indicators)
    found = []
    for key, group in dated.join(_drawn_series(dated, keys), on=keys, how="semi").group_by(keys):
        found.append((tuple(key), group.sort(["period_end", "period_start", "id"])))
    bases = [f"series-{_slug(k[0])}-{_slug(k[1])}" for k, _ in found]
    charts = [_series_chart(base if bases.count(base) == 1 else "-".join(
                                [base, _slug(k[3]), _slug(k[2]), *(_slug(part) for part in k[4:] if part)]),
                            k, g, bases.count(base) > 1, indicators, names) for base, (k, g) in zip(bases, found)]
    return sorted(charts, key=lambda c: c.id)


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


def _series_chart(chart_id: str, key: tuple, group: pl.DataFrame, name_region: bool,
                  indicators: pl.DataFrame, names: Names = NO_NAMES) -> Chart:
    indicator, measure, unit, region, share_of, compared_region, lag = key
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
    column = {p: i for i, p in enumerate(periods)}
    sources = sorted({r["source_id"] for r in rows})
    colour = {s: SOURCE_COLOURS[i % len(SOURCE_COLOURS)] for i, s in enumerate(sources)}

    y = MARGIN + 13
    body = [svg_text(MARGIN, y, f"Unit 单位: {UNIT_NAMES.get(unit, unit)}", 13, fill=MUTED, bold=True)]
    if len(sources) > 1:
        for s in sources:
            y += 18
            body.append(f'<rect x="{MARGIN}" y="{number(y - 10)}" width="12" height="12" fill="{colour[s]}"/>')
            body.append(svg_text(MARGIN + 18, y, f"source 来源: {s}", 12, fill=MUTED))
    labels, figures = {}, {}
    for r in rows:
        figures[r["id"]] = figure(r, names)
        labels[r["id"]] = figures[r["id"]].stated + (f" ({STATUS_MARK[r['status']]})" if r["status"] in STATUS_MARK else "")
    # the axis always holds zero, so a fall is drawn below it and a rise above
    ticks = _ticks(min(0.0, min(r["_v"] for r in rows)), max(0.0, max(r["_v"] for r in rows)))
    lo, hi = ticks[0], ticks[-1]
    left = MARGIN + max(text_width(grouped(t), 12) for t in ticks) + 10
    top, plot_h = y + 30, 200.0
    bottom, inner, n = top + plot_h, WIDTH - MARGIN - left, len(periods)
    # evenly spaced periods; the outermost sit far enough from the edges for their labels not to be clipped
    x_label_w = text_width("2022-01-01–", 12)
    point_label_w = max(text_width(label, 13) for label in labels.values())
    edge = max(inner / n / 2, max(x_label_w, point_label_w) / 2 + 2)
    step = (inner - 2 * edge) / (n - 1)

    def px(i: float) -> float:
        return left + edge + i * step

    def py(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * plot_h

    for t in ticks:
        body.append(f'<line x1="{number(left)}" y1="{number(py(t))}" x2="{WIDTH - MARGIN}" y2="{number(py(t))}" '
                    f'stroke="{AXIS if t == 0 else GRID}"/>')
        body.append(svg_text(left - 6, py(t) + 4, grouped(t), 12, anchor="end", fill=MUTED))
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
        body.append(_row_link(r["id"], f'<circle cx="{number(x)}" cy="{number(v)}" r="5" fill="{colour[r["source_id"]]}" '
                                       f'data-value="{number(r["_v"])}" data-period="{r["period_start"]}/{r["period_end"]}">'
                                       f'<title>{escape(tip)}</title></circle>'))
        if shown:
            body.append(svg_text(x, v + 20 if below else v - 10, labels[r["id"]], 13, anchor="middle", bold=True, halo=True))

    lengths = [_length(s, e) for e, s in periods]
    spans = [s if s == e else f"{s}–{e}" for e, s in periods]
    what = MEASURE_NAMES.get(measure, (measure, measure))[1] + (f", {what_en}" if what_en else "")
    falls = sum(r["_v"] < 0 for r in rows)
    caption = (f"{latest['name_en']} ({what}, {unit}) "
               f"in {region}: one point per row of indicator {indicator} that states a period ({len(rows)} rows), "
               f"placed at its period in date order: "
               + (", ".join(spans) if len(spans) <= 6 else f"{len(spans)} periods from {spans[0]} to {spans[-1]}") + ". ")
    if all(s == e for e, s in periods):
        caption += "Each figure is of one day (a stock, counted on that day)."
    elif len(set(lengths)) == 1:
        caption += f"All periods are {lengths[0]} long."
    else:
        caption += f"The periods differ in length ({', '.join(lengths)})"
        caption += ("; all are cumulative from 1 January, so the later ones include the earlier months."
                    if all(s[5:] == "01-01" for _, s in periods) else ".")
    if len(rows) > len(periods):
        caption += " Where sources give the same period, every source's point is drawn."
    if falls:
        caption += f" {falls} of the {len(rows)} figures are falls, drawn below zero."
    undated = _with_comparisons(indicators).filter(
        pl.col("indicator") == indicator, pl.col("measure") == measure, pl.col("unit") == unit,
        pl.col("region_id") == region, pl.col(SHARE_OF) == share_of, pl.col(COMPARED_REGION) == compared_region,
        pl.col("_lag") == lag).height - len(rows)
    if undated:
        caption += f" {undated} row(s) without a period or a number are left out."
    return Chart(chart_id, title_zh, title_en, caption,
                 svg_document(chart_id, f"{title_zh} / {title_en}", caption, bottom + 34 + MARGIN + 4, body))


def all_charts(indicators: pl.DataFrame, topics: pl.DataFrame, names: Names = NO_NAMES) -> list[Chart]:
    """Headline (when there is one), rows per topic, then the series charts by id; ``names``
    name the places and wholes a figure refers to (figures.names_from)."""
    headline = headline_chart(indicators, names=names)
    return [*([headline] if headline else []), topic_chart(indicators, topics), *series_charts(indicators, names)]
