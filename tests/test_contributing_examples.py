"""CONTRIBUTING.md stays true: its example CSV lines are lines of the committed data, its
commands are commands the tool accepts, and its rules name what the schemas declare."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from conftest import PACKAGE
from jiutai_data.cli import build_parser

pytestmark = pytest.mark.data
COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)
GUIDE = (COMMITTED / "CONTRIBUTING.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", GUIDE, flags=re.S)


def data_lines() -> set[str]:
    return {line for path in (COMMITTED / "data").glob("*.csv")
            for line in path.read_text(encoding="utf-8").splitlines()}


def test_every_example_csv_line_in_the_guide_is_a_line_of_the_committed_data() -> None:
    lines = data_lines()
    shown = [line for lang, body in BLOCKS if lang == "csv" for line in body.splitlines()]
    assert shown, "the guide shows no CSV example"
    assert [line for line in shown if line not in lines] == []


@pytest.mark.parametrize("command", [
    shlex.split(line)[1:] for lang, body in BLOCKS if lang == "sh"
    for line in body.replace("\\\n", " ").splitlines() if line.strip().startswith("jiutai-data ")
])
def test_every_command_in_the_guide_is_accepted_by_the_tool(command: list[str]) -> None:
    build_parser().parse_args(command)


def test_the_guide_names_every_value_of_measure_qualifier_and_status() -> None:
    schema = json.loads((COMMITTED / "schemas/indicators.json").read_text(encoding="utf-8"))
    enums = {f["name"]: f["constraints"]["enum"] for f in schema["fields"]
             if f["name"] in ("measure", "qualifier", "status")}
    missing = [value for values in enums.values() for value in values if f"`{value}`" not in GUIDE]
    assert missing == []


def test_the_guide_states_the_source_id_pattern_of_the_schema() -> None:
    schema = json.loads((COMMITTED / "schemas/sources.json").read_text(encoding="utf-8"))
    pattern = next(f for f in schema["fields"] if f["name"] == "id")["constraints"]["pattern"]
    assert f"`{pattern}`" in GUIDE
