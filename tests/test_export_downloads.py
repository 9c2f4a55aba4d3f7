"""The downloads: a zip checked by its SHA256SUMS, a SQLite database with the schema's types
and keys plus Datasette metadata, and an Excel workbook in which no cell is a formula."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from conftest import PACKAGE, copy_package

from jiutai_data.publish.build import build_package
from jiutai_data.cli import main
from jiutai_data.publish.export import CHECKSUMS, DOCUMENTS, ExportError, export_package
from jiutai_data.publish.excel import README_SHEET, write_workbook
from jiutai_data.model.package import Table, open_package


def tables(root: Path) -> list[Table]:
    return open_package(root).tables

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

SQLITE_TYPES = {"string": "TEXT", "number": "REAL", "integer": "INTEGER", "boolean": "INTEGER",
                "date": "TEXT", "datetime": "TEXT"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = copy_package(tmp_path_factory.mktemp("export") / "package")
    for name in DOCUMENTS:
        if (PACKAGE / name).is_file():
            shutil.copy(PACKAGE / name, root / name)
    assert build_package(root).report.valid
    dist = root / "dist"
    export_package(root, dist)
    return root, dist


def csv_row_count(table: Table) -> int:
    with table.csv_path.open(encoding="utf-8", newline="") as stream:
        return sum(1 for _ in csv.DictReader(stream))


def parse_checksums(text: str) -> dict[str, str]:
    pairs = (line.split("  ", 1) for line in text.splitlines() if line)
    return {name: digest for digest, name in pairs}


# --------------------------------------------------------------------------- zip


def test_the_zip_holds_the_whole_package_and_every_file_matches_its_sha256sums(exported) -> None:
    root, dist = exported
    descriptor = open_package(root).descriptor
    archive = dist / f"{descriptor['name']}-{descriptor['version']}.zip"
    with zipfile.ZipFile(archive) as opened:
        names = set(opened.namelist())
        sums = parse_checksums(opened.read(CHECKSUMS).decode())
        for name, digest in sums.items():
            assert hashlib.sha256(opened.read(name)).hexdigest() == digest, name
    assert set(sums) == names - {CHECKSUMS}
    expected = {"datapackage.json", *(resource["path"] for resource in descriptor["resources"]),
                *(p.relative_to(root).as_posix() for p in (root / "schemas").iterdir()),
                *(p.relative_to(root).as_posix() for p in (root / "data" / "sources").iterdir()),
                *(name for name in DOCUMENTS if (root / name).is_file())}
    assert expected <= set(sums)


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU coreutils' sha256sum")
def test_sha256sum_c_accepts_the_downloads_and_the_unzipped_package(exported, tmp_path: Path) -> None:
    _, dist = exported
    subprocess.run(["sha256sum", "--check", "--strict", CHECKSUMS], cwd=dist, check=True, capture_output=True)
    archive = next(dist.glob("*.zip"))
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path)
    subprocess.run(["sha256sum", "--check", "--strict", CHECKSUMS], cwd=tmp_path,
                   check=True, capture_output=True)


def test_the_dist_sha256sums_lists_every_download(exported) -> None:
    _, dist = exported
    sums = parse_checksums((dist / CHECKSUMS).read_text())
    assert set(sums) == {path.name for path in dist.iterdir() if path.is_file()} - {CHECKSUMS}
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest


def test_the_zip_is_the_same_bytes_when_exported_twice(exported, tmp_path: Path) -> None:
    root, dist = exported
    archive = next(dist.glob("*.zip"))
    export_package(root, tmp_path / "again")
    assert (tmp_path / "again" / archive.name).read_bytes() == archive.read_bytes()


# ------------------------------------------------------------------------ sqlite


def test_sqlite_tables_have_the_schema_types_not_null_and_primary_keys(exported) -> None:
    root, dist = exported
    connection = sqlite3.connect(dist / "jiutai-data.sqlite")
    for table in open_package(root).tables:
        info = {row[1]: row for row in connection.execute(f'PRAGMA table_info("{table.name}")')}
        key = table.schema["primaryKey"]
        key = [key] if isinstance(key, str) else key
        for field in table.schema["fields"]:
            _, name, kind, not_null, _, pk = info[field["name"]]
            assert kind == SQLITE_TYPES[field["type"]], (table.name, name)
            required = field.get("constraints", {}).get("required", False) or name in key
            assert bool(not_null) == required, (table.name, name)
            assert (pk > 0) == (name in key), (table.name, name)
        count = connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
        assert count == csv_row_count(table), table.name


def test_sqlite_foreign_keys_are_those_of_the_table_schemas(exported) -> None:
    root, dist = exported
    connection = sqlite3.connect(dist / "jiutai-data.sqlite")
    for table in open_package(root).tables:
        declared = set()
        for key in table.schema.get("foreignKeys", []):
            fields = key["fields"] if isinstance(key["fields"], list) else [key["fields"]]
            targets = key["reference"]["fields"]
            targets = targets if isinstance(targets, list) else [targets]
            for field, target in zip(fields, targets):
                declared.add((key["reference"]["resource"] or table.name, field, target))
        found = {(row[2], row[3], row[4]) for row in connection.execute(f'PRAGMA foreign_key_list("{table.name}")')}
        assert found == declared, table.name
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_sqlite_refuses_a_row_whose_foreign_key_points_nowhere(exported) -> None:
    root, dist = exported
    connection = sqlite3.connect(dist / "jiutai-data.sqlite")
    connection.execute("PRAGMA foreign_keys = ON")
    # a key to another table: those are checked on insert (a table's keys to itself at commit)
    table, key = next((table, key) for table in open_package(root).tables for key in table.schema.get("foreignKeys", [])
                      if key["reference"]["resource"] not in ("", table.name))
    column = key["fields"] if isinstance(key["fields"], str) else key["fields"][0]
    row = connection.execute(f'SELECT * FROM "{table.name}" LIMIT 1').fetchone()
    if row is None:
        pytest.skip(f"{table.name} has no rows to copy")
    names = [field["name"] for field in table.schema["fields"]]
    values = dict(zip(names, row))
    for field in table.schema["fields"]:  # keep the copy clear of the primary key and unique columns
        if field.get("constraints", {}).get("unique") or field["name"] in table.schema["primaryKey"]:
            values[field["name"]] = f"test-copy-of-{field['name']}"
    values[column] = "test-no-such-row"
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        with connection:
            connection.execute(
                f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({", ".join("?" for _ in names)})',
                [values[name] for name in names],
            )


def test_sqlite_refuses_a_value_outside_an_enum(exported) -> None:
    root, dist = exported
    connection = sqlite3.connect(dist / "jiutai-data.sqlite")
    table, field = next((table, field) for table in open_package(root).tables for field in table.schema["fields"]
                        if "enum" in field.get("constraints", {}))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        with connection:
            connection.execute(f'UPDATE "{table.name}" SET "{field["name"]}" = ?', ["test-not-in-the-enum"])


def test_datasette_metadata_describes_the_package_every_table_and_every_column(exported) -> None:
    root, dist = exported
    descriptor = open_package(root).descriptor
    metadata = json.loads((dist / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["title"] == descriptor["title"]
    assert metadata["description"] == descriptor["description"]
    assert metadata["license"] == descriptor["licenses"][0]["name"]
    assert metadata["license_url"] == descriptor["licenses"][0]["path"]
    assert metadata["source"] and metadata["source_url"].startswith("http")
    described = metadata["databases"]["jiutai-data"]["tables"]
    for table in open_package(root).tables:
        assert described[table.name]["description"] == table.description
        columns = described[table.name]["columns"]
        assert set(columns) == {f["name"] for f in table.schema["fields"]}
        for field in table.schema["fields"]:
            assert columns[field["name"]].startswith(field["description"]), (table.name, field["name"])
    for source in descriptor["sources"]:  # every source, not only the first
        assert source["title"] in metadata["source"]


def test_datasette_metadata_gives_the_unit_of_every_number_column(exported) -> None:
    root, dist = exported
    described = json.loads((dist / "metadata.json").read_text(encoding="utf-8"))["databases"]["jiutai-data"]["tables"]
    checked = 0
    for table in tables(root):
        names = {field["name"] for field in table.schema["fields"]}
        for field in table.schema["fields"]:
            # A measured amount is a value (its unit in a column beside it; the upper bound of a range
            # shares its lower bound's) or an amount in CNY; a factor or a year is not one.
            amount = field["name"].removesuffix("_high")
            if field["type"] not in ("number", "integer") or not (
                    amount == "value" or amount.endswith("_value") or amount.endswith("_cny")):
                continue
            text = described[table.name]["columns"][field["name"]]
            unit_column = "unit" if amount == "value" else amount.removesuffix("_value") + "_unit"
            assert (f"column {unit_column}" in text) if unit_column in names else ("Unit: CNY" in text), text
            checked += 1
    assert checked


def test_sqlite_indexes_every_foreign_key(exported) -> None:
    root, dist = exported
    connection = sqlite3.connect(dist / "jiutai-data.sqlite")
    for table in tables(root):
        indexed = {tuple(row[2] for row in connection.execute(f'PRAGMA index_info("{index[1]}")'))
                   for index in connection.execute(f'PRAGMA index_list("{table.name}")')}
        for key in table.schema.get("foreignKeys", []):
            fields = (key["fields"],) if isinstance(key["fields"], str) else tuple(key["fields"])
            assert any(columns[:len(fields)] == fields for columns in indexed), (table.name, fields)


# ------------------------------------------------------------------------- excel


def test_the_workbook_has_a_readme_sheet_and_one_sheet_per_table_with_its_rows(exported) -> None:
    root, dist = exported
    workbook = openpyxl.load_workbook(dist / "jiutai-data.xlsx")
    assert workbook.sheetnames == [README_SHEET, *(table.name for table in open_package(root).tables)]
    readme_text = "\n".join(str(cell) for row in workbook[README_SHEET].iter_rows(values_only=True) for cell in row if cell)
    for table in open_package(root).tables:
        sheet = workbook[table.name]
        assert [cell.value for cell in sheet[1]] == [field["name"] for field in table.schema["fields"]]
        assert sheet.max_row - 1 == csv_row_count(table)
        for field in table.schema["fields"]:
            assert field["description"] in readme_text, (table.name, field["name"])


def test_no_cell_of_the_workbook_is_a_formula_and_dates_are_dates(exported) -> None:
    root, dist = exported
    workbook = openpyxl.load_workbook(dist / "jiutai-data.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    for table in open_package(root).tables:
        names = [field["name"] for field in table.schema["fields"]]
        for field in table.schema["fields"]:
            column = names.index(field["name"]) + 1
            values = [row[0] for row in workbook[table.name].iter_rows(min_row=2, min_col=column, max_col=column, values_only=True)]
            present = [value for value in values if value is not None]
            if field["type"] in ("date", "datetime"):
                assert all(hasattr(value, "year") for value in present), (table.name, field["name"])
            elif field["type"] == "number":
                assert all(isinstance(value, (int, float)) for value in present), (table.name, field["name"])
            elif field["type"] == "string":
                assert all(isinstance(value, str) for value in present), (table.name, field["name"])


def test_a_text_cell_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "quote", "type": "string", "description": "Text."}]}
    table = Table(name="quotes", resource={"name": "quotes", "title": "Quotes"}, twin=None, schema=schema,
                  csv_path=tmp_path / "quotes.csv", parquet_path=None)
    crafted = ["=1+1", "=HYPERLINK(\"http://example.org\")", "+SUM(A1:A2)", "-1", "@cmd"]
    data = pa.table({"quote": pa.array(crafted)})
    path = tmp_path / "crafted.xlsx"
    write_workbook(path, {"name": "test", "title": "Test"}, [(table, data)])

    sheet = openpyxl.load_workbook(path)["quotes"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == crafted
    assert [cell.data_type for cell in cells] == ["s"] * len(crafted)


def test_a_table_longer_than_a_sheet_is_split_across_sheets_and_the_readme_says_so(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "n", "type": "integer", "description": "A number."},
                         {"name": "day", "type": "date", "description": "A day."}]}
    table = Table(name="numbers", resource={"name": "numbers", "title": "Numbers"}, twin=None, schema=schema,
                  csv_path=tmp_path / "numbers.csv", parquet_path=None)
    import datetime as dt

    days = [dt.date(2022, 1, 1) + dt.timedelta(days=number) for number in range(11)]
    data = pa.table({"n": pa.array(range(11), pa.int64()), "day": pa.array(days, pa.date32())})
    path = tmp_path / "split.xlsx"
    write_workbook(path, {"name": "test", "title": "Test"}, [(table, data)], max_rows=5)  # 4 rows a sheet

    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [README_SHEET, "numbers", "numbers-2", "numbers-3"]
    read = []
    for name in workbook.sheetnames[1:]:
        rows = list(workbook[name].iter_rows(values_only=True))
        assert rows[0] == ("n", "day") and len(rows) <= 5
        read += rows[1:]
    assert [row[0] for row in read] == list(range(11))
    assert [row[1].date() for row in read] == days
    readme = " ".join(str(cell) for row in workbook[README_SHEET].iter_rows(values_only=True) for cell in row if cell)
    assert "11 rows, more than one sheet holds (5 rows with the header)" in readme
    assert "numbers, numbers-2, numbers-3" in readme


def test_a_table_that_fits_keeps_one_sheet(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "n", "type": "integer", "description": "A number."}]}
    table = Table(name="numbers", resource={"name": "numbers"}, twin=None, schema=schema,
                  csv_path=tmp_path / "numbers.csv", parquet_path=None)
    path = tmp_path / "whole.xlsx"
    write_workbook(path, {"name": "test"}, [(table, pa.table({"n": pa.array(range(4), pa.int64())}))], max_rows=5)
    assert openpyxl.load_workbook(path).sheetnames == [README_SHEET, "numbers"]


# --------------------------------------------------------------------------- cli


def test_the_cli_export_lists_the_files_it_wrote(exported, tmp_path: Path, capsys) -> None:
    root, _ = exported
    assert main(["export", str(root), "--dist", str(tmp_path / "out")]) == 0
    output = capsys.readouterr().out
    for path in (tmp_path / "out").iterdir():
        assert f"wrote {path}" in output


def test_the_cli_export_refuses_a_package_whose_rows_do_not_convert(tmp_path: Path, capsys) -> None:
    root = copy_package(tmp_path / "package")
    table = next(table for table in open_package(root).tables if any(f["type"] != "string" for f in table.schema["fields"]))
    with table.csv_path.open("a", encoding="utf-8") as stream:
        stream.write(",".join("not-a-value" for _ in table.schema["fields"]) + "\n")
    with pytest.raises(ExportError):
        export_package(root, tmp_path / "dist")
    assert main(["export", str(root), "--dist", str(tmp_path / "dist")]) == 1
    assert "not-a-value" in capsys.readouterr().err


# ------------------------------------------------------------------------- stata


def test_each_table_has_a_stata_118_file_that_reads_back_as_its_parquet_twin(exported) -> None:
    import datetime as dt

    import pandas as pd

    from jiutai_data.publish.stata import LABEL_LENGTH, LOCAL_TIME_ZONE, label
    from jiutai_data.read.load import load_arrow

    root, dist = exported
    sums = parse_checksums((dist / CHECKSUMS).read_text())
    for table in tables(root):
        path = dist / f"{table.name}.dta"
        assert path.name in sums
        assert path.read_bytes()[:28] == b"<stata_dta><header><release>" and path.read_bytes()[28:31] == b"118"
        with pd.io.stata.StataReader(path) as reader:
            frame = reader.read()
            labels = reader.variable_labels()
            value_labels = reader.value_labels()
        twin = load_arrow(table.name, root)
        assert list(frame.columns) == twin.column_names
        for field in table.schema["fields"]:
            name, kind = field["name"], field.get("type", "string")
            assert labels[name] == label(field.get("title") or field["description"]), (table.name, name)
            assert len(labels[name]) <= LABEL_LENGTH
            want = twin.column(name).to_pylist()
            got = frame[name].tolist()
            if "enum" in field.get("constraints", {}):
                assert list(value_labels[name].values()) == field["constraints"]["enum"], (table.name, name)
                got = [None if value != value else value for value in got]  # NaN: missing
                want = [None if value is None else str(value) for value in want]
            elif kind == "string":
                want = [value or "" for value in want]  # Stata has no missing text
            elif kind == "date":
                got = [None if pd.isna(value) else value.date() for value in got]
            elif kind == "datetime":
                want = [value.astimezone(LOCAL_TIME_ZONE).replace(tzinfo=None) for value in want]
                got = [value.to_pydatetime() for value in got]
            elif kind in ("number", "integer", "boolean"):  # Stata has no boolean: 0/1, missing "."
                got = [None if value != value else value for value in got]
            assert got == want, (table.name, name)


def test_a_stata_label_longer_than_stata_allows_is_cut_at_a_word() -> None:
    from jiutai_data.publish.stata import label

    text = "word " * 30
    assert label(text) == ("word " * 15).strip() + "…" and len(label(text)) <= 80
    assert label("short") == "short"


def test_a_table_without_rows_still_gets_its_stata_file_with_value_labels(tmp_path: Path) -> None:
    import io

    import pandas as pd

    from jiutai_data.publish.stata import dta_bytes

    schema = {"fields": [{"name": "kind", "type": "string", "description": "A kind.",
                          "constraints": {"enum": ["a", "b"]}}]}
    table = Table(name="empty", resource={"name": "empty", "title": "Empty"}, twin=None, schema=schema,
                  csv_path=tmp_path / "empty.csv", parquet_path=None)
    data = pa.table({"kind": pa.array([], pa.string())})
    with pd.io.stata.StataReader(io.BytesIO(dta_bytes(table, data))) as reader:
        assert len(reader.read()) == 0
        assert list(reader.value_labels()["kind"].values()) == ["a", "b"]
