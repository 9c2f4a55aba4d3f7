"""Hostile pull requests, round 3: `accept` is all or nothing, and reads drafts strictly.

Killed while replacing the tables, accept used to leave one table grown and the others not (and
a temporary file), and every later run was refused on the grown table's primary keys. Now every
file is staged first and swapped in under a journal: a run killed between two replacements is
undone by the next run, which then succeeds. A draft with two columns of one name, or a row with
a cell beyond the header, was accepted (the first column taken, the cell dropped); now each is an
error naming the draft file and line.
"""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from test_draft_accept import fill_english_names, package_hashes, register
from conftest import copy_package, edit_each_row
from jiutai_data.tools.accept import STAGING_PREFIX, accept_drafts
from jiutai_data.tools.draft import draft_source
from jiutai_data.validate.run import validate_package


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_package(tmp_path / "package")
    folder = draft_source(root, register(root)).folder
    for path in folder.glob("*.csv"):
        edit_each_row(path, fill_english_names)
    return root, folder


def _kill_at_second_replacement(root: Path, folder: Path) -> subprocess.CompletedProcess:
    """accept in another process, which SIGKILLs itself as it replaces the second table."""
    script = textwrap.dedent(f"""
        import os, signal
        from jiutai_data.tools import accept
        real, calls = os.replace, []
        def replace(source, target):
            calls.append(target)
            if len(calls) == 2:
                os.kill(os.getpid(), signal.SIGKILL)
            real(source, target)
        accept.os.replace = replace
        accept.accept_drafts({str(folder)!r}, {str(root)!r})
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)


def _data_rows(root: Path) -> dict[str, int]:
    return {path.stem: len(list(csv.reader(path.open(encoding="utf-8", newline="")))) - 1
            for path in sorted((root / "data").glob("*.csv"))}


def test_accept_killed_between_two_replacements_is_undone_by_the_next_run(reviewed) -> None:
    root, folder = reviewed
    rows_before = _data_rows(root)
    killed = _kill_at_second_replacement(root, folder)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _data_rows(root) != rows_before  # one table was grown when the process died
    assert list(root.glob(STAGING_PREFIX + "*")), "the killed run left its staging folder"
    assert not list((root / "data").glob(".*.tmp")), "no temporary file is left among the tables"

    result = accept_drafts(folder, root)  # puts the grown table back, then appends every draft once
    assert result.ok, result.describe()
    assert len(result.restored) == 1 and "put back" in result.describe()[0]
    assert not list(root.glob(STAGING_PREFIX + "*"))
    assert _data_rows(root) == {table: count + result.appended.get(table, 0) for table, count in rows_before.items()}
    report = validate_package(root)
    assert not [f for f in report.errors if not f.build_output], [f.message for f in report.errors][:3]


def test_a_staging_folder_without_its_journal_is_removed_and_nothing_restored(reviewed) -> None:
    root, folder = reviewed
    stale = root / f"{STAGING_PREFIX}abc"
    stale.mkdir()
    (stale / "new-0").write_text("half", encoding="utf-8")
    before = package_hashes(root)
    result = accept_drafts(folder, root)
    assert result.ok and result.restored == [] and not stale.exists()
    assert package_hashes(root) != before


def test_a_journal_cannot_name_a_file_outside_the_package(reviewed, tmp_path: Path) -> None:
    from jiutai_data.tools.accept import AcceptError

    root, folder = reviewed
    stale = root / f"{STAGING_PREFIX}abc"
    stale.mkdir()
    (stale / "journal.json").write_text('{"files": ["../outside.txt"]}', encoding="utf-8")
    (stale / "old-0").write_text("pwned", encoding="utf-8")
    with pytest.raises(AcceptError, match="cannot be used to undo"):
        accept_drafts(folder, root)
    assert not (tmp_path / "outside.txt").exists()


# --------------------------------------------------------------------------- drafts parsed strictly


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)


def test_a_draft_with_two_columns_of_one_name_is_refused(reviewed) -> None:
    root, folder = reviewed
    path = folder / "indicators.csv"

    def second_value(rows: list[list[str]]) -> None:
        at = rows[0].index("value")
        for row in rows:
            row.append(row[at] if row is rows[0] else "1")

    _rewrite(path, second_value)
    before = package_hashes(root)
    result = accept_drafts(folder, root)
    assert not result.ok and package_hashes(root) == before
    (problem,) = [p for p in result.problems if p.file == str(path)]
    assert problem.line == 1 and "repeated: value" in problem.message


def test_a_row_with_a_cell_beyond_the_header_is_refused_naming_its_line(reviewed) -> None:
    root, folder = reviewed
    path = folder / "indicators.csv"
    _rewrite(path, lambda rows: rows[2].append("a stray cell"))
    before = package_hashes(root)
    result = accept_drafts(folder, root)
    assert not result.ok and package_hashes(root) == before
    (problem,) = [p for p in result.problems if p.file == str(path)]
    assert problem.line == 3 and "more than the header's" in problem.message
