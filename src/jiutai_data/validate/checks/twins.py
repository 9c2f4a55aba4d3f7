"""Twins and file integrity: what the build writes agrees with the CSV it was built from.

- each Parquet resource ``<table>-parquet`` holds exactly the rows of its CSV
  twin, with the schema's columns in order and types that fit the schema
  (date → date32, datetime → timestamp with a time zone, number → float64,
  integer → int64, boolean → bool, string → string, or dictionary-encoded
  string for an enum; values are compared decoded, instants in UTC);
- a resource's ``bytes`` and ``hash``, where declared, match its file. A hash
  is ``<algorithm>:<hex>`` (e.g. ``sha256:…``) or, as in Data Package v1,
  plain hex meaning MD5.

A Parquet file that is missing is an error because the descriptor declares it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from jiutai_data.model import codes
from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames
from jiutai_data.model.files import SUPPORTED_HASH_ALGORITHMS, sha256_of_file
from jiutai_data.model.fields import TYPES
from jiutai_data.model.partitioning import declared_parts
from jiutai_data.model.package import DESCRIPTOR, TWIN_SUFFIX, UnsafePath, is_twin, resolve_inside, symbolic_link_in
from jiutai_data.model.schema import field_names, field_types, primary_key
from jiutai_data.validate.checks.declare import Scope, declares

DEFAULT_HASH_ALGORITHM = "md5"  # Data Package v1: a hash without a prefix is MD5
_DIFFERENCES_SHOWN = 50  # per twin and column; the rest are counted

_REBUILD = "rebuild it with `jiutai-data build`"


def _resources(frames: PackageFrames) -> list[dict[str, Any]]:
    resources = (frames.descriptor or {}).get("resources") or []
    return [r for r in resources if isinstance(r, dict) and isinstance(r.get("name"), str)]


def _local_file(frames: PackageFrames, resource: dict[str, Any]) -> Path | None:
    """The resource's file if its path is safe (an unsafe one is reported by the reader)."""
    try:
        file = resolve_inside(frames.root, resource.get("path"))
    except UnsafePath:
        return None
    # a symbolic link is refused when the package is opened, never followed
    return None if symbolic_link_in(frames.root, resource["path"]) is not None else file


# --- types ---------------------------------------------------------------------------

def _type_fits(kind: str, arrow: pa.DataType) -> bool:
    if pa.types.is_dictionary(arrow):
        return kind == "string" and TYPES["string"].fits(arrow.value_type)
    return TYPES[kind].fits(arrow) if kind in TYPES else True


def _comparable(frame: pl.DataFrame) -> pl.DataFrame:
    """Decoded values in one representation: categories as text, instants in UTC microseconds."""
    casts = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, (pl.Categorical, pl.Enum)):
            casts.append(pl.col(name).cast(pl.String))
        elif isinstance(dtype, pl.Datetime):
            column = pl.col(name) if dtype.time_zone else pl.col(name).dt.replace_time_zone("UTC")
            casts.append(column.dt.convert_time_zone("UTC").dt.cast_time_unit("us"))
    return frame.with_columns(casts) if casts else frame


def _shown(value: Any) -> str:
    return "empty" if value is None else repr(value) if isinstance(value, str) else str(value)


# --- Parquet twins ---------------------------------------------------------------------

def compare_twin(name: str, relative: str, csv: pl.DataFrame, arrow: pa.Table,
                  schema: dict[str, Any]) -> list[Finding]:
    def finding(row: int | None, column: str | None, check: str, message: str, value: Any = None) -> Finding:
        return Finding(name, row, column, check, message, value, path=relative)

    findings: list[Finding] = []
    expected_columns = field_names(schema)
    kinds = field_types(schema)
    actual_columns = arrow.column_names
    if actual_columns != expected_columns:
        missing = [c for c in expected_columns if c not in actual_columns]
        extra = [c for c in actual_columns if c not in expected_columns]
        what = "; ".join(part for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"extra {', '.join(extra)}" if extra else "",
            "" if missing or extra else f"in the order {', '.join(actual_columns)}") if part)
        findings.append(finding(None, None, codes.TWIN_COLUMNS,
                                f"the Parquet twin's columns are {what}, expected {', '.join(expected_columns)} "
                                f"as in the schema; {_REBUILD}"))
    comparable = []
    for column in expected_columns:
        if column not in actual_columns or column not in csv.columns:
            continue
        arrow_type = arrow.schema.field(column).type
        if not _type_fits(kinds[column], arrow_type):
            findings.append(finding(None, column, codes.TWIN_TYPE,
                                    f"column {column} has the Parquet type {arrow_type}, expected "
                                    f"{TYPES[kinds[column]].arrow_words if kinds[column] in TYPES else kinds[column]} "
                                    f"for the schema type "
                                    f"{kinds[column]}; {_REBUILD}", str(arrow_type)))
        else:
            comparable.append(column)

    ours = _comparable(csv.select(ROW_COLUMN, *comparable))
    # same kind, perhaps another width (a year as int16, text as large_string): compare as the CSV's type
    twin = _comparable(pl.from_arrow(arrow.select(comparable))).with_columns(  # type: ignore[union-attr]
        pl.col(c).cast(ours.schema[c], strict=False) for c in comparable)
    if twin.height == ours.height and twin.equals(ours.drop(ROW_COLUMN)):
        return findings

    key = [c for c in primary_key(schema) if c in comparable]
    if key and len(key) == len(primary_key(schema)):
        twin = twin.unique(key, keep="first", maintain_order=True)
        ours = ours.unique(key, keep="first", maintain_order=True)
    else:  # no usable key: compare row by row, in file order
        key = ["_position"]
        twin = twin.with_row_index("_position")
        ours = ours.with_row_index("_position")

    described = lambda values: ", ".join(f"{k} {_shown(v)}" for k, v in zip(key, values))  # noqa: E731
    absent = ours.join(twin.select(key), on=key, how="anti", nulls_equal=True).sort(ROW_COLUMN)
    for row, *values in absent.select(ROW_COLUMN, *key).iter_rows():
        findings.append(finding(row, None, codes.TWIN_ROW_MISSING,
                                f"the row with {described(values)} is not in the Parquet twin, expected every row "
                                f"of the CSV; {_REBUILD}"))
    extra = twin.join(ours.select(key), on=key, how="anti", nulls_equal=True)
    for values in extra.select(key).iter_rows():
        findings.append(finding(None, None, codes.TWIN_ROW_EXTRA,
                                f"the Parquet twin has a row with {described(values)} that the CSV has not, "
                                f"expected only the CSV's rows; {_REBUILD}"))

    paired = ours.join(twin, on=key, how="inner", suffix="_twin", nulls_equal=True).sort(ROW_COLUMN)
    for column in comparable:
        if column in key:
            continue
        differs = paired.filter(pl.col(column).ne_missing(pl.col(f"{column}_twin")))
        for row, csv_value, twin_value in differs.select(ROW_COLUMN, column, f"{column}_twin").head(_DIFFERENCES_SHOWN).iter_rows():
            findings.append(finding(row, column, codes.TWIN_VALUE,
                                    f"the Parquet twin has {_shown(twin_value)}, expected {_shown(csv_value)} as in "
                                    f"the CSV; {_REBUILD}", twin_value))
        if differs.height > _DIFFERENCES_SHOWN:
            findings.append(finding(None, column, codes.TWIN_VALUE,
                                    f"{differs.height - _DIFFERENCES_SHOWN} more values of {column} differ from the "
                                    f"CSV, expected none; {_REBUILD}"))
    return findings


@declares(Scope.FILES, codes.TWIN_COLUMNS, codes.TWIN_MISSING, codes.TWIN_ROW_EXTRA, codes.TWIN_ROW_MISSING, codes.TWIN_TYPE, codes.TWIN_UNREADABLE, codes.TWIN_VALUE)
def check_parquet_twins_match_csv(frames: PackageFrames) -> list[Finding]:
    findings: list[Finding] = []
    for resource in _resources(frames):
        name = resource["name"]
        relative = resource.get("path")
        if not is_twin(resource):
            continue
        table = name[: -len(TWIN_SUFFIX)]
        file = _local_file(frames, resource)
        if file is None:
            continue
        if not file.is_file():
            findings.append(Finding(name, None, None, codes.TWIN_MISSING,
                                    f"the Parquet file {relative} is declared in datapackage.json but does not exist, "
                                    f"expected the Parquet twin of {table}; build it with `jiutai-data build`",
                                    path=relative))
            continue
        csv, schema = frames.table(table), frames.schemas.get(table)
        if csv is None or schema is None:
            continue  # the CSV could not be read: it is reported, and there is nothing to compare with
        try:
            arrow = pq.read_table(file)
        except Exception as error:  # an untrusted file may fail in many ways; each is a finding
            findings.append(Finding(name, None, None, codes.TWIN_UNREADABLE,
                                    f"the Parquet file {relative} cannot be read ({error}), expected a Parquet file; "
                                    f"{_REBUILD}", path=relative))
            continue
        findings.extend(compare_twin(name, relative, csv, arrow, schema))
    return findings


# --- bytes and hash ----------------------------------------------------------------------

def _json_type(value: Any) -> str:
    return {str: "text", float: "a fraction", bool: "true/false", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__)


def _integrity_findings(name: str, relative: str, file: Path, declared_bytes: Any, declared_hash: Any,
                        known_sha256: dict[str, str], where: str = "") -> list[Finding]:
    """What is wrong with a file's declared ``bytes`` and ``hash`` (``where`` names the object that
    declares them, e.g. "parts[2].", or "" for the resource itself)."""
    findings: list[Finding] = []
    size = file.stat().st_size
    if declared_bytes is not None and (isinstance(declared_bytes, bool) or not isinstance(declared_bytes, int)):
        findings.append(Finding(name, None, None, codes.RESOURCE_BYTES,
                                f"{where}bytes is {declared_bytes!r} ({_json_type(declared_bytes)}); expected the file "
                                f"size as a JSON whole number, e.g. \"bytes\": {size} for {relative}",
                                declared_bytes, path=DESCRIPTOR))
    elif declared_bytes is not None and declared_bytes != size:
        findings.append(Finding(name, None, None, codes.RESOURCE_BYTES,
                                f"{where}bytes is {declared_bytes} but {relative} has {size} bytes, expected them equal "
                                f"(the file changed after the descriptor was written); {_REBUILD}",
                                declared_bytes, path=DESCRIPTOR))
    if declared_hash is None:
        return findings
    algorithm, _, expected = str(declared_hash).rpartition(":")
    algorithm = (algorithm or DEFAULT_HASH_ALGORITHM).lower()
    if algorithm not in SUPPORTED_HASH_ALGORITHMS:
        findings.append(Finding(name, None, None, codes.RESOURCE_HASH,
                                f"{where}hash {declared_hash!r} of {relative} names the algorithm {algorithm!r}; expected "
                                f"one of {', '.join(SUPPORTED_HASH_ALGORITHMS)} as '<algorithm>:<hex>'",
                                declared_hash, path=DESCRIPTOR))
        return findings
    # the reader hashed each table it read whose hash is sha256 (by the path as written)
    actual = known_sha256[relative] if algorithm == "sha256" and relative in known_sha256 else sha256_of_file(file, algorithm)
    if expected.lower() != actual:
        findings.append(Finding(name, None, None, codes.RESOURCE_HASH,
                                f"{where}hash is {declared_hash} but {relative} has {algorithm}:{actual}, expected them "
                                f"equal (the file changed after the descriptor was written); {_REBUILD}",
                                declared_hash, path=DESCRIPTOR))
    return findings


@declares(Scope.FILES, codes.RESOURCE_BYTES, codes.RESOURCE_HASH)
def check_resource_bytes_and_hashes(frames: PackageFrames) -> list[Finding]:
    """A resource's declared ``bytes`` and ``hash`` match its file, and each part file of a
    partitioned resource matches the ``bytes`` and ``hash`` its ``parts`` entry declares
    (model/partitioning.py)."""
    findings: list[Finding] = []
    for resource in _resources(frames):
        name = resource["name"]
        for index, part in enumerate(declared_parts(resource)):
            relative = part["path"]
            file = _local_file(frames, {"path": relative})
            if file is None or not file.is_file():
                continue  # reported as a missing or unsafe part file by the reader
            findings += _integrity_findings(name, relative, file, part.get("bytes"), part.get("hash"),
                                            frames.file_sha256, where=f"parts[{index}].")
        declared_bytes, declared_hash = resource.get("bytes"), resource.get("hash")
        if declared_bytes is None and declared_hash is None or not isinstance(resource.get("path"), str):
            continue
        relative = resource["path"]
        file = _local_file(frames, resource)
        if file is None or not file.is_file():
            continue  # reported as a missing file by the reader or the twin check
        findings += _integrity_findings(name, relative, file, declared_bytes, declared_hash, frames.file_sha256)
    return findings
