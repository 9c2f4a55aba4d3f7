"""The engine finds the same whether it holds the large tables in memory or spools them to disk in buckets (validate/store.py).

Large CSV tables are read a chunk at a time and checked a bucket of sources at a time.
Here the chunk and the bucket are made tiny, so that even a small package is cut into
many chunks and buckets, and both runs must give the same findings: for every mistake the
finding-code triggers make (tests/test_finding_codes.py), and for a synthetic package with
mistakes deep in its files.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import copy_package, load_script, write_tiny_package
from test_finding_codes import PARTITIONED, TINY, TRIGGERS, VALIDATE

from jiutai_data.read import chunks
from jiutai_data.validate import spool as spooling
from jiutai_data.validate.run import validate_package

synth = load_script("synth")
HELD = None  # hold_below: always in memory
SPOOLED = -1  # hold_below: always spooled to disk


@pytest.fixture
def tiny_sizes(monkeypatch: pytest.MonkeyPatch) -> None:
    # many chunks, a few buckets (a bucket costs a run of the checks; more prove nothing more)
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 2_048)
    monkeypatch.setattr(spooling, "BUCKET_BYTES", 48_000)


def _findings(root: Path, hold_below: int | None, **arguments) -> list[tuple]:
    report = validate_package(root, hold_below=hold_below, **arguments)
    return sorted({(f.table, f.row, f.column, f.check, f.message, repr(f.value), f.severity, f.path,
                    f.acknowledged) for f in report.findings}, key=repr)


def _both(root: Path, **arguments) -> tuple[list[tuple], list[tuple], dict]:
    """The findings held in memory and spooled to disk; ``arguments`` go to both runs (e.g. base)."""
    in_memory = _findings(root, HELD, **arguments)
    report = validate_package(root, hold_below=SPOOLED, **arguments)
    assert "buckets" in report.stats or report.stats["could_not_run"], "the rows were not spooled"
    return in_memory, _findings(root, SPOOLED, **arguments), report.stats


VALIDATE_TRIGGERS = sorted(key for key, trigger in TRIGGERS.items()
                           if key[1] == VALIDATE and trigger.package != PARTITIONED)
# In `make test`, one code of each way the spooled store differs from the held one: the
# reader's chunks (type) and its fall-back to the whole file (line-endings, missing-cell), the
# row-local checks in buckets (foreign-key), the per-source checks (quote-verbatim,
# number-covered), the global queries (id-reference, primary-key, yoy-levels), the twin
# comparison, the acknowledgements, a crashing check. Every code runs in `make bench` (sweep).
REPRESENTATIVE = {"type", "line-endings", "missing-cell", "foreign-key", "quote-verbatim", "number-covered",
                  "id-reference", "primary-key", "yoy-levels", "twin-value", "acknowledgement-unmatched", "internal"}
CASES = [pytest.param(code, verb, id=f"{code}-{verb}",
                      marks=() if code in REPRESENTATIVE else pytest.mark.sweep)
         for code, verb in VALIDATE_TRIGGERS]


@pytest.mark.parametrize(("code", "verb"), CASES)
def test_each_finding_code_is_found_alike_held_or_spooled(code: str, verb: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch, tiny_sizes) -> None:
    trigger = TRIGGERS[(code, verb)]
    root = write_tiny_package(tmp_path / "package") if trigger.package == TINY else copy_package(tmp_path / "package")
    if trigger.patch is not None:
        trigger.patch(monkeypatch)
    trigger.mutate(root)
    in_memory, in_chunks, _ = _both(root, **(trigger.arguments or {}))
    assert in_chunks == in_memory
    assert code in {finding[3] for finding in in_memory}


# --- the chunked reader --------------------------------------------------------------------------

def _resource(root: Path, table: str):
    from jiutai_data.model.package import open_package

    return next(r for r in open_package(root).resources if r.name == table)


def test_chunks_read_the_same_rows_as_the_whole_file_wherever_the_cuts_fall(tmp_path: Path) -> None:
    """Quoted cells with commas, escaped quotes and line breaks, cut at every size from tiny to whole."""
    from jiutai_data.read.tables import read_table

    root = synth.synthesise(200, tmp_path / "package", sources=2, seed=4).out
    path = root / "data" / "indicators.csv"
    # a note with a comma, an escaped quote and a line break in every row
    frame = pl.read_csv(path, infer_schema=False)
    frame = frame.with_columns(pl.format('line one, "quoted"\nline {}', pl.col("id")).alias("note"))
    frame.write_csv(path)
    resource = _resource(root, "indicators")
    whole = read_table(resource)
    assert whole.frame is not None and not whole.findings
    size = len(path.read_bytes())
    for chunk_bytes in (97, 333, 1_000, 4_096, size):
        parts = list(chunks.Chunks(resource, chunk_bytes))
        assert len(parts) > 1 or chunk_bytes == size
        assert pl.concat([part.frame for part in parts]).equals(whole.frame), chunk_bytes
        assert not any(part.findings for part in parts)


def test_a_quote_inside_an_unquoted_cell_sends_the_file_to_the_whole_reader(tmp_path: Path) -> None:
    root = write_tiny_package(tmp_path / "package")
    path = root / "data" / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",actual,", ',act"ual,', 1), encoding="utf-8")
    assert 'act"ual' in path.read_text(encoding="utf-8")
    with pytest.raises(chunks.WholeFileNeeded):
        list(chunks.Chunks(_resource(root, "indicators"), 64))


# --- a larger package, mistakes deep in its files -----------------------------------------------

def _edit_row(path: Path, row_id: str, column: str, value: str) -> None:
    frame = pl.read_csv(path, infer_schema=False)
    assert row_id in frame.get_column("id").to_list()
    frame.with_columns(pl.when(pl.col("id") == row_id).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
                       ).write_csv(path)


def test_a_synthetic_package_with_mistakes_deep_in_it_is_found_alike(tmp_path: Path, tiny_sizes,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "CHUNK_BYTES", 16_384)
    monkeypatch.setattr(spooling, "BUCKET_BYTES", 65_536)
    root = synth.synthesise(1_200, tmp_path / "package", sources=4, seed=3).out
    assert _both(root)[0] == []  # clean in both, before any change
    indicators = pl.read_csv(root / "data" / "indicators.csv", infer_schema=False)
    last, middle = indicators.get_column("id")[-1], indicators.get_column("id")[indicators.height // 2]
    _edit_row(root / "data" / "indicators.csv", last, "value", "not a number")
    _edit_row(root / "data" / "indicators.csv", middle, "quote", "a quote that no source holds")
    plans = pl.read_csv(root / "data" / "plans.csv", infer_schema=False)
    duplicate = plans.row(plans.height - 1, named=True)
    pl.concat([plans, pl.DataFrame([{**duplicate}])]).write_csv(root / "data" / "plans.csv")
    synth.refresh_integrity(root)
    in_memory, in_chunks, stats = _both(root)
    assert stats["buckets"] > 1
    assert in_chunks == in_memory
    checks = {finding[3] for finding in in_memory}
    assert {"type", "quote-verbatim", "primary-key"} <= checks, checks

    # Each batch is checked on its own, so any executor may run them, in any order and at once
    # (Spark's does, in scripts/bench_spark.py): here two threads, the batches in reverse order.
    from concurrent.futures import ThreadPoolExecutor

    ran: list[int] = []

    def reversed_in_threads(check, batches):
        batches = list(batches)[::-1]
        ran.append(len(batches))
        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(check, batches))

    report = validate_package(root, hold_below=SPOOLED, executor=reversed_in_threads)
    assert ran == [stats["buckets"]]
    assert sorted({(f.table, f.row, f.column, f.check, f.message, repr(f.value), f.severity, f.path, f.acknowledged)
                   for f in report.findings}, key=repr) == in_chunks


def test_each_run_reports_the_seconds_of_each_of_its_steps(tmp_path: Path) -> None:
    """What `make bench` reads to say where the time goes: every check of the run, by name."""
    from jiutai_data.validate.checks import SEMANTIC_CHECKS
    from jiutai_data.validate.guard import check_name

    root = write_tiny_package(tmp_path / "package")
    whole = validate_package(root, hold_below=HELD).stats["seconds_by_step"]
    assert {check_name(check) for check in SEMANTIC_CHECKS} <= set(whole)
    assert any(step.startswith("read the CSV files") for step in whole)
    in_chunks = validate_package(root, hold_below=SPOOLED).stats["seconds_by_step"]
    assert {"read in chunks, spooled to buckets", "structure.check_structure",
            "provenance.check_quotes_are_verbatim"} <= set(in_chunks)
    assert all(seconds >= 0 for seconds in [*whole.values(), *in_chunks.values()])


def test_the_spooled_run_changes_nothing_in_the_package_and_leaves_no_spool_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tiny_sizes) -> None:
    import hashlib
    import tempfile

    root = copy_package(tmp_path / "package")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the spool goes

    def tree() -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    spools: list[Path] = []
    spool_init = spooling.Spool.__init__

    def recording(self, folder: Path, buckets: int) -> None:
        spools.append(folder)
        spool_init(self, folder, buckets)

    monkeypatch.setattr(spooling.Spool, "__init__", recording)
    before = tree()
    report = validate_package(root, hold_below=SPOOLED)
    assert report.stats["buckets"] > 1 and report.valid
    assert tree() == before
    (spool,) = spools
    assert scratch in spool.parents and not spool.exists() and list(scratch.iterdir()) == []
