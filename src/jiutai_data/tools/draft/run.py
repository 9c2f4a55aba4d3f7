"""The verb: draft the rows of one registered source into ``<out>/<source_id>/``.

Each file has exactly the columns its table's schema declares, in order, then
``confidence`` and ``reason`` (a table that has a ``reason`` column of its own, such as
omissions, gets the draft's reason there). Nothing is written outside that folder, a
folder that is a symbolic link is refused, and drafts already there are kept unless
``force`` is given: they may hold a reviewer's edits.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from jiutai_data.model.errors import JiutaiError
from jiutai_data.model.files import write_atomically
from jiutai_data.model.ids import KEBAB
from jiutai_data.tools.add_source import package_argument
from jiutai_data.tools.draft.drafts import CATALOGUE, INDICATORS, OMISSIONS, PLANS, PROJECTS, UNITS, Draft
from jiutai_data.tools.draft.package import PackageReadError, read_facts, read_source
from jiutai_data.tools.draft.rows import draft_all

DRAFT_TABLES = (INDICATORS, PLANS, PROJECTS, OMISSIONS)
CONFIDENCE, REASON = "confidence", "reason"
DEFAULT_FOLDER = "drafts"


class DraftError(JiutaiError):
    """The draft could not be made; the message says why and what to do."""


@dataclass
class DraftResult:
    source_id: str
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    new_codes: int = 0
    package: str = ""  # the package folder as a command argument, empty for the default package

    def describe(self) -> list[str]:
        lines = [f"draft: drafted source {self.source_id} into {self.folder}"]
        for table, path in self.files.items():
            lines.append(f"  {path}: {self.counts.get(table, 0)} rows")
        lines += [
            "",
            "Next steps (CONTRIBUTING.md explains each):",
            "  1. Review the rows in a spreadsheet or editor: correct them, delete wrong ones, add missing ones;",
            "     fill every empty name_en; `confidence` and `reason` say how sure the draft is and why.",
            f"  2. Append them to the tables: jiutai-data accept {self.folder}{self.package}",
            f"  3. Build and check: jiutai-data build{self.package} && jiutai-data validate{self.package}",
        ]
        return lines


def draft_columns(table_columns: list[str]) -> list[str]:
    """The header of a draft file: the table's columns, then confidence and reason."""
    extra = [c for c in (CONFIDENCE, REASON) if c not in table_columns]
    return table_columns + extra


def _format(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def render_csv(columns: list[str], drafts: list[Draft]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = draft_columns(columns)
    writer.writerow(header)
    for draft in drafts:
        row = dict(draft.values)
        row[CONFIDENCE] = draft.confidence
        row[REASON] = draft.reason()
        writer.writerow([_format(row.get(column)) for column in header])
    return buffer.getvalue().encode("utf-8")


def draft_source(root: Path, source_id: str, out: Path | None = None, *, force: bool = False) -> DraftResult:
    root = Path(root)
    if not re.fullmatch(KEBAB, source_id):
        # the ID names the drafts folder: nothing but kebab-case may reach the file system
        raise DraftError(f"{source_id!r} is not a source ID (lowercase ASCII letters, digits and single hyphens)")
    try:
        facts = read_facts(root)
        source = read_source(facts, source_id)
    except PackageReadError as error:
        raise DraftError(str(error)) from None
    missing = [t for t in DRAFT_TABLES if t not in facts.columns]
    if missing:
        raise DraftError(f"the package has no {', '.join(missing)} table; a draft needs all of {', '.join(DRAFT_TABLES)}")
    base = Path(out) if out is not None else root / DEFAULT_FOLDER
    folder = base / source_id
    for path in (base, folder):
        if path.is_symlink():
            raise DraftError(f"{path} is a symbolic link; draft writes only into a real folder")
    tables = list(DRAFT_TABLES) + ([CATALOGUE] if facts.has_catalogue_table else []) + (
        [UNITS] if UNITS in facts.columns else [])
    existing = [folder / f"{t}.csv" for t in tables if (folder / f"{t}.csv").exists()]
    if existing and not force:
        raise DraftError(f"{folder} already holds drafts ({', '.join(p.name for p in existing)}), perhaps with a "
                         "reviewer's edits; move them away, or run again with --force to overwrite them")
    # units the package lacks are proposed as rows of the units table (often none: the file
    # then holds only its header, and accept appends nothing from it)
    drafts, catalogue, units = draft_all(source.text, source_id, source.published, facts)
    result = DraftResult(source_id, folder, package=package_argument(root))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for table in tables:
            rows = catalogue if table == CATALOGUE else units if table == UNITS else [
                d for d in drafts if d.table == table]
            path = folder / f"{table}.csv"
            if path.is_symlink():
                raise DraftError(f"{path} is a symbolic link; draft writes only real files")
            write_atomically(path, render_csv(facts.columns[table], rows))
            result.files[table], result.counts[table] = path, len(rows)
    except OSError as error:
        raise DraftError(f"cannot write into {folder}: {error}") from None
    result.new_codes = len(catalogue)
    return result
