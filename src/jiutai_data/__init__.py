"""jiutai-data: development data of Jiutai District (九台区), as a validated Frictionless data package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "load"]


def load(table: str, engine: str = "pandas", package_dir: Path | None = None) -> Any:
    """A table of the package from its Parquet twin, with the schema's types:
    a pandas DataFrame (default), or ``engine="polars"`` / ``engine="arrow"``."""
    # Imported here so that `import jiutai_data` (and so every CLI run, including
    # `validate`) does not pay for pyarrow before it needs it.
    from jiutai_data.read.load import load as load_table

    return load_table(table, engine=engine, package_dir=package_dir)
