"""The JSON API over the example database: filters, paging, GeoJSON, detail, errors."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from serve_examples import N_EVENTS, N_MAPPED

from marsad.model import Event
from marsad.serve.app import STATIC_DIR, is_loopback
from marsad.serve.filters import EVENT_TYPES
from marsad.store import Store

EVENT_KEYS = {*Event.__dataclass_fields__, "n_sources", "status", "flagged", "flag_reason"}  # + review state


def ids(body: dict[str, Any]) -> set[str]:
    return {e["event_id"] for e in body["events"]}


def get_ok(client: TestClient, url: str) -> Any:
    resp = client.get(url)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_events_lists_every_event_with_the_event_fields(client: TestClient) -> None:
    body = get_ok(client, "/api/events")
    assert body["total"] == body["count"] == N_EVENTS
    assert body["next"] is None
    for event in body["events"]:
        assert set(event) == EVENT_KEYS
    dates = [e["event_date"] for e in body["events"]]
    assert dates == sorted(dates)  # the store's order: oldest first


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=Iraq", 1),
        ("country=irq", 1),  # ISO3, any case
        ("country=Syria", 5),
        ("admin1=Deir%20ez-Zor", 3),
        ("since=2018-06-01", 4),
        ("until=2018-03-31", 2),
        ("since=2018-03-01&until=2018-03-31", 1),
        ("actor=Islamic%20State", 4),
        ("type=battles", 3),  # any letter case
        ("type=Explosions/Remote%20violence", 1),
        ("sub_type=peaceful%20protest", 1),
        ("min_fatalities=5", 2),
        ("min_fatalities=0", N_EVENTS),
        ("q=car%20bomb", 1),
        ("text=car%20bomb", 1),  # the CLI's name for q
        ("country=Syria&type=Battles&min_fatalities=10", 1),
        ("country=", N_EVENTS),  # an empty form field is no filter
        ("country=Lebanon", 0),
    ],
)
def test_event_filters(client: TestClient, query: str, expected: int) -> None:
    body = get_ok(client, f"/api/events?{query}")
    assert body["total"] == expected
    assert len(body["events"]) == expected


def test_filters_mean_what_the_store_means(client: TestClient, store: Store) -> None:
    body = get_ok(client, "/api/events?country=Syria&since=2018-06-01&type=Battles")
    direct = store.events(
        country="Syria", since=__import__("datetime").date(2018, 6, 1), event_type="Battles"
    )
    assert ids(body) == {e["event_id"] for e in direct}


def test_paging_follows_next_links_to_every_event_once(client: TestClient) -> None:
    url: str | None = "/api/events?limit=2&country=Syria"
    seen: list[str] = []
    while url:
        body = get_ok(client, url)
        assert body["total"] == 5
        assert body["count"] == len(body["events"]) <= 2
        assert "country=Syria" in (body["next"] or "country=Syria")
        seen += [e["event_id"] for e in body["events"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 5


def test_limit_zero_only_counts(client: TestClient) -> None:
    body = get_ok(client, "/api/events?limit=0&country=Syria")
    assert body["total"] == 5 and body["events"] == [] and body["next"] is None


def test_offset_past_the_end_is_empty_not_an_error(client: TestClient) -> None:
    body = get_ok(client, "/api/events?offset=100")
    assert body["events"] == [] and body["total"] == N_EVENTS and body["next"] is None


def test_geojson_is_a_feature_collection_of_points(client: TestClient) -> None:
    body = get_ok(client, "/api/events?format=geojson")
    assert body["type"] == "FeatureCollection"
    assert body["total"] == N_EVENTS
    points = [f for f in body["features"] if f["geometry"]]
    assert len(points) == N_MAPPED
    for f in body["features"]:
        assert f["type"] == "Feature" and f["id"] == f["properties"]["event_id"]
        assert "latitude" not in f["properties"]
    mosul = next(f for f in points if f["properties"]["location"] == "Mosul")
    assert mosul["geometry"] == {"type": "Point", "coordinates": [43.11889, 36.335]}  # lon, lat
    unmapped = [f for f in body["features"] if f["geometry"] is None]
    assert [f["properties"]["sub_event_type"] for f in unmapped] == ["Change to group/activity"]


def test_fields_trims_the_payload_but_keeps_the_id(client: TestClient) -> None:
    body = get_ok(client, "/api/events?fields=location,fatalities&limit=1")
    assert set(body["events"][0]) == {"event_id", "location", "fatalities"}
    geo = get_ok(client, "/api/events?format=geojson&fields=fatalities&limit=1")
    assert set(geo["features"][0]["properties"]) == {"event_id", "fatalities"}


def test_event_detail_has_reports_claims_links_and_exact_offsets(client: TestClient) -> None:
    [listed] = get_ok(client, "/api/events?min_fatalities=5&until=2018-01-01")["events"]
    event = get_ok(client, f"/api/events/{listed['event_id']}")
    assert event["event_id"] == listed["event_id"]
    assert (event["fatalities_low"], event["fatalities"], event["fatalities_high"]) == (7, 7, 9)
    assert event["reports"] and event["links"] and len(event["claims"]) == 3
    assert all(link["explanation"] for link in event["links"])
    article = get_ok(client, f"/api/articles/{event['sources'][0]['article_id']}")
    for claim in event["claims"]:
        assert article["text"][claim["start"] : claim["end"]] == claim["quote"]


def test_article_has_text_and_the_spans_that_became_events(client: TestClient) -> None:
    article = get_ok(client, "/api/articles/afp-albukamal-20180610")
    assert article["publisher"] == "AFP" and article["publish_date"] == "2018-06-10"
    assert article["text"].startswith("BEIRUT (AFP)")
    events = {s["event_id"] for s in article["spans"]}
    assert len(events) == 3  # offensive, repelled, reinforcements
    for span in article["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(article["text"])
        assert client.get(f"/api/events/{span['event_id']}").status_code == 200


def test_actors_most_events_first(client: TestClient) -> None:
    actors = get_ok(client, "/api/actors")["actors"]
    names = [a["name"] for a in actors]
    assert names[:2] == ["Islamic State", "Military Forces of Syria"]
    assert set(actors[0]) >= {"name", "category", "events", "fatalities"}
    assert actors[0]["events"] == 4


def test_stats_all_and_filtered(client: TestClient) -> None:
    stats = get_ok(client, "/api/stats")
    assert [m["key"] for m in stats["by_month"]] == ["2017-12", "2018-03", "2018-06"]
    assert sum(m["events"] for m in stats["by_month"]) == N_EVENTS
    iraq = get_ok(client, "/api/stats?country=Iraq")
    assert iraq["by_month"] == [{"key": "2018-03", "events": 1, "fatalities": 4}]


def test_versions_names_package_model_and_knowledge(client: TestClient) -> None:
    v = get_ok(client, "/-/versions")
    assert v["marsad"] and v["spacy_model"]["name"]
    assert isinstance(v["knowledge"], list)
    for f in v["knowledge"]:
        assert set(f) == {"file", "bytes", "sha256"}
    assert v["web"]["leaflet"] == "1.9.4"


# -- one error shape -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "status", "param"),
    [
        ("GET", "/api/events?since=2018-13-01", 422, "since"),
        ("GET", "/api/events?until=yesterday", 422, "until"),
        ("GET", "/api/events?since=2018-07-01&until=2018-06-01", 422, "since"),
        ("GET", "/api/events?limit=-1", 422, "limit"),
        ("GET", "/api/events?limit=1000000", 422, "limit"),
        ("GET", "/api/events?offset=-1", 422, "offset"),
        ("GET", "/api/events?offset=9223372036854775808", 422, "offset"),  # issue 20.14
        ("GET", "/api/events?min_fatalities=" + "9" * 23, 422, "min_fatalities"),
        ("GET", "/api/stats?min_fatalities=" + "9" * 23, 422, "min_fatalities"),
        ("GET", "/api/events?q=%00", 422, "q"),  # issue 20.15: not every event
        ("GET", "/api/stats?q=a%00", 422, "q"),
        ("GET", "/api/events?min_fatalities=-3", 422, "min_fatalities"),
        ("GET", "/api/events?min_fatalities=many", 422, "min_fatalities"),
        ("GET", "/api/events?type=bombing", 422, "type"),
        ("GET", "/api/events?sub_type=skirmish", 422, "sub_type"),
        ("GET", "/api/events?format=xml", 422, "format"),
        ("GET", "/api/events?fields=location,colour", 422, "fields"),
        ("GET", "/api/events?q=a&text=b", 422, "text"),
        ("GET", "/api/events?contry=Syria", 400, "contry"),
        ("GET", "/api/stats?since=soon", 422, "since"),
        ("GET", "/api/actors?page=2", 400, "page"),
        ("GET", "/api/events/no-such-event", 404, None),
        ("GET", "/api/articles/no-such-article", 404, None),
        ("GET", "/no/such/page", 404, None),
        ("POST", "/api/events", 405, None),
        ("DELETE", "/api/events/abc", 405, None),
    ],
)
def test_every_error_has_one_shape(
    client: TestClient, method: str, url: str, status: int, param: str | None
) -> None:
    resp = client.request(method, url)
    assert resp.status_code == status
    body = resp.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"status", "code", "message", "errors"}
    assert err["status"] == status
    assert re.fullmatch(r"[a-z_]+", err["code"])
    assert err["message"] and "\n" not in err["message"]
    if param is not None:
        assert param in [e["param"] for e in err["errors"]]
        assert err["message"].startswith(param) or param in err["message"]


def test_error_messages_say_what_to_do(client: TestClient) -> None:
    msg = client.get("/api/events?type=bombing").json()["error"]["message"]
    assert "Battles" in msg and "Explosions/Remote violence" in msg
    msg = client.get("/api/events?contry=Syria").json()["error"]["message"]
    assert "contry" in msg and "country" in msg


# -- the page, docs and assets ---------------------------------------------------------------


def test_page_embeds_its_config_and_forbids_other_origins(client: TestClient) -> None:
    resp = client.get("/")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    csp = resp.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp
    config = json.loads(re.search(r'id="marsad-config" type="application/json">(.*?)</script>', resp.text)[1])
    assert config["api"] == "/api" and config["tiles"] is None
    assert set(config["event_types"]) == set(EVENT_TYPES)


def test_page_and_docs_load_only_local_assets(client: TestClient) -> None:
    for path in ("/", "/docs"):
        html = client.get(path).text
        refs = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', html)
        assert refs
        for ref in refs:
            assert not re.match(r"(https?:)?//", ref), f"{path} references {ref}"
            if ref.startswith("/static/"):
                assert client.get(ref).status_code == 200, ref
    basemap = client.get("/static/vendor/world-atlas/countries-50m.json").json()
    assert basemap["type"] == "Topology" and "countries" in basemap["objects"]


def test_openapi_documents_every_route(client: TestClient) -> None:
    paths = get_ok(client, "/openapi.json")["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/articles/{article_id}", "/api/actors"):
        assert path in paths
    assert {"/api/stats", "/-/versions"} <= set(paths)
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert params >= {
        "country",
        "admin1",
        "since",
        "until",
        "actor",
        "type",
        "sub_type",
        "min_fatalities",
        "q",
    }
    assert params >= {"limit", "offset", "format"}


def test_large_responses_are_compressed(client: TestClient) -> None:
    resp = client.get("/static/vendor/world-atlas/countries-50m.json", headers={"Accept-Encoding": "gzip"})
    assert resp.headers.get("content-encoding") == "gzip"


def test_tile_url_is_the_only_other_origin_allowed() -> None:
    from marsad.serve.app import _csp

    csp = _csp("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: https://*.tile.example.org;" in csp


def test_vendored_files_match_their_manifest() -> None:
    """web/build.mjs wrote VERSIONS.json: a hand-edited vendor file is caught here without npm."""
    vendor = STATIC_DIR / "vendor"
    manifest = json.loads((vendor / "VERSIONS.json").read_text())
    assert {"leaflet", "leaflet.markercluster", "topojson-client", "world-atlas"} <= set(manifest)
    for pkg, info in manifest.items():
        for name, digest in info["files"].items():
            assert hashlib.sha256((vendor / pkg / name).read_bytes()).hexdigest() == digest, f"{pkg}/{name}"


def test_taxonomy_matches_the_knowledge_base() -> None:
    path = STATIC_DIR.parent.parent / "knowledge" / "data" / "event_types.json"
    if not path.exists():
        pytest.skip("knowledge/data/event_types.json not shipped")
    rows = json.loads(path.read_text())["types"]
    known: dict[str, set[str]] = {}
    for row in rows:
        known.setdefault(row["event_type"], set()).add(row["sub_event_type"])
    assert {t: set(s) for t, s in EVENT_TYPES.items()} == known


# -- binding ------------------------------------------------------------------------------------


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.10")


def test_cli_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.serve
    from marsad.cli import main

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(marsad.serve, "serve", lambda db, **kw: calls.append((db, kw)))
    result = CliRunner().invoke(main, ["serve", "--db", "x.db"])
    assert result.exit_code == 0, result.output
    assert calls == [("x.db", {"host": "127.0.0.1", "port": 8000, "tile_url": None})]
    result = CliRunner().invoke(main, ["serve", "--port", "99999"])
    assert result.exit_code == 2


def test_cli_serve_refuses_a_database_that_does_not_exist(tmp_path: Any) -> None:
    from marsad.cli import main

    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code == 1
    assert "no such database" in result.output and not missing.exists()


def test_cli_serve_on_a_busy_port_is_one_line(example_db: str) -> None:
    """Issue 20.3: not uvicorn's log and exit 3, but one marsad line with a hint."""
    import socket

    from marsad.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--db", example_db, "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("marsad: ")
    assert f"port {port} on 127.0.0.1 is in use" in result.output and "--port" in result.output


def test_host_header_must_name_the_server(store: Store) -> None:
    """Issue 20.16: a page that rebinds its own name to 127.0.0.1 gets a 400, not the data."""
    from marsad.serve import create_app
    from marsad.serve.app import served_hosts

    app = create_app(store, allowed_hosts=served_hosts("127.0.0.1"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/events?limit=1").status_code == 200
        assert local.get("/api/events", headers={"host": "localhost:8000"}).status_code == 200
        assert local.get("/api/events", headers={"host": "evil.example:8000"}).status_code == 400
    assert served_hosts("0.0.0.0") == ["*"]
    assert served_hosts("0.0.0.0", ["marsad.lan"]) == ["marsad.lan"]
    assert served_hosts("192.0.2.7") == ["192.0.2.7"]


def test_marsad_serve_answers_its_own_name_only(example_db: str, tmp_path: Any) -> None:
    """The real server (uvicorn on marsad's own socket) checks the Host header."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    import marsad

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    repo = str(Path(marsad.__file__).resolve().parent.parent)
    code = "from marsad.cli import main; main()"
    cmd = [sys.executable, "-c", code, "serve", "--db", example_db, "--port", str(port)]
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": repo}, stderr=subprocess.DEVNULL)

    def status(host: str) -> int:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/events?limit=1", headers={"Host": host})
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return int(resp.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert status(f"127.0.0.1:{port}") == 200
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline and proc.poll() is None, "marsad serve did not start"
                time.sleep(0.2)
        assert status(f"rebound.example:{port}") == 400
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_article_links_are_web_links_only(tmp_path: Any) -> None:
    """Issue 20.13: an article stored with a javascript: URL is served without it."""
    from marsad.model import Article, ArticleResult
    from marsad.serve import create_app

    with Store(str(tmp_path / "m.db")) as store:
        store.add(
            [
                ArticleResult(Article("evil", "Text one.", url="javascript:alert(1)"), []),
                ArticleResult(Article("good", "Text two.", url="https://example.org/2"), []),
            ]
        )
        with TestClient(create_app(store)) as local:
            assert get_ok(local, "/api/articles/evil")["url"] is None
            assert get_ok(local, "/api/articles/good")["url"] == "https://example.org/2"
    script = (STATIC_DIR / "marsad.js").read_text(encoding="utf-8")
    assert "href: webUrl(art.url)" in script and "href: art.url" not in script


def test_places_in_view_name_the_towns(client: TestClient) -> None:
    """Issue 20.5: the map's labels, from marsad's own gazetteer data (no request elsewhere)."""
    body = get_ok(client, "/api/places?west=35.5&south=49.5&east=37.5&north=51&limit=10")
    names = [p["name"] for p in body["places"]]
    assert "Kharkiv" in names and "Belgorod" in names
    regions = [r["name"] for r in body["regions"]]  # the oblasts, placed among their towns
    assert regions[:2] == ["Kharkiv", "Belgorod"] and body["regions"][0]["country"] == "UA"
    populations = [p["population"] for p in body["places"]]
    assert populations == sorted(populations, reverse=True) and len(names) == 10
    for p in body["places"]:
        assert 49.5 <= p["lat"] <= 51 and 35.5 <= p["lon"] <= 37.5
    # a view panned past 180° and one across it
    wrapped = get_ok(client, "/api/places?west=395.5&south=49.5&east=397.5&north=51&limit=10")
    assert [p["name"] for p in wrapped["places"]] == names
    fiji = get_ok(client, "/api/places?west=177&south=-19&east=-178&north=-16&limit=5")["places"]
    assert fiji and all(p["country"] == "FJ" for p in fiji)
    assert client.get("/api/places?west=1&south=2&east=3&north=1").status_code == 422
    assert client.get("/api/places?west=1&south=0&east=3&north=1&zoom=4").status_code == 400


def test_events_newest_first_pages_with_their_order(client: TestClient) -> None:
    body = get_ok(client, "/api/events?order=newest&limit=2")
    dates = [e["event_date"] for e in body["events"]]
    assert dates == sorted(dates, reverse=True) and "order=newest" in body["next"]
    everything = get_ok(client, "/api/events?order=newest&limit=100")["events"]
    assert [e["event_id"] for e in everything[:2]] == [e["event_id"] for e in body["events"]]
    assert everything[-1]["event_date"] is None or all(e["event_date"] for e in everything)
    assert client.get("/api/events?order=random").status_code == 422


def test_cli_serve_private_asks_for_a_login_to_read(monkeypatch: pytest.MonkeyPatch) -> None:
    import marsad.serve
    from marsad.cli import main

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(marsad.serve, "serve", lambda db, **kw: calls.append((db, kw)))
    result = CliRunner().invoke(main, ["serve", "--db", "x.db", "--private"])
    assert result.exit_code == 0, result.output
    assert calls == [("x.db", {"host": "127.0.0.1", "port": 8000, "tile_url": None, "private": True})]
