"""The draft row (``Draft``) and the names of the tables it is drafted into.

Every drafting module makes ``Draft`` rows, ``run`` writes them and ``score`` compares
them with reviewed rows. They live here, below all the drafting rules, so that ``run`` and
``score`` can read drafts without importing the rules, and each rule module can make rows
without importing the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jiutai_data.tools.draft import qualifiers as q

INDICATORS, PLANS, PROJECTS, OMISSIONS, CATALOGUE = "indicators", "plans", "projects", "omissions", "catalogue"
UNITS = "units"
SHARE = "share"
STOCK, FLOW = "stock", "flow"
# the end of an indicator row's slug, by its measure (a level has none)
SLUG_SUFFIX = {q.YOY_CHANGE: "-yoy", q.POINT_CHANGE: "-points", q.CHANGE: "-change", "share": "-share"}


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


def decimal_value(stated: str, factor: float, sign: int = 1) -> float:
    number = Decimal(stated) if re.fullmatch(r"[0-9]+(\.[0-9]+)?", stated) else Decimal(repr(stated_value(stated)))
    return float(number * Decimal(repr(factor)) * sign)


def stated_value(stated: str) -> float:
    from jiutai_data.model.numbers import parse_number
    value = parse_number(stated)
    return 0.0 if value is None else value
