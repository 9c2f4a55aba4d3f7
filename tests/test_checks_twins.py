"""checks/twins.py: Parquet twins hold the CSV's rows and types; bytes and hash match the files."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from test_checks_support import DESCRIPTOR, SCHEMAS, make_frames, where

from jiutai_data.validate.checks.twins import check_parquet_twins_match_csv, check_resource_bytes_and_hashes
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames


def twin_of(frames: PackageFrames, table: str) -> pa.Table:
    """The Parquet twin as the build writes it: enums dictionary-encoded, instants at +08:00."""
    arrow = frames.tables[table].drop(ROW_COLUMN).to_arrow()
    columns = []
    for field in SCHEMAS[table]["fields"]:
        column = arrow.column(field["name"]).cast(pa.string()) if field.get("type", "string") == "string" \
            else arrow.column(field["name"])
        if "enum" in field.get("constraints", {}):
            column = pc.dictionary_encode(column)
        if field.get("type") == "datetime":
            column = column.cast(pa.timestamp("ms", tz="+08:00"))
        columns.append(column)
    return pa.table(columns, names=arrow.column_names)


@pytest.fixture
def built(tmp_path: Path) -> PackageFrames:
    """Frames of the clean package with every Parquet twin written, as the descriptor declares."""
    descriptor = copy.deepcopy(DESCRIPTOR)
    for resource in descriptor["resources"]:  # (the committed ones describe the committed files)
        resource.pop("bytes", None)
        resource.pop("hash", None)
    frames = make_frames(root=tmp_path, descriptor=descriptor)
    (tmp_path / "data").mkdir()
    for table in frames.tables:
        pq.write_table(twin_of(frames, table), tmp_path / "data" / f"{table}.parquet")
    return frames


def rewrite(frames: PackageFrames, table: str, arrow: pa.Table) -> None:
    pq.write_table(arrow, frames.root / "data" / f"{table}.parquet")


def test_twins_built_from_the_csv_match(built: PackageFrames) -> None:
    assert check_parquet_twins_match_csv(built) == []


def test_a_changed_value_in_a_twin_is_reported_with_the_csv_row(built: PackageFrames) -> None:
    arrow = twin_of(built, "indicators")
    values = arrow.column("value").to_pylist()
    values[2] = 93.0  # row 4 of the CSV has 92
    rewrite(built, "indicators", arrow.set_column(arrow.column_names.index("value"), "value", pa.array(values)))
    findings = check_parquet_twins_match_csv(built)
    assert where(findings) == [("indicators-parquet", 4, "value", "twin-value")]
    assert findings[0].message.startswith("the Parquet twin has 93.0, expected 92.0 as in the CSV")
    assert findings[0].path == "data/indicators.parquet"


def test_a_row_missing_from_a_twin_is_reported(built: PackageFrames) -> None:
    arrow = twin_of(built, "indicators")
    rewrite(built, "indicators", pa.concat_tables([arrow.slice(0, 1), arrow.slice(2)]))
    findings = check_parquet_twins_match_csv(built)
    assert where(findings) == [("indicators-parquet", 3, None, "twin-row-missing")]
    assert "the row with id 'grp-2022-q1-q3-yoy' is not in the Parquet twin" in findings[0].message


def test_a_column_of_the_wrong_type_is_reported(built: PackageFrames) -> None:
    arrow = twin_of(built, "indicators")
    index = arrow.column_names.index("period_end")
    rewrite(built, "indicators", arrow.set_column(index, "period_end", arrow.column(index).cast(pa.string())))
    findings = check_parquet_twins_match_csv(built)
    assert where(findings) == [("indicators-parquet", None, "period_end", "twin-type")]
    assert "expected date32" in findings[0].message


def test_a_twin_with_columns_out_of_order_is_reported(built: PackageFrames) -> None:
    arrow = twin_of(built, "units")
    names = arrow.column_names
    rewrite(built, "units", arrow.select([names[1], names[0], *names[2:]]))
    assert where(check_parquet_twins_match_csv(built)) == [("units-parquet", None, None, "twin-columns")]


def test_a_declared_twin_that_is_missing_is_reported_and_an_undeclared_one_is_not(built: PackageFrames) -> None:
    (built.root / "data" / "plans.parquet").unlink()
    assert where(check_parquet_twins_match_csv(built)) == [("plans-parquet", None, None, "twin-missing")]
    built.descriptor["resources"] = [r for r in built.descriptor["resources"] if r["name"] != "plans-parquet"]
    assert check_parquet_twins_match_csv(built) == []


def declare(frames: PackageFrames, name: str, **properties: Any) -> bytes:
    resource = next(r for r in frames.descriptor["resources"] if r["name"] == name)
    resource.update(properties)
    return (frames.root / resource["path"]).read_bytes()


def test_correct_bytes_and_hashes_pass_in_every_accepted_form(built: PackageFrames) -> None:
    data = declare(built, "units-parquet")
    declare(built, "units-parquet", bytes=len(data), hash=f"sha256:{hashlib.sha256(data).hexdigest()}")
    data = declare(built, "topics-parquet")
    declare(built, "topics-parquet", hash=hashlib.md5(data).hexdigest())  # Data Package v1: plain hex is MD5
    assert check_resource_bytes_and_hashes(built) == []


def test_wrong_bytes_and_hash_are_reported(built: PackageFrames) -> None:
    data = declare(built, "units-parquet")
    declare(built, "units-parquet", bytes=len(data) + 1, hash=f"sha256:{hashlib.sha256(data + b'x').hexdigest()}")
    declare(built, "topics-parquet", hash="0" * 32)
    declare(built, "plans-parquet", hash="crc32:00000000")
    findings = check_resource_bytes_and_hashes(built)
    assert where(findings) == [("units-parquet", None, None, "resource-bytes"),
                               ("units-parquet", None, None, "resource-hash"),
                               ("topics-parquet", None, None, "resource-hash"),
                               ("plans-parquet", None, None, "resource-hash")]
    assert f"has {len(data)} bytes" in findings[0].message
    assert f"has sha256:{hashlib.sha256(data).hexdigest()}" in findings[1].message
    assert "names the algorithm 'crc32'" in findings[3].message


def test_a_table_the_reader_hashed_is_judged_by_that_hash_not_hashed_again(built: PackageFrames) -> None:
    data = declare(built, "units-parquet")
    read = hashlib.sha256(data + b"as read").hexdigest()  # what the reader found when it read the file
    declare(built, "units-parquet", hash=f"sha256:{hashlib.sha256(data).hexdigest()}")
    built.file_sha256["data/units.parquet"] = read
    findings = check_resource_bytes_and_hashes(built)
    assert where(findings) == [("units-parquet", None, None, "resource-hash")]
    assert f"has sha256:{read}" in findings[0].message
