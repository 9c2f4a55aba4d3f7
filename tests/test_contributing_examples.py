"""CONTRIBUTING.md stays true: its example CSV lines are lines of the package's data, its commands
run as written, one after the other, in a copy of the package under git (add-source, draft, accept,
build, validate, diff), and its rules name what the schemas declare."""

from __future__ import annotations

import csv
import json
import re
import shlex
from pathlib import Path

import pytest

from conftest import PACKAGE
from second_source import append_rows
from jiutai_data.cli import main

COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)
GUIDE = (COMMITTED / "CONTRIBUTING.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", GUIDE, flags=re.S)

# The text the contributor of the guide saves: made up for this test and labelled so, about a place
# made up too (added to regions as the guide says for a place that is not there), so that its figures
# can never be those of a real source. It is of the year before the guide's publication date.
TEXT = ("【虚构示例】本文为测试用的虚构文本，并非真实报道。\n\n"
        "去年，虚构北区地区生产总值完成85.3亿元，同比增长4.1%。\n")
PLACE = {"id": "fictional-north-district", "code": "", "name_zh": "虚构北区", "name_en": "Fictional North District (test data)",
         "level": "county", "parent_id": "changchun",
         "note": "FICTIONAL: a district made up for tests/test_contributing_examples.py, with no division code."}


def data_lines() -> set[str]:
    return {line for path in (COMMITTED / "data").glob("*.csv")
            for line in path.read_text(encoding="utf-8").splitlines()}


def guide_commands() -> list[list[str]]:
    """Every jiutai-data command of the guide's shell blocks, in order, continuation lines joined, each once."""
    commands: list[list[str]] = []
    for lang, body in BLOCKS:
        if lang == "sh":
            for line in body.replace("\\\n", " ").splitlines():
                if line.strip().startswith("jiutai-data ") and shlex.split(line)[1:] not in commands:
                    commands.append(shlex.split(line)[1:])
    return commands


@pytest.mark.data  # reads the package under test (conftest.PACKAGE)
def test_every_example_csv_line_in_the_guide_is_a_line_of_the_committed_data() -> None:
    lines = data_lines()
    shown = [line for lang, body in BLOCKS if lang == "csv" for line in body.splitlines()]
    assert shown, "the guide shows no CSV example"
    assert [line for line in shown if line not in lines] == []


def review(folder: Path) -> None:
    """What the guide asks of the reviewer and no more: every empty English name and new definition filled."""
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as stream:
            reader = csv.DictReader(stream)
            header, rows = reader.fieldnames, list(reader)
        for row in rows:
            if "name_en" in row and not row["name_en"]:
                row["name_en"] = f"Reviewed name of {row.get('id') or row.get('code')}"
            if "definition" in row and not row["definition"]:
                row["definition"] = f"Reviewed definition of {row['code']}"
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)


def test_the_guides_commands_run_as_written_in_a_copy_of_the_package(repository: Path, monkeypatch, capsys) -> None:
    """Each command exactly as the guide writes it, in the folder of a copy committed to git (the
    guide's commands name no package: they read the one they stand in). Not marked `data`: what it
    tests is the guide and the tool, which a package grown by more sources does not change, so the
    re-run of the data tests on such a package (test_second_source.py) leaves it out."""
    monkeypatch.chdir(repository)
    commands = guide_commands()
    verbs = [command[0] for command in commands]
    assert verbs[:3] == ["add-source", "draft", "accept"] and {"build", "validate", "diff"} <= set(verbs), verbs
    for command in commands:
        if command[0] == "add-source":
            (repository / command[1]).write_text(TEXT, encoding="utf-8")  # the file the guide saved
        if command[0] == "draft":
            append_rows(repository, "regions", [PLACE])  # a place that is not there yet, as the guide says
        if command[0] == "accept":
            review(repository / command[1])
        assert main(command) == 0, (command, capsys.readouterr())
        out = capsys.readouterr().out
        if command[0] == "validate":
            assert out.splitlines()[-1].startswith("valid"), out
        if command[0] == "diff":
            assert "2023-01-06-jiutai-government-work-report" in out and "fictional-north-district" in out, out
    add_source = next(command for command in commands if command[0] == "add-source")
    source_id = add_source[add_source.index("--id") + 1]
    with (repository / "data" / "indicators.csv").open(encoding="utf-8", newline="") as stream:
        added = [row for row in csv.DictReader(stream) if row["source_id"] == source_id]
    assert {(row["region_id"], row["measure"]) for row in added} == {(PLACE["id"], "level"), (PLACE["id"], "yoy_change")}


@pytest.mark.data  # reads the package under test (conftest.PACKAGE)
def test_the_guide_names_every_value_of_measure_qualifier_and_status() -> None:
    schema = json.loads((COMMITTED / "schemas/indicators.json").read_text(encoding="utf-8"))
    enums = {f["name"]: f["constraints"]["enum"] for f in schema["fields"]
             if f["name"] in ("measure", "qualifier", "status")}
    missing = [value for values in enums.values() for value in values if f"`{value}`" not in GUIDE]
    assert missing == []


@pytest.mark.data  # reads the package under test (conftest.PACKAGE)
def test_the_guide_states_the_source_id_pattern_of_the_schema() -> None:
    schema = json.loads((COMMITTED / "schemas/sources.json").read_text(encoding="utf-8"))
    pattern = next(f for f in schema["fields"] if f["name"] == "id")["constraints"]["pattern"]
    assert f"`{pattern}`" in GUIDE
