"""Shared fixtures: copies of the committed package, and a tiny clean package, to break in tmp_path.

Tests never touch the committed package itself; they copy it first.

``PACKAGE`` is the package the data tests (marker ``data``) read: this repository's, or
the folder named by the environment variable ``JIUTAI_PACKAGE``. test_second_source.py
sets it to a copy grown by a fictional second source and runs the data tests again on
it (in `make test` all but those marked ``mutation``; in `make bench` every one), so that
a test pinned to the committed rows fails there. ``REPO`` is the repository
(its code, scripts and workflow); tests about the data never read it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any, Callable

import pytest

from jiutai_data.model.ids import row_id

REPO = Path(__file__).resolve().parent.parent
PACKAGE_ENVIRONMENT = "JIUTAI_PACKAGE"
PACKAGE = Path(os.environ[PACKAGE_ENVIRONMENT]).resolve() if os.environ.get(PACKAGE_ENVIRONMENT) else REPO
PACKAGE_PARTS = ("datapackage.json", "schemas", "data")


def copy_package(destination: Path, source: Path = PACKAGE) -> Path:
    """Copy datapackage.json, schemas/ and data/ of ``source`` into ``destination``."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PACKAGE_PARTS:
        origin = source / part
        if origin.is_dir():
            shutil.copytree(origin, destination / part)
        elif origin.is_file():
            shutil.copy2(origin, destination / part)
    return destination


def schema_of(root: Path, table: str) -> dict[str, Any]:
    return json.loads((root / "schemas" / f"{table}.json").read_text(encoding="utf-8"))


def write_table(root: Path, table: str, rows: list[dict[str, Any]]) -> Path:
    """Write data/<table>.csv with the schema's columns in order; absent keys are empty cells."""
    names = [field["name"] for field in schema_of(root, table)["fields"]]
    path = root / "data" / f"{table}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            writer.writerow(["" if row.get(name) is None else row[name] for name in names])
    return path


TINY_SOURCE_ID = "tiny-daily-2022-12-12"
TINY_SOURCE_TEXT = "九台区前三季度地区生产总值达到264.6亿元，同比增长5.2%。\n"


def edit_schema(root: Path, table: str, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit the Table Schema schemas/<table>.json of the package at ``root`` in place."""
    path = root / "schemas" / f"{table}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    edit(schema)
    path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")


def edit_field(root: Path, table: str, name: str, edit: Callable[[dict[str, Any]], None]) -> None:
    edit_schema(root, table, lambda schema: edit(next(f for f in schema["fields"] if f["name"] == name)))


def edit_csv(path: Path, edit: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> None:
    """Rewrite the CSV file at ``path`` with its rows passed through ``edit`` (header kept, LF ends)."""
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    header, rows = list(reader.fieldnames or []), list(reader)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(edit(rows))
    path.write_text(buffer.getvalue(), encoding="utf-8")


def edit_rows(root: Path, table: str, edit: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> None:
    edit_csv(root / "data" / f"{table}.csv", edit)


def edit_each_row(path: Path, change: Callable[[dict[str, str]], None]) -> None:
    """Apply ``change`` to every row of the CSV file at ``path``, in place."""
    def changed(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        for row in rows:
            change(row)
        return rows
    edit_csv(path, changed)


def tiny_id(slug: str) -> str:
    """The row ID of the tiny source's row with this slug (IDs are <source_id>--<slug>)."""
    return row_id(TINY_SOURCE_ID, slug)


def tiny_rows(source_text: str = TINY_SOURCE_TEXT) -> dict[str, list[dict[str, Any]]]:
    """Rows of a small package that every check accepts: each quote is verbatim in
    the source text, every number in it is covered, the units convert, the keys resolve."""
    source_path = f"data/sources/{TINY_SOURCE_ID}.txt"
    common = {"source_id": TINY_SOURCE_ID, "region_id": "jiutai", "topic": "economy",
              "period_start": "2022-01-01", "period_end": "2022-09-30", "qualifier": "exact",
              "status": "actual", "indicator": "gross_regional_product"}
    return {
        "sources": [{
            "id": TINY_SOURCE_ID, "title_zh": "九台区经济运行", "title_en": "Jiutai's economy",
            "publisher_zh": "测试日报", "publisher_en": "Test Daily", "published": "2022-12-12T08:00:00+08:00",
            "url": "https://example.org/tiny", "author": "", "path": source_path,
            "sha256": hashlib.sha256(source_text.encode("utf-8")).hexdigest(),
            "licence_note": "Test text written for the test suite.",
        }],
        "regions": [{"id": "jiutai", "code": "220113", "name_zh": "九台区", "name_en": "Jiutai District",
                     "level": "county"}],
        "units": [
            {"unit_as_stated": "亿元", "unit": "CNY", "factor": "100000000", "name_en": "hundred million yuan"},
            {"unit_as_stated": "%", "unit": "percent", "factor": "1", "name_en": "percent"},
        ],
        "topics": [{"id": "economy", "name_zh": "经济", "name_en": "Economy", "description": "Output and growth."}],
        "catalogue": [{"code": "gross_regional_product", "name_zh": "地区生产总值", "name_en": "Gross regional product",
                       "topic": "economy", "unit": "亿元", "kind": "flow", "definition": "Value added of all resident producers."}],
        "indicators": [
            {**common, "id": tiny_id("jiutai-2022-q1-q3-gross-regional-product"), "measure": "level", "value": "26460000000", "unit": "CNY",
             "value_as_stated": "264.6", "unit_as_stated": "亿元", "quote": "前三季度地区生产总值达到264.6亿元"},
            {**common, "id": tiny_id("jiutai-2022-q1-q3-gross-regional-product-yoy"), "measure": "yoy_change", "value": "5.2", "unit": "percent",
             "value_as_stated": "5.2", "unit_as_stated": "%", "quote": "同比增长5.2%"},
        ],
        "projects": [],
        "plans": [],
        "designations": [],
        "omissions": [],
    }


def write_tiny_package(root: Path, rows: dict[str, list[dict[str, Any]]] | None = None,
                       source_text: str = TINY_SOURCE_TEXT) -> Path:
    """A small valid package at ``root``: the committed descriptor (CSV resources only,
    so no Parquet twin is expected) and schemas, with ``rows`` (default: tiny_rows())."""
    root.mkdir(parents=True, exist_ok=True)
    descriptor = json.loads((PACKAGE / "datapackage.json").read_text(encoding="utf-8"))
    # CSV resources only, and without the committed bytes/hash: those describe the
    # committed files, not the tiny ones written here.
    descriptor["resources"] = [
        {key: value for key, value in r.items() if key not in ("bytes", "hash")}
        for r in descriptor["resources"] if r.get("format") == "csv"
    ]
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    shutil.copytree(PACKAGE / "schemas", root / "schemas")
    text_path = root / "data" / "sources" / f"{TINY_SOURCE_ID}.txt"
    text_path.parent.mkdir(parents=True, exist_ok=True)
    text_path.write_bytes(source_text.encode("utf-8"))
    for table, table_rows in (rows or tiny_rows(source_text)).items():
        write_table(root, table, table_rows)
    # a table the tiny rows do not mention is there, empty: a new table needs no edit here
    for resource in descriptor["resources"]:
        if not (root / resource["path"]).exists():
            write_table(root, resource["name"], [])
    return root


def git(repo: Path, *args: str) -> str:
    """git in ``repo`` with a test identity and no signing; its output."""
    import subprocess

    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                           "-c", "commit.gpgsign=false", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose one commit is the package under test."""
    repo = copy_package(tmp_path / "repo")
    git(repo, "init", "--quiet")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "base")
    return repo

@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the committed package, safe to break."""
    return copy_package(tmp_path / "package")


@pytest.fixture(scope="session")
def exported_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package under test, built and exported into its dist/, made once per session
    (once per worker under pytest-xdist): the export is the slow step (the SQLite full-text index,
    the workbook), so tests that need an exported package copy this one (copy_exported) instead.
    Never write into it."""
    from jiutai_data.publish.build import build_package
    from jiutai_data.publish.export import export_package

    root = copy_package(tmp_path_factory.mktemp("exported") / "package")
    assert build_package(root).report.valid
    export_package(root, root / "dist")
    return root


def copy_exported(exported: Path, destination: Path) -> Path:
    """A copy of ``exported`` (the package and its dist/) at ``destination``, safe to break."""
    shutil.copytree(exported, destination, symlinks=True)
    return destination


@pytest.fixture
def tiny_package(tmp_path: Path) -> Path:
    """A small, valid package (see tiny_rows), safe to break."""
    return write_tiny_package(tmp_path / "tiny")


def load_script(name: str):
    """scripts/<name>.py as a module (scripts/ is not a package), loaded once per session."""
    import importlib.util
    import sys

    module_name = f"jiutai_{name}"
    if module_name not in sys.modules:
        spec = importlib.util.spec_from_file_location(module_name, REPO / "scripts" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
    return sys.modules[module_name]
