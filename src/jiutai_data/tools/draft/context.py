"""What a text is about at each line: the year (and part of it) its figures refer to,
whether it looks back or ahead, and which lines are photo captions.

Headings switch the state (2023年工作回顾 looks back at 2023; 2024年主要目标 looks ahead, but
2022年主要经济指标, a bulletin's table caption, looks back);
a paragraph that opens with a year sets the year; a line right after a photo label
(九台3) is a caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from jiutai_data.tools.draft.clauses import LIST_LABEL, Layout
from jiutai_data.tools.draft.period import explicit_year, part_of_year

_FORWARD_HEADING = re.compile(r"新征程|蓝图|今后|明年|工作安排|重点工作|主要任务|主要目标|展望|下一步|工作建议|(20[0-9]{2})年(工作|目标|主要(?!(经济)?指标))")
# a heading that reviews a year (工作总结, 工作回顾, 完成情况): its section reports what was achieved,
# even where the document's title also names the next year's plan (…2023年工作总结和2024年工作安排)
_REVIEW_HEADING = re.compile(r"回顾|过去|答卷|成绩|成就|完成情况|总结|完成|实现")

# the head of a paragraph: its first clause, after a list label (1. （一） 一、)
_HEAD = re.compile(LIST_LABEL + "?"
                   r"([^，,。；;：:\n]{1,16})")
_STOCK_HEAD = re.compile(r"^(?:[0-9]{4}年)?(?:年末|年底|截至年末|截至年底|(?:截至|截止)?[0-9０-９]{1,2}月(?:末|底))")
_FULL_DATE = re.compile(r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日")


def _dateline(stripped: str, heading: bool) -> bool:
    """A line that says when the text was written: it opens with a full date (2024年3月15日 …),
    or it is a short line that ends with one (虚构县统计局 2023年3月15日)."""
    return bool(_FULL_DATE.search(stripped[:12])
                or (heading and (last := list(_FULL_DATE.finditer(stripped))) and last[-1].end() == len(stripped)))


@dataclass
class LineContext:
    year: int | None
    months: tuple[int, int] | None  # the part of the year the text is about, from a heading or title
    forward_section: bool
    forward_year: int | None
    caption: bool
    on_a_day: str = ""  # 年末 at the head of the paragraph: its figures are stocks on the last day
    period_words: str = ""  # the phrase at the head of a section or paragraph that set months


def line_contexts(layout: Layout, published: date) -> list[LineContext]:
    """The year a text is about and whether it looks forward, line by line: headings switch
    them, and a paragraph that opens with a year (2022年, 过去一年) sets the year."""
    year = published.year if published.month >= 4 else published.year - 1
    forward, forward_year, after_label, months = False, None, False, None
    period_words = ""
    carried: tuple[int, int] | None = None  # months a paragraph's head phrase set, for what follows
    carrying = False
    contexts = []
    for line in layout.lines:
        stripped = line.text.strip()
        dateline = _dateline(stripped, line.is_heading)
        if line.is_heading and not dateline:
            # a review heading first: 2023年工作回顾 also reads like 2023年工作
            if _REVIEW_HEADING.search(stripped):
                forward, forward_year, months = False, None, None
                year = explicit_year(stripped, published) or year
            elif (ahead := _FORWARD_HEADING.search(stripped)) and not (
                    ahead.group(1) and int(ahead.group(1)) < published.year):
                # 2024年主要目标 looks ahead; 表1 2023年主要农产品产量 in a 2024 bulletin looks back
                forward, forward_year, months = True, explicit_year(stripped, published), None
            elif (named := explicit_year(stripped, published)) and not forward:
                year = named
            if not forward and (part := part_of_year(stripped)):
                months = part[:2]  # 九台区前10个月经济运行…: the text is about January to October
        if dateline:
            pass  # a dateline (2024年3月15日) says when the text was written, not what year it is about
        elif line.is_heading:
            pass
        elif stripped:
            opening = stripped[:8]
            if re.search(r"过去一年|过去的一年", opening):
                year = published.year - 1
            elif (named := explicit_year(opening, published)) and not forward:
                year = named
        on_a_day = ""
        if line.is_heading and not dateline:
            carrying = False  # a heading's months (or none) govern its section again
        own = None
        if stripped and not dateline and not forward:
            # a period phrase at the head of a paragraph (前三季度，… 1-9月，… 全年，…) governs it and
            # what follows, until another; 年末 at its head makes the paragraph's figures stocks
            head = _HEAD.match(stripped)
            words = head.group(1) if head else ""
            if words:
                if part := part_of_year(words):
                    own, period_words = part[:2], part[2]
                elif "全年" in words:
                    own, period_words = (1, 12), "全年"
                if match := _STOCK_HEAD.search(words):
                    on_a_day = match.group()
        if own is not None and not line.is_heading:
            # it governs its paragraph, and what follows until another, unless a heading or the
            # title gave the section its part of the year (then only its own paragraph)
            carried, carrying = (None if own == (1, 12) else own), months is None
            line_months = None if own == (1, 12) else own
        else:
            line_months = carried if carrying else months
        contexts.append(LineContext(year, line_months, forward, forward_year, after_label, on_a_day, period_words))
        if stripped:
            after_label = bool(re.fullmatch(r"[^\s0-9]{1,10}[0-9]{1,3}", stripped))
    return contexts
