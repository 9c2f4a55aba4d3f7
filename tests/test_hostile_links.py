"""Hostile pull requests, round 3: no link is followed out of the package, by any verb.

A pull request can commit `dist` as a symbolic link (git tracks links, and `dist/` in .gitignore
matched folders only): export and site wrote their files wherever it pointed. And accept read a
draft file that was a link to /etc/passwd, and printed its first line as an "unknown column".
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import REPO, copy_package
from jiutai_data.cli import main
from test_hostile_verbs import run, tree
from conftest import write_tiny_package


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return write_tiny_package(tmp_path / "work" / "package")


@pytest.mark.parametrize("verb", ["export", "site", "publish"])
def test_a_dist_that_is_a_link_is_refused_and_nothing_is_written_through_it(tiny: Path, tmp_path: Path, capsys,
                                                                          verb: str) -> None:
    if verb == "site":  # the site needs an export to read, made while dist is a folder
        assert run(capsys, "export", tiny, "--dist", tiny / "dist")[0] == 0
        (tiny / "dist").rename(tmp_path / "exported")
    outside = tmp_path / "outside"
    outside.mkdir()
    (tiny / "dist").symlink_to(tmp_path / "exported" if verb == "site" else outside)
    before = tree(tmp_path)
    status, _, err = run(capsys, verb, tiny, "--dist", tiny / "dist")
    assert status == 1, err
    assert "is a symbolic link" in err and "dist" in err
    after = tree(tmp_path)
    changed = {name for name in after if before.get(name) != after[name]} | set(before) - set(after)
    # build (run by publish) refreshes the package's own files; nothing else, and nothing outside it
    assert all(name.startswith("work/package/") and not name.startswith("work/package/dist") for name in changed), changed


def test_a_site_folder_that_is_a_link_is_refused(tiny: Path, tmp_path: Path, capsys) -> None:
    assert run(capsys, "export", tiny, "--dist", tiny / "dist")[0] == 0
    (tmp_path / "outside").mkdir()
    (tiny / "dist" / "site").symlink_to(tmp_path / "outside")
    before = tree(tmp_path)
    status, _, err = run(capsys, "site", tiny, "--dist", tiny / "dist")
    assert status == 1 and "site: refused" in err and "symbolic link" in err
    assert tree(tmp_path) == before


def test_gitignore_ignores_dist_whether_a_folder_or_a_link(tmp_path: Path) -> None:
    repository = tmp_path / "repository"
    repository.mkdir()
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    (repository / ".gitignore").write_bytes((REPO / ".gitignore").read_bytes())
    (repository / "dist").symlink_to(tmp_path)
    ignored = subprocess.run(["git", "-C", str(repository), "check-ignore", "-q", "dist"])
    assert ignored.returncode == 0, "a link named dist would be committed"


# --------------------------------------------------------------------------- accept reads plain files only


def _drafts(tmp_path: Path) -> tuple[Path, Path]:
    root = copy_package(tmp_path / "package")
    folder = root / "drafts" / "2024-01-15-fictional-example"
    folder.mkdir(parents=True)
    return root, folder


def test_accept_refuses_a_draft_that_is_a_link_and_shows_nothing_of_its_target(tmp_path: Path, capsys) -> None:
    root, folder = _drafts(tmp_path)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/sh\n", encoding="utf-8")
    (folder / "indicators.csv").symlink_to(secret)
    before = tree(tmp_path)
    status, _, err = run(capsys, "accept", folder, root)
    assert status == 1
    assert "symbolic link" in err and "root:x" not in err
    assert tree(tmp_path) == before


def test_accept_refuses_a_drafts_folder_that_is_a_link(tmp_path: Path, capsys) -> None:
    root = copy_package(tmp_path / "package")
    elsewhere = tmp_path / "elsewhere" / "2024-01-15-fictional-example"
    elsewhere.mkdir(parents=True)
    (elsewhere / "indicators.csv").write_text("root:x:0:0:root:/root:/bin/sh\n", encoding="utf-8")
    (root / "drafts").symlink_to(tmp_path / "elsewhere")
    status, _, err = run(capsys, "accept", root / "drafts" / "2024-01-15-fictional-example", root)
    assert status == 2 and "symbolic link" in err and "root:x" not in err


def test_the_one_hashing_helper_never_hashes_through_a_link(tmp_path):
    """Every digest the package takes of a file (twins, source texts, build outputs) goes through
    sha256_of_file, which reads only plain files."""
    from jiutai_data.model.files import NotARegularFile, sha256_of_bytes, sha256_of_file

    target = tmp_path / "outside.txt"
    target.write_bytes(b"not the package's")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    assert sha256_of_file(target) == sha256_of_bytes(b"not the package's")
    assert sha256_of_file(target, "sha512") == sha256_of_bytes(b"not the package's", "sha512") != sha256_of_file(target)
    with pytest.raises(NotARegularFile):
        sha256_of_file(link)
