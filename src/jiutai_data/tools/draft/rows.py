"""One draft row per figure, target, project, named plan or omission of a text.

``draft_rows`` is a pure function of the text, its publication date and the package's
facts. Every number the text holds is *claimed* by exactly one row (``Draft.claims``):
as the row's figure, as part of its name (a threshold such as 5000万元以上项目, a number
inside a quoted name), or as an omission.

This module holds only the order of the passes (``_Drafter.run``) and the entry points;
each kind of row is drafted in a module of its own (``drafter`` says how they fit
together). ``Draft`` and the table names live in ``drafts``; they are re-exported here
for callers outside this package that import them from ``rows``.
"""

from __future__ import annotations

from datetime import date

from jiutai_data.tools.draft.classify import DATE_TIME, LABEL, NAME, ORDINAL, REPEATED, Role, role_of
from jiutai_data.tools.draft.drafts import (CATALOGUE, INDICATORS, OMISSIONS, PLANS, PROJECTS, STOCK, UNITS,
                                            Draft)
from jiutai_data.tools.draft.mentions import inside
from jiutai_data.tools.draft.omissions import Omissions
from jiutai_data.tools.draft.package import PackageFacts
from jiutai_data.tools.draft.ranges import Ranges
from jiutai_data.tools.draft.structures import Structures
from jiutai_data.tools.draft.table_figures import TableFigures
from jiutai_data.tools.draft.thresholds import Thresholds

__all__ = ["CATALOGUE", "INDICATORS", "OMISSIONS", "PLANS", "PROJECTS", "UNITS", "Draft", "draft_all", "draft_rows"]


class _Drafter(Thresholds, TableFigures, Structures, Ranges, Omissions):
    """The passes over the text, in order; each kind of row is drafted by one of the base classes."""

    def run(self) -> list[Draft]:
        self._programmes()
        self._ordinals()
        roles = []
        for mention in self.mentions:
            line = self.layout.line_of(mention.start)
            if self.tables.cell_at(mention.start) and not mention.chinese:
                roles.append(Role("quantity", "a table's cell"))
                continue
            roles.append(role_of(mention, self.text, self.text[line.start:mention.start],
                                 self.text[max(mention.unit_end, mention.end + len(mention.between)):line.end],
                                 inside(self.quoted, mention.start, mention.end) is not None,
                                 line.is_heading and not line.cells))
        self._structures()
        captions = self._caption_repeats(roles)
        distributed = self._distributed_classes(roles)
        ranges = self._ranges(roles)  # high index -> low index
        lows = set(ranges.values())
        figures: dict[int, Draft] = {}
        for index, (mention, role) in enumerate(zip(self.mentions, roles)):
            span = (mention.start, mention.end)
            if span in self.claimed or index in distributed or index in lows:
                continue
            if index in captions:
                self._omission(mention, Role(REPEATED, captions[index]))
            elif role.kind in (DATE_TIME, LABEL, ORDINAL, NAME):
                self._omission(mention, role)
            elif role.kind == "quantity" and (cell := self.tables.cell_at(mention.start)) and not mention.chinese:
                figures[index] = self._table_figure(mention, cell)
            elif role.kind == "quantity":
                figures[index] = self._figure(mention)
                if index in ranges:
                    self._make_range(figures[index], self.mentions[ranges[index]], mention)
        for index, role in enumerate(roles):
            if role.kind == "threshold" and (self.mentions[index].start, self.mentions[index].end) not in self.claimed:
                self._threshold(index, role, figures)
        return self.drafts


def draft_rows(text: str, source_id: str, published: date, facts: PackageFacts) -> tuple[list[Draft], list[Draft]]:
    """(rows of indicators, plans, projects, omissions; rows of a catalogue for new codes)."""
    drafts, catalogue, _ = draft_all(text, source_id, published, facts)
    return drafts, catalogue


def draft_all(text: str, source_id: str, published: date,
              facts: PackageFacts) -> tuple[list[Draft], list[Draft], list[Draft]]:
    """draft_rows, and the rows of the units table proposed for units the package lacks."""
    drafter = _Drafter(text, source_id, published, facts)
    drafts = drafter.run()
    catalogue = []
    if facts.has_catalogue_table:
        for code, (name_zh, topic, unit, kind) in drafter.new_codes.items():
            catalogue.append(Draft(CATALOGUE, {"code": code, "name_zh": name_zh, "name_en": "", "topic": topic,
                                               "unit": unit, "kind": kind, "definition": ""}, 0.5,
                                   ["new indicator code: rename it (snake_case English) here and in indicators.csv, "
                                    "write name_en and the definition",
                                    f"kind {kind}: " + ("counted on a day (年末, 截至 …)" if kind == STOCK else
                                                        "accumulated over a period; a state on a day is a stock")],
                                   slug=code))
    return drafts, catalogue, list(drafter.new_units.values())
