"""Field constraints, keys, text hygiene and resource paths, each caught with its table, row and column."""

from __future__ import annotations

import json
import os

import pytest
from conftest import tiny_rows, write_table

from jiutai_data.validate.run import validate_package


def where(report, check: str) -> list[tuple]:
    return [(f.table, f.row, f.column) for f in report.findings if f.check == check]


def with_rows(root, table: str, change) -> None:
    rows = tiny_rows()[table]
    change(rows)
    write_table(root, table, rows)


def set_cell(root, table: str, index: int, column: str, value) -> None:
    def change(rows):
        rows[index][column] = value
    with_rows(root, table, change)


# --- field constraints --------------------------------------------------------

def test_value_outside_the_enum_is_refused(tiny_package):
    set_cell(tiny_package, "indicators", 1, "measure", "growth")
    report = validate_package(tiny_package)
    assert where(report, "enum") == [("indicators", 3, "measure")]
    finding = next(f for f in report.findings if f.check == "enum")
    assert finding.value == "growth" and "level, yoy_change" in finding.message


def test_pattern_violation_is_refused(tiny_package):
    set_cell(tiny_package, "indicators", 0, "id", "GRP_2022")
    report = validate_package(tiny_package)
    assert where(report, "pattern") == [("indicators", 2, "id")]


def test_pattern_must_match_the_whole_cell(tiny_package):
    set_cell(tiny_package, "regions", 0, "code", "2201130")  # 7 digits: a prefix would match
    report = validate_package(tiny_package)
    assert where(report, "pattern") == [("regions", 2, "code")]


def test_required_cell_left_empty_is_refused(tiny_package):
    set_cell(tiny_package, "topics", 0, "name_en", "")
    report = validate_package(tiny_package)
    assert where(report, "required") == [("topics", 2, "name_en")]


def test_exclusive_minimum_is_enforced(tiny_package):
    set_cell(tiny_package, "units", 1, "factor", "0")
    report = validate_package(tiny_package)
    assert where(report, "exclusive-minimum") == [("units", 3, "factor")]


def test_duplicate_primary_key_names_the_repeat_and_the_first_row(tiny_package):
    def change(rows):
        rows.append(dict(rows[0], name_en="Economy again"))
    with_rows(tiny_package, "topics", change)
    report = validate_package(tiny_package)
    assert where(report, "primary-key") == [("topics", 3, "id")]
    assert "row 2" in next(f for f in report.findings if f.check == "primary-key").message


def test_unique_column_allows_many_missing_values_but_not_a_repeat(tiny_package):
    def change(rows):
        rows.append(dict(rows[0], id="changchun", code=None, level="prefecture"))
        rows.append(dict(rows[0], id="jilin", code=None, level="province"))
        rows.append(dict(rows[0], id="jiutai-again"))  # repeats code 220113
    with_rows(tiny_package, "regions", change)
    report = validate_package(tiny_package)
    assert where(report, "unique") == [("regions", 5, "code")]


# --- foreign keys ---------------------------------------------------------------

def test_foreign_key_to_nowhere_is_refused(tiny_package):
    set_cell(tiny_package, "indicators", 0, "region_id", "atlantis")
    report = validate_package(tiny_package)
    assert where(report, "foreign-key") == [("indicators", 2, "region_id")]


def test_foreign_key_to_a_unit_missing_from_the_units_table_is_refused(tiny_package):
    # Across tables: the unit exists in indicators but its row in units is gone.
    def change(rows):
        del rows[1]  # the "%" unit
    with_rows(tiny_package, "units", change)
    report = validate_package(tiny_package)
    assert ("indicators", 3, "unit_as_stated") in where(report, "foreign-key")


def test_self_reference_to_a_missing_parent_is_refused(tiny_package):
    set_cell(tiny_package, "regions", 0, "parent_id", "changchun")
    report = validate_package(tiny_package)
    assert where(report, "foreign-key") == [("regions", 2, "parent_id")]


def test_empty_optional_foreign_key_is_not_checked(tiny_package):
    set_cell(tiny_package, "regions", 0, "parent_id", "")
    assert where(validate_package(tiny_package), "foreign-key") == []


# --- text hygiene ------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["=SUM(A1)", "+1", "-5 percent", "@cmd"])
def test_cell_starting_like_a_formula_is_refused(tiny_package, cell):
    set_cell(tiny_package, "topics", 0, "description", cell)
    report = validate_package(tiny_package)
    assert where(report, "formula") == [("topics", 2, "description")]


def test_leading_white_space_is_refused(tiny_package):
    set_cell(tiny_package, "topics", 0, "name_en", " Economy")
    report = validate_package(tiny_package)
    assert where(report, "whitespace") == [("topics", 2, "name_en")]


def test_trailing_full_width_space_is_refused(tiny_package):
    set_cell(tiny_package, "topics", 0, "name_zh", "经济\u3000")
    report = validate_package(tiny_package)
    assert where(report, "whitespace") == [("topics", 2, "name_zh")]


def test_text_not_in_nfc_is_refused(tiny_package):
    set_cell(tiny_package, "topics", 0, "name_en", "Cafe\u0301")
    report = validate_package(tiny_package)
    assert where(report, "not-nfc") == [("topics", 2, "name_en")]


def test_control_character_is_refused_and_named(tiny_package):
    set_cell(tiny_package, "topics", 0, "description", "Output\x07 and growth.")
    report = validate_package(tiny_package)
    assert where(report, "control-character") == [("topics", 2, "description")]
    assert "U+0007" in next(f for f in report.findings if f.check == "control-character").message


# --- resource paths -----------------------------------------------------------------

def set_resource_path(root, name: str, path: str) -> None:
    descriptor_path = root / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            resource["path"] = path
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")


@pytest.mark.parametrize("path, words", [
    ("../outside.csv", "leaves the package"),
    ("data/../../outside.csv", "leaves the package"),
    ("/etc/passwd", "absolute"),
    ("https://example.org/topics.csv", "URL"),
    ("file:///etc/passwd", "URL"),
])
def test_unsafe_resource_path_is_refused_and_not_opened(tiny_package, path, words):
    set_resource_path(tiny_package, "topics", path)
    report = validate_package(tiny_package)
    assert where(report, "resource-path") == [("topics", None, None)]
    finding = next(f for f in report.findings if f.check == "resource-path")
    assert words in finding.message
    assert "topics" not in report.stats["rows"]  # never read


def test_symbolic_link_out_of_the_package_is_refused(tiny_package, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_bytes((tiny_package / "data" / "topics.csv").read_bytes())
    link = tiny_package / "data" / "linked.csv"
    os.symlink(outside, link)
    set_resource_path(tiny_package, "topics", "data/linked.csv")
    report = validate_package(tiny_package)
    assert where(report, "resource-path") == [("topics", None, None)]
    assert "symbolic link" in next(f for f in report.findings if f.check == "resource-path").message


def test_loop_of_symbolic_links_is_refused_as_a_path_not_a_crash(tiny_package):
    data = tiny_package / "data"
    os.symlink("loop-b.csv", data / "loop-a.csv")
    os.symlink("loop-a.csv", data / "loop-b.csv")
    set_resource_path(tiny_package, "topics", "data/loop-a.csv")
    report = validate_package(tiny_package)
    assert where(report, "resource-path") == [("topics", None, None)]
    assert "loop of symbolic links" in next(f for f in report.findings if f.check == "resource-path").message
    assert where(report, "internal") == []


def test_source_text_swapped_for_a_link_out_between_two_runs_is_refused_in_the_second(tiny_package, tmp_path):
    # Paths are resolved once per run, and only for that run.
    from conftest import TINY_SOURCE_ID

    assert validate_package(tiny_package).valid
    text = tiny_package / "data" / "sources" / f"{TINY_SOURCE_ID}.txt"
    outside = tmp_path / "outside.txt"
    outside.write_bytes(text.read_bytes())
    text.unlink()
    text.symlink_to(outside)
    assert where(validate_package(tiny_package), "source-path") == [("sources", 2, "path")]


def test_paths_resolved_once_per_run_resolve_as_path_resolve_does(tmp_path):
    from jiutai_data.model.package import UnsafePath, resolve_inside, resolving_once

    root = tmp_path / "package"
    (root / "data" / "sources").mkdir(parents=True)
    (root / "data" / "sources" / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    os.symlink("sources", root / "data" / "alias")                      # a folder link that stays inside
    os.symlink("../data/sources/a.txt", root / "data" / "link.txt")     # a relative file link
    os.symlink(tmp_path / "elsewhere", root / "data" / "out")            # a folder link that leaves
    os.symlink(root, root / "data" / "self")                             # back to the root
    paths = ["data/sources/a.txt", "data/alias/a.txt", "data/link.txt", "data/self/data/link.txt",
             "data/sources/", "data/./sources//a.txt", "data/none/b.txt", "data/out/x.txt", "data/alias"]

    def resolved(path: str):
        try:
            return resolve_inside(root, path)
        except UnsafePath:
            return "refused"

    expected = {path: (root / path).resolve() for path in paths if path != "data/out/x.txt"}
    expected["data/out/x.txt"] = "refused"
    assert {path: resolved(path) for path in paths} == expected
    with resolving_once():
        for _ in range(2):  # the second time from what the first remembered
            assert {path: resolved(path) for path in paths} == expected

    # Hygiene normalises only the cells this class flags, so it must miss none.
    import unicodedata

    import polars as pl

    from jiutai_data.validate.checks.hygiene import suspect_characters

    singles = [chr(p) for p in range(0x30000)
               if not 0xD800 <= p <= 0xDFFF and not unicodedata.is_normalized("NFC", chr(p))]
    pairs = [unicodedata.normalize("NFD", chr(p)) for p in range(0x30000)
             if not 0xD800 <= p <= 0xDFFF and len(unicodedata.normalize("NFD", chr(p))) > 1]
    pairs += ["\u1100\u1161", "\u1100\u1161\u11a8"]  # Hangul jamo compose without a listed decomposition
    flagged = pl.Series(singles + pairs).str.contains(suspect_characters())
    assert len(singles) > 1000 and flagged.all()
    assert not pl.Series(["九台区地区生产总值达到264.6亿元，同比增长5.2%。", "Jiutai District"]).str.contains(
        suspect_characters()).any()
