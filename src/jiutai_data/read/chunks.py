"""Read a large CSV table a chunk of records at a time, so that validation holds one chunk, not the file.

The file is read in blocks of about CHUNK_BYTES and cut after the last line break that
ends a record: a line break is inside a quoted cell when an odd number of '"' precede it
since the chunk began (every chunk begins a record). Each chunk is then read exactly as
read/tables.py reads a whole file (polars, with every byte accounted for, then one cast
per column), with the header line put in front and its rows numbered on from the chunk
before, so its findings name the file's own rows.

That rule for line breaks holds when every '"' opens or closes a quoted cell or is half of
an escaped '""'. A file for which anything here is in doubt (a CR, bytes that are not
UTF-8, a row polars does not parse on its own, a '"' in the middle of an unquoted cell, a
record longer than several chunks) raises WholeFileNeeded before a row of it is trusted: the
caller then reads it whole with ``read_table``, so its findings are exactly those of the
in-memory reader. Bounded memory is kept for files that parse, which is every file worth
validating at size; a file that does not parse is reported as it always was.

polars' own batched reader (``scan_csv(...).collect_batches()``) was not used: it names no
byte offsets, so a short row, which polars fills with nulls and does not report, could
not be told from a full one (read/tables.py compares the bytes parsed with the file's).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import polars as pl

from jiutai_data.model import schema as table_schema
from jiutai_data.model.files import new_digest, open_regular_file
from jiutai_data.model.frames import ROW_COLUMN
from jiutai_data.model.package import Resource
from jiutai_data.read.tables import BOM, TableRead, bytes_to_cells, check_header, declares_sha256, type_cells

CHUNK_BYTES = 16 << 20  # a chunk's frames take about four times its bytes while it is cast

# A record may span this many chunks before the file is read whole instead (each further block
# rescans the pending record, so the cost of one long record grows with the square of this).
_LONGEST_RECORD_CHUNKS = 8
_QUOTE, _COMMA, _NEWLINE = ord('"'), ord(","), ord("\n")


class WholeFileNeeded(Exception):
    """The file cannot be read chunk by chunk with certainty; read it whole (the message says why)."""


def _quotes_at_cell_edges(data: np.ndarray, quotes: np.ndarray) -> bool:
    """True when every '"' of ``data`` (a run of whole records and perhaps the start of one
    more) stands where a quoted cell opens or closes, or beside its escaping twin: then
    counting quotes tells a record's line break from one inside a cell."""
    if not len(quotes):
        return True
    opening, closing = quotes[0::2], quotes[1::2]
    before = data[np.maximum(opening - 1, 0)]
    opens = (opening == 0) | (before == _COMMA) | (before == _NEWLINE) | (before == _QUOTE)
    after = data[np.minimum(closing + 1, len(data) - 1)]
    closes = (closing == len(data) - 1) | (after == _COMMA) | (after == _NEWLINE) | (after == _QUOTE)
    return bool(opens.all() and closes.all())


def _records_end(buffer: bytes) -> int:
    """The length of the whole records at the start of ``buffer``: up to and including the
    last line break that is outside every quoted cell."""
    data = np.frombuffer(buffer, dtype=np.uint8)
    quotes = np.flatnonzero(data == _QUOTE)
    if not _quotes_at_cell_edges(data, quotes):
        raise WholeFileNeeded("a '\"' stands inside an unquoted cell")
    end = buffer.rfind(b"\n")
    # each step goes back one line, and a record is at most one block long: linear in the block
    while end >= 0 and int(np.searchsorted(quotes, end)) % 2:
        end = buffer.rfind(b"\n", 0, end)
    return end + 1  # 0: no record ends in the buffer


@dataclass
class Chunks:
    """The chunks of one CSV resource, each a TableRead (typed rows, findings, cast failures).

    Iterate once. The first chunk's findings include those about the whole file that a
    whole read would make (a byte order mark, the header); a chunk whose frame is None
    ends the table (its header cannot be read). ``sha256`` is the file's, after the last
    chunk, when the resource declares a sha256 hash."""

    resource: Resource
    chunk_bytes: int = CHUNK_BYTES
    sha256: str | None = None

    def __iter__(self) -> Iterator[TableRead]:
        resource = self.resource
        table, path, schema = resource.name, resource.path or resource.name, resource.usable_schema
        assert resource.file is not None and schema is not None
        missing = table_schema.missing_values(schema)
        expected = table_schema.field_names(schema)
        digest = new_digest() if declares_sha256(resource) else None
        header = b""  # the header line, put in front of every chunk after the first
        positions: dict[str, int] = {}
        rows_before = 0
        pending = b""
        with open_regular_file(resource.file) as stream:
            while True:
                block = stream.read(self.chunk_bytes)
                if digest is not None:
                    digest.update(block)
                if b"\r" in block:
                    raise WholeFileNeeded("the file has CR line endings")
                buffer = pending + block
                if not buffer:
                    break
                cut = len(buffer) if not block else _records_end(buffer)
                if cut == 0:
                    if len(buffer) > _LONGEST_RECORD_CHUNKS * self.chunk_bytes:
                        raise WholeFileNeeded("a record is longer than several chunks")
                    pending = buffer  # a record longer than a block: read on (the scan above is of one record)
                    continue
                records, pending = buffer[:cut], buffer[cut:]
                del buffer
                first = not header
                if first:
                    line_end = records.find(b"\n")
                    header = records[:line_end + 1] if line_end >= 0 else records + b"\n"
                    if header.startswith(BOM):
                        header = header[len(BOM):]
                    if b'"' in header:
                        raise WholeFileNeeded("the header has quotes")
                cells = bytes_to_cells(table, path, records if first else header + records, missing)
                del records
                if isinstance(cells, list) or not cells.fast:
                    raise WholeFileNeeded("a row does not parse")
                findings = cells.findings
                if first:
                    header_findings, readable = check_header(table, path, cells.header, expected)
                    findings = findings + header_findings
                    if not readable:
                        yield TableRead(None, findings)
                        return
                    positions = {name: cells.header.index(name) for name in expected}
                strings = cells.rows.select(
                    (pl.col(ROW_COLUMN) + rows_before).alias(ROW_COLUMN),
                    *[pl.col(str(positions[name])).alias(name) for name in expected])
                rows_before += strings.height
                del cells
                read = type_cells(table, path, strings, schema)
                read.findings[:0] = findings
                yield read
                if not block:
                    break
        self.sha256 = digest.hexdigest() if digest is not None else None
