"""Units and values: every stated number converts to its value in the base unit.

The contract: value == number(value_as_stated) × units.factor(unit_as_stated) and
unit == units.unit(unit_as_stated); the same for the investment of projects and
the target of plans. On top: counts are whole, levels are not negative, a
year-on-year change is above -100 %, and a level in percent is a share (0–100).

The schemas declare the columns; ``STATED_QUANTITIES`` only says which columns
form one stated quantity (a test checks that it names every column with a
foreign key to units.unit_as_stated, so the two cannot drift apart).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Any

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.figures import (COUNT, FALLING_WORDS, LEVEL, MEASURE_UNITS, MINUS_SIGNS, PERCENT,
                                       POINT_CHANGE, SIGNED_MEASURES, YOY_CHANGE)
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import CHINESE_NUMERAL, display_number, display_numbers, number_of
from jiutai_data.model.package import resource_paths
from jiutai_data.model.schema import Schema
from jiutai_data.model.unit_definitions import ROOTS, decimal_text, exact_text, reading_of
from jiutai_data.validate.checks.declare import Scope, declares

RELATIVE_TOLERANCE = 1e-9
_UNITS = "units"


@dataclass(frozen=True)
class StatedQuantity:
    """The columns of one table that hold one number as stated and as converted."""

    table: str
    value: str  # the value in the base unit
    unit: str | None  # the column naming the base unit; None where the value column fixes it
    fixed_unit: str | None  # the base unit the value column implies (investment_cny is CNY)
    as_stated: str  # the number as written
    unit_as_stated: str  # the unit as written (a key of units)
    direction: str | None = None  # the word or minus that signs the number (a fall is negative)

    @property
    def columns(self) -> list[str]:
        return [c for c in (self.value, self.unit, self.as_stated, self.unit_as_stated) if c]


STATED_QUANTITIES: tuple[StatedQuantity, ...] = (
    StatedQuantity("indicators", "value", "unit", None, "value_as_stated", "unit_as_stated", "direction_as_stated"),
    StatedQuantity("projects", "investment_cny", None, "CNY", "investment_as_stated", "investment_unit_as_stated"),
    StatedQuantity("plans", "target_value", "target_unit", None, "target_as_stated", "target_unit_as_stated"),
)


def present_quantities(frames: PackageFrames) -> list[tuple[StatedQuantity, pl.DataFrame]]:
    """The stated quantities whose table was read with all their columns."""
    found = []
    for quantity in STATED_QUANTITIES:
        frame = frames.table(quantity.table)
        if frame is not None and set(quantity.columns) | {ROW_COLUMN} <= set(frame.columns):
            found.append((quantity, frame))
    return found


def units_table(frames: PackageFrames) -> pl.DataFrame | None:
    """units as (unit_as_stated, base unit, factor), or None if it cannot be used."""
    units = frames.table(_UNITS)
    if units is None or not {"unit_as_stated", "unit", "factor"} <= set(units.columns):
        return None
    return (units.select(pl.col("unit_as_stated").cast(pl.String),
                         pl.col("unit").cast(pl.String).alias("_base_unit"),
                         pl.col("factor").cast(pl.Float64, strict=False).alias("_factor"))
            .filter(pl.col("unit_as_stated").is_not_null())
            .unique("unit_as_stated", keep="first", maintain_order=True))  # file order: messages list units alike every run


def _path(frames: PackageFrames, table: str) -> str | None:
    return resource_paths(frames.descriptor).get(table)


def _is_close(a: pl.Expr, b: pl.Expr) -> pl.Expr:
    return (a - b).abs() <= RELATIVE_TOLERANCE * pl.max_horizontal(a.abs(), b.abs(), pl.lit(1e-300))


# --- unit_as_stated is a known unit -----------------------------------------------

@declares(Scope.ROW, codes.UNIT_KNOWN)
def check_units_are_known(frames: PackageFrames) -> list[Finding]:
    """unit_as_stated (and its twins in projects and plans) is a row of units."""
    units = units_table(frames)
    if units is None:
        return []
    known = sorted(units.get_column("unit_as_stated").to_list())
    listed = ", ".join(known[:40]) + (f" … ({len(known)} in all)" if len(known) > 40 else "")
    findings = []
    for quantity, frame in present_quantities(frames):
        unknown = (frame.select(ROW_COLUMN, pl.col(quantity.unit_as_stated).cast(pl.String).alias("u"))
                   .filter(pl.col("u").is_not_null() & ~pl.col("u").is_in(known))
                   .sort(ROW_COLUMN))
        for row, unit in unknown.iter_rows():
            findings.append(Finding(
                quantity.table, row, quantity.unit_as_stated, codes.UNIT_KNOWN,
                f"{quantity.unit_as_stated} {unit!r} is not a unit of the units table, expected one of: {listed} "
                "(or add the unit to data/units.csv with its base unit and factor)",
                unit, path=_path(frames, quantity.table)))
    return findings


# --- a full-width unit (％) means what its ASCII form (%) means ----------------------

@declares(Scope.FILES, codes.UNIT_FULL_WIDTH)
def check_full_width_units_agree(frames: PackageFrames) -> list[Finding]:
    """A unit written in full-width characters (％, ｋｍ) converts as its ASCII form does, when
    the units table has both: the two are one unit written two ways, as sources write it."""
    units = frames.table(_UNITS)
    if units is None or not {ROW_COLUMN, "unit_as_stated", "unit", "factor"} <= set(units.columns):
        return []
    rows = units.select(ROW_COLUMN, pl.col("unit_as_stated").cast(pl.String), pl.col("unit").cast(pl.String),
                        pl.col("factor").cast(pl.Float64, strict=False)).drop_nulls("unit_as_stated")
    ascii_form = {row["unit_as_stated"]: row for row in rows.iter_rows(named=True)}
    findings = []
    for row in rows.iter_rows(named=True):
        narrow = unicodedata.normalize("NFKC", row["unit_as_stated"])
        twin = ascii_form.get(narrow)
        if narrow == row["unit_as_stated"] or twin is None:
            continue
        if (row["unit"], row["factor"]) != (twin["unit"], twin["factor"]):
            factor, twin_factor = display_numbers(row["factor"], twin["factor"])
            findings.append(Finding(
                _UNITS, row[ROW_COLUMN], "factor", codes.UNIT_FULL_WIDTH,
                f"{row['unit_as_stated']!r} is the full-width form of {narrow!r} (row {twin[ROW_COLUMN]}) but converts "
                f"to {row['unit']} × {factor} where {narrow!r} converts to {twin['unit']} × "
                f"{twin_factor}; expected the same base unit and factor",
                row["unit_as_stated"], path=_path(frames, _UNITS)))
    return findings


# --- a unit made of a known prefix and root converts as its definition says ----------

# A factor written to 15 significant digits (1/15 as 0.0666666666666667) is within this of its definition.
DEFINITION_TOLERANCE = 1e-12


@declares(Scope.FILES, codes.UNIT_FACTOR)
def check_unit_factors_follow_their_definitions(frames: PackageFrames) -> list[Finding]:
    """A row of units whose unit_as_stated reads as prefix + root (万亩, 千瓦时, 亿斤) has the base unit and
    factor of that definition (model/unit_definitions.py): a factor typed by hand would otherwise be
    trusted by every value converted with it."""
    units = frames.table(_UNITS)
    if units is None or not {ROW_COLUMN, "unit_as_stated", "unit", "factor"} <= set(units.columns):
        return []
    rows = units.select(ROW_COLUMN, pl.col("unit_as_stated").cast(pl.String), pl.col("unit").cast(pl.String),
                        pl.col("factor").cast(pl.Float64, strict=False)).drop_nulls("unit_as_stated").sort(ROW_COLUMN)
    path = _path(frames, _UNITS)
    findings = []
    for row, stated, unit, factor in rows.iter_rows():
        reading = reading_of(stated)
        if reading is None:
            continue  # no definition (场次, or 亿 without 元): the row's own factor stands
        if unit is not None and unit != reading.base_unit:
            findings.append(Finding(
                _UNITS, row, "unit", codes.UNIT_FACTOR,
                f"unit of {stated} is {unit!r}, expected {reading.base_unit!r} "
                f"(1 {reading.root} = {exact_text(ROOTS[reading.root].factor)} {reading.base_unit})",
                unit, path=path))
        if factor is not None and not math.isclose(factor, reading.factor, rel_tol=DEFINITION_TOLERANCE):
            findings.append(Finding(
                _UNITS, row, "factor", codes.UNIT_FACTOR,
                f"factor of {stated} is {decimal_text(factor)}, expected {reading.explain()}",
                factor, path=path))
    return findings


# --- value == number(as stated) × factor, unit == base unit -------------------------

def _conversion_hint(row: dict[str, Any], quantity: StatedQuantity, units: pl.DataFrame) -> str:
    """Why a value may not match: another unit that fits, a power of ten, a fraction for percent."""
    value, number, factor, base = row["_value"], row["_number"], row["_factor"], row["_base_unit"]
    value = abs(value) if value else value  # the sign is _sign_hint's business
    if not value or not number:
        return ""
    hints = []
    if base == PERCENT and math.isclose(value * 100, number * factor, rel_tol=RELATIVE_TOLERANCE):
        right, wrong = display_numbers(number * factor, value)
        return (f"; percentages are in points (1% is 1.0): for {row['_as_stated']}{row['_unit_as_stated']} "
                f"the value is {right}, not {wrong}")
    fitting = [u for u, b, f in units.iter_rows()
               if b == base and u != row["_unit_as_stated"] and f and math.isclose(number * f, value, rel_tol=RELATIVE_TOLERANCE)]
    if fitting:
        hints.append(f"the value fits {row['_as_stated']} {' or '.join(fitting)}: is {quantity.unit_as_stated} "
                     f"{row['_unit_as_stated']!r} the unit the quote states?")
    ratio = value / (number * factor) if number * factor else 0
    if ratio > 0:
        exponent = round(math.log10(ratio))
        if exponent and math.isclose(ratio, 10.0 ** exponent, rel_tol=1e-6):
            hints.append(f"the value is {display_number(10.0 ** abs(exponent))} times too "
                         f"{'large' if exponent > 0 else 'small'} (10^{exponent})")
    return "; " + "; ".join(hints) if hints else ""


def sign_expression(frame: pl.DataFrame, quantity: StatedQuantity) -> pl.Expr:
    """-1.0 where the row's direction is a fall (下降, a minus), else 1.0."""
    if quantity.direction is None or quantity.direction not in frame.columns:
        return pl.lit(1.0)
    falls = pl.col(quantity.direction).cast(pl.String).is_in([*FALLING_WORDS, *MINUS_SIGNS])
    return pl.when(falls.fill_null(False)).then(pl.lit(-1.0)).otherwise(pl.lit(1.0))


def _sign_hint(row: dict[str, Any], quantity: StatedQuantity) -> str:
    """Why a value with the right size but the wrong sign is wrong."""
    value, should = row["_value"], row["_sign"] * row["_number"] * row["_factor"]
    if not value or not math.isclose(abs(value), abs(should), rel_tol=RELATIVE_TOLERANCE) or quantity.direction is None:
        return ""
    if row["_sign"] < 0:
        return f"; a fall is negative: the sign of {quantity.value} is flipped"
    return (f"; a negative value needs the word or minus that signs it in {quantity.direction} (下降, 减少, -), "
            "as the quote writes it")


def _mapped(key: str, units: pl.DataFrame, column: str, dtype: pl.DataType) -> pl.Expr:
    """units.<column> of the unit_as_stated in ``key``, for a frame of rows."""
    mapping = dict(units.select("unit_as_stated", column).iter_rows())
    return pl.col(key).replace_strict(mapping, default=None, return_dtype=dtype).alias(column)


@declares(Scope.ROW, codes.NUMBER_READABLE, codes.UNIT_BASE, codes.VALUE_CONVERSION)
def check_values_match_their_units(frames: PackageFrames) -> list[Finding]:
    """value == number(value_as_stated) × factor, and the base unit agrees with units."""
    units = units_table(frames)
    if units is None:
        return []
    findings: list[Finding] = []
    for quantity, frame in present_quantities(frames):
        path = _path(frames, quantity.table)
        # units is small: its columns are mapped onto the rows (no join, so the rows keep their order)
        known = pl.col("_unit_as_stated").is_in(units.get_column("unit_as_stated").implode())
        rows = (frame.select(
                    ROW_COLUMN,
                    pl.col(quantity.value).cast(pl.Float64, strict=False).alias("_value"),
                    (pl.col(quantity.unit).cast(pl.String) if quantity.unit else pl.lit(quantity.fixed_unit)).alias("_unit"),
                    pl.col(quantity.as_stated).cast(pl.String).alias("_as_stated"),
                    pl.col(quantity.unit_as_stated).cast(pl.String).alias("_unit_as_stated"),
                    sign_expression(frame, quantity).alias("_sign"),
                    (pl.col(quantity.direction).cast(pl.String) if quantity.direction in frame.columns
                     else pl.lit(None, pl.String)).alias("_direction"))
                .filter(known)
                .with_columns(number_of("_as_stated").alias("_number"),
                              _mapped("_unit_as_stated", units, "_base_unit", pl.String),
                              _mapped("_unit_as_stated", units, "_factor", pl.Float64)))

        unreadable = (rows.filter(pl.col("_number").is_null() & pl.col("_as_stated").str.contains(CHINESE_NUMERAL))
                      .sort(ROW_COLUMN))
        for row in unreadable.iter_rows(named=True):
            findings.append(Finding(
                quantity.table, row[ROW_COLUMN], quantity.as_stated, codes.NUMBER_READABLE,
                f"{row['_as_stated']!r} is not a Chinese numeral with one reading, expected a number such as "
                "两, 十三 or 三百五十 (write a range or an approximation as two rows or in the note)",
                row["_as_stated"], path=path))

        expected = pl.col("_sign") * pl.col("_number") * pl.col("_factor")
        wrong = rows.filter(pl.col("_value").is_not_null() & pl.col("_number").is_not_null()
                            & pl.col("_factor").is_not_null() & ~_is_close(pl.col("_value"), expected)).sort(ROW_COLUMN)
        for row in wrong.iter_rows(named=True):
            should = row["_sign"] * row["_number"] * row["_factor"]
            signed = (f"−1 ({quantity.direction} {row['_direction']} is a fall) × " if row["_sign"] < 0 else "")
            value, expected_value = display_numbers(row["_value"], should)
            findings.append(Finding(
                quantity.table, row[ROW_COLUMN], quantity.value, codes.VALUE_CONVERSION,
                f"{quantity.value} is {value}, expected {signed}{quantity.as_stated} × factor of "
                f"{row['_unit_as_stated']} = {signed}{row['_as_stated']} × {display_number(row['_factor'])} = "
                f"{expected_value}{_sign_hint(row, quantity)}{_conversion_hint(row, quantity, units)}",
                row["_value"], path=path))

        base_differs = rows.filter(pl.col("_unit").is_not_null() & pl.col("_base_unit").is_not_null()
                                   & (pl.col("_unit") != pl.col("_base_unit"))).sort(ROW_COLUMN)
        for row in base_differs.iter_rows(named=True):
            if quantity.unit:
                findings.append(Finding(
                    quantity.table, row[ROW_COLUMN], quantity.unit, codes.UNIT_BASE,
                    f"{quantity.unit} is {row['_unit']!r}, expected {row['_base_unit']!r}, the base unit of "
                    f"{row['_unit_as_stated']} in units", row["_unit"], path=path))
            else:
                findings.append(Finding(
                    quantity.table, row[ROW_COLUMN], quantity.unit_as_stated, codes.UNIT_BASE,
                    f"{row['_unit_as_stated']!r} converts to {row['_base_unit']}, expected a unit that converts "
                    f"to {quantity.fixed_unit} as {quantity.value} does", row["_unit_as_stated"], path=path))
    return findings


# --- optional quantities: all or nothing ---------------------------------------------

@declares(Scope.ROW, codes.QUANTITY_COMPLETE)
def check_stated_quantities_are_complete(frames: PackageFrames) -> list[Finding]:
    """Where a quantity is optional (projects, plans), its columns are all set or all empty."""
    findings: list[Finding] = []
    for quantity, frame in present_quantities(frames):
        schema = frames.schemas.get(quantity.table, {})
        required = {field.name for field in Schema.of(schema).fields if field.required}
        columns = quantity.columns
        if set(columns) <= required:
            continue  # a missing cell is the structure check's "required" error
        given = frame.select(ROW_COLUMN, *[pl.col(c).is_not_null().alias(c) for c in columns])
        partial = given.filter(pl.any_horizontal(columns) & ~pl.all_horizontal(columns)).sort(ROW_COLUMN)
        for row in partial.iter_rows(named=True):
            empty = [c for c in columns if not row[c]]
            set_ = [c for c in columns if row[c]]
            findings.append(Finding(
                quantity.table, row[ROW_COLUMN], empty[0], codes.QUANTITY_COMPLETE,
                f"{', '.join(set_)} {'is' if len(set_) == 1 else 'are'} given but {', '.join(empty)} "
                f"{'is' if len(empty) == 1 else 'are'} empty, expected {', '.join(columns)} all given or all empty",
                None, path=_path(frames, quantity.table)))
    return findings


# --- ranges: counts, levels, changes, shares -------------------------------------------

@declares(Scope.ROW, codes.COUNT_WHOLE, codes.LEVEL_NONNEGATIVE, codes.MEASURE_UNIT, codes.PERCENT_RANGE, codes.YOY_RANGE, codes.YOY_UNIT)
def check_value_ranges(frames: PackageFrames) -> list[Finding]:
    """Counts are whole; levels and shares are ≥ 0 and a rate in percent ≤ 100; a yoy_change is
    above -100 %; each measure is in its unit (a yoy_change and a share in percent, a
    point_change in percentage points, and nothing else in percentage points)."""
    findings: list[Finding] = []
    for quantity, frame in present_quantities(frames):
        if not quantity.unit:
            continue  # a value with a fixed unit (CNY) has its bounds in the schema
        path = _path(frames, quantity.table)
        has_measure = "measure" in frame.columns
        rows = frame.select(
            ROW_COLUMN,
            pl.col(quantity.value).cast(pl.Float64, strict=False).alias("_value"),
            pl.col(quantity.unit).cast(pl.String).alias("_unit"),
            (pl.col("measure").cast(pl.String) if has_measure else pl.lit(LEVEL)).alias("_measure"),
        ).filter(pl.col("_value").is_not_null()).sort(ROW_COLUMN)
        value, unit, measure = pl.col("_value"), pl.col("_unit"), pl.col("_measure")
        unsigned = ~measure.is_in(list(SIGNED_MEASURES))

        def report(condition: pl.Expr, column: str, check: str, expected: str) -> None:
            for row, number, base, kind in rows.filter(condition).select(ROW_COLUMN, "_value", "_unit", "_measure").iter_rows():
                findings.append(Finding(
                    quantity.table, row, column, check,
                    f"{quantity.value} of a {kind} is {display_number(number)}{f' {base}' if base else ''}, expected {expected}",
                    number, path=path))

        report(unsigned & (unit == COUNT) & ((value - value.round()).abs() > RELATIVE_TOLERANCE * value.abs().clip(1)),
               quantity.value, codes.COUNT_WHOLE, "a whole number for a count")
        if has_measure:
            # (a table without measure, plans, bounds its target in the schema; and
            # its targets in percent may be growth rates, not shares)
            report(unsigned & (value < 0), quantity.value, codes.LEVEL_NONNEGATIVE,
                   "0 or more (a fall is a yoy_change, point_change or change with the word that signs it, "
                   "e.g. 下降, in direction_as_stated)")
            report(unsigned & (unit == PERCENT) & (value > 100), quantity.value, codes.PERCENT_RANGE,
                   "a share or rate of 0 to 100 percent (percentages are in points: 92% is 92)")
            report((measure == YOY_CHANGE) & (value <= -100), quantity.value, codes.YOY_RANGE,
                   "a year-on-year change above -100 percent (-100 would mean the figure fell to nothing)")
            in_points = MEASURE_UNITS[POINT_CHANGE]
            # only the rows whose unit is not their measure's are looped over (a million rows are not)
            expected_unit = measure.replace_strict(MEASURE_UNITS, default=None, return_dtype=pl.String)
            wrong = pl.when(expected_unit.is_null()).then(unit == in_points).otherwise(unit != expected_unit)
            for row, kind, base in rows.filter(unit.is_not_null() & wrong).select(ROW_COLUMN, "_measure", "_unit").iter_rows():
                expected = MEASURE_UNITS.get(kind)
                if kind == YOY_CHANGE and base != expected:
                    findings.append(Finding(
                        quantity.table, row, quantity.unit, codes.YOY_UNIT,
                        f"{quantity.unit} of a yoy_change is {base!r}, expected {expected!r} "
                        "(a year-on-year change is in percent)", base, path=path))
                elif kind != YOY_CHANGE and (base != expected if expected else base == in_points):
                    want = (f"{expected!r}" if expected else
                            f"a unit other than {in_points!r} (a change in points is a point_change)")
                    findings.append(Finding(
                        quantity.table, row, quantity.unit, codes.MEASURE_UNIT,
                        f"{quantity.unit} of a {kind} is {base!r}, expected {want}; a rate's change stated in "
                        "个百分点 is a point_change, a share is in percent", base, path=path))
    return findings
