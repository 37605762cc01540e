"""The watcher's records on both backends: feeds and their health, seen items, the alert outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest

from marsad.errors import StoreError
from marsad.store import Store
from marsad.store.monitor import Monitor, alert_id, now


def test_feeds_health_items_and_alerts(db_url: str) -> None:
    store = Store(db_url)
    m = Monitor(store)
    wire, created = m.add_feed("https://example.org/wire.rss", name="wire", every_seconds=60)
    assert created and wire.every_seconds == 60 and wire.failures == 0 and wire.last_success_at is None
    again, created = m.add_feed("https://example.org/wire.rss", name="wire", every_seconds=30)
    assert not created and again.feed_id == wire.feed_id and again.every_seconds == 30
    with pytest.raises(StoreError, match="the name 'wire' is already the feed https://example.org/wire.rss"):
        m.add_feed("https://example.org/other.rss", name="wire")
    # a failure counts, a success resets the count and keeps the validators
    m.record_poll(
        wire.feed_id, error="HTTP 500 Internal Server Error", next_poll_at=now() + timedelta(minutes=2)
    )
    m.record_poll(
        wire.feed_id, error="HTTP 500 Internal Server Error", next_poll_at=now() + timedelta(minutes=4)
    )
    failing = m.feed(wire.feed_id)
    assert (
        failing is not None
        and failing.failures == 2
        and failing.last_error == "HTTP 500 Internal Server Error"
    )
    m.record_poll(
        wire.feed_id, error=None, next_poll_at=now(), etag='"v1"', last_modified="x", validators=True
    )
    ok = m.feed(wire.feed_id)
    assert ok is not None and ok.failures == 0 and ok.etag == '"v1"' and ok.last_success_at is not None
    assert ok.last_error == "HTTP 500 Internal Server Error"  # the last error stays, with its time
    # seen items: idempotent, counted per feed, kept when the feed goes
    for key in ("k1", "k2", "k2"):
        m.mark_seen(
            key, feed_id=wire.feed_id, url=f"https://example.org/{key}", content_hash=None, outcome="stored"
        )
    assert m.seen(["k1", "k2", "k3"]) == {"k1", "k2"}
    listed = m.feeds()[0]
    assert listed.items_seen == 2 and listed.items_per_day == 2.0
    assert m.remove_feed("wire") is not None and m.feeds() == [] and m.seen(["k1"]) == {"k1"}
    assert m.remove_feed("wire") is None
    # alerts: made once, each sink delivered once, failures retried up to a limit
    aid = alert_id("rule", "e1", "new", 3)
    assert aid == alert_id("rule", "e1", "new", 3) != alert_id("rule", "e1", "toll", 7)
    body = {"alert_id": aid, "rule": "rule"}
    assert m.add_alert(
        alert_id=aid, rule="rule", event_id="e1", kind="new", fatalities=3, payload=body, sinks=["a", "b"]
    )
    assert not m.add_alert(
        alert_id=aid, rule="rule", event_id="e1", kind="new", fatalities=3, payload=body, sinks=["a"]
    )
    assert m.alerted_toll("rule", "e1") == 3 and m.alerted_toll("rule", "e2") is None
    assert [(d.sink, d.payload) for d in m.pending(max_attempts=2)] == [("a", body), ("b", body)]
    m.delivered(aid, "a")
    m.delivered(aid, "b", error="refused")
    assert [(d.sink, d.attempts) for d in m.pending(max_attempts=2)] == [("b", 1)]
    m.delivered(aid, "b", error="refused")
    assert m.pending(max_attempts=2) == []
    assert m.counts() == {"feeds": 0, "items": 2, "alerts": 1, "undelivered": 1}
    store.close()
