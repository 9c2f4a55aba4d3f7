"""What a figure is, checked against its quote and the catalogue:

- ``direction-word``: direction_as_stated is a word of model/figures.py (下降, 增长 …) or a minus;
- ``direction-in-quote``: that word stands in the quote;
- ``direction-missing``: the quote writes a fall right before the stated number (下降12.4,
  减少了3, -9.7) but the row records no direction, so its value reads as a rise;
- ``unit-cut-short``: the quote writes a longer unit of the units table right where the stated
  unit stands (1.4个百分点 recorded as 个, a count);
- ``comparison-base``: a point_change or change says what it is compared with (a place or a
  period); a level or share compares with nothing; a compared period has both ends;
- ``share-of``: a share names its whole, and nothing else does;
- ``stock-on-a-day``: a concept the catalogue calls a stock is dated on one day.

Pure: frames in, findings out. The arithmetic of a source's figures is in arithmetic.py.
"""

from __future__ import annotations

import re

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.figures import (BETWEEN_WORD_AND_NUMBER, COMPARED_AVERAGE, COMPARED_MEASURES, COMPARED_PLACES,
                                       DIRECTIONS, FALLING_WORDS, MAY_BE_COMPARED, MINUS_SIGNS, SHARE)
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import DIGITS_ONLY, normalise_number, to_ascii_digits
from jiutai_data.model.package import resource_paths
from jiutai_data.validate.checks.declare import Scope, declares

TABLE = "indicators"
QUOTE, DIRECTION, MEASURE = "quote", "direction_as_stated", "measure"
STATED, UNIT_AS_STATED = "value_as_stated", "unit_as_stated"
SHARE_OF = "share_of"
COMPARED_REGION, COMPARED_START, COMPARED_END = ("compared_with_region_id", "compared_with_period_start",
                                                 "compared_with_period_end")
STOCK = "stock"  # catalogue.kind of a state on a day


def _frame(frames: PackageFrames, *columns: str) -> pl.DataFrame | None:
    frame = frames.table(TABLE)
    if frame is None or not {ROW_COLUMN, *columns} <= set(frame.columns):
        return None
    return frame.select(ROW_COLUMN, *[pl.col(c) if frame.schema[c] == pl.Date else pl.col(c).cast(pl.String)
                                      for c in columns])


def _path(frames: PackageFrames) -> str | None:
    return resource_paths(frames.descriptor).get(TABLE)


# --- the direction of a change ----------------------------------------------------------

@declares(Scope.ROW, codes.DIRECTION_IN_QUOTE, codes.DIRECTION_WORD)
def check_directions_are_words_of_the_quote(frames: PackageFrames) -> list[Finding]:
    """direction_as_stated is a known direction word (or a minus) and stands in the quote."""
    rows = _frame(frames, DIRECTION, QUOTE)
    if rows is None:
        return []
    path, findings = _path(frames), []
    given = rows.filter(pl.col(DIRECTION).is_not_null())
    for row, word in given.filter(~pl.col(DIRECTION).is_in(list(DIRECTIONS))).select(ROW_COLUMN, DIRECTION).iter_rows():
        findings.append(Finding(
            TABLE, row, DIRECTION, codes.DIRECTION_WORD,
            f"{DIRECTION} {word!r} is not a word that gives a change its direction, expected one of "
            f"{', '.join(DIRECTIONS)} (as the quote writes it), or empty where the quote writes none",
            word, path=path))
    absent = given.filter(pl.col(DIRECTION).is_in(list(DIRECTIONS)) & pl.col(QUOTE).is_not_null()
                          & ~pl.col(QUOTE).str.contains(pl.col(DIRECTION), literal=True))
    for row, word, quote in absent.select(ROW_COLUMN, DIRECTION, QUOTE).iter_rows():
        findings.append(Finding(
            TABLE, row, DIRECTION, codes.DIRECTION_IN_QUOTE,
            f"{DIRECTION} {word!r} is not in the quote “{quote[:80]}”; expected the word (or minus) that signs "
            "the figure exactly as the quote writes it", word, path=path))
    return sorted(findings, key=lambda f: f.row or 0)


def _fall_before(quote: str, stated: str) -> str | None:
    """The falling word or minus written right before the whole number ``stated`` in ``quote``, if any."""
    text, number = to_ascii_digits(quote), normalise_number(stated)
    digits = re.fullmatch(DIGITS_ONLY, stated) is not None
    after = r"(?![0-9]|\.[0-9])" if digits else ""
    between = "|".join(re.escape(b) for b in BETWEEN_WORD_AND_NUMBER)
    # (低于全省平均水平0.3个百分点: a place and an average may stand between word and number)
    place = "(?:" + "|".join(re.escape(w) for w in COMPARED_PLACES) + ")?"
    average = "(?:" + "|".join(re.escape(w) for w in COMPARED_AVERAGE) + ")?"
    words = "|".join(re.escape(w) for w in FALLING_WORDS)
    minus = "".join(re.escape(m) for m in MINUS_SIGNS)
    # a minus is a sign only where no digit or letter stands before it (10-15 is a range)
    pattern = rf"({words}){place}{average}(?:{between}){re.escape(number)}{after}|(?<![0-9A-Za-z.])([{minus}]){re.escape(number)}{after}"
    found = re.search(pattern, text)
    return None if found is None else (found.group(1) or found.group(2))


@declares(Scope.ROW, codes.DIRECTION_MISSING)
def check_falls_are_signed(frames: PackageFrames) -> list[Finding]:
    """A number the quote gives as a fall (下降12.4, -9.7) is recorded with its direction."""
    rows = _frame(frames, DIRECTION, QUOTE, STATED)
    if rows is None:
        return []
    signals = "|".join(re.escape(w) for w in (*FALLING_WORDS, *MINUS_SIGNS))
    # the few rows whose quote holds a falling word or a minus are looked at one by one
    suspects = rows.filter(pl.col(DIRECTION).is_null() & pl.col(STATED).is_not_null()
                           & pl.col(QUOTE).str.contains(signals).fill_null(False))
    path, findings = _path(frames), []
    for row, quote, stated in suspects.select(ROW_COLUMN, QUOTE, STATED).iter_rows():
        word = _fall_before(quote, stated)
        if word is not None:
            findings.append(Finding(
                TABLE, row, DIRECTION, codes.DIRECTION_MISSING,
                f"the quote writes {word}{stated}, a fall, but {DIRECTION} is empty, so the value reads as a rise; "
                f"expected {DIRECTION} {word!r} and a negative value", stated, path=path))
    return findings


# --- the unit as written, whole -----------------------------------------------------------

@declares(Scope.ROW, codes.UNIT_CUT_SHORT)
def check_units_are_not_cut_short(frames: PackageFrames) -> list[Finding]:
    """Where the quote writes a longer unit of the units table at the stated unit's place
    (1.4个百分点), the row records that unit, not its first characters (个, a count)."""
    rows = _frame(frames, QUOTE, STATED, UNIT_AS_STATED)
    units = frames.table("units")
    if rows is None or units is None or "unit_as_stated" not in units.columns:
        return []
    known = [u for u in units.get_column("unit_as_stated").cast(pl.String).drop_nulls().to_list() if u]
    longer = {u: sorted((v for v in known if v != u and v.startswith(u)), key=len, reverse=True) for u in known}
    longer = {u: vs for u, vs in longer.items() if vs}
    suspects = rows.filter(pl.col(UNIT_AS_STATED).is_in(list(longer)) & pl.col(QUOTE).is_not_null()
                           & pl.col(STATED).is_not_null())
    path, findings = _path(frames), []
    for row, quote, stated, unit in suspects.select(ROW_COLUMN, QUOTE, STATED, UNIT_AS_STATED).iter_rows():
        text, number = to_ascii_digits(quote), normalise_number(stated)
        places = [m.end() for m in re.finditer(rf"(?<![0-9.]){re.escape(number)}(?:余|多)?(?={re.escape(unit)})", text)]
        if not places:
            continue  # (a unit that does not follow its number is unit-in-quote's finding)
        whole = {next((v for v in longer[unit] if text.startswith(v, at)), None) for at in places}
        if None not in whole:
            better = sorted(whole)[0]
            findings.append(Finding(
                TABLE, row, UNIT_AS_STATED, codes.UNIT_CUT_SHORT,
                f"{UNIT_AS_STATED} is {unit!r} but the quote writes {stated}{better}; expected the whole unit "
                f"{better!r} (个百分点 is a change in percentage points, not a count of 个)", unit, path=path))
    return findings


# --- what a change is compared with, what a share is a share of --------------------------

@declares(Scope.ROW, codes.COMPARISON_BASE)
def check_comparisons_name_their_base(frames: PackageFrames) -> list[Finding]:
    """A point_change or change names the place or period it is compared with; a level or
    share names none; a compared period has both its ends."""
    rows = _frame(frames, MEASURE, COMPARED_REGION, COMPARED_START, COMPARED_END)
    if rows is None:
        return []
    has_base = pl.any_horizontal(pl.col(COMPARED_REGION, COMPARED_START, COMPARED_END).is_not_null())
    compared = pl.col(MEASURE).is_in(list(COMPARED_MEASURES))
    path, findings = _path(frames), []
    for row, measure in rows.filter(compared & ~has_base).select(ROW_COLUMN, MEASURE).iter_rows():
        findings.append(Finding(
            TABLE, row, COMPARED_REGION, codes.COMPARISON_BASE,
            f"a {measure} names nothing it is compared with; expected {COMPARED_REGION} (高于全省 → the province's "
            f"id) or {COMPARED_START} and {COMPARED_END} (较上半年 → the first half), as the quote states",
            None, path=path))
    alone = ~pl.col(MEASURE).is_in(list(MAY_BE_COMPARED)) & has_base
    for row, measure in rows.filter(alone).select(ROW_COLUMN, MEASURE).iter_rows():
        findings.append(Finding(
            TABLE, row, COMPARED_REGION, codes.COMPARISON_BASE,
            f"a {measure} is compared with nothing, but compared_with_… is given; expected those columns empty "
            "(or the measure of a change or an index: yoy_change, point_change, change, index)", measure, path=path))
    half = pl.col(COMPARED_START).is_null() != pl.col(COMPARED_END).is_null()
    for row, start, end in rows.filter(half).select(ROW_COLUMN, COMPARED_START, COMPARED_END).iter_rows():
        findings.append(Finding(
            TABLE, row, COMPARED_START if start is None else COMPARED_END, codes.COMPARISON_BASE,
            f"the compared period has one end ({start or end}); expected both {COMPARED_START} and {COMPARED_END}",
            str(start or end), path=path))
    backwards = pl.col(COMPARED_START) > pl.col(COMPARED_END)
    for row, start, end in rows.filter(backwards.fill_null(False)).select(ROW_COLUMN, COMPARED_START, COMPARED_END).iter_rows():
        findings.append(Finding(
            TABLE, row, COMPARED_START, codes.COMPARISON_BASE,
            f"{COMPARED_START} {start} is after {COMPARED_END} {end}; expected start ≤ end", str(start), path=path))
    return sorted(findings, key=lambda f: f.row or 0)


@declares(Scope.ROW, codes.SHARE_OF)
def check_shares_name_their_whole(frames: PackageFrames) -> list[Finding]:
    """share_of is given exactly for a share."""
    rows = _frame(frames, MEASURE, SHARE_OF)
    if rows is None:
        return []
    path, findings = _path(frames), []
    is_share, named = pl.col(MEASURE) == SHARE, pl.col(SHARE_OF).is_not_null()
    for row, measure, whole in rows.filter(is_share != named).select(ROW_COLUMN, MEASURE, SHARE_OF).iter_rows():
        expected = ("the whole it is a share of (a catalogue code, e.g. gross_regional_product for 占生产总值的比重)"
                    if measure == SHARE else "empty (only a share is of a whole)")
        findings.append(Finding(TABLE, row, SHARE_OF, codes.SHARE_OF,
                                f"{SHARE_OF} of a {measure} is {whole or 'empty'}, expected {expected}", whole, path=path))
    return findings


# --- stocks on a day ---------------------------------------------------------------------

@declares(Scope.ROW, codes.STOCK_ON_A_DAY)
def check_stocks_are_dated_on_a_day(frames: PackageFrames) -> list[Finding]:
    """A figure of a concept the catalogue calls a stock (enterprises in business, population
    at year end, a rate reached) has period_start = period_end: the day it describes."""
    rows = _frame(frames, "indicator", "period_start", "period_end")
    catalogue = frames.table("catalogue")
    if rows is None or catalogue is None or not {"code", "kind"} <= set(catalogue.columns):
        return []
    stocks = catalogue.filter(pl.col("kind").cast(pl.String) == STOCK).get_column("code").cast(pl.String).to_list()
    spans = rows.filter(pl.col("indicator").is_in(stocks) & (pl.col("period_start") != pl.col("period_end")).fill_null(False))
    path = _path(frames)
    return [Finding(TABLE, row, "period_start", codes.STOCK_ON_A_DAY,
                    f"{indicator} is a stock (catalogue kind {STOCK}) but is dated over {start} to {end}; expected "
                    f"period_start = period_end, the day the stock is counted (年末 → 12-31, 截至 → that day; "
                    "where the source gives no day, its publication date, said in the note)", str(start), path=path)
            for row, indicator, start, end in spans.select(ROW_COLUMN, "indicator", "period_start", "period_end").iter_rows()]
