"""The semantic checks accept the committed package (read by the package reader)."""

from __future__ import annotations

from conftest import PACKAGE

from jiutai_data.validate.acknowledgements import apply_acknowledgements
from jiutai_data.validate.checks import SEMANTIC_CHECKS
from jiutai_data.model.package import open_package
from jiutai_data.read.tables import read_package
import pytest

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)


def test_the_committed_package_passes_every_semantic_check_with_no_warning_left_unacknowledged() -> None:
    frames = read_package(open_package(PACKAGE)).frames
    assert frames.texts and frames.tables.get("indicators") is not None
    findings = [f for check in SEMANTIC_CHECKS for f in check(frames)]
    assert [f for f in findings if f.severity == "error"] == []
    # a warning stands only where a reviewer has acknowledged it in the data
    assert [f for f in apply_acknowledgements(findings, frames) if f.acknowledged is None] == []


def test_every_semantic_check_copes_with_empty_tables_missing_columns_and_null_cells(tmp_path) -> None:
    import polars as pl

    from test_checks_support import DESCRIPTOR, clean_rows, make_frames

    from jiutai_data.model.frames import ROW_COLUMN

    descriptor = {**DESCRIPTOR, "resources": [{k: v for k, v in r.items() if k not in ("bytes", "hash")}
                                              for r in DESCRIPTOR["resources"]]}
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "indicators.parquet").write_bytes(b"not parquet")  # a twin that cannot be read
    empty = make_frames({table: [] for table in clean_rows()}, texts={}, root=tmp_path, descriptor=descriptor)
    bare = make_frames(root=tmp_path, descriptor=descriptor)
    bare.tables = {table: frame.select(ROW_COLUMN) for table, frame in bare.tables.items()}
    nulls = make_frames(root=tmp_path, descriptor=descriptor, texts={})
    nulls.tables = {table: frame.select(ROW_COLUMN, *[pl.lit(None, dtype).alias(name)
                                                      for name, dtype in frame.schema.items() if name != ROW_COLUMN])
                    for table, frame in nulls.tables.items()}
    for frames in (empty, bare, nulls):
        # (none raises: a check that raised would be an `internal` finding in a validation)
        checks_found = {f.check for check in SEMANTIC_CHECKS for f in check(frames)}
        assert checks_found <= {"twin-missing", "twin-unreadable", "twin-columns"}
        assert "twin-unreadable" in checks_found or frames is bare
