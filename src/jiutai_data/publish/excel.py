"""The Excel download: a README sheet that documents every field, and one sheet per table.

Every text cell is stored as text (data type "s"), never as a formula, even when it starts
with "=": a workbook built from quotes must not compute anything when it is opened."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pyarrow as pa
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from jiutai_data.model.fields import TIMESTAMP_TYPE, TYPES, excel_value
from jiutai_data.model.package import Table
from jiutai_data.read.arrow import is_required

README_SHEET = "README"

BOLD = Font(bold=True)
HEADING = Font(bold=True, size=14)


def set_cell(cell: Cell, value: Any) -> None:
    """Put one value in a cell with the type it has in the package."""
    if value is None:
        cell.value = None
    elif isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would turn "=…" into a formula; this keeps it text
    elif isinstance(value, dt.datetime):
        cell.value = excel_value(value)
        cell.number_format = TYPES["datetime"].excel_format
    elif isinstance(value, dt.date):
        cell.value = value
        cell.number_format = TYPES["date"].excel_format
    elif isinstance(value, dt.time):
        cell.value = value
        cell.number_format = TYPES["time"].excel_format
    else:
        cell.value = value  # bool, int, float: Excel's own types


def _write_row(sheet: Worksheet, row: int, values: list[Any], font: Font | None = None) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        set_cell(cell, value)
        if font is not None:
            cell.font = font


def _readme_sheet(sheet: Worksheet, descriptor: dict[str, Any], tables: list[Table]) -> None:
    licences = "; ".join(
        f"{licence.get('title') or licence.get('name')} ({licence.get('path', '')})" for licence in descriptor.get("licenses", [])
    )
    sources = [source.get("title", "") + (f" {source['path']}" if source.get("path") else "") for source in descriptor.get("sources", [])]
    row = 1
    _write_row(sheet, row, [descriptor.get("title", descriptor.get("name", ""))], HEADING)
    for label, value in [
        ("Package", f"{descriptor.get('name', '')} {descriptor.get('version', '')}"),
        ("Description", descriptor.get("description", "")),
        ("Licence", licences),
        *[("Source", source) for source in sources],
        ("Date-times", f"Shown as wall-clock time at UTC{TIMESTAMP_TYPE.tz}; Excel cells carry no time zone."),
    ]:
        row += 1
        _write_row(sheet, row, [label, value])
        sheet.cell(row=row, column=1).font = BOLD
    for table in tables:
        row += 2
        _write_row(sheet, row, [f"Sheet {table.name}: {table.title}"], BOLD)
        row += 1
        _write_row(sheet, row, [table.description])
        row += 1
        _write_row(sheet, row, ["Field", "Type", "Required", "Description"], BOLD)
        for field in table.schema["fields"]:
            row += 1
            _write_row(sheet, row, [
                field["name"], field.get("type", "string"),
                "yes" if is_required(field, table.schema) else "no", field.get("description", ""),
            ])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["D"].width = 100
    for cells in sheet.iter_rows(min_col=2, max_col=4):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _table_sheet(sheet: Worksheet, table: Table, data: pa.Table) -> None:
    names = [field["name"] for field in table.schema["fields"]]
    _write_row(sheet, 1, names, BOLD)
    columns = [data.column(name).to_pylist() for name in names]
    for row, values in enumerate(zip(*columns), start=2):
        _write_row(sheet, row, list(values))
    sheet.freeze_panes = "A2"
    if names:
        sheet.auto_filter.ref = sheet.dimensions
    for index, name in enumerate(names, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(max(len(name) + 2, 12), 60)


def workbook_bytes(descriptor: dict[str, Any], tables: list[tuple[Table, pa.Table]]) -> bytes:
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    _readme_sheet(readme, descriptor, [table for table, _ in tables])
    for table, data in tables:
        _table_sheet(workbook.create_sheet(title=table.name[:31]), table, data)
    # A fixed creation time, so the workbook's properties do not record when it was built.
    created = descriptor.get("created", "")
    try:
        workbook.properties.created = dt.datetime.fromisoformat(created.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        pass
    workbook.properties.title = descriptor.get("title", "")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
