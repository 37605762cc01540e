"""Logging in, roles, CSRF and --private over HTTP (marsad.serve.auth), with a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient
from serve_examples import N_EVENTS, example_results

from marsad.api import Observatory
from marsad.serve import create_app
from marsad.serve.auth import COOKIE, require_role
from marsad.store import Store
from marsad.store.users import Users

PASSWORDS = {"vera": "viewer-pass-1", "ali": "analyst-pass-1", "ada": "admin-pass-1"}
ROLES = {"vera": "viewer", "ali": "analyst", "ada": "admin"}


@pytest.fixture(scope="module")
def auth_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store(str(tmp_path_factory.mktemp("auth") / "m.db"))
    store.add(example_results())
    users = Users(store)
    for name, password in PASSWORDS.items():
        users.add(name, password, role=ROLES[name])
    yield store
    store.close()


# A write endpoint of each role, standing for the review part's (which take the same dependency).
probe = APIRouter(prefix="/api/probe")


@probe.post("/analyst")
def analyst_write(user: str = Depends(require_role("analyst"))) -> dict[str, str]:
    return {"by": user}


@probe.delete("/admin")
def admin_write(user: str = Depends(require_role("admin"))) -> dict[str, str]:
    return {"by": user}


@probe.get("/viewer")
def viewer_read(user: str = Depends(require_role("viewer"))) -> dict[str, str]:
    return {"by": user}


def make_app(store: Store, **kw: Any) -> FastAPI:
    app = create_app(store, **kw)
    app.include_router(probe)
    return app


@pytest.fixture
def app(auth_store: Store) -> FastAPI:
    return make_app(auth_store)


def login(client: TestClient, name: str) -> dict[str, Any]:
    resp = client.post("/api/login", json={"name": name, "password": PASSWORDS[name]})
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def test_login_sets_a_strict_session_cookie_and_me_gives_the_csrf_token(app: FastAPI) -> None:
    with TestClient(app) as client:
        resp = client.post("/api/login", json={"name": "ali", "password": PASSWORDS["ali"]})
        assert resp.status_code == 200
        cookie = resp.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=")
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
        body = resp.json()
        assert body["name"] == "ali" and body["role"] == "analyst" and body["roles"] == ["viewer", "analyst"]
        assert len(body["csrf"]) >= 32
        me = client.get("/api/me").json()
        assert me["name"] == "ali" and me["csrf"] == body["csrf"] and me["via"] == "session"
        # the session id is kept hashed: the cookie's value is not in the store
        sid = client.cookies[COOKIE]
        with app.state.store.engine.connect() as conn:
            stored = [r[0] for r in conn.exec_driver_sql("SELECT session_hash FROM user_sessions")]
        assert stored and sid not in stored
        # logging out ends the session: the old cookie no longer works
        assert client.post("/api/logout").status_code == 200
        client.cookies.set(COOKIE, sid)
        assert client.get("/api/me").json() == {"name": None, "role": None, "roles": [], "via": None}


def test_a_form_login_redirects_and_the_name_is_escaped_in_the_answer(app: FastAPI) -> None:
    with TestClient(app, follow_redirects=False) as client:
        ok = client.post("/api/login", data={"name": "vera", "password": PASSWORDS["vera"], "next": "/?x=1"})
        assert ok.status_code == 303 and ok.headers["location"] == "/?x=1"
        offsite = client.post(
            "/api/login", data={"name": "vera", "password": PASSWORDS["vera"], "next": "//evil.example/"}
        )
        assert offsite.headers["location"] == "/"  # never an open redirect
        bad = client.post("/api/login", data={"name": "<script>alert(1)</script>", "password": "nope-nope"})
        assert bad.status_code == 401 and bad.headers["content-type"].startswith("text/html")
        assert "<script>alert(1)</script>" not in bad.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bad.text
        assert "script-src 'none'" in bad.headers["content-security-policy"]


def test_wrong_passwords_are_refused_then_throttled(auth_store: Store) -> None:
    with TestClient(make_app(auth_store)) as client:
        for _ in range(10):
            resp = client.post("/api/login", json={"name": "ada", "password": "not-her-password"})
            assert resp.status_code == 401
            assert resp.json()["error"]["code"] == "unauthenticated"
        # even the right password waits now: guessing has to stop
        resp = client.post("/api/login", json={"name": "ada", "password": PASSWORDS["ada"]})
        assert resp.status_code == 429 and int(resp.headers["retry-after"]) > 0
        # other names are not locked out by one name's failures
        assert (
            client.post("/api/login", json={"name": "vera", "password": PASSWORDS["vera"]}).status_code == 200
        )
        unknown = client.post("/api/login", json={"name": "nobody", "password": "whatever-1"})
        assert unknown.status_code == 401
        missing = client.post("/api/login", json={"name": "vera"})
        assert missing.status_code == 422 and missing.json()["error"]["errors"][0]["param"] == "password"


def test_writes_need_a_login_and_the_role(app: FastAPI) -> None:
    with TestClient(app) as client:
        resp = client.post("/api/probe/analyst")
        assert resp.status_code == 401
        assert resp.headers["www-authenticate"].startswith("Bearer")
        assert resp.json()["error"]["code"] == "unauthenticated"
        csrf = login(client, "vera")["csrf"]
        resp = client.post("/api/probe/analyst", headers={"X-CSRF-Token": csrf})
        assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"
        assert "vera is a viewer" in resp.json()["error"]["message"]
        assert client.get("/api/probe/viewer").json() == {"by": "vera"}
        csrf = login(client, "ali")["csrf"]
        assert client.post("/api/probe/analyst", headers={"X-CSRF-Token": csrf}).json() == {"by": "ali"}
        assert client.delete("/api/probe/admin", headers={"X-CSRF-Token": csrf}).status_code == 403
        csrf = login(client, "ada")["csrf"]
        assert client.post("/api/probe/analyst", headers={"X-CSRF-Token": csrf}).json() == {"by": "ada"}
        assert client.delete("/api/probe/admin", headers={"X-CSRF-Token": csrf}).json() == {"by": "ada"}


@pytest.mark.parametrize(
    "headers",
    [
        {},  # the cookie alone: what a form on another site makes the browser send
        {"X-CSRF-Token": "guessed"},
        {"X-CSRF-Token": "CSRF", "Origin": "https://evil.example"},
        {"X-CSRF-Token": "CSRF", "Origin": "null"},
        {"X-CSRF-Token": "CSRF", "Referer": "https://evil.example/page"},
    ],
    ids=["no-token", "wrong-token", "foreign-origin", "null-origin", "foreign-referer"],
)
def test_a_forged_cross_site_request_is_refused(app: FastAPI, headers: dict[str, str]) -> None:
    with TestClient(app) as client:
        csrf = login(client, "ali")["csrf"]
        sent = {k: (csrf if v == "CSRF" else v) for k, v in headers.items()}
        resp = client.post("/api/probe/analyst", headers=sent)
        assert resp.status_code == 403, resp.text
        assert resp.json()["error"]["code"] == "csrf"
        # the same request from this server's own page goes through
        own = {"X-CSRF-Token": csrf, "Origin": "http://testserver", "Referer": "http://testserver/?x"}
        assert client.post("/api/probe/analyst", headers=own).json() == {"by": "ali"}


def test_a_login_from_another_site_is_refused(app: FastAPI) -> None:
    with TestClient(app) as client:
        resp = client.post(
            "/api/login",
            json={"name": "ali", "password": PASSWORDS["ali"]},
            headers={"Origin": "https://evil.example"},
        )
        assert resp.status_code == 403 and COOKIE not in resp.headers.get("set-cookie", "")


def test_a_bearer_token_works_without_csrf_until_revoked(auth_store: Store) -> None:
    users = Users(auth_store)
    token = users.new_token("ali")
    with TestClient(make_app(auth_store)) as client:
        auth = {"Authorization": f"Bearer {token}"}
        assert client.post("/api/probe/analyst", headers=auth).json() == {"by": "ali"}
        assert client.get("/api/me", headers=auth).json()["via"] == "token"
        assert "csrf" not in client.get("/api/me", headers=auth).json()
        for bad in (f"Bearer {token}x", "Bearer ", f"Basic {token}", token):
            resp = client.post("/api/probe/analyst", headers={"Authorization": bad})
            assert resp.status_code == 401, bad
        users.revoke_tokens("ali")
        assert client.post("/api/probe/analyst", headers=auth).status_code == 401


def test_a_removed_users_session_and_token_stop_working(auth_store: Store) -> None:
    users = Users(auth_store)
    users.add("temp", "temporary-pass", role="analyst")
    token = users.new_token("temp")
    with TestClient(make_app(auth_store)) as client:
        csrf = client.post("/api/login", json={"name": "temp", "password": "temporary-pass"}).json()["csrf"]
        assert client.post("/api/probe/analyst", headers={"X-CSRF-Token": csrf}).status_code == 200
        assert users.remove("temp")
        assert client.post("/api/probe/analyst", headers={"X-CSRF-Token": csrf}).status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        assert client.post("/api/probe/analyst", headers=auth).status_code == 401


def test_reading_is_open_unless_private(auth_store: Store) -> None:
    with TestClient(make_app(auth_store)) as client:
        assert client.get("/api/events").json()["total"] == N_EVENTS
        assert client.get("/").status_code == 200
        assert client.get("/api/me").json() == {"name": None, "role": None, "roles": [], "via": None}
    reads = ["/api/events", "/api/events?format=geojson", "/api/actors", "/api/stats", "/api/feeds"]
    reads += ["/api/events?format=csv", "/api/places?west=0&south=0&east=50&north=50"]
    with TestClient(make_app(auth_store, private=True), follow_redirects=False) as client:
        event_id = Store.events(auth_store, limit=1)[0]["event_id"]
        reads += [f"/api/events/{event_id}", "/api/stream?after=0"]
        for url in reads:
            resp = client.get(url)
            assert resp.status_code == 401, url
            assert resp.json()["error"]["code"] == "unauthenticated"
        page = client.get("/")
        assert page.status_code == 401 and 'action="/api/login"' in page.text
        assert "events-list" not in page.text  # the login form, not the map page
        assert client.get("/-/versions").status_code == 200  # no data in it
        resp = client.post("/api/login", data={"name": "vera", "password": PASSWORDS["vera"]})
        assert resp.status_code == 303
        assert client.get("/api/events").json()["total"] == N_EVENTS
        page = client.get("/")
        assert page.status_code == 200 and "events-list" in page.text and '"private": true' in page.text
        client.post("/api/logout")
        assert client.get("/api/events").status_code == 401


def test_a_private_servers_api_takes_a_bearer_token(auth_store: Store) -> None:
    token = Users(auth_store).new_token("vera")
    with TestClient(make_app(auth_store, private=True)) as client:
        resp = client.get("/api/events", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 200 and resp.json()["total"] == N_EVENTS


def test_sessions_end(auth_store: Store, tmp_path: Path) -> None:
    with TestClient(make_app(auth_store, session_hours=-1.0)) as client:
        client.post("/api/login", json={"name": "vera", "password": PASSWORDS["vera"]})
        assert client.get("/api/me").json()["name"] is None  # already over


# -- the review's write endpoints (marsad/serve/review.py) -----------------------------------

CONTRACT = {
    ("POST", "/api/events/{event_id}/verify"),
    ("PATCH", "/api/events/{event_id}"),
    ("POST", "/api/events/{event_id}/reject"),
    ("POST", "/api/events/{event_id}/merge"),
    ("POST", "/api/events/{event_id}/split"),
}
BODIES = {
    "merge": {"other": "x"},
    "split": {"report_ids": ["x"]},
    "{event_id}": {"fields": {"fatalities": 1}},
}


def write_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of the app that writes: all but GET/HEAD, and logging in or out."""
    found = []

    def walk(routes: list[Any]) -> None:
        for route in routes:
            if hasattr(route, "original_router"):  # an included router (newer FastAPI keeps them whole)
                walk(route.original_router.routes)
                continue
            for method in sorted(getattr(route, "methods", None) or ()):
                path = getattr(route, "path", "")
                if method not in ("GET", "HEAD") and path not in ("/api/login", "/api/logout"):
                    found.append((method, path))

    walk(app.routes)
    # what the API documents agrees (a route left out of the schema would still be walked above)
    documented = {
        (m.upper(), path)
        for path, ops in app.openapi()["paths"].items()
        for m in ops
        if m not in ("get", "head") and path not in ("/api/login", "/api/logout")
    }
    assert documented == set(found)
    return found


def test_every_write_endpoint_refuses_the_logged_out_the_viewer_and_forgeries(auth_store: Store) -> None:
    app = create_app(auth_store)  # the real app only: no probe routes
    routes = write_routes(app)
    assert set(routes) == CONTRACT  # a new write route must show up here (and be guarded)
    event_id = Store.events(auth_store, limit=1)[0]["event_id"]
    viewer_token = Users(auth_store).new_token("vera")
    with TestClient(app) as anonymous, TestClient(app) as viewer, TestClient(app) as analyst:
        viewer_csrf = login(viewer, "vera")["csrf"]
        analyst_csrf = login(analyst, "ali")["csrf"]
        for method, path in routes:
            url = path.replace("{event_id}", event_id)
            body = BODIES.get(path.rsplit("/", 1)[-1], {})  # valid bodies: only the login can fail
            resp = anonymous.request(method, url, json=body)
            assert resp.status_code == 401, (method, path, resp.text)
            resp = anonymous.request(
                method, url, json=body, headers={"Authorization": "Bearer marsad_forged"}
            )
            assert resp.status_code == 401, (method, path)
            resp = viewer.request(method, url, json=body, headers={"X-CSRF-Token": viewer_csrf})
            assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden", (method, path)
            bearer = {"Authorization": f"Bearer {viewer_token}"}
            assert viewer.request(method, url, json=body, headers=bearer).status_code == 403
            # an analyst's cookie, but the request is forged: no token, or from another site
            resp = analyst.request(method, url, json=body)
            assert resp.status_code == 403 and resp.json()["error"]["code"] == "csrf", (method, path)
            forged = {"X-CSRF-Token": analyst_csrf, "Origin": "https://evil.example"}
            assert analyst.request(method, url, json=body, headers=forged).status_code == 403
        # nothing of it reached the store
        assert Store.event(auth_store, event_id)["status"] == "provisional"


def test_an_analyst_edits_through_the_api_and_the_text_comes_back_as_data(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "edit.db"))
    store.add(example_results())
    Users(store).add("ali", PASSWORDS["ali"], role="analyst")
    token = Users(store).new_token("ali")
    first, second, third = (e["event_id"] for e in store.events(limit=3))
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with TestClient(create_app(store)) as client:
        csrf = login(client, "ali")["csrf"]
        own = {"X-CSRF-Token": csrf, "Origin": "http://testserver"}
        edited = client.patch(
            f"/api/events/{first}", json={"fields": {"notes": evil}, "reason": evil}, headers=own
        )
        assert edited.status_code == 200, edited.text
        assert edited.json()["status"] == "edited" and edited.json()["notes"] == evil
        got = client.get(f"/api/events/{first}")
        assert got.headers["content-type"].startswith("application/json")
        assert got.json()["notes"] == evil  # data, for the page to show as text
        bearer = {"Authorization": f"Bearer {token}"}
        merged = client.post(f"/api/events/{second}/merge", json={"other": third}, headers=bearer)
        assert merged.status_code == 200 and merged.json()["n_sources"] == 2
        rejected = client.post(f"/api/events/{first}/reject", json={"reason": "not an event"}, headers=bearer)
        assert rejected.json()["status"] == "rejected"
        listed = {e["event_id"] for e in client.get("/api/events").json()["events"]}
        assert first not in listed and third not in listed and second in listed
        assert client.get(f"/api/events/{first}/nope").status_code == 404
    edits = [(e["user"], e["kind"]) for e in Observatory(store).edits(first)]
    assert edits == [("ali", "edit"), ("ali", "reject")]
    store.close()
