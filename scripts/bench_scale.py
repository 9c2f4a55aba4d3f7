"""Benchmark the package at scale: validating the partitioned layout, and publishing.

    python scripts/bench_scale.py [--sizes 100000,1000000,10000000] [--repeat 3] [--repeat-largest 1]
                                  [--publish-sizes 100000,1000000] [--publish-repeat 1] [--seed 0]

Each command runs in its own Python process, one at a time, against a baseline measured in
the same run on the same files (scripts/bench.py's run_child: wall clock, CPU seconds over
all threads, peak resident memory):

- **validate (partitioned)**: `jiutai-data validate DIR --format json` on the package of
  `scripts/synth.py --layout partitioned`, against **polars read (Parquet)**: reading every
  column of every part file of the large tables with `pl.read_parquet`, the floor of any
  check that looks at every cell. Targets (issue 16), at the largest size: peak memory
  ≤ 2 GiB and time ≤ 4× the read; time linear in rows.
- **pandera.polars / pandera.ibis** (at 1,000,000 rows, when ibis is installed): the
  generated Pandera schema's column checks of the indicators table, run by pandera's polars
  backend on the frame read from the Parquet parts, and by its Ibis backend on DuckDB over
  the same files: the evaluation of the Ibis backend as the out-of-core engine.
- **export** and **site** (CSV packages of scripts/bench.py): `jiutai-data export` and
  `jiutai-data site`, against **polars read (CSV, every table)**.

The 10,000,000-row package takes a few minutes to write and to validate here, so it runs
--repeat-largest times (default once). Packages are kept in bench/work/ (git-ignored) while
the generator is unchanged; pass --clean to delete the partitioned ones afterwards.
Writes bench/scale-results.md and the same section into bench/results.md (after the
section scripts/bench.py writes), and prints it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
import bench  # noqa: E402  (scripts/ is not a package; bench.py owns the child runner and the CSV packages)

REPO = SCRIPTS.parent
RESULTS = REPO / "bench" / "results.md"
SECTION = bench.SCALE_SECTION
LARGE = ("indicators", "projects", "plans", "omissions")
MEMORY_TARGET = 2 * 1024 ** 3
TIME_TARGET = 4.0

PARQUET_READ = (
    "import json, sys, time\n"
    "import polars as pl\n"
    "root = sys.argv[1]\n"
    "descriptor = json.load(open(root + '/datapackage.json', encoding='utf-8'))\n"
    "started = time.perf_counter()\n"
    "rows = 0\n"
    "for resource in descriptor['resources']:\n"
    "    if isinstance(resource.get('path'), list):\n"
    "        rows += pl.read_parquet([root + '/' + p for p in resource['path']]).height\n"
    "print(f'{time.perf_counter() - started:.6f} {rows}')\n"
)
CSV_READ = (
    "import json, sys, time\n"
    "import polars as pl\n"
    "root = sys.argv[1]\n"
    "descriptor = json.load(open(root + '/datapackage.json', encoding='utf-8'))\n"
    "started = time.perf_counter()\n"
    "rows = sum(pl.read_csv(root + '/' + r['path'], infer_schema=False).height\n"
    "           for r in descriptor['resources'] if r.get('format') == 'csv')\n"
    "print(f'{time.perf_counter() - started:.6f} {rows}')\n"
)
# The Table Schema's column checks (enum, pattern, lengths, bounds: pandera's built-in
# checks, which every backend implements) as the generated schema declares them, on one backend.
PANDERA = (
    "import json, sys, time\n"
    "import polars as pl\n"
    "from jiutai_data.model.schema import pandera_schema\n"
    "root, backend = sys.argv[1], sys.argv[2]\n"
    "descriptor = json.load(open(root + '/datapackage.json', encoding='utf-8'))\n"
    "parts = [root + '/' + p for r in descriptor['resources'] if r['name'] == 'indicators' for p in r['path']]\n"
    "generated = pandera_schema(json.load(open(root + '/schemas/indicators.json', encoding='utf-8')), 'indicators')\n"
    "started = time.perf_counter()\n"
    "if backend == 'polars':\n"
    "    import pandera.polars as pa\n"
    "    data = pl.read_parquet(parts)\n"
    "else:\n"
    "    import ibis\n"
    "    import pandera.ibis as pa\n"
    "    connection = ibis.duckdb.connect()\n"
    "    connection.raw_sql(\"SET memory_limit = '1GB'\")\n"
    "    data = connection.read_parquet(parts)\n"
    "columns = {name: pa.Column(None, checks=list(column.checks), nullable=column.nullable)\n"
    "           for name, column in generated.pandera.columns.items()}\n"
    "pa.DataFrameSchema(columns, strict=False).validate(data, lazy=True)\n"
    "print(f'{time.perf_counter() - started:.6f} 0')\n"
)


@dataclass
class Row:
    rows: int
    tool: str
    baseline: str
    runs: list[bench.Run] = field(default_factory=list)

    def median(self, attribute: str = "seconds") -> float | None:
        values = [getattr(r, attribute) for r in self.runs if r.ok and getattr(r, attribute) is not None]
        return statistics.median(values) if values else None

    @property
    def peak(self) -> int | None:
        return max((r.peak_bytes for r in self.runs), default=None)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(r.ok for r in self.runs)


def ensure_partitioned(rows: int, seed: int, work: Path) -> Path:
    package = work / f"part-{rows}-seed{seed}"
    marker = work / f"part-{rows}-seed{seed}.done"
    fingerprint = bench._synth_fingerprint(rows, seed) + " layout=partitioned"
    if package.is_dir() and marker.is_file() and marker.read_text() == fingerprint:
        return package
    marker.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, str(SCRIPTS / "synth.py"), "--rows", str(rows), "--out", str(package),
                           "--seed", str(seed), "--layout", "partitioned"],
                          check=True, capture_output=True, text=True, env=bench._child_env())
    print(f"bench_scale: {done.stdout.strip()}", file=sys.stderr)
    marker.write_text(fingerprint)
    return package


def _script(code: str, *arguments: str) -> bench.Run:
    seconds, peak, status, out, stopped, cpu = bench.run_child([sys.executable, "-c", code, *arguments])
    parts = out.split()
    return bench.Run(seconds, float(parts[0]) if status == 0 and parts else None, peak, status == 0,
                     stopped or ("" if status == 0 else f"exit {status}"), cpu)


def _verb(*arguments: str) -> bench.Run:
    seconds, peak, status, out, stopped, cpu = bench.run_child([sys.executable, "-m", "jiutai_data.cli", *arguments])
    return bench.Run(seconds, None, peak, status == 0, stopped or ("" if status == 0 else f"exit {status}"), cpu)


def _parquet_bytes(package: Path) -> int:
    return sum(p.stat().st_size for table in LARGE for p in (package / "data" / table).rglob("*.parquet"))


def measure_partitioned(rows: int, seed: int, repeat: int, work: Path) -> tuple[list[Row], dict[str, int]]:
    package = ensure_partitioned(rows, seed, work)
    validate = Row(rows, "validate (partitioned)", "polars read (Parquet)")
    floor = Row(rows, "polars read (Parquet)", "")
    for attempt in range(repeat):
        floor.runs.append(_script(PARQUET_READ, str(package)))
        validate.runs.append(bench.time_validate(package))
        print(f"bench_scale: {rows:,} rows partitioned, run {attempt + 1}/{repeat}: validate "
              f"{validate.runs[-1].seconds:.1f} s, read {floor.runs[-1].seconds:.1f} s"
              + ("" if validate.runs[-1].ok else f" ({validate.runs[-1].note[:200]})"), file=sys.stderr)
    sizes = {"parquet": _parquet_bytes(package), "data": bench.package_bytes(package)}
    rows_measured = [validate, floor]
    if rows == 1_000_000 and _has_ibis():
        polars_backend = Row(rows, "pandera.polars (column checks)", "")
        ibis_backend = Row(rows, "pandera.ibis on DuckDB (column checks)", "pandera.polars (column checks)")
        for _ in range(repeat):
            polars_backend.runs.append(_script(PANDERA, str(package), "polars"))
            ibis_backend.runs.append(_script(PANDERA, str(package), "ibis"))
        rows_measured += [ibis_backend, polars_backend]
    return rows_measured, sizes


def _has_ibis() -> bool:
    return subprocess.run([sys.executable, "-c", "import ibis, pandera.ibis"], capture_output=True).returncode == 0


def measure_publishing(rows: int, seed: int, repeat: int, work: Path) -> list[Row]:
    package = bench.ensure_package(rows, seed, work)
    dist = work / f"dist-{rows}"
    read = Row(rows, "polars read (CSV, every table)", "")
    export = Row(rows, "export", "polars read (CSV, every table)")
    site = Row(rows, "site", "polars read (CSV, every table)")
    for attempt in range(repeat):
        read.runs.append(_script(CSV_READ, str(package)))
        export.runs.append(_verb("export", str(package), "--dist", str(dist)))
        site.runs.append(_verb("site", str(package), "--dist", str(dist)) if export.runs[-1].ok
                         else bench.Run(0.0, None, 0, False, "export failed"))
        print(f"bench_scale: {rows:,} rows, publishing run {attempt + 1}/{repeat}: export "
              f"{export.runs[-1].seconds:.1f} s, site {site.runs[-1].seconds:.1f} s, read {read.runs[-1].seconds:.1f} s",
              file=sys.stderr)
    shutil.rmtree(dist, ignore_errors=True)
    return [export, site, read]


# --- report -----------------------------------------------------------------------------------

def _ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def _table(rows: list[Row]) -> list[str]:
    by = {(r.rows, r.tool): r for r in rows}
    lines = ["| rows | command | seconds (median) | CPU s | peak memory | runs | ok | × baseline (wall) | × baseline (CPU) | baseline |",
             "| ---: | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |"]
    for r in rows:
        base = by.get((r.rows, r.baseline))
        lines.append(
            f"| {r.rows:,} | {r.tool} | {bench._seconds(r.median())} | {bench._seconds(r.median('cpu'))} | "
            f"{(r.peak or 0) / 1e6:,.0f} MB | {len(r.runs)} | {'yes' if r.ok else 'NO'} | "
            f"{_ratio(r.median(), base.median()) if base else ''} | {_ratio(r.median('cpu'), base.median('cpu')) if base else ''} | "
            f"{r.baseline} |")
    return lines


def _growth(rows: list[Row], tool: str) -> list[str]:
    import math

    points = sorted((r.rows, r.median(), r.median("cpu")) for r in rows if r.tool == tool and r.median())
    lines = []
    for (n1, t1, c1), (n2, t2, c2) in zip(points, points[1:]):
        slope = math.log(t2 / t1) / math.log(n2 / n1)
        cpu_slope = math.log(c2 / c1) / math.log(n2 / n1) if c1 and c2 else float("nan")
        lines.append(f"- {tool}: {n1:,} → {n2:,} rows: wall × {t2 / t1:.1f}, CPU × {c2 / c1:.1f} for rows × {n2 / n1:.0f} "
                     f"(log–log slope {slope:.2f} wall, {cpu_slope:.2f} CPU; 1.00 is linear)")
    return lines


def _targets(rows: list[Row]) -> list[str]:
    largest = max(r.rows for r in rows if r.tool == "validate (partitioned)")
    validate = next(r for r in rows if r.rows == largest and r.tool == "validate (partitioned)")
    floor = next(r for r in rows if r.rows == largest and r.tool == "polars read (Parquet)")
    lines = [f"Against the targets of issue 16, at {largest:,} rows in the partitioned layout:", ""]
    peak = validate.peak or 0
    lines.append(f"- peak memory of validate: **{peak / 1024 ** 3:.2f} GiB** (target ≤ 2 GiB: "
                 f"{'met' if validate.ok and peak <= MEMORY_TARGET else 'missed'})")
    for attribute, label in (("seconds", "wall"), ("cpu", "CPU")):
        a, b = validate.median(attribute), floor.median(attribute)
        if a and b:
            verdict = "met" if a / b <= TIME_TARGET else f"missed by {a / b / TIME_TARGET:.1f}×"
            lines.append(f"- validate / polars read of the Parquet, {label}: **{a / b:.2f}** (target ≤ {TIME_TARGET:g}: {verdict})")
    return lines


def write(rows: list[Row], sizes: dict[int, dict[str, int]], seed: int, repeat: int, repeat_largest: int,
          out: Path = REPO / "bench" / "scale-results.md", results: Path = RESULTS) -> str:
    partitioned = [r for r in rows if r.tool in ("validate (partitioned)", "polars read (Parquet)")]
    engines = [r for r in rows if r.tool.startswith("pandera")]
    publishing = [r for r in rows if r.tool in ("export", "site", "polars read (CSV, every table)")]
    failures = [f"- {r.rows:,} rows, {r.tool}: {run.note}" for r in rows for run in r.runs if not run.ok]
    text = [
        SECTION,
        "",
        "## At scale: the partitioned layout, engines, and publishing",
        "",
        "Written by `scripts/bench_scale.py` (part of `make bench`); do not edit by hand. Method as above: each "
        "command in its own process, one at a time, on the same files; medians of "
        f"{repeat} runs ({repeat_largest} at the largest size, which takes minutes here; export and site as "
        "stated in their table); ratios against a baseline "
        "measured in the same run. *CPU s* (user + system over all threads) is the steadier figure on this "
        "shared machine; wall clock is what a user waits.",
        "",
        f"Machine at the start: load average {bench.machine()['load average at start']}; commit {bench.machine()['commit']}.",
        "",
        "### Validating the partitioned layout",
        "",
        "`scripts/synth.py --layout partitioned` (seed " + str(seed) + "): the large tables as Parquet in hive "
        "folders by the source's province and publication year; `validate` checks a batch of partitions at a time "
        "in polars and runs the global checks (primary keys, consistency across sources) as DuckDB queries "
        "(validate/engine.py, validate/parts.py). The baseline reads every column of every part file with polars.",
        "",
        "| rows | Parquet of the large tables | package data |",
        "| ---: | ---: | ---: |",
        *[f"| {n:,} | {s['parquet'] / 1e6:,.0f} MB | {s['data'] / 1e6:,.0f} MB |" for n, s in sorted(sizes.items())],
        "",
        *_table(partitioned),
        "",
        *(_targets(partitioned) if partitioned else []),
        "",
        "Growth with rows:",
        "",
        *_growth(partitioned, "validate (partitioned)"),
        *_growth(partitioned, "polars read (Parquet)"),
        "",
    ]
    if engines:
        text += [
            "### Pandera's Ibis backend on DuckDB, against its polars backend",
            "",
            "The column checks of the generated Pandera schema for the indicators table (enum, pattern, lengths, "
            "bounds; not the primary key, whose check is a polars function) on the same Parquet files, 1,000,000 rows.",
            "",
            *_table(engines),
            "",
        ]
    if publishing:
        text += [
            "### Publishing: export and site",
            "",
            "The CSV packages of scripts/bench.py. `export` writes the downloads (CSV, Parquet, SQLite, the Excel "
            "workbook, the zip); `site` validates and renders the data browser. Baseline: polars reading every CSV "
            "table of the package.",
            "",
            *_table(publishing),
            "",
        ]
    if failures:
        text += ["### Runs that failed", "", *failures, ""]
    section = "\n".join(text)
    out.write_text(section.replace(SECTION + "\n\n", "# Benchmark at scale\n\n"), encoding="utf-8")
    existing = results.read_text(encoding="utf-8") if results.is_file() else ""
    head = existing.split(SECTION)[0].rstrip("\n")
    results.write_text((head + "\n\n" if head else "") + section, encoding="utf-8")
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000,10000000", help="indicator rows, partitioned layout")
    parser.add_argument("--publish-sizes", default="100000,1000000", help="indicator rows for export and site ('' to skip)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--repeat-largest", type=int, default=1, help="runs at the largest size")
    parser.add_argument("--publish-repeat", type=int, default=1,
                        help="runs of export and site (export of 1M rows takes minutes, mostly the Excel workbook)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=bench.WORK)
    parser.add_argument("--memory-limit-gb", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--clean", action="store_true", help="delete the partitioned packages afterwards")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "scale-results.md")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the results file whose scale section is replaced")
    args = parser.parse_args(argv)
    bench.Limits.memory_bytes = int(args.memory_limit_gb * 1024 ** 3)
    bench.Limits.seconds = args.timeout
    args.work.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    publish = sorted(int(s) for s in args.publish_sizes.split(",") if s.strip())
    rows: list[Row] = []
    disk: dict[int, dict[str, int]] = {}
    # The results are written after each size, so that a run stopped part-way (the largest
    # sizes take many minutes on a shared machine) still leaves what it measured.
    for size in sizes:
        measured, disk[size] = measure_partitioned(size, args.seed, args.repeat_largest if size == sizes[-1] else args.repeat,
                                                   args.work)
        rows += measured
        write(rows, disk, args.seed, args.repeat, args.repeat_largest, args.out, args.results)
    for size in publish:
        rows += measure_publishing(size, args.seed, args.publish_repeat, args.work)
        write(rows, disk, args.seed, args.repeat, args.repeat_largest, args.out, args.results)
    print(write(rows, disk, args.seed, args.repeat, args.repeat_largest, args.out, args.results))
    if args.clean:
        for size in sizes:
            shutil.rmtree(args.work / f"part-{size}-seed{args.seed}", ignore_errors=True)
            (args.work / f"part-{size}-seed{args.seed}.done").unlink(missing_ok=True)
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
