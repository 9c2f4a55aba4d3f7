"""Checks on the committed data tables (data/*.csv), independent of the validation engine.

They read the CSV files as plain text rows, so that what is tested is exactly what is
committed. Every helper that finds problems is also run on a deliberately broken
in-memory copy, to show that it can fail.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import math
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from jiutai_data.model.figures import sign_of
from jiutai_data.validate.checks.hygiene import starts_like_a_formula
from jiutai_data.model.numbers import find_numbers, parse_number, to_ascii_digits

from conftest import PACKAGE, REPO

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

ROOT = PACKAGE
DATA = ROOT / "data"
SCHEMAS = ROOT / "schemas"
# every CSV table the descriptor declares, and those whose rows cite a source with a quote
TABLES = [resource["name"] for resource in json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))["resources"]
          if resource.get("format") == "csv"]
QUOTED_TABLES = [table for table in TABLES
                 if {"quote", "source_id"} <= {f["name"] for f in json.loads(
                     (SCHEMAS / f"{table}.json").read_text(encoding="utf-8"))["fields"]}]

# (table, number column, stated-number column, stated-unit column, base-unit column)
STATED_NUMBERS = [
    ("indicators", "value", "value_as_stated", "unit_as_stated", "unit"),
    ("projects", "investment_cny", "investment_as_stated", "investment_unit_as_stated", None),
    ("plans", "target_value", "target_as_stated", "target_unit_as_stated", "target_unit"),
]

# The NBS 2022 statistical division codes of Jiutai District, its parents and its 19
# township-level units: a copy of ../shared/reference/jiutai-divisions-nbs-2022.csv
# (outside this repository), so that the test runs anywhere.
# code, name_zh, level, parent_code
NBS_2022_DIVISIONS = """\
220000,吉林省,province,
220100,长春市,prefecture,220000
220113,九台区,county,220100
220113001,九台街道,township,220113
220113002,营城街道,township,220113
220113003,九郊街道,township,220113
220113004,西营城街道,township,220113
220113005,土们岭街道,township,220113
220113006,苇子沟街道,township,220113
220113007,兴隆街道,township,220113
220113008,纪家街道,township,220113
220113009,波泥河街道,township,220113
220113010,卡伦湖街道,township,220113
220113011,东湖街道,township,220113
220113012,龙嘉街道,township,220113
220113013,兴港街道,township,220113
220113014,沐石河街道,township,220113
220113015,城子街街道,township,220113
220113102,其塔木镇,township,220113
220113103,上河湾镇,township,220113
220113200,胡家回族乡,township,220113
220113201,莽卡满族乡,township,220113
"""
SHARED_REFERENCE = REPO.parent / "shared" / "reference" / "jiutai-divisions-nbs-2022.csv"

# A yoy_change row whose source states no level of the same indicator, region and period
# says so in its note, in these words (so a reader is not left looking for the level).


# ------------------------------------------------------------------ reading


def schema(table: str) -> dict:
    return json.loads((SCHEMAS / f"{table}.json").read_text(encoding="utf-8"))


def field_names(table: str) -> list[str]:
    return [field["name"] for field in schema(table)["fields"]]


def read_rows(table: str) -> list[dict[str, str]]:
    with open(DATA / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def package() -> dict[str, list[dict[str, str]]]:
    return {table: read_rows(table) for table in TABLES}


@pytest.fixture(scope="module")
def texts(package) -> dict[str, str]:
    return {row["id"]: (ROOT / row["path"]).read_text(encoding="utf-8") for row in package["sources"]}


# ------------------------------------------------------------------ helpers that find problems


def quotes_not_in_source(
    package: dict[str, list[dict[str, str]]], texts: dict[str, str]
) -> list[tuple[str, int, str]]:
    """(table, CSV line, quote) of every quote that is not a verbatim substring of its source."""
    problems = []
    for table in QUOTED_TABLES:
        for line, row in enumerate(package[table], start=2):
            text = texts.get(row["source_id"])
            if text is None or not row["quote"] or row["quote"] not in text:
                problems.append((table, line, row["quote"]))
    return problems


def numbers_outside_quotes(
    package: dict[str, list[dict[str, str]]], texts: dict[str, str]
) -> list[tuple[str, int, str]]:
    """(source id, offset, number) of every number written in digits in a source that lies
    inside no occurrence of any quote of that source."""
    problems = []
    for source_id, text in texts.items():
        quotes = {row["quote"] for table in QUOTED_TABLES for row in package[table]
                  if row["source_id"] == source_id and row["quote"]}
        spans = [(m.start(), m.end()) for quote in quotes for m in re.finditer(re.escape(quote), text)]
        for number in find_numbers(text):
            if not any(start <= number.start and number.end <= end for start, end in spans):
                problems.append((source_id, number.start, number.text))
    return problems


def values_not_matching_stated(
    package: dict[str, list[dict[str, str]]],
) -> list[tuple[str, int, str]]:
    """(table, CSV line, column) where a number differs from its stated number × unit factor,
    or its base unit differs from the unit's, or a stated number has no value or unit."""
    units = {row["unit_as_stated"]: row for row in package["units"]}
    problems = []
    for table, value_column, stated_column, unit_column, base_column in STATED_NUMBERS:
        for line, row in enumerate(package[table], start=2):
            stated, unit = row[stated_column], row[unit_column]
            if not stated and not unit and not row[value_column]:
                continue
            number = parse_number(stated) if stated else None
            if number is None or unit not in units or not row[value_column]:
                problems.append((table, line, stated_column))
                continue
            # a fall is negative: the library's one reading of the word (or minus) that signs it
            expected = (sign_of(row.get("direction_as_stated")) or 1) * number * float(units[unit]["factor"])
            if not math.isclose(float(row[value_column]), expected, rel_tol=1e-12):
                problems.append((table, line, value_column))
            if base_column and row[base_column] != units[unit]["unit"]:
                problems.append((table, line, base_column))
            if table == "projects" and units[unit]["unit"] != "CNY":
                problems.append((table, line, unit_column))
    return problems


# ------------------------------------------------------------------ file format


@pytest.mark.parametrize("table", TABLES)
def test_csv_is_utf8_without_bom_with_lf_line_ends_and_the_schema_header(table):
    raw = (DATA / f"{table}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n")
    header = next(csv.reader(io.StringIO(text)))
    assert header == field_names(table)


@pytest.mark.parametrize("table", TABLES)
def test_csv_round_trips_through_python_csv_with_minimal_quoting(table):
    # the files are written by csv.writer(QUOTE_MINIMAL, lineterminator="\n"): rewriting
    # them must give the same bytes, so hand edits keep one canonical layout
    raw = (DATA / f"{table}.csv").read_text(encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    writer.writerows(csv.reader(io.StringIO(raw)))
    assert out.getvalue() == raw


@pytest.mark.parametrize("table", TABLES)
def test_every_cell_is_nfc_trimmed_without_control_characters_or_formula_prefix(table, package):
    for line, row in enumerate(package[table], start=2):
        for column, value in row.items():
            where = (table, line, column, value)
            assert value == unicodedata.normalize("NFC", value), where
            assert value == value.strip(), where
            assert not any(unicodedata.category(ch) == "Cc" for ch in value), where
            assert not starts_like_a_formula(value), where


# ------------------------------------------------------------------ sources


def test_each_source_sha256_matches_its_text_file(package):
    for row in package["sources"]:
        digest = hashlib.sha256((ROOT / row["path"]).read_bytes()).hexdigest()
        assert digest == row["sha256"], row["id"]


def test_each_source_file_is_named_after_its_id(package):
    for row in package["sources"]:
        assert row["path"] == f"data/sources/{row['id']}.txt"


def test_source_licence_note_says_the_text_is_the_publishers_and_why_it_is_included(package):
    for row in package["sources"]:
        note = row["licence_note"]
        assert "belongs to its publisher" in note and "checked against its quote" in note


# ------------------------------------------------------------------ quotes and coverage


def test_every_quote_is_verbatim_in_its_source_text(package, texts):
    assert quotes_not_in_source(package, texts) == []


def test_quote_check_catches_a_quote_with_one_changed_character(package, texts):
    broken = copy.deepcopy(package)
    row = broken["indicators"][0]
    row["quote"] = row["quote"].replace("个", "项", 1)
    assert quotes_not_in_source(broken, texts) == [("indicators", 2, row["quote"])]


def test_quote_check_catches_a_full_width_comma_where_the_source_has_an_ascii_one(package, texts):
    # the article writes ASCII , : ; ( ) but full-width 、。“”《》: a quote retyped with
    # the "usual" Chinese comma (U+FF0C) is no longer verbatim
    broken = copy.deepcopy(package)
    target = next(i for i, row in enumerate(broken["plans"]) if "," in row["quote"])
    broken["plans"][target]["quote"] = broken["plans"][target]["quote"].replace(",", "\uff0c")
    assert [(t, line) for t, line, _ in quotes_not_in_source(broken, texts)] == [("plans", target + 2)]


def test_every_number_in_digits_in_each_source_lies_inside_a_quote(package, texts):
    assert numbers_outside_quotes(package, texts) == []


def test_coverage_check_catches_a_number_whose_only_quote_is_removed(package, texts):
    broken = copy.deepcopy(package)
    broken["indicators"] = [row for row in broken["indicators"] if "3836" not in row["quote"]]
    problems = numbers_outside_quotes(broken, texts)
    assert [number for _, _, number in problems] == ["3836"]


def test_coverage_check_catches_an_uncovered_number_added_to_the_text(package, texts):
    changed = {source_id: text + "\n新增示例9999项。" for source_id, text in texts.items()}
    problems = numbers_outside_quotes(package, changed)
    assert [number for _, _, number in problems] == ["9999"] * len(texts)


def test_each_stated_number_appears_in_its_quote(package):
    for table, _, stated_column, _, _ in STATED_NUMBERS:
        for line, row in enumerate(package[table], start=2):
            if row[stated_column]:
                assert row[stated_column] in row["quote"], (table, line)


def test_each_project_name_or_its_parts_appear_in_its_quote(package):
    for line, row in enumerate(package["projects"], start=2):
        # a name such as “北菜南运”规模化园区 is split by a size threshold in the text
        parts = [part for part in re.split(r"[“”]", row["name_zh"]) if part]
        assert all(part in row["quote"] for part in parts), (line, row["name_zh"])


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("stated", "expected"),
    [("264.6", 264.6), ("1", 1.0), ("两", 2.0), ("三", 3.0), ("百", 100.0), ("十七", 17.0), ("二十", 20.0)],
)
def test_stated_numbers_of_the_package_parse_to_their_values(stated, expected):
    assert parse_number(stated) == expected


def test_every_value_equals_its_stated_number_times_the_unit_factor(package):
    assert values_not_matching_stated(package) == []


def test_value_check_catches_a_value_not_converted_to_the_base_unit(package):
    broken = copy.deepcopy(package)
    line = next(i for i, row in enumerate(broken["indicators"], start=2) if row["unit_as_stated"] == "亿元")
    broken["indicators"][line - 2]["value"] = broken["indicators"][line - 2]["value_as_stated"]
    assert values_not_matching_stated(broken) == [("indicators", line, "value")]


def test_value_check_catches_a_chinese_numeral_read_wrongly(package):
    broken = copy.deepcopy(package)
    line = next(i for i, row in enumerate(broken["plans"], start=2) if row["target_as_stated"] == "百")
    broken["plans"][line - 2]["target_value"] = "100.0"  # 百 read as 1 instead of 100 × 1e8
    assert values_not_matching_stated(broken) == [("plans", line, "target_value")]


def test_counts_are_whole_numbers_and_percent_levels_lie_between_0_and_100(package):
    for line, row in enumerate(package["indicators"], start=2):
        value = float(row["value"])
        if row["unit"] in ("count", "working_day"):
            assert value == int(value), line
        if row["unit"] == "percent" and row["measure"] == "level":
            assert 0 <= value <= 100, line


def test_qualifier_follows_the_words_around_the_number(package):
    for line, row in enumerate(package["indicators"], start=2):
        before, after = row["quote"].split(row["value_as_stated"], 1)
        # the words CONTRIBUTING.md lists for more_than: 余, 多, 以上 after the number, 超 before it
        vague = (after.startswith(("余", "多")) or f"{row['value_as_stated']}{row['unit_as_stated']}以上" in row["quote"]
                 or before.endswith(("超过", "超", "逾")))
        assert (row["qualifier"] == "more_than") == vague, (line, row["quote"])


# ------------------------------------------------------------------ periods, status, measures


def publication_dates(package) -> dict[str, date]:
    return {row["id"]: date.fromisoformat(row["published"][:10]) for row in package["sources"]}


def test_actual_figures_end_by_publication_and_annual_figures_of_its_year_are_estimates(package):
    published = publication_dates(package)
    for line, row in enumerate(package["indicators"], start=2):
        day = published[row["source_id"]]
        if row["period_start"]:
            assert row["period_start"] <= row["period_end"], line
        if row["status"] == "actual" and row["period_end"]:
            assert date.fromisoformat(row["period_end"]) <= day, line
        if row["period_end"] and date.fromisoformat(row["period_end"]) > day:
            assert row["status"] in ("estimate", "target"), line
            if row["status"] == "estimate":
                # either the article says 预计 (expected) or the note says why it is not final
                assert "预计" in row["quote"] + row["note"] or "before the end of the year" in row["note"], line


def test_target_horizons_do_not_end_before_publication(package):
    published = publication_dates(package)
    for line, row in enumerate(package["plans"], start=2):
        if row["kind"] == "target" and row["horizon_end"]:
            assert date.fromisoformat(row["horizon_end"]) >= published[row["source_id"]], line
        if row["horizon_start"]:
            assert row["horizon_start"] <= row["horizon_end"], line


def levels_stated_in_quotes(package) -> list[tuple[str, str]]:
    """(row id, number) of every level a yoy_change row's quote states (a number other than the
    change, followed by a unit whose base unit is not percent) with no level row for it: the
    same source, region, indicator and period, stating that number."""
    units = {row["unit_as_stated"]: row["unit"] for row in package["units"]}
    # (a number before 年 in a quote is a calendar year, 2024年, not a level)
    level_units = sorted((unit for unit, base in units.items() if base not in ("percent", "year")), key=len, reverse=True)
    levels = {(row["source_id"], row["region_id"], row["indicator"], row["period_start"], row["period_end"],
               to_ascii_digits(row["value_as_stated"])) for row in package["indicators"] if row["measure"] == "level"}
    missing = []
    for row in package["indicators"]:
        if row["measure"] != "yoy_change":
            continue
        for number in find_numbers(row["quote"]):
            after = row["quote"][number.end:]
            if to_ascii_digits(number.text) != to_ascii_digits(row["value_as_stated"]) and after.startswith(
                    tuple(level_units)):
                key = (row["source_id"], row["region_id"], row["indicator"], row["period_start"], row["period_end"],
                       to_ascii_digits(number.text))
                if key not in levels:
                    missing.append((row["id"], number.text))
    return missing


def test_every_yoy_change_is_in_percent_and_the_level_its_quote_states_is_a_row(package):
    # a change the source states alone (前三季度固定资产投资同比增长14.2%) needs no level row;
    # a level stated beside it (完成264.6亿元,同比增长1%) must be one
    for row in package["indicators"]:
        if row["measure"] == "yoy_change":
            assert row["unit"] == "percent", row["id"]
    assert levels_stated_in_quotes(package) == []


def test_level_check_catches_a_level_row_deleted_beside_its_change(package):
    broken = copy.deepcopy(package)
    change = next(row for row in broken["indicators"] if row["measure"] == "yoy_change" and row["unit"] == "percent"
                  and any(to_ascii_digits(n.text) != to_ascii_digits(row["value_as_stated"]) for n in find_numbers(row["quote"])))
    broken["indicators"] = [row for row in broken["indicators"] if not (
        row["measure"] == "level" and row["indicator"] == change["indicator"] and row["source_id"] == change["source_id"]
        and row["period_end"] == change["period_end"] and row["region_id"] == change["region_id"])]
    assert [row_id for row_id, _ in levels_stated_in_quotes(broken)] == [change["id"]]


# ------------------------------------------------------------------ regions


def test_shared_reference_copy_in_this_test_is_faithful():
    if not SHARED_REFERENCE.is_file():
        pytest.skip("the shared reference folder is not next to this repository")
    lines = SHARED_REFERENCE.read_text(encoding="utf-8").splitlines()[1:]
    assert lines == NBS_2022_DIVISIONS.splitlines()


def test_region_codes_names_levels_and_parents_match_the_nbs_2022_reference(package):
    regions = {row["id"]: row for row in package["regions"]}
    by_code = {row["code"]: row for row in package["regions"] if row["code"]}
    reference = list(csv.reader(io.StringIO(NBS_2022_DIVISIONS)))
    known = {code for code, *_ in reference}
    assert known <= set(by_code)
    # every division of Jiutai is in the reference: a code under 220113 that it lacks is made up
    # (a place elsewhere, such as another district, may have a code the reference does not list)
    assert [code for code in by_code if code.startswith("220113") and code not in known] == []
    for code, name_zh, level, parent_code in reference:
        row = by_code[code]
        assert (row["name_zh"], row["level"]) == (name_zh, level), code
        parent = regions[row["parent_id"]]["code"] if row["parent_id"] else ""
        assert parent == parent_code, code


def test_all_19_township_units_are_present_under_jiutai_with_english_names(package):
    townships = [row for row in package["regions"] if row["level"] == "township"]
    assert len(townships) == 19
    jiutai = next(row["id"] for row in package["regions"] if row["code"] == "220113")
    suffixes = {"街道": " Subdistrict", "镇": " Town", "回族乡": " Hui Ethnic Township", "满族乡": " Manchu Ethnic Township"}
    for row in townships:
        assert row["parent_id"] == jiutai, row["id"]
        suffix = next(en for zh, en in suffixes.items() if row["name_zh"].endswith(zh))
        assert row["name_en"].endswith(suffix), row["id"]


def test_the_articles_17_townships_is_kept_as_stated_not_corrected_to_19(package):
    rows = [row for table in ("indicators", "plans") for row in package[table] if "17个乡(镇)街" in row["quote"]]
    assert len(rows) == 2
    for row in rows:
        assert row.get("value_as_stated", row.get("target_as_stated")) == "17"
        assert "19" in row["note"]


# ------------------------------------------------------------------ lookup tables


def test_every_topic_is_used_by_some_row(package):
    # (the units table is a catalogue of the units Chinese statistical publications write, ready for
    # the next source: a unit no row uses yet is expected; its foreign keys guard the other direction)
    used_topics = {row["topic"] for table in TABLES if table != "topics" for row in package[table] if "topic" in row}
    assert {row["id"] for row in package["topics"]} == used_topics


def test_csv_resources_pass_frictionless_validation_with_foreign_keys(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for name in ("datapackage.json", "data", "schemas"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    # the Parquet twins are built from these CSVs elsewhere; here only the CSVs are judged
    descriptor["resources"] = [r for r in descriptor["resources"] if r.get("format") != "parquet"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    errors = [error.message for task in report.tasks for error in task.errors] + [e.message for e in report.errors]
    assert report.valid, errors[:10]
