"""Consistency across rows: mostly warnings for a reviewer, one error.

- revision: the same indicator, region, measure and period given a different
  value by a later source (a revision is legitimate, but a reviewer should see it);
- yoy-levels: a stated year-on-year change that two levels of the same
  indicator and region, a year apart, contradict by more than 0.5 points;
- one-figure-two-facts (an error): the same stated number in the same quote of one
  source recorded for two periods or regions of the same indicator and measure.
"""

from __future__ import annotations

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.numbers import parse_number
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths
from jiutai_data.model.figures import LEVEL, YOY_CHANGE
from jiutai_data.model.numbers import display_number, display_numbers
from jiutai_data.validate.checks.units import RELATIVE_TOLERANCE
from jiutai_data.validate.checks.declare import Scope, declares

TABLE = "indicators"
# What makes two rows the same figure: the columns every row has, and those that only some
# measures fill (a share of another whole, a change against another place or period, is
# another figure; where a table lacks them, they count as empty).
GIVEN_FIGURE = ["indicator", "region_id", "measure", "period_start", "period_end"]
OPTIONAL_FIGURE = ["share_of", "compared_with_region_id", "compared_with_period_start", "compared_with_period_end"]
SAME_FIGURE = [*GIVEN_FIGURE, *OPTIONAL_FIGURE]
# Every column of the table these checks read: all that the global pass of the partitioned
# layout and of a spooled CSV package hands them, a bucket of (indicator, region_id) at a time (validate/whole.py).
COLUMNS = (*SAME_FIGURE, "value", "unit", "qualifier", "source_id", "value_as_stated", "unit_as_stated")
YOY_TOLERANCE = 0.5  # percentage points
_SEED = 20221212
# qualifiers (indicators.qualifier) that state a bound, not a value: a growth
# rate computed from them means nothing
BOUNDS = ("more_than", "at_least", "at_most", "less_than")

ONE_FIGURE_CHECK = codes.ONE_FIGURE_TWO_FACTS
# What says which figure of a source a row records: the number as stated, in which quote.
STATED_FIGURE = ["source_id", "quote", "value_as_stated", "indicator", "measure"]
# What a stated figure is a fact about: it cannot be about two of these at once.
FACT_OF = ["period_start", "period_end", "region_id"]


def _indicators(frames: PackageFrames, *columns: str) -> pl.DataFrame | None:
    frame = frames.table(TABLE)
    if frame is None or not {ROW_COLUMN, *columns} <= set(frame.columns):
        return None
    return frame


def _publication_order(frames: PackageFrames) -> pl.DataFrame:
    """source_id -> published (null where unknown), to put sources in time order."""
    sources = frames.table("sources")
    if sources is None or not {"id", "published"} <= set(sources.columns) \
            or not isinstance(sources.schema["published"], pl.Datetime):
        return pl.DataFrame(schema={"source_id": pl.String, "_published": pl.Datetime("us", "UTC")})
    published = pl.col("published")
    if sources.schema["published"].time_zone is None:
        published = published.dt.replace_time_zone("UTC")
    return (sources.select(pl.col("id").cast(pl.String).alias("source_id"),
                           published.dt.convert_time_zone("UTC").dt.cast_time_unit("us").alias("_published"))
            .filter(pl.col("source_id").is_not_null()).unique("source_id", keep="first"))


def _figure_hash(*columns: pl.Expr) -> pl.Expr:
    """A hash of several columns together: each column hashed with a seed of its own, so
    that order counts. (Cheaper in memory than hashing a struct, which copies them.)"""
    combined = columns[0].hash(_SEED)
    for position, column in enumerate(columns[1:], start=1):
        combined = combined ^ column.hash(_SEED + position)
    return combined


def _period(start: object, end: object) -> str:
    return f"{start} to {end}"


def _with_optional_figure_columns(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.lit(None, pl.String).alias(c) for c in OPTIONAL_FIGURE if c not in frame.columns)


@declares(Scope.PACKAGE, codes.REVISION)
def check_revisions_across_sources(frames: PackageFrames) -> list[Finding]:
    """The same indicator, region, measure and period with a different value in a later source."""
    frame = _indicators(frames, *GIVEN_FIGURE, "value", "source_id")
    if frame is None:
        return []
    frame = _with_optional_figure_columns(frame)
    unit = pl.col("unit") if "unit" in frame.columns else pl.lit(None, pl.String)
    given = pl.all_horizontal(pl.col(c).is_not_null() for c in [*GIVEN_FIGURE, "value", "source_id"])
    # only a figure stated more than once can be revised: a hash finds those cheaply, and
    # only their rows are copied (columns are selected before rows are filtered); the
    # exact keys decide below
    repeated = pl.when(given).then(_figure_hash(*map(pl.col, SAME_FIGURE))).is_duplicated() & given
    statements = (frame.select(ROW_COLUMN, *SAME_FIGURE, "source_id",
                               pl.col("value").cast(pl.Float64, strict=False), unit.alias("_unit"))
                  .filter(frame.select(repeated).to_series())
                  .join(_publication_order(frames), on="source_id", how="left")
                  # one statement per source and figure: a source that repeats itself is not a revision
                  # (without publication times, file order stands for time order)
                  .sort("_published", ROW_COLUMN, nulls_last=True)
                  .unique([*SAME_FIGURE, "source_id"], keep="first", maintain_order=True))
    # within a figure, rows are in publication order (window functions keep the frame's order)
    earlier = [pl.col(c).shift(1).over(SAME_FIGURE).alias(f"_earlier_{c}") for c in ("value", "source_id", ROW_COLUMN)]
    revised = (statements.with_columns(earlier)
               .filter(pl.col("_earlier_source_id").is_not_null()
                       & ((pl.col("value") - pl.col("_earlier_value")).abs()
                          > RELATIVE_TOLERANCE * pl.max_horizontal(pl.col("value").abs(), pl.col("_earlier_value").abs())))
               .sort(ROW_COLUMN))
    path = resource_paths(frames.descriptor).get(TABLE)
    findings = []
    for row in revised.iter_rows(named=True):
        unit_text = f" {row['_unit']}" if row["_unit"] else ""
        value, earlier_value = display_numbers(row["value"], row["_earlier_value"])
        findings.append(Finding(
            TABLE, row[ROW_COLUMN], "value", codes.REVISION,
            f"source {row['source_id']} (row {row[ROW_COLUMN]}) gives {value}{unit_text} where "
            f"source {row['_earlier_source_id']} (row {row[f'_earlier_{ROW_COLUMN}']}) gives "
            f"{earlier_value}{unit_text} for {row['indicator']}, {row['region_id']}, "
            f"{row['measure']}, {_period(row['period_start'], row['period_end'])}; expected one value per figure, "
            "so this is taken as a revision by the later source: check it, and say so in its note",
            row["value"], path=path))  # a warning: the severity is the code's
    return findings


def _year_before(date: pl.Expr) -> pl.Expr:
    """The same day a year earlier; a month's last day maps to that month's last day (29 Feb)."""
    shifted = date.dt.offset_by("-1y")
    return pl.when(date == date.dt.month_end()).then(shifted.dt.month_end()).otherwise(shifted)


@declares(Scope.PACKAGE, codes.YOY_LEVELS)
def check_yoy_changes_agree_with_levels(frames: PackageFrames) -> list[Finding]:
    """yoy_change ≈ (level of the period / level a year earlier − 1) × 100, within 0.5 points."""
    keys = ["indicator", "region_id", "period_start", "period_end"]
    frame = _indicators(frames, *keys, "measure", "value", "source_id")
    if frame is None or not all(frame.schema[c] == pl.Date for c in ("period_start", "period_end")):
        return []
    unit = pl.col("unit").cast(pl.String) if "unit" in frame.columns else pl.lit("")
    qualifier = pl.col("qualifier").cast(pl.String) if "qualifier" in frame.columns else pl.lit(None, pl.String)
    given = pl.all_horizontal(pl.col(c).is_not_null() for c in [*keys, "value"])
    measure = pl.col("measure").cast(pl.String)
    is_level = given & (measure == LEVEL) & ~qualifier.is_in(BOUNDS).fill_null(False)
    is_change = given & (measure == YOY_CHANGE)
    # Keys are compared through a hash first (one integer column, no copy of the rows),
    # so that only changes with both levels at hand are taken out and joined on the
    # exact keys, with only the levels they need.
    figure = _figure_hash(*map(pl.col, keys))
    hashed = frame.select(figure.alias("_figure"), is_level.alias("_level"), is_change.alias("_change"))
    level_figures = hashed.filter("_level").get_column("_figure").unique().implode()
    wanted = hashed.get_column("_change") & hashed.get_column("_figure").is_in(level_figures)
    if not wanted.any():
        return []
    # (columns are selected before rows are filtered, so that only they are copied)
    rows = (frame.select(ROW_COLUMN, *keys, "source_id", pl.col("value").cast(pl.Float64, strict=False))
            .filter(wanted)
            .with_columns(_year_before(pl.col("period_start")).alias("_start_before"),
                          _year_before(pl.col("period_end")).alias("_end_before")))
    figure_before = _figure_hash(pl.col("indicator"), pl.col("region_id"), pl.col("_start_before"),
                                 pl.col("_end_before"))
    changes = rows.filter(figure_before.is_in(level_figures))
    if changes.height == 0:
        return []
    needed = pl.concat([changes.select(figure.alias("_figure")), changes.select(figure_before.alias("_figure"))])
    stated = [(pl.col(c).cast(pl.String) if c in frame.columns else pl.lit(None, pl.String)).alias(f"_{c}")
              for c in ("value_as_stated", "unit_as_stated")]
    levels = (frame.select(ROW_COLUMN, *keys, "source_id", pl.col("value").cast(pl.Float64, strict=False),
                           unit.alias("_unit"), *stated)
              .filter(hashed.get_column("_level")
                      & hashed.get_column("_figure").is_in(needed.get_column("_figure").unique().implode()))
              .with_columns(pl.col("_unit").fill_null("")))

    def level_columns(suffix: str) -> list[pl.Expr]:
        return [pl.col(c).alias(f"{c}{suffix}") for c in (ROW_COLUMN, "source_id", "value", "_unit")]

    now = levels.select(*keys, *level_columns("_now"), "_value_as_stated", "_unit_as_stated")
    before = levels.select(*keys, *level_columns("_before"))
    pairs = (changes.select(ROW_COLUMN, *keys, "source_id", "value", "_start_before", "_end_before")
             .join(now, on=keys, how="inner")
             .join(before, left_on=["indicator", "region_id", "_start_before", "_end_before"],
                   right_on=keys, how="inner")
             .filter((pl.col("_unit_now") == pl.col("_unit_before")) & (pl.col("value_before") > 0))
             .with_columns(((pl.col("value_now") / pl.col("value_before") - 1) * 100).alias("_implied"))
             .with_columns((pl.col("_implied") - pl.col("value")).abs().alias("_gap")))
    # levels restated by several sources give several pairs: warn only if none agrees
    closest = (pairs.sort(ROW_COLUMN, "_gap").unique(ROW_COLUMN, keep="first")
               .filter(pl.col("_gap") > YOY_TOLERANCE).sort(ROW_COLUMN))
    path = resource_paths(frames.descriptor).get(TABLE)
    findings = []
    for row in closest.iter_rows(named=True):
        stated_change, implied_change = display_numbers(row["value"], row["_implied"])
        level_now, level_before = display_numbers(row["value_now"], row["value_before"])
        findings.append(Finding(
            TABLE, row[ROW_COLUMN], "value", codes.YOY_LEVELS,
            f"yoy_change is {stated_change} but the levels imply {implied_change}: "
            f"{level_now} for {_period(row['period_start'], row['period_end'])} "
            f"(source {row['source_id_now']}, row {row[f'{ROW_COLUMN}_now']}) against "
            f"{level_before} a year earlier, "
            f"{_period(row['_start_before'], row['_end_before'])} "
            f"(source {row['source_id_before']}, row {row[f'{ROW_COLUMN}_before']}); expected the stated change "
            f"within {YOY_TOLERANCE} percentage points of (level / level a year earlier − 1) × 100. "
            f"{implied_base(row)}{LIKELY_CAUSES}",
            row["value"], path=path))  # a warning: the severity is the code's
    return findings


# Why a stated change and two levels disagree, most likely first: what a reviewer checks
# before correcting a row or acknowledging the warning.
LIKELY_CAUSES = ("Likely causes: the base was revised (the later source measures the year before against "
                 "revised statistics, not the level first published); the change is at comparable prices "
                 "(real growth) while the levels are at current prices; or a figure was copied wrongly. "
                 "Fix the row if it differs from its quote; otherwise acknowledge the warning in "
                 "acknowledgements.csv with the reason")


def implied_base(row: dict) -> str:
    """The level a year earlier that the stated change implies, in the unit the later level is stated in."""
    growth = 1 + row["value"] / 100
    if growth <= 0:
        return ""
    stated = parse_number(row.get("_value_as_stated")) if row.get("_value_as_stated") else None
    if stated is not None and row.get("_unit_as_stated"):
        base = f"{_round(stated / growth)}{row['_unit_as_stated']}"
    else:
        base = display_number(row["value_now"] / growth) + (f" {row['_unit_now']}" if row.get("_unit_now") else "")
    return f"The stated change implies a base of about {base} a year earlier. "


def _round(value: float) -> str:
    """As sources state levels: one decimal (235.9), two below 10."""
    text = f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- one figure, one fact ------------------------------------------------------------------



@declares(Scope.SOURCE, codes.ONE_FIGURE_TWO_FACTS)
def check_one_figure_is_one_fact(frames: PackageFrames) -> list[Finding]:
    """The same stated number, in the same quote of one source, for the same indicator and
    measure, recorded for two periods or two regions: one of the rows is a copy whose period
    or region was changed (an error; the quote can only support one of them)."""
    frame = _indicators(frames, *STATED_FIGURE, *FACT_OF)
    if frame is None:
        return []
    fact = _figure_hash(*(pl.col(name).cast(pl.String).fill_null("") for name in FACT_OF))
    # The quotes are the long cells: only rows whose other parts already meet a second fact
    # are hashed with their quote.
    short = [name for name in STATED_FIGURE if name != "quote"]
    candidates = (frame.select(ROW_COLUMN, *STATED_FIGURE, *FACT_OF)
                  .filter(pl.all_horizontal(pl.col(name).is_not_null() for name in STATED_FIGURE))
                  .with_columns(_figure_hash(*(pl.col(name) for name in short)).alias("_figure"), fact.alias("_fact"))
                  .filter(pl.col("_fact").n_unique().over("_figure") > 1))
    marked = (candidates.with_columns(_figure_hash(*(pl.col(name) for name in STATED_FIGURE)).alias("_figure"))
              .filter(pl.col("_fact").n_unique().over("_figure") > 1)
              .sort(ROW_COLUMN))
    if marked.height == 0:
        return []
    path = resource_paths(frames.descriptor).get(TABLE)
    findings = []
    first_of: dict[int, dict] = {}
    for row in marked.iter_rows(named=True):
        first = first_of.setdefault(row["_figure"], row)
        if row["_fact"] == first["_fact"]:
            continue
        differs = [name for name in FACT_OF if row[name] != first[name]]
        was = ", ".join(f"{name} {first[name]}" for name in differs)
        now = ", ".join(f"{name} {row[name]}" for name in differs)
        findings.append(Finding(
            TABLE, row[ROW_COLUMN], differs[0], ONE_FIGURE_CHECK,
            f"the figure {row['value_as_stated']} ({row['indicator']}, {row['measure']}) of the quote "
            f"“{row['quote']}” of source {row['source_id']} is recorded in row {first[ROW_COLUMN]} for {was} "
            f"and here for {now}; expected one stated figure to be one fact (a figure for another period or "
            "region needs its own quote that states it)",
            row[differs[0]], path=path))
    return findings
