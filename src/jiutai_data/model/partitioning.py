"""What the descriptor says about the partitioned layout (README, "Beyond one machine").

A large table may be kept as Parquet part files in hive folders (``key=value``)
instead of one CSV file. Its resource lists every part file in ``path`` and says
how the folders are named in ``partitioning``:

    "path": ["data/indicators/province=90/published=2017/part-0.parquet", ...],
    "format": "parquet",
    "partitioning": {"style": "hive", "keys": ["province", "published"]}

Only the descriptor is read here; read/partitioned.py reads the files.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

PARTITIONING = "partitioning"
# A resource's ``bytes`` and ``hash`` describe one stream of bytes; a partitioned resource
# declares them for each part file instead, in this property (the package's own, in the order
# of ``path``): "parts": [{"path": "data/indicators/…/part-0.parquet", "bytes": 1234,
# "hash": "sha256:…"}, …]. validate compares each with its file (checks/twins.py).
PARTS = "parts"


def is_partitioned(entry: Any) -> bool:
    """True for a resource of the partitioned layout: Parquet part files listed in ``path``."""
    return (isinstance(entry, dict) and isinstance(entry.get(PARTITIONING), dict)
            and isinstance(entry.get("path"), list) and str(entry.get("format", "")).lower() == "parquet")


def declared_parts(entry: Any) -> list[dict[str, Any]]:
    """The ``parts`` entries of a resource that name a part file by a string path (others are
    reported by ``parts_problems``)."""
    parts = entry.get(PARTS) if isinstance(entry, dict) else None
    return [part for part in parts if isinstance(part, dict) and isinstance(part.get("path"), str)] \
        if isinstance(parts, list) else []


def parts_problems(entry: dict[str, Any]) -> list[str]:
    """What is wrong with a partitioned resource's ``parts``: not a list, an entry that names
    no path, a path that is not in ``path``, or a part file of ``path`` it leaves out."""
    if PARTS not in entry:
        return []
    parts = entry[PARTS]
    if not isinstance(parts, list):
        return [f"parts must be a list of {{path, bytes, hash}}, one for each part file; found {type(parts).__name__}"]
    listed = [path for path in entry.get("path") or [] if isinstance(path, str)]
    problems = [f"parts[{i}] names no part file: expected {{\"path\": …, \"bytes\": …, \"hash\": …}}"
                for i, part in enumerate(parts) if not (isinstance(part, dict) and isinstance(part.get("path"), str))]
    named = [part["path"] for part in declared_parts(entry)]
    problems += [f"parts names {path}, which path does not list" for path in named if path not in listed]
    problems += [f"parts gives no bytes and hash for {path}, a part file path lists" for path in listed
                 if path not in named]
    return problems


def partition_keys(entry: dict[str, Any]) -> list[str]:
    keys = entry.get(PARTITIONING, {}).get("keys")
    return [key for key in keys if isinstance(key, str)] if isinstance(keys, list) else []


def partition_of(relative: str, keys: list[str]) -> str | None:
    """The partition folder a file is in, as ``k1=v1/k2=v2`` in the order of ``keys``, or
    None when its folders do not name every key exactly once."""
    found: dict[str, str] = {}
    for part in PurePosixPath(relative).parent.parts:
        name, equals, value = part.partition("=")
        if equals and name in keys:
            if name in found:
                return None
            found[name] = value
    if not keys or set(found) != set(keys):
        return None
    return "/".join(f"{key}={found[key]}" for key in keys)


def publishing_refusal(descriptor: dict[str, Any] | None) -> str | None:
    """Why the package cannot be published yet, or None: `validate` checks the partitioned
    layout, but build, export and site publish CSV tables only, and publishing the small
    tables alone, without a word, would be worse than refusing."""
    for entry in (descriptor or {}).get("resources") or []:
        if is_partitioned(entry):
            return (f"resource {entry.get('name')!r} is in the partitioned layout (Parquet part files); "
                    "`jiutai-data validate` checks it, but build, export and site publish CSV tables "
                    "only: write the package in the CSV layout to publish it")
    return None
