"""Writing files so that a reader never sees half of one, only inside the folder meant, and
reading files only when they are plain files; hashing them."""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator

from jiutai_data.model.errors import UnsafePathError

HASH_ALGORITHM = "sha256"
# What a resource's `hash` may name (as Frictionless checks them); "shake_128" and the like have no fixed length.
SUPPORTED_HASH_ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")


# The one place a digest is taken: every hash the package checks or writes comes from these.
def new_digest(algorithm: str = HASH_ALGORITHM):
    """A running digest, for a file hashed as it is read in blocks."""
    return hashlib.new(algorithm)


def sha256_of_bytes(data: bytes, algorithm: str = HASH_ALGORITHM) -> str:
    digest = new_digest(algorithm)
    digest.update(data)
    return digest.hexdigest()


def sha256_of_file(path: Path, algorithm: str = HASH_ALGORITHM) -> str:
    """The digest of ``path``, read through open_regular_file (no link followed, no pipe waited on)."""
    with open_regular_file(path) as stream:
        return hashlib.file_digest(stream, lambda: new_digest(algorithm)).hexdigest()


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


# --- where a verb may write, and what it may read --------------------------------------------

# The largest source text add-source reads (the committed source is 15 kB; a long
# government report is under 1 MB): a larger file is refused before it is read.
# `add-source --max-bytes` changes it.
SOURCE_TEXT_MAX_BYTES = 20 * 1024 * 1024

# The one name a package, a resource or a file a verb writes may take: the Data
# Package spec's pattern for names, and never "..", so that a name is never a path.
SAFE_NAME_PATTERN = r"^[a-z0-9._-]+$"
_SAFE_NAME = re.compile(SAFE_NAME_PATTERN)
# Temporary files that write_atomically leaves behind when a run is killed: ".<name>.<random>.tmp".
TEMPORARY_FILE = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]+\.tmp$")


class OutputPathError(UnsafePathError, ValueError):
    """A file a verb was about to write would land outside its output folder; nothing was written."""


class NotARegularFile(OSError):
    """The path is a symbolic link, a device, a pipe or a folder, not a plain file."""


class FileTooLarge(OSError):
    """The file is larger than the limit its reader allows."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


@contextmanager
def replaced_atomically(path: Path, mode: int = 0o644) -> Iterator[str]:
    """A temporary file beside `path` for a writer that needs a file name (SQLite, xlsxwriter):
    when the block ends it is renamed onto `path` in one step; if the block raises, it is removed,
    and `path` is left as it was."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        yield temporary
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a package or resource name (it would name a file), or None."""
    if not isinstance(name, str) or not _SAFE_NAME.match(name):
        return (f"the name {name!r} must be lowercase ASCII letters, digits, '.', '_' and '-' only "
                f"(the Data Package spec's {SAFE_NAME_PATTERN})")
    if ".." in name:
        return f"the name {name!r} must not contain '..'"
    return None


def refuse_linked_folder(*folders: Path) -> None:
    """OutputPathError if an output folder is a symbolic link (or something else than a folder).

    A pull request can commit `dist` as a link (git tracks links; `dist/` in .gitignore matches
    folders only): resolving it would send every download and page to wherever it points."""
    for folder in folders:
        if os.path.islink(folder):
            raise OutputPathError(f"the output folder {folder} is a symbolic link (to {os.readlink(folder)}); "
                                  "refusing to write through it: remove the link and run again")
        if os.path.lexists(folder) and not os.path.isdir(folder):
            raise OutputPathError(f"the output folder {folder} is not a folder; refusing to write into it")


def resolve_output(folder: Path, relative: str) -> Path:
    """The file ``relative`` names inside the output ``folder``, or OutputPathError.

    Every file a verb writes goes through here: a relative path without '..', that
    stays inside ``folder`` once any links under it are resolved, in a ``folder`` that is not
    itself a link (see refuse_linked_folder)."""
    refuse_linked_folder(folder)
    parts = PurePosixPath(relative).parts if isinstance(relative, str) else ()
    if (not parts or PurePosixPath(relative).is_absolute() or ".." in parts or "\\" in relative
            or "\x00" in relative):
        raise OutputPathError(f"{relative!r} is not a plain relative path; refusing to write it into {folder}")
    base = Path(folder).resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or target == base:
        raise OutputPathError(f"{relative!r} would be written outside {folder}; refusing to write it")
    return Path(folder) / relative  # as the caller named the folder, for its messages


def archive_entry(folder: str, relative: str) -> str:
    """A zip entry name: relative, normalised, '/'-separated, without '..'; or OutputPathError.
    An empty ``folder`` puts the entry at the zip's root."""
    expected = f"{folder}/{relative}" if folder else relative
    name = posixpath.normpath(expected)
    parts = PurePosixPath(name).parts
    if (name.startswith("/") or ".." in parts or "\\" in name or not parts or (folder and parts[0] != folder)
            or name != expected):
        raise OutputPathError(f"the zip entry {expected} is not a plain relative path; refusing to write it")
    return name


@contextmanager
def open_regular_file(path: Path, max_bytes: int | None = None) -> Iterator[BinaryIO]:
    """``path`` opened for reading if it is a regular file (not a link, device, pipe or folder).

    Opened without following a symbolic link and without blocking (a pipe would), then
    checked on the open handle, so the file read is the file checked. With ``max_bytes``,
    a larger file is refused (FileTooLarge)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if os.path.islink(path):
            raise NotARegularFile(f"{path} is a symbolic link; only plain files are read") from None
        raise error
    with os.fdopen(handle, "rb") as stream:
        status = os.fstat(stream.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise NotARegularFile(f"{path} is not a plain file (a device, a pipe or a folder)")
        if max_bytes is not None and status.st_size > max_bytes:
            raise FileTooLarge(f"{path} has {status.st_size} bytes, more than the limit of {max_bytes}", max_bytes)
        yield stream


def read_regular_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of ``path`` if it is a regular file (see open_regular_file). With
    ``max_bytes``, no more than that is read: FileTooLarge says so."""
    with open_regular_file(path, max_bytes) as stream:
        data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:  # it grew while being read
        raise FileTooLarge(f"{path} has more than the limit of {max_bytes} bytes", max_bytes)
    return data


def leftover_temporary_files(folder: Path) -> list[Path]:
    """The temporary files an interrupted write_atomically left in ``folder`` (not below it)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir()
                  if TEMPORARY_FILE.match(path.name) and path.is_file() and not path.is_symlink())
