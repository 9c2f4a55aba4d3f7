"""How well `jiutai-data draft` drafts, and how fast: `make bench` runs this.

Scores (see jiutai_data.tools.draft.score) on three texts:
- the committed article, drafted from scratch in a copy of the package with its rows removed,
  against its committed rows;
- the two fictional test texts of bench/draft/ (a work report, a statistical bulletin),
  registered in a copy of the package, against their expected rows.
Then the time to draft texts of 12,500 to 100,000 characters (pieces of the three texts
repeated), to show the time grows linearly.

Then the draft corpus (tests/fixtures/draft-corpus/): fictional texts shaped like real
publications (bulletins with text tables, quarterly and half-year releases, a news review, a
work report, a township report, agricultural, energy and price releases), all registered in
one copy of the package and scored per text and overall by ``score_corpus``; and the time to
draft a 50,000-character text made of corpus texts repeated, as a ratio to a plain regex scan
of its numbers measured in the same run (a ratio, so that it does not depend on the machine).
Writes bench/draft-results.md.
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
from jiutai_data.tools.draft.score import CORE_FIELDS, CORPUS_FIELDS, FIELDS, CorpusScores, Scores, score, score_corpus

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


CORPUS = ROOT / "tests" / "fixtures" / "draft-corpus"


def corpus_names() -> list[str]:
    """The texts of the draft corpus: each <name>.txt with its .json, .expected.csv and .omissions.csv."""
    return sorted(path.stem for path in CORPUS.glob("*.txt"))


def corpus_drafted(work: Path, names: list[str] | None = None) -> dict[str, tuple[str, list, list, list]]:
    """{name: (text, drafts, expected rows, omissions)} of corpus texts, each registered in one
    copy of the package and drafted from scratch."""
    names = corpus_names() if names is None else names
    root = copy_package(ROOT, work / "corpus")
    ids = {}
    for name in names:
        meta = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
        result = add_source(root, CORPUS / f"{name}.txt", source_id=meta["id"], title_zh=meta["title"],
                            title_en=meta["title_en"], publisher_zh=meta["publisher"],
                            publisher_en=meta["publisher_en"], published=meta["published"])
        if not result.ok:
            raise SystemExit(f"{name}: " + "\n".join(result.describe()))
        ids[name] = meta["id"]
    facts = read_facts(root)
    drafted = {}
    for name in names:
        source = read_source(facts, ids[name])
        drafts, _ = draft_rows(source.text, ids[name], source.published, facts)
        drafted[name] = (source.text, drafts, read_rows(CORPUS / f"{name}.expected.csv"),
                         read_rows(CORPUS / f"{name}.omissions.csv"))
    return drafted


def corpus_scores(work: Path) -> dict[str, CorpusScores]:
    return {name: score_corpus(*drafted) for name, drafted in corpus_drafted(work).items()}


def overall(scores: dict[str, CorpusScores]) -> CorpusScores:
    total = CorpusScores()
    for result in scores.values():
        total = total.add(result)
    return total


def corpus_timing(work: Path, size: int = 50_000) -> tuple[float, float, float]:
    """(seconds to draft, seconds to scan, their ratio) on a ``size``-character text made of the
    corpus texts repeated: CPU time of this process, the median of five runs after a warm-up, of
    ``draft_rows`` and of a baseline measured in the same run, a plain regex scan of the text
    (its numbers, its Chinese-numeral quantities and the units after them)."""
    import re
    from datetime import date
    from jiutai_data.model.numbers import find_chinese_quantities, find_numbers

    root = work / "corpus"
    facts = read_facts(root)
    pieces = "\n\n".join((CORPUS / f"{name}.txt").read_text(encoding="utf-8") for name in corpus_names())
    text = (pieces * (size // len(pieces) + 1))[:size]
    units = sorted(facts.units, key=len, reverse=True)
    unit_after = re.compile("(?:" + "|".join(re.escape(u) for u in units if u) + ")")

    def scan() -> int:
        found = 0
        for number in (*find_numbers(text), *find_chinese_quantities(text, units)):
            found += unit_after.match(text, number.end) is not None
        return found

    def median(job) -> float:
        job()  # warm up (regex compilation, caches)
        runs = []
        for _ in range(5):
            started = time.process_time()
            job()
            runs.append(time.process_time() - started)
        return sorted(runs)[len(runs) // 2]

    drafting = median(lambda: draft_rows(text, "2024-06-01-long-test-text", date(2024, 6, 1), facts))
    scanning = median(scan)
    return drafting, scanning, drafting / scanning if scanning else float("inf")


def corpus_report(scores: dict[str, CorpusScores], timing: tuple[float, float, float]) -> list[str]:
    total = overall(scores)
    lines = ["", "## Draft corpus", "",
             "The fictional texts of `tests/fixtures/draft-corpus/` (see its README), shaped like real "
             "publications and written without looking at the rules. Recall: expected figures drafted with "
             "the same value and unit inside the expected quote. Precision: of those, the share whose "
             f"{', '.join(CORE_FIELDS)} are all right too. Agreement of the other fields over the matched "
             "figures where either side fills the field (status and quote: all; quote: verbatim around the "
             "figure). Clean: drafted figures that are expected or inside an omission's quote.", "",
             "| text | expected | recall | precision | " + " | ".join(CORPUS_FIELDS) + " | clean |",
             "| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in CORPUS_FIELDS) + " | ---: |"]
    for name, result in [*scores.items(), ("**overall**", total)]:
        cells = [str(result.expected), f"{result.recall:.1%} ({result.recalled})",
                 f"{result.precision:.1%} ({result.correct})"]
        for name_ in CORPUS_FIELDS:
            equal, compared = result.agreement.get(name_, (0, 0))
            cells.append(f"{result.agreement_of(name_):.0%} ({equal}/{compared})")
        cells.append(f"{result.clean_share:.1%} ({result.clean}/{result.drafted})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "### Misses per text", ""]
    for name, result in scores.items():
        lines += [f"#### {name}", ""]
        lines += [f"- not drafted: {m}" for m in result.missed]
        lines += [f"- wrong: {w}" for w in result.wrong]
        lines += [f"- field: {d}" for d in result.disagreements]
        lines += [f"- drafted, not expected: {u}" for u in result.unmatched]
        lines += [""]
    drafting, scanning, ratio = timing
    lines += ["### Time", "",
              f"`draft_rows` on 50,000 characters of corpus texts repeated: {drafting:.3f} s CPU; a plain regex "
              f"scan of the same text's numbers and units: {scanning:.4f} s CPU; ratio {ratio:.0f} (median of "
              "five runs each, measured in the same run)."]
    return lines


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        texts, scores = [], {}
        for name in TEXT_NAMES:
            scores[name], text = score_text(work, name)
            texts.append(text)
        timings = _timings(work, texts)
        end_to_end = _end_to_end(work, texts)
        corpus = corpus_scores(work)
        corpus_time = corpus_timing(work)
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
    lines += corpus_report(corpus, corpus_time)
    report = "\n".join(lines) + "\n"
    (ROOT / "bench" / "draft-results.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
