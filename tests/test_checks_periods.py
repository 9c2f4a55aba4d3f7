"""checks/periods.py: periods run forwards; status fits the publication date."""

from __future__ import annotations

from test_checks_support import clean_rows, make_frames, where

from jiutai_data.validate.checks.periods import check_periods_are_ordered, check_status_agrees_with_publication


def indicator(rows: dict, row_id: str) -> dict:
    return next(r for r in rows["indicators"] if r["id"] == row_id)


def test_a_clean_package_has_no_period_findings() -> None:
    frames = make_frames()
    assert check_periods_are_ordered(frames) == []
    assert check_status_agrees_with_publication(frames) == []


def test_a_period_that_starts_after_it_ends_is_reported() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["period_start"] = "2022-10-01"
    rows["plans"][0]["horizon_start"] = "2026-01-01"
    findings = check_periods_are_ordered(make_frames(rows))
    assert where(findings) == [("indicators", 2, "period_start", "period-order"),
                               ("plans", 2, "horizon_start", "period-order")]
    assert findings[0].message == ("period_start 2022-10-01 is after period_end 2022-09-30, "
                                   "expected period_start ≤ period_end")


def test_an_actual_figure_ending_after_publication_is_reported() -> None:
    rows = clean_rows()
    indicator(rows, "online-rate-2022")["period_end"] = "2022-12-31"  # published 2022-12-12
    findings = check_status_agrees_with_publication(make_frames(rows))
    assert where(findings) == [("indicators", 4, "period_end", "actual-after-publication")]
    assert "on 2022-12-12" in findings[0].message


def test_the_publication_date_is_the_local_date_in_china() -> None:
    rows = clean_rows()
    # 2022-12-12T01:00+08:00 is still 2022-12-11 in UTC: a period ending on the 12th is not late
    rows["sources"][0]["published"] = "2022-12-12T01:00:00+08:00"
    indicator(rows, "online-rate-2022")["period_end"] = "2022-12-12"
    assert check_status_agrees_with_publication(make_frames(rows)) == []
    indicator(rows, "online-rate-2022")["period_end"] = "2022-12-13"
    assert where(check_status_agrees_with_publication(make_frames(rows))) == [
        ("indicators", 4, "period_end", "actual-after-publication")]


def test_a_target_horizon_ending_before_publication_is_reported() -> None:
    rows = clean_rows()
    rows["plans"][0].update(horizon_start="2021-01-01", horizon_end="2021-12-31")
    indicator(rows, "model-villages-2022").update(status="target", period_end="2022-06-30")
    findings = check_status_agrees_with_publication(make_frames(rows))
    assert where(findings) == [("indicators", 5, "period_end", "target-before-publication"),
                               ("plans", 2, "horizon_end", "planned-before-publication")]
    assert "status is planned but horizon_end 2021-12-31 is before the publication" in findings[1].message


def test_a_plan_done_or_under_way_that_begins_after_publication_is_reported() -> None:
    rows = clean_rows()
    rows["plans"][0].update(status="done", horizon_start="2023-01-01", horizon_end="2023-12-31")
    rows["plans"].append({**rows["plans"][0], "id": "grain-2022", "status": "under_way",
                          "horizon_start": "2022-01-01", "horizon_end": "2022-12-31"})  # begun: fine
    findings = check_status_agrees_with_publication(make_frames(rows))
    assert where(findings) == [("plans", 2, "horizon_start", "started-after-publication")]
    assert "status is done but horizon_start 2023-01-01 is after the publication" in findings[0].message


def test_plans_done_in_the_past_and_open_periods_are_not_checked_against_publication() -> None:
    rows = clean_rows()
    rows["plans"][0].update(status="done", horizon_end="2021-12-31", horizon_start="2021-01-01")
    indicator(rows, "grp-2022-q1-q3").update(period_start=None, period_end=None)
    frames = make_frames(rows)
    assert check_status_agrees_with_publication(frames) == []
    assert check_periods_are_ordered(frames) == []


def test_period_checks_skip_missing_sources_and_columns() -> None:
    rows = clean_rows()
    del rows["sources"]
    indicator(rows, "online-rate-2022")["period_end"] = "2023-12-31"
    frames = make_frames(rows)
    frames.tables["plans"] = frames.tables["plans"].drop("horizon_end")
    assert check_status_agrees_with_publication(frames) == []
    assert check_periods_are_ordered(frames) == []


def test_a_late_actual_and_a_past_target_in_one_table_are_both_reported() -> None:
    rows = clean_rows()
    indicator(rows, "online-rate-2022")["period_end"] = "2022-12-31"  # actual, after publication on 2022-12-12
    indicator(rows, "model-villages-2022").update(status="target", period_end="2022-06-30")  # target, before it
    findings = check_status_agrees_with_publication(make_frames(rows))
    assert where(findings) == [("indicators", 4, "period_end", "actual-after-publication"),
                               ("indicators", 5, "period_end", "target-before-publication")]
