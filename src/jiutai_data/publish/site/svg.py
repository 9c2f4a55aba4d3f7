"""SVG primitives for the build-time charts: text measured without fonts, numbers, elements.

Hand-written rather than a plotting library: the output must be a small, deterministic SVG
string with bilingual text and links, made offline with no font files; matplotlib's SVG
embeds glyph paths or font names of the build machine and changes between releases.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

WIDTH = 760  # viewBox width; at 12+ units a text stays legible when the page is ~360 px wide
MARGIN = 12
FONT = "system-ui, 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'Microsoft YaHei', sans-serif"
TEXT, MUTED, BAR, GRID, AXIS = "#1a202c", "#4a5568", "#2b6cb0", "#e2e8f0", "#718096"
_TOKEN = re.compile(r"\s*(?:[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+)")


# Text widths are estimated by hand (CJK ≈ 1 em, anything else ≈ 0.6 em) because
# the build runs offline with no font metrics: the reader's font is unknown when
# the SVG is written. 0.6 em slightly over-estimates Latin text in sans-serif
# fonts, which errs on the side of room rather than overlap or clipping.
def text_width(text: str, size: float) -> float:
    return size * sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def fit(text: str, size: float, room: float) -> str:
    """``text`` cut to ``room`` with an ellipsis: a source ID has no space to wrap at (its tooltip has it whole)."""
    while text_width(text, size) > room and len(text) > 1:
        text = text[:-2] + "…"
    return text


def wrap(text: str, size: float, width: float) -> list[str]:
    """Greedy line breaking at spaces or between CJK characters, by estimated width."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if line and text_width(line + token, size) > width:
            lines.append(line)
            line = token.lstrip()
        else:
            line = (line + token) if line else token.lstrip()
    return lines + [line] if line or not lines else lines


def number(x: float) -> str:
    """A number for the SVG: at most 2 decimals, no trailing zeros, never -0."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def grouped(x: float) -> str:
    s = f"{x:,.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s.replace("-", "−")


def svg_text(x: float, y: float, content: str, size: float = 13, anchor: str = "start",
             fill: str = TEXT, bold: bool = False, halo: bool = False) -> str:
    extra = (f' text-anchor="{anchor}"' if anchor != "start" else "") + (f' fill="{fill}"' if fill != TEXT else "")
    extra += ' font-weight="600"' if bold else ""
    # a white outline drawn under the glyphs keeps a label legible where a line crosses it
    extra += ' stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"' if halo else ""
    return f'<text x="{number(x)}" y="{number(y)}" font-size="{number(size)}"{extra}>{escape(content)}</text>'


def svg_document(chart_id: str, title: str, caption: str, height: float, body: list[str], width: int = WIDTH) -> str:
    """The SVG element; a drawing of another width (a phone's) gets ids of its own, as both are in one page."""
    chart_id = chart_id if width == WIDTH else f"{chart_id}-narrow"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {number(height)}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" font-family="{FONT}" '
            f'font-size="13" fill="{TEXT}">',
            f'<title id="{chart_id}-title">{escape(title)}</title>',
            f'<desc id="{chart_id}-desc">{escape(caption)}</desc>',
            f'<rect width="{width}" height="{number(height)}" fill="#ffffff"/>')
    return "\n".join([*head, *body, "</svg>"])


def link(href: str, shape: str) -> str:
    return f'<a href="{escape(href)}">{shape}</a>'
