"""Benchmark the data browser: building it, and opening and sorting its largest page in Chromium.

    python scripts/bench_site.py [--sizes 10000,100000] [--repeat 3] [--seed 0]

For each size, the synthetic package of scripts/bench.py (bench/work/, reused while unchanged)
is exported once, then, each against a baseline measured in the same run on the same files:

- export:      `jiutai-data export` (zip, SQLite with its full-text index, Excel, Stata, the CSV
               copies for Excel) in its own process, against `jiutai-data validate`, which reads
               and checks the same data;
- site build:  `jiutai-data site` in its own process, against `jiutai-data validate` (the build
               validates first, so the ratio is what rendering the pages adds);
- page load:   tables/indicators.html in headless Chromium until the first page of rows is shown
               (the page's performance mark "jiutai:rows-shown"),
               against a bare page that only loads the same data/indicators.js (the cost of
               parsing the rows, which no page that shows them can avoid);
- sort:        a click on the `value` heading (filter, sort and render the first page), against
               sorting the same row indices by the same column in the same page with no rendering.

Browser times are the page's own clock (performance.now()). Medians of --repeat runs.
Writes bench/site-results.md and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))
import bench  # noqa: E402  (scripts/ is not a package; bench.py owns the synthetic packages)

REPO = SCRIPTS.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
FLOOR_PAGE = """<!DOCTYPE html><meta charset="utf-8"><title>floor</title>
<script src="data/indicators.js"></script>
<script>window.readyAt = performance.now();</script>
"""
SORT_FLOOR = """() => {
    const table = window.JIUTAI.tables.indicators;
    const column = table.fields.findIndex(field => field.name === 'value');
    const rows = table.rows;
    const started = performance.now();
    const order = rows.map((row, index) => index);
    order.sort((a, b) => parseFloat(rows[a][column]) - parseFloat(rows[b][column]) || a - b);
    return performance.now() - started;
}"""
SORT_PAGE = """() => {
    const button = document.querySelector('button.sort[data-field="value"]');
    const started = performance.now();
    button.click();
    return performance.now() - started;
}"""


def cli(*arguments: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jiutai_data.cli", *arguments], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    return time.perf_counter() - started


def chromium() -> str:
    for candidate in (os.environ.get("JIUTAI_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("bench_site: no Chromium; run `make browser` or set JIUTAI_CHROMIUM")


def browser_runs(site: Path, repeat: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    (site / "bench-floor.html").write_text(FLOOR_PAGE, encoding="utf-8")
    runs: dict[str, list[float]] = {"page load": [], "data floor": [], "sort": [], "sort floor": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
            # One round to warm the file cache is thrown away; then the two pages take turns at
            # going first, so that neither gains from the other having just read the same data.
            for attempt in range(repeat + 1):
                measured: dict[str, float] = {}
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                for which in (("floor", "page") if attempt % 2 else ("page", "floor")):
                    page = context.new_page()
                    if which == "floor":
                        page.goto((site / "bench-floor.html").as_uri())
                        page.wait_for_function("window.readyAt !== undefined")
                        measured["data floor"] = page.evaluate("window.readyAt") / 1000
                        measured["sort floor"] = page.evaluate(SORT_FLOOR) / 1000
                    else:
                        page.goto((site / "tables" / "indicators.html").as_uri())
                        page.wait_for_function("document.getElementById('status').textContent.startsWith('Showing rows')")
                        measured["page load"] = page.evaluate(
                            "performance.getEntriesByName('jiutai:rows-shown')[0].startTime") / 1000
                        measured["sort"] = page.evaluate(SORT_PAGE) / 1000
                    page.close()
                context.close()
                if attempt:
                    for name, seconds in measured.items():
                        runs[name].append(seconds)
            browser.close()
    finally:
        (site / "bench-floor.html").unlink(missing_ok=True)
    return runs


def measure(rows: int, seed: int, repeat: int, work: Path) -> dict[str, object]:
    package = bench.ensure_package(rows, seed, work)
    dist = package / "dist"
    if not (dist / "SHA256SUMS").is_file():
        print(f"bench_site: exporting {rows:,} rows once (the site needs the downloads)", file=sys.stderr)
        cli("export", str(package), "--dist", str(dist))
    timings: dict[str, list[float]] = {"site build": [], "validate": [], "export": []}
    for attempt in range(repeat):
        timings["validate"].append(cli("validate", str(package), "--format", "json"))
        timings["export"].append(cli("export", str(package), "--dist", str(dist)))
        timings["site build"].append(cli("site", str(package), "--dist", str(dist)))
        print(f"bench_site: {rows:,} rows, run {attempt + 1}/{repeat}: export {timings['export'][-1]:.2f} s, "
              f"site {timings['site build'][-1]:.2f} s, "
              f"validate {timings['validate'][-1]:.2f} s", file=sys.stderr)
    timings.update(browser_runs(dist / "site", repeat))
    data_bytes = (dist / "site" / "data" / "indicators.js").stat().st_size
    page_bytes = (dist / "site" / "tables" / "indicators.html").stat().st_size
    return {"rows": rows, "median": {name: statistics.median(values) for name, values in timings.items()},
            "data_bytes": data_bytes, "page_bytes": page_bytes}


def report(results: list[dict], seed: int, repeat: int) -> str:
    facts = bench.machine()
    lines = [
        "# Benchmark: the data browser (`jiutai-data site`)",
        "",
        "Written by `make bench` (`scripts/bench_site.py`); do not edit by hand. Packages are the synthetic ones "
        f"of `scripts/bench.py` (seed {seed}); medians of {repeat} runs. See the script's docstring for the method.",
        "",
        "## Machine",
        "",
        *(f"- {key}: {value}" for key, value in facts.items()),
        "",
        "## Results",
        "",
        "| rows | indicators.js | page HTML | validate (baseline) | export | ratio | site build | ratio | page load | data floor (baseline) | ratio | sort | sort floor (baseline) | ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        median = result["median"]

        def ratio(a: str, b: str) -> str:
            return f"{median[a] / median[b]:.2f}" if median[b] > 0 else "–"

        lines.append(
            f"| {result['rows']:,} | {result['data_bytes'] / 1e6:.1f} MB | {result['page_bytes'] / 1e3:.1f} kB "
            f"| {median['validate']:.2f} s | {median['export']:.2f} s | {ratio('export', 'validate')} "
            f"| {median['site build']:.2f} s | {ratio('site build', 'validate')} "
            f"| {median['page load']:.3f} s | {median['data floor']:.3f} s | {ratio('page load', 'data floor')} "
            f"| {median['sort']:.3f} s | {median['sort floor']:.3f} s | {ratio('sort', 'sort floor')} |"
        )
    lines += [
        "",
        "The page HTML does not grow with the rows: they load from `data/indicators.js`, and only one page of "
        "rows (50 by default) is in the document at a time.",
        "",
        "```json",
        json.dumps(results, indent=1),
        "```",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="indicator rows, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=bench.WORK)
    parser.add_argument("--out", type=Path, default=bench.BENCH / "site-results.md")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas")
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        parser.error("--sizes and --repeat must be positive")
    args.work.mkdir(parents=True, exist_ok=True)
    results = [measure(rows, args.seed, args.repeat, args.work) for rows in sizes]
    text = report(results, args.seed, args.repeat)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
