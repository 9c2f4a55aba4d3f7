"""`jiutai-data add-source`: register a new source document in a package.

Everything is checked before anything is written: the file must be a plain file
(not a symbolic link, a device or a pipe) of at most ``max_bytes`` (20 MiB unless
``--max-bytes`` says otherwise), and no more than that is read; the text must be UTF-8
without a byte-order mark, NFC-normalised, and free of control characters; the
ID must match the pattern of ``sources.id`` in schemas/sources.json and be new;
``published`` must be an ISO 8601 date-time with its UTC offset. Only then is
the text copied byte for byte to ``data/sources/<id>.txt`` and one row appended
to data/sources.csv, leaving the file's existing bytes as they were.

Why one module of this size: one verb, checked all before anything is written; about half of it
is the checklist of numbers the text holds and no quote yet covers, which only this verb gives.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shlex
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.files import (SOURCE_TEXT_MAX_BYTES, FileTooLarge, NotARegularFile, OutputPathError,
                                     read_regular_file, resolve_output, sha256_of_bytes, write_atomically)
from jiutai_data.model.findings import Finding
from jiutai_data.model.fields import TYPES
from jiutai_data.model.numbers import NumberInText, find_chinese_quantities, find_numbers
from jiutai_data.model.package import Package, Resource, UnsafePath, open_package, resolve_inside
from jiutai_data.model.paths import default_package_dir
from jiutai_data.model.schema import Schema, string_fields
from jiutai_data.validate.checks.hygiene import check_table_hygiene
from jiutai_data.validate.checks.structure import check_table_constraints
from jiutai_data.read.tables import read_table

SOURCES = "sources"
UNITS, UNIT_AS_STATED = "units", "unit_as_stated"
BOM = b"\xef\xbb\xbf"
CONTEXT_CHARACTERS = 15  # shown on each side of an uncovered number
# Finding codes raised here about the input file.
SYMLINK_CHECK = codes.SYMLINK
NOT_A_FILE_CHECK = codes.NOT_A_FILE
TOO_LARGE_CHECK = codes.TOO_LARGE

LICENCE_NOTE = ("The text belongs to its publisher, {publisher}; it is included in this package only "
                "so that every row can be checked against its quote.")

# C0 and C1 controls other than tab, line feed and carriage return: a file with
# them is binary or damaged, not a text a quote could be checked against.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class UncoveredNumber:
    """A number written in digits that no row's quote contains yet."""

    line: int
    column: int  # 1-based, in characters
    text: str
    context: str


@dataclass
class AddSourceResult:
    ok: bool
    findings: list[Finding]
    package_dir: Path
    source_id: str
    file: Path
    text_path: str | None = None  # where the text was copied, relative to the package
    sources_path: str | None = None  # the sources table's CSV file, relative to the package
    row: int | None = None  # row number of the new sources row (header = 1)
    sha256: str | None = None
    size: int | None = None
    uncovered: list[UncoveredNumber] = field(default_factory=list)
    quoted_tables: list[str] = field(default_factory=list)  # CSV files whose rows carry quotes
    could_not_run: bool = False  # the folder is no package to add to (exit 2), rather than bad input

    def describe(self) -> list[str]:
        if not self.ok:
            lines = [f"add-source: refused {self.file}; nothing was written:"]
            for finding in self.findings:
                where = f"{finding.column}: " if finding.column else ""
                lines.append(f"  {where}{finding.message}")
            return lines
        package = package_argument(self.package_dir)
        drafts = shlex.quote(str(self.package_dir / "drafts" / self.source_id)) if package else f"drafts/{self.source_id}"
        lines = [
            f"add-source: added source {self.source_id}",
            f"  copied {self.file} to {self.text_path} ({self.size} bytes, sha256 {self.sha256})",
            f"  appended row {self.row} to {self.sources_path}",
            "",
            "Next steps (CONTRIBUTING.md explains each):",
            f"  1. Draft the rows of the text for review: jiutai-data draft {self.source_id}{package}",
            f"     (it writes drafts/{self.source_id}/: a CSV file per table, with confidence and reason columns)",
            "  2. Review the drafts in a spreadsheet or editor (correct, delete, add rows; fill every empty name_en),",
            f"     then append them: jiutai-data accept {drafts}{package}",
            f"     (by hand instead: add rows to {', '.join(self.quoted_tables)}, each with source_id "
            f"{self.source_id}, an id {self.source_id}--<slug> and a quote copied verbatim from {self.text_path};",
            "     a new indicator also needs its row in catalogue)",
        ]
        if self.uncovered:
            lines.append(f"  3. The checklist for the review: every number (in digits, or a Chinese numeral with a "
                         f"measure word such as 六个) must lie inside some row's quote; "
                         f"{len(self.uncovered)} are not covered yet:")
            width = len(str(self.uncovered[-1].line))
            lines += [f"       line {u.line:>{width}}: {u.text:<8} {u.context}" for u in self.uncovered]
        else:
            lines.append("  3. Every number (in digits, or a Chinese numeral with a measure word) already lies "
                         "inside some row's quote.")
        lines += [
            f"  4. Check and build: jiutai-data build{package} && jiutai-data validate{package}   (or: make)",
            f"  5. See what your change does to the data: jiutai-data diff HEAD {package.strip() or '.'}",
        ]
        return lines


def package_argument(package_dir: Path) -> str:
    """The package folder as a command argument, or nothing for the default package."""
    try:
        if package_dir.resolve() == default_package_dir().resolve():
            return ""
    except OSError:
        pass
    return " " + shlex.quote(str(package_dir))


def _finding(column: str | None, check: str, message: str, value: Any = None, path: str | None = None) -> Finding:
    return Finding(SOURCES, None, column, check, message, value=value, path=path)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --------------------------------------------------------------------------- the text


def check_text(data: bytes, name: str) -> tuple[str | None, list[Finding]]:
    """The decoded text, or the problems that make it unusable as a source text."""
    if not data.strip():
        return None, [_finding(None, codes.EMPTY_FILE, f"{name} is empty", path=name)]
    if data.startswith(BOM):
        return None, [_finding(None, codes.BOM, (
            f"{name} starts with a byte-order mark (BOM). Save it as \"UTF-8\", not \"UTF-8 with BOM\" "
            f"(e.g. VS Code: Save with Encoding → UTF-8), or remove the mark with: "
            f"sed -i '1s/^\\xEF\\xBB\\xBF//' {shlex.quote(name)}"), path=name)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        hint = "Save the text as UTF-8."
        try:
            data.decode("gb18030")
            converted = Path(name).with_name(f"{Path(name).stem}-utf8{Path(name).suffix}")
            hint = (f"It looks like GBK/GB18030 (as saved by Chinese Windows); convert it with: "
                    f"iconv -f GB18030 -t UTF-8 {shlex.quote(name)} > {shlex.quote(str(converted))}")
        except UnicodeDecodeError:
            pass
        return None, [_finding(None, codes.ENCODING, f"{name} is not UTF-8 text (first bad byte on line {line}). {hint}",
                               path=name)]
    problems = []
    control = _CONTROL.search(text)
    if control:
        line, column = _position(text, control.start())
        problems.append(_finding(None, codes.CONTROL_CHARACTER, (
            f"{name} line {line} column {column} holds the control character U+{ord(control.group()):04X}; "
            f"a source must be plain text"), path=name))
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        # the first character that normalisation changes, alone or with the mark after it
        first = next((i for i in range(len(text)) if not unicodedata.is_normalized("NFC", text[i:i + 2])), 0)
        line, column = _position(text, first)
        problems.append(_finding(None, codes.NOT_NFC, (
            f"{name} is not NFC-normalised (first at line {line}, column {column}), so quotes typed from it "
            f"may not match. Normalise it with: python3 -c \"import sys,unicodedata as u;p=sys.argv[1];"
            f"t=open(p,encoding='utf-8',newline='').read();"
            f"open(p,'w',encoding='utf-8',newline='').write(u.normalize('NFC',t))\" {shlex.quote(name)}"),
            path=name))
    return (None, problems) if problems else (text, [])


# --------------------------------------------------------------------------- the row


def parse_published(value: str) -> tuple[str | None, Finding | None]:
    """The publication time in the one form the package writes, or why it is refused."""
    example = "e.g. 2023-01-05T09:00:00+08:00 (China Standard Time is +08:00)"
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, _finding("published", codes.TYPE, f"{value!r} is not an ISO 8601 date-time; write {example}", value)
    if moment.tzinfo is None:
        return None, _finding("published", codes.TYPE, f"{value!r} has no UTC offset; write {example}", value)
    written = moment.isoformat(timespec="milliseconds" if moment.microsecond else "seconds")
    # The field model's rule, which validate applies: e.g. no more than milliseconds.
    if not re.match(TYPES["datetime"].lexical or "", written) or moment.microsecond % 1000:
        return None, _finding("published", codes.TYPE, f"{value!r} is not {TYPES['datetime'].expected}", value)
    return written, None


def row_problems(resource: Resource, grown: bytes, row_number: int) -> list[Finding]:
    """What validate would say about row ``row_number`` of the sources table grown to ``grown``.

    The grown table is written to a private temporary folder (the package is not touched)
    and read and checked there by validate's own reader, constraint and hygiene checks, so
    add-source keeps no copy of their rules. A repeated id is left out: add-source says so
    itself, naming the file that already holds it."""
    assert resource.usable_schema is not None
    with tempfile.TemporaryDirectory(prefix="jiutai-data-add-source-") as folder:
        copy = Path(folder) / "sources.csv"
        copy.write_bytes(grown)
        read = read_table(replace(resource, file=copy))
    path = resource.path or resource.name
    found = list(read.findings)
    if read.frame is not None:
        found += check_table_constraints(SOURCES, read.frame, resource.usable_schema, path, read.cast_failures)
        found += check_table_hygiene(SOURCES, read.frame, string_fields(resource.usable_schema), path)
    return [f for f in found if f.row == row_number and f.check not in (codes.UNIQUE, codes.PRIMARY_KEY)]


def _csv_line(values: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- coverage


def _quoted_tables(package: Package) -> list[Resource]:
    """Tables whose rows cite a source with a quote (their schema has both fields)."""
    return [resource for resource in package.resources
            if resource.is_table and resource.name != SOURCES and resource.usable_schema is not None
            and {"source_id", "quote"} <= {f.get("name") for f in resource.usable_schema.get("fields", [])}]


def quotes_of(source_id: str, tables: list[Resource]) -> list[str]:
    """Every quote that rows of these tables give for the source, as the one reader reads them."""
    quotes: list[str] = []
    for resource in tables:
        text = read_table(resource, keep_text=True).text
        if text is None:
            continue  # validate reports a table that does not read; here it only means no quotes from it
        quotes += text.filter(text.get_column("source_id") == source_id).get_column("quote").drop_nulls().to_list()
    return quotes


def stated_units(package: Package) -> list[str]:
    """The package's units as written (units.unit_as_stated): a Chinese numeral before one is a quantity."""
    resource = next((r for r in package.resources if r.is_table and r.name == UNITS), None)
    if resource is None or resource.usable_schema is None:
        return []
    text = read_table(resource, keep_text=True).text
    if text is None or UNIT_AS_STATED not in text.columns:
        return []  # validate reports a units table that does not read; here it only means fewer measure words
    return text.get_column(UNIT_AS_STATED).drop_nulls().to_list()


def uncovered_numbers(text: str, quotes: list[str], units: list[str] | tuple[str, ...] = ()) -> list[UncoveredNumber]:
    """Numbers in the text that lie inside no occurrence of any quote: those written in
    digits, and the quantities written in Chinese numerals (六个, 三百公里; ``units`` are
    the package's units, which count as measure words).

    Linear in the text (after sorting the quote occurrences and the numbers): the numbers come
    in order, so one pass walks the occurrences sorted by start with the furthest end reached so
    far, and the line, column and context of each number come from positions carried forward
    rather than searched for again from the start of the text."""
    covered: list[tuple[int, int]] = []
    for quote in set(quotes):
        if not quote:
            continue
        start = text.find(quote)
        while start != -1:
            covered.append((start, start + len(quote)))
            start = text.find(quote, start + 1)
    covered.sort()
    found = []
    next_quote, reach = 0, -1  # occurrences that start at or before the number, and their furthest end
    line, line_start, scanned = 1, 0, 0  # the line holding position `scanned`, and where it starts
    line_end = -1  # where the current line ends (found once per line)
    number: NumberInText
    numbers = sorted([*find_numbers(text), *find_chinese_quantities(text, units)], key=lambda n: n.start)
    for number in numbers:
        while next_quote < len(covered) and covered[next_quote][0] <= number.start:
            reach = max(reach, covered[next_quote][1])
            next_quote += 1
        if reach >= number.end:
            continue
        breaks = text.count("\n", scanned, number.start)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", scanned, number.start) + 1
        scanned = number.start
        if line_end < number.end:
            line_end = text.find("\n", number.end)
            line_end = len(text) if line_end == -1 else line_end
        left, right = line_start, line_end
        start, end = max(left, number.start - CONTEXT_CHARACTERS), min(right, number.end + CONTEXT_CHARACTERS)
        context = ("…" if start > left else "") + text[start:end].strip() + ("…" if end < right else "")
        found.append(UncoveredNumber(line, number.start - line_start + 1, number.text, context))
    return found


# --------------------------------------------------------------------------- the verb


# What the reader says about rows that stop a row from being appended safely.
_UNREADABLE_ROWS = frozenset({codes.MISSING_CELL, codes.EXTRA_CELL, codes.BLANK_ROW, codes.UNTERMINATED_QUOTE,
                              codes.HEADER, codes.MISSING_COLUMN, codes.EXTRA_COLUMN, codes.DUPLICATE_COLUMN,
                              codes.COLUMN_ORDER})


def _read_sources_csv(resource: Resource) -> tuple[bytes, pl.DataFrame | None, list[Finding]]:
    """The file's bytes and its rows as written, or why a row cannot safely be appended to it."""
    relative = resource.path or resource.name

    def refuse(message: str) -> tuple[bytes, pl.DataFrame | None, list[Finding]]:
        return b"", None, [_finding(None, codes.SOURCES_FILE, f"{relative}: {message}; fix it first (jiutai-data validate "
                                                          f"says how)", path=relative)]

    assert resource.file is not None
    try:
        data = resource.file.read_bytes()
    except OSError as error:
        return refuse(f"cannot be read ({error.strerror})")
    if data.startswith(BOM):
        return refuse("starts with a byte-order mark")
    if b"\r" in data:
        return refuse("has CR or CRLF line ends")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return refuse("is not UTF-8")
    read = read_table(resource, keep_text=True)
    problem = next((f for f in read.findings if f.check in _UNREADABLE_ROWS), None) or (
        read.findings[0] if read.text is None and read.findings else None)
    if read.text is None or problem is not None:
        return refuse(f"is not readable CSV ({problem.message if problem else 'it could not be read'})")
    return data, read.text, []


def _sources_resource(root: Path) -> tuple[Package, Resource | None, str | None]:
    """The package, its sources table, or why there is none this can add to."""
    package = open_package(root)
    if package.descriptor is None:
        return package, None, "; ".join(finding.message for finding in package.findings)
    resource = next((r for r in package.resources if r.name == SOURCES and r.is_table), None)
    if resource is None:
        return package, None, "it declares no 'sources' table"
    if resource.file is None or resource.usable_schema is None:
        problems = [f.message for f in package.findings if f.table == SOURCES]
        return package, None, "; ".join(problems) or "its sources table cannot be opened"
    return package, resource, None


def add_source(
    root: Path,
    file: Path,
    *,
    source_id: str,
    title_zh: str,
    title_en: str,
    publisher_zh: str,
    publisher_en: str,
    published: str,
    url: str = "",
    author: str = "",
    max_bytes: int = SOURCE_TEXT_MAX_BYTES,
) -> AddSourceResult:
    """Register FILE as source SOURCE_ID of the package at ROOT; see the module docstring."""
    root, file = Path(root), Path(file)
    result = AddSourceResult(ok=False, findings=[], package_dir=root, source_id=source_id, file=file)

    package, resource, problem = _sources_resource(root)
    if resource is None:
        result.findings.append(_finding(None, codes.PACKAGE, f"{root} is not a package this can add to: {problem}"))
        result.could_not_run = True
        return result
    assert resource.usable_schema is not None and resource.file is not None and resource.path is not None
    sources_path, sources_relative = resource.file, resource.path
    result.sources_path = sources_relative
    schema = Schema.of(resource.usable_schema)

    data = None
    if file.is_symlink():
        # the link is not followed: a link to /etc/passwd must not become a source text
        result.findings.append(_finding(None, SYMLINK_CHECK, f"{file} is a symbolic link (to {os.readlink(file)}); "
                                                             "give the path of the text file itself", path=str(file)))
    else:
        try:
            data = read_regular_file(file, max_bytes)
        except NotARegularFile:
            result.findings.append(_finding(None, NOT_A_FILE_CHECK, f"{file} is not a plain file (a device, a pipe "
                                                                    "or a folder); give a UTF-8 text file",
                                            path=str(file)))
        except FileTooLarge as error:
            result.findings.append(_finding(None, TOO_LARGE_CHECK, f"{error}; a source text is rarely over a few "
                                                                   "megabytes. If this one really is, raise the "
                                                                   "limit with --max-bytes", path=str(file)))
        except OSError as error:
            result.findings.append(_finding(None, codes.FILE_UNREADABLE, f"{file} cannot be read: {error.strerror}", path=str(file)))
    if data is not None:
        text, problems = check_text(data, str(file))
        result.findings += problems

    # the text's place follows the sources table: <folder of sources.csv>/sources/<id>.txt
    text_relative = (Path(sources_relative).parent / SOURCES / f"{source_id}.txt").as_posix()
    published_value, published_problem = parse_published(published)
    row = {
        "id": source_id, "title_zh": title_zh, "title_en": title_en,
        "publisher_zh": publisher_zh, "publisher_en": publisher_en,
        "published": published_value or published, "url": url, "author": author,
        "path": text_relative, "sha256": sha256_of_bytes(data or b""),
        "licence_note": LICENCE_NOTE.format(publisher=f"{publisher_zh} ({publisher_en})"),
    }
    unknown = [column.name for column in schema.fields if column.name not in row and column.required]
    if unknown:
        result.findings.append(_finding(None, codes.SCHEMA, f"the sources schema requires {unknown}, which add-source "
                                                        f"cannot fill; add the row by hand"))
    if published_problem:
        result.findings.append(published_problem)

    existing, rows, problems = _read_sources_csv(resource)
    result.findings += problems
    line = _csv_line([row.get(name, "") for name in schema.names])
    separator = b"" if not existing or existing.endswith(b"\n") else b"\n"
    if rows is not None:
        found = row_problems(resource, existing + separator + line, rows.height + 2)
        if published_problem:  # said once, in add-source's words, with the form to write
            found = [f for f in found if f.column != "published"]
        if any(f.column == "id" for f in found):
            # the path is made from the id: its problems would only repeat the id's
            found = [f for f in found if f.column != "path"]
        result.findings += found
    ids = set(rows.get_column("id").drop_nulls().to_list()) if rows is not None else set()
    if source_id in ids:
        result.findings.append(_finding("id", codes.UNIQUE, f"a source with id {source_id!r} already exists in "
                                                        f"{sources_relative}; choose a new id", source_id))
    try:
        text_file = resolve_output(root, text_relative)
        resolve_inside(root, text_relative)
    except (UnsafePath, OutputPathError) as error:
        result.findings.append(_finding("id", codes.SOURCE_PATH, str(error), source_id))
        return result
    if text_file.exists() and source_id not in ids:
        result.findings.append(_finding("id", codes.UNIQUE, f"{text_relative} already exists although no source row "
                                                        f"names it; remove it or choose another id", source_id))
    if result.findings:
        return result

    # write: the text first (atomically), then the row; undo the text if the row fails
    text_file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(text_file, data)
    try:
        with sources_path.open("ab") as stream:
            stream.write(separator + line)
    except OSError as error:
        text_file.unlink(missing_ok=True)
        result.findings.append(_finding(None, codes.SOURCES_FILE, f"{sources_relative} could not be written: "
                                                              f"{error.strerror}; nothing was changed"))
        return result

    quoted = _quoted_tables(package)
    result.ok = True
    result.text_path = text_relative
    result.row = (rows.height if rows is not None else 0) + 2
    result.sha256 = row["sha256"]
    result.size = len(data)
    result.quoted_tables = [r.path or r.name for r in quoted]
    result.uncovered = uncovered_numbers(text, quotes_of(source_id, quoted), stated_units(package))
    return result
