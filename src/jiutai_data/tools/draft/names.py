"""A figure's name from the words around its number: the clause before it, stripped of
the verbs and fillers (完成, 达到, 全区, 预计 …) that are not part of the name."""

from __future__ import annotations

import re

from jiutai_data.model.figures import FALLING_WORDS, RISING_WORDS

_CJK = re.compile(r"[\u4e00-\u9fff]")
# words that say how a change was computed, not what changed: kept in the row's note
BASIS_WORDS = re.compile(r"同口径|按可比价格计算|按可比价计算|按可比口径计算|按可比价格|按可比价|可比口径|扣除价格因素")
LEADING = re.compile(r"^([0-9０-９]{1,2}[.．、](?![0-9０-９])|[（(][一二三四五六七八九十]{1,3}[)）]|"
                     r"同口径|按可比价格计算|按可比价计算|按可比口径计算|扣除价格因素|分产业看|分行业看|从产业看|"
                     r"截至年末|截至年底|年末|年底|共有|预计到年末|预计|力争|确保|争取|其中|全区|全市|全县|全年|今年|去年|同时|另外|此外|共计|共|总计|合计|并|和|及|与|、|"
                      r"前三季度|上半年|[0-9０-９]{4}年|着力|重点|加快|大力|积极|推动|打造|培育|形成|建成|实现)+")
# the words of a change that end a clause before its number: 比上年提高, 高于全省, 同比回落 (the
# direction words of model/figures.py of two characters or more; 增 alone ends names such as 新增)
_CHANGE_WORDS = "|".join(sorted((w for w in (*FALLING_WORDS, *RISING_WORDS) if len(w) > 1), key=len, reverse=True))
TRAILING = re.compile(r"([0-9０-９.．]+[%％]?[—–\-~～至到]|比上年末|较上年末|比年初|较年初|同口径|按可比价格计算|按可比价计算|扣除价格因素|完成|达到|达|实现|为|共|超过|超|逾|约|近|突破|同比|"
                      r"比上年同期|较上年同期|比上年|较上年|比去年|较去年|全省|全市|全国|平均水平|"
                      + _CHANGE_WORDS + r"|由|是|总计|累计|的|等|了)+$")


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
