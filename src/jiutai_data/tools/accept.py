"""`jiutai-data accept DIR`: append a reviewed drafts folder to the package's tables.

All or nothing. The drafts' rows (without the draft's own ``confidence`` and ``reason``
columns) are appended to the tables in a temporary copy of the package, the copy is
validated, and only if it has no error are the grown CSV files written into the package.
Otherwise nothing is written and every error is listed by draft file, line and column
(or by package file, for a problem the drafts do not explain). Findings that only say the
build's outputs are stale (Parquet twins, ``bytes``, ``hash``) are set aside, as the build
does: `jiutai-data build` refreshes them next.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from jiutai_data.model.errors import CannotRun
from jiutai_data.model.files import SOURCE_TEXT_MAX_BYTES, read_regular_file
from jiutai_data.model.findings import Finding
from jiutai_data.model.package import DESCRIPTOR, Package, UnsafePath, open_package, resolve_inside
from jiutai_data.validate.run import validate_package
from jiutai_data.validate.report import plural

DRAFT_ONLY_COLUMNS = ("confidence", "reason")
REQUIRED_ENGLISH = "name_en"


class AcceptError(CannotRun):
    """accept could not run at all (no package, no drafts folder); the message says why."""


@dataclass(frozen=True)
class AcceptProblem:
    file: str  # the draft file (or package file) the problem is in
    line: int | None  # line in that file (header = 1)
    column: str | None
    message: str


@dataclass
class AcceptResult:
    folder: Path
    appended: dict[str, int] = field(default_factory=dict)  # table -> rows appended
    problems: list[AcceptProblem] = field(default_factory=list)
    warnings: int = 0
    restored: list[str] = field(default_factory=list)  # files put back after an interrupted accept

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> list[str]:
        undone = ([f"accept: an earlier accept was interrupted; put back {', '.join(self.restored)} as they were"]
                  if self.restored else [])
        return undone + self._outcome()

    def _outcome(self) -> list[str]:
        if not self.ok:
            lines = [f"accept: refused {self.folder}; nothing was written. {plural(len(self.problems), 'error')}:"]
            for file in dict.fromkeys(p.file for p in self.problems):
                lines.append(f"  {file}:")
                for p in (p for p in self.problems if p.file == file):
                    where = ", ".join(x for x in (f"line {p.line}" if p.line is not None else None,
                                                  f"column {p.column}" if p.column else None) if x)
                    lines.append(f"    {where + ': ' if where else ''}{p.message}")
            lines.append("Correct the drafts (or the package) and run accept again.")
            return lines
        lines = [f"accept: appended {plural(sum(self.appended.values()), 'row')} from {self.folder}"]
        lines += [f"  {table}: {plural(count, 'row')}" for table, count in self.appended.items()]
        if self.warnings:
            lines.append(f"  the grown package has {plural(self.warnings, 'warning')}: see jiutai-data validate")
        lines.append("Next: jiutai-data build && jiutai-data validate, then jiutai-data diff HEAD .")
        return lines


@dataclass
class _DraftTable:
    name: str
    file: Path
    columns: list[str]
    rows: list[list[str]]  # in the table's column order
    lines: list[int]  # the draft file's line of each row
    csv_relative: str


def _read_draft(path: Path, table: str, columns: list[str], relative: str,
                problems: list[AcceptProblem]) -> _DraftTable | None:
    try:
        # read only as a plain file, never through a link (drafts/<id>/indicators.csv -> /etc/passwd
        # would otherwise be read, and its first line shown as an "unknown column"), and bounded
        data = read_regular_file(path, SOURCE_TEXT_MAX_BYTES)
        # utf-8-sig and universal newlines: a spreadsheet may have added a BOM or CRLF; the
        # rows are written out again in the package's own format
        reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True)
        records = [(reader.line_num, row) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        problems.append(AcceptProblem(str(path), None, None, f"cannot be read as UTF-8 CSV: {error}"))
        return None
    if not records:
        return _DraftTable(table, path, columns, [], [], relative)
    header = records[0][1]
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns and c not in DRAFT_ONLY_COLUMNS]
    # two columns of one name: which one is the value? Refused rather than taking the first
    repeated = [c for c in dict.fromkeys(header) if header.count(c) > 1]
    if missing or extra or repeated:
        problems.append(AcceptProblem(str(path), 1, None,
                                      f"the header must hold the columns of {table} ({', '.join(columns)}), each "
                                      f"once, plus optionally {', '.join(DRAFT_ONLY_COLUMNS)}; "
                                      + "; ".join(filter(None, [
                                          f"missing: {', '.join(missing)}" if missing else "",
                                          f"unknown: {', '.join(extra)}" if extra else "",
                                          f"repeated: {', '.join(repeated)}" if repeated else ""]))))
        return None
    position = {name: header.index(name) for name in columns}
    rows, lines = [], []
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue  # a blank line left by deleting a row in an editor
        if len(record) > len(header):
            # a cell beyond the header has no column: dropping it would lose what the reviewer wrote
            problems.append(AcceptProblem(str(path), line, None,
                                          f"the row has {len(record)} cells, more than the header's {len(header)} "
                                          "columns; expected one cell per column (quote a cell that holds a comma)"))
            continue
        cells = record + [""] * (len(header) - len(record))
        row = [cells[position[name]] for name in columns]
        if REQUIRED_ENGLISH in position and not row[columns.index(REQUIRED_ENGLISH)].strip():
            problems.append(AcceptProblem(str(path), line, REQUIRED_ENGLISH,
                                          f"name_en is empty (name_zh: {row[columns.index('name_zh')] if 'name_zh' in columns else '?'}); "
                                          "write a faithful English name"))
        rows.append(row)
        lines.append(line)
    return _DraftTable(table, path, columns, rows, lines, relative)


def _csv_lines(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _grown(original: bytes, rows: list[list[str]]) -> bytes:
    separator = b"" if not original or original.endswith(b"\n") else b"\n"
    return original + separator + _csv_lines(rows)


def _copy_package(package: Package, into: Path) -> None:
    """Copy the descriptor and every top-level folder a resource or schema lives in (the
    source texts lie beside the tables, in the same folders)."""
    root = package.root
    shutil.copy2(root / DESCRIPTOR, into / DESCRIPTOR)
    folders = set()
    for resource in package.resources:
        for value in (resource.path, resource.descriptor.get("schema")):
            if isinstance(value, str):
                parts = Path(value).parts
                if len(parts) > 1:
                    folders.add(parts[0])
                elif (root / value).is_file():
                    shutil.copy2(root / value, into / value)
    for folder in sorted(folders):
        source = root / folder
        if source.is_symlink() or not source.is_dir():
            raise AcceptError(f"{source} is not a folder inside the package")
        shutil.copytree(source, into / folder, symlinks=True)


def accept_drafts(folder: Path, root: Path) -> AcceptResult:
    folder, root = Path(folder), Path(root)
    for linked in (folder, folder.parent):  # drafts/ or drafts/<id> committed as a link to elsewhere
        if linked.is_symlink():
            raise AcceptError(f"{linked} is a symbolic link; accept reads drafts only from a plain folder")
    if not folder.is_dir():
        raise AcceptError(f"{folder} is not a folder of drafts (jiutai-data draft writes drafts/<source_id>/)")
    package = open_package(root)
    if package.descriptor is None:
        raise AcceptError("; ".join(f.message for f in package.findings) or f"{root} holds no package")
    resources = {r.name: r for r in package.resources if r.is_table}
    result = AcceptResult(folder)
    result.restored = recover_interrupted(package.root)
    drafts: list[_DraftTable] = []
    for path in sorted(folder.glob("*.csv")):
        table = path.stem
        if table not in resources:
            result.problems.append(AcceptProblem(str(path), None, None,
                                                 f"no table {table!r} in the package; draft files are named after "
                                                 f"tables: {', '.join(sorted(resources))}"))
            continue
        resource = resources[table]
        if resource.usable_schema is None or resource.file is None or resource.path is None:
            raise AcceptError(f"the table {table} cannot be opened; run jiutai-data validate to see why")
        columns = [f["name"] for f in resource.usable_schema.get("fields", [])]
        if (draft := _read_draft(path, table, columns, resource.path, result.problems)) is not None:
            drafts.append(draft)
    if not drafts and not result.problems:
        raise AcceptError(f"{folder} holds no draft CSV files")
    if result.problems:
        return result

    # the descriptor's order respects foreign keys, and so the order of appending does not matter
    files = {d.name: resources[d.name].file for d in drafts}  # resolved inside the package by open_package
    originals = {name: file.read_bytes() for name, file in files.items()}
    counts = {d.name: _data_rows(originals[d.name]) for d in drafts}
    with tempfile.TemporaryDirectory(prefix="jiutai-accept-") as temporary:
        copy = Path(temporary)
        _copy_package(package, copy)
        for draft in drafts:
            (copy / draft.csv_relative).write_bytes(_grown(originals[draft.name], draft.rows))
        report = validate_package(copy)
    errors = [f for f in report.errors if not f.build_output]
    if report.stats.get("could_not_run"):
        raise AcceptError("the package could not be validated: " + "; ".join(f.message for f in report.findings[:3]))
    by_table = {d.name: d for d in drafts}
    result.problems = [_locate(f, by_table, counts) for f in errors]
    result.warnings = len(report.warnings)
    if result.problems:
        return result
    _swap_in(package.root, {draft.csv_relative: (files[draft.name], originals[draft.name],
                                                  _grown(originals[draft.name], draft.rows))
                            for draft in drafts if draft.rows})
    result.appended = {draft.name: len(draft.rows) for draft in drafts}
    return result


# --- all or nothing on disk ------------------------------------------------------------------
#
# Renaming one file is atomic, renaming nine is not: killed between two renames, accept used to
# leave one table grown and eight not, and every later run was refused on the grown table's
# primary keys. So every grown file and a copy of every original are first written to a staging
# folder in the package (same file system: a rename, not a copy), then a journal listing the
# tables; only then are the files renamed into place, and the journal removed (the commit point).
# The next accept finds a staging folder left by a killed run: with its journal, it puts every
# original back (the package is as it was before that run, which the user never saw succeed);
# without one, nothing had been replaced and the folder is removed.

STAGING_PREFIX = ".accept-"
JOURNAL = "journal.json"


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _swap_in(root: Path, grown: dict[str, tuple[Path, bytes, bytes]]) -> None:
    """Replace each file (relative path -> (file, original bytes, grown bytes)) all or nothing."""
    if not grown:
        return
    staging = Path(tempfile.mkdtemp(dir=root, prefix=STAGING_PREFIX))
    for index, (file, original, data) in enumerate(grown.values()):
        _write_synced(staging / f"new-{index}", data)
        _write_synced(staging / f"old-{index}", original)
        os.chmod(staging / f"new-{index}", file.stat().st_mode & 0o777)
    _write_synced(staging / JOURNAL, json.dumps({"files": list(grown)}).encode("utf-8"))
    for index, (file, _, _) in enumerate(grown.values()):
        os.replace(staging / f"new-{index}", file)
    (staging / JOURNAL).unlink()  # committed: from here on a crash leaves the grown package
    shutil.rmtree(staging, ignore_errors=True)


def recover_interrupted(root: Path) -> list[str]:
    """Undo what a killed accept left at ``root``: the files it replaced get their originals back.
    Returns the files restored. A journal can only name a table file of the package: the paths are
    resolved inside it (a committed staging folder cannot make accept write anywhere else)."""
    restored: list[str] = []
    for staging in sorted(Path(root).glob(STAGING_PREFIX + "*")):
        if staging.is_symlink() or not staging.is_dir():
            raise AcceptError(f"{staging} is not a folder accept left; remove it")
        journal = staging / JOURNAL
        if journal.is_file() and not journal.is_symlink():
            try:
                relatives = json.loads(read_regular_file(journal, 1 << 20))["files"]
                targets = [resolve_inside(Path(root), relative) for relative in relatives]
            except (OSError, ValueError, KeyError, TypeError, UnsafePath) as error:
                raise AcceptError(f"{journal} cannot be used to undo an interrupted accept ({error}); "
                                  "restore the tables from git and remove the folder") from None
            for index, (relative, target) in enumerate(zip(relatives, targets)):
                backup = staging / f"old-{index}"
                if backup.is_file() and not backup.is_symlink():  # gone: already put back
                    if not (target.is_file() and target.read_bytes() == backup.read_bytes()):
                        restored.append(relative)  # this one had been replaced
                    os.replace(backup, target)
            journal.unlink()
        shutil.rmtree(staging)
    return restored


def _data_rows(data: bytes) -> int:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    return max(0, len(rows) - 1)


def _locate(finding: Finding, drafts: dict[str, _DraftTable], counts: dict[str, int]) -> AcceptProblem:
    """A finding on the grown package, placed in the draft file when it is about an appended row."""
    draft = drafts.get(finding.table or "")
    if draft is not None and finding.row is not None and finding.row - 2 >= counts[draft.name]:
        index = finding.row - 2 - counts[draft.name]
        if index < len(draft.lines):
            return AcceptProblem(str(draft.file), draft.lines[index], finding.column, f"{finding.check}: {finding.message}")
    where = finding.path or finding.table or "package"
    return AcceptProblem(where, finding.row, finding.column, f"{finding.check}: {finding.message}")
