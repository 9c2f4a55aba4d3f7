"""JSON from a contributor, parsed only when its nesting stays within a stated limit.

Python's json module recurses once per level of nesting, so ten thousand nested
arrays end in a RecursionError (a traceback, in any verb that reads the file).
The depth is measured first, in one linear pass over the text, and a deeper
document is refused before it is parsed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from jiutai_data.model import codes

# Far deeper than any descriptor or Table Schema needs (the package's own reach 5).
MAX_JSON_NESTING = 64
NESTING_CHECK = codes.DESCRIPTOR_NESTING
# A JSON string (its brackets are text, not nesting) or one bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class NestingTooDeep(ValueError):
    """The JSON text nests arrays and objects deeper than MAX_JSON_NESTING."""


def nesting_depth(text: str, limit: int = MAX_JSON_NESTING) -> int:
    """How deep ``text`` nests arrays and objects, counting up to ``limit + 1`` at most."""
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif bracket in "]}":
            depth -= 1
    return deepest


def loads_bounded(text: str, where: str, limit: int = MAX_JSON_NESTING) -> Any:
    """``json.loads(text)``, refusing a document nested deeper than ``limit`` before parsing it."""
    if nesting_depth(text, limit) > limit:
        raise NestingTooDeep(f"{where} nests arrays or objects more than {limit} levels deep; expected at most "
                             f"{limit} (a descriptor or Table Schema needs far fewer)")
    return json.loads(text)
