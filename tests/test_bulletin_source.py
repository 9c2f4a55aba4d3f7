"""A clearly fictional statistical bulletin (统计公报, tests/fixtures/bulletin/) grows a copy of the
package as a contributor would (second_source.grow_package), and the grown copy validates, builds,
exports and publishes its site. The bulletin has the shapes of real ones: periods (全年, 年末), a
text table with a minus in a cell, falls (下降, 减少), points (提高0.8个百分点, 高于全省1.2个百分点),
a structure a:b:c, a share, a stock at year end, a figure of the province, land in 亩 and 万亩 and
grain in 万吨. Copies of the fixture broken in one way each are refused with the finding that
names the break."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from typing import Callable

import polars as pl
import pytest

from conftest import PACKAGE, PACKAGE_ENVIRONMENT
from second_source import add_second_source, copy_package_files, fixture_rows, grow_package, metadata

from jiutai_data.model.excerpts import excerpts
from jiutai_data.model.figures import MEASURES, RATIO_UNIT
from jiutai_data.model.package import open_package
from jiutai_data.validate.run import validate_package

BULLETIN = Path(__file__).resolve().parent / "fixtures" / "bulletin"
SOURCE_ID = metadata(BULLETIN)["id"]
FALL = f"{SOURCE_ID}--fictional-county-2022-fixed-asset-investment-yoy"  # 比上年下降12.4%
TABLE_FALL = f"{SOURCE_ID}--fictional-county-2022-industrial-value-added-above-designated-size-yoy"  # -3.5%
STOCK = f"{SOURCE_ID}--fictional-county-2022-resident-population-year-end"  # 年末常住人口35.2万人

# Like test_second_source.py: run once, on the package it grows itself.
pytestmark = pytest.mark.skipif(bool(os.environ.get(PACKAGE_ENVIRONMENT)),
                                reason="the data tests are being run on a grown package already")


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return grow_package(PACKAGE, tmp_path_factory.mktemp("bulletin") / "package", BULLETIN)


def rows_of(root: Path, table: str) -> list[dict[str, str]]:
    layout = next(t for t in open_package(root).tables if t.name == table)
    with layout.csv_path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def line_of(root: Path, table: str, row_id: str) -> int:
    """The CSV line (the header is line 1) of the row ``row_id``, as findings count rows."""
    return 2 + next(i for i, row in enumerate(rows_of(root, table)) if row["id"] == row_id)


def grown_with(tmp_path: Path, change: Callable[[dict[str, str]], None]) -> tuple[Path, list]:
    """A copy of the package grown by a copy of the fixture whose indicator rows went through
    ``change``, not built; (its root, its findings)."""
    fixture = shutil.copytree(BULLETIN, tmp_path / "fixture")
    rows = fixture_rows("indicators", fixture)
    for row in rows:
        change(row)
    with (fixture / "indicators.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    root = copy_package_files(PACKAGE, tmp_path / "package")
    add_second_source(root, fixture)
    return root, validate_package(root).findings


# --------------------------------------------------------------------------- the fixture

def test_the_bulletin_is_labelled_fictional_and_its_place_too() -> None:
    text = (BULLETIN / "source.txt").read_text(encoding="utf-8")
    meta = metadata(BULLETIN)
    assert text.startswith("虚构示例") and meta["title"].startswith("虚构示例") and "FICTIONAL" in meta["title_en"]
    assert "example.org" in meta["url"]
    (county,) = fixture_rows("regions", BULLETIN)
    assert (county["name_zh"], county["level"], county["parent_id"], county["code"]) == ("虚构县", "county", "jilin", "")


def test_the_bulletin_has_every_measure_and_its_quotes_are_verbatim() -> None:
    text = (BULLETIN / "source.txt").read_text(encoding="utf-8")
    rows = fixture_rows("indicators", BULLETIN)
    assert {r["measure"] for r in rows} == set(MEASURES)
    # (a table's cell is quoted as its column's header … its row: every excerpt stands in the text)
    assert all(part in text for r in rows + fixture_rows("omissions", BULLETIN) for part in excerpts(r["quote"]))
    assert any(len(excerpts(r["quote"])) > 1 for r in rows)
    ratio = [r for r in rows if r["unit_as_stated"] == RATIO_UNIT]
    assert len(ratio) == 3 and sum(float(r["value"]) for r in ratio) == pytest.approx(100.0)


# --------------------------------------------------------------------------- grown, built, published

def test_the_grown_package_validates_with_no_error(grown: Path) -> None:
    report = validate_package(grown)
    assert report.errors == [], [f"{f.check}: {f.message}" for f in report.findings]
    assert report.valid, [f"{f.check}: {f.message}" for f in report.warnings]
    assert SOURCE_ID in {row["id"] for row in rows_of(grown, "sources")}


def test_the_grown_package_exports_and_publishes_its_site(grown: Path, tmp_path: Path) -> None:
    from jiutai_data.publish.export import export_package
    from jiutai_data.publish.site.build import build_site

    root = shutil.copytree(grown, tmp_path / "package")
    files = export_package(root, root / "dist")
    assert {".sqlite", ".xlsx", ".dta", ".zip"} <= {path.suffix for path in files}, files
    import sqlite3

    database = next(path for path in files if path.suffix == ".sqlite")
    with sqlite3.connect(database) as connection:
        (fall,) = connection.execute("SELECT value FROM indicators WHERE id = ?", (FALL,)).fetchone()
    assert fall == -12.4
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        site = build_site(root, root / "dist")
    assert site.pages and (site.folder / "index.html").is_file()


def test_a_fall_is_negative_in_the_parquet_twin(grown: Path) -> None:
    twin = pl.read_parquet(grown / "data" / "indicators.parquet")
    falls = twin.filter(pl.col("id").is_in([FALL, TABLE_FALL]))
    assert dict(zip(falls["id"], falls["value"])) == {FALL: -12.4, TABLE_FALL: -3.5}
    assert set(falls["direction_as_stated"]) == {"下降", "-"}
    assert set(falls["value_as_stated"]) == {"12.4", "3.5"}


def test_the_stock_and_its_change_are_dated_on_the_last_day_of_the_year(grown: Path) -> None:
    stock = [r for r in rows_of(grown, "indicators") if r["indicator"] == "resident_population_year_end"]
    assert {(r["measure"], r["period_start"], r["period_end"]) for r in stock} == {
        ("level", "2022-12-31", "2022-12-31"), ("change", "2022-12-31", "2022-12-31")}


# --------------------------------------------------------------------------- broken copies

def _of(findings: list, check: str) -> list:
    return [f for f in findings if f.check == check]


def test_a_fall_without_its_direction_is_refused(tmp_path: Path) -> None:
    def drop_direction(row: dict[str, str]) -> None:
        if row["id"] == FALL:
            row["direction_as_stated"] = ""

    root, findings = grown_with(tmp_path, drop_direction)
    missing = _of(findings, "direction-missing")
    assert [(f.table, f.row, f.column, f.severity) for f in missing] == [
        ("indicators", line_of(root, "indicators", FALL), "direction_as_stated", "error")], missing


def test_a_share_changed_so_the_structure_does_not_make_100_is_reported(tmp_path: Path) -> None:
    tertiary = f"{SOURCE_ID}--fictional-county-2022-tertiary-industry-value-added-share-of-gross-regional-product"

    def change_share(row: dict[str, str]) -> None:
        if row["id"] == tertiary:
            row["value"] = "57.6"

    root, findings = grown_with(tmp_path, change_share)
    shares = _of(findings, "shares-sum")
    assert len(shares) == 1 and shares[0].table == "indicators", findings
    assert "110" in shares[0].message


def test_points_recorded_as_a_count_of_ge_are_cut_short(tmp_path: Path) -> None:
    def as_count(row: dict[str, str]) -> None:
        if row["unit_as_stated"] == "个百分点":
            row["unit_as_stated"], row["unit"] = "个", "count"

    root, findings = grown_with(tmp_path, as_count)
    points = [r["id"] for r in fixture_rows("indicators", BULLETIN) if r["unit_as_stated"] == "个百分点"]
    cut = _of(findings, "unit-cut-short")
    assert sorted(f.row for f in cut) == sorted(line_of(root, "indicators", p) for p in points), findings
    assert {f.column for f in cut} == {"unit_as_stated"}


def test_a_year_end_stock_dated_over_the_year_is_refused(tmp_path: Path) -> None:
    def over_the_year(row: dict[str, str]) -> None:
        if row["id"] == STOCK:
            row["period_start"] = "2022-01-01"

    root, findings = grown_with(tmp_path, over_the_year)
    spans = _of(findings, "stock-on-a-day")
    assert [(f.table, f.row) for f in spans] == [("indicators", line_of(root, "indicators", STOCK))], findings
