"""History made visible: `validate --base REF` against the package at a git revision, read from git
objects; stray part files of a partitioned table; acknowledgements reviewed in the future."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Callable

import polars as pl
import pytest
from conftest import copy_package, edit_rows, git, load_script

from jiutai_data.cli import main
from jiutai_data.model import codes
from jiutai_data.validate.checks.history import changed_lines, compare_rows, latest_today, materialise_revision
from jiutai_data.validate.run import validate_package

pytestmark = [pytest.mark.data, pytest.mark.mutation]
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")




def rows_of(root: Path, table: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO((root / "data" / f"{table}.csv").read_text(encoding="utf-8")))
    return list(reader.fieldnames or []), list(reader)


def write_rows(root: Path, table: str, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (root / "data" / f"{table}.csv").write_text(buffer.getvalue(), encoding="utf-8")


def source_text(root: Path) -> tuple[str, Path]:
    source = rows_of(root, "sources")[1][0]
    return source["id"], root / source["path"]


def edit_source_text(root: Path, edit: Callable[[str], str]) -> str:
    """Edit the first source's text and its sha256 together (what a hostile change would do)."""
    source, path = source_text(root)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    edit_rows(root, "sources", lambda rows: [{**rows[0], "sha256": digest}, *rows[1:]])
    return source


def found(root: Path, base: str | None = "HEAD", check: str | None = None):
    report = validate_package(root, base=base)
    return [f for f in report.findings if check is None or f.check == check], report


# --------------------------------------------------------------------------- --base


@needs_git
def test_an_unchanged_package_is_valid_against_its_own_base(repository: Path) -> None:
    findings, report = found(repository)
    assert report.valid and [f for f in findings if f.check.startswith(("source-text", "existing-row", "base"))] == []


@needs_git
def test_a_changed_source_text_with_its_sha256_is_an_error_naming_the_source_and_lines(repository: Path) -> None:
    source, path = source_text(repository)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    edit_source_text(repository, lambda text: text.replace(first, first + "（另有一句）", 1))
    findings, report = found(repository, check=codes.SOURCE_TEXT_CHANGED)
    assert not report.valid and len(findings) == 1
    message = findings[0].message
    assert f"the text of source {source} differs from its text at HEAD" in message
    assert f"-1: {first}" in message and f"+1: {first}（另有一句）" in message
    assert findings[0].severity == "error"


@needs_git
def test_a_changed_figure_of_an_existing_source_is_a_warning_naming_row_column_old_and_new(repository: Path) -> None:
    _, rows = rows_of(repository, "indicators")
    target = rows[0]
    edit_rows(repository, "indicators", lambda rows: [{**rows[0], "note": "Corrected by a later reading."},
                                                      *rows[1:]])
    findings, _ = found(repository, check=codes.EXISTING_ROW_CHANGED)
    assert [(f.table, f.column, f.severity) for f in findings] == [("indicators", "note", "warning")]
    assert findings[0].message == (
        f"row {target['id']} of indicators (source {target['source_id']}, which existed at HEAD): note changed "
        f"from {json.dumps(target['note'] or None, ensure_ascii=False) if target['note'] else '(empty)'} to "
        '"Corrected by a later reading."')


@needs_git
def test_numbers_are_compared_by_value(repository: Path) -> None:
    edit_rows(repository, "indicators", lambda rows: [{**row, "value": row["value"] + ".0"
                                                       if "." not in row["value"] else row["value"]} for row in rows])
    assert found(repository, check=codes.EXISTING_ROW_CHANGED)[0] == []


@needs_git
def test_a_removed_row_of_an_existing_source_is_a_warning(repository: Path) -> None:
    _, rows = rows_of(repository, "projects")
    edit_rows(repository, "projects", lambda rows: rows[1:])
    findings, _ = found(repository, check=codes.EXISTING_ROW_REMOVED)
    assert [(f.table, f.value, f.severity) for f in findings] == [("projects", rows[0]["id"], "warning")]
    assert f"row {rows[0]['id']} of projects (source {rows[0]['source_id']}, which existed at HEAD) was removed" \
        in findings[0].message


def test_rows_of_a_source_new_since_the_base_are_not_reported() -> None:
    schema = {"fields": [{"name": "id"}, {"name": "source_id"}, {"name": "value", "type": "number"}],
              "primaryKey": ["id"]}
    old = pl.DataFrame({"_row": [2, 3], "id": ["a--x", "b--y"], "source_id": ["a", "b"], "value": ["1", "2"]})
    new = pl.DataFrame({"_row": [2], "id": ["b--y"], "source_id": ["b"], "value": ["3"]})
    assert compare_rows("indicators", old, new, schema, schema, owners={"c"}, base="main") == []
    reported = compare_rows("indicators", old, new, schema, schema, owners={"a", "b"}, base="main")
    assert sorted(f.check for f in reported) == [codes.EXISTING_ROW_CHANGED, codes.EXISTING_ROW_REMOVED]


@needs_git
def test_the_base_is_read_from_git_objects_whatever_gitattributes_say(repository: Path, tmp_path: Path) -> None:
    (repository / ".gitattributes").write_text("data/** export-ignore\n*.txt -text filter=hide\n", encoding="utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "--quiet", "-m", "hide the data from git archive")
    into = materialise_revision(repository, "HEAD", tmp_path / "base")
    assert (into / "data" / "indicators.csv").read_bytes() == (repository / "data" / "indicators.csv").read_bytes()
    _, path = source_text(repository)
    assert (into / path.relative_to(repository)).read_bytes() == path.read_bytes()
    edit_source_text(repository, lambda text: text + "另有一句。\n")
    assert found(repository, check=codes.SOURCE_TEXT_CHANGED)[0]


@needs_git
def test_a_package_in_a_subfolder_is_compared_with_the_same_subfolder(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    package = copy_package(repo / "packages" / "jiutai")
    git(repo, "init", "--quiet")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "base")
    edit_rows(package, "projects", lambda rows: rows[1:])
    assert len(found(package, check=codes.EXISTING_ROW_REMOVED)[0]) == 1


@needs_git
@pytest.mark.parametrize("base", ["no-such-revision", "--output=pwned"])
def test_a_base_that_cannot_be_read_is_an_error(repository: Path, base: str) -> None:
    findings, report = found(repository, base=base, check=codes.BASE_UNREADABLE)
    assert not report.valid and len(findings) == 1 and f"--base {base}:" in findings[0].message
    assert not (repository / "pwned").exists()


def test_a_base_outside_a_repository_is_an_error(package_copy: Path) -> None:
    findings, report = found(package_copy, base="HEAD", check=codes.BASE_UNREADABLE)
    assert not report.valid and len(findings) == 1


@needs_git
def test_the_cli_threads_base_through_and_exits_1_on_a_changed_text(repository: Path, capsys) -> None:
    assert main(["validate", str(repository), "--base", "HEAD"]) == 0
    edit_source_text(repository, lambda text: text + "另有一句。\n")
    assert main(["build", str(repository)]) == 0  # the twins and hashes follow the edit
    assert main(["validate", str(repository)]) == 0  # without --base the edit cannot be seen
    assert main(["validate", str(repository), "--base", "HEAD"]) == 1
    assert "source-text-changed" in capsys.readouterr().out


def test_changed_lines_name_the_line_numbers() -> None:
    assert changed_lines("a\nb\nc\n", "a\nB\nc\nd\n") == ["-2: b", "+2: B", "+4: d"]
    assert changed_lines("a\n", "a") == ["(only line ends or the final newline differ)"]


# --------------------------------------------------------------------------- stray part files


def test_a_stray_part_file_in_a_partitioned_folder_is_an_error(tmp_path: Path) -> None:
    root = load_script("synth").synthesise(200, tmp_path / "package", sources=2, seed=1, layout="partitioned").out
    assert [f for f in validate_package(root).findings if f.check == codes.STRAY_PART_FILE] == []
    document = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    part = next(entry for entry in document["resources"] if isinstance(entry.get("path"), list))["path"][0]
    shutil.copy2(root / part, (root / part).with_name("part-extra.parquet"))
    report = validate_package(root)
    stray = [f for f in report.findings if f.check == codes.STRAY_PART_FILE]
    assert [(f.path, f.severity) for f in stray] == [(str(Path(part).with_name("part-extra.parquet")), "error")]
    assert not report.valid


# --------------------------------------------------------------------------- reviewed_on


def acknowledge(root: Path, day: str) -> None:
    row_id = rows_of(root, "indicators")[1][0]["id"]
    header, rows = rows_of(root, "acknowledgements")
    write_rows(root, "acknowledgements", header, rows + [{
        "finding_code": codes.REVISION, "table_name": "indicators", "row_id": row_id,
        "reason": "Checked against the source.", "reviewed_by": "a reviewer", "reviewed_on": day}])


def test_an_acknowledgement_reviewed_in_the_future_is_an_error(package_copy: Path) -> None:
    day = (latest_today() + dt.timedelta(days=1)).isoformat()
    acknowledge(package_copy, day)
    report = validate_package(package_copy)
    future = [f for f in report.errors if f.check == codes.REVIEWED_IN_FUTURE]
    assert [(f.table, f.column, f.value) for f in future] == [("acknowledgements", "reviewed_on", day)]


def test_an_acknowledgement_reviewed_today_is_not(package_copy: Path) -> None:
    acknowledge(package_copy, dt.date.today().isoformat())
    assert [f for f in validate_package(package_copy).findings if f.check == codes.REVIEWED_IN_FUTURE] == []
