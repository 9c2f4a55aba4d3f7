"""A Parquet part file is judged by its metadata before a row is read: one that holds more rows
than bytes, a cell larger than any cell may be, or pages that decompress hundreds of times its
size is refused (part-bounds), so that a small hostile file cannot exhaust memory."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from jiutai_data.read.partitioned import MAX_CELL_BYTES, _unbounded


def _judged(tmp_path: Path, table: pa.Table) -> str | None:
    path = tmp_path / "part.parquet"
    pq.write_table(table, path, compression="zstd")
    return _unbounded(pq.ParquetFile(path).metadata, os.path.getsize(path))


def test_an_ordinary_part_is_read(tmp_path: Path) -> None:
    rows = 5_000
    table = pa.table({"id": [f"source--row-{i}" for i in range(rows)],
                      "quote": [f"第{i}句：地区生产总值完成{i}.5亿元" for i in range(rows)]})
    assert _judged(tmp_path, table) is None


def test_many_copies_of_one_row_are_refused(tmp_path: Path) -> None:
    table = pa.table({"id": ["a"] * 200_000, "note": ["同一行"] * 200_000})
    assert "more rows than bytes" in _judged(tmp_path, table)


@pytest.mark.parametrize("length", [MAX_CELL_BYTES * 4, 50_000_000])
def test_a_cell_larger_than_any_cell_may_be_is_refused(tmp_path: Path, length: int) -> None:
    table = pa.table({"id": ["a"], "note": ["x" * length]})
    assert "more than a cell may hold" in _judged(tmp_path, table)
