"""The typed, in-memory form of a package that every semantic check reads.

The reader (read/tables.py) produces it; the checks in validate/checks/ consume it. Checks never
re-read CSV files themselves, so the package is parsed once per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: a light install (load() alone) has no polars
    import polars as pl

# Every table frame carries the CSV row number (header = 1, first data row = 2)
# in this column, so a check can name the row of anything it finds.
ROW_COLUMN = "_row"
# The column of the reader's cast failures that names the field of a cell that failed to cast,
# so the structure checks skip cells already reported.
FAILED_COLUMN = "column"


@dataclass
class PackageFrames:
    root: Path
    descriptor: dict[str, Any]
    # table name (e.g. "indicators") -> its Table Schema as a dict
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    # table name -> typed frame of the rows that parsed, with ROW_COLUMN first;
    # a table that could not be read at all is absent
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    # table name -> the cells as written (strings, missing values null), same rows as ``tables``;
    # filled only when the reader is asked to keep them (for the site, diff and add-source)
    text: dict[str, pl.DataFrame] = field(default_factory=dict)
    # source id -> full text of its file, for sources whose path was safe and readable
    texts: dict[str, str] = field(default_factory=dict)
    # path as written (sources.path, or a resource's descriptor path) -> SHA-256 (hex) of
    # the bytes the reader read. Filled for every source text that was read and for
    # each CSV resource that declares a "sha256:" hash, so the hash checks need not
    # read or hash those files again; a path that is absent was not read.
    file_sha256: dict[str, str] = field(default_factory=dict)

    # tables present only to be looked up (a batch's small tables, checked once on their own):
    # a check of each row skips their rows (``rows_to_check``), never their lookups
    lookups: frozenset[str] = frozenset()

    def table(self, name: str) -> pl.DataFrame | None:
        return self.tables.get(name)

    def rows_to_check(self) -> list[tuple[str, pl.DataFrame]]:
        """The tables whose rows a check of each row checks: every table but the lookups."""
        return [(name, frame) for name, frame in self.tables.items() if name not in self.lookups]
