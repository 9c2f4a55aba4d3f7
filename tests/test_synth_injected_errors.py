"""One error injected into a large synthetic package is found at its exact row and column."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from conftest import load_script

from jiutai_data.validate.run import validate_package

REPO = Path(__file__).resolve().parent.parent
ROWS = 20_000




@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    return load_script("synth").synthesise(ROWS, tmp_path_factory.mktemp("synth") / "package", seed=2).out


@pytest.fixture
def broken(large: Path, tmp_path: Path) -> Path:
    """A copy of the large package, to break."""
    return Path(shutil.copytree(large, tmp_path / "package"))


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _cells(line: str) -> list[str]:
    return next(csv.reader([line]))


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _edit_cell(path: Path, line_number: int, column: str, change) -> str:
    """Replace one cell of the CSV (line_number counts the header as 1); return the old value.

    The descriptor's bytes and hash are then refreshed, as a contributor's rebuild
    would, so that the changed cell is the only thing wrong."""
    lines = _lines(path)
    header = _cells(lines[0])
    cells = _cells(lines[line_number - 1])
    old = cells[header.index(column)]
    cells[header.index(column)] = change(old)
    lines[line_number - 1] = _line(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    load_script("synth").refresh_integrity(path.parent.parent)
    return old


def _errors(root: Path) -> list[tuple[str | None, int | None, str | None]]:
    return [(f.table, f.row, f.column) for f in validate_package(root).errors]


def test_the_large_synth_package_is_clean_before_any_change(large: Path) -> None:
    assert _errors(large) == []


def test_a_doubled_value_deep_in_the_file_is_found_at_its_row_and_column(broken: Path) -> None:
    path = broken / "data" / "indicators.csv"
    line = 12_345
    _edit_cell(path, line, "value", lambda old: str(float(old) * 2))
    assert _errors(broken) == [("indicators", line, "value")]


def test_a_quote_changed_by_one_character_is_found_at_its_row_and_column(broken: Path) -> None:
    path = broken / "data" / "indicators.csv"
    lines = _lines(path)
    header = _cells(lines[0])
    quote, measure = header.index("quote"), header.index("measure")
    # a level row whose sentence also gives the yoy change: the other row still quotes
    # the sentence, so every number in it stays covered and only this row is wrong
    line = next(number for number in range(17_001, len(lines) + 1)
                if _cells(lines[number - 1])[measure] == "level" and _cells(lines[number])[measure] == "yoy_change")
    _edit_cell(path, line, "quote", lambda old: old.replace("年", "年度", 1))
    assert _cells(_lines(path)[line - 1])[quote] != _cells(lines[line - 1])[quote]
    assert _errors(broken) == [("indicators", line, "quote")]
