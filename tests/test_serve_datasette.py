"""`jiutai-data serve`: the real Datasette on the exported SQLite database and metadata, on a
free loopback port. Its JSON API must find Chinese words through the full-text index (exactly
the rows whose free text contains them), show lookup rows by their label, and facet on enums."""

from __future__ import annotations

import csv
import json
import socket
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


def test_foreign_keys_show_the_label_of_the_row_they_point_to(served) -> None:
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
                    assert row[column] == {"value": row[column]["value"], "label": labels[row[column]["value"]]}
                    checked += 1
    assert checked


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
