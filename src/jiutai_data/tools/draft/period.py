"""The period a figure covers, from time words read against the publication date.

The nearest words win: the clause's, then the sentence's, then the year the text is
about at that point (``context_year``, set by a heading or a sentence that starts with a
year, such as 2022年, or 过去一年 in a report published early the next year).

Hand-written: the package needs only whole years, parts of a year and five-year plans, as
dates; a general time parser (jionlp's, for one) was not tried: it would add a large
dependency for these dozen patterns, and its spans would still need mapping to them.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from jiutai_data.model.numbers import parse_chinese_numeral, to_ascii_digits

_FIVE_YEAR_PLANS = {"十四五": (2021, 2025), "十五五": (2026, 2030), "十三五": (2016, 2020)}
_PART_OF_YEAR = [  # (words, first month, last month)
    (re.compile(r"前三季度|1[—–\-~～至到]9月|一至九月"), 1, 9),
    (re.compile(r"上半年|1[—–\-~～至到]6月|一至六月"), 1, 6),
    (re.compile(r"第一季度|一季度|1[—–\-~～至到]3月"), 1, 3),
    (re.compile(r"下半年"), 7, 12),
    (re.compile(r"第四季度|四季度"), 10, 12),
]
_FIRST_MONTHS = re.compile(r"前([0-9]{1,2}|[一二三四五六七八九十]{1,2})个月")
_MONTHS = re.compile(r"([0-9０-９]{1,2})[—–\-~～至到]([0-9０-９]{1,2})月")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})年")
_BY_YEAR = re.compile(r"(到|至|截至)((?:19|20)[0-9]{2})年")
_RELATIVE = [  # (words, years after the publication year)
    (re.compile(r"明年|下一年"), 1),
    (re.compile(r"今年|本年"), 0),
    # 比上年, 较去年, 上年同期 compare with the year before the one the text is about: they
    # do not name the figure's year
    (re.compile(r"(?<![比较与同])(?:去年|上年|上一年)(?!同期)"), -1),
]
_CHINESE_YEAR = re.compile(r"([一二三四五六七八九〇零○]{4})年")
_YEAR_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_COMPARED_PART = re.compile(r"[比较](?:上半年|第一季度|一季度|前三季度|上季度|上月)")
NO_PERIOD = re.compile(r"原来|以前|此前|过去的")


def _year_span(first: int, last: int | None = None, first_month: int = 1, last_month: int = 12) -> tuple[str, str]:
    last = first if last is None else last
    return (date(first, first_month, 1).isoformat(),
            date(last, last_month, calendar.monthrange(last, last_month)[1]).isoformat())


def explicit_year(text: str, published: date) -> int | None:
    """The year a piece of text names (2022年, 今年, 明年 …), or None."""
    if match := _YEAR.search(to_ascii_digits(text)):
        return int(match.group(1))
    if match := chinese_year(text):
        return match[0]
    for pattern, shift in _RELATIVE:
        if pattern.search(text):
            return published.year + shift
    return None


def chinese_year(text: str) -> tuple[int, int, int] | None:
    """(year, start, end) of a year written in Chinese digits (二〇二三年), or None."""
    for match in _CHINESE_YEAR.finditer(text):
        year = int(match.group(1).translate(_YEAR_DIGITS))
        if 1900 <= year <= 2100:
            return year, match.start(1), match.end(1)
    return None


# one month: 6月份, 12月份 (not 6月末, a day, nor 1—6月, a range)
_ONE_MONTH = re.compile(r"(?<![0-9—–\-~～至到])([0-9]{1,2})月份")


def one_month(text: str) -> tuple[int, int, str] | None:
    """(month, month, the words) of a single month the text names (6月份当月), or None."""
    if match := _ONE_MONTH.search(to_ascii_digits(text)):
        month = int(match.group(1))
        if 1 <= month <= 12:
            return month, month, match.group()
    return None


def part_of_year(text: str) -> tuple[int, int, str] | None:
    """(first month, last month, the words) of a part of a year the text names: 前三季度,
    上半年, 1—10月, 前10个月 …"""
    ascii_text = to_ascii_digits(text)
    for pattern, first_month, last_month in _PART_OF_YEAR:
        if match := pattern.search(ascii_text):
            return first_month, last_month, match.group()
    if match := _MONTHS.search(ascii_text):
        first_month, last_month = int(match.group(1)), int(match.group(2))
        if 1 <= first_month <= last_month <= 12:
            return first_month, last_month, match.group()
    if match := _FIRST_MONTHS.search(ascii_text):
        months = match.group(1)
        last_month = int(months) if months.isdigit() else int(parse_chinese_numeral(months) or 0)
        if 1 <= last_month <= 12:
            return 1, last_month, match.group()
    return None


def period_of(windows: list[str], published: date, context_year: int | None,
              context_months: tuple[int, int] | None = None) -> tuple[str | None, str | None, str]:
    """(start, end, the words that decided) for a figure whose nearest text is windows[0]
    (the clause), then windows[1] (the sentence) …; ISO dates or None."""
    if windows and (match := NO_PERIOD.search(windows[0])):
        return None, None, match.group()  # 由原来200多个工作日: a time before, with no period of its own
    for window in windows:
        # 比上半年提高1.4个百分点: the period compared with, not the figure's own
        window = _COMPARED_PART.sub("", window)
        ascii_window = to_ascii_digits(window)
        for words, (first, last) in _FIVE_YEAR_PLANS.items():
            if words in window:
                return *_year_span(first, last), words
        if match := _BY_YEAR.search(ascii_window):
            return None, _year_span(int(match.group(2)))[1], match.group()
        year = explicit_year(window, published)
        part = one_month(window) or part_of_year(window)
        if part and (year or context_year):
            return *_year_span(year or context_year, None, part[0], part[1]), part[2]
        if year:
            return *_year_span(year), str(year)
    if context_year and context_months:
        return (*_year_span(context_year, None, *context_months),
                f"the text is about months {context_months[0]}–{context_months[1]} of {context_year} here")
    if context_year:
        return *_year_span(context_year), f"the text is about {context_year} here"
    return None, None, "no time words"

