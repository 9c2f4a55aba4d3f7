"""Foreign keys: every reference resolves to a row of the table it names, also across tables.

(Primary keys are enforced with the other field constraints, in the generated
Pandera schema; see structure.py.)
"""

from __future__ import annotations

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.package import resource_paths
from jiutai_data.model.schema import ForeignKey, foreign_keys


def _unresolved(child: pl.DataFrame, parent: pl.DataFrame, key: ForeignKey) -> pl.DataFrame:
    """Rows of ``child`` whose key is set but matches no row of ``parent`` (an anti-join).

    Both sides are compared as text, so a key typed differently in the two
    schemas still joins. A key with a missing part is not checked, as in
    Frictionless.
    """
    as_text = [pl.col(name).cast(pl.String) for name in key.fields]
    references = parent.select(
        pl.col(ref).cast(pl.String).alias(name) for ref, name in zip(key.reference_fields, key.fields)
    ).unique()
    return (child.select(ROW_COLUMN, *as_text)
            .filter(pl.all_horizontal(pl.col(name).is_not_null() for name in key.fields))
            .join(references, on=key.fields, how="anti")
            .sort(ROW_COLUMN))


def check_foreign_keys(frames: PackageFrames) -> list[Finding]:
    paths = resource_paths(frames.descriptor)
    findings: list[Finding] = []
    for table, frame in frames.tables.items():
        for key in foreign_keys(frames.schemas.get(table, {})):
            referenced = key.resource or table
            path = paths.get(table)
            target = f"{referenced}.{', '.join(key.reference_fields)}"
            if referenced not in paths:
                findings.append(Finding(table, None, key.fields[0] if key.fields else None, codes.FOREIGN_KEY,
                                        f"the schema refers to table {referenced!r}, which the package does not declare",
                                        path=path))
                continue
            parent = frames.tables.get(referenced)
            if parent is None:
                continue  # that table could not be read; it is reported already
            absent = [n for n in key.fields if n not in frame.columns] + \
                     [n for n in key.reference_fields if n not in parent.columns]
            if absent or len(key.fields) != len(key.reference_fields) or not key.fields:
                findings.append(Finding(table, None, None, codes.FOREIGN_KEY,
                                        f"the foreign key {key.fields} -> {target} names columns that do not "
                                        f"exist or do not pair up: {absent}", path=path))
                continue
            for row, *values in _unresolved(frame, parent, key).iter_rows():
                value = values[0] if len(values) == 1 else values
                findings.append(Finding(table, row, key.fields[0] if len(key.fields) == 1 else None, codes.FOREIGN_KEY,
                                        f"{value!r} is not in {target}; expected a value of {target}",
                                        value, path=path))
    return findings
