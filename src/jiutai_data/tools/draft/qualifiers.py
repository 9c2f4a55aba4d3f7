"""Qualifier, measure and status of a figure, from the words around its number.

The words are the ones CONTRIBUTING.md lists for each value; a word counts only right
next to the number or its unit (超 in 超5000万元, 余 in 50余个, 左右 after 6%), so that
a 超 elsewhere in the clause (超亿元项目) does not qualify an unrelated number.
"""

from __future__ import annotations

import re

from jiutai_data.model.figures import (BETWEEN_WORD_AND_NUMBER, CHANGE, COMPARED_AVERAGE, COMPARED_PLACES,
                                       FALLING_WORDS, LEVEL, MINUS_SIGNS, POINT_CHANGE, RISING_WORDS, YOY_CHANGE,
                                       sign_of)

EXACT, MORE_THAN, AT_LEAST, APPROXIMATELY = "exact", "more_than", "at_least", "approximately"
AT_MOST, LESS_THAN = "at_most", "less_than"
ACTUAL, ESTIMATE, TARGET = "actual", "estimate", "target"
# a plan's status, most fitting first; the first value its schema's enum admits is taken
PLAN_STATUS_AHEAD = ("planned", TARGET)
PLAN_STATUS_UNDER_WAY = ("under_way", "done")

_BEFORE = [  # (words that end right before the number, qualifier); the negated ones first (不超过 ends in 超过)
    (re.compile(r"(至少|不少于|不低于)$"), AT_LEAST),
    (re.compile(r"(不超过|不高于)$"), AT_MOST),
    (re.compile(r"(不到|不足|少于)$"), LESS_THAN),
    (re.compile(r"(突破|超过|超|逾|多于|高于)$"), MORE_THAN),
    (re.compile(r"(大约|约|近|接近|将近)$"), APPROXIMATELY),
]
_AFTER = [  # (words that start right after the unit, qualifier)
    (re.compile(r"^以上"), AT_LEAST),  # inclusive in Chinese statistical usage (the schema's at_least)
    (re.compile(r"^多"), MORE_THAN),
    (re.compile(r"^级"), AT_LEAST),  # a size class: 50亿级 is 50亿 or more
    (re.compile(r"^(左右|上下)"), APPROXIMATELY),
    (re.compile(r"^(以内|以下)"), AT_MOST),  # inclusive, as 以上 is
]

def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# The words that compare with another place: 高于全省1.9个百分点, 低于全国平均水平0.3个百分点.
# The direction words of model/figures.py that end in 于 (高于, 低于) compare; a place word
# (全省 …) stands between them and the number. Alone before a number they bound it (高于5%:
# a qualifier), so they give a direction only with a place.
COMPARING_WORDS = tuple(w for w in (*FALLING_WORDS, *RISING_WORDS) if w.endswith("于"))
# 提高到55%: reached, a level; the other joins of model/figures.py make a change (下降了3.2%, 减少为…)
_JOINS = _alternation(b for b in BETWEEN_WORD_AND_NUMBER if b and b != "到")
_NEAR = "约|近|超过|超|达到|达"  # a qualifier may stand between the word and the number (下降约3%)
# a direction word right before the number, or a comparing word and a place (高于全省)
_DIRECTION = re.compile(
    rf"(?:({_alternation(w for w in (*FALLING_WORDS, *RISING_WORDS) if w not in COMPARING_WORDS)})(?:{_JOINS})?"
    rf"|({_alternation(COMPARING_WORDS)})(?:{_alternation(COMPARED_PLACES)})(?:{_alternation(COMPARED_AVERAGE)})?)(?:{_NEAR})?$")
_PLACE = re.compile(_alternation(COMPARED_PLACES))
# a change on the previous year without a direction word: 同比, 比上年, 增速 …
_CHANGE = re.compile(r"(同比|比上年|比去年|较上年|较去年|增速|增幅|涨幅)(" + _NEAR + r"|为)?$")
# a change in a unit written with a word model/figures.py does not list as a direction: 比上年增产
# 2.6万吨, 比上年多11个 (a rise, no direction word to record), 减产, 少 (a fall)
_CHANGE_WORDS = re.compile(r"(?:(增产|减产)|(?:比|较)(?:上年|去年|上年同期|年初|上年末)(多|少))(?:了)?(?:" + _NEAR + r")?$")
# 影响…上涨1.02个百分点, 拉动增长0.8个百分点: a contribution, a level in points, not a change
_CONTRIBUTION = re.compile(r"(影响|拉动|带动|贡献)")
# 分别增长4.1%和6.3%: the numbers after the first in a 分别 list share its words
_LISTED = re.compile(r"(?:[0-9.]+[^0-9和、及与]{0,4}(?:和|、|及|与))+$")
# a comparison with the same period a year earlier, written in the clause
PREVIOUS_YEAR = re.compile(r"同比|比上年|比去年|较上年|较去年|比上年同期|较上年同期")
# a comparison with another part of the year or a day: 比上半年, 比一季度, 比上年末, 比年初
COMPARED_PART = re.compile(r"[比较](上半年|第一季度|一季度|前三季度|上年末|去年末|上年底|年初)")
# a growth rate's change in points with no comparison written (增速回落1.2个百分点): on the year before
RATE_WORDS = re.compile(r"增速|增幅|涨幅|降幅")
_MINUS = re.compile(f"(?<![0-9A-Za-z.．０-９])([{''.join(re.escape(m) for m in MINUS_SIGNS)}])$")


def direction_of(before: str, whole_words_only: bool = False) -> tuple[str, int]:
    """(the word or minus that gives the number its direction, as written, and its sign) from
    the text right before the number: 下降12.4 → (下降, -1), 高于全省1.2 → (高于, 1), a table's
    -9.7 → (-, -1); ("", 1) where none stands there. ``whole_words_only`` leaves out the
    one-character words (增, 减, 升), which before a count are part of a name (新增5000人)."""
    if match := _MINUS.search(before):
        return match.group(1), -1
    if match := _DIRECTION.search(before[-14:]):
        word = match.group(1) or match.group(2)
        if not (whole_words_only and len(word) < 2):
            return word, sign_of(word) or 1
    return "", 1


def compared_place(before: str) -> str:
    """全省, 全市 or 全国 where the clause compares with that place (高于全省), else empty."""
    match = _PLACE.search(before)
    return match.group() if match else ""


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


def measure_of(before: str, base: str, column_header: str = "") -> tuple[str, str, int, str]:
    """(measure, the words, sign, direction as written) of a figure in base unit ``base``:

    - in percentage points (个百分点): a point_change, whatever the words;
    - in percent, right after 同比/比上年/增速 or a direction word (增长, 下降 …), or in a table
      column headed 增长/比上年: a yoy_change;
    - in any other unit, right after a direction word of two characters or more or a minus
      (减少300人, 比上年增加1.2万人, 高于全省500元): a change in that unit;
    - anything else a level.

    A fall (下降, 减少 …, or a minus before the number) has sign -1; its word is returned
    as written, to go into direction_as_stated."""
    if "分别" in before and (listed := _LISTED.search(before)):
        before = before[:listed.start()]
    direction, sign = direction_of(before, whole_words_only=base != "percent")
    words = direction
    if base == "percentage_point":
        if direction and _CONTRIBUTION.search(before[-20:]):
            return LEVEL, f"a contribution ({_CONTRIBUTION.search(before[-20:]).group()})", sign, direction
        return POINT_CHANGE, words or "个百分点", sign, direction
    if base == "percent":
        if column_header and re.search(r"增长|增速|增幅|比上年", column_header):
            return YOY_CHANGE, column_header + (f" {direction}" if direction else ""), sign, direction
        if direction and direction not in COMPARING_WORDS:
            return YOY_CHANGE, words, sign, direction
        if match := _CHANGE.search(before[-8:]):
            return YOY_CHANGE, match.group(), sign, direction
        return LEVEL, "", 1, ""
    if direction:
        return CHANGE, words, sign, direction
    if match := _CHANGE_WORDS.search(before[-12:]):
        # no direction word of model/figures.py: the value keeps the sign of its direction_as_stated
        # (none); a fall (减产, 少) is said in the words for the reviewer to sign
        word = match.group(1) or match.group(2)
        return CHANGE, word + ("" if word in ("增产", "多") else ": a fall with no direction word (reviewer: sign it)"), 1, ""
    return LEVEL, "", 1, ""


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
