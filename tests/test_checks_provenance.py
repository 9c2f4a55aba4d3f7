"""checks/provenance.py (and the quote lookup it shares with coverage): source files and hashes, verbatim quotes, stated numbers in quotes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from test_checks_support import SOURCE_ID, TEXT, clean_rows, make_frames, where, write_text

from jiutai_data.validate.checks.provenance import (
    check_quotes_are_verbatim,
    check_source_files_match_their_hashes,
    check_stated_numbers_stand_in_their_quotes,
    check_stated_units_follow_their_numbers,
    near_match,
)
from jiutai_data.validate.checks.quote_lookup import quote_occurrences

EXTRA = "生物医药年产值达220亿元，增长２２%，约22个。\n"


def indicator(rows: dict, row_id: str) -> dict:
    return next(r for r in rows["indicators"] if r["id"] == row_id)


def with_biomedicine(rows: dict) -> dict:
    """rows plus an indicator quoting EXTRA (to be used with the text TEXT + EXTRA)."""
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3"), "id": "biomedicine-output",
                               "indicator": "biomedicine_output", "value": 22000000000, "value_as_stated": "220",
                               "quote": "生物医药年产值达220亿元"})
    return rows


def test_a_clean_package_has_no_provenance_findings(tmp_path: Path) -> None:
    write_text(tmp_path)
    frames = make_frames(root=tmp_path)
    assert check_source_files_match_their_hashes(frames) == []
    assert check_quotes_are_verbatim(frames) == []
    assert check_stated_numbers_stand_in_their_quotes(frames) == []


def test_a_changed_source_text_fails_its_sha256(tmp_path: Path) -> None:
    write_text(tmp_path, TEXT.replace("264.6", "265.6"))
    findings = check_source_files_match_their_hashes(make_frames(root=tmp_path))
    assert where(findings) == [("sources", 2, "sha256", "source-sha256")]
    assert findings[0].path == "data/sources.csv"


def test_a_missing_source_file_is_reported_and_its_quotes_are_not(tmp_path: Path) -> None:
    frames = make_frames(root=tmp_path, texts={})  # no file written: the reader found no text
    findings = check_source_files_match_their_hashes(frames)
    assert where(findings) == [("sources", 2, "path", "source-file")]
    assert f"data/sources/{SOURCE_ID}.txt of source {SOURCE_ID} does not exist" in findings[0].message
    assert check_quotes_are_verbatim(frames) == []


def test_a_quote_with_a_one_character_typo_is_refused_with_where_it_differs() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3")["quote"] = "前三季度地区生产总值达倒264.6亿元"  # 到 → 倒
    findings = check_quotes_are_verbatim(make_frames(rows))
    assert where(findings) == [("indicators", 2, "quote", "quote-verbatim")]
    assert findings[0].value == "前三季度地区生产总值达倒264.6亿元"
    assert "the text agrees up to “前三季度地区生产总值达”, then has “到264.6亿元”" in findings[0].message
    assert "where the quote has “倒264.6亿元”" in findings[0].message


def test_a_quote_with_a_half_width_comma_is_refused_and_the_near_match_shown() -> None:
    rows = clean_rows()
    rows["plans"][0]["quote"] = "到2025年,粮食产量达到50亿斤"  # the text has the full-width ，
    findings = check_quotes_are_verbatim(make_frames(rows))
    assert where(findings) == [("plans", 2, "quote", "quote-verbatim")]
    assert "differs only in white space, punctuation or full-width/half-width forms" in findings[0].message
    assert "the text has “到2025年，粮食产量达到50亿斤”" in findings[0].message


def test_a_quote_from_another_text_says_no_part_is_found() -> None:
    assert "no part of it is in the text" in near_match("完全不同的句子", TEXT)


def test_quotes_without_numbers_and_quotes_starting_mid_number_are_found() -> None:
    rows = clean_rows()
    rows["projects"][0]["quote"] = "九台新城项目开工"  # no number: found by the automaton
    rows["omissions"][0]["quote"] = "022-12-12 17:0"  # cuts numbers at both ends, yet verbatim
    frames = make_frames(rows)
    assert check_quotes_are_verbatim(frames) == []
    occurrences, _ = quote_occurrences(frames)
    starts = dict(occurrences.select("quote", "start").iter_rows())
    assert starts["九台新城项目开工"] == TEXT.encode().find("九台新城项目开工".encode())
    assert starts["022-12-12 17:0"] == 1


def test_every_occurrence_of_a_repeated_quote_is_found() -> None:
    text = TEXT + "同比增长5.2%。\n"
    frames = make_frames(texts={SOURCE_ID: text})
    occurrences, _ = quote_occurrences(frames)
    starts = occurrences.filter(pl.col("quote") == "同比增长5.2%").get_column("start").sort().to_list()
    data = text.encode()
    assert starts == [data.find("同比增长5.2%".encode()), data.rfind("同比增长5.2%".encode())]


def test_value_as_stated_22_does_not_stand_in_a_quote_with_220() -> None:
    rows = with_biomedicine(clean_rows())
    indicator(rows, "biomedicine-output").update(value_as_stated="22", value=2200000000)
    findings = check_stated_numbers_stand_in_their_quotes(make_frames(rows, texts={SOURCE_ID: TEXT + EXTRA}))
    assert where(findings) == [("indicators", 6, "value_as_stated", "number-in-quote")]
    assert "it is only part of the number 220 in the quote" in findings[0].message


def test_value_as_stated_220_stands_in_its_quote_and_full_width_digits_are_kept_as_written() -> None:
    rows = with_biomedicine(clean_rows())
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3-yoy"), "id": "biomedicine-yoy",
                               "value": 22, "value_as_stated": "２２", "quote": "增长２２%"})
    frames = make_frames(rows, texts={SOURCE_ID: TEXT + EXTRA})
    assert check_stated_numbers_stand_in_their_quotes(frames) == []
    assert check_quotes_are_verbatim(frames) == []


def test_full_width_digits_retyped_in_ascii_are_told_to_keep_what_the_source_wrote() -> None:
    rows = with_biomedicine(clean_rows())
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3-yoy"), "id": "biomedicine-yoy",
                               "value": 22, "value_as_stated": "22", "quote": "增长２２%"})
    findings = check_stated_numbers_stand_in_their_quotes(make_frames(rows, texts={SOURCE_ID: TEXT + EXTRA}))
    assert where(findings) == [("indicators", 7, "value_as_stated", "number-in-quote")]
    assert "is written ２２ in the quote" in findings[0].message and "full-width digits included" in findings[0].message


def test_a_percentage_stated_as_a_fraction_is_told_that_percentages_are_in_points() -> None:
    rows = clean_rows()
    indicator(rows, "online-rate-2022").update(value=0.92, value_as_stated="0.92")
    findings = check_stated_numbers_stand_in_their_quotes(make_frames(rows))
    assert where(findings) == [("indicators", 4, "value_as_stated", "number-in-quote")]
    assert "percentages are in points, as written (92% is 92, not 0.92)" in findings[0].message


def test_a_chinese_numeral_not_in_the_quote_is_reported() -> None:
    rows = clean_rows()
    indicator(rows, "model-villages-2022").update(value=3, value_as_stated="三")
    rows["plans"][0]["target_as_stated"] = "5"
    findings = check_stated_numbers_stand_in_their_quotes(make_frames(rows))
    assert where(findings) == [("indicators", 5, "value_as_stated", "number-in-quote"),
                               ("plans", 2, "target_as_stated", "number-in-quote")]


def test_provenance_checks_skip_missing_tables_and_columns() -> None:
    rows = clean_rows()
    del rows["sources"], rows["units"]
    frames = make_frames(rows)
    frames.tables["projects"] = frames.tables["projects"].drop("quote")
    assert check_source_files_match_their_hashes(frames) == []
    assert check_quotes_are_verbatim(frames) == []
    assert check_stated_numbers_stand_in_their_quotes(frames) == []


def test_a_quote_whose_stated_number_first_appears_inside_a_longer_one_is_found() -> None:
    text = TEXT + "2022年全区增长22%，好于预期。\n"
    rows = clean_rows()
    rows["indicators"].append({**indicator(rows, "grp-2022-q1-q3-yoy"), "id": "growth-22", "value": 22,
                               "value_as_stated": "22", "quote": "2022年全区增长22%"})
    rows["omissions"].append({"id": "year", "source_id": SOURCE_ID, "kind": "date_time", "quote": "2022年全区",
                              "reason": "A year."})
    frames = make_frames(rows, texts={SOURCE_ID: text})
    assert check_quotes_are_verbatim(frames) == []
    assert check_stated_numbers_stand_in_their_quotes(frames) == []


def test_quotes_in_a_text_full_of_the_same_year_are_found_where_they_are() -> None:
    lines = [f"{town}镇2017年新建口袋公园{n}个，投资{n}0万元。" for town, n in zip("安宝昌德丰福广和华", range(1, 10))]
    text = "\n".join(lines) + "\n"
    rows = clean_rows(text)
    rows["indicators"] = [{**indicator(rows, "model-villages-2022"), "id": f"parks-{n}", "value": n,
                           "value_as_stated": str(n), "quote": line.split("，")[0]}
                          for n, line in zip(range(1, 10), lines)]
    rows["projects"], rows["plans"], rows["omissions"] = [], [], []
    frames = make_frames(rows, texts={SOURCE_ID: text})
    assert check_quotes_are_verbatim(frames) == []
    occurrences, _ = quote_occurrences(frames)
    data = text.encode()
    assert sorted(occurrences.get_column("start").to_list()) == \
        sorted(data.find(line.split("，")[0].encode()) for line in lines)


def test_quotes_are_looked_up_in_their_own_source_only() -> None:
    other_id = "other-daily-2023-01-05"
    rows = clean_rows()
    rows["sources"].append({**rows["sources"][0], "id": other_id, "path": f"data/sources/{other_id}.txt"})
    moved = {**indicator(rows, "online-rate-2022"), "id": "online-rate-other", "source_id": other_id}
    rows["indicators"].append(moved)  # its quote is in TEXT, not in the other source's text
    frames = make_frames(rows, texts={other_id: "全程网办率达到93%。\n", SOURCE_ID: TEXT})
    findings = check_quotes_are_verbatim(frames)
    assert where(findings) == [("indicators", 6, "quote", "quote-verbatim")]
    assert f"not in the text of source {other_id}" in findings[0].message
    assert "the text agrees up to “全程网办率达到9”, then has “3%。" in findings[0].message


# --- unit-in-quote: the stated unit follows the stated number ------------------------------

def stated_rows(*cases: tuple[str, str, str]) -> dict:
    """Clean rows whose indicators are one per (value_as_stated, unit_as_stated, quote), rows 2, 3, ..."""
    rows = clean_rows()
    base = indicator(rows, "model-villages-2022")
    rows["indicators"] = [{**base, "id": f"case-{n}", "value_as_stated": number, "unit_as_stated": unit, "quote": quote}
                          for n, (number, unit, quote) in enumerate(cases)]
    return rows


def test_yi_yuan_entered_as_wan_yuan_with_a_matching_value_is_refused_on_its_unit() -> None:
    rows = clean_rows()
    # consistent in itself (264.6 × 10000 = 2646000), but not the unit the quote states
    indicator(rows, "grp-2022-q1-q3").update(unit_as_stated="万元", value=2646000)
    findings = check_stated_units_follow_their_numbers(make_frames(rows))
    assert where(findings) == [("indicators", 2, "unit_as_stated", "unit-in-quote")]
    assert findings[0].value == "万元"
    assert "unit_as_stated '万元' does not follow value_as_stated 264.6 in the quote, which has “264.6亿元" \
        in findings[0].message


def test_a_wrong_unit_of_an_investment_or_a_target_is_refused_on_its_own_column() -> None:
    rows = clean_rows()
    rows["projects"][0].update(investment_unit_as_stated="万元", investment_cny=775000)
    rows["plans"][0].update(target_unit_as_stated="万元", target_value=500000)
    findings = check_stated_units_follow_their_numbers(make_frames(rows))
    assert where(findings) == [("projects", 2, "investment_unit_as_stated", "unit-in-quote"),
                               ("plans", 2, "target_unit_as_stated", "unit-in-quote")]


def test_a_qualifier_or_the_measure_word_ge_may_stand_between_number_and_unit() -> None:
    rows = stated_rows(("200", "工作日", "由原来200多个工作日"), ("13", "工作日", "缩减到最短13个工作日"),
                       ("50", "个", "帮助解决问题50余个"), ("10", "万人次", "服务群众10余万人次"),
                       ("三", "个", "建成三个示范村"), ("264.6", "亿元", "完成264.6亿元"), ("２２", "%", "增长２２%"))
    assert check_stated_units_follow_their_numbers(make_frames(rows)) == []


def test_other_words_between_number_and_unit_are_refused() -> None:
    rows = stated_rows(("50", "个", "解决问题50左右个"), ("264.6", "亿元", "完成264.6 亿元"), ("5", "%", "占比%5"))
    findings = check_stated_units_follow_their_numbers(make_frames(rows))
    assert where(findings) == [("indicators", row, "unit_as_stated", "unit-in-quote") for row in (2, 3, 4)]


def test_the_unit_must_follow_the_whole_stated_number_not_the_end_of_a_longer_one() -> None:
    rows = stated_rows(
        ("4.6", "亿元", "完成264.6亿元，增长4.6%"),  # 4.6 stands in the quote (the growth); 亿元 follows 264.6
        ("三", "个", "建成十三个示范村"),  # 三 stands in the quote, but 个 follows 十三
        ("264.6", "亿元", "去年1264.6亿元，今年264.6亿元"))  # a later occurrence counts
    findings = check_stated_units_follow_their_numbers(make_frames(rows))
    assert where(findings) == [("indicators", 2, "unit_as_stated", "unit-in-quote"),
                               ("indicators", 3, "unit_as_stated", "unit-in-quote")]


def test_a_stated_number_absent_from_the_quote_is_left_to_number_in_quote() -> None:
    rows = clean_rows()
    indicator(rows, "grp-2022-q1-q3").update(value_as_stated="265.6", value=26560000000)
    frames = make_frames(rows)
    assert check_stated_units_follow_their_numbers(frames) == []
    assert where(check_stated_numbers_stand_in_their_quotes(frames)) == [
        ("indicators", 2, "value_as_stated", "number-in-quote")]


def test_a_copy_of_the_committed_grp_row_in_wan_yuan_is_refused_by_validate(tmp_path: Path) -> None:
    import csv

    from conftest import copy_package

    from jiutai_data.validate.run import validate_package

    root = copy_package(tmp_path / "package")
    table = root / "data" / "indicators.csv"
    with table.open(encoding="utf-8", newline="") as stream:
        records = list(csv.DictReader(stream))
    # the first level stated in 亿元, entered again in 万元 with a value consistent with 万元
    original = next(r for r in records if r["unit_as_stated"] == "亿元" and r["measure"] == "level")
    copy = {**original, "id": original["id"] + "-in-wan-yuan", "unit_as_stated": "万元",
            "value": repr(float(original["value_as_stated"]) * 10_000)}
    with table.open("a", encoding="utf-8", newline="") as stream:
        csv.DictWriter(stream, fieldnames=list(records[0]), lineterminator="\n").writerow(copy)
    errors = validate_package(root).errors
    row = len(records) + 2  # header, then the committed rows, then the copy
    # (the Parquet twin and the declared bytes and hash are stale too: the build's outputs)
    assert [(f.table, f.row, f.column, f.check) for f in errors if not f.build_output] == [
        ("indicators", row, "unit_as_stated", "unit-in-quote")]
    assert not [f for f in errors if f.check == "value-conversion"]  # the row is consistent in itself


# --- the quote lookup at scale: crowded anchors, batches of sources ------------------------

def test_a_quote_whose_stated_number_stands_everywhere_is_found_by_its_rarest_number() -> None:
    towns = "安宝昌德丰福广和华嘉建金康乐林龙隆明宁平"  # 20 sentences, one growth: more than CROWDED
    lines = [f"{2000 + n}年{town}镇同比增长5.2%。" for n, town in enumerate(towns)]
    text = "\n".join(lines) + "\n"
    rows = clean_rows(text)
    rows["indicators"] = [{**indicator(rows, "grp-2022-q1-q3-yoy"), "id": f"growth-{n}", "quote": line.rstrip("。")}
                          for n, line in enumerate(lines)]
    rows["projects"], rows["plans"], rows["omissions"] = [], [], []
    frames = make_frames(rows, texts={SOURCE_ID: text})
    assert check_quotes_are_verbatim(frames) == []
    occurrences, _ = quote_occurrences(frames)
    data = text.encode()
    assert sorted(occurrences.get_column("start").to_list()) == sorted(data.find(line.encode()) for line in lines)


def test_sources_looked_up_in_separate_batches_give_the_same_findings(monkeypatch) -> None:
    import jiutai_data.validate.checks.quote_lookup as quote_lookup
    from jiutai_data.validate.checks.coverage import check_numbers_are_covered_by_quotes

    other_id = "other-daily-2023-01-05"
    rows = clean_rows()
    rows["sources"].append({**rows["sources"][0], "id": other_id, "path": f"data/sources/{other_id}.txt"})
    rows["indicators"].append({**indicator(rows, "online-rate-2022"), "id": "online-rate-other", "source_id": other_id,
                               "quote": "网办率达到95%"})  # not in the other text, which has 93%
    rows["projects"].append({**rows["projects"][0], "id": "other-project", "source_id": other_id,
                             "investment_cny": None, "investment_as_stated": None, "investment_unit_as_stated": None,
                             "quote": "九台新城项目开工"})  # no number, and only in the first text
    texts = {SOURCE_ID: TEXT, other_id: "全程网办率达到93%。\n"}

    def findings() -> list:
        frames = make_frames(rows, texts=texts)
        return check_quotes_are_verbatim(frames) + check_numbers_are_covered_by_quotes(frames)

    together = findings()
    monkeypatch.setattr(quote_lookup, "BATCH_BYTES", 1)  # one source per batch
    assert findings() == together
    assert [(f.table, f.row, f.check) for f in together] == [
        ("indicators", 6, "quote-verbatim"), ("projects", 3, "quote-verbatim"), ("sources", 3, "number-covered")]


def test_rows_repeating_one_quote_are_each_reported_when_it_is_not_verbatim() -> None:
    rows = clean_rows()
    for row_id in ("grp-2022-q1-q3", "grp-2022-q1-q3-yoy"):  # adjacent rows, one sentence
        indicator(rows, row_id)["quote"] = "地区生产总值达到264.6亿元，同比增长5.3%"  # the text has 5.2%
    rows["indicators"].append({**indicator(rows, "online-rate-2022"), "id": "online-rate-again"})
    frames = make_frames(rows)
    assert where(check_quotes_are_verbatim(frames)) == [("indicators", 2, "quote", "quote-verbatim"),
                                                        ("indicators", 3, "quote", "quote-verbatim")]
    occurrences, _ = quote_occurrences(frames)
    assert occurrences.filter(pl.col("quote") == "全程网办率达到92%").height == 1  # found once, for both rows


def test_a_source_text_the_reader_hashed_is_judged_by_that_hash_not_read_again(tmp_path: Path) -> None:
    frames = make_frames(root=tmp_path)  # no file on disk: had it been read again, it would be missing
    changed = TEXT.replace("264.6", "265.6").encode()
    frames.file_sha256[f"data/sources/{SOURCE_ID}.txt"] = hashlib.sha256(changed).hexdigest()
    assert where(check_source_files_match_their_hashes(frames)) == [("sources", 2, "sha256", "source-sha256")]


def _projects(name: str, quote: str) -> dict:
    rows = clean_rows()
    rows["projects"] = [{**rows["projects"][0], "name_zh": name, "quote": quote}]
    return rows


def test_a_name_stands_in_its_quote_whole_or_by_the_parts_the_text_splits() -> None:
    from jiutai_data.validate.checks.provenance import check_names_stand_in_their_quotes

    quote = "建设“北菜南运”5000亩以上规模化园区"
    assert check_names_stand_in_their_quotes(make_frames(_projects("“北菜南运”规模化园区", quote))) == []
    assert check_names_stand_in_their_quotes(make_frames(_projects("规模化园区", quote))) == []
    renamed = check_names_stand_in_their_quotes(make_frames(_projects("“北菜南运”现代化园区", quote)))
    assert where(renamed) == [("projects", 2, "name_zh", "name-in-quote")]
    assert "现代化园区" in renamed[0].message
