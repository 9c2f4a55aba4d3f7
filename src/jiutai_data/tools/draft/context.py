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

from jiutai_data.tools.draft.clauses import Layout
from jiutai_data.tools.draft.period import explicit_year, part_of_year

_FORWARD_HEADING = re.compile(r"新征程|蓝图|今后|明年|工作安排|重点工作|主要任务|主要目标|展望|下一步|工作建议|(20[0-9]{2})年(工作|目标|主要(?!(经济)?指标))")
_REVIEW_HEADING = re.compile(r"回顾|过去|答卷|成绩|成就|完成情况")

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


def line_contexts(layout: Layout, published: date) -> list[LineContext]:
    """The year a text is about and whether it looks forward, line by line: headings switch
    them, and a paragraph that opens with a year (2022年, 过去一年) sets the year."""
    year = published.year if published.month >= 4 else published.year - 1
    forward, forward_year, after_label, months = False, None, False, None
    contexts = []
    for line in layout.lines:
        stripped = line.text.strip()
        dateline = _dateline(stripped, line.is_heading)
        if line.is_heading and not dateline:
            # a review heading first: 2023年工作回顾 also reads like 2023年工作
            if _REVIEW_HEADING.search(stripped):
                forward, forward_year, months = False, None, None
                year = explicit_year(stripped, published) or year
            elif _FORWARD_HEADING.search(stripped):
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
        contexts.append(LineContext(year, months, forward, forward_year, after_label))
        if stripped:
            after_label = bool(re.fullmatch(r"[^\s0-9]{1,10}[0-9]{1,3}", stripped))
    return contexts
