"""The day a figure is dated on, beyond the period its time words name.

``period.period_of`` reads the time words (2022年, 1—9月, 上半年); the rules here then
move the dates: a stock is counted on a day (年末, 9月末, 截至, 余额, 存栏, a count that
has reached a number), a figure of 上年同期 is of the year before, and a whole year not yet
over when the text was published is the year so far (up to the day the figures were
reported). Separate from ``period`` because these rules read the words around a figure,
not the time words, and from the figure modules because prose, tables and comparisons
all date figures the same way.
"""

from __future__ import annotations

import re
from datetime import date

from jiutai_data.model.numbers import to_ascii_digits
from jiutai_data.tools.draft.context import LineContext

# a day named before a figure (9日, 12月9日): the day its figures were reported
DAY_OF_MONTH = re.compile(r"(?:([0-9]{1,2})月)?([0-9]{1,2})日")
# a stock counted on a day: 年末常住人口, 截至年底 (the day is the end of the period)
ON_A_DAY = re.compile(r"年末|年底|季末|月末|月底|期末|截至|截止")
# the day a sentence's stocks are counted on: 年末, 9月末, 截至12月末 (not 比上年末, the day compared
# with, nor 预计到年末, the year's whole total by then)
_DAY_PHRASE = re.compile(r"(?:截至|截止)(?:[0-9０-９]{1,2}月(?:末|底|份)?|年末|年底|目前|[^，,。；;]{0,6}?(?:末|底|日))?"
                         r"|(?<![比较上到至])(?:[0-9０-９]{1,2}月(?:末|底)|年末|年底|季末|月末|月底|期末)")
# a period over which things accumulate: after it, the sentence's figures are flows again
_FLOW_AGAIN = re.compile(r"全年|累计|当年|前三季度|上半年|一季度|[0-9０-９]{1,2}[—–\-~～至到][0-9０-９]{1,2}月")
# words that make a figure a stock whatever the day: a balance, a herd, what there is (已有, 共有, 在建)
_STOCK_WORDS = re.compile(r"余额|存栏|保有量|已有|共有|拥有|现有|在建")
# a count that has reached a number (高新技术企业达到96户) is a stock, unless it counts what is new
_REACHED = re.compile(r"(?:达到|达)$")
_FLOW_COUNT = re.compile(r"新增|新建|新开工|新签约|新认证|新培育|引进|培育|完成|实现|全年|累计|开工|建成|出栏|发放")
# 上年同期增速为2.1%: the figure is of the same period a year earlier
SAME_PERIOD_BEFORE = re.compile(r"^(?:[^比较与同]{0,6})(?:上年|去年)同期")


def whole_year(start: str | None, end: str | None) -> bool:
    return bool(start and end and start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31")


def year_span_months(year: int, last_month: int) -> tuple[str, str]:
    import calendar
    return date(year, 1, 1).isoformat(), date(year, last_month, calendar.monthrange(year, last_month)[1]).isoformat()


def year_before(day: str) -> str:
    """The same day a year earlier (29 February → 28 February)."""
    earlier = date.fromisoformat(day)
    try:
        return earlier.replace(year=earlier.year - 1).isoformat()
    except ValueError:
        return earlier.replace(year=earlier.year - 1, day=28).isoformat()


def day_named(words: str, end: str) -> str:
    """The day a day phrase names, in the year of ``end``: 9月末 → 30 September; else ``end``."""
    import calendar
    if match := re.search(r"([0-9]{1,2})月(?:末|底|份)?$", to_ascii_digits(words)):
        month = int(match.group(1))
        if 1 <= month <= 12:
            year = int(end[:4])
            return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    return end


def stock_day_words(before_in_clause: str, full_before: str, context: LineContext, base: str) -> str:
    """The words that make the figure a stock counted on a day, or empty: a day phrase earlier
    in its sentence (年末…，其中城镇人口…; 9月末，…存款余额…；贷款余额…) with no accumulating
    period after it; the day at the head of its paragraph for a stock concept (余额 …); a stock
    word in the clause (余额, 存栏, 已有, 在建); a count that has reached a number."""
    last = None
    for last in _DAY_PHRASE.finditer(full_before):
        pass
    if last and not _FLOW_AGAIN.search(full_before[last.end():]):
        return last.group()
    stock_word = _STOCK_WORDS.search(before_in_clause)
    if context.on_a_day and stock_word and not _FLOW_AGAIN.search(full_before):
        return context.on_a_day
    if stock_word:
        return stock_word.group()
    if (base == "count" and _REACHED.search(before_in_clause)
            and not _FLOW_COUNT.search(before_in_clause) and not _FLOW_AGAIN.search(full_before)):
        return "达到 (a count reached)"
    return ""
