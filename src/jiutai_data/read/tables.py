"""Read every CSV table of a package into typed polars frames, reporting what does not read.

Each file is read once, as bytes. The happy path is polars only: all cells are
parsed as strings (polars also refuses bytes that are not UTF-8), then every
column is cast in one vectorised ``select``. Only a file that looks wrong (a
polars parse error, a byte count that does not add up, CRLF line endings) is
re-parsed with Python's csv module to name the exact rows at fault. The SHA-256
of a source text, or of a CSV file that declares one, is taken from the same
bytes (``PackageFrames.file_sha256``), so the hash checks need not read it again.

Row numbers (``ROW_COLUMN`` and ``Finding.row``) count CSV records as
Frictionless does: the header is row 1, the first data row is row 2, and a
quoted cell spanning several lines is still one row. (An encoding error has no
records yet; it names the physical line instead.)

What downstream checks see, in ``PackageFrames.tables``:
- a row that does not parse (too few or too many cells, a blank line, an
  unterminated quote) is reported here and left out of the frame;
- a cell that does not cast to its column's type is reported here and is null
  in the frame (``ReadResult.cast_failures`` lists those cells, so later checks
  need not report them again);
- a table whose file is missing, unreadable, not UTF-8, empty, or whose header
  lacks or repeats a column is reported and left out of ``tables``.

Why one module of this size: the one reader, whose steps (bytes, records, header, types, cell
limits) report in one numbering of rows and columns; read/chunks.py reads the same way a chunk at a time.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model import schema as table_schema
from jiutai_data.model.fields import MAX_CELL_CHARACTERS, TYPES, field_type, parse, parses_text
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import FAILED_COLUMN, ROW_COLUMN, PackageFrames
from jiutai_data.model.files import NotARegularFile, read_regular_file, sha256_of_bytes
from jiutai_data.model.package import SYMLINK_CHECK, Package, Resource, UnsafePath, resolve_inside, symbolic_link_in

BOM = b"\xef\xbb\xbf"

_FULL_WIDTH_DIGIT = r"[０-９]"
_NOT_FINITE = {"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


@dataclass
class TableRead:
    frame: pl.DataFrame | None
    findings: list[Finding] = field(default_factory=list)
    cast_failures: pl.DataFrame | None = None
    sha256: str | None = None  # of the file's bytes, when the resource declares a sha256 hash
    # the cells as written (missing values null), same rows as ``frame``; kept only when asked
    text: pl.DataFrame | None = None


@dataclass
class ReadResult:
    frames: PackageFrames
    findings: list[Finding]
    # table name -> frame of (ROW_COLUMN, FAILED_COLUMN) for cells that failed to cast
    cast_failures: dict[str, pl.DataFrame]


# --- bytes to cells ------------------------------------------------------------

@dataclass
class _Cells:
    header: list[str]
    # string columns "0".."n-1" plus ROW_COLUMN; parsed rows only; missing values are null
    rows: pl.DataFrame
    findings: list[Finding]
    # read by polars alone, every byte accounted for (False: the csv module named faulty rows)
    fast: bool = False


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def fast_parse(body: bytes, empty_is_null: bool = False) -> pl.DataFrame | None:
    """All records (header included) as strings, or None if the file needs a closer look.

    With ``empty_is_null`` an unquoted empty cell is read as null (a quoted
    ``""`` stays ""), which spares copying every column to null the missing
    cells afterwards. Polars fills a short row's missing cells and says
    nothing, so the byte count of what it parsed is compared with the file's:
    every record accounts for its cells, n - 1 commas and a newline; every '"'
    in the file is either a quote around a cell or half of an escaped '""'.
    """
    try:
        grid = pl.read_csv(
            body, has_header=False, infer_schema=False, empty_string_is_null=empty_is_null,
            truncate_ragged_lines=False, raise_if_empty=False,
        )
    except Exception:  # polars raises several types for malformed CSV; the slow path names the row
        return None
    if grid.width == 0 or grid.height == 0:
        return None
    value_bytes = int(grid.select(pl.sum_horizontal(pl.all().str.len_bytes().sum())).item())
    expected = value_bytes + grid.width * grid.height
    # Counting quotes in every cell is the costly part, and most files have none (memchr decides).
    if b'"' in body:
        escaped_quotes = int(grid.select(
            pl.sum_horizontal(pl.all().str.count_matches('"', literal=True).sum())).item())
        expected += body.count(b'"') - escaped_quotes
    if not body.endswith(b"\n"):
        expected -= 1
    return grid if expected == len(body) else None


def _null_missing(rows: pl.DataFrame, missing: list[str]) -> pl.DataFrame:
    """``rows`` with every cell that is one of ``missing`` made null.

    Only the columns that hold such a cell are rewritten: a clean column is
    kept as it is, not copied.
    """
    columns = [name for name in rows.columns if name != ROW_COLUMN]
    if not missing or not columns:
        return rows
    holding = rows.select(pl.col(name).is_in(missing).any() for name in columns).row(0)
    flagged = [name for name, found in zip(columns, holding) if found]
    if not flagged:
        return rows
    return rows.with_columns(
        pl.when(pl.col(name).is_in(missing)).then(None).otherwise(pl.col(name)).alias(name) for name in flagged)


@contextlib.contextmanager
def _no_field_size_limit():
    # An unterminated quote makes one cell of the rest of the file; the csv
    # module would stop at 128 KiB with an error that names no row.
    previous = csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _unterminated_quote_row(text: str) -> int | None:
    """The row whose quoted cell is still open at the end of the file, if any."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    count = 0
    try:
        for _ in reader:
            count += 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return count + 1
    return None


def _slow_parse(table: str, path: str, text: str) -> _Cells:
    """Python's csv module, record by record, to name rows that do not parse."""
    findings: list[Finding] = []
    with _no_field_size_limit():
        records = list(csv.reader(io.StringIO(text, newline="")))
        open_row = _unterminated_quote_row(text)
    header = records[0] if records else []
    width = len(header)
    good: list[list[str]] = []
    rows: list[int] = []
    for index, record in enumerate(records[1:]):
        row = index + 2
        if row == open_row:
            findings.append(Finding(table, row, None, codes.UNTERMINATED_QUOTE,
                                    "a quoted cell is not closed before the end of the file "
                                    "(is the file truncated?); expected a closing '\"'", path=path))
        elif not record:
            findings.append(Finding(table, row, None, codes.BLANK_ROW,
                                    "the row is empty; expected no blank lines (remove it)", path=path))
        elif len(record) < width:
            findings.append(Finding(table, row, header[len(record)], codes.MISSING_CELL,
                                    f"the row has {len(record)} cells, expected {width} as in the header "
                                    f"(first missing: {header[len(record)]})", path=path))
        elif len(record) > width:
            extra = record[width:]
            findings.append(Finding(table, row, None, codes.EXTRA_CELL,
                                    f"the row has {len(record)} cells, expected {width} as in the header "
                                    "(is a comma inside a cell not quoted?)", value=",".join(extra), path=path))
        else:
            good.append(record)
            rows.append(row)
    if open_row is None and text.count('"') % 2:
        # A quote opened and never closed swallows the line break after it, so
        # the first row that does not parse is where it was opened.
        for index, finding in enumerate(findings):
            if finding.check in (codes.MISSING_CELL, codes.EXTRA_CELL):
                findings[index] = Finding(table, finding.row, None, codes.UNTERMINATED_QUOTE,
                                          "a quoted cell is not closed, so this row runs into the next "
                                          "(the file has an odd number of '\"'); expected a closing '\"'", path=path)
                break
    columns = {str(j): [record[j] for record in good] for j in range(width)}
    frame = pl.DataFrame({ROW_COLUMN: rows, **columns}, schema={ROW_COLUMN: pl.Int64, **{str(j): pl.String for j in range(width)}})
    return _Cells(header, frame, findings)


def _encoding_finding(table: str, path: str, body: bytes, error: UnicodeDecodeError) -> Finding:
    line = _line_of(body, error.start)
    try:
        body.decode("gb18030")
        guess = "It looks like GBK/GB18030 (what a Chinese spreadsheet saves by default). "
    except UnicodeDecodeError:
        guess = ""
    return Finding(
        table, line, None, codes.ENCODING,
        f"the file is not UTF-8: invalid byte 0x{body[error.start]:02x} on line {line}. {guess}"
        f"Re-save it as UTF-8, e.g. `iconv -f GBK -t UTF-8 {path} > fixed.csv`, "
        "or in a spreadsheet choose 'CSV UTF-8' (then remove the BOM)",
        value=body[max(0, error.start - 10):error.start + 10].hex(" "), path=path,
    )


_LONE_CR = re.compile(rb"\r(?!\n)")


def _line_ending_finding(table: str, path: str, body: bytes) -> Finding:
    """What is wrong with the line endings of a file holding a CR: CRLF, CR only, or a mix."""
    crlf = body.count(b"\r\n")
    lone_cr = body.count(b"\r") - crlf
    lf_only = body.count(b"\n") - crlf
    kinds = {"LF": lf_only, "CRLF": crlf, "CR": lone_cr}
    fix = f"expected LF only. Convert with `dos2unix {path}` or save with Unix (LF) line endings"
    if sum(1 for count in kinds.values() if count) > 1:
        first = _LONE_CR.search(body) if lone_cr else None
        offset = first.start() if first else body.find(b"\r\n")
        counted = ", ".join(f"{count} {kind}" for kind, count in kinds.items() if count)
        return Finding(table, None, None, codes.LINE_ENDINGS,
                       f"mixed line endings ({counted}), the first non-LF one on line {_line_of(body, offset)}; {fix}",
                       path=path)
    if lone_cr:
        return Finding(table, None, None, codes.LINE_ENDINGS,
                       f"old Mac (CR only) line endings ({lone_cr} lines); {fix} (e.g. `mac2unix {path}`)", path=path)
    first_crlf = _line_of(body, body.find(b"\r\n"))
    return Finding(table, None, None, codes.LINE_ENDINGS,
                   f"Windows (CRLF) line endings from line {first_crlf} on "
                   f"({crlf} lines); {fix}", path=path)


def bytes_to_cells(table: str, path: str, raw: bytes, missing: list[str]) -> _Cells | list[Finding]:
    """Cells of a file, with ``missing`` values as null, or the findings that stop it being read at all."""
    findings: list[Finding] = []
    body = raw
    if raw.startswith(BOM):
        findings.append(Finding(table, None, None, codes.BOM,
                                "the file starts with a UTF-8 byte order mark (BOM); expected UTF-8 without BOM. "
                                "Re-save it as 'UTF-8' (not 'UTF-8 with BOM') in a text editor, "
                                f"or strip it: `sed -i '1s/^\\xEF\\xBB\\xBF//' {path}`", path=path))
        body = raw[len(BOM):]
    # Look at the start first: bytes.strip() copies the whole file.
    if not body[:4096].strip() and not body.strip():
        return findings + [Finding(table, None, None, codes.EMPTY_FILE,
                                   "the file is empty; expected at least the header row", path=path)]
    # A "\r" is rare, so a byte search (memchr) decides for nearly every file.
    has_cr = body.find(b"\r") >= 0
    if has_cr:
        findings.append(_line_ending_finding(table, path, body))
    # The usual missing value, "", is nulled by polars while it parses (but not a
    # quoted "", which a file without '"' cannot hold); anything else afterwards.
    empty_is_null = "" in missing
    grid = None if has_cr else fast_parse(body, empty_is_null)
    if grid is not None:
        header = ["" if name is None else name for name in grid.row(0)]
        rows = (grid.slice(1).rename({name: str(j) for j, name in enumerate(grid.columns)})
                .with_row_index(ROW_COLUMN, offset=2).with_columns(pl.col(ROW_COLUMN).cast(pl.Int64)))
        del grid
        left = [value for value in missing if value != ""] if empty_is_null and b'"' not in body else missing
        return _Cells(header, _null_missing(rows, left), findings, fast=True)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        return findings + [_encoding_finding(table, path, body, error)]
    cells = _slow_parse(table, path, text)
    cells.findings[:0] = findings
    cells.rows = _null_missing(cells.rows, missing)
    return cells


# --- header ----------------------------------------------------------------------

def check_header(table: str, path: str, header: list[str], expected: list[str]) -> tuple[list[Finding], bool]:
    """Findings about the header row, and whether the rows can still be read by name."""
    order = ", ".join(expected)
    if header == expected:
        return [], True
    if not set(header) & set(expected):
        return [Finding(table, 1, None, codes.HEADER,
                        f"the first row is not a header: found {', '.join(header)[:200]}; "
                        f"expected the column names {order}", path=path)], False
    findings = []
    seen: set[str] = set()
    for name in header:
        if name in seen and name in expected:
            findings.append(Finding(table, 1, name, codes.DUPLICATE_COLUMN,
                                    f"column {name} appears {header.count(name)} times in the header; expected once",
                                    path=path))
        elif name not in expected:
            findings.append(Finding(table, 1, name or None, codes.EXTRA_COLUMN,
                                    f"column {name!r} is not in the schema; expected only {order}",
                                    value=name, path=path))
        seen.add(name)
    for name in expected:
        if name not in header:
            findings.append(Finding(table, 1, name, codes.MISSING_COLUMN,
                                    f"column {name} is missing from the header; expected {order}. "
                                    "The table's rows are not checked until the header is fixed", path=path))
    known = [name for name in header if name in expected]
    if not findings and known != expected:
        # (A schema naming a field twice is refused before reading; without it, known == expected here.)
        first = next((a for a, b in zip(known, expected) if a != b), expected[0])
        findings.append(Finding(table, 1, first, codes.COLUMN_ORDER,
                                f"columns are in the order {', '.join(known)}; expected {order}", path=path))
    readable = all(name in header for name in expected) and len(set(known)) == len(known)
    return findings, readable


# --- casting --------------------------------------------------------------------

def _cast_message(kind: str, value: str) -> str:
    expected = TYPES[kind].expected
    if re.search(_FULL_WIDTH_DIGIT, value):
        return f"{value!r} has full-width digits; expected {expected}"
    if kind == "number" and value.strip().lower() in _NOT_FINITE:
        return f"{value!r} is not a finite number; expected {expected}, or an empty cell if the value is missing"
    return f"{value!r} is not a {kind}; expected {expected}"


def type_cells(table: str, path: str, strings: pl.DataFrame, schema: dict[str, Any]) -> TableRead:
    """Cast each column of ``strings`` (missing values already null); report every cell
    that fails, as null in the result. Text columns are passed through, not copied."""
    fields = table_schema.fields(schema)
    dtypes = table_schema.polars_dtypes(schema)
    findings = _oversized_cells(table, path, strings)
    typed = strings.select(
        ROW_COLUMN, *[parse(pl.col(f["name"]), f).cast(dtypes[f["name"]]).alias(f["name"]) for f in fields])
    to_check = [f for f in fields if parses_text(f)]
    failure_frames: list[pl.DataFrame] = []
    if to_check:
        # A cell failed if it had text and has no value now: null masks, one pass over all columns.
        failed = pl.DataFrame([strings.get_column(f["name"]).is_not_null() & typed.get_column(f["name"]).is_null()
                               for f in to_check])
        counts = failed.sum().row(0)
        for f, count in zip(to_check, counts):
            if not count:
                continue
            name = f["name"]
            bad = strings.filter(failed.get_column(name)).select(ROW_COLUMN, name)
            failure_frames.append(bad.select(ROW_COLUMN, pl.lit(name).alias(FAILED_COLUMN)))
            for row, value in bad.iter_rows():
                findings.append(Finding(table, row, name, codes.TYPE, _cast_message(field_type(f).name, value), value,
                                        path=path))
    failures = (pl.concat(failure_frames) if failure_frames
                else pl.DataFrame(schema={ROW_COLUMN: pl.Int64, FAILED_COLUMN: pl.String}))
    return TableRead(typed, findings, failures)


def _oversized_cells(table: str, path: str, strings: pl.DataFrame) -> list[Finding]:
    """A finding for every cell longer than any output can hold (see model/fields.py)."""
    columns = [name for name in strings.columns if name != ROW_COLUMN]
    if not columns:
        return []
    # A character is at least one byte: the byte length, cheap to take, settles nearly every file.
    longest = strings.select(pl.col(name).str.len_bytes().max() for name in columns).row(0)
    findings = []
    for name, size in zip(columns, longest):
        if size is None or size <= MAX_CELL_CHARACTERS:
            continue
        long = strings.filter(pl.col(name).str.len_chars() > MAX_CELL_CHARACTERS).select(
            ROW_COLUMN, pl.col(name).str.len_chars().alias("length"), pl.col(name).str.slice(0, 40).alias("start"))
        for row, length, start in long.iter_rows():
            findings.append(Finding(table, row, name, codes.CELL_SIZE,
                                    f"the cell holds {length:,} characters; expected at most "
                                    f"{MAX_CELL_CHARACTERS:,}, the most an Excel cell holds (every download must "
                                    "hold every cell). Shorten it, or move long text into a source file",
                                    start + "…", path=path))
    return findings


def declares_sha256(resource: Resource) -> bool:
    declared = resource.descriptor.get("hash")
    return isinstance(declared, str) and declared.lower().startswith("sha256:")


def read_table(resource: Resource, keep_text: bool = False) -> TableRead:
    """Read one CSV resource into a typed frame (see the module doc for what is kept).

    With ``keep_text``, ``TableRead.text`` also holds the cells as written, for the verbs
    that show or compare text (the site, diff, add-source)."""
    table, path, schema = resource.name, resource.path or resource.name, resource.usable_schema
    if resource.file is None or schema is None:
        return TableRead(None)  # the unsafe path or the unreadable or refused schema is already reported
    try:
        raw = read_regular_file(resource.file)
    except NotARegularFile as error:
        return TableRead(None, [Finding(table, None, None, codes.FILE_UNREADABLE,
                                        f"{path} is not a plain file ({error}); expected the table's CSV file",
                                        path=path)])
    except FileNotFoundError:
        return TableRead(None, [Finding(table, None, None, codes.FILE_MISSING, f"{path} not found; expected the table's CSV file", path=path)])
    except OSError as error:
        return TableRead(None, [Finding(table, None, None, codes.FILE_UNREADABLE, f"{path} cannot be read: {error.strerror}", path=path)])
    # hashlib releases the GIL on large buffers, so the hash is taken while polars parses.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(sha256_of_bytes, raw) if declares_sha256(resource) else None
        cells = bytes_to_cells(table, path, raw, table_schema.missing_values(schema))
    del raw  # the frame holds the cells; the file's bytes can go before the columns are cast
    sha256 = digest.result() if digest is not None else None
    if isinstance(cells, list):
        return TableRead(None, cells, sha256=sha256)
    expected = table_schema.field_names(schema)
    header_findings, readable = check_header(table, path, cells.header, expected)
    findings = cells.findings + header_findings
    if not readable:
        return TableRead(None, findings, sha256=sha256)
    positions = {name: cells.header.index(name) for name in expected}
    strings = cells.rows.select(ROW_COLUMN, *[pl.col(str(positions[name])).alias(name) for name in expected])
    del cells
    result = type_cells(table, path, strings, schema)
    result.findings[:0] = findings
    result.sha256 = sha256
    result.text = strings if keep_text else None
    return result


def read_source_texts(root: Path, sources: pl.DataFrame,
                      sources_path: str = "data/sources.csv") -> tuple[dict[str, str], dict[str, str], list[Finding]]:
    """Each source's text by id, and the SHA-256 of each file read, by its path as written.

    A missing file is left to the provenance checks; an unsafe path or a file
    that is not UTF-8 is reported here.
    """
    texts: dict[str, str] = {}
    hashes: dict[str, str] = {}
    findings: list[Finding] = []
    if not {"id", "path"} <= set(sources.columns):
        return texts, hashes, findings
    for row, source_id, relative in sources.select(ROW_COLUMN, "id", "path").iter_rows():
        if source_id is None or relative is None:
            continue
        try:
            file = resolve_inside(root, relative)
            if (link := symbolic_link_in(root, relative)) is not None:
                findings.append(Finding("sources", row, "path", SYMLINK_CHECK,
                                        f"the source text {relative} is reached through the symbolic link {link}; "
                                        "expected a plain file in the package, which is refused rather than followed",
                                        relative, path=sources_path))
                continue
            data = read_regular_file(file)
        except UnsafePath as error:
            findings.append(Finding("sources", row, "path", codes.SOURCE_PATH, str(error), relative, path=sources_path))
            continue
        except NotARegularFile as error:
            findings.append(Finding("sources", row, "path", codes.SOURCE_PATH, f"the source text {relative} is not a "
                                    f"plain file ({error}); expected a UTF-8 text file", relative, path=sources_path))
            continue
        except OSError:
            continue
        hashes[relative] = sha256_of_bytes(data)
        try:
            texts[source_id] = data.decode("utf-8")
        except UnicodeDecodeError as error:
            findings.append(Finding("sources", row, "path", codes.ENCODING,
                                    f"the source text {relative} is not UTF-8 (invalid byte at line "
                                    f"{_line_of(data, error.start)}); expected UTF-8, e.g. "
                                    f"`iconv -f GBK -t UTF-8`", relative, path=relative))
    return texts, hashes, findings


def read_package(package: Package, keep_text: bool = False) -> ReadResult:
    """Typed frames of every table, the source texts, and everything that did not read.

    With ``keep_text``, ``frames.text`` also holds every table's cells as written."""
    assert package.descriptor is not None
    frames = PackageFrames(root=package.root, descriptor=package.descriptor)
    findings: list[Finding] = []
    cast_failures: dict[str, pl.DataFrame] = {}
    for resource in package.resources:
        if not resource.is_table:
            continue
        if resource.usable_schema is not None:
            frames.schemas[resource.name] = resource.usable_schema
        result = read_table(resource, keep_text)
        findings.extend(result.findings)
        if result.sha256 is not None and resource.path is not None:
            frames.file_sha256[resource.path] = result.sha256
        if result.frame is not None:
            frames.tables[resource.name] = result.frame
            if result.text is not None:
                frames.text[resource.name] = result.text
            cast_failures[resource.name] = result.cast_failures
    sources = frames.tables.get("sources")
    if sources is not None:
        sources_path = next((r.path for r in package.resources if r.name == "sources" and r.path), "data/sources.csv")
        frames.texts, hashes, text_findings = read_source_texts(package.root, sources, sources_path)
        frames.file_sha256.update(hashes)
        findings.extend(text_findings)
    return ReadResult(frames, findings, cast_failures)
