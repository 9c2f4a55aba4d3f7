"""A source's own arithmetic: its parts against its wholes, its shares against 100.

The catalogue says which concept is a part of which (``part_of``) and where the parts add up
to their whole (``parts_add_up``: the three industries' value added make the regional
product). For the exact levels of one source, place, period and status:

- ``part-exceeds-whole``: a part is larger than its whole;
- ``parts-sum``: the whole's parts are all there but do not add up to it;
- ``shares-sum``: the shares of one whole in one quote add up to more than 100, or, for a
  structure written as a ratio (11.2:48.7:40.1, unit ``:``), to other than 100.

"Within rounding": each figure is exact to half a unit of its last stated digit (264.6亿元
is 264.55 to 264.65亿元), and the gaps allowed add up. These are warnings, not errors: the
package records what the source states, and a source may have a typo; the warning names
the rows and the gap, and a reviewer fixes the row or acknowledges the source's own error.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.figures import LEVEL, RATIO_UNITS, SHARE
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import DIGITS_ONLY, normalise_numbers
from jiutai_data.model.package import resource_paths
from jiutai_data.model.numbers import display_number, display_numbers
from jiutai_data.validate.checks.units import units_table
from jiutai_data.validate.checks.declare import Scope, declares

TABLE = "indicators"
SAME_FIGURES = ("source_id", "region_id", "period_start", "period_end", "status")
_COLUMNS = (*SAME_FIGURES, "id", "indicator", "measure", "value", "value_as_stated", "unit_as_stated", "qualifier",
            "share_of", "quote")
_EPSILON = 1e-9  # relative: floating-point noise, not rounding


def _half_unit(stated: pl.Expr) -> pl.Expr:
    """Half a unit of the last digit of each stated number (264.6 → 0.05); 0 for a Chinese numeral."""
    decimals = normalise_numbers(stated).str.extract(r"\.([0-9]+)$", 1).str.len_chars().fill_null(0)
    return (pl.when(stated.str.contains(DIGITS_ONLY)).then(pl.lit(10.0).pow(-decimals.cast(pl.Float64)) * 0.5)
            .otherwise(0.0))


def _rows(frames: PackageFrames, measure: str, indicators: list[str] | None = None) -> pl.DataFrame | None:
    """The exact figures of ``measure`` (of ``indicators`` only, if given), each with the rounding
    its number as stated allows in the base unit (_rounding)."""
    frame = frames.table(TABLE)
    units = units_table(frames)
    if frame is None or units is None or not {ROW_COLUMN, *_COLUMNS} <= set(frame.columns):
        return None
    factors = dict(units.select("unit_as_stated", "_factor").iter_rows())
    wanted = (pl.col("qualifier") == "exact") & pl.col("value").is_not_null() & (pl.col("measure") == measure)
    if indicators is not None:
        wanted &= pl.col("indicator").is_in(indicators)
    factor = pl.col("unit_as_stated").replace_strict(factors, default=None, return_dtype=pl.Float64).fill_null(0.0)
    return (frame.select(ROW_COLUMN, *[pl.col(c).cast(pl.String) for c in _COLUMNS if c != "value"],
                         pl.col("value").cast(pl.Float64, strict=False))
            .filter(wanted)
            .with_columns((_half_unit(pl.col("value_as_stated")) * factor).alias("_rounding")))


def _tolerance(values: list[float], roundings: list[float]) -> float:
    return sum(roundings) + _EPSILON * max([abs(v) for v in values] + [1.0])


def _cited(rows: list[dict[str, Any]]) -> str:
    return ", ".join(f"row {r[ROW_COLUMN]} {r['indicator']} {display_number(r['value'])}" for r in rows)


@declares(Scope.SOURCE, codes.PARTS_SUM, codes.PART_EXCEEDS_WHOLE)
def check_parts_add_up_to_their_wholes(frames: PackageFrames) -> list[Finding]:
    """Within one source, place, period and status: no part exceeds its whole, and where the
    catalogue says the parts add up, the parts present in full add up to the whole."""
    catalogue = frames.table("catalogue")
    if catalogue is None or not {"code", "part_of"} <= set(catalogue.columns):
        return []
    parts_of: dict[str, list[str]] = defaultdict(list)
    for code, whole in catalogue.select(pl.col("code").cast(pl.String), pl.col("part_of").cast(pl.String)).iter_rows():
        if code and whole:
            parts_of[whole].append(code)
    if not parts_of:
        return []
    add_up = set()
    if "parts_add_up" in catalogue.columns:
        add_up = set(catalogue.filter(pl.col("parts_add_up").cast(pl.Boolean, strict=False).fill_null(False))
                     .get_column("code").cast(pl.String).to_list())
    concepts = set(parts_of) | {p for ps in parts_of.values() for p in ps}
    levels = _rows(frames, LEVEL, sorted(concepts))
    if levels is None:
        return []
    path, findings = resource_paths(frames.descriptor).get(TABLE), []
    for _, group in levels.group_by(list(SAME_FIGURES), maintain_order=True):
        by_code = {r["indicator"]: r for r in group.sort(ROW_COLUMN).iter_rows(named=True)}
        for whole, parts in parts_of.items():
            total = by_code.get(whole)
            if total is None:
                continue
            present = [by_code[p] for p in parts if p in by_code]
            for part in present:
                if part["value"] > total["value"] + _tolerance([total["value"]], [part["_rounding"], total["_rounding"]]):
                    part_value, total_value = display_numbers(part["value"], total["value"])
                    findings.append(Finding(
                        TABLE, part[ROW_COLUMN], "value", codes.PART_EXCEEDS_WHOLE,
                        f"{part['indicator']} {part_value} is a part of {whole} but exceeds it: "
                        f"row {total[ROW_COLUMN]} gives {total_value} for the same source, place "
                        "and period; expected a part no larger than its whole (check both rows against the source)",
                        part["value"], path=path))
            if whole in add_up and len(present) == len(parts):
                summed = sum(p["value"] for p in present)
                allowed = _tolerance([total["value"], summed], [total["_rounding"], *(p["_rounding"] for p in present)])
                if abs(summed - total["value"]) > allowed:
                    total_value, summed_value = display_numbers(total["value"], summed)
                    gap, allowed_gap = display_numbers(summed - total["value"], allowed)
                    findings.append(Finding(
                        TABLE, total[ROW_COLUMN], "value", codes.PARTS_SUM,
                        f"{whole} is {total_value} but its parts ({_cited(present)}) add up to "
                        f"{summed_value}: a gap of {gap}, more than the "
                        f"rounding of the figures as stated allows ({allowed_gap}); check each row "
                        "against the source (a typo in one part, or the source's own)", total["value"], path=path))
    return sorted(findings, key=lambda f: f.row or 0)


@declares(Scope.SOURCE, codes.SHARES_SUM)
def check_shares_add_up(frames: PackageFrames) -> list[Finding]:
    """The shares of one whole in one quote add up to 100 at most, and to 100 (within
    rounding) when they are the parts of a ratio a:b:c."""
    rows = _rows(frames, SHARE)
    if rows is None:
        return []
    shares = rows.filter(pl.col("share_of").is_not_null())
    path, findings = resource_paths(frames.descriptor).get(TABLE), []
    for _, group in shares.group_by([*SAME_FIGURES, "share_of", "quote"], maintain_order=True):
        members = list(group.sort(ROW_COLUMN).iter_rows(named=True))
        if len(members) < 2:
            continue
        summed = sum(m["value"] for m in members)
        allowed = _tolerance([summed, 100.0], [m["_rounding"] for m in members])
        ratio = all(m["unit_as_stated"] in RATIO_UNITS for m in members)
        if (abs(summed - 100.0) if ratio else summed - 100.0) > allowed:
            expected = "100, the whole a ratio's parts make" if ratio else "at most 100"
            findings.append(Finding(
                TABLE, members[0][ROW_COLUMN], "value", codes.SHARES_SUM,
                f"the shares of {members[0]['share_of']} in one quote ({_cited(members)}) add up to "
                f"{display_number(summed)}, expected {expected} within the rounding of the figures as "
                f"stated ({display_number(allowed)}); check each row against the quote", summed, path=path))
    return findings
