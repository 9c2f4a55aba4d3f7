"""Every verb, on every case of the corpus: a message and an exit status, never a traceback.

Each case is applied to a copy of the package (tests/corpus/harness.py), then every verb runs
on it in turn, as a contributor would: validate, build, export, site, summary, publish, diff
against the clean copy, add-source, and draft then accept of the clean copy's first source. An error that reaches the CLI's catch-all is a bug (an error the
library did not type), so "internal error" fails the test as a traceback would.

`make test` runs every verb on one case of each kind of edit (see REPRESENTATIVE); the sweep of
every case (marker `sweep`) runs in `make bench`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from corpus.harness import apply_case, copy_package, load_cases, representative

from jiutai_data.cli import main

CASES = load_cases()


REPRESENTATIVE = representative(CASES)
NEW_SOURCE = "虚构示例(测试用):全区新增项目7个。\n"


def _first_source(clean: Path) -> str:
    import csv

    with (clean / "data" / "sources.csv").open(encoding="utf-8", newline="") as file:
        return next(csv.DictReader(file))["id"]


def _verbs(root: Path, clean: Path, dist: Path, text: Path) -> list[list[str]]:
    source = _first_source(clean)
    drafts = dist.with_name("drafts")
    return [
        ["validate", str(root)],
        ["build", str(root)],
        ["export", str(root), "--dist", str(dist)],
        ["site", str(root), "--dist", str(dist)],
        ["summary", str(root)],
        ["publish", str(root), "--dist", str(dist.with_name("published"))],
        ["diff", str(clean), str(root)],
        ["add-source", str(root), str(text), "--id", "2023-01-05-fictional-test-source",
         "--title", "虚构示例(测试用)", "--title-en", "FICTIONAL EXAMPLE (test data)",
         "--publisher", "虚构出版者", "--publisher-en", "Fictional publisher",
         "--published", "2023-01-05T09:00:00+08:00"],
        ["draft", source, str(root), "--out", str(drafts)],
        ["accept", str(drafts / source), str(root)],
    ]


@pytest.mark.parametrize("case", [pytest.param(case, marks=() if case in REPRESENTATIVE else pytest.mark.sweep)
                                  for case in CASES], ids=[case.name for case in CASES])
def test_every_verb_on_a_corpus_case_ends_with_a_message_and_a_status(case, tmp_path: Path, capsys) -> None:
    clean = copy_package(REPO, tmp_path / "clean")
    root = copy_package(REPO, tmp_path / "package")
    apply_case(case, root)
    text = tmp_path / "new-source.txt"
    text.write_text(NEW_SOURCE, encoding="utf-8")
    for argv in _verbs(root, clean, tmp_path / "dist", text):
        status = main(argv)
        captured = capsys.readouterr()
        said = captured.out + captured.err
        assert status in (0, 1, 2), (argv[0], status)
        assert "Traceback" not in said and "internal error" not in said, (argv[0], captured.err[-2000:])
        if argv[0] != "diff":
            assert f"{argv[0]}: package {root}" in captured.err  # says which package it read


def test_a_package_outside_any_folder_is_a_message_with_status_2(tmp_path: Path, capsys) -> None:
    for verb in ("validate", "build", "export", "site", "summary", "publish"):
        assert main([verb, str(tmp_path / "nowhere")]) == 2, verb
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "internal error" not in captured.err, (verb, captured.err)
    # the verbs whose first argument is not the package: accept a drafts folder, serve an export
    for argv in (["accept", str(tmp_path / "nowhere" / "drafts"), str(tmp_path / "nowhere")],
                 ["serve", "--dist", str(tmp_path / "nowhere")]):
        assert main(argv) == 2, argv[0]
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err and "internal error" not in captured.err, (argv[0], captured.err)
