"""The row of one figure of prose: an indicator, a target or a project.

From the words around the number: its unit (or a unit to propose), qualifier, measure and
direction, period and day, status, region, share, name and code; then whether it is a
goal (a target row of plans), an investment in a named project (a projects row), a change
that belongs to the level before it, or an indicator. The longest rule of the drafter,
kept whole because its steps feed one another in this order.
"""

from __future__ import annotations

import re

from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.codes import SHARE_PHRASE
from jiutai_data.tools.draft.compared import compared_with
from jiutai_data.tools.draft.days import SAME_PERIOD_BEFORE, day_named, stock_day_words, whole_year, year_before
from jiutai_data.tools.draft.drafts import FLOW, INDICATORS, SHARE, SLUG_SUFFIX, STOCK, Draft, decimal_value
from jiutai_data.tools.draft.mentions import Mention
from jiutai_data.tools.draft.names import BASIS_WORDS, cjk_count, strip_name
from jiutai_data.tools.draft.period import period_of
from jiutai_data.tools.draft.plans import PROJECT_AFTER, PROJECT_BEFORE, PlanRows, status_of_project


class Figures(PlanRows):
    """The row of a figure of prose."""

    def _figure(self, mention: Mention) -> Draft:
        quote = self._quote_span(mention)
        line_index = self.layout.line_index(mention.start)
        context = self.contexts[line_index]
        sentence = self.layout.sentence_of(mention.start)
        clause_text = self.text[quote[0]:quote[1]]
        before_in_clause = self.text[quote[0]:mention.start]
        unit = self.facts.units.get(mention.unit or "")
        reasons, confidence = [], 0.8
        proposed = None
        if unit is None:
            proposed = self._propose_unit(mention.unknown_unit, clause_text) if mention.unknown_unit else None
            reasons.append(f"no unit of units.csv follows {mention.stated}"
                           + (f"; {mention.unknown_unit} is not in units.csv: a units row is proposed"
                              if mention.unknown_unit else ""))
            confidence -= 0.2 if proposed else 0.4
        base = unit.base if unit else (proposed[0] if proposed else "")
        unit_end = mention.unit_end if unit else mention.end + len(mention.unknown_unit)
        qualifier, qualifier_words = q.qualifier_of(self.text[max(quote[0], mention.start - 4):mention.start],
                                                    mention.between,
                                                    self.text[unit_end:unit_end + 3] if unit or proposed else "")
        forward, forward_words = self._is_forward(mention)
        header = ""
        line = self.layout.lines[line_index]
        if line.cells and (head := self.layout.table_header(line_index)):
            column = next((i for i, (a, b) in enumerate(line.cells) if a <= mention.start < b), None)
            header_cells = [self.text[a:b] for a, b in head.cells]
            header = header_cells[column] if column is not None and column < len(header_cells) else ""
        measure, measure_words, sign, direction = q.measure_of(before_in_clause, base, header)
        project = (not line.cells and PROJECT_BEFORE.search(before_in_clause)
                   and PROJECT_AFTER.match(self.text[mention.unit_end:mention.unit_end + 2]) and base == "CNY")
        # a period that opens a sentence holds across its ；-separated parts: 今年1—10月，A…；B…
        windows = [clause_text, self.text[self.layout.full_sentence_of(mention.start)[0]:mention.start]]
        if forward:
            start, end, period_words = period_of(windows, self.published, context.forward_year)
        else:
            start, end, period_words = period_of(windows, self.published, context.year, context.months)
        if start and end and SAME_PERIOD_BEFORE.search(before_in_clause):
            # 上年同期增速为2.1%: the figure is of the same period a year earlier
            start, end = year_before(start), year_before(end)
            period_words += "; 上年同期: the same period a year earlier"
        # 预计到年末,A…；B…: an estimate word at the head of a sentence holds across its ；-parts
        full_before = self.text[self.layout.full_sentence_of(mention.start)[0]:mention.start]
        if (not forward and not q.ESTIMATE_WORDS.search(full_before) and whole_year(start, end)
                and end > self.published.isoformat()):
            # reported before the year ended, and not as expected (预计): achieved so far this year,
            # up to the day the figures were reported (9日,…会议传来…消息) or else the publication
            day = self._report_day(mention) or self.published
            end, period_words = day.isoformat(), f"{period_words}; the year so far, up to {day.isoformat()}"
        status, status_why = q.status_of(full_before, forward and not project, end, self.published.isoformat())
        region, region_words = self.regions.find(clause_text)
        if not region_words:
            # 在营城街道，引进企业12家: a place the sentence is set in (在 …), named before the figure
            region, region_words = self.regions.find_setting(self.text[sentence[0]:mention.start])
        value = decimal_value(mention.stated, unit.factor if unit else (proposed[1] if proposed else 1.0), sign)
        day_words = stock_day_words(before_in_clause, full_before, context, base)
        if day_words and end and not forward:
            start = end = day_named(day_words, end)
            period_words = f"{period_words}; {day_words}: a stock on the day"
        share = SHARE_PHRASE.search(before_in_clause) if base == "percent" and measure == q.LEVEL else None
        if share:
            measure, measure_words = SHARE, share.group()
        notes = []
        if basis := BASIS_WORDS.search(full_before[-40:]):
            notes.append(f"{basis.group()}: as the source computes the change.")
        reasons += [f"qualifier {qualifier}" + (f" ({qualifier_words})" if qualifier_words else ""),
                    f"period {start or ''}–{end or ''} ({period_words})", f"status {status} ({status_why})",
                    f"region {region}" + (f" ({region_words})" if region_words else " (the district: no place named)")]
        if sign < 0:
            reasons.append(f"{direction}: a fall, recorded as a negative value with direction_as_stated {direction}")
        facts = {"value": value, "unit": base, "measure": measure, "qualifier": qualifier, "status": status,
                 "period_start": start, "period_end": end, "region_id": region}
        if project:
            return self._project(mention, quote, value, base, status_of_project(self.text[sentence[0]:sentence[1]], forward),
                                 region, reasons, confidence, facts)
        # a quantified goal for an indicator (地区生产总值增长6%左右, 城镇新增就业4000人以上) is an
        # indicator row with status target and its measure; a task that counts what it acts on
        # (规范提升17个…街路: the counted things follow the measure word) is a plan
        task = forward and self._name(mention, quote)[1] == "the words around the number"
        if forward and task:
            name = None
            if measure == q.YOY_CHANGE:
                # 地区生产总值增长6%左右: the target is the growth, so its name says so
                core = self._name(mention, quote)[0]
                name = core + (re.sub(r"(约|近|超过|超|达到|达|为)$", "", measure_words) if measure_words else "增长")
            return self._target(mention, quote, value, base, start, end, region, qualifier, reasons, confidence, facts,
                                forward_words, name=name)
        # an indicator; a change with no name before it belongs to the figure before (…264.6亿元,同比增长1%)
        name, how, change = self._name(mention, quote)
        subject_before = before_in_clause[:share.start()] if share else before_in_clause
        whole = ""
        if share:
            whole = self._whole_code(share.group(1) or "", "") if share.group(1) else ""
            name = strip_name(subject_before) or name
            reasons.append(f"a share of {whole}" if whole else "a share: fill share_of with the whole's catalogue "
                                                               "code (reviewer)")
        if measure != q.LEVEL and cjk_count(strip_name(subject_before)) < 2 and not line.cells:
            previous = self._previous_level(mention)
            if previous is not None:
                name, how, change = previous.values.get("name_zh") or previous.facts["name"], "the figure before", 0.0
                earlier = self.layout.previous_clause_in_sentence(mention.start)
                if earlier and self.text[earlier[0]:earlier[1]] == previous.values["quote"]:
                    quote = (earlier[0], quote[1])
                code, name_en, topic = previous.facts["code"], previous.values.get("name_en", ""), previous.values.get("topic")
            else:
                code = None
        else:
            code = None
        if region_words and region_words in name and cjk_count(name.replace(region_words, "")) >= 2:
            name = name.replace(region_words, "")  # 其塔木镇新建示范村: the place is the region, not the name
        if re.fullmatch(r"第[一二三]产业", name):
            name += "增加值"  # 其中，第一产业增长4.1%: an item of the regional product's list
        if code is None:
            segment_start = max(quote[0], self.text.rfind("、", quote[0], mention.start) + 1)
            code, name, name_en, topic, code_change = self._indicator_code(
                name, self.text[segment_start:mention.unit_end] if not share else name,
                mention.unit or mention.unknown_unit if measure not in (SHARE, q.YOY_CHANGE) else "", None,
                STOCK if start and start == end and day_words else FLOW)
            change += code_change
            reasons.insert(0, f"name from {how}; " + ("indicator from the catalogue" if code_change > 0 else
                                                       "new indicator code: rename it and give the English name"))
        else:
            reasons.insert(0, f"name and indicator from {how}")
        reasons.insert(1, f"measure {measure}" + (f" ({measure_words})" if measure_words else ""))
        kind = self.kinds.get(code) or self.new_codes.get(code, ("", "", "", ""))[3]
        if forward and not start and end and self.kinds.get(code) == FLOW:
            # 到2025年，地区生产总值达到400亿元: a flow of the catalogue is aimed at for that whole year
            start = f"{end[:4]}-01-01"
            reasons.append(f"{code} is a flow (catalogue kind): the target is for the year {end[:4]}")
            facts.update(period_start=start)
        if kind == STOCK and end and start != end and not forward:
            start = end  # the catalogue calls the concept a stock: counted on a day, the end of the period
            reasons.append(f"{code} is a stock (catalogue kind): dated on {end}, the end of the period the text gives")
            facts.update(period_start=start)
        period_label = (start or "undated")[:4] if not start or (start[5:] == "01-01" and end and end[5:] == "12-31") \
            else f"{start[:7]}-to-{(end or '')[:7]}"
        values = {"region_id": region, "indicator": code, "name_zh": name, "name_en": name_en, "topic": topic,
                  "measure": measure, "period_start": start or "", "period_end": end or "", "value": value,
                  "unit": base, "value_as_stated": mention.stated, "unit_as_stated": mention.unit or mention.unknown_unit,
                  "qualifier": qualifier, "status": status, "quote": self.text[quote[0]:quote[1]],
                  "direction_as_stated": direction, "share_of": whole, "note": " ".join(notes)}
        if measure in (q.POINT_CHANGE, q.CHANGE):
            reasons.append(compared_with(self.regions, values, before_in_clause, region, start, end))
        facts.update(name=name, code=code)
        slug = f"{region}-{period_label}-{code.replace('_', '-')}" + SLUG_SUFFIX.get(measure, "")
        return self._add(Draft(INDICATORS, values, confidence + change, reasons, [(mention.start, mention.end)],
                               slug=slug, facts=facts))
