"""The documentation site (mkdocs.yml, docs/ and the pages publish/docs.py generates) builds in
MkDocs' strict mode, which fails on a broken link or anchor and on a page left out of the nav,
and gives every table, every column, every finding code and every unit its place."""

from __future__ import annotations

import csv
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, copy_package
from jiutai_data.model import codes
from jiutai_data.model.package import open_package
from jiutai_data.publish import docs

pytest.importorskip("mkdocs", reason="the docs site needs the docs extra (a dev dependency)")
pytest.importorskip("material", reason="the docs site needs mkdocs-material (a dev dependency)")

TABLES = open_package(REPO).tables


def page(site: Path, markdown_path: str) -> str:
    return (site / markdown_path).with_suffix(".html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    result = docs.build_docs(REPO, out, strict=True)  # raises if mkdocs fails, strict or not
    assert not re.search(r"^(WARNING|ERROR) +-", result.stderr, re.M), result.stderr
    return out


def test_the_site_builds_in_strict_mode_with_every_page(site: Path) -> None:
    for path in docs.PAGES:
        assert (site / path).with_suffix(".html").is_file(), path
    hand_written = [path.relative_to(REPO / "docs").as_posix() for path in (REPO / "docs").rglob("*.md")]
    assert hand_written and all((site / path).with_suffix(".html").is_file() for path in hand_written)


def test_the_generated_pages_are_not_committed() -> None:
    # the hook generates them at every build, so nothing generated can go stale in docs/
    assert [path for path in docs.PAGES if (REPO / "docs" / path).exists()] == []


def test_every_table_has_its_anchor_in_the_dictionary_and_the_recipes(site: Path) -> None:
    dictionary, recipes = page(site, docs.DICTIONARY), page(site, docs.RECIPES)
    for table in TABLES:
        assert f'id="{table.name}"' in dictionary, table.name
        assert f'id="{table.name}"' in recipes, table.name


def test_the_dictionary_describes_every_field_of_every_table() -> None:
    markdown = docs.generated_pages(REPO)[docs.DICTIONARY]
    sections = dict(re.findall(r"^## `([^`]+)`.*?\n(.*?)(?=^## |\Z)", markdown, re.M | re.S))
    for table in TABLES:
        for field in table.schema["fields"]:
            assert f"| `{field['name']}` | {field.get('type', 'string')} |" in sections[table.name], (table.name, field["name"])


def test_every_finding_code_has_its_anchor(site: Path) -> None:
    checks = page(site, docs.CHECKS)
    anchors = set(re.findall(r'id="([^"]+)"', checks))
    assert set(codes.CODES) <= anchors, sorted(set(codes.CODES) - anchors)
    families = {code.family for code in codes.CODES.values()}
    assert {docs.family_anchor(family) for family in families} <= anchors


def test_the_codes_page_lists_exactly_the_registered_codes() -> None:
    markdown = docs.generated_pages(REPO)[docs.CHECKS]
    assert sorted(re.findall(r"^### `([a-z0-9-]+)`:", markdown, re.M)) == sorted(codes.CODES)


def test_the_units_page_lists_every_unit(site: Path) -> None:
    units = next(table for table in TABLES if table.name == "units")
    with units.csv_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    text = html.unescape(page(site, docs.UNITS))
    assert rows
    for row in rows:
        assert f"<code>{row['unit_as_stated']}</code>" in text, row["unit_as_stated"]


def test_the_units_page_is_written_from_the_twin_so_make_parses_each_csv_once(tmp_path: Path) -> None:
    """The CSV files are parsed once, by validate (tests/test_publish_once.py); the docs hook reads
    the typed twins the build wrote. With the CSV gone, the page is the same, factors as written."""
    root = copy_package(tmp_path / "package")
    tables = open_package(root).tables
    before = docs.units_page(root, tables)
    units = next(table for table in tables if table.name == "units")
    with units.csv_path.open(encoding="utf-8", newline="") as stream:
        factors = {row["factor"] for row in csv.DictReader(stream)}
    units.csv_path.unlink()
    assert docs.units_page(root, tables) == before
    assert all(f"| {factor} |" in before for factor in factors)


def test_the_contributor_guide_and_changelog_are_the_root_files(site: Path) -> None:
    for path, name in [(docs.CONTRIBUTING, "CONTRIBUTING.md"), (docs.CHANGELOG, "CHANGELOG.md")]:
        first_heading = (REPO / name).read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        assert html.escape(first_heading, quote=False) in page(site, path), name


def test_a_broken_anchor_fails_the_build(tmp_path: Path) -> None:
    # strict mode counts warnings only when they are logged: `--quiet` would let this pass
    root = copy_package(tmp_path / "project", source=REPO)
    for name in (docs.CONFIG, "CONTRIBUTING.md", "CHANGELOG.md"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "docs", root / "docs")
    (root / "src/jiutai_data/publish").mkdir(parents=True)
    shutil.copy2(REPO / "src/jiutai_data/publish/docs.py", root / "src/jiutai_data/publish/docs.py")
    with (root / "docs/index.md").open("a", encoding="utf-8") as page_file:
        page_file.write("\n[a table that is not there](data/dictionary.md#no-such-table)\n")
    with pytest.raises(subprocess.CalledProcessError) as failed:
        docs.build_docs(root, tmp_path / "site")
    assert "no-such-table" in failed.value.stderr
