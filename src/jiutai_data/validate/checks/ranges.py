"""Ranges and qualifiers: a range such as 10至15户 keeps both bounds, and a target says how
its number is bounded.

A range is the row's stated number (its lower bound) plus an upper bound in the columns
``RANGES`` names, with qualifier ``range``; the unit is shared. The checks:

- ``range-complete``: the upper bound as stated and as converted are both given or both
  empty, and they are given exactly when the qualifier is ``range``;
- ``range-conversion``: upper value == number(upper as stated) × factor of the unit;
- ``range-order``: the upper bound is above the lower;
- ``range-in-quote``: the upper bound as stated is written in the quote;
- ``qualifier-given``: where a stated number is optional (plans' targets), the qualifier is
  given exactly when the number is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import display_number, display_numbers, number_of
from jiutai_data.model.package import resource_paths
from jiutai_data.model.schema import Schema
from jiutai_data.validate.checks.units import (RELATIVE_TOLERANCE, STATED_QUANTITIES, StatedQuantity,
                                               sign_expression, units_table)
from jiutai_data.validate.checks.declare import Scope, declares

RANGE = "range"  # the qualifier of a range
QUOTE = "quote"


@dataclass(frozen=True)
class Range:
    table: str
    low: str  # the lower bound (the row's value) in the base unit
    high: str  # the upper bound in the base unit
    low_as_stated: str
    high_as_stated: str
    unit_as_stated: str
    qualifier: str

    @property
    def columns(self) -> list[str]:
        return [self.low, self.high, self.low_as_stated, self.high_as_stated, self.unit_as_stated, self.qualifier]


RANGES: tuple[Range, ...] = (
    Range("indicators", "value", "value_high", "value_as_stated", "value_high_as_stated", "unit_as_stated", "qualifier"),
    Range("plans", "target_value", "target_value_high", "target_as_stated", "target_high_as_stated",
          "target_unit_as_stated", "qualifier"),
)


def _stands(quote: str, number: str) -> bool:
    """``number`` is written in ``quote`` as a whole number: 5 does not stand in 15 or 5.5."""
    if not number[:1].isdigit():
        return number in quote  # a Chinese numeral
    return re.search(rf"(?<![0-9.]){re.escape(number)}(?![0-9]|\.[0-9])", quote) is not None


def _present(frames: PackageFrames) -> list[tuple[Range, pl.DataFrame]]:
    found = []
    for declared in RANGES:
        frame = frames.table(declared.table)
        if frame is not None and {ROW_COLUMN, QUOTE, *declared.columns} <= set(frame.columns):
            found.append((declared, frame.select(
                ROW_COLUMN, pl.col(QUOTE).cast(pl.String),
                pl.col(declared.low).cast(pl.Float64, strict=False).alias("_low"),
                pl.col(declared.high).cast(pl.Float64, strict=False).alias("_high"),
                pl.col(declared.low_as_stated).cast(pl.String).alias("_low_as_stated"),
                pl.col(declared.high_as_stated).cast(pl.String).alias("_high_as_stated"),
                pl.col(declared.unit_as_stated).cast(pl.String).alias("_unit_as_stated"),
                pl.col(declared.qualifier).cast(pl.String).alias("_qualifier"),
                sign_expression(frame, _quantity_of(declared.table)).alias("_sign"))))
    return found


def _quantity_of(table: str) -> StatedQuantity:
    return next(q for q in STATED_QUANTITIES if q.table == table)


def _order_message(declared: Range, r: dict) -> str:
    high, low = display_numbers(r["_high"], r["_low"])
    return (f"{declared.high} {high} is not above {declared.low} {low}; expected the lower bound in {declared.low} "
            f"and the upper in {declared.high}")


def _conversion_message(declared: Range, r: dict) -> str:
    high, expected = display_numbers(r["_high"], r["_sign"] * r["_high_number"] * r["_factor"])
    return (f"{declared.high} is {high}, expected {declared.high_as_stated} × factor of {r['_unit_as_stated']} = "
            f"{r['_high_as_stated']} × {display_number(r['_factor'])} = {expected}")


@declares(Scope.ROW, codes.RANGE_COMPLETE, codes.RANGE_CONVERSION, codes.RANGE_IN_QUOTE, codes.RANGE_ORDER)
def check_ranges_keep_both_bounds(frames: PackageFrames) -> list[Finding]:
    findings: list[Finding] = []
    units = units_table(frames)
    for declared, rows in _present(frames):
        path = resource_paths(frames.descriptor).get(declared.table)

        def add(frame: pl.DataFrame, column: str, check: str, message) -> None:
            for row in frame.sort(ROW_COLUMN).iter_rows(named=True):
                findings.append(Finding(declared.table, row[ROW_COLUMN], column, check, message(row),
                                        row.get("_high_as_stated"), path=path))

        high, high_as_stated = pl.col("_high").is_not_null(), pl.col("_high_as_stated").is_not_null()
        is_range = pl.col("_qualifier") == RANGE
        add(rows.filter(high != high_as_stated), declared.high_as_stated, codes.RANGE_COMPLETE, lambda r: (
                f"{declared.high} and {declared.high_as_stated} are not both given (they are "
                f"{display_number(r['_high'])} and {r['_high_as_stated']!r}); expected both for a range, or both empty"))
        add(rows.filter((high | high_as_stated) & ~is_range.fill_null(False)), declared.qualifier, codes.RANGE_COMPLETE,
            lambda r: (f"{declared.high_as_stated} is {r['_high_as_stated']!r} but the qualifier is {r['_qualifier']!r}; "
                       f"expected qualifier {RANGE} for a range (or no upper bound)"))
        add(rows.filter(is_range.fill_null(False) & ~high_as_stated), declared.high_as_stated, codes.RANGE_COMPLETE,
            lambda r: (f"the qualifier is {RANGE} but {declared.high_as_stated} is empty; expected the upper bound as "
                       f"written (15 for 10至15户) in {declared.high_as_stated} and converted in {declared.high}"))

        ranged = rows.filter(high & high_as_stated).with_columns(number_of("_high_as_stated").alias("_high_number"))
        add(ranged.filter(pl.col("_low").is_not_null() & (pl.col("_high") <= pl.col("_low"))), declared.high,
            codes.RANGE_ORDER, lambda r: _order_message(declared, r))
        add(ranged.filter(pl.col(QUOTE).is_not_null()
                          & ~pl.struct(QUOTE, "_high_as_stated").map_elements(
                              lambda r: _stands(r[QUOTE], r["_high_as_stated"]), return_dtype=pl.Boolean)),
            declared.high_as_stated, codes.RANGE_IN_QUOTE,
            lambda r: f"{declared.high_as_stated} {r['_high_as_stated']!r} is not in the quote {r[QUOTE]!r}; expected the "
                      "upper bound as the quote writes it")
        if units is None:
            continue
        factors = dict(units.select("unit_as_stated", "_factor").iter_rows())
        converted = ranged.with_columns(
            pl.col("_unit_as_stated").replace_strict(factors, default=None, return_dtype=pl.Float64).alias("_factor"))
        # a falling range (下降3至5%) is signed like its lower bound: −5 to −3, stated 5 and 3
        expected = pl.col("_sign") * pl.col("_high_number") * pl.col("_factor")
        add(converted.filter(pl.col("_high_number").is_not_null() & pl.col("_factor").is_not_null()
                             & ((pl.col("_high") - expected).abs()
                                > RELATIVE_TOLERANCE * pl.max_horizontal(pl.col("_high").abs(), expected.abs(), pl.lit(1e-300)))),
            declared.high, codes.RANGE_CONVERSION,
            lambda r: _conversion_message(declared, r))
    return findings


@declares(Scope.ROW, codes.QUALIFIER_GIVEN)
def check_qualifiers_go_with_their_numbers(frames: PackageFrames) -> list[Finding]:
    """`qualifier-given`, for tables whose stated number is optional (the schema does not require it)."""
    findings: list[Finding] = []
    for declared, rows in _present(frames):
        schema = frames.schemas.get(declared.table, {})
        required = {field.name for field in Schema.of(schema).fields if field.required}
        if declared.low_as_stated in required:
            continue  # a number every row has; a missing qualifier is the schema's `required`
        path = resource_paths(frames.descriptor).get(declared.table)
        stated, qualified = pl.col("_low_as_stated").is_not_null(), pl.col("_qualifier").is_not_null()
        for row in rows.filter(stated != qualified).sort(ROW_COLUMN).iter_rows(named=True):
            if row["_low_as_stated"] is None:
                message = (f"qualifier is {row['_qualifier']!r} but {declared.low_as_stated} is empty; expected no "
                           "qualifier where there is no number")
            else:
                message = (f"{declared.low_as_stated} is {row['_low_as_stated']!r} but qualifier is empty; expected how the "
                           "source bounds it: exact, more_than (以上, 余, 多), at_least, approximately (左右, 约) or range")
            findings.append(Finding(declared.table, row[ROW_COLUMN], declared.qualifier, codes.QUALIFIER_GIVEN, message,
                                    row["_qualifier"], path=path))
    return findings
