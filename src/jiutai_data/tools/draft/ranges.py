"""Ranges: 6—7%, 8至10亿元, 下降3-5%.

A number joined by a dash or 至 to a figure with the same unit (or none) is the range's
lower bound: it is claimed by the figure's row, which gets both bounds where its table
has columns for them. Found before the figures are drafted (so the lower bound is not
drafted on its own), applied after.
"""

from __future__ import annotations

from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.classify import LABEL, Role
from jiutai_data.tools.draft.drafter import DrafterBase
from jiutai_data.tools.draft.drafts import INDICATORS, PLANS, PROJECTS, Draft, decimal_value
from jiutai_data.tools.draft.mentions import Mention

RANGE_SEPARATORS = "—–-~～至到"


class Ranges(DrafterBase):
    """Ranges found, and applied to their figures' rows."""

    def _ranges(self, roles: list[Role]) -> dict[int, int]:
        """6—7%, 8至10亿元: a number with no unit (or the same unit) joined by a dash or 至 to
        a figure is the lower bound of a range."""
        found = {}
        for index in range(1, len(self.mentions)):
            low, high = self.mentions[index - 1], self.mentions[index]
            gap = low.unit_end if low.unit else low.end
            if (roles[index].kind == "quantity" and high.unit and low.unit in (None, high.unit) and not low.chinese
                    and high.start - gap == 1 and self.text[gap] in RANGE_SEPARATORS
                    and roles[index - 1].kind in ("quantity", LABEL)):
                found[index] = index - 1
        return found

    def _make_range(self, draft: Draft, low: Mention, high: Mention) -> None:
        columns = self.facts.columns.get(draft.table, [])
        names = {INDICATORS: ("value", "value_high", "value_as_stated", "value_high_as_stated"),
                 PLANS: ("target_value", "target_value_high", "target_as_stated", "target_high_as_stated"),
                 PROJECTS: ("investment_cny", None, "investment_as_stated", None)}[draft.table]
        value, value_high, stated, stated_high = names
        unit = self.facts.units[high.unit]
        if draft.table == INDICATORS and not draft.values.get("direction_as_stated"):
            # 下降3-5%: the word before the lower bound signs the range, and says it is a change
            clause = self.layout.clause_of(low.start)
            measure, words, sign, direction = q.measure_of(self.text[clause[0]:low.start], unit.base)
            if direction:
                draft.values["direction_as_stated"] = direction
                if draft.values.get("measure") == q.LEVEL and measure != q.LEVEL:
                    draft.values["measure"] = draft.facts["measure"] = measure
                    draft.reasons.append(f"measure {measure} ({words})")
                if sign < 0 < draft.values[value]:
                    draft.values[value] = draft.facts["value"] = -draft.values[value]
        low_value = decimal_value(low.stated, unit.factor, -1 if draft.facts["value"] < 0 else 1)
        draft.claims.append((low.start, low.end))
        self.claimed.add((low.start, low.end))
        if value_high in columns and stated_high in columns:
            draft.values[value_high], draft.values[stated_high] = draft.values[value], draft.values[stated]
            draft.values[value], draft.values[stated] = low_value, low.stated
            if draft.values[value] > draft.values[value_high]:
                # 下降3-5%: a fall between −5 and −3; the lower bound is the larger number as written
                draft.values[value], draft.values[value_high] = draft.values[value_high], draft.values[value]
                draft.values[stated], draft.values[stated_high] = draft.values[stated_high], draft.values[stated]
                low_value = draft.values[value]
            qualifier = self._enum_value(draft.table, "qualifier", "range")
            if qualifier:
                draft.values["qualifier"] = qualifier
            draft.facts.update(value=low_value, value_high=draft.values[value_high], qualifier=qualifier or None)
            draft.reasons.append(f"a range {low.stated}{self.text[low.end:high.start]}{high.stated}{high.unit}")
        else:
            draft.reasons.append(f"a range from {low.stated} to {high.stated}{high.unit}: the table has no column "
                                 "for the upper bound; the upper one is drafted")
        draft.confidence = round(max(0.05, draft.confidence - 0.1), 2)
