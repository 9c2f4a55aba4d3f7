"""The indicator catalogue: a level, or a change in the figure's own unit, is in the base unit
of its indicator's catalogue unit; and every topic is some row's.

``indicators.indicator`` is a foreign key to ``catalogue.code`` (the keys check resolves
it); this check adds what a key cannot say: a level row of gross_regional_product, whose
catalogue unit is 亿元, is in CNY, not in ha (``catalogue-unit``). A change (yoy_change)
is in percent and a point_change in percentage points whatever the level's unit (the units
checks ``yoy-unit`` and ``measure-unit``).
"""

from __future__ import annotations

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths
from jiutai_data.model.figures import CATALOGUE_UNIT_MEASURES
from jiutai_data.validate.checks.units import units_table
from jiutai_data.validate.checks.declare import Scope, declares

CATALOGUE, INDICATORS = "catalogue", "indicators"


@declares(Scope.ROW, codes.CATALOGUE_UNIT)
def check_levels_use_their_catalogue_unit(frames: PackageFrames) -> list[Finding]:
    catalogue, indicators, units = frames.table(CATALOGUE), frames.table(INDICATORS), units_table(frames)
    if catalogue is None or indicators is None or units is None:
        return []
    if not {"code", "unit"} <= set(catalogue.columns) or not {ROW_COLUMN, "indicator", "measure", "unit"} <= set(indicators.columns):
        return []
    declared = (catalogue.select(pl.col("code").cast(pl.String).alias("indicator"),
                                 pl.col("unit").cast(pl.String).alias("_catalogue_unit"))
                .drop_nulls().unique("indicator", keep="first")
                .join(units.select(pl.col("unit_as_stated").alias("_catalogue_unit"), "_base_unit"), on="_catalogue_unit"))
    wrong = (indicators.select(ROW_COLUMN, pl.col("indicator").cast(pl.String), pl.col("unit").cast(pl.String),
                               pl.col("measure").cast(pl.String))
             .filter(pl.col("measure").is_in(list(CATALOGUE_UNIT_MEASURES)))
             .join(declared, on="indicator", how="inner")
             .filter(pl.col("unit").is_not_null() & (pl.col("unit") != pl.col("_base_unit")))
             .sort(ROW_COLUMN))
    path = resource_paths(frames.descriptor).get(INDICATORS)
    return [Finding(INDICATORS, row[ROW_COLUMN], "unit", codes.CATALOGUE_UNIT,
                    f"unit is {row['unit']!r} but the catalogue reports {row['indicator']} in {row['_catalogue_unit']}, "
                    f"whose base unit is {row['_base_unit']!r}; expected a {row['measure']} in {row['_base_unit']} (is it the right "
                    "indicator code, or does the catalogue's unit need fixing?)", row["unit"], path=path)
            for row in wrong.iter_rows(named=True)]


# --- every topic is some row's ------------------------------------------------------------------

# Topics are the browser's sections, so one without rows is an empty page. (The units table, by
# contrast, is a catalogue kept ready for the next source: a unit no row uses is expected.)
TOPICS, TOPIC = "topics", "topic"


def used_topics(frames: PackageFrames) -> set[str]:
    """The topics the rows of every other table refer to."""
    used: set[str] = set()
    for name, frame in frames.tables.items():
        if name != TOPICS and frame is not None and TOPIC in frame.columns:
            used |= set(frame.get_column(TOPIC).cast(pl.String).drop_nulls().unique().to_list())
    return used


@declares(Scope.TABLE, codes.UNUSED_TOPIC)
def check_every_topic_is_used(frames: PackageFrames) -> list[Finding]:
    topics = frames.table(TOPICS)
    if topics is None or not {ROW_COLUMN, "id"} <= set(topics.columns):
        return []
    used = used_topics(frames)
    path = resource_paths(frames.descriptor).get(TOPICS)
    return [Finding(TOPICS, row, "id", codes.UNUSED_TOPIC,
                    f"no row of any table has the topic {topic!r}; expected every topic to be some row's "
                    "(remove it, or give it to its rows)", topic, path=path)
            for row, topic in topics.select(ROW_COLUMN, pl.col("id").cast(pl.String)).sort(ROW_COLUMN).iter_rows()
            if topic is not None and topic not in used]
