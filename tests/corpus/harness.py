"""Apply a corpus case (a small contribution described in case.toml) to a copy of the package.

A case never names row numbers or whole lines of the committed data, which keeps
changing: it appends a new row copied from an existing one picked by what it
says (``copy_from``), with some cells set or edited, or it re-saves, re-encodes
or re-points a file. The row numbers of appended rows are computed here, so a
case can expect a finding on "the appended row".

case.toml:
    description = "…"                 # the mistake, in a contributor's words
    exit_status = 1                   # of `jiutai-data validate`
    build = false                     # run `jiutai-data build` before validating (clean cases)

    [[edits]]                         # applied in order; `action` is one of EDITS below
    action = "append_row"
    table = "indicators"
    copy_from = { quote_contains = "264.6", measure = "level" }   # first row matching all
    set = { id = "corpus-…" }         # cells to overwrite
    replace = { quote = ["亿元", "忆元"] }   # substring to replace in a cell (first occurrence)

    [[expect]]                        # each must match at least one finding
    severity = "error"
    table = "indicators"
    row = "appended"                  # the row appended to (or set_cells edited in) this table, an
                                      # int, a selector like copy_from's, or absent (any row)
    column = "quote"                  # absent: any column; "" : no column (table-level)
    check = "quote-verbatim"          # absent: any check
    message = ["not in the source"]   # fragments that must all appear (case-insensitive)
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from jiutai_data.model.findings import Finding

CORPUS = Path(__file__).parent
APPENDED = "appended"


@dataclass
class Case:
    name: str
    folder: Path
    description: str
    exit_status: int
    build: bool
    edits: list[dict[str, Any]]
    expect: list[dict[str, Any]]


@dataclass
class Applied:
    """What applying a case did: the row number of the first row appended to each table."""

    appended_rows: dict[str, int] = field(default_factory=dict)


def load_cases(folder: Path = CORPUS) -> list[Case]:
    cases = []
    for path in sorted(folder.glob("*/case.toml")):
        spec = tomllib.loads(path.read_text(encoding="utf-8"))
        cases.append(Case(path.parent.name, path.parent, spec["description"], spec["exit_status"],
                          spec.get("build", False), spec.get("edits", []), spec.get("expect", [])))
    return cases


def copy_package(committed: Path, destination: Path) -> Path:
    """The package's descriptor, schemas, data and top-level documents (which the build
    refreshes), without code, tests or virtual environments."""
    destination.mkdir(parents=True)
    for item in committed.iterdir():
        if item.is_file() and (item.name == "datapackage.json" or item.suffix in (".md", ".cff", ".txt")
                               or item.name.startswith("LICENSE")):
            shutil.copy2(item, destination / item.name)
    for folder in ("schemas", "data"):
        shutil.copytree(committed / folder, destination / folder, symlinks=True)
    return destination


def hash_files(root: Path) -> dict[str, str]:
    """Every file and link under ``root``: a file by the hash of its bytes, a link by its target
    (never followed, so a link to a pipe or to /etc/passwd is not read)."""
    hashes = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            hashes[relative] = f"link to {os.readlink(path)}"
        elif path.is_file():
            hashes[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


# --------------------------------------------------------------------------- edits


def _descriptor(root: Path) -> dict[str, Any]:
    return json.loads((root / "datapackage.json").read_text(encoding="utf-8"))


def _table_file(root: Path, table: str) -> Path:
    resource = next(r for r in _descriptor(root)["resources"] if r["name"] == table)
    return root / resource["path"]


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def _matches(row: dict[str, str], selector: dict[str, str]) -> bool:
    for key, wanted in selector.items():
        if key.endswith("_contains"):
            if wanted not in row.get(key.removesuffix("_contains"), ""):
                return False
        elif row.get(key) != wanted:
            return False
    return True


def _append_row(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    path = _table_file(root, edit["table"])
    header, rows = _rows(path)
    selector = edit.get("copy_from", {})
    source = next((row for row in rows if _matches(row, selector)), None)
    if source is None:
        raise LookupError(f"no row of {edit['table']} matches {selector}; the committed data changed")
    row = {**source, **edit.get("set", {})}
    for column, (old, new) in edit.get("replace", {}).items():
        if old not in row[column]:
            raise LookupError(f"{old!r} is not in {column} of the copied row; the committed data changed")
        row[column] = row[column].replace(old, new, 1)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([row.get(name, "") for name in header])
    data = path.read_bytes()
    path.write_bytes(data + (b"" if data.endswith(b"\n") else b"\n") + buffer.getvalue().encode("utf-8"))
    applied.appended_rows.setdefault(edit["table"], len(rows) + 2)


def _reencode(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    path = root / edit["file"]
    # as a spreadsheet saves it: a character the encoding lacks (GBK has no "−") becomes "?"
    path.write_bytes(path.read_text(encoding="utf-8").encode(edit["encoding"], errors="replace"))


def _bom_and_crlf(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    path = root / edit["file"]
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))


def _set_resource(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    descriptor = _descriptor(root)
    resource = next(r for r in descriptor["resources"] if r["name"] == edit["resource"])
    if edit.get("move_file"):
        # the contributor moved the file too, so that something really is there to be (not) read
        target = (root / edit["value"])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / resource["path"], target)
    resource[edit["property"]] = edit["value"]
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")


def _add_source(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    from jiutai_data.tools.add_source import add_source

    text_file = root.parent / f"{edit['id']}.txt"
    text_file.write_text(edit["text"], encoding="utf-8")
    result = add_source(root, text_file, source_id=edit["id"], title_zh=edit["title_zh"],
                        title_en=edit["title_en"], publisher_zh=edit["publisher_zh"],
                        publisher_en=edit["publisher_en"], published=edit["published"],
                        url=edit.get("url", ""), author=edit.get("author", ""))
    if not result.ok:
        raise ValueError(f"add-source refused the case's source: {result.describe()}")
    applied.appended_rows.setdefault("sources", result.row)


def _set_cells(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    """Change cells of the first existing row matching ``where`` (its row number is the case's
    "edited" row), rewriting the file in the package's CSV format."""
    path = _table_file(root, edit["table"])
    header, rows = _rows(path)
    number, row = next(((n, r) for n, r in enumerate(rows, start=2) if _matches(r, edit["where"])), (None, None))
    if row is None:
        raise LookupError(f"no row of {edit['table']} matches {edit['where']}; the committed data changed")
    row.update(edit.get("set", {}))
    for column, (old, new) in edit.get("replace", {}).items():
        if old not in row[column]:
            raise LookupError(f"{old!r} is not in {column} of the row; the committed data changed")
        row[column] = row[column].replace(old, new, 1)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[r.get(name, "") for name in header] for r in rows])
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    applied.appended_rows.setdefault(edit["table"], number)


def _set_descriptor(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    descriptor = _descriptor(root)
    descriptor[edit["property"]] = edit["value"]
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")


def _set_json(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    """Set (or with ``delete``, remove) one value inside a JSON file; a step of ``at`` that is a
    table picks the list item whose keys match it, e.g. { name = "id" } for a field."""
    path = root / edit["file"]
    document = json.loads(path.read_text(encoding="utf-8"))
    *steps, last = edit["at"]
    node = document
    for step in steps:
        node = next(item for item in node if _matches(item, step)) if isinstance(step, dict) else node[step]
    if edit.get("delete"):
        del node[last]
    else:
        node[last] = edit["value"]
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _nest_in_descriptor(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    """Give the descriptor a property of ``depth`` nested arrays (JSON text TOML cannot write)."""
    text = (root / "datapackage.json").read_text(encoding="utf-8").rstrip()
    nested = "[" * edit["depth"] + "]" * edit["depth"]
    (root / "datapackage.json").write_text(f'{text[:-1].rstrip()},\n  "{edit["property"]}": {nested}\n}}\n',
                                           encoding="utf-8")


def _replace_bytes(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    path = root / edit["file"]
    data = path.read_bytes()
    old, new = edit["old"].encode("utf-8"), edit["new"].encode("utf-8")
    count = edit.get("count", -1)
    if edit.get("skip", 0):  # leave the first `skip` occurrences as they are
        head, _, tail = data.partition(old)
        for _ in range(edit["skip"] - 1):
            more, _, tail = tail.partition(old)
            head += old + more
        data = head + old + tail.replace(old, new, count)
    else:
        data = data.replace(old, new, count)
    path.write_bytes(data)


def _write_file(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    path = root / edit["file"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(edit["text"], encoding="utf-8")


def _symlink(root: Path, edit: dict[str, Any], applied: Applied) -> None:
    """Make ``file`` a symbolic link. ``outside`` names a file written beside the package (a stand-in
    for /etc/passwd); ``inside`` a path in the package the file is first moved to."""
    link = root / edit["file"]
    if "outside" in edit:
        target = root.parent / edit["outside"]
        target.write_text(edit.get("text", "root:x:0:0:root:/root:/bin/sh\n"), encoding="utf-8")
    else:
        target = root / edit["inside"]
        target.parent.mkdir(parents=True, exist_ok=True)
        link.replace(target)
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(target)


EDITS: dict[str, Callable[[Path, dict[str, Any], Applied], None]] = {
    "set_cells": _set_cells,
    "set_descriptor": _set_descriptor,
    "set_json": _set_json,
    "nest_in_descriptor": _nest_in_descriptor,
    "replace_bytes": _replace_bytes,
    "write_file": _write_file,
    "symlink": _symlink,
    "append_row": _append_row,
    "reencode": _reencode,
    "bom_and_crlf": _bom_and_crlf,
    "set_resource": _set_resource,
    "add_source": _add_source,
}


def apply_case(case: Case, root: Path) -> Applied:
    applied = Applied()
    for edit in case.edits:
        EDITS[edit["action"]](root, edit, applied)
    return applied


# --------------------------------------------------------------------------- expectations


def expected_row(expected: dict[str, Any], applied: Applied, root: Path) -> int | None:
    """The row number an expectation names: the appended row, a number, or the first row
    of the edited table that matches a selector such as ``{ quote_contains = "264.6" }``."""
    row = expected["row"]
    if row == APPENDED:
        return applied.appended_rows.get(expected["table"])
    if isinstance(row, dict):
        _, rows = _rows(_table_file(root, expected["table"]))
        return next((number for number, candidate in enumerate(rows, start=2) if _matches(candidate, row)), None)
    return row


def finding_matches(finding: Finding, expected: dict[str, Any], applied: Applied, root: Path) -> bool:
    if finding.severity != expected.get("severity", "error"):
        return False
    if "table" in expected and finding.table != expected["table"]:
        return False
    if "row" in expected and finding.row != expected_row(expected, applied, root):
        return False
    if "column" in expected and finding.column != (expected["column"] or None):
        return False
    if "check" in expected and finding.check != expected["check"]:
        return False
    message = finding.message.lower()
    return all(fragment.lower() in message for fragment in expected.get("message", []))


def describe_expected(expected: dict[str, Any], applied: Applied, root: Path) -> str:
    row = f"{expected_row(expected, applied, root)} ({expected['row']})" if "row" in expected else "any"
    return (f"{expected.get('severity', 'error')} in {expected.get('table')} row {row} column "
            f"{expected.get('column')} check {expected.get('check')} message {expected.get('message', [])}")


def kind_of(case: Case) -> tuple:
    """What a case does to the files (its edit actions) and what validate answers. The verbs
    take a different path for each kind of edit (an appended row, a re-encoded file, a symlink,
    a changed descriptor, ...); cases of one kind differ only in the check that fires, and
    every verb handles those findings alike."""
    return tuple(sorted({edit["action"] for edit in case.edits})), case.exit_status


def representative(cases: list[Case]) -> list[Case]:
    """The first case (by name) of each kind: what `make test` runs every verb on; the sweep of
    every case (marker `sweep`) runs in `make bench`."""
    return [case for at, case in enumerate(cases) if kind_of(case) not in {kind_of(c) for c in cases[:at]}]
