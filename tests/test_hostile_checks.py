"""The limits and checks against hostile input, on their own: what they refuse, and what they
must still accept (the corpus in tests/corpus/ shows each refusal on the whole package)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from jiutai_data.model.bounded_json import MAX_JSON_NESTING, NestingTooDeep, loads_bounded, nesting_depth
from jiutai_data.model.files import name_problem
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.fields import is_web_url
from jiutai_data.validate.checks.consistency import check_one_figure_is_one_fact
from jiutai_data.validate.checks.hygiene import INVISIBLE_RANGES, check_table_hygiene
from jiutai_data.validate.checks.keys import check_foreign_key_targets, check_hierarchies_have_no_cycles


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = json.dumps({"note": "[" * 500 + "{" * 500, "escaped": "\\\"[[[", "list": [[1], [2]]})
    assert nesting_depth(text) == 3  # the object, the list, the lists in it
    assert loads_bounded(text, "x.json")["list"] == [[1], [2]]


def test_nesting_up_to_the_limit_is_parsed_and_one_more_is_refused() -> None:
    assert loads_bounded("[" * MAX_JSON_NESTING + "]" * MAX_JSON_NESTING, "x.json")
    with pytest.raises(NestingTooDeep, match="x.json nests arrays or objects more than"):
        loads_bounded("[" * (MAX_JSON_NESTING + 1) + "]" * (MAX_JSON_NESTING + 1), "x.json")


@pytest.mark.parametrize("name", ["indicators", "jiutai-data", "units-parquet", "a.b_c-1"])
def test_plain_names_are_names(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["../../pwned", "a/b", "Indicators", "a..b", "", "x\u202e", 3, None])
def test_anything_else_is_not_a_name(name) -> None:
    assert name_problem(name) is not None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                                 "vbscript:x", "https://", "https:// x", " https://example.org", "//example.org"])
def test_only_web_addresses_are_web_urls(url: str) -> None:
    assert not is_web_url(url)


def test_every_invisible_range_is_an_error_naming_its_code_point() -> None:
    points = sorted({low for low, _ in INVISIBLE_RANGES} | {high for _, high in INVISIBLE_RANGES})
    frame = pl.DataFrame({ROW_COLUMN: list(range(2, 2 + len(points))),
                          "name": [f"九台{chr(point)}区" for point in points]})
    findings = [f for f in check_table_hygiene("regions", frame, ["name"]) if f.check == "invisible-character"]
    assert [(f.row, f.column) for f in findings] == [(row, "name") for row in frame[ROW_COLUMN]]
    assert all(f"U+{point:04X}" in f.message for f, point in zip(findings, points))
    clean = pl.DataFrame({ROW_COLUMN: [2], "name": ["九台区 Jiutai ‘District’ — 100%"]})
    assert check_table_hygiene("regions", clean, ["name"]) == []


def _frames(tables: dict[str, pl.DataFrame], schemas: dict[str, dict]) -> PackageFrames:
    descriptor = {"resources": [{"name": name, "path": f"data/{name}.csv"} for name in tables]}
    frames = PackageFrames(root=".", descriptor=descriptor)
    frames.tables.update(tables)
    frames.schemas.update(schemas)
    return frames


def test_a_foreign_key_into_a_composite_primary_key_or_a_unique_field_is_accepted() -> None:
    parent = {"fields": [{"name": "a"}, {"name": "b"}, {"name": "c", "constraints": {"unique": True}}],
              "primaryKey": ["a", "b"]}
    child = {"fields": [{"name": "x"}, {"name": "y"}],
             "foreignKeys": [{"fields": ["x", "y"], "reference": {"resource": "parent", "fields": ["b", "a"]}},
                             {"fields": "x", "reference": {"resource": "parent", "fields": "c"}}]}
    assert check_foreign_key_targets(_frames({}, {"parent": parent, "child": child})) == []
    child["foreignKeys"].append({"fields": "y", "reference": {"resource": "parent", "fields": "a"}})
    found = check_foreign_key_targets(_frames({}, {"parent": parent, "child": child}))
    assert [(f.table, f.column, f.check) for f in found] == [("child", "y", "foreign-key-target")]


def test_a_cycle_of_three_is_reported_once_and_a_chain_to_the_top_is_not() -> None:
    schema = {"fields": [{"name": "id"}, {"name": "parent_id"}], "primaryKey": "id",
              "foreignKeys": [{"fields": "parent_id", "reference": {"resource": "regions", "fields": "id"}}]}
    regions = pl.DataFrame({ROW_COLUMN: [2, 3, 4, 5, 6, 7],
                            "id": ["top", "mid", "low", "a", "b", "c"],
                            "parent_id": [None, "top", "mid", "b", "c", "a"]})
    found = check_hierarchies_have_no_cycles(_frames({"regions": regions}, {"regions": schema}))
    assert [(f.row, f.check) for f in found] == [(5, "hierarchy-cycle")]
    assert "'a' -> 'b' -> 'c' -> 'a'" in found[0].message


def test_one_quote_may_hold_a_level_and_its_change_but_not_one_figure_for_two_periods() -> None:
    common = {"source_id": "s", "quote": "完成264.6亿元,增长5.2%", "indicator": "grp", "region_id": "jiutai"}
    rows = [{**common, "measure": "level", "value_as_stated": "264.6", "period_start": "2022-01-01"},
            {**common, "measure": "yoy_change", "value_as_stated": "5.2", "period_start": "2022-01-01"},
            {**common, "measure": "level", "value_as_stated": "264.6", "period_start": "2022-01-01"}]
    indicators = pl.DataFrame(rows).with_columns(pl.lit("2022-12-31").alias("period_end")).with_row_index(
        ROW_COLUMN, offset=2).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
    assert check_one_figure_is_one_fact(_frames({"indicators": indicators}, {})) == []  # a repeat is another check's
    moved = indicators.with_columns(pl.when(pl.col(ROW_COLUMN) == 4).then(pl.lit("2021-01-01"))
                                    .otherwise(pl.col("period_start")).alias("period_start"))
    found = check_one_figure_is_one_fact(_frames({"indicators": moved}, {}))
    assert [(f.row, f.column, f.check) for f in found] == [(4, "period_start", "one-figure-two-facts")]
