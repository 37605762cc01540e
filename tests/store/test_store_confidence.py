"""Confidence stored and shown: through the store (SQLite and PostgreSQL), the Observatory, the
exports and the HTTP API; re-linking two agreeing reports raises it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from marsad import api
from marsad.model import Article, ArticleResult, Event
from marsad.serve import create_app

FIELDS = {"event_type": 0.9, "actors": 0.6, "place": 0.8, "date": 0.95, "fatalities": 0.7}


def _scored(make_event: Callable[..., Event], article_id: str, **kw: Any) -> Event:
    ev = make_event(article_id, confidence=0.684, field_confidence=dict(FIELDS), **kw)
    ev.confidence_evidence = {f: "named/doer" for f in FIELDS}
    return ev


def test_confidence_is_stored_and_shown(
    db_url: str, make_article: Callable[..., Article], make_event
) -> None:
    obs = api.open(db_url)
    try:
        obs.store.add([ArticleResult(make_article("a1", "One report."), [_scored(make_event, "a1")])])
        (ev,) = obs.events()
        assert ev["confidence"] == 0.684
        assert ev["field_confidence"] == FIELDS
        assert ev["confidence_evidence"]["actors"] == "named/doer"
        detail = obs.event(ev["event_id"])
        assert detail is not None and detail["reports"][0]["field_confidence"] == FIELDS
        out = io.StringIO()
        obs.export(out, format="jsonl")
        assert json.loads(out.getvalue())["field_confidence"] == FIELDS
        out = io.StringIO()
        obs.export(out, format="csv")
        tags = next(csv.DictReader(io.StringIO(out.getvalue())))["tags"]
        assert tags.startswith("confidence=0.68; event_type_confidence=0.90; actors_confidence=0.60")
        with TestClient(create_app(obs.store)) as client:
            got = client.get("/api/events").json()
            shown = got["events"][0] if isinstance(got, dict) else got[0]
            assert shown["confidence"] == 0.684 and shown["field_confidence"]["place"] == 0.8
            one = client.get(f"/api/events/{ev['event_id']}").json()
            assert one["field_confidence"] == FIELDS
    finally:
        obs.close()


def test_a_second_agreeing_source_raises_the_stored_confidence(
    db_url: str, make_article: Callable[..., Article], make_event
) -> None:
    obs = api.open(db_url)
    try:
        obs.store.add([ArticleResult(make_article("a1", "First report."), [_scored(make_event, "a1")])])
        before = obs.events()[0]
        obs.store.add([ArticleResult(make_article("a2", "Second report."), [_scored(make_event, "a2")])])
        (after,) = obs.events()
        assert after["n_sources"] == 2
        assert after["confidence"] > before["confidence"]
        assert all(after["field_confidence"][f] > before["field_confidence"][f] for f in FIELDS)
    finally:
        obs.close()
