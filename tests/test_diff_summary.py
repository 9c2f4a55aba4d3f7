"""`jiutai-data diff` as a reader meets it: the first line says what changed, counted, with
each count's plural; a long changed value (a description, the list of sources) is shown around
where it changed, not as a 2,000-character line, while `--format json` keeps it whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import copy_package

from jiutai_data.cli import main
from jiutai_data.tools.diff import PackageDiff, PropertyChange, RowEntry, SchemaDiff, TableDiff
from jiutai_data.tools.diff_report import VALUE_CHARACTERS, render_diff, summary

pytestmark = pytest.mark.data  # copies the package under test (conftest.PACKAGE)

MARKER = "INSERTED-FOR-THE-TEST"


@pytest.fixture
def changed(tmp_path: Path) -> tuple[Path, Path, str, str]:
    """NEW: the package's description with a word inserted in its middle (the description made
    long first, in both, where it is not), and two units rows appended."""
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    descriptor = json.loads((old / "datapackage.json").read_text(encoding="utf-8"))
    description = descriptor["description"]
    if len(description) <= 3 * VALUE_CHARACTERS:
        description += " " + "A long description, repeated. " * (3 * VALUE_CHARACTERS // 20)
    middle = len(description) // 2
    revised = f"{description[:middle]} {MARKER} {description[middle:]}"
    for root, text in ((old, description), (new, revised)):
        descriptor["description"] = text
        (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                               encoding="utf-8")
    with (new / "data/units.csv").open("a", encoding="utf-8") as stream:
        stream.write("diff-unit-x,count,1,unit x,\ndiff-unit-y,count,1,unit y,\n")
    return old, new, description, revised


def test_the_first_line_counts_what_changed(changed, capsys) -> None:
    old, new, _, _ = changed
    assert main(["diff", str(old), str(new)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"jiutai-data diff: {old} → {new}: ")
    assert "package description changed" in first
    assert "rows: 2 added, 0 removed, 0 changed in 1 table" in first


def test_a_long_changed_value_is_shown_where_it_changed_and_whole_in_json(changed, capsys) -> None:
    old, new, description, revised = changed
    assert main(["diff", str(old), str(new)]) == 0
    text = capsys.readouterr().out
    (line,) = [line for line in text.splitlines() if line.startswith("package description:")]
    assert MARKER in line  # the change itself is in view
    assert f"({len(description):,} characters)" in line and f"({len(revised):,} characters)" in line
    assert len(line) < len(description)  # neither value in full, let alone both
    assert max(map(len, text.splitlines())) < len(description) + len(revised)
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    package = json.loads(capsys.readouterr().out)["package"]
    assert {"property": "description", "old": description, "new": revised} in package


def test_markdown_opens_with_the_same_summary(changed) -> None:
    from jiutai_data.tools.diff import diff_packages

    old, new, _, _ = changed
    diff = diff_packages(str(old), str(new), repo=old)
    markdown = render_diff(diff, "markdown")
    assert markdown.splitlines()[2] == f"In short: {summary(diff)}."


def _entry(key: str) -> RowEntry:
    return RowEntry(key={"id": key}, row=2, values={"id": key})


@pytest.mark.parametrize(("diff", "expected"), [
    (PackageDiff("a", "b"), "no changes"),
    (PackageDiff("a", "b", resources_added=["x"]), "1 resource added"),
    (PackageDiff("a", "b", resources_added=["x", "y"], resources_removed=["z"]),
     "2 resources added; 1 resource removed"),
    (PackageDiff("a", "b", resource_properties=[PropertyChange("x", "path", "p", "q"),
                                                PropertyChange("x", "hash", "h", "i")]),
     "1 resource changed"),
    (PackageDiff("a", "b", schemas=[SchemaDiff("t"), SchemaDiff("u")]), "2 schemas changed"),
    (PackageDiff("a", "b", tables=[TableDiff("t", ["id"], added=[_entry(str(n)) for n in range(1200)])]),
     "rows: 1,200 added, 0 removed, 0 changed in 1 table"),
])
def test_the_summary_counts_with_plurals(diff: PackageDiff, expected: str) -> None:
    assert summary(diff) == expected
