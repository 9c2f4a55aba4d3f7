"""Render a validation Report as text (for a terminal), Markdown (for a pull request) or JSON."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

from jiutai_data.model.findings import Finding, Report
from jiutai_data.model.package import DESCRIPTOR

MARKDOWN_ROW_LIMIT = 200


def render_report(report: Report, fmt: str = "text") -> str:
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(renderers)}")
    return renderers[fmt](report)


# --- shared ------------------------------------------------------------------

def _file_of(finding: Finding, report: Report) -> str:
    if finding.path:
        return finding.path
    paths = report.stats.get("paths") or {}
    if finding.table in paths:
        return paths[finding.table]
    return finding.table or DESCRIPTOR


def _ordered(findings: list[Finding], report: Report) -> list[Finding]:
    """Package-level first, then tables in the descriptor's order, then by row and column."""
    order = {name: i for i, name in enumerate(report.stats.get("paths") or {})}
    return sorted(findings, key=lambda f: (
        f.table is not None, order.get(f.table, len(order)), f.table or "",
        f.row if f.row is not None else -1, f.column or "", f.check))


def plural(count: int, word: str) -> str:
    """1 error, 2 errors, 1,229 rows: a count with its word, for every message the tools print."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _split_build_outputs(report: Report) -> tuple[list[Finding], list[Finding]]:
    """(errors to show one by one, errors about build outputs to show as one line).

    Stale Parquet twins, bytes and hashes are fixed by `jiutai-data build`, which refuses to
    run while other errors remain: so while there are others, those are what to read first."""
    errors = report.errors
    others = [f for f in errors if not f.build_output]
    if not others or len(others) == len(errors):
        return errors, []
    return others, [f for f in errors if f.build_output]


def _build_outputs_line(grouped: list[Finding], shown: int) -> str:
    counts: dict[str, int] = {}
    for finding in grouped:
        counts[finding.check] = counts.get(finding.check, 0) + 1
    kinds = ", ".join(f"{check} {count:,}" for check, count in sorted(counts.items()))
    return (f"… and {plural(len(grouped), 'finding')} about build outputs ({kinds}): fix the "
            f"{plural(shown, 'error')} above, then run `jiutai-data build`")


def _summary(report: Report) -> str:
    stats = report.stats
    if stats.get("could_not_run"):
        return "could not run: " + "; ".join(f.message for f in report.errors)
    verdict = "valid" if report.valid else "invalid"
    rows = sum((stats.get("rows") or {}).values())
    acknowledged = f" ({len(report.acknowledged):,} more acknowledged)" if report.acknowledged else ""
    return (f"{verdict}: {plural(len(report.errors), 'error')}, {plural(len(report.warnings), 'warning')}"
            f"{acknowledged}; "
            f"{plural(stats.get('tables', 0), 'table')}, {plural(rows, 'row')}, "
            f"{plural(stats.get('sources', 0), 'source')} checked in {stats.get('seconds', 0):.2f} s")


# --- text -------------------------------------------------------------------------

def _line(finding: Finding, report: Report) -> str:
    where = _file_of(finding, report) + (f":{finding.row}" if finding.row is not None else "")
    column = f" {finding.column}:" if finding.column else ""
    acknowledged = f" [acknowledged: {finding.acknowledged}]" if finding.acknowledged else ""
    return f"{where}:{column} {finding.check}: {finding.message}{acknowledged}"


def _text_section(title: str, findings: list[Finding], report: Report) -> list[str]:
    lines: list[str] = []
    current: object = object()
    for finding in _ordered(findings, report):
        if finding.table != current:
            current = finding.table
            group = [f for f in findings if f.table == current]
            name = current or "package"
            lines += ["", f"{title} in {name} ({_file_of(finding, report) if current else DESCRIPTOR}): {len(group)}"]
        lines.append("  " + _line(finding, report))
    return lines


def render_text(report: Report) -> str:
    shown, grouped = _split_build_outputs(report)
    lines = _text_section("errors", shown, report)
    if grouped:
        lines += ["", _build_outputs_line(grouped, len(shown))]
    lines += (_text_section("warnings", report.warnings, report)
              + _text_section("acknowledged warnings", report.acknowledged, report))
    lines += ["", _summary(report)]
    return "\n".join(lines).lstrip("\n")


# --- markdown --------------------------------------------------------------------

def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ")


def render_markdown(report: Report) -> str:
    stats = report.stats
    if stats.get("could_not_run"):
        heading = "## ❌ jiutai-data validate: could not run"
    elif report.valid:
        heading = "## ✅ jiutai-data validate: valid"
    else:
        heading = f"## ❌ jiutai-data validate: {plural(len(report.errors), 'error')}"
    lines = [heading, "", _summary(report), ""]
    shown, grouped = _split_build_outputs(report)
    findings = _ordered(shown, report) + _ordered(report.warnings, report) + _ordered(report.acknowledged, report)
    if findings:
        lines += ["| | File | Row | Column | Check | Message |", "|---|---|---|---|---|---|"]
        for finding in findings[:MARKDOWN_ROW_LIMIT]:
            mark = "❌" if finding.severity == "error" else "☑️" if finding.acknowledged else "⚠️"
            message = finding.message + (f" **Acknowledged:** {finding.acknowledged}" if finding.acknowledged else "")
            lines.append(f"| {mark} | {_cell(_file_of(finding, report))} | {_cell(finding.row)} | "
                         f"{_cell(finding.column)} | {_cell(finding.check)} | {_cell(message)} |")
        if len(findings) > MARKDOWN_ROW_LIMIT:
            lines += ["", f"_… and {len(findings) - MARKDOWN_ROW_LIMIT:,} more not shown; run "
                          "`jiutai-data validate` locally for the full list._"]
    if grouped:
        lines += ["", f"_{_build_outputs_line(grouped, len(shown))}._"]
    return "\n".join(lines)


# --- JSON -----------------------------------------------------------------------

def jsonable(value: Any) -> Any:
    """``value`` as plain JSON: dates as ISO strings, NaN and infinities as text."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(item) for item in value]
    return str(value)


def _finding_json(finding: Finding) -> dict[str, Any]:
    return jsonable({
        "table": finding.table, "row": finding.row, "column": finding.column, "check": finding.check,
        "message": finding.message, "value": finding.value, "severity": finding.severity, "path": finding.path,
        "build_output": finding.build_output, "acknowledged": finding.acknowledged,
    })


def render_json(report: Report) -> str:
    document = {
        "valid": report.valid,
        "errors": [_finding_json(f) for f in _ordered(report.errors, report)],
        "warnings": [_finding_json(f) for f in _ordered(report.warnings, report)],
        "acknowledged": [_finding_json(f) for f in _ordered(report.acknowledged, report)],
        "stats": jsonable(report.stats),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
