"""Provenance: every row can be checked against the words of its source.

- each source's text file exists inside the package and matches sources.sha256;
- each quote is a verbatim substring of its source's text;
- the number as stated (value_as_stated, investment_as_stated, target_as_stated)
  stands in the quote: digits as a whole number (22 does not stand in 220),
  a Chinese numeral as its characters;
- the unit as stated follows that number in the quote (264.6亿元, 50余个,
  200多个工作日), so that a unit changed together with the value is caught.

Finding every quote in its text is shared with the coverage check and lives in
quote_lookup.py.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

import polars as pl

from jiutai_data.model import codes
from jiutai_data.validate.checks.quote_lookup import (
    QUOTE,
    SOURCES,
    quote_lookup,
    stated_in_quotes,
)
from jiutai_data.validate.checks.ranges import RANGES
from jiutai_data.validate.checks.units import PERCENT, STATED_QUANTITIES, units_table
from jiutai_data.model import excerpts
from jiutai_data.model.files import sha256_of_file
from jiutai_data.model.figures import INDEX_BASE_UNITS, RATIO_UNITS
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import (
    CHINESE_DIGITS,
    DIGITS_ONLY,
    LARGE_UNITS,
    NUMBER_IN_TEXT,
    SMALL_UNITS,
    numbers_in,
    normalise_number,
    parse_number,
    to_ascii_digits,
)
from jiutai_data.model.package import UnsafePath, resolve_inside, resource_paths
from jiutai_data.validate.checks.declare import Scope, declares

# --- messages for a quote that is not verbatim --------------------------------------------

_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "、": ",", "。": ".",
                              "—": "-", "–": "-", "－": "-", "…": "..."})


def _loose(text: str) -> tuple[str, list[int]]:
    """``text`` without white space, in NFKC form (full-width → half-width) with
    quotation marks and dashes unified, and the index in ``text`` of each character."""
    chars: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).translate(_QUOTE_MARKS):
            if not c.isspace():
                chars.append(c)
                where.append(index)
    return "".join(chars), where


@lru_cache(maxsize=16)
def _loose_text(text: str) -> tuple[str, list[int]]:
    return _loose(text)


def _clip(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _longest_prefix_in(quote: str, text: str) -> int:
    """Length of the longest prefix of ``quote`` found in ``text`` (binary search)."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


def near_match(quote: str, text: str) -> str:
    """What the text has instead of a quote that is not verbatim in it, in words."""
    loose_quote, _ = _loose(quote)
    loose_text, where = _loose_text(text)
    at = loose_text.find(loose_quote) if loose_quote else -1
    if at >= 0:
        original = text[where[at]:where[at + len(loose_quote) - 1] + 1]
        return (f"; a near match differs only in white space, punctuation or full-width/half-width forms: "
                f"the text has “{original}”")
    prefix = _longest_prefix_in(quote, text)
    suffix = _longest_prefix_in(quote[::-1], text[::-1])
    if max(prefix, suffix) < 2:
        return "; no part of it is in the text (is source_id right?)"
    if prefix >= suffix:
        start = text.find(quote[:prefix])
        said = text[start + prefix:start + prefix + 8]
        return (f"; the text agrees up to “{_clip(quote[:prefix][-12:])}”, then has “{said}” "
                f"where the quote has “{quote[prefix:prefix + 8]}”")
    end = text.find(quote[-suffix:])
    said = text[max(0, end - 8):end]
    return (f"; the text agrees from “{_clip(quote[-suffix:], 12)}” on, but before it has “{said}” "
            f"where the quote has “{quote[max(0, len(quote) - suffix - 8):len(quote) - suffix]}”")


_DETAILED = 1000  # near matches are explained for this many quotes; the rest get the short message


@declares(Scope.ROW, codes.QUOTE_VERBATIM)
def check_quotes_are_verbatim(frames: PackageFrames) -> list[Finding]:
    """Each quote is a substring of its source's text, character for character."""
    if not frames.texts:
        return []
    source_ids = list(frames.texts)
    lookup = quote_lookup(frames)
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for index, row, code, quote in lookup.missing.iter_rows():
        table, source_id = lookup.tables[index], source_ids[code]
        detail = near_match(quote, frames.texts[source_id]) if len(findings) < _DETAILED else ""
        findings.append(Finding(
            table, row, QUOTE, codes.QUOTE_VERBATIM,
            f"the quote is not in the text of source {source_id}{detail}; expected an exact copy of "
            "part of the text (same characters, punctuation and spaces)",
            quote, path=paths.get(table)))
    return findings


# --- the number as stated stands in the quote ----------------------------------------------

def _why_not_in_quote(stated: str, quote: str, is_percent: bool) -> str:
    numbers = numbers_in(quote)
    if not numbers:
        return "the quote has no number in digits"
    longer = [n for n in numbers if stated in n]
    if longer:
        return f"it is only part of the number {longer[0]} in the quote"
    value = parse_number(stated)
    hundredfold = [n for n in numbers if value is not None and math.isclose(float(n), value * 100)]
    if hundredfold:
        return (f"the quote has {hundredfold[0]}: percentages are in points, as written "
                f"({hundredfold[0]}% is {hundredfold[0]}, not {stated})")
    if is_percent and value is not None and value < 1:
        return f"the quote has {', '.join(numbers[:6])}: percentages are in points (92% is 92, not 0.92)"
    return f"the quote has {', '.join(numbers[:6])}"


def _percent_units(frames: PackageFrames) -> set[str]:
    units = units_table(frames)
    return set() if units is None else set(
        units.filter(pl.col("_base_unit") == PERCENT).get_column("unit_as_stated").to_list())


@declares(Scope.ROW, codes.NUMBER_IN_QUOTE)
def check_stated_numbers_stand_in_their_quotes(frames: PackageFrames) -> list[Finding]:
    """value_as_stated (and the stated investment and target) is written in the quote."""
    percent_units = _percent_units(frames)
    paths = resource_paths(frames.descriptor)
    stated = stated_in_quotes(frames)
    findings: list[Finding] = []
    for quantity in STATED_QUANTITIES:
        frame = frames.table(quantity.table)
        if frame is None or ROW_COLUMN not in frame.columns or quantity.table not in stated:
            continue
        unit = (pl.col(quantity.unit_as_stated).cast(pl.String) if quantity.unit_as_stated in frame.columns
                else pl.lit(None, pl.String))
        # cheap and sufficient: the first occurrence is bounded by non-number characters
        # (stated_in_quotes); the rest is decided on the quote's whole numbers.
        rest = (pl.concat([frame.select(ROW_COLUMN, pl.col(QUOTE).cast(pl.String),
                                        pl.col(quantity.as_stated).cast(pl.String).alias("_stated"),
                                        unit.alias("_unit")),
                           stated[quantity.table].select("_plain")], how="horizontal")
                .filter(~pl.col("_plain") & pl.col(QUOTE).is_not_null() & pl.col("_stated").is_not_null())
                .with_columns(pl.col("_stated").str.contains(DIGITS_ONLY).alias("_digits")))
        stands = (pl.when(pl.col("_digits"))
                  .then(pl.col(QUOTE).str.extract_all(NUMBER_IN_TEXT).list.contains(pl.col("_stated")))
                  .otherwise(pl.col(QUOTE).str.contains(pl.col("_stated"), literal=True)))
        suspects = rest.filter(~stands.fill_null(False)).sort(ROW_COLUMN)
        for row, quote, stated_number, unit_as_stated, digits in suspects.select(
                ROW_COLUMN, QUOTE, "_stated", "_unit", "_digits").iter_rows():
            as_written = [n for n in re.findall(NUMBER_IN_TEXT, quote)
                          if normalise_number(n) == normalise_number(stated_number)] if digits else []
            if as_written:
                # the same number in other digits: value_as_stated keeps what the source wrote
                message = (f"{quantity.as_stated} {stated_number} is written {as_written[0]} in the quote; "
                           f"expected the number exactly as the source writes it, full-width digits included "
                           f"({as_written[0]})")
            elif digits:
                why = _why_not_in_quote(stated_number, quote, unit_as_stated in percent_units)
                message = (f"{quantity.as_stated} {stated_number} does not stand in the quote as a number ({why}); "
                           "expected the number exactly as the quote writes it")
            else:
                message = (f"{quantity.as_stated} {stated_number} is not in the quote; "
                           "expected the Chinese numeral exactly as the quote writes it")
            findings.append(Finding(quantity.table, row, quantity.as_stated, codes.NUMBER_IN_QUOTE, message,
                                    stated_number, path=paths.get(quantity.table)))
    return findings


# --- a name stands in its quote ----------------------------------------------------------------

NAME = "name_zh"
# A name the text interrupts (“北菜南运”规模化园区, with a size class between its parts) is written
# with its quoted part in quotation marks: each part between them must stand in the quote.
NAME_PARTS = "[“”]"


@declares(Scope.ROW, codes.NAME_IN_QUOTE)
def check_names_stand_in_their_quotes(frames: PackageFrames) -> list[Finding]:
    """The Chinese name of each quoted row (projects, plans, designations: any table with a name
    and a quote) stands in its quote, as the source writes it."""
    findings: list[Finding] = []
    paths = resource_paths(frames.descriptor)
    for table, frame in frames.tables.items():
        if frame is None or not {NAME, QUOTE, ROW_COLUMN} <= set(frame.columns):
            continue
        named = frame.select(ROW_COLUMN, pl.col(NAME).cast(pl.String), pl.col(QUOTE).cast(pl.String)).drop_nulls()
        # one vectorised test for the common case (the whole name in the quote); only the rest are split
        rest = named.filter(~pl.col(QUOTE).str.contains(pl.col(NAME), literal=True))
        for row, name, quote in rest.sort(ROW_COLUMN).iter_rows():
            missing = [part for part in re.split(NAME_PARTS, name) if part and part not in quote]
            if missing:
                findings.append(Finding(table, row, NAME, codes.NAME_IN_QUOTE,
                                        f"{'the name' if missing == [name] else 'the part ' + repr(missing[0])} "
                                        f"does not stand in the quote “{quote[:60]}”; expected the name as the "
                                        "source writes it", name, path=paths.get(table)))
    return findings


# --- the unit as stated follows the number in the quote --------------------------------------

# What may stand between a stated number and its unit: a qualifier (余 "over", 多 "more than")
# and the measure word 个 (200多个工作日, 50余个, 10余万人次, 3个亿).
BETWEEN_NUMBER_AND_UNIT = ("", "余", "多", "个", "余个", "多个")
_NUMERAL_CHARACTERS = "".join([*CHINESE_DIGITS, *SMALL_UNITS, *LARGE_UNITS])
# A stated number stands whole where the character before it cannot continue it: no digit
# or point before digits, no numeral character (nor digit) before a Chinese numeral.
_BEFORE_DIGITS = [c.encode() for c in "0123456789.０１２３４５６７８９．"]
_BEFORE_NUMERAL = _BEFORE_DIGITS + [c.encode() for c in _NUMERAL_CHARACTERS]


def _unit_follows(quote: str, stated: str, unit: str) -> bool:
    """Somewhere in ``quote`` the whole number ``stated`` is followed by ``unit``, with only
    BETWEEN_NUMBER_AND_UNIT between them (full-width digits read as ASCII)."""
    before = "0-9." if re.fullmatch(DIGITS_ONLY, stated) else "0-9." + _NUMERAL_CHARACTERS
    between = "|".join(re.escape(b) for b in BETWEEN_NUMBER_AND_UNIT)
    number = re.escape(normalise_number(stated))
    pattern = f"(?<![{before}]){number}(?:{between}){re.escape(unit)}"
    if unit in RATIO_UNITS:
        # the last part of a ratio (12.1:40.3:47.6) has the colon before it, not after
        pattern += f"|{re.escape(unit)}{number}(?![0-9]|\\.[0-9])"
    return re.search(pattern, to_ascii_digits(quote)) is not None


def _stands(quote: str, stated: str) -> bool:
    """The stated number stands in the quote (as number-in-quote decides)."""
    if re.fullmatch(DIGITS_ONLY, stated):
        return normalise_number(stated) in numbers_in(quote)
    return stated in quote


def _what_follows(quote: str, stated: str) -> str:
    at = to_ascii_digits(quote).find(normalise_number(stated))
    return quote[at:at + len(stated) + 6] if at >= 0 else stated


_UPPER_BOUNDS = {(r.table, r.low_as_stated): r.high_as_stated for r in RANGES}


@declares(Scope.ROW, codes.UNIT_IN_QUOTE)
def check_stated_units_follow_their_numbers(frames: PackageFrames) -> list[Finding]:
    """unit_as_stated (and the stated unit of investments and targets) follows the stated
    number in the quote, with only 余, 多 or 个 between them: a value converted from a
    unit the quote does not state is wrong even when it is consistent with that unit."""
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for quantity in STATED_QUANTITIES:
        frame = frames.table(quantity.table)
        if frame is None or not {ROW_COLUMN, QUOTE, quantity.as_stated, quantity.unit_as_stated} <= set(frame.columns):
            continue
        quote = pl.col(QUOTE).cast(pl.String)
        stated = pl.col(quantity.as_stated).cast(pl.String)
        # in a range (10至15户) the unit follows the upper bound
        high = _UPPER_BOUNDS.get((quantity.table, quantity.as_stated))
        if high in frame.columns:
            stated = pl.coalesce(pl.col(high).cast(pl.String), stated)
        unit = pl.col(quantity.unit_as_stated).cast(pl.String)
        given = pl.all_horizontal(pl.col(QUOTE, "_stated", "_unit").is_not_null())
        # the usual case, vectorised: the stated number plainly stands in the quote
        # (stated_in_quotes) and the unit starts where it ends
        data, end, unit_bytes = pl.col(QUOTE).cast(pl.Binary), pl.col("_end"), pl.col("_unit").cast(pl.Binary)
        follows = pl.col("_plain") & (data.bin.slice(end, unit_bytes.bin.size()) == unit_bytes)
        rows = (pl.concat([frame.select(ROW_COLUMN, quote, stated.alias("_stated"), unit.alias("_unit")),
                           stated_in_quotes(frames)[quantity.table].select("_plain", "_end")], how="horizontal")
                .filter(given & ~follows.fill_null(False))
                .select(ROW_COLUMN, QUOTE, "_stated", "_unit"))
        # then, vectorised still: the first "<number><unit>" of the quote has no digit (nor
        # numeral) before it; every other row is decided by a regex below
        offset = pl.col("_offset")
        before_three = data.bin.slice(offset - 3, 3)
        continues = (data.bin.slice(offset - 1, 1).is_in(_BEFORE_DIGITS)
                     | ((offset >= 3) & (before_three.is_in(_BEFORE_DIGITS)
                                         | (~pl.col("_stated").str.contains(DIGITS_ONLY)
                                            & before_three.is_in(_BEFORE_NUMERAL)))))
        whole = (offset == 0) | ~continues
        suspects = (rows.with_columns(pl.col(QUOTE).str.find(pl.concat_str("_stated", "_unit"), literal=True)
                                      .cast(pl.Int64).alias("_offset"))
                    .filter(~(offset.is_not_null() & whole).fill_null(False))
                    .sort(ROW_COLUMN))
        for row, quote_text, number, unit_text in suspects.select(ROW_COLUMN, QUOTE, "_stated", "_unit").iter_rows():
            if _unit_follows(quote_text, number, unit_text) or not _stands(quote_text, number):
                continue  # (a number that does not stand in the quote is number-in-quote's finding)
            if excerpts.is_excerpted(quote_text) and excerpts.unit_in_a_header(quote_text, unit_text):
                continue  # a table's cell: its column's header gives the unit, 比上年增长(%)
            if unit_text in INDEX_BASE_UNITS and excerpts.unit_in_brackets(quote_text, unit_text):
                continue  # an index's base, written after its name: 居民消费价格指数(上年=100)101.8
            findings.append(Finding(
                quantity.table, row, quantity.unit_as_stated, codes.UNIT_IN_QUOTE,
                f"{quantity.unit_as_stated} {unit_text!r} does not follow {quantity.as_stated} {number} in the "
                f"quote, which has “{_what_follows(quote_text, number)}”; expected the unit exactly as the quote "
                f"writes it right after the number (only 余, 多 or 个 may stand between them). If the unit was "
                f"changed, {quantity.value} must be converted back from the unit the quote states",
                unit_text, path=paths.get(quantity.table)))
    return findings


# --- source files ------------------------------------------------------------------------

def _digest_of_file(frames: PackageFrames, row: int, source_id: str, relative: str, table_path: str | None,
                    findings: list[Finding]) -> str | None:
    """SHA-256 of a source's text file, or None (with a finding if it is missing or unreadable)."""
    try:
        file = resolve_inside(frames.root, relative)
    except UnsafePath:
        return None  # the reader has reported the path
    if not file.is_file():
        findings.append(Finding(
            SOURCES, row, "path", codes.SOURCE_FILE,
            f"the text file {relative} of source {source_id} does not exist, expected the source's verbatim "
            "text at that path inside the package (add it with `jiutai-data add-source`)",
            relative, path=table_path))
        return None
    try:
        return sha256_of_file(file)
    except OSError as error:
        findings.append(Finding(SOURCES, row, "path", codes.SOURCE_FILE,
                                f"the text file {relative} cannot be read ({error.strerror or error}), "
                                "expected a readable file", relative, path=table_path))
        return None


@declares(Scope.SOURCE, codes.SOURCE_FILE, codes.SOURCE_SHA256)
def check_source_files_match_their_hashes(frames: PackageFrames) -> list[Finding]:
    """Each source's text file exists inside the package and its SHA-256 is sources.sha256."""
    sources = frames.table(SOURCES)
    if sources is None or not {ROW_COLUMN, "id", "path"} <= set(sources.columns):
        return []
    table_path = resource_paths(frames.descriptor).get(SOURCES)
    declared_hash = pl.col("sha256") if "sha256" in sources.columns else pl.lit(None, pl.String).alias("sha256")
    # the reader hashed each file it read, by its path as written: such a file is not read again
    read = frames.file_sha256
    findings: list[Finding] = []
    for row, source_id, relative, declared in sources.select(ROW_COLUMN, "id", "path", declared_hash).sort(
            ROW_COLUMN).iter_rows():
        if relative is None:
            continue
        digest = read.get(relative) or _digest_of_file(frames, row, source_id, relative, table_path, findings)
        if digest is not None and declared is not None and declared != digest:
            findings.append(Finding(
                SOURCES, row, "sha256", codes.SOURCE_SHA256,
                f"sha256 is {declared} but the file {relative} has {digest}, expected them equal: the text has "
                "changed since it was registered (a source text stays byte for byte as published; if the change "
                "is a deliberate correction, update sha256)",
                declared, path=table_path))
    return findings
