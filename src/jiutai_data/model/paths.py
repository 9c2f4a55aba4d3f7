"""Which package a command reads: the one the user stands in, else this repository's own."""

from __future__ import annotations

from pathlib import Path

from jiutai_data.model.package import DESCRIPTOR


def bundled_package_dir() -> Path:
    """The folder holding this code's own datapackage.json: the repository root in a clone or
    editable install, or the copy bundled inside an installed wheel."""
    code = Path(__file__).resolve().parent.parent  # src/jiutai_data, or site-packages/jiutai_data
    bundled = code / "package"
    if (bundled / DESCRIPTOR).is_file():
        return bundled
    return code.parent.parent


def enclosing_package_dir(start: Path) -> Path | None:
    """``start`` or its nearest parent that holds a datapackage.json, as git finds its repository."""
    start = Path(start).absolute()
    for folder in (start, *start.parents):
        if (folder / DESCRIPTOR).is_file():
            return folder
    return None


def default_package_dir(cwd: Path | None = None) -> Path:
    """The package a command reads when none is named: the one enclosing ``cwd`` (default: the
    current directory), or, outside any package, the bundled one."""
    return enclosing_package_dir(Path.cwd() if cwd is None else cwd) or bundled_package_dir()
