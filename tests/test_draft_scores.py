"""The draft's scores on the committed article and the two fictional test texts stay above
floors a little under what scripts/bench_draft.py measured (bench/draft-results.md), so a
change that makes the drafts worse fails here. Also: every number is claimed by exactly one
drafted row, and the same input gives the same drafts."""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pytest

from conftest import REPO
from jiutai_data.model.numbers import find_numbers
from jiutai_data.tools.draft.score import FIELDS

_spec = importlib.util.spec_from_file_location("bench_draft", REPO / "scripts" / "bench_draft.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

# A little under what bench/draft-results.md reports for each text (see there for the numbers).
FLOORS = {
    "article": {"recall": 0.97, "agreement": 0.95, "precision": 0.97},
    "work-report": {"recall": 0.97, "agreement": 0.97, "precision": 0.97},
    "bulletin": {"recall": 0.97, "agreement": 0.97, "precision": 0.97},
    "news-brief": {"recall": 0.88, "agreement": 0.88, "precision": 0.88},
}


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    return bench.all_scores(tmp_path_factory.mktemp("bench"))


def test_every_test_text_has_floors(scores) -> None:
    assert set(scores) == set(FLOORS)


@pytest.mark.parametrize("text", list(FLOORS))
def test_scores_stay_above_their_floors(scores, text: str) -> None:
    result, floors = scores[text], FLOORS[text]
    assert result.expected > 10
    assert result.recall >= floors["recall"], result.missed
    assert result.precision >= floors["precision"], result.unmatched
    for field in FIELDS:
        assert result.agreement_of(field) >= floors["agreement"], (field, result.disagreements)


def test_the_scores_catch_a_drafter_that_misses_figures(tmp_path: Path) -> None:
    text, drafts, expected = bench.drafted(tmp_path, "article")
    half = [d for i, d in enumerate(drafts) if d.table != "indicators" or i % 2]
    assert bench.score(text, half, expected).recall < FLOORS["article"]["recall"]


@pytest.mark.parametrize("name", bench.TEXT_NAMES)
def test_every_number_of_the_text_is_claimed_by_exactly_one_row(tmp_path: Path, name: str) -> None:
    text, drafts, _ = bench.drafted(tmp_path, name)
    claims = Counter(span for draft in drafts for span in draft.claims)
    numbers = [(n.start, n.end) for n in find_numbers(text)]
    assert [text[a:b] for a, b in numbers if claims[(a, b)] != 1] == []
    assert max(claims.values()) == 1


def test_the_same_input_gives_the_same_drafts(tmp_path: Path) -> None:
    _, first, _ = bench.drafted(tmp_path / "one", "bulletin")
    _, second, _ = bench.drafted(tmp_path / "two", "bulletin")
    assert [(d.table, d.values, d.reason()) for d in first] == [(d.table, d.values, d.reason()) for d in second]


# ------------------------------------------------------------------ the draft corpus
# tests/fixtures/draft-corpus: fictional texts shaped like real publications. Floors: the
# scores scripts/bench_draft.py measured when the corpus was made, minus 3 points, rounded down
# (the draft rules were being improved at the same time: raise the floors as they improve).
# Measured (bench/draft-results.md, "Draft corpus"): overall recall 96.6 %, precision 76.2 %; after the
# precision rules of tests/test_draft_precision.py: recall 100 %, precision 99.4 % (floors raised: one
# more miss allowed on the small texts).
CORPUS_FLOORS = {
    "agriculture": {"recall": 0.97, "precision": 0.93},
    "bulletin-aligned": {"recall": 0.76, "precision": 0.93},
    "bulletin-cells": {"recall": 0.97, "precision": 0.93},
    "bulletin-tab": {"recall": 0.91, "precision": 0.97},
    "energy": {"recall": 0.97, "precision": 0.93},
    "half-year": {"recall": 0.97, "precision": 0.93},
    "news-review": {"recall": 0.97, "precision": 0.93},
    "prices": {"recall": 0.97, "precision": 0.93},
    "quarterly": {"recall": 0.93, "precision": 0.93},
    "township": {"recall": 0.97, "precision": 0.87},  # two stocks with no word saying so (土地流转面积, 14个行政村)
    "work-report": {"recall": 0.97, "precision": 0.93},
}
CORPUS_OVERALL_FLOORS = {"recall": 0.93, "precision": 0.96,
                         "agreement": {"direction": 0.97, "share_of": 0.59, "compared_with": 0.97, "status": 0.96,
                                       "quote": 0.97}}


@pytest.fixture(scope="module")
def corpus_scores(tmp_path_factory) -> dict:
    return bench.corpus_scores(tmp_path_factory.mktemp("corpus"))


def test_the_corpus_has_ten_texts_or_more_each_with_floors() -> None:
    names = bench.corpus_names()
    assert len(names) >= 10
    assert set(names) == set(CORPUS_FLOORS)
    for name in names:
        for suffix in (".json", ".expected.csv", ".omissions.csv"):
            assert (bench.CORPUS / f"{name}{suffix}").exists(), (name, suffix)


@pytest.mark.parametrize("name", bench.corpus_names())
def test_every_number_of_a_corpus_text_is_expected_or_omitted(name: str) -> None:
    """The corpus is exact: each number (digits, or a Chinese numeral before a measure word or
    unit) lies in the quote of an expected row that states it, or in an omission's quote; each
    expected value is sign × stated × the factor of its unit; each direction word is in the quote."""
    import csv
    from decimal import Decimal

    from jiutai_data.model.figures import sign_of
    from jiutai_data.model.numbers import find_chinese_quantities, find_numbers, parse_number
    from jiutai_data.tools.draft.score import _occurrences

    text = (bench.CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    assert "虚构" in text.splitlines()[0] and "测试用" in text.splitlines()[0]
    rows = bench.read_rows(bench.CORPUS / f"{name}.expected.csv")
    omissions = bench.read_rows(bench.CORPUS / f"{name}.omissions.csv")
    with (REPO / "data" / "units.csv").open(encoding="utf-8", newline="") as stream:
        units = {row["unit_as_stated"]: row for row in csv.DictReader(stream)}
    found, problems = [], []
    for row in rows:
        spans = _occurrences(text, row["quote"])
        if not any(row["value_as_stated"] in text[a:b] for a, b in spans):
            problems.append(f"{row['id']}: {row['value_as_stated']} not in a verbatim quote")
        unit = units[row["unit_as_stated"]]
        expected = Decimal(str(parse_number(row["value_as_stated"]))) * Decimal(unit["factor"]) * sign_of(row["direction_as_stated"])
        if abs(float(row["value"]) - float(expected)) > 1e-6 * max(1.0, abs(float(expected))) or row["unit"] != unit["unit"]:
            problems.append(f"{row['id']}: value {row['value']} {row['unit']}, stated gives {expected} {unit['unit']}")
        if row["direction_as_stated"] and row["direction_as_stated"] not in row["quote"]:
            problems.append(f"{row['id']}: direction {row['direction_as_stated']} not in the quote")
        found.append((row, spans))
    omitted = [span for row in omissions for span in _occurrences(text, row["quote"])]
    assert all(_occurrences(text, row["quote"]) for row in omissions)
    for number in (*find_numbers(text), *find_chinese_quantities(text, units)):
        if not (any(a <= number.start and number.end <= b and row["value_as_stated"] == number.text
                    for row, spans in found for a, b in spans)
                or any(a <= number.start and number.end <= b for a, b in omitted)):
            problems.append(f"{number.text} at {text[max(0, number.start - 10):number.end + 4]!r}: neither expected nor omitted")
    assert problems == []


@pytest.mark.parametrize("name", bench.corpus_names())
def test_corpus_scores_stay_above_their_floors(corpus_scores, name: str) -> None:
    result, floors = corpus_scores[name], CORPUS_FLOORS[name]
    assert result.recall >= floors["recall"], result.missed
    assert result.precision >= floors["precision"], result.wrong


def test_corpus_scores_overall_stay_above_their_floors(corpus_scores) -> None:
    total = bench.overall(corpus_scores)
    assert total.expected >= 250
    assert total.recall >= CORPUS_OVERALL_FLOORS["recall"], total.recall
    assert total.precision >= CORPUS_OVERALL_FLOORS["precision"], total.precision
    for name, floor in CORPUS_OVERALL_FLOORS.get("agreement", {}).items():
        assert total.agreement_of(name) >= floor, (name, total.agreement_of(name))


def test_the_corpus_scores_catch_a_drafter_that_misses_figures(tmp_path: Path) -> None:
    text, drafts, rows, omissions = bench.corpus_drafted(tmp_path, ["bulletin-tab"])["bulletin-tab"]
    full = bench.score_corpus(text, drafts, rows, omissions)
    half = bench.score_corpus(text, [d for i, d in enumerate(drafts) if i % 2], rows, omissions)
    assert half.recall < full.recall
