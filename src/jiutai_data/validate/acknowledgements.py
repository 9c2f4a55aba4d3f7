"""Acknowledged warnings: a reviewer accepts a warning in the data, with a reason.

A row of the acknowledgements table names a warning by its finding code, its table and
the primary key of its row (row_id). A warning it names is marked acknowledged (the
reason, who and when): reports still show it, but it is not counted among the warnings.
An acknowledgement that matches no warning of the run is itself a warning, so that one
cannot outlive the warning it was written for, nor be written for an error (an error
must be fixed, not acknowledged).

Pure: findings and frames in, findings out; run after every other check.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths

TABLE = "acknowledgements"
FINDING_CODE, TABLE_NAME, ROW_ID = "finding_code", "table_name", "row_id"
REASON, REVIEWED_BY, REVIEWED_ON = "reason", "reviewed_by", "reviewed_on"
COLUMNS = (FINDING_CODE, TABLE_NAME, ROW_ID, REASON, REVIEWED_BY, REVIEWED_ON)
UNMATCHED = codes.ACKNOWLEDGEMENT_UNMATCHED

Key = tuple[str, str, str]  # (finding code, table, row id)


def _row_ids(frames: PackageFrames, table: str) -> dict[int, str]:
    """CSV line -> the row's primary key as text (fields joined by ", " when there are several)."""
    frame = frames.table(table)
    key = (frames.schemas.get(table) or {}).get("primaryKey") or []
    key = [key] if isinstance(key, str) else list(key)
    if frame is None or not key or not {ROW_COLUMN, *key} <= set(frame.columns):
        return {}
    text = pl.concat_str([pl.col(name).cast(pl.String) for name in key], separator=", ")
    return dict(frame.select(ROW_COLUMN, text.alias("_key")).drop_nulls().iter_rows())


def _acknowledgements(frames: PackageFrames) -> dict[Key, dict[str, Any]]:
    frame = frames.table(TABLE)
    if frame is None or not {ROW_COLUMN, *COLUMNS} <= set(frame.columns):
        return {}
    rows = frame.select(ROW_COLUMN, *[pl.col(c).cast(pl.String) for c in COLUMNS])
    return {(row[FINDING_CODE], row[TABLE_NAME], row[ROW_ID]): row for row in rows.iter_rows(named=True)
            if row[FINDING_CODE] and row[TABLE_NAME] and row[ROW_ID]}


def _note(row: dict[str, Any]) -> str:
    return (f"{row[REASON]} (reviewed by {row[REVIEWED_BY]} on {row[REVIEWED_ON]}; "
            f"{TABLE} row {row[ROW_COLUMN]})")


def apply_acknowledgements(findings: list[Finding], frames: PackageFrames) -> list[Finding]:
    """``findings`` with the acknowledged warnings marked, and a warning for each
    acknowledgement that matches none."""
    acknowledgements = _acknowledgements(frames)
    if not acknowledgements:
        return findings
    ids: dict[str, dict[int, str]] = {}  # table -> its row IDs, read once and only where needed
    known: dict[str, set[str]] = {}  # table -> the set of its row IDs: a hash lookup per acknowledgement,
    # not a scan of the table's IDs (that was quadratic: +13 s at 24k acknowledgements)

    def row_ids(table: str) -> dict[int, str]:
        if table not in ids:
            ids[table] = _row_ids(frames, table)
        return ids[table]

    def has_row(table: str, row_id: str) -> bool:
        if table not in known:
            known[table] = set(row_ids(table).values())
        return row_id in known[table]

    def key_of(finding: Finding) -> Key | None:
        if finding.table is None or finding.row is None:
            return None
        row_id = row_ids(finding.table).get(finding.row)
        return None if row_id is None else (finding.check, finding.table, row_id)

    matched: set[Key] = set()
    errors: set[Key] = set()
    marked = []
    for finding in findings:
        key = key_of(finding)
        if key in acknowledgements:
            if finding.severity == "warning":
                matched.add(key)
                finding = replace(finding, acknowledged=_note(acknowledgements[key]))
            else:
                errors.add(key)
        marked.append(finding)
    path = resource_paths(frames.descriptor).get(TABLE)
    for key, row in acknowledgements.items():
        if key in matched:
            continue
        code, table, row_id = key
        if key in errors:
            why = "it names an error, which must be fixed rather than acknowledged"
        elif not has_row(table, row_id):
            why = f"the table {table} has no row {row_id}"
        else:
            why = "the warning is gone (or the finding code or table is misspelt)"
        marked.append(Finding(
            TABLE, row[ROW_COLUMN], ROW_ID, UNMATCHED,
            f"the acknowledgement of {code} for {table} row {row_id} matches no warning of this validation: {why}; "
            "expected every acknowledgement to name a warning that validate reports (remove the row once its "
            "warning is gone)", row_id, path=path))  # a warning: the code's severity
    return marked

