"""The package under test (conftest.PACKAGE: the committed one, or a copy grown by a fictional source)
judged by the library's own validation, plus what that validation cannot know.

Every rule about the data is a check of src/jiutai_data/validate/checks, and is tested there (each
finding code has a trigger in test_finding_codes.py): this file does not copy them. It asks the
validation once for the whole package and asserts what a reader is promised: no error, every warning
acknowledged by a reviewer, every row read. Its expectations come from the package's own files or
from the reference outside it, never from the rows committed today, so that they hold as sources
are added.

One rule remains here with no check: the regions against the NBS reference, which lives outside the
package (issue 24: a rule about the data belongs in a check, so that what `validate` accepts passes
the tests; this one needs the reference inside the package first).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jiutai_data.model.package import open_package
from jiutai_data.validate.run import validate_package

from conftest import PACKAGE, REPO

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

# The NBS statistical division codes of Jiutai, its parents and its townships: kept outside this
# repository (see its README there); the test that compares the regions with it skips without it.
SHARED_REFERENCE = REPO.parent / "shared" / "reference" / "jiutai-divisions-nbs-2022.csv"


def rows_of(table: str, root: Path = PACKAGE) -> list[dict[str, str]]:
    layout = next(t for t in open_package(root).tables if t.name == table)
    with layout.csv_path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def report():
    return validate_package(PACKAGE)


# ------------------------------------------------------------------ the library's verdict


def test_the_package_has_no_error_and_no_warning_a_reviewer_has_not_acknowledged(report) -> None:
    assert [f"{f.check} {f.table}:{f.row} {f.message}" for f in report.errors] == []
    assert [f"{f.check} {f.table}:{f.row} {f.message}" for f in report.warnings] == []


def test_each_acknowledged_warning_is_a_row_of_acknowledgements_and_each_row_acknowledges_one(report) -> None:
    # (finding code, table, row ID) of each acknowledged warning, the row ID read from its line
    ids = {table: {line: row["id"] for line, row in enumerate(rows_of(table), start=2)}
           for table in {f.table for f in report.acknowledged}}
    acknowledged = {(f.check, f.table, ids[f.table][f.row]) for f in report.acknowledged}
    rows = {(row["finding_code"], row["table_name"], row["row_id"]) for row in rows_of("acknowledgements")}
    assert acknowledged == rows


def test_the_validation_read_every_row_of_every_table(report) -> None:
    tables = open_package(PACKAGE).tables
    assert report.stats["tables"] == len(tables)
    for table in tables:
        with table.csv_path.open(encoding="utf-8", newline="") as stream:
            lines = sum(1 for _ in csv.reader(stream)) - 1  # the header is no row
        assert report.stats["rows"][table.name] == lines, table.name
    assert report.stats["sources"] == len(rows_of("sources"))


# ------------------------------------------------------------------ the reference outside the package


def test_every_nbs_division_of_the_reference_is_a_region_with_its_code_name_level_and_parent() -> None:
    """No check can do this yet: the reference is not part of the package (a `region-code` check
    needs it as a table of the package, with its edition). A region the reference does not list (a
    later edition's 南山街道, a fictional place of a test source) is neither required nor refused."""
    if not SHARED_REFERENCE.is_file():
        pytest.skip("the shared reference folder is not next to this repository")
    with SHARED_REFERENCE.open(encoding="utf-8", newline="") as stream:
        reference = list(csv.DictReader(stream))
    regions = rows_of("regions")
    by_code = {row["code"]: row for row in regions if row["code"]}
    code_of = {row["id"]: row["code"] for row in regions}
    assert [division["code"] for division in reference if division["code"] not in by_code] == []
    for division in reference:
        row = by_code[division["code"]]
        assert (row["name_zh"], row["level"], code_of.get(row["parent_id"], "")) == (
            division["name_zh"], division["level"], division["parent_code"]), division["code"]

