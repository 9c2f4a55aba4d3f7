"""The site in a real browser: headless Chromium (Debian's package, never one downloaded by the
test tool), driven by Playwright with its executable path set.

Each page is opened from file:// and from a local HTTP server, and must load with no console
error. Sorting, filtering, searching and paging change the rows shown as Python says they
should; tracing a row highlights its exact quote inside its source text; every download link
leads to a file whose sha256 is the one the page shows. Screenshots of every page, at desktop
and phone width, go to dist/site-screenshots/.

`make test` installs Chromium when it is missing (scripts/install-browser.sh). Without it these
tests skip, except under JIUTAI_REQUIRE_BROWSER=1 (set by .ci/run), where they fail.
"""

from __future__ import annotations

import csv
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import unquote, urlparse

import pytest
from conftest import PACKAGE, REPO, copy_exported, copy_package, load_script

from jiutai_data.publish.build import build_package
from jiutai_data.publish.export import CHECKSUMS, download_names, export_package
from jiutai_data.model.files import sha256_of_bytes
from jiutai_data.model.package import open_package
from jiutai_data.model.schema import Field, Schema
from jiutai_data.publish.site.build import SITE, build_site
from jiutai_data.publish.site.interface import TEXTS, column_title, enum_labels

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)
SCREENSHOTS = REPO / "dist" / "site-screenshots"
REQUIRED = os.environ.get("JIUTAI_REQUIRE_BROWSER") == "1"
# The flags keep Chromium from reaching for Google's services, which this machine's closed
# network refuses (and which would slow every start).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLES = [table.name for table in open_package(PACKAGE).tables]
PAGES = ["index.html", "headline.html", "charts.html", *(f"tables/{name}.html" for name in TABLES)]
# the tables whose rows quote a source (and so can be traced), as their schemas say
TRACEABLE = [t.name for t in open_package(PACKAGE).tables if {"source_id", "quote"} <= {f["name"] for f in t.schema["fields"]}]


def number(cell: str) -> float:
    """A number as the page shows it (26,460,000,000; −12.4) read back."""
    return float(cell.replace(",", "").replace("−", "-"))


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def source_text(source_id: str) -> str:
    """The text of a source, found through the sources table."""
    row = next(r for r in rows_of(PACKAGE / "data" / "sources.csv") if r["id"] == source_id)
    return (PACKAGE / row["path"]).read_text(encoding="utf-8")


def unavailable(reason: str) -> None:
    if REQUIRED:
        pytest.fail(f"browser tests required (JIUTAI_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"{reason}; run `make browser` to install Debian's chromium")


def chromium_path() -> str | None:
    for candidate in (os.environ.get("JIUTAI_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed")
    path = chromium_path()
    if path is None:
        unavailable("no Chromium found (/usr/bin/chromium, or JIUTAI_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    if path.name == "indicators.csv":  # the page shows each indicator's catalogue names and topic beside it
        catalogue = {row["code"]: row for row in rows_of(path.with_name("catalogue.csv"))}
        rows = [{**row, **{k: catalogue[row["indicator"]][k] for k in ("name_zh", "name_en", "topic")}} for row in rows]
    return rows


def build_exported_site(root: Path) -> Path:
    export_package(root, root / "dist")
    build_site(root, root / "dist")
    return root / "dist" / SITE


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, exported_package: Path) -> Path:
    root = copy_exported(exported_package, tmp_path_factory.mktemp("browser") / "package")
    build_site(root, root / "dist")
    return root / "dist" / SITE


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """The site on a static HTTP server on localhost, as any static host would serve it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def base_url(scheme: str, site: Path, server: str) -> str:
    return server if scheme == "http" else site.as_uri() + "/"


class Watched:
    """A page with every console error, uncaught exception, failed request and dialog it caused."""

    def __init__(self, browser: Any, viewport: dict[str, int] = DESKTOP) -> None:
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.problems.append(f"console: {message.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url}"))
        self.page.on("response", lambda response: response.status >= 400 and self.problems.append(f"HTTP {response.status}: {response.url}"))
        self.page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))

    def open(self, url: str) -> Any:
        self.page.goto(url)
        self.page.wait_for_load_state("load")
        if self.page.locator("#browser").count():
            self.page.wait_for_function("document.getElementById('status').textContent !== 'Loading rows…'")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    opened = Watched(browser)
    yield opened
    opened.close()


def shown_keys(page: Any) -> list[str]:
    return page.eval_on_selector_all("#rows tbody tr", "rows => rows.map(row => row.dataset.key)")


def shown_column(page: Any, name: str) -> list[str]:
    """The cells of field ``name`` as shown (headings are titles; each button names its field in data-field)."""
    index = page.eval_on_selector_all("#rows thead button.sort", f"buttons => buttons.findIndex(b => b.dataset.field === {name!r})")
    offset = 1 if page.locator("#rows thead th.trace-col").count() else 0
    return page.eval_on_selector_all(
        "#rows tbody tr", f"rows => rows.map(row => row.children[{index + offset}].textContent)")


def show_all_rows(page: Any) -> None:
    page.select_option("#page-size", "500")


def sort_by(page: Any, name: str) -> None:
    page.locator(f'#rows thead button.sort[data-field="{name}"]').click()


def filter_column(page: Any, name: str, value: str) -> None:
    box = page.locator(f'.filter[data-field="{name}"]')
    if box.evaluate("element => element.tagName") == "SELECT":
        box.select_option(value)
    else:
        box.fill(value)
    settle(page)


def settle(page: Any) -> None:
    """Wait until the page has applied the last edit of a filter or the search (it waits for typing
    to pause, and says so with <html data-pending>): no fixed pause, which a loaded machine outruns."""
    page.wait_for_function("() => !document.documentElement.hasAttribute('data-pending')", timeout=30_000)


# ---- every page loads ------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["file", "http"])
@pytest.mark.parametrize("page_name", PAGES)
def test_every_page_loads_with_no_console_error_and_is_screenshot(browser, site, server, scheme, page_name) -> None:
    viewport = DESKTOP if scheme == "http" else PHONE
    opened = Watched(browser, viewport)
    try:
        page = opened.open(base_url(scheme, site, server) + page_name)
        assert page.title().endswith(open_package(PACKAGE).descriptor["title"])
        assert page.locator("h1").is_visible()
        if page_name.startswith("tables/"):
            rows = len(rows_of(PACKAGE / "data" / f"{Path(page_name).stem}.csv"))
            assert len(shown_keys(page)) == min(rows, 50)
            assert page.locator("#status").text_content().endswith(f"({rows:,} in the table).")
        if viewport is PHONE:  # usable at phone width: the page never scrolls sideways, tables scroll in their box
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        suffix = "" if viewport is DESKTOP else "-phone"
        page.screenshot(path=str(SCREENSHOTS / f"{page_name.replace('/', '-').removesuffix('.html')}{suffix}.png"),
                        full_page=True)
        assert opened.problems == []
    finally:
        opened.close()


# ---- sorting, filtering, searching, paging --------------------------------------------

@pytest.mark.parametrize("table", [name for name in TABLES if len(rows_of(PACKAGE / "data" / f"{name}.csv")) > 1])
def test_sorting_by_the_key_column_orders_every_row_and_a_second_click_reverses_it(watched, site, table) -> None:
    page = watched.open(site.joinpath("tables", f"{table}.html").as_uri())
    show_all_rows(page)
    original = shown_keys(page)
    key = open_package(PACKAGE).tables[TABLES.index(table)].schema["primaryKey"]
    key = key[0] if isinstance(key, list) else key
    sort_by(page, key)
    ascending = shown_keys(page)
    # (rows in file order may already be in key order, as sources named by date are)
    assert sorted(ascending) == sorted(original) and (ascending != original or original == sorted(original))
    assert page.locator("th[aria-sort='ascending']").count() == 1
    sort_by(page, key)
    assert shown_keys(page) == ascending[::-1]
    assert page.locator("th[aria-sort='descending']").count() == 1
    assert watched.problems == []


@pytest.mark.parametrize("table", [name for name in TABLES if rows_of(PACKAGE / "data" / f"{name}.csv")])
def test_filtering_the_key_column_of_each_table_keeps_only_the_matching_rows(watched, site, table) -> None:
    page = watched.open(site.joinpath("tables", f"{table}.html").as_uri())
    show_all_rows(page)
    keys = open_package(PACKAGE).tables[TABLES.index(table)].schema["primaryKey"]
    keys = keys if isinstance(keys, list) else [keys]
    key = keys[0]  # filtered by the first column of the key; a row is shown by its whole key, joined by |
    rows = rows_of(PACKAGE / "data" / f"{table}.csv")
    needle = rows[-1][key][-3:]  # the end of the last row's key: found in it, and perhaps in a few others
    filter_column(page, key, needle)
    # the filter folds full-width characters to their ASCII form, as the search does (％ finds %)
    expected = ["|".join(row[k] for k in keys) for row in rows if fold(needle) in fold(row[key])]
    assert shown_keys(page) == expected and "|".join(rows[-1][k] for k in keys) in expected
    filter_column(page, key, "no key contains this")
    assert shown_keys(page) == []
    assert page.locator("#status").text_content() == f"No rows match ({len(rows):,} in the table)."


def test_sorting_a_number_column_orders_the_rows_by_value_not_as_text(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    show_all_rows(page)
    sort_by(page, "value")
    values = [number(cell) for cell in shown_column(page, "value")]
    expected = sorted(float(row["value"]) for row in rows_of(PACKAGE / "data" / "indicators.csv"))
    assert values == expected
    # shown for reading: digits grouped, a minus as a minus
    assert all(cell == f"{float(row):,.6f}".rstrip("0").rstrip(".").replace("-", "−")
               for cell, row in zip(shown_column(page, "value"), sorted(
                   (r["value"] for r in rows_of(PACKAGE / "data" / "indicators.csv")), key=float)))
    assert values != sorted(values, key=str)  # as text, "100.0" would come before "13.0"


def test_filtering_an_enum_column_shows_only_its_rows(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    show_all_rows(page)
    filter_column(page, "measure", "yoy_change")
    expected = [row["id"] for row in rows_of(PACKAGE / "data" / "indicators.csv") if row["measure"] == "yoy_change"]
    assert shown_keys(page) == expected and 0 < len(expected) < len(rows_of(PACKAGE / "data" / "indicators.csv"))
    assert set(shown_column(page, "measure")) == {enum_labels(["yoy_change"])["yoy_change"][0]}  # by its label


def test_filtering_text_and_number_columns_keeps_the_rows_python_keeps(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    show_all_rows(page)
    rows = rows_of(PACKAGE / "data" / "indicators.csv")
    filter_column(page, "name_en", "Output")
    assert shown_keys(page) == [row["id"] for row in rows if "output" in row["name_en"].lower()]
    filter_column(page, "name_en", "")
    filter_column(page, "value", ">=1000000000")
    kept = [row["id"] for row in rows if float(row["value"]) >= 1e9]
    assert shown_keys(page) == kept and 0 < len(kept) < len(rows)
    page.click("#clear-filters")
    assert len(shown_keys(page)) == len(rows)


@pytest.mark.parametrize("query, needles", [
    ("地区生产总值", ["地区生产总值"]),
    ("gross regional", ["gross", "regional"]),
    ("２６４．６", ["264.6"]),  # full-width digits find their ASCII form
])
def test_searching_finds_the_rows_that_contain_every_word_in_chinese_or_english(watched, site, query, needles) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    show_all_rows(page)
    page.fill("#search", query)
    settle(page)
    rows = rows_of(PACKAGE / "data" / "indicators.csv")
    expected = [row["id"] for row in rows if all(needle in "\u0001".join(row.values()).lower() for needle in needles)]
    assert expected and shown_keys(page) == expected


def test_paging_moves_through_the_rows_in_pages_of_the_chosen_size(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "plans.html").as_uri())
    page.select_option("#page-size", "25")
    ids = [row["id"] for row in rows_of(PACKAGE / "data" / "plans.csv")]
    assert shown_keys(page) == ids[:25] and page.locator("#previous-page").is_disabled()
    page.click("#next-page")
    assert shown_keys(page) == ids[25:50]
    assert page.locator("#status").text_content() == f"Showing rows 26–50 of {len(ids)} matching ({len(ids)} in the table)."
    while page.locator("#next-page").is_enabled():
        page.click("#next-page")
    assert shown_keys(page) == ids[75:]


# ---- provenance --------------------------------------------------------------------------

# Traces every row from inside the page, in one call: a round trip per click, wait and read
# would cost more than the trace itself. Each row's button is clicked as a user's click would
# (its click event reaches the table's handler), and the next row waits until its source
# text has loaded. For each row: its key, the highlighted text, the whole source text shown,
# and whether the mark is in the visible part of the text box.
TRACE_EVERY_ROW = """async () => {
    const settled = () => !document.getElementById('source-text-status').textContent.startsWith('Loading');
    const found = [];
    const count = document.querySelectorAll('#rows tbody button.trace').length;
    for (let position = 0; position < count; position++) {
        const button = document.querySelectorAll('#rows tbody button.trace')[position];
        const key = button.closest('tr').dataset.key;
        button.click();
        for (let waited = 0; !(document.getElementById('trace-row').textContent === key && settled()); waited++) {
            if (waited > 500) throw new Error('the trace of ' + key + ' did not finish');
            await new Promise(resolve => setTimeout(resolve, 10));
        }
        const mark = document.getElementById('quote-mark');
        const box = document.getElementById('source-text').getBoundingClientRect();
        const at = mark && mark.getBoundingClientRect();
        found.push({key: key, mark: mark && mark.textContent, text: document.getElementById('source-text').textContent,
                    visible: Boolean(at && at.bottom > box.top && at.top < box.bottom)});
    }
    return found;
}"""


@pytest.mark.parametrize("table", TRACEABLE)
def test_tracing_each_row_highlights_its_exact_quote_inside_the_source_text(watched, site, table) -> None:
    page = watched.open(site.joinpath("tables", f"{table}.html").as_uri())
    show_all_rows(page)
    rows = rows_of(PACKAGE / "data" / f"{table}.csv")
    traced = page.evaluate(TRACE_EVERY_ROW)
    assert [entry["key"] for entry in traced] == [row["id"] for row in rows]
    for row, entry in zip(rows, traced):
        assert entry["mark"] == row["quote"], row["id"]
        # the whole text of the row's own source, unchanged
        assert entry["text"] == source_text(row["source_id"]), row["id"]
        # the mark is scrolled into the visible part of the text box
        assert entry["visible"], f"{table} {row['id']}: the highlighted quote is outside the visible text"
    assert watched.problems == []


@pytest.mark.parametrize("source", [row["id"] for row in rows_of(PACKAGE / "data" / "sources.csv")])
def test_the_provenance_shows_the_figure_as_stated_and_as_normalised(watched, site, source) -> None:
    # a figure in yuan with a period, of each source (every source's text must be traceable)
    candidates = [r for r in rows_of(PACKAGE / "data" / "indicators.csv") if r["source_id"] == source
                  and r["unit"] == "CNY" and r["period_start"] and float(r["value"]).is_integer()]
    if not candidates:
        pytest.skip(f"source {source} states no figure in yuan")
    row = candidates[0]
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri() + f"#row={row['id']}")
    page.wait_for_selector("#quote-mark")
    assert page.locator("#provenance").is_visible()
    assert page.locator("#trace-stated").text_content() == row["value_as_stated"] + row["unit_as_stated"]
    assert page.locator("#trace-normalised").text_content() == f"value = {int(float(row['value'])):,} CNY"
    assert page.locator("#trace-quote").text_content() == row["quote"]
    # a figure of one day (a stock) is dated on its day, not over a span
    when = (f"on {row['period_start']}" if row["period_start"] == row["period_end"]
            else f"period {row['period_start']} – {row['period_end']}")
    assert when in page.locator("#trace-details").text_content()
    described = next(r for r in rows_of(PACKAGE / "data" / "sources.csv") if r["id"] == source)
    assert described["publisher_zh"] in page.locator("#trace-source").text_content()
    text_url = page.eval_on_selector("#trace-text-download", "link => link.href")
    assert sha256_of_bytes(Path(unquote(urlparse(text_url).path)).read_bytes()) == described["sha256"]


def test_a_project_investment_is_normalised_to_yuan(watched, site) -> None:
    rows = [row for row in rows_of(PACKAGE / "data" / "projects.csv") if row["investment_cny"]]
    row = rows[0]
    page = watched.open(site.joinpath("tables", "projects.html").as_uri() + f"#row={row['id']}")
    page.wait_for_selector("#quote-mark")
    assert page.locator("#trace-stated").text_content() == row["investment_as_stated"] + row["investment_unit_as_stated"]
    assert page.locator("#trace-normalised").text_content() == f"investment_cny = {float(row['investment_cny']):,.0f} CNY"


# ---- downloads ---------------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["file", "http"])
def test_every_download_link_resolves_to_a_file_whose_sha256_is_the_one_shown(watched, site, server, scheme) -> None:
    page = watched.open(base_url(scheme, site, server) + "index.html")
    links = page.eval_on_selector_all("#downloads a.download", """links => links.map(link => ({
        url: link.href, sha256: link.dataset.sha256,
        shown: link.closest('tr').querySelector('code.digest').textContent}))""")
    names = {unquote(urlparse(link["url"]).path).rsplit("/", 1)[-1] for link in links}
    descriptor = open_package(PACKAGE).descriptor
    assert {f"{descriptor['name']}-{descriptor['version']}.zip", "jiutai-data.sqlite", "jiutai-data.xlsx", CHECKSUMS} <= names
    assert {f"{name}.csv" for name in TABLES} | {f"{name}.parquet" for name in TABLES} <= names
    for link in links:
        if scheme == "http":
            response = page.request.get(link["url"])
            assert response.ok, link["url"]
            body = response.body()
        else:
            body = Path(unquote(urlparse(link["url"]).path)).read_bytes()
        assert sha256_of_bytes(body) == link["sha256"] == link["shown"], link["url"]


# ---- bilingual names, keyboard, markup ---------------------------------------------------

def test_the_names_switch_shows_chinese_english_or_both_and_is_remembered(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    chinese, english = page.locator("thead th.lang-zh").first, page.locator("thead th.lang-en").first
    assert chinese.is_visible() and english.is_visible()
    page.check("input[name=names][value=zh]")
    assert chinese.is_visible() and not english.is_visible()
    assert not page.locator("#rows tbody td.lang-en").first.is_visible()
    page.goto(site.joinpath("index.html").as_uri())
    assert page.evaluate("document.documentElement.dataset.names") == "zh"
    page.check("input[name=names][value=en]")
    assert not page.locator(".sources .lang-zh").first.is_visible() and page.locator(".sources .lang-en").first.is_visible()
    page.check("input[name=names][value=both]")


def test_a_keyboard_alone_can_search_sort_and_trace_a_row(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    page.focus("#search")
    page.keyboard.type("地区生产总值")
    settle(page)
    page.keyboard.press("Tab")  # to the page size, the clear button, then the first sort button
    for _ in range(40):
        if page.evaluate("document.activeElement.classList.contains('sort')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('sort')")
    page.keyboard.press("Enter")
    assert page.locator("th[aria-sort='ascending']").count() == 1
    for _ in range(80):
        if page.evaluate("document.activeElement.classList.contains('trace')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('trace')")
    page.keyboard.press("Enter")
    page.wait_for_selector("#quote-mark")
    assert page.evaluate("document.activeElement.id") == "provenance-heading"
    assert "地区生产总值" in page.locator("#quote-mark").text_content()


def test_markup_in_the_data_is_shown_as_text_and_never_run(browser, tmp_path) -> None:
    root = copy_package(tmp_path / "package")
    path = root / "data" / "indicators.csv"
    attack = "<img src=x onerror=window.injected=1>"  # no comma or double quote, so the CSV cell stays as it is
    path.write_text(path.read_text(encoding="utf-8").replace("hence estimate.", f"hence estimate. {attack}", 1), encoding="utf-8")
    assert build_package(root).report.valid
    site = build_exported_site(root)
    opened = Watched(browser)
    try:
        page = opened.open(site.joinpath("tables", "indicators.html").as_uri())
        page.fill("#search", "onerror")
        settle(page)
        assert len(shown_keys(page)) == 1
        assert attack in page.locator("#rows tbody td.long").last.text_content()
        page.locator("#rows tbody button.trace").first.click()
        page.wait_for_selector("#quote-mark")
        assert attack in page.locator("#trace-note").text_content()
        assert page.locator("#rows img, #provenance img").count() == 0
        assert page.evaluate("window.injected") is None
        assert opened.problems == []
    finally:
        opened.close()


# ---- scale ---------------------------------------------------------------------------------

def fake_export(root: Path, dist: Path) -> None:
    """Placeholder downloads with matching SHA256SUMS. The real export of 100,000 rows takes
    about 35 s (mostly the Excel workbook) and is tested elsewhere; here only the pages matter."""
    descriptor = open_package(root).descriptor
    dist.mkdir(parents=True)
    names = download_names(descriptor, open_package(root).tables)
    for name in names:
        (dist / name).write_bytes(f"placeholder for {name}\n".encode())
    (dist / CHECKSUMS).write_text("".join(f"{sha256_of_bytes((dist / name).read_bytes())}  {name}\n" for name in names))


# 10,000 rows in `make test` (200 pages of 50: paging, filtering, sorting and tracing at a size
# where the rows must stay out of the page); the 100,000 rows the README promises in `make bench`.
@pytest.mark.parametrize("size", [10_000, pytest.param(100_000, marks=pytest.mark.sweep)])
def test_a_large_table_loads_pages_filters_and_traces(browser, tmp_path, size: int) -> None:
    root = tmp_path / "package"
    load_script("synth").synthesise(size, root)
    fake_export(root, root / "dist")
    build_site(root, root / "dist")
    site = root / "dist" / SITE
    page_bytes = (site / "tables" / "indicators.html").stat().st_size
    assert page_bytes < 64 * 1024, "the page itself must not grow with the rows; they load from data/indicators.js"
    rows = rows_of(root / "data" / "indicators.csv")
    opened = Watched(browser)
    try:
        started = time.perf_counter()
        page = opened.open(site.joinpath("tables", "indicators.html").as_uri())
        seconds = time.perf_counter() - started
        print(f"\n{size:,}-row indicators page: loaded and first page shown in {seconds:.2f} s")
        assert page.locator("#status").text_content() == f"Showing rows 1–50 of {size:,} matching ({size:,} in the table)."
        assert page.locator("#rows tbody tr").count() == 50
        filter_column(page, "measure", "yoy_change")
        settle(page)
        expected = sum(row["measure"] == "yoy_change" for row in rows)
        assert page.locator("#status").text_content().endswith(f"of {expected:,} matching ({size:,} in the table).")
        sort_by(page, "value")
        values = [number(cell) for cell in shown_column(page, "value")]
        assert values == sorted(values)
        assert values[0] == min(float(row["value"]) for row in rows if row["measure"] == "yoy_change")
        page.locator("#rows tbody button.trace").first.click()
        page.wait_for_selector("#quote-mark")
        first = next(row for row in rows if row["id"] == shown_keys(page)[0])
        assert page.locator("#quote-mark").text_content() == first["quote"]
        for other in ("index.html", "charts.html"):
            opened.open(site.joinpath(other).as_uri())
        assert opened.problems == []
    finally:
        opened.close()


ACCESSIBILITY_AUDIT = """() => {
    const problems = [];
    const named = element => (element.labels && element.labels.length) || element.getAttribute('aria-label')
        || element.getAttribute('aria-labelledby') || element.textContent.trim();
    for (const control of document.querySelectorAll('button, input, select, textarea, a[href]')) {
        if (!named(control)) problems.push('unnamed ' + control.outerHTML.slice(0, 80));
    }
    let level = 0;
    for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
        const next = Number(heading.tagName[1]);
        if (next > level + 1) problems.push('heading skips from h' + level + ' to ' + heading.outerHTML.slice(0, 60));
        level = next;
    }
    if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
    if (!document.querySelector('main')) problems.push('no main landmark');
    if (!document.documentElement.lang) problems.push('no lang on html');
    for (const svg of document.querySelectorAll('svg')) {
        if (svg.getAttribute('role') !== 'img' || !svg.querySelector('title')) problems.push('svg without role=img and title');
    }
    for (const table of document.querySelectorAll('table')) {
        if (!table.querySelector('th')) problems.push('table without header cells');
    }
    const ids = [...document.querySelectorAll('[id]')].map(element => element.id);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (repeated.length) problems.push('repeated ids ' + repeated.join(', '));
    return problems;
}"""


@pytest.mark.parametrize("page_name", PAGES)
def test_every_control_has_a_name_and_the_headings_and_landmarks_are_in_order(watched, site, page_name) -> None:
    page = watched.open(site.joinpath(page_name).as_uri())
    assert page.evaluate(ACCESSIBILITY_AUDIT) == []


def test_the_accessibility_audit_catches_an_unnamed_control_and_a_skipped_heading(watched, site) -> None:
    page = watched.open(site.joinpath("index.html").as_uri())
    page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend', '<h4>too deep</h4><input type=text>');
    }""")
    problems = page.evaluate(ACCESSIBILITY_AUDIT)
    assert any(problem.startswith("unnamed <input") for problem in problems)
    assert any("heading skips from h2 to <h4>" in problem for problem in problems)


# A run of scripts/bench_site.py (a package exported, a site built, a second browser driven):
# `make bench`, which runs the script itself right after, runs this first (marker sweep).
@pytest.mark.sweep
def test_the_site_benchmark_measures_export_build_load_and_sort_against_their_baselines(browser, tmp_path) -> None:
    # In its own process, as `make bench` runs it (and Playwright's sync API cannot nest in this test's).
    out = tmp_path / "site-results.md"
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "bench_site.py"), "--sizes", "300", "--repeat", "1",
                           "--work", str(tmp_path / "work"), "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| 300 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 14
    for ratio in (cells[5], cells[7], cells[10], cells[13]):  # each measured against its baseline in the same run
        assert float(ratio) > 0
    assert not (tmp_path / "work" / "synth-300-seed0" / "dist" / "site" / "bench-floor.html").exists()


def test_clicking_a_headline_bar_opens_its_row_with_the_quote_highlighted(watched, site) -> None:
    page = watched.open(site.joinpath("charts.html").as_uri())
    first = page.locator("#headline a:has(rect[data-indicator])").first
    row_id = unquote(first.get_attribute("href").split("#row=")[1])
    first.click()
    page.wait_for_selector("#quote-mark")
    assert unquote(page.url).endswith(f"tables/indicators.html#row={row_id}")
    row = next(r for r in rows_of(PACKAGE / "data" / "indicators.csv") if r["id"] == row_id)
    assert page.locator("#quote-mark").text_content() == row["quote"]
    assert watched.problems == []


def test_a_topic_in_the_address_opens_the_indicators_filtered_to_that_topic(watched, site) -> None:
    topic = rows_of(PACKAGE / "data" / "indicators.csv")[0]["topic"]
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri() + f"#topic={topic}")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('Showing rows')")
    expected = [row["id"] for row in rows_of(PACKAGE / "data" / "indicators.csv") if row["topic"] == topic]
    assert shown_keys(page) == expected[:50]
    assert page.locator('.filter[data-field="topic"]').input_value() == topic


def test_a_filtered_view_keeps_its_address_and_the_address_restores_it(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    show_all_rows(page)
    filter_column(page, "measure", "yoy_change")
    page.fill("#search", "investment")
    settle(page)
    shown = shown_keys(page)
    assert shown and page.url.endswith("#q=investment&measure=yoy_change")
    page.locator("#rows tbody button.trace").first.click()
    page.wait_for_selector("#quote-mark")
    assert page.url.endswith(f"#q=investment&measure=yoy_change&row={shown[0]}")
    again = watched.context.new_page()
    again.goto(page.url)
    again.wait_for_selector("#quote-mark")
    assert again.locator("#trace-row").text_content() == shown[0]
    assert again.locator("#search").input_value() == "investment"
    assert again.locator("#status").text_content().startswith(f"Showing rows 1–{len(shown)} of {len(shown)} matching")
    assert watched.problems == []


def test_a_search_and_a_filter_typed_in_quick_succession_both_apply(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    show_all_rows(page)
    page.evaluate("""() => {
        const search = document.getElementById('search');
        search.value = 'investment';
        search.dispatchEvent(new Event('input'));
        const measure = document.querySelector('.filter[data-field="measure"]');
        measure.value = 'yoy_change';
        measure.dispatchEvent(new Event('change'));
    }""")
    settle(page)
    rows = rows_of(PACKAGE / "data" / "indicators.csv")
    expected = [row["id"] for row in rows if row["measure"] == "yoy_change" and "investment" in "\u0001".join(row.values()).lower()]
    assert expected and shown_keys(page) == expected


# ---- reading order -------------------------------------------------------------------------

def _first_field_of_role(table_name: str, role: str) -> str | None:
    from jiutai_data.model.roles import reading_order, role_of

    schema = open_package(REPO).table(table_name).schema
    by_name = {field["name"]: field for field in schema["fields"]}
    return next((name for name in reading_order(schema) if role_of(by_name[name], schema) == role), None)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize("name", TABLES)
def test_the_figure_as_stated_is_visible_without_scrolling(browser, site, name: str, viewport: dict[str, int]) -> None:
    """The page leads with the name and the figure as stated: the name and, where the table has
    one, the figure as stated of the first row that states one are inside the window as the
    page opens, with no scrolling, on a desktop and on a phone."""
    wanted = [field for field in (_first_field_of_role(name, "name"), _first_field_of_role(name, "stated")) if field]
    if not wanted:
        pytest.skip(f"{name} has no name or figure as stated")
    opened = Watched(browser, viewport)
    try:
        page = opened.open(site.joinpath("tables", f"{name}.html").as_uri())
        if not shown_keys(page):
            pytest.skip(f"{name} has no rows")
        for field in wanted:
            index = page.eval_on_selector_all(
                "#rows thead button.sort", f"buttons => buttons.findIndex(b => b.dataset.field === {field!r})")
            offset = 1 if page.locator("#rows thead th.trace-col").count() else 0
            # Across: the first line of the text itself, in the first row that has one (a long name
            # wraps; its start is what must show). Down: that line's place in the first row.
            box = page.eval_on_selector_all(
                "#rows tbody tr", f"""rows => {{
                    const firstLine = cell => {{ const range = document.createRange(); range.selectNodeContents(cell);
                                                 return range.getClientRects()[0]; }};
                    const row = rows.find(row => row.children[{index + offset}].textContent) || rows[0];
                    // No row of the first page states one: the column itself must be in view.
                    const text = firstLine(row.children[{index + offset}]) || row.children[{index + offset}].getBoundingClientRect();
                    const first = rows[0].children[{index + offset}], top = first.getBoundingClientRect().top;
                    return {{left: text.left, right: text.right, top: top, bottom: top + (text.bottom - text.top) + 12,
                             text: row.children[{index + offset}].textContent}}; }}""")
            inside = box["left"] >= 0 and box["top"] >= 0 and box["right"] <= viewport["width"] and box["bottom"] <= viewport["height"]
            if not inside:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"reading-order-{name}-{viewport['width']}.png"))
            assert inside, (name, field, box, viewport)
        assert opened.problems == []
    finally:
        opened.close()


# ---- what a reader sees first ------------------------------------------------------------

# Where each cell of a field is, in every row of the first page: its box and its text.
CELLS_OF = """([field, offset]) => {
    const index = [...document.querySelectorAll('#rows thead button.sort')].findIndex(b => b.dataset.field === field);
    return [...document.querySelectorAll('#rows tbody tr')].map(row => {
        const cell = row.children[index + offset], box = cell.getBoundingClientRect();
        return {key: row.dataset.key, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                text: cell.textContent, shown: cell.offsetParent !== null};
    });
}"""


def what_a_figure_is() -> list[str]:
    """The indicators' fields that say what a figure is besides its number: its measure and status
    (the required categories of its schema) and its period (the page's period column)."""
    schema = open_package(PACKAGE).table("indicators").schema
    required = [f["name"] for f in schema["fields"] if "enum" in (f.get("constraints") or {})
                and (f.get("constraints") or {}).get("required") and f["name"] in ("measure", "status")]
    return [*required, "period"]


def test_the_first_screen_at_1280_shows_each_visible_rows_measure_period_and_status(browser, site) -> None:
    opened = Watched(browser, DESKTOP)
    try:
        page = opened.open(site.joinpath("tables", "indicators.html").as_uri())
        rows = {row["id"]: row for row in rows_of(PACKAGE / "data" / "indicators.csv")}
        offset = 1 if page.locator("#rows thead th.trace-col").count() else 0
        checked = 0
        for field in what_a_figure_is():
            cells = page.evaluate(CELLS_OF, [field, offset])
            visible = [cell for cell in cells if cell["top"] < DESKTOP["height"]]
            assert visible, "no row on the first screen"
            for cell in visible:
                assert 0 <= cell["left"] and cell["right"] <= DESKTOP["width"], (field, cell)
                assert cell["text"], (field, cell["key"])
                if field != "period":  # the measure and status by their labels
                    assert cell["text"] == enum_labels([rows[cell["key"]][field]])[rows[cell["key"]][field]][0]
                checked += 1
        # titled from the schema, not by field names
        assert page.locator('#rows thead button.sort[data-field="value_high_as_stated"]').inner_text().startswith(
            column_title(Field.of({"name": "value_high_as_stated"}))[0])
        # compact: at least five rows on the first screen
        tops = [cell["top"] for cell in page.evaluate(CELLS_OF, ["measure", offset])]
        assert sum(top < DESKTOP["height"] for top in tops) >= 5 or len(tops) < 5
        assert checked and opened.problems == []
    finally:
        opened.close()


def test_on_a_phone_each_row_is_a_card_with_its_name_figure_measure_period_and_status(browser, site) -> None:
    opened = Watched(browser, PHONE)
    try:
        page = opened.open(site.joinpath("tables", "indicators.html").as_uri())
        offset = 1 if page.locator("#rows thead th.trace-col").count() else 0
        first = shown_keys(page)[0]
        for field in ["name_zh", "value_as_stated", *what_a_figure_is()]:
            cell = page.evaluate(CELLS_OF, [field, offset])[0]
            assert cell["key"] == first and cell["shown"], field
            assert 0 <= cell["left"] and cell["right"] <= PHONE["width"], (field, cell)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("#rows thead").bounding_box()["width"] <= 1  # the headings give way to the cards
    finally:
        opened.close()


def test_choosing_chinese_turns_the_overview_to_chinese(watched, site) -> None:
    page = watched.open(site.joinpath("index.html").as_uri())
    intro = page.locator("#sources-intro")
    assert intro.inner_text() == TEXTS["sources_intro"][0]
    page.check("input[name=names][value=zh]")
    assert intro.inner_text() == TEXTS["sources_intro"][1]
    assert page.locator(".tables-list thead th").first.inner_text() == TEXTS["col_table"][1]


def test_choosing_chinese_turns_the_interface_to_chinese(watched, site) -> None:
    page = watched.open(site.joinpath("tables", "indicators.html").as_uri())
    rows = len(rows_of(PACKAGE / "data" / "indicators.csv"))
    heading, nav = page.locator("#rows-heading"), page.locator(".site-header nav a").first
    assert heading.inner_text() == TEXTS["rows"][0] and nav.inner_text() == TEXTS["overview"][0]
    page.check("input[name=names][value=zh]")
    assert heading.inner_text() == TEXTS["rows"][1] and nav.inner_text() == TEXTS["overview"][1]
    assert page.locator("label[for=search]").inner_text() == TEXTS["search"][1]
    assert page.locator("#clear-filters").inner_text() == TEXTS["clear"][1]
    assert page.locator("#status").text_content().endswith(f"表中共 {rows:,} 行）。")
    assert page.locator("#rows tbody button.trace").first.inner_text() == TEXTS["trace"][1]
    measure = Schema.of(open_package(PACKAGE).table("indicators").schema).field("measure")
    assert page.locator('#rows thead button.sort[data-field="measure"]').inner_text().startswith(column_title(measure)[1])
    shown = set(shown_column(page, "measure"))
    assert shown <= {zh for _, zh in enum_labels(measure.enum).values()}
    # periods as a Chinese reader writes them (2022年, 2022年1–9月, 2022年12月9日)
    periods = shown_column(page, "period")
    assert periods and all("年" in period for period in periods if period), [p for p in periods if "年" not in p]
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.check("input[name=names][value=both]")
    assert heading.inner_text() == TEXTS["rows"][0] and page.locator("#status").text_content().endswith("in the table).")
    assert watched.problems == []


def test_the_headline_view_links_each_figure_to_its_row_and_offers_its_csv(watched, site) -> None:
    page = watched.open(site.joinpath("headline.html").as_uri())
    rows = {row["id"]: row for row in rows_of(PACKAGE / "data" / "indicators.csv")}
    links = page.eval_on_selector_all("#headline-table td a", "links => links.map(a => [a.getAttribute('href'), a.textContent])")
    assert links
    for href, text in links:
        row = rows[unquote(href.split("#row=")[1])]
        assert row["value_as_stated"] in text and row["measure"] in ("level", "yoy_change")
    download = page.locator("a.download")
    data = Path(unquote(urlparse(download.evaluate("a => a.href")).path)).read_bytes()
    assert sha256_of_bytes(data) == download.get_attribute("data-sha256")
    header = data.decode("utf-8").splitlines()[0].split(",")
    periods = page.eval_on_selector_all("#headline-table thead th[data-period]", "cells => cells.length")
    assert len(header) == 5 + periods
    assert watched.problems == []
