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

SEPARATOR = "--"
KEBAB = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# The pattern every row ID matches (Table Schema `pattern`, so it is anchored by the spec).
ID_PATTERN = f"^{KEBAB}{SEPARATOR}{KEBAB}$"
_KEBAB = re.compile(KEBAB)


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
