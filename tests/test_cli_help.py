"""`jiutai-data --help` speaks to a user of the tool: what it is for, each command in a line,
where to start; not the module's docstring, which is written for a developer."""

from __future__ import annotations

import argparse

import pytest

from jiutai_data import cli
from jiutai_data.cli import build_parser, main


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def _commands() -> dict[str, str]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_the_help_says_what_the_tool_is_for_and_lists_every_command(capsys) -> None:
    text = _help(capsys)
    assert text.startswith("usage: jiutai-data")
    assert cli.DESCRIPTION.splitlines()[0] in text
    assert cli.__doc__.splitlines()[0] not in text  # the developer's docstring stays in the code
    flat = " ".join(text.split())
    for name, summary in _commands().items():
        assert name in text and " ".join(summary.split()) in flat, name
    assert "jiutai-data validate" in cli.EPILOG and " ".join(cli.EPILOG.split()) in flat


@pytest.mark.parametrize("command", list(_commands()))
def test_each_command_has_its_own_help_that_opens_with_a_sentence(capsys, command: str) -> None:
    text = _help(capsys, command)
    description = text.split("\n\n")[1]
    assert description[:1].isupper() and description.rstrip().endswith("."), description


def test_version_names_the_tool_and_its_version(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"jiutai-data {cli.package_version()}"
