"""What kind of figure a row of indicators is, declared once: its measures, the words that give
a change its direction, and which measures need a whole or a point of comparison.

Statistical bulletins state levels (地区生产总值264.6亿元), year-on-year changes in percent
(同比下降12.4%), changes of a rate in percentage points against another period or place
(较上半年提高1.4个百分点, 高于全省1.9个百分点), changes in a figure's own unit (增加1.2万人)
and shares of a whole (占生产总值的比重为46.2%; a structure 11.2:48.7:40.1 is three shares), and indexes against a
base period written as 100 (居民消费价格指数(上年=100) 101.8).

A fall is a negative value. The number as written stays unsigned in ``value_as_stated``; the
word (下降) or the minus (a table's -9.7) that signs it is kept in ``direction_as_stated``, so
that a check can hold value = sign × stated × factor and find the word in the quote. The
schema's enum of ``indicators.measure`` must equal ``MEASURES`` (a test holds them together).
"""

from __future__ import annotations

LEVEL = "level"
YOY_CHANGE = "yoy_change"  # in percent, against the same period a year earlier
POINT_CHANGE = "point_change"  # of a rate, in percentage points
CHANGE = "change"  # in the figure's own unit
SHARE = "share"  # of a whole (share_of), in percent
INDEX = "index"  # a price or volume index against a base period written as 100 (上年=100)
MEASURES = (LEVEL, YOY_CHANGE, POINT_CHANGE, CHANGE, SHARE, INDEX)

# Measures that may be negative (a fall); the others are amounts, counts and rates (≥ 0).
SIGNED_MEASURES = frozenset({YOY_CHANGE, POINT_CHANGE, CHANGE})
# Measures that must say what they are compared with (a yoy_change is against the same
# period a year earlier unless it says otherwise).
COMPARED_MEASURES = frozenset({POINT_CHANGE, CHANGE})
# Measures that may name a comparison (an index its base period); a level or share names none.
MAY_BE_COMPARED = COMPARED_MEASURES | {YOY_CHANGE, INDEX}
# Measures in the unit the catalogue gives the concept (a level and its change in 万人 are both in persons).
CATALOGUE_UNIT_MEASURES = frozenset({LEVEL, CHANGE})

# Base units (units.unit) the checks of measures rely on.
PERCENT, PERCENTAGE_POINT, COUNT, INDEX_POINTS = "percent", "percentage_point", "count", "index"
# The base unit each measure must have, where it has one whatever the concept.
MEASURE_UNITS = {YOY_CHANGE: PERCENT, POINT_CHANGE: PERCENTAGE_POINT, SHARE: PERCENT, INDEX: INDEX_POINTS}
# The units of an index name its base (上年=100): a bulletin writes them in brackets after the
# index's name (居民消费价格指数(上年=100) 101.8), not after the number, so they stand anywhere
# in the quote in brackets.
INDEX_BASE_UNITS = ("上年=100", "上年同期=100")

# The unit of each part of a ratio a:b:c (三次产业结构为11.2:48.7:40.1): shares that make their whole;
# sources also write the ratio sign ∶ (U+2236) or a full-width colon.
RATIO_UNIT = ":"
RATIO_UNITS = (RATIO_UNIT, "∶", "：")

# The words of Chinese statistical writing that give a change its direction. Longest first
# where one contains another, so that a search finds 负增长 before 增长.
FALLING_WORDS = ("负增长", "下降", "减少", "降低", "回落", "下滑", "下跌", "缩减", "缩小", "收窄", "低于", "减")
RISING_WORDS = ("增长", "增加", "提高", "上升", "上涨", "回升", "扩大", "高于", "增", "升")
# A minus written before a number (tables write -9.7): ASCII hyphen-minus, the minus sign, full width.
MINUS_SIGNS = ("-", "−", "－")
DIRECTIONS = FALLING_WORDS + RISING_WORDS + MINUS_SIGNS
# What may stand between a direction word and the change it signs: 下降12.4%, 下降了3.2%. (下降到,
# 减少为 give the level the figure fell to, not the fall: not a direction of the number after them.)
BETWEEN_WORD_AND_NUMBER = ("", "了")
# The places a comparison names between its word and its number (高于全省1.2个百分点), with the
# level of the region (regions.level) each stands for.
COMPARED_PLACES = {"全国": "nation", "全省": "province", "全市": "prefecture"}
COMPARED_AVERAGE = ("平均水平", "平均")  # 低于全省平均水平0.3个百分点


def sign_of(direction: str | None) -> int | None:
    """-1 for a fall, +1 for a rise or no direction, None for a word that is not a direction."""
    if direction is None or direction == "":
        return 1
    if direction in FALLING_WORDS or direction in MINUS_SIGNS:
        return -1
    if direction in RISING_WORDS:
        return 1
    return None


def is_fall(direction: str | None) -> bool:
    return sign_of(direction) == -1
