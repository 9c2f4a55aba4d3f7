"""Reading a package: encodings, line endings, parsing, headers, types, row numbers."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, tiny_rows, write_table

from jiutai_data.validate.run import validate_package


def where(report, check: str) -> list[tuple]:
    """(table, row, column) of every finding of one check."""
    return [(f.table, f.row, f.column) for f in report.findings if f.check == check]


def only(report, check: str):
    found = [f for f in report.findings if f.check == check]
    assert len(found) == 1, [f.to_dict() for f in report.findings]
    return found[0]


def rewrite(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {path}"
    path.write_bytes(data.replace(old, new, 1))


def test_gbk_file_is_refused_naming_its_first_bad_line_and_iconv(tiny_package):
    csv_path = tiny_package / "data" / "topics.csv"
    csv_path.write_bytes(csv_path.read_text(encoding="utf-8").encode("gbk"))
    report = validate_package(tiny_package)
    finding = only(report, "encoding")
    assert (finding.table, finding.row, finding.column) == ("topics", 2, None)
    assert "iconv -f GBK -t UTF-8" in finding.message and "line 2" in finding.message
    assert not report.valid


def test_bom_file_is_refused_with_how_to_resave_and_its_rows_still_checked(tiny_package):
    csv_path = tiny_package / "data" / "units.csv"
    csv_path.write_bytes(b"\xef\xbb\xbf" + csv_path.read_bytes())
    rewrite(csv_path, b"percent,1,", b"percent,one,")
    report = validate_package(tiny_package)
    finding = only(report, "bom")
    assert (finding.table, finding.row, finding.column) == ("units", None, None)
    assert "without BOM" in finding.message
    assert where(report, "type") == [("units", 3, "factor")]


def test_crlf_file_is_refused_naming_the_first_line(tiny_package):
    csv_path = tiny_package / "data" / "units.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b"\n", b"\r\n"))
    report = validate_package(tiny_package)
    finding = only(report, "line-endings")
    assert (finding.table, finding.row, finding.column) == ("units", None, None)
    assert "line 1" in finding.message and "LF" in finding.message
    # The rows themselves still read: no other finding about units.
    assert [f.check for f in report.findings if f.table == "units"] == ["line-endings"]


def test_truncated_file_with_an_unterminated_quote_names_its_row(tiny_package):
    rows = tiny_rows()["indicators"]
    rows[1]["note"] = "Growth, year on year"  # a comma, so the cell is quoted
    csv_path = write_table(tiny_package, "indicators", rows)
    data = csv_path.read_bytes()
    csv_path.write_bytes(data[: data.rindex(b"year on")])  # cut inside the quoted cell
    report = validate_package(tiny_package)
    finding = only(report, "unterminated-quote")
    assert (finding.table, finding.row, finding.column) == ("indicators", 3, None)
    assert "truncated" in finding.message


def test_row_cut_short_is_refused_as_a_missing_cell_with_its_row(tiny_package):
    csv_path = tiny_package / "data" / "topics.csv"
    csv_path.write_bytes(b"id,name_zh,name_en,description\neconomy,\xe7\xbb\x8f\xe6\xb5\x8e,Economy\n")
    report = validate_package(tiny_package)
    assert where(report, "missing-cell") == [("topics", 2, "description")]


def test_row_with_an_extra_cell_is_refused_with_its_row(tiny_package):
    csv_path = tiny_package / "data" / "units.csv"
    rewrite(csv_path, b"percent,1,percent,", b"percent,1,percent,,")
    report = validate_package(tiny_package)
    assert where(report, "extra-cell") == [("units", 3, None)]


def test_blank_line_is_refused_with_its_row(tiny_package):
    csv_path = tiny_package / "data" / "units.csv"
    rewrite(csv_path, b"\n%,", b"\n\n%,")
    report = validate_package(tiny_package)
    assert where(report, "blank-row") == [("units", 3, None)]


def test_empty_file_is_refused(tiny_package):
    (tiny_package / "data" / "regions.csv").write_bytes(b"")
    report = validate_package(tiny_package)
    assert where(report, "empty-file") == [("regions", None, None)]


def test_missing_file_is_refused(tiny_package):
    (tiny_package / "data" / "regions.csv").unlink()
    report = validate_package(tiny_package)
    assert where(report, "file-missing") == [("regions", None, None)]


def test_header_with_a_missing_column_names_it(tiny_package):
    rows = tiny_rows()["topics"]
    path = write_table(tiny_package, "topics", rows)
    path.write_text("\n".join(",".join(line.split(",")[:3]) for line in path.read_text().splitlines()) + "\n")
    report = validate_package(tiny_package)
    assert where(report, "missing-column") == [("topics", 1, "description")]


def test_header_with_an_extra_column_names_it_and_still_checks_rows(tiny_package):
    path = tiny_package / "data" / "units.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",colour"] + [line + ",red" for line in lines[1:]]
    lines[2] = lines[2].replace("percent,1,", "percent,x,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_package(tiny_package)
    assert where(report, "extra-column") == [("units", 1, "colour")]
    assert where(report, "type") == [("units", 3, "factor")]


def test_header_with_a_duplicate_column_names_it(tiny_package):
    path = tiny_package / "data" / "topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",name_en"] + [line + ",Economy" for line in lines[1:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_package(tiny_package)
    assert where(report, "duplicate-column") == [("topics", 1, "name_en")]


def test_header_with_misordered_columns_names_the_first_out_of_place(tiny_package):
    path = tiny_package / "data" / "topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()

    def swap(line: str) -> str:
        cells = line.split(",")
        cells[1], cells[2] = cells[2], cells[1]
        return ",".join(cells)

    path.write_text("\n".join(swap(line) for line in lines) + "\n", encoding="utf-8")
    report = validate_package(tiny_package)
    assert where(report, "column-order") == [("topics", 1, "name_en")]
    # Read by name, the rows are otherwise fine.
    assert [f.check for f in report.findings if f.table == "topics"] == ["column-order"]


def test_file_without_a_header_row_is_refused(tiny_package):
    path = tiny_package / "data" / "topics.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    report = validate_package(tiny_package)
    assert where(report, "header") == [("topics", 1, None)]


@pytest.mark.parametrize("cell", ["NaN", "nan", "inf", "-Infinity"])
def test_nan_or_infinity_in_a_number_column_is_refused(tiny_package, cell):
    rewrite(tiny_package / "data" / "indicators.csv", b",5.2,percent,", f",{cell},percent,".encode())
    report = validate_package(tiny_package)
    finding = only(report, "type")
    assert (finding.table, finding.row, finding.column, finding.value) == ("indicators", 3, "value", cell)
    assert "finite" in finding.message


def test_full_width_digits_in_a_number_are_refused(tiny_package):
    rewrite(tiny_package / "data" / "indicators.csv", b",5.2,percent,", ",５.２,percent,".encode())
    report = validate_package(tiny_package)
    finding = only(report, "type")
    assert (finding.table, finding.row, finding.column) == ("indicators", 3, "value")
    assert "full-width" in finding.message


def test_full_width_digits_in_a_date_are_refused(tiny_package):
    rewrite(tiny_package / "data" / "indicators.csv", b"2022-09-30", "２０２２-09-30".encode())
    report = validate_package(tiny_package)
    finding = only(report, "type")
    assert (finding.table, finding.row, finding.column) == ("indicators", 2, "period_end")
    assert "full-width" in finding.message


@pytest.mark.parametrize("cell", ["2022-02-30", "2022/09/30", "30.09.2022"])
def test_impossible_or_misformatted_date_is_refused(tiny_package, cell):
    rewrite(tiny_package / "data" / "indicators.csv", b"2022-09-30", cell.encode())
    report = validate_package(tiny_package)
    assert where(report, "type") == [("indicators", 2, "period_end")]


def test_datetime_without_an_offset_is_refused(tiny_package):
    rewrite(tiny_package / "data" / "sources.csv", b"2022-12-12T08:00:00+08:00", b"2022-12-12T08:00:00")
    report = validate_package(tiny_package)
    assert where(report, "type") == [("sources", 2, "published")]


def test_cell_that_fails_to_cast_is_not_reported_again_as_missing(tiny_package):
    # value is required: a bad value is one type error, not also a required error.
    rewrite(tiny_package / "data" / "indicators.csv", b",5.2,percent,", b",5.2%,percent,")
    report = validate_package(tiny_package)
    assert [(f.table, f.row, f.column, f.check) for f in report.errors
            if f.table == "indicators" and f.column == "value"] == [("indicators", 3, "value", "type")]


def test_rows_are_counted_as_records_so_a_multi_line_cell_is_one_row(tiny_package):
    # Row numbers follow Frictionless: header = 1, and a quoted cell with a line
    # break does not shift the rows after it.
    rows = tiny_rows()["units"]
    rows[0]["note"] = "first line\nsecond line"
    rows[1]["factor"] = "one"
    write_table(tiny_package, "units", rows)
    report = validate_package(tiny_package)
    assert where(report, "type") == [("units", 3, "factor")]
    assert where(report, "control-character") == [("units", 2, "note")]


def test_every_error_is_collected_not_only_the_first(tiny_package):
    rewrite(tiny_package / "data" / "indicators.csv", b",5.2,percent,", b",five,percent,")
    rewrite(tiny_package / "data" / "units.csv", b"percent,1,", b"percent,-1,")
    (tiny_package / "data" / "regions.csv").write_bytes(b"")
    report = validate_package(tiny_package)
    checks = {(f.table, f.check) for f in report.errors}
    assert {("indicators", "type"), ("units", "exclusive-minimum"), ("regions", "empty-file")} <= checks


@pytest.mark.parametrize("empty_is_null, empty", [(False, ""), (True, None)])
def test_well_formed_file_with_quoted_commas_escaped_quotes_and_line_breaks_takes_the_fast_path(empty_is_null, empty):
    # The polars path is what keeps validation fast; a clean file must not fall back to the csv module.
    # Read with empty_is_null, an unquoted empty cell is null at once and a quoted "" stays "" (the reader nulls it).
    from jiutai_data.read.tables import fast_parse

    body = 'a,b,c\n1,"x, y",3\n4,"say ""hi""",6\n7,"two\nlines",9\n,,\n10,"",12'.encode()
    grid = fast_parse(body, empty_is_null)
    assert grid is not None
    assert grid.rows()[1:] == [("1", "x, y", "3"), ("4", 'say "hi"', "6"), ("7", "two\nlines", "9"),
                               (empty, empty, empty), ("10", "", "12")]


@pytest.mark.parametrize("body", [
    b'a,b,c\n1,"x, y",3\n4,5\n',         # a short row among quoted cells
    b'a,b,c\n1,2,3\n\n4,5,6\n',         # a blank line
    b'a,b,c\n1,"x",3,4\n',              # an extra cell
])
def test_rows_polars_would_silently_pad_or_skip_send_the_file_to_the_exact_parser(body):
    from jiutai_data.read.tables import fast_parse

    assert fast_parse(body) is None


def test_quoted_empty_cell_counts_as_missing(tiny_package):
    path = tiny_package / "data" / "topics.csv"
    rewrite(path, b",Economy,", b',"",')
    report = validate_package(tiny_package)
    assert where(report, "required") == [("topics", 2, "name_en")]


def set_missing_values(root: Path, table: str, values: list[str]) -> None:
    path = root / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["missingValues"] = values
    path.write_text(json.dumps(schema, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("cell", [b"NA", b'"NA"', b""])
def test_every_missing_value_the_schema_lists_counts_as_missing(tiny_package, cell):
    set_missing_values(tiny_package, "topics", ["", "NA"])
    rewrite(tiny_package / "data" / "topics.csv", b",Economy,", b"," + cell + b",")
    report = validate_package(tiny_package)
    assert where(report, "required") == [("topics", 2, "name_en")]


def test_empty_cell_is_a_value_when_the_schema_does_not_list_it_as_missing(tiny_package):
    set_missing_values(tiny_package, "topics", ["NA"])
    rewrite(tiny_package / "data" / "topics.csv", b",Economy,", b",,")
    report = validate_package(tiny_package)
    assert where(report, "min-length") == [("topics", 2, "name_en")]
    assert where(report, "required") == []


def test_reader_keeps_the_sha256_of_each_source_text_and_of_each_csv_declaring_one(tiny_package):
    # The hash checks reuse these instead of reading and hashing the files again.
    from conftest import TINY_SOURCE_ID

    from jiutai_data.model.package import open_package
    from jiutai_data.read.tables import read_package

    descriptor_path = tiny_package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    topics = tiny_package / "data" / "topics.csv"
    for resource in descriptor["resources"]:
        if resource["name"] == "topics":
            resource["hash"] = "sha256:" + "0" * 64  # a wrong hash: the reader reports the file's own
    descriptor_path.write_text(json.dumps(descriptor), encoding="utf-8")
    source = f"data/sources/{TINY_SOURCE_ID}.txt"
    frames = read_package(open_package(tiny_package)).frames
    assert frames.file_sha256 == {
        "data/topics.csv": hashlib.sha256(topics.read_bytes()).hexdigest(),
        source: hashlib.sha256((tiny_package / source).read_bytes()).hexdigest(),
    }


def test_loading_and_reading_a_package_leave_pandera_unimported():
    # validate.py imports Pandera in the background while the tables are read;
    # that only helps while the reader itself does not need it.
    code = ("import sys; from jiutai_data.model.package import open_package; from jiutai_data.read.tables import read_package; "
            "from jiutai_data.model.paths import bundled_package_dir; read_package(open_package(bundled_package_dir())); "
            "print(sorted(m for m in ('pandera', 'pandas') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert result.stdout.strip() == "[]"


def test_source_text_that_is_not_utf8_is_refused_on_its_sources_row(tiny_package):
    from conftest import TINY_SOURCE_ID

    text = tiny_package / "data" / "sources" / f"{TINY_SOURCE_ID}.txt"
    text.write_bytes(text.read_text(encoding="utf-8").encode("gbk"))
    report = validate_package(tiny_package)
    assert ("sources", 2, "path") in where(report, "encoding")


def test_source_text_linked_from_outside_the_package_is_not_read(tiny_package, tmp_path):
    from conftest import TINY_SOURCE_ID, TINY_SOURCE_TEXT

    outside = tmp_path / "secret.txt"
    outside.write_text(TINY_SOURCE_TEXT, encoding="utf-8")
    text = tiny_package / "data" / "sources" / f"{TINY_SOURCE_ID}.txt"
    text.unlink()
    text.symlink_to(outside)
    report = validate_package(tiny_package)
    assert where(report, "source-path") == [("sources", 2, "path")]
    assert report.stats["sources"] == 0


def test_quote_left_open_early_in_a_large_file_is_still_named(tiny_package):
    rows = tiny_rows()["units"] + [
        {"unit_as_stated": f"u{i}", "unit": "count", "factor": "1", "name_en": "x" * 200, "note": "a, b"}
        for i in range(1000)]
    path = write_table(tiny_package, "units", rows)
    data = path.read_bytes()
    cut = data.index(b'"a, b"') + 1
    path.write_bytes(data[:cut] + data[cut + 5:])  # drop the closing quote of row 4's note
    report = validate_package(tiny_package)
    assert where(report, "unterminated-quote") == [("units", 4, None)]


@pytest.mark.parametrize("body", [
    b"a,b,c\n1,2\n4,5,6\n",          # a short row, which polars pads silently
    b"a,b,c\n1,2\n4,5,6,7\n",        # a short row next to a long one
    b"a,b,c\n1,2,3\n\n4,5,6\n",      # a blank line, which polars skips
    b"a,b,c\n1,2,3\n4,5,6\n\n",      # a blank line at the end
])
def test_a_file_without_quotes_whose_rows_do_not_all_fit_the_header_leaves_the_fast_path(body: bytes):
    from jiutai_data.read.tables import fast_parse

    assert b'"' not in body
    assert fast_parse(body) is None


def test_a_clean_file_without_quotes_stays_on_the_fast_path():
    from jiutai_data.read.tables import fast_parse

    assert fast_parse(b"a,b,c\n1,,3\n4,5,6").shape == (3, 3)
