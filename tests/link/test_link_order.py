"""Linking is deterministic and order-independent, in one batch or incrementally."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from marsad.link import LinkedEvent, Linker, Report, link_reports
from marsad.link.evaluate import GoldReport, load_gold

GOLD = Path(__file__).parent / "data" / "linking_gold.jsonl"


@pytest.fixture(scope="module")
def gold() -> list[GoldReport]:
    return load_gold(GOLD)


def fresh(gold: list[GoldReport]) -> list[Report]:
    """New report objects (a Linker records link groups on the reports it holds)."""
    return [
        Report(
            g.report.report_id, g.report.event, g.report.article_id, g.report.publisher, g.report.publish_date
        )
        for g in gold
    ]


def snapshot(events: list[LinkedEvent]) -> list[dict[str, Any]]:
    out = [
        {
            "event": e.event.to_dict(),
            "reports": e.report_ids,
            "explanations": e.explanations,
            "group": e.group,
        }
        for e in events
    ]
    return sorted(out, key=lambda d: d["event"]["event_id"])


def test_three_orders_give_identical_events(gold: list[GoldReport]) -> None:
    runs = []
    for seed in (1, 2, 3):
        reports = fresh(gold)
        random.Random(seed).shuffle(reports)
        runs.append(snapshot(link_reports(reports)))
    assert runs[0] == runs[1] == runs[2]


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_incremental_batches_equal_one_batch(gold: list[GoldReport], seed: int) -> None:
    batch = snapshot(link_reports(fresh(gold)))
    reports = fresh(gold)
    rng = random.Random(seed)
    rng.shuffle(reports)
    linker = Linker()
    while reports:
        size = rng.randint(1, 12)
        linker.add(reports[:size])
        reports = reports[size:]
    assert snapshot(linker.events) == batch


def test_removing_a_report_reclusters_its_group(gold: list[GoldReport]) -> None:
    linker = Linker()
    linker.add(fresh(gold))
    linker.remove(["c01-sohr"])
    expected = snapshot(link_reports([r for r in fresh(gold) if r.report_id != "c01-sohr"]))
    assert snapshot(linker.events) == expected
    c01 = next(e for e in linker.events if "c01-afp" in e.report_ids)
    assert sorted(c01.report_ids) == ["c01-afp", "c01-amaq", "c01-dez24"]
    assert c01.event_id == "c01-afp"  # the first published report now founds the event


def test_readding_a_report_replaces_it(gold: list[GoldReport]) -> None:
    linker = Linker()
    linker.add(fresh(gold))
    before = snapshot(linker.events)
    linker.add([r for r in fresh(gold) if r.report_id == "c12-afp"])
    assert snapshot(linker.events) == before
