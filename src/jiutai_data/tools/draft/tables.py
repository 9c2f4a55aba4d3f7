"""Tables rendered as text, and what each of their cells is: its row, its column's header,
the unit that header (or a 单位：万元 line above the table) gives.

The layouts of statistical bulletins copied out of PDF or HTML:

- one row per line, cells separated by tabs, by runs of two or more spaces, by full-width
  spaces (U+3000), or by pipes (``建筑业增加值 | 9.8 | -3.5``, with or without the outer
  pipes; a ``---|---`` line is a rule, not a row);
- one cell per line: a header of short lines (指标 / 绝对数(亿元) / 比上年增长(%)), then
  each row as its label on one line and its numbers on the next lines.

A row is a line whose first cell is a label and at least one other cell a number (with a
sign, a unit or %, or a placeholder such as —). Its header is the nearest line of cells
without numbers above it, with only rows between. A row indented more than the table's
first row, or labelled 其中：…, is a part of the row above it that is not.

One pass over the lines; each line is split once (no regex with nested quantifiers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jiutai_data.tools.draft.clauses import LIST_LABEL, Layout

_PIPES = "|｜"
_WIDE_GAP = re.compile(r"\t|\u3000+| {2,}")  # between two cells of a row written with spaces
_RULE = re.compile(r"[\s|｜:：\-—–=+]+")  # a markdown rule |---|---|
_SIGN = "-−－+"
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_PLACEHOLDER = re.compile(r"[—–\-/…／]+|－+")
_UNIT_LINE = re.compile(r"^[（(]?(?:计量)?单位[：:]\s*([^\s)）]{1,8})[)）]?$")
_BRACKETED = re.compile(r"[（(]([^（）()]{1,8})[)）]")
_PART_MARK = re.compile(r"^(?:其中[：:]?|#|＃|内[：:])")
_LIST_LABEL = re.compile("^" + LIST_LABEL)
_CAPTION = re.compile(r"^(?:附?表|图)[0-9０-９一二三四五六七八九十]+")
_SHORT = 24  # characters: a longer line is prose, not a cell of a one-cell-per-line table
_HEADER_WORDS = re.compile(r"指标|项目|名称|绝对数|增长|增速|增幅|比重|占比|数量|总量|单位|本年|上年|年末|合计|金额|"
                           r"[0-9]{4}年|[(（][^()（）]{1,8}[)）]")


@dataclass(frozen=True)
class Cell:
    """A number's cell in a table, and what names it."""

    span: tuple[int, int]  # the cell as written (-3.5, 78.5亿元)
    label: tuple[int, int]  # the row's first cell
    name: str  # the row's concept: the label without 其中：, # or a list number
    header: tuple[int, int] | None  # the column's header cell
    header_text: str
    unit: str | None  # from the header's brackets or the 单位 line, as written
    unit_line: tuple[int, int] | None  # the 单位：万元 line, where the unit comes from it
    parent: str = ""  # the row this one is a part of (其中, indented)
    layout: str = ""  # tab, spaces, pipes, lines

    def excerpt_spans(self) -> list[tuple[int, int]]:
        """The parts of the quote, in the order they stand in the text."""
        spans = [s for s in (self.unit_line, self.header, self.label, self.span) if s is not None]
        return sorted(dict.fromkeys(spans))


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and (text[a].isspace() or text[a] in _PIPES):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in _PIPES):
        b -= 1
    return a, b


def split_cells(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], str]:
    """The cells of the line text[start:end] and the layout that separates them; a line of one
    cell gives ([that cell], "")."""
    line = text[start:end]
    if any(p in line for p in _PIPES):
        cells, position = [], start
        for piece in re.split(r"[|｜]", line):
            a, b = _strip(text, position, position + len(piece))
            cells.append((a, b))
            position += len(piece) + 1
        cells = [c for c in cells if c[0] < c[1]]
        return cells, "pipes" if len(cells) > 1 else ""
    stripped = _strip(text, start, end)
    if stripped[0] >= stripped[1]:
        return [], ""
    cells, position = [], stripped[0]
    for gap in _WIDE_GAP.finditer(text, stripped[0], stripped[1]):
        if gap.start() > position:
            cells.append((position, gap.start()))
        position = gap.end()
    cells.append((position, stripped[1]))
    cells = [_strip(text, a, b) for a, b in cells]
    cells = [c for c in cells if c[0] < c[1]]
    kind = "tab" if "\t" in line else "spaces"
    return cells, kind if len(cells) > 1 else ""


def is_number_cell(cell: str) -> bool:
    """-3.5, 78.5亿元, 6.4%, 12: a number, with a sign before it and a short unit after."""
    cell = cell.strip()
    if cell[:1] and cell[0] in _SIGN:
        cell = cell[1:]
    match = _NUMBER.match(cell)
    if not match:
        return False
    rest = cell[match.end():]
    return len(rest) <= 5 and not re.search(r"[0-9年月日]", rest)


def is_placeholder(cell: str) -> bool:
    return bool(_PLACEHOLDER.fullmatch(cell.strip()))


def _value_cell(cell: str) -> bool:
    return is_number_cell(cell) or is_placeholder(cell)


def header_unit(header: str, units: dict) -> str | None:
    """The unit a header writes in brackets: 比上年增长(%) → %, 绝对数（万元） → 万元."""
    for match in _BRACKETED.finditer(header):
        inner = match.group(1).strip()
        inner = re.sub(r"^单位[：:]", "", inner)
        if inner in units:
            return inner
        if inner in ("百分点",):
            return inner
    return None


def unknown_header_unit(header: str, units: dict) -> str | None:
    """A unit-like word in a header's brackets that the units table lacks (万台)."""
    for match in _BRACKETED.finditer(header):
        inner = re.sub(r"^单位[：:]", "", match.group(1).strip())
        if inner and inner not in units and re.fullmatch(r"[\u4e00-\u9fff%‰]{1,5}", inner):
            return inner
    return None


def row_name(label: str) -> str:
    name = _PART_MARK.sub("", label.strip(" \u3000\t"))
    name = _LIST_LABEL.sub("", name)
    return name.strip(" \u3000\t:：")


@dataclass
class Tables:
    """The table cells of one text, by the start of the number they hold."""

    cells: dict[int, Cell] = field(default_factory=dict)
    header_lines: set[int] = field(default_factory=set)  # line indexes of headers and 单位 lines

    def cell_at(self, start: int) -> Cell | None:
        return self.cells.get(start)


def _indent(raw: str) -> int:
    return len(raw) - len(raw.lstrip(" \u3000\t"))


def find_tables(layout: Layout, units: dict) -> Tables:
    text, lines = layout.text, layout.lines
    tables = Tables()
    split = [split_cells(text, line.start, line.end) for line in lines]
    unit_line: tuple[tuple[int, int], str] | None = None
    header: list[tuple[int, int]] | None = None
    header_index = -1
    base_indent, parent = None, ""
    gap = 0
    for index, line in enumerate(lines):
        cells, kind = split[index]
        stripped = line.text.strip()
        if not stripped:
            gap += 1
            if gap > 1:
                header, unit_line, base_indent, parent = None, None, None, ""
            continue
        if match := _UNIT_LINE.match(stripped):
            a = line.start + line.text.index(stripped)
            unit_line = ((a, a + len(stripped)), match.group(1))
            tables.header_lines.add(index)
            continue
        if _RULE.fullmatch(stripped) and ("-" in stripped or "—" in stripped):
            continue  # a rule between header and rows (|---|---|)
        values = [c for c in cells[1:] if _value_cell(text[c[0]:c[1]])]
        if kind and cells and values and not _value_cell(text[cells[0][0]:cells[0][1]]):
            gap = 0
            _row(tables, text, line.text, cells, header, unit_line, units, kind, base_indent, parent)
            indent = _indent(line.text)
            label = text[cells[0][0]:cells[0][1]]
            if base_indent is None:
                base_indent = indent
            if indent <= (base_indent or 0) and not _PART_MARK.match(label):
                parent = row_name(label)
            continue
        if kind and len(cells) >= 2 and not any(is_number_cell(text[a:b]) for a, b in cells) \
                and not _CAPTION.match(text[cells[0][0]:cells[0][1]]):
            header, header_index, base_indent, parent = cells, index, None, ""
            tables.header_lines.add(index)
            gap = 0
            continue
        header = None if index - header_index > 1 and not kind else header
        if not kind:
            header, base_indent, parent = None, None, ""
            if not _HEADER_WORDS.search(stripped) or len(stripped) > _SHORT:
                unit_line = None if len(stripped) > _SHORT else unit_line
    _one_cell_per_line(tables, layout, units)
    return tables


def _column_header(header: list[tuple[int, int]] | None, cells: list[tuple[int, int]], position: int
                   ) -> tuple[int, int] | None:
    if not header:
        return None
    if len(header) == len(cells):
        return header[position]
    if len(header) == len(cells) - 1:
        return header[position - 1] if position >= 1 else None
    # fewer cells than headers (an empty cell left out): count from the right
    from_right = len(cells) - 1 - position
    return header[len(header) - 1 - from_right] if from_right < len(header) else None


def _row(tables: Tables, text: str, raw: str, cells, header, unit_line, units, kind, base_indent, parent) -> None:
    label = cells[0]
    label_text = text[label[0]:label[1]]
    # a column of units (产品名称 | 计量单位 | 产量 | 比上年增长(%)): the row's unit for its levels
    row_unit = next((text[a:b] for a, b in cells[1:] if text[a:b] in units), None)
    indented = (base_indent is not None and _indent(raw) > base_indent) or bool(_PART_MARK.match(label_text))
    for position, (a, b) in enumerate(cells):
        if position == 0 or not is_number_cell(text[a:b]):
            continue
        head = _column_header(header, cells, position)
        head_text = text[head[0]:head[1]] if head else ""
        unit = header_unit(head_text, units)
        from_line = None
        percent_column = re.search(r"增长|增速|增幅|比重|占比|%|百分点", head_text)
        if unit is None and row_unit and not percent_column:
            unit, from_line = row_unit, next((a2, b2) for a2, b2 in cells[1:] if text[a2:b2] == row_unit)
        if unit is None and unit_line is not None and not re.search(r"[%％]|[\u4e00-\u9fff]$", text[a:b]):
            unit, from_line = unit_line[1], unit_line[0]
        number = _NUMBER.search(text, a, b)
        tables.cells[number.start()] = Cell((a, b), label, row_name(label_text), head, head_text, unit, from_line,
                                            parent if indented else "", kind)


def _one_cell_per_line(tables: Tables, layout: Layout, units: dict) -> None:
    """Tables written one cell per line: header lines, then label, numbers, label, numbers …"""
    text, lines = layout.text, layout.lines
    index, count = 0, len(lines)
    while index < count:
        # a block of short lines with no sentence punctuation, one cell each
        end = index
        while end < count and _cell_line(lines[end].text):
            end += 1
        if end - index >= 4:
            _read_block(tables, text, lines[index:end], units)
        index = max(end, index + 1)


def _cell_line(raw: str) -> bool:
    stripped = raw.strip()
    return (0 < len(stripped) <= _SHORT and "\t" not in stripped and not any(p in stripped for p in _PIPES)
            and not re.search(r"[。，,；;！？]", stripped) and not _WIDE_GAP.search(stripped))


def _read_block(tables: Tables, text: str, block, units: dict) -> None:
    kinds = [_value_cell(line.text) for line in block]
    first = next((i for i, numeric in enumerate(kinds) if numeric), None)
    if first is None or first < 2:
        return
    n = 0
    while first + n < len(kinds) and kinds[first + n]:
        n += 1
    before = first - 1  # the text lines before the first row's label
    if before >= n + 1:
        header, offset = block[first - 1 - (n + 1):first - 1], 1
    elif before == n:
        header, offset = block[first - 1 - n:first - 1], 0
    else:
        return
    if not any(_HEADER_WORDS.search(line.text) for line in header):
        return
    unit_line = None
    for line in block[:first - 1]:
        if match := _UNIT_LINE.match(line.text.strip()):
            unit_line = (_strip(text, line.start, line.end), match.group(1))
    position = first - 1
    parent = ""
    while position + n < len(block) and not kinds[position] and all(kinds[position + 1:position + 1 + n]):
        label_line = block[position]
        label = _strip(text, label_line.start, label_line.end)
        label_text = text[label[0]:label[1]]
        part = bool(_PART_MARK.match(label_text))
        for j in range(n):
            cell_line = block[position + 1 + j]
            a, b = _strip(text, cell_line.start, cell_line.end)
            if not is_number_cell(text[a:b]):
                continue
            head_line = header[j + offset]
            head = _strip(text, head_line.start, head_line.end)
            head_text = text[head[0]:head[1]]
            unit = header_unit(head_text, units)
            from_line = None
            if unit is None and unit_line is not None and not re.search(r"[%％]|[\u4e00-\u9fff]$", text[a:b]):
                unit, from_line = unit_line[1], unit_line[0]
            number = _NUMBER.search(text, a, b)
            tables.cells[number.start()] = Cell((a, b), label, row_name(label_text), head, head_text, unit,
                                                from_line, parent if part else "", "lines")
        if not part:
            parent = row_name(label_text)
        position += 1 + n
