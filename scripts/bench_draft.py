"""How well `jiutai-data draft` drafts, and how fast: `make bench` runs this.

Scores (see jiutai_data.tools.draft.score) on three texts:
- the committed article, drafted from scratch in a copy of the package with its rows removed,
  against its committed rows;
- the two fictional test texts of bench/draft/ (a work report, a statistical bulletin),
  registered in a copy of the package, against their expected rows.
Then the time to draft texts of 12,500 to 100,000 characters (pieces of the three texts
repeated), to show the time grows linearly. Writes bench/draft-results.md.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jiutai_data.model.package import open_package
from jiutai_data.tools.add_source import add_source
from jiutai_data.tools.draft.package import read_facts, read_source
from jiutai_data.tools.draft.rows import draft_rows
from jiutai_data.tools.draft.score import FIELDS, Scores, score

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "bench" / "draft"
ARTICLE = "2022-12-12-changchun-daily-jiutai-district"
DRAFTED_TABLES = ("indicators", "plans", "projects", "omissions")
TARGETS = {"recall": 0.95, "agreement": 0.90, "precision": 0.90}


def copy_package(source: Path, into: Path) -> Path:
    """The descriptor, schemas and data of a package (no build outputs beyond data/)."""
    into.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "datapackage.json", into / "datapackage.json")
    for folder in ("schemas", "data"):
        shutil.copytree(source / folder, into / folder)
    return into


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def remove_rows_of(root: Path, source_id: str) -> dict[str, list[dict[str, str]]]:
    """Remove the source's rows from the drafted tables of the package at ``root``; return them."""
    removed = {}
    for resource in open_package(root).resources:
        if resource.name not in DRAFTED_TABLES or not resource.is_table or resource.file is None:
            continue
        path = resource.file
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            header, rows = reader.fieldnames, list(reader)
        removed[resource.name] = [r for r in rows if r.get("source_id") == source_id]
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(r for r in rows if r.get("source_id") != source_id)
    return removed


def register(root: Path, folder: Path) -> str:
    meta = json.loads((folder / "source.json").read_text(encoding="utf-8"))
    result = add_source(root, folder / "text.txt", source_id=meta["id"], title_zh=meta["title"],
                        title_en=meta["title_en"], publisher_zh=meta["publisher"], publisher_en=meta["publisher_en"],
                        published=meta["published"])
    if not result.ok:
        raise SystemExit("\n".join(result.describe()))
    return meta["id"]


def expected_rows(folder: Path) -> dict[str, list[dict[str, str]]]:
    return {table: read_rows(folder / "expected" / f"{table}.csv") for table in DRAFTED_TABLES
            if (folder / "expected" / f"{table}.csv").exists()}


def drafted(work: Path, name: str) -> tuple[str, list, dict[str, list[dict[str, str]]]]:
    """(text, drafts, expected rows) of one test text: the article in a copy of the package
    with its rows removed, a fictional text registered in a copy of the package."""
    root = copy_package(ROOT, work / name)
    if name == "article":
        source_id, expected = ARTICLE, remove_rows_of(root, ARTICLE)
    else:
        source_id, expected = register(root, TEXTS / name), expected_rows(TEXTS / name)
    facts = read_facts(root)
    source = read_source(facts, source_id)
    drafts, _ = draft_rows(source.text, source_id, source.published, facts)
    return source.text, drafts, expected


def score_text(work: Path, name: str) -> tuple[Scores, str]:
    text, drafts, expected = drafted(work, name)
    return score(text, drafts, expected), text


FICTIONAL = ("work-report", "bulletin", "news-brief")
TEXT_NAMES = ("article", *FICTIONAL)


def all_scores(work: Path) -> dict[str, Scores]:
    return {name: score_text(work, name)[0] for name in TEXT_NAMES}


def _timings(work: Path, texts: list[str]) -> list[tuple[int, float, int]]:
    root = work / "article"
    facts = read_facts(root)
    pieces = "\n\n".join(texts)
    from datetime import date
    results = []
    draft_rows(pieces, ARTICLE, date(2022, 12, 12), facts)  # warm up (regex compilation, caches)
    for size in (12_500, 25_000, 50_000, 100_000):
        text = (pieces * (size // len(pieces) + 1))[:size]
        runs = []
        for _ in range(5):
            # CPU time of this process: the machine is shared, and wall time also counts the others
            started = time.process_time()
            drafts, _ = draft_rows(text, ARTICLE, date(2022, 12, 12), facts)
            runs.append(time.process_time() - started)
        results.append((size, sorted(runs)[len(runs) // 2], len(drafts)))
    return results


def _end_to_end(work: Path, texts: list[str]) -> tuple[float, float]:
    """Seconds for the whole verb (read the package, draft, write the files) on a registered
    50,000-character text."""
    from jiutai_data.tools.draft import draft_source

    root = copy_package(ROOT, work / "end-to-end")
    pieces = "\n\n".join(texts)
    (work / "long.txt").write_text((pieces * (50_000 // len(pieces) + 1))[:50_000], encoding="utf-8")
    result = add_source(root, work / "long.txt", source_id="2024-06-01-long-test-text", title_zh="长文本",
                        title_en="A long test text", publisher_zh="测试", publisher_en="Test",
                        published="2024-06-01T09:00:00+08:00")
    if not result.ok:
        raise SystemExit("\n".join(result.describe()))
    started, cpu = time.perf_counter(), time.process_time()
    draft_source(root, "2024-06-01-long-test-text")
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        texts, scores = [], {}
        for name in TEXT_NAMES:
            scores[name], text = score_text(work, name)
            texts.append(text)
        timings = _timings(work, texts)
        end_to_end = _end_to_end(work, texts)
    lines = ["# Draft benchmark", "", "Written by `scripts/bench_draft.py` (`make bench`). Targets: recall ≥ 95 %, "
             "each field's agreement ≥ 90 %, precision ≥ 90 %.", "",
             "| text | recall | " + " | ".join(FIELDS) + " | precision | figures expected / drafted |",
             "| --- | ---: | " + " | ".join("---:" for _ in FIELDS) + " | ---: | ---: |"]
    for name, result in scores.items():
        cells = [f"{result.recall:.1%} ({result.recalled}/{result.expected})"]
        for field in FIELDS:
            equal, compared = result.agreement.get(field, (0, 0))
            cells.append(f"{result.agreement_of(field):.1%} ({equal}/{compared})")
        cells.append(f"{result.precision:.1%} ({result.precise}/{result.drafted})")
        cells.append(f"{result.expected} / {result.drafted}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    shortfalls = []
    for name, result in scores.items():
        if result.recall < TARGETS["recall"]:
            shortfalls.append(f"- {name}: recall {result.recall:.1%}; missed: {', '.join(result.missed)}")
        if result.precision < TARGETS["precision"]:
            shortfalls.append(f"- {name}: precision {result.precision:.1%}; unmatched: {', '.join(result.unmatched)}")
        for field in FIELDS:
            if result.agreement_of(field) < TARGETS["agreement"]:
                shortfalls.append(f"- {name}: {field} agreement {result.agreement_of(field):.1%}: " + "; ".join(
                    d for d in result.disagreements if f": {field} " in d))
    lines += ["", "## Shortfalls", ""] + (shortfalls or ["None: every target is met."])
    lines += ["", "## Disagreements on matched figures", ""]
    for name, result in scores.items():
        lines += [f"- {name}: " + ("; ".join(result.disagreements) or "none")
                  + (f"; not drafted: {', '.join(result.missed)}" if result.missed else "")]
    base = timings[0][1] / timings[0][0]
    lines += ["", "## Time", "",
              f"`jiutai-data draft` on a registered 50,000-character text, end to end (read the package, "
              f"draft, write the files): {end_to_end[0]:.2f} s wall time, {end_to_end[1]:.2f} s CPU time "
              "(target: under 2 s; the wall time includes waiting for the disk to confirm each file and "
              "for the machine's other work).", "",
              "CPU seconds of `draft_rows` (median of five runs, after one warm-up run) on pieces of the four texts "
              "repeated.", "",
              "| characters | CPU seconds | rows | time per character relative to 12,500 |", "| ---: | ---: | ---: | ---: |"]
    lines += [f"| {size:,} | {seconds:.3f} | {rows} | {seconds / size / base:.2f} |" for size, seconds, rows in timings]
    report = "\n".join(lines) + "\n"
    (ROOT / "bench" / "draft-results.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
