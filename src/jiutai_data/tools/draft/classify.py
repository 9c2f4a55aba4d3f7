"""The numbers that are not data, and why: dates and times, labels, ordinals, numbers in
names, thresholds inside a figure's name, and photo captions that repeat a figure.

Each test looks only at the characters right around the number, so one pass over the
mentions is linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jiutai_data.tools.draft.mentions import NUMERAL_CHARACTERS, Mention

DATE_TIME, LABEL, ORDINAL, NAME, REPEATED = "date_time", "label", "ordinal", "name", "repeated"

_DATE_AFTER = re.compile(r"^(年|月|日|号|时|点|时许|点许|个月|个季度)")
_DATE_SHAPE = re.compile(r"(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}:[0-9]{2}")
_MONTH_RANGE_AFTER = re.compile(r"^[—–\-~～至到][0-9０-９]{1,2}月")
_LIST_LABEL_AFTER = re.compile(r"^[、.．)）]")
_THRESHOLD_AFTER = re.compile(r"^(以上|以下)(?=[\u4e00-\u9fff“])(?!的)")
_N = f"[{NUMERAL_CHARACTERS}]+"
# Ordinals in Chinese numerals: 第二批, 三届三次, 十九届六中全会, 党的二十大
CHINESE_ORDINALS = re.compile(f"第{_N}|{_N}届{_N}(?:次|中全会)|(?<=党的){_N}大")


_CHINESE_YEAR = re.compile("[一二三四五六七八九〇零○]{4}")
# words after a numeral and its measure word that make a slogan (六个领跑, 十个新突破, 三年过万亿)
_SLOGAN_AFTER = re.compile(r"新?(?:领跑|突破|坚持|聚焦|着力|提升|一流|率先|翻番|走在前列|过万亿|过千亿|过百亿|攻坚|"
                           r"优先|统筹|示范引领|全覆盖)")
_TERM_AFTER = re.compile(r"次(?:产业|创业|分配)")


@dataclass(frozen=True)
class Role:
    kind: str  # one of the omission kinds, or "quantity", "threshold"
    why: str


def role_of(mention: Mention, text: str, line_text_before: str, line_text_after: str,
            in_quotation: bool, heading: bool = False) -> Role:
    """What a mention is, from the characters around it; ``line_text_before`` and
    ``line_text_after`` are the rest of its line on either side; ``heading`` says the line is
    a title or heading."""
    after = text[mention.end:mention.end + 4]
    if mention.chinese:
        if _CHINESE_YEAR.fullmatch(mention.stated) and text[mention.end:mention.end + 1] == "年":
            return Role(DATE_TIME, f"{mention.stated}年 is a year written in Chinese numerals")
        word = text[mention.unit_end if mention.unit else mention.end + len(mention.unknown_unit):][:6]
        if match := _TERM_AFTER.match(text, mention.end):
            return Role(NAME, f"{mention.stated}{match.group()}: a term, not a count")
        if match := _SLOGAN_AFTER.match(word):
            return Role(NAME, f"{mention.stated}{text[mention.end:mention.unit_end]}{match.group()}: a numeral in a "
                              "slogan or a name of goals, not a quantity")
        if heading and not in_quotation:
            return Role(NAME, f"{mention.stated}: a numeral in a title or heading (a slogan), not a figure")
    if not mention.chinese:
        shape = text[max(0, mention.start - 11):mention.end + 11]
        if _DATE_AFTER.match(after) or _MONTH_RANGE_AFTER.match(after):
            return Role(DATE_TIME, f"{mention.stated}{after[:1]} is a date")
        if any(m.start() <= mention.start - max(0, mention.start - 11) < m.end() for m in _DATE_SHAPE.finditer(shape)):
            return Role(DATE_TIME, "part of a date or time of day")
        if text[mention.start - 1:mention.start] == "第":
            return Role(ORDINAL, f"第{mention.stated}: an ordinal")
    if in_quotation:
        return Role(NAME, "inside quotation marks: part of a name")
    if mention.unit is None and not mention.chinese and not mention.unknown_unit:
        if not line_text_before.strip(" \t（(") and _LIST_LABEL_AFTER.match(after):
            return Role(LABEL, "a list label at the start of the line")
        if not line_text_after.strip() and re.search(r"[\u4e00-\u9fffA-Za-z]$", line_text_before):
            return Role(LABEL, "a label (of a photo or table) at the end of its line")
        if re.fullmatch(r"(?:19|20)[0-9]{2}", mention.stated) and not mention.unknown_unit:
            return Role(DATE_TIME, f"{mention.stated} is a year")
        return Role(LABEL, "no unit follows the number")
    if mention.unit is None and mention.unknown_unit:
        return Role("quantity", f"{mention.unknown_unit} is not a unit of units.csv")
    if mention.unit and _THRESHOLD_AFTER.match(text[mention.unit_end:mention.unit_end + 4]):
        return Role("threshold", f"{mention.stated}{mention.unit}{text[mention.unit_end:mention.unit_end + 2]} "
                                 "bounds what is counted: part of the figure's name")
    return Role("quantity", "")


def chinese_ordinals(text: str) -> list[re.Match[str]]:
    return list(CHINESE_ORDINALS.finditer(text))
