"""Indicator rows from the cells of tables written as text (see ``tables``).

A cell's figure is named by its row's label (and the noun of its column's header),
measured and dated by its column's header, and quoted as header … label … cell. Separate
from ``figures`` because a table gives these from its layout, where prose gives them from
the words around the number.
"""

from __future__ import annotations

import re

from jiutai_data.model.excerpts import SEPARATOR as EXCERPTS
from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.codes import SHARE_PHRASE, Codes
from jiutai_data.tools.draft.compared import compared_with
from jiutai_data.tools.draft.days import ON_A_DAY
from jiutai_data.tools.draft.drafts import FLOW, INDICATORS, SHARE, SLUG_SUFFIX, STOCK, Draft, decimal_value
from jiutai_data.tools.draft.mentions import Mention
from jiutai_data.tools.draft.names import cjk_count
from jiutai_data.tools.draft.period import period_of
from jiutai_data.tools.draft.tables import Cell

_HEADER_NOT_NOUN = re.compile(r"[（(][^（）()]*[)）]|[0-9０-９]{4}年|绝对数|比上年同期|比上年|较上年|同比|增长|增减|增速|增幅|"
                              r"下降|数值|总量|本年|上年|本期|上期|累计|合计|年末数|年末|年底|指标|数量|金额|比重|占比|"
                              r"构成|单位[：:]?\S*|%|名称|项目|实绩|完成|全年|[1-9０-９][—–\-~～至到][0-9０-９]{1,2}月")


class TableFigures(Codes):
    """Indicator rows of tables' cells."""

    def _header_noun(self, header: str) -> str:
        noun = _HEADER_NOT_NOUN.sub("", header).strip(" ：:()（）")
        return noun if cjk_count(noun) >= 2 else ""

    def _table_figure(self, mention: Mention, cell: Cell) -> Draft:
        """A figure of a table's cell: named by its row, measured by its column, quoted as the
        header … the row's label … the cell (each excerpt verbatim, none with a tab)."""
        unit = self.facts.units.get(mention.unit or "")
        unit_as_stated = mention.unit or mention.unknown_unit
        reasons, confidence = [], 0.8
        quote_text = EXCERPTS.join(self.text[a:b] for a, b in cell.excerpt_spans())
        definition = (unit.base, unit.factor) if unit else self._propose_unit(unit_as_stated, quote_text)
        if unit is None:
            reasons.append(f"{unit_as_stated or 'no unit'}: not in units.csv" + (
                "; a units row is proposed" if unit_as_stated else "; give the unit (reviewer)"))
            confidence -= 0.3
        base, factor = definition if definition else ("", 1.0)
        header = cell.header_text
        before = self.text[cell.span[0]:mention.start]
        measure, measure_words, sign, direction = q.measure_of(before, base, header)
        whole = ""
        if base == "percent" and (share := SHARE_PHRASE.search(header)):
            measure, measure_words = SHARE, share.group()
            whole = self._whole_code(share.group(1) or "", "") if share.lastindex and share.group(1) else ""
        elif base not in ("percent", "percentage_point") and re.search(r"增减|增加(?!值)|减少|比上年|同比", header):
            measure, measure_words = q.CHANGE, header
        line_index = self.layout.line_index(mention.start)
        context = self.contexts[line_index]
        label = self.text[cell.label[0]:cell.label[1]]
        start, end, period_words = period_of([header] if header else [], self.published, context.year,
                                             context.months)
        if not header:
            start, end, period_words = period_of([], self.published, context.year, context.months)
        on_a_day = ON_A_DAY.search(header) or ON_A_DAY.search(label) or (
            context.on_a_day if context.on_a_day else None)
        if on_a_day and end:
            start = end
            period_words += f"; {on_a_day if isinstance(on_a_day, str) else on_a_day.group()}: a stock on the last day"
        region, region_words = self.regions.find(label)
        noun = self._header_noun(header)
        row_name = cell.name
        if region_words and region_words in row_name:
            row_name = row_name.replace(region_words, "")
        if noun and not row_name.endswith(noun):
            row_name += noun
        if cell.label in self._row_names and not noun:
            row_name = self._row_names[cell.label]
        self._row_names.setdefault(cell.label, row_name)
        name = row_name or self._header_noun(header) or label
        kind = STOCK if on_a_day else FLOW
        code, name, name_en, topic, change = self._indicator_code(name, name, unit_as_stated, None, kind)
        catalogue_kind = self.kinds.get(code) or self.new_codes.get(code, ("", "", "", ""))[3]
        if catalogue_kind == STOCK and end and start != end:
            start = end
            reasons.append(f"{code} is a stock (catalogue kind): dated on {end}")
        status, status_why = q.status_of("", False, end, self.published.isoformat())
        value = decimal_value(mention.stated, factor, sign)
        reasons = [f"a table's cell ({cell.layout}): row {cell.name}, column {header or '(no header)'}",
                   "indicator from the catalogue" if change > 0 else "new indicator code: rename it and give the "
                                                                     "English name",
                   f"measure {measure}" + (f" ({measure_words})" if measure_words else ""),
                   f"period {start or ''}–{end or ''} ({period_words})", f"status {status} ({status_why})",
                   f"region {region}" + (f" ({region_words})" if region_words else "")] + reasons
        if cell.unit_line and unit_as_stated:
            reasons.append(f"unit {unit_as_stated} from the 单位 line above the table")
        notes = []
        if cell.parent:
            notes.append(f"A part of {cell.parent} (其中 or indented in the table).")
        if sign < 0:
            reasons.append(f"{direction}: a fall, recorded as a negative value")
        values = {"region_id": region, "indicator": code, "name_zh": name, "name_en": name_en, "topic": topic,
                  "measure": measure, "period_start": start or "", "period_end": end or "", "value": value,
                  "unit": base, "value_as_stated": mention.stated, "unit_as_stated": unit_as_stated,
                  "qualifier": q.EXACT, "status": status, "quote": quote_text, "direction_as_stated": direction,
                  "share_of": whole, "note": " ".join(notes)}
        if measure == SHARE and not whole:
            reasons.append("a share: fill share_of with the whole's catalogue code (reviewer)")
        if measure in (q.POINT_CHANGE, q.CHANGE):
            reasons.append(compared_with(self.regions, values, header, region, start, end))
        facts = {"value": value, "unit": base, "measure": measure, "qualifier": q.EXACT, "status": status,
                 "period_start": start, "period_end": end, "region_id": region, "name": name, "code": code}
        period_label = (start or "undated")[:4] if not start or (start[5:] == "01-01" and end and end[5:] == "12-31") \
            else f"{start[:7]}-to-{(end or '')[:7]}"
        slug = f"{region}-{period_label}-{code.replace('_', '-')}" + SLUG_SUFFIX.get(measure, "")
        return self._add(Draft(INDICATORS, values, confidence + change, reasons, [(mention.start, mention.end)],
                               slug=slug, facts=facts))
