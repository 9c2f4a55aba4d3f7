"""Matching a figure's words against what the package already names: indicators of the
catalogue, regions, topics.

Plain substring search over a few hundred names at most, with one compiled alternation
per table, so a clause is matched in one regex pass.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from jiutai_data.tools.draft.package import CatalogueEntry

# Words of a name that say the measure or the period, not the concept: 地区生产总值同比增长
# and 前三季度固定资产投资 name the same indicators as 地区生产总值 and 固定资产投资.
_NOT_THE_CONCEPT = re.compile(r"(同比增长|同比下降|比上年增长|比上年下降|同比|增长|下降|增速)$|"
                              r"^(前三季度|上半年|一季度|全年|今年|[0-9]{4}年)")


# Names of one concept written differently: 规上 is 规模以上, GDP and 生产总值 are the region's
# 地区生产总值 (a county's bulletin writes 全县生产总值).
_SYNONYMS = ((re.compile(r"规上"), "规模以上"), (re.compile(r"GDP|(?<!地区)生产总值"), "地区生产总值"),
             (re.compile(r"社零额|社会消费品零售额"), "社会消费品零售总额"), (re.compile(r"固投"), "固定资产投资"))


def normalise(text: str) -> str:
    """``text`` with the synonyms of a concept written the catalogue's way."""
    for pattern, replacement in _SYNONYMS:
        text = pattern.sub(replacement, text)
    return text


def concept(name: str) -> str:
    name = normalise(name)
    previous = None
    while previous != name:
        previous, name = name, _NOT_THE_CONCEPT.sub("", name).strip()
    return name


def _loose_key(name: str) -> str:
    """A concept without 总 and 的 (粮食作物播种面积 is 粮食作物总播种面积)."""
    return name.replace("总", "").replace("的", "")


_DOES = re.compile(r"(?:实现|完成|创造|缴纳|上缴|发生|获得)[\u4e00-\u9fff]{2,}")


# A flow counted as what is new (新增规模以上工业企业15家): not the stock of the same things.
NEW_WORDS = re.compile(r"^(新增|净增|新培育|新认定|新登记|新设立|新入统|新开工)")


def _alternation(names: list[str]) -> re.Pattern[str] | None:
    names = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    return re.compile("|".join(re.escape(n) for n in names)) if names else None


def new_code(name_zh: str) -> str:
    """A stable placeholder code for a concept the catalogue lacks; the reviewer renames it."""
    return "draft_" + hashlib.sha1(concept(name_zh).encode("utf-8")).hexdigest()[:8]


class CatalogueMatcher:
    MIN_LENGTH = 3  # a shorter name (产值, 面积) is too common to identify an indicator

    def __init__(self, entries: list[CatalogueEntry]) -> None:
        self.by_concept: dict[str, CatalogueEntry] = {}
        self.by_loose_key: dict[str, CatalogueEntry] = {}
        for entry in entries:
            self.by_concept.setdefault(concept(entry.name_zh), entry)
            self.by_loose_key.setdefault(_loose_key(concept(entry.name_zh)), entry)
        self._pattern = _alternation([c for c in self.by_concept if len(c) >= self.MIN_LENGTH])
        # at every position, the longest name that starts there: overlapping names are all found
        # (年末常住人口城镇化率 holds 年末常住人口 and 常住人口城镇化率, and the longer one names it)
        self._anywhere = re.compile(f"(?=({self._pattern.pattern}))") if self._pattern else None

    def match(self, name: str, context: str) -> tuple[CatalogueEntry | None, str]:
        """The entry whose concept is the name, or the longest one the name (then the
        context) contains; with the words that matched."""
        core = concept(name)
        if core in self.by_concept:
            return self.by_concept[core], core
        if _loose_key(core) in self.by_loose_key:
            entry = self.by_loose_key[_loose_key(core)]
            return entry, concept(entry.name_zh)
        if self._pattern is None:
            return None, ""
        new = NEW_WORDS.match(core)
        for text in (name, context):
            found = sorted(self._anywhere.findall(normalise(text)), key=len, reverse=True)
            if new:
                # 新增规模以上工业企业 is a flow: the stock 规模以上工业企业 is another concept
                found = [f for f in found if self.by_concept[f].kind != "stock" or NEW_WORDS.match(f)]
            # 规模以上工业企业实现营业收入: a stock's name followed by a verb and what it does names a
            # flow of those things (their revenue), not the stock itself
            written = normalise(text)
            found = [f for f in found if self.by_concept[f].kind != "stock"
                     or not _DOES.match(written[written.find(f) + len(f):])]
            if found:
                return self.by_concept[found[0]], found[0]
        return None, ""


class RegionFinder:
    """The most specific region a clause names, else the district the text is about."""

    def __init__(self, regions: list[dict[str, str]], text: str) -> None:
        names = {r.get("name_zh", ""): r for r in regions if r.get("id") and r.get("name_zh")}
        pattern = _alternation(list(names))
        counties = [r for r in regions if r.get("level") == "county"]
        counts = Counter(pattern.findall(text)) if pattern else Counter()
        if counties:
            self.district = max(counties, key=lambda r: (counts[r["name_zh"]], r["id"] == counties[0]["id"]))["id"]
        else:
            self.district = regions[0]["id"] if regions else ""
        above = set()
        by_id = {r["id"]: r for r in regions if r.get("id")}
        self._regions, self._by_id = regions, by_id
        parent = by_id.get(self.district, {}).get("parent_id")
        while parent and parent not in above:
            above.add(parent)
            parent = by_id.get(parent, {}).get("parent_id")
        # the district itself and the divisions above it are the default, never a finding
        self._names = {name: r["id"] for name, r in names.items() if r["id"] != self.district and r["id"] not in above}
        self._pattern = _alternation(list(self._names))

    def above(self, region: str, level: str) -> str:
        """The region of ``level`` that encloses ``region`` (its parent, the parent's parent …),
        or, for the nation, the one region of that level; empty where there is none."""
        if level == "nation":
            nations = [r["id"] for r in self._regions if r.get("level") == level]
            return nations[0] if len(nations) == 1 else ""
        seen, current = set(), self._by_id.get(region, {}).get("parent_id")
        while current and current not in seen:
            seen.add(current)
            if self._by_id.get(current, {}).get("level") == level:
                return current
            current = self._by_id.get(current, {}).get("parent_id")
        return ""

    def find_setting(self, text: str) -> tuple[str, str]:
        """The region of 在<place> in ``text``, else the district."""
        if self._pattern:
            for match in self._pattern.finditer(text):
                if text[match.start() - 1:match.start()] == "在":
                    return self._names[match.group()], "在" + match.group()
        return self.district, ""

    def find(self, clause: str) -> tuple[str, str]:
        if self._pattern:
            found = sorted(self._pattern.findall(clause), key=len, reverse=True)
            if found:
                return self._names[found[0]], found[0]
        return self.district, ""


class TopicGuesser:
    """A topic from the catalogue entry matched, else from the words of the topics'
    Chinese names (投资与招商 gives 投资 and 招商), else the catalogue's names by shared
    character pairs, else the topic of the figure before."""

    def __init__(self, topics: list[dict[str, str]], catalogue: list[CatalogueEntry]) -> None:
        self.ids = [t["id"] for t in topics if t.get("id")]
        words: dict[str, str] = {}
        for topic in topics:
            for word in re.split(r"[与和及、]", topic.get("name_zh") or ""):
                if len(word) >= 2:
                    words.setdefault(word, topic["id"])
        self._words = words
        self._pattern = _alternation(list(words))
        pairs: dict[str, Counter] = {}
        for entry in catalogue:
            for pair in {entry.name_zh[i:i + 2] for i in range(len(entry.name_zh) - 1)}:
                pairs.setdefault(pair, Counter())[entry.topic] += 1
        self._pairs = pairs
        self.previous = self.ids[0] if self.ids else ""

    def guess(self, name: str, clause: str, paragraph: str = "") -> tuple[str, str]:
        """The topic of a row named ``name`` in ``clause``; its ``paragraph`` is the last resort
        before the topic of the figure before."""
        for text in (name, clause):
            if self._pattern and (found := self._pattern.findall(text)):
                return self._remember(self._words[max(found, key=len)]), f"topic word {max(found, key=len)}"
        votes: Counter = Counter()
        for pair in {name[i:i + 2] for i in range(len(name) - 1)}:
            votes.update(self._pairs.get(pair, {}))
        if votes:
            topic = sorted(votes.items(), key=lambda item: (-item[1], item[0]))[0][0]
            if topic in self.ids:
                return self._remember(topic), "words shared with the catalogue's names"
        if self._pattern and (found := self._pattern.findall(paragraph)):
            word = Counter(found).most_common(1)[0][0]
            return self._remember(self._words[word]), f"topic word {word} in the paragraph"
        return self.previous, "the topic of the figure before"

    def _remember(self, topic: str) -> str:
        self.previous = topic
        return topic
