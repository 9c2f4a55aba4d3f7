"""`jiutai-data serve`: Datasette on the SQLite download with its metadata, on 127.0.0.1 only.

The database and metadata.json are the ones `jiutai-data export` wrote into dist/, so what is
served is what is downloaded. Datasette runs in its own process (the command below), so the
tests start exactly what a reader starts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jiutai_data.model.errors import CannotRun
from jiutai_data.publish.export import DATABASE, METADATA

# Loopback only: serving the data to a network is the reader's own decision, not a default.
HOST = "127.0.0.1"
DEFAULT_PORT = 8001
# Datasette suggests as facets the columns with few distinct values, among them the free text
# of a small table (quote, note, a name), whose every value is a sentence. The facets that mean
# something, the enum columns, are declared in the metadata (sqlite.py) and stay; any other
# column can still be faceted from its menu. (A setting, not metadata: Datasette 0.65 reads
# settings only from its command line.)
DATASETTE_SETTINGS = ("--setting", "suggest_facets", "off")


class ServeError(CannotRun, ValueError):
    """The export to serve is missing; the message says what to run."""


def datasette_command(dist: Path, port: int = DEFAULT_PORT) -> list[str]:
    """The command that serves `dist`'s database with its metadata."""
    database, metadata = Path(dist) / f"{DATABASE}.sqlite", Path(dist) / METADATA
    for path in (database, metadata):
        if not path.is_file():
            raise ServeError(f"{path}: missing; run `jiutai-data export` (or `make export`) first")
    import datasette  # noqa: F401  (fails here, with the extra to install, rather than in the child)

    # Immutable (-i): Datasette only reads the file, and may count its rows once and cache.
    return [sys.executable, "-m", "datasette", "serve", "-i", str(database), "--metadata", str(metadata),
            "--host", HOST, "--port", str(port), *DATASETTE_SETTINGS]


def serve(dist: Path, port: int = DEFAULT_PORT) -> None:
    """Replace this process by Datasette (so Ctrl-C and signals reach it directly)."""
    command = datasette_command(dist, port)
    sys.stdout.flush()
    sys.stderr.flush()  # exec discards what Python has not written yet
    os.execv(command[0], command)
