"""Date expressions resolved against the publish date, with TIMEX3-style values."""

from __future__ import annotations

from datetime import date

import pytest

from marsad.annotate.dates import find_dates

SUNDAY = date(2018, 6, 10)


@pytest.mark.parametrize(
    ("text", "timex", "precision"),
    [
        ("on Friday", "2018-06-08", "day"),
        ("late on Monday", "2018-06-04", "day"),
        ("Saturday", "2018-06-09", "day"),
        ("on Sunday", "2018-06-10", "day"),  # the publish day itself
        ("yesterday", "2018-06-09", "day"),
        ("overnight", "2018-06-10", "day"),
        ("last week", "2018-W22", "week"),
        ("on 3 June", "2018-06-03", "day"),
        ("on June 3", "2018-06-03", "day"),
        ("in May", "2018-05", "month"),
        ("earlier this month", "2018-06", "month"),
        ("on March 4, 2019", "2019-03-04", "day"),
        ("in November 2017", "2017-11", "month"),
        ("in 2014", "2014", "year"),
        ("in mid-May", "2018-05", "month"),
        ("in mid-2015", "2015", "year"),
        ("on 20 December", "2017-12-20", "day"),  # a later day of the year is last year's
    ],
)
def test_forms_resolve_against_the_publish_date(text: str, timex: str, precision: str) -> None:
    (found,) = find_dates(f"Fighting broke out {text} near the town.", SUNDAY)
    assert (found.timex, found.precision) == (timex, precision)


def test_relative_dates_without_a_publish_date_stay_unknown() -> None:
    found = find_dates("Clashes erupted late on Monday and again last week.", None)
    assert [d.kind for d in found] == ["weekday", "lastweek"]
    assert all(d.value is None and d.timex is None for d in found)


def test_full_dates_need_no_publish_date() -> None:
    (found,) = find_dates("The town fell on March 4, 2019.", None)
    assert found.timex == "2019-03-04"


def test_background_forms_are_marked() -> None:
    found = find_dates("IS has held the area since May and fought for months.", SUNDAY)
    assert [d.background for d in found] == [True, True]


def test_a_recent_window_is_not_history() -> None:
    (found,) = find_dates("The fighting over the past 24 hours killed 30.", SUNDAY)
    assert found.kind == "recent" and not found.background
