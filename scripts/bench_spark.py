"""The engine's own checks on Spark's Python workers (local mode), against the same engine run plainly.

    python scripts/bench_spark.py [--rows 100000 [1000000 ...]] [--repeat 1] [--batches 8] [--seed 0] [--out FILE]

(`make bench-spark`: the `spark` extra, pyspark, in .venv-spark; needs Java, e.g. openjdk-17-jre-headless.)

validate/engine.py checks a package batch by batch (each batch: every row of some sources) through
an ``executor(check, batches)``; `jiutai-data validate` uses ``map``. Here the executor is Spark's,
``sc.parallelize(batches).map(check).collect()``: the very function the engine defines, pickled by
pyspark (cloudpickle) with what it closes over, runs in Spark's Python workers. No check is written
twice. What it measures, and why:

- **that distributing the batches changes nothing**: every finding (table, row, column, check,
  message, value, severity, path) of the Spark run equals the plain run's, in order, on the
  committed package, on a synthetic CSV package with mistakes put in (spooled to disk in buckets of
  sources, one batch per bucket) and on the same rows in the partitioned layout (batches of
  partitions). Exits 1 if any differs, if a planted mistake is missed or if a run stops on an error;
- **what it costs on one machine**: wall seconds of both runs, split into the batches (where Spark
  works) and the rest; Spark's start (the JVM, then its Python workers) is timed apart.

What runs where: each batch's checks (scope ROW and SOURCE) in Spark's workers; everything else,
the whole-store queries in DuckDB included, on the driver (the results file says it in full).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterable

import polars as pl

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
import bench  # noqa: E402
import bench_scale  # noqa: E402
import synth  # noqa: E402

from jiutai_data.model import codes  # noqa: E402
from jiutai_data.validate import parts, spool  # noqa: E402
from jiutai_data.validate.run import validate_package  # noqa: E402
from jiutai_data.validate.store import HOLD_BELOW  # noqa: E402

REPO = SCRIPTS.parent
LARGE = synth.LARGE_TABLES
# The JVM holds each job's pickled batches and their results at once (about 1.3 GB for a million
# rows); with 2 GB it ran out of heap on the third job of that size.
DRIVER_MEMORY = "4g"
DEFAULT_SIZES = (spool.BUCKET_BYTES, parts.BATCH_ROWS)
PLANTED = {codes.QUOTE_VERBATIM, codes.ENUM, codes.PRIMARY_KEY}  # what the mistakes put in must be found as


def warm() -> int:
    """Import what the checks import (pandera, each check's module) in whichever process runs this."""
    import importlib

    from jiutai_data.model.schema import PANDERA_MODULE
    from jiutai_data.validate.batch import semantic_checks

    importlib.import_module(PANDERA_MODULE)
    for module in ("structure", "keys", "hygiene"):
        importlib.import_module(f"jiutai_data.validate.checks.{module}")
    for check in semantic_checks():
        check.load()
    return os.getpid()


def start_spark() -> tuple[Any, float, float]:
    """Spark in local mode with two task slots; seconds to start the JVM, then to warm the workers."""
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the workers need this venv's Python, with jiutai_data
    from pyspark import SparkConf, SparkContext, cloudpickle

    if __name__ != "__main__":  # imported: the workers cannot import this script, so its functions go by value
        cloudpickle.register_pickle_by_value(sys.modules[__name__])
    started = time.perf_counter()
    conf = (SparkConf().setMaster("local[2]").setAppName("jiutai-data bench-spark")
            .set("spark.driver.memory", DRIVER_MEMORY).set("spark.driver.maxResultSize", "0")  # results hold frames
            .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
            # one core per task, as Spark schedules them: polars in each worker gets one thread
            .set("spark.executorEnv.POLARS_MAX_THREADS", "1"))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    jvm = time.perf_counter() - started
    started = time.perf_counter()
    # Both slots start a Python worker (reused by later tasks) that imports the checks once, so the
    # timed runs compare checking, not importing; the driver warms itself the same way.
    sc.parallelize(range(2), 2).map(lambda _: warm()).collect()
    return sc, jvm, time.perf_counter() - started


def in_worker(check: Callable, batch: Any) -> tuple[int, float, Any]:
    started, result = time.perf_counter(), check(batch)
    return os.getpid(), time.perf_counter() - started, result


def spark_executor(sc, workers: set[int], seconds: dict[str, float]) -> Callable:
    def execute(check: Callable, batches: Iterable) -> list:
        # One task per batch. The driver reads the batches (as with map), Spark pickles them into the
        # job, and each batch's (findings, frames) comes back in the batches' order, beside the process
        # that ran ``check`` (to show it is not this one) and its seconds in it.
        started = time.perf_counter()
        batches = list(batches)
        seconds["read"] = time.perf_counter() - started
        done = sc.parallelize(batches, numSlices=max(1, len(batches))).map(lambda b: in_worker(check, b)).collect()
        workers.update(pid for pid, _, _ in done)
        seconds["in workers"] = sum(s for _, s, _ in done)
        return [result for _, _, result in done]
    return execute


def timed(executor: Callable, seconds: dict[str, float]) -> Callable:
    """The executor, timed from its call to its last result: the batches' share of a run."""
    def execute(check: Callable, batches: Iterable):
        started = time.perf_counter()
        yield from executor(check, batches)
        seconds["batches"] = time.perf_counter() - started
    return execute


def run(root: Path, hold_below: int | None, executor: Callable, seconds: dict[str, float]) -> tuple[list, dict]:
    started = time.perf_counter()
    report = validate_package(root, hold_below=hold_below, executor=timed(executor, seconds))
    seconds["total"] = time.perf_counter() - started
    for step in ("batches", "read", "in workers"):  # absent when the engine stopped before the batches
        seconds.setdefault(step, math.nan)
    found = [(f.table, f.row, f.column, f.check, f.message, repr(f.value), str(f.severity), f.path)
             for f in report.findings]
    return found, {**seconds, "batches_count": report.stats.get("batches"), "errors": len(report.errors),
                   "rows": sum(report.stats.get("rows", {}).get(name, 0) for name in LARGE)}


def synthetic(rows: int, seed: int, layout: str, work: Path) -> Path:
    """A copy of scripts/synth.py's package (kept in work/ as bench.py keeps it) with three mistakes in indicators."""
    clean = bench.ensure_package(rows, seed, work) if layout == "csv" else bench_scale.ensure_partitioned(rows, seed, work)
    broken = work / f"{clean.name}-spark-mistakes"
    shutil.rmtree(broken, ignore_errors=True)
    shutil.copytree(clean, broken)
    descriptor = json.loads((broken / "datapackage.json").read_text(encoding="utf-8"))
    path = next(r["path"] for r in descriptor["resources"] if r["name"] == "indicators")
    if isinstance(path, str):  # CSV: the repeated id is the last row's (another source, so another bucket)
        frame = pl.read_csv(broken / path, infer_schema=False)
        _break(frame, frame["id"][-1]).write_csv(broken / path)
    else:  # partitioned: the mistakes in the first part file, the id taken from the last (another batch)
        frame = pl.read_parquet(broken / path[0])
        _break(frame, pl.read_parquet(broken / path[-1])["id"][0]).write_parquet(broken / path[0])
    synth.refresh_integrity(broken)  # declared bytes and hashes follow the edit: only the mistakes remain
    return broken


def _break(frame: pl.DataFrame, repeated_id: str) -> pl.DataFrame:
    """Row 4: a quote no longer verbatim; row 8: a measure outside its enum; row 12: another row's id."""
    row = pl.int_range(pl.len())
    assert frame.height > 11
    return frame.with_columns(
        quote=pl.when(row == 3).then(pl.col("quote") + "（有误）").otherwise(pl.col("quote")),
        measure=pl.when(row == 7).then(pl.lit("levle")).otherwise(pl.col("measure")),
        id=pl.when(row == 11).then(pl.lit(repeated_id)).otherwise(pl.col("id")))


def corpus(work: Path) -> Iterable[tuple[str, Path]]:
    """Each case of the contribution corpus (tests/corpus), applied to a copy of the committed package."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_harness", REPO / "tests" / "corpus" / "harness.py")
    harness = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = harness  # dataclasses look their module up here
    spec.loader.exec_module(harness)
    for case in harness.load_cases():
        root = harness.copy_package(REPO, work / "spark-corpus" / case.name)
        harness.apply_case(case, root)
        if case.build:  # a case that builds first (its twins follow its rows), as the corpus test does
            from jiutai_data.publish.build import build_package

            build_package(root)
        yield case.name, root


def set_batches(root: Path, batches: int) -> None:
    """Size the store's batches so that the package makes about ``batches`` of them, in both runs alike: the
    engine's sizes (32 MB of CSV per bucket, 500,000 rows per batch) make one, leaving a Spark slot idle."""
    resources = [r for r in json.loads((root / "datapackage.json").read_text(encoding="utf-8"))["resources"]
                 if r["name"] in LARGE]
    if isinstance(resources[0]["path"], str):
        spool.BUCKET_BYTES = math.ceil(sum((root / r["path"]).stat().st_size for r in resources) / batches)
    else:
        import pyarrow.parquet as pq
        rows = sum(pq.ParquetFile(root / p).metadata.num_rows for r in resources for p in r["path"])
        parts.BATCH_ROWS = math.ceil(rows / batches)


def compare(sc, name: str, root: Path, hold_below: int | None, workers: set[int], repeat: int,
            planted: set[str]) -> dict[str, Any]:
    """The package validated plainly, then on Spark, ``repeat`` times: the run of median total of each,
    and whether every Spark run's findings equal the plain run's (which must hold the ``planted`` checks
    and no internal error: two runs that crash alike are not a pass)."""
    times: dict[str, list[dict]] = {"plain": [], "spark": []}
    same = True
    for _ in range(repeat):
        plain, plain_time = run(root, hold_below, map, {})
        seconds: dict[str, float] = {}
        spark, spark_time = run(root, hold_below, spark_executor(sc, workers, seconds), seconds)
        checks = {f[3] for f in plain}
        same &= plain == spark and os.getpid() not in workers and planted <= checks and codes.INTERNAL not in checks
        if not planted <= checks or codes.INTERNAL in checks:
            print(f"  missed {sorted(planted - checks)}, or stopped: {[f for f in plain if f[3] == codes.INTERNAL]}",
                  file=sys.stderr)
        times["plain"].append(plain_time)
        times["spark"].append(spark_time)
        print(f"bench_spark: {name}: plain {plain_time['total']:.1f} s, Spark {spark_time['total']:.1f} s, "
              f"{len(plain)} findings, identical: {plain == spark}", file=sys.stderr)
        if plain != spark:
            first = next(((a, b) for a, b in zip(plain + [None] * len(spark), spark + [None] * len(plain)) if a != b))
            print(f"  first difference (plain, Spark): {first}", file=sys.stderr)
    median = {k: sorted(v, key=lambda s: s["total"])[(len(v) - 1) // 2] for k, v in times.items()}
    spread = {k: (min(s["total"] for s in v), max(s["total"] for s in v)) for k, v in times.items()}
    return {"name": name, **median, "spread": spread, "findings": len(plain), "same": same}


def table_row(case: dict[str, Any]) -> str:
    p, s = case["plain"], case["spark"]
    (p_low, p_high), (s_low, s_high) = case["spread"]["plain"], case["spread"]["spark"]
    return (f"| {case['name']} | {p['rows']:,} | {p['batches_count']} | {case['findings']} ({p['errors']}) "
            f"| {'yes' if case['same'] else '**no**'} | {p['total']:.1f} ({p['batches']:.1f} + {p['total'] - p['batches']:.1f})"
            f"; {p_low:.1f}–{p_high:.1f} | {s['total']:.1f} ({s['read']:.1f} + {s['batches'] - s['read']:.1f} + "
            f"{s['total'] - s['batches']:.1f}); {s_low:.1f}–{s_high:.1f} | {s['in workers']:.1f} |")


def reading(case: dict[str, Any]) -> str:
    p, s = case["plain"], case["spark"]
    job, busy = s["batches"] - s["read"], s["in workers"]
    return (f"Reading the largest ({case['name']}): the workers spent {busy:.1f} s in `check` in all, {busy / 2:.1f} s "
            f"of wall time if the two slots share it evenly, and the Spark job took {job:.1f} s: the rest is Spark moving "
            "each batch's rows to a worker and its result back (the findings and the ids of the texts it read), "
            "through the JVM."
            + (f" And `check` ran slower in the workers than in the plain run: {busy:.1f} s against {p['batches']:.1f} s "
               "for the plain run's reading and checking of the batches together, since two workers on a shared "
               "two-core machine (load average above) do not each get a core." if busy > p["batches"] else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000], help="indicator rows of the synthetic packages")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batches", type=int, default=8, help="batches each synthetic package is cut into")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, plain and Spark; the median is shown")
    parser.add_argument("--work", type=Path, default=bench.WORK)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "spark-results.md")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    machine = bench.machine()
    warm()
    sc, jvm, warming = start_spark()
    cases, workers = [], set()
    try:
        cases.append(compare(sc, "the committed package (held in memory)", REPO, HOLD_BELOW, workers, args.repeat, set()))
        for name, root in corpus(args.work):  # each a mistake a contributor made, held in memory: one batch
            cases.append(compare(sc, f"corpus: {name}", root, HOLD_BELOW, workers, 1, set()))
        shutil.rmtree(args.work / "spark-corpus", ignore_errors=True)
        for rows in args.rows:
            for layout, how in (("csv", "spooled"), ("partitioned", "batches of partitions")):
                root = synthetic(rows, args.seed, layout, args.work)
                set_batches(root, args.batches)
                cases.append(compare(sc, f"synthetic {rows:,}, {layout} ({how})", root, -1, workers, args.repeat, PLANTED))
                shutil.rmtree(root, ignore_errors=True)
                spool.BUCKET_BYTES, parts.BATCH_ROWS = DEFAULT_SIZES
    finally:
        sc.stop()
    from importlib import metadata

    identical = all(case["same"] for case in cases)
    lines = ["# Benchmark: the engine's checks on Spark's workers (local mode)", "",
             "Written by `make bench-spark` (`scripts/bench_spark.py`); do not edit by hand.", "",
             *[f"- {k}: {v}" for k, v in machine.items()],
             f"- load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
             f"- pyspark {metadata.version('pyspark')}: `local[2]`, driver memory {DRIVER_MEMORY}, one polars "
             "thread per worker", "", "## What runs where", "",
             "`validate_package(root, hold_below=..., executor=...)` runs twice per package, in this process: with "
             "`executor=map` (as `jiutai-data validate`) and with `sc.parallelize(batches, len(batches)).map(check)"
             ".collect()`, `check` being the engine's own function, pickled by pyspark (cloudpickle) and run "
             "unchanged in Spark's Python workers. No check is written a second time for Spark.", "",
             "- **In Spark's workers**: the checks of each batch (`batch.check_rows`: every check of scope ROW and "
             "SOURCE, e.g. the schema's constraints, the foreign keys, each quote against its source's text).",
             "- **On the driver, not on Spark**: reading the package (spooling CSV rows to buckets) and each batch "
             "before it is shipped, the small tables' checks, and every check over the whole store (repeated keys, "
             "consistency across sources, cited IDs, acknowledgements) as DuckDB queries in this process. That is "
             "the honest limit: Spark distributes the batches, not the whole-store queries.", "",
             "## Findings and times", "",
             f"Synthetic packages: `scripts/synth.py --rows N --seed {args.seed}` in each layout, with a quote made "
             "not verbatim, a measure outside its enum and a repeated id (in another batch) put into indicators, "
             f"cut into about {args.batches} batches (bytes per bucket or rows per batch of partitions set from the "
             "package's size, alike for both runs; the CSV package spooled: `hold_below=-1`). Wall seconds of "
             f"the run of median total of {args.repeat} (plain, then Spark, in turn). Plain: total (batches: "
             "reading and checking them + rest). Spark: total "
             "(reading the batches on the driver + the Spark job: shipping, checking, collecting + rest). The "
             "rest is the same driver-side code in both runs. After the semicolon: the fastest and slowest total.", "",
             "| package | rows (large tables) | batches | findings (errors) | identical, mistakes found | plain, s | Spark, s "
             "| `check` in the workers, sum of tasks, s |", "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
             *[table_row(case) for case in cases], "",
             "The corpus cases (tests/corpus: each a mistake a contributor made, applied to the committed "
             "package) run once each; one finding of each is planted by its case, so any finding counts.", "",
             f"Spark's start, not in the table: **{jvm:.1f} s** for the JVM (SparkContext), then **{warming:.1f} s** "
             "for its two Python workers to start and import the checks. The batches ran in worker processes "
             f"{sorted(workers)}; the driver is process {os.getpid()}.", "",
             "Every finding identical, in order, in every case; each planted mistake found, no internal error." if identical
             else "**Not identical, or a planted mistake missed, or an internal error** (see stderr).", "",
             reading(max(cases[1:] or cases, key=lambda case: case["spark"]["total"])), ""]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
