"""What the charts share: the Chart record, the columns they add to the indicators, periods and
their kinds, the unit an axis is drawn in, and horizontal bars laid out for a page or a phone.

Each chart is drawn twice: at WIDTH for a page and at NARROW for a phone, where the same text
sizes stay legible (an SVG of 760 units shrunk to a 360 px screen would set 13-unit text at 6 px).
The page shows one of the two by the width of the screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape
from urllib.parse import quote

import polars as pl

from jiutai_data.publish.site.figures import COMPARED_END, COMPARED_REGION, MONTHS, SHARE_OF
from jiutai_data.publish.site.interface import ENUM_LABELS
from jiutai_data.publish.site.svg import AXIS, BAR, MARGIN, MUTED, TEXT, WIDTH, link, number, svg_text, text_width

NARROW = 380  # viewBox width of the phone drawing: 13-unit text is about 12 px on a 360 px screen
ROW_LINK = "tables/indicators.html#row={id}"  # relative to charts.html
# What else keeps two series apart besides indicator, measure, unit and region (see series.py).
COMPARISON_KEYS = [SHARE_OF, COMPARED_REGION, "_lag"]
SPAN = "_span"  # a period's kind: "day" (a stock), "9m" (nine whole months), "346d"
STATUS_MARK = {status: f"{ENUM_LABELS[status][0]} {ENUM_LABELS[status][1]}" for status in ("estimate", "target")}
UNIT_NAMES = {"CNY": "yuan (CNY) 元", "percent": "percent 百分比", "count": "count 个数",
              "ha": "hectares 公顷", "kg": "kilograms 公斤", "km": "kilometres 公里",
              "working_day": "working days 工作日", "percentage_point": "percentage points 百分点",
              "USD": "US dollars (USD) 美元", "m2": "square metres 平方米", "m3": "cubic metres 立方米",
              "kW": "kilowatts 千瓦", "kWh": "kilowatt-hours 千瓦时", "kVA": "kilovolt-amperes 千伏安",
              "day": "days 天", "year": "years 年"}


@dataclass(frozen=True)
class Chart:
    id: str        # HTML id slug, e.g. "headline" or "growth-2022-01-01-2022-12-31"
    title_zh: str
    title_en: str
    caption: str   # what is plotted and how the rows were chosen, in English
    svg: str       # a complete <svg>...</svg> element, WIDTH wide
    narrow: str = field(default="", compare=True)  # the same chart NARROW wide, for a phone ("" for none)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def row_link(row_id: str, shape: str) -> str:
    """`shape` as a link to its row on the indicators page, which opens the row's quote in its source."""
    return link(ROW_LINK.format(id=quote(row_id, safe="")), shape)


def with_values(indicators: pl.DataFrame) -> pl.DataFrame:
    """Add ``_v``, the numeric value; rows whose value does not parse cannot be drawn."""
    return indicators.with_columns(_v=pl.col("value").cast(pl.Float64, strict=False)).filter(
        pl.col("_v").is_not_null())


def with_comparisons(frame: pl.DataFrame) -> pl.DataFrame:
    """COMPARISON_KEYS as text columns, "" where a row has none; ``_lag`` is the months between a
    figure's period and the one it is compared with, so "vs the quarter before" of each quarter is one series."""
    columns = [pl.col(name).cast(pl.String).fill_null("") if name in frame.columns else pl.lit("").alias(name)
               for name in (SHARE_OF, COMPARED_REGION)]
    if COMPARED_END in frame.columns:
        def months(column: pl.Expr) -> pl.Expr:
            return (column.str.slice(0, 4).cast(pl.Int32, strict=False) * 12
                    + column.str.slice(5, 2).cast(pl.Int32, strict=False))
        lag = months(pl.col("period_end").cast(pl.String)) - months(pl.col(COMPARED_END).cast(pl.String))
        columns.append(lag.cast(pl.String).fill_null("").alias("_lag"))
    else:
        columns.append(pl.lit("").alias("_lag"))
    return frame.with_columns(columns)


def period_kind(start: str | None, end: str | None) -> str:
    """What kind of period it is, for comparing like with like: "day" for one day (a stock), "<n>m"
    for n whole months, "<n>d" for n days; "" where a date does not parse."""
    try:
        d0, d1 = date.fromisoformat(start or ""), date.fromisoformat(end or "")
    except ValueError:
        return ""
    if d0 == d1:
        return "day"
    if d0.day == 1 and (d1 + timedelta(days=1)).day == 1:
        return f"{(d1.year - d0.year) * 12 + d1.month - d0.month + 1}m"
    return f"{(d1 - d0).days + 1}d"


def with_spans(frame: pl.DataFrame) -> pl.DataFrame:
    """Add SPAN, each row's period_kind (one call per distinct period, not per row)."""
    pairs = frame.select("period_start", "period_end").unique()
    kinds = pairs.with_columns(pl.Series(SPAN, [period_kind(s, e) for s, e in pairs.iter_rows()], dtype=pl.String))
    return frame.join(kinds, on=["period_start", "period_end"], how="left", nulls_equal=True)


def span_words(span: str, starts: Sequence[str]) -> tuple[str, str]:
    """A period kind in words, (English, Chinese): calendar years, Jan–Sep of each year, one day each."""
    if span == "day":
        return "figures of one day (stocks)", "时点数"
    if span.endswith("m"):
        months = int(span[:-1])
        from_january = all(start[5:] == "01-01" for start in starts)
        if from_january and months == 12:
            return "calendar years", "全年"
        if from_january and months < 12:
            return f"Jan–{MONTHS[months - 1]} (cumulative from 1 January)", f"1–{months}月累计"
        return f"periods of {months} months", f"各{months}个月"
    return f"periods of {span[:-1]} days", f"各{span[:-1]}天"


def stated_scale(rows: Sequence[dict]) -> tuple[float, str] | None:
    """(factor, unit as stated) when every row states its number in one unit with one factor to the
    base unit (264.6亿元 = 26,460,000,000 yuan: 100,000,000), so that an axis can be drawn in 亿元."""
    units = {row["unit_as_stated"] for row in rows}
    factors = set()
    for row in rows:
        try:
            stated = float(row["value_as_stated"])
        except (TypeError, ValueError):
            return None
        if stated == 0:
            continue
        factors.add(float(f"{abs(row['_v']) / stated:.6g}"))
    if len(units) != 1 or len(factors) != 1:
        return None
    return factors.pop(), units.pop()


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its label lines (text, size, bold), its value as drawn, the figure written
    after it (bold), a quieter mark after that, a second line, the row it links to and its tooltip."""

    label: list[tuple[str, float, bool]]
    value: float
    figure: str
    mark: str
    second: str
    row_id: str
    tip: str
    attributes: str  # extra attributes of the rect, already escaped


def bar_rows(groups: Sequence[tuple[str, Sequence[Bar]]], width: int, label_cap: float = 280.0) -> tuple[list[str], float]:
    """Horizontal bars, one scale per group (headed by its text), from zero; a fall is drawn to the
    left of the zero line. On a page the labels stand left of the bars; on a phone (width below 600)
    above them, so the bars keep the width. Returns the SVG elements and the height used."""
    stacked = width < 600
    items = [bar for _, bars in groups for bar in bars]
    label_w = 0.0 if stacked else min(label_cap, max(text_width(t, s) for bar in items for t, s, _ in bar.label))
    x0 = MARGIN if stacked else MARGIN + label_w + 12
    body, y = [], float(MARGIN)
    for heading, bars in groups:
        if heading:
            body.append(svg_text(MARGIN, y + 14, heading, 13, fill=MUTED, bold=True))
            y += 26
        room = width - MARGIN - x0 - 8
        falls = max([0.0, *(-bar.value for bar in bars)])

        def text_room(bar: Bar) -> float:
            return max(text_width(f"{bar.figure} · {bar.mark}" if bar.mark else bar.figure, 13), text_width(bar.second, 12))
        # px per base unit: the largest scale at which every bar still leaves room for its texts
        # (after its end, or after the zero line for a fall)
        scale = max(0.0, min(((room - text_room(bar)) / (max(bar.value, 0.0) + falls)
                              for bar in bars if max(bar.value, 0.0) + falls > 0), default=0.0))
        zero = x0 + falls * scale
        top = y
        for bar in bars:
            for i, (line, size, bold) in enumerate(bar.label):
                body.append(svg_text(MARGIN, y + 14 + 17 * i, line, size, fill=TEXT if bold else MUTED, bold=bold))
            if stacked:
                y += 17 * len(bar.label) + 2
            start, length = (zero, bar.value * scale) if bar.value >= 0 else (zero + bar.value * scale, -bar.value * scale)
            body.append(row_link(bar.row_id, f'<rect x="{number(start)}" y="{number(y + 1)}" width="{number(length)}" '
                                 f'height="32" fill="{BAR}" data-value="{number(bar.value)}"{bar.attributes}>'
                                 f'<title>{escape(bar.tip)}</title></rect>'))
            after = max(zero, start + length) + 8
            body.append(f'<text x="{number(after)}" y="{number(y + 14)}" font-size="13" font-weight="600">'
                        f'{escape(bar.figure)}' + (f'<tspan fill="{MUTED}" font-weight="400"> · {escape(bar.mark)}</tspan>'
                                                    if bar.mark else "") + '</text>')
            if bar.second:
                body.append(svg_text(after, y + 31, bar.second, 12, fill=MUTED))
            y += (36 if stacked else max(2, len(bar.label)) * 17) + 12
        body.append(f'<line x1="{number(zero)}" y1="{number(top - 4)}" x2="{number(zero)}" y2="{number(y - 8)}" '
                    f'stroke="{AXIS}"/>')
        y += 8
    return body, y


def with_narrow(draw, *args, **kwargs) -> Chart:
    """A chart drawn by ``draw(*args, width=…)`` at WIDTH, with its NARROW drawing for a phone."""
    wide = draw(*args, width=WIDTH, **kwargs)
    narrow = draw(*args, width=NARROW, **kwargs)
    return Chart(wide.id, wide.title_zh, wide.title_en, wide.caption, wide.svg, narrow.svg)
