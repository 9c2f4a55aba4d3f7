"""Where every quote of every table stands in its source's text, computed once.

Finding every quote in its text is the expensive part of validation, so it is
done once for all tables and shared by the provenance and coverage checks
(``quote_lookup``). No quote is searched for by scanning its whole text:

1. the texts are joined into one byte string, and every number written in
   digits in it is found with a few numpy passes (``numbers.number_spans``).
   Each number gives "keys": hashes of the number with the CONTEXT_BYTES around
   it, before it, after it, or alone;
2. each row whose stated number (value_as_stated, ...) stands in its quote with
   a character that cannot belong to a number on each side gives the key with
   the most context its quote has; a row without one takes, of the keys of every
   such number of its quote, the one rarest in its text (and so does a row whose
   first key turns out to be common: CROWDED). A quote is not looked up at every
   "2022" of a yearbook;
3. joining these anchors with the text's keys gives each place where the quote
   could start; comparing that slice of the text with the quote, byte for byte,
   keeps the real occurrences (all of them, not only the first);
4. a quote without any such number (names of projects and plans) is looked up
   by its first characters, with one Aho-Corasick automaton per source (polars
   ``str.find_many``), and verified the same way.

Rows are carried through the joins as integers (a row position, a source code,
byte offsets, 64-bit keys), never as strings: quotes and texts are only sliced
where a candidate is compared. A row that repeats the quote of the row before it
(a level and its change, from one sentence) is looked up once, through that row.
Sources are taken in batches (BATCH_BYTES, BATCH_ROWS), so that the memory the
lookup needs does not grow with the package. All of it is vectorised in polars
and numpy; Python only loops over what is reported.

Why one module of this size: the four steps above pass integer frames (row positions, source
codes, offsets, keys) between them that mean nothing outside this algorithm; split, they would
be private state made public.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import polars as pl

from jiutai_data.model import excerpts
from jiutai_data.validate.checks.units import STATED_QUANTITIES, StatedQuantity
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import DIGITS_ONLY, number_spans
from jiutai_data.model.schema import fields, foreign_keys

SOURCES = "sources"
QUOTE = "quote"
SOURCE_ID = "source_id"
SOURCE = "_source"  # a source's position in frames.texts (u32), null for a source without a text
ROW_INDEX = "_i"  # a row's position among the rows of all quoted tables

CONTEXT_BYTES = 9  # a key takes this many bytes before or after its number where it can (three Chinese characters)
# ... and, around a number, this many bytes after it: enough to tell 45.3% from 45.3亿, short
# enough that a number near the end of its quote (45.3%。) still has them
AROUND_AFTER = 3
PREFIX_CHARACTERS = 4  # a quote without an anchor is looked up by its first characters
SEPARATOR = b"\x00"  # joins the texts: neither a digit nor a point, so no number runs across it
_NUMBERISH_BYTE = [c.encode() for c in "0123456789."]  # ASCII digits and point
_NUMBERISH_WIDE = [c.encode() for c in "０１２３４５６７８９．"]  # full-width: 3 bytes each
# One seed per kind of key, so that a number alone never shares a key with a number in context;
# keys may collide harmlessly (every candidate is compared with the text byte for byte).
_ALONE, _AFTER, _BEFORE, _AROUND, _SOURCE_SEED = 20221212, 17021212, 26460000, 7750000, 92


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


def source_codes(frames: PackageFrames) -> dict[str, int]:
    """Source id -> a small integer, for every source that has a text."""
    return {source_id: code for code, source_id in enumerate(frames.texts)}


def source_code(column: str, codes: dict[str, int]) -> pl.Expr:
    """The code of the source named in ``column``; null for a source without a text."""
    return pl.col(column).cast(pl.String).replace_strict(codes, default=None, return_dtype=pl.UInt32).alias(SOURCE)


# --- computed once per frames ----------------------------------------------------------

_memo: dict[str, tuple[Any, tuple, Any]] = {}  # name -> (weak reference to frames, key, value)


def _once(frames: PackageFrames, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, once per frames (and per identity of their tables and texts). Only a
    weak reference to the frames is held, and only the last frames' values are kept."""
    key = (id(frames.texts), tuple(frames.texts), tuple((table, id(frame)) for table, frame in frames.tables.items()))
    held = _memo.get(name)
    if held is not None and held[0]() is frames and held[1] == key:
        return held[2]
    value = compute()
    _memo[name] = (weakref.ref(frames), key, value)
    return value


# --- the stated number in its quote ------------------------------------------------------

def _is_numberish_at(data: pl.Expr, position: pl.Expr) -> pl.Expr:
    """The character at byte ``position`` is a digit or a decimal point, ASCII or full-width."""
    return (data.bin.slice(position, 1).is_in(_NUMBERISH_BYTE)
            | data.bin.slice(position, 3).is_in(_NUMBERISH_WIDE))


def _is_bounded(data: pl.Expr, start: pl.Expr, end: pl.Expr) -> pl.Expr:
    """The bytes start..end of ``data`` have, inside it, a character on each side that
    cannot belong to a number (not a digit nor a decimal point). Then, wherever the
    quote stands in a text, the text has the same number there, whole."""
    return ((start > 0) & (end < data.bin.size())
            & ~data.bin.slice(start - 1, 1).is_in(_NUMBERISH_BYTE)
            & ~((start >= 3) & data.bin.slice(start - 3, 3).is_in(_NUMBERISH_WIDE))
            & ~_is_numberish_at(data, end))


def _stated_in_quote(frame: pl.DataFrame, quantity: StatedQuantity) -> pl.DataFrame:
    """Row by row of ``frame``: _offset and _end, the bytes of the first occurrence of the
    stated number in the quote (null if none), and _plain, true where that number is in
    digits and bounded there (so that it plainly stands in the quote)."""
    quote, stated = pl.col(QUOTE).cast(pl.String), pl.col(quantity.as_stated).cast(pl.String)
    offset, end = pl.col("_offset"), pl.col("_end")
    return (frame.select(quote.str.find(stated, literal=True).cast(pl.Int64).alias("_offset"),
                         stated.str.len_bytes().cast(pl.Int64).alias("_length"),
                         stated.str.contains(DIGITS_ONLY).fill_null(False).alias("_digits"),
                         quote.cast(pl.Binary).alias("_quote"))
            .with_columns((offset + pl.col("_length")).alias("_end"))
            .select(offset, end, (pl.col("_digits") & _is_bounded(pl.col("_quote"), offset, end))
                    .fill_null(False).alias("_plain")))


def stated_in_quotes(frames: PackageFrames) -> dict[str, pl.DataFrame]:
    """``_stated_in_quote`` of each stated quantity whose table has a quote, by table;
    shared by the quote lookup (the anchors) and the number-in-quote check."""
    def compute() -> dict[str, pl.DataFrame]:
        found = {}
        for quantity in STATED_QUANTITIES:
            frame = frames.table(quantity.table)
            if frame is not None and {QUOTE, quantity.as_stated} <= set(frame.columns):
                found[quantity.table] = _stated_in_quote(frame, quantity)
        return found
    return _once(frames, "stated", compute)


# --- the texts as one byte string, their numbers and keys -----------------------------------

@dataclass(frozen=True)
class Corpus:
    """Some source texts, UTF-8, in one byte string: slicing one value is much cheaper
    than joining a frame of texts to every candidate."""

    data: pl.Series  # one Binary value: the texts joined by SEPARATOR
    first: int  # the source code of the first text
    begins: np.ndarray  # per text: where it begins in data
    sizes: np.ndarray  # per text: its length in bytes

    @classmethod
    def of(cls, texts: list[str], first: int = 0) -> tuple["Corpus", bytes]:
        parts = [text.encode("utf-8") for text in texts]
        sizes = np.array([len(part) for part in parts], dtype=np.int64)
        begins = np.concatenate([[0], np.cumsum(sizes + len(SEPARATOR))[:-1]]).astype(np.int64)
        joined = SEPARATOR.join(parts)
        return cls(pl.Series([joined], dtype=pl.Binary), first, begins, sizes), joined

    def expr(self) -> pl.Expr:
        return pl.lit(self.data).first()

    def column(self, name: str, codes: pl.Series | pl.Expr) -> pl.Series | pl.Expr:
        """Where the text of each source code begins in data ("begin"), or its size ("size")."""
        values = pl.Series(self.begins if name == "begin" else self.sizes)
        if isinstance(codes, pl.Expr):
            return pl.lit(values).gather(codes.cast(pl.Int64) - self.first)
        return values.gather(codes.cast(pl.Int64) - self.first)


def _spans_of(data: bytes, begins: np.ndarray) -> pl.DataFrame:
    """Every number in ``data`` (strings joined by SEPARATOR, beginning at ``begins``):
    (_string, start, end), offsets within each string."""
    starts, ends = number_spans(data)
    string = np.searchsorted(begins, starts, side="right") - 1
    base = begins[string]
    return pl.DataFrame({"_string": string.astype(np.uint32), "start": starts - base, "end": ends - base},
                        schema={"_string": pl.UInt32, "start": pl.Int64, "end": pl.Int64})


def _source_mix() -> pl.Expr:
    """Folded into every key, so that keys of different sources differ and join on one column."""
    return pl.col(SOURCE).hash(_SOURCE_SEED)


# kinds of key: a number alone, with the bytes after it, before it, around it
ALONE, AFTER, BEFORE, AROUND = 0, 1, 2, 3


def _keys(data: pl.Expr, start: pl.Expr, end: pl.Expr, first: pl.Expr,
          last: pl.Expr) -> dict[int, tuple[pl.Expr, pl.Expr]]:
    """Kind -> (key, where it exists) of a number at bytes start..end of ``data``, whose
    string runs from ``first`` to ``last``: the number alone, with the CONTEXT_BYTES after
    it, before it, and around it (each only where the string goes on that far). The source
    is folded into every key, so that keys join on one integer column."""
    length, mix = end - start, _source_mix()
    has_before, has_after = start - CONTEXT_BYTES >= first, end + CONTEXT_BYTES <= last
    return {
        ALONE: (data.bin.slice(start, length).hash(_ALONE) ^ mix, pl.lit(True)),
        AFTER: (data.bin.slice(start, length + CONTEXT_BYTES).hash(_AFTER) ^ mix, has_after),
        BEFORE: (data.bin.slice(start - CONTEXT_BYTES, length + CONTEXT_BYTES).hash(_BEFORE) ^ mix, has_before),
        AROUND: (data.bin.slice(start - CONTEXT_BYTES, length + CONTEXT_BYTES + AROUND_AFTER).hash(_AROUND) ^ mix,
                 has_before & (end + AROUND_AFTER <= last)),
    }


class _TextKeys:
    """Where each key occurs in the texts, (_key, start), start being the byte offset of
    the number in its text: computed kind by kind, only for the kinds the options have,
    and, for a kind that options of few sources have, only in the texts of those."""

    def __init__(self, numbers: pl.DataFrame, corpus: Corpus) -> None:
        self._numbers = numbers.with_columns(corpus.column("begin", numbers.get_column(SOURCE)).alias("_begin"),
                                             corpus.column("size", numbers.get_column(SOURCE)).alias("_size"))
        begin = pl.col("_begin")
        self._keys = _keys(corpus.expr(), begin + pl.col("start"), begin + pl.col("end"), begin,
                           begin + pl.col("_size"))
        self._sources = len(corpus.sizes)
        self._by_kind: dict[int, pl.DataFrame] = {}

    def _at(self, numbers: pl.DataFrame, kind: int) -> pl.DataFrame:
        key, exists = self._keys[kind]
        return numbers.select(key.alias("_key"), "start", exists.alias("_exists")).filter("_exists").drop("_exists")

    def of(self, options: pl.DataFrame) -> pl.DataFrame:
        """The keys the ``options`` (with _kind and _source) can meet."""
        parts = []
        for kind in sorted(options.get_column("_kind").unique().to_list()):
            if kind not in self._by_kind:
                sources = options.filter(pl.col("_kind") == kind).get_column(SOURCE).unique()
                if sources.len() * 2 < self._sources:
                    parts.append(self._at(self._numbers.filter(pl.col(SOURCE).is_in(sources.implode())), kind))
                    continue
                self._by_kind[kind] = self._at(self._numbers, kind)
            parts.append(self._by_kind[kind])
        return pl.concat(parts) if parts else pl.DataFrame(schema={"_key": pl.UInt64, "start": pl.Int64})


# --- the lookup ------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteLookup:
    """Where the quotes of every quoted table stand in their sources' texts.

    - ``tables``: the quoted tables, in the order of their rows (``_table`` indexes it);
    - ``missing``: the rows whose quote stands nowhere in its text, (_table, _row,
      _source, quote): only they are kept, as only they are reported;
    - ``occurrences``: every occurrence of every quote, (_i, _source, start, end): _i the
      row's position among the rows of the quoted tables, start and end byte offsets in
      the text;
    - ``numbers``: every number written in digits in the texts, (_source, start, end).
    """

    tables: list[str]
    missing: pl.DataFrame
    occurrences: pl.DataFrame
    numbers: pl.DataFrame


def _quoted_rows(frames: PackageFrames, tables: list[tuple[str, pl.DataFrame]], codes: dict[str, int]) -> pl.DataFrame:
    """One row per row of the quoted tables, in order: _i, _table, _row, _source, quote,
    _quoted, and _start, _end: the span of the stated number in the quote where it plainly
    stands there (null elsewhere)."""
    stated = stated_in_quotes(frames)
    parts = []
    for index, (table, frame) in enumerate(tables):
        part = frame.select(pl.lit(index, pl.UInt8).alias("_table"), ROW_COLUMN, source_code(SOURCE_ID, codes),
                            pl.col(QUOTE).cast(pl.String))
        if table in stated:
            plain = pl.col("_plain")
            span = stated[table].select(pl.when(plain).then("_offset").alias("_start"), pl.when(plain).then("_end"))
        else:
            span = pl.DataFrame({"_start": pl.Series([None] * frame.height, dtype=pl.Int64),
                                 "_end": pl.Series([None] * frame.height, dtype=pl.Int64)})
        parts.append(pl.concat([part, span], how="horizontal"))
    rows = pl.concat(parts).with_row_index(ROW_INDEX)
    return rows.with_columns((pl.col(SOURCE).is_not_null() & pl.col(QUOTE).is_not_null() & (pl.col(QUOTE) != ""))
                             .alias("_quoted"))


def _number_options(rows: pl.DataFrame) -> pl.DataFrame:
    """(_i, _start, _end) of every bounded number in the quotes of ``rows``."""
    quotes = rows.get_column(QUOTE).cast(pl.Binary)
    parts = quotes.to_list()
    sizes = np.array([len(part) for part in parts], dtype=np.int64)
    begins = np.concatenate([[0], np.cumsum(sizes + len(SEPARATOR))[:-1]]).astype(np.int64)
    spans = _spans_of(SEPARATOR.join(parts), begins)
    index = rows.get_column(ROW_INDEX).gather(spans.get_column("_string"))
    quote = quotes.gather(spans.get_column("_string"))
    return (spans.with_columns(index.alias(ROW_INDEX), quote.alias(QUOTE))
            .filter(_is_bounded(pl.col(QUOTE), pl.col("start"), pl.col("end")))
            .select(ROW_INDEX, pl.col("start").alias("_start"), pl.col("end").alias("_end")))


def _located(spans: pl.DataFrame, rows: pl.DataFrame) -> tuple[pl.DataFrame, dict[int, tuple[pl.Expr, pl.Expr]]]:
    """Spans (_i, _start, _end) with their row's quote and source, and their keys."""
    at = spans.get_column(ROW_INDEX)
    located = spans.with_columns(rows.get_column(QUOTE).cast(pl.Binary).gather(at).alias(QUOTE),
                                 rows.get_column(SOURCE).gather(at).alias(SOURCE))
    quote = pl.col(QUOTE)
    return located, _keys(quote, pl.col("_start"), pl.col("_end"), pl.lit(0), quote.bin.size().cast(pl.Int64))


def _option_keys(spans: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The keys of numbers in quotes, (_i, _key, _kind, _source, _offset): each number's key
    with the most context the quote gives it (around it, else before or after it, else
    alone): a key with less context on a side is never rarer than one with more there."""
    located, keys = _located(spans, rows)
    (around, has_around), (before, has_before), (after, has_after), (alone, _) = (
        keys[AROUND], keys[BEFORE], keys[AFTER], keys[ALONE])
    offset = pl.col("_start").alias("_offset")

    def option(condition: pl.Expr, key: pl.Expr, kind: int) -> pl.DataFrame:
        return located.filter(condition).select(ROW_INDEX, key.alias("_key"), pl.lit(kind, pl.UInt8).alias("_kind"),
                                                SOURCE, offset)

    return pl.concat([option(has_around, around, AROUND),
                      option(has_before & ~has_around, before, BEFORE),
                      option(has_after & ~has_before, after, AFTER),
                      option(~has_before & ~has_after, alone, ALONE)])


def _first_keys(spans: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """One key per span, (_i, _key, _kind, _source, _offset), without counting: the number
    with the most context the quote gives it (around it, before it, after it, else alone).
    Nearly always rare enough; the few rows it leaves with many candidates are anchored
    again by ``_rarest_keys``."""
    located, keys = _located(spans, rows)
    (around, has_around), (before, has_before), (after, has_after), (alone, _) = (
        keys[AROUND], keys[BEFORE], keys[AFTER], keys[ALONE])

    def kind(value: int) -> pl.Expr:
        return pl.lit(value, pl.UInt8)

    return located.select(
        ROW_INDEX,
        pl.when(has_around).then(around).when(has_before).then(before).when(has_after).then(after)
        .otherwise(alone).alias("_key"),
        pl.when(has_around).then(kind(AROUND)).when(has_before).then(kind(BEFORE)).when(has_after).then(kind(AFTER))
        .otherwise(kind(ALONE)).alias("_kind"),
        SOURCE, pl.col("_start").alias("_offset"))


def _rarest_keys(options: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """For each row, of its options, the key rarest in its text: (_i, _key, _offset). A key
    absent from the text means the quote is not in it: the row gets no candidate."""
    frequency = (keys.join(options.select("_key").unique(), on="_key", how="semi")
                 .group_by("_key").len("_frequency"))
    return (options.join(frequency, on="_key", how="left")
            .sort(pl.col("_frequency").fill_null(0))
            .unique(ROW_INDEX, keep="first")
            .filter(pl.col("_frequency").is_not_null())
            .select(ROW_INDEX, "_key", "_offset"))


CROWDED = 16  # a row whose first key finds more candidates than this is anchored by its rarest key


def _candidates(anchors: pl.DataFrame, keys: pl.DataFrame) -> pl.DataFrame:
    """(_i, start): where each row's quote could start, from its anchor."""
    return anchors.join(keys, on="_key").select(ROW_INDEX, (pl.col("start") - pl.col("_offset")).alias("start"))


def _by_prefix(rows: pl.DataFrame, corpus: Corpus) -> pl.DataFrame:
    """Candidates (_i, start) for rows looked up by the first PREFIX_CHARACTERS characters
    of their quote: one Aho-Corasick automaton per source over the distinct prefixes
    (short patterns keep the automata small) scans its text once (``find_many``), every
    match.

    Two distinct prefixes of as many characters cannot both match at one place, so each
    match is told by the bytes it starts: matches join rows on a hash of those bytes and
    of the source, prefix length by prefix length."""
    if rows.height == 0:
        return pl.DataFrame(schema={ROW_INDEX: pl.UInt32, "start": pl.Int64})
    prefix = pl.col(QUOTE).str.head(PREFIX_CHARACTERS)
    rows = rows.select(ROW_INDEX, SOURCE, prefix.alias("_prefix"),
                       prefix.str.len_bytes().cast(pl.Int64).alias("_length"),
                       (prefix.cast(pl.Binary).hash(_ALONE) ^ _source_mix()).alias("_key"))
    per_source = rows.select(SOURCE, "_prefix").unique().group_by(SOURCE).agg(pl.col("_prefix").alias("_patterns"))
    text = corpus.expr().bin.slice(pl.col("_begin"), pl.col("_size")).cast(pl.String)
    found = (per_source.with_columns(corpus.column("begin", pl.col(SOURCE)).alias("_begin"),
                                     corpus.column("size", pl.col(SOURCE)).alias("_size"))
             .select(SOURCE, "_begin", text.str.find_many(pl.col("_patterns"), overlapping=True).alias("start"))
             .explode("start")
             .filter(pl.col("start").is_not_null())
             .with_columns(pl.col("start").cast(pl.Int64))
             .with_columns((pl.col("_begin") + pl.col("start")).alias("_at")))
    candidates = []
    for length in rows.get_column("_length").unique().to_list():
        keyed = found.select("start", (corpus.expr().bin.slice(pl.col("_at"), length).hash(_ALONE) ^ _source_mix())
                             .alias("_key"))
        candidates.append(rows.filter(pl.col("_length") == length).join(keyed, on="_key").select(ROW_INDEX, "start"))
    return pl.concat(candidates)


def _verify(candidates: pl.DataFrame, rows: pl.DataFrame, corpus: Corpus) -> pl.DataFrame:
    """The candidates (_i, start) where the text holds the row's quote, byte for byte:
    (_i, _source, start, end)."""
    at = candidates.get_column(ROW_INDEX)
    source = rows.get_column(SOURCE).gather(at)
    quote = rows.get_column(QUOTE).cast(pl.Binary).gather(at)
    located = candidates.with_columns(source.alias(SOURCE), quote.alias(QUOTE),
                                      corpus.column("begin", source).alias("_begin"),
                                      corpus.column("size", source).alias("_size"))
    start, length = pl.col("start"), pl.col(QUOTE).bin.size().cast(pl.Int64)
    inside = (start >= 0) & (start + length <= pl.col("_size"))
    return (located.filter(inside)
            .filter(corpus.expr().bin.slice(pl.col("_begin") + start, length) == pl.col(QUOTE))
            .select(ROW_INDEX, SOURCE, "start", (start + length).alias("end")))


def _look_up_batch(texts: list[str], first: int, rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The occurrences (_i, _source, start, end) of the quotes of ``rows`` (_i, _source,
    quote, _start, _end; all of sources first, first + 1, ...) in ``texts``, and the
    numbers (_source, start, end) of the texts. _i is the row's position in ``rows``."""
    corpus, joined = Corpus.of(texts, first)
    numbers = (_spans_of(joined, corpus.begins)
               .select((pl.col("_string") + first).cast(pl.UInt32).alias(SOURCE), "start", "end"))
    del joined
    text_keys = _TextKeys(numbers, corpus)
    has_stated = pl.col("_start").is_not_null()
    rest = rows.filter(~has_stated)
    rest_spans = _number_options(rest)
    first_keys = _first_keys(rows.filter(has_stated).select(ROW_INDEX, "_start", "_end"), rows)
    rest_options = _option_keys(rest_spans, rows)
    keys = text_keys.of(pl.concat([first_keys, rest_options]))
    anchors = pl.concat([first_keys.select(ROW_INDEX, "_key", "_offset"), _rarest_keys(rest_options, keys)])
    by_number = _candidates(anchors, keys)
    del first_keys, rest_options, anchors
    # (rows anchored by their rarest key already are not anchored again)
    per_row = np.bincount(by_number.get_column(ROW_INDEX).to_numpy(), minlength=rows.height)
    per_row[rest.get_column(ROW_INDEX).to_numpy()] = 0
    crowded = pl.Series(ROW_INDEX, np.flatnonzero(per_row > CROWDED), dtype=pl.UInt32)
    if crowded.len():
        options = _option_keys(_number_options(rows[crowded.cast(pl.Int64)]), rows)
        keys = text_keys.of(options)
        again = _rarest_keys(options, keys)
        by_number = pl.concat([by_number.filter(~pl.col(ROW_INDEX).is_in(crowded.implode())),
                               _candidates(again, keys)])
    del keys, text_keys
    by_prefix = _by_prefix(rest.join(rest_spans.select(ROW_INDEX), on=ROW_INDEX, how="anti"), corpus)
    return _verify(pl.concat([by_number, by_prefix]), rows, corpus), numbers


# Sources are looked up in batches of about this much text or this many rows, so that the
# memory the lookup needs stays small however large the package is.
BATCH_BYTES = 8 << 20
BATCH_ROWS = 200_000


def _batches(sizes: np.ndarray, rows: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive ranges [first, last) of source codes, each within the batch limits
    (or a single source that alone exceeds them)."""
    batches, first, text_bytes, row_count = [], 0, 0, 0
    for code, (size, count) in enumerate(zip(sizes.tolist(), rows.tolist())):
        if code > first and (text_bytes + size > BATCH_BYTES or row_count + count > BATCH_ROWS):
            batches.append((first, code))
            first, text_bytes, row_count = code, 0, 0
        text_bytes += size
        row_count += count
    if len(sizes):
        batches.append((first, len(sizes)))
    return batches


def _compute_lookup(frames: PackageFrames) -> QuoteLookup:
    codes = source_codes(frames)
    tables = quoted_tables(frames)
    texts = list(frames.texts.values())
    empty_rows = pl.DataFrame(schema={ROW_INDEX: pl.UInt32, "_table": pl.UInt8, ROW_COLUMN: pl.Int64,
                                      SOURCE: pl.UInt32, QUOTE: pl.String, "_start": pl.Int64, "_end": pl.Int64,
                                      "_quoted": pl.Boolean})
    rows = _quoted_rows(frames, tables, codes) if tables else empty_rows
    # a quote of several excerpts (a table's header … its row) is looked up by its last one;
    # the others are verified after, around each place the last one stands
    excerpted = rows.filter(pl.col(QUOTE).str.contains(excerpts.SEPARATOR, literal=True).fill_null(False))
    if excerpted.height:
        rows = _look_up_by_last_excerpt(rows)
    # Rows in source order (and, within a source, in table order). A row whose quote is
    # the previous row's (a level and its change, quoted from one sentence) is looked up
    # through that row, its leader, which takes the stated number of either.
    # (the whole quote decides: two quotes of one table row under two headers are two quotes)
    repeat = (pl.col(SOURCE) == pl.col(SOURCE).shift(1)) & (pl.col("_whole") == pl.col("_whole").shift(1))
    next_repeats = pl.col("_repeat").shift(-1).fill_null(False)
    quoted = rows.filter(pl.col("_quoted"))
    if excerpted.height:  # (a join only where a quote has excerpts: most packages have none)
        quoted = (quoted.join(excerpted.select(ROW_INDEX, pl.col(QUOTE).alias("_whole")), on=ROW_INDEX,
                              how="left", maintain_order="left")
                  .with_columns(pl.coalesce("_whole", QUOTE).alias("_whole")))
    else:
        quoted = quoted.with_columns(pl.col(QUOTE).alias("_whole"))
    work = (quoted
            .select(pl.col(ROW_INDEX).alias("_global"), SOURCE, QUOTE, "_whole", "_start", "_end")
            .sort(SOURCE, maintain_order=True)
            .with_columns(repeat.fill_null(False).alias("_repeat"))
            .with_columns(*[pl.coalesce(column, pl.when(next_repeats).then(column.shift(-1))).alias(name)
                            for name, column in (("_start", pl.col("_start")), ("_end", pl.col("_end")))],
                          pl.when(~pl.col("_repeat")).then(pl.col("_global")).forward_fill().alias("_leader")))
    followers = work.filter(pl.col("_repeat")).select("_global", "_leader")
    # each batch takes a slice of the leaders, in source order; a slice is one chunk, so
    # that gathers by row position stay cheap
    work = work.filter(~pl.col("_repeat")).select("_global", SOURCE, QUOTE, "_start", "_end")
    per_source = np.bincount(work.get_column(SOURCE).to_numpy(), minlength=len(texts))
    rows_before = np.concatenate([[0], np.cumsum(per_source)])
    sizes = np.array([len(text) * 3 for text in texts], dtype=np.int64)  # (at most: UTF-8 bytes per character)
    occurrences, numbers = [], []
    for first, last in _batches(sizes, per_source):
        begin, end = int(rows_before[first]), int(rows_before[last])
        batch = work.slice(begin, end - begin).rechunk().with_row_index(ROW_INDEX)
        found, batch_numbers = _look_up_batch(texts[first:last], first, batch)
        occurrences.append(found.with_columns(batch.get_column("_global").gather(found.get_column(ROW_INDEX))
                                              .alias(ROW_INDEX)))
        numbers.append(batch_numbers)
    del work
    occurrence = (pl.concat(occurrences) if occurrences else
                  pl.DataFrame(schema={ROW_INDEX: pl.UInt32, SOURCE: pl.UInt32, "start": pl.Int64, "end": pl.Int64}))
    if excerpted.height:
        occurrence = _with_earlier_excerpts(occurrence, excerpted, texts)
    found = np.zeros(rows.height, dtype=bool)
    found[occurrence.get_column(ROW_INDEX).to_numpy()] = True
    found[followers.get_column("_global").to_numpy()] = found[followers.get_column("_leader").to_numpy()]
    missing = (rows.filter(pl.col("_quoted") & ~pl.Series(found))
               .select("_table", ROW_COLUMN, SOURCE, QUOTE).sort("_table", ROW_COLUMN))
    number = (pl.concat(numbers) if numbers
              else pl.DataFrame(schema={SOURCE: pl.UInt32, "start": pl.Int64, "end": pl.Int64}))
    return QuoteLookup([table for table, _ in tables], missing, occurrence, number)


def _look_up_by_last_excerpt(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with each quote of several excerpts replaced by its last excerpt, and the span of
    the stated number moved with it (null where the number stood in an earlier excerpt)."""
    quote = pl.col(QUOTE)
    cut = (quote.str.len_bytes() - quote.str.split(excerpts.SEPARATOR).list.last().str.len_bytes()).cast(pl.Int64)
    several = quote.str.contains(excerpts.SEPARATOR, literal=True).fill_null(False)
    return rows.with_columns(
        pl.when(several).then(quote.str.split(excerpts.SEPARATOR).list.last()).otherwise(quote).alias(QUOTE),
        *[pl.when(several & (pl.col("_start") >= cut)).then(pl.col(c) - cut)
          .when(several).then(None).otherwise(pl.col(c)).alias(c) for c in ("_start", "_end")])


def _earlier_excerpts_at(data: bytes, start: int, parts: list[bytes]) -> list[tuple[int, int]] | None:
    """Where the earlier excerpts ``parts`` stand before ``start`` in ``data``, nearest first
    and in order, each within WINDOW_BYTES of the next; None if one does not."""
    spans: list[tuple[int, int]] = []
    limit = start
    for part in reversed(parts):
        at = data.rfind(part, max(0, limit - excerpts.WINDOW_BYTES - len(part)), limit)
        if at < 0:
            return None
        spans.append((at, at + len(part)))
        limit = at
    return spans


def _with_earlier_excerpts(occurrence: pl.DataFrame, excerpted: pl.DataFrame, texts: list[str]) -> pl.DataFrame:
    """The occurrences of the last excerpts of ``excerpted`` kept where the earlier excerpts
    stand before them, with an occurrence of each earlier excerpt added (so that coverage
    counts the header's numbers); other rows' occurrences unchanged."""
    parts = {index: [p.encode("utf-8") for p in excerpts.excerpts(quote)[:-1]]
             for index, quote in excerpted.select(ROW_INDEX, QUOTE).iter_rows()}
    mine = pl.col(ROW_INDEX).is_in(list(parts))
    kept, encoded = [], {}
    for index, source, start, end in occurrence.filter(mine).iter_rows():
        data = encoded.setdefault(source, texts[source].encode("utf-8"))
        spans = _earlier_excerpts_at(data, start, parts[index])
        if spans is not None:
            kept += [(index, source, start, end)] + [(index, source, a, b) for a, b in spans]
    extra = pl.DataFrame(kept, schema=occurrence.schema, orient="row")
    return pl.concat([occurrence.filter(~mine), extra])


def quote_lookup(frames: PackageFrames) -> QuoteLookup:
    """Where every quote stands in its text (see QuoteLookup): computed once per frames
    and shared by the verbatim check and the coverage check."""
    return _once(frames, "lookup", lambda: _compute_lookup(frames))


def quote_occurrences(frames: PackageFrames) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(occurrences, numbers) with their text, for reading (and tests):

    - every occurrence of every quote in its source's text: (_source, quote, start, end),
      byte offsets, once per quote and place;
    - every number written in digits in the texts: (_source, number, start, end).

    ``_source`` is the position of the source in ``frames.texts`` (``source_codes``).
    """
    lookup = quote_lookup(frames)
    data = [text.encode("utf-8") for text in frames.texts.values()]
    rows = _quoted_rows(frames, quoted_tables(frames), source_codes(frames))
    quotes = rows.get_column(QUOTE).gather(lookup.occurrences.get_column(ROW_INDEX))
    occurrences = (lookup.occurrences.with_columns(quotes.alias(QUOTE))
                   .select(SOURCE, QUOTE, "start", "end").unique(maintain_order=True))
    numbers = lookup.numbers.with_columns(pl.Series("number", [
        data[code][start:end] for code, start, end in lookup.numbers.select(SOURCE, "start", "end").iter_rows()],
        dtype=pl.Binary))
    return occurrences, numbers.select(SOURCE, "number", "start", "end")
