"""Periods and status: a period runs forwards, and its status fits the publication date.

- period_start ≤ period_end (indicators), horizon_start ≤ horizon_end (plans);
- an ``actual`` figure cannot end after its source was published: what had not
  yet happened is an estimate (预计) or a target;
- a ``target`` (indicators.status, plans.kind) cannot end before publication:
  a goal that is already past when stated is an actual figure or a typo.

The publication date is the local calendar date of sources.published in China
Standard Time (+08:00), the time zone of every source so far.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths

LOCAL_TIME_ZONE = "Asia/Shanghai"  # UTC+08:00 all year (no daylight saving since 1991)
ACTUAL, TARGET = "actual", "target"  # values of indicators.status / plans.kind


@dataclass(frozen=True)
class Period:
    table: str
    start: str
    end: str
    status: str  # column whose value says actual / target


PERIODS = (
    Period("indicators", "period_start", "period_end", "status"),
    Period("plans", "horizon_start", "horizon_end", "kind"),
)


def publication_dates(frames: PackageFrames) -> pl.DataFrame | None:
    """source_id -> local publication date, or None if sources cannot be used."""
    sources = frames.table("sources")
    if sources is None or not {"id", "published"} <= set(sources.columns):
        return None
    published = pl.col("published")
    dtype = sources.schema["published"]
    if not isinstance(dtype, pl.Datetime):
        return None  # not typed: the reader has reported the cells
    if dtype.time_zone is not None:  # (a naive time is taken as local already)
        published = published.dt.convert_time_zone(LOCAL_TIME_ZONE)
    return (sources.select(pl.col("id").alias("source_id"), published.dt.date().alias("_published"),
                           pl.col(ROW_COLUMN).alias("_source_row"))
            .filter(pl.col("source_id").is_not_null() & pl.col("_published").is_not_null())
            .unique("source_id", keep="first"))


def _usable(frames: PackageFrames, period: Period, *extra: str) -> pl.DataFrame | None:
    frame = frames.table(period.table)
    needed = {ROW_COLUMN, period.start, period.end, *extra}
    if frame is None or not needed <= set(frame.columns):
        return None
    if not all(frame.schema[c] == pl.Date for c in (period.start, period.end)):
        return None
    return frame


def check_periods_are_ordered(frames: PackageFrames) -> list[Finding]:
    findings = []
    for period in PERIODS:
        frame = _usable(frames, period)
        if frame is None:
            continue
        path = resource_paths(frames.descriptor).get(period.table)
        backwards = frame.filter(pl.col(period.start) > pl.col(period.end)).sort(ROW_COLUMN)
        for row, start, end in backwards.select(ROW_COLUMN, period.start, period.end).iter_rows():
            findings.append(Finding(
                period.table, row, period.start, codes.PERIOD_ORDER,
                f"{period.start} {start} is after {period.end} {end}, expected {period.start} ≤ {period.end}",
                str(start), path=path))
    return findings


def check_status_agrees_with_publication(frames: PackageFrames) -> list[Finding]:
    published = publication_dates(frames)
    if published is None:
        return []
    findings = []
    for period in PERIODS:
        frame = _usable(frames, period, "source_id", period.status)
        if frame is None:
            continue
        path = resource_paths(frames.descriptor).get(period.table)
        # sources are few: their dates are mapped onto the rows (no join), and only the rows
        # found wrong are taken out of the frame
        dates = dict(published.select("source_id", "_published").iter_rows())
        publication = pl.col("source_id").cast(pl.String).replace_strict(dates, default=None, return_dtype=pl.Date)
        rows = frame.select(ROW_COLUMN, "source_id", pl.col(period.status).cast(pl.String).alias("_status"), period.end,
                            publication.alias("_published"))
        status, ends, published_on = pl.col("_status"), pl.col(period.end), pl.col("_published")
        late_actual = rows.filter((status == ACTUAL) & (ends > published_on)).sort(ROW_COLUMN)
        for row, source, end, day in late_actual.select(ROW_COLUMN, "source_id", period.end, "_published").iter_rows():
            findings.append(Finding(
                period.table, row, period.end, codes.ACTUAL_AFTER_PUBLICATION,
                f"{period.status} is {ACTUAL} but {period.end} {end} is after the publication of source {source} "
                f"on {day}, expected an {ACTUAL} figure to end by its publication date "
                "(a figure given before its period ends is an estimate or a target)",
                str(end), path=path))
        past_target = rows.filter((status == TARGET) & (ends < published_on)).sort(ROW_COLUMN)
        for row, source, end, day in past_target.select(ROW_COLUMN, "source_id", period.end, "_published").iter_rows():
            findings.append(Finding(
                period.table, row, period.end, codes.TARGET_BEFORE_PUBLICATION,
                f"{period.status} is {TARGET} but {period.end} {end} is before the publication of source {source} on {day}, "
                f"expected a {TARGET} to end on or after its publication date "
                "(a goal already past when stated is an actual figure)",
                str(end), path=path))
    return findings
