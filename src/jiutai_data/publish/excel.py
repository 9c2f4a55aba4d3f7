"""The Excel download: a README sheet that documents every field, and one sheet per table.

Written with xlsxwriter in constant-memory mode: each row goes to disk as it is written, so
the workbook's memory does not grow with the rows (openpyxl held every cell, and took most
of the export's time at 100,000 rows).

Every text cell is written with `write_string`, never as a formula or a link, even when it
starts with "=": a workbook built from quotes must not compute anything when it is opened.

A sheet holds at most 1,048,576 rows (the header included). A longer table is split across
sheets `<table>`, `<table>-2`, …, each with the header, and the README sheet says so.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa

from jiutai_data.model.extras import require
from jiutai_data.model.fields import TIMESTAMP_TYPE, TYPES, excel_value
from jiutai_data.model.files import replaced_atomically
from jiutai_data.model.package import Table
from jiutai_data.model.schema import Schema

README_SHEET = "README"
# Rows of one worksheet in Excel 2007 and later, the header row included.
EXCEL_ROWS = 1_048_576
SHEET_NAME_LENGTH = 31
# Rows converted from Arrow at a time: bounded memory whatever the table's size.
BATCH_ROWS = 50_000


def sheet_names(table: Table, rows: int, max_rows: int = EXCEL_ROWS) -> list[str]:
    """The sheets a table of `rows` rows fills: one, or as many as the row limit needs."""
    parts = max(1, math.ceil(rows / (max_rows - 1)))
    names = []
    for part in range(1, parts + 1):
        suffix = "" if part == 1 else f"-{part}"
        names.append(table.name[: SHEET_NAME_LENGTH - len(suffix)] + suffix)
    return names


class _Writer:
    def __init__(self, workbook: Any) -> None:
        self.bold = workbook.add_format({"bold": True})
        self.heading = workbook.add_format({"bold": True, "font_size": 14})
        self.wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({"num_format": TYPES["date"].excel_format})
        self.datetime = workbook.add_format({"num_format": TYPES["datetime"].excel_format})
        self.time = workbook.add_format({"num_format": TYPES["time"].excel_format})

    def cell(self, sheet: Any, row: int, column: int, value: Any, style: Any = None) -> None:
        """One value with the type it has in the package; text always as text."""
        if value is None:
            return
        if isinstance(value, str):
            sheet.write_string(row, column, value, style)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, style)
        elif isinstance(value, dt.datetime):
            sheet.write_datetime(row, column, excel_value(value), style or self.datetime)
        elif isinstance(value, dt.date):
            sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), style or self.date)
        elif isinstance(value, dt.time):
            sheet.write_datetime(row, column, value, style or self.time)
        else:
            sheet.write_number(row, column, value, style)

    def row(self, sheet: Any, row: int, values: list[Any], style: Any = None) -> None:
        for column, value in enumerate(values):
            self.cell(sheet, row, column, value, style)


def _readme_sheet(writer: _Writer, sheet: Any, descriptor: dict[str, Any], tables: list[tuple[Table, list[str]]],
                  rows: dict[str, int], max_rows: int) -> None:
    licences = "; ".join(
        f"{licence.get('title') or licence.get('name')} ({licence.get('path', '')})" for licence in descriptor.get("licenses", [])
    )
    sources = [source.get("title", "") + (f" {source['path']}" if source.get("path") else "") for source in descriptor.get("sources", [])]
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 16, writer.wrapped)
    sheet.set_column(2, 2, 10, writer.wrapped)
    sheet.set_column(3, 3, 100, writer.wrapped)
    row = 0
    writer.row(sheet, row, [descriptor.get("title", descriptor.get("name", ""))], writer.heading)
    for label, value in [
        ("Package", f"{descriptor.get('name', '')} {descriptor.get('version', '')}"),
        ("Description", descriptor.get("description", "")),
        ("Licence", licences),
        *[("Source", source) for source in sources],
        ("Date-times", f"Shown as wall-clock time at UTC{TIMESTAMP_TYPE.tz}; Excel cells carry no time zone."),
    ]:
        row += 1
        writer.cell(sheet, row, 0, label, writer.bold)
        writer.cell(sheet, row, 1, value)
    for table, sheets in tables:
        row += 2
        writer.row(sheet, row, [f"Sheet {', '.join(sheets)}: {table.title}"], writer.bold)
        row += 1
        writer.row(sheet, row, [table.description])
        if len(sheets) > 1:
            row += 1
            writer.row(sheet, row, [
                f"{rows[table.name]:,} rows, more than one sheet holds ({max_rows:,} rows with the header): "
                f"split in order across the sheets {', '.join(sheets)}, each with the header. "
                "The CSV, Parquet and SQLite downloads hold the table whole."])
        row += 1
        writer.row(sheet, row, ["Field", "Type", "Required", "Description"], writer.bold)
        schema = Schema.of(table.schema)
        for field in schema.fields:
            row += 1
            writer.row(sheet, row, [field.name, field.type, "yes" if field.name in schema.required else "no",
                                    field.description])


def _table_sheets(writer: _Writer, workbook: Any, table: Table, data: pa.Table, sheets: list[str], max_rows: int) -> None:
    names = Schema.of(table.schema).names
    per_sheet = max_rows - 1
    selected = data.select(names)
    for part, title in enumerate(sheets):
        sheet = workbook.add_worksheet(title)
        for index, name in enumerate(names):
            sheet.set_column(index, index, min(max(len(name) + 2, 12), 60))
        writer.row(sheet, 0, names, writer.bold)
        sheet.freeze_panes(1, 0)
        chunk = selected.slice(part * per_sheet, per_sheet)
        row = 1
        for batch in chunk.to_batches(max_chunksize=BATCH_ROWS):
            columns = [column.to_pylist() for column in batch.columns]
            for values in zip(*columns):
                writer.row(sheet, row, list(values))
                row += 1
        if names:
            sheet.autofilter(0, 0, max(row - 1, 0), len(names) - 1)


def write_workbook(path: Path, descriptor: dict[str, Any], tables: list[tuple[Table, pa.Table]],
                   max_rows: int = EXCEL_ROWS) -> None:
    """Write the workbook to `path`: into a temporary file beside it (xlsxwriter's own
    temporary files too), then renamed into place, so nothing is written elsewhere."""
    xlsxwriter = require("xlsxwriter")
    path = Path(path)
    with replaced_atomically(path) as temporary, \
            tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as scratch:
        workbook = xlsxwriter.Workbook(temporary, {
            "constant_memory": True, "tmpdir": scratch,
            # write_string is used for text, but no path of the writer may turn text into a formula or link.
            "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
        })
        properties: dict[str, Any] = {"title": descriptor.get("title", "")}
        try:
            # A fixed creation time, so the workbook does not record when it was built.
            created = descriptor.get("created", "")
            properties["created"] = dt.datetime.fromisoformat(created.replace("Z", "+00:00")).replace(tzinfo=None)
        except (ValueError, AttributeError):
            pass
        workbook.set_properties(properties)
        writer = _Writer(workbook)
        layout = [(table, sheet_names(table, data.num_rows, max_rows)) for table, data in tables]
        rows = {table.name: data.num_rows for table, data in tables}
        _readme_sheet(writer, workbook.add_worksheet(README_SHEET), descriptor, layout, rows, max_rows)
        for (table, data), (_, sheets) in zip(tables, layout):
            _table_sheets(writer, workbook, table, data, sheets, max_rows)
        workbook.close()
