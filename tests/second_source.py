"""A clearly fictional second source, applied to a copy of the package as a contributor would.

The fixture (tests/fixtures/second-source/; any folder laid out the same way, such as
tests/fixtures/bulletin/, can be passed as ``fixture``) holds the source's text and metadata
(`source.txt`, `source.json`) and one CSV file per table it adds rows to, named after
the table. `grow_package` copies the package, registers the text with `add-source`,
appends the rows and builds: the result is what the package looks like once a valid
second source has arrived, and the data tests (marker `data`) must pass on it as they
do on the committed package (see test_second_source.py).

A fixture file lists only the columns it fills: every other column of the table's
schema is left empty, and a fixture column the schema does not have (the data model
moved it to another table) is left out, so the fixture states facts, not a layout.

A fixture's figures are of a fictional place that the fixture itself adds to `regions`
(with no division code): a real source about Jiutai, however many figures of 2023 or
2024 it states, can then never contradict them (a `revision` warning between the two).
`grow_with_jiutai_stand_in` makes such a package: the committed one after a source
about Jiutai has arrived (tests/fixtures/jiutai-stand-in/, made up too, standing in
for the real one), its warnings acknowledged as a reviewer would, so that the tests
can show the fixtures growing it exactly as they grow the committed package.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "second-source"
JIUTAI_STAND_IN = Path(__file__).resolve().parent / "fixtures" / "jiutai-stand-in"
# What a data test may read besides the code: the package and the files generated from it.
PACKAGE_FILES = ("datapackage.json", "schemas", "data", "README.md", "CITATION.cff", "CONTRIBUTING.md",
                 "LICENSE-DATA.md")


class FixtureError(AssertionError):
    """The fixture does not fit the package (a table it names is missing, a row is refused)."""


def metadata(fixture: Path = FIXTURE) -> dict[str, str]:
    return json.loads((fixture / "source.json").read_text(encoding="utf-8"))


def copy_package_files(source: Path, destination: Path) -> Path:
    destination.mkdir(parents=True, exist_ok=True)
    for name in PACKAGE_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif origin.is_file():
            shutil.copy2(origin, destination / name)
    return destination


def fixture_rows(table: str, fixture: Path = FIXTURE) -> list[dict[str, str]]:
    with (fixture / f"{table}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def fixture_tables(fixture: Path = FIXTURE) -> list[str]:
    return sorted(path.stem for path in fixture.glob("*.csv"))


def append_rows(root: Path, table: str, rows: list[dict[str, str]]) -> None:
    """Append ``rows`` to the table's CSV file in the order of its schema's fields."""
    from jiutai_data.model.package import open_package

    layout = next((t for t in open_package(root).tables if t.name == table), None)
    if layout is None:
        raise FixtureError(f"the fixture has rows for the table {table!r}, which this package lacks")
    names = [field["name"] for field in layout.schema["fields"]]
    text = layout.csv_path.read_text(encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([[row.get(name) or "" for name in names] for row in rows])
    layout.csv_path.write_text(text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(), encoding="utf-8")


def add_second_source(root: Path, fixture: Path = FIXTURE) -> str:
    """Register the fictional text with add-source and append every fixture table's rows."""
    from jiutai_data.tools.add_source import add_source

    meta = metadata(fixture)
    result = add_source(root, fixture / "source.txt", source_id=meta["id"], title_zh=meta["title"],
                        title_en=meta["title_en"], publisher_zh=meta["publisher"],
                        publisher_en=meta["publisher_en"], published=meta["published"], url=meta.get("url", ""))
    if not result.ok:
        raise FixtureError("\n".join(result.describe()))
    for table in fixture_tables(fixture):
        append_rows(root, table, fixture_rows(table, fixture))
    return meta["id"]


def grow_package(source: Path, destination: Path, fixture: Path = FIXTURE) -> Path:
    """A built copy of the package at ``source`` with the fictional source of ``fixture`` (a folder
    laid out as tests/fixtures/second-source/, the default) added."""
    from jiutai_data.publish.build import build_package
    from jiutai_data.validate.report import render_report

    copy_package_files(source, destination)
    add_second_source(destination, fixture)
    result = build_package(destination)
    if not result.report.valid:
        raise FixtureError("the grown package does not build:\n" + render_report(result.report))
    return destination


def row_ids(root: Path, table: str) -> dict[int, str]:
    """CSV line (the header is line 1, as findings count) → row ID of ``table``."""
    from jiutai_data.model.package import open_package

    layout = next(t for t in open_package(root).tables if t.name == table)
    with layout.csv_path.open(encoding="utf-8", newline="") as stream:
        return {line: row["id"] for line, row in enumerate(csv.DictReader(stream), start=2)}


def acknowledge(root: Path, warnings: list, reason: str, reviewed_on: str) -> list[tuple[str, str, str]]:
    """Append a row to `acknowledgements` for each of ``warnings`` (findings of the package at ``root``),
    as a reviewer who has read them does; their (finding code, table, row ID)."""
    keys: list[tuple[str, str, str]] = []
    for finding in warnings:
        if finding.table is None or finding.row is None:
            raise FixtureError(f"a warning that names no row cannot be acknowledged: {finding.message}")
        key = (finding.check, finding.table, row_ids(root, finding.table)[finding.row])
        if key not in keys:
            keys.append(key)
    append_rows(root, "acknowledgements", [
        {"finding_code": code, "table_name": table, "row_id": row_id, "reason": reason, "reviewed_by": "test-suite",
         "reviewed_on": reviewed_on} for code, table, row_id in keys])
    return keys


def grow_with_jiutai_stand_in(source: Path, destination: Path) -> Path:
    """A built copy of the package at ``source`` after a source stating figures of Jiutai for 2022 (a
    revised base), 2023 and 2024 has arrived (tests/fixtures/jiutai-stand-in/), each warning it raises
    against the package's own figures acknowledged: valid, with no warning left."""
    from jiutai_data.publish.build import build_package
    from jiutai_data.validate.report import render_report
    from jiutai_data.validate.run import validate_package

    copy_package_files(source, destination)
    add_second_source(destination, JIUTAI_STAND_IN)
    # (the Parquet twins are stale until the build below: those findings are errors, never warnings)
    acknowledge(destination, validate_package(destination).warnings, "FICTIONAL: the stand-in for a real source on "
                "Jiutai (tests/fixtures/jiutai-stand-in) revises the package's figures; reviewed by the test suite.",
                "2024-03-02")
    built = build_package(destination)
    if not built.report.valid or built.report.warnings:
        raise FixtureError("the stand-in for a source on Jiutai does not build with every warning acknowledged:\n"
                           + render_report(built.report))
    return destination
