"""Coverage: every number written in digits in a source text lies inside a quote.

A number is covered when some occurrence of a quote of a row (indicators,
projects, plans, omissions: every table with a quote of that source) spans it
entirely. Every occurrence of a quote counts, not only the first. A number is
never covered by two quotes that each hold part of it.

Vectorised: the occurrences and the numbers come from
``provenance.quote_occurrences`` (byte spans); for each source the quote
spans are sorted by start with a running maximum of their ends, and each
number is matched with ``join_asof`` to the last quote starting at or before
it: it is covered if that running maximum reaches its end.
"""

from __future__ import annotations

import bisect
import re

import polars as pl

from jiutai_data.checks.provenance import SOURCE, SOURCES, quote_occurrences, quoted_tables
from jiutai_data.findings import Finding
from jiutai_data.frames import ROW_COLUMN, PackageFrames

CONTEXT_CHARACTERS = 15  # shown on each side of an uncovered number


def uncovered_spans(occurrences: pl.DataFrame, numbers: pl.DataFrame) -> pl.DataFrame:
    """Numbers (_source, number, start, end) that no single quote occurrence spans.

    Numbers come in text order within each source, which is all that
    ``join_asof`` with ``by`` needs; the quote spans are sorted the same way.
    """
    reach = (occurrences.select(SOURCE, pl.col("start").alias("_quote_start"), pl.col("end").alias("_quote_end"))
             .sort(SOURCE, "_quote_start")
             .with_columns(pl.col("_quote_end").cum_max().over(SOURCE).alias("_reach"))
             .select(SOURCE, "_quote_start", "_reach"))
    return (numbers
            .join_asof(reach, left_on="start", right_on="_quote_start", by=SOURCE, strategy="backward",
                       check_sortedness=False)
            .filter(pl.col("_reach").is_null() | (pl.col("_reach") < pl.col("end")))
            .select(SOURCE, "number", "start", "end"))


def _positions(text: str, byte_offsets: list[int]) -> list[tuple[int, int, str]]:
    """(line, column, text of the line) of each byte offset; lines and columns count characters from 1."""
    data = text.encode("utf-8")
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


def check_numbers_are_covered_by_quotes(frames: PackageFrames) -> list[Finding]:
    sources = frames.table(SOURCES)
    if not frames.texts or sources is None or not {ROW_COLUMN, "id"} <= set(sources.columns):
        return []
    occurrences, numbers = quote_occurrences(frames)
    missing = uncovered_spans(occurrences, numbers)
    if missing.height == 0:
        return []
    tables = ", ".join(table for table, _ in quoted_tables(frames)) or "a table with quotes"
    source_rows = dict(sources.select("id", ROW_COLUMN).unique("id", keep="first").iter_rows())
    source_paths = dict(sources.select("id", "path").unique("id", keep="first").iter_rows()) \
        if "path" in sources.columns else {}
    source_ids = list(frames.texts)
    findings = []
    for (code,), group in missing.group_by(SOURCE, maintain_order=True):
        source_id = source_ids[code]
        text = frames.texts[source_id]
        spans = [(number.decode("utf-8"), start) for number, start in group.select("number", "start").iter_rows()]
        for (number, _), (line, column, line_text) in zip(spans, _positions(text, [s for _, s in spans])):
            findings.append(Finding(
                SOURCES, source_rows.get(source_id), "path", "number-covered",
                f"the number {number} on line {line}, character {column} of the text of source {source_id} is in "
                f"no quote: “{_context(line_text, column, len(number))}”; expected every number written in digits "
                f"to lie inside the quote of a row of {tables} (add the row, or an omission saying why the number "
                "is not data)",
                number, path=source_paths.get(source_id)))
    return findings
