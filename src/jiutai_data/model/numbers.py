"""Numbers as sources write them: digits (264.6) and Chinese numerals (两, 三百五十).

Two jobs: turn a stated number into its value (``parse_number`` for one,
``parse_numbers`` for a whole column), and find every number written in digits
in a text (``find_numbers`` for one text, ``number_spans`` for many at once), so
that coverage can demand a quote around each.

Full-width digits (０-９, and the full-width point ．) count as digits: a source
that writes ２２亿元 states a number just as 22亿元 does, so it must be covered, and
``value_as_stated`` keeps it as written (２２). Every reader of a stated number (the
conversion, the checks, add-source) reads it through one normaliser,
``normalise_number``, which gives the ASCII twin.

A third job: find the quantities written in Chinese numerals in a text
(``chinese_quantities``): a numeral followed by a unit or a measure word (六个,
三百公里, 两个), which coverage counts as it counts digits.

Why one module of this size: the digit and numeral readers share one grammar of what a number is
(its characters, its measure words, its limits), which the validators and the drafter must read alike.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Iterator

# numpy and polars come with the tools extra; a light install (load() on pyarrow alone) imports
# this module only for its patterns (model/fields.py), so it must import without them.
try:
    import numpy as np
    import polars as pl
except ModuleNotFoundError:
    np = pl = None

# A number written in digits in a text: a maximal run of digits with an optional
# decimal part. Rust's regex (polars) and Python's re both read this pattern;
# [0-9] rather than \d, because \d would also take Arabic-Indic and other digits.
NUMBER_IN_TEXT = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"

# value_as_stated in digits, ASCII or full-width, as the source writes them
DIGITS_ONLY = f"^{NUMBER_IN_TEXT}$"

CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
                  "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARACTERS = "".join(CHINESE_DIGITS) + "".join(SMALL_UNITS) + "".join(LARGE_UNITS)
CHINESE_NUMERAL = "^[" + NUMERAL_CHARACTERS + "]+$"

# The pattern of every stated-number column (value_as_stated, investment_as_stated,
# target_as_stated) in the Table Schemas; a test holds each schema to it. With the words
# the validator shows when a cell does not match it, so that the message says what to write.
STATED_NUMBER_PATTERN = "^([0-9０-９]+([.．][0-9０-９]+)?|[" + NUMERAL_CHARACTERS + "]+)$"
STATED_NUMBER_RULE = ("the number exactly as the source writes it, without unit, sign or qualifier: digits with "
                      "an optional decimal point (264.6), full-width digits as written (２５, ２６４．６), or a Chinese "
                      "numeral (三百, 两); 50余个 is 50 with qualifier more_than, 约6% is 6 with approximately, and "
                      "a thousands separator (1,229) is left out")
PATTERN_RULES = {STATED_NUMBER_PATTERN: STATED_NUMBER_RULE}

# Measure words that make a Chinese numeral a quantity (六个, 两项, 三年) besides the units
# of the package's units table, which the callers add: a contributor's text may use a
# measure word before anyone has added its unit. 一 alone is left out: 一个, 一项 and
# 每一名 are nearly always the article "a", not a count.
MEASURE_WORDS = ("个", "项", "件", "家", "户", "人", "名", "位", "条", "座", "处", "场", "所", "次", "批", "种",
                 "类", "支", "张", "辆", "套", "片", "年", "天", "公里", "公顷", "亩", "吨", "元")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_NUMBER_RE = re.compile(NUMBER_IN_TEXT)
_DIGITS_ONLY_RE = re.compile(DIGITS_ONLY)
_CHINESE_NUMERAL_RE = re.compile(CHINESE_NUMERAL)


def to_ascii_digits(text: str) -> str:
    """Full-width digits and point as ASCII, everything else unchanged."""
    return text.translate(_FULL_WIDTH)


def normalise_number(stated: str) -> str:
    """The one reading of a stated number: full-width digits and point as ASCII (２５ → 25).

    Chinese numerals are left as they are; ``parse_number`` reads them."""
    return to_ascii_digits(stated)


_WIDE_CHARACTERS = list("０１２３４５６７８９．")
_NARROW_CHARACTERS = list("0123456789.")


def normalise_numbers(stated: pl.Expr) -> pl.Expr:
    """``normalise_number`` as an expression over a column."""
    return stated.str.replace_many(_WIDE_CHARACTERS, _NARROW_CHARACTERS)


# Hand-written rather than taken from a library such as cn2an: only a few dozen
# characters are involved, the rules the package needs (两, 三五 as ambiguous, digit-by-digit
# years) must be pinned by our own tests, and cn2an would add a dependency for ~40 lines.
@lru_cache(maxsize=4096)
def parse_chinese_numeral(numeral: str) -> float | None:
    """The value of a Chinese numeral, or None if it is not a well-formed one.

    Handles 两 (2), a leading 十 (十三 = 13), 零 inside (一百零五 = 105), 万 and 亿
    sections (三亿五千万 = 350,000,000), the colloquial trailing digit (三百五 = 350,
    一万五 = 15,000) and digit-by-digit writing (二〇二二 = 2022). A run of digits
    between units (三五十), or two digits alone (三五, "three to five"), is
    ambiguous and gives None.
    """
    if not numeral or not _CHINESE_NUMERAL_RE.match(numeral):
        return None
    if all(ch in CHINESE_DIGITS for ch in numeral):
        if len(numeral) == 2 and not set(numeral) & {"零", "〇"}:
            return None
        # no unit at all: one digit, or a number spelt digit by digit like a year. More digits
        # than a float holds is unreadable (and int() refuses a string of over 4,300 digits)
        if len(numeral) > _FLOAT_DIGITS:
            return None
        return _as_float(int("".join(str(CHINESE_DIGITS[ch]) for ch in numeral)))

    above_yi = 0  # multiples of 亿 already closed
    below_yi = 0  # multiples of 万 since the last 亿
    section = 0  # below 万: thousands, hundreds, tens
    digit: int | None = None  # the digit waiting for its unit
    last_small_unit = 10_000  # small units in a section must fall: 千 > 百 > 十
    previous = ""
    for ch in numeral:
        if ch in CHINESE_DIGITS:
            if digit is not None and CHINESE_DIGITS[previous] != 0:
                return None  # two digits in a row: 三五 is "three to five", not a number
            digit = CHINESE_DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if unit >= last_small_unit:
                return None
            # a bare 十 (十三, 二百十) means one ten
            section += (1 if digit is None or (digit == 0 and previous in "零〇") else digit) * unit
            last_small_unit, digit = unit, None
        else:
            unit = LARGE_UNITS[ch]
            part = section + (digit or 0)
            if unit == 10_000:
                below_yi += (part or (0 if below_yi or above_yi else 1)) * unit
            else:
                above_yi = (above_yi + below_yi + part or 1) * unit
                below_yi = 0
                if above_yi > _FLOAT_LIMIT:
                    return None  # 亿亿…亿: beyond any float, and each 亿 more makes the integer longer
            section, digit, last_small_unit = 0, None, 10_000
        previous = ch

    if digit is not None and previous not in "零〇" and len(numeral) >= 2:
        unit_before = numeral[-2]
        # 三百五 is 350 and 一万五 is 15,000: a final digit right after a unit
        # other than 十 counts in the next lower unit
        if unit_before in "百千":
            digit *= SMALL_UNITS[unit_before] // 10
        elif unit_before in LARGE_UNITS:
            digit *= LARGE_UNITS[unit_before] // 10
    return _as_float(above_yi + below_yi + section + (digit or 0))


_FLOAT_DIGITS = 308  # the most decimal digits an integer a float holds has (float max ≈ 1.8e308)
_FLOAT_LIMIT = 10 ** 309


def _as_float(value: int) -> float | None:
    """The exact integer a numeral reads as, as a float; None when no float holds it (一 written
    400 times, 亿亿…亿): such a numeral is unreadable (number-readable), never an OverflowError
    that would stop the check reading the other rows of its column."""
    try:
        return float(value)
    except OverflowError:
        return None


def parse_number(stated: str | None) -> float | None:
    """The value of a number as stated (digits, ASCII or full-width, or a Chinese numeral), else None."""
    if stated is None:
        return None
    if _DIGITS_ONLY_RE.match(stated):
        return float(normalise_number(stated))
    return parse_chinese_numeral(stated)


def parse_numbers(stated: pl.Series) -> pl.Series:
    """``parse_number`` over a column: a cast for digits, and a Python parse of
    each *distinct* Chinese numeral (few, since sources mostly write digits)."""
    stated = stated.cast(pl.String)
    is_digits = stated.str.contains(DIGITS_ONLY).fill_null(False)
    narrow = pl.select(normalise_numbers(pl.lit(stated))).to_series()
    parsed = pl.select(pl.when(is_digits).then(narrow.cast(pl.Float64, strict=False))).to_series()
    # only the cells that are not digits are looked at again (and scattered back)
    others = (~is_digits & stated.is_not_null()).arg_true()
    if others.len():
        rest = stated.gather(others)
        chinese = rest.filter(rest.str.contains(CHINESE_NUMERAL).fill_null(False)).unique()
        mapping = {numeral: _readable(numeral) for numeral in chinese.to_list()}
        parsed = parsed.scatter(others, rest.replace_strict(mapping, default=None, return_dtype=pl.Float64))
    return parsed.alias(stated.name)


def _readable(numeral: str) -> float | None:
    """parse_chinese_numeral, with None for a numeral it cannot read whatever the reason: one bad
    cell is that cell's finding (number-readable), never the end of the column's check."""
    try:
        return parse_chinese_numeral(numeral)
    except (ArithmeticError, ValueError):
        return None


def number_of(column: str) -> pl.Expr:
    """Expression form of ``parse_numbers`` for use inside a frame."""
    return pl.col(column).map_batches(parse_numbers, return_dtype=pl.Float64)


@dataclass(frozen=True)
class NumberInText:
    start: int  # character offset of the first digit
    end: int  # character offset just after the last digit
    text: str  # as written (possibly full-width)

    @property
    def value(self) -> float | None:
        return parse_number(self.text)


def find_numbers(text: str) -> list[NumberInText]:
    """Every number written in digits in ``text``, with its character span.

    For messages and for one text at a time (e.g. add-source); the checks use the
    same pattern, ``NUMBER_IN_TEXT``, vectorised over all texts.
    """
    return [NumberInText(m.start(), m.end(), m.group()) for m in _NUMBER_RE.finditer(text)]


def _measure_words(units: Iterable[str]) -> list[str]:
    """MEASURE_WORDS and ``units`` (unit_as_stated values), longest first, for one alternation."""
    words = {word for word in (*MEASURE_WORDS, *units) if word and not word[0].isdigit()}
    return sorted(words, key=lambda word: (-len(word), word))


# A numeral starts where no digit, numeral, point or qualifier continues one (5万公顷, 10余万人次).
_NOT_BEFORE_A_NUMERAL = frozenset("0123456789.０１２３４５６７８９．余多" + NUMERAL_CHARACTERS)
_NUMERAL_RUN = re.compile("[" + NUMERAL_CHARACTERS + "]+")


@lru_cache(maxsize=64)
def _quantity_pattern(words: tuple[str, ...]) -> re.Pattern:
    return re.compile("([" + NUMERAL_CHARACTERS + "]+)(?:" + "|".join(re.escape(w) for w in words) + ")")


def _is_quantity(numeral: str) -> bool:
    # 一 alone is the article; 万 or 亿 alone is part of a unit (万人次) or a word (万一)
    return numeral != "一" and not set(numeral) <= set(LARGE_UNITS)


def _quantity_matches(text: str, units: Iterable[str]) -> Iterator[re.Match]:
    """The matches of ``(numeral+)(measure word | unit)`` that start a run of numerals not
    continued from the character before, as ``finditer`` would find them with that rule as a
    lookbehind. Done by hand because the lookbehind (one per excluded character) made Python's
    regex engine test thirty assertions at every character: 23 s for 47 MB of text, against
    well under a second for one scan of numeral runs and an anchored match at each run's start.
    Each run is tried once, so the time stays linear in the text."""
    pattern = _quantity_pattern(tuple(_measure_words(units)))
    resume = 0  # finditer goes on after the end of the last match
    for run in _NUMERAL_RUN.finditer(text):
        start = run.start()
        if start < resume or (start and text[start - 1] in _NOT_BEFORE_A_NUMERAL):
            continue  # every later position of this run follows a numeral, so none can start one
        match = pattern.match(text, start)
        if match is not None:
            resume = match.end()
            if _is_quantity(match.group(1)):
                yield match


def find_chinese_quantities(text: str, units: Iterable[str] = ()) -> list[NumberInText]:
    """Every quantity written in Chinese numerals in ``text``: a numeral followed by a measure
    word or a unit (六个, 三百公里, 两个), with the numeral's character span."""
    return [NumberInText(m.start(1), m.end(1), m.group(1)) for m in _quantity_matches(text, units)]


def chinese_quantity_spans(text: str, units: Iterable[str] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Byte spans (starts, ends) in the UTF-8 encoding of ``text`` of the numerals of
    ``find_chinese_quantities``."""
    found = []
    characters = offset = 0  # a character position and its byte offset, moved forward only
    for match in _quantity_matches(text, units):
        offset += len(text[characters:match.start(1)].encode("utf-8"))
        characters = match.start(1)
        found.append((offset, offset + len(match.group(1).encode("utf-8"))))
    spans = np.array(found, dtype=np.int64).reshape(-1, 2)
    return spans[:, 0], spans[:, 1]


def numbers_in(text: str) -> list[str]:
    """The numbers written in digits in ``text``, in ASCII, in order of appearance."""
    return [to_ascii_digits(m.group()) for m in _NUMBER_RE.finditer(text)]


# UTF-8 bytes of the characters NUMBER_IN_TEXT is made of: ASCII digits and point
# (one byte each), full-width digits ０-９ (EF BC 90-99) and point ． (EF BC 8E).
_ZERO, _POINT = ord("0"), ord(".")
_WIDE_LEAD, _WIDE_SECOND, _WIDE_ZERO, _WIDE_POINT = 0xEF, 0xBC, 0x90, 0x8E


def number_spans(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Byte spans (starts, ends) of every number written in digits in the UTF-8
    ``data``: exactly the matches of ``NUMBER_IN_TEXT``, found with a few numpy
    passes instead of a regex, so that tens of megabytes of text take a fraction
    of a second. Many texts are searched at once by joining them with a byte that
    is neither a digit nor a point (a NUL).

    The regex takes a maximal run of digits, then a point and a second run if
    one follows at once. So runs linked by points pair up from the left: in
    1.2.3.4 the numbers are 1.2 and 3.4, and in 1.2.3 they are 1.2 and 3.
    """
    empty = np.zeros(0, dtype=np.int64)
    size = len(data)
    if size == 0:
        return empty, empty
    byte = np.frombuffer(data, dtype=np.uint8)
    # one flag per byte: part of a digit (the three bytes of a full-width one included)
    digit = (byte - np.uint8(_ZERO)) < 10
    lead = np.flatnonzero(byte[:-2] == _WIDE_LEAD)
    lead = lead[byte[lead + 1] == _WIDE_SECOND]
    wide = lead[(byte[lead + 2] - np.uint8(_WIDE_ZERO)) < 10]
    for shift in range(3):
        digit[wide + shift] = True
    # runs of digits: the flag rises and falls in turn, so the changes alternate start, end
    # (a boolean "differs from the byte before" is found faster than the nonzeros of a diff)
    changes = np.empty(size + 1, dtype=bool)
    changes[0], changes[size] = digit[0], digit[size - 1]
    np.not_equal(digit[1:], digit[:-1], out=changes[1:size])
    change = np.flatnonzero(changes)
    run_start, run_end = change[0::2], change[1::2]
    if len(run_start) == 0:
        return empty, empty
    # a run is linked to the next one when a point (narrow or wide) is all that lies between them
    following = byte[np.minimum(run_end[:-1], size - 1)]
    gap = run_start[1:] - run_end[:-1]
    linked = np.zeros(len(run_start), dtype=bool)
    linked[:-1] = (following == _POINT) & (gap == 1)
    wide_gap = np.flatnonzero((following == _WIDE_LEAD) & (gap == 3))
    at = run_end[wide_gap]
    linked[wide_gap[(byte[at + 1] == _WIDE_SECOND) & (byte[at + 2] == _WIDE_POINT)]] = True
    # a run starts a number unless the run before it took it; within a chain of linked
    # runs (1.2.3.4, rare) every other run from the chain's first starts one
    linked_to = np.concatenate([[False], linked[:-1]])
    if (linked & linked_to).any():
        index = np.arange(len(run_start))
        chain_first = np.maximum.accumulate(np.where(linked_to, 0, index))
        starts_number = (index - chain_first) % 2 == 0
    else:
        starts_number = ~linked_to
    end = np.where(starts_number & linked, np.concatenate([run_end[1:], [0]]), run_end)
    return run_start[starts_number], end[starts_number]


# --- numbers in messages --------------------------------------------------------------------
#
# A message shows a number as a reader takes it in: 2133.33 ha, not 2133.3333333333335 ha (1 亩
# is 1/15 ha, so every area stated in 亩 has a repeating decimal). Whole numbers stay whole and
# without separators (26460000000, as in the CSV); others keep DISPLAY_DECIMALS decimals from 1
# up, DISPLAY_SIGNIFICANT significant digits below 1 (a factor such as 0.0666667). Where two
# numbers of one message differ ("is X, expected Y", which the checks say when values differ by
# more than a billionth), each gets as many more digits as it takes for them to read differently.
DISPLAY_DECIMALS = 2
DISPLAY_SIGNIFICANT = 6
# Beyond this many more digits two floats that still read alike are shown as Python writes them
# (repr, the shortest text that reads back as the same float).
_MOST_EXTRA_DIGITS = 10


def _displayed(value: float, extra: int) -> str:
    if value.is_integer() and abs(value) < 1e18:
        return str(int(value))
    if abs(value) >= 1:
        text = f"{value:.{DISPLAY_DECIMALS + extra}f}"
    else:
        # significant digits, written out without exponent notation: 1.23457e-05 is 0.0000123457
        # (through the shortest decimal of the rounded float, so that 0.92 is not 0.920000000000000039)
        text = format(Decimal(repr(float(f"{value:.{DISPLAY_SIGNIFICANT + extra}g}"))), "f")
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def display_numbers(*values: float | int | None) -> list[str]:
    """Each of `values` as a message shows it (see above), with the digits that tell apart the
    ones that differ. None, NaN and infinities are shown as Python writes them."""
    finite = [float(value) if value is not None and math.isfinite(value) else None for value in values]
    distinct = {number for number in finite if number is not None}
    for extra in range(_MOST_EXTRA_DIGITS + 1):
        shown = [_displayed(number, extra) if number is not None else str(value)
                 for number, value in zip(finite, values)]
        # values that differ must read differently (equal values read alike anyway)
        if len({text for text, number in zip(shown, finite) if number is not None}) == len(distinct):
            return shown
    return [repr(number) if number is not None else str(value) for number, value in zip(finite, values)]


def display_number(value: float | int | None) -> str:
    """One number as a message shows it: 2133.33, 26460000000, 0.92, 0.0666667."""
    return display_numbers(value)[0]
