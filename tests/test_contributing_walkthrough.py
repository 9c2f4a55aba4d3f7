"""A new contributor follows CONTRIBUTING.md, and only its commands and examples, to add a
small made-up source to a copy of the package: add-source, rows adapted from the guide's
worked example, build, validate clean, and a diff that shows exactly the new rows."""

from __future__ import annotations

import csv
import io
import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import PACKAGE
from jiutai_data.cli import build_parser, main

pytestmark = pytest.mark.data
COMMITTED = PACKAGE  # the package under test (conftest.PACKAGE)
GUIDE = COMMITTED / "CONTRIBUTING.md"

SOURCE_ID = "2024-01-20-fictional-walkthrough-report"
# Made up for this test and labelled so in its text and title; every number in it is
# covered by a row below.
TEXT = ("【虚构示例】本文为测试用的虚构文本,并非真实报道。\n"
        "2023年,九台区地区生产总值完成280.5亿元,同比增长6%。\n")
ANSWERS = {  # what the contributor types for each option of the guide's add-source command
    "--id": SOURCE_ID,
    "--title": "虚构示例:九台区年度报告(测试用)",
    "--title-en": "FICTIONAL EXAMPLE: Jiutai District annual report (test data)",
    "--publisher": "虚构出版者(测试用)",
    "--publisher-en": "Fictional publisher (test data)",
    "--published": "2024-01-20T09:00:00+08:00",
}


def guide_blocks(language: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    return [body for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, flags=re.S) if lang == language]


def guide_commands() -> list[list[str]]:
    """Every jiutai-data command of the guide's shell blocks, continuation lines joined."""
    commands = []
    for block in guide_blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("jiutai-data "):
                commands.append(shlex.split(line)[1:])
    return commands


def guide_example(header_of: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The guide's example rows for the table whose CSV file is ``header_of``."""
    header = header_of.read_text(encoding="utf-8").splitlines()[0]
    for block in guide_blocks("csv"):
        if block.splitlines()[0] == header:
            reader = csv.DictReader(io.StringIO(block))
            return list(reader.fieldnames), list(reader)
    raise AssertionError(f"CONTRIBUTING.md shows no example for {header_of.name}")


def append_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[row[name] for name in header] for row in rows])
    with path.open("a", encoding="utf-8", newline="") as stream:
        stream.write(buffer.getvalue())


def with_package(command: list[str], package: Path) -> list[str]:
    """The guide's command against the copy: the package folder is the verb's optional first argument."""
    return [command[0], str(package), *command[1:]]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    root = tmp_path / "package"
    root.mkdir()
    for item in COMMITTED.iterdir():
        if item.is_file() and (item.name == "datapackage.json" or item.suffix == ".md"):
            shutil.copy2(item, root)
    for folder in ("schemas", "data"):
        shutil.copytree(COMMITTED / folder, root / folder)
    return root


def test_a_new_contributor_adds_and_validates_a_source_following_only_the_guide(
        package: Path, tmp_path: Path, capsys) -> None:
    original = tmp_path / "original"
    shutil.copytree(package, original)
    commands = guide_commands()

    # step 2.3: the guide's add-source command, with this source's file and answers
    add = next(c for c in commands if c[0] == "add-source")
    build_parser().parse_args(add)  # the guide's command is one the tool accepts
    text_file = tmp_path / "my-source.txt"
    text_file.write_text(TEXT, encoding="utf-8")
    options = [a for a in add if a.startswith("--")]
    assert set(options) == set(ANSWERS), "the guide's add-source example changed; update ANSWERS"
    argv = ["add-source", str(package), str(text_file)]
    for option in options:
        argv += [option, ANSWERS[option]]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "3 are not covered yet" in printed  # 2023, 280.5 and 6

    # step 3: the guide's indicator rows (level and yoy) and omission, adapted to this text
    indicators = package / "data/indicators.csv"
    header, (level, change) = guide_example(indicators)
    common = {"source_id": SOURCE_ID, "period_start": "2023-01-01", "period_end": "2023-12-31",
              "status": "actual", "note": "FICTIONAL walkthrough row."}
    append_rows(indicators, header, [
        {**level, **common, "id": f"{SOURCE_ID}--jiutai-2023-gross-regional-product", "value": "28050000000.0",
         "value_as_stated": "280.5", "quote": "九台区地区生产总值完成280.5亿元"},
        {**change, **common, "id": f"{SOURCE_ID}--jiutai-2023-gross-regional-product-yoy", "value": "6.0",
         "value_as_stated": "6", "quote": "地区生产总值完成280.5亿元,同比增长6%"},
    ])
    omissions = package / "data/omissions.csv"
    header, (omission,) = guide_example(omissions)
    append_rows(omissions, header, [{**omission, "id": f"{SOURCE_ID}--report-year", "source_id": SOURCE_ID,
                                     "quote": "2023年,九台区", "reason": "The year the report is about."}])

    # step 5: the guide's check commands
    for verb in ("build", "validate"):
        command = next(c for c in commands if c[0] == verb)
        assert main(with_package(command, package)) == 0, capsys.readouterr()
    assert capsys.readouterr().out.splitlines()[-1].startswith("valid")

    # step 6: the diff shows the new source and exactly the rows added
    assert any(c[0] == "diff" for c in commands)
    assert main(["diff", str(original), str(package), "--format", "json"]) == 0
    import json

    tables = json.loads(capsys.readouterr().out)["tables"]
    added = {name: [row["key"]["id"] for row in table["added"]] for name, table in tables.items()}
    assert added == {"sources": [SOURCE_ID],
                     "indicators": [f"{SOURCE_ID}--jiutai-2023-gross-regional-product",
                                    f"{SOURCE_ID}--jiutai-2023-gross-regional-product-yoy"],
                     "omissions": [f"{SOURCE_ID}--report-year"]}
    assert all(not table["changed"] and not table["removed"] for table in tables.values())
