"""`jiutai_data.load`: every table, in every engine, with the schema's types; and from an
installed wheel, outside the clone."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import REPO, copy_package

import jiutai_data
from jiutai_data.read.arrow import arrow_schema
from jiutai_data.publish.build import build_package
from jiutai_data.model.package import open_package

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_package(tmp_path_factory.mktemp("load") / "package")
    assert build_package(root).report.valid
    return root


def csv_ids(path: Path, key: str) -> list[str]:
    with path.open(encoding="utf-8", newline="") as stream:
        return [row[key] for row in csv.DictReader(stream)]


def test_load_returns_every_table_as_arrow_with_exactly_the_schema_types(built: Path) -> None:
    for table in open_package(built).tables:
        data = jiutai_data.load(table.name, engine="arrow", package_dir=built)
        assert isinstance(data, pa.Table)
        assert data.schema.equals(arrow_schema(table.schema)), table.name
        key = table.schema["primaryKey"][0]
        assert data.column(key).to_pylist() == csv_ids(table.csv_path, key), table.name


def test_load_returns_pandas_by_default_with_enums_as_categoricals_of_the_whole_enum(built: Path) -> None:
    import pandas as pd

    for table in open_package(built).tables:
        frame = jiutai_data.load(table.name, package_dir=built)
        assert isinstance(frame, pd.DataFrame)
        assert list(frame.columns) == [field["name"] for field in table.schema["fields"]]
        for field in table.schema["fields"]:
            dtype = frame[field["name"]].dtype
            enum = field.get("constraints", {}).get("enum")
            if enum is not None:
                assert list(dtype.categories) == enum, (table.name, field["name"])
            elif field["type"] == "date":
                assert dtype == pd.ArrowDtype(pa.date32()), (table.name, field["name"])
            elif field["type"] == "number":
                assert dtype == pd.ArrowDtype(pa.float64()), (table.name, field["name"])
        assert len(frame) == len(csv_ids(table.csv_path, table.schema["primaryKey"][0]))


def test_load_returns_polars_with_enums_as_polars_enums(built: Path) -> None:
    import polars as pl

    for table in open_package(built).tables:
        frame = jiutai_data.load(table.name, engine="polars", package_dir=built)
        assert isinstance(frame, pl.DataFrame)
        for field in table.schema["fields"]:
            enum = field.get("constraints", {}).get("enum")
            if enum is not None:
                assert frame.schema[field["name"]] == pl.Enum(enum), (table.name, field["name"])
            elif field["type"] == "datetime":
                assert frame.schema[field["name"]] == pl.Datetime("ms", "Etc/GMT-8"), (table.name, field["name"])


def test_load_names_the_tables_when_asked_for_an_unknown_one(built: Path) -> None:
    from jiutai_data.model.errors import JiutaiError

    with pytest.raises(KeyError, match="indicators") as raised:
        jiutai_data.load("no-such-table", package_dir=built)
    # the library's own error, with its message as written (not quoted as a KeyError's would be)
    assert isinstance(raised.value, JiutaiError) and str(raised.value).startswith("no table 'no-such-table'")


def test_load_refuses_an_unknown_engine(built: Path) -> None:
    with pytest.raises(ValueError, match="polars"):
        jiutai_data.load("sources", engine="spreadsheet", package_dir=built)


def test_load_says_to_build_when_a_twin_is_missing(built: Path, tmp_path: Path) -> None:
    root = copy_package(tmp_path / "unbuilt", source=built)
    table = next(table for table in open_package(root).tables if table.parquet_path is not None)
    table.parquet_path.unlink()
    from jiutai_data.model.errors import JiutaiError

    with pytest.raises(FileNotFoundError, match="jiutai-data build") as raised:
        jiutai_data.load(table.name, package_dir=root)
    assert isinstance(raised.value, JiutaiError)


def _project_copy(built: Path, destination: Path) -> Path:
    """The files a wheel is built from: the code and project files of the repository, with
    the freshly built package (so the wheel carries Parquet twins whatever is committed)."""
    for name in ("pyproject.toml", "hatch_build.py", "README.md", "LICENSE", "LICENSE-DATA.md"):
        shutil.copy(REPO / name, destination / name)
    shutil.copytree(REPO / "src", destination / "src", ignore=shutil.ignore_patterns("__pycache__"))
    copy_package(destination, source=built)
    return destination


def test_an_installed_wheel_carries_the_data_and_loads_a_table_outside_the_clone(built: Path, tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling (a dev dependency)")
    (tmp_path / "project").mkdir()
    project = _project_copy(built, tmp_path / "project")
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    for folder in (wheels, target, elsewhere):
        folder.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--wheel-dir", str(wheels), str(project)],
        check=True, capture_output=True,
    )
    wheel = next(wheels.glob("jiutai_data-*.whl"))
    with zipfile.ZipFile(wheel) as opened:
        names = set(opened.namelist())
    assert "jiutai_data/package/datapackage.json" in names
    for table in open_package(built).tables:
        assert f"jiutai_data/package/{table.resource['path']}" in names
        assert f"jiutai_data/package/{table.twin['path']}" in names
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)],
        check=True, capture_output=True,
    )
    first = open_package(built).tables[0]
    script = (
        "import jiutai_data, pathlib; "
        f"frame = jiutai_data.load({first.name!r}); "
        "print(pathlib.Path(jiutai_data.__file__).resolve()); print(len(frame))"
    )
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment["PYTHONPATH"] = str(target)
    completed = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=environment,
                               check=True, capture_output=True, text=True)
    module_path, rows = completed.stdout.split()
    assert Path(module_path).is_relative_to(target.resolve())
    assert int(rows) == len(csv_ids(first.csv_path, first.schema["primaryKey"][0]))


def test_tables_lists_the_packages_tables_in_the_descriptors_order(built: Path) -> None:
    assert jiutai_data.tables(package_dir=built) == [table.name for table in open_package(built).tables]


def test_describe_gives_each_tables_title_rows_key_and_columns_from_its_schema(built: Path) -> None:
    for table in open_package(built).tables:
        described = jiutai_data.describe(table.name, package_dir=built)
        assert (described["name"], described["title"], described["description"]) == (
            table.name, table.title, table.description)
        assert described["rows"] == len(csv_ids(table.csv_path, table.schema["primaryKey"][0]))
        assert [c["name"] for c in described["columns"]] == [f["name"] for f in table.schema["fields"]]
        for column, field in zip(described["columns"], table.schema["fields"]):
            constraints = field.get("constraints") or {}
            assert column["required"] == bool(constraints.get("required")), (table.name, field["name"])
            assert column["values"] == ([str(v) for v in constraints["enum"]] if "enum" in constraints else None)


def test_describe_names_the_tables_when_asked_for_an_unknown_one(built: Path) -> None:
    with pytest.raises(KeyError, match="indicators"):
        jiutai_data.describe("no_such_table", package_dir=built)
