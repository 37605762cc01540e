"""Word senses and roles: what issue 16 found on text the extractor was not tuned on, in
sentences written for these tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from marsad.model import Event

Extract = Callable[..., list[Event]]


@pytest.mark.parametrize(
    "text",
    [
        "The minister came under fire from critics in Ankara over the new budget.",
        "The singer shot to fame in Lagos after her second album.",
        "A price war broke out between the two supermarket chains in Nairobi.",
        "Arsenal won the battle for the title in London on Sunday.",
        "Doctors in Kampala stepped up the fight against HIV this year.",
        "An outbreak of cholera has killed 40 people in Kano state, health officials said.",
        "The toll only takes into account those who died in the villages near Gaya.",
        "Troops rounded up stray cattle and chickens for a cull near Mopti.",
        "A scheduled protest in Tunis was called off.",
    ],
)
def test_no_event_in_another_sense(extract: Extract, text: str) -> None:
    assert extract(text) == []


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("A homemade pipe bomb exploded outside a shop in Istanbul.", "Remote explosive/landmine/IED"),
        ("Shots were fired at a car near Ramallah. No one was hurt.", "Attack"),
        (
            "Three rockets were fired into Israel by militants near Sderot.",
            "Shelling/artillery/missile attack",
        ),
        ("Numerous workers protested against poor pay in Pretoria.", "Peaceful protest"),
        ("Hospital workers went on strike in Kisumu on Monday.", "Peaceful protest"),
        ("Teachers began a three-day strike in Bamako over unpaid salaries.", "Peaceful protest"),
        ("Lawyers staged a sit-in outside the court in Sfax.", "Peaceful protest"),
        ("Unknown gunmen killed a former campaign manager in Rumbek.", "Attack"),
        ("Soldiers raped two women near Goma.", "Sexual violence"),
        ("The army and the rebels agreed a ceasefire in Juba.", "Agreement"),
        ("SAF bomb El Fasher Station east of Kutum. No casualties.", "Air/drone strike"),
    ],
)
def test_events_with_no_toll_are_events(extract: Extract, text: str, sub_event_type: str) -> None:
    events = extract(text)
    assert [e.sub_event_type for e in events] == [sub_event_type], events


def test_workers_strike_is_not_an_air_strike_but_an_air_strike_on_students_is(extract: Extract) -> None:
    (strike,) = extract("Teachers went on strike in Kaduna on Monday.")
    assert strike.event_type == "Protests"
    (raid,) = extract("An air strike on students in Kaduna killed five on Monday.")
    assert raid.sub_event_type == "Air/drone strike" and raid.fatalities == 5


def test_the_victims_are_not_the_attackers(extract: Extract) -> None:
    (e,) = extract("Gunmen shot dead two policemen in Mosul.")
    assert (e.actor1, e.fatalities) == ("Unidentified Armed Group (Iraq)", 2)
    assert e.actor2 is not None and e.actor2.startswith("Police Forces of Iraq")
    (e,) = extract("A roadside bomb killed three soldiers near Kirkuk.")
    assert e.actor1 == "Unidentified Armed Group (Iraq)" and e.fatalities == 3
    assert e.actor2 is not None and e.actor2.startswith("Military Forces of Iraq")
    (e,) = extract("Soldiers came under fire from gunmen near Garissa.")
    assert (e.actor1, e.actor2) == ("Unidentified Armed Group (Kenya)", "Military Forces of Kenya")


def test_a_nationality_names_the_group_and_crowds_are_coded_by_country(extract: Extract) -> None:
    (e,) = extract("Palestinian militants fired three rockets into Israel.")
    assert e.actor1 == "Unidentified Armed Group (Palestine)"
    (e,) = extract("Protesters marched in Nairobi.")
    assert e.actor1 == "Protesters (Kenya)"


def test_no_one_hurt_counts_nobody_and_a_suicide_bomber_counts_himself(extract: Extract) -> None:
    (e,) = extract("Shots were fired at a police patrol near Nablus. No one was hurt.")
    assert (e.fatalities, e.wounded) == (0, None)
    (e,) = extract("A suicide bomber blew himself up on a bus near Hadera, killing himself and three others.")
    assert e.fatalities == 4


def test_a_toll_given_as_motive_belongs_to_another_event(extract: Extract) -> None:
    (e,) = extract(
        "Militants fired five rockets at Sderot, causing no injuries. "
        "The group said the attack was in retaliation for the killing of three of its members."
    )
    assert e.fatalities == 0
