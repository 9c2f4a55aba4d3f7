"""A figure of a table keeps its row and its column's header in one quote of several excerpts
(model/excerpts.py): `比上年增长(%) … 建筑业增加值 | 9.8 | -3.5`. validate holds every excerpt to
being verbatim, in order and close together, takes a unit in brackets in the header for the
unit the quote states, and counts the numbers of every excerpt as covered.

Each test writes a small package with a bulletin-shaped table of its own.
"""

from __future__ import annotations

import copy

from conftest import TINY_SOURCE_ID, tiny_rows, write_tiny_package

from jiutai_data.model import codes
from jiutai_data.model.excerpts import SEPARATOR, WINDOW_BYTES, excerpts, unit_in_a_header
from jiutai_data.validate.run import validate_package

HEADER = "指标 | 绝对数(亿元) | 比上年增长(%)"
ROW = "建筑业增加值 | 9.8 | -3.5"
TABLE_TEXT = "九台区前三季度地区生产总值达到264.6亿元，同比增长5.2%。\n主要指标\n" + HEADER + "\n" + ROW + "\n"


def _rows(text: str = TABLE_TEXT, level_quote: str | None = None, change_quote: str | None = None) -> dict:
    rows = copy.deepcopy(tiny_rows(text))
    rows["catalogue"].append({"code": "construction_value_added", "name_zh": "建筑业增加值",
                              "name_en": "Construction value added", "topic": "economy", "unit": "亿元",
                              "kind": "flow", "definition": "Value added of construction."})
    base = {**rows["indicators"][0], "indicator": "construction_value_added"}
    rows["indicators"] += [
        {**base, "id": f"{TINY_SOURCE_ID}--jiutai-2022-q1-q3-construction-value-added", "measure": "level",
         "value": "980000000", "unit": "CNY", "value_as_stated": "9.8", "unit_as_stated": "亿元",
         "quote": level_quote or f"绝对数(亿元){SEPARATOR}{ROW}"},
        {**base, "id": f"{TINY_SOURCE_ID}--jiutai-2022-q1-q3-construction-value-added-yoy", "measure": "yoy_change",
         "value": "-3.5", "unit": "percent", "value_as_stated": "3.5", "unit_as_stated": "%",
         "direction_as_stated": "-", "quote": change_quote or f"比上年增长(%){SEPARATOR}{ROW}"},
    ]
    return rows


def _checks(tmp_path, rows, text: str = TABLE_TEXT) -> list[tuple[str, int | None, str | None]]:
    report = validate_package(write_tiny_package(tmp_path / "package", rows, source_text=text))
    return [(f.check, f.row, f.column) for f in report.findings if f.severity == "error"]


def test_a_table_cell_quoted_with_its_header_validates(tmp_path):
    assert _checks(tmp_path, _rows()) == []


def test_excerpts_out_of_order_are_not_verbatim(tmp_path):
    found = _checks(tmp_path, _rows(change_quote=f"{ROW}{SEPARATOR}比上年增长(%)"))
    assert (codes.QUOTE_VERBATIM, 5, "quote") in found


def test_an_excerpt_the_text_does_not_hold_is_not_verbatim(tmp_path):
    found = _checks(tmp_path, _rows(change_quote=f"比上年下降(%){SEPARATOR}{ROW}"))
    assert (codes.QUOTE_VERBATIM, 5, "quote") in found


def test_a_header_far_from_its_row_is_not_its_header(tmp_path):
    filler = "。".join(["本段文字用于拉开距离"] * (WINDOW_BYTES // 20)) + "。\n"
    text = "九台区前三季度地区生产总值达到264.6亿元，同比增长5.2%。\n" + HEADER + "\n" + filler + ROW + "\n"
    found = _checks(tmp_path, _rows(text=text), text=text)
    assert (codes.QUOTE_VERBATIM, 5, "quote") in found


def test_a_unit_neither_after_the_number_nor_in_a_header_is_refused(tmp_path):
    found = _checks(tmp_path, _rows(change_quote=f"指标{SEPARATOR}{ROW}"))
    assert (codes.UNIT_IN_QUOTE, 5, "unit_as_stated") in found


def test_a_cell_of_the_table_with_no_row_is_uncovered(tmp_path):
    rows = _rows()
    del rows["indicators"][2]  # the level 9.8: its cell is now in no quote but the change's row excerpt
    rows["indicators"][2]["quote"] = f"比上年增长(%){SEPARATOR}-3.5"
    found = _checks(tmp_path, rows)
    assert [check for check, *_ in found] == [codes.NUMBER_COVERED]


def test_excerpts_split_and_a_header_unit_is_read_from_brackets():
    quote = f"比上年增长（%）{SEPARATOR}{ROW}"
    assert excerpts(quote) == ["比上年增长（%）", ROW]
    assert unit_in_a_header(quote, "%") and not unit_in_a_header(quote, "亿元")
    assert not unit_in_a_header(f"{ROW}{SEPARATOR}比上年增长(%)"[::-1], "%")
