"""Builders for the semantic-check tests: a small clean package as typed frames in memory.

The frames are built here directly (typed per the schemas, with the _row column),
so the semantic checks are tested without the CSV reader. ``clean_rows()`` is a
package every semantic check accepts; a test changes one thing and expects one
finding. (No tests in this file.)
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import polars as pl

from jiutai_data.model.findings import Finding
from jiutai_data.model.frames import ROW_COLUMN, PackageFrames

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in (REPO / "schemas").glob("*.json")}
DESCRIPTOR = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
# the CSV resources only, without the bytes and hash that describe the committed files
CSV_DESCRIPTOR = {**DESCRIPTOR, "resources": [{k: v for k, v in r.items() if k not in ("bytes", "hash")}
                                              for r in DESCRIPTOR["resources"] if r.get("format") == "csv"]}

SOURCE_ID = "test-daily-2022-12-12"
SOURCE_PATH = f"data/sources/{SOURCE_ID}.txt"
TEXT = (
    "2022-12-12 17:02 测试日报\n"
    "九台区前三季度地区生产总值达到264.6亿元，同比增长5.2%。\n"
    "全程网办率达到92%。建成两个示范村。\n"
    "投资77.5亿元的九台新城项目开工。\n"
    "到2025年，粮食产量达到50亿斤。\n"
)


def clean_rows(text: str = TEXT) -> dict[str, list[dict[str, Any]]]:
    """Rows that every semantic check accepts against ``TEXT``."""
    indicator = {"source_id": SOURCE_ID, "region_id": "jiutai", "qualifier": "exact",
                 "period_start": "2022-01-01", "period_end": "2022-09-30", "status": "actual"}
    rows = copy.deepcopy({
        "sources": [{
            "id": SOURCE_ID, "title_zh": "测试", "title_en": "Test", "publisher_zh": "测试日报",
            "publisher_en": "Test Daily", "published": "2022-12-12T17:02:00+08:00", "url": None, "author": None,
            "path": SOURCE_PATH, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "licence_note": "Written for the tests.",
        }],
        "regions": [{"id": "jiutai", "code": "220113", "name_zh": "九台区", "name_en": "Jiutai", "level": "county"}],
        "units": [
            {"unit_as_stated": "亿元", "unit": "CNY", "factor": 1e8, "name_en": "100 million yuan"},
            {"unit_as_stated": "万元", "unit": "CNY", "factor": 1e4, "name_en": "10 thousand yuan"},
            {"unit_as_stated": "%", "unit": "percent", "factor": 1, "name_en": "percent"},
            {"unit_as_stated": "个", "unit": "count", "factor": 1, "name_en": "items"},
            {"unit_as_stated": "亿斤", "unit": "kg", "factor": 5e7, "name_en": "100 million jin"},
        ],
        "topics": [{"id": "economy", "name_zh": "经济", "name_en": "Economy", "description": "Output."}],
        "catalogue": [
            {"code": code, "name_zh": name_zh, "name_en": name_en, "topic": "economy", "unit": unit, "definition": name_en}
            for code, name_zh, name_en, unit in (("gross_regional_product", "地区生产总值", "GRP", "亿元"),
                                                 ("online_service_rate", "全程网办率", "Online rate", "%"),
                                                 ("model_villages", "示范村", "Model villages", "个"))],
        "indicators": [
            {**indicator, "id": "grp-2022-q1-q3", "indicator": "gross_regional_product",
             "measure": "level", "value": 26460000000, "unit": "CNY", "value_as_stated": "264.6",
             "unit_as_stated": "亿元", "quote": "前三季度地区生产总值达到264.6亿元"},
            {**indicator, "id": "grp-2022-q1-q3-yoy", "indicator": "gross_regional_product",
             "measure": "yoy_change", "value": 5.2, "unit": "percent", "value_as_stated": "5.2",
             "unit_as_stated": "%", "quote": "同比增长5.2%"},
            {**indicator, "id": "online-rate-2022", "indicator": "online_service_rate",
             "measure": "level", "value": 92, "unit": "percent", "value_as_stated": "92",
             "unit_as_stated": "%", "quote": "全程网办率达到92%"},
            {**indicator, "id": "model-villages-2022", "indicator": "model_villages",
             "measure": "level", "value": 2, "unit": "count", "value_as_stated": "两",
             "unit_as_stated": "个", "quote": "建成两个示范村", "status": "estimate", "period_end": "2022-12-31"},
        ],
        "projects": [{
            "id": "jiutai-new-town", "source_id": SOURCE_ID, "region_id": "jiutai", "name_zh": "九台新城",
            "name_en": "Jiutai New Town", "kind": "project", "topic": "economy", "status": "under_construction",
            "investment_cny": 7750000000, "investment_as_stated": "77.5", "investment_unit_as_stated": "亿元",
            "quote": "投资77.5亿元的九台新城项目开工"}],
        "plans": [{
            "id": "grain-2025", "source_id": SOURCE_ID, "region_id": "jiutai", "name_zh": "粮食产量",
            "name_en": "Grain output target", "kind": "target", "topic": "economy", "status": "planned",
            "horizon_start": "2023-01-01",
            "horizon_end": "2025-12-31", "target_value": 2500000000, "target_unit": "kg", "target_as_stated": "50",
            "target_unit_as_stated": "亿斤", "qualifier": "exact", "quote": "到2025年，粮食产量达到50亿斤"}],
        "designations": [],
        "omissions": [{"id": "dateline", "source_id": SOURCE_ID, "kind": "date_time", "quote": "2022-12-12 17:02",
                       "reason": "Publication date and time."}],
    })
    # every other table of the package is there, empty: a new table needs no edit here
    return {**rows, **{r["name"]: [] for r in CSV_DESCRIPTOR["resources"] if r["name"] not in rows}}


def _typed(name: str, field: dict[str, Any]) -> pl.Expr:
    kind = field.get("type", "string")
    column = pl.col(name)
    if kind == "number":
        return column.cast(pl.Float64)
    if kind == "integer":
        return column.cast(pl.Int64)
    if kind == "boolean":
        return column.str.to_lowercase().replace_strict({"true": True, "false": False}, default=None,
                                                         return_dtype=pl.Boolean)
    if kind == "date":
        return column.str.to_date("%Y-%m-%d")
    if kind == "datetime":
        return column.str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", time_unit="us", time_zone="UTC")
    return column


def typed_frame(table: str, rows: list[dict[str, Any]]) -> pl.DataFrame:
    """A typed frame of ``rows`` as the reader makes it: schema columns and types, _row first (header = 1)."""
    fields = SCHEMAS[table]["fields"]
    names = [f["name"] for f in fields]
    cells = {name: [None if row.get(name) is None else str(row[name]) for row in rows] for name in names}
    strings = pl.DataFrame(cells, schema={name: pl.String for name in names})
    return strings.select(
        pl.int_range(2, len(rows) + 2, dtype=pl.Int64).alias(ROW_COLUMN),
        *[_typed(f["name"], f).alias(f["name"]) for f in fields])


def make_frames(rows: dict[str, list[dict[str, Any]]] | None = None, texts: dict[str, str] | None = None,
                root: Path = REPO, descriptor: dict[str, Any] | None = None) -> PackageFrames:
    rows = clean_rows() if rows is None else rows
    return PackageFrames(
        root=root,
        descriptor=CSV_DESCRIPTOR if descriptor is None else descriptor,
        schemas={table: SCHEMAS[table] for table in rows},
        tables={table: typed_frame(table, table_rows) for table, table_rows in rows.items()},
        texts={SOURCE_ID: TEXT} if texts is None else texts,
    )


def write_text(root: Path, text: str = TEXT) -> Path:
    """The source text file at ``root``/SOURCE_PATH."""
    file = root / SOURCE_PATH
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(text.encode("utf-8"))
    return file


def where(findings: list[Finding]) -> list[tuple[str | None, int | None, str | None, str]]:
    """(table, row, column, check) of each finding, to compare in one assertion."""
    return [(f.table, f.row, f.column, f.check) for f in findings]
