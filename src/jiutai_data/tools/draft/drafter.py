"""The state every drafting pass shares, and the helpers they all use.

``DrafterBase`` reads the text once (its layout, its numbers with their units, including
the units a table's header gives, each line's context, the regions, catalogue, topics and
tables the package knows) and records the rows: ``_add`` gives each row a unique slug and
ID and marks its numbers claimed, so that each number is claimed by exactly one row.

Each kind of row is drafted by a subclass in its own module (omissions, codes, plans,
structures, table_figures, figures, ranges, thresholds), and ``rows._Drafter`` combines
them. They are parts of one class, not separate functions, because every pass reads and
extends the same state: the rows drafted so far, the numbers claimed, the new codes and
units proposed.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from datetime import date

from jiutai_data.model.numbers import to_ascii_digits
from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.catalogue import CatalogueMatcher, RegionFinder, TopicGuesser
from jiutai_data.tools.draft.clauses import Layout
from jiutai_data.tools.draft.context import line_contexts
from jiutai_data.tools.draft.days import DAY_OF_MONTH
from jiutai_data.tools.draft.drafts import INDICATORS, Draft
from jiutai_data.tools.draft.mentions import Mention, UnitMatcher, find_mentions, quoted_spans
from jiutai_data.tools.draft.package import PackageFacts
from jiutai_data.tools.draft.tables import find_tables, unknown_header_unit


class DrafterBase:
    """The text read once, the package's facts, and the rows drafted so far."""

    def __init__(self, text: str, source_id: str, published: date, facts: PackageFacts) -> None:
        self.text, self.source_id, self.published, self.facts = text, source_id, published, facts
        self.layout = Layout(text)
        self.units = UnitMatcher(facts.units)
        self.quoted = quoted_spans(text)
        self.mentions = find_mentions(text, self.units, self.quoted)
        self._mention_starts = [m.start for m in self.mentions]
        self.contexts = line_contexts(self.layout, published)
        self.regions = RegionFinder(facts.regions, text)
        self.catalogue = CatalogueMatcher(facts.catalogue)
        self.topics = TopicGuesser(facts.topics, facts.catalogue)
        self.drafts: list[Draft] = []
        self.new_codes: dict[str, tuple[str, str, str, str]] = {}  # code -> (name_zh, topic, unit as stated, kind)
        self.kinds = {entry.code: entry.kind for entry in facts.catalogue if entry.kind}
        self.names_by_concept: dict[str, str] = {}  # concept -> code, within this text
        self.slugs: dict[str, dict[str, int]] = {}
        self.omission_rows: dict[tuple[str, str], Draft] = {}
        self.claimed: set[tuple[int, int]] = set()
        self.tables = find_tables(self.layout, facts.units)
        self.mentions = [self._with_cell_unit(m) for m in self.mentions]
        self.new_units: dict[str, Draft] = {}  # unit as stated -> a proposed row of the units table
        self._row_names: dict[tuple[int, int], str] = {}  # a table row's label -> its concept
        self.new_code_units_guessed: set[str] = set()  # new codes whose catalogue unit is only a guess

    def _slug(self, table: str, slug: str) -> str:
        from jiutai_data.model.ids import slugify
        base = slugify(slug) or table
        taken = self.slugs.setdefault(table, {})
        if base not in taken:
            taken[base] = 1
            return base
        # the next free number for this base, remembered, so that many repeats stay linear
        n = taken[base] + 1
        while f"{base}-{n}" in taken:
            n += 1
        taken[base] = n
        taken[f"{base}-{n}"] = 1
        return f"{base}-{n}"

    def _add(self, draft: Draft) -> Draft:
        draft.slug = self._slug(draft.table, draft.slug)
        draft.values["id"] = self.facts.row_id(draft.table, self.source_id, draft.slug)
        draft.values["source_id"] = self.source_id
        draft.confidence = round(min(0.95, max(0.05, draft.confidence)), 2)
        self.drafts.append(draft)
        self.claimed.update(draft.claims)
        return draft

    def _quote_span(self, mention: Mention) -> tuple[int, int]:
        line = self.layout.line_of(mention.start)
        if line.cells:
            # the cell: a quote holds no tab (hygiene refuses control characters), and a table's
            # -9.7 stays as written; the row's name comes from its first cell
            return next(((a, b) for a, b in line.cells if a <= mention.start < b), line.cells[-1])
        return self.layout.clause_of(mention.start)

    def _report_day(self, mention: Mention) -> date | None:
        """The latest day named before the figure in its paragraph (9日, 12月9日), if it is in the
        year of publication and no later than it."""
        line = self.layout.line_of(mention.start)
        day = None
        for match in DAY_OF_MONTH.finditer(to_ascii_digits(self.text[line.start:mention.start])):
            month = int(match.group(1)) if match.group(1) else self.published.month
            try:
                candidate = date(self.published.year, month, int(match.group(2)))
            except ValueError:
                continue
            if candidate <= self.published:
                day = candidate
        return day

    def _mentions_in(self, span: tuple[int, int]) -> range:
        """Indexes of the mentions that start inside ``span`` (the mentions are sorted)."""
        starts = self._mention_starts
        return range(bisect_left(starts, span[0]), bisect_left(starts, span[1]))

    def _enum_value(self, table: str, column: str, *candidates: str) -> str:
        """The first candidate the column's enum admits (the first if it has no enum), else empty."""
        if column not in self.facts.columns.get(table, []):
            return ""  # the table has no such column (yet)
        allowed = self.facts.enums.get((table, column))
        return next((value for value in candidates if allowed is None or value in allowed), "")

    def _is_forward(self, mention: Mention) -> tuple[bool, str]:
        sentence = self.layout.sentence_of(mention.start)
        before = self.text[sentence[0]:mention.start]
        if q.ESTIMATE_WORDS.search(before):
            return False, ""
        if match := q.TARGET_WORDS.search(self.text[sentence[0]:sentence[1]]):
            return True, match.group()
        context = self.contexts[self.layout.line_index(mention.start)]
        return (True, "in a forward-looking section") if context.forward_section else (False, "")

    def _previous_level(self, mention: Mention) -> Draft | None:
        """The level a change without a subject belongs to: the latest one before it in its
        paragraph (地区生产总值98.38亿元。按可比价格计算，增长3.1%)."""
        paragraph = self.layout.line_of(mention.start).start
        for draft in reversed(self.drafts):
            if draft.table != INDICATORS or not draft.claims:
                continue
            start = draft.claims[0][0]
            if paragraph <= start < mention.start and draft.facts.get("measure") == q.LEVEL:
                return draft
            if start < paragraph:
                return None
        return None

    def _with_cell_unit(self, mention: Mention) -> Mention:
        """A number of a table's cell takes the unit its column's header (or the 单位 line) gives."""
        cell = self.tables.cell_at(mention.start)
        if cell is None or mention.chinese or mention.unit is not None or mention.unknown_unit:
            return mention
        if cell.unit and cell.unit in self.facts.units:
            return replace(mention, unit=cell.unit, unit_start=mention.end, unit_end=mention.end)
        unknown = cell.unit or unknown_header_unit(cell.header_text, self.facts.units) or ""
        return replace(mention, unknown_unit=unknown) if unknown else mention
