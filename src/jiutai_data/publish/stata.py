"""The Stata download: one `.dta` file per table (format 118, which is UTF-8 and opens in
Stata 14 and later), written by pandas from the typed Arrow table.

- variable labels: each field's `title` where the schema gives one, else its description
  (Stata allows 80 characters; a longer text is cut at a word and ends in "…");
- value labels for enum columns: the column is stored as numbers 0, 1, … labelled with the
  enum's values in schema order, read from the schema (never listed here), so `tabulate measure`
  shows `level`, `yoy_change`, `point_change`, `change` and `share`;
- dates are Stata dates (%td); a date-time is Stata's %tc at the Arrow column's offset
  (+08:00, China Standard Time), since Stata has no time zones;
- Stata has no missing text: an empty text cell is "" there, as in the CSV; a time of day
  (which Stata has no type for) is text hh:mm:ss.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pyarrow as pa

from jiutai_data.model.extras import require
from jiutai_data.model.package import Table
from jiutai_data.model.fields import TIMESTAMP_TYPE
from jiutai_data.model.schema import Schema

STATA_VERSION = 118
LABEL_LENGTH = 80
SUFFIX = ".dta"
# Excel and Stata alike: wall-clock time at the column's own offset.
LOCAL_TIME_ZONE = dt.datetime.strptime(TIMESTAMP_TYPE.tz, "%z").tzinfo


def label(text: str, limit: int = LABEL_LENGTH) -> str:
    """`text` in at most `limit` characters, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def variable_labels(table: Table) -> dict[str, str]:
    return {field.name: label(field.label) for field in Schema.of(table.schema).fields}


def _frame(table: Table, data: pa.Table) -> tuple[Any, dict[str, str], dict[str, dict[int, str]]]:
    pd = require("pandas")
    frame = pd.DataFrame(index=range(data.num_rows))
    dates: dict[str, str] = {}
    labels: dict[str, dict[int, str]] = {}
    for field in Schema.of(table.schema).fields:
        name, kind = field.name, field.kind.stata  # how Stata holds the type (model/fields.py)
        column = data.column(name)
        enum = field.enum
        if enum is not None:
            # The enum's position as the number, labelled with the value (pandas' own categorical
            # export fails on a table without rows); a missing value is Stata's ".".
            position = {value: index for index, value in enumerate(enum)}
            codes = [None if value is None else position[value] for value in column.cast(pa.string()).to_pylist()]
            frame[name] = pd.Series(codes, dtype="float64" if column.null_count else "int16")
            labels[name] = dict(enumerate(enum))
        elif kind == "text":
            frame[name] = pd.Series([value or "" for value in column.to_pylist()], dtype=object)
        elif kind == "date":
            frame[name] = pd.to_datetime(pd.Series(column.to_pylist(), dtype=object))
            dates[name] = "td"
        elif kind == "instant":
            local = [value.astimezone(LOCAL_TIME_ZONE).replace(tzinfo=None) if value else None for value in column.to_pylist()]
            frame[name] = pd.to_datetime(pd.Series(local, dtype=object))
            dates[name] = "tc"
        elif kind == "time":  # Stata has no time of day without a date: kept as hh:mm:ss text
            frame[name] = pd.Series([value.isoformat() if value else "" for value in column.to_pylist()], dtype=object)
        elif kind == "boolean":
            frame[name] = pd.Series([None if value is None else int(value) for value in column.to_pylist()], dtype="float64"
                                    if column.null_count else "int8")
        else:  # float, integer: missing values become Stata's "."
            frame[name] = pd.Series(column.to_pylist(), dtype="float64" if kind == "float" or column.null_count else "int64")
    return frame, dates, labels


def dta_bytes(table: Table, data: pa.Table, created: dt.datetime | None = None) -> bytes:
    """The table as a Stata 118 file; `created` is the time stamp it records (fixed, for
    files that depend only on the data)."""
    frame, dates, value_labels = _frame(table, data)
    buffer = io.BytesIO()
    frame.to_stata(
        buffer,
        write_index=False,
        version=STATA_VERSION,
        convert_dates=dates,
        variable_labels=variable_labels(table),
        value_labels=value_labels,
        data_label=label(table.title),
        time_stamp=created or dt.datetime(1980, 1, 1),
    )
    return buffer.getvalue()
