"""`jiutai-data site`: the files it writes, without a browser (tests/test_site_browser.py drives one).

The site is complete on its own (every link and script resolves inside dist/site/), shows each
download with the size and sha256 of the very file it links, keeps every cell of the data
unchanged, escapes markup in the data, refuses a stale or missing export, and rewrites nothing
when nothing changed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copy_exported, copy_package

from jiutai_data.publish.build import build_package
from jiutai_data.cli import main
from jiutai_data.publish.export import export_package
from jiutai_data.model.package import open_package
from jiutai_data.publish.site.build import SITE, build_site
from jiutai_data.publish.site.downloads import DownloadError
from jiutai_data.publish.site.payload import REGISTRY, trace_fields

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

EPOCH = "1700000000"  # 2023-11-14 22:13 UTC


class Links(HTMLParser):
    """Every URL a page refers to, with the tag and attribute it came from, plus download rows."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []
        self.downloads: list[dict[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for attribute in ("href", "src"):
            if attribute in values:
                self.urls.append((tag, attribute, values[attribute]))
        if tag == "a" and "download" in values.get("class", "").split():
            self.downloads.append(values)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def exported_copy(exported: Path, root: Path) -> tuple[Path, Path]:
    """A copy of the session's exported package (conftest.exported_package) at ``root``."""
    copy_exported(exported, root)
    return root, root / "dist"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, exported_package: Path) -> tuple[Path, Path]:
    root, dist = exported_copy(exported_package, tmp_path_factory.mktemp("site") / "package")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build_site(root, dist)
    return root, dist / SITE


def payload_of(script: Path) -> dict:
    text = script.read_text(encoding="utf-8")
    match = re.fullmatch(re.escape(REGISTRY) + r'\.tables\["[a-z_]+"\] = (.*);\n', text, re.DOTALL)
    assert match, f"{script} is not a table script"
    return json.loads(match.group(1))


def test_the_site_has_a_landing_page_a_headline_view_a_charts_page_and_a_page_per_table(site) -> None:
    root, folder = site
    pages = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*.html"))
    expected = ["charts.html", "headline.html", "index.html",
                *(f"tables/{table.name}.html" for table in open_package(root).tables)]
    assert pages == sorted(expected)


def test_every_link_and_script_resolves_to_a_file_inside_the_site(site) -> None:
    _, folder = site
    checked = 0
    for page in folder.rglob("*.html"):
        for tag, attribute, url in parse(page).urls:
            if tag == "a" and (url.startswith("#") or url.startswith(("http://", "https://"))):
                continue  # in-page anchors, and links to the original articles and licences
            if url.startswith("data:"):
                continue  # inline (the empty favicon), so nothing is requested
            assert "://" not in url and not url.startswith("//"), f"{page.name}: <{tag} {attribute}> loads {url} from elsewhere"
            target = (page.parent / url.split("#")[0]).resolve()
            assert target.is_relative_to(folder.resolve()), f"{page.name}: {url} leaves the site"
            assert target.is_file(), f"{page.name}: {url} does not exist"
            checked += 1
    assert checked > 50
    for asset in [*folder.glob("assets/*"), *folder.glob("data/*.js")]:
        text = asset.read_text(encoding="utf-8")
        assert "@import" not in text and "url(" not in text.replace("url(#", ""), f"{asset.name} loads a resource"


def html_parse_errors(markup: str) -> list[str]:
    import html5lib

    parser = html5lib.HTMLParser()
    parser.parse(markup)
    return [f"line {line}, column {column}: {code}" for (line, column), code, _ in parser.errors]


def test_every_page_is_html_without_a_single_parse_error(site) -> None:
    _, folder = site
    for page in folder.rglob("*.html"):
        assert html_parse_errors(page.read_text(encoding="utf-8")) == [], page.name


def test_the_parse_check_catches_a_stray_end_tag_and_a_missing_doctype() -> None:
    assert any("end-tag" in error for error in html_parse_errors("<!DOCTYPE html><title>t</title><p>text</div>"))
    assert any("expected-doctype-but-got" in error for error in html_parse_errors("<title>t</title>"))


def test_the_landing_page_offers_every_file_with_the_size_and_sha256_of_what_it_links(site) -> None:
    root, folder = site
    links = parse(folder / "index.html")
    offered = {Path(link["href"]).name: link for link in links.downloads}
    descriptor = open_package(root).descriptor
    expected = {f"{descriptor['name']}-{descriptor['version']}.zip", "jiutai-data.sqlite", "jiutai-data.xlsx"}
    for table in open_package(root).tables:
        expected |= {table.csv_path.name, table.parquet_path.name}
    assert expected <= set(offered)
    for name, link in offered.items():
        data = (folder / link["href"]).read_bytes()
        assert link["data-sha256"] == hashlib.sha256(data).hexdigest(), name
        assert int(link["data-bytes"]) == len(data), name
    page = (folder / "index.html").read_text(encoding="utf-8")
    for link in offered.values():  # the digest people read is the one the link carries
        assert f'<code class="digest">{link["data-sha256"]}</code>' in page
    # The exported files are the ones `jiutai-data export` wrote, byte for byte.
    assert (folder / "downloads" / "jiutai-data.sqlite").read_bytes() == (root / "dist" / "jiutai-data.sqlite").read_bytes()


def test_the_downloads_folder_checksums_match_its_files(site) -> None:
    _, folder = site
    lines = (folder / "downloads" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 19
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((folder / "downloads" / name).read_bytes()).hexdigest() == digest


def test_the_rows_a_page_loads_are_the_csv_cells_unchanged(site) -> None:
    root, folder = site
    for table in open_package(root).tables:
        payload = payload_of(folder / "data" / f"{table.name}.js")
        with table.csv_path.open(encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader)
            expected = [[cell if cell != "" else None for cell in row] for row in reader]
        # a page may also show columns joined from another table (the catalogue's names of an indicator)
        # and columns derived from a row's cells (an indicator's figure for what it is)
        own = [i for i, field in enumerate(payload["fields"]) if "joined" not in field and "derived" not in field]
        assert [payload["fields"][i]["name"] for i in own] == header
        assert [[row[i] for i in own] for row in payload["rows"]] == expected, table.name


def test_the_indicators_page_shows_the_catalogue_names_of_each_row(site) -> None:
    root, folder = site
    payload = payload_of(folder / "data" / "indicators.js")
    with (root / "data" / "catalogue.csv").open(encoding="utf-8", newline="") as stream:
        catalogue = {row["code"]: row for row in csv.DictReader(stream)}
    names = [field["name"] for field in payload["fields"]]
    joined = [name for name, field in zip(names, payload["fields"]) if field.get("joined") == "catalogue"]
    assert joined == ["name_zh", "name_en", "topic"]
    assert names.index("name_zh") == names.index("indicator") + 1
    for row in payload["rows"]:
        entry = catalogue[row[names.index("indicator")]]
        assert [row[names.index(name)] for name in joined] == [entry[name] for name in joined]
    page = (folder / "tables" / "indicators.html").read_text(encoding="utf-8")
    assert "From catalogue.name_en, by indicator" in page


def test_the_source_text_a_page_loads_is_the_committed_text_of_each_source(site) -> None:
    root, folder = site
    with (root / "data" / "sources.csv").open(encoding="utf-8", newline="") as stream:
        sources = list(csv.DictReader(stream))
    for number, source in enumerate(sources, start=1):  # numbered in the order of the sources table
        text = (root / source["path"]).read_text(encoding="utf-8")
        script = (folder / "data" / "texts" / f"source-{number}.js").read_text(encoding="utf-8")
        match = re.fullmatch(re.escape(REGISTRY) + r'\.texts\["[^"]+"\] = (.*);\n', script, re.DOTALL)
        assert match and json.loads(match.group(1)) == text, source["id"]


def test_rows_with_a_quote_and_a_source_are_traceable_with_their_figures(site) -> None:
    root, _ = site
    tables = open_package(root).tables
    traced = {table.name: trace_fields(table.schema) for table in tables}
    quoted = {table.name for table in tables
              if {"quote", "source_id"} <= {field["name"] for field in table.schema["fields"]}}
    assert {name for name, trace in traced.items() if trace} == quoted
    assert traced["indicators"]["stated"][:2] == ["value_as_stated", "unit_as_stated"]
    assert traced["indicators"]["direction"] == "direction_as_stated"  # written before the number it signs
    assert traced["indicators"]["normalised"] == [{"value": "value", "unit_field": "unit", "unit": None},
                                                  {"value": "value_high", "unit_field": "unit", "unit": None}]
    assert traced["projects"]["normalised"] == [{"value": "investment_cny", "unit_field": None, "unit": "CNY"}]
    assert traced["plans"]["normalised"] == [{"value": "target_value", "unit_field": "target_unit", "unit": None},
                                             {"value": "target_value_high", "unit_field": "target_unit", "unit": None}]


def test_each_table_page_has_the_field_dictionary_of_its_table_schema(site) -> None:
    root, folder = site
    for table in open_package(root).tables:
        page = (folder / "tables" / f"{table.name}.html").read_text(encoding="utf-8")
        dictionary = page.split('id="dictionary-heading"', 1)[1]
        for field in table.schema["fields"]:
            assert f"<code>{field['name']}</code>" in dictionary, (table.name, field["name"])
            description = field.get("description", "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert description.replace('"', "&#34;").replace("'", "&#39;") in dictionary or description in dictionary


def test_the_landing_page_states_the_validation_result_and_the_build_time(site) -> None:
    _, folder = site
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert 'data-valid="true"' in page and "0 errors, 0 warnings" in page
    assert '<time datetime="2023-11-14T22:13:20Z">2023-11-14 22:13 UTC</time>' in page


def test_an_invalid_package_is_published_with_its_findings_not_hidden(exported_package: Path, tmp_path: Path) -> None:
    root, dist = exported_copy(exported_package, tmp_path / "package")
    path = root / "data" / "indicators.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("地区生产总值完成264.6亿元", "地区生产总值完成246.6亿元"), encoding="utf-8")
    result = build_site(root, dist)
    assert not result.report.valid
    page = (dist / SITE / "index.html").read_text(encoding="utf-8")
    assert 'data-valid="false"' in page
    assert "quote-verbatim" in page and "validation FAILED" in page


def test_markup_in_the_data_reaches_the_pages_as_text(tmp_path: Path) -> None:
    root = copy_package(tmp_path / "package")
    path = root / "data" / "sources.csv"
    payload = "<script>alert(1)</script> & <b>bold</b>"
    path.write_text(path.read_text(encoding="utf-8").replace("Changchun Daily,", f"Changchun Daily {payload},", 1), encoding="utf-8")
    assert build_package(root).report.valid
    export_package(root, root / "dist")
    build_site(root, root / "dist")
    page = (root / "dist" / SITE / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    assert "Changchun Daily &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_an_export_that_no_longer_matches_its_checksums_is_refused(exported_package: Path, tmp_path: Path) -> None:
    root, dist = exported_copy(exported_package, tmp_path / "package")
    (dist / "jiutai-data.xlsx").write_bytes(b"not the workbook")
    with pytest.raises(DownloadError, match=r"jiutai-data\.xlsx: sha256 .* does not match .*SHA256SUMS"):
        build_site(root, dist)
    assert not (dist / SITE).exists()


def test_the_command_refuses_a_package_not_yet_exported_and_says_what_to_run(tmp_path: Path, capsys) -> None:
    root = copy_package(tmp_path / "package")
    assert main(["site", str(root), "--dist", str(tmp_path / "dist")]) == 1
    error = capsys.readouterr().err
    assert "SHA256SUMS: missing; run `jiutai-data export` before `jiutai-data site`" in error
    assert "Traceback" not in error


def test_the_command_writes_the_site_and_says_where(exported_package: Path, tmp_path: Path, capsys) -> None:
    root, dist = exported_copy(exported_package, tmp_path / "package")
    assert main(["site", str(root), "--dist", str(dist)]) == 0
    out = capsys.readouterr().out
    pages = 3 + len(open_package(root).tables)  # the landing page, the headline view, the charts and a page per table
    assert f"{pages} pages in {dist / SITE}/" in out and "the package is valid" in out
    assert (dist / SITE / "index.html").is_file()


def test_rebuilding_an_unchanged_site_writes_nothing_and_removes_files_no_longer_part_of_it(exported_package: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root, dist = exported_copy(exported_package, tmp_path / "package")
    first = build_site(root, dist)
    assert first.written and not first.removed
    stray = dist / SITE / "tables" / "dropped-table.html"
    stray.write_text("left over from an older package", encoding="utf-8")
    second = build_site(root, dist)
    assert second.written == []
    assert second.removed == [stray] and not stray.exists()


@pytest.mark.parametrize("damage, expected", [
    (lambda path: path.write_bytes(path.read_bytes().replace("地区生产总值".encode(), b"\xff\xfe", 1)), "cannot read the package"),
    (lambda path: path.write_text('id,name_zh\n"unterminated\n', encoding="utf-8"), "cannot read the package"),
])
def test_a_table_that_cannot_be_read_is_refused_with_a_message_not_a_traceback(exported_package: Path, tmp_path: Path, capsys, damage, expected) -> None:
    root, dist = exported_copy(exported_package, tmp_path / "package")
    damage(root / "data" / "indicators.csv")
    assert main(["site", str(root), "--dist", str(dist)]) == 1
    error = capsys.readouterr().err
    assert error.splitlines()[-1].startswith("site: refused: ") and expected in error and "Traceback" not in error
    assert not (dist / SITE).exists()


def test_the_downloads_folder_is_the_data_package_and_frictionless_validates_every_resource(site) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless comes with jiutai-data[tools]")
    root, folder = site
    descriptor = folder / "downloads" / "datapackage.json"
    assert descriptor.read_bytes() == (root / "datapackage.json").read_bytes()
    report = frictionless.Package(str(descriptor)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert [task.name for task in report.tasks] == [resource["name"] for resource in open_package(root).descriptor["resources"]]


def test_the_landing_page_gives_every_tables_read_recipes_and_how_to_open_a_csv_in_excel(site) -> None:
    import html

    from jiutai_data.publish.recipes import recipes

    root, folder = site
    page = html.unescape((folder / "index.html").read_text(encoding="utf-8"))
    for table in open_package(root).tables:
        for recipe in recipes(table):
            assert recipe.code in page, (table.name, recipe.tool)
    assert "65001: Unicode (UTF-8)" in page and "Data → From Text/CSV" in page


# ---- the headline view, column titles and the order of columns ---------------------------

def test_the_headline_csv_is_a_listed_download_of_each_main_indicators_figures_by_period(site) -> None:
    from jiutai_data.publish.site.figures import figure

    root, folder = site
    data = (folder / "downloads" / "headline.csv").read_bytes()
    sums = (folder / "downloads" / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"{hashlib.sha256(data).hexdigest()}  headline.csv" in sums
    assert 'href="downloads/headline.csv"' in (folder / "index.html").read_text(encoding="utf-8")
    with (root / "data" / "indicators.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    # main: reported with a year-on-year change against the same period a year earlier
    main = {r["indicator"] for r in rows if r["measure"] == "yoy_change" and not r["compared_with_region_id"]
            and not r["compared_with_period_end"] and r["period_start"]}
    alike = [r for r in rows if not r["compared_with_region_id"] and not r["compared_with_period_end"]]
    table = list(csv.reader(data.decode("utf-8").splitlines()))
    header, lines = table[0], table[1:]
    assert header[:5] == ["indicator", "region_id", "name_zh", "name_en", "measure"] and len(header) > 5
    assert {line[0] for line in lines} == main
    ends = [period.split("/")[1] for period in header[5:]]
    assert ends == sorted(ends, reverse=True)  # the latest period first
    for line in lines:
        for period, cell in zip(header[5:], line[5:]):
            start, end = period.split("/")
            stated = [r for r in alike if (r["indicator"], r["region_id"], r["measure"], r["period_start"], r["period_end"])
                      == (line[0], line[1], line[4], start, end)]
            assert bool(cell) == bool(stated), (line[0], period)
            if stated:
                assert cell.split(" (")[0] in {figure(r).stated for r in stated}


def test_columns_are_titled_from_the_schema_and_lead_with_what_a_figure_is(site) -> None:
    from jiutai_data.model.schema import Schema
    from jiutai_data.publish.site.interface import column_title

    root, folder = site
    for table in open_package(root).tables:
        payload = payload_of(folder / "data" / f"{table.name}.js")
        page = (folder / "tables" / f"{table.name}.html").read_text(encoding="utf-8")
        for field in Schema.of(table.schema).fields:
            english, chinese = column_title(field)
            shown = next(f for f in payload["fields"] if f["name"] == field.name)
            assert shown["title"] == [english, chinese]
            assert f'data-field="{field.name}"' in page
    payload = payload_of(folder / "data" / "indicators.js")
    names = [payload["fields"][i]["name"] for i in payload["order"]]
    lead = names[:payload["lead"]]
    assert {"name_zh", "name_en", "value_as_stated", "unit_as_stated", "period", "measure", "status", "region_id"} <= set(lead)
    assert lead.index("name_zh") < lead.index("value_as_stated") < lead.index("period") < lead.index("measure")
    assert sorted(payload["order"]) == list(range(len(payload["fields"])))  # every column, once
