"""A second, clearly fictional source grows a copy of the package (tests/second_source.py), and
the data tests (marker ``data``) pass on the grown copy as they do on the committed one: no
test is pinned to the rows, the warnings or the single source of today's package. `make test`
runs again every data test but those marked ``mutation`` (see below); `make bench` runs all."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import PACKAGE, PACKAGE_ENVIRONMENT, REPO
from second_source import FIXTURE, fixture_rows, fixture_tables, grow_package, metadata

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


def rows_of(root: Path, table: str) -> list[dict[str, str]]:
    layout = next(t for t in open_package(root).tables if t.name == table)
    with layout.csv_path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_the_source_is_labelled_fictional_in_its_text_and_metadata() -> None:
    text = (FIXTURE / "source.txt").read_text(encoding="utf-8")
    assert text.startswith("【虚构示例】") and "虚构" in metadata()["title"]
    assert "FICTIONAL" in metadata()["title_en"] and "example.org" in metadata()["url"]


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


def test_the_grown_package_is_valid_with_every_warning_acknowledged(grown: Path) -> None:
    report = validate_package(grown)
    assert report.valid and report.warnings == [], [f.message for f in report.findings]
    assert {f.check for f in report.acknowledged} == {"yoy-levels", "revision"}
    assert report.stats["sources"] == len(rows_of(grown, "sources")) >= 2


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
    assert f"#row={quote(newest['id'], safe='')}" in chart.svg
    assert "2023" in chart.title_en and "2023" not in headline_chart(indicators_of(PACKAGE)).title_en
