"""checks/coverage.py: every number written in digits in a source text lies inside a quote."""

from __future__ import annotations

from test_checks_support import SOURCE_ID, SOURCE_PATH, TEXT, clean_rows, make_frames, where

from jiutai_data.validate.checks.coverage import check_numbers_are_covered_by_quotes


def omission(quote: str, id_: str) -> dict:
    return {"id": id_, "source_id": SOURCE_ID, "kind": "label", "quote": quote, "reason": "Test."}


def test_a_clean_package_has_every_number_covered() -> None:
    assert check_numbers_are_covered_by_quotes(make_frames()) == []


def test_an_uncovered_number_is_reported_on_the_source_with_line_character_and_context() -> None:
    text = TEXT + "全年新增就业3836人，持续向好。\n"
    findings = check_numbers_are_covered_by_quotes(make_frames(texts={SOURCE_ID: text}))
    assert where(findings) == [("sources", 2, "path", "number-covered")]
    (finding,) = findings
    # the row is a row of data/sources.csv; the text file and its line are in the message
    assert finding.value == "3836" and finding.path == "data/sources.csv"
    assert finding.message.startswith(
        f"the number 3836 on line 6, character 7 of {SOURCE_PATH} (source {SOURCE_ID}) is in no quote: "
        "“全年新增就业3836人，持续向好。”; expected every number written in digits, and every Chinese numeral "
        "followed by a measure word or unit, to lie inside the quote of a row of ")


def test_numbers_of_a_date_line_without_its_omission_are_each_reported() -> None:
    rows = clean_rows()
    rows["omissions"] = []
    findings = check_numbers_are_covered_by_quotes(make_frames(rows))
    assert [f.value for f in findings] == ["2022", "12", "12", "17", "02"]
    assert all(f.table == "sources" and f.row == 2 for f in findings)
    assert "on line 1, character 12" in findings[3].message


def test_a_number_cut_by_a_quote_is_not_covered() -> None:
    rows = clean_rows()
    rows["omissions"].append(omission("年产值达22", "cut"))  # the text has 220
    findings = check_numbers_are_covered_by_quotes(make_frames(rows, texts={SOURCE_ID: TEXT + "年产值达220亿元。\n"}))
    assert [(f.check, f.value) for f in findings] == [("number-covered", "220")]


def test_a_number_split_between_two_quotes_is_not_covered() -> None:
    rows = clean_rows()
    rows["omissions"] += [omission("年产值达22", "left"), omission("20亿元", "right")]
    findings = check_numbers_are_covered_by_quotes(make_frames(rows, texts={SOURCE_ID: TEXT + "年产值达220亿元。\n"}))
    assert [f.value for f in findings] == ["220"]


def test_every_occurrence_of_a_quote_covers_its_numbers() -> None:
    text = TEXT + "另据统计，同比增长5.2%。\n"  # the yoy quote occurs twice
    assert check_numbers_are_covered_by_quotes(make_frames(texts={SOURCE_ID: text})) == []


def test_full_width_digits_must_be_covered_too() -> None:
    findings = check_numbers_are_covered_by_quotes(make_frames(texts={SOURCE_ID: TEXT + "增长１２%。\n"}))
    assert [(f.row, f.value) for f in findings] == [(2, "１２")]


def test_coverage_skips_sources_without_a_text_and_packages_without_sources() -> None:
    assert check_numbers_are_covered_by_quotes(make_frames(texts={})) == []
    rows = clean_rows()
    del rows["sources"]
    assert check_numbers_are_covered_by_quotes(make_frames(rows)) == []


def test_coverage_is_decided_per_source_when_sources_interleave() -> None:
    other_id = "other-daily-2023-01-05"
    other_text = "全程网办率达到92%。新增就业3836人。\n"  # the first sentence is quoted by a row of the test source
    rows = clean_rows()
    rows["sources"].append({**rows["sources"][0], "id": other_id, "path": f"data/sources/{other_id}.txt"})
    rows["indicators"].insert(1, {**rows["indicators"][2], "id": "online-rate-other", "source_id": other_id,
                                  "quote": "新增就业3836人"})
    findings = check_numbers_are_covered_by_quotes(make_frames(rows, texts={other_id: other_text, SOURCE_ID: TEXT}))
    assert [(f.table, f.row, f.value) for f in findings] == [("sources", 3, "92")]
    assert f"of data/sources/{other_id}.txt (source {other_id})" in findings[0].message


def test_a_quantity_in_chinese_numerals_without_a_quote_is_reported() -> None:
    text = TEXT + "新建农村公路三百公里。\n"
    findings = check_numbers_are_covered_by_quotes(make_frames(texts={SOURCE_ID: text}))
    assert [(f.value, f.check) for f in findings] == [("三百", "number-covered")]
    assert "the number 三百 on line 6, character 7" in findings[0].message


def test_deleting_the_row_of_a_chinese_numeral_is_caught() -> None:
    rows = clean_rows()
    rows["indicators"] = [row for row in rows["indicators"] if row["value_as_stated"] != "两"]
    findings = check_numbers_are_covered_by_quotes(make_frames(rows))
    assert [f.value for f in findings] == ["两"]


def test_a_unit_of_the_units_table_makes_a_numeral_a_quantity() -> None:
    text = TEXT + "粮食产量达到五亿斤。\n"  # 亿斤 is a unit of the package, not a measure word
    assert [f.value for f in check_numbers_are_covered_by_quotes(make_frames(texts={SOURCE_ID: text}))] == ["五"]
