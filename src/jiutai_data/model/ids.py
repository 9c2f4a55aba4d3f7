"""Row IDs that never collide across sources: `<source_id>--<slug>`.

Every row of a table that cites a source (indicators, projects, plans, omissions, and any
table with `source_id`) is identified by its source's ID, two hyphens, and a slug that is
unique within that source, e.g.

    2022-12-12-changchun-daily-jiutai-district--jiutai-2022-gross-regional-product

Both parts are kebab-case (`[a-z0-9]+(-[a-z0-9]+)*`), which never contains `--`, so an ID
splits back into its source and its slug in exactly one way. Two sources that state the
same fact get two IDs (their prefixes differ); one source cannot state it twice under one
slug (the primary key). The Table Schemas carry `ID_PATTERN`; the check that the prefix is
the row's own `source_id` is `split_row_id` applied by the validator.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from jiutai_data.model.figures import CHANGE, INDEX, POINT_CHANGE, SHARE, YOY_CHANGE

SEPARATOR = "--"
KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# The pattern every row ID matches (Table Schema `pattern`, so it is anchored by the spec).
ID_PATTERN = f"^{KEBAB}{SEPARATOR}{KEBAB}$"
_KEBAB = re.compile(KEBAB)
# What an indicator row's slug adds for each measure but the level (model/figures.py declares the measures):
# jiutai-2022-gross-regional-product-yoy, …-points, …-change, …-share.
MEASURE_SUFFIXES = {YOY_CHANGE: "yoy", POINT_CHANGE: "points", CHANGE: "change", SHARE: "share", INDEX: "index"}


def row_id(source_id: str, slug: str) -> str:
    """The ID of a row of `source_id` with this slug; the slug is made kebab-case."""
    return f"{source_id}{SEPARATOR}{slugify(slug)}"


def split_row_id(value: str) -> tuple[str, str] | None:
    """(source_id, slug) of an ID, or None when it does not follow the scheme."""
    source_id, separator, slug = value.partition(SEPARATOR)
    if not separator or not _KEBAB.fullmatch(source_id) or not _KEBAB.fullmatch(slug):
        return None
    return source_id, slug


def slugify(text: str) -> str:
    """ASCII kebab-case: lower case, runs of anything else become one hyphen."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def kebab(code: str) -> str:
    """An indicator code (snake_case) as it appears in a row's slug: gross_regional_product
    -> gross-regional-product."""
    return code.replace("_", "-")


def period_label(start: date | None, end: date | None) -> str:
    """The period of a figure as a slug part.

    2022 (a calendar year), 2022-q1-q3 (January to the end of a quarter), 2022-ytd
    (January to another day of the same year: the year so far, as a source reports it
    before the year ends), 2022-12-09 (a day), 20210101-20251231 (anything else), and
    the empty string for no period.
    """
    if start is None or end is None:
        return ""
    if start == end:
        return start.isoformat()
    if start.year == end.year and (start.month, start.day) == (1, 1):
        if (end.month, end.day) == (12, 31):
            return str(start.year)
        quarter_end = (end + timedelta(days=1)).day == 1 and end.month % 3 == 0
        if quarter_end:
            return f"{start.year}-q1" + (f"-q{end.month // 3}" if end.month > 3 else "")
        return f"{start.year}-ytd"
    return f"{start:%Y%m%d}-{end:%Y%m%d}"


def indicator_slug(region_id: str, indicator: str, measure: str, start: date | None, end: date | None) -> str:
    """The slug of an indicator row: place, period, indicator code, and the measure's suffix (`yoy` for a change),
    e.g. jiutai-2022-gross-regional-product-yoy. The check `id-indicator` holds every
    indicator ID to containing its code (kebab-case); this is the form the tools write."""
    parts = [region_id, period_label(start, end), kebab(indicator), MEASURE_SUFFIXES.get(measure, "")]
    return slugify("-".join(part for part in parts if part))
