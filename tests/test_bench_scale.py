"""scripts/bench_scale.py runs end to end on tiny packages and reports what it promises.

No wall-clock assertion: only that each command ran on a valid package, that every ratio
has its baseline from the same run, and that the section lands in the results file after
what scripts/bench.py wrote there.
"""

from __future__ import annotations

from pathlib import Path

from conftest import load_script


def test_bench_scale_measures_the_partitioned_layout_and_publishing(tmp_path: Path, capsys) -> None:
    bench_scale = load_script("bench_scale")
    results, out = tmp_path / "results.md", tmp_path / "scale-results.md"
    results.write_text("# Benchmark: `jiutai-data validate` at scale\n\nwhat bench.py wrote\n", encoding="utf-8")
    status = bench_scale.main(["--sizes", "300,600", "--publish-sizes", "300", "--repeat", "1",
                               "--work", str(tmp_path / "work"), "--out", str(out), "--results", str(results)])
    assert status == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    for rows in ("300", "600"):
        assert f"| {rows} | validate (partitioned) |" in text and f"| {rows} | polars read (Parquet) |" in text
    assert "| 300 | export |" in text and "| 300 | site |" in text
    assert "| NO |" not in text
    assert "target ≤ 2 GiB" in text and "target ≤ 4" in text and "log–log slope" in text
    combined = results.read_text(encoding="utf-8")
    assert combined.startswith("# Benchmark: `jiutai-data validate` at scale\n\nwhat bench.py wrote\n")
    assert combined.count(bench_scale.SECTION) == 1
    # a second run replaces its section instead of adding another
    bench_scale.main(["--sizes", "300", "--publish-sizes", "", "--repeat", "1",
                      "--work", str(tmp_path / "work"), "--out", str(out), "--results", str(results)])
    assert results.read_text(encoding="utf-8").count(bench_scale.SECTION) == 1
