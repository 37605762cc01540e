"""The review's write endpoints (marsad/serve/review.py) over the example articles.

Each endpoint needs an analyst (``require_role("analyst")``); it answers with the event(s)
as ``GET /api/events/{id}`` gives them, 404 for an unknown event, 422 for a bad field or
value, always in the one error shape; ``?status=`` filters the listings.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import marsad
from marsad.serve import create_app
from marsad.store import Store
from marsad.store.users import Users

EXAMPLES = Path(marsad.__file__).resolve().parent.parent / "examples" / "articles"
# An analyst's bearer token (marsad.serve.auth), made afresh for each test's database by ``client``.
ANALYST: dict[str, str] = {}


@pytest.fixture
def client(tmp_path: Path, cached_extractor: None) -> Iterator[TestClient]:
    db = str(tmp_path / "m.db")
    with marsad.open(db) as obs:
        obs.ingest([str(EXAMPLES)])
    store = Store(db)
    users = Users(store)
    users.add("amina", "amina's passphrase", role="analyst")
    ANALYST["Authorization"] = f"Bearer {users.new_token('amina')}"
    with TestClient(create_app(store)) as c:
        yield c
    store.close()


def listing(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    resp = client.get(f"/api/events?limit=1000{query}")
    assert resp.status_code == 200, resp.text
    found: list[dict[str, Any]] = resp.json()["events"]
    return found


def told_by(client: TestClient, article: str) -> dict[str, Any]:
    found = [e for e in listing(client) if any(s["article_id"] == article for s in e["sources"])]
    best = max(found, key=lambda e: (e["fatalities"], e["n_sources"]))
    detail: dict[str, Any] = client.get(f"/api/events/{best['event_id']}").json()
    return detail


def test_every_write_endpoint_needs_an_analyst(client: TestClient) -> None:
    event_id = listing(client)[0]["event_id"]
    for method, path, body in [
        ("POST", f"/api/events/{event_id}/verify", {}),
        ("PATCH", f"/api/events/{event_id}", {"fields": {"fatalities": 3}}),
        ("POST", f"/api/events/{event_id}/reject", {}),
        ("POST", f"/api/events/{event_id}/merge", {"other": event_id}),
        ("POST", f"/api/events/{event_id}/split", {"report_ids": ["x"]}),
    ]:
        resp = client.request(method, path, json=body)
        assert resp.status_code == 401, (method, path)
        assert set(resp.json()["error"]) == {"status", "code", "message", "errors"}
    assert client.get(f"/api/events/{event_id}").json()["status"] == "provisional"  # nothing changed


def test_edit_verify_and_reject_answer_with_the_event(client: TestClient) -> None:
    event = told_by(client, "07_afp_el_geneina_attack")
    toll = event["fatalities"] + 5
    resp = client.patch(
        f"/api/events/{event['event_id']}",
        json={
            "fields": {"fatalities": toll, "actor2": "Civilians (Sudan)"},
            "reason": "<b>hospital</b> list",
        },
        headers=ANALYST,
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert (body["fatalities"], body["actor2"], body["status"]) == (toll, "Civilians (Sudan)", "edited")
    assert body["claims"] and body["reports"]  # the full event, with its evidence
    assert client.get(f"/api/events/{event['event_id']}").json()["fatalities"] == toll

    other = told_by(client, "04_afp_mogadishu_tea_shop_bombing")
    verified = client.post(f"/api/events/{other['event_id']}/verify", headers=ANALYST)
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    rejected = client.post(
        f"/api/events/{other['event_id']}/reject", json={"reason": "not ours"}, headers=ANALYST
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert other["event_id"] not in {e["event_id"] for e in listing(client)}
    assert [e["event_id"] for e in listing(client, "&status=rejected")] == [other["event_id"]]
    statuses = {e["status"] for e in listing(client, "&status=all")}
    assert statuses == {"provisional", "edited", "rejected"}
    stats = client.get("/api/stats?status=rejected").json()
    assert sum(row["events"] for row in stats["by_type"]) == 1
    csv_text = client.get("/api/events?format=csv").text
    assert other["event_id"] not in csv_text and event["event_id"] in csv_text


def test_merge_and_split(client: TestClient) -> None:
    bombing = told_by(client, "04_afp_mogadishu_tea_shop_bombing")
    garowe = [r["report_id"] for r in bombing["reports"] if r["article_id"] == "06_garowe_mogadisho_toll"]
    resp = client.post(
        f"/api/events/{bombing['event_id']}/split", json={"report_ids": garowe}, headers=ANALYST
    )
    assert resp.status_code == 200, resp.text
    rest, off = resp.json()["events"]
    assert [r["report_id"] for r in off["reports"]] == garowe
    assert not set(garowe) & {r["report_id"] for r in rest["reports"]}
    resp = client.post(
        f"/api/events/{rest['event_id']}/merge", json={"other": off["event_id"]}, headers=ANALYST
    )
    assert resp.status_code == 200, resp.text
    merged = resp.json()
    assert {r["report_id"] for r in merged["reports"]} == {r["report_id"] for r in bombing["reports"]}


@pytest.mark.parametrize(
    ("method", "suffix", "body", "status", "start"),
    [
        ("POST", "/verify", None, 404, "[E060] no event"),
        ("PATCH", "", {"fields": {"fatalities": -2}}, 422, "[E061] fatalities: -2 is out of range"),
        ("PATCH", "", {"fields": {"colour": "red"}}, 422, "[E061] 'colour' cannot be edited"),
        ("PATCH", "", {"fields": {}}, 422, "[E061] no field given"),
        ("PATCH", "", {"field": {"fatalities": 1}}, 422, "fields: Field required"),
        ("POST", "/merge", {"other": "nope"}, 404, "[E060] no event 'nope'"),
        ("POST", "/split", {"report_ids": ["r1"]}, 422, "[E061] split: report 'r1' is not in event"),
    ],
)
def test_errors_have_the_one_shape(
    client: TestClient, method: str, suffix: str, body: Any, status: int, start: str
) -> None:
    event_id = "unknown-id" if status == 404 and suffix == "/verify" else listing(client)[0]["event_id"]
    resp = client.request(method, f"/api/events/{event_id}{suffix}", json=body, headers=ANALYST)
    assert resp.status_code == status, resp.text
    err = resp.json()["error"]
    assert err["status"] == status and err["message"].startswith(start) and "\n" not in err["message"]


def test_status_parameter_is_checked(client: TestClient) -> None:
    resp = client.get("/api/events?status=published")
    assert resp.status_code == 422
    err = resp.json()["error"]
    assert err["errors"][0]["param"] == "status" and "provisional" in err["message"]
    assert len(listing(client, "&status=provisional,verified")) == len(listing(client))
