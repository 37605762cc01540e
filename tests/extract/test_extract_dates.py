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


def test_a_date_on_the_subject_of_claimed_is_the_events(extract: Extract) -> None:
    # "claimed" reports nothing here: the attack of 15 March claimed the lives
    events = extract(
        "On March 15 a car bomb attack in Mosul claimed the lives of 14 people, officials said on Thursday.",
        THU,
    )
    assert [(e.event_date, e.fatalities) for e in events] == [("2021-03-15", 14)]


def test_the_day_a_report_is_made_does_not_date_the_event(extract: Extract) -> None:
    (ev,) = extract(
        "Gunmen killed five villagers near Bunia, a local official said on Wednesday.",
        THU,
    )
    assert (ev.event_date, ev.date_precision) == ("2021-03-18", "week")  # the report's week, not its day


def test_a_numeric_head_date_is_the_creation_time(extract: Extract) -> None:
    (ev,) = extract(
        "12-03-2021 Two civilians were killed on Wednesday when rebels shelled a market in Marib."
    )
    assert (ev.event_date, ev.date_precision, ev.time_precision) == ("2021-03-10", "day", 1)


def test_a_window_of_recent_days_is_news_not_history(extract: Extract) -> None:
    (ev,) = extract(
        "Clashes between the army and Al-Shabaab over the past week killed 30 fighters near Baidoa.",
        THU,
    )
    assert (ev.event_date, ev.fatalities) == ("2021-03-18", 30)


def test_a_running_total_since_the_start_is_no_toll(extract: Extract) -> None:
    events = extract(
        "Air strikes killed four civilians in Idlib on Tuesday, a monitor said. "
        "The war has killed 500,000 people since the start of the conflict.",
        THU,
    )
    assert [(e.event_date, e.fatalities) for e in events] == [("2021-03-16", 4)]


def test_background_since_a_month_is_not_an_event(extract: Extract) -> None:
    events = extract(
        "Rebels have besieged the town since January. On Monday, soldiers shot dead two traders in Goma.",
        THU,
    )
    assert [e.event_date for e in events] == ["2021-03-15"]


def test_a_clause_timed_from_its_main_clause_counts_from_its_date(extract: Extract) -> None:
    events = extract(
        "ADF rebels attacked the town of Beni on Friday, three days before the army shelled their camp.",
        THU,
    )
    # Friday 12 March; the shelling three days later, not on Friday
    assert sorted(e.event_date for e in events) == ["2021-03-12", "2021-03-15"]


def test_a_time_of_day_borrows_its_day_and_dates_nothing_itself(extract: Extract) -> None:
    events = extract(
        "Gunmen killed 18 villagers near Djibo on March 13, residents said on Thursday. "
        "The attackers surrounded the village at dawn and shot them.",
        THU,
    )
    assert [(e.event_date, e.fatalities) for e in events] == [("2021-03-13", 18)]


def test_an_idiom_of_claiming_lives_is_no_report(extract: Extract) -> None:
    (ev,) = extract("On March 16 a suicide bombing in Kabul claimed the lives of nine people.", THU)
    assert (ev.event_date, ev.fatalities) == ("2021-03-16", 9)
