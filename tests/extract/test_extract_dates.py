"""Event dates: the date of the trigger's clause, else its sentence, else the lead's, else the
publish date with its precision marked; never a background date. Every event carries ACLED's
time_precision. Articles written for these tests in the style of wire reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from marsad.model import Event

Extract = Callable[..., list[Event]]
THU = date(2021, 3, 18)  # a Thursday


def test_a_day_named_in_the_clause_dates_the_event(extract: Extract) -> None:
    (ev,) = extract(
        "A roadside bomb killed four soldiers on a patrol near Kirkuk on Tuesday, police said.",
        THU,
    )
    assert (ev.event_date, ev.date_precision, ev.time_precision) == ("2021-03-16", "day", 1)


def test_an_undated_report_takes_the_publish_week(extract: Extract) -> None:
    (ev,) = extract("Gunmen shot dead three farmers near Maiduguri, residents said.", THU)
    assert (ev.event_date, ev.date_precision, ev.time_precision) == ("2021-03-18", "week", 2)


def test_time_precision_is_in_the_extract_output(extract: Extract) -> None:
    (ev,) = extract("Rebels attacked a police station in Beni earlier this month, killing two officers.", THU)
    row = json.loads(json.dumps(ev.to_dict()))
    assert (row["date_precision"], row["time_precision"]) == ("month", 3)


def test_no_date_at_all_means_no_precision(extract: Extract) -> None:
    (ev,) = extract("Militants ambushed an army convoy near Gao on Sunday, killing six soldiers.")
    assert (ev.event_date, ev.time_precision) == (None, None)


def test_time_precision_follows_date_precision_whoever_sets_it() -> None:
    ev = Event("e1", event_date="2021-03-01", date_precision="day")
    assert ev.time_precision == 1
    ev.date_precision = "week"
    assert ev.time_precision == 2
    ev.time_precision = 1  # never set alone: it is ACLED's name for date_precision
    assert ev.time_precision == 2
    assert (
        Event.from_dict({"event_id": "e2", "date_precision": "year", "time_precision": 1}).time_precision == 3
    )
