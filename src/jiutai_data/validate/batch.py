"""The checks of one batch of rows, planned by the scope each check declares (checks/declare.py).

The engine (validate/engine.py) calls these for every package, whatever its size or layout:

- ``check_small``: every check on the small tables alone (the tables without a ``source_id``:
  sources, regions, units, topics, catalogue, acknowledgements) and on the package's files:
  the checks of scope FILES and ROW, and of PACKAGE for the small tables' own rows.
- ``check_rows``: every check of scope ROW and SOURCE on one batch of the large tables, with the
  small tables beside it and the texts of the batch's sources. A batch holds every row of its
  sources, so a source's rows and its text always meet in one batch.

The checks of scope TABLE and PACKAGE, and the primary keys and unique fields, need rows of
every batch at once: the engine runs them over the whole store (validate/whole.py).
"""

from __future__ import annotations

from typing import Any, Iterable

import polars as pl

from jiutai_data.model import codes
from jiutai_data.model import schema as table_schema
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import Package
from jiutai_data.read.tables import read_source_texts
from jiutai_data.validate.checks import LazyCheck, lazy
from jiutai_data.validate.checks.declare import Scope
from jiutai_data.validate.guard import run_check
from jiutai_data.validate.spool import SOURCE_ID

SOURCES = "sources"
REPEATS = (codes.UNIQUE, codes.PRIMARY_KEY)  # of the large tables: found over the whole store, not per batch


def scope_of(check: LazyCheck) -> Scope | None:
    """The scope a check declares, or None if it cannot say (run_check then reports why, once)."""
    try:
        return check.declaration.scope
    except Exception:
        return None


def semantic_checks(*scopes: Scope) -> list[LazyCheck]:
    """The semantic checks, in their order; with ``scopes``, only those that declare one of them."""
    from jiutai_data.validate.checks import SEMANTIC_CHECKS

    return [check for check in SEMANTIC_CHECKS if not scopes or scope_of(check) in scopes]


def check_small(frames: PackageFrames, failures: dict[str, pl.DataFrame], across_sources: bool,
                seconds: dict[str, float] | None = None) -> list[Finding]:
    """Every check on the small tables alone and on the package's files (no texts: the checks of
    a whole source run with its batch, and those of every row of a table over the whole store).
    ``across_sources``: run the PACKAGE checks here (no large table holds the figures they compare)."""
    found: list[Finding] = []
    found += run_check(lazy("structure", "check_structure"), seconds, frames, failures)
    found += run_check(lazy("keys", "check_foreign_keys"), seconds, frames)
    found += run_check(lazy("hygiene", "check_text_hygiene"), seconds, frames)
    skipped = {Scope.SOURCE, Scope.TABLE} | (set() if across_sources else {Scope.PACKAGE})
    for check in semantic_checks():
        if scope_of(check) not in skipped:
            found += run_check(check, seconds, frames)
    return found


def check_rows(package: Package, view: dict[str, Any], small: dict[str, pl.DataFrame], schemas: dict[str, Any],
               large: dict[str, pl.DataFrame], paths: dict[str, str], keep_sources: set[str],
               skip: dict[str, pl.DataFrame], seconds: dict[str, float] | None = None
               ) -> tuple[list[Finding], PackageFrames]:
    """Every check of scope ROW and SOURCE on one batch of the large tables (``large``, with the
    small tables beside them), against the texts of the sources in ``keep_sources`` and of those
    the batch's rows cite; the findings about the batch's rows and sources, and the frames they
    were found in. ``skip`` holds the cells each large table's reader already reported as failing
    to cast."""
    keep_sources = keep_sources | {value for frame in large.values() if SOURCE_ID in frame.columns
                                   for value in frame.get_column(SOURCE_ID).drop_nulls().unique().to_list()}
    sources = small.get(SOURCES)
    texts: dict[str, str] = {}
    hashes: dict[str, str] = {}
    found: list[Finding] = []
    if sources is not None and "id" in sources.columns:
        sources = sources.filter(pl.col("id").is_in(list(keep_sources)))
        texts, hashes, text_findings = read_source_texts(package.root, sources)
        found += text_findings
    frames = PackageFrames(root=package.root, descriptor=view, schemas=schemas,
                           tables={**small, **({SOURCES: sources} if sources is not None else {}), **large},
                           texts=texts, file_sha256=hashes, lookups=frozenset(small) - set(large))
    from_checks: list[Finding] = []
    for name, frame in large.items():
        schema = schemas[name]
        from_checks += [f for f in run_check(lazy("structure", "check_table_constraints"), seconds,
                                             name, frame, schema, paths[name], skip.get(name)) if f.check not in REPEATS]
        from_checks += run_check(lazy("hygiene", "check_table_hygiene"), seconds,
                                 name, frame, table_schema.string_fields(schema), paths[name])
    from_checks += run_check(lazy("keys", "check_foreign_keys"), seconds, frames)
    per_source: list[Finding] = []
    for check in semantic_checks(Scope.ROW, Scope.SOURCE):
        (per_source if scope_of(check) is Scope.SOURCE else from_checks).extend(run_check(check, seconds, frames))
    # The small tables were checked on their own; here only what is about this batch's rows,
    # or about its sources' texts, is kept.
    found += [f for f in from_checks if f.table in large or f.table is None] + per_source
    return found, frames


def once_each(findings: Iterable[Finding]) -> list[Finding]:
    """The same finding from two batches (a small-table finding, a source referenced from two) kept once."""
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for finding in findings:
        key = (finding.table, finding.row, finding.column, finding.check, finding.message, repr(finding.value),
               finding.severity, finding.path)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept
