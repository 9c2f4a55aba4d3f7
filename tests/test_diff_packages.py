"""`jiutai-data diff` on package folders: exactly the rows, columns, schema fields
and resources that changed, and nothing for identical packages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import PACKAGE
from jiutai_data.cli import main
from jiutai_data.tools.diff import diff_packages
from jiutai_data.tools.diff_report import render_diff

pytestmark = pytest.mark.data
COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)


def copy_package(destination: Path) -> Path:
    """The committed package's descriptor, schemas and data, copied for editing."""
    destination.mkdir(parents=True)
    shutil.copy2(COMMITTED / "datapackage.json", destination)
    for folder in ("schemas", "data"):
        shutil.copytree(COMMITTED / folder, destination / folder)
    return destination


def append(path: Path, text: str) -> None:
    data = path.read_bytes()
    with path.open("ab") as stream:
        stream.write((b"" if data.endswith(b"\n") else b"\n") + text.encode("utf-8"))


def data_rows(path: Path) -> int:
    """Rows after the header, so tests can name row numbers of rows they append."""
    import csv

    with path.open(encoding="utf-8", newline="") as stream:
        return sum(1 for _ in csv.reader(stream)) - 1


@pytest.fixture
def two_versions(tmp_path: Path) -> tuple[Path, Path, int]:
    """OLD with three made-up units and topics appended; NEW changes one, removes one, adds one.

    Returns the row number of the first appended units row in both copies."""
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    first = data_rows(old / "data/units.csv") + 2
    append(old / "data/units.csv",
           "diff-unit-a,count,1,unit a,\n"
           "diff-unit-b,count,1,unit b,\n"
           "diff-unit-c,count,1,unit c,\n")
    append(new / "data/units.csv",
           "diff-unit-a,count,10,unit a,now a note\n"
           "diff-unit-c,count,1,unit c,\n"
           "diff-unit-d,kg,0.5,unit d,\n")
    append(old / "data/topics.csv", "diff_topic,话题,Topic,\"A topic, with a comma\"\n")
    append(new / "data/topics.csv", "diff_topic,话题,Topic,\"A topic, with a comma, revised\"\n")
    return old, new, first


def test_changed_added_and_removed_rows_are_reported_exactly(two_versions) -> None:
    old, new, first = two_versions
    diff = diff_packages(str(old), str(new), repo=old)
    tables = {t.table: t for t in diff.tables}
    assert set(tables) == {"units", "topics"}

    units = tables["units"]
    assert units.key == ["unit_as_stated"]
    assert [(e.key, e.row) for e in units.added] == [({"unit_as_stated": "diff-unit-d"}, first + 2)]
    assert [(e.key, e.row) for e in units.removed] == [({"unit_as_stated": "diff-unit-b"}, first + 1)]
    assert len(units.changed) == 1
    change = units.changed[0]
    assert change.key == {"unit_as_stated": "diff-unit-a"}
    assert (change.row_old, change.row_new) == (first, first)
    assert [(c.column, c.old, c.new) for c in change.columns] == [("factor", "1", "10"), ("note", None, "now a note")]

    topics = tables["topics"]
    assert not topics.added and not topics.removed
    assert [(c.column, c.old, c.new) for c in topics.changed[0].columns] == [
        ("description", "A topic, with a comma", "A topic, with a comma, revised")]
    assert not diff.schemas and not diff.resources_added and not diff.resources_removed


def test_added_rows_carry_every_value_as_written(two_versions) -> None:
    old, new, _ = two_versions
    units = next(t for t in diff_packages(str(old), str(new), repo=old).tables if t.table == "units")
    assert units.added[0].values == {"unit_as_stated": "diff-unit-d", "unit": "kg", "factor": "0.5",
                                     "name_en": "unit d", "note": None}


def test_identical_packages_report_no_changes_and_exit_0(tmp_path: Path, capsys) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    assert not diff_packages(str(old), str(new), repo=old).has_changes
    assert main(["diff", str(old), str(new)]) == 0
    assert capsys.readouterr().out.strip().endswith("no changes")
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] is False


def test_numbers_are_compared_by_value_and_text_as_written(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    append(old / "data/units.csv", "diff-unit-a,count,1,1,\n")
    # factor is a number: 1 and 1.0 are the same; name_en is a string: 1 and 1.0 differ
    append(new / "data/units.csv", "diff-unit-a,count,1.0,1.0,\n")
    units = diff_packages(str(old), str(new), repo=old).tables[0]
    assert [(c.column, c.old, c.new) for c in units.changed[0].columns] == [("name_en", "1", "1.0")]


def test_schema_fields_added_removed_and_retyped_are_reported(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    schema_path = new / "schemas/topics.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    removed = schema["fields"].pop()  # description
    schema["fields"].append({"name": "rank", "type": "integer", "constraints": {"minimum": 1}})
    schema["fields"][1]["constraints"]["minLength"] = 2  # name_zh
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), encoding="utf-8")
    units_schema_path = new / "schemas/units.json"
    units_schema = json.loads(units_schema_path.read_text(encoding="utf-8"))
    units_schema["fields"][2]["type"] = "integer"  # factor
    units_schema_path.write_text(json.dumps(units_schema, ensure_ascii=False, indent=2), encoding="utf-8")

    schemas = {s.table: s for s in diff_packages(str(old), str(new), repo=old).schemas}
    assert schemas["topics"].fields_added == ["rank"]
    assert schemas["topics"].fields_removed == [removed["name"]]
    assert [(c.subject, c.property, c.old, c.new) for c in schemas["topics"].field_properties] == [
        ("name_zh", "constraints.minLength", 1, 2)]
    assert [(c.subject, c.old, c.new) for c in schemas["units"].fields_retyped] == [("factor", "number", "integer")]


def test_a_column_added_to_a_table_is_a_schema_change_not_a_change_of_every_row(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    append(old / "data/units.csv", "diff-unit-a,count,1,unit a,\n")
    append(new / "data/units.csv", "diff-unit-a,count,1,unit a,\n")
    for root in (new,):
        csv_path = root / "data/units.csv"
        lines = csv_path.read_text(encoding="utf-8").splitlines()
        csv_path.write_text("\n".join([lines[0] + ",extra", *(line + "," for line in lines[1:])]) + "\n",
                            encoding="utf-8")
        schema_path = root / "schemas/units.json"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        schema["fields"].append({"name": "extra", "type": "string"})
        schema_path.write_text(json.dumps(schema), encoding="utf-8")
    diff = diff_packages(str(old), str(new), repo=old)
    assert [s.fields_added for s in diff.schemas] == [["extra"]]
    assert diff.tables == []


def test_resources_added_and_removed_are_reported_and_a_new_tables_rows_are_added(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    topics = next(r for r in descriptor["resources"] if r["name"] == "topics")
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "omissions-parquet"]
    descriptor["resources"].append({**topics, "name": "themes", "path": "data/themes.csv"})
    (new / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    header = (new / "data/topics.csv").read_text(encoding="utf-8").splitlines()[0]
    (new / "data/themes.csv").write_text(f"{header}\ntheme_one,主题,Theme,One theme\n", encoding="utf-8")

    diff = diff_packages(str(old), str(new), repo=old)
    assert diff.resources_added == ["themes"]
    assert diff.resources_removed == ["omissions-parquet"]
    themes = next(t for t in diff.tables if t.table == "themes")
    assert [(e.key, e.row) for e in themes.added] == [({"id": "theme_one"}, 2)]


def test_duplicate_keys_in_an_invalid_contribution_are_compared_one_to_one(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    append(old / "data/units.csv", "diff-unit-a,count,1,unit a,\n")
    append(new / "data/units.csv", "diff-unit-a,count,1,unit a,\ndiff-unit-a,count,2,unit a again,\n")
    units = diff_packages(str(old), str(new), repo=old).tables[0]
    assert [e.values["factor"] for e in units.added] == ["2"]
    assert units.removed == [] and units.changed == []


def test_a_table_path_outside_the_package_is_not_read_and_is_named(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    shutil.copy2(new / "data/units.csv", tmp_path / "units.csv")
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "units")["path"] = "../units.csv"
    (new / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    diff = diff_packages(str(old), str(new), repo=old)
    assert any(note.startswith("units: not compared") and "../units.csv" in note for note in diff.notes)
    assert [c.property for c in diff.resource_properties] == ["path"]


def test_markdown_lists_each_change_and_escapes_contributed_text(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    append(old / "data/units.csv", "diff-unit-a,count,1,unit a,\n")
    append(new / "data/units.csv", "diff-unit-a,count,1,unit a,<script>x</script> | pipe\n")
    markdown = render_diff(diff_packages(str(old), str(new), repo=old), "markdown")
    assert "| changed | diff-unit-a |" in markdown
    assert "&lt;script&gt;x&lt;/script&gt; \\| pipe" in markdown
    assert "<script>" not in markdown


def test_markdown_caps_a_huge_table_and_says_how_many_rows_it_left_out(tmp_path: Path) -> None:
    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    append(new / "data/units.csv", "".join(f"diff-unit-{i},count,1,unit {i},\n" for i in range(12)))
    markdown = render_diff(diff_packages(str(old), str(new), repo=old), "markdown", row_limit=5)
    assert markdown.count("| added |") == 5
    assert "… 7 more lines" in markdown


def test_every_format_renders_the_same_changed_row(two_versions, capsys) -> None:
    old, new, _ = two_versions
    assert main(["diff", str(old), str(new)]) == 0
    assert "factor: 1 → 10" in capsys.readouterr().out
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 0
    assert "| changed | diff-unit-a |" in capsys.readouterr().out
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tables"]["units"]["changed"][0]["columns"][0] == {"column": "factor", "old": "1", "new": "10"}


def test_a_name_that_is_neither_folder_nor_revision_exits_2_with_a_clear_message(tmp_path: Path, capsys) -> None:
    package = copy_package(tmp_path / "package")
    assert main(["diff", str(tmp_path / "no-such-folder"), str(package), "--repo", str(tmp_path)]) == 2
    error = capsys.readouterr().err
    assert "neither a package folder" in error and "no-such-folder" in error
    assert "Traceback" not in error


def _indicator_rows(root: Path) -> tuple[list[str], list[dict[str, str]]]:
    import csv

    with (root / "data/indicators.csv").open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames), list(reader)


def _write_indicators(root: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    import csv

    with (root / "data/indicators.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_each_added_or_changed_row_shows_its_value_unit_and_quote_capped(tmp_path: Path) -> None:
    from jiutai_data.tools.diff_report import QUOTE_CHARACTERS

    old, new = copy_package(tmp_path / "old"), copy_package(tmp_path / "new")
    header, rows = _indicator_rows(new)
    first = next(r for r in rows if r["value_as_stated"] and r["unit_as_stated"] and r["quote"])
    added = {**first, "id": first["id"] + "-restated", "quote": "九" * (QUOTE_CHARACTERS + 7)}
    changed = dict(first, value=str(float(first["value"]) * 2))
    _write_indicators(new, header, [changed if r is first else r for r in rows] + [added])
    text = render_diff(diff_packages(str(old), str(new), repo=old))
    stated = f"{first['value_as_stated']}{first['unit_as_stated']}"
    assert f"+ {added['id']} (row {len(rows) + 2}): {stated} = {first['value']} {first['unit']}" in text
    assert f"“{'九' * QUOTE_CHARACTERS}… (+7 characters)”" in text and "九" * (QUOTE_CHARACTERS + 1) not in text
    assert f"      now: {stated} = {changed['value']} {first['unit']}" in text and first["quote"][:20] in text
    markdown = render_diff(diff_packages(str(old), str(new), repo=old), "markdown")
    assert f"| added | {added['id']} | {len(rows) + 2} | | | | {stated} = {first['value']}" in markdown
    assert f"| value | {first['value']} | {changed['value']} | {stated} = {changed['value']}" in markdown
    report = json.loads(render_diff(diff_packages(str(old), str(new), repo=old), "json"))
    assert report["tables"]["indicators"]["changed"][0]["values"]["quote"] == first["quote"]
