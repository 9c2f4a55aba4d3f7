"""Indicators as a reader sees them: each row with its catalogue entry's names and topic.

The names and topic of an indicator are declared once, in the catalogue; pages, charts and
exports that show them join them onto the rows here, by the foreign key
indicators.indicator -> catalogue.code, rather than each reading the catalogue its own way.
"""

from __future__ import annotations

import polars as pl

CATALOGUE, INDICATORS = "catalogue", "indicators"
KEY, CODE = "indicator", "code"
# The catalogue's columns a reader of indicators sees, in this order, after the key.
JOINED_COLUMNS = ("name_zh", "name_en", "topic")


def with_catalogue(indicators: pl.DataFrame, catalogue: pl.DataFrame | None) -> pl.DataFrame:
    """``indicators`` with JOINED_COLUMNS inserted after ``indicator`` (null where a code is
    not in the catalogue, so a broken key shows as a gap, not as a lost row)."""
    if KEY not in indicators.columns:
        return indicators
    present = [c for c in JOINED_COLUMNS if catalogue is not None and c in catalogue.columns and c not in indicators.columns]
    if not present:
        return indicators
    lookup = (catalogue.select(pl.col(CODE).cast(indicators.schema[KEY]).alias(KEY), *present)
              .unique(KEY, keep="first"))
    joined = indicators.join(lookup, on=KEY, how="left", maintain_order="left")
    order = list(indicators.columns)
    at = order.index(KEY) + 1
    return joined.select(order[:at] + present + order[at:])
