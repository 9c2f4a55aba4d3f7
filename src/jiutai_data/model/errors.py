"""The errors the library raises on bad input or a package it cannot use.

Every one derives from JiutaiError and carries the exit status that `cli.py` gives it, in one
place: 1 for invalid input (a package or argument that is wrong), 2 when the command could not
run (no package there, an unreadable descriptor, a revision that does not exist). The message
says what was wrong and where, for a person; no verb shows a traceback for any of them.
"""

from __future__ import annotations

EXIT_OK, EXIT_INVALID, EXIT_CANNOT_RUN = 0, 1, 2


class JiutaiError(Exception):
    """Base of every error the library raises for bad input."""

    exit_status = EXIT_INVALID
    verdict = ""  # said before the message, e.g. "refused"


class UnsafePathError(JiutaiError):
    """A path that is absolute, a URL, or leaves the package (directly or through a link)."""


class InvalidPackage(JiutaiError):
    """The package is there but cannot be published as it is (a missing schema, a bad cell)."""


class UnreadablePackage(InvalidPackage):
    """No package at that place, or its descriptor cannot be read: nothing could run."""

    exit_status = EXIT_CANNOT_RUN


class RefusedOutput(JiutaiError):
    """A verb refused to write its output (an export or a site of a package that is not valid)."""

    verdict = "refused"


class StaleExport(RefusedOutput):
    """The site needs the export's files, and they are missing or do not match the package."""


class CannotRun(JiutaiError):
    """The command could not run for a reason outside the package (e.g. git, a revision)."""

    exit_status = EXIT_CANNOT_RUN


class UnknownTable(JiutaiError, KeyError):
    """A table asked for by name (``load``) that the package does not have. Also a KeyError,
    so code written for a mapping's miss still catches it."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class MissingTwin(JiutaiError, FileNotFoundError):
    """A table's Parquet twin is not built yet (``load`` reads twins). Also a FileNotFoundError."""

