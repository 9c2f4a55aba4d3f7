"""checks/units.py: units known, values converted, quantities complete, ranges."""

from __future__ import annotations

from test_checks_support import SCHEMAS, clean_rows, make_frames, where

from jiutai_data.validate.checks.units import (
    STATED_QUANTITIES,
    check_stated_quantities_are_complete,
    check_units_are_known,
    check_value_ranges,
    check_values_match_their_units,
)
from jiutai_data.model.schema import foreign_keys

ALL_UNIT_CHECKS = (check_units_are_known, check_values_match_their_units,
                   check_stated_quantities_are_complete, check_value_ranges)


def indicator(rows: dict, row_id: str) -> dict:
    return next(r for r in rows["indicators"] if r["id"] == row_id)


def test_stated_quantities_name_every_column_with_a_foreign_key_to_units() -> None:
    # a stated unit stands beside stated numbers; a table without any (the catalogue) declares a unit, not a quantity
    referencing = {(table, key.fields[0]) for table, schema in SCHEMAS.items() for key in foreign_keys(schema)
                   if key.resource == "units" and key.reference_fields == ["unit_as_stated"]
                   and any(f["name"].endswith("_as_stated") for f in schema["fields"])}
    assert {(q.table, q.unit_as_stated) for q in STATED_QUANTITIES} == referencing
    for quantity in STATED_QUANTITIES:
        names = {f["name"] for f in SCHEMAS[quantity.table]["fields"]}
        assert set(quantity.columns) <= names


def test_a_clean_package_has_no_unit_findings() -> None:
    frames = make_frames()
    assert [f for check in ALL_UNIT_CHECKS for f in check(frames)] == []


def test_an_unknown_unit_is_reported_with_the_units_expected() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["unit_as_stated"] = "万亿元"
    findings = check_units_are_known(make_frames(rows))
    assert where(findings) == [("indicators", 2, "unit_as_stated", "unit-known")]
    assert findings[0].message.startswith("unit_as_stated '万亿元' is not a unit of the units table, "
                                          "expected one of: %, 万元, 个, 亿元, 亿斤")
    assert findings[0].value == "万亿元"


def test_yi_yuan_entered_as_wan_yuan_is_a_value_mismatch_that_names_the_fitting_unit() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["unit_as_stated"] = "万元"  # the quote says 264.6亿元
    findings = check_values_match_their_units(make_frames(rows))
    assert where(findings) == [("indicators", 2, "value", "value-conversion")]
    assert "expected value_as_stated × factor of 万元 = 264.6 × 10000 = 2646000" in findings[0].message
    assert "the value fits 264.6 亿元" in findings[0].message
    assert "10000 times too large" in findings[0].message


def test_the_fitting_units_are_named_in_the_order_of_the_units_table_in_every_run() -> None:
    rows = clean_rows()
    rows["units"].insert(1, {"unit_as_stated": "亿", "unit": "CNY", "factor": 1e8, "name_en": "100 million"})
    indicator(rows, "grp-2022-q1-q3")["unit_as_stated"] = "万元"
    in_table_order = [u["unit_as_stated"] for u in rows["units"] if u["unit_as_stated"] in ("亿元", "亿")]
    expected = f"the value fits 264.6 {' or '.join(in_table_order)}:"
    # the units table was made unique without keeping its order, which named them in either order
    for _ in range(30):
        (finding,) = check_values_match_their_units(make_frames(rows))
        assert expected in finding.message, finding.message


def test_a_value_computed_with_the_wrong_factor_is_reported_as_a_power_of_ten() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["value"] = 2646000  # 264.6 × 万, not × 亿
    findings = check_values_match_their_units(make_frames(rows))
    assert where(findings) == [("indicators", 2, "value", "value-conversion")]
    assert "10000 times too small" in findings[0].message and "the value fits 264.6 万元" in findings[0].message


def test_a_percentage_entered_as_a_fraction_is_told_that_percentages_are_in_points() -> None:
    rows = clean_rows()
    indicator(rows, "online-rate-2022")["value"] = 0.92
    findings = check_values_match_their_units(make_frames(rows))
    assert where(findings) == [("indicators", 4, "value", "value-conversion")]
    assert "percentages are in points" in findings[0].message and "the value is 92, not 0.92" in findings[0].message


def test_a_wrong_base_unit_is_reported_on_the_unit_column() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["unit"] = "kg"
    rows["projects"][0]["investment_unit_as_stated"] = "亿斤"
    findings = check_values_match_their_units(make_frames(rows))
    assert ("indicators", 2, "unit", "unit-base") in where(findings)
    assert ("projects", 2, "investment_unit_as_stated", "unit-base") in where(findings)
    assert "expected a unit that converts to CNY" in next(f.message for f in findings if f.table == "projects" and f.check == "unit-base")


def test_a_chinese_numeral_converts_and_an_ambiguous_one_is_reported() -> None:
    rows = clean_rows()
    assert check_values_match_their_units(make_frames(rows)) == []  # 两个 → 2
    indicator(rows, "model-villages-2022")["value_as_stated"] = "三五"
    findings = check_values_match_their_units(make_frames(rows))
    assert where(findings) == [("indicators", 5, "value_as_stated", "number-readable")]


def test_an_investment_without_its_stated_number_is_incomplete() -> None:
    rows = clean_rows()
    rows["projects"][0]["investment_as_stated"] = None
    findings = check_stated_quantities_are_complete(make_frames(rows))
    assert where(findings) == [("projects", 2, "investment_as_stated", "quantity-complete")]
    assert "expected investment_cny, investment_as_stated, investment_unit_as_stated all given or all empty" \
        in findings[0].message


def test_a_plan_without_any_target_is_complete() -> None:
    rows = clean_rows()
    rows["plans"][0].update(target_value=None, target_unit=None, target_as_stated=None, target_unit_as_stated=None)
    assert check_stated_quantities_are_complete(make_frames(rows)) == []


def test_a_count_of_two_and_a_half_is_not_whole() -> None:
    rows = clean_rows()
    indicator(rows, "model-villages-2022").update(value=2.5, value_as_stated="2.5")
    findings = check_value_ranges(make_frames(rows))
    assert where(findings) == [("indicators", 5, "value", "count-whole")]


def test_a_count_converted_from_ten_thousands_is_whole_despite_float_rounding() -> None:
    rows = clean_rows()
    rows["units"].append({"unit_as_stated": "万个", "unit": "count", "factor": 1e4, "name_en": "10 thousand"})
    indicator(rows, "model-villages-2022").update(value=1.1 * 1e4, value_as_stated="1.1", unit_as_stated="万个")
    assert check_value_ranges(make_frames(rows)) == []


def test_a_negative_level_is_reported() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["value"] = -26460000000
    assert where(check_value_ranges(make_frames(rows))) == [("indicators", 2, "value", "level-nonnegative")]


def test_a_yoy_change_of_minus_100_is_reported_and_minus_99_is_not() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3-yoy")["value"] = -100
    assert where(check_value_ranges(make_frames(rows))) == [("indicators", 3, "value", "yoy-range")]
    indicator(rows, "grp-2022-q1-q3-yoy")["value"] = -99.9
    assert check_value_ranges(make_frames(rows)) == []


def test_a_percent_level_of_120_is_reported() -> None:
    rows = clean_rows()
    indicator(rows, "online-rate-2022").update(value=120, value_as_stated="120")
    findings = check_value_ranges(make_frames(rows))
    assert where(findings) == [("indicators", 4, "value", "percent-range")]
    assert "expected a share or rate of 0 to 100 percent" in findings[0].message


def test_a_yoy_change_not_in_percent_is_reported_on_the_unit() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3-yoy")["unit"] = "CNY"
    assert where(check_value_ranges(make_frames(rows))) == [("indicators", 3, "unit", "yoy-unit")]


def test_unit_checks_skip_missing_tables_columns_and_null_cells() -> None:
    rows = clean_rows()
    del rows["units"]
    frames = make_frames(rows)
    assert [f for check in ALL_UNIT_CHECKS for f in check(frames)] == []
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3").update(value=None, value_as_stated=None, unit_as_stated=None, unit=None)
    frames = make_frames(rows)
    frames.tables["plans"] = frames.tables["plans"].drop("target_unit")
    assert [f for check in ALL_UNIT_CHECKS for f in check(frames)] == []
