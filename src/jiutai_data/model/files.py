"""Writing files so that a reader never sees half of one, and hashing them."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

HASH_ALGORITHM = "sha256"


def sha256_of_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _new_file_mode() -> int:
    # mkstemp creates 0600 files; give the result the mode a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly those bytes.

    The bytes go to a temporary file in the same folder, which then replaces `path` in one
    rename, so an interrupted write leaves the old file (or none) and no temporary file.
    Returns True when the file was written, False when it was already up to date."""
    if path.is_file() and path.read_bytes() == data:
        return False
    mode = path.stat().st_mode & 0o777 if path.exists() else _new_file_mode()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
