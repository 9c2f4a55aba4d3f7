"""One check's failure is one finding, not the end of the run: the guard every runner puts around a check."""

from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, Iterable, Iterator

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.validate.checks.declare import Declaration, declaration_of


def check_name(check: Callable[..., Any]) -> str:
    """``module.function`` of a check, as findings about it name it."""
    if isinstance(getattr(check, "name", None), str):  # a LazyCheck names itself without importing its module
        return check.name  # type: ignore[attr-defined]
    module = getattr(check, "__module__", "") or ""
    name = getattr(check, "__name__", repr(check))
    return name if "." in name else f"{module.rsplit('.', 1)[-1]}.{name}"


def guarded(name: str, run: Callable[[], Iterable[Finding]], seconds: dict[str, float] | None = None) -> list[Finding]:
    """The findings of one check, or one ``internal`` finding if the check itself failed.
    With ``seconds``, the check's time is added to ``seconds[name]`` (``report.stats["seconds_by_step"]``:
    where a run spends its time, which `make bench` reports)."""
    with timed(seconds, name):
        try:
            return list(run())
        except Exception as error:  # a bug in one check must not hide what the others find
            return [Finding(None, None, None, codes.INTERNAL,
                            f"the check {name} stopped with {type(error).__name__}: {error}; "
                            "its findings are missing (please report this)")]


def run_check(check: Callable[..., Iterable[Finding]], seconds: dict[str, float] | None, *args: Any) -> list[Finding]:
    """``check(*args)``, guarded, and held to its declaration: a check that declares nothing is
    not run, and a finding whose code the check does not declare gets an ``internal`` finding
    beside it (the finding itself is kept: a check's bookkeeping must not hide what it found)."""
    name = check_name(check)

    def run() -> list[Finding]:
        declared = declaration_of(check)
        return undeclared(name, declared, list(check(*args)))

    return guarded(name, run, seconds)


def undeclared(name: str, declared: Declaration, findings: list[Finding]) -> list[Finding]:
    """``findings``, and one ``internal`` finding per code among them that the check does not declare."""
    stray = sorted({f.check for f in findings} - declared.raises - {codes.INTERNAL})
    return [*findings, *(Finding(None, None, None, codes.INTERNAL,
                                 f"the check {name} raised the code {code!r}, which it does not declare "
                                 "(please report this)") for code in stray)]


@contextlib.contextmanager
def timed(seconds: dict[str, float] | None, step: str) -> Iterator[None]:
    """Add the time of the block to ``seconds[step]`` (nothing when ``seconds`` is None)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        if seconds is not None:
            seconds[step] = seconds.get(step, 0.0) + time.perf_counter() - started


def acknowledged(findings: list[Finding], apply: Callable[[list[Finding]], list[Finding]]) -> list[Finding]:
    """``apply(findings)`` (the acknowledgements marking the warnings they name), or, if that
    fails, the findings unmarked and one ``internal`` finding saying so: as for a check."""
    try:
        return apply(findings)
    except Exception as error:
        return [*findings, Finding(None, None, None, codes.INTERNAL,
                                   f"the acknowledgements could not be applied: {type(error).__name__}: {error} "
                                   "(please report this)")]
