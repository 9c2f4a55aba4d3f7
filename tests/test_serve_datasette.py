"""`jiutai-data serve`: the real Datasette on the exported SQLite database and metadata, on a
free loopback port. Its JSON API must find Chinese words through the full-text index (exactly
the rows whose free text contains them), show lookup rows by a short label, and facet on enums;
its pages must be readable: no full-text index in the table list, no facet suggested on free
text, and the columns, licence and sources folded in a <details> rather than before the search box."""

from __future__ import annotations

import csv
import html.parser
import json
import re
import socket
import sqlite3
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import copy_exported

pytest.importorskip("datasette", reason="Datasette comes with jiutai-data[tools]")

from jiutai_data.publish.export import DATABASE  # noqa: E402
from jiutai_data.publish.serve import HOST, ServeError, datasette_command  # noqa: E402
from jiutai_data.publish.sqlite import ELLIPSIS, LABEL_CHARACTERS  # noqa: E402
from jiutai_data.model.package import open_package  # noqa: E402
from jiutai_data.model.roles import category_fields, free_text_fields, label_field  # noqa: E402

WORDS = ["投资", "工业"]


def csv_rows(table) -> list[dict]:
    """The CSV's rows as written, an empty cell as None."""
    with table.csv_path.open(encoding="utf-8", newline="") as stream:
        return [{name: value or None for name, value in row.items()} for row in csv.DictReader(stream)]
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def get(base: str, path: str, **query: str) -> dict:
    url = f"{base}{path}?{urllib.parse.urlencode({**query, '_shape': 'objects'}) if query else '_shape=objects'}"
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def page(base: str, path: str) -> str:
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, exported_package: Path):
    root = copy_exported(exported_package, tmp_path_factory.mktemp("serve") / "package")
    dist = root / "dist"
    port = free_port()
    process = subprocess.Popen(datasette_command(dist, port), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://{HOST}:{port}/{DATABASE}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                get(f"http://{HOST}:{port}", "/-/versions.json")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Datasette did not start: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        yield root, base
    finally:
        process.terminate()
        process.wait(timeout=30)


def rows_containing(table, word: str) -> set[str]:
    """Primary keys of the rows whose free text contains `word`, from the CSV itself."""
    key = table.schema["primaryKey"]
    key = key if isinstance(key, str) else key[0]
    columns = free_text_fields(table.schema)
    found = set()
    for row in csv_rows(table):
        if any(word in (row[column] or "") for column in columns):
            found.add(row[key])
    return found


def searched(base: str, table, word: str) -> set[str]:
    key = table.schema["primaryKey"]
    key = key if isinstance(key, str) else key[0]
    found, path, query = set(), f"/{table.name}.json", {"_search": word, "_size": "max", "_labels": "off"}
    while True:
        page = get(base, path, **query)
        found |= {row[key] for row in page["rows"]}
        if not page.get("next"):
            return found
        query["_next"] = page["next"]


@pytest.mark.parametrize("word", WORDS)
def test_search_finds_exactly_the_rows_whose_text_contains_the_word(served, word: str) -> None:
    root, base = served
    hits = 0
    for table in open_package(root).tables:
        if not free_text_fields(table.schema):
            continue
        expected = rows_containing(table, word)
        assert searched(base, table, word) == expected, table.name
        hits += len(expected)
    assert hits, f"no row contains {word}: the test would show nothing"


def test_search_finds_an_english_word_whatever_its_case(served) -> None:
    root, base = served
    indicators = next(table for table in open_package(root).tables if table.name == "indicators")
    expected = {key for key in rows_containing(indicators, "investment")} | rows_containing(indicators, "Investment")
    assert expected
    assert searched(base, indicators, "INVESTMENT") >= expected


def test_a_word_in_no_row_finds_nothing_rather_than_every_row(served) -> None:
    root, base = served
    indicators = next(table for table in open_package(root).tables if table.name == "indicators")
    assert searched(base, indicators, "火星") == set()


def test_foreign_keys_show_a_short_label_of_the_row_they_point_to(served) -> None:
    # The label field as it is where it is short; cut, with an ellipsis, where it is long (a
    # source's whole headline beside every row's source_id made each row 150 px tall).
    root, base = served
    described = {table.name: table for table in open_package(root).tables}
    checked = 0
    for table in described.values():
        for key in table.schema.get("foreignKeys", []):
            target = described[key["reference"]["resource"] or table.name]
            label = label_field(target.schema)
            column = key["fields"] if isinstance(key["fields"], str) else key["fields"][0]
            rows = get(base, f"/{table.name}.json", _labels="on", _size="5")["rows"]
            labels = {row[target.schema["primaryKey"][0]]: row[label]
                      for row in csv_rows(target)}
            for row in rows:
                if row[column] is not None:
                    full, shown = labels[row[column]["value"]], row[column]["label"]
                    assert set(row[column]) == {"value", "label"}
                    assert len(shown) <= LABEL_CHARACTERS, (table.name, column, shown)
                    if len(full) <= LABEL_CHARACTERS:
                        assert shown == full, (table.name, column)
                    else:
                        assert shown.endswith(ELLIPSIS) and full.startswith(shown.removesuffix(ELLIPSIS)), (shown, full)
                    checked += 1
    assert checked


def test_the_table_list_shows_no_full_text_index(served) -> None:
    root, base = served
    dist = root / "dist"
    with sqlite3.connect(dist / f"{DATABASE}.sqlite") as connection:
        every = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    data_tables = {table.name for table in open_package(root).tables}
    machinery = every - data_tables  # the FTS5 indexes and their shadow tables, read off the database
    assert machinery, "the database has no full-text index: nothing here is tested"
    # hidden by name in the metadata, whichever Datasette version reads it
    described = json.loads((dist / "metadata.json").read_text(encoding="utf-8"))["databases"][DATABASE]["tables"]
    assert {name for name, entry in described.items() if entry.get("hidden")} == machinery
    listed = {table["name"]: table["hidden"] for table in get(base, ".json")["tables"]}
    assert {name for name, hidden in listed.items() if not hidden} == data_tables
    html_page = page(base, "")
    for name in machinery:
        assert f'href="/{DATABASE}/{name}"' not in html_page, name
    for name in data_tables:
        assert f'href="/{DATABASE}/{name}"' in html_page, name


def test_no_table_page_suggests_a_facet_on_free_text(served) -> None:
    root, base = served
    checked = 0
    for table in open_package(root).tables:
        free_text = set(free_text_fields(table.schema))
        if not free_text or not csv_rows(table):
            continue
        suggested = {facet["name"] for facet in get(base, f"/{table.name}.json", _size="0")["suggested_facets"]}
        assert not suggested & free_text, (table.name, sorted(suggested & free_text))
        listing = page(base, f"/{table.name}")
        assert not any(f"_facet={name}" in listing for name in free_text), table.name
        checked += 1
    assert checked


class _Visible(html.parser.HTMLParser):
    """The text a reader sees before the search box: not inside <details> (folded), <style>,
    or an element the page's own style hides (Datasette's list of column descriptions)."""

    def __init__(self, hidden_classes: set[str]) -> None:
        super().__init__()
        self.hidden_classes = hidden_classes
        self.stack: list[tuple[str, bool]] = []  # open elements, each with whether it hides its text
        self.text: list[str] = []  # visible before the search box
        self.details: list[str] = []  # the text of each <details>, folded
        self.opened_details: list[list[str]] = []
        self.done = False  # the search box is reached

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "_search":
            self.done = True
        hidden = tag in ("details", "style", "script") or bool(set((attributes.get("class") or "").split()) & self.hidden_classes)
        self.stack.append((tag, hidden))
        if tag == "details":
            self.opened_details.append([])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            opened, _ = self.stack.pop()
            if opened == tag:
                break
        if tag == "details" and self.opened_details:
            self.details.append(" ".join(self.opened_details.pop()))

    def handle_data(self, data: str) -> None:
        for words in self.opened_details:
            words.append(data)
        if not self.done and not any(hidden for _, hidden in self.stack):
            self.text.append(data)


def _hidden_by_style(listing: str) -> set[str]:
    """Classes of the elements a <style> of the page hides ("dl.column-descriptions { display: none; }")."""
    styles = " ".join(re.findall(r"<style>(.*?)</style>", listing, re.S))
    return {match for match in re.findall(r"\.([\w-]+)\s*\{\s*display:\s*none", styles)}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_columns_licence_and_sources_are_folded_below_the_description(served) -> None:
    root, base = served
    package = open_package(root)
    descriptor = package.descriptor
    titles = [source["title"] for source in descriptor.get("sources", [])]
    licence = (descriptor.get("licenses") or [{}])[0]
    for table in package.tables:
        listing = page(base, f"/{table.name}")
        reader = _Visible(_hidden_by_style(listing))
        reader.feed(listing)
        assert reader.done, f"{table.name}: no search box"
        visible, folded = _flat(" ".join(reader.text)), _flat(" ".join(reader.details))
        assert _flat(table.description) in visible, table.name  # the table's own description stays in view
        for field in table.schema["fields"]:
            described = _flat(field["description"])
            assert described not in visible, (table.name, field["name"])
            assert described in folded, (table.name, field["name"])
        for title in titles:
            assert _flat(title) not in visible and _flat(title) in folded, (table.name, title)
        if licence.get("title"):
            assert _flat(licence["title"]) in folded, table.name


def test_enum_columns_are_facets_with_their_counts(served) -> None:
    root, base = served
    for table in open_package(root).tables:
        enums = category_fields(table.schema)
        if not enums:
            continue
        page = get(base, f"/{table.name}.json", _size="0")
        facets = page["facet_results"]
        facets = facets.get("results", facets)  # Datasette 1.0 nests them
        assert set(enums) <= set(facets), table.name
        rows = csv_rows(table)
        for name in enums:
            counts = {item["value"]: item["count"] for item in facets[name]["results"]}
            values = [row[name] for row in rows if row[name] is not None]
            assert counts == {value: values.count(value) for value in set(values)}, (table.name, name)


def test_serve_refuses_a_folder_without_an_export(tmp_path: Path) -> None:
    with pytest.raises(ServeError, match="jiutai-data export"):
        datasette_command(tmp_path)
