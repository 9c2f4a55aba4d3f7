"""The headline view: the main indicators × their latest periods, one wide table, on a page and as a CSV.

The main indicators are those a source reports with their growth (a year-on-year change against
the same period a year earlier): the figures a bulletin leads with. Each has a row for its level
and a row for its change; each column is one period (2022, Jan–Sep 2022), the latest first, so
that a reader compares one period's figures down a column and never reads nine months beside a
year as a fall. A cell is the figure as the source states it (264.6亿元, +6%), marked when it is an
estimate or a target, and links to its row. Where two sources state one figure, the later source
(sources are named by date) gives it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import polars as pl

from jiutai_data.model.figures import LEVEL, YOY_CHANGE
from jiutai_data.publish.site.chart_parts import ROW_LINK, with_values
from jiutai_data.publish.site.charts import growth_rows
from jiutai_data.publish.site.figures import NO_NAMES, Names, figure, period_text
from jiutai_data.publish.site.interface import ENUM_LABELS

NAME = "headline.csv"  # in the site's downloads folder
PERIOD_LIMIT = 6  # columns: the latest periods
MEASURES = (LEVEL, YOY_CHANGE)


@dataclass(frozen=True)
class Cell:
    text: str  # the figure as stated: 264.6亿元, +6%
    status: str  # actual, estimate, target
    row_id: str

    @property
    def href(self) -> str:
        return ROW_LINK.format(id=self.row_id)


@dataclass(frozen=True)
class Line:
    indicator: str
    region_id: str
    name_zh: str
    name_en: str
    measure: str
    cells: list[Cell | None]  # one per period


@dataclass(frozen=True)
class Headline:
    periods: list[tuple[str, str]]  # (start, end), latest first
    lines: list[Line]

    def period_names(self) -> list[tuple[str, str]]:
        """Each period as a reader says it: (English, Chinese)."""
        return [(period_text(start, end), period_text(start, end, "zh")) for start, end in self.periods]


def headline_view(indicators: pl.DataFrame, names: Names = NO_NAMES) -> Headline:
    """The headline view of ``indicators`` (with the catalogue's names: read.catalogue.with_catalogue)."""
    main = set(growth_rows(indicators)["indicator"].to_list()) if indicators.height else set()
    rows = with_values(indicators).filter(pl.col("indicator").is_in(sorted(main)), pl.col("measure").is_in(MEASURES),
                                          pl.col("period_start").is_not_null(), pl.col("period_end").is_not_null())
    for column in ("compared_with_region_id", "compared_with_period_start", "compared_with_period_end"):
        if column in rows.columns:  # against the same period a year earlier only, as a bulletin's growth is
            rows = rows.filter(pl.col(column).is_null())
    periods = [tuple(p) for p in rows.select("period_start", "period_end").unique()
               .sort(["period_end", "period_start"], descending=[True, False]).head(PERIOD_LIMIT).iter_rows()]
    # the later source gives a figure two sources state; then by id, so the choice is the same every build
    rows = rows.sort(["source_id", "id"], descending=[True, False])
    found: dict[tuple[str, str, str, str, str], Cell] = {}
    about: dict[tuple[str, str], tuple[str, str]] = {}
    for row in rows.iter_rows(named=True):
        key = (row["indicator"], row["measure"], row["region_id"], row["period_start"], row["period_end"])
        if key not in found:
            found[key] = Cell(figure(row, names).stated, row["status"], row["id"])
        about.setdefault((row["indicator"], row["region_id"]), (row["name_zh"] or "", row["name_en"] or ""))
    lines = []
    for (indicator, region), (zh, en) in sorted(about.items(), key=lambda item: (item[1][1].lower(), item[0])):
        for measure in MEASURES:
            cells = [found.get((indicator, measure, region, start, end)) for start, end in periods]
            if any(cells):
                lines.append(Line(indicator, region, zh, en, measure, cells))
    return Headline(periods, lines)


def headline_csv(view: Headline) -> bytes:
    """The headline view as a CSV file: one row per indicator, place and measure, one column per period
    (named start/end), each cell the figure as stated, an estimate or target marked after it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator", "region_id", "name_zh", "name_en", "measure",
                     *(f"{start}/{end}" for start, end in view.periods)])
    for line in view.lines:
        writer.writerow([line.indicator, line.region_id, line.name_zh, line.name_en, line.measure,
                         *("" if cell is None else cell.text + ("" if cell.status == "actual" else f" ({cell.status})")
                           for cell in line.cells)])
    return out.getvalue().encode("utf-8")


def page_context(view: Headline) -> dict[str, Any]:
    return {"periods": view.period_names(), "lines": view.lines, "statuses": ENUM_LABELS, "measures": ENUM_LABELS,
            "regions": len({line.region_id for line in view.lines})}
