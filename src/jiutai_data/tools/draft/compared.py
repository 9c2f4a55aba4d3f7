"""What a change is compared with: a place above the figure's region (高于全省) or an
earlier period (比上年, 比上半年, 比年初), filled into an indicator row's compared_with_*
columns.

Separate because the figures of prose and of tables both need it, and it reads only the
words before the number and the regions, none of the drafter's state.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jiutai_data.tools.draft import qualifiers as q
from jiutai_data.tools.draft.catalogue import RegionFinder
from jiutai_data.tools.draft.days import year_before, year_span_months


def compared_with(regions: RegionFinder, values: dict[str, Any], before: str, region: str, start: str | None,
                  end: str | None) -> str:
    """Fill what a point_change or change is compared with, from the clause before its number:
    a place (高于全省 → the province above the figure's region, 全市 → the prefecture, 全国 →
    the nation), or the same period a year earlier (比上年, 同比); the reason says which,
    or that the reviewer must fill it."""
    place = q.compared_place(before)
    if place:
        compared = regions.above(region, q.COMPARED_PLACES[place])
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
            first, last = year_span_months(year, months)
        values["compared_with_period_start"], values["compared_with_period_end"] = first, last
        return f"compared with {first}–{last} ({match.group()})"
    if (match := q.PREVIOUS_YEAR.search(before)) and start and end:
        values["compared_with_period_start"], values["compared_with_period_end"] = year_before(start), year_before(end)
        return f"compared with the same period a year earlier ({match.group()})"
    if (values.get("measure") == q.POINT_CHANGE and (rate := q.RATE_WORDS.search(before)) and start and end):
        # 增速回落1.2个百分点: a growth rate's change with nothing named is on the year before
        values["compared_with_period_start"], values["compared_with_period_end"] = year_before(start), year_before(end)
        return f"compared with the same period a year earlier ({rate.group()}: a growth rate's change, no other named)"
    return ("compared with: the clause names no place or period; fill compared_with_region_id or "
            "compared_with_period_start and _end (reviewer)")
