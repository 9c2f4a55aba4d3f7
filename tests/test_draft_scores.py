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
