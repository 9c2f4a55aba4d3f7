"""History: the package against an earlier revision of itself, and dates that cannot be yet.

``validate --base REF`` (CI passes the pull request's base branch) compares the package with
the package at the git revision REF. The revision is read from git objects directly
(``git ls-tree`` and ``git cat-file``), never through ``git archive`` or a checkout, so no
``.gitattributes`` of the pull request (``export-ignore``, filters, line-end conversion) can
hide or alter a file of it. What is compared, and how it is reported:

- the text of a source that existed at REF (a ``sources`` row whose ``id`` was there): a
  different text is a ``source-text-changed`` **error**, naming the source and the changed
  lines, even when its ``sha256`` was edited with it. Every quote of that source was checked
  against the old text; a corrected or longer document is a new source with its own ID.
- the rows of sources that existed at REF (in every table with a ``source_id`` column, and the
  ``sources`` rows themselves), matched by the primary key the table had at REF: a changed cell
  is an ``existing-row-changed`` **warning** naming the table, row ID, column, old and new value;
  a row that is gone is an ``existing-row-removed`` **warning**. Warnings, not errors, because
  correcting a wrongly extracted row is the ordinary way to fix the data (CONTRIBUTING.md,
  "Correct an existing row") and every other check still holds the corrected row to its quote
  and its unchanged source text; they are shown in the pull request's report for the reviewer,
  and are not matched by the acknowledgements table (they exist only against one base).
  Numbers are compared by value (``1`` equals ``1.0``), other cells as written.
- a revision that cannot be read (no such revision, no repository, no package there) is a
  ``base-unreadable`` error: a check asked for and not done must not pass silently.

The rows of tables without a ``source_id`` (regions, units, catalogue, topics,
acknowledgements) are not compared here: their changes are shown by ``jiutai-data diff`` and
are held by the checks of the rows that use them. Only CSV tables are compared (not the
partitioned layout's part files).

Independently of any base, ``check_reviews_are_not_dated_in_the_future`` refuses an
acknowledgement whose ``reviewed_on`` is after today in every time zone (UTC+14).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import json
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Iterable

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.bounded_json import loads_bounded
from jiutai_data.model.fields import TYPES
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import DESCRIPTOR, Package, open_package
from jiutai_data.model.schema import field_types, primary_key
from jiutai_data.validate.checks.declare import Scope, declares

REVIEWED_CHECK = codes.REVIEWED_IN_FUTURE
TEXT_CHECK = codes.SOURCE_TEXT_CHANGED
CHANGED_CHECK = codes.EXISTING_ROW_CHANGED
REMOVED_CHECK = codes.EXISTING_ROW_REMOVED
BASE_CHECK = codes.BASE_UNREADABLE

ACKNOWLEDGEMENTS, REVIEWED_ON = "acknowledgements", "reviewed_on"
SOURCES, SOURCE_ID = "sources", "source_id"
# The latest date it is anywhere on Earth (UTC+14): a review dated after it is in the future everywhere.
_LATEST_OFFSET = dt.timedelta(hours=14)
CHANGED_LINES_SHOWN = 12  # of a changed source text, in the finding's message; the rest are counted

# --------------------------------------------------------------------------- reviewed_on


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar day it is in the time zone furthest ahead (UTC+14)."""
    return ((now or dt.datetime.now(dt.timezone.utc)) + _LATEST_OFFSET).date()


@declares(Scope.ROW, codes.REVIEWED_IN_FUTURE)
def check_reviews_are_not_dated_in_the_future(frames: PackageFrames) -> list[Finding]:
    table = frames.table(ACKNOWLEDGEMENTS)
    if table is None or REVIEWED_ON not in table.columns or table.schema[REVIEWED_ON] != pl.Date:
        return []
    today = latest_today()
    future = table.filter(pl.col(REVIEWED_ON) > today).select(ROW_COLUMN, REVIEWED_ON)
    return [Finding(ACKNOWLEDGEMENTS, row, REVIEWED_ON, REVIEWED_CHECK,
                    f"reviewed_on {day.isoformat()} is after today ({today.isoformat()} in the time zone furthest "
                    "ahead); a warning cannot have been reviewed yet on that day",
                    value=day.isoformat())
            for row, day in future.iter_rows()]


# --------------------------------------------------------------------------- git objects


class RevisionError(Exception):
    """A revision that cannot be read; the message says why."""


def git(repo: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False, input=input)
    except FileNotFoundError as error:
        raise RevisionError("git is not installed, so revisions cannot be read") from error


def commit_of(repo: Path, revision: str) -> str | None:
    """The commit ``revision`` names in the repository at ``repo``, or None."""
    # --end-of-options: a revision that starts with "-" is a name, never an option
    done = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return done.stdout.decode().strip() if done.returncode == 0 else None


@dataclass(frozen=True)
class _Blob:
    mode: str
    sha: str
    path: str  # relative to the package folder


def _tree(repo: Path, commit: str, prefix: str) -> list[_Blob]:
    """Every file of the commit below ``prefix`` (the package's folder in the repository), from the tree objects."""
    tree = f"{commit}:{prefix}" if prefix else f"{commit}^{{tree}}"
    done = git(repo, "ls-tree", "-r", "-z", "--full-tree", tree)
    if done.returncode != 0:
        raise RevisionError(f"the folder {prefix or '(the repository root)'} is not in {commit[:12]}: "
                            f"{done.stderr.decode(errors='replace').strip()}")
    blobs = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _, name = record.partition(b"\t")
        mode, kind, sha = meta.decode().split()
        if kind != "blob":
            continue  # a submodule
        blobs.append(_Blob(mode, sha, name.decode("utf-8", errors="surrogateescape")))
    return blobs


def _cat(repo: Path, blobs: list[_Blob], into: Path) -> None:
    """Write each blob's bytes, exactly as stored (no filter, no line-end conversion), under ``into``."""
    if not blobs:
        return
    process = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None

    def feed() -> None:
        try:
            process.stdin.write(b"".join(f"{blob.sha}\n".encode() for blob in blobs))
        finally:
            process.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        for blob in blobs:
            header = process.stdout.readline().split()
            if len(header) != 3:
                raise RevisionError(f"git cat-file could not read {blob.path}")
            size = int(header[2])
            data = process.stdout.read(size)
            process.stdout.read(1)  # the newline after each object
            parts = PurePosixPath(blob.path).parts
            if blob.mode == "120000" or any(part in ("..", "") for part in parts) or PurePosixPath(blob.path).is_absolute():
                continue  # a symbolic link is not made (the reader would refuse it): the file is absent
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    finally:
        writer.join()
        process.stdout.close()
        process.wait()
        if process.stderr is not None:
            process.stderr.close()


def _tops(paths: Iterable[Any]) -> set[str]:
    tops = set()
    for path in paths:
        if isinstance(path, str) and path and "://" not in path:
            parts = PurePosixPath(path).parts
            if parts and parts[0] not in ("/", ".."):
                tops.add(parts[0] if parts[0] != "." or len(parts) == 1 else parts[1])
    return tops


def materialise_revision(repo: Path, revision: str, into: Path) -> Path:
    """Write the package as it is at ``revision`` of the repository holding ``repo`` (a folder
    inside the work tree: the package is the folder at the same place in the revision) into
    ``into``, from git objects: the descriptor, and every top-level file or folder that a
    resource, a schema or a source text of it is in. The repository is only read.
    Raises RevisionError when it cannot."""
    commit = commit_of(repo, revision)
    if commit is None:
        raise RevisionError(f"{revision!r} is not a git revision of the repository at {repo}")
    prefix = git(repo, "rev-parse", "--show-prefix").stdout.decode().strip().rstrip("/")
    blobs = {blob.path: blob for blob in _tree(repo, commit, prefix)}
    if DESCRIPTOR not in blobs:
        raise RevisionError(f"revision {revision!r} has no {DESCRIPTOR} at {prefix or 'the repository root'}")
    _cat(repo, [blobs[DESCRIPTOR]], into)
    try:
        descriptor = loads_bounded((into / DESCRIPTOR).read_text(encoding="utf-8"), DESCRIPTOR)
    except Exception:
        descriptor = {}
    resources = [r for r in (descriptor.get("resources") or [] if isinstance(descriptor, dict) else [])
                 if isinstance(r, dict)]
    wanted = set()
    for resource in resources:
        paths = resource.get("path")
        wanted |= _tops(paths if isinstance(paths, list) else [paths])
        wanted |= _tops([resource.get("schema")])

    def under(tops: set[str]) -> list[_Blob]:
        return [b for p, b in blobs.items() if p != DESCRIPTOR and PurePosixPath(p).parts[0] in tops]

    _cat(repo, under(wanted), into)
    # the source texts may lie outside the folders of the tables
    sources = next((r for r in resources if r.get("name") == SOURCES and isinstance(r.get("path"), str)), None)
    if sources is not None and (into / sources["path"]).is_file():
        try:
            with (into / sources["path"]).open(encoding="utf-8", newline="") as stream:
                more = _tops(row.get("path") for row in csv.DictReader(stream)) - wanted
        except (OSError, UnicodeDecodeError, csv.Error):
            more = set()
        _cat(repo, under(more), into)
    return into


# --------------------------------------------------------------------------- comparing


def changed_lines(old: str, new: str, limit: int | None = CHANGED_LINES_SHOWN) -> list[str]:
    """The lines of a text that changed: ``-`` old, ``+`` new, with their line numbers."""
    lines: list[str] = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lines += [f"-{number + 1}: {old_lines[number]}" for number in range(a0, a1)]
        lines += [f"+{number + 1}: {new_lines[number]}" for number in range(b0, b1)]
    if not lines and old != new:
        lines.append("(only line ends or the final newline differ)")
    if limit is not None and len(lines) > limit:
        lines = [*lines[:limit], f"… {len(lines) - limit} more changed lines"]
    return lines


def canonical_cell(column: str, field_type: str) -> pl.Expr:
    """The value a cell is compared by across revisions: a number by its value (264.60 is 264.6),
    anything else as written. Shared with diff, so both see the same changes."""
    cell = pl.col(column)
    if field_type in TYPES and TYPES[field_type].numeric:
        number = cell.cast(pl.Float64, strict=False)
        return pl.when(number.is_not_null()).then(number.cast(pl.String)).otherwise(cell)
    return cell


def _key_text(values: Iterable[Any]) -> str:
    return ", ".join("" if value is None else str(value) for value in values)


def _shown(value: Any) -> str:
    return "(empty)" if value is None else json.dumps(value, ensure_ascii=False)


def compare_rows(table: str, old: pl.DataFrame, new: pl.DataFrame, old_schema: dict[str, Any],
                 new_schema: dict[str, Any], owners: set[str], base: str) -> list[Finding]:
    """Warnings for the rows of ``old`` (cells as written) that belong to a source in ``owners``
    and that ``new`` lacks or holds with other cells."""
    owner = "id" if table == SOURCES else SOURCE_ID
    key = primary_key(old_schema)
    columns = [c for c in old.columns if c != ROW_COLUMN and c in new.columns]
    if owner not in columns or not key or not all(k in columns for k in key):
        return []
    types = {**field_types(old_schema), **field_types(new_schema)}
    before = old.filter(pl.col(owner).is_in(sorted(owners))).select(ROW_COLUMN, *columns)
    after = (new.select(ROW_COLUMN, *columns).unique(subset=key, keep="first", maintain_order=True)
             .rename({c: f"{c}__new" for c in [ROW_COLUMN, *columns] if c not in key})
             .with_columns(pl.lit(True).alias("__present")))
    joined = before.join(after, on=key, how="left", nulls_equal=True)
    findings: list[Finding] = []
    for row in joined.filter(pl.col("__present").is_null()).iter_rows(named=True):
        findings.append(Finding(table, None, None, REMOVED_CHECK,
                                f"row {_key_text(row[k] for k in key)} of {table} (source {row[owner]}, which "
                                f"existed at {base}) was removed; it was row {row[ROW_COLUMN]} at {base}",
                                value=_key_text(row[k] for k in key)))
    present = joined.filter(pl.col("__present").is_not_null())
    for column in (c for c in columns if c not in key):
        differing = present.filter(canonical_cell(column, types.get(column, "string"))
                                   .ne_missing(canonical_cell(f"{column}__new", types.get(column, "string"))))
        for row in differing.iter_rows(named=True):
            findings.append(Finding(
                table, row[f"{ROW_COLUMN}__new"], column, CHANGED_CHECK,
                f"row {_key_text(row[k] for k in key)} of {table} (source {row[owner]}, which existed at {base}): "
                f"{column} changed from {_shown(row[column])} to {_shown(row[f'{column}__new'])}",
                value=row[f"{column}__new"]))
    return findings


def compare_texts(old: dict[str, str], new: dict[str, str], paths: dict[str, str], base: str) -> list[Finding]:
    """An error for each source of ``old`` whose text in ``new`` differs."""
    findings = []
    for source, text in old.items():
        now = new.get(source)
        if now is None or now == text:
            continue  # gone or unreadable now: the rows and the reader say so
        lines = changed_lines(text, now)
        findings.append(Finding(SOURCES, None, None, TEXT_CHECK,
                                f"the text of source {source} differs from its text at {base}, though every quote "
                                f"of it was checked against that text; changed lines: {' | '.join(lines)}",
                                value=source, path=paths.get(source)))
    return findings


def _read(package: Package):
    from jiutai_data.read.tables import read_package

    return read_package(package, keep_text=True).frames


@declares(Scope.PACKAGE, codes.BASE_UNREADABLE, codes.EXISTING_ROW_CHANGED, codes.EXISTING_ROW_REMOVED, codes.SOURCE_TEXT_CHANGED)
def check_against_base(package: Package, base: str) -> list[Finding]:
    """Findings for what changed since the package at the git revision ``base`` (see the module docstring)."""
    root = Path(package.root)
    with tempfile.TemporaryDirectory(prefix="jiutai-data-base-") as folder:
        try:
            if not root.is_dir():
                raise RevisionError(f"{root} is not a folder")
            materialise_revision(root, base, Path(folder))
        except RevisionError as error:
            return [Finding(None, None, None, BASE_CHECK, f"--base {base}: {error}; the history was not checked")]
        old_package = open_package(Path(folder))
        if old_package.descriptor is None:
            return [Finding(None, None, None, BASE_CHECK,
                            f"--base {base}: the package there cannot be read: "
                            + "; ".join(f.message for f in old_package.findings) + "; the history was not checked")]
        old = _read(old_package)
    new = _read(package)
    old_sources = old.text.get(SOURCES)
    owners = set(old_sources.get_column("id").drop_nulls().to_list()) if old_sources is not None \
        and "id" in old_sources.columns else set()
    paths = {}
    new_sources = new.text.get(SOURCES)
    if new_sources is not None and {"id", "path"} <= set(new_sources.columns):
        paths = {i: p for i, p in new_sources.select("id", "path").iter_rows() if i is not None}
    findings = compare_texts({k: v for k, v in old.texts.items() if k in owners}, new.texts, paths, base)
    for table, frame in old.text.items():
        if table in new.text and table in old.schemas and table in new.schemas:
            findings += compare_rows(table, frame, new.text[table], old.schemas[table], new.schemas[table], owners,
                                     base)
    return findings
