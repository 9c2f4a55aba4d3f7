"""Every number of a text, with the unit that follows it (from the units table).

Numbers in digits (full-width ones too, read as ASCII) are all found: each must end up
in a row. A Chinese numeral counts as a number only where it quantifies: followed by a
unit of the units table (三个, 两个, 百亿), and not the article-like 一 (一条消息,
一个个), nor inside quotation marks (“四个服务”, a name). Ordinals in Chinese numerals
(第二批, 三届三次, 二十大) are found by ``classify``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from jiutai_data.model.numbers import CHINESE_DIGITS, LARGE_UNITS, MEASURE_WORDS, SMALL_UNITS, find_numbers, \
    parse_chinese_numeral, to_ascii_digits
from jiutai_data.model.unit_definitions import definition_of
from jiutai_data.tools.draft.package import Unit

NUMERAL_CHARACTERS = "".join([*CHINESE_DIGITS, *SMALL_UNITS, *LARGE_UNITS])
_CHINESE_RUN = re.compile(f"[{NUMERAL_CHARACTERS}]+")
# between a number and its unit: 余/多 (more than), and 个 before a unit that is not a count
# (200多个工作日); the same words the quote checks allow there
QUALIFYING_SUFFIX = "余多"
MEASURE_WORD = "个"
OPENING_QUOTES, CLOSING_QUOTES = "“‘「『《", "”’」』》"


@dataclass(frozen=True)
class Mention:
    start: int  # the number's span in the text
    end: int
    stated: str  # as written, in ASCII digits or as the Chinese numeral
    value: float | None
    unit: str | None  # unit_as_stated, or None when no known unit follows
    unit_start: int
    unit_end: int  # end of the unit (the number's end when there is none)
    between: str  # 余, 多, 个 … between the number and its unit
    chinese: bool
    unknown_unit: str = ""  # a unit-like word after the number that units.csv lacks (万人)


class UnitMatcher:
    def __init__(self, units: dict[str, Unit]) -> None:
        self.units = units
        names = sorted(units, key=lambda name: (-len(name), name))
        self._pattern = re.compile("|".join(re.escape(name) for name in names)) if names else None

    def at(self, text: str, position: int) -> str | None:
        if self._pattern is None:
            return None
        match = self._pattern.match(text, position)
        return match.group() if match else None

    def after(self, text: str, position: int) -> tuple[str, str | None, int]:
        """(what stands between, unit, where the unit starts) for a number ending at ``position``."""
        between = ""
        if text[position:position + 1] and text[position] in QUALIFYING_SUFFIX:
            between, position = text[position], position + 1
        if text[position:position + 1] == MEASURE_WORD:
            longer = self.at(text, position + 1)
            if longer and self.units[longer].base != "count":
                return between + MEASURE_WORD, longer, position + 1
        return between, self.at(text, position), position


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text between an opening and its closing quotation mark (the marks included),
    outermost only, never across a line end; one pass over the text."""
    spans, depth, opened = [], 0, 0
    for position, character in enumerate(text):
        if character == "\n":
            depth = 0
        elif character in OPENING_QUOTES:
            if depth == 0:
                opened = position
            depth += 1
        elif character in CLOSING_QUOTES and depth:
            depth -= 1
            if depth == 0:
                spans.append((opened, position + 1))
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The span of ``spans`` (sorted, disjoint) that holds [start, end), if any."""
    index = bisect_right(spans, (start, float("inf"))) - 1
    if index >= 0 and spans[index][0] <= start and end <= spans[index][1]:
        return spans[index]
    return None


_UNIT_CHARACTERS = re.compile(r"[\u4e00-\u9fff‰%]{1,6}")
_MAX_UNIT = 6


def defined_unit(text: str, position: int) -> str:
    """The longest word at ``position`` that the unit definitions read (亿立方米, 万台), or ""."""
    run = _UNIT_CHARACTERS.match(text, position, position + _MAX_UNIT)
    if run:
        word = run.group()
        for length in range(len(word), 0, -1):
            if definition_of(word[:length]) is not None and word[:length] not in ("年", "天"):
                return word[:length]
    return ""


def _guess_unknown_unit(text: str, position: int) -> str:
    """A unit after a number that units.csv lacks: the longest word the unit definitions read
    (亿立方米, 万台, 吨标准煤 is 吨 …), else a multiplier and one character (万辆)."""
    if word := defined_unit(text, position):
        return word
    match = re.match(r"[万亿千百]?[\u4e00-\u9fff]", text[position:position + 2])
    return match.group() if match and match.group()[0] in "万亿千" else ""


def find_mentions(text: str, units: UnitMatcher, quoted: list[tuple[int, int]]) -> list[Mention]:
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for number in find_numbers(text):
        between, unit, unit_start = units.after(text, number.end)
        if unit and len(longer := defined_unit(text, unit_start)) > len(unit) and longer not in units.units:
            unit = None  # 1.2亿立方米: not 亿 (yuan) but a unit the table lacks
        unit_end = unit_start + len(unit) if unit else number.end
        unknown = "" if unit else _guess_unknown_unit(text, number.end + len(between))
        stated = to_ascii_digits(number.text)
        mentions.append(Mention(number.start, number.end, stated, float(stated), unit, unit_start, unit_end,
                                between, False, unknown))
        taken.append((number.start, max(unit_end, number.end + len(between) + len(unknown))))
    taken_ends = {end for _, end in taken}
    taken_spans = sorted(taken)
    for match in _CHINESE_RUN.finditer(text):
        run, start = match.group(), match.start()
        if _overlaps(taken_spans, start, match.end()) or start in taken_ends:
            continue
        candidate = _chinese_quantity(text, run, start, units)
        if candidate is None:
            continue
        if inside(quoted, start, match.end()) or text[start - 1:start] == "第":
            continue
        mentions.append(candidate)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    index = bisect_right(spans, (start, float("inf"))) - 1
    return (index >= 0 and spans[index][1] > start) or (index + 1 < len(spans) and spans[index + 1][0] < end)


def _chinese_quantity(text: str, run: str, start: int, units: UnitMatcher) -> Mention | None:
    end = start + len(run)
    if run == "一" or all(ch in LARGE_UNITS for ch in run) and len(run) == 1:
        return None  # 一条消息 is "a message", not one; a lone 万 is no number (十个 is ten, as validate reads it)
    between, unit, unit_start = units.after(text, end)
    if unit and text[unit_start + len(unit):unit_start + 2 * len(unit)] == unit:
        return None  # 一个个, 一件件: "one after another"
    if unit is None and run[-1] in LARGE_UNITS and len(run) > 1:
        # 百亿级: the numeral 百 and the unit 亿, when the table has 亿 as a unit
        unit = units.at(text, end - 1)
        if unit:
            run, end, between, unit_start = run[:-1], end - 1, "", end - 1
    unknown = ""
    if unit is None:
        # a measure word the units table lacks (两批, 三次): validate counts it as a quantity too
        unknown = next((w for w in MEASURE_WORDS if text.startswith(w, end)), "")
        if not unknown:
            return None
    value = parse_chinese_numeral(run)
    if value is None:
        return None
    if unknown:
        return Mention(start, end, run, value, None, end, end, "", True, unknown)
    return Mention(start, end, run, value, unit, unit_start, unit_start + len(unit), between, True)
