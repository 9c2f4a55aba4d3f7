"""numbers.py: stated numbers to values, and numbers found in texts."""

from __future__ import annotations

import polars as pl
import pytest

from jiutai_data.model.numbers import find_numbers, numbers_in, parse_chinese_numeral, parse_number, parse_numbers


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


@pytest.mark.parametrize("stated, value", [("264.6", 264.6), ("22", 22.0), ("0.92", 0.92), ("两", 2.0)])
def test_parse_number_reads_ascii_digits_and_chinese_numerals(stated: str, value: float) -> None:
    assert parse_number(stated) == value


@pytest.mark.parametrize("stated", ["２２", "1e5", "inf", " 12", "1,000", "-3", None])
def test_parse_number_refuses_what_the_schema_pattern_refuses(stated: str | None) -> None:
    assert parse_number(stated) is None


def test_parse_numbers_on_a_column_agrees_with_parse_number() -> None:
    stated = ["264.6", "两", "三百五十", "三五", "1e5", None, "22", "三百五十"]
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
    import random

    alphabet = ["1", "2", "０", "９", ".", "．", "a", "亿", "-", "\x00"]
    generator = random.Random(20221212)
    for _ in range(500):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 16)))
        assert _spans_as_text(text) == [n.text for n in find_numbers(text)], text
