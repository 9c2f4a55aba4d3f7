"""Hostile pull requests, round 3: unbounded work and numerals of any length.

- acknowledgements are matched with hash lookups: 24,000 acknowledgements of rows that do not
  exist took +13 s when each scanned the table's IDs;
- a Chinese numeral of any length is read exactly or refused as unreadable (number-readable),
  never an OverflowError that stops its check (and the check goes on with the other rows);
  the corpus case 33-chinese-numeral-of-any-length shows it on the whole package.
"""

from __future__ import annotations

import time

import polars as pl
import pytest

from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.numbers import parse_chinese_numeral, parse_number, parse_numbers
from jiutai_data.validate.acknowledgements import apply_acknowledgements


def _frames_with_acknowledgements(rows: int) -> PackageFrames:
    """``rows`` rows, and as many acknowledgements, each of a row that is not there."""
    frames = PackageFrames(root=".", descriptor={"resources": [
        {"name": "indicators", "path": "data/indicators.csv"},
        {"name": "acknowledgements", "path": "data/acknowledgements.csv"}]})
    frames.tables["indicators"] = pl.DataFrame({ROW_COLUMN: range(2, rows + 2), "id": [f"row-{i}" for i in range(rows)]})
    frames.schemas["indicators"] = {"primaryKey": "id"}
    frames.tables["acknowledgements"] = pl.DataFrame({
        ROW_COLUMN: range(2, rows + 2), "finding_code": ["yoy-levels"] * rows, "table_name": ["indicators"] * rows,
        "row_id": [f"gone-{i}" for i in range(rows)], "reason": ["checked"] * rows, "reviewed_by": ["a reviewer"] * rows,
        "reviewed_on": ["2024-02-02"] * rows})
    return frames


def _seconds(rows: int) -> float:
    frames = _frames_with_acknowledgements(rows)
    started = time.perf_counter()
    found = apply_acknowledgements([], frames)
    elapsed = time.perf_counter() - started
    assert len(found) == rows and "the table indicators has no row gone-0" in found[0].message
    return elapsed


@pytest.mark.sweep
def test_acknowledgements_of_missing_rows_are_matched_in_linear_time() -> None:
    # measured: 1.0 s at 8k and 9.7 s at 24k with the scan of the IDs; 0.07 s and 0.17 s with a set.
    # A ratio against a baseline of the same run, in make bench (marker sweep): no wall-clock limit.
    small, large = _seconds(2_000), _seconds(24_000)
    assert large < 12 * small + 0.5, (small, large)  # 12 times the rows, not 144 times the time


def test_acknowledgements_of_missing_rows_are_each_reported() -> None:
    _seconds(500)  # (its assertions: every acknowledgement of a missing row is reported, naming the row)


# --------------------------------------------------------------------------- numerals of any length


@pytest.mark.parametrize("numeral", ["一" * 400, "一" * 5_000, "九" * 309, "一亿" + "亿" * 50, "亿" * 10_000],
                         ids=["400-yi", "5000-yi", "309-jiu", "yi-then-50-yi-units", "10000-yi-units"])
def test_a_numeral_no_float_holds_is_unreadable_not_an_error(numeral: str) -> None:
    assert parse_chinese_numeral(numeral) is None
    assert parse_number(numeral) is None


def test_long_numerals_that_a_float_holds_are_read_from_the_exact_integer() -> None:
    assert parse_chinese_numeral("九" * 308) == float(int("9" * 308))
    assert parse_chinese_numeral("一亿亿") == 1e16
    assert parse_chinese_numeral("三亿五千万") == 350_000_000
    assert parse_chinese_numeral("二〇二二") == 2022


def test_one_unreadable_numeral_leaves_the_other_cells_of_its_column_read() -> None:
    parsed = parse_numbers(pl.Series("value_as_stated", ["一" * 400, "三百五", "264.6", None, "三五"]))
    assert parsed.to_list() == [None, 350.0, 264.6, None, None]


def test_the_unit_check_reports_the_numeral_and_still_finds_a_value_falsified_in_another_row() -> None:
    from jiutai_data.model import codes
    from jiutai_data.validate.checks.units import check_values_match_their_units
    from jiutai_data.validate.run import check_package
    from conftest import write_tiny_package, tiny_rows

    import tempfile
    from pathlib import Path

    rows = tiny_rows()
    level = rows["indicators"][0]
    rows["indicators"] += [{**level, "id": level["id"] + "-ones", "value_as_stated": "一" * 400},
                           {**level, "id": level["id"] + "-times-ten", "value": "264600000000"}]
    with tempfile.TemporaryDirectory() as folder:
        checked = check_package(write_tiny_package(Path(folder) / "p", rows))
        found = check_values_match_their_units(checked.frames)
    assert [(f.row, f.check) for f in found] == [(4, codes.NUMBER_READABLE), (5, codes.VALUE_CONVERSION)]


def test_draft_reads_past_a_numeral_no_float_holds(tmp_path) -> None:
    from conftest import copy_package
    from jiutai_data.tools.add_source import add_source
    from jiutai_data.tools.draft import draft_source

    root = copy_package(tmp_path / "package")
    text = tmp_path / "new.txt"
    text.write_text("【虚构示例】2023年,全区新增" + "一" * 400 + "个项目,地区生产总值完成280.5亿元。\n", encoding="utf-8")
    added = add_source(root, text, source_id="2024-01-15-fictional-example", title_zh="虚构示例", title_en="Fictional",
                       publisher_zh="虚构出版社", publisher_en="Fictional Press", published="2024-01-15T09:00:00+08:00")
    assert added.ok, added.describe()
    result = draft_source(root, "2024-01-15-fictional-example")  # was: OverflowError
    assert "280.5" in (result.folder / "indicators.csv").read_text(encoding="utf-8")
