"""scripts/bench.py runs end to end on tiny packages and writes its table and plot.

Speed itself is not tested here (no wall-clock assertions): only that the benchmark
measures the three commands on the same valid package and reports what it promises.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import load_script

REPO = Path(__file__).resolve().parent.parent




# Six fresh processes and a plot: `make bench`, which runs the script itself right after, runs
# this first (marker sweep); the tests below, of its package reuse and arguments, run in `make test`.
@pytest.mark.sweep
def test_bench_times_the_three_commands_and_writes_results_and_plot(tmp_path: Path, capsys) -> None:
    bench = load_script("bench")
    results, plot = tmp_path / "results.md", tmp_path / "scaling.png"
    status = bench.main(["--sizes", "200,400", "--repeat", "1", "--work", str(tmp_path / "work"),
                         "--out", str(results), "--plot", str(plot)])
    assert status == 0, capsys.readouterr().err
    text = results.read_text(encoding="utf-8")
    for rows in ("200", "400"):
        for tool in ("validate", "polars read", "frictionless"):
            assert f"| {rows} | " in text and f"| {tool} |" in text
    assert "| NO |" not in text  # every command found the synthetic package valid
    assert "validate / polars read" in text and "frictionless / validate" in text
    assert "log–log slope" in text
    assert "CPU:" in text and "Python:" in text
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bench_reuses_a_package_it_already_wrote(tmp_path: Path) -> None:
    bench = load_script("bench")
    first = bench.ensure_package(150, 4, tmp_path)
    stamp = (first / "data" / "indicators.csv").stat().st_mtime_ns
    again = bench.ensure_package(150, 4, tmp_path)
    assert again == first
    assert (again / "data" / "indicators.csv").stat().st_mtime_ns == stamp


def test_bench_refuses_sizes_that_are_not_numbers(capsys) -> None:
    bench = load_script("bench")
    with pytest.raises(SystemExit) as stop:
        bench.main(["--sizes", "ten"])
    assert stop.value.code == 2
    assert "--sizes takes whole numbers" in capsys.readouterr().err
