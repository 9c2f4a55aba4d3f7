"""Benchmark `jiutai-data validate` against polars' bare CSV read and `frictionless validate`.

    python scripts/bench.py [--sizes 10000,100000,1000000] [--repeat 3] [--seed 0]

For each size, a synthetic package (scripts/synth.py) is written to bench/work/ (kept,
and reused while synth.py and the seed are unchanged), then three commands run on the
same files, one after the other, each in its own Python process:

- validate:     python -m jiutai_data.cli validate DIR --format json   (every check; the large tables
                spooled to disk above validate/store.HOLD_BELOW bytes)
- validate (held): the same engine with the large tables held in memory whatever their size
                (validate_package(DIR, hold_below=None))
- polars read:  python -c "pl.read_csv(DIR/data/indicators.csv)"      (the floor)
- frictionless: python -m frictionless validate DIR/datapackage.json --resource-name indicators

Times are wall-clock seconds of the whole process (interpreter start and imports
included, as a user or CI sees them); each child also reports the time of its own
work (validate: report.stats["seconds"]; polars: the read_csv call), shown as
"in-process"; CPU seconds (user + system, all threads) are recorded too, being less
sensitive to other work on a shared machine. Peak memory is the child's own maximum
resident set size, from os.wait4's rusage; this process stays small (packages are
written by a child too), since on Linux a child's peak starts from the size of the
process it was forked from. Medians of --repeat runs are reported; frictionless runs
once at sizes above --frictionless-once-above, where it takes a minute or more.

The machine is shared: a child that exceeds --memory-limit-gb or --timeout is
stopped and reported rather than left to the kernel's out-of-memory killer.

Writes bench/results.md and bench/scaling.png and prints the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from jiutai_data.validate.store import HOLD_BELOW

REPO = Path(__file__).resolve().parent.parent
# where scripts/bench_scale.py starts its section of bench/results.md (declared here; it imports this script)
SCALE_SECTION = "<!-- bench_scale.py: the section below is written by scripts/bench_scale.py -->"
BENCH = REPO / "bench"
WORK = BENCH / "work"  # git-ignored
# validate as users run it (spooled to disk above validate/store.HOLD_BELOW), and with the large
# tables held in memory, to show what spooling costs and saves (the same engine and checks)
TOOLS = ["validate", "validate (held)", "polars read", "frictionless"]
TARGETS = {  # on 1,000,000 rows, from issue 16 (issue 6 asked ≥ 10 and ≤ 4 of the last two)
    "validate / polars read": ("≤", 3.0),
    "frictionless / validate": ("≥", 20.0),
    "peak memory / indicators CSV": ("≤", 2.0),
}
TARGETS_ISSUE = 16

POLARS_READ = (
    "import sys, time\n"
    "import polars as pl\n"
    "started = time.perf_counter()\n"
    "frame = pl.read_csv(sys.argv[1])\n"
    "print(f'{time.perf_counter() - started:.6f} {frame.height}')\n"
)


@dataclass
class Run:
    seconds: float  # wall clock of the process
    inner: float | None  # the child's own measure of its work
    peak_bytes: int
    ok: bool
    note: str = ""
    cpu: float | None = None  # user + system CPU seconds of the process (all its threads)
    steps: dict[str, float] = field(default_factory=dict)  # validate: report.stats["seconds_by_step"]


@dataclass
class Measure:
    rows: int
    indicators_bytes: int
    package_bytes: int
    runs: dict[str, list[Run]] = field(default_factory=dict)

    def median(self, tool: str, attribute: str = "seconds") -> float | None:
        """Median over the runs that finished well (a stopped or failed run times nothing)."""
        values = [getattr(r, attribute) for r in self.runs.get(tool, [])
                  if r.ok and getattr(r, attribute) is not None]
        return statistics.median(values) if values else None

    def peak(self, tool: str) -> int | None:
        values = [r.peak_bytes for r in self.runs.get(tool, [])]
        return max(values) if values else None


# --- running one child ---------------------------------------------------------------------

def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    # the repository's code, also when the package is not installed in this interpreter
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "src"), env.get("PYTHONPATH")]))
    return env


class Limits:
    """What a child may use before it is stopped: the machine is shared, and a
    validator that needs more memory than it has would be killed by the kernel
    together with other people's work."""
    memory_bytes: int = 8 * 1024 ** 3
    seconds: float = 900.0


def _rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _watch(child: subprocess.Popen, stopped: list[str], done: threading.Event) -> None:
    started = time.perf_counter()
    while not done.wait(0.05):
        if _rss_bytes(child.pid) > Limits.memory_bytes:
            stopped.append(f"stopped above the memory limit of {Limits.memory_bytes / 1024 ** 3:.1f} GiB")
        elif time.perf_counter() - started > Limits.seconds:
            stopped.append(f"stopped after the time limit of {Limits.seconds:.0f} s")
        else:
            continue
        child.kill()
        return


def run_child(command: list[str]) -> tuple[float, int, int, str, str, float]:
    """(wall seconds, peak RSS bytes, exit status, stdout, why it was stopped, CPU seconds) of one child.

    os.wait4 gives the rusage of exactly this child (RUSAGE_CHILDREN would give the
    maximum over every child so far). stdout goes to a file so that a large report
    cannot fill a pipe while we wait. A watcher thread stops the child at the limits."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=_child_env(), cwd=REPO)
        stopped: list[str] = []
        done = threading.Event()
        watcher = threading.Thread(target=_watch, args=(child, stopped, done), daemon=True)
        watcher.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        watcher.join()
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
    return (seconds, usage.ru_maxrss * 1024, child.returncode, text, "; ".join(stopped),
            usage.ru_utime + usage.ru_stime)


HELD = ("import sys; from jiutai_data.validate.run import validate_package; "
        "from jiutai_data.validate.report import render_report; "
        "print(render_report(validate_package(sys.argv[1], hold_below=None), 'json'))")


def time_validate(package: Path, held: bool = False) -> Run:
    command = ([sys.executable, "-c", HELD, str(package)] if held else
               [sys.executable, "-m", "jiutai_data.cli", "validate", str(package), "--format", "json"])
    seconds, peak, status, out, stopped, cpu = run_child(command)
    try:
        report = json.loads(out)
    except json.JSONDecodeError:
        return Run(seconds, None, peak, False, stopped or f"exit {status}, no JSON report", cpu)
    errors = report.get("errors", [])
    note = "" if report.get("valid") else f"{len(errors)} errors, first: {errors[:1]}"
    stats = report.get("stats", {})
    return Run(seconds, stats.get("seconds"), peak, bool(report.get("valid")), note, cpu,
               stats.get("seconds_by_step") or {})


def time_polars(package: Path) -> Run:
    seconds, peak, status, out, stopped, cpu = run_child(
        [sys.executable, "-c", POLARS_READ, str(package / "data" / "indicators.csv")])
    parts = out.split()
    return Run(seconds, float(parts[0]) if status == 0 and parts else None, peak, status == 0, stopped, cpu)


def time_frictionless(package: Path) -> Run:
    seconds, peak, status, out, stopped, cpu = run_child(
        [sys.executable, "-m", "frictionless", "validate", str(package / "datapackage.json"),
         "--resource-name", "indicators", "--json"])
    try:
        report = json.loads(out)
        inner = report.get("stats", {}).get("seconds")
        valid = bool(report.get("valid"))
    except json.JSONDecodeError:
        inner, valid = None, False
    return Run(seconds, inner, peak, valid, "" if valid else stopped or f"exit {status}", cpu)


# --- packages ---------------------------------------------------------------------------

def _synth_fingerprint(rows: int, seed: int) -> str:
    # a package is reused only while the generator and the schemas it copies are unchanged
    digest = hashlib.sha256((REPO / "scripts" / "synth.py").read_bytes())
    for schema in sorted((REPO / "schemas").glob("*.json")):
        digest.update(schema.read_bytes())
    digest.update((REPO / "datapackage.json").read_bytes())
    return f"rows={rows} seed={seed} generator={digest.hexdigest()}"


def ensure_package(rows: int, seed: int, work: Path = WORK) -> Path:
    package = work / f"synth-{rows}-seed{seed}"
    marker = work / f"synth-{rows}-seed{seed}.done"
    fingerprint = _synth_fingerprint(rows, seed)
    if package.is_dir() and marker.is_file() and marker.read_text() == fingerprint:
        return package
    marker.unlink(missing_ok=True)
    # In a child process, so that this process stays small: on Linux a child's peak
    # RSS (ru_maxrss) starts from the resident size of the process it was forked from.
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "synth.py"), "--rows", str(rows),
                           "--out", str(package), "--seed", str(seed)],
                          check=True, capture_output=True, text=True, env=_child_env())
    print(f"bench: {done.stdout.strip()}", file=sys.stderr)
    marker.write_text(fingerprint)
    return package


def package_bytes(package: Path) -> int:
    return sum(p.stat().st_size for p in (package / "data").rglob("*") if p.is_file())


# --- the machine --------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 ** 2:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                                text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "status", "--porcelain", "--", "src", "scripts"], cwd=REPO,
                                 capture_output=True, text=True, check=True).stdout.strip()
        if changed:
            commit += " (with uncommitted changes to src/ or scripts/)"
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "cores": f"{available} available ({os.cpu_count()} online)",
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "polars": version("polars"),
        "frictionless": version("frictionless"),
        "pandera": version("pandera"),
        "numpy": version("numpy"),
        "commit": commit,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --- report ---------------------------------------------------------------------------------

def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def ratios(m: Measure) -> dict[str, float | None]:
    return {
        "validate / polars read": _ratio(m.median("validate"), m.median("polars read")),
        "validate / polars read (in-process)": _ratio(m.median("validate", "inner"), m.median("polars read", "inner")),
        "validate / polars read (CPU)": _ratio(m.median("validate", "cpu"), m.median("polars read", "cpu")),
        "frictionless / validate": _ratio(m.median("frictionless"), m.median("validate")),
        "peak memory / indicators CSV": _ratio(m.peak("validate"), m.indicators_bytes),
        "peak memory (held) / indicators CSV": _ratio(m.peak("validate (held)"), m.indicators_bytes),
        "validate / validate (held) (CPU)": _ratio(m.median("validate", "cpu"), m.median("validate (held)", "cpu")),
        "peak memory / package data": _ratio(m.peak("validate"), m.package_bytes),
    }


def _verdict(name: str, value: float | None) -> str:
    if name not in TARGETS or value is None:
        return ""
    sense, target = TARGETS[name]
    met = value <= target if sense == "≤" else value >= target
    factor = value / target if sense == "≤" else target / value
    return f"target {sense} {target:g}: " + ("met" if met else f"missed by {factor:.{2 if factor < 1.1 else 1}f}×")


def growth(measures: list[Measure], tool: str, attribute: str = "seconds") -> list[str]:
    """Between consecutive sizes: the time ratio, the log–log slope (1.0 is linear; below 1
    while a fixed cost such as start-up still weighs), and the marginal cost per row (constant
    when time is a fixed cost plus a linear one)."""
    lines = []
    for small, large in zip(measures, measures[1:]):
        a, b = small.median(tool, attribute), large.median(tool, attribute)
        if a and b:
            slope = math.log(b / a) / math.log(large.rows / small.rows)
            marginal = (b - a) / (large.rows - small.rows) * 1e6
            lines.append(f"{small.rows:,} → {large.rows:,} rows: time × {b / a:.1f} for rows × "
                         f"{large.rows / small.rows:.0f} (log–log slope {slope:.2f}; 1.00 is linear), "
                         f"{marginal:.1f} µs per added row")
    return lines


def table(measures: list[Measure]) -> str:
    head = ("| rows | indicators CSV | tool | seconds (median) | in-process s | CPU s | rows/s | peak memory | runs | valid |\n"
            "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    lines = [head]
    for m in measures:
        for tool in TOOLS:
            runs = m.runs.get(tool, [])
            if not runs:
                continue
            seconds = m.median(tool)
            peak = m.peak(tool)
            lines.append(
                f"| {m.rows:,} | {m.indicators_bytes / 1e6:.1f} MB | {tool} | {_seconds(seconds)} | "
                f"{_seconds(m.median(tool, 'inner'))} | {_seconds(m.median(tool, 'cpu'))} | {'–' if not seconds else f'{m.rows / seconds:,.0f}'} | "
                f"{peak / 1e6:,.0f} MB | "
                f"{len(runs)} | {'yes' if all(r.ok for r in runs) else 'NO'} |")
    return "\n".join(lines)


def ratio_table(measures: list[Measure]) -> str:
    names = list(ratios(measures[0]))
    lines = ["| rows | " + " | ".join(names) + " |", "| ---: |" + " ---: |" * len(names)]
    for m in measures:
        values = ratios(m)
        lines.append(f"| {m.rows:,} | " + " | ".join("–" if v is None else f"{v:.2f}" for v in values.values()) + " |")
    return "\n".join(lines)


def where_the_time_goes(m: Measure, tools: tuple[str, ...] = ("validate", "validate (held)"), shown: int = 10) -> list[str]:
    """The steps of the median run of each validate command (report.stats["seconds_by_step"]),
    longest first: the measured cause of what the ratios show."""
    lines = []
    for tool in tools:
        runs = sorted((r for r in m.runs.get(tool, []) if r.ok and r.steps and r.inner), key=lambda r: r.seconds)
        if not runs:
            continue
        run = runs[len(runs) // 2]
        steps = sorted(run.steps.items(), key=lambda item: -item[1])
        rest = max(0.0, run.inner - sum(seconds for _, seconds in steps))
        lines += [f"**{tool}**, {m.rows:,} rows (the median run: {run.inner:.2f} s in-process):", "",
                  "| step | seconds | share |", "| --- | ---: | ---: |",
                  *[f"| {name} | {seconds:.2f} | {seconds / run.inner:.0%} |" for name, seconds in steps[:shown]]]
        if len(steps) > shown:
            others = sum(seconds for _, seconds in steps[shown:])
            lines.append(f"| {len(steps) - shown} other steps | {others:.2f} | {others / run.inner:.0%} |")
        reading = sum(seconds for name, seconds in steps if name.startswith("read") or name == "buckets read back")
        lines += [f"| opening the package and the rest | {rest:.2f} | {rest / run.inner:.0%} |", "",
                  f"Reading the files is {reading / run.inner:.0%} of the in-process time and the checks "
                  f"{(run.inner - reading - rest) / run.inner:.0%}.", ""]
    return lines


def write_results(measures: list[Measure], path: Path, seed: int, repeat: int, frictionless_once_above: int) -> str:
    largest = measures[-1]
    target_lines = [f"- {name}: **{value:.2f}** ({_verdict(name, value)})" if value is not None else f"- {name}: –"
                    for name, value in ratios(largest).items() if name in TARGETS]
    failures = [f"- {m.rows:,} rows, {tool}: {r.note}" for m in measures for tool, runs in m.runs.items()
                for r in runs if not r.ok]
    text = "\n".join([
        "# Benchmark: `jiutai-data validate` at scale",
        "",
        "Written by `make bench` (`scripts/bench.py`); do not edit by hand. Packages are synthetic "
        f"(`scripts/synth.py`, seed {seed}): one source text per 1,000 indicator rows, with projects, plans and "
        "omissions, valid under every check.",
        "",
        "## Machine",
        "",
        *[f"- {k}: {v}" for k, v in machine().items()],
        "",
        "## Method",
        "",
        "Each command runs in its own Python process, one at a time, on the same files; seconds are the wall "
        "clock of the whole process (interpreter start and imports included) and the median of "
        f"{repeat} run(s) (frictionless: one run above {frictionless_once_above:,} rows). *In-process* is the child's own timing of "
        "its work: `report.stats[\"seconds\"]` for validate, the `pl.read_csv` call for polars, frictionless' "
        "own `stats.seconds`. *CPU s* is the process' user + system CPU time over all its threads (`os.wait4` rusage): "
        "less sensitive than wall time to other work on a shared machine, but it counts every thread of a "
        "multi-threaded reader. Peak memory is the child's maximum resident set size (`os.wait4` rusage; the "
        "benchmark itself stays small and writes the packages in a separate process, because a child's peak starts "
        "from the size of the process it is forked from). "
        "A command is stopped if its memory or time exceeds the limits given to the script.",
        "",
        "- **validate**: `python -m jiutai_data.cli validate DIR --format json`, every check on every table, as users run it: "
        f"above {HOLD_BELOW >> 20} MiB of large tables (those with a source_id) the engine reads them a chunk at a "
        "time into buckets of sources on disk and checks a bucket at a time (validate/store.py, validate/spool.py).",
        "- **validate (held)**: the same engine and checks with every table held in memory "
        "(`validate_package(DIR, hold_below=None)`).",
        "- **polars read**: `pl.read_csv(DIR/data/indicators.csv)` in a fresh process, the floor.",
        "- **frictionless**: `frictionless validate DIR/datapackage.json --resource-name indicators` (the peer: "
        "structure, types, constraints and keys of the indicators resource only).",
        "",
        "The machine is shared and noisy: the ratios measured in one run on the same files mean more than the seconds.",
        "",
        "## Results",
        "",
        table(measures),
        "",
        "## Ratios",
        "",
        ratio_table(measures),
        "",
        f"Against the targets of issue {TARGETS_ISSUE}, at {largest.rows:,} rows:",
        "",
        *target_lines,
        "",
        "## Growth with rows",
        "",
        *[f"- validate: {line}" for line in growth(measures, "validate")],
        *[f"- validate in-process: {line}" for line in growth(measures, "validate", "inner")],
        *[f"- polars read: {line}" for line in growth(measures, "polars read")],
        *[f"- frictionless: {line}" for line in growth(measures, "frictionless")],
        "",
        "![time against rows, log–log](scaling.png)",
        "",
        "## Where the time goes",
        "",
        "Each validate run reports the seconds of each of its steps (reading, each check; in the bounded run also "
        "the spooling, the buckets read back and the global queries, each summed over the buckets): the measured "
        "cause of the time ratios above.",
        "",
        *where_the_time_goes(largest),
        *(["## Runs that failed", "", *failures, ""] if failures else []),
    ])
    # scripts/bench_scale.py writes its section below this one; a run of this script alone keeps it
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    scale = existing.find(SCALE_SECTION)
    path.write_text(text + ("\n" + existing[scale:] if scale >= 0 else ""), encoding="utf-8")
    return text


def plot(measures: list[Measure], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6.4, 4.8))
    styles = {"validate": "o-", "validate (held)": "o:", "polars read": "s-", "frictionless": "^-"}
    for tool in TOOLS:
        points = [(m.rows, m.median(tool)) for m in measures if m.median(tool)]
        if points:
            axes.plot(*zip(*points), styles[tool], label=tool)
    inner = [(m.rows, m.median("validate", "inner")) for m in measures if m.median("validate", "inner")]
    if inner:
        axes.plot(*zip(*inner), "o--", color="C0", alpha=0.5, label="validate (in-process)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("indicator rows")
    axes.set_ylabel("seconds (wall clock, median)")
    axes.set_title("Validating a synthetic package")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


# --- main -------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="indicator rows, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command per size (median reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--frictionless-once-above", type=int, default=100_000,
                        help="above this many rows frictionless runs once (it takes 1–2 minutes at 1M rows here)")
    parser.add_argument("--no-frictionless", action="store_true", help="skip the peer")
    parser.add_argument("--work", type=Path, default=WORK, help="where synthetic packages are kept (default: bench/work)")
    parser.add_argument("--memory-limit-gb", type=float, default=8.0,
                        help="stop a command whose resident memory exceeds this (the machine is shared)")
    parser.add_argument("--timeout", type=float, default=900.0, help="stop a command that runs longer (seconds)")
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    parser.add_argument("--plot", type=Path, default=BENCH / "scaling.png")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 10000,100000")
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("--sizes and --repeat must be positive")

    Limits.memory_bytes = int(args.memory_limit_gb * 1024 ** 3)
    Limits.seconds = args.timeout
    args.work.mkdir(parents=True, exist_ok=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    measures = []
    for rows in sizes:
        package = ensure_package(rows, args.seed, args.work)
        m = Measure(rows, (package / "data" / "indicators.csv").stat().st_size, package_bytes(package))
        for tool in TOOLS:
            m.runs[tool] = []
        for attempt in range(args.repeat):
            # interleaved, so that a noisy neighbour slows every tool alike
            m.runs["polars read"].append(time_polars(package))
            m.runs["validate"].append(time_validate(package))
            m.runs["validate (held)"].append(time_validate(package, held=True))
            if not args.no_frictionless and (attempt == 0 or rows <= args.frictionless_once_above):
                m.runs["frictionless"].append(time_frictionless(package))
            print(f"bench: {rows:,} rows, run {attempt + 1}/{args.repeat}: "
                  + ", ".join(f"{tool} {runs[-1].seconds:.2f} s" for tool, runs in m.runs.items() if runs),
                  file=sys.stderr)
        measures.append(m)

    text = write_results(measures, args.out, args.seed, args.repeat, args.frictionless_once_above)
    plot(measures, args.plot)
    print(text)
    invalid = [m.rows for m in measures if not all(r.ok for r in m.runs["validate"])]
    if invalid:
        print(f"bench: validate did not find the synthetic package of {invalid} rows valid; see {args.out}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
