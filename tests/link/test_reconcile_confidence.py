"""Reconciling reports' confidences: more agreeing sources, surer; disagreeing ones, less sure."""

from __future__ import annotations

from collections.abc import Callable

from marsad.link.reconcile import combined, reconcile
from marsad.link.report import Report
from marsad.model import Event

FIELDS = {"event_type": 0.8, "actors": 0.6, "place": 0.7, "date": 0.9, "fatalities": 0.7}


def _report(make_event: Callable[..., Event], n: int, **kw: object) -> Report:
    ev = make_event(f"a{n}", field_confidence=dict(FIELDS), confidence=0.5, **kw)
    ev.confidence_evidence = {f: "named/doer" for f in FIELDS}
    return Report(f"r{n}", ev, f"a{n}", publisher=f"P{n}")


def test_combined_rises_with_agreement_and_falls_with_disagreement() -> None:
    assert combined([0.7], []) == 0.7
    assert combined([0.7, 0.7], []) > 0.7
    assert combined([0.7, 0.7, 0.7], []) > combined([0.7, 0.7], [])
    assert combined([0.7], [0.7]) < 0.7
    assert combined([], [0.9]) == 0.0
    assert 0.0 <= combined([1.0, 1.0], [1.0]) <= 1.0


def test_two_agreeing_reports_make_a_surer_event_than_one(make_event: Callable[..., Event]) -> None:
    one, _ = reconcile([_report(make_event, 1)], "e")
    two, _ = reconcile([_report(make_event, 1), _report(make_event, 2)], "e")
    assert one.field_confidence == FIELDS
    for field in FIELDS:
        assert two.field_confidence[field] > one.field_confidence[field]
    assert two.confidence is not None and two.confidence > 0.5
    assert "2 agree, 0 differ" in two.confidence_evidence["place"]


def test_a_report_that_differs_lowers_that_field_only(make_event: Callable[..., Event]) -> None:
    same = [_report(make_event, 1), _report(make_event, 2)]
    other = _report(make_event, 3, fatalities=40)
    agreeing, _ = reconcile(same, "e")
    split, _ = reconcile([*same, other], "e")
    assert split.fatalities in (21, 40)
    assert split.field_confidence["fatalities"] < agreeing.field_confidence["fatalities"]
    assert split.field_confidence["event_type"] > agreeing.field_confidence["event_type"]


def test_reports_stored_before_confidence_give_none(make_event: Callable[..., Event]) -> None:
    old = [Report(f"r{n}", make_event(f"a{n}"), f"a{n}") for n in (1, 2)]
    ev, _ = reconcile(old, "e")
    assert ev.confidence is None and ev.field_confidence == {}
