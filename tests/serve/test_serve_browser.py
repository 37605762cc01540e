"""The map page in a real headless Chromium: markers, a filter, the event panel, the brush, the keyboard.

Each test saves a screenshot to tests/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import contextlib
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from serve_examples import N_EVENTS, N_MAPPED

from marsad.serve import create_app
from marsad.store import Store

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(store: Store) -> Iterator[str]:
    with serving(create_app(store)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        # A fresh profile per run: nothing cached, no first-run or sync traffic.
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=ARGS, viewport={"width": 1400, "height": 900}
        )
        yield context
        context.close()


class Page:
    """A page that fails the test on a JS error, a console error or any request off this server."""

    def __init__(self, context: Any, base_url: str) -> None:
        self.base = base_url
        self.page = context.new_page()
        self.external: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith("data:"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def open(self, path: str = "/") -> Any:
        self.page.goto(self.base + path)
        self.ready()
        return self.page

    def ready(self) -> None:
        self.page.wait_for_selector("body[data-state=ready]", timeout=20_000)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))

    def check_clean(self) -> None:
        assert self.external == [], f"requests off the server: {self.external}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Page]:
    p = Page(browser, base_url)
    yield p
    p.page.close()


def wait_until(page: Any, expression: str, timeout: float = 20.0) -> None:
    """Poll a JS expression with ``evaluate``: ``wait_for_function`` evals a string, which the CSP forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def wait_count(page: Any, n: int) -> None:
    """Wait until the page has loaded ``n`` events after the latest filter change."""
    wait_until(page, f"document.body.dataset.state === 'ready' && document.body.dataset.count === '{n}'")


def markers_on_map(page: Any) -> int:
    """Events shown on the map: single markers plus the counts written on clusters."""
    singles = page.locator("#map .ev-marker").count()
    clustered = sum(
        int(t.replace(",", "")) for t in page.locator("#map .ev-cluster .count").all_inner_texts()
    )
    return int(singles + clustered)


def wait_markers(page: Any, n: int, timeout: float = 10.0) -> None:
    """Cluster transitions animate (old and new icons overlap for ~250 ms): wait for the settled count."""
    deadline = time.monotonic() + timeout
    while (shown := markers_on_map(page)) != n:
        if time.monotonic() > deadline:
            raise AssertionError(f"{shown} events on the map, expected {n}")
        time.sleep(0.1)


def test_markers_for_the_example_events_appear(page: Page) -> None:
    p = page.open()
    wait_until(p, "performance.getEntriesByName('marsad:basemap').length === 1")  # outlines drawn
    wait_markers(p, N_MAPPED)
    assert p.locator("#events-list li").count() == N_EVENTS
    assert p.locator("#status").inner_text().startswith(f"{N_EVENTS} events")
    # Markers are keyboard-reachable buttons with a label.
    first = p.locator("#map .ev-marker").first
    assert first.get_attribute("tabindex") == "0" and first.get_attribute("role") == "button"
    assert first.get_attribute("aria-label")
    page.shot("01-map")
    page.check_clean()


def test_a_filter_narrows_the_map_and_the_url(page: Page) -> None:
    p = page.open()
    p.select_option("#f-country", "Iraq")
    wait_count(p, 1)
    wait_markers(p, 1)
    marker = p.locator("#map .ev-marker")
    assert "Mosul" in (marker.get_attribute("aria-label") or "")
    assert "country=Iraq" in p.url
    p.fill("#f-min", "5")
    p.click("#f-apply")
    wait_count(p, 0)
    assert p.locator("#status").inner_text() == "No events match these filters."
    page.shot("02-filtered")
    # A shared URL restores the view.
    p2 = page.open("/?country=Syria&type=Battles")
    assert p2.input_value("#f-country") == "Syria" and p2.input_value("#f-type") == "Battles"
    wait_markers(p2, 3)
    page.check_clean()


def test_event_panel_shows_highlighted_evidence_and_conflicting_figures(page: Page) -> None:
    p = page.open("/?country=Syria&until=2017-12-31")
    wait_markers(p, 1)
    p.locator("#map .ev-marker").click()
    p.wait_for_selector("body[data-panel=ready]")
    panel = p.locator("#panel")
    assert panel.is_visible()
    assert "Albu Kamal" in p.locator("#panel-title").inner_text()
    marks = p.locator("#panel mark.evidence").all_inner_texts()
    assert "At least 7 militants from al-Quds Brigade were killed and 14 more were wounded" in marks
    assert "put the toll at 9 dead" in marks
    assert "between 7 and 9" in p.locator(".conflict-note").inner_text()
    claimants = p.locator("#panel .sources .who").all_inner_texts()
    assert claimants[:2] == ["Amaq via Zaman Al Wasl", "pro-regime news feeds via Zaman Al Wasl"]
    assert "event=" in p.url
    page.shot("03-event-panel")
    p.locator("#panel").evaluate("e => e.scrollTop = e.scrollHeight")
    page.shot("04-event-panel-article")
    page.check_clean()


def test_other_events_in_the_same_article_are_marked_and_open(page: Page) -> None:
    p = page.open("/?q=reinforcements")
    p.locator("#events-list button").first.click()
    p.wait_for_selector("body[data-panel=ready]")
    assert p.locator("#panel mark.evidence").all_inner_texts() == [
        "Pro-government reinforcements had arrived"
    ]
    others = p.locator("#panel mark.other")
    assert others.count() >= 3  # the offensive's three claims and the repulse
    others.first.click()
    wait_until(
        p,
        "document.body.dataset.panel === 'ready'"
        " && document.querySelector('#panel-title').textContent.includes('Albu Kamal')",
    )
    page.check_clean()


def test_keyboard_opens_and_closes_the_panel(page: Page) -> None:
    p = page.open("/?country=Iraq")
    marker = p.locator("#map .ev-marker")
    marker.focus()
    p.keyboard.press("Enter")
    p.wait_for_selector("body[data-panel=ready]")
    assert p.evaluate("document.activeElement.id") == "panel-title"
    p.keyboard.press("Escape")
    assert not p.locator("#panel").is_visible()
    # Every form control has a label a screen reader announces.
    for control in p.locator("#filters input, #filters select").all():
        assert control.evaluate("e => e.labels.length") == 1
    # The list is reachable too.
    p.locator("#events-list button").first.focus()
    p.keyboard.press("Enter")
    p.wait_for_selector("body[data-panel=ready]")
    page.check_clean()


def test_timeline_brush_filters_the_map(page: Page) -> None:
    p = page.open()
    p.wait_for_selector("body[data-timeline=ready]")
    svg = p.locator("#timeline-svg")
    box = svg.bounding_box()
    assert box is not None
    # The domain is 2017-12 .. 2018-06 (7 months): drag over the last month only.
    y = box["y"] + box["height"] / 2
    p.mouse.move(box["x"] + box["width"] - 20, y)
    p.mouse.down()
    p.mouse.move(box["x"] + box["width"] - 10, y, steps=3)
    p.mouse.up()
    wait_count(p, 4)
    assert p.input_value("#f-since") == "2018-06-01" and p.input_value("#f-until") == "2018-06-30"
    wait_markers(p, 3)  # the reinforcements are not mapped
    assert svg.get_attribute("aria-valuetext") == "2018-06 to 2018-06"
    page.shot("05-brushed")
    p.click("#brush-clear")
    wait_count(p, N_EVENTS)
    page.check_clean()


def test_actor_view_filters_by_actor(page: Page) -> None:
    p = page.open()
    p.click("#tab-actors")
    rows = p.locator("#actors-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 6
    page.shot("06-actors")
    p.get_by_role("button", name="Show only events of Military Forces of Iraq").click()
    wait_count(p, 1)
    assert p.input_value("#f-actor") == "Military Forces of Iraq"
    assert p.locator("#view-events").is_visible()
    page.check_clean()


# -- end to end: the shipped examples, through the real pipeline and the real command ------------


@contextlib.contextmanager
def serve_process(db: str) -> Iterator[tuple[str, Any]]:
    """``marsad serve --db DB`` as a real process on a free loopback port, once it answers."""
    import subprocess
    import sys

    import httpx

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "marsad.cli", "serve", "--db", db, "--port", str(port)],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/-/versions", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"marsad serve did not start: {err[-2000:]}")
            time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def examples_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``marsad ingest examples/articles`` then ``marsad serve``, as an analyst would run them."""

    import marsad

    root = Path(__file__).resolve().parents[2]
    db = str(tmp_path_factory.mktemp("examples") / "examples.db")
    with marsad.open(db) as obs:
        summary = obs.ingest([str(root / "examples" / "articles")], progress=False)
    assert summary.events > 0, summary
    with serve_process(db) as (base, _):
        yield base


def test_marsad_serve_shows_the_example_events(browser: Any, examples_server: str) -> None:
    import httpx

    geo = httpx.get(f"{examples_server}/api/events?format=geojson&limit=1000").json()
    mapped = sum(1 for f in geo["features"] if f["geometry"])
    assert mapped > 0
    page = Page(browser, examples_server)
    try:
        p = page.open()
        wait_markers(p, mapped)
        assert p.locator("#events-list li").count() == geo["total"]
        page.shot("10-examples-map")
        # Filter to one country, open its first event: its evidence is highlighted in the article.
        country = next(f["properties"]["country"] for f in geo["features"] if f["geometry"])
        p.select_option("#f-country", country)
        n = sum(1 for f in geo["features"] if f["properties"]["country"] == country)
        wait_count(p, n)
        p.locator("#events-list button").first.click()
        p.wait_for_selector("body[data-panel=ready]")
        assert p.locator("#panel mark.evidence").count() >= 1
        page.shot("11-examples-event")
        page.check_clean()
    finally:
        page.page.close()


@pytest.fixture(scope="module")
def undated_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example events plus one undated event with a long actor name, on their own server."""
    from serve_examples import example_results

    from marsad.model import Article, ArticleResult, Event, Source

    store = Store(str(tmp_path_factory.mktemp("undated") / "m.db"))
    quote = "fighters of the Syrian Democratic Forces clashed with unnamed gunmen"
    undated = Event(
        event_id="x",
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1="Military Forces of the Democratic Republic of Congo (2019-)",  # a long ACLED name
        country="Syria",
        sources=[Source("undated", "Wire", None, quote, 0, len(quote))],
    )
    store.add([*example_results(), ArticleResult(Article("undated", quote), [undated])])
    with serving(create_app(store)) as url:
        yield url
    store.close()


def test_list_is_newest_first_with_undated_events_last(browser: Any, undated_url: str) -> None:
    """Issue 20.6: an undated event is not the "newest"; dates are typed as ISO, as shown."""
    page = Page(browser, undated_url)
    try:
        p = page.open()
        whens = p.locator("#events-list .ev-item .when").all_inner_texts()
        assert len(whens) == N_EVENTS + 1 and whens[-1].startswith("date unknown")
        dates = [w.split(" · ")[0] for w in whens[:-1]]
        assert dates == sorted(dates, reverse=True)
        for field in ("#f-since", "#f-until"):  # not the browser's locale (mm/dd/yyyy)
            assert p.get_attribute(field, "type") == "text"
            assert p.get_attribute(field, "placeholder") == "YYYY-MM-DD"
        p.fill("#f-since", "2018-06-06")
        p.click("#f-apply")
        wait_count(p, 3)
        assert "since=2018-06-06" in p.url
        page.check_clean()
    finally:
        page.page.close()


def test_actor_names_are_not_wrapped_into_a_column(browser: Any, undated_url: str) -> None:
    page = Page(browser, undated_url)
    try:
        p = page.open()
        p.click("#tab-actors")
        p.wait_for_selector("#actors-table tbody tr")
        lines = p.evaluate(  # line boxes of each name's text
            "[...document.querySelectorAll('#actors-table tbody th button')].map(b => {"
            "const r = document.createRange(); r.selectNodeContents(b); "
            "return [b.textContent, new Set([...r.getClientRects()].map(x => Math.round(x.top))).size]; })"
        )
        page.shot("12-actors")
        assert len(lines) == 7
        for name, n in lines:  # "Military Forces of Syria" took two lines, the long name five
            assert n <= (1 if len(name) <= 32 else 3), (name, n)
        page.check_clean()
    finally:
        page.page.close()


def test_a_phone_sized_screen_shows_the_header_and_the_list(browser: Any, undated_url: str) -> None:
    """Issue 20.6: at 390 px the header was cut and the list hidden."""
    page = Page(browser, undated_url)
    try:
        p = page.page
        p.set_viewport_size({"width": 390, "height": 844})
        page.open()
        assert p.evaluate("document.documentElement.scrollWidth") <= 390
        for selector in (".top h1", "#status", ".top nav"):
            box = p.locator(selector).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391, (selector, box)
        first = p.locator("#events-list li").first
        first.scroll_into_view_if_needed()
        box = first.bounding_box()
        assert first.is_visible() and box is not None and box["height"] > 10
        assert p.locator("#map").bounding_box()["height"] > 200  # type: ignore[index]
        page.shot("13-phone")
        page.check_clean()
    finally:
        page.page.close()


def test_place_names_on_the_map_around_an_event_at_zoom_8(page: Page) -> None:
    """Issue 20.5: zoomed in, towns are named on the map (from this server only)."""
    requests: list[str] = []
    page.page.on("request", lambda r: requests.append(r.url))
    p = page.open()
    p.evaluate("window.marsad.map.setView([34.45, 40.92], 8, { animate: false }) && true")  # Albu Kamal
    wait_until(p, "document.body.dataset.placesView === '8@34.45,40.92'")  # drawn for this view
    assert int(p.evaluate("document.body.dataset.places")) >= 3
    names = p.locator("#map .place-label span").all_inner_texts()
    assert len(names) >= 3 and all(names)
    regions = p.locator("#map .region-label span").all_inner_texts()  # first-level divisions
    assert any("Deir" in r for r in regions), regions
    inside = p.evaluate(
        "[...document.querySelectorAll('#map .place-label')].filter(e => {"
        " const r = e.getBoundingClientRect();"
        " const m = document.querySelector('#map').getBoundingClientRect();"
        " return r.left >= m.left && r.right <= m.right && r.top >= m.top && r.bottom <= m.bottom; }).length"
    )
    assert inside >= 3
    assert all(url.startswith(page.base) or url.startswith("data:") for url in requests)
    page.shot("14-place-names")
    page.check_clean()


# -- live: an event ingested by another process appears on the open page, marked new ---------


@pytest.fixture
def live_serve(tmp_path: Path) -> Iterator[tuple[str, str, Any]]:
    """``marsad serve`` (a real process) over a database another process keeps writing to."""

    from serve_examples import example_results

    db = str(tmp_path / "live.db")
    with Store(db) as store:
        store.add(example_results())
    with serve_process(db) as (base, proc):
        yield base, db, proc


def test_an_ingested_event_appears_on_the_open_page_marked_new(
    browser: Any, live_serve: tuple[str, str, Any]
) -> None:
    import marsad
    from marsad.model import Article

    base, db, proc = live_serve
    p = Page(browser, base)
    page = p.open()
    wait_until(page, "document.body.dataset.live === 'on'")
    wait_count(page, N_EVENTS)
    page.evaluate("window.notReloaded = true")
    assert page.locator(".badge").count() == 0
    # another process (as marsad watch would) reads, extracts and stores a new report
    text = (
        "An air strike killed nine civilians in Maarat al-Numan, in Idlib province, on Tuesday, "
        "the Syrian Observatory for Human Rights said."
    )
    with marsad.open(db) as obs:
        article = Article(article_id="live-1", text=text, publisher="AFP", publish_date=date(2018, 3, 1))
        summary = obs.ingest_articles([article])
        [event] = [e for e in obs.events() if e["fatalities"] == 9]
    assert summary.events == 1
    new_id = event["event_id"]
    item = f'.ev-item[data-event-id="{new_id}"]'
    wait_until(page, f"document.querySelector('{item} .badge.new') !== null", timeout=15)
    # first in the list while new, though not the newest by date
    assert page.locator(".ev-item").first.get_attribute("data-event-id") == new_id
    assert page.evaluate("window.notReloaded") is True  # no reload: the same page
    assert page.evaluate("document.body.dataset.count") == str(N_EVENTS + 1)
    assert page.locator("#live").inner_text() == "Live: 1 new"
    status = page.locator("#status").inner_text()
    assert status.startswith(f"{N_EVENTS + 1} events") and "1 new since this page opened" in status
    # on the map, marked: its marker, or the cluster it is in at this zoom
    assert page.locator("#map .ev-marker.fresh, #map .ev-cluster.fresh").count() == 1
    # zoomed in, its own marker, outlined and pulsing
    page.evaluate(
        f"marsad.map.setView([{event['latitude']}, {event['longitude']}], 10, {{animate: false}}) && null"
    )
    marker = page.locator(f'#map .ev-marker.fresh[data-event-id="{new_id}"]')
    marker.wait_for(state="visible", timeout=10_000)
    assert marker.get_attribute("aria-label").startswith("New: ")
    assert page.locator("#map .ev-marker.fresh").count() == 1
    p.shot("live-new-event")
    # seen: opening it clears the mark, in the list and on the map
    page.locator(item).click()
    page.wait_for_selector("body[data-panel=ready]", timeout=15_000)
    assert page.locator(f"{item} .badge").count() == 0 and page.locator("#map .ev-marker.fresh").count() == 0
    assert page.locator("#live").inner_text() == "Live"
    p.check_clean()
    # the server stops with the page's stream open: it ends the stream and exits at once
    # (left to itself uvicorn waits for open streams for ever; no time is asserted: a loaded
    # machine is slow, and only a hang is a failure)
    proc.terminate()
    proc.wait(timeout=60)  # uvicorn re-raises SIGTERM once it has shut down: -15
    log = proc.stderr.read().decode()
    assert "Application shutdown complete" in log and "Traceback" not in log, log[-2000:]
    wait_until(page, "document.body.dataset.live === 'reconnecting'")
    p.page.close()


def test_the_feeds_tab_shows_each_feeds_health(browser: Any, live_serve: tuple[str, str, Any]) -> None:
    from marsad.store.monitor import Monitor

    base, db, _ = live_serve
    with Store(db) as store:
        monitor = Monitor(store)
        ok, _ = monitor.add_feed("https://news.example.org/rss", name="Example wire", every_seconds=300)
        monitor.record_poll(ok.feed_id, error=None, next_poll_at=ok.added_at)
        bad, _ = monitor.add_feed("https://down.example.org/feed", name="Down outlet", every_seconds=300)
        monitor.record_poll(bad.feed_id, error="timed out after 20 s", next_poll_at=bad.added_at)
        for n in range(3):
            monitor.mark_seen(f"k{n}", feed_id=ok.feed_id, url=None, content_hash=None, outcome="stored")
    p = Page(browser, base)
    page = p.open()
    page.locator("#tab-feeds").click()
    wait_until(page, "document.body.dataset.feeds === '2'")
    rows = page.locator("#feeds-table tbody tr")
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert "Example wire" in first and "UTC" in first and "none" in first and "3" in first
    assert "Down outlet" in second and "never" in second and "timed out after 20 s" in second
    assert rows.nth(1).get_attribute("class") == "failing"
    p.shot("live-feeds")
    p.check_clean()
    p.page.close()
