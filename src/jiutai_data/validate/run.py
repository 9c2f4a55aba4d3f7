"""validate_package: read a package, run every check, collect every finding.

``check_package`` does the same and keeps what it read (the package model and the typed
frames), so that a verb which publishes the package (build, export, site, summary) reads
the CSV files once, with the one reader, and publishes what was checked.

The checks run through the one engine (validate/engine.py), for every size and layout. All
of them run even when an earlier one finds errors, each on the rows and cells that could be
read. Validation only reads the package: it writes nothing in it and opens no network
connection.

Two things make one run cheaper than its parts: Pandera (slow to import, since
it loads pandas) is imported in a background thread while polars, which
releases the GIL, parses the tables; and every path is resolved once per run
(package.resolving_once), though the reader and the checks both ask.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiutai_data.model import codes
from jiutai_data.model.extras import require_installed
from jiutai_data.model.findings import Finding, Report
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import DESCRIPTOR, Package, open_package, resolving_once, resource_paths
from jiutai_data.model.schema import PANDERA_MODULE
from jiutai_data.validate.guard import run_check
from jiutai_data.validate.store import HOLD_BELOW


@dataclass
class Checked:
    """One validation run and what it read: the package, its typed frames and the report."""

    package: Package | None  # None only if opening it crashed (an internal finding says so)
    frames: PackageFrames | None  # None when no table could be read (no readable descriptor)
    report: Report


def validate_package(root: Path, base: str | None = None, hold_below: int | None = HOLD_BELOW,
                     executor: Any = map) -> Report:
    """Every problem of the package at ``root``. Never raises on bad input.

    ``base`` (a git revision, e.g. ``origin/main``) also compares the package with itself at
    that revision, read from git objects (validate/checks/history.py).

    ``hold_below``: the CSV bytes of the large tables up to which they are held in memory; above
    it they are spooled to disk in buckets of sources (validate/store.py). The same checks run
    either way, with the same findings; None holds them whatever their size.

    ``executor`` runs the checks of each batch of rows (validate/engine.py: ``map`` here, one
    batch after another; Spark's ``parallelize(...).map`` in scripts/bench_spark.py).

    ``report.stats`` holds ``tables``, ``rows`` (per table), ``sources``, ``batches``,
    ``errors``, ``warnings``, ``seconds``, ``paths`` (table -> file) and
    ``could_not_run`` (true when there was no readable descriptor to check).
    """
    return check_package(root, hold_below=hold_below, base=base, executor=executor).report


def check_package(root: Path, keep_text: bool = False, hold_below: int | None = None,
                  base: str | None = None, executor: Any = map) -> Checked:
    """Validate the package at ``root`` and keep what was read (see Checked).

    With ``keep_text`` the frames also hold every table's cells as written (for the site).
    By default every table is held in memory, since the verbs that publish need the frames;
    with ``hold_below``, a package whose large tables exceed that many bytes is checked from
    disk and ``frames`` is None (only ``validate`` asks).
    Raises MissingExtra (a ModuleNotFoundError) only when the toolchain is not installed."""
    # Checked before anything is read, so a light install hears which extra it lacks
    # instead of a report of crashed checks.
    require_installed("polars", PANDERA_MODULE.split(".")[0])
    started = time.perf_counter()
    root = Path(root)
    if root.name == DESCRIPTOR and root.is_file():
        root = root.parent  # the descriptor itself was named
    findings: list[Finding] = []
    frames = None
    with resolving_once():
        package = _guarded_load(root, findings)
        stats: dict[str, Any] = {"could_not_run": package is None or not package.can_run}
        if package is not None and package.can_run:
            frames = _run_checks(package, findings, stats, keep_text, hold_below, executor)
            if base is not None:  # the package against itself at the git revision base (checks/history.py)
                from jiutai_data.validate.checks import BASE_CHECK

                findings.extend(run_check(BASE_CHECK, stats.setdefault("seconds_by_step", {}), package, base))
    report = Report(findings=findings, stats=stats)
    stats["errors"] = len(report.errors)
    stats["warnings"] = len(report.warnings)
    stats["acknowledged"] = len(report.acknowledged)
    stats["seconds"] = round(time.perf_counter() - started, 3)
    return Checked(package, frames, report)


def _guarded_load(root: Path, findings: list[Finding]):
    try:
        package = open_package(root)
    except Exception as error:
        findings.append(Finding(None, None, None, codes.INTERNAL,
                                f"the package could not be opened: {type(error).__name__}: {error}"))
        return None
    findings.extend(package.findings)
    return package


def _import_quietly(module: str) -> None:
    try:
        importlib.import_module(module)
    except Exception:  # imported again where it is used, which reports the failure
        pass


def _import_in_background(module: str) -> threading.Thread | None:
    """Start importing ``module`` in a thread, unless it is imported already."""
    if module in sys.modules:
        return None
    thread = threading.Thread(target=_import_quietly, args=(module,), name=f"import {module}", daemon=True)
    thread.start()
    return thread


def _run_checks(package: Package, findings: list[Finding], stats: dict[str, Any],
                keep_text: bool = False, hold_below: int | None = HOLD_BELOW, executor: Any = map) -> PackageFrames | None:
    stats["paths"] = resource_paths(package.descriptor)
    importing = _import_in_background(PANDERA_MODULE)
    from jiutai_data.validate import engine

    try:
        # Pandera is imported beside the reading, and waited for before the checks
        frames = engine.run(package, findings, stats, keep_text, hold_below,
                            read=importing.join if importing is not None else None, executor=executor)
    except Exception as error:
        findings.append(Finding(None, None, None, codes.INTERNAL,
                                f"checking the package stopped with {type(error).__name__}: {error} "
                                "(please report this)"))
        return None
    return frames
