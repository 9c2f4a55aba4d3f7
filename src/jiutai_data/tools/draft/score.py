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

``score_corpus`` scores a text of the draft corpus (tests/fixtures/draft-corpus), whose
expected rows are indicator rows with every field a reviewer fills (direction_as_stated,
share_of, compared_with_…). Its figures are matched in the same way; then:

- recall: matched expected figures / all of them;
- precision: matched figures whose measure, period and qualifier are all right / matched
  figures (value and unit are right by the match);
- agreement, per field (direction, share_of, compared_with, status, quote), over the matched
  pairs where either side fills the field (status and quote: every matched pair); a quote
  agrees when each of its excerpts stands verbatim in the text, in order, around the figure;
- clean: drafted figures matched or inside an omission's quote / all drafted figures.

An expected quote may be excerpts joined by `` … `` (a table cell: ``比上年增长(%) … 水泥 | -9.7``);
it occurs where its last excerpt stands with the earlier ones before it, within a table's reach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from jiutai_data.model.excerpts import SEPARATOR, WINDOW_BYTES
from jiutai_data.tools.draft.drafts import INDICATORS, OMISSIONS, PLANS, PROJECTS, Draft

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
    """The spans of a quote in the text; of an excerpted quote (a … b), the spans of its last
    excerpt where the earlier excerpts stand before it, in order, within WINDOW_BYTES characters."""
    *earlier, last = quote.split(SEPARATOR) if quote else [""]
    spans, start = [], text.find(last) if last else -1
    while start != -1:
        position = start
        for part in reversed(earlier):
            position = text.rfind(part, max(0, start - WINDOW_BYTES), position)
            if position == -1:
                break
        else:
            spans.append((start, start + len(last)))
        start = text.find(last, start + 1)
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


# ------------------------------------------------------------------ the draft corpus

CORE_FIELDS = ("measure", "period", "qualifier")  # with value and unit: what precision asks to be right
CORPUS_FIELDS = ("direction", "share_of", "compared_with", "status", "quote")
_EVERY_PAIR = ("status", "quote")  # fields compared on every matched pair (the others where either side fills them)


def corpus_expected_figures(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The figures of a corpus text's expected rows (``<name>.expected.csv``)."""
    return [{"id": row.get("id") or row.get("indicator"), "indicator": row.get("indicator"),
             "value": _number(row.get("value")), "unit": row.get("unit"), "quote": row.get("quote", ""),
             "measure": row.get("measure") or None, "qualifier": row.get("qualifier") or None,
             "period": (row.get("period_start") or None, row.get("period_end") or None),
             "direction": row.get("direction_as_stated") or "", "share_of": row.get("share_of") or "",
             "compared_with": (row.get("compared_with_region_id") or "", row.get("compared_with_period_start") or "",
                               row.get("compared_with_period_end") or ""),
             "status": row.get("status") or None} for row in rows]


def corpus_drafted_figures(drafts: list[Draft]) -> list[dict[str, Any]]:
    """The drafted figures with the fields the corpus compares. A target drafted into plans (status
    planned) is a target; its measure is what the row states (none: plans have no measure)."""
    figures = drafted_figures(drafts)
    by_id = {draft.values.get("id"): draft for draft in drafts}
    for figure in figures:
        values = by_id[figure["id"]].values
        figure["direction"] = values.get("direction_as_stated") or ""
        figure["share_of"] = values.get("share_of") or ""
        figure["compared_with"] = (values.get("compared_with_region_id") or "",
                                   values.get("compared_with_period_start") or "",
                                   values.get("compared_with_period_end") or "")
        if figure["table"] == PLANS and figure["status"] in ("planned", "target"):
            figure["status"] = "target"
        figure["quote"] = values.get("quote") or ""
    return figures


@dataclass
class CorpusScores:
    expected: int = 0
    recalled: int = 0
    correct: int = 0  # matched figures whose measure, period and qualifier are right
    drafted: int = 0
    clean: int = 0  # drafted figures matched or inside an omission's quote
    agreement: dict[str, tuple[int, int]] = field(default_factory=dict)
    missed: list[str] = field(default_factory=list)  # "id (value unit): quote"
    wrong: list[str] = field(default_factory=list)  # "id: field expected … drafted …" (core fields)
    disagreements: list[str] = field(default_factory=list)  # the other fields
    unmatched: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recalled / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.recalled if self.recalled else 1.0

    @property
    def clean_share(self) -> float:
        return self.clean / self.drafted if self.drafted else 1.0

    def agreement_of(self, name: str) -> float:
        equal, compared = self.agreement.get(name, (0, 0))
        return equal / compared if compared else 1.0

    def add(self, other: "CorpusScores") -> "CorpusScores":
        """The sum of two scores (for the corpus overall)."""
        total = CorpusScores(self.expected + other.expected, self.recalled + other.recalled,
                             self.correct + other.correct, self.drafted + other.drafted, self.clean + other.clean)
        for name in set(self.agreement) | set(other.agreement):
            a, b = self.agreement.get(name, (0, 0)), other.agreement.get(name, (0, 0))
            total.agreement[name] = (a[0] + b[0], a[1] + b[1])
        return total


def _quote_holds(text: str, quote: str, at: tuple[int, int]) -> bool:
    return any(a <= at[0] and at[1] <= b for a, b in _occurrences(text, quote)) if quote else False


def _shown(value: Any) -> str:
    if isinstance(value, tuple):
        return "/".join(str(v or "") for v in value) or "-"
    return "-" if value in (None, "") else str(value)


def score_corpus(text: str, drafts: list[Draft], rows: list[dict[str, str]],
                 omissions: list[dict[str, str]]) -> CorpusScores:
    """Scores of one corpus text: its drafts against its expected rows and omissions."""
    result = CorpusScores()
    drafted = corpus_drafted_figures(drafts)
    used: set[int] = set()
    for figure in corpus_expected_figures(rows):
        result.expected += 1
        spans = _occurrences(text, figure["quote"])
        match = next((i for i, d in enumerate(drafted) if i not in used and _same(d["value"], figure["value"])
                      and d["unit"] == figure["unit"]
                      and any(a <= d["at"][0] and d["at"][1] <= b for a, b in spans)), None)
        if match is None:
            result.missed.append(f"{figure['id']} ({figure['value']:g} {figure['unit']}): {figure['quote']}")
            continue
        used.add(match)
        result.recalled += 1
        draft = drafted[match]
        wrong = [name for name in CORE_FIELDS if figure[name] != draft[name]]
        result.correct += not wrong
        result.wrong += [f"{figure['id']}: {name} {_shown(figure[name])}, drafted {_shown(draft[name])}" for name in wrong]
        for name in CORPUS_FIELDS:
            if name == "quote":
                agrees = _quote_holds(text, draft["quote"], draft["at"])
            elif name in _EVERY_PAIR or _shown(figure[name]) != "-" or _shown(draft[name]) != "-":
                agrees = figure[name] == draft[name]
            else:
                continue
            equal, compared = result.agreement.get(name, (0, 0))
            result.agreement[name] = (equal + agrees, compared + 1)
            if not agrees:
                shown = draft["quote"] if name == "quote" else _shown(draft[name])
                result.disagreements.append(f"{figure['id']}: {name} {_shown(figure[name]) if name != 'quote' else 'verbatim'}, "
                                            f"drafted {shown}")
    omitted = [span for row in omissions for span in _occurrences(text, row.get("quote", ""))]
    result.drafted = len(drafted)
    for index, draft in enumerate(drafted):
        if index in used or any(a <= draft["at"][0] and draft["at"][1] <= b for a, b in omitted):
            result.clean += 1
        else:
            result.unmatched.append(f"{draft['id']} ({draft['value']:g} {draft['unit']})")
    return result
