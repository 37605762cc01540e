"""GET /api/events/{id}/history and GET /api/changes?since= over a store the real extractor
filled from the example articles: a later report, then the earlier one that founds the event
anew (a merge), then a corrected version of the later report."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.api import Observatory
from marsad.serve import create_app
from marsad.store import Store

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
LATER, EARLIER = "02_reuters_kharkiv_toll_rises.txt", "01_ap_kharkiv_missile.txt"


@pytest.fixture
def story(tmp_path: Path, cached_extractor: None) -> Iterator[dict[str, Any]]:
    for name in (LATER, EARLIER):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    store = Store(str(tmp_path / "m.db"))
    obs = Observatory(store)
    obs.ingest([str(tmp_path / LATER)])
    [first] = [e["event_id"] for e in obs.events()]
    since = datetime.now(UTC)
    obs.ingest([str(tmp_path / EARLIER)])
    text = (tmp_path / LATER).read_text(encoding="utf-8")
    (tmp_path / LATER).write_text(text.replace("rose to nine", "rose to 14"), encoding="utf-8")
    obs.ingest([str(tmp_path / LATER)])
    with TestClient(create_app(store)) as client:
        yield {"client": client, "store": store, "first": first, "since": since}
    store.close()


def test_history_of_an_event_merged_away_and_of_the_event_it_went_into(story: dict[str, Any]) -> None:
    client, store, first = story["client"], story["store"], story["first"]
    resp = client.get(f"/api/events/{first}/history")
    assert resp.status_code == 200
    body = resp.json()
    assert body["event_id"] == first and body["history"] == store.history(first)
    assert [h["kind"] for h in body["history"]] == ["added", "merged"]
    holder = body["history"][-1]["new"]
    assert client.get(f"/api/events/{holder}").status_code == 200
    went = client.get(f"/api/events/{holder}/history").json()["history"]
    assert went == store.history(holder) and {"added", "changed"} <= {h["kind"] for h in went}


def test_changes_since_match_the_store(story: dict[str, Any]) -> None:
    client, store, since = story["client"], story["store"], story["since"]
    resp = client.get("/api/changes", params={"since": since.isoformat()})
    assert resp.status_code == 200
    body = resp.json()
    assert body["changes"] == store.changed_since(since) and body["count"] == len(body["changes"])
    deleted = [c for c in body["changes"] if c["kind"] == "deleted"]
    assert [c["event_id"] for c in deleted] == [story["first"]] and deleted[0]["merged_into"]
    # a date: from the start of that day; everything stored today is there once, as added
    today = client.get("/api/changes", params={"since": since.date().isoformat()}).json()
    assert {c["kind"] for c in today["changes"]} == {"added"}
    assert sorted(c["event_id"] for c in today["changes"]) == sorted(e["event_id"] for e in store.events())


@pytest.mark.parametrize(
    ("url", "status", "param"),
    [
        ("/api/events/no-such-event/history", 404, None),
        ("/api/changes", 422, "since"),
        ("/api/changes?since=last-week", 422, "since"),
        ("/api/changes?since=2026-01-01&contry=Syria", 400, "contry"),
    ],
)
def test_history_errors_have_the_one_shape(
    story: dict[str, Any], url: str, status: int, param: str | None
) -> None:
    resp = story["client"].get(url)
    assert resp.status_code == status
    err = resp.json()["error"]
    assert err["status"] == status and err["message"] and "\n" not in err["message"]
    if param is not None:
        assert param in [e["param"] for e in err["errors"]]


def test_the_history_routes_are_read_only_and_documented(story: dict[str, Any]) -> None:
    client = story["client"]
    assert client.post("/api/changes?since=2026-01-01").status_code == 405
    assert client.delete(f"/api/events/{story['first']}/history").status_code == 405
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/changes", "/api/events/{event_id}/history"} <= set(paths)
