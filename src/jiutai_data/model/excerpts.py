"""A quote of several excerpts: how a figure of a table keeps its row and its column's header.

A figure in a table of a statistics bulletin is stated by two places of the text: its row
(建筑业增加值 | 9.8 | -3.5) and the header of its column (比上年增长(%)), which gives the unit
and the measure. One verbatim substring cannot hold both without every row in between, so a
quote may be several excerpts of the source, in the order they stand in it, joined by
`` … `` (a space, an ellipsis, a space), as quoting marks text left out:

    比上年增长(%) … 建筑业增加值 | 9.8 | -3.5

validate holds every excerpt to being verbatim, in order, and close together: each earlier
excerpt stands before the next within ``WINDOW_BYTES`` (a table, not the whole document),
and the last one holds the stated number. A unit written in brackets in an earlier excerpt
(a column header's (%) or (万元)), or after 单位： (the table's unit line), counts as the unit
the quote states for the number.
"""

from __future__ import annotations

SEPARATOR = " … "
# How far before the next excerpt an earlier one may stand: a bulletin's table with its header.
WINDOW_BYTES = 6000
# How a header writes the unit of its column: 比上年增长(%), 绝对数（万元）.
UNIT_BRACKETS = (("(", ")"), ("（", "）"))


def excerpts(quote: str) -> list[str]:
    """The excerpts of a quote, in order (a quote without the separator is one excerpt)."""
    return quote.split(SEPARATOR)


def is_excerpted(quote: str | None) -> bool:
    return quote is not None and SEPARATOR in quote


def unit_in_brackets(text: str, unit: str) -> bool:
    """``unit`` stands in ``text`` in brackets: (%), （万元）, (上年=100)."""
    return any(f"{left}{unit}{right}" in text for left, right in UNIT_BRACKETS)


# How a table states the unit of all its cells, on a line above it: 单位：万元, （单位:亿元）.
UNIT_LINE = ("单位：", "单位:")


def unit_in_a_header(quote: str, unit: str) -> bool:
    """The unit stands in brackets in an excerpt before the last one (a column header's unit), or
    after 单位： in one (the table's unit line)."""
    return any(unit_in_brackets(part, unit) or any(f"{lead}{unit}" in part for lead in UNIT_LINE)
               for part in excerpts(quote)[:-1])
