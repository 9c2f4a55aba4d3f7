"""The package as the build, export, docs and `load` see it: tables with their CSV file,
Parquet twin and Table Schema, all read from datapackage.json (nothing is listed in code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jiutai_data.model.errors import InvalidPackage, UnreadablePackage

DESCRIPTOR = "datapackage.json"
PARQUET_SUFFIX = "-parquet"


class LayoutError(InvalidPackage, ValueError):
    """The descriptor does not describe a package this tool can build from."""


class DescriptorUnreadable(LayoutError, UnreadablePackage):
    """No datapackage.json there, or one that is not JSON: the command could not run."""


@dataclass(frozen=True)
class Table:
    name: str  # the CSV resource's name, e.g. "indicators"
    resource: dict[str, Any]  # the CSV resource
    twin: dict[str, Any] | None  # the Parquet resource "<name>-parquet", if declared
    schema: dict[str, Any]  # the Table Schema
    csv_path: Path
    parquet_path: Path | None

    @property
    def title(self) -> str:
        return self.resource.get("title", self.name)

    @property
    def description(self) -> str:
        return self.resource.get("description", "")


def read_descriptor(root: Path) -> dict[str, Any]:
    path = root / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DescriptorUnreadable(f"{path}: no datapackage.json here") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DescriptorUnreadable(f"{path}: not valid UTF-8 JSON: {error}") from None


def descriptor_text(descriptor: dict[str, Any]) -> str:
    """The one formatting of datapackage.json, so that rewriting an unchanged descriptor is a no-op."""
    return json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"


def inside(root: Path, relative: str) -> Path:
    """`relative` resolved under `root`; refuses URLs, absolute paths and `..` escapes."""
    if "://" in relative or Path(relative).is_absolute():
        raise LayoutError(f"{relative}: a resource path must be relative to the package folder")
    resolved = (root / relative).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise LayoutError(f"{relative}: a resource path must stay inside the package folder")
    return root / relative


def table_schema_of(root: Path, resource: dict[str, Any]) -> dict[str, Any]:
    schema = resource.get("schema")
    if isinstance(schema, dict):
        return schema
    if not isinstance(schema, str):
        raise LayoutError(f"resource {resource.get('name')!r}: no Table Schema")
    path = inside(root, schema)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LayoutError(f"{schema}: cannot read the Table Schema: {error}") from None


def tables(root: Path, descriptor: dict[str, Any] | None = None) -> list[Table]:
    """Every CSV table of the package, in descriptor order (which respects foreign keys)."""
    descriptor = descriptor if descriptor is not None else read_descriptor(root)
    resources = descriptor.get("resources", [])
    by_name = {resource.get("name"): resource for resource in resources}
    found = []
    for resource in resources:
        if resource.get("format") != "csv":
            continue
        name = resource["name"]
        twin = by_name.get(name + PARQUET_SUFFIX)
        found.append(Table(
            name=name,
            resource=resource,
            twin=twin,
            schema=table_schema_of(root, resource),
            csv_path=inside(root, resource["path"]),
            parquet_path=inside(root, twin["path"]) if twin else None,
        ))
    return found


def table_named(root: Path, name: str) -> Table:
    for table in tables(root):
        if table.name == name:
            return table
    known = ", ".join(table.name for table in tables(root))
    raise KeyError(f"no table {name!r} in this package; the tables are: {known}")


def local_resources(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """Resources whose data is one local file (not inline data, not a URL, not several files)."""
    return [
        resource for resource in descriptor.get("resources", [])
        if isinstance(resource.get("path"), str) and "://" not in resource["path"]
    ]
