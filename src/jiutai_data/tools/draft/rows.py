"""One draft row per figure, target, project, named plan or omission of a text.

``draft_rows`` is a pure function of the text, its publication date and the package's
facts. Every number the text holds is *claimed* by exactly one row (``Draft.claims``):
as the row's figure, as part of its name (a threshold such as 5000万元以上项目, a number
inside a quoted name), or as an omission.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from jiutai_data.model.numbers import to_ascii_digits
from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.catalogue import CatalogueMatcher, RegionFinder, TopicGuesser, concept, new_code
from jiutai_data.tools.draft.classify import DATE_TIME, LABEL, NAME, ORDINAL, REPEATED, Role, chinese_ordinals, role_of
from jiutai_data.tools.draft.clauses import Layout
from jiutai_data.tools.draft.mentions import Mention, UnitMatcher, find_mentions, inside, quoted_spans
from jiutai_data.tools.draft.package import PackageFacts
from jiutai_data.tools.draft.context import line_contexts
from jiutai_data.model.excerpts import SEPARATOR as EXCERPTS
from jiutai_data.model.unit_definitions import definition_of
from jiutai_data.tools.draft.names import BASIS_WORDS, LEADING, cjk_count, strip_name
from jiutai_data.tools.draft.period import period_of
from jiutai_data.tools.draft.tables import Cell, find_tables, unknown_header_unit

INDICATORS, PLANS, PROJECTS, OMISSIONS, CATALOGUE = "indicators", "plans", "projects", "omissions", "catalogue"
UNITS = "units"
SHARE = "share"
# 占地区生产总值的比重为46.2%, 占比达35%: a share; the words between 占 and 比重 name the whole
_SHARE = re.compile(r"占(?:全区|全县|全市)?([^，,。；;：:\s占]{0,20}?)的?(?:比重|比例|份额)|占比|比重")
_RATIO_SEPARATORS = ":：∶"
_STRUCTURE_WORDS = re.compile(r"结构|比例|之比|构成")
# the parts of the three industries' structure, in order, and the whole they share
_INDUSTRY_PARTS = ("第一产业增加值", "第二产业增加值", "第三产业增加值")
_INDUSTRY_WHOLE = "地区生产总值"
# units the definitions do not read but a header writes: (base unit, factor)
_KNOWN_PROPOSALS = {"百分点": ("percentage_point", 1.0), "∶": ("percent", 1.0), "：": ("percent", 1.0)}
_HEADER_NOT_NOUN = re.compile(r"[（(][^（）()]*[)）]|[0-9０-９]{4}年|绝对数|比上年同期|比上年|较上年|同比|增长|增减|增速|增幅|"
                              r"下降|数值|总量|本年|上年|本期|上期|累计|合计|年末数|年末|年底|指标|数量|金额|比重|占比|"
                              r"构成|单位[：:]?\S*|%|名称|项目|实绩|完成|全年|[1-9０-９][—–\-~～至到][0-9０-９]{1,2}月")

RANGE_SEPARATORS = "—–-~～至到"
_DAY = re.compile(r"(?:([0-9]{1,2})月)?([0-9]{1,2})日")


def _whole_year(start: str | None, end: str | None) -> bool:
    return bool(start and end and start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31")


def _year_span_months(year: int, last_month: int) -> tuple[str, str]:
    import calendar
    return date(year, 1, 1).isoformat(), date(year, last_month, calendar.monthrange(year, last_month)[1]).isoformat()


def _year_before(day: str) -> str:
    """The same day a year earlier (29 February → 28 February)."""
    earlier = date.fromisoformat(day)
    try:
        return earlier.replace(year=earlier.year - 1).isoformat()
    except ValueError:
        return earlier.replace(year=earlier.year - 1, day=28).isoformat()


# a stock counted on a day: 年末常住人口, 截至年底 (the day is the end of the period)
_ON_A_DAY = re.compile(r"年末|年底|季末|月末|月底|期末|截至|截止")
# the day a sentence's stocks are counted on: 年末, 9月末, 截至12月末 (not 比上年末, the day compared
# with, nor 预计到年末, the year's whole total by then)
_DAY_PHRASE = re.compile(r"(?:截至|截止)(?:[0-9０-９]{1,2}月(?:末|底|份)?|年末|年底|目前|[^，,。；;]{0,6}?(?:末|底|日))?"
                         r"|(?<![比较上到至])(?:[0-9０-９]{1,2}月(?:末|底)|年末|年底|季末|月末|月底|期末)")
# a period over which things accumulate: after it, the sentence's figures are flows again
_FLOW_AGAIN = re.compile(r"全年|累计|当年|前三季度|上半年|一季度|[0-9０-９]{1,2}[—–\-~～至到][0-9０-９]{1,2}月")
# words that make a figure a stock whatever the day: a balance, a herd, what there is (已有, 共有, 在建)
_STOCK_WORDS = re.compile(r"余额|存栏|保有量|已有|共有|拥有|现有|在建")
# a count that has reached a number (高新技术企业达到96户) is a stock, unless it counts what is new
_REACHED = re.compile(r"(?:达到|达)$")
_FLOW_COUNT = re.compile(r"新增|新建|新开工|新签约|新认证|新培育|引进|培育|完成|实现|全年|累计|开工|建成|出栏|发放")


_SAME_PERIOD_BEFORE = re.compile(r"^(?:[^比较与同]{0,6})(?:上年|去年)同期")


def _day_named(words: str, end: str) -> str:
    """The day a day phrase names, in the year of ``end``: 9月末 → 30 September; else ``end``."""
    import calendar
    if match := re.search(r"([0-9]{1,2})月(?:末|底|份)?$", to_ascii_digits(words)):
        month = int(match.group(1))
        if 1 <= month <= 12:
            year = int(end[:4])
            return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    return end
STOCK, FLOW = "stock", "flow"
_SLUG_SUFFIX = {q.YOY_CHANGE: "-yoy", q.POINT_CHANGE: "-points", q.CHANGE: "-change", "share": "-share"}
_NUMERALS = "零〇一二两三四五六七八九十百千"
_AFTER_NAME_END = re.compile(r"[、，,。；;：:\n\t]")
_PROJECT_BEFORE = re.compile(r"(总投资|计划投资|投资)(约|近|超过|超)?$")
_PROJECT_AFTER = re.compile(r"^(的|建成|建设|新建)")
_PROGRAMME = re.compile(r"[“《][^“”《》\n]{1,40}[”》](专项行动|行动计划|行动|工程|发展战略|战略|政策|工作法|机制|模式|部署|计划|方案|办法)?")
_PROGRAMME_KINDS = [("战略", "strategy"), ("部署", "strategy"), ("政策", "policy"), ("办法", "policy"),
                    ("方案", "policy"), ("机制", "policy"), ("模式", "policy"), ("工作法", "programme"),
                    ("", "programme")]
_PROJECT_STATUS = [(re.compile(r"建成|完工|竣工|通车|投产"), "completed"), (re.compile(r"开工|在建|建设"), "under_construction"),
                   (re.compile(r"签约"), "signed"), (re.compile(r"洽谈"), "negotiating")]


@dataclass
class Draft:
    table: str
    values: dict[str, Any]
    confidence: float
    reasons: list[str]
    claims: list[tuple[int, int]] = field(default_factory=list)
    slug: str = ""
    # what the scores compare, whether or not the table has a column for it
    facts: dict[str, Any] = field(default_factory=dict)

    def reason(self) -> str:
        return "; ".join(r for r in self.reasons if r)


def _decimal_value(stated: str, factor: float, sign: int = 1) -> float:
    number = Decimal(stated) if re.fullmatch(r"[0-9]+(\.[0-9]+)?", stated) else Decimal(repr(stated_value(stated)))
    return float(number * Decimal(repr(factor)) * sign)


def stated_value(stated: str) -> float:
    from jiutai_data.model.numbers import parse_number
    value = parse_number(stated)
    return 0.0 if value is None else value


class _Drafter:
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

    # ---------------------------------------------------------------- helpers

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
        for match in _DAY.finditer(to_ascii_digits(self.text[line.start:mention.start])):
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

    # ---------------------------------------------------------------- the pass

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

    # ---------------------------------------------------------------- named plans and ordinals

    def _programmes(self) -> None:
        seen = set()
        for match in _PROGRAMME.finditer(self.text):
            name = match.group()
            if match.group(1) is None and not name.startswith("《"):
                continue  # a quoted phrase with no programme word after it is no plan's name
            claims = [(self.mentions[i].start, self.mentions[i].end) for i in self._mentions_in(match.span())
                      if self.mentions[i].end <= match.end()]
            if name in seen:
                if claims:
                    self.drafts[self._programme_rows[name]].claims += claims
                    self.claimed.update(claims)
                continue
            seen.add(name)
            suffix = match.group(1) or ""
            kind = "policy" if name.startswith("《") else next(k for word, k in _PROGRAMME_KINDS if word in suffix)
            clause = self.layout.clause_of(match.start())
            start, end = (clause if clause[0] <= match.start() and match.end() <= clause[1] else match.span())
            topic, topic_why = self.topics.guess(name, self.text[start:end], self.layout.line_of(start).text)
            region, region_words = self.regions.find(self.text[start:end])
            ahead = bool(q.TARGET_WORDS.search(self.text[slice(*self.layout.sentence_of(match.start()))])) \
                or self.contexts[self.layout.line_index(match.start())].forward_section
            status = self._enum_value(PLANS, "status", *(q.PLAN_STATUS_AHEAD if ahead else q.PLAN_STATUS_UNDER_WAY))
            draft = Draft(PLANS, {
                "region_id": region, "name_zh": name, "name_en": "", "kind": kind, "topic": topic,
                "status": status, "quote": self.text[start:end],
            }, 0.6, [f"named {kind}: “…”{suffix}", topic_why, f"region {region_words}" if region_words else ""],
                claims, slug=f"{kind}-{new_code(name)[6:]}")
            self._add(draft)
            self._programme_rows = getattr(self, "_programme_rows", {})
            self._programme_rows[name] = len(self.drafts) - 1
        self._programme_rows = getattr(self, "_programme_rows", {})

    def _ordinals(self) -> None:
        for match in chinese_ordinals(self.text):
            if inside(self.quoted, match.start(), match.end()):
                continue
            if self.text[match.start() - 2:match.start()] == "党的":
                quote = (match.start() - 2, match.end())
            else:
                quote = self.layout.clause_of(match.start())
            self._omission_row(ORDINAL, quote, f"{match.group()}: an ordinal", [])

    # ---------------------------------------------------------------- omissions

    def _omission_row(self, kind: str, span: tuple[int, int], why: str, claims: list[tuple[int, int]]) -> None:
        quote = self.text[span[0]:span[1]]
        if (draft := self.omission_rows.get((kind, quote))) is not None:
            # one omission covers every occurrence of its quote
            draft.claims += claims
            self.claimed.update(claims)
            if why not in draft.reasons:
                draft.reasons.append(why)
            return
        line = self.layout.line_index(span[0]) + 1
        confidence = 0.5 if why == "no unit follows the number" else 0.85
        self.omission_rows[(kind, quote)] = self._add(Draft(OMISSIONS, {"kind": kind, "quote": quote}, confidence,
                                                            [why], claims, slug=f"{kind}-line-{line}"))

    def _omission(self, mention: Mention, role: Role) -> None:
        span = self.layout.clause_of(mention.start)
        quoted = inside(self.quoted, mention.start, mention.end)
        if quoted and not (span[0] <= quoted[0] and quoted[1] <= span[1]):
            span = quoted
        self._omission_row(role.kind, span, role.why, [(mention.start, mention.end)])

    def _caption_repeats(self, roles: list[Role]) -> dict[int, str]:
        """Figures of photo captions that the body states again: omissions (repeated)."""
        body = {}
        for mention, role in zip(self.mentions, roles):
            if role.kind == "quantity" and not self.contexts[self.layout.line_index(mention.start)].caption:
                body.setdefault((mention.stated, mention.unit), mention)
        repeats = {}
        for index, (mention, role) in enumerate(zip(self.mentions, roles)):
            if role.kind == "quantity" and self.contexts[self.layout.line_index(mention.start)].caption:
                if (mention.stated, mention.unit) in body:
                    line = self.layout.line_index(body[(mention.stated, mention.unit)].start) + 1
                    repeats[index] = f"a photo caption repeating {mention.stated}{mention.unit} of line {line}"
        return repeats

    # ---------------------------------------------------------------- figures

    def _is_forward(self, mention: Mention) -> tuple[bool, str]:
        sentence = self.layout.sentence_of(mention.start)
        before = self.text[sentence[0]:mention.start]
        if q.ESTIMATE_WORDS.search(before):
            return False, ""
        if match := q.TARGET_WORDS.search(self.text[sentence[0]:sentence[1]]):
            return True, match.group()
        context = self.contexts[self.layout.line_index(mention.start)]
        return (True, "in a forward-looking section") if context.forward_section else (False, "")

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

    # ---------------------------------------------------------------- tables, units, structures

    def _with_cell_unit(self, mention: Mention) -> Mention:
        """A number of a table's cell takes the unit its column's header (or the 单位 line) gives."""
        cell = self.tables.cell_at(mention.start)
        if cell is None or mention.chinese or mention.unit is not None or mention.unknown_unit:
            return mention
        if cell.unit and cell.unit in self.facts.units:
            return replace(mention, unit=cell.unit, unit_start=mention.end, unit_end=mention.end)
        unknown = cell.unit or unknown_header_unit(cell.header_text, self.facts.units) or ""
        return replace(mention, unknown_unit=unknown) if unknown else mention

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
                       (f"base unit and factor from its definition (model/unit_definitions.py)" if definition else
                        "no definition reads this unit: fill unit and factor (reviewer)"),
                       f"write name_en (reviewer)"]
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
            start, end = _year_before(start), _year_before(end)
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
            value = _decimal_value(part.stated, factor)
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
        if base == "percent" and (share := _SHARE.search(header)):
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
        on_a_day = _ON_A_DAY.search(header) or _ON_A_DAY.search(label) or (
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
        value = _decimal_value(mention.stated, factor, sign)
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
            reasons.append(self._compared_with(values, header, region, start, end))
        facts = {"value": value, "unit": base, "measure": measure, "qualifier": q.EXACT, "status": status,
                 "period_start": start, "period_end": end, "region_id": region, "name": name, "code": code}
        period_label = (start or "undated")[:4] if not start or (start[5:] == "01-01" and end and end[5:] == "12-31") \
            else f"{start[:7]}-to-{(end or '')[:7]}"
        slug = f"{region}-{period_label}-{code.replace('_', '-')}" + _SLUG_SUFFIX.get(measure, "")
        return self._add(Draft(INDICATORS, values, confidence + change, reasons, [(mention.start, mention.end)],
                               slug=slug, facts=facts))

    def _day_words(self, mention: Mention, before_in_clause: str, full_before: str, context, base: str) -> str:
        """The words that make the figure a stock counted on a day, or empty: a day phrase earlier
        in its sentence (年末…，其中城镇人口…; 9月末，…存款余额…；贷款余额…) with no accumulating
        period after it; the day at the head of its paragraph for a stock concept (余额 …); a stock
        word in the clause (余额, 存栏, 已有, 在建); a count that has reached a number."""
        last = None
        for last in _DAY_PHRASE.finditer(full_before):
            pass
        if last and not _FLOW_AGAIN.search(full_before[last.end():]):
            return last.group()
        stock_word = _STOCK_WORDS.search(before_in_clause)
        if context.on_a_day and stock_word and not _FLOW_AGAIN.search(full_before):
            return context.on_a_day
        if stock_word:
            return stock_word.group()
        if (base == "count" and _REACHED.search(before_in_clause)
                and not _FLOW_COUNT.search(before_in_clause) and not _FLOW_AGAIN.search(full_before)):
            return "达到 (a count reached)"
        return ""

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
        project = (not line.cells and _PROJECT_BEFORE.search(before_in_clause)
                   and _PROJECT_AFTER.match(self.text[mention.unit_end:mention.unit_end + 2]) and base == "CNY")
        # a period that opens a sentence holds across its ；-separated parts: 今年1—10月，A…；B…
        windows = [clause_text, self.text[self.layout.full_sentence_of(mention.start)[0]:mention.start]]
        if forward:
            start, end, period_words = period_of(windows, self.published, context.forward_year)
        else:
            start, end, period_words = period_of(windows, self.published, context.year, context.months)
        if start and end and _SAME_PERIOD_BEFORE.search(before_in_clause):
            # 上年同期增速为2.1%: the figure is of the same period a year earlier
            start, end = _year_before(start), _year_before(end)
            period_words += "; 上年同期: the same period a year earlier"
        # 预计到年末,A…；B…: an estimate word at the head of a sentence holds across its ；-parts
        full_before = self.text[self.layout.full_sentence_of(mention.start)[0]:mention.start]
        if (not forward and not q.ESTIMATE_WORDS.search(full_before) and _whole_year(start, end)
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
        value = _decimal_value(mention.stated, unit.factor if unit else (proposed[1] if proposed else 1.0), sign)
        day_words = self._day_words(mention, before_in_clause, full_before, context, base)
        if day_words and end and not forward:
            start = end = _day_named(day_words, end)
            period_words = f"{period_words}; {day_words}: a stock on the day"
        share = _SHARE.search(before_in_clause) if base == "percent" and measure == q.LEVEL else None
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
            reasons.append(self._compared_with(values, before_in_clause, region, start, end))
        facts.update(name=name, code=code)
        slug = f"{region}-{period_label}-{code.replace('_', '-')}" + _SLUG_SUFFIX.get(measure, "")
        return self._add(Draft(INDICATORS, values, confidence + change, reasons, [(mention.start, mention.end)],
                               slug=slug, facts=facts))

    def _compared_with(self, values: dict[str, Any], before: str, region: str, start: str | None,
                       end: str | None) -> str:
        """Fill what a point_change or change is compared with, from the clause before its number:
        a place (高于全省 → the province above the figure's region, 全市 → the prefecture, 全国 →
        the nation), or the same period a year earlier (比上年, 同比); the reason says which,
        or that the reviewer must fill it."""
        place = q.compared_place(before)
        if place:
            compared = self.regions.above(region, q.COMPARED_PLACES[place])
            if compared:
                values["compared_with_region_id"] = compared
                return f"compared with {compared} ({place})"
            return (f"compared with {place}, but no region of level {q.COMPARED_PLACES[place]} encloses {region}: "
                    "fill compared_with_region_id (reviewer)")
        if (match := q.COMPARED_PART.search(before)) and end:
            # 比上半年, 比一季度: that part of the figure's year; 比上年末: the last day of the year
            # before; 比年初: 1 January (a one-day period each)
            year, words = int(end[:4]), match.group(1)
            if words in ("上年末", "去年末", "上年底"):
                first = last = date(year - 1, 12, 31).isoformat()
            elif words == "年初":
                first = last = date(year, 1, 1).isoformat()
            else:
                months = {"上半年": 6, "第一季度": 3, "一季度": 3, "前三季度": 9}[words]
                first, last = _year_span_months(year, months)
            values["compared_with_period_start"], values["compared_with_period_end"] = first, last
            return f"compared with {first}–{last} ({match.group()})"
        if (match := q.PREVIOUS_YEAR.search(before)) and start and end:
            values["compared_with_period_start"], values["compared_with_period_end"] = _year_before(start), _year_before(end)
            return f"compared with the same period a year earlier ({match.group()})"
        if (values.get("measure") == q.POINT_CHANGE and (rate := q.RATE_WORDS.search(before)) and start and end):
            # 增速回落1.2个百分点: a growth rate's change with nothing named is on the year before
            values["compared_with_period_start"], values["compared_with_period_end"] = _year_before(start), _year_before(end)
            return f"compared with the same period a year earlier ({rate.group()}: a growth rate's change, no other named)"
        return ("compared with: the clause names no place or period; fill compared_with_region_id or "
                "compared_with_period_start and _end (reviewer)")

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
        low_value = _decimal_value(low.stated, unit.factor, -1 if draft.facts["value"] < 0 else 1)
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

    def _target(self, mention, quote, value, base, start, end, region, qualifier, reasons, confidence, facts,
                forward_words, name=None, claims=None) -> Draft:
        name = name or self._name(mention, quote)[0]
        topic, topic_why = self.topics.guess(name, self.text[quote[0]:quote[1]], self.layout.line_of(quote[0]).text)
        values = {"region_id": region, "name_zh": name, "name_en": "", "kind": "target", "topic": topic,
                  "horizon_start": start or "", "horizon_end": end or "", "target_value": value,
                  "target_unit": base, "target_as_stated": mention.stated,
                  "target_unit_as_stated": mention.unit or mention.unknown_unit,
                  "status": self._enum_value(PLANS, "status", *q.PLAN_STATUS_AHEAD),
                  "qualifier": self._enum_value(PLANS, "qualifier", qualifier),
                  "quote": self.text[quote[0]:quote[1]]}
        reasons = [f"a target: {forward_words}", topic_why] + reasons
        # the status the plans table records (planned …) where it has one, else the indicators' target
        facts.update(status=values["status"] or q.TARGET, name=name, measure=None)
        return self._add(Draft(PLANS, values, confidence - 0.1, reasons,
                               [(mention.start, mention.end)] if claims is None else claims,
                               slug=f"target-{new_code(name)[6:]}", facts=facts))

    def _project(self, mention, quote, value, base, status, region, reasons, confidence, facts) -> Draft:
        after = self.text[mention.unit_end:]
        verb = _PROJECT_AFTER.match(after).group()
        stop = re.search(r"[、，,。；;：:\n0-9０-９]|等|开工|建设|建成|落位|竣工", after[len(verb):])
        name = after[len(verb):len(verb) + (stop.start() if stop else 40)].strip() or self.text[quote[0]:quote[1]]
        quote_end = max(quote[1], self.layout.clause_of(mention.unit_end + len(verb) + len(name) - 1)[1]) \
            if name else quote[1]
        region, region_words = self.regions.find(name)
        topic, topic_why = self.topics.guess(name, self.text[quote[0]:quote_end], self.layout.line_of(quote[0]).text)
        values = {"region_id": region, "name_zh": name, "name_en": "", "kind": "project", "topic": topic,
                  "status": status, "investment_cny": value, "investment_as_stated": mention.stated,
                  "investment_unit_as_stated": mention.unit, "quote": self.text[quote[0]:quote_end]}
        facts.update(status=status, region_id=region, measure=None, qualifier=None, period_start=None, period_end=None)
        reasons = [f"a project: 投资 … {verb} {name}", f"status {status}", topic_why] + reasons[-1:]
        return self._add(Draft(PROJECTS, values, confidence - 0.1, reasons, [(mention.start, mention.end)],
                               slug=f"project-{new_code(name)[6:]}", facts=facts))

    # ---------------------------------------------------------------- classes and thresholds

    def _distributed_classes(self, roles: list[Role]) -> set[int]:
        """精优食品加工、新型建材、矿产能源三个50亿级…产业集群: a count and a class figure that
        apply to each item listed before them give a target per item and one for the count."""
        done: set[int] = set()
        for index in range(1, len(self.mentions)):
            count, klass = self.mentions[index - 1], self.mentions[index]
            if not (roles[index].kind == roles[index - 1].kind == "quantity" and count.unit == "个"
                    and count.unit_end == klass.start and self.text[klass.unit_end:klass.unit_end + 1] == "级"):
                continue
            forward, forward_words = self._is_forward(klass)
            if not forward:
                continue
            clause = self.layout.clause_of(count.start)
            in_clause = [self.mentions[i] for i in self._mentions_in(clause)]
            previous_class = max((m.unit_end + 1 for m in in_clause
                                  if m.start < count.start and self.text[m.unit_end:m.unit_end + 1] == "级"),
                                 default=clause[0])
            listed = self.text[previous_class:count.start]
            listed = re.sub(r"^.*?(打造|培育|建设|形成|发展壮大|建成)", "", listed)  # 九台区将着力打造 A、B…
            listed = re.sub(r"^(和|及|与|、)", "", LEADING.sub("", listed))
            items = [item for item in listed.split("、") if item]
            if len(items) != count.value:
                continue
            last_class = max(m.unit_end for m in in_clause if self.text[m.unit_end:m.unit_end + 1] == "级")
            noun = strip_name(self.text[last_class + 1:clause[1]])
            figure = f"{klass.stated}{klass.unit}级{noun}"
            quote = clause
            context = self.contexts[self.layout.line_index(count.start)]
            start, end, _ = period_of([self.text[clause[0]:clause[1]]], self.published, context.forward_year)
            region = self.regions.find(self.text[clause[0]:clause[1]])[0]
            count_unit, class_unit = self.facts.units[count.unit], self.facts.units[klass.unit]
            why = f"{len(items)} items listed before {count.stated}{count.unit}{figure}"
            self._target(count, quote, _decimal_value(count.stated, count_unit.factor), count_unit.base, start, end,
                         region, q.EXACT, [why], 0.75, {"value": _decimal_value(count.stated, count_unit.factor),
                                                        "unit": count_unit.base, "qualifier": q.EXACT,
                                                        "period_start": start, "period_end": end, "region_id": region},
                         forward_words, name=figure)
            for n, item in enumerate(items):
                value = _decimal_value(klass.stated, class_unit.factor)
                # a size class (50亿级) is the number or more: at_least, as the plans' schema says
                self._target(klass, quote, value, class_unit.base, start, end, region, q.AT_LEAST,
                             [why + ("" if n == 0 else f"; the class figure {klass.stated}{klass.unit} is claimed "
                                                       "by the first item's row")], 0.7,
                             {"value": value, "unit": class_unit.base, "qualifier": q.AT_LEAST, "period_start": start,
                              "period_end": end, "region_id": region, "at": (klass.start, klass.end)}, forward_words, name=f"{item}{figure}",
                             claims=[(klass.start, klass.end)] if n == 0 else [])
            done |= {index - 1, index}
        return done

    def _threshold(self, index: int, role: Role, figures: dict[int, Draft]) -> None:
        mention = self.mentions[index]
        clause = self.layout.clause_of(mention.start)
        near = [(abs(self.mentions[i].start - mention.start), i) for i in self._mentions_in(clause)
                if i in figures and figures[i].table != PROJECTS]
        if near:
            draft = figures[min(near)[1]]
            draft.claims.append((mention.start, mention.end))
            self.claimed.add((mention.start, mention.end))
            draft.reasons.append(role.why)
            if self.text[clause[0]:clause[1]] not in draft.values["quote"]:
                draft.values["quote"] = self.text[min(clause[0], self.text.find(draft.values["quote"], clause[0] - 200)):clause[1]]
            return
        forward, forward_words = self._is_forward(mention)
        if forward:
            # a goal about things above a threshold with no number of its own (再创新高)
            name = strip_name(self.text[clause[0]:clause[1]])
            topic, topic_why = self.topics.guess(name, name)
            region = self.regions.find(self.text[clause[0]:clause[1]])[0]
            self._add(Draft(PLANS, {"region_id": region, "name_zh": name, "name_en": "", "kind": "target",
                                    "topic": topic, "status": self._enum_value(PLANS, "status", *q.PLAN_STATUS_AHEAD),
                                    "quote": self.text[clause[0]:clause[1]]}, 0.5,
                            [f"a target ({forward_words}) with no quantity of its own", role.why, topic_why],
                            [(mention.start, mention.end)], slug=f"target-{new_code(name)[6:]}",
                            facts={"status": q.TARGET, "region_id": region}))
        else:
            draft = self._figure(mention)
            draft.reasons.append("(" + role.why + "? no other figure in the clause, so drafted as a figure)")
            draft.confidence = round(max(0.05, draft.confidence - 0.3), 2)


def status_of_project(sentence: str, forward: bool) -> str:
    if forward:
        return "planned"
    for pattern, status in _PROJECT_STATUS:
        if pattern.search(sentence):
            return status
    return "unspecified"


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
