"""The one record every check returns and every report renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from jiutai_data.model import codes
from jiutai_data.model.codes import Severity


@dataclass(frozen=True)
class Finding:
    """One problem found in a package.

    ``table`` is the resource name (e.g. ``indicators``), or None for package-level
    problems; ``row`` is the line number in the CSV file (header = 1, as Frictionless
    counts), or None for table-level problems; ``column`` is the field name or None.
    ``check`` is a code declared in :mod:`jiutai_data.model.codes` (e.g. ``codes.ENUM``);
    an undeclared one is refused, and ``severity`` defaults to the code's.
    """

    table: str | None
    row: int | None
    column: str | None
    check: str
    message: str
    value: Any = None
    severity: Severity | None = None  # None: the code's default severity
    path: str | None = None  # file the finding is about, relative to the package root
    # A warning a reviewer has accepted (a row of the acknowledgements table): the reason,
    # who and when. It is still shown, but it is not counted among the warnings.
    acknowledged: str | None = None

    def __post_init__(self) -> None:
        code = codes.lookup(self.check)  # raises UnknownCode: a check made up a code
        if self.severity is None:
            object.__setattr__(self, "severity", code.severity)

    @property
    def build_output(self) -> bool:
        """Whether the finding is about a file `jiutai-data build` rewrites (a rebuild fixes it)."""
        return codes.is_build_output(self.check)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    """Everything one validation run found, plus counts for the summary."""

    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """The warnings no reviewer has acknowledged yet."""
        return [f for f in self.findings if f.severity == "warning" and f.acknowledged is None]

    @property
    def acknowledged(self) -> list[Finding]:
        """The warnings a reviewer has acknowledged in the data: shown, but failing nothing."""
        return [f for f in self.findings if f.severity == "warning" and f.acknowledged is not None]

    @property
    def valid(self) -> bool:
        return not self.errors
