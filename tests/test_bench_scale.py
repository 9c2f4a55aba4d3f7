"""scripts/bench_scale.py runs end to end on tiny packages and reports what it promises.

No wall-clock assertion: only that each command ran on a valid package, that every ratio
is taken against its baseline of the same run, and that the section lands in the results
file after what scripts/bench.py wrote there.
"""

from __future__ import annotations

from pathlib import Path

from conftest import load_script


def test_bench_scale_measures_the_partitioned_layout_and_publishing(tmp_path: Path, capsys) -> None:
    bench_scale = load_script("bench_scale")
    results, out = tmp_path / "results.md", tmp_path / "scale-results.md"
    results.write_text("# Benchmark: `jiutai-data validate` at scale\n\nwhat bench.py wrote\n", encoding="utf-8")
    # (export and site are left out here to keep the test short; their rows are rendered below)
    status = bench_scale.main(["--sizes", "300,600", "--publish-sizes", "", "--repeat", "1",
                               "--work", str(tmp_path / "work"), "--out", str(out), "--results", str(results)])
    assert status == 0, capsys.readouterr().err
    text = out.read_text(encoding="utf-8")
    for rows in ("300", "600"):
        assert f"| {rows} | validate (partitioned) |" in text and f"| {rows} | polars read (Parquet) |" in text
    assert "| NO |" not in text
    assert "target ≤ 2 GiB" in text and "target ≤ 4" in text and "log–log slope" in text
    combined = results.read_text(encoding="utf-8")
    assert combined.startswith("# Benchmark: `jiutai-data validate` at scale\n\nwhat bench.py wrote\n")
    assert combined.count(bench_scale.SECTION) == 1


def test_bench_scale_replaces_its_section_of_the_results_instead_of_adding_another(tmp_path: Path) -> None:
    bench_scale = load_script("bench_scale")
    bench = load_script("bench")
    results, out = tmp_path / "results.md", tmp_path / "scale-results.md"
    results.write_text("what bench.py wrote\n", encoding="utf-8")
    run = bench.Run(seconds=2.0, inner=None, peak_bytes=10 ** 8, ok=True, cpu=1.0)
    rows = [bench_scale.Row(1000, "validate (partitioned)", "polars read (Parquet)", [run]),
            bench_scale.Row(1000, "polars read (Parquet)", "", [bench.Run(1.0, None, 10 ** 7, True, cpu=0.5)])]
    read = bench_scale.Row(1000, "polars read (CSV, every table)", "", [bench.Run(0.5, None, 10 ** 7, True, cpu=0.25)])
    rows += [bench_scale.Row(1000, "export", read.tool, [run]), read]
    sizes = {1000: {"parquet": 10 ** 6, "data": 2 * 10 ** 6}}
    for _ in range(2):
        bench_scale.write(rows, sizes, 0, 1, 1, out, results)
    text = results.read_text(encoding="utf-8")
    assert text.startswith("what bench.py wrote\n") and text.count(bench_scale.SECTION) == 1
    # the ratio is the one of the two runs given: 2.0 s against 1.0 s, 1.0 CPU s against 0.5
    assert "| 1,000 | validate (partitioned) | 2.00 | 1.00 | 100 MB | 1 | yes | 2.00 | 2.00 |" in text
    assert "| 1,000 | export | 2.00 | 1.00 | 100 MB | 1 | yes | 4.00 | 4.00 |" in text
