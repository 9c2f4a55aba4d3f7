"""How close a draft comes to reviewed rows: recall, field agreement and precision.

A *figure* is a value in its base unit with that unit. An expected figure (a row of
indicators, a target of plans, an investment of projects) is matched by a drafted figure
with the same value and unit whose number lies inside an occurrence of the expected
row's quote, one to one. Then:

- recall: matched expected figures of indicators and targets / all of them;
- agreement, per field (measure, qualifier, status, period, region): equal values / the
  matched pairs where both sides have the field;
- precision: drafted figures matched by an expected figure or lying inside an expected
  omission's quote / all drafted figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from jiutai_data.tools.draft.rows import INDICATORS, OMISSIONS, PLANS, PROJECTS, Draft

FIELDS = ("measure", "qualifier", "status", "period", "region")


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def expected_figures(tables: dict[str, list[dict[str, str]]]) -> list[dict[str, Any]]:
    """The figures of reviewed rows, each with the fields the scores compare (None where the
    table has no such field)."""
    figures = []
    for row in tables.get(INDICATORS, []):
        figures.append({"table": INDICATORS, "value": _number(row.get("value")), "unit": row.get("unit"),
                        "quote": row.get("quote", ""), "recall": True, "id": row.get("id"),
                        "measure": row.get("measure"), "qualifier": row.get("qualifier"), "status": row.get("status"),
                        "period": (row.get("period_start") or None, row.get("period_end") or None),
                        "region": row.get("region_id")})
    for row in tables.get(PLANS, []):
        if _number(row.get("target_value")) is None:
            continue
        figures.append({"table": PLANS, "value": _number(row.get("target_value")), "unit": row.get("target_unit"),
                        "quote": row.get("quote", ""), "recall": True, "id": row.get("id"), "measure": None,
                        "qualifier": row.get("qualifier") or None, "status": row.get("status") or None,
                        "period": (row.get("horizon_start") or None, row.get("horizon_end") or None),
                        "region": row.get("region_id")})
    for row in tables.get(PROJECTS, []):
        if _number(row.get("investment_cny")) is None:
            continue
        figures.append({"table": PROJECTS, "value": _number(row.get("investment_cny")), "unit": "CNY",
                        "quote": row.get("quote", ""), "recall": False, "id": row.get("id"), "measure": None,
                        "qualifier": None, "status": None, "period": None, "region": row.get("region_id")})
    return figures


def drafted_figures(drafts: list[Draft]) -> list[dict[str, Any]]:
    figures = []
    for draft in drafts:
        facts = draft.facts
        at = facts.get("at") or (draft.claims[0] if draft.claims else None)
        if draft.table == OMISSIONS or facts.get("value") is None or at is None:
            continue
        period = None if draft.table == PROJECTS else (facts.get("period_start"), facts.get("period_end"))
        figures.append({"table": draft.table, "value": facts["value"], "unit": facts.get("unit"),
                        "at": at, "id": draft.values.get("id"), "measure": facts.get("measure"),
                        "qualifier": facts.get("qualifier"), "status": facts.get("status"), "period": period,
                        "region": facts.get("region_id")})
    return figures


def _occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    spans, start = [], text.find(quote) if quote else -1
    while start != -1:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@dataclass
class Scores:
    expected: int = 0  # expected figures counted for recall
    recalled: int = 0
    drafted: int = 0
    precise: int = 0
    agreement: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> (equal, compared)
    same_table: tuple[int, int] = (0, 0)
    missed: list[str] = field(default_factory=list)  # ids of expected figures not drafted
    unmatched: list[str] = field(default_factory=list)  # ids of drafted figures matching nothing
    disagreements: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recalled / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.precise / self.drafted if self.drafted else 1.0

    def agreement_of(self, name: str) -> float:
        equal, compared = self.agreement.get(name, (0, 0))
        return equal / compared if compared else 1.0

    def as_dict(self) -> dict[str, Any]:
        return {"recall": self.recall, "precision": self.precision,
                **{f"agreement_{name}": self.agreement_of(name) for name in FIELDS},
                "expected": self.expected, "recalled": self.recalled, "drafted": self.drafted, "precise": self.precise,
                "compared": {name: self.agreement.get(name, (0, 0)) for name in FIELDS}}


def score(text: str, drafts: list[Draft], expected: dict[str, list[dict[str, str]]]) -> Scores:
    result = Scores()
    drafted = drafted_figures(drafts)
    used: set[int] = set()
    pairs = []
    for figure in expected_figures(expected):
        spans = _occurrences(text, figure["quote"])
        match = next((i for i, d in enumerate(drafted) if i not in used and _same(d["value"], figure["value"])
                      and d["unit"] == figure["unit"]
                      and any(a <= d["at"][0] and d["at"][1] <= b for a, b in spans)), None)
        if figure["recall"]:
            result.expected += 1
        if match is None:
            if figure["recall"]:
                result.missed.append(figure["id"])
            continue
        used.add(match)
        pairs.append((figure, drafted[match]))
        if figure["recall"]:
            result.recalled += 1
    for figure, draft in pairs:
        for name in FIELDS:
            if figure[name] is None or draft[name] is None:
                continue
            equal, compared = result.agreement.get(name, (0, 0))
            agrees = figure[name] == draft[name]
            result.agreement[name] = (equal + agrees, compared + 1)
            if not agrees:
                result.disagreements.append(f"{figure['id']}: {name} {figure[name]} drafted as {draft[name]}")
        same, compared = result.same_table
        result.same_table = (same + (figure["table"] == draft["table"]), compared + 1)
    omitted = [span for row in expected.get(OMISSIONS, []) for span in _occurrences(text, row.get("quote", ""))]
    result.drafted = len(drafted)
    for index, draft in enumerate(drafted):
        if index in used or any(a <= draft["at"][0] and draft["at"][1] <= b for a, b in omitted):
            result.precise += 1
        else:
            result.unmatched.append(f"{draft['id']} ({draft['value']} {draft['unit']})")
    return result
