"""Provenance: every row can be checked against the words of its source.

- each source's text file exists inside the package and matches sources.sha256;
- each quote is a verbatim substring of its source's text;
- the number as stated (value_as_stated, investment_as_stated, target_as_stated)
  stands in the quote: digits as a whole number (22 does not stand in 220),
  a Chinese numeral as its characters.

Finding every quote in its text is the expensive part of validation, so it is
done once for all tables and shared with the coverage check
(``quote_occurrences``). No quote is searched for by scanning its whole text:

1. every number written in digits in every text is found with one regex pass,
   with its byte span; the number a row states (value_as_stated, ...) is
   found in its quote, and, if nothing that could belong to a number touches
   it there, it becomes the quote's "anchor" (with the few bytes after it,
   which makes it rare in the text);
2. joining anchors with the text's numbers gives each place where a quote
   could start; comparing that slice of the text with the quote, byte for
   byte, keeps the real occurrences (all of them, not only the first);
3. a quote whose rows state no number in digits (a Chinese numeral, an
   omission) is anchored the same way by the number in it, of all its
   numbers, that is rarest in the text; a quote without any number (names of
   projects and plans) is looked up by its first characters, with one
   Aho-Corasick automaton per source (polars ``str.find_many``), and verified
   the same way.

All of it is vectorised in polars; Python only loops over what is reported.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
import weakref
from functools import lru_cache
from typing import Any

import polars as pl

from jiutai_data.checks.units import PERCENT, STATED_QUANTITIES, units_table
from jiutai_data.findings import Finding
from jiutai_data.frames import ROW_COLUMN, PackageFrames
from jiutai_data.numbers import DIGITS_ONLY, NUMBER_IN_TEXT, numbers_in, parse_number
from jiutai_data.package import UnsafePath, resolve_inside, resource_paths
from jiutai_data.schema import fields, foreign_keys

SOURCES = "sources"
QUOTE = "quote"
SOURCE_ID = "source_id"

_PIECE = rf"[^0-9０-９]*{NUMBER_IN_TEXT}"  # the text between two numbers, and the second


# --- which tables quote which sources (from the schemas) -------------------------------

def quoted_tables(frames: PackageFrames) -> list[tuple[str, pl.DataFrame]]:
    """Tables with a quote column and a source_id that refers to sources: (name, frame)."""
    found = []
    for table, frame in frames.tables.items():
        schema = frames.schemas.get(table, {})
        names = {f["name"] for f in fields(schema)}
        refers = any(key.fields == [SOURCE_ID] and key.resource == SOURCES for key in foreign_keys(schema))
        if QUOTE in names and refers and {QUOTE, SOURCE_ID, ROW_COLUMN} <= set(frame.columns):
            found.append((table, frame))
    return found


# Rows are joined on a source code (u32) and two 64-bit hashes of the quote
# (with different seeds; 128 bits leave no practical room for a collision)
# rather than on the strings, which is several times faster. Number keys may
# collide harmlessly: every candidate is compared with the text byte for byte.
SOURCE = "_source"
QUOTE_KEY = ["_quote_hash", "_quote_hash_2"]
_SEED, _SEED_2 = 20221212, 17021212


def source_codes(frames: PackageFrames) -> dict[str, int]:
    """Source id -> a small integer, for every source that has a text."""
    return {source_id: code for code, source_id in enumerate(frames.texts)}


def source_code(column: str, codes: dict[str, int]) -> pl.Expr:
    """The code of the source named in ``column``; null for a source without a text."""
    return pl.col(column).cast(pl.String).replace_strict(codes, default=None, return_dtype=pl.UInt32).alias(SOURCE)


def quote_key(column: str = QUOTE) -> list[pl.Expr]:
    data = pl.col(column).cast(pl.String).cast(pl.Binary)
    return [data.hash(_SEED).alias(QUOTE_KEY[0]), data.hash(_SEED_2).alias(QUOTE_KEY[1])]


def source_texts(frames: PackageFrames) -> pl.DataFrame:
    return pl.DataFrame({SOURCE: range(len(frames.texts)), "text": list(frames.texts.values())},
                        schema={SOURCE: pl.UInt32, "text": pl.String})


# --- numbers in texts, occurrences of quotes -------------------------------------------

def numbers_in_column(frame: pl.DataFrame, column: str, *keep: str) -> pl.DataFrame:
    """Every number written in digits in the strings of ``column``: the ``keep``
    columns plus number (bytes), _number_hash, start and end (byte offsets in the
    string). One regex pass takes each number with the text before it (a
    "piece"); the number starts at the first digit of its piece."""
    length = pl.col("_piece").str.len_bytes().cast(pl.Int64)
    first_piece = pl.col("_string") != pl.col("_string").shift(1, fill_value=-1)
    pieces = (frame.select(*keep, pl.col(column).str.extract_all(_PIECE).alias("_piece"))
              .with_row_index("_string")
              .explode("_piece")
              .filter(pl.col("_piece").is_not_null())
              # each piece ends where the pieces of its string so far end: a running
              # sum over all pieces, less what it was before the string's first piece
              # (cheaper than a sum per string on many short strings)
              .with_columns(length.cum_sum().alias("_total"))
              .with_columns((pl.col("_total") - pl.when(first_piece).then(pl.col("_total") - length).forward_fill())
                            .alias("end"),
                            pl.col("_piece").str.find(r"[0-9０-９]").cast(pl.Int64).alias("_gap")))
    start = pl.col("end") - pl.col("_piece").str.len_bytes().cast(pl.Int64) + pl.col("_gap")
    return (pieces.select(*keep, pl.col("_piece").cast(pl.Binary).bin.slice(pl.col("_gap")).alias("number"),
                          start.alias("start"), "end")
            .with_columns(pl.col("number").hash(_SEED).alias("_number_hash")))


def text_numbers(texts: pl.DataFrame) -> pl.DataFrame:
    """Every number written in digits in each text: (_source, number, _number_hash, start, end)."""
    return numbers_in_column(texts, "text", SOURCE)


CONTEXT_BYTES = 9  # an anchor takes this many bytes after its number where it can (three Chinese characters)
PREFIX_CHARACTERS = 4  # a quote without an anchor is looked up by its first characters
_NUMBERISH_BYTE = [c.encode() for c in "0123456789."]  # ASCII digits and point
_NUMBERISH_WIDE = [c.encode() for c in "０１２３４５６７８９．"]  # full-width: 3 bytes each


def _with_context(data: pl.Expr, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    return data.bin.slice(start, end - start + CONTEXT_BYTES).hash(_SEED)


def _text_keys(numbers: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Where each anchor key occurs in the texts: (_source, _key, start). A key is the
    hash of a number alone, or of a number with the CONTEXT_BYTES after it."""
    with_context = (numbers.select(SOURCE, "start", "end").join(texts, on=SOURCE)
                    .select(SOURCE, _with_context(pl.col("text").cast(pl.Binary), pl.col("start"), pl.col("end"))
                            .alias("_key"), "start"))
    return pl.concat([numbers.select(SOURCE, pl.col("_number_hash").alias("_key"), "start"), with_context])


def _is_numberish_at(data: pl.Expr, position: pl.Expr) -> pl.Expr:
    """The character at byte ``position`` (or the one ending just before it, for
    position - 1) is a digit or a decimal point, ASCII or full-width."""
    return (data.bin.slice(position, 1).is_in(_NUMBERISH_BYTE)
            | data.bin.slice(position, 3).is_in(_NUMBERISH_WIDE))


def _first_offset() -> pl.Expr:
    """Byte offset of the first occurrence of _stated in the quote (null if none)."""
    return pl.col(QUOTE).str.find(pl.col("_stated"), literal=True).cast(pl.Int64)


def _is_bounded(start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """The bytes start..end of the quote have, inside the quote, a character on
    each side that cannot belong to a number (not a digit nor a decimal point)."""
    quote = pl.col(QUOTE).cast(pl.Binary)
    return ((start > 0) & (end < quote.bin.size())
            & ~quote.bin.slice(start - 1, 1).is_in(_NUMBERISH_BYTE)
            & ~((start >= 3) & quote.bin.slice(start - 3, 3).is_in(_NUMBERISH_WIDE))
            & ~_is_numberish_at(quote, end))


def _stated_anchors(frames: PackageFrames, codes: dict[str, int]) -> pl.DataFrame:
    """Anchors of quotes from the numbers stated in their rows (value_as_stated, ...):
    (_source, quote key, quote, _key, _offset).

    A stated number in digits is found in its quote (first occurrence) and used
    if a character that cannot belong to a number stands on each side of it,
    inside the quote: then the text has the same number, whole, where the quote
    occurs. Its key is the number with the CONTEXT_BYTES after it where the quote
    goes on that far (rare in the text), else the number alone.
    """
    parts = []
    for quantity in STATED_QUANTITIES:
        frame = frames.table(quantity.table)
        if frame is None or not {SOURCE_ID, QUOTE, quantity.as_stated} <= set(frame.columns):
            continue
        parts.append(frame.select(source_code(SOURCE_ID, codes), pl.col(QUOTE).cast(pl.String),
                                  pl.col(quantity.as_stated).cast(pl.String).alias("_stated")))
    if not parts:
        return pl.DataFrame(schema={SOURCE: pl.UInt32, QUOTE_KEY[0]: pl.UInt64, QUOTE_KEY[1]: pl.UInt64,
                                    QUOTE: pl.String, "_key": pl.UInt64, "_offset": pl.Int64})
    quote = pl.col(QUOTE).cast(pl.Binary)
    start, end = pl.col("_offset"), pl.col("_offset") + pl.col("_stated").str.len_bytes().cast(pl.Int64)
    rows = (pl.concat(parts)
            .filter(pl.col(SOURCE).is_not_null() & pl.col(QUOTE).is_not_null()
                    & pl.col("_stated").str.contains(DIGITS_ONLY).fill_null(False))
            .with_columns(_first_offset().alias("_offset")))
    bounded = rows.filter(_is_bounded(start, end))
    has_context = end + CONTEXT_BYTES <= quote.bin.size()
    return (bounded
            .with_columns(pl.when(has_context).then(_with_context(quote, start, end))
                          .otherwise(pl.col("_stated").cast(pl.Binary).hash(_SEED)).alias("_key"),
                          has_context.alias("_context"), pl.col("_stated").str.len_bytes().alias("_length"),
                          *quote_key())
            # one anchor per quote: with context if any, else the longest number (the rarer)
            .sort("_context", "_length", descending=True)
            .unique([SOURCE, *QUOTE_KEY], keep="first")
            .select(SOURCE, *QUOTE_KEY, QUOTE, "_key", "_offset"))


def _number_anchors(quotes: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """Anchors of quotes from any number in them (for quotes whose rows state
    none in digits): (_source, quote key, quote, _key, _offset).

    Every number of the quote that is bounded as in ``_stated_anchors`` gives a
    key, alone and with context; the key rarest in the source's text is taken,
    so that a quote is not looked up at every "2022" of a yearbook. A key absent
    from the text means the quote is not in it; such a quote is kept with no
    candidates.
    """
    quote = pl.col(QUOTE).cast(pl.Binary)
    bounded = (numbers_in_column(quotes, QUOTE, SOURCE, *QUOTE_KEY, QUOTE)
               .filter(_is_bounded(pl.col("start"), pl.col("end"))))
    options = pl.concat([
        bounded.select(SOURCE, *QUOTE_KEY, QUOTE, pl.col("_number_hash").alias("_key"), pl.col("start").alias("_offset")),
        bounded.filter(pl.col("end") + CONTEXT_BYTES <= quote.bin.size()).select(
            SOURCE, *QUOTE_KEY, QUOTE, _with_context(quote, pl.col("start"), pl.col("end")).alias("_key"),
            pl.col("start").alias("_offset")),
    ])
    frequency = (keys.join(options.select(SOURCE, "_key").unique(), on=[SOURCE, "_key"], how="semi")
                 .group_by(SOURCE, "_key").agg(pl.len().alias("_frequency")))
    return (options.join(frequency, on=[SOURCE, "_key"], how="left")
            .sort(pl.col("_frequency").fill_null(0))
            .unique([SOURCE, *QUOTE_KEY], keep="first")
            .select(SOURCE, *QUOTE_KEY, QUOTE, "_key", "_offset"))


def _verify(candidates: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Candidates (_source, quote key, quote, start) whose text slice is the quote, with end."""
    length = pl.col(QUOTE).str.len_bytes().cast(pl.Int64)
    return (candidates.filter(pl.col("start") >= 0)
            .join(texts, on=SOURCE, how="inner")
            .filter(pl.col("text").cast(pl.Binary).bin.slice(pl.col("start"), length) == pl.col(QUOTE).cast(pl.Binary))
            .select(SOURCE, *QUOTE_KEY, QUOTE, "start", (pl.col("start") + length).alias("end")))


def _by_prefix(quotes: pl.DataFrame, texts: pl.DataFrame) -> pl.DataFrame:
    """Candidates (_source, quote key, quote, start) for quotes looked up by their
    first PREFIX_CHARACTERS characters: one Aho-Corasick automaton per source over
    the distinct prefixes (short patterns keep the automata small), every match."""
    if quotes.height == 0:
        return pl.DataFrame(schema={SOURCE: pl.UInt32, QUOTE_KEY[0]: pl.UInt64, QUOTE_KEY[1]: pl.UInt64,
                                    QUOTE: pl.String, "start": pl.Int64})
    quotes = quotes.with_columns(pl.col(QUOTE).str.head(PREFIX_CHARACTERS).alias("_prefix"))
    per_source = (quotes.select(SOURCE, "_prefix").unique()
                  .group_by(SOURCE).agg(pl.col("_prefix").alias("_patterns")).join(texts, on=SOURCE))
    found = (per_source.select(
                 SOURCE,
                 pl.col("text").str.extract_many(pl.col("_patterns"), overlapping=True).alias("_prefix"),
                 pl.col("text").str.find_many(pl.col("_patterns"), overlapping=True).alias("start"))
             .explode("_prefix", "start")
             .filter(pl.col("_prefix").is_not_null()))
    return (quotes.join(found, on=[SOURCE, "_prefix"])
            .select(SOURCE, *QUOTE_KEY, QUOTE, pl.col("start").cast(pl.Int64)))


def quoted_rows(frame: pl.DataFrame, codes: dict[str, int]) -> pl.DataFrame:
    """(_row, _source, quote key, quote) of the rows with a quote of a source that has a text."""
    return (frame.select(ROW_COLUMN, source_code(SOURCE_ID, codes), pl.col(QUOTE).cast(pl.String))
            .filter(pl.col(SOURCE).is_not_null() & pl.col(QUOTE).is_not_null() & (pl.col(QUOTE) != ""))
            .with_columns(quote_key()))


def _compute_occurrences(frames: PackageFrames, codes: dict[str, int]) -> tuple[pl.DataFrame, pl.DataFrame]:
    texts = source_texts(frames)
    numbers = text_numbers(texts)
    keys = _text_keys(numbers, texts)
    anchors = _stated_anchors(frames, codes)
    parts = [quoted_rows(frame, codes).drop(ROW_COLUMN) for _, frame in quoted_tables(frames)]
    if parts:
        rest = (pl.concat(parts).unique([SOURCE, *QUOTE_KEY], keep="any")
                .join(anchors, on=[SOURCE, *QUOTE_KEY], how="anti"))
        more = _number_anchors(rest, keys)
        anchors = pl.concat([anchors, more])
        by_prefix = _by_prefix(rest.join(more, on=[SOURCE, *QUOTE_KEY], how="anti"), texts)
    by_number = (anchors.join(keys, on=[SOURCE, "_key"])
                 .select(SOURCE, *QUOTE_KEY, QUOTE, (pl.col("start") - pl.col("_offset")).alias("start")))
    return _verify(pl.concat([by_number, by_prefix]) if parts else by_number, texts), numbers


_cache: list[Any] = []  # [weak reference to frames, key, result]: one run's occurrences


def quote_occurrences(frames: PackageFrames) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(occurrences, numbers) of the texts of ``frames``:

    - every occurrence of every quote in its source's text, as
      (_source, quote key, quote, start, end), byte offsets;
    - every number written in digits in the texts (see ``text_numbers``).

    ``_source`` is the position of the source in ``frames.texts`` (``source_codes``).
    Computed once per frames and shared by provenance and coverage; the cache
    holds only a weak reference to the frames.
    """
    key = (id(frames.texts), tuple(frames.texts),
           tuple((table, id(frame)) for table, frame in quoted_tables(frames)))
    if _cache and _cache[0]() is frames and _cache[1] == key:
        return _cache[2]
    result = _compute_occurrences(frames, source_codes(frames))
    _cache[:] = [weakref.ref(frames), key, result]
    return result


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


def check_quotes_are_verbatim(frames: PackageFrames) -> list[Finding]:
    """Each quote is a substring of its source's text, character for character."""
    if not frames.texts:
        return []
    codes = source_codes(frames)
    source_ids = list(codes)
    occurrences, _ = quote_occurrences(frames)
    found = occurrences.select(SOURCE, *QUOTE_KEY).unique()
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in quoted_tables(frames):
        missing = (quoted_rows(frame, codes).join(found, on=[SOURCE, *QUOTE_KEY], how="anti")
                   .sort(ROW_COLUMN))
        for row, code, quote in missing.select(ROW_COLUMN, SOURCE, QUOTE).iter_rows():
            source_id = source_ids[code]
            detail = near_match(quote, frames.texts[source_id]) if len(findings) < _DETAILED else ""
            findings.append(Finding(
                table, row, QUOTE, "quote-verbatim",
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


def check_stated_numbers_stand_in_their_quotes(frames: PackageFrames) -> list[Finding]:
    """value_as_stated (and the stated investment and target) is written in the quote."""
    units = units_table(frames)
    percent_units = set() if units is None else set(
        units.filter(pl.col("_base_unit") == PERCENT).get_column("unit_as_stated").to_list())
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for quantity in STATED_QUANTITIES:
        frame = frames.table(quantity.table)
        if frame is None or not {ROW_COLUMN, QUOTE, quantity.as_stated} <= set(frame.columns):
            continue
        unit = (pl.col(quantity.unit_as_stated).cast(pl.String) if quantity.unit_as_stated in frame.columns
                else pl.lit(None, pl.String))
        rows = (frame.select(ROW_COLUMN, pl.col(QUOTE).cast(pl.String), pl.col(quantity.as_stated).cast(pl.String).alias("_stated"),
                             unit.alias("_unit"))
                .filter(pl.col(QUOTE).is_not_null() & pl.col("_stated").is_not_null()))
        is_digits = pl.col("_stated").str.contains(DIGITS_ONLY).fill_null(False)
        offset = pl.col("_offset")
        # cheap and sufficient: the first occurrence is bounded by non-number characters;
        # the rest is decided on the quote's whole numbers. (The offset is a column
        # of its own so that it is computed once, not once per use.)
        plainly = is_digits & _is_bounded(offset, offset + pl.col("_stated").str.len_bytes().cast(pl.Int64))
        rest = (rows.with_columns(_first_offset().alias("_offset"))
                .filter(~plainly.fill_null(False)).with_columns(is_digits.alias("_digits")))
        stands = (pl.when(pl.col("_digits"))
                  .then(pl.col(QUOTE).str.extract_all(NUMBER_IN_TEXT).list.contains(pl.col("_stated")))
                  .otherwise(pl.col(QUOTE).str.contains(pl.col("_stated"), literal=True)))
        suspects = rest.filter(~stands.fill_null(False)).sort(ROW_COLUMN)
        for row, quote, stated, unit_as_stated, digits in suspects.select(
                ROW_COLUMN, QUOTE, "_stated", "_unit", "_digits").iter_rows():
            if digits and stated in numbers_in(quote):
                continue  # written with full-width digits in the quote (and the text)
            if digits:
                why = _why_not_in_quote(stated, quote, unit_as_stated in percent_units)
                message = (f"{quantity.as_stated} {stated} does not stand in the quote as a number ({why}); "
                           "expected the number exactly as the quote writes it")
            else:
                message = (f"{quantity.as_stated} {stated} is not in the quote; "
                           "expected the Chinese numeral exactly as the quote writes it")
            findings.append(Finding(quantity.table, row, quantity.as_stated, "number-in-quote", message,
                                    stated, path=paths.get(quantity.table)))
    return findings


# --- source files ------------------------------------------------------------------------

def check_source_files_match_their_hashes(frames: PackageFrames) -> list[Finding]:
    """Each source's text file exists inside the package and its SHA-256 is sources.sha256."""
    sources = frames.table(SOURCES)
    if sources is None or not {ROW_COLUMN, "id", "path"} <= set(sources.columns):
        return []
    has_hash = "sha256" in sources.columns
    table_path = resource_paths(frames.descriptor).get(SOURCES)
    findings = []
    rows = sources.select(ROW_COLUMN, "id", "path", pl.col("sha256") if has_hash else pl.lit(None, pl.String).alias("sha256"))
    for row, source_id, relative, declared in rows.sort(ROW_COLUMN).iter_rows():
        if relative is None:
            continue
        try:
            file = resolve_inside(frames.root, relative)
        except UnsafePath:
            continue  # the reader has reported the path
        if not file.is_file():
            findings.append(Finding(
                SOURCES, row, "path", "source-file",
                f"the text file {relative} of source {source_id} does not exist, expected the source's verbatim "
                "text at that path inside the package (add it with `jiutai-data add-source`)",
                relative, path=table_path))
            continue
        try:
            digest = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError as error:
            findings.append(Finding(SOURCES, row, "path", "source-file",
                                    f"the text file {relative} cannot be read ({error.strerror}), "
                                    "expected a readable file", relative, path=table_path))
            continue
        if declared is not None and declared != digest:
            findings.append(Finding(
                SOURCES, row, "sha256", "source-sha256",
                f"sha256 is {declared} but the file {relative} has {digest}, expected them equal: the text has "
                "changed since it was registered (a source text stays byte for byte as published; if the change "
                "is a deliberate correction, update sha256)",
                declared, path=table_path))
    return findings
