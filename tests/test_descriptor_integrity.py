"""datapackage.json's claims about its files hold: `bytes` and `hash` match, the standard
tool accepts the built package, and every place that states the version agrees."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import PACKAGE, REPO, copy_package

import jiutai_data
from jiutai_data.publish.build import FORMATS_WITHOUT_BYTE_COUNT, build_package
from jiutai_data.model.package import descriptor_text, local_resources, open_package

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


def assert_integrity_matches_files(root: Path) -> None:
    for resource in local_resources(open_package(root).descriptor):
        data = (root / resource["path"]).read_bytes()
        assert resource.get("hash") == "sha256:" + hashlib.sha256(data).hexdigest(), resource["name"]
        if resource.get("format") in FORMATS_WITHOUT_BYTE_COUNT:
            assert "bytes" not in resource, resource["name"]
        else:
            assert resource.get("bytes") == len(data), resource["name"]


def test_the_committed_descriptor_records_the_bytes_and_hash_of_every_file() -> None:
    assert_integrity_matches_files(PACKAGE)


def test_a_build_records_the_bytes_and_hash_of_every_file(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    assert build_package(root).report.valid
    assert_integrity_matches_files(root)


def test_the_committed_descriptor_has_the_build_formatting() -> None:
    text = (PACKAGE / "datapackage.json").read_text(encoding="utf-8")
    assert text == descriptor_text(json.loads(text))


def test_frictionless_validate_accepts_the_built_package_csv_and_parquet_alike(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    root = copy_package(tmp_path / "package")
    assert build_package(root).report.valid
    report = frictionless.validate(root / "datapackage.json")
    problems = [(task.name, error.message) for task in report.tasks for error in task.errors]
    assert report.valid, problems[:10]
    assert {task.name for task in report.tasks} == {resource["name"] for resource in open_package(root).descriptor["resources"]}


def test_the_version_is_the_same_everywhere_it_is_stated() -> None:
    version = open_package(PACKAGE).descriptor["version"]
    assert tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"] == version
    assert jiutai_data.__version__ == version
    assert str(yaml.safe_load((PACKAGE / "CITATION.cff").read_text(encoding="utf-8"))["version"]) == version
    # the first versioned entry (an "## Unreleased" entry above it gathers changes for the next version)
    first_entry = re.search(r"^## (\d\S*)", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.MULTILINE)
    assert first_entry and first_entry.group(1) == version


def test_citation_cff_has_the_keys_cff_1_2_0_requires() -> None:
    citation = yaml.safe_load((PACKAGE / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["message"] and citation["title"]
    assert citation["authors"] and all("name" in a or "family-names" in a for a in citation["authors"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(citation["date-released"]))
    assert citation["license"] == open_package(PACKAGE).descriptor["licenses"][0]["name"]
    for reference in citation.get("references", []):
        assert reference["type"] and reference["title"] and reference["authors"]


def test_the_licence_files_the_descriptor_and_readme_point_to_exist() -> None:
    assert "MIT License" in (REPO / "LICENSE").read_text(encoding="utf-8")
    data_licence = (REPO / "LICENSE-DATA.md").read_text(encoding="utf-8")
    assert "CC-BY-4.0" in data_licence and "publisher" in data_licence
    assert tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["license"] == "MIT"


def test_dist_and_the_virtual_environment_are_ignored_by_git() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").split()
    # (dist without a slash: ignored whether a folder or a link that a pull request commits)
    assert {".venv/", "dist"} <= set(ignored)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_makefile_publishes_in_one_command_by_default_and_tests_with_make_test() -> None:
    import subprocess

    dry_run = subprocess.run(["make", "-n", "-W", "pyproject.toml", "all"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout
    steps = [line for line in dry_run.splitlines() if "jiutai-data " in line]
    # one process validates once, then builds, exports, writes the site and the summary
    assert [re.search(r"jiutai-data (\w+)", line).group(1) for line in steps] == ["publish"]
    assert "pip install" in dry_run and "-e '.[dev]'" in dry_run
    test_run = subprocess.run(["make", "-n", "test"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert "pytest" in test_run
    assert "scripts/install-browser.sh" in test_run, "make test installs Chromium for the browser tests"


def test_ci_runs_the_two_commands_and_the_workflow_adds_the_markdown_report_to_the_job_summary() -> None:
    import os

    ci_run = REPO / ".ci" / "run"
    assert os.access(ci_run, os.X_OK)
    commands = [line.strip() for line in ci_run.read_text(encoding="utf-8").splitlines()]
    assert "set -euo pipefail" in commands
    assert commands.index("make") < commands.index("make test")
    assert "export JIUTAI_REQUIRE_BROWSER=1" in commands, "CI must fail, not skip, when the browser tests cannot run"

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML reads the key `on` as True
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any(step.startswith("make") and "test" not in step for step in steps)
    assert "make test" in steps
    assert any("validate --format markdown" in step and "$GITHUB_STEP_SUMMARY" in step for step in steps)


def test_the_descriptor_and_citation_name_every_source_of_the_sources_table() -> None:
    import csv

    with (PACKAGE / "data" / "sources.csv").open(encoding="utf-8", newline="") as stream:
        sources = list(csv.DictReader(stream))
    described = open_package(PACKAGE).descriptor["sources"]
    citation = yaml.safe_load((PACKAGE / "CITATION.cff").read_text(encoding="utf-8"))
    for source in sources:
        assert any(entry.get("path") == (source["url"] or source["path"]) and source["title_zh"] in entry["title"]
                   for entry in described), source["id"]
        assert any(reference["title"] == source["title_zh"] and reference["date-published"] == source["published"][:10]
                   for reference in citation["references"]), source["id"]
        assert source["publisher_en"] in citation["abstract"]
    documents = [entry for entry in described if "path" in entry]
    assert len(documents) == len(sources) == len(citation["references"])
    assert f"from {len(sources)} source document" in citation["abstract"]


def test_the_generated_sections_of_citation_cff_match_the_package() -> None:
    from jiutai_data.publish.metadata import stale_citation_sections

    assert stale_citation_sections(PACKAGE) == [], "run `jiutai-data build` (or `make`) to refresh CITATION.cff"


def _sources_table(root: Path) -> list[dict[str, str]]:
    import csv

    with (root / "data" / "sources.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def assert_description_follows_the_sources(root: Path) -> None:
    sources = _sources_table(root)
    description = open_package(root).descriptor["description"]
    count = len(sources)
    assert f"extracted from {count} source document{'s' if count != 1 else ''} (" in description
    for source in sources:
        assert f"{source['publisher_en']}, {source['published'][:10]}" in description, source["id"]
    assert "government reports" not in description  # the hand-written claim it replaced


def test_the_descriptor_description_is_written_from_the_sources_table() -> None:
    assert_description_follows_the_sources(PACKAGE)


def test_the_description_counts_and_names_the_sources_it_is_given(tmp_path: Path) -> None:
    from dataclasses import replace

    from jiutai_data.publish.build import refreshed_descriptor
    from jiutai_data.publish.metadata import Source

    one = Source(id="a", title_zh="甲", title_en="A", publisher_zh="长春日报", publisher_en="Changchun Daily",
                 date="2022-12-12", url="", author="", path="data/sources/a.txt", licence_note="", note="", rows=3)
    two = replace(one, id="b", publisher_zh="九台区统计局", publisher_en="Jiutai District Statistics Bureau",
                  date="2023-03-01")
    root = copy_package(tmp_path / "package")
    descriptor = open_package(root).descriptor
    assert "extracted from 1 source document (Changchun Daily, 2022-12-12)." in \
        refreshed_descriptor(root, descriptor, [one])["description"]
    assert ("extracted from 2 source documents (Changchun Daily, 2022-12-12; Jiutai District Statistics Bureau, "
            "2023-03-01).") in refreshed_descriptor(root, descriptor, [one, two])["description"]
    assert refreshed_descriptor(root, descriptor, None)["description"] == descriptor["description"]  # no sources read
