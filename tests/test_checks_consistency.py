"""checks/consistency.py: revisions across sources and yoy changes against levels, as warnings."""

from __future__ import annotations

import hashlib

from test_checks_support import SOURCE_ID, TEXT, clean_rows, make_frames, where

from jiutai_data.validate.checks.consistency import check_revisions_across_sources, check_yoy_changes_agree_with_levels

LATER_ID = "later-daily-2023-01-05"
LATER_TEXT = "九台区2022年前三季度地区生产总值达到270亿元。\n"


def indicator(rows: dict, row_id: str) -> dict:
    return next(r for r in rows["indicators"] if r["id"] == row_id)


def with_later_source(rows: dict, value_as_stated: str) -> dict:
    rows["sources"].append({**rows["sources"][0], "id": LATER_ID, "published": "2023-01-05T09:00:00+08:00",
                            "path": f"data/sources/{LATER_ID}.txt",
                            "sha256": hashlib.sha256(LATER_TEXT.encode()).hexdigest()})
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3"), "id": "grp-2022-q1-q3-revised",
                               "source_id": LATER_ID, "value_as_stated": value_as_stated,
                               "value": float(value_as_stated) * 1e8, "quote": "前三季度地区生产总值达到270亿元"})
    return rows


def test_a_later_source_with_a_different_value_gives_a_revision_warning_naming_both() -> None:
    rows = with_later_source(clean_rows(), "270")
    findings = check_revisions_across_sources(make_frames(rows, texts={SOURCE_ID: TEXT, LATER_ID: LATER_TEXT}))
    assert where(findings) == [("indicators", 6, "value", "revision")]
    (warning,) = findings
    assert warning.severity == "warning" and warning.value == 27000000000
    assert (f"source {LATER_ID} (row 6) gives 27000000000 CNY where source {SOURCE_ID} (row 2) gives "
            "26460000000 CNY for gross_regional_product, jiutai, level, 2022-01-01 to 2022-09-30") in warning.message


def test_the_revision_is_reported_on_the_later_source_whatever_the_row_order() -> None:
    rows = with_later_source(clean_rows(), "270")
    rows["indicators"].insert(0, rows["indicators"].pop())  # the later source's row comes first in the file
    findings = check_revisions_across_sources(make_frames(rows))
    assert where(findings) == [("indicators", 2, "value", "revision")]
    assert f"where source {SOURCE_ID} (row 3)" in findings[0].message


def test_two_sources_with_the_same_value_give_no_warning() -> None:
    rows = with_later_source(clean_rows(), "264.6")
    assert check_revisions_across_sources(make_frames(rows)) == []


def add_level_a_year_earlier(rows: dict, value: float, qualifier: str = "exact") -> dict:
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3"), "id": "grp-2021-q1-q3", "value": value,
                               "period_start": "2021-01-01", "period_end": "2021-09-30", "qualifier": qualifier})
    return rows


def test_a_yoy_change_contradicting_two_levels_gives_a_warning() -> None:
    rows = add_level_a_year_earlier(clean_rows(), 25000000000)  # 26460 / 25000 − 1 = 5.84 %, stated 5.2 %
    findings = check_yoy_changes_agree_with_levels(make_frames(rows))
    assert where(findings) == [("indicators", 3, "value", "yoy-levels")]
    (warning,) = findings
    assert warning.severity == "warning"
    assert warning.message.startswith("yoy_change is 5.2 but the levels imply 5.84: 26460000000 for "
                                      "2022-01-01 to 2022-09-30")
    assert "against 25000000000 a year earlier, 2021-01-01 to 2021-09-30" in warning.message
    assert "(source test-daily-2022-12-12, row 6)" in warning.message


def test_a_yoy_change_consistent_with_two_levels_gives_no_warning() -> None:
    rows = add_level_a_year_earlier(clean_rows(), 25150000000)  # 5.21 %
    assert check_yoy_changes_agree_with_levels(make_frames(rows)) == []


def test_a_level_stated_as_a_bound_is_not_used_for_growth() -> None:
    rows = add_level_a_year_earlier(clean_rows(), 25000000000, qualifier="more_than")
    assert check_yoy_changes_agree_with_levels(make_frames(rows)) == []


def test_a_period_ending_on_29_february_is_compared_with_28_february_a_year_earlier() -> None:
    rows = clean_rows()
    for row_id in ("grp-2022-q1-q3", "grp-2022-q1-q3-yoy"):
        indicator(rows, row_id).update(period_start="2024-01-01", period_end="2024-02-29")
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3"), "id": "grp-2023-jan-feb", "value": 20000000000,
                               "period_start": "2023-01-01", "period_end": "2023-02-28"})
    assert where(check_yoy_changes_agree_with_levels(make_frames(rows))) == [("indicators", 3, "value", "yoy-levels")]


def test_consistency_checks_skip_missing_columns_and_tables() -> None:
    rows = add_level_a_year_earlier(with_later_source(clean_rows(), "270"), 25000000000)
    del rows["sources"]
    frames = make_frames(rows)
    assert where(check_revisions_across_sources(frames)) == [("indicators", 6, "value", "revision")]
    frames.tables["indicators"] = frames.tables["indicators"].drop("period_end")
    assert check_revisions_across_sources(frames) == []
    assert check_yoy_changes_agree_with_levels(frames) == []
