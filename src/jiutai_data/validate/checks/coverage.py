"""Coverage: every number in a source text lies inside a quote: every number written in
digits, and every quantity written in Chinese numerals (a numeral followed by a measure word
or a unit of the units table: 六个, 三百公里, 两个; see ``numbers.find_chinese_quantities``).

A number is covered when some occurrence of a quote of a row (indicators,
projects, plans, omissions: every table with a quote of that source) spans it
entirely. Every occurrence of a quote counts, not only the first. A number is
never covered by two quotes that each hold part of it.

Vectorised: the occurrences and the numbers come from
``quote_lookup.quote_lookup`` (byte spans); the quote spans of all sources are
sorted by start with a running maximum of their ends, and each number is
matched (``searchsorted``) with the last quote starting at or before it: it is
covered if that running maximum reaches its end.
"""

from __future__ import annotations

import bisect
import re

import numpy as np
import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.numbers import chinese_quantity_spans
from jiutai_data.validate.checks.quote_lookup import SOURCE, SOURCES, quote_lookup, quoted_tables
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths
from jiutai_data.validate.checks.declare import Scope, declares

CONTEXT_CHARACTERS = 15  # shown on each side of an uncovered number


_SOURCE_SHIFT = 40  # a position in all texts at once: source code << 40 | byte offset (texts stay under 1 TB)


def _positions_in_all_texts(frame: pl.DataFrame, column: str) -> np.ndarray:
    return (frame.get_column(SOURCE).cast(pl.Int64).to_numpy() << _SOURCE_SHIFT) + frame.get_column(column).to_numpy()


def uncovered_spans(occurrences: pl.DataFrame, numbers: pl.DataFrame) -> pl.DataFrame:
    """Numbers (_source, start, end) that no single quote occurrence spans.

    With every source's offsets moved to a range of its own, one sort and one running
    maximum serve all sources: a quote never reaches into the range of the next source.
    """
    quote_starts = _positions_in_all_texts(occurrences, "start")
    order = np.argsort(quote_starts, kind="stable")
    quote_starts = quote_starts[order]
    reach = np.maximum.accumulate(_positions_in_all_texts(occurrences, "end")[order])
    last = np.searchsorted(quote_starts, _positions_in_all_texts(numbers, "start"), side="right") - 1
    reached = np.full(len(last), -1, dtype=np.int64)
    reached[last >= 0] = reach[last[last >= 0]]
    covered = reached >= _positions_in_all_texts(numbers, "end")
    return numbers.filter(pl.Series(~covered)).select(SOURCE, "start", "end")


def _positions(data: bytes, byte_offsets: list[int]) -> list[tuple[int, int, str]]:
    """(line, column, text of the line) of each byte offset of the UTF-8 ``data``; lines and
    columns count characters from 1."""
    line_starts = [0] + [m.end() for m in re.finditer(b"\n", data)]
    result = []
    for offset in byte_offsets:
        line = bisect.bisect_right(line_starts, offset)
        line_start = line_starts[line - 1]
        line_end = data.find(b"\n", offset)
        line_text = data[line_start:len(data) if line_end < 0 else line_end].decode("utf-8")
        column = len(data[line_start:offset].decode("utf-8")) + 1
        result.append((line, column, line_text))
    return result


def _context(line_text: str, column: int, length: int) -> str:
    start = max(0, column - 1 - CONTEXT_CHARACTERS)
    end = min(len(line_text), column - 1 + length + CONTEXT_CHARACTERS)
    return ("…" if start > 0 else "") + line_text[start:end].strip() + ("…" if end < len(line_text) else "")


UNITS = "units"
UNIT_AS_STATED = "unit_as_stated"


def stated_units(frames: PackageFrames) -> list[str]:
    """The units of the units table, as written: each also makes a numeral before it a quantity."""
    units = frames.table(UNITS)
    if units is None or UNIT_AS_STATED not in units.columns:
        return []
    return [unit for unit in units.get_column(UNIT_AS_STATED).cast(pl.String).drop_nulls().unique().to_list()]


def chinese_quantities(frames: PackageFrames) -> pl.DataFrame:
    """Every quantity written in Chinese numerals in the texts: (_source, start, end), byte offsets."""
    units = stated_units(frames)
    parts = []
    for code, text in enumerate(frames.texts.values()):
        starts, ends = chinese_quantity_spans(text, units)
        if len(starts):
            parts.append(pl.DataFrame({SOURCE: np.full(len(starts), code, dtype=np.uint32), "start": starts,
                                       "end": ends}))
    schema = {SOURCE: pl.UInt32, "start": pl.Int64, "end": pl.Int64}
    return pl.concat(parts).cast(schema) if parts else pl.DataFrame(schema=schema)


@declares(Scope.SOURCE, codes.NUMBER_COVERED)
def check_numbers_are_covered_by_quotes(frames: PackageFrames) -> list[Finding]:
    sources = frames.table(SOURCES)
    if not frames.texts or sources is None or not {ROW_COLUMN, "id"} <= set(sources.columns):
        return []
    lookup = quote_lookup(frames)
    numbers = pl.concat([lookup.numbers.select(SOURCE, "start", "end").cast({SOURCE: pl.UInt32}),
                         chinese_quantities(frames)]).sort(SOURCE, "start")
    missing = uncovered_spans(lookup.occurrences, numbers)
    if missing.height == 0:
        return []
    tables = ", ".join(table for table, _ in quoted_tables(frames)) or "a table with quotes"
    source_rows = dict(sources.select("id", ROW_COLUMN).unique("id", keep="first").iter_rows())
    source_paths = dict(sources.select("id", "path").unique("id", keep="first").iter_rows()) \
        if "path" in sources.columns else {}
    # The row is a row of the sources table, so the finding names that file; the text
    # file and the line in it are in the message.
    table_path = resource_paths(frames.descriptor).get(SOURCES)
    source_ids = list(frames.texts)
    findings = []
    for (code,), group in missing.group_by(SOURCE, maintain_order=True):
        source_id = source_ids[code]
        data = frames.texts[source_id].encode("utf-8")
        spans = [(data[start:end].decode("utf-8"), start) for start, end in group.select("start", "end").iter_rows()]
        for (number, _), (line, column, line_text) in zip(spans, _positions(data, [s for _, s in spans])):
            findings.append(Finding(
                SOURCES, source_rows.get(source_id), "path", codes.NUMBER_COVERED,
                f"the number {number} on line {line}, character {column} of {source_paths.get(source_id) or 'the text'} "
                f"(source {source_id}) is in "
                f"no quote: “{_context(line_text, column, len(number))}”; expected every number written in digits, "
                f"and every Chinese numeral followed by a measure word or unit, to lie inside the quote of a row of "
                f"{tables} (add the row, or an omission saying why the number is not data)",
                number, path=table_path))
    return findings
