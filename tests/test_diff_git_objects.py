"""`jiutai-data diff` reads revisions from git objects, so a pull request's .gitattributes cannot hide
a file from it, and it shows a changed source text's changed lines beside the rows' changed cells."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import git

from jiutai_data.tools.diff import diff_packages
from jiutai_data.tools.diff_report import render_diff

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"), pytest.mark.data,
              pytest.mark.mutation]




def first_source(root: Path) -> tuple[str, Path]:
    row = next(csv.DictReader(io.StringIO((root / "data" / "sources.csv").read_text(encoding="utf-8"))))
    return row["id"], root / row["path"]


def change_text_and_a_figure(repo: Path) -> tuple[str, str]:
    """The second commit: the first source's text gets a line, its sha256 follows; a note changes."""
    source, path = first_source(repo)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + "另有一句。\n", encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sources = repo / "data" / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    old_digest = next(csv.DictReader(io.StringIO(text)))["sha256"]
    sources.write_text(text.replace(old_digest, digest), encoding="utf-8")
    return source, old_digest


def test_gitattributes_of_the_revision_cannot_hide_its_files(repository: Path) -> None:
    source, _ = change_text_and_a_figure(repository)
    (repository / ".gitattributes").write_text("data/** export-ignore\nschemas/** export-ignore\n", encoding="utf-8")
    git(repository, "add", "-A")
    git(repository, "commit", "--quiet", "-m", "a text changed, and the data hidden from git archive")
    diff = diff_packages("HEAD~1", "HEAD", repo=repository)
    assert diff.notes == []  # every table was read at both revisions
    assert [t.source for t in diff.texts] == [source]
    assert [t.table for t in diff.tables] == ["sources"]


def test_a_changed_text_shows_its_changed_lines_and_the_rows_their_cells(repository: Path) -> None:
    source, old_digest = change_text_and_a_figure(repository)
    lines = first_source(repository)[1].read_text(encoding="utf-8").splitlines()
    git(repository, "commit", "--quiet", "-am", "a text changed")
    diff = diff_packages("HEAD~1", "HEAD", repo=repository)
    assert [(t.source, t.lines) for t in diff.texts] == [(source, [f"+{len(lines)}: 另有一句。"])]
    text = render_diff(diff, "text")
    assert f"source text changed: {source}" in text and f"+{len(lines)}: 另有一句。" in text
    assert f"sha256: {old_digest} →" in text
    markdown = render_diff(diff, "markdown")
    assert f"### Source text changed: {source}" in markdown and f"- +{len(lines)}: 另有一句。" in markdown
    document = json.loads(render_diff(diff, "json"))
    assert document["texts"][0]["source"] == source and document["texts"][0]["lines"] == [f"+{len(lines)}: 另有一句。"]


def test_an_unchanged_text_is_not_listed(repository: Path) -> None:
    assert diff_packages("HEAD", "HEAD", repo=repository).texts == []
