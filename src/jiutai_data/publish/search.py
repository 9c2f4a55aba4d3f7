"""Text segmented into words for SQLite's FTS5, so that a search for a Chinese word finds it.

FTS5's tokenizers cannot split Chinese: `unicode61` takes a whole run of characters between
punctuation as one token, and `trigram` needs three characters, which misses every
two-character word (投资, 工业), most of the language. So the index holds a segmented copy of
each text, words separated by spaces, that `unicode61` then splits as it splits English:

- jieba's words in search mode (the words of its dictionary, with the shorter words inside
  long ones: 地区生产总值 also gives 地区, 生产, 总值), and English words as written;
- every two-character piece of each run of Chinese characters, so that a two-character word
  is found wherever it stands, even where jieba cuts across it (化工业 → 化工 业 still
  gives 工业).

The segmentation is deterministic: jieba's own dictionary, which ships in its wheel, without
its HMM guesser for words the dictionary lacks, and without the cache it would otherwise leave
in the system's temporary folder.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

# CJK unified ideographs (with extension A) and the compatibility block: the characters
# that form words without spaces between them.
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with tempfile.TemporaryDirectory(prefix="jiutai-jieba-") as folder:
        # Its cache goes into a folder that is removed at once: nothing is left behind.
        tokenizer.tmp_dir = folder
        tokenizer.initialize()
    return tokenizer


def _bigrams(text: str) -> Iterable[str]:
    for run in HAN_RUN.findall(text):
        for start in range(len(run) - 1):
            yield run[start:start + 2]


def segmented(text: str | None) -> str | None:
    """`text` as space-separated words for the index; None stays None."""
    if text is None:
        return None
    return _segmented(text)


# Names, units and notes repeat from row to row (at 100,000 synthetic rows, 300,000 texts
# hold 63,000 distinct ones); each is segmented once. The cache is bounded, so memory is too.
@lru_cache(maxsize=1 << 16)
def _segmented(text: str) -> str:
    words = [word for word in _tokenizer().cut_for_search(text, HMM=False) if word.strip()]
    return " ".join([*words, *_bigrams(text)])
