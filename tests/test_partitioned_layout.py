"""The partitioned layout: large tables as hive-partitioned Parquet, validated a batch of partitions at a time.

The same synthetic package is written in both layouts (scripts/synth.py --layout), the
same mistakes are made in both, and validate must find the same things in both, each
named by its file and its row there.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import polars as pl
import pytest
from conftest import load_script

from jiutai_data.validate import parts as partitioned_store
from jiutai_data.validate.run import validate_package

synth = load_script("synth")
ROWS, SOURCES, SEED = 3_000, 6, 5
LARGE = ("indicators", "projects", "plans", "omissions")


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("layouts")
    return {layout: synth.synthesise(ROWS, base / layout, sources=SOURCES, seed=SEED, layout=layout).out
            for layout in synth.LAYOUTS}


@pytest.fixture
def copies(both: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    return {layout: Path(shutil.copytree(root, tmp_path / layout)) for layout, root in both.items()}


def _parts(root: Path, table: str) -> list[str]:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    return next(r["path"] for r in descriptor["resources"] if r["name"] == table)


# --- editing a row by its id, in either layout ------------------------------------------------

def _edit_csv(root: Path, table: str, row_id: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    path = root / "data" / f"{table}.csv"
    frame = pl.read_csv(path, infer_schema=False)
    frame = change(frame.with_columns(_hit=pl.col("id") == row_id)).drop("_hit")
    frame.write_csv(path)
    synth.refresh_integrity(root)


def _edit_parquet(root: Path, table: str, row_id: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> str:
    """Change the row in whichever part file holds it; return that file."""
    for relative in _parts(root, table):
        frame = pl.read_parquet(root / relative)
        if row_id in frame.get_column("id").to_list():
            schema = frame.schema
            changed = change(frame.with_columns(_hit=pl.col("id") == row_id)).drop("_hit")
            changed.cast(dict(schema)).write_parquet(root / relative)
            synth.refresh_integrity(root)  # the part file's declared bytes and hash follow the edit
            return relative
    raise AssertionError(f"no part of {table} holds {row_id}")


def _set(column: str, value: Any) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def change(frame: pl.DataFrame) -> pl.DataFrame:
        typed = pl.lit(value).cast(frame.schema[column])
        return frame.with_columns(pl.when(pl.col("_hit")).then(typed).otherwise(pl.col(column)).alias(column))
    return change


def _edit_both(copies: dict[str, Path], table: str, row_id: str, column: str, value: Any) -> str:
    _edit_csv(copies["csv"], table, row_id, _set(column, None if value is None else str(value)))
    return _edit_parquet(copies["partitioned"], table, row_id, _set(column, value))


# --- findings in a form both layouts share ----------------------------------------------------

def _row_ids(root: Path, layout: str) -> dict[tuple[str, int], str]:
    """(file, row as findings name it) -> the row's id."""
    ids: dict[tuple[str, int], str] = {}
    for table in LARGE:
        if layout == "csv":
            frame = pl.read_csv(root / "data" / f"{table}.csv", infer_schema=False, columns=["id"])
            ids.update({(f"data/{table}.csv", index + 2): value for index, value in enumerate(frame["id"])})
        else:
            for relative in _parts(root, table):
                frame = pl.read_parquet(root / relative, columns=["id"])
                ids.update({(relative, index + 1): value for index, value in enumerate(frame["id"])})
    return ids


def _comparable(root: Path, layout: str) -> list[tuple]:
    report = validate_package(root)
    ids = _row_ids(root, layout)
    rows = []
    for f in report.findings:
        where = ids.get((f.path, f.row)) if f.table in LARGE and f.row is not None else f.row
        rows.append((f.table, where, f.column, f.check, f.severity, repr(f.value)))
    return sorted(rows, key=repr)


def _ids(root: Path, table: str) -> list[str]:
    return pl.read_csv(root / "data" / f"{table}.csv", infer_schema=False, columns=["id"])["id"].to_list()


# --- the tests ---------------------------------------------------------------------------------

def test_synth_writes_the_large_tables_as_hive_partitions_with_texts_beside_them(both: dict[str, Path]) -> None:
    root = both["partitioned"]
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    for table in LARGE:
        resource = resources[table]
        assert resource["format"] == "parquet" and resource["partitioning"]["keys"] == ["province", "published"]
        assert resource["path"] and all(p.startswith(f"data/{table}/province=") and "/published=" in p
                                        for p in resource["path"])
        assert all((root / p).is_file() for p in resource["path"])
    sources = pl.read_csv(root / "data" / "sources.csv", infer_schema=False)
    for path, published in sources.select("path", "published").iter_rows():
        assert f"/published={published[:4]}/" in path and (root / path).is_file()
    # the rows of both layouts are the same rows
    for table in LARGE:
        csv_rows = pl.read_csv(both["csv"] / "data" / f"{table}.csv", infer_schema=False)
        parquet_rows = pl.concat([pl.read_parquet(root / p) for p in resources[table]["path"]])
        assert parquet_rows.height == csv_rows.height
        assert sorted(parquet_rows["id"]) == sorted(csv_rows["id"])


def test_the_partitioned_layout_validates_clean_in_several_batches(both: dict[str, Path], monkeypatch) -> None:
    monkeypatch.setattr(partitioned_store, "BATCH_ROWS", 600)  # several batches even at this size
    report = validate_package(both["partitioned"])
    assert report.findings == []
    assert report.stats["partitions"] > 1 and report.stats["batches"] > 1
    assert report.stats["rows"]["indicators"] == ROWS and report.stats["sources"] == SOURCES


def test_an_error_in_one_partition_is_named_by_its_part_file_and_row(copies: dict[str, Path]) -> None:
    root = copies["partitioned"]
    row_id = _ids(copies["csv"], "indicators")[1234]
    quote = pl.concat([pl.read_parquet(root / p) for p in _parts(root, "indicators")]).filter(
        pl.col("id") == row_id)["quote"].item()
    part = _edit_parquet(root, "indicators", row_id, _set("quote", quote.replace("年", "年度", 1)))
    position = pl.read_parquet(root / part)["id"].to_list().index(row_id) + 1
    found = [f for f in validate_package(root).errors if f.check == "quote-verbatim"]
    assert [(f.path, f.row, f.column) for f in found] == [(part, position, "quote")]


@pytest.mark.parametrize("monkey_batch", [100_000, 700])
def test_the_csv_and_partitioned_forms_give_the_same_findings(copies: dict[str, Path], monkeypatch,
                                                              monkey_batch: int) -> None:
    monkeypatch.setattr(partitioned_store, "BATCH_ROWS", monkey_batch)
    indicators = _ids(copies["csv"], "indicators")
    projects = _ids(copies["csv"], "projects")
    csv_frame = pl.read_csv(copies["csv"] / "data" / "indicators.csv", infer_schema=False)
    first, last = csv_frame.row(10, named=True), csv_frame.row(ROWS - 10, named=True)
    assert first["source_id"] != last["source_id"]
    # a value out of its enum, a reference to nowhere, a required cell emptied
    _edit_both(copies, "indicators", indicators[5], "measure", "levle")
    _edit_both(copies, "indicators", indicators[2500], "region_id", "r-nowhere")
    _edit_both(copies, "projects", projects[3], "name_zh", None)
    # a repeated id across two sources (and so two partitions)
    _edit_both(copies, "indicators", indicators[ROWS - 10], "id", first["id"])
    # a later source restating an earlier figure with another value: a revision (DuckDB's buckets)
    for column in ("indicator", "region_id", "measure", "period_start", "period_end"):
        value = first[column]
        _edit_csv(copies["csv"], "indicators", indicators[ROWS - 20], _set(column, value))
        typed = pl.Series([value]).str.to_date()[0] if column.startswith("period_") else value
        _edit_parquet(copies["partitioned"], "indicators", indicators[ROWS - 20], _set(column, typed))
    csv_findings = _comparable(copies["csv"], "csv")
    partitioned_findings = _comparable(copies["partitioned"], "partitioned")
    checks = {row[3] for row in csv_findings}
    assert {"enum", "foreign-key", "required", "primary-key", "revision"} <= checks, checks
    assert partitioned_findings == csv_findings


def test_a_row_outside_its_sources_partition_is_found(copies: dict[str, Path]) -> None:
    root = copies["partitioned"]
    parts = _parts(root, "plans")
    source_part, other_part = parts[0], next(p for p in parts if p.split("/")[3] != parts[0].split("/")[3])
    moved = pl.read_parquet(root / source_part).head(1)
    pl.concat([pl.read_parquet(root / other_part), moved]).write_parquet(root / other_part)
    source_rest = pl.read_parquet(root / source_part).slice(1)
    source_rest.write_parquet(root / source_part)
    found = [f for f in validate_package(root).errors if f.check == "partition"]
    row = pl.read_parquet(root / other_part).height
    assert [(f.path, f.row, f.value) for f in found] == [(other_part, row, moved["source_id"].item())]


def test_a_part_file_of_the_wrong_type_or_missing_is_reported_by_name(copies: dict[str, Path]) -> None:
    root = copies["partitioned"]
    first, second = _parts(root, "indicators")[:2]
    frame = pl.read_parquet(root / first)
    frame.with_columns(pl.col("value").cast(pl.String)).write_parquet(root / first)
    (root / second).unlink()
    findings = validate_package(root).errors
    assert [(f.path, f.column, f.check) for f in findings if f.check == "type"] == [(first, "value", "type")]
    assert [f.path for f in findings if f.check == "file-missing"] == [second]


def test_chunked_generation_writes_several_parts_per_partition_and_stays_valid(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(synth, "CHUNK_SOURCES", 2)
    roots = {layout: synth.synthesise(1_500, tmp_path / layout, sources=5, seed=3, layout=layout).out
             for layout in synth.LAYOUTS}
    parts = _parts(roots["partitioned"], "indicators")
    assert any(p.endswith("part-1.parquet") for p in parts)
    assert validate_package(roots["csv"]).findings == []
    assert validate_package(roots["partitioned"]).findings == []


@pytest.mark.parametrize("verb", ["build", "export", "site"])
def test_publishing_a_partitioned_package_is_refused_by_name_not_done_in_part(copies: dict[str, Path], verb: str,
                                                                            tmp_path: Path, capsys) -> None:
    from jiutai_data.cli import main

    root = copies["partitioned"]
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    arguments = [verb, str(root)] + ([] if verb == "build" else ["--dist", str(tmp_path / "dist")])
    status = main(arguments)
    said = capsys.readouterr()
    assert status != 0
    assert "partitioned layout" in said.out + said.err and "indicators" in said.out + said.err
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before  # nothing written into the package
    assert not (tmp_path / "dist" / "jiutai-data.xlsx").exists()


def test_a_note_may_cite_a_row_in_another_batch_but_not_a_row_that_does_not_exist(
        copies: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch sees only its own partitions; the IDs a note cites are looked up in all of them."""
    monkeypatch.setattr(partitioned_store, "BATCH_ROWS", 500)  # a batch of a partition or two
    root = copies["partitioned"]
    parts = _parts(root, "indicators")
    first, last = pl.read_parquet(root / parts[0]), pl.read_parquet(root / parts[-1])
    assert first.get_column("source_id")[0] != last.get_column("source_id")[0]
    elsewhere, own = last.get_column("id")[0], first.get_column("id")[0]
    missing = last.get_column("source_id")[0] + "--no-such-row"  # of a source in another batch
    _edit_parquet(root, "indicators", own, _set("note", f"The same figure as {elsewhere}; see also {missing}."))
    report = validate_package(root)
    assert report.stats["batches"] > 1
    assert [f.value for f in report.findings if f.check == "id-reference"] == [missing]


def test_each_part_file_is_held_to_the_bytes_and_hash_its_parts_entry_declares(copies: dict[str, Path]) -> None:
    root = copies["partitioned"]
    assert not validate_package(root).findings
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "projects")
    assert [part["path"] for part in resource["parts"]] == resource["path"]
    changed = resource["path"][-1]
    frame = pl.read_parquet(root / changed)
    frame.with_columns(pl.col("name_en").str.to_uppercase()).write_parquet(root / changed)  # integrity not refreshed
    findings = [f for f in validate_package(root).findings if f.check in ("resource-bytes", "resource-hash")]
    assert findings and all(changed in f.message and f.table == "projects" for f in findings)
    assert "resource-hash" in {f.check for f in findings}


def test_a_parts_list_that_leaves_out_a_part_file_is_an_error(copies: dict[str, Path]) -> None:
    root = copies["partitioned"]
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    left_out = resource["parts"].pop()["path"]
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    found = [f for f in validate_package(root).findings if f.check == "partition"]
    assert [f.message for f in found] == [f"resource indicators: parts gives no bytes and hash for {left_out}, "
                                          "a part file path lists"]


def test_acknowledgements_mark_a_warning_in_a_part_file_and_an_unmatched_one_is_reported(
        copies: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(partitioned_store, "BATCH_ROWS", 500)
    root = copies["partitioned"]
    indicators = _ids(copies["csv"], "indicators")
    first = pl.read_csv(copies["csv"] / "data" / "indicators.csv", infer_schema=False).row(10, named=True)
    for column in ("indicator", "region_id", "measure", "period_start", "period_end"):  # a revision
        value = first[column]
        typed = pl.Series([value]).str.to_date()[0] if column.startswith("period_") else value
        _edit_parquet(root, "indicators", indicators[ROWS - 20], _set(column, typed))
    (revision,) = [f for f in validate_package(root).warnings if f.check == "revision"]
    row_id = pl.read_parquet(root / revision.path)["id"][revision.row - 1]
    path = root / "data" / "acknowledgements.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(f"{header}\nrevision,indicators,{row_id},The later source revises it.,a reviewer,2024-02-02\n"
                    "revision,indicators,no-such-row,A row that is not there.,a reviewer,2024-02-02\n", encoding="utf-8")
    synth.refresh_integrity(root)
    report = validate_package(root)
    assert [(f.check, f.path, f.row) for f in report.acknowledged] == [("revision", revision.path, revision.row)]
    assert [(f.check, f.row) for f in report.warnings] == [("acknowledgement-unmatched", 3)]
    assert "the table indicators has no row no-such-row" in report.warnings[0].message
