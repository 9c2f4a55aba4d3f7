"""jiutai-data: development data of Jiutai District (九台区), as a validated Frictionless data package."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "describe", "load", "tables"]


def load(table: str, engine: str = "pandas", package_dir: Path | None = None) -> Any:
    """A table of the package from its Parquet twin, with the schema's types:
    a pandas DataFrame (default), or ``engine="polars"`` / ``engine="arrow"``."""
    # Imported here so that `import jiutai_data` (and so every CLI run, including
    # `validate`) does not pay for pyarrow before it needs it.
    from jiutai_data.read.load import load as load_table

    return load_table(table, engine=engine, package_dir=package_dir)


def tables(package_dir: Path | None = None) -> list[str]:
    """The names of the package's tables: ``["sources", "regions", …, "indicators", …]``."""
    from jiutai_data.read.load import table_names

    return table_names(package_dir)


def describe(table: str, package_dir: Path | None = None) -> dict[str, Any]:
    """What ``table`` is: its title, description, row count, primary key and columns (name, type,
    description, required, allowed values), from the package's descriptor and Table Schema."""
    from jiutai_data.read.load import describe as describe_table

    return describe_table(table, package_dir)
