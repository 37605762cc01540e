"""Counts in words and digits, read conservatively."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marsad.annotate.numbers import find_counts, words_to_int


@pytest.mark.parametrize(
    ("text", "value", "high"),
    [
        ("Twenty-one fighters", 21, None),
        ("at least 7 militants", 7, None),
        ("more than a dozen people", 12, None),
        ("dozens of civilians", 12, None),
        ("between 10 and 15 people", 10, 15),
        ("1,200 people", 1200, None),
        ("two hundred and five soldiers", 205, None),
        ("three children", 3, None),
    ],
)
def test_counts(text: str, value: int, high: int | None) -> None:
    (count,) = find_counts(text)
    assert (count.value, count.high) == (value, high)


def test_years_and_times_are_not_counts() -> None:
    assert find_counts("in 2014 at 10 pm, 5 km away") == []


@given(st.integers(min_value=0, max_value=999_999))
def test_digits_round_trip(n: int) -> None:
    assert words_to_int(f"{n:,}") == n


@given(st.text(max_size=200))
def test_any_text_gives_counts_inside_it(text: str) -> None:
    for c in find_counts(text):
        assert text[c.start : c.end] == c.text and c.value >= 0
