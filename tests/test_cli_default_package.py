"""With no package named, a command reads the package the user stands in (the current folder
or its nearest parent holding datapackage.json, as git finds its repository); only outside
any package does it read the bundled one. Either way it says which package it read."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_package

from jiutai_data.cli import main
from jiutai_data.model.paths import bundled_package_dir, default_package_dir, enclosing_package_dir


def _break(root: Path) -> None:
    topics = root / "data" / "topics.csv"
    topics.write_bytes(topics.read_bytes() + b"alone\n")  # a row with too few cells


def test_validate_inside_a_subfolder_of_a_copy_validates_that_copy(tmp_path: Path, monkeypatch, capsys) -> None:
    root = copy_package(tmp_path / "copy")
    _break(root)
    monkeypatch.chdir(root / "data" / "sources")
    assert main(["validate"]) == 1  # the bundled package is valid: only the copy has the bad row
    captured = capsys.readouterr()
    assert f"validate: package {root}" in captured.err
    assert "data/topics.csv" in captured.out and "missing-cell" in captured.out


def test_outside_any_package_the_bundled_one_is_read_and_named(tmp_path: Path, monkeypatch, capsys) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert enclosing_package_dir(outside) is None
    assert default_package_dir() == bundled_package_dir()
    assert main(["summary"]) == 0
    assert f"summary: package {bundled_package_dir()}" in capsys.readouterr().err


def test_the_nearest_enclosing_package_wins(tmp_path: Path) -> None:
    outer = copy_package(tmp_path / "outer")
    inner = copy_package(outer / "nested" / "inner")
    assert default_package_dir(inner / "data") == inner
    assert default_package_dir(outer / "nested") == outer


@pytest.mark.parametrize("verb", ["build", "summary"])
def test_every_package_verb_uses_the_enclosing_package(verb: str, tmp_path: Path, monkeypatch, capsys) -> None:
    root = copy_package(tmp_path / "copy")
    monkeypatch.chdir(root / "schemas")
    main([verb])
    assert f"{verb}: package {root}" in capsys.readouterr().err
