"""What each check declares beside its definition: the rows it needs (its scope) and the finding
codes it raises, as frictionless-py's checks declare their error classes.

The runners plan from these declarations, never from a check's name: which checks run on each
batch of rows, which once on the package's files, which over every row of the package. The
guard holds every check to its word (a finding whose code the check does not declare becomes
an ``internal`` finding beside it, validate/guard.py), and the documentation of each code names
the checks that raise it (publish/docs.py).

The codes themselves (title, meaning, fix, severity) are declared once in model/codes.py, as
frictionless-py declares its errors apart from the checks that raise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, TypeVar

from jiutai_data.model import codes


class Scope(Enum):
    """The rows a check needs to see at once, from the least to the most."""

    ROW = "row"  # each row (and its cells) on its own, with the small tables beside it: any batch of rows
    SOURCE = "source"  # a source's rows with the source's text: a batch that holds whole sources
    TABLE = "table"  # every row of a table at once (an ID a note may cite from anywhere): over every batch
    PACKAGE = "package"  # every statement of one figure, across sources and batches: grouped by figure
    FILES = "files"  # the descriptor, the schemas, the files and the small tables, not the large tables' rows: once


DESCRIPTIONS = {
    Scope.ROW: "each row on its own, with the small tables beside it",
    Scope.SOURCE: "the rows of one source together with the source's text",
    Scope.TABLE: "every row of a table at once",
    Scope.PACKAGE: "every statement of one figure, across all sources",
    Scope.FILES: "the descriptor, the schemas and the files of the package",
}


@dataclass(frozen=True)
class Declaration:
    scope: Scope
    raises: frozenset[str]


class Undeclared(TypeError):
    """A check without a declaration (a bug: the runners could not plan it)."""


F = TypeVar("F", bound=Callable[..., Any])


def declares(scope: Scope, *raises: str) -> Callable[[F], F]:
    """Mark a check with the scope it needs and the codes it raises; every code must be declared
    in model/codes.py (checked here, when the check's module is imported)."""
    for code in raises:
        codes.lookup(code)

    def mark(check: F) -> F:
        check.declaration = Declaration(scope, frozenset(raises))  # type: ignore[attr-defined]
        return check

    return mark


def declaration_of(check: Callable[..., Any]) -> Declaration:
    declaration = getattr(check, "declaration", None)
    if not isinstance(declaration, Declaration):
        raise Undeclared(f"the check {getattr(check, '__qualname__', check)!r} declares neither its scope nor its codes "
                         "(decorate it with validate.checks.declare.declares)")
    return declaration
