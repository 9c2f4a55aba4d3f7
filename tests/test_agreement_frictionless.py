"""Agreement with the standard (issue 3, item 5): on a corpus of broken packages, every
package that `frictionless validate` rejects, `jiutai-data validate` rejects too.

Each case breaks a tmp copy of the committed package in one way that Frictionless
detects (a type, a constraint, a key, the header, the rows, the bytes, the files, the
schemas, the descriptor); then both validators read that same copy. The copy keeps only
the CSV resources (the Parquet twins are our own check, and the twins of a broken CSV
are not rebuilt) and drops the descriptor's `bytes` and `hash`, which describe the
committed files: any edit would break them, and Frictionless would then reject every
case for that reason alone. One case keeps them, to compare the integrity check itself.

A case names the Frictionless error types its mutation must produce, so that a case
which stops breaking anything (because the committed data changed) fails instead of
passing for nothing. Ours must then reject the package through one of its checks (an
`internal` finding means a check crashed, which is not a verdict), name the broken
table, and point at every row where Frictionless points for that mutation.

The converse does not hold, on purpose: OURS_ONLY are mistakes only our checks see.

Neither validator may open a network connection: connecting a socket raises while
these tests run, and no case uses a remote path.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import frictionless
import pytest

from conftest import copy_package
from jiutai_data.model.findings import Report
from jiutai_data.validate.run import validate_package

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

DESCRIPTOR = "datapackage.json"
Mutation = Callable[[Path], None]


# --------------------------------------------------------------------------- no network


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise NetworkUsed(f"a validator tried to open a network connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --------------------------------------------------------------------------- the package


def _descriptor(root: Path) -> dict[str, Any]:
    return json.loads((root / DESCRIPTOR).read_text(encoding="utf-8"))


def _write_descriptor(root: Path, descriptor: dict[str, Any]) -> None:
    (root / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def csv_only_copy(destination: Path, keep_integrity: frozenset[str] = frozenset()) -> Path:
    """A copy of the committed package with its CSV resources only; `bytes` and `hash`
    stay only on the resources named in ``keep_integrity``."""
    root = copy_package(destination)
    descriptor = _descriptor(root)
    descriptor["resources"] = [
        {key: value for key, value in resource.items()
         if key not in ("bytes", "hash") or resource["name"] in keep_integrity}
        for resource in descriptor["resources"] if resource.get("format") == "csv"
    ]
    _write_descriptor(root, descriptor)
    for parquet in (root / "data").glob("*.parquet"):
        parquet.unlink()  # no resource names them any more
    return root


def _table_file(root: Path, table: str) -> Path:
    return root / "data" / f"{table}.csv"


def _records(root: Path, table: str) -> list[list[str]]:
    with _table_file(root, table).open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def _write_records(root: Path, table: str, records: list[list[str]]) -> None:
    # The committed files are what csv.writer writes (minimal quoting, LF), so only
    # the edited cells change.
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    _table_file(root, table).write_bytes(buffer.getvalue().encode("utf-8"))


def _rows_where(records: list[list[str]], column: str, where: Callable[[str], bool]) -> list[int]:
    """Indexes in ``records`` (header = 0) of the data rows whose ``column`` satisfies ``where``."""
    position = records[0].index(column)
    return [index for index, record in enumerate(records[1:], start=1) if where(record[position])]


def _any(cell: str) -> bool:
    return True


def _filled(cell: str) -> bool:
    return cell != ""


# --------------------------------------------------------------------------- mutations


def set_cell(table: str, column: str, value: str | Callable[[str], str],
             where: Callable[[str], bool] = _any) -> Mutation:
    """Set (or rewrite, when ``value`` is a function) ``column`` of the first row where ``where`` holds."""
    def mutate(root: Path) -> None:
        records = _records(root, table)
        chosen = _rows_where(records, column, where)
        if not chosen:
            raise LookupError(f"no row of {table} has a suitable {column}; the committed data changed")
        position = records[0].index(column)
        old = records[chosen[0]][position]
        records[chosen[0]][position] = value(old) if callable(value) else value
        _write_records(root, table, records)
    return mutate


def duplicate_cell(table: str, column: str, where: Callable[[str], bool] = _any) -> Mutation:
    """Give the second suitable row the ``column`` value of the first one."""
    def mutate(root: Path) -> None:
        records = _records(root, table)
        chosen = _rows_where(records, column, where)[:2]
        if len(chosen) < 2:
            raise LookupError(f"fewer than two rows of {table} have a suitable {column}; the committed data changed")
        position = records[0].index(column)
        records[chosen[1]][position] = records[chosen[0]][position]
        _write_records(root, table, records)
    return mutate


def edit_records(table: str, edit: Callable[[list[list[str]]], None]) -> Mutation:
    def mutate(root: Path) -> None:
        records = _records(root, table)
        edit(records)
        _write_records(root, table, records)
    return mutate


def edit_bytes(table: str, edit: Callable[[bytes], bytes]) -> Mutation:
    def mutate(root: Path) -> None:
        path = _table_file(root, table)
        before = path.read_bytes()
        after = edit(before)
        assert after != before, f"the edit left {path.name} as it was; the committed data changed"
        path.write_bytes(after)
    return mutate


def edit_schema(table: str, edit: Callable[[dict[str, Any]], None]) -> Mutation:
    def mutate(root: Path) -> None:
        path = root / "schemas" / f"{table}.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        edit(schema)
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return mutate


def edit_field(table: str, name: str, edit: Callable[[dict[str, Any]], None]) -> Mutation:
    def edit_schema_field(schema: dict[str, Any]) -> None:
        edit(next(f for f in schema["fields"] if f["name"] == name))
    return edit_schema(table, edit_schema_field)


def edit_resource(table: str, edit: Callable[[dict[str, Any], Path], None]) -> Mutation:
    def mutate(root: Path) -> None:
        descriptor = _descriptor(root)
        edit(next(r for r in descriptor["resources"] if r["name"] == table), root)
        _write_descriptor(root, descriptor)
    return mutate


def write_file(relative: str, text: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / relative).write_text(text, encoding="utf-8")
    return mutate


def delete_file(relative: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / relative).unlink()
    return mutate


def _swap_columns(first: str, second: str) -> Callable[[list[list[str]]], None]:
    def edit(records: list[list[str]]) -> None:
        i, j = records[0].index(first), records[0].index(second)
        for record in records:
            record[i], record[j] = record[j], record[i]
    return edit


def _rename_header(old: str, new: str) -> Callable[[list[list[str]]], None]:
    def edit(records: list[list[str]]) -> None:
        records[0][records[0].index(old)] = new
    return edit


def _add_column(name: str, value: str) -> Callable[[list[list[str]]], None]:
    def edit(records: list[list[str]]) -> None:
        records[0].append(name)
        for record in records[1:]:
            record.append(value)
    return edit


def _drop_column(name: str) -> Callable[[list[list[str]]], None]:
    def edit(records: list[list[str]]) -> None:
        position = records[0].index(name)
        for record in records:
            del record[position]
    return edit


def _drop_row_where(column: str, value: str) -> Callable[[list[list[str]]], None]:
    def edit(records: list[list[str]]) -> None:
        del records[_rows_where(records, column, lambda cell: cell == value)[0]]
    return edit


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _insert_blank_line_after(line: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        lines = _lines(data)
        return b"\n".join(lines[:line] + [b""] + lines[line:])
    return edit


def _append_cell_to_line(line: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        lines = _lines(data)
        lines[line - 1] += b",extra"
        return b"\n".join(lines)
    return edit


def _drop_last_cell_of_line(line: int) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        lines = _lines(data)
        assert b'"' not in lines[line - 1], "the line must have no quoted cell, so that every comma separates"
        lines[line - 1] = lines[line - 1].rsplit(b",", 1)[0]
        return b"\n".join(lines)
    return edit


def _truncate_after_three_cells_of_the_last_row(data: bytes) -> bytes:
    """An interrupted download that stops inside the last row, before any quoted cell."""
    start = data.rstrip(b"\n").rindex(b"\n") + 1
    cut = start
    for _ in range(3):
        cut = data.index(b",", cut) + 1
    assert b'"' not in data[start:cut]
    return data[:cut - 1]


def _truncate_inside_the_last_quoted_cell(data: bytes) -> bytes:
    # The file ends a few bytes into the quoted last cell of the last row that has one (the
    # rows after it are cut off too): a reader that forgives the open quote sees a whole row.
    lines = data.split(b"\n")
    last = max(i for i, line in enumerate(lines) if line.endswith(b'"') and i > 0)
    cut = sum(len(line) + 1 for line in lines[:last]) + lines[last].rindex(b',"') + 5
    return data[:cut]


def _move_out_of_the_package(resource: dict[str, Any], root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    shutil.copy2(root / resource["path"], outside / "topics.csv")
    resource["path"] = "../outside/topics.csv"


def _reword_a_note(data: bytes) -> bytes:
    # Only the bytes change: a note is free text, so every row stays valid.
    return data.replace(b"100 million yuan", b"hundred million yuan", 1)


def _resource_twice(root: Path) -> None:
    descriptor = _descriptor(root)
    descriptor["resources"].append(dict(next(r for r in descriptor["resources"] if r["name"] == "topics")))
    _write_descriptor(root, descriptor)


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Mutation
    frictionless: frozenset[str]   # error types Frictionless must report for this mutation
    table: str | None              # the table ours must name (None: any finding will do)
    same_rows: bool = True         # ours points at each row Frictionless points at (in `table`)
    keep_integrity: frozenset[str] = frozenset()
    gap: str | None = None         # what ours misses: the case is an expected failure


def case(id: str, table: str | None, mutate: Mutation, *types: str, same_rows: bool = True,
         keep_integrity: tuple[str, ...] = (), gap: str | None = None) -> Case:
    return Case(id, mutate, frozenset(types), table, same_rows, frozenset(keep_integrity), gap)


# A crash of frictionless.validate (it raises on some broken schemas) counts as a
# rejection: `frictionless validate` then prints the error and exits with status 1.
RAISED = "exception"

def _as_a_spreadsheet_saves_it_in_gbk(data: bytes) -> bytes:
    # a character GBK lacks (such as "−") becomes "?", as Excel on Chinese Windows writes it
    return data.decode("utf-8").encode("gbk", errors="replace")


BROKEN = [
    # cell types
    case("text-in-a-number-column", "indicators", set_cell("indicators", "value", "about 100"), "type-error"),
    case("thousands-separator-in-a-number", "indicators", set_cell("indicators", "value", "1,000"), "type-error"),
    case("text-in-a-date-column", "indicators",
         set_cell("indicators", "period_start", "early 2022", where=_filled), "type-error"),
    case("date-with-slashes", "indicators",
         set_cell("indicators", "period_end", "2022/12/31", where=_filled), "type-error"),
    case("date-without-dashes", "indicators",
         set_cell("indicators", "period_end", "20221231", where=_filled), "type-error"),
    case("day-that-does-not-exist", "indicators",
         set_cell("indicators", "period_end", "2022-02-30", where=_filled), "type-error"),
    case("text-in-a-datetime-column", "sources", set_cell("sources", "published", "12 December 2022"), "type-error"),
    case("text-in-a-uri-column", "sources", set_cell("sources", "url", "not a web address"), "type-error"),
    # field constraints
    case("required-cell-left-empty", "indicators", set_cell("indicators", "unit", ""), "constraint-error"),
    case("required-checksum-left-empty", "sources", set_cell("sources", "sha256", ""), "constraint-error"),
    case("duplicate-primary-key", "indicators", duplicate_cell("indicators", "id"), "primary-key", "unique-error"),
    case("duplicate-natural-primary-key", "units", duplicate_cell("units", "unit_as_stated"),
         "primary-key", "unique-error"),
    case("duplicate-in-a-unique-column", "regions", duplicate_cell("regions", "code", where=_filled), "unique-error"),
    case("value-outside-the-enum", "indicators", set_cell("indicators", "measure", "Level"), "constraint-error"),
    case("unit-outside-the-enum", "units", set_cell("units", "unit", "yuan"), "constraint-error"),
    case("id-against-its-pattern", "topics", set_cell("topics", "id", "Economy"), "constraint-error"),
    case("checksum-against-its-pattern", "sources", set_cell("sources", "sha256", "d1330488"), "constraint-error"),
    case("negative-below-the-minimum", "plans", set_cell("plans", "target_value", "-5", where=_filled),
         "constraint-error"),
    case("zero-at-the-exclusive-minimum", "units", set_cell("units", "factor", "0"), "constraint-error"),
    case("text-shorter-than-a-raised-min-length", "topics",
         edit_field("topics", "name_en", lambda f: f["constraints"].update(minLength=40)), "constraint-error"),
    case("dates-against-a-declared-date-format", "indicators",
         edit_field("indicators", "period_start", lambda f: f.update(format="%d.%m.%Y")), "type-error"),
    # keys
    case("foreign-key-to-nowhere-in-the-same-table", "regions",
         set_cell("regions", "parent_id", "atlantis", where=_filled), "foreign-key"),
    case("foreign-key-to-nowhere-across-tables", "indicators",
         set_cell("indicators", "indicator", "astrology"), "foreign-key"),
    case("unit-missing-from-units", "indicators", set_cell("indicators", "unit_as_stated", "亿英镑"), "foreign-key"),
    case("referenced-row-deleted", "catalogue", edit_records("topics", _drop_row_where("id", "economy")),
         "foreign-key"),
    case("foreign-key-to-an-undeclared-table", "regions",
         edit_schema("regions", lambda s: s["foreignKeys"][0]["reference"].update(resource="places")),
         "resource-error"),
    # Frictionless reads a key to a column that does not exist as data and blames each
    # row; ours blames the schema once, so the rows cannot agree.
    case("foreign-key-to-a-column-that-does-not-exist", "regions",
         edit_schema("regions", lambda s: s["foreignKeys"][0]["reference"].update(fields="key")),
         "foreign-key", same_rows=False),
    case("foreign-key-from-a-column-that-does-not-exist", "regions",
         edit_schema("regions", lambda s: s["foreignKeys"][0].update(fields="parent")), "schema-error"),
    # header
    case("extra-column", "topics", edit_records("topics", _add_column("comment", "x")), "extra-label"),
    case("missing-column", "units", edit_records("units", _drop_column("note")), "missing-label"),
    case("misordered-header", "topics", edit_records("topics", _swap_columns("name_zh", "name_en")),
         "incorrect-label"),
    case("misspelt-header", "topics", edit_records("topics", _rename_header("name_en", "name_english")),
         "incorrect-label"),
    case("duplicate-header", "topics", edit_records("topics", _rename_header("name_en", "name_zh")),
         "duplicate-label"),
    # rows
    case("blank-row", "units", edit_bytes("units", _insert_blank_line_after(3)), "blank-row"),
    case("extra-cell", "units", edit_bytes("units", _append_cell_to_line(3)), "extra-cell"),
    case("missing-cell", "units", edit_bytes("units", _drop_last_cell_of_line(4)), "missing-cell"),
    case("truncated-file", "indicators", edit_bytes("indicators", _truncate_after_three_cells_of_the_last_row),
         "missing-cell"),
    # files
    case("empty-file", "topics", edit_bytes("topics", lambda data: b""), "source-error"),
    case("gbk-encoded-file", "regions", edit_bytes("regions", _as_a_spreadsheet_saves_it_in_gbk),
         "encoding-error"),
    case("latin-1-encoded-cell", "topics",
         edit_bytes("topics", lambda data: data.replace(b"Economy", "Économie".encode("latin-1"), 1)),
         "encoding-error"),
    case("missing-file", "units", delete_file("data/units.csv"), "scheme-error"),
    case("changed-file-with-a-stale-hash", "units", edit_bytes("units", _reword_a_note), "hash-count", "byte-count",
         keep_integrity=("units",)),
    case("path-out-of-the-package", "topics", edit_resource("topics", _move_out_of_the_package), "resource-error"),
    case("resource-without-a-path", "topics", edit_resource("topics", lambda r, root: r.pop("path")),
         "resource-error"),
    # schemas and descriptor
    case("bad-json-in-a-schema-file", "units", write_file("schemas/units.json", '{"fields": ['), "schema-error"),
    case("missing-schema-file", "topics", delete_file("schemas/topics.json"), "schema-error"),
    case("schema-without-fields", "topics", write_file("schemas/topics.json", '{"primaryKey": ["id"]}'),
         "schema-error"),
    case("schema-field-without-a-name", "topics", edit_field("topics", "description", lambda f: f.pop("name")),
         "field-error"),
    case("enum-that-is-not-a-list", "units", edit_field("units", "unit", lambda f: f["constraints"].update(enum="CNY")),
         "field-error"),
    case("bound-that-is-not-a-number", "units",
         edit_field("units", "factor", lambda f: f["constraints"].update(exclusiveMinimum="zero")), RAISED),
    case("bad-json-in-the-descriptor", None, write_file(DESCRIPTOR, '{"resources": ['), "package-error"),
    case("resource-name-used-twice", "topics", _resource_twice, "package-error"),
    # schemas and resource options outside what the package supports (model/support.py)
    case("unknown-field-type-in-a-schema", "topics", edit_field("topics", "name_en", lambda f: f.update(type="text")),
         "field-error"),
    case("primary-key-naming-a-column-that-does-not-exist", "topics",
         edit_schema("topics", lambda s: s.update(primaryKey=["identifier"])), "schema-error"),
    case("same-field-twice-in-a-schema", "topics",
         edit_schema("topics", lambda s: s["fields"].append(dict(s["fields"][-1]))), "schema-error"),
    case("pattern-that-is-not-a-regular-expression", "topics",
         edit_field("topics", "id", lambda f: f["constraints"].update(pattern="[a-z")), RAISED),
    case("semicolon-declared-as-the-delimiter", "topics",
         edit_resource("topics", lambda r, root: r["dialect"].update(delimiter=";")),
         "missing-label", "incorrect-label"),
    case("gbk-declared-as-the-encoding", "topics", edit_resource("topics", lambda r, root: r.update(encoding="gbk")),
         "encoding-error"),
]


def _quote_typo(quote: str) -> str:
    return quote.replace("亿元", "忆元", 1)


def _value_times_ten(value: str) -> str:
    return str(float(value) * 10)


OURS_ONLY = [
    # (id, mutation, a check of ours that must report it)
    ("quote-with-a-typo", set_cell("indicators", "quote", _quote_typo, where=lambda quote: "亿元" in quote),
     "quote-verbatim"),
    ("value-that-does-not-convert", set_cell("indicators", "value", _value_times_ten,
                                             where=lambda v: v not in ("", "0", "0.0")), "value-conversion"),
    ("truncated-inside-a-quoted-cell", edit_bytes("indicators", _truncate_inside_the_last_quoted_cell),
     "unterminated-quote"),
    ("byte-order-mark", edit_bytes("topics", lambda data: b"\xef\xbb\xbf" + data), "bom"),
    ("windows-line-endings", edit_bytes("topics", lambda data: data.replace(b"\n", b"\r\n")), "line-endings"),
    ("nan-in-a-number-column", set_cell("indicators", "value", "NaN"), "type"),
    ("full-width-digits", set_cell("indicators", "value", "１００"), "type"),
    ("formula-in-a-cell", set_cell("topics", "name_en", '=HYPERLINK("https://example.org")'), "formula"),
    ("control-character-in-a-cell", set_cell("topics", "name_en", "Eco\x07nomy"), "control-character"),
]


# --------------------------------------------------------------------------- running both


class NoVerdict(AssertionError):
    """Frictionless rejects a package that none of our checks rejects."""


@dataclass(frozen=True)
class StandardError:
    table: str | None
    type: str
    row: int | None
    note: str


def run_frictionless(root: Path) -> tuple[bool, list[StandardError]]:
    """Frictionless's verdict on the package at ``root`` and its errors."""
    try:
        report = frictionless.validate(str(root / DESCRIPTOR))
    except Exception as error:  # see RAISED
        return False, [StandardError(None, RAISED, None, f"{type(error).__name__}: {error}")]
    errors = [StandardError(None, e.type, getattr(e, "row_number", None), e.note) for e in report.errors]
    for task in report.tasks:
        errors += [StandardError(task.name, e.type, getattr(e, "row_number", None), e.note) for e in task.errors]
    return report.valid, errors


def _ours(report: Report) -> str:
    lines = [f"  {f.table}:{f.row}: {f.column}: {f.check}: {f.message}" for f in report.errors[:20]]
    return "\n".join(lines) or "  (none)"


def _standard(errors: list[StandardError]) -> str:
    return "\n".join(f"  {e.table}:{e.row}: {e.type}: {e.note}" for e in errors[:20]) or "  (none)"


def _broken(case: Case) -> Any:
    # raises=: a gap case must fail on our verdict, not because its mutation stopped working.
    marks = [pytest.mark.xfail(reason=case.gap, raises=NoVerdict, strict=True)] if case.gap else []
    return pytest.param(case, id=case.id, marks=marks)


# --------------------------------------------------------------------------- tests


def test_the_unbroken_package_is_valid_for_frictionless_and_for_us(tmp_path: Path) -> None:
    root = csv_only_copy(tmp_path / "package")
    standard_valid, errors = run_frictionless(root)
    assert standard_valid, _standard(errors)
    ours = validate_package(root)
    assert ours.valid, _ours(ours)


def test_the_corpus_has_at_least_twenty_distinct_mutations_frictionless_detects() -> None:
    ids = [case.id for case in BROKEN]
    assert len(set(ids)) == len(ids)
    assert len([case for case in BROKEN if case.gap is None]) >= 20


@pytest.mark.mutation  # expects what its own break produces (test_second_source.py)
@pytest.mark.parametrize("case", [_broken(case) for case in BROKEN])
def test_what_frictionless_rejects_we_reject_too(case: Case, tmp_path: Path) -> None:
    root = csv_only_copy(tmp_path / "package", case.keep_integrity)
    case.mutate(root)

    standard_valid, standard_errors = run_frictionless(root)
    reported_types = {error.type for error in standard_errors}
    assert not standard_valid and case.frictionless <= reported_types, (
        f"the mutation no longer produces Frictionless {sorted(case.frictionless)}; it reported:\n"
        + _standard(standard_errors))

    ours = validate_package(root)
    verdicts = [finding for finding in ours.errors if finding.check != "internal"]
    if not verdicts:
        raise NoVerdict(f"Frictionless rejects the package:\n{_standard(standard_errors)}\n"
                        f"and no check of ours does (an `internal` error is a crashed check):\n{_ours(ours)}")
    if case.table is not None:
        assert any(finding.table == case.table for finding in verdicts), _ours(ours)
    if case.same_rows:
        standard_rows = {error.row for error in standard_errors
                         if error.table == case.table and error.type in case.frictionless and error.row is not None}
        our_rows = {finding.row for finding in verdicts if finding.table == case.table}
        assert standard_rows - our_rows == set(), (
            f"Frictionless points at rows of {case.table} that we do not:\n"
            f"{_standard(standard_errors)}\nours:\n{_ours(ours)}")


@pytest.mark.mutation  # expects what its own break produces (test_second_source.py)
@pytest.mark.parametrize(("mutate", "check"), [pytest.param(m, c, id=i) for i, m, c in OURS_ONLY])
def test_our_checks_reject_mistakes_that_frictionless_accepts(mutate: Mutation, check: str, tmp_path: Path) -> None:
    root = csv_only_copy(tmp_path / "package")
    mutate(root)
    standard_valid, standard_errors = run_frictionless(root)
    assert standard_valid, _standard(standard_errors)
    ours = validate_package(root)
    assert check in {finding.check for finding in ours.errors}, _ours(ours)


def test_the_network_guard_refuses_connections() -> None:
    # The guard is what makes "neither validator went online" a checked fact.
    with pytest.raises(NetworkUsed):
        socket.create_connection(("192.0.2.1", 80), timeout=0.01)
