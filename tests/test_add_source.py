"""`jiutai-data add-source`: a checked text is copied byte for byte and its row appended;
any problem refuses the whole command and writes nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from conftest import PACKAGE
from jiutai_data.cli import main
from jiutai_data.tools.add_source import add_source, uncovered_numbers

pytestmark = pytest.mark.data
COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)
NEW_ID = "2024-01-15-fictional-example"
TEXT = "【虚构示例】本文为测试用虚构文本。\n2023年,九台区地区生产总值完成280.5亿元,同比增长6%。\n"
METADATA = dict(title_zh="虚构示例", title_en="Fictional example, for tests", publisher_zh="虚构出版社",
                publisher_en="Fictional Press", published="2024-01-15T09:00:00+08:00")


def copy_package(destination: Path) -> Path:
    destination.mkdir(parents=True)
    shutil.copy2(COMMITTED / "datapackage.json", destination)
    for folder in ("schemas", "data"):
        shutil.copytree(COMMITTED / folder, destination / folder)
    return destination


def file_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def sources_rows(package: Path) -> list[dict[str, str]]:
    with (package / "data/sources.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return copy_package(tmp_path / "package")


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "new-source.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    return path


def test_the_text_is_copied_byte_for_byte_and_its_row_appended_after_the_untouched_file(
        package: Path, text_file: Path) -> None:
    before = (package / "data/sources.csv").read_bytes()
    result = add_source(package, text_file, source_id=NEW_ID, url="https://example.invalid/a", author="", **METADATA)
    assert result.ok, result.describe()
    copied = package / f"data/sources/{NEW_ID}.txt"
    assert copied.read_bytes() == text_file.read_bytes()

    after = (package / "data/sources.csv").read_bytes()
    assert after.startswith(before)
    appended = after[len(before):]
    assert appended.endswith(b"\n") and appended.count(b"\n") == 1 and b"\r" not in appended
    row = sources_rows(package)[-1]
    assert row["id"] == NEW_ID
    assert row["path"] == f"data/sources/{NEW_ID}.txt"
    assert row["sha256"] == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert row["title_en"] == METADATA["title_en"]  # the comma is quoted, not a new column
    assert row["url"] == "https://example.invalid/a"
    assert row["licence_note"].startswith("The text belongs to its publisher, 虚构出版社 (Fictional Press);")
    assert "checked against its quote" in row["licence_note"]
    assert result.row == len(sources_rows(package)) + 1


def test_the_publication_time_is_written_in_one_iso_form(package: Path, text_file: Path) -> None:
    metadata = {**METADATA, "published": "2024-01-15 09:00+08:00"}
    assert add_source(package, text_file, source_id=NEW_ID, url="", author="", **metadata).ok
    assert sources_rows(package)[-1]["published"] == "2024-01-15T09:00:00+08:00"


def test_a_sources_file_without_a_final_line_break_gets_the_row_on_a_line_of_its_own(
        package: Path, text_file: Path) -> None:
    sources = package / "data/sources.csv"
    sources.write_bytes(sources.read_bytes().rstrip(b"\n"))
    before = sources.read_bytes()
    assert add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA).ok
    assert sources.read_bytes().startswith(before + b"\n")
    assert sources_rows(package)[-1]["id"] == NEW_ID


def test_uncovered_numbers_are_listed_with_their_line_and_context(package: Path, text_file: Path) -> None:
    result = add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA)
    assert [(u.line, u.text) for u in result.uncovered] == [(2, "2023"), (2, "280.5"), (2, "6")]
    assert "地区生产总值完成280.5亿元" in result.uncovered[1].context
    described = "\n".join(result.describe())
    assert "3 are not covered yet" in described and "line 2: 280.5" in described
    assert "jiutai-data validate" in described


def test_a_number_inside_a_quote_is_covered_and_one_outside_is_not() -> None:
    text = "甲完成280.5亿元,乙增长6%。280.5"
    found = uncovered_numbers(text, ["甲完成280.5亿元"])
    assert [(u.column, u.text) for u in found] == [(15, "6"), (18, "280.5")]


REFUSALS = {
    "a byte-order mark": (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), NEW_ID, METADATA, None, "byte-order mark"),
    "GBK bytes": (TEXT.encode("gbk"), NEW_ID, METADATA, None, "iconv -f GB18030 -t UTF-8"),
    "decomposed accents": ("Cafe\u0301 12\n".encode("utf-8"), NEW_ID, METADATA, None, "not NFC-normalised"),
    "a NUL byte": (b"abc\x00 12\n", NEW_ID, METADATA, None, "control character U+0000"),
    "an empty file": (b"\n", NEW_ID, METADATA, None, "is empty"),
    "an id with capitals": (TEXT.encode("utf-8"), "2024-Fictional", METADATA, "id", "does not match the pattern"),
    "an id with a path": (TEXT.encode("utf-8"), "../escape", METADATA, "id", "does not match the pattern"),
    "a date without time zone": (TEXT.encode("utf-8"), NEW_ID, {**METADATA, "published": "2024-01-15"},
                                 "published", "no UTC offset"),
    "a date that is not a date": (TEXT.encode("utf-8"), NEW_ID, {**METADATA, "published": "15/01/2024"},
                                  "published", "not an ISO 8601 date-time"),
    "an empty title": (TEXT.encode("utf-8"), NEW_ID, {**METADATA, "title_zh": ""}, "title_zh", "required"),
    "a formula as title": (TEXT.encode("utf-8"), NEW_ID, {**METADATA, "title_en": "=1+1"}, "title_en", "formula"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_bad_text_or_bad_metadata_is_refused_and_nothing_is_written(
        case: str, package: Path, tmp_path: Path) -> None:
    data, source_id, metadata, column, message = REFUSALS[case]
    text_file = tmp_path / "new-source.txt"
    text_file.write_bytes(data)
    before = file_hashes(package)
    result = add_source(package, text_file, source_id=source_id, url="", author="", **metadata)
    assert not result.ok
    assert any(f.column == column and message in f.message for f in result.findings), result.findings
    assert file_hashes(package) == before
    assert not (tmp_path / "escape.txt").exists()


def test_an_id_that_exists_is_refused_and_nothing_is_written(package: Path, text_file: Path) -> None:
    assert add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA).ok
    before = file_hashes(package)
    again = add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA)
    assert not again.ok
    assert any(f.column == "id" and f.check == "unique" for f in again.findings)
    assert file_hashes(package) == before


def test_the_id_pattern_is_read_from_the_sources_schema(package: Path, text_file: Path) -> None:
    schema_path = package / "schemas/sources.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    fields["id"]["constraints"]["pattern"] = "^src[0-9]+$"
    fields["path"]["constraints"]["pattern"] = "^data/sources/src[0-9]+\\.txt$"
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    refused = add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA)
    assert any(f.column == "id" and "^src[0-9]+$" in f.message for f in refused.findings)
    assert add_source(package, text_file, source_id="src1", url="", author="", **METADATA).ok


@pytest.mark.parametrize(("field", "constraint", "code"), [("title_en", {"maxLength": 5}, "max-length"),
                                                        ("author", {"required": True}, "required")])
def test_the_new_row_is_held_to_every_rule_validate_holds_the_sources_table_to(
        package: Path, text_file: Path, field: str, constraint: dict, code: str) -> None:
    """add-source keeps no copy of the schema's rules: a constraint it never named is applied too."""
    schema_path = package / "schemas/sources.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    spec = next(f for f in schema["fields"] if f["name"] == field)
    spec.setdefault("constraints", {}).update(constraint)
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    before = file_hashes(package)
    refused = add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA)
    assert not refused.ok and [(f.column, f.check) for f in refused.findings] == [(field, code)]
    assert file_hashes(package) == before


def test_every_problem_is_reported_in_one_run(package: Path, tmp_path: Path) -> None:
    text_file = tmp_path / "bad.txt"
    text_file.write_bytes(b"\xef\xbb\xbf12")
    result = add_source(package, text_file, source_id="Bad", url="not a url", author="",
                        **{**METADATA, "published": "yesterday"})
    assert {f.column for f in result.findings} >= {None, "id", "published", "url"}


def test_the_command_exits_0_on_success_1_on_bad_input_and_2_without_a_package(
        package: Path, text_file: Path, tmp_path: Path, capsys) -> None:
    arguments = ["--id", NEW_ID, "--title", METADATA["title_zh"], "--title-en", METADATA["title_en"],
                 "--publisher", METADATA["publisher_zh"], "--publisher-en", METADATA["publisher_en"],
                 "--published", METADATA["published"]]
    assert main(["add-source", str(package), str(text_file), *arguments]) == 0
    assert "added source" in capsys.readouterr().out
    assert main(["add-source", str(package), str(text_file), *arguments]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert main(["add-source", str(tmp_path / "nowhere"), str(text_file), *arguments]) == 2
    error = capsys.readouterr().err
    assert "not a package" in error and "Traceback" not in error


def test_an_unreadable_sources_csv_is_refused_rather_than_appended_to(package: Path, text_file: Path) -> None:
    sources = package / "data/sources.csv"
    sources.write_bytes(sources.read_bytes().replace(b"\n", b"\r\n"))
    before = file_hashes(package)
    result = add_source(package, text_file, source_id=NEW_ID, url="", author="", **METADATA)
    assert not result.ok and any("CRLF" in f.message for f in result.findings)
    assert file_hashes(package) == before


def test_quantities_in_chinese_numerals_are_on_the_checklist_but_articles_are_not() -> None:
    # The checklist applies the validator's coverage rule (numbers.find_chinese_quantities): a numeral
    # before a measure word or a unit of the package is a quantity, even inside a name such as
    # “四个服务” (which the reviewer records as an omission); 一个个 is an idiom, not a quantity.
    text = "着力打造三个50亿级和两个百亿级产业集群，完成一个个目标，实施“四个服务”专项行动。"
    listed = [u.text for u in uncovered_numbers(text, [], ["个", "亿"])]
    assert listed == ["三", "50", "两", "百", "四"]
    assert [u.text for u in uncovered_numbers(text, ["三个50亿级"], ["个", "亿"])] == ["两", "百", "四"]
    # without the package's units, 百 before 亿 is no quantity; 个 is a measure word of its own
    assert [u.text for u in uncovered_numbers(text, [])] == ["三", "50", "两", "四"]


def test_the_next_steps_offer_the_draft_and_accept_commands(package: Path, text_file: Path) -> None:
    result = add_source(package, text_file, source_id=NEW_ID, **METADATA)
    described = "\n".join(result.describe())
    assert f"jiutai-data draft {NEW_ID} {package}" in described
    assert f"jiutai-data accept {package / 'drafts' / NEW_ID} {package}" in described
