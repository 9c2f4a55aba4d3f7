"""A release users can install and cite: one version in pyproject.toml, datapackage.json,
CITATION.cff, .zenodo.json, the CHANGELOG and `jiutai-data --version`; one release date (or
none) in the CHANGELOG, CITATION.cff and .zenodo.json; and the CHANGELOG says what changed in
the data before what changed in the tools."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib

import yaml

from conftest import REPO
from jiutai_data.cli import main, package_version
from jiutai_data.model.package import open_package

VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
CITATION = yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))
ZENODO = json.loads((REPO / ".zenodo.json").read_text(encoding="utf-8"))
CHANGELOG = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")


def latest_entry() -> re.Match[str]:
    """The CHANGELOG's first version heading: `## 1.2.3 (2026-12-06)` or `## 1.2.3 (unreleased)`."""
    match = re.search(r"^## (\S+) \((\d{4}-\d{2}-\d{2}|unreleased)\)$", CHANGELOG, re.MULTILINE)
    assert match, "the CHANGELOG's first entry is not '## VERSION (YYYY-MM-DD)' or '## VERSION (unreleased)'"
    return match


def test_the_version_agrees_everywhere(capsys) -> None:
    assert open_package(REPO).descriptor["version"] == VERSION
    assert str(CITATION["version"]) == VERSION
    assert ZENODO["version"] == VERSION
    assert latest_entry().group(1) == VERSION
    assert package_version() == VERSION
    try:
        main(["--version"])
    except SystemExit as exit:
        assert exit.code == 0
    assert capsys.readouterr().out.strip() == f"jiutai-data {VERSION}"


def test_the_installed_command_reports_the_version() -> None:
    script = REPO / ".venv" / "bin" / "jiutai-data"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "jiutai_data.cli"]
    done = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == f"jiutai-data {VERSION}"


def test_the_release_date_agrees_or_is_unreleased_everywhere() -> None:
    date = latest_entry().group(2)
    if date == "unreleased":
        assert "publication_date" not in ZENODO, ".zenodo.json dates a release the CHANGELOG calls unreleased"
        assert "unreleased" in str(CITATION.get("date-released", "unreleased")).lower() or "date-released" not in CITATION
    else:
        assert str(CITATION["date-released"]) == date
        assert ZENODO["publication_date"] == date


def test_zenodo_metadata_agrees_with_the_citation() -> None:
    assert ZENODO["title"] == CITATION["title"]
    assert ZENODO["upload_type"] == str(CITATION["type"])
    assert ZENODO["license"].lower() == str(CITATION["license"]).lower()
    assert [creator["name"] for creator in ZENODO["creators"]] == [author["name"] for author in CITATION["authors"]]
    assert ZENODO["keywords"] == CITATION["keywords"]


def test_the_changelog_gives_the_data_before_the_tools() -> None:
    entry = CHANGELOG[latest_entry().end():]
    entry = entry.split("\n## ", 1)[0]
    sections = re.findall(r"^### (.+)$", entry, re.MULTILINE)
    assert sections[:2] == ["Data", "Tools"], sections
