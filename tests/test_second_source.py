"""A second, clearly fictional source grows a copy of the package (tests/second_source.py), and
the data tests (marker ``data``) pass on the grown copy as they do on the committed one: no
test is pinned to the rows, the warnings or the single source of today's package. `make test`
runs again every data test but those marked ``mutation`` (see below); `make bench` runs all.

The fixture's figures are of a fictional district it adds to `regions`, so that a real source
about Jiutai cannot contradict them: the tests at the end grow the package after a stand-in
for such a source (other figures of Jiutai for 2022, 2023 and 2024) and show the fixture
growing it as it grows the committed package, and the same fixture set in Jiutai colliding."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import PACKAGE, PACKAGE_ENVIRONMENT, REPO
from second_source import (FIXTURE, JIUTAI_STAND_IN, add_second_source, copy_package_files, fixture_rows,
                           fixture_tables, grow_package, grow_with_jiutai_stand_in, metadata, row_ids)

from jiutai_data.model.package import open_package
from jiutai_data.validate.run import validate_package

# Run inside the data tests' second run, this module would start a third: it runs once, on the
# package it grows itself.
pytestmark = pytest.mark.skipif(bool(os.environ.get(PACKAGE_ENVIRONMENT)),
                                reason="the data tests are being run on a grown package already")
SOURCE_ID = metadata()["id"]


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return grow_package(PACKAGE, tmp_path_factory.mktemp("grown") / "package")


@pytest.fixture(scope="module")
def jiutai_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package after a (stand-in for a) real source on Jiutai arrived, its warnings acknowledged."""
    return grow_with_jiutai_stand_in(PACKAGE, tmp_path_factory.mktemp("jiutai") / "package")


@pytest.fixture(scope="module")
def after_jiutai(jiutai_base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """That package grown by the fixture."""
    return grow_package(jiutai_base, tmp_path_factory.mktemp("grown-after-jiutai") / "package")


def rows_of(root: Path, table: str) -> list[dict[str, str]]:
    layout = next(t for t in open_package(root).tables if t.name == table)
    with layout.csv_path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_source_is_labelled_fictional_in_its_text_and_metadata() -> None:
    text = (FIXTURE / "source.txt").read_text(encoding="utf-8")
    assert text.startswith("【虚构示例】") and "虚构" in metadata()["title"]
    assert "FICTIONAL" in metadata()["title_en"] and "example.org" in metadata()["url"]


def test_every_figure_of_the_source_is_of_a_fictional_place_the_fixture_adds() -> None:
    """So that no real source can ever state the same figure: the fixture's places are its own
    regions, without a division code, named 虚构 (fictional)."""
    places = {row["id"]: row for row in fixture_rows("regions")}
    assert places and all(row["code"] == "" and row["name_zh"].startswith("虚构") and "FICTIONAL" in row["note"]
                          for row in places.values())
    used = {row[column] for table in fixture_tables() for row in fixture_rows(table)
            for column in ("region_id", "compared_with_region_id") if row.get(column)}
    assert used and used <= set(places), used - set(places)


def test_the_source_adds_rows_to_every_table_that_cites_a_source(grown: Path) -> None:
    citing = [t.name for t in open_package(grown).tables if "source_id" in {f["name"] for f in t.schema["fields"]}]
    assert citing and set(citing) <= set(fixture_tables())
    for table in citing:
        assert any(row["source_id"] == SOURCE_ID for row in rows_of(grown, table)), table


def test_the_source_has_rows_of_every_measure_status_and_kind_of_omission(grown: Path) -> None:
    for table, column in [("indicators", "measure"), ("indicators", "status"), ("omissions", "kind")]:
        schema = next(t.schema for t in open_package(grown).tables if t.name == table)
        allowed = next(f["constraints"]["enum"] for f in schema["fields"] if f["name"] == column)
        used = {row[column] for row in rows_of(grown, table) if row["source_id"] == SOURCE_ID}
        assert used == set(allowed), (table, column)
    stated = {row["value_as_stated"] for row in rows_of(grown, "indicators") if row["source_id"] == SOURCE_ID}
    assert {"２５", "三百", "六"} <= stated  # full-width digits and Chinese numerals, as written


def acknowledged_keys(root: Path) -> tuple[set[tuple[str, str, str]], list]:
    """(finding code, table, row ID) of each acknowledged warning of the package at ``root``; its findings."""
    report = validate_package(root)
    assert report.valid and report.warnings == [], [f.message for f in report.findings if f.severity != "info"]
    return {(f.check, f.table, row_ids(root, f.table)[f.row]) for f in report.acknowledged}, report.findings


def fixture_acknowledgements() -> set[tuple[str, str, str]]:
    return {(row["finding_code"], row["table_name"], row["row_id"]) for row in fixture_rows("acknowledgements")}


@pytest.fixture(scope="module")
def acknowledged_before() -> set[tuple[str, str, str]]:
    """The warnings acknowledged in the package under test, before any source is added: its rows of
    `acknowledgements` (each matches one, test_data_package.py shows)."""
    return {(row["finding_code"], row["table_name"], row["row_id"]) for row in rows_of(PACKAGE, "acknowledgements")}


def test_the_grown_package_is_valid_with_every_warning_acknowledged(grown: Path, acknowledged_before) -> None:
    before = acknowledged_before
    after, _ = acknowledged_keys(grown)
    # the package's own acknowledged warnings, and those the fixture's reviewer acknowledged: no other
    assert fixture_acknowledgements() and after == before | fixture_acknowledgements()
    assert len(rows_of(grown, "sources")) == len(rows_of(PACKAGE, "sources")) + 1 >= 2


def run_data_tests(grown: Path, marker: str) -> str:
    """The data tests selected by ``marker``, run again with JIUTAI_PACKAGE set to the grown copy
    (the browser tests are left out: they need a browser and time); the summary line."""
    environment = {**os.environ, PACKAGE_ENVIRONMENT: str(grown)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", marker, "-p", "no:cacheprovider",
         "--ignore", str(REPO / "tests" / "test_site_browser.py"), str(REPO / "tests")],
        cwd=REPO, env=environment, capture_output=True, text=True, timeout=1200)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    passed = re.search(r"(\d+) passed", summary)
    assert passed and int(passed.group(1)) >= 100, summary
    assert "failed" not in summary and "error" not in summary, summary
    return summary


def test_every_data_test_that_reads_the_rows_passes_on_the_grown_package(grown: Path) -> None:
    """The proof, in `make test`: every data test whose expectations come from the package's rows,
    run on the grown copy. Left out are the tests marked `mutation`: each breaks a copy in one way
    and expects what that break must produce, picking the row to break by what the rows say (the
    first row that fits, the last row of a file), so on the grown copy they break a row found the
    same way and expect the same; the sweep below runs them too."""
    run_data_tests(grown, "data and not mutation")


@pytest.mark.sweep
def test_every_data_test_passes_on_the_grown_package(grown: Path) -> None:
    """The whole proof (`make bench`): every data test, the `mutation` ones included."""
    run_data_tests(grown, "data")


@pytest.mark.sweep
def test_every_data_test_that_reads_the_rows_passes_after_a_real_source_on_jiutai(after_jiutai: Path) -> None:
    """The same proof (`make bench`) on the package grown after a source on Jiutai has arrived."""
    run_data_tests(after_jiutai, "data and not mutation")


def test_the_fixture_states_only_columns_the_package_knows(grown: Path) -> None:
    """A fixture column no table has would be dropped silently; only those the data model moved
    to another table (and that table's fixture states) may be missing from their own."""
    known = {f["name"] for t in open_package(grown).tables for f in t.schema["fields"]}
    for table in fixture_tables():
        with (FIXTURE / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
            header = next(csv.reader(stream))
        assert set(header) <= known, (table, set(header) - known)
    assert json.loads((grown / "datapackage.json").read_text(encoding="utf-8"))["resources"]


def test_the_descriptor_readme_citation_and_charts_follow_the_new_source(grown: Path) -> None:
    import polars as pl
    import yaml

    from jiutai_data.publish.readme import readme_inputs, sources_section
    from jiutai_data.publish.site.charts import headline_chart

    meta = metadata()
    before = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))["sources"]
    after = json.loads((grown / "datapackage.json").read_text(encoding="utf-8"))["sources"]
    assert [e for e in after if e not in before] == [
        {"title": f"{meta['publisher']} ({meta['publisher_en']}), {meta['published'][:10]}: {meta['title']} "
                  f"({meta['title_en']})", "path": meta["url"]}]
    readme = (grown / "README.md").read_text(encoding="utf-8")
    assert sources_section(*readme_inputs(grown)) in readme and f"`{SOURCE_ID}`" in readme
    rows = sum(1 for t in open_package(grown).tables for row in (rows_of(grown, t.name) if "source_id" in
               {f["name"] for f in t.schema["fields"]} else []) if row["source_id"] == SOURCE_ID)
    assert f"| {meta['published'][:10]} | {rows} |" in readme
    citation = yaml.safe_load((grown / "CITATION.cff").read_text(encoding="utf-8"))
    assert meta["publisher_en"] in citation["abstract"] and meta["title"] in [r["title"] for r in citation["references"]]
    def indicators_of(root: Path) -> pl.DataFrame:  # as the site sees them, with the catalogue's names
        indicators = pl.read_csv(root / "data" / "indicators.csv", infer_schema=False)
        if (root / "data" / "catalogue.csv").is_file():
            from jiutai_data.read.catalogue import with_catalogue

            indicators = with_catalogue(indicators, pl.read_csv(root / "data" / "catalogue.csv", infer_schema=False))
        return indicators

    chart = headline_chart(indicators_of(grown))
    newest = max((r for r in fixture_rows("indicators") if r["measure"] == "level"
                  and any(c["measure"] == "yoy_change" and c["indicator"] == r["indicator"]
                          and c["period_end"] == r["period_end"] for c in fixture_rows("indicators"))),
                 key=lambda r: r["period_end"])
    # the headline shows the fixture's newest level with its change, and its year in the span of the title
    assert f"#row={quote(newest['id'], safe='')}" in chart.svg
    assert newest["period_end"][:4] in chart.title_en


# --------------------------------------------------------------------------- after a real source on Jiutai


def test_the_stand_in_states_figures_of_jiutai_for_the_fixtures_indicators_and_years() -> None:
    """The proof below is not vacuous: the stand-in states, for Jiutai, figures of the same indicator,
    measure and period as the fixture does for its fictional district, with other values."""
    def figures(fixture: Path) -> dict[tuple[str, str, str, str], str]:
        return {(r["indicator"], r["measure"], r["period_start"], r["period_end"]): r["value"]
                for r in fixture_rows("indicators", fixture)}

    stand_in, fixture = figures(JIUTAI_STAND_IN), figures(FIXTURE)
    shared = set(stand_in) & set(fixture)
    assert {period[:4] for _, _, _, period in shared} >= {"2022", "2023", "2024"}
    assert all(float(stand_in[key]) != float(fixture[key]) for key in shared)
    assert {row["region_id"] for row in fixture_rows("indicators", JIUTAI_STAND_IN)} == {"jiutai"}


def test_after_a_real_source_on_jiutai_the_fixture_grows_the_package_with_no_new_warning(
        jiutai_base: Path, after_jiutai: Path, acknowledged_before) -> None:
    """The package after a source on Jiutai (its warning, a revised 2022 base, acknowledged), grown by the
    fixture: valid, and the warnings acknowledged are the stand-in's and the fixture's, no other; no
    finding names both the fixture's source and another (not even one that an acknowledgement of the
    same code and row would cover)."""
    # (grow_with_jiutai_stand_in leaves no warning unacknowledged, so each row there acknowledges one)
    base = {(r["finding_code"], r["table_name"], r["row_id"]) for r in rows_of(jiutai_base, "acknowledgements")}
    assert base - acknowledged_before, "the stand-in raised no warning: the proof would be vacuous"
    acknowledged, findings = acknowledged_keys(after_jiutai)
    assert acknowledged == base | fixture_acknowledgements()
    others = {row["id"] for row in rows_of(after_jiutai, "sources")} - {SOURCE_ID}
    assert [f.message for f in findings if SOURCE_ID in f.message and any(o in f.message for o in others)] == []


def test_the_same_fixture_set_in_jiutai_would_collide_with_that_source(jiutai_base: Path, tmp_path: Path) -> None:
    """What a fixture about Jiutai did (issue 24): its figures contradict the real source's as soon as it
    arrives, and a valid contribution fails the tests that grow the package with it."""
    fixture = shutil.copytree(FIXTURE, tmp_path / "fixture")
    for table in ("indicators", "plans"):
        path = fixture / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",fictional-district,", ",jiutai,"), encoding="utf-8")
    base = copy_package_files(jiutai_base, tmp_path / "package")
    add_second_source(base, fixture)
    report = validate_package(base)
    # (one of them falls on the stand-in's revised 2022 base, whose acknowledgement, keyed by code and row,
    # covers it too; the others are new warnings, which fail the grown package's tests)
    assert [f for f in report.warnings if f.check == "revision" and SOURCE_ID in f.message]
