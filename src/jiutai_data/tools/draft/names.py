"""A figure's name from the words around its number: the clause before it, stripped of
the verbs and fillers (完成, 达到, 全区, 预计 …) that are not part of the name."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u4e00-\u9fff]")
LEADING = re.compile(r"^(预计到年末|预计|力争|确保|争取|其中|全区|全市|全县|全年|今年|去年|同时|另外|此外|共计|共|总计|合计|并|和|及|与|、|"
                      r"前三季度|上半年|[0-9０-９]{4}年|着力|重点|加快|大力|积极|推动|打造|培育|形成|建成|实现)+")
TRAILING = re.compile(r"([0-9０-９.．]+[%％]?[—–\-~～至到]|完成|达到|达|实现|为|共|超过|超|逾|约|近|突破|同比增长|同比下降|比上年增长|比上年下降|同比|增长|下降|"
                       r"提高|增加|减少|由|是|总计|累计|的|等)+$")


def strip_name(text: str) -> str:
    text = text.strip(" \t“”")
    previous = None
    while previous != text:
        previous = text
        text = LEADING.sub("", text).strip()
        text = TRAILING.sub("", text).strip()
    return text


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))
