"""Periods and status: a period runs forwards, and its status fits the publication date.

- period_start ≤ period_end (indicators), horizon_start ≤ horizon_end (plans);
- an ``actual`` figure cannot end after its source was published: what had not
  yet happened is an estimate (预计) or a target (``actual-after-publication``);
- a ``target`` figure cannot end before publication: a goal that is already past
  when stated is an actual figure or a typo (``target-before-publication``);
- a ``planned`` plan cannot end before publication (``planned-before-publication``),
  and a plan ``done`` or ``under_way`` cannot begin after it
  (``started-after-publication``).

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
from jiutai_data.validate.checks.declare import Scope, declares

LOCAL_TIME_ZONE = "Asia/Shanghai"  # UTC+08:00 all year (no daylight saving since 1991)


@dataclass(frozen=True)
class Rule:
    """Rows whose status is one of ``statuses`` must have ``edge`` (start or end) ``when``
    (on or before / on or after) the publication date; ``check`` names the finding."""

    statuses: tuple[str, ...]
    edge: str  # "start" or "end"
    when: str  # "by" (on or before publication) or "from" (on or after it)
    check: str
    why: str


@dataclass(frozen=True)
class Period:
    table: str
    start: str
    end: str
    status: str  # column whose value the rules read
    rules: tuple[Rule, ...]


PERIODS = (
    Period("indicators", "period_start", "period_end", "status", (
        Rule(("actual",), "end", "by", codes.ACTUAL_AFTER_PUBLICATION,
             "a figure given before its period ends is an estimate or a target"),
        Rule(("target",), "end", "from", codes.TARGET_BEFORE_PUBLICATION,
             "a goal already past when stated is an actual figure"))),
    Period("plans", "horizon_start", "horizon_end", "status", (
        Rule(("done", "under_way"), "start", "by", codes.STARTED_AFTER_PUBLICATION,
             "what has not begun when the source is published is planned"),
        Rule(("planned",), "end", "from", codes.PLANNED_BEFORE_PUBLICATION,
             "a plan whose horizon is past when stated is done or under way"))),
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


@declares(Scope.ROW, codes.PERIOD_ORDER)
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


@declares(Scope.ROW, *(rule.check for period in PERIODS for rule in period.rules))
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
        rows = frame.select(ROW_COLUMN, "source_id", pl.col(period.status).cast(pl.String).alias("_status"),
                            period.start, period.end, publication.alias("_published"))
        for rule in period.rules:
            column = period.start if rule.edge == "start" else period.end
            edge, published_on = pl.col(column), pl.col("_published")
            wrong = rows.filter(pl.col("_status").is_in(rule.statuses)
                                & ((edge > published_on) if rule.when == "by" else (edge < published_on)))
            for row, status, source, day, value in wrong.sort(ROW_COLUMN).select(
                    ROW_COLUMN, "_status", "source_id", "_published", column).iter_rows():
                relation = "after" if rule.when == "by" else "before"
                expected = "on or before" if rule.when == "by" else "on or after"
                findings.append(Finding(
                    period.table, row, column, rule.check,
                    f"{period.status} is {status} but {column} {value} is {relation} the publication of source {source} "
                    f"on {day}, expected {'a' if status[0] not in 'aeiou' else 'an'} {status} row to "
                    f"{'begin' if rule.edge == 'start' else 'end'} {expected} its publication date ({rule.why})",
                    str(value), path=path))
    return findings
