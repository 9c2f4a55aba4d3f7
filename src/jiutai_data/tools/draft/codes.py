"""A figure's name and indicator code, and what the package lacks, proposed.

The name comes from the words around the number (``names`` strips them); the code from
the indicator catalogue, else a new code that ``rows.draft_all`` proposes as a catalogue
row; a share's whole (占地区生产总值的比重) gets its code the same way. A unit units.csv
lacks becomes a proposed row of the units table. Shared by the figures of prose, of
tables and of structures, hence a module of its own below them.
"""

from __future__ import annotations

import re

from jiutai_data.model.unit_definitions import definition_of
from jiutai_data.tools.draft.catalogue import concept, new_code
from jiutai_data.tools.draft.drafter import DrafterBase
from jiutai_data.tools.draft.drafts import FLOW, UNITS, Draft
from jiutai_data.tools.draft.mentions import Mention
from jiutai_data.tools.draft.names import cjk_count, strip_name

# 占地区生产总值的比重为46.2%, 占比达35%: a share; the words between 占 and 比重 name the whole
SHARE_PHRASE = re.compile(r"占(?:全区|全县|全市)?([^，,。；;：:\s占]{0,20}?)的?(?:比重|比例|份额)|占比|比重")
# units the definitions do not read but a header writes: (base unit, factor)
_KNOWN_PROPOSALS = {"百分点": ("percentage_point", 1.0), "∶": ("percent", 1.0), "：": ("percent", 1.0)}
_NUMERALS = "零〇一二两三四五六七八九十百千"
_AFTER_NAME_END = re.compile(r"[、，,。；;：:\n\t]")


class Codes(DrafterBase):
    """Names, indicator codes (of the catalogue or new) and proposed units."""

    def _name(self, mention: Mention, quote: tuple[int, int]) -> tuple[str, str, float]:
        """(name_zh, how it was found, confidence change) for the figure of ``mention``."""
        line = self.layout.line_of(mention.start)
        if line.cells:
            first = line.cells[0]
            return self.text[first[0]:first[1]], "the first cell of its table row", 0.0
        clause_start, clause_end = self.layout.clause_of(mention.start)
        segment_start = max(clause_start, self.text.rfind("、", clause_start, mention.start) + 1)
        before = strip_name(self.text[segment_start:mention.start])
        after_start = max(mention.unit_end, mention.end + len(mention.between))
        # (searched within the figure's clause only: bounded, so drafting stays linear in the text)
        limit = max(after_start, clause_end)
        stop = _AFTER_NAME_END.search(self.text, after_start, limit)
        after = self.text[after_start:stop.start() if stop else limit]
        after = strip_name(re.sub(r"^(以上|的)", "", after))
        unit = self.facts.units.get(mention.unit or "")
        if unit and unit.base == "count" and cjk_count(after) >= 2:
            # 科学调整5个大型社区: what is counted follows the measure word
            return before + after, "the words around the number", 0.0 if before else -0.1
        if cjk_count(before) >= 2:
            return before, "the words before the number", 0.0
        return (after or before or self.text[quote[0]:quote[1]]), "the words after the number", -0.1

    def _indicator_code(self, name: str, context: str, unit_as_stated: str, topic_hint: str | None,
                        kind: str = FLOW) -> tuple[str, str, str, str, float]:
        """(code, name_zh, name_en, topic, confidence change) from the catalogue, or a new code."""
        entry, words = self.catalogue.match(name, context)
        if entry is not None:
            return entry.code, entry.name_zh if concept(entry.name_zh) == words else name, entry.name_en, entry.topic, 0.1
        core = concept(name)
        code = self.names_by_concept.get(core) or new_code(core)
        self.names_by_concept[core] = code
        topic = topic_hint or self.topics.guess(core, context)[0]
        self.new_codes.setdefault(code, (core, topic, unit_as_stated, kind))
        known = self.facts.units.get(unit_as_stated)
        if (code in self.new_code_units_guessed or not self.new_codes[code][2]) and known \
                and known.base not in ("percent", "percentage_point"):
            # a level's unit says more than the unit guessed from a share or a change
            self.new_codes[code] = (*self.new_codes[code][:2], unit_as_stated, self.new_codes[code][3])
            self.new_code_units_guessed.discard(code)
        return code, name, "", topic, -0.25

    def _whole_code(self, whole_name: str, context: str) -> str:
        """The catalogue code of a share's whole (地区生产总值 → gross_regional_product), or a new code."""
        whole_name = strip_name(whole_name)
        if cjk_count(whole_name) < 2:
            return ""
        entry, words = self.catalogue.match(whole_name, "")
        if entry is not None and len(words) >= len(concept(whole_name)) - 1:
            return entry.code
        code = self._indicator_code(whole_name, whole_name, "", None, FLOW)[0]
        self.new_code_units_guessed.add(code)
        return code

    def _guess_new_unit(self, code: str, whole: str) -> None:
        """A new code known only from shares takes the unit of its whole, until a level says more."""
        name, topic, unit, kind = self.new_codes[code]
        whole_unit = next((e.unit for e in self.facts.catalogue if e.code == whole), "")
        if not unit and whole_unit:
            self.new_codes[code] = (name, topic, whole_unit, kind)
        self.new_code_units_guessed.add(code)

    def _propose_unit(self, unit_as_stated: str, quote: str) -> tuple[str, float] | None:
        """(base unit, factor) of a unit units.csv lacks, from its definition; a proposed row of
        the units table for the reviewer either way (never an omission)."""
        if not unit_as_stated:
            return None
        definition = definition_of(unit_as_stated) or _KNOWN_PROPOSALS.get(unit_as_stated)
        # a unit that would make a place name a quantity (台 in 九台) is proposed with a warning
        clash = next((r.get("name_zh", "") for r in self.facts.regions
                      if re.search(f"[{_NUMERALS}]{re.escape(unit_as_stated)}", r.get("name_zh", ""))), "")
        if unit_as_stated not in self.new_units and "units" in self.facts.columns:
            base, factor = definition if definition else ("", None)
            reasons = [f"{unit_as_stated} is not in units.csv; proposed from its first figure “{quote[:40]}”",
                       ("base unit and factor from its definition (model/unit_definitions.py)" if definition else
                        "no definition reads this unit: fill unit and factor (reviewer)"),
                       "write name_en (reviewer)"]
            note = ""
            if clash:
                reasons.append(f"careful: with {unit_as_stated} in units.csv a numeral before it becomes a quantity "
                               f"everywhere, as in {clash}")
                note = f"Adding {unit_as_stated} makes the numeral in {clash} read as a quantity."
            self.new_units[unit_as_stated] = Draft(UNITS, {"unit_as_stated": unit_as_stated, "unit": base,
                                                           "factor": "" if factor is None else factor,
                                                           "name_en": "", "note": note},
                                                   0.6 if definition else 0.3, reasons, slug=unit_as_stated)
        return definition
