"""Confidence on real text: every event and its five main fields carry one in [0, 1], read
from the evidence of how each value was found (marsad.extract.confidence)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from marsad.extract import Extractor
from marsad.knowledge.confidence import FIELDS
from marsad.model import Event
from marsad.read import read_paths

WIRE = Path(__file__).parent.parent / "data" / "wire"
DAY = date(2024, 3, 5)


@pytest.fixture(scope="module")
def wire_events(extractor: Extractor) -> list[Event]:
    articles = list(read_paths([str(p) for p in sorted(WIRE.glob("*.txt"))[:12]]))
    return [e for a in articles for e in extractor.extract(a)]  # type: ignore[arg-type]


def test_every_event_of_real_text_has_confidences_in_the_unit_interval(wire_events: list[Event]) -> None:
    assert len(wire_events) >= 10
    for ev in wire_events:
        assert set(ev.field_confidence) == set(FIELDS)
        assert all(0.0 <= p <= 1.0 for p in ev.field_confidence.values())
        assert ev.confidence is not None and 0.0 <= ev.confidence <= 1.0
        # the event's is the chance that type, place and date are all right: never above any of them
        assert ev.confidence <= min(ev.field_confidence[f] for f in ("event_type", "place", "date")) + 1e-9
        assert set(ev.confidence_evidence) == set(FIELDS)


def test_confidences_differ_between_events(wire_events: list[Event]) -> None:
    """Not one number for everything: the evidence tells events apart."""
    assert len({ev.confidence for ev in wire_events}) >= 3
    assert len({ev.field_confidence["actors"] for ev in wire_events}) >= 2


def test_an_explicit_count_is_surer_than_a_vague_one(extract: Callable[..., list[Event]]) -> None:
    exact = extract("Gunmen killed 14 villagers in Maiduguri on Monday, police said.", DAY)
    vague = extract("Gunmen killed dozens of villagers in Maiduguri on Monday, police said.", DAY)
    assert exact[0].fatalities == 14 and vague[0].fatalities == 12
    assert exact[0].confidence_evidence["fatalities"].endswith("digits")
    assert vague[0].confidence_evidence["fatalities"].endswith("vague")
    assert exact[0].field_confidence["fatalities"] > vague[0].field_confidence["fatalities"]


def test_a_known_named_actor_is_surer_than_a_generic_one(extract: Callable[..., list[Event]]) -> None:
    named = extract(
        "Boko Haram fighters attacked an army base in Maiduguri on Monday, killing 5 soldiers.", DAY
    )
    generic = extract("Troops shelled rebel positions near Maiduguri on Monday, killing 5 fighters.", DAY)
    assert named[0].actor1 == "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"
    assert named[0].confidence_evidence["actors"].startswith("named")
    assert generic[0].confidence_evidence["actors"].startswith("generic")
    assert named[0].field_confidence["actors"] > generic[0].field_confidence["actors"]


def test_a_date_the_text_gives_is_surer_than_the_publication_date(
    extract: Callable[..., list[Event]],
) -> None:
    told = extract("Gunmen killed 14 villagers in Maiduguri on Monday, police said.", DAY)
    untold = extract("Gunmen killed 14 villagers in Maiduguri, police said.", DAY)
    assert told[0].confidence_evidence["date"].startswith("text/day")
    assert untold[0].confidence_evidence["date"] == "publish"
    assert told[0].field_confidence["date"] > untold[0].field_confidence["date"]
