"""numbers.py: stated numbers to values, and numbers found in texts."""

from __future__ import annotations

import random

import polars as pl
import pytest

from jiutai_data.model.numbers import (
    STATED_NUMBER_PATTERN,
    find_chinese_quantities,
    find_numbers,
    normalise_number,
    numbers_in,
    parse_chinese_numeral,
    parse_number,
    parse_numbers,
)


@pytest.mark.parametrize("numeral, value", [
    ("两", 2), ("三", 3), ("十", 10), ("十三", 13), ("百", 100), ("三百五十", 350), ("一万", 10_000),
    ("零", 0), ("二十", 20), ("一百零五", 105), ("一千零一十", 1010), ("五十万", 500_000),
    ("三亿五千万", 350_000_000), ("一万亿", 1_000_000_000_000), ("两万三千", 23_000),
    ("三百五", 350), ("一万五", 15_000), ("二〇二二", 2022),
])
def test_chinese_numerals_parse_to_their_values(numeral: str, value: int) -> None:
    assert parse_chinese_numeral(numeral) == value


@pytest.mark.parametrize("numeral", ["三五", "十百", "百千", "", "两个", "3"])
def test_ambiguous_or_malformed_chinese_numerals_give_none(numeral: str) -> None:
    assert parse_chinese_numeral(numeral) is None


@pytest.mark.parametrize("stated, value", [("264.6", 264.6), ("22", 22.0), ("0.92", 0.92), ("两", 2.0),
                                           ("２２", 22.0), ("２６４．６", 264.6), ("2６.5", 26.5)])
def test_parse_number_reads_ascii_digits_and_chinese_numerals(stated: str, value: float) -> None:
    assert parse_number(stated) == value


@pytest.mark.parametrize("stated", ["1e5", "inf", " 12", "1,000", "-3", "２２％", "约6", None])
def test_parse_number_refuses_what_the_schema_pattern_refuses(stated: str | None) -> None:
    assert parse_number(stated) is None


def test_parse_numbers_on_a_column_agrees_with_parse_number() -> None:
    stated = ["264.6", "两", "三百五十", "三五", "1e5", None, "22", "三百五十", "２５", "１．５"]
    parsed = parse_numbers(pl.Series("value_as_stated", stated))
    assert parsed.dtype == pl.Float64
    assert parsed.to_list() == [parse_number(s) for s in stated]


def test_find_numbers_gives_maximal_runs_with_their_character_spans() -> None:
    text = "完成264.6亿元，同比增长1%；220与22。"
    found = [(n.text, n.start, n.end) for n in find_numbers(text)]
    assert found == [("264.6", 2, 7), ("1", 14, 15), ("220", 17, 20), ("22", 21, 23)]
    assert all(text[start:end] == number for number, start, end in found)


def test_full_width_digits_in_a_text_are_numbers_too() -> None:
    text = "增长１２．５%"
    (number,) = find_numbers(text)
    assert (number.text, number.start, number.end, number.value) == ("１２．５", 2, 6, 12.5)
    assert numbers_in(text) == ["12.5"]


def test_a_date_is_three_numbers_and_a_trailing_point_is_not_a_decimal() -> None:
    assert numbers_in("2022-12-12 17:02") == ["2022", "12", "12", "17", "02"]
    assert numbers_in("第3.项") == ["3"]


def _spans_as_text(text: str) -> list[str]:
    from jiutai_data.model.numbers import number_spans

    data = text.encode()
    starts, ends = number_spans(data)
    return [data[start:end].decode() for start, end in zip(starts.tolist(), ends.tolist())]


@pytest.mark.parametrize("text", [
    "完成264.6亿元，同比增长1%；220与22。",
    "增长１２．５%，又有７.8与9．及.5",
    "1.2.3.4 和 1.2.3 和 1..2 和 ３３.x 和 12３.４5 和 2022-12-12 17:02",
    "第3.项", "", "没有数字", "7", "末尾5.",
])
def test_number_spans_are_the_matches_of_the_number_pattern(text: str) -> None:
    assert _spans_as_text(text) == [n.text for n in find_numbers(text)]


def test_number_spans_of_joined_texts_stop_at_the_separator_and_count_bytes() -> None:
    from jiutai_data.model.numbers import number_spans

    data = "甲12\x0034乙".encode()
    starts, ends = number_spans(data)
    assert list(zip(starts.tolist(), ends.tolist())) == [(3, 5), (6, 8)]


def test_number_spans_agree_with_the_pattern_on_many_mixed_strings() -> None:
    alphabet = ["1", "2", "０", "９", ".", "．", "a", "亿", "-", "\x00"]
    generator = random.Random(20221212)
    for _ in range(500):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 16)))
        assert _spans_as_text(text) == [n.text for n in find_numbers(text)], text


def test_one_normaliser_reads_full_width_digits_and_point_as_ascii() -> None:
    assert normalise_number("２６４．６") == "264.6" and normalise_number("三百") == "三百"
    import re

    pattern = re.compile(STATED_NUMBER_PATTERN)
    assert all(pattern.match(s) for s in ("２５", "264.6", "２６４．６", "三百"))
    assert not any(pattern.match(s) for s in ("25%", "２５％", "约6", "1,229", "-3"))


def test_chinese_quantities_are_numerals_followed_by_a_measure_word_or_unit() -> None:
    text = "建成六个示范村,新建农村公路三百公里,打造两个百亿级产业集群,实施三年行动。"
    assert [q.text for q in find_chinese_quantities(text)] == ["六", "三百", "两", "三"]
    # 百亿级: 亿 counts once it is a unit of the package
    assert [q.text for q in find_chinese_quantities(text, units=["亿"])] == ["六", "三百", "两", "百", "三"]
    (six, *_) = find_chinese_quantities(text)
    assert text[six.start:six.end] == "六" and six.value == 6


@pytest.mark.parametrize("text", [
    "一个个增长的经济指标、一件件惠民实事",  # 一 is the article "a"
    "推广保护性耕作5万公顷",  # 万 belongs to the unit after the digits
    "服务群众10余万人次", "九台区委", "十四五时期", "第一次",
])
def test_words_that_only_look_like_quantities_are_not_counted(text: str) -> None:
    assert find_chinese_quantities(text) == []


def test_the_units_of_the_package_count_as_measure_words() -> None:
    assert find_chinese_quantities("新增三台设备") == []
    assert [q.text for q in find_chinese_quantities("新增三台设备", units=["台"])] == ["三"]


def _quantities_by_lookbehind(text: str, units: list[str]) -> list[tuple[int, int]]:
    """The rule as one regex with a lookbehind: slow (thirty assertions at every character),
    so the library scans runs of numerals instead; this is what it must agree with."""
    import re

    from jiutai_data.model.numbers import NUMERAL_CHARACTERS, _measure_words

    excluded = re.escape("0123456789.０１２３４５６７８９．余多" + NUMERAL_CHARACTERS)
    words = "|".join(re.escape(w) for w in _measure_words(units))
    pattern = re.compile(f"(?<![{excluded}])([{NUMERAL_CHARACTERS}]+)(?:{words})")
    return [(m.start(1), m.end(1)) for m in pattern.finditer(text)
            if m.group(1) != "一" and not set(m.group(1)) <= {"万", "亿"}]


def test_chinese_quantities_agree_with_the_rule_written_as_a_lookbehind() -> None:
    alphabet = ["一", "三", "十", "万", "亿", "个", "元", "万元", "台", "5", "．", "余", "多", "区", "两"]
    units = ["万元", "亿", "台"]
    generator = random.Random(20261201)
    for _ in range(3000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 14)))
        for chosen in ([], units):
            found = [(q.start, q.end) for q in find_chinese_quantities(text, chosen)]
            assert found == _quantities_by_lookbehind(text, chosen), (text, chosen)


def test_chinese_quantity_byte_spans_are_the_numerals_in_utf8() -> None:
    from jiutai_data.model.numbers import chinese_quantity_spans

    text = "é建成六个示范村,新建农村公路三百公里𝄞两个"
    starts, ends = chinese_quantity_spans(text)
    data = text.encode("utf-8")
    assert [data[s:e].decode("utf-8") for s, e in zip(starts, ends)] == ["六", "三百", "两"]
