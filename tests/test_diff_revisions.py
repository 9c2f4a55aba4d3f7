"""`jiutai-data diff` between git revisions of a throwaway repository, and between
a revision and a working folder; the repository is only read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import PACKAGE
from jiutai_data.cli import main
from jiutai_data.tools.diff import DiffError, diff_packages

COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"), pytest.mark.data]


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A repository holding the package, with two commits: the second changes,
    adds and removes rows of units.csv."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy2(COMMITTED / "datapackage.json", repo)
    for folder in ("schemas", "data"):
        shutil.copytree(COMMITTED / folder, repo / folder)
    units = repo / "data/units.csv"
    original = units.read_bytes()
    units.write_bytes(original + b"rev-unit-a,count,1,unit a,\nrev-unit-b,count,1,unit b,\n")
    git(repo, "init", "--quiet")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "first")
    units.write_bytes(original + b"rev-unit-a,count,2,unit a,\nrev-unit-c,count,1,unit c,\n")
    git(repo, "commit", "--quiet", "-am", "second")
    return repo


def test_two_revisions_report_the_changed_added_and_removed_rows(repository: Path) -> None:
    diff = diff_packages("HEAD~1", "HEAD", repo=repository)
    assert [t.table for t in diff.tables] == ["units"]
    units = diff.tables[0]
    assert [e.key["unit_as_stated"] for e in units.added] == ["rev-unit-c"]
    assert [e.key["unit_as_stated"] for e in units.removed] == ["rev-unit-b"]
    assert [(c.key["unit_as_stated"], [(x.column, x.old, x.new) for x in c.columns]) for c in units.changed] == [
        ("rev-unit-a", [("factor", "1", "2")])]


def test_a_revision_against_the_working_folder_shows_uncommitted_edits(repository: Path) -> None:
    with (repository / "data/units.csv").open("ab") as stream:
        stream.write(b"rev-unit-d,count,1,unit d,\n")
    diff = diff_packages("HEAD", str(repository), repo=repository)
    assert [e.key["unit_as_stated"] for e in diff.tables[0].added] == ["rev-unit-d"]


def test_the_same_revision_twice_reports_no_changes_and_exits_0(repository: Path, capsys) -> None:
    assert main(["diff", "HEAD", "HEAD", "--repo", str(repository)]) == 0
    assert capsys.readouterr().out.strip().endswith("no changes")


def test_reading_revisions_leaves_the_repository_unchanged(repository: Path) -> None:
    status_before, head_before = git(repository, "status", "--porcelain"), git(repository, "rev-parse", "HEAD")
    diff_packages("HEAD~1", "HEAD", repo=repository)
    assert git(repository, "status", "--porcelain") == status_before
    assert git(repository, "rev-parse", "HEAD") == head_before


def test_an_unknown_revision_exits_2_without_a_traceback(repository: Path, capsys) -> None:
    assert main(["diff", "no-such-branch", "HEAD", "--repo", str(repository)]) == 2
    error = capsys.readouterr().err
    assert "'no-such-branch' is neither a package folder" in error
    assert "Traceback" not in error


def test_a_revision_that_looks_like_an_option_is_not_passed_to_git_as_one(repository: Path) -> None:
    with pytest.raises(DiffError, match="neither a package folder"):
        diff_packages("--output=pwned", "HEAD", repo=repository)
    assert not (repository / "pwned").exists()
