"""validate_package: read a package, run every check, collect every finding.

``check_package`` does the same and keeps what it read (the package model and the typed
frames), so that a verb which publishes the package (build, export, site, summary) reads
the CSV files once, with the one reader, and publishes what was checked.

Order: read (encoding, parsing, header, types) -> structure (field constraints,
primary keys) -> keys (foreign keys) -> hygiene -> the semantic checks of
checks.SEMANTIC_CHECKS. All of them run even when an earlier one finds errors,
each on the rows and cells that could be read. Validation only reads the
package: it writes nothing in it and opens no network connection. (A package checked in
bounded memory is spooled to a private temporary folder, removed when the run ends.)

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
from jiutai_data.model.memory import BOUNDED_ABOVE_BYTES, MEMORY_MODES
from jiutai_data.model.package import DESCRIPTOR, Package, open_package, resolving_once, resource_paths
from jiutai_data.model.schema import PANDERA_MODULE
from jiutai_data.validate.guard import acknowledged, run_check, timed


@dataclass
class Checked:
    """One validation run and what it read: the package, its typed frames and the report."""

    package: Package | None  # None only if opening it crashed (an internal finding says so)
    frames: PackageFrames | None  # None when no table could be read (no readable descriptor)
    report: Report


def validate_package(root: Path, memory: str = "auto", bounded_above: int | None = None,
                     base: str | None = None) -> Report:
    """Every problem of the package at ``root``. Never raises on bad input.

    ``memory`` says how the CSV tables with a source_id are held: ``whole`` reads them into
    memory, ``bounded`` reads them a chunk and a bucket at a time (validate/bounded.py, the
    same findings in a fraction of the memory, for some more time), and ``auto`` does the
    latter when they are larger than ``bounded_above`` bytes (model/memory.py).

    ``base`` (a git revision, e.g. ``origin/main``) also compares the package with itself at
    that revision, read from git objects (validate/checks/history.py).

    ``report.stats`` holds ``tables``, ``rows`` (per table), ``sources``,
    ``errors``, ``warnings``, ``seconds``, ``paths`` (table -> file) and
    ``could_not_run`` (true when there was no readable descriptor to check).
    """
    if memory not in MEMORY_MODES:
        raise ValueError(f"memory must be one of {', '.join(MEMORY_MODES)}, not {memory!r}")
    if memory == "whole":
        bounded_above = None
    elif memory == "bounded":
        bounded_above = -1
    elif bounded_above is None:
        bounded_above = BOUNDED_ABOVE_BYTES
    return check_package(root, bounded_above=bounded_above, base=base).report


def check_package(root: Path, keep_text: bool = False, bounded_above: int | None = None,
                  base: str | None = None) -> Checked:
    """Validate the package at ``root`` and keep what was read (see Checked).

    With ``keep_text`` the frames also hold every table's cells as written (for the site).
    With ``bounded_above``, a package whose large tables exceed that many bytes is checked
    in bounded memory and ``frames`` is None (only ``validate`` asks: the verbs that publish
    need the frames).
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
            frames = _run_checks(package, findings, stats, keep_text, bounded_above)
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
                keep_text: bool = False, bounded_above: int | None = None) -> PackageFrames | None:
    from jiutai_data.read.tables import read_package

    stats["paths"] = resource_paths(package.descriptor)
    importing = _import_in_background(PANDERA_MODULE)
    from jiutai_data.validate.partitioned import is_partitioned_package, run_partitioned

    if is_partitioned_package(package):
        # large tables in Parquet partitions: checked a batch of partitions at a time (validate/partitioned.py)
        if importing is not None:
            importing.join()
        try:
            run_partitioned(package, findings, stats)
        except Exception as error:
            findings.append(Finding(None, None, None, codes.INTERNAL,
                                    f"checking the partitioned tables stopped with {type(error).__name__}: {error} "
                                    "(please report this)"))
        return None
    if bounded_above is not None:
        from jiutai_data.validate import bounded

        if bounded.large_bytes(package) > bounded_above:
            if importing is not None:
                importing.join()
            try:
                bounded.run_bounded(package, findings, stats)
            except Exception as error:
                findings.append(Finding(None, None, None, codes.INTERNAL,
                                        f"checking the large tables in chunks stopped with {type(error).__name__}: "
                                        f"{error} (please report this)"))
            return None
    steps: dict[str, float] = stats.setdefault("seconds_by_step", {})
    try:
        with timed(steps, "read the CSV files (Pandera imports beside it)"):
            try:
                result = read_package(package, keep_text)
            finally:
                if importing is not None:
                    importing.join()
    except Exception as error:
        findings.append(Finding(None, None, None, codes.INTERNAL,
                                f"reading the tables stopped with {type(error).__name__}: {error} (please report this)"))
        return None
    findings.extend(result.findings)
    frames = result.frames
    stats["tables"] = len(frames.tables)
    stats["rows"] = {name: frame.height for name, frame in frames.tables.items()}
    stats["sources"] = len(frames.texts)

    # Named lazily, so that a check module that fails to import is one internal finding, not a crash.
    from jiutai_data.validate.checks import CORE_CHECKS

    structure, *others = CORE_CHECKS
    findings.extend(run_check(structure, steps, frames, result.cast_failures))
    for check in others:
        findings.extend(run_check(check, steps, frames))
    try:
        from jiutai_data.validate.checks import SEMANTIC_CHECKS
    except Exception as error:
        findings.append(Finding(None, None, None, codes.INTERNAL,
                                f"the semantic checks could not be loaded: {type(error).__name__}: {error}"))
        return frames
    for check in SEMANTIC_CHECKS:
        findings.extend(run_check(check, steps, frames))
    # Last: the acknowledgements table marks the warnings a reviewer has accepted.
    from jiutai_data.validate.acknowledgements import apply_acknowledgements

    findings[:] = acknowledged(findings, lambda found: apply_acknowledgements(found, frames))
    return frames
