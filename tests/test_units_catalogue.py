"""The units catalogue (data/units.csv) and the definitions it must follow (model/unit_definitions.py).

A unit made of a known prefix and root (万亩 = 万 × 亩) converts as its definition says, so a
contributor's new unit gets its factor from the definition, not from a guess; validate holds
every row to it (code ``unit-factor``).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from conftest import PACKAGE, copy_package

from jiutai_data.model import codes
from jiutai_data.model.unit_definitions import PREFIXES, ROOTS, definition_of, reading_of

pytestmark = pytest.mark.data  # reads the package under test (conftest.PACKAGE)

TOLERANCE = 1e-12  # the factor of 亩 is 1/15 written to 15 significant digits

# The units a statistical bulletin, a quarterly release or a work report uses: the catalogue
# must have each (a spec, so written out here; the rows themselves are read from the data).
EXPECTED_UNITS = {
    # currency
    "元": "CNY", "千元": "CNY", "万元": "CNY", "亿元": "CNY", "美元": "USD", "万美元": "USD", "亿美元": "USD",
    # mass
    "斤": "kg", "万斤": "kg", "亿斤": "kg", "公斤": "kg", "千克": "kg", "吨": "kg", "万吨": "kg",
    # land area, floor area, length
    "亩": "ha", "万亩": "ha", "公顷": "ha", "万公顷": "ha", "平方公里": "ha",
    "平方米": "m2", "万平方米": "m2", "米": "km", "千米": "km", "公里": "km",
    # energy and power, volume
    "千瓦": "kW", "万千瓦": "kW", "千瓦时": "kWh", "万千瓦时": "kWh", "亿千瓦时": "kWh",
    "千伏安": "kVA", "万千伏安": "kVA", "立方米": "m3", "万立方米": "m3",
    # rates and time
    "%": "percent", "‰": "percent", "个百分点": "percentage_point", ":": "percent",
    "天": "day", "工作日": "working_day", "年": "year",
    # people and things (not 台: see test_tai_is_defined_but_not_a_unit_of_the_catalogue)
    **{word: "count" for word in ("人", "万人", "人次", "万人次", "户", "万户", "个", "家", "所", "座", "处", "项",
                                  "件", "起", "辆", "套", "头", "万头", "只", "万只", "羽", "万羽", "张",
                                  "床", "名", "位")},
}


def units_rows(root: Path = PACKAGE) -> list[dict[str, str]]:
    with (root / "data" / "units.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


# --------------------------------------------------------------------------- the committed catalogue


def test_every_unit_with_a_definition_carries_its_base_unit_and_factor():
    defined = 0
    for line, row in enumerate(units_rows(), start=2):
        definition = definition_of(row["unit_as_stated"])
        if definition is None:
            continue
        defined += 1
        base, factor = definition
        assert row["unit"] == base, (line, row["unit_as_stated"])
        assert math.isclose(float(row["factor"]), factor, rel_tol=TOLERANCE), (line, row["unit_as_stated"])
    assert defined, "no unit of the catalogue has a definition"


def test_the_catalogue_has_every_unit_of_statistical_publications():
    units = {row["unit_as_stated"]: row for row in units_rows()}
    missing = sorted(set(EXPECTED_UNITS) - units.keys())
    assert missing == []
    assert {unit: units[unit]["unit"] for unit in EXPECTED_UNITS} == EXPECTED_UNITS


def test_no_unit_is_listed_twice_and_every_row_has_an_english_name():
    rows = units_rows()
    names = [row["unit_as_stated"] for row in rows]
    assert len(names) == len(set(names))
    assert all(row["name_en"].strip() for row in rows)


def test_tai_is_defined_but_not_a_unit_of_the_catalogue():
    # a unit of the table makes the numeral before it a quantity (coverage, draft): with 台 (machines),
    # 九台, the district's name, would be "nine machines" in every source about it
    assert definition_of("台") == ("count", 1.0)
    assert "台" not in {row["unit_as_stated"] for row in units_rows()}


def test_the_ratio_part_and_per_mille_say_what_they_are():
    units = {row["unit_as_stated"]: row for row in units_rows()}
    assert units[":"]["name_en"] == "part of a ratio written a:b:c"
    assert "sum to about 100" in units[":"]["note"]
    assert "per mille" in (units["‰"]["name_en"] + units["‰"]["note"]).lower()


# --------------------------------------------------------------------------- reading a unit


@pytest.mark.parametrize(("unit", "prefix", "root", "base", "factor"), [
    ("万亩", "万", "亩", "ha", 10_000 / 15),
    ("亩", "", "亩", "ha", 1 / 15),
    ("千瓦", "", "千瓦", "kW", 1),  # a root, not 千 × 瓦
    ("万千瓦", "万", "千瓦", "kW", 1e4),
    ("万千瓦时", "万", "千瓦时", "kWh", 1e4),  # the longest root: 千瓦时, not 千瓦
    ("亿千瓦时", "亿", "千瓦时", "kWh", 1e8),
    ("千米", "", "千米", "km", 1),
    ("千克", "", "千克", "kg", 1),
    ("千伏安", "", "千伏安", "kVA", 1),
    ("千元", "千", "元", "CNY", 1e3),
    ("亿斤", "亿", "斤", "kg", 5e7),
    ("万斤", "万", "斤", "kg", 5e3),
    ("万吨", "万", "吨", "kg", 1e7),
    ("平方公里", "", "平方公里", "ha", 100),  # not 平方 + 公里
    ("万平方米", "万", "平方米", "m2", 1e4),
    ("米", "", "米", "km", 0.001),
    ("个百分点", "", "个百分点", "percentage_point", 1),  # not 个 followed by something
    ("‰", "", "‰", "percent", 0.1),
    ("万人次", "万", "人次", "count", 1e4),
    ("亿美元", "亿", "美元", "USD", 1e8),
])
def test_a_unit_reads_as_prefix_and_root(unit, prefix, root, base, factor):
    reading = reading_of(unit)
    assert (reading.prefix, reading.root) == (prefix, root)
    got_base, got_factor = definition_of(unit)
    assert got_base == base
    assert math.isclose(got_factor, factor, rel_tol=1e-15)


@pytest.mark.parametrize("unit", ["场次", "亿", "万", "厘米", "平方", "次", "万亿个百分点", "百分点", ""])
def test_a_unit_not_made_of_a_prefix_and_a_root_has_no_definition(unit):
    assert definition_of(unit) is None


def test_the_roots_that_begin_with_qian_are_not_read_as_qian_times_a_root():
    for root in ("千瓦", "千瓦时", "千米", "千克", "千伏安"):
        assert reading_of(root).prefix == "", root
        assert ROOTS[root].factor == 1, root  # one kilowatt, kilometre, kilogram: the base unit itself
    assert set(PREFIXES) == {"千", "万", "亿"}


def test_the_message_explains_the_factor_from_its_definition():
    assert reading_of("万亩").explain() == "10000 × 1/15 = 666.666666666667 (1 万亩 = 10000 亩, 1 亩 = 1/15 ha)"
    assert reading_of("亩").explain() == "1/15 = 0.0666666666666667 (1 亩 = 1/15 ha)"
    assert reading_of("亿斤").explain() == "100000000 × 0.5 = 50000000 (1 亿斤 = 100000000 斤, 1 斤 = 0.5 kg)"


# --------------------------------------------------------------------------- validate


def _write_units(root: Path, rows: list[dict[str, str]]) -> None:
    with (root / "data" / "units.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.mutation
def test_validate_reports_a_wrong_factor_of_wan_mu_naming_table_row_and_column(tmp_path):
    from jiutai_data.validate.run import validate_package

    root = copy_package(tmp_path / "package")
    rows = units_rows(root)
    index = next(i for i, row in enumerate(rows) if row["unit_as_stated"] == "万亩")
    rows[index]["factor"] = "666.7"  # rounded by hand instead of 10000 × 1/15
    _write_units(root, rows)

    findings = [f for f in validate_package(root).findings if f.check == codes.UNIT_FACTOR]
    assert [(f.table, f.row, f.column, f.value) for f in findings] == [("units", index + 2, "factor", 666.7)]
    assert findings[0].message == ("factor of 万亩 is 666.7, expected 10000 × 1/15 = 666.666666666667 "
                                   "(1 万亩 = 10000 亩, 1 亩 = 1/15 ha)")
    assert findings[0].severity == "error" or codes.lookup(codes.UNIT_FACTOR).severity == "error"


@pytest.mark.mutation
def test_validate_reports_a_wrong_base_unit_in_the_unit_column(tmp_path):
    from jiutai_data.validate.run import validate_package

    root = copy_package(tmp_path / "package")
    rows = units_rows(root)
    index = next(i for i, row in enumerate(rows) if row["unit_as_stated"] == "万千瓦时")
    rows[index]["unit"] = "kW"  # power for energy
    _write_units(root, rows)

    findings = [f for f in validate_package(root).findings if f.check == codes.UNIT_FACTOR]
    assert [(f.table, f.row, f.column, f.value) for f in findings] == [("units", index + 2, "unit", "kW")]
    assert "expected 'kWh'" in findings[0].message
