"""The linking gold set: B-cubed F1 at least 0.9 and every hard negative kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.link.evaluate import GoldReport, evaluate, load_gold

GOLD = Path(__file__).parent / "data" / "linking_gold.jsonl"


@pytest.fixture(scope="module")
def gold() -> list[GoldReport]:
    return load_gold(GOLD)


def test_gold_set_is_big_enough(gold: list[GoldReport]) -> None:
    sizes: dict[str, int] = {}
    for g in gold:
        sizes[g.cluster] = sizes.get(g.cluster, 0) + 1
    positives = [c for c, n in sizes.items() if c.startswith("c")]
    assert len(positives) >= 30 and all(2 <= sizes[c] <= 5 for c in positives)
    assert len({n for g in gold for n in g.negatives}) >= 20
    publishers = {g.report.publisher for g in gold}
    assert {"AP", "Reuters", "AFP", "Amaq", "SOHR"} <= publishers


def test_bcubed_f1_and_hard_negatives(gold: list[GoldReport]) -> None:
    result = evaluate(gold)
    assert result["bcubed"]["f1"] >= 0.9, result["errors"]
    assert result["hard_negatives_merged"] == [], result["errors"]
    assert result["hard_negatives_kept_apart"] == result["hard_negatives"] >= 20


def test_spellings_resolve_to_one_place(gold: list[GoldReport]) -> None:
    c01 = [g.report.event for g in gold if g.cluster == "c01"]
    assert {e.geonameid for e in c01} == {174448}  # Albu Kamal, Abu Kamal, Al-Bukamal


@pytest.mark.xfail(strict=True, reason="known limit: same town, day and attacker, different weapon, no toll")
def test_same_town_same_day_different_weapon(gold: list[GoldReport]) -> None:
    """A drone strike on a car and shelling of the outskirts of Bint Jbeil, both by Israel on
    5 June 2024: the fields cannot tell them apart (docs/linking.md, "Limits")."""
    from marsad.link import link_reports
    from marsad.link.evaluate import gold_report

    shelling = gold_report(
        {
            "id": "lim-shelling",
            "cluster": "lim",
            "publisher": "NNA",
            "published": "2024-06-05",
            "text": "Israeli artillery shelled the outskirts of Bint Jbeil and the nearby village of Aynata, "
            "causing material damage, the National News Agency said.",
            "event_date": "2024-06-05",
            "date_precision": "day",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "actor1": "Military Forces of Israel",
            "place": "Bint Jbeil",
            "cc": "LB",
            "geo_precision": 2,
        }
    )
    c34 = [g.report for g in gold if g.cluster == "c34"]
    events = link_reports([*c34, shelling.report])
    assert len(events) == 2


def test_real_extractor_output_is_rarely_wrongly_merged() -> None:
    """The gold texts through the real extractor: its mistakes (a wrong place, a claimant
    read as the attacker) mostly keep reports apart; they may glue a pair of events when
    both reports carry the same mistake (docs/linking.md, "Limits"), but not many."""
    from marsad.link.evaluate import extracted_reports

    result = evaluate(extracted_reports(GOLD))
    assert result["bcubed"]["precision"] >= 0.95, result["errors"]
    # 22 of 25 since the geoparser places the Kabul and Odesa pairs right (they were India and
    # nowhere): two reports a day apart in one city now differ only by their facts, and both
    # carry the same actor mistake (the victims' forces as actor1), which the linker cannot see
    assert result["hard_negatives_kept_apart"] >= result["hard_negatives"] - 2, result["errors"]
