"""The units of Chinese statistical publications, defined once: roots and multiplying prefixes.

Why: data/units.csv gives each unit as written (万亩, 亿千瓦时) its base unit and factor,
and every value of the package is converted with that factor. A factor typed by hand is
a guess that nothing else would catch: a contributor who adds 万亩 and writes 666.7, or
10000 (forgetting that a 亩 is not a hectare), makes every value stated in 万亩 wrong
while value == number × factor still holds. So the factor follows from a definition
instead: 万亩 is the prefix 万 (10 000) and the root 亩 (1/15 ha), so 10000 × 1/15 ha.
validate (checks/units.py, code ``unit-factor``) compares each row of the units table
whose unit has a definition with it; a unit that is not made of a known prefix and root
(场次, or 亿 written without 元) has none and keeps the factor its row states.

A unit reads as at most one prefix followed by one root, the longest root first, so that
千瓦, 千米, 千克 and 千伏安 are roots in their own right (not 千 + 瓦), 万千瓦时 is 万 +
千瓦时, and 个百分点 is a root, not 个 followed by something. Factors are exact
fractions (1 亩 = 1/15 ha has no finite decimal); pure Python, no polars.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Root:
    """A unit that is not a multiple of another: 1 <root> = <factor> <base>."""

    base: str
    factor: Fraction


def _root(base: str, factor: int | str | Fraction = 1) -> Root:
    return Root(base, Fraction(factor))


# Counts: measure words whose numbers are counts of people, households, units or things.
# Not 次 (场次 is not 场 × 次) and not 场次 itself: those are kept as their rows state them.
# 台 (machines) is defined, but data/units.csv leaves it out for now: every unit of that table
# also makes a numeral before it a quantity for the coverage check and the draft tool, and
# 九台, the district's own name, would then read as "nine machines" in every source.
_COUNT_WORDS = ("人", "人次", "户", "个", "家", "所", "座", "处", "项", "件", "起", "台", "辆", "套", "头",
                "只", "羽", "张", "床", "名", "位", "条", "场")

ROOTS: dict[str, Root] = {
    # currency
    "元": _root("CNY"),
    "美元": _root("USD"),
    # mass: 1 斤 (jin) is the 市斤 of the market units, 500 g
    "斤": _root("kg", "0.5"),
    "公斤": _root("kg"),
    "千克": _root("kg"),  # a root: 千克 is the kilogram, not 千 × 克 (克 is not defined here)
    "吨": _root("kg", 1000),
    # land area: 1 亩 (mu) is 1/15 hectare, which no decimal writes exactly
    "亩": _root("ha", Fraction(1, 15)),
    "公顷": _root("ha"),
    "平方公里": _root("ha", 100),
    "平方千米": _root("ha", 100),  # the same square kilometre, written with 千米
    # floor area
    "平方米": _root("m2"),
    # length
    "米": _root("km", "0.001"),
    "千米": _root("km"),
    "公里": _root("km"),
    # power, energy, apparent power
    "千瓦": _root("kW"),
    "千瓦时": _root("kWh"),
    "千伏安": _root("kVA"),
    # volume
    "立方米": _root("m3"),
    # rates: a share in percent, per mille, and a change of a rate in percentage points
    "%": _root("percent"),
    "‰": _root("percent", "0.1"),
    "个百分点": _root("percentage_point"),
    ":": _root("percent"),  # each part of a structure a:b:c is a share of the whole, in percent
    # time
    "天": _root("day"),
    "工作日": _root("working_day"),
    "年": _root("year"),
    **{word: _root("count") for word in _COUNT_WORDS},
}

# Multiplying prefixes, written before a root: 千元, 万亩, 亿千瓦时.
PREFIXES: dict[str, Fraction] = {
    "千": Fraction(1000),
    "万": Fraction(10_000),
    "亿": Fraction(100_000_000),
}

# longest first: 千瓦时 before 千瓦, 平方公里 before 公里, 人次 before 人
_ROOTS_LONGEST_FIRST = sorted(ROOTS, key=lambda root: (-len(root), root))


@dataclass(frozen=True)
class Reading:
    """A unit as written, read as prefix + root."""

    unit_as_stated: str
    prefix: str  # "" for a root alone
    root: str

    @property
    def base_unit(self) -> str:
        return ROOTS[self.root].base

    @property
    def exact_factor(self) -> Fraction:
        return (PREFIXES[self.prefix] if self.prefix else 1) * ROOTS[self.root].factor

    @property
    def factor(self) -> float:
        return float(self.exact_factor)

    def explain(self) -> str:
        """How the factor follows: "10000 × 1/15 = 666.666666666667 (1 万亩 = 10000 亩, 1 亩 = 1/15 ha)"."""
        root = ROOTS[self.root]
        root_rule = f"1 {self.root} = {exact_text(root.factor)} {root.base}"
        if not self.prefix:
            exact, decimal = exact_text(root.factor), decimal_text(root.factor)
            return f"{exact}{'' if exact == decimal else f' = {decimal}'} ({root_rule})"
        prefix = PREFIXES[self.prefix]
        return (f"{exact_text(prefix)} × {exact_text(root.factor)} = {decimal_text(self.exact_factor)} "
                f"(1 {self.unit_as_stated} = {exact_text(prefix)} {self.root}, {root_rule})")


def exact_text(value: Fraction) -> str:
    """A factor as its definition writes it: 10000, 0.5, 0.001, 1/15."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:  # a finite decimal
        return format(value.numerator / value.denominator, ".15g")
    return f"{value.numerator}/{value.denominator}"


def decimal_text(value: Fraction | float) -> str:
    """A factor as a decimal with 15 significant digits, as data/units.csv writes 1/15: 0.0666666666666667."""
    number = float(value)
    if number.is_integer() and abs(number) < 1e18:
        return str(int(number))
    return format(number, ".15g")


def reading_of(unit_as_stated: str) -> Reading | None:
    """``unit_as_stated`` as prefix + root, the longest root first; None if it is not one."""
    for root in _ROOTS_LONGEST_FIRST:
        if unit_as_stated.endswith(root):
            prefix = unit_as_stated[: len(unit_as_stated) - len(root)]
            # the longest root that ends the unit decides; what stands before it is a prefix or nothing
            # (厘米 is not read as anything: 厘 is no prefix here, and a guess would be a wrong factor)
            return Reading(unit_as_stated, prefix, root) if prefix == "" or prefix in PREFIXES else None
    return None


def definition_of(unit_as_stated: str) -> tuple[str, float] | None:
    """(base unit, factor) of a unit as written, from its definition; None when it has none.

    >>> definition_of("万亩")
    ('ha', 666.6666666666666)
    >>> definition_of("千瓦")
    ('kW', 1.0)
    >>> definition_of("场次") is None
    True
    """
    reading = reading_of(unit_as_stated)
    return None if reading is None else (reading.base_unit, reading.factor)
