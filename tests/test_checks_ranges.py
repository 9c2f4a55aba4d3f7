"""checks/ranges.py: a range keeps both bounds, converted with the unit's factor and written in
the quote; a plan's target number goes with its qualifier."""

from __future__ import annotations

import hashlib

from conftest import TINY_SOURCE_ID, tiny_id, tiny_rows, write_tiny_package

from jiutai_data.validate.run import validate_package

TEXT = "九台区前三季度地区生产总值达到264.6亿元，同比增长5.2%。力争明年新增企业10至15户。\n"


def package_rows() -> dict:
    """The tiny package plus a plan with a range target: 10至15户."""
    rows = tiny_rows(TEXT)
    rows["units"].append({"unit_as_stated": "户", "unit": "count", "factor": "1", "name_en": "units"})
    rows["plans"].append({
        "id": tiny_id("new-enterprises-2023"), "source_id": TINY_SOURCE_ID, "region_id": "jiutai",
        "name_zh": "新增企业", "name_en": "New enterprises", "kind": "target", "topic": "economy", "status": "planned",
        "horizon_start": "2023-01-01", "horizon_end": "2023-12-31", "target_value": "10", "target_unit": "count",
        "target_as_stated": "10", "target_unit_as_stated": "户", "qualifier": "range", "target_value_high": "15",
        "target_high_as_stated": "15", "quote": "力争明年新增企业10至15户"})
    return rows


def checks_of(report, prefix: str) -> list[tuple]:
    return [(f.table, f.row, f.column, f.check) for f in report.findings
            if f.check.startswith(prefix) or f.check == "qualifier-given"]


def test_a_range_with_both_bounds_is_valid(tmp_path) -> None:
    report = validate_package(write_tiny_package(tmp_path / "tiny", package_rows(), TEXT))
    assert [f.to_dict() for f in report.errors] == []


def test_an_upper_bound_converted_wrongly_out_of_order_or_not_quoted_is_refused(tmp_path) -> None:
    rows = package_rows()
    rows["plans"][0]["target_value_high"] = "150"
    report = validate_package(write_tiny_package(tmp_path / "a", rows, TEXT))
    assert checks_of(report, "range") == [("plans", 2, "target_value_high", "range-conversion")]
    assert "expected target_high_as_stated × factor of 户 = 15 × 1 = 15" in report.errors[0].message

    rows = package_rows()
    rows["plans"][0].update(target_value_high="5", target_high_as_stated="5")
    report = validate_package(write_tiny_package(tmp_path / "b", rows, TEXT))
    assert ("plans", 2, "target_value_high", "range-order") in checks_of(report, "range")
    assert ("plans", 2, "target_high_as_stated", "range-in-quote") in checks_of(report, "range")


def test_a_range_missing_a_bound_or_its_qualifier_is_refused(tmp_path) -> None:
    rows = package_rows()
    rows["plans"][0].update(target_value_high=None)
    report = validate_package(write_tiny_package(tmp_path / "a", rows, TEXT))
    assert checks_of(report, "range") == [("plans", 2, "target_high_as_stated", "range-complete")]

    rows = package_rows()
    rows["plans"][0]["qualifier"] = "exact"
    report = validate_package(write_tiny_package(tmp_path / "b", rows, TEXT))
    assert checks_of(report, "range") == [("plans", 2, "qualifier", "range-complete")]

    rows = package_rows()
    rows["plans"][0].update(target_value_high=None, target_high_as_stated=None)  # qualifier still says range
    report = validate_package(write_tiny_package(tmp_path / "c", rows, TEXT))
    assert checks_of(report, "range") == [("plans", 2, "target_high_as_stated", "range-complete")]


def test_an_indicator_range_is_checked_the_same_way(tmp_path) -> None:
    rows = package_rows()
    level = rows["indicators"][0]
    level.update(qualifier="range", value_high="26460000000", value_high_as_stated="264.6")
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows, TEXT))
    assert checks_of(report, "range") == [("indicators", 2, "value_high", "range-order")]


def test_a_plan_target_without_a_qualifier_or_a_qualifier_without_a_target_is_refused(tmp_path) -> None:
    rows = package_rows()
    rows["plans"][0].update(qualifier=None, target_value_high=None, target_high_as_stated=None)
    rows["plans"].append({**rows["plans"][0], "id": tiny_id("enterprises-programme"), "kind": "programme",
                          "target_value": None, "target_unit": None, "target_as_stated": None,
                          "target_unit_as_stated": None, "qualifier": "approximately"})
    report = validate_package(write_tiny_package(tmp_path / "tiny", rows, TEXT))
    assert checks_of(report, "qualifier-given") == [("plans", 2, "qualifier", "qualifier-given"),
                                                    ("plans", 3, "qualifier", "qualifier-given")]
