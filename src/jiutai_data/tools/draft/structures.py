"""Shares written as a structure: 三次产业结构为11.2:48.7:40.1 gives one share row per part.

Found before the single figures, because the parts of a:b:c are numbers that would
otherwise be drafted one by one without saying what they are shares of; a structure the
text says it changed from (由…调整为) is dated a year before the new one.
"""

from __future__ import annotations

import re

from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.codes import Codes
from jiutai_data.tools.draft.days import year_before
from jiutai_data.tools.draft.drafts import FLOW, INDICATORS, SHARE, Draft, decimal_value
from jiutai_data.tools.draft.mentions import Mention
from jiutai_data.tools.draft.names import strip_name
from jiutai_data.tools.draft.period import period_of

_RATIO_SEPARATORS = ":：∶"
_STRUCTURE_WORDS = re.compile(r"结构|比例|之比|构成")
# the parts of the three industries' structure, in order, and the whole they share
_INDUSTRY_PARTS = ("第一产业增加值", "第二产业增加值", "第三产业增加值")
_INDUSTRY_WHOLE = "地区生产总值"


class Structures(Codes):
    """Share rows of the parts of a:b:c."""

    def _structures(self) -> None:
        """三次产业结构为11.2:48.7:40.1: one share row per part (a:b:c, with : ： or ∶)."""
        mentions, index = self.mentions, 0
        while index < len(mentions):
            last = index
            while (last + 1 < len(mentions) and not mentions[last].chinese and not mentions[last + 1].chinese
                   and mentions[last + 1].start - mentions[last].end == 1
                   and self.text[mentions[last].end] in _RATIO_SEPARATORS):
                last += 1
            if last > index and self._structure(mentions[index:last + 1]):
                index = last + 1
            else:
                index += 1

    def _structure(self, parts: list[Mention]) -> bool:
        clause = self.layout.clause_of(parts[0].start)
        before = self.text[clause[0]:parts[0].start]
        if (len(parts) < 3 and not _STRUCTURE_WORDS.search(before)) or any(
                (p.start, p.end) in self.claimed for p in parts):
            return False
        if _STRUCTURE_WORDS.search(before) is None and len(parts) < 3:
            return False
        separator = self.text[parts[0].end]
        after = self.text[parts[-1].end:parts[-1].end + 5]
        earlier = before.endswith("由") and re.match(r"(调整|变|优化|转变|演变)为", after)
        subject = re.sub(r"(由|为|是|达到|调整为|优化为)$", "", strip_name(before)).strip()
        subject = subject or strip_name(self.text[self.layout.sentence_of(parts[0].start)[0]:clause[0]])
        industries = "产业" in subject and len(parts) == 3
        if industries:
            names, whole_name = list(_INDUSTRY_PARTS), _INDUSTRY_WHOLE
        else:
            whole_name = re.sub(r"(结构|比例|之比|构成)$", "", subject) or subject
            names = [f"{whole_name}第{i + 1}部分" for i in range(len(parts))]
        whole = self._whole_code(whole_name, "")
        quote = (clause[0], parts[-1].end) if earlier else clause
        quote_text = self.text[quote[0]:quote[1]]
        context = self.contexts[self.layout.line_index(parts[0].start)]
        windows = [self.text[clause[0]:clause[1]], self.text[self.layout.full_sentence_of(parts[0].start)[0]:parts[0].start]]
        start, end, period_words = period_of(windows, self.published, context.year, context.months)
        note = ""
        if earlier and start and end:
            start, end = year_before(start), year_before(end)
            period_words += "; 由…: the structure before the change, a year earlier (reviewer: check)"
            note = "The structure the source says it changed from (由…调整为), dated a year before the new one."
        known = self.facts.units.get(separator)
        definition = (known.base, known.factor) if known else self._propose_unit(separator, quote_text)
        base, factor = definition if definition else ("percent", 1.0)
        region, region_words = self.regions.find(quote_text)
        for position, (part, name) in enumerate(zip(parts, names)):
            code, name, name_en, topic, change = self._indicator_code(name, name, "", None, FLOW)
            if code in self.new_codes and not industries:
                self.new_code_units_guessed.add(code)
            if code in self.new_codes and industries:
                self._guess_new_unit(code, whole)
            value = decimal_value(part.stated, factor)
            values = {"region_id": region, "indicator": code, "name_zh": name, "name_en": name_en, "topic": topic,
                      "measure": SHARE, "period_start": start or "", "period_end": end or "", "value": value,
                      "unit": base, "value_as_stated": part.stated, "unit_as_stated": separator,
                      "qualifier": q.EXACT, "status": q.ACTUAL, "quote": quote_text, "direction_as_stated": "",
                      "share_of": whole, "note": note}
            reasons = [f"part {position + 1} of {len(parts)} of a structure written a{separator}b{separator}c: a share"
                       f" of {whole or 'the whole (fill share_of, reviewer)'}",
                       "parts named by the three industries" if industries else
                       f"part {position + 1} of {whole_name}: name the part's concept (reviewer)",
                       f"period {start or ''}–{end or ''} ({period_words})",
                       f"region {region}" + (f" ({region_words})" if region_words else "")]
            facts = {"value": value, "unit": base, "measure": SHARE, "qualifier": q.EXACT, "status": q.ACTUAL,
                     "period_start": start, "period_end": end, "region_id": region, "name": name, "code": code}
            period_label = (start or "undated")[:4]
            slug = f"{region}-{period_label}-{code.replace('_', '-')}-share"
            self._add(Draft(INDICATORS, values, 0.7 + (0.1 if change > 0 else 0), reasons,
                            [(part.start, part.end)], slug=slug, facts=facts))
        return True
