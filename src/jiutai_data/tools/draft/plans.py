"""Rows of the plans and projects tables.

Named plans (“…”专项行动, 《…》, with their kind and status), targets (a figure ahead of
its time: 力争, 到2025年, a forward-looking section) and projects (投资 … 建设 …, with
their investment and status). ``figures`` decides which figure is a target or a
project; the rows are made here.
"""

from __future__ import annotations

import re

from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.catalogue import new_code
from jiutai_data.tools.draft.codes import Codes
from jiutai_data.tools.draft.drafts import PLANS, PROJECTS, Draft

PROJECT_BEFORE = re.compile(r"(总投资|计划投资|投资)(约|近|超过|超)?$")
PROJECT_AFTER = re.compile(r"^(的|建成|建设|新建)")
_PROGRAMME = re.compile(r"[“《][^“”《》\n]{1,40}[”》](专项行动|行动计划|行动|工程|发展战略|战略|政策|工作法|机制|模式|部署|计划|方案|办法)?")
_PROGRAMME_KINDS = [("战略", "strategy"), ("部署", "strategy"), ("政策", "policy"), ("办法", "policy"),
                    ("方案", "policy"), ("机制", "policy"), ("模式", "policy"), ("工作法", "programme"),
                    ("", "programme")]
_PROJECT_STATUS = [(re.compile(r"建成|完工|竣工|通车|投产"), "completed"), (re.compile(r"开工|在建|建设"), "under_construction"),
                   (re.compile(r"签约"), "signed"), (re.compile(r"洽谈"), "negotiating")]


def status_of_project(sentence: str, forward: bool) -> str:
    if forward:
        return "planned"
    for pattern, status in _PROJECT_STATUS:
        if pattern.search(sentence):
            return status
    return "unspecified"


class PlanRows(Codes):
    """Rows of named plans, targets and projects."""

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
        verb = PROJECT_AFTER.match(after).group()
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
