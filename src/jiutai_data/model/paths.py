"""Where this repository's own package lives, in a clone or an installed wheel."""

from __future__ import annotations

from pathlib import Path

from jiutai_data.model.package import DESCRIPTOR


def default_package_dir() -> Path:
    """The folder holding datapackage.json: the repository root in a clone or
    editable install, or the copy bundled inside an installed wheel."""
    code = Path(__file__).resolve().parent.parent  # src/jiutai_data, or site-packages/jiutai_data
    bundled = code / "package"
    if (bundled / DESCRIPTOR).is_file():
        return bundled
    return code.parent.parent
