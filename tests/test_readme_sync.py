"""The README: its generated sections match the package, it is short and starts with the
Quickstart, which is exactly the two commands, and it shows how to load and verify the data in
each tool it promises. (The data dictionary, recipes and finding codes are pages of the docs site:
tests/test_docs_site.py.)"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path

from conftest import PACKAGE, REPO, copy_package

from jiutai_data.publish.readme import SECTIONS, readme_inputs, render_readme, stale_readme_sections
from jiutai_data.model.package import open_package
import pytest

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

README = PACKAGE / "README.md"


def section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"the README has no section '## {heading}'"
    return match.group(1)


def test_the_generated_sections_of_the_readme_match_the_package() -> None:
    assert stale_readme_sections(PACKAGE) == [], "run `jiutai-data build` (or `make`) to refresh the README"


def test_the_readme_marks_every_generated_section() -> None:
    text = README.read_text(encoding="utf-8")
    for name in SECTIONS:
        assert f"<!-- BEGIN GENERATED: {name} -->" in text and f"<!-- END GENERATED: {name} -->" in text


def test_the_readme_is_short_and_the_quickstart_comes_first() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 300, f"the README has {len(lines)} lines; move the long parts to docs/"
    assert lines.index("## Quickstart") < 80 - 10  # the heading, and its two commands, in the first 80 lines


def test_the_quickstart_shows_exactly_make_and_make_test_each_on_its_own_line() -> None:
    quickstart = section(README.read_text(encoding="utf-8"), "Quickstart")
    blocks = re.findall(r"```[a-z]*\n(.*?)```", quickstart, re.DOTALL)
    assert blocks, "the Quickstart has no code block"
    assert blocks[0].splitlines() == ["make", "make test"]
    assert len(blocks) == 1


def test_the_tables_section_lists_every_table_with_its_row_count() -> None:
    generated = section(README.read_text(encoding="utf-8"), "The tables")
    for table in open_package(PACKAGE).tables:
        with table.csv_path.open(encoding="utf-8", newline="") as stream:
            rows = sum(1 for _ in csv.DictReader(stream))
        assert re.search(rf"^\| `{table.name}` \| {rows} \|", generated, re.MULTILINE), table.name


def test_refreshing_rewrites_only_between_the_markers_and_is_idempotent(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    text = "intro\n<!-- BEGIN GENERATED: tables -->\nstale\n<!-- END GENERATED: tables -->\noutro\n"
    once = render_readme(text, *readme_inputs(root))
    assert once.startswith("intro\n<!-- BEGIN GENERATED: tables -->\n| Table |")
    assert once.endswith("<!-- END GENERATED: tables -->\noutro\n")
    assert "stale" not in once
    assert render_readme(once, *readme_inputs(root)) == once


def test_a_changed_schema_description_makes_the_readme_stale(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    (root / "README.md").write_text(render_readme(README.read_text(encoding="utf-8"), *readme_inputs(root)), encoding="utf-8")
    assert stale_readme_sections(root) == []
    descriptor = root / "datapackage.json"
    table = open_package(root).tables[0]
    text = descriptor.read_text(encoding="utf-8")
    assert text.count(json.dumps(table.description, ensure_ascii=False)) == 1
    descriptor.write_text(text.replace(json.dumps(table.description, ensure_ascii=False),
                                       json.dumps("Changed. " + table.description, ensure_ascii=False)), encoding="utf-8")
    assert stale_readme_sections(root) == ["tables"]  # its row counts and descriptions


def test_the_readme_shows_how_to_load_and_verify_the_data_in_each_tool() -> None:
    text = README.read_text(encoding="utf-8")
    descriptor = open_package(PACKAGE).descriptor
    for snippet in [
        'jiutai_data.load("indicators")',
        'engine="polars"',
        "pd.read_parquet(",
        "pl.read_parquet(",
        "FROM 'data/indicators.parquet'",  # DuckDB
        'arrow::read_parquet("data/indicators.parquet")',  # R
        "make dist",
        "pip install dist/jiutai_data-*.whl",
        "jiutai-data --version",
        "dist/jiutai-data.xlsx",
        "make serve",
        f"frictionless validate {descriptor['name']}-{descriptor['version']}.zip",
        "sha256sum -c SHA256SUMS",
        "CITATION.cff",
        ".zenodo.json",
        "CC-BY-4.0",
        "[MIT](LICENSE)",
    ]:
        assert snippet in text, snippet


def test_every_zip_and_version_the_readme_names_is_the_packages() -> None:
    descriptor = open_package(PACKAGE).descriptor
    text = README.read_text(encoding="utf-8")
    assert set(re.findall(r"jiutai-data-(\d[\w.]*)\.zip", text)) == {descriptor["version"]}
    assert set(re.findall(r"version\n?> ?(\d+\.\d+\.\d+)", text)) <= {descriptor["version"]}


def test_the_readme_links_only_to_files_that_exist() -> None:
    text = README.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#:]+)\)", text):
        if target.startswith("dist/"):
            continue  # written by make; the next test holds make to writing it
        # the package's own files (data, schemas) where it is, the rest in the repository
        assert (PACKAGE / target).exists() or (REPO / target).exists(), target


def test_the_readme_links_the_data_browser_and_the_docs_that_make_writes() -> None:
    text = README.read_text(encoding="utf-8")
    assert "](dist/site/index.html)" in text
    assert "](dist/docs/index.html)" in text
    make = subprocess.run(["make", "-n"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    # make runs `jiutai-data publish`, which writes the site (tests/test_publish_once.py)
    assert "publish" in re.findall(r"jiutai-data (\w+)", make)
    # and builds the docs site into dist/docs (tests/test_docs_site.py builds it)
    assert re.search(r"mkdocs build --strict .*--site-dir dist/docs", make)
