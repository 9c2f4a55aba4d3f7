"""How the site writes a figure, whatever it is: the one place that reads a row's measure.

A row of indicators is a level (264.6亿元), a year-on-year change (同比下降12.4%), a change of a
rate in percentage points (高于全省1.9个百分点), a change in its own unit, or a share of a whole
(占地区生产总值的比重为46.2%). The site shows each for what it is, in the table, in the charts
and in their captions alike, all from ``figure(row)``:

- a fall is a fall: the sign comes from ``value`` (negative for 下降), never from
  ``value_as_stated``, which is unsigned: −12.4%, 同比下降12.4%;
- a change is signed (+5.2%, +1.9个百分点), a level or a share is not;
- points are points: +1.9 percentage points, 个百分点 as the source writes it;
- a share names its whole: 46.2% of gross regional product;
- a comparison names its base: vs Jilin Province, vs Jan–Jun 2022;
- a stock (or any figure of one day) is dated on its day: on 30 Sep 2022, not a span.

Rows are mappings of cells as the reader read them (strings, an empty cell None); a column a
frame lacks counts as empty, so a frame without the comparison columns still reads.
Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jiutai_data.model.figures import (CHANGE, FALLING_WORDS, INDEX, LEVEL, MINUS_SIGNS, PERCENTAGE_POINT,
                                       POINT_CHANGE, RATIO_UNITS, RISING_WORDS, SHARE, SIGNED_MEASURES, YOY_CHANGE,
                                       sign_of)

MINUS = "−"  # U+2212, the minus sign of typesetting
QUALIFIER_SIGN = {"more_than": ">", "at_least": "≥", "at_most": "≤", "less_than": "<", "approximately": "≈"}
# A bound of a fall turns over: 下降超过12% is a value below −12.
FALLING_QUALIFIER_SIGN = {"more_than": "<", "at_least": "≤", "at_most": "≥", "less_than": ">", "approximately": "≈"}
# What each measure is, in words: (Chinese, English).
MEASURE_NAMES = {
    LEVEL: ("水平", "level"),
    YOY_CHANGE: ("同比", "year-on-year change"),
    POINT_CHANGE: ("百分点变化", "change in percentage points"),
    CHANGE: ("增减量", "change"),
    SHARE: ("比重", "share"),
    INDEX: ("指数", "index"),
}
# Direction words that already say "than another place or period" (高于全省…).
COMPARATIVE_WORDS = ("高于", "低于")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The columns a figure reads, besides measure, value and the stated number and unit.
DIRECTION, SHARE_OF = "direction_as_stated", "share_of"
COMPARED_REGION, COMPARED_START, COMPARED_END = ("compared_with_region_id", "compared_with_period_start",
                                                 "compared_with_period_end")


@dataclass(frozen=True)
class Names:
    """Names of what a figure refers to by ID: regions (regions.id) and wholes (catalogue.code),
    each (Chinese, English). An ID without a name is shown as the ID."""

    regions: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    concepts: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def region(self, region_id: str) -> tuple[str, str]:
        return self.regions.get(region_id, (region_id, region_id))

    def concept(self, code: str) -> tuple[str, str]:
        return self.concepts.get(code, (code, code))


NO_NAMES = Names()


@dataclass(frozen=True)
class Figure:
    stated: str  # compact, as a chart labels it: −12.4%, +1.9个百分点, 46.2%, ≈264.6亿元
    zh: str      # 同比下降12.4%, 高于吉林省1.9个百分点, 占地区生产总值的46.2%
    en: str      # −12.4% year-on-year, +1.9 percentage points vs Jilin Province, 46.2% of gross regional product
    when: str    # Jan–Sep 2022, or on 30 Sep 2022 for a figure of one day; "" where no period is stated
    base: str    # what a change is compared with, in English ("" for none): vs Jilin Province
    negative: bool

    @property
    def text(self) -> str:
        """The whole figure in one line, as the indicators page shows it."""
        both = self.zh if self.zh == self.en else f"{self.zh} · {self.en}"
        return f"{both}, {self.when}" if self.when else both


def _cell(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text if text != "" else None


def _number(row: Mapping[str, Any]) -> float | None:
    value = row.get("value")
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def period_text(start: str | None, end: str | None, language: str = "en") -> str:
    """A period as a reader says it: 2022, Jan–Jun 2022, Jun 2022, 30 Jun 2022 (one day);
    2022年, 2022年1–6月, 2022年6月, 2022年6月30日 in Chinese; else start–end as written."""
    d0, d1 = _date(start), _date(end)
    if d0 is None or d1 is None:
        return start or end or ""
    zh = language == "zh"
    if d0 == d1:
        return f"{d0.year}年{d0.month}月{d0.day}日" if zh else f"{d0.day} {MONTHS[d0.month - 1]} {d0.year}"
    whole_months = d0.day == 1 and (d1 + timedelta(days=1)).day == 1
    if whole_months and d0.year == d1.year:
        if d0.month == 1 and d1.month == 12:
            return f"{d0.year}年" if zh else str(d0.year)
        if d0.month == d1.month:
            return f"{d0.year}年{d0.month}月" if zh else f"{MONTHS[d0.month - 1]} {d0.year}"
        return (f"{d0.year}年{d0.month}–{d1.month}月" if zh
                else f"{MONTHS[d0.month - 1]}–{MONTHS[d1.month - 1]} {d0.year}")
    # days, as a reader writes them: 1 Jan–12 Dec 2022 (a year so far, up to the day of a report)
    if zh:
        return (f"{d0.year}年{d0.month}月{d0.day}日–{d1.month}月{d1.day}日" if d0.year == d1.year
                else f"{d0.year}年{d0.month}月{d0.day}日–{d1.year}年{d1.month}月{d1.day}日")
    first = f"{d0.day} {MONTHS[d0.month - 1]}" + ("" if d0.year == d1.year else f" {d0.year}")
    return f"{first}–{d1.day} {MONTHS[d1.month - 1]} {d1.year}"


def when_text(start: str | None, end: str | None) -> str:
    """The period of a figure in English; a figure of one day (a stock) is "on" that day."""
    if start and start == end:
        return f"on {period_text(start, end)}"
    return period_text(start, end)


def _lowered(name: str) -> str:
    """A catalogue name inside a sentence: Gross regional product → gross regional product (GDP stays)."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[0].isupper() and name[1].islower() else name


def _direction_word(direction: str | None) -> str | None:
    """The direction as a word that can be written before the number (下降, 高于); None for a minus or none."""
    if direction is None or direction in MINUS_SIGNS:
        return None
    return direction if direction in FALLING_WORDS or direction in RISING_WORDS else None


def figure(row: Mapping[str, Any], names: Names = NO_NAMES) -> Figure:
    """The figure of one indicators row, for what it is (see the module's docstring)."""
    measure = _cell(row, "measure") or LEVEL
    value = _number(row)
    direction = _cell(row, DIRECTION)
    falling = value < 0 if value is not None else sign_of(direction) == -1
    signed = measure in SIGNED_MEASURES
    sign = MINUS if falling else ("+" if signed and value != 0 else "")
    qualifier = _cell(row, "qualifier") or ""
    bound = (FALLING_QUALIFIER_SIGN if falling else QUALIFIER_SIGN).get(qualifier, "")
    number = (_cell(row, "value_as_stated") or ("" if value is None else f"{abs(value):g}")).lstrip("-−－+")
    high = _cell(row, "value_high_as_stated")
    if qualifier == "range" and high:
        number = f"{number}–{high.lstrip('-−－+')}"
    unit_as_stated = _cell(row, "unit_as_stated") or ""
    unit = _cell(row, "unit") or ""
    # each part of a structure a:b:c is a share in percent; its ":" is no unit to write after it
    unit_as_stated = "%" if unit_as_stated in RATIO_UNITS else unit_as_stated
    stated = f"{bound}{sign}{number}{unit_as_stated}"
    en_number = (f"{bound}{sign}{number} percentage points" if unit == PERCENTAGE_POINT
                 else stated)

    region = _cell(row, COMPARED_REGION)
    start, end = _cell(row, COMPARED_START), _cell(row, COMPARED_END)
    bases_en, bases_zh = [], []
    if region:
        zh_name, en_name = names.region(region)
        bases_en.append(en_name)
        bases_zh.append(zh_name)
    if start or end:
        bases_en.append(period_text(start, end))
        bases_zh.append(period_text(start, end, "zh"))
    base = f"vs {' and '.join(bases_en)}" if bases_en else ""
    word = _direction_word(direction)
    unsigned = f"{bound if not falling else QUALIFIER_SIGN.get(qualifier, '')}{number}{unit_as_stated}"
    said = f"{word}{unsigned}" if word else stated  # 下降12.4% as the source says it, else the signed number

    if measure == SHARE:
        whole = _cell(row, SHARE_OF)
        whole_zh, whole_en = names.concept(whole) if whole else ("整体", "the whole")
        zh, en = f"占{whole_zh}的{stated}", f"{stated} of {_lowered(whole_en)}"
    elif measure in SIGNED_MEASURES:
        if bases_zh and word in COMPARATIVE_WORDS:
            zh = f"{word}{'和'.join(bases_zh)}{unsigned}"
        elif bases_zh:
            zh = f"较{'和'.join(bases_zh)}{said}"
        else:
            zh = f"同比{said}" if measure == YOY_CHANGE else said
        en = f"{en_number} {base}" if base else (
            f"{en_number} year-on-year" if measure == YOY_CHANGE else f"{en_number} ({MEASURE_NAMES[measure][1]})")
    else:
        zh, en = stated, en_number
    when = when_text(_cell(row, "period_start"), _cell(row, "period_end"))
    return Figure(stated=stated, zh=zh, en=en, when=when, base=base, negative=falling)


def names_from(regions: Any = None, catalogue: Any = None) -> Names:
    """Names from the regions and catalogue tables (polars frames of strings, or None)."""
    def pairs(frame: Any, key: str) -> dict[str, tuple[str, str]]:
        if frame is None or not {key, "name_zh", "name_en"} <= set(frame.columns):
            return {}
        return {k: (zh or k, en or k) for k, zh, en in frame.select(key, "name_zh", "name_en").iter_rows()
                if k is not None}
    return Names(regions=pairs(regions, "id"), concepts=pairs(catalogue, "code"))
