"""Write a complete, valid synthetic package of any size, for tests and the benchmark.

    python scripts/synth.py --rows 1000000 --out bench/work/synth-1000000-seed0 [--sources K] [--seed S]
        [--layout csv|partitioned]

The package has the repository's schemas and CSV resources (no Parquet twins), synthetic
source texts that every quote is cut from, and rows that satisfy every rule of the
validator: each number written in digits in a text lies inside some quote, values
are the stated number times the unit's factor, keys resolve, periods agree with the
publication date. The same seed gives the same bytes.

Speed matters (a million rows is the benchmark's target size), so rows are generated
column-wise with numpy and polars; Python loops run only per source, never per row,
and CHUNK_SOURCES sources are made at a time, so that ten million rows need no more
memory than one million.

``--layout partitioned`` writes the same rows and texts with the large tables as
Parquet in hive folders by the source's province and publication year
(``data/indicators/province=90/published=2017/part-0.parquet``) and each source's text
in the same folders under ``data/sources/``; README.md ("Beyond one machine") describes
the layout and how it is validated.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parent.parent
ROWS_PER_SOURCE = 1_000
PARAGRAPH_SENTENCES = 8  # sentences per line of a source text
SHARE_OF_PROJECTS = 0.05  # projects per indicator row
SHARE_OF_PLANS = 0.05  # plans per indicator row
TARGET_EVERY = 7  # every 7th indicator sentence (when possible) states a target for next year
# Sources generated at a time: the generator's memory grows with this, not with the package
# (about 1.2 GB for 1,000 sources of 1,000 rows). A package of at most this many sources is
# made in one piece.
CHUNK_SOURCES = 1_000
LAYOUTS = ("csv", "partitioned")
SMALL_TABLES = ("sources", "regions", "units", "topics", "catalogue", "designations")
LARGE_TABLES = ("indicators", "projects", "plans", "omissions")  # partitioned in the partitioned layout
TABLE_ORDER = ("sources", "regions", "units", "topics", "catalogue", "indicators", "projects", "plans", "designations",
               "omissions")  # as the descriptor lists them

# Characters of the synthetic place names, with their pinyin. None is a Chinese numeral,
# so a name can never be mistaken for a stated number.
NAME_CHARACTERS = [
    ("安", "an"), ("宝", "bao"), ("昌", "chang"), ("德", "de"), ("丰", "feng"), ("福", "fu"),
    ("广", "guang"), ("和", "he"), ("华", "hua"), ("吉", "ji"), ("嘉", "jia"), ("建", "jian"),
    ("金", "jin"), ("康", "kang"), ("乐", "le"), ("林", "lin"), ("龙", "long"), ("隆", "long"),
    ("明", "ming"), ("宁", "ning"), ("平", "ping"), ("庆", "qing"), ("仁", "ren"), ("瑞", "rui"),
    ("山", "shan"), ("胜", "sheng"), ("泰", "tai"), ("天", "tian"), ("文", "wen"), ("兴", "xing"),
    ("阳", "yang"), ("永", "yong"), ("玉", "yu"), ("正", "zheng"), ("中", "zhong"), ("河", "he"),
    ("湖", "hu"), ("江", "jiang"), ("源", "yuan"), ("新", "xin"), ("东", "dong"), ("西", "xi"),
    ("南", "nan"), ("北", "bei"), ("青", "qing"), ("白", "bai"), ("松", "song"), ("柳", "liu"),
    ("桥", "qiao"), ("溪", "xi"), ("峰", "feng"), ("岭", "ling"), ("石", "shi"), ("城", "cheng"),
    ("春", "chun"), ("秀", "xiu"), ("鹤", "he"), ("凤", "feng"), ("云", "yun"), ("海", "hai"),
]

# unit_as_stated, base unit, factor, name_en. Every factor is 1 or a power of ten, so
# value = stated number × factor is an exact decimal that the generator writes as such.
UNITS = [
    ("亿元", "CNY", 100_000_000, "hundred million yuan"),
    ("万元", "CNY", 10_000, "ten thousand yuan"),
    ("元", "CNY", 1, "yuan"),
    ("万吨", "kg", 10_000_000, "ten thousand tonnes"),
    ("吨", "kg", 1_000, "tonnes"),
    ("公顷", "ha", 1, "hectares"),
    ("公里", "km", 1, "kilometres"),
    ("户", "count", 1, "households or enterprises"),
    ("人", "count", 1, "persons"),
    ("万人", "count", 10_000, "ten thousand persons"),
    ("个", "count", 1, "items"),
    ("%", "percent", 1, "percent"),
    ("个工作日", "working_day", 1, "working days"),
]

TOPICS = [
    ("economy", "经济运行", "Economy", "Overall output and growth."),
    ("finance", "财政", "Public finance", "Government revenue and spending."),
    ("investment", "投资", "Investment", "Fixed-asset investment and investment projects."),
    ("consumption", "消费", "Consumption", "Retail sales and consumer spending."),
    ("industry", "工业", "Industry", "Industrial output and enterprises."),
    ("agriculture", "农业", "Agriculture", "Farming, livestock and rural development."),
    ("income", "居民收入", "Household income", "Disposable income of residents."),
    ("ecology", "生态环境", "Ecology", "Forests, afforestation and the environment."),
    ("transport", "交通", "Transport", "Roads and other transport infrastructure."),
    ("business", "市场主体", "Business", "Enterprises and market entities."),
    ("employment", "就业", "Employment", "Jobs created and labour."),
    ("population", "人口", "Population", "Residents and urbanisation."),
    ("trade", "外贸", "Foreign trade", "Imports and exports."),
    ("tourism", "旅游", "Tourism", "Visitors and tourism revenue."),
    ("government", "政务服务", "Government services", "Administrative services and approvals."),
    ("urban", "城市建设", "Urban development", "Housing, parks and urban renewal."),
]


@dataclass(frozen=True)
class IndicatorKind:
    code: str
    name_zh: str
    name_en: str
    topic: str
    unit_as_stated: str
    verb: str  # what stands between the indicator's name and its number
    low: int  # bounds of the stated number, in units of 10**-decimals
    high: int
    decimals: int  # 0 or 1
    with_yoy: bool  # the sentence also states the change on the previous year
    numeral: bool = False  # the number is written as a Chinese numeral (两, 三, …)


INDICATORS = [
    IndicatorKind("gross_regional_product", "地区生产总值", "gross regional product", "economy", "亿元", "完成", 50, 3000, 1, True),
    IndicatorKind("local_fiscal_revenue", "地方级财政收入", "local fiscal revenue", "finance", "亿元", "完成", 5, 300, 1, True),
    IndicatorKind("fixed_asset_investment", "固定资产投资", "fixed-asset investment", "investment", "亿元", "完成", 20, 2000, 1, True),
    IndicatorKind("retail_sales_of_consumer_goods", "社会消费品零售总额", "total retail sales of consumer goods", "consumption", "亿元", "实现", 20, 1500, 1, True),
    IndicatorKind("industrial_output_above_designated_size", "规模以上工业总产值", "gross industrial output above designated size", "industry", "亿元", "实现", 30, 4000, 1, True),
    IndicatorKind("industrial_value_added", "工业增加值", "industrial value added", "industry", "万元", "实现", 5000, 900000, 1, True),
    IndicatorKind("grain_output", "粮食总产量", "total grain output", "agriculture", "万吨", "达到", 5, 900, 1, True),
    IndicatorKind("meat_output", "肉类总产量", "total meat output", "agriculture", "吨", "达到", 500, 90000, 0, True),
    IndicatorKind("urban_disposable_income_per_capita", "城镇常住居民人均可支配收入", "per-capita disposable income of urban residents", "income", "元", "达到", 20000, 60000, 0, True),
    IndicatorKind("rural_disposable_income_per_capita", "农村常住居民人均可支配收入", "per-capita disposable income of rural residents", "income", "元", "达到", 9000, 30000, 0, True),
    IndicatorKind("afforestation_area", "完成造林面积", "area afforested", "ecology", "公顷", "", 100, 90000, 1, False),
    IndicatorKind("rural_roads_built", "新建改建农村公路", "rural roads built or rebuilt", "transport", "公里", "", 10, 3000, 1, False),
    IndicatorKind("enterprises_above_designated_size", "规模以上工业企业", "industrial enterprises above designated size", "industry", "户", "达到", 5, 400, 0, True),
    IndicatorKind("new_market_entities", "新增市场主体", "new market entities", "business", "户", "", 100, 9000, 0, True),
    IndicatorKind("new_urban_jobs", "城镇新增就业", "new urban jobs", "employment", "人", "", 100, 9000, 0, True),
    IndicatorKind("resident_population", "常住人口", "resident population", "population", "万人", "为", 5, 900, 1, False),
    IndicatorKind("forest_coverage_rate", "森林覆盖率", "forest coverage rate", "ecology", "%", "达到", 50, 800, 1, False),
    IndicatorKind("urbanisation_rate", "常住人口城镇化率", "urbanisation rate of the resident population", "population", "%", "达到", 200, 900, 1, False),
    IndicatorKind("total_foreign_trade", "外贸进出口总额", "total value of foreign trade", "trade", "亿元", "完成", 5, 500, 1, True),
    IndicatorKind("tourism_revenue", "旅游总收入", "total tourism revenue", "tourism", "亿元", "实现", 5, 800, 1, True),
    IndicatorKind("approval_time_limit", "工程建设项目审批时限", "time limit for approving construction projects", "government", "个工作日", "压缩至", 5, 60, 0, False),
    IndicatorKind("pocket_parks_built", "新建口袋公园", "pocket parks built", "urban", "个", "", 2, 9, 0, False, numeral=True),
]
NUMERALS = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九"}

# name, name_en, topic, unit (None: an enterprise that is supported, with no investment stated)
PROJECTS = [
    ("新能源汽车零部件产业园", "new-energy vehicle parts industrial park", "industry", "亿元"),
    ("农产品冷链物流中心", "cold-chain logistics centre for farm products", "agriculture", "亿元"),
    ("生物医药产业园", "biomedicine industrial park", "industry", "亿元"),
    ("光伏发电", "photovoltaic power generation", "industry", "亿元"),
    ("智能制造产业园", "smart manufacturing industrial park", "industry", "亿元"),
    ("污水处理厂提标改造", "sewage plant upgrade", "ecology", "万元"),
    ("乡村旅游综合体", "rural tourism complex", "tourism", "万元"),
    ("粮食仓储", "grain storage", "agriculture", "万元"),
    ("现代农业示范园", "modern agriculture demonstration park", "agriculture", "亿元"),
    ("商贸物流园", "trade and logistics park", "consumption", "亿元"),
    ("肉牛养殖基地", "beef cattle farm", "agriculture", "万元"),
    ("矿泉水加工企业", "mineral water company", "industry", None),
]
PROJECT_STATUSES = [
    ("已签约", "signed"),
    ("已开工建设", "under_construction"),
    ("已竣工投产", "completed"),
    ("正在洽谈", "negotiating"),
    ("计划年内开工", "planned"),
]

# name, name_en, kind, topic, verb, unit, low, high (whole numbers); unit None: no target stated
PLANS = [
    ("高标准农田建设面积", "area of high-standard farmland", "target", "agriculture", "达到", "公顷", 500, 30000),
    ("农村公路里程", "length of rural roads", "target", "transport", "达到", "公里", 300, 5000),
    ("规模以上工业企业", "industrial enterprises above designated size", "target", "industry", "达到", "户", 10, 500),
    ("地区生产总值", "gross regional product", "target", "economy", "突破", "亿元", 50, 3000),
    ("城镇新增就业", "new urban jobs", "target", "employment", "累计达到", "人", 1000, 50000),
    ("乡村振兴示范工程", "rural revitalisation demonstration programme", "programme", "agriculture", "", None, 0, 0),
    ("营商环境优化行动", "action to improve the business environment", "programme", "government", "", None, 0, 0),
    ("老旧小区改造", "renovation of old residential compounds", "task", "urban", "", None, 0, 0),
]


@dataclass
class Places:
    """The townships, in region order: where each source's first one is, and their names."""
    first_town: np.ndarray  # per source
    zh: np.ndarray
    en: np.ndarray
    region_id: np.ndarray


@dataclass
class SynthSummary:
    out: Path
    rows: int
    sources: int
    seed: int
    counts: dict[str, int]
    seconds: float


# --- small helpers over polars expressions -------------------------------------------

def _stated(number: pl.Expr, decimals: pl.Expr) -> pl.Expr:
    """The number as a text writes it: 2646 with 1 decimal is 264.6, 2640 is 264."""
    whole = (number // 10).cast(pl.String)
    return (
        pl.when((decimals == 0))
        .then(number.cast(pl.String))
        .when(number % 10 == 0)
        .then(whole)
        .otherwise(pl.concat_str([whole, pl.lit("."), (number % 10).cast(pl.String)]))
    )


def _base_value(number: pl.Expr, decimals: pl.Expr, factor: pl.Expr) -> pl.Expr:
    """number × factor written exactly: factor 1 keeps the digits; any larger factor
    is a power of ten ≥ 10**decimals, so the product is a whole number."""
    scale = pl.when(decimals == 0).then(1).otherwise(10)
    return pl.when(factor == 1).then(_stated(number, decimals)).otherwise((number * factor // scale).cast(pl.String))


def _names(indices: np.ndarray, length: int, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """Chinese names of `length` characters (and their pinyin) for distinct indices.
    Multiplying by a number coprime to the name space keeps distinct indices distinct."""
    size = len(NAME_CHARACTERS) ** length
    code = (indices * 7919 + salt) % size
    chars = np.array([c for c, _ in NAME_CHARACTERS])
    sounds = np.array([p for _, p in NAME_CHARACTERS])
    zh = np.full(len(indices), "", dtype=object)
    en = np.full(len(indices), "", dtype=object)
    for position in range(length):
        digit = (code // len(NAME_CHARACTERS) ** (length - 1 - position)) % len(NAME_CHARACTERS)
        zh = zh + chars[digit].astype(object)
        en = en + sounds[digit].astype(object)
    return zh, np.char.capitalize(en.astype(str)).astype(object)


def _fields(table: str) -> list[str]:
    schema = json.loads((REPO / "schemas" / f"{table}.json").read_text(encoding="utf-8"))
    return [field["name"] for field in schema["fields"]]


def _table(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """The frame with exactly the schema's columns in its order; absent columns are empty."""
    columns = _fields(table)
    missing = [pl.lit(None, dtype=pl.String).alias(c) for c in columns if c not in frame.columns]
    return frame.with_columns(missing).select(columns).cast(pl.String)


# --- the generator ---------------------------------------------------------------------

def _split(total: int, parts: int) -> np.ndarray:
    base = np.full(parts, total // parts, dtype=np.int64)
    base[: total % parts] += 1
    return base


def _regions(counties: int, towns: np.ndarray, name_length: np.ndarray) -> tuple[pl.DataFrame, np.ndarray, np.ndarray]:
    """Returns the regions table and, per township, its Chinese name and pinyin."""
    """A province → prefecture → county → township tree with unique ids and codes.

    Codes start at province 90 (no real province uses 90–99) and follow the NBS shape:
    PPCC00 prefecture, PPCCXX county, PPCCXXTTT township (townships past 999 get no code).
    """
    per_prefecture = min(99, max(10, math.ceil(counties / 100)))
    prefectures = math.ceil(counties / per_prefecture)
    per_province = min(99, max(10, math.ceil(prefectures / 10)))
    provinces = math.ceil(prefectures / per_province)
    if provinces > 10:
        raise SystemExit(f"synth: too many sources ({counties}) for the synthetic region codes")

    county = np.arange(counties)
    prefecture_of_county = county // per_prefecture
    province_of_prefecture = np.arange(prefectures) // per_province
    province_code = 90 + np.arange(provinces)
    prefecture_code = province_code[province_of_prefecture] * 10_000 + (np.arange(prefectures) % per_province + 1) * 100
    county_code = prefecture_code[prefecture_of_county] + county % per_prefecture + 1

    province_zh, province_en = _names(np.arange(provinces), 2, 11)
    prefecture_zh, prefecture_en = _names(np.arange(prefectures), 2, 23)
    county_zh, county_en = _names(county, 2, 37)

    def frame(ids, codes, zh, en, level, parents) -> pl.DataFrame:
        return pl.DataFrame({
            "id": ids, "code": codes, "name_zh": zh, "name_en": en,
            "level": [level] * len(ids), "parent_id": parents,
        }, schema={c: pl.String for c in ["id", "code", "name_zh", "name_en", "level", "parent_id"]})

    province_ids = np.array([f"r{c}0000" for c in province_code], dtype=object)
    prefecture_ids = np.array([f"r{c}" for c in prefecture_code], dtype=object)
    county_ids = np.array([f"r{c}" for c in county_code], dtype=object)
    parts = [
        frame(province_ids, [f"{c}0000" for c in province_code], province_zh + "省",
              province_en + " Province", "province", [None] * provinces),
        frame(prefecture_ids, [str(c) for c in prefecture_code], prefecture_zh + "市",
              prefecture_en + " City", "prefecture", province_ids[province_of_prefecture]),
        frame(county_ids, [str(c) for c in county_code], county_zh + "县",
              county_en + " County", "county", prefecture_ids[prefecture_of_county]),
    ]

    town_county = np.repeat(county, towns)
    town_index = np.arange(len(town_county)) - np.repeat(np.cumsum(towns) - towns, towns)
    town_zh = np.empty(len(town_county), dtype=object)
    town_en = np.empty(len(town_county), dtype=object)
    for length in np.unique(name_length):
        chosen = name_length[town_county] == length
        # the county index shifts the names so neighbouring counties differ
        zh, en = _names(town_index[chosen] + town_county[chosen] * 131, int(length), 0)
        town_zh[chosen], town_en[chosen] = zh, en
    town_code = county_code[town_county].astype(np.int64) * 1000 + town_index + 1
    has_code = town_index < 999
    town_codes = np.where(has_code, town_code.astype(str), None)
    # a township past the 999th of its county has no code, so its id says so plainly
    town_ids = np.where(has_code, np.char.add("r", town_code.astype(str)).astype(object),
                        np.array([f"r{c}-{i + 1}" for c, i in zip(county_code[town_county], town_index)], dtype=object)
                        if (~has_code).any() else None)
    parts.append(frame(town_ids, town_codes, town_zh + "镇", town_en + " Town", "township",
                       county_ids[town_county]))
    return pl.concat(parts), town_zh, town_en


@dataclass
class Slots:
    """The indicator sentences: per sentence its source, its place in the source, the
    kind of figure (index into INDICATORS), and whether it gives two rows or a target."""
    source: np.ndarray
    slot: np.ndarray
    kind: np.ndarray
    is_pair: np.ndarray
    is_target: np.ndarray


@dataclass
class Documents:
    """One source document per county: id, the year its figures describe, publication time."""
    ids: np.ndarray
    year: np.ndarray
    published: list[str]
    county_zh: list[str]
    county_en: list[str]
    province: list[str]  # the two-digit code of the county's province (its partition key)

    def sliced(self, part: slice) -> "Documents":
        return Documents(self.ids[part], self.year[part], self.published[part], self.county_zh[part],
                         self.county_en[part], self.province[part])

    @property
    def partitions(self) -> list[str]:
        """Each source's partition folder: the source's province and publication year, as hive keys."""
        return [f"province={p}/published={published[:4]}" for p, published in zip(self.province, self.published)]

    @property
    def date_lines(self) -> list[str]:
        return [f"发布时间：{p[:10]} {p[11:16]}" for p in self.published]

    @property
    def titles(self) -> list[str]:
        return [f"{name}国民经济和社会发展统计公报" for name in self.county_zh]

    @property
    def publishers(self) -> list[str]:
        return [f"{name}统计局" for name in self.county_zh]


def _indicator_slots(indicator_rows: np.ndarray) -> Slots:
    """Sentences that give exactly indicator_rows[s] rows for each source s. Enough
    candidate slots (one per row) are made, then cut where each source has its rows."""
    rows = int(indicator_rows.sum())
    source = np.repeat(np.arange(len(indicator_rows)), indicator_rows)
    first_slot = np.cumsum(indicator_rows) - indicator_rows
    slot = np.arange(rows) - np.repeat(first_slot, indicator_rows)
    kind = slot % len(INDICATORS)
    with_yoy = np.array([i.with_yoy for i in INDICATORS])[kind]
    numeral = np.array([i.numeral for i in INDICATORS])[kind]
    is_target = (slot % TARGET_EVERY == TARGET_EVERY - 1) & ~numeral
    is_pair = with_yoy & ~is_target
    row_count = np.where(is_pair, 2, 1)
    cumulative = np.cumsum(row_count)
    rows_before_source = np.where(first_slot > 0, cumulative[first_slot - 1], 0)
    rows_through = cumulative - rows_before_source[source]
    wanted = indicator_rows[source]
    keep = rows_through - row_count < wanted
    # a pair that overshoots the source's row count loses its change-on-last-year clause
    is_pair = is_pair & ~(keep & (rows_through > wanted))
    return Slots(source[keep], slot[keep], kind[keep], is_pair[keep], is_target[keep])


def _documents(rng: np.random.Generator, regions: pl.DataFrame) -> Documents:
    counties = regions.filter(pl.col("level") == "county")
    k = counties.height
    year = 2016 + rng.integers(0, 8, k)  # the year the figures describe
    month = 1 + rng.integers(0, 4, k)  # published early in the next year
    day = 1 + rng.integers(0, 28, k)
    hour = 8 + rng.integers(0, 10, k)
    minute = rng.integers(0, 60, k)
    return Documents(
        ids=np.array([f"synth-{c}-{y}" for c, y in zip(counties["code"], year)], dtype=object),
        year=year,
        published=[f"{y + 1}-{m:02d}-{d:02d}T{h:02d}:{mi:02d}:00+08:00"
                   for y, m, d, h, mi in zip(year, month, day, hour, minute)],
        county_zh=counties["name_zh"].to_list(),
        county_en=counties["name_en"].to_list(),
        province=counties["code"].str.slice(0, 2).to_list(),
    )


def _units() -> pl.DataFrame:
    return pl.DataFrame({
        "unit_as_stated": [u[0] for u in UNITS], "unit": [u[1] for u in UNITS],
        "factor": [u[2] for u in UNITS], "name_en": [u[3] for u in UNITS],
    })


def _catalogue() -> pl.DataFrame:
    """One catalogue row per kind of indicator: the names, topic and unit are declared here once."""
    return pl.DataFrame({
        "code": [i.code for i in INDICATORS], "name_zh": [i.name_zh for i in INDICATORS],
        "name_en": [i.name_en for i in INDICATORS], "topic": [i.topic for i in INDICATORS],
        "unit": [i.unit_as_stated for i in INDICATORS],
        # every synthetic figure is stated over a period: flows (a stock would be dated on one day)
        "kind": ["flow" for _ in INDICATORS],
        "definition": [f"The {i.name_en} of the place in the period (synthetic)." for i in INDICATORS],
    })


def _indicators(rng: np.random.Generator, slots: Slots, places: Places, documents: Documents,
                units: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The indicators table and its sentences (source, slot, quote)."""
    catalogue = pl.DataFrame({
        "kind": np.arange(len(INDICATORS)),
        "indicator": [i.code for i in INDICATORS],
        "name_zh": [i.name_zh for i in INDICATORS],
        "name_en": [i.name_en for i in INDICATORS],
        "topic": [i.topic for i in INDICATORS],
        "unit_as_stated": [i.unit_as_stated for i in INDICATORS],
        "verb": [i.verb for i in INDICATORS],
        "decimals": [i.decimals for i in INDICATORS],
        "numeral": [i.numeral for i in INDICATORS],
    })
    low = np.array([i.low for i in INDICATORS])[slots.kind]
    high = np.array([i.high for i in INDICATORS])[slots.kind]
    number = low + (rng.random(len(slots.kind)) * (high - low + 1)).astype(np.int64)
    change = 1 + (rng.random(len(slots.kind)) * 200).astype(np.int64)  # 0.1 % to 20.0 %
    town = places.first_town[slots.source] + slots.slot // len(INDICATORS)
    sentences = (
        pl.DataFrame({
            "source": slots.source, "slot": slots.slot, "kind": slots.kind, "is_pair": slots.is_pair,
            "is_target": slots.is_target, "number": number, "change": change,
            "year": documents.year[slots.source], "town": places.zh[town], "region_id": places.region_id[town],
            "source_id": documents.ids[slots.source],
        })
        .join(catalogue, on="kind", how="left")
        .join(units.select("unit_as_stated", "unit", "factor"), on="unit_as_stated", how="left")
        .sort("source", "slot")
        .with_columns(
            stated=pl.when(pl.col("numeral"))
            .then(pl.col("number").replace_strict(NUMERALS, return_dtype=pl.String, default=None))
            .otherwise(_stated(pl.col("number"), pl.col("decimals"))),
            change_stated=_stated(pl.col("change"), pl.lit(1)),
            figure_year=pl.when(pl.col("is_target")).then(pl.col("year") + 1).otherwise(pl.col("year")),
        )
        .with_columns(
            value=_base_value(pl.col("number"), pl.col("decimals"), pl.col("factor")),
            quote=pl.concat_str([
                pl.col("town"), pl.lit("镇"),
                pl.when(pl.col("is_target")).then(pl.lit("计划")).otherwise(pl.lit("")),
                pl.col("figure_year").cast(pl.String), pl.lit("年"), pl.col("name_zh"),
                # a goal is "reached"; only a time limit is "cut to", as in the actual figure
                pl.when(pl.col("is_target") & (pl.col("verb") != "压缩至")).then(pl.lit("达到")).otherwise(pl.col("verb")),
                pl.col("stated"), pl.col("unit_as_stated"),
                pl.when(pl.col("is_pair")).then(pl.concat_str([pl.lit("，同比增长"), pl.col("change_stated"), pl.lit("%")]))
                .otherwise(pl.lit("")),
                pl.lit("。"),
            ]),
        )
    )
    level_rows = sentences.with_columns(
        measure=pl.lit("level"), part=pl.lit(0),
        status=pl.when(pl.col("is_target")).then(pl.lit("target")).otherwise(pl.lit("actual")),
    )
    change_rows = sentences.filter(pl.col("is_pair")).with_columns(
        measure=pl.lit("yoy_change"), part=pl.lit(1), status=pl.lit("actual"),
        value=pl.col("change_stated"), stated=pl.col("change_stated"),
        unit_as_stated=pl.lit("%"), unit=pl.lit("percent"),
    )
    indicators = (
        pl.concat([level_rows, change_rows])
        .sort("source", "slot", "part")
        .with_columns(
            # <source_id>--<region>-<year>-<indicator code>[-yoy]: a (township, kind, year) is used once a source
            id=pl.concat_str([pl.col("source_id"), pl.lit("--"), pl.col("region_id"), pl.lit("-"),
                              pl.col("figure_year").cast(pl.String), pl.lit("-"),
                              pl.col("indicator").str.replace_all("_", "-"),
                              pl.when(pl.col("part") == 1).then(pl.lit("-yoy")).otherwise(pl.lit(""))]),
            period_start=pl.concat_str([pl.col("figure_year").cast(pl.String), pl.lit("-01-01")]),
            period_end=pl.concat_str([pl.col("figure_year").cast(pl.String), pl.lit("-12-31")]),
            value_as_stated=pl.col("stated"),
            qualifier=pl.lit("exact"),
        )
    )
    return indicators, sentences.select("source", "slot", "quote")


def _texts(documents: Documents, sections: list[pl.DataFrame]) -> list[str]:
    """Each source's text: title, date line, a sentence without numbers, then the
    sentences of each section (indicators, projects, plans), PARAGRAPH_SENTENCES a line."""
    body = (
        pl.concat([frame.select("source", pl.lit(number).alias("section"), "slot", "quote")
                   for number, frame in enumerate(sections)])
        .sort("source", "section", "slot")
        .group_by("source", "section", pl.col("slot") // PARAGRAPH_SENTENCES, maintain_order=True)
        .agg(pl.col("quote").str.join(""))
        .group_by("source", maintain_order=True)
        .agg(pl.col("quote").str.join("\n"))
        .sort("source")
    )
    return [
        f"{title}\n{date_line}  来源：{publisher}\n\n{county}坚持稳中求进工作总基调，经济社会持续健康发展。\n{text}\n"
        for title, date_line, publisher, county, text
        in zip(documents.titles, documents.date_lines, documents.publishers, documents.county_zh, body["quote"])
    ]


def _source_tables(documents: Documents, digests: list[str], paths: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The sources table, and one omission per source: its date line."""
    ids = documents.ids
    sources = pl.DataFrame({
        "id": ids,
        "title_zh": documents.titles,
        "title_en": [f"Statistical communiqué on the national economic and social development of {n}"
                     for n in documents.county_en],
        "publisher_zh": documents.publishers,
        "publisher_en": [f"{n} Bureau of Statistics" for n in documents.county_en],
        "published": documents.published,
        "url": [f"https://example.org/synth/{s}" for s in ids],
        "path": paths,
        "sha256": digests,
        "licence_note": ["Synthetic text written by scripts/synth.py for tests and benchmarks; no rights reserved."] * len(ids),
    }, schema_overrides={"id": pl.String})
    omissions = pl.DataFrame({
        "id": [f"{s}--dateline" for s in ids],
        "source_id": ids,
        "kind": ["date_time"] * len(ids),
        "quote": documents.date_lines,
        "reason": ["Publication date and time of the document, not data."] * len(ids),
    }, schema_overrides={"id": pl.String, "source_id": pl.String})
    return sources, omissions


def synthesise(rows: int, out: Path, sources: int | None = None, seed: int = 0,
               layout: str = "csv") -> SynthSummary:
    """Write the package to `out` (replacing it) and return what was written.

    ``layout`` "csv" writes every table as one CSV file; "partitioned" writes the large
    tables (LARGE_TABLES) as Parquet in hive folders by the source's province and
    publication year, each source's text in the same folders (see _PartitionedWriter).
    Both hold the same rows and texts for the same arguments.
    """
    started = time.perf_counter()
    if rows < 1:
        raise SystemExit("synth: --rows must be at least 1")
    if layout not in LAYOUTS:
        raise SystemExit(f"synth: --layout must be one of {', '.join(LAYOUTS)}")
    k = sources or max(1, math.ceil(rows / ROWS_PER_SOURCE))
    if k > rows:
        raise SystemExit("synth: --sources cannot exceed --rows")
    rng = np.random.default_rng(seed)

    indicator_rows = _split(rows, k)
    project_rows = np.maximum(1, np.rint(indicator_rows * SHARE_OF_PROJECTS)).astype(np.int64)
    plan_rows = np.maximum(1, np.rint(indicator_rows * SHARE_OF_PLANS)).astype(np.int64)
    chunks = [slice(first, min(k, first + CHUNK_SOURCES)) for first in range(0, k, CHUNK_SOURCES)]
    # sentences per source, a chunk at a time (the slots themselves are made again per chunk below)
    sentences = np.concatenate([np.bincount(_indicator_slots(indicator_rows[c]).source, minlength=c.stop - c.start)
                                for c in chunks])
    # enough townships that no (township, kind) pair is used twice in a source
    towns = np.maximum.reduce([
        np.ceil(sentences / len(INDICATORS)),
        np.ceil(project_rows / len(PROJECTS)),
        np.ceil(plan_rows / len(PLANS)),
        np.ones(k),
    ]).astype(np.int64)
    # names of one length per county, so that no sentence is the tail of another
    name_length = np.where(towns <= len(NAME_CHARACTERS) ** 2, 2, 3)
    regions, town_zh, town_en = _regions(k, towns, name_length)
    places = Places(first_town=np.cumsum(towns) - towns, zh=town_zh, en=town_en,
                    region_id=regions.filter(pl.col("level") == "township")["id"].to_numpy())
    documents = _documents(rng, regions)
    units = _units()

    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "schemas", out / "schemas")
    writer = _CsvWriter(out) if layout == "csv" else _PartitionedWriter(out)
    counts = dict.fromkeys(LARGE_TABLES, 0)
    source_tables = []
    for number, chunk in enumerate(chunks):
        # a chunk of sources at a time, so that memory is bounded by the chunk, not by the package
        docs = documents.sliced(chunk)
        local = Places(first_town=places.first_town[chunk], zh=places.zh, en=places.en, region_id=places.region_id)
        slots = _indicator_slots(indicator_rows[chunk])
        indicators, indicator_sentences = _indicators(rng, slots, local, docs, units)
        assert indicators.height == int(indicator_rows[chunk].sum()), (indicators.height, rows)
        projects, project_sentences = _projects(rng, project_rows[chunk], local, docs.ids, units)
        plans, plan_sentences = _plans(rng, plan_rows[chunk], local, docs.ids, docs.year, units)
        texts = _texts(docs, [indicator_sentences, project_sentences, plan_sentences])
        paths, digests = writer.texts(docs, texts)
        source_table, omissions = _source_tables(docs, digests, paths)
        source_tables.append(source_table)
        large = {"indicators": indicators, "projects": projects, "plans": plans, "omissions": omissions}
        writer.large({name: _table(frame, name) for name, frame in large.items()}, docs, number)
        for name, frame in large.items():
            counts[name] += frame.height
        del indicators, projects, plans, omissions, large, texts

    small = {
        "sources": pl.concat(source_tables),
        "regions": regions,
        "units": units.with_columns(pl.col("factor").cast(pl.String)),
        "topics": pl.DataFrame(TOPICS, schema=["id", "name_zh", "name_en", "description"], orient="row"),
        "catalogue": _catalogue(),
        # designations is a large table in the repository, but synthetic sources designate nothing
        "designations": pl.DataFrame(schema={"id": pl.String}),
    }
    for name, frame in small.items():
        _table(frame, name).write_csv(out / "data" / f"{name}.csv")
    # every other table of the package (acknowledgements, …) is there, empty
    for resource in json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))["resources"]:
        if (resource.get("format") == "csv" and resource["name"] not in small
                and resource["name"] not in LARGE_TABLES):
            _table(pl.DataFrame(), resource["name"]).write_csv(out / resource["path"])
    writer.close()
    _write_descriptor(out, rows, k, seed, writer.parts if layout == "partitioned" else None)
    counts = {**{name: frame.height for name, frame in small.items()}, **counts}
    ordered = {name: counts[name] for name in TABLE_ORDER}
    return SynthSummary(out, rows, k, seed, ordered, time.perf_counter() - started)


class _CsvWriter:
    """Every table as one CSV file (data/<table>.csv), texts as data/sources/<id>.txt."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.files = {name: (out / "data" / f"{name}.csv").open("wb") for name in LARGE_TABLES}
        self.started: set[str] = set()

    def texts(self, documents: Documents, texts: list[str]) -> tuple[list[str], list[str]]:
        paths = [f"data/sources/{source_id}.txt" for source_id in documents.ids]
        return paths, _write_texts(self.out, paths, texts)

    def large(self, frames: dict[str, pl.DataFrame], documents: Documents, number: int) -> None:
        for name, frame in frames.items():
            frame.write_csv(self.files[name], include_header=name not in self.started)
            self.started.add(name)

    def close(self) -> None:
        for file in self.files.values():
            file.close()


class _PartitionedWriter:
    """The large tables as Parquet in hive folders by the source's partition
    (data/<table>/province=PP/published=YYYY/part-<chunk>.parquet), typed as the Table
    Schema says; each source's text in the same folders under data/sources/.

    A source and all its rows are in one partition, so every check that needs a
    source's text finds all of its rows beside it. The partition keys are not stored
    in the files: they are the folder names, derived from the source."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.parts: dict[str, list[str]] = {name: [] for name in LARGE_TABLES}
        self.dtypes = {name: _parquet_dtypes(name) for name in LARGE_TABLES}

    def texts(self, documents: Documents, texts: list[str]) -> tuple[list[str], list[str]]:
        paths = [f"data/sources/{folder}/{source_id}.txt"
                 for folder, source_id in zip(documents.partitions, documents.ids)]
        return paths, _write_texts(self.out, paths, texts)

    def large(self, frames: dict[str, pl.DataFrame], documents: Documents, number: int) -> None:
        folders = pl.DataFrame({"source_id": documents.ids, "_partition": documents.partitions},
                               schema={"source_id": pl.String, "_partition": pl.String})
        for name, frame in frames.items():
            typed = _typed(frame, self.dtypes[name])
            keyed = typed.join(folders, on="source_id", how="left", maintain_order="left")
            for (folder,), part in sorted(keyed.partition_by("_partition", as_dict=True).items()):
                relative = f"data/{name}/{folder}/part-{number}.parquet"
                (self.out / relative).parent.mkdir(parents=True, exist_ok=True)
                part.drop("_partition").write_parquet(self.out / relative, statistics=True)
                self.parts[name].append(relative)

    def close(self) -> None:
        for name in self.parts:
            self.parts[name].sort()


def _write_texts(out: Path, paths: list[str], texts: list[str]) -> list[str]:
    digests = []
    for relative, text in zip(paths, texts):
        data = text.encode("utf-8")
        file = out / relative
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(data)
        digests.append(hashlib.sha256(data).hexdigest())
    return digests


def _parquet_dtypes(table: str) -> dict[str, pl.DataType]:
    """The polars dtype of each column, as the reader types it (one mapping: jiutai_data.model.schema)."""
    from jiutai_data.model.schema import polars_dtypes

    return polars_dtypes(json.loads((REPO / "schemas" / f"{table}.json").read_text(encoding="utf-8")))


def _typed(frame: pl.DataFrame, dtypes: dict[str, pl.DataType]) -> pl.DataFrame:
    """The string frame cast to its Table Schema types (every cell is valid: the generator wrote it)."""
    def cast(name: str, dtype: pl.DataType) -> pl.Expr:
        column = pl.col(name)
        if dtype == pl.Date:
            return column.str.to_date("%Y-%m-%d")
        if isinstance(dtype, pl.Datetime):
            return column.str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", time_unit="us", time_zone="UTC")
        return column.cast(dtype)
    return frame.select(cast(name, dtype).alias(name) for name, dtype in dtypes.items())


def _projects(rng: np.random.Generator, counts: np.ndarray, places: Places, source_ids: np.ndarray, units: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    source = np.repeat(np.arange(len(counts)), counts)
    slot = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    kind = slot % len(PROJECTS)
    status = (slot // len(PROJECTS)) % len(PROJECT_STATUSES)
    town = places.first_town[source] + slot // len(PROJECTS)
    number = 10 + (rng.random(len(slot)) * 2000).astype(np.int64)  # 1.0 to 200.9 (亿元 or 万元)
    catalogue = pl.DataFrame({
        "kind": np.arange(len(PROJECTS)),
        "project": [p[0] for p in PROJECTS], "project_en": [p[1] for p in PROJECTS],
        "topic": [p[2] for p in PROJECTS], "investment_unit_as_stated": [p[3] for p in PROJECTS],
    })
    statuses = pl.DataFrame({
        "status_index": np.arange(len(PROJECT_STATUSES)),
        "phrase": [s[0] for s in PROJECT_STATUSES], "project_status": [s[1] for s in PROJECT_STATUSES],
    })
    frame = (
        pl.DataFrame({
            "source": source, "slot": slot, "kind": kind, "status_index": status, "number": number,
            "town": places.zh[town], "town_en": places.en[town], "region_id": places.region_id[town], "source_id": source_ids[source],
        })
        .join(catalogue, on="kind", how="left")
        .join(statuses, on="status_index", how="left")
        .join(units.select(pl.col("unit_as_stated").alias("investment_unit_as_stated"), "factor"),
              on="investment_unit_as_stated", how="left")
        .sort("source", "slot")
        .with_columns(
            enterprise=pl.col("investment_unit_as_stated").is_null(),
            investment_as_stated=_stated(pl.col("number"), pl.lit(1)),
            name_zh=pl.concat_str([pl.col("town"), pl.lit("镇"), pl.col("project")]),
        )
        .with_columns(
            name_zh=pl.when(pl.col("enterprise")).then(pl.col("name_zh"))
            .otherwise(pl.concat_str([pl.col("name_zh"), pl.lit("项目")])),
            investment_as_stated=pl.when(pl.col("enterprise")).then(None).otherwise(pl.col("investment_as_stated")),
            investment_cny=pl.when(pl.col("enterprise")).then(None)
            .otherwise(_base_value(pl.col("number"), pl.lit(1), pl.col("factor"))),
        )
        .with_columns(
            quote=pl.when(pl.col("enterprise"))
            .then(pl.concat_str([pl.col("name_zh"), pl.lit("获得纾困资金支持。")]))
            .otherwise(pl.concat_str([pl.col("name_zh"), pl.col("phrase"), pl.lit("，总投资"),
                                      pl.col("investment_as_stated"), pl.col("investment_unit_as_stated"), pl.lit("。")])),
            kind=pl.when(pl.col("enterprise")).then(pl.lit("enterprise")).otherwise(pl.lit("project")),
            status=pl.when(pl.col("enterprise")).then(pl.lit("supported")).otherwise(pl.col("project_status")),
            name_en=pl.concat_str([pl.col("town_en"), pl.lit(" Town "), pl.col("project_en"),
                                   pl.when(pl.col("enterprise")).then(pl.lit("")).otherwise(pl.lit(" project"))]),
            id=pl.concat_str([pl.col("source_id"), pl.lit("--p"), (pl.col("slot") + 1).cast(pl.String)]),
        )
    )
    return frame, frame.select("source", "slot", "quote")


def _plans(rng: np.random.Generator, counts: np.ndarray, places: Places, source_ids: np.ndarray,
           year: np.ndarray, units: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    source = np.repeat(np.arange(len(counts)), counts)
    slot = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    kind = slot % len(PLANS)
    town = places.first_town[source] + slot // len(PLANS)
    draw = rng.random(len(slot))
    horizon = year[source] + 2 + (rng.random(len(slot)) * 3).astype(np.int64)  # 1–3 years after publication
    catalogue = pl.DataFrame({
        "kind_index": np.arange(len(PLANS)),
        "plan": [p[0] for p in PLANS], "plan_en": [p[1] for p in PLANS], "kind": [p[2] for p in PLANS],
        "topic": [p[3] for p in PLANS], "verb": [p[4] for p in PLANS], "target_unit_as_stated": [p[5] for p in PLANS],
        "low": [p[6] for p in PLANS], "high": [p[7] for p in PLANS],
    })
    frame = (
        pl.DataFrame({
            "source": source, "slot": slot, "kind_index": kind, "draw": draw, "horizon": horizon,
            "town": places.zh[town], "town_en": places.en[town], "region_id": places.region_id[town], "source_id": source_ids[source],
        })
        .join(catalogue, on="kind_index", how="left")
        .join(units.select(pl.col("unit_as_stated").alias("target_unit_as_stated"), pl.col("unit").alias("target_unit"), "factor"),
              on="target_unit_as_stated", how="left")
        .sort("source", "slot")
        .with_columns(
            has_target=pl.col("target_unit_as_stated").is_not_null(),
            number=(pl.col("low") + pl.col("draw") * (pl.col("high") - pl.col("low") + 1)).cast(pl.Int64),
            name_zh=pl.concat_str([pl.col("town"), pl.lit("镇"), pl.col("plan")]),
        )
        .with_columns(
            target_as_stated=pl.when(pl.col("has_target")).then(pl.col("number").cast(pl.String)),
            target_value=pl.when(pl.col("has_target")).then((pl.col("number") * pl.col("factor")).cast(pl.String)),
            horizon_end=pl.when(pl.col("has_target")).then(pl.concat_str([pl.col("horizon").cast(pl.String), pl.lit("-12-31")])),
            quote=pl.when(pl.col("has_target"))
            .then(pl.concat_str([pl.lit("到"), pl.col("horizon").cast(pl.String), pl.lit("年，"), pl.col("name_zh"),
                                 pl.col("verb"), pl.col("number").cast(pl.String), pl.col("target_unit_as_stated"), pl.lit("。")]))
            # the plan named as its row names it (name-in-quote)
            .otherwise(pl.concat_str([pl.lit("深入实施"), pl.col("name_zh"), pl.lit("。")])),
            name_en=pl.concat_str([pl.col("town_en"), pl.lit(" Town: "), pl.col("plan_en")]),
            id=pl.concat_str([pl.col("source_id"), pl.lit("--n"), (pl.col("slot") + 1).cast(pl.String)]),
            status=pl.lit("planned"),  # every plan is for the years after publication
            qualifier=pl.when(pl.col("has_target")).then(pl.lit("exact")),
        )
    )
    return frame, frame.select("source", "slot", "quote")


def _write_descriptor(out: Path, rows: int, sources: int, seed: int,
                      parts: dict[str, list[str]] | None = None) -> None:
    """The repository's descriptor, cut down to its CSV resources, so that names,
    paths, dialect and schema references stay exactly the repository's; bytes and
    hash describe the files written here. With ``parts`` (the partitioned layout),
    each large table's resource lists its Parquet part files instead (see
    partitioned_resource)."""
    descriptor = json.loads((REPO / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["name"] = "jiutai-data-synth"
    descriptor["title"] = f"Synthetic package: {rows} indicator rows from {sources} sources (seed {seed})"
    descriptor["description"] = "Written by scripts/synth.py for tests and benchmarks. Every text and figure is invented."
    descriptor["sources"] = [{"title": "Synthetic texts written by scripts/synth.py"}]
    descriptor["resources"] = [r for r in descriptor["resources"] if r.get("format") == "csv"]
    if parts is not None:
        descriptor["resources"] = [partitioned_resource(r, parts[r["name"]]) if r["name"] in parts else r
                                   for r in descriptor["resources"]]
    _declare_integrity(out, descriptor)


def partitioned_resource(csv_resource: dict, parts: list[str]) -> dict:
    """A large table's resource in the partitioned layout.

    ``path`` lists every part file (the Data Package form of a resource in several
    files), so any reader of the descriptor finds all of them without listing folders;
    ``partitioning`` (a property of this package) says that the folders are hive
    ``key=value`` folders and what the keys mean. The Table Schema is the CSV form's."""
    resource = {k: v for k, v in csv_resource.items() if k not in ("path", "format", "mediatype", "encoding",
                                                                    "dialect", "bytes", "hash")}
    resource.update({
        "path": parts,
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "partitioning": {
            "style": "hive",
            "keys": ["province", "published"],
            "description": "Folders province=PP/published=YYYY: the two-digit code of the province of the "
                           "source's place and the year the source was published. A row is in its source's "
                           "partition, whose text is in data/sources/ under the same folders.",
        },
    })
    return resource


def _declare_integrity(root: Path, descriptor: dict) -> None:
    # bytes and hash as `jiutai-data build` declares them, so that the integrity check has work to do
    for resource in descriptor["resources"]:
        if not isinstance(resource["path"], str):
            # a partitioned table: bytes and hash of each part file (model/partitioning.PARTS), not of one stream
            resource["parts"] = [{"path": part, "bytes": (root / part).stat().st_size,
                                  "hash": f"sha256:{hashlib.sha256((root / part).read_bytes()).hexdigest()}"}
                                 for part in resource["path"]]
            continue
        data = (root / resource["path"]).read_bytes()
        resource["bytes"] = len(data)
        resource["hash"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
    (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def refresh_integrity(root: Path) -> None:
    """Declare the current bytes and hash of every resource of the package at ``root``
    (for tests that change a file on purpose and want only that change found)."""
    descriptor = json.loads((Path(root) / "datapackage.json").read_text(encoding="utf-8"))
    _declare_integrity(Path(root), descriptor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True, help="indicator rows")
    parser.add_argument("--out", type=Path, required=True, help="package folder to write (replaced)")
    parser.add_argument("--sources", type=int, default=None, help=f"source documents (default: one per {ROWS_PER_SOURCE} rows)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--layout", choices=LAYOUTS, default="csv",
                        help="csv: every table one CSV file; partitioned: the large tables as hive-partitioned Parquet")
    args = parser.parse_args(argv)
    summary = synthesise(args.rows, args.out, args.sources, args.seed, args.layout)
    counts = ", ".join(f"{name} {count}" for name, count in summary.counts.items())
    print(f"wrote {summary.out} in {summary.seconds:.1f} s: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
