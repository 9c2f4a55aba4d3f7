"""draft → review → accept → build on a fictional text, and accept's all-or-nothing rule.

The reviewer is simulated: fill every empty name_en, as CONTRIBUTING.md asks; no other
edit. The package that results must validate with 0 errors.

The text (tests/fixtures/draft-accept/) is a work report of a fictional district and one of its
towns, which the fixture adds to `regions` before drafting: every figure drafted from it is of a
made-up place, so that no real source about Jiutai can contradict it (a `revision` warning).
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import copy_package, edit_each_row
from second_source import add_second_source, fixture_rows
from jiutai_data.cli import main
from jiutai_data.publish.build import build_package
from jiutai_data.tools.accept import accept_drafts
from jiutai_data.tools.draft import DraftError, draft_source
from jiutai_data.validate.run import validate_package

TEXT = Path(__file__).resolve().parent / "fixtures" / "draft-accept"


def register(root: Path) -> str:
    """The fictional text registered with add-source, and its places added to `regions`."""
    return add_second_source(root, TEXT)


def package_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "drafts" not in p.parts}


def fill_english_names(row: dict[str, str]) -> None:
    """What the reviewer must write: every empty English name, and a new indicator's definition."""
    if "name_en" in row and not row["name_en"]:
        row["name_en"] = f"Reviewed name for {row.get('id') or row.get('code')}"
    if "definition" in row and not row["definition"]:
        row["definition"] = f"Reviewed definition of {row['code']}"


@pytest.fixture
def drafted(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_package(tmp_path / "package")
    source_id = register(root)
    result = draft_source(root, source_id)
    return root, result.folder


def test_a_drafted_fictional_text_reviewed_and_accepted_builds_a_valid_package(drafted) -> None:
    root, folder = drafted
    for path in folder.glob("*.csv"):
        edit_each_row(path, fill_english_names)
    result = accept_drafts(folder, root)
    assert result.ok, result.describe()
    assert sum(result.appended.values()) > 20
    assert build_package(root).report.valid
    report = validate_package(root)
    assert report.errors == [], [f.message for f in report.errors]
    assert report.warnings == [], [f.message for f in report.warnings]


def test_every_drafted_row_is_of_a_fictional_place_the_fixture_adds(drafted) -> None:
    """So that a real source about Jiutai, whatever figures of 2023 or 2024 it states, can never be
    contradicted by a row of this text: a revision compares figures of one region only.
    (test_second_source.py shows it on a package that holds such a source.)"""
    root, folder = drafted
    places = {row["id"] for row in fixture_rows("regions", TEXT)}
    assert places and all(row["code"] == "" for row in fixture_rows("regions", TEXT))
    drafted_places = set()
    for table in ("indicators", "plans", "projects"):
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
            drafted_places |= {row["region_id"] for row in csv.DictReader(stream) if row.get("region_id")}
    assert drafted_places and drafted_places <= places, drafted_places - places


def test_draft_files_have_the_schema_columns_then_confidence_and_reason(drafted) -> None:
    root, folder = drafted
    for table in ("indicators", "plans", "projects", "omissions"):
        schema = json.loads((root / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
        names = [f["name"] for f in schema["fields"]]
        with (folder / f"{table}.csv").open(encoding="utf-8") as stream:
            header = next(csv.reader(stream))
        assert header == names + [c for c in ("confidence", "reason") if c not in names]


def test_an_empty_english_name_is_refused_naming_the_draft_file_and_line(drafted) -> None:
    root, folder = drafted
    before = package_hashes(root)
    result = accept_drafts(folder, root)
    assert not result.ok
    assert package_hashes(root) == before
    empty = [p for p in result.problems if p.column == "name_en"]
    assert empty and all(p.file.endswith(".csv") and "drafts" in p.file and p.line and p.line >= 2 for p in empty)


def test_a_row_validate_would_refuse_is_reported_by_draft_line_and_nothing_is_written(drafted) -> None:
    root, folder = drafted
    for path in folder.glob("*.csv"):
        edit_each_row(path, fill_english_names)
    path = folder / "indicators.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    wrong_line = 2 + next(i for i, r in enumerate(rows) if r["unit_as_stated"] == "亿元")

    def break_unit(row: dict[str, str]) -> None:
        if row["id"] == rows[wrong_line - 2]["id"]:
            row["unit_as_stated"] = "万元"  # value stays that of 亿元: the conversion check refuses it

    edit_each_row(path, break_unit)
    before = package_hashes(root)
    result = accept_drafts(folder, root)
    assert not result.ok
    assert package_hashes(root) == before
    assert any(p.file == str(path) and p.line == wrong_line and "value-conversion" in p.message
               for p in result.problems), result.describe()


def test_a_deleted_row_leaves_its_number_uncovered_and_accept_refuses(drafted) -> None:
    root, folder = drafted
    for path in folder.glob("*.csv"):
        edit_each_row(path, fill_english_names)
    path = folder / "omissions.csv"
    header, *rows = list(csv.reader(path.open(encoding="utf-8")))
    quote = header.index("quote")
    quotes = Counter(row[quote] for row in rows)
    # a row whose quote no other row repeats, so that its numbers lose their only cover
    dated = next(i for i, row in enumerate(rows) if re.search("[0-9]", row[quote]) and quotes[row[quote]] == 1)
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows([header] + rows[:dated] + rows[dated + 1:])
    before = package_hashes(root)
    result = accept_drafts(folder, root)
    assert not result.ok and package_hashes(root) == before
    assert any("number-covered" in p.message for p in result.problems)


def test_draft_keeps_a_reviewers_files_unless_forced(drafted) -> None:
    root, folder = drafted
    source_id = folder.name
    with pytest.raises(DraftError, match="--force"):
        draft_source(root, source_id)
    assert draft_source(root, source_id, force=True).folder == folder


def test_the_cli_verbs_exit_0_on_success_and_1_on_refusal(drafted, capsys) -> None:
    root, folder = drafted
    assert main(["accept", str(folder), str(root)]) == 1
    assert "name_en is empty" in capsys.readouterr().err
    assert main(["draft", "no-such-source", str(root)]) == 1
    assert "no source 'no-such-source'" in capsys.readouterr().err
    for path in folder.glob("*.csv"):
        edit_each_row(path, fill_english_names)
    assert main(["accept", str(folder), str(root)]) == 0


@pytest.mark.parametrize("source_id", ["../outside", "a/b", "UPPER"])
def test_draft_refuses_an_id_that_could_name_a_folder_elsewhere(tmp_path: Path, source_id: str) -> None:
    root = copy_package(tmp_path / "package")
    with pytest.raises(DraftError, match="is not a source ID"):
        draft_source(root, source_id)
    assert not (tmp_path / "outside").exists() and not (root / "drafts").exists()


def test_draft_refuses_a_drafts_folder_that_is_a_symbolic_link(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    source_id = register(root)
    (tmp_path / "elsewhere").mkdir()
    (root / "drafts").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(DraftError, match="symbolic link"):
        draft_source(root, source_id)
    assert list((tmp_path / "elsewhere").iterdir()) == []
