"""The text cut into lines, sentences and clauses, each as a character span.

A quote is a clause: the run of text between two of ，,；;。！？!?：: (or a line end, a
tab, or a wide gap of spaces), cut between its numbers where it is longer than MAX_CLAUSE. A sentence ends at 。！？；; or a line end. A line with no
sentence punctuation and few characters is a heading. A line of tab-separated cells is
a table row; the nearest tab-separated line above it without digits is its header.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# a colon between digits is a time of day (17:02), not the end of a clause
CLAUSE_END = re.compile(r"[，,；;。！？!?\n\t]|(?<![0-9])[：:]|[：:](?![0-9])|\s{2,}|\u3000")
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
FULL_SENTENCE_END = re.compile(r"[。！？!?\n]")
# a list label before a heading or a row label: 1. 2、 （一） (3) 一、
LIST_LABEL = r"(?:[0-9０-９]{1,2}[.．、]|[（(][一二三四五六七八九十0-9]{1,3}[)）]|[一二三四五六七八九十]{1,3}、)"
_HEADING_MAX = 30  # characters: a longer line without 。 is a paragraph, not a heading
_DIGIT = re.compile(r"[0-9０-９]")
# A clause longer than this (a text without punctuation) is cut between its numbers, and no
# piece reaches further than REACH characters from its number: every quote stays a few hundred
# characters, so the drafts stay linear in the text (a 22 KB line quoted whole in each of its
# rows made 37 MB of drafts).
MAX_CLAUSE = 200
REACH = 60
_NUMBER_RUN = re.compile(r"[0-9０-９.．]+")
# Sentences are bounded the same way, with more room: the rules read a figure's sentence for
# its period, subject and status, and a sentence of a whole unpunctuated text would make each
# figure read all of it.
MAX_SENTENCE, SENTENCE_REACH = 600, 300


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    is_heading: bool
    cells: tuple[tuple[int, int], ...]  # spans of tab-separated cells; empty unless a table row


def _stripped(text: str, a: int, b: int) -> tuple[int, int]:
    """The span a..b of ``text`` without the spaces at both ends (empty when all spaces)."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Maximal runs between separators, stripped of spaces at both ends; empty runs dropped."""
    spans, start = [], 0
    for match in pattern.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in (_stripped(text, a, b) for a, b in spans) if a < b]


def _bounded(text: str, clauses: list[tuple[int, int]], longest: int = MAX_CLAUSE,
             reach: int = REACH) -> list[tuple[int, int]]:
    """``clauses`` with each one longer than MAX_CLAUSE cut into pieces around its numbers: a
    cut halfway between two numbers (at most REACH characters from either), so that each piece
    holds one number with the words nearest it. Linear in the text."""
    bounded: list[tuple[int, int]] = []
    for a, b in clauses:
        if b - a <= longest:
            bounded.append((a, b))
            continue
        runs = [(m.start(), m.end()) for m in _NUMBER_RUN.finditer(text, a, b)]
        if not runs:
            bounded.extend((start, min(start + longest, b)) for start in range(a, b, longest))
            continue
        start = max(a, runs[0][0] - reach)
        for (_, end), (next_start, _) in zip(runs, runs[1:]):
            middle = (end + next_start + 1) // 2
            bounded.append((start, min(middle, end + reach)))
            start = max(middle, next_start - reach)
        bounded.append((start, min(b, runs[-1][1] + reach)))
    return bounded


class Layout:
    """Lines, sentences and clauses of one text, looked up by character offset in O(log n)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[Line] = []
        offset = 0
        for raw in text.split("\n"):
            stripped = raw.strip()
            cells: tuple[tuple[int, int], ...] = ()
            if "\t" in stripped:
                cells, position = [], offset
                for cell in raw.split("\t"):
                    a, b = _stripped(text, position, position + len(cell))
                    if a < b:
                        cells.append((a, b))
                    position += len(cell) + 1
                cells = tuple(cells)
            # a remark in brackets (虚构新闻，仅供测试) does not make a title a sentence
            bare = re.sub(r"（[^（）]*）|\([^()]*\)", "", stripped)
            heading = (bool(stripped) and len(bare) <= _HEADING_MAX and not cells
                       and not re.search(r"[。！？!?；;，,]", bare))
            self.lines.append(Line(offset, offset + len(raw), raw, heading, cells))
            offset += len(raw) + 1
        self._line_starts = [line.start for line in self.lines]
        # the header of each table row, found in one pass: the latest digit-free row of cells
        self._headers: list[Line | None] = []
        header: Line | None = None
        for line in self.lines:
            if not line.cells:
                header = None
            elif not _DIGIT.search(line.text):
                header = line
            self._headers.append(header if line.cells and line is not header else None)
        self.sentences = _bounded(text, _spans(text, SENTENCE_END), MAX_SENTENCE, SENTENCE_REACH)
        self._sentence_starts = [a for a, _ in self.sentences]
        self.full_sentences = _bounded(text, _spans(text, FULL_SENTENCE_END), MAX_SENTENCE, SENTENCE_REACH)
        self._full_sentence_starts = [a for a, _ in self.full_sentences]
        self.clauses = _bounded(text, _spans(text, CLAUSE_END))
        self._clause_starts = [a for a, _ in self.clauses]

    def line_index(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset) - 1

    def line_of(self, offset: int) -> Line:
        return self.lines[self.line_index(offset)]

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return self.sentences[max(0, bisect_right(self._sentence_starts, offset) - 1)]

    def full_sentence_of(self, offset: int) -> tuple[int, int]:
        """The sentence up to 。！？ or a line end (；does not end it)."""
        return self.full_sentences[max(0, bisect_right(self._full_sentence_starts, offset) - 1)]

    def clause_index(self, offset: int) -> int:
        return max(0, bisect_right(self._clause_starts, offset) - 1)

    def clause_of(self, offset: int) -> tuple[int, int]:
        return self.clauses[self.clause_index(offset)]

    def previous_clause_in_sentence(self, offset: int) -> tuple[int, int] | None:
        index = self.clause_index(offset)
        if index == 0:
            return None
        previous = self.clauses[index - 1]
        sentence = self.sentence_of(offset)
        return previous if previous[0] >= sentence[0] else None

    def table_header(self, line_index: int) -> Line | None:
        """The header of the table row at ``line_index``: the nearest line above it with cells
        and no digits, with only table rows between them."""
        return self._headers[line_index]
