"""scripts/synth.py writes complete, valid, reproducible packages of any size."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

import polars as pl
import pytest
from conftest import load_script

from jiutai_data.validate.run import validate_package

REPO = Path(__file__).resolve().parent.parent
QUOTED_TABLES = ("indicators", "projects", "plans", "omissions")




synth = load_script("synth")


def _read(root: Path, table: str) -> pl.DataFrame:
    return pl.read_csv(root / "data" / f"{table}.csv", infer_schema=False)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return synth.synthesise(2_000, tmp_path_factory.mktemp("synth") / "package", sources=3, seed=1).out


def test_synth_package_validates_clean_with_every_check(small: Path) -> None:
    report = validate_package(small)
    assert [f.to_dict() for f in report.findings] == []
    assert report.valid
    assert report.stats["rows"]["indicators"] == 2_000
    assert report.stats["sources"] == 3


def test_synth_package_passes_frictionless_validate(small: Path) -> None:
    from frictionless import Package

    report = Package(str(small / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:5]


def test_synth_writes_csv_resources_only_with_the_repository_schemas(small: Path) -> None:
    import json

    descriptor = json.loads((small / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["format"] for r in descriptor["resources"]} == {"csv"}
    for resource in descriptor["resources"]:
        assert (small / resource["schema"]).read_bytes() == (REPO / resource["schema"]).read_bytes()
        assert (small / resource["path"]).is_file()


def test_every_digit_number_of_a_synth_text_lies_inside_a_quote_found_once(small: Path) -> None:
    # an oracle independent of the validator: plain str.find over each text
    sources = _read(small, "sources")
    texts = {sid: (small / path).read_text(encoding="utf-8") for sid, path in sources.select("id", "path").iter_rows()}
    spans: dict[str, list[tuple[int, int]]] = {sid: [] for sid in texts}
    for table in QUOTED_TABLES:
        for source_id, quote in _read(small, table).select("source_id", "quote").unique().iter_rows():
            start = texts[source_id].find(quote)
            assert start >= 0, (table, quote)
            assert texts[source_id].find(quote, start + 1) < 0, f"{quote} occurs twice"
            spans[source_id].append((start, start + len(quote)))
    numbers = 0
    for source_id, text in texts.items():
        ordered = sorted(spans[source_id])
        starts = [s for s, _ in ordered]
        for match in re.finditer(r"[0-9]+(?:\.[0-9]+)?", text):
            numbers += 1
            at = bisect.bisect_right(starts, match.start()) - 1
            assert at >= 0 and ordered[at][1] >= match.end(), f"{match.group()} uncovered in {source_id}"
    assert numbers > 2_000


@pytest.mark.parametrize("rows, sources", [(1, 1), (7, 3), (999, 2), (2_001, 4)])
def test_synth_writes_exactly_the_rows_asked_for_over_the_sources_asked_for(tmp_path: Path, rows: int, sources: int) -> None:
    summary = synth.synthesise(rows, tmp_path / "package", sources=sources)
    indicators = _read(summary.out, "indicators")
    assert indicators.height == rows
    assert indicators["source_id"].n_unique() == sources
    assert _read(summary.out, "sources").height == sources


def test_synth_default_is_one_source_per_thousand_rows(tmp_path: Path) -> None:
    summary = synth.synthesise(2_500, tmp_path / "package")
    assert summary.sources == 3


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = _files(synth.synthesise(3_000, tmp_path / "a", seed=7).out)
    second = _files(synth.synthesise(3_000, tmp_path / "b", seed=7).out)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_another_seed_gives_other_figures(tmp_path: Path) -> None:
    first = _files(synth.synthesise(3_000, tmp_path / "a", seed=7).out)
    other = _files(synth.synthesise(3_000, tmp_path / "b", seed=8).out)
    assert first["data/indicators.csv"] != other["data/indicators.csv"]


def test_synth_refuses_more_sources_than_rows(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="--sources cannot exceed --rows"):
        synth.synthesise(3, tmp_path / "package", sources=4)


def test_synth_command_line_writes_the_package(tmp_path: Path, capsys) -> None:
    assert synth.main(["--rows", "50", "--out", str(tmp_path / "package"), "--seed", "3"]) == 0
    assert "indicators 50" in capsys.readouterr().out
    assert (tmp_path / "package" / "datapackage.json").is_file()
