"""Pages from the Jinja templates in templates/.

Jinja's autoescaping, rather than hand-built strings, is what keeps every value from the
data (a note with `<`, a name with `&`) as text in the HTML; the ``web_url`` test is what
keeps a URL from the data out of an ``href`` unless it is an http(s) address.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from jiutai_data.model.fields import is_web_url
from jiutai_data.publish.site.interface import text
from jiutai_data.publish.summary import human_size

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,  # a misspelt variable is an error, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["size"] = human_size
    environment.filters["thousands"] = lambda number: f"{number:,}"
    # A URL from the data becomes a link only if it is a web address (the `uri` format's own
    # check): `javascript:` or `data:` in a cell is shown as text, never as an href.
    environment.tests["web_url"] = is_web_url
    environment.globals["t"] = both
    environment.globals["ui"] = text
    return environment


def both(key_or_pair: str | tuple[str, str] | list[str]) -> Markup:
    """An interface text in both languages, each in its span; the page's CSS shows the one chosen
    (Chinese with 中文, English otherwise). A key of interface.TEXTS, or an (English, Chinese) pair."""
    english, chinese = text(key_or_pair) if isinstance(key_or_pair, str) else key_or_pair
    if english == chinese:
        return Markup(escape(english))
    return Markup(f'<span class="ui-en">{escape(english)}</span><span class="ui-zh" lang="zh">{escape(chinese)}</span>')


def render_page(template: str, **context: Any) -> bytes:
    return _environment().get_template(template).render(**context).encode("utf-8")
