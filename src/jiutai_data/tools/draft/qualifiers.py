"""Qualifier, measure and status of a figure, from the words around its number.

The words are the ones CONTRIBUTING.md lists for each value; a word counts only right
next to the number or its unit (超 in 超5000万元, 余 in 50余个, 左右 after 6%), so that
a 超 elsewhere in the clause (超亿元项目) does not qualify an unrelated number.
"""

from __future__ import annotations

import re

EXACT, MORE_THAN, AT_LEAST, APPROXIMATELY = "exact", "more_than", "at_least", "approximately"
LEVEL, YOY_CHANGE = "level", "yoy_change"
ACTUAL, ESTIMATE, TARGET = "actual", "estimate", "target"
# a plan's status, most fitting first; the first value its schema's enum admits is taken
PLAN_STATUS_AHEAD = ("planned", TARGET)
PLAN_STATUS_UNDER_WAY = ("under_way", "done")

_BEFORE = [  # (words that end right before the number, qualifier)
    (re.compile(r"(至少|不少于|不低于)$"), AT_LEAST),
    (re.compile(r"(超过|超|逾|多于|高于)$"), MORE_THAN),
    (re.compile(r"(大约|约|近|接近|将近)$"), APPROXIMATELY),
]
_AFTER = [  # (words that start right after the unit, qualifier)
    (re.compile(r"^(以上|多)"), MORE_THAN),
    (re.compile(r"^(左右|上下)"), APPROXIMATELY),
]
# a change on the previous year: 同比增长, 比上年下降, 增速, or a bare 增长 right before the number
_CHANGE = re.compile(r"(同比|比上年|比去年|较上年|较去年|增速|增幅|(增长|增加|提高|上升|下降|减少|回落)(了)?)"
                     r"(约|近|超过|超|达到|达|为)?$")
_DECLINE = re.compile(r"(下降|减少|回落)(了)?(约|近|超过|超|达到|达|为)?$")
ESTIMATE_WORDS = re.compile(r"预计|预估|初步统计|初步测算")
TARGET_WORDS = re.compile(r"力争|目标|预期|确保|争取|计划(到|新增|完成|实现)|将|明年|今后|到20[0-9]{2}年|十[四五]五期间")


def qualifier_of(before: str, between: str, after: str) -> tuple[str, str]:
    """(qualifier, the words that said so) from the text right before the number, what
    stands between the number and its unit (余, 多) and the text right after the unit."""
    if between and between[0] in "余多":
        return MORE_THAN, between[0]
    for pattern, value in _AFTER:
        if match := pattern.search(after):
            return value, match.group()
    for pattern, value in _BEFORE:
        if match := pattern.search(before):
            return value, match.group()
    return EXACT, ""


def measure_of(before: str, is_percent: bool, column_header: str = "") -> tuple[str, str, int]:
    """(measure, the words, sign) of a figure: a percentage right after 同比/增长/下降 … (or in
    a table column headed 增长) is a year-on-year change, anything else a level."""
    if not is_percent:
        return LEVEL, "", 1
    if column_header and re.search(r"增长|增速|增幅|比上年", column_header):
        return YOY_CHANGE, column_header, 1
    tail = before[-8:]
    if match := _CHANGE.search(tail):
        sign = -1 if _DECLINE.search(tail) else 1
        return YOY_CHANGE, match.group(), sign
    return LEVEL, "", 1


def status_of(sentence_before: str, forward: bool, period_end: str | None, published: str) -> tuple[str, str]:
    """(status, why): 预计 → estimate; a forward-looking sentence or section → target; a
    period ending after publication → estimate (the year was not over); else actual."""
    if match := ESTIMATE_WORDS.search(sentence_before):
        return ESTIMATE, match.group()
    if forward:
        return TARGET, "forward-looking"
    if period_end and period_end > published:
        return ESTIMATE, f"period ends {period_end}, after publication on {published}"
    return ACTUAL, "reported"
