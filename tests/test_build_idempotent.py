"""The build is deterministic, idempotent and atomic: the same CSVs give the same bytes,
a second build writes nothing, and an interrupted write leaves the old file and no debris."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import copy_package

import jiutai_data.model.files
from jiutai_data.publish.build import build_package, parquet_metadata
from jiutai_data.model.files import write_atomically
from jiutai_data.model.package import open_package

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

SRC = Path(jiutai_data.model.files.__file__).resolve().parents[1]


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under root: its SHA-256 and modification time in nanoseconds."""
    return {
        path.relative_to(root).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def twins(root: Path) -> list[Path]:
    return [table.parquet_path for table in open_package(root).tables if table.parquet_path is not None]


@pytest.fixture
def built(tmp_path: Path) -> Path:
    root = copy_package(tmp_path / "package")
    assert build_package(root).report.valid
    return root


def test_a_second_build_writes_nothing_and_leaves_every_file_untouched(built: Path) -> None:
    before = snapshot(built)
    result = build_package(built)
    assert result.report.valid
    assert result.written == []
    assert snapshot(built) == before
    assert any("nothing written" in line for line in result.describe())


def test_the_same_csvs_give_identical_bytes_in_separate_processes(tmp_path: Path) -> None:
    roots = [copy_package(tmp_path / name) for name in ("first", "second")]
    for root in roots:
        subprocess.run(
            [sys.executable, "-m", "jiutai_data.cli", "build", str(root)],
            check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(SRC)},
        )
    first, second = ({path: digest for path, (digest, _) in snapshot(root).items()} for root in roots)
    assert any(path.endswith(".parquet") for path in first)
    assert first == second


def test_a_deleted_twin_is_rewritten_and_nothing_else_is(built: Path) -> None:
    twin = twins(built)[0]
    original = twin.read_bytes()
    twin.unlink()
    others = {path: snapshot(built)[path] for path in snapshot(built)}
    result = build_package(built)
    assert result.written == [twin]
    assert twin.read_bytes() == original
    after = snapshot(built)
    assert {path: after[path] for path in others} == others


def test_a_twin_with_the_same_content_in_other_bytes_is_left_alone(built: Path) -> None:
    # What another pyarrow or zstd version would do: same rows, types and metadata, other bytes.
    descriptor = open_package(built).descriptor
    table = next(table for table in open_package(built).tables if table.parquet_path is not None)
    data = pq.read_table(table.parquet_path)
    pq.write_table(data.replace_schema_metadata(parquet_metadata(descriptor, table)), table.parquet_path,
                   compression="zstd", compression_level=1, data_page_size=1024)
    reencoded = table.parquet_path.read_bytes()
    descriptor_before = (built / "datapackage.json").read_bytes()

    result = build_package(built)

    assert table.parquet_path not in result.written
    assert table.parquet_path.read_bytes() == reencoded
    # ...and the descriptor now records the hash of the file that is there
    assert (built / "datapackage.json").read_bytes() != descriptor_before
    resource = next(r for r in open_package(built).descriptor["resources"] if r["name"] == table.twin["name"])
    assert resource["hash"] == "sha256:" + hashlib.sha256(reencoded).hexdigest()


def test_a_changed_csv_rewrites_its_twin_and_the_descriptor_hashes(built: Path) -> None:
    # A change that stays valid whatever the data: the free-text note of a row.
    table = next(table for table in open_package(built).tables if table.parquet_path is not None
                 and any(field["name"] == "note" for field in table.schema["fields"])
                 and len(table.csv_path.read_bytes().splitlines()) > 1)
    with table.csv_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    note = rows[0].index("note")
    rows[1][note] = "Changed by the test."
    with table.csv_path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(rows)

    result = build_package(built)

    assert result.report.valid
    assert table.parquet_path in result.written and built / "datapackage.json" in result.written
    assert pq.read_table(table.parquet_path).column("note")[0].as_py() == "Changed by the test."
    resource = next(r for r in open_package(built).descriptor["resources"] if r["name"] == table.name)
    assert resource["bytes"] == table.csv_path.stat().st_size
    assert resource["hash"] == "sha256:" + hashlib.sha256(table.csv_path.read_bytes()).hexdigest()


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "table.parquet"
    target.write_bytes(b"old content")

    def crash(descriptor: int) -> None:
        raise OSError("disk full")

    # fsync runs after the new bytes are in the temporary file and before the rename
    monkeypatch.setattr(jiutai_data.model.files.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(target, b"new content " * 1000)
    assert target.read_bytes() == b"old content"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["table.parquet"]


def test_a_build_interrupted_while_writing_a_twin_leaves_every_twin_as_it_was(built: Path, monkeypatch) -> None:
    twin = twins(built)[0]
    twin.write_bytes(b"stale")  # so that the build has to write it
    before = snapshot(built)

    def crash(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(jiutai_data.model.files.os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        build_package(built)
    assert snapshot(built) == before  # no partial twin, no temporary file, descriptor untouched


def test_write_atomically_reports_whether_it_wrote(tmp_path: Path) -> None:
    target = tmp_path / "file"
    assert write_atomically(target, b"a") is True
    mtime = target.stat().st_mtime_ns
    assert write_atomically(target, b"a") is False
    assert target.stat().st_mtime_ns == mtime
    assert write_atomically(target, b"b") is True and target.read_bytes() == b"b"


def test_the_descriptor_keeps_its_formatting_after_a_build(built: Path) -> None:
    text = (built / "datapackage.json").read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
