"""Numbers that qualify others: size classes and thresholds.

三个50亿级产业集群 after a list of three gives a target per item and one for the count;
a threshold (5000万元以上项目) belongs to the nearest figure of its clause, else it is a
goal of its own or, failing both, drafted as a figure with low confidence. Last of the
passes, because it needs the figures already drafted.
"""

from __future__ import annotations

import re

from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.catalogue import new_code
from jiutai_data.tools.draft.classify import Role
from jiutai_data.tools.draft.drafts import PLANS, PROJECTS, Draft, decimal_value
from jiutai_data.tools.draft.figures import Figures
from jiutai_data.tools.draft.names import LEADING, strip_name
from jiutai_data.tools.draft.period import period_of


class Thresholds(Figures):
    """Rows of size classes and thresholds."""

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
            self._target(count, quote, decimal_value(count.stated, count_unit.factor), count_unit.base, start, end,
                         region, q.EXACT, [why], 0.75, {"value": decimal_value(count.stated, count_unit.factor),
                                                        "unit": count_unit.base, "qualifier": q.EXACT,
                                                        "period_start": start, "period_end": end, "region_id": region},
                         forward_words, name=figure)
            for n, item in enumerate(items):
                value = decimal_value(klass.stated, class_unit.factor)
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
