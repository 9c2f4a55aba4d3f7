"""The files in the package's data folders: only declared, plain files.

Export publishes only the files the package declares, so a stray file is never
published; but a contributor should still see it. A symbolic link anywhere in a
data folder is an error (links are refused, never followed: ``data/notes.txt``
linking to ``/etc/passwd`` must not reach a download), and so is anything that is
not a plain file (a pipe would hang a reader). A temporary file an interrupted
build left behind, or any other file no resource or source declares, is a warning; except in
a partitioned table's folder, where a file its resource does not list is an error
(``stray-part-file``): hive readers of the folder (pyarrow, DuckDB, Spark) read every file in it
as rows of the table, whatever the descriptor lists.
The folders walked are those that hold a resource's file (``data/``), derived from
the descriptor rather than listed here. Nothing is followed, opened or changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from jiutai_data.model import codes
from jiutai_data.model.files import TEMPORARY_FILE
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import PackageFrames
from jiutai_data.model.package import local_resources
from jiutai_data.validate.checks.declare import Scope, declares

SYMLINK_CHECK = codes.SYMLINK
NOT_A_FILE_CHECK = codes.NOT_A_FILE
TEMPORARY_FILE_CHECK = codes.LEFTOVER_TEMPORARY_FILE
UNDECLARED_FILE_CHECK = codes.UNDECLARED_FILE
STRAY_PART_CHECK = codes.STRAY_PART_FILE


def _normal(relative: str) -> str:
    return PurePosixPath(relative).as_posix()


def declared_paths(frames: PackageFrames) -> set[str]:
    """Every file the package declares, normalised: resource files, schemas, source texts."""
    declared: set[str] = set()
    for resource in local_resources(frames.descriptor or {}):
        declared.add(_normal(resource["path"]))
        if isinstance(resource.get("schema"), str):
            declared.add(_normal(resource["schema"]))
    sources = frames.table("sources")
    if sources is not None and "path" in sources.columns:
        declared.update(_normal(path) for path in sources.get_column("path").drop_nulls().to_list() if path)
    return declared


def data_folders(frames: PackageFrames) -> list[str]:
    """The top folders holding a resource's file (for this package, data/)."""
    folders = set()
    for resource in local_resources(frames.descriptor or {}):
        parts = PurePosixPath(resource["path"]).parts
        if len(parts) > 1 and parts[0] not in (".", ".."):
            folders.add(parts[0])
    return sorted(folders)


def partition_folders(frames: PackageFrames) -> dict[str, tuple[str, set[str]]]:
    """Folder -> (table, the part files its resource lists) of each partitioned table.

    The partitioned runner shows the checks a descriptor whose partitioned resources name their
    folder (validate/parts.py); the part files they list are then read from the
    descriptor on disk."""
    from jiutai_data.model.package import load_descriptor
    from jiutai_data.model.partitioning import PARTITIONING

    found: dict[str, tuple[str, set[str]]] = {}
    on_disk: dict[str, Any] | None = None
    for resource in (frames.descriptor or {}).get("resources") or []:
        if not isinstance(resource, dict) or not isinstance(resource.get(PARTITIONING), dict):
            continue
        path = resource.get("path")
        if isinstance(path, str):  # the runner's view: the folder
            if on_disk is None:
                on_disk = load_descriptor(Path(frames.root))[0] or {}
            listed = next((r.get("path") for r in on_disk.get("resources") or []
                           if isinstance(r, dict) and r.get("name") == resource.get("name")), None)
            folder = _normal(path)
        else:
            listed = path
            names = [p for p in path if isinstance(p, str)] if isinstance(path, list) else []
            folder = _normal(os.path.commonpath(names)) if names else ""
            if len(names) == 1:
                folder = _normal(str(PurePosixPath(names[0]).parent))
        parts = {_normal(p) for p in listed if isinstance(p, str)} if isinstance(listed, list) else set()
        while folder and "=" in PurePosixPath(folder).name:  # a partition folder: the table's is above it
            folder = _normal(str(PurePosixPath(folder).parent))
        if folder and folder != ".":
            found[folder] = (str(resource.get("name")), parts)
    return found


def _partition_of(relative: str, folders: dict[str, tuple[str, set[str]]]) -> tuple[str, set[str]] | None:
    for folder, entry in folders.items():
        if relative.startswith(folder + "/"):
            return entry
    return None


def _entries(root: Path, folder: str):
    """(relative path, lstat) of everything under root/folder, links not followed."""
    base = root / folder
    if base.is_symlink() or not base.is_dir():
        return
    for current, folders, files in os.walk(base, followlinks=False):
        for name in sorted(folders + files):
            path = Path(current) / name
            try:
                yield path.relative_to(root).as_posix(), path.lstat()
            except OSError:
                continue


@declares(Scope.FILES, codes.LEFTOVER_TEMPORARY_FILE, codes.NOT_A_FILE, codes.STRAY_PART_FILE, codes.SYMLINK, codes.UNDECLARED_FILE)
def check_files_in_data_are_declared(frames: PackageFrames) -> list[Finding]:
    root = Path(frames.root)
    declared = declared_paths(frames)
    partitions = partition_folders(frames)
    findings: list[Finding] = []
    for folder in data_folders(frames):
        if (root / folder).is_symlink():
            findings.append(Finding(None, None, None, SYMLINK_CHECK,
                                    f"the folder {folder}/ is a symbolic link (to {os.readlink(root / folder)}); "
                                    "expected a plain folder (links are refused, never followed)", path=folder))
            continue
        for relative, status in _entries(root, folder):
            mode = status.st_mode
            if stat.S_ISLNK(mode):
                if relative in declared:
                    continue  # reported with its resource or source row when the package was read
                findings.append(Finding(None, None, None, SYMLINK_CHECK,
                                        f"{relative} is a symbolic link (to {os.readlink(root / relative)}); "
                                        f"expected only plain files in {folder}/: links are refused, never "
                                        "followed or published (remove it)", path=relative))
            elif stat.S_ISDIR(mode):
                continue
            elif not stat.S_ISREG(mode):
                findings.append(Finding(None, None, None, NOT_A_FILE_CHECK,
                                        f"{relative} is not a plain file (a pipe, socket or device); expected only "
                                        f"files in {folder}/ (remove it)", path=relative))
            elif relative in declared:
                continue
            elif (partition := _partition_of(relative, partitions)) is not None:
                table, listed = partition
                if relative not in listed:
                    findings.append(Finding(table, None, None, STRAY_PART_CHECK,
                                            f"{relative} is in the folder of the partitioned table {table} but its "
                                            "resource does not list it; hive readers of the folder read it as rows "
                                            "of the table (remove it, or list it in the resource's path)",
                                            path=relative))
            elif TEMPORARY_FILE.match(PurePosixPath(relative).name):
                findings.append(Finding(None, None, None, TEMPORARY_FILE_CHECK,
                                        f"{relative} is a temporary file left by an interrupted write; "
                                        "`jiutai-data build` removes it (or delete it)", path=relative,
                                        severity="warning"))
            else:
                findings.append(Finding(None, None, None, UNDECLARED_FILE_CHECK,
                                        f"{relative} is in {folder}/ but no resource or source declares it, so it is "
                                        "not published; declare it, or remove it", path=relative,
                                        severity="warning"))
    return findings
