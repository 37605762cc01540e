"""/api/stream and /api/feeds over a real uvicorn on loopback (TestClient cannot hold an endless
response open): events stored while a client listens reach it, a reconnect with Last-Event-ID
misses nothing, a client that goes and a server that stops end the stream. Both backends.
"""

from __future__ import annotations

import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
import uvicorn

from marsad.model import Article, ArticleResult, Event
from marsad.serve import create_app
from marsad.serve.live import closing
from marsad.store import Store
from marsad.store.monitor import Monitor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Live:
    store: Store
    app: Any
    server: uvicorn.Server
    base: str


@pytest.fixture
def live(db_url: str) -> Iterator[Live]:
    store = Store(db_url)
    app = create_app(store, stream_poll=0.1, stream_keepalive=0.5)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield Live(store, app, server, f"http://127.0.0.1:{port}")
    closing(app).set()
    server.should_exit = True
    thread.join(timeout=10)
    store.close()


@dataclass
class Message:
    event: str
    id: str | None
    data: Any
    comment: bool = False


@dataclass
class Listener:
    """Reads an SSE response in a thread; messages arrive on ``inbox``."""

    url: str
    headers: dict[str, str] = field(default_factory=dict)
    inbox: queue.Queue[Message | None] = field(default_factory=queue.Queue)
    status: int | None = None
    content_type: str = ""

    def __post_init__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        fields: dict[str, str] = {}
        try:
            with httpx.stream("GET", self.url, headers=self.headers, timeout=10) as resp:
                self.status, self.content_type = resp.status_code, resp.headers.get("content-type", "")
                for line in resp.iter_lines():
                    if self.stop.is_set():
                        return
                    if line.startswith(":"):
                        self.inbox.put(Message("", None, line, comment=True))
                    elif line == "":
                        if "data" in fields:
                            data = json.loads(fields["data"])
                            self.inbox.put(Message(fields.get("event", "message"), fields.get("id"), data))
                        fields = {}
                    else:
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
        finally:
            self.inbox.put(None)  # the stream ended

    def next(self, timeout: float = 10.0, *, comments: bool = False) -> Message | None:
        deadline = time.monotonic() + timeout
        while True:
            msg = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
            if msg is None or comments or not msg.comment:
                return msg

    def close(self) -> None:
        self.stop.set()


def ready(listener: Listener) -> Message:
    msg = listener.next()
    assert msg is not None and msg.event == "ready", msg
    assert listener.status == 200 and listener.content_type.startswith("text/event-stream")
    return msg


def story(
    make_article: Callable[..., Article], make_event: Callable[..., Event], n: int, **kw: Any
) -> ArticleResult:
    place = ["Raqqa", "Homs", "Hama", "Daraa", "Idlib"][n]
    event = make_event(f"s{n}", location=place, admin1=place, event_date=f"2018-05-0{n + 1}",
                       latitude=35.0 + n / 10, longitude=38.0 + n / 10, **kw)  # fmt: skip
    return ArticleResult(make_article(f"s{n}", publish_date=date(2018, 5, n + 1)), [event])


def test_events_stored_while_listening_arrive_added_then_updated(
    live: Live, make_article: Callable[..., Article], make_event: Callable[..., Event]
) -> None:
    listener = Listener(f"{live.base}/api/stream?fields=event_id,location,fatalities,n_sources")
    start = ready(listener)
    assert start.data == {"cursor": start.id}
    live.store.add([story(make_article, make_event, 0, fatalities=7)])
    msg = listener.next()
    assert msg is not None and msg.event == "added" and msg.data["kind"] == "added"
    feature = msg.data["feature"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [38.0, 35.0]}
    assert feature["properties"] == {
        "event_id": feature["id"],
        "location": "Raqqa",
        "fatalities": 7,
        "n_sources": 1,
    }
    # the page's list gets the same event from /api/events; its cursor is the stream's position
    listed = httpx.get(f"{live.base}/api/events").json()
    assert [e["event_id"] for e in listed["events"]] == [feature["id"]]
    assert msg.id is not None and listed["cursor"] == msg.id.split("-")[0]  # all of that change seen
    # a second source for the same event, with a higher toll
    later = make_article("s0-later", publish_date=date(2018, 5, 3))
    live.store.add([ArticleResult(later, [make_event("s0-later", location="Raqqa", admin1="Raqqa",
                    event_date="2018-05-01", latitude=35.0, longitude=38.0, fatalities=9)])])  # fmt: skip
    msg = listener.next()
    assert msg is not None and msg.event == "updated"
    assert (
        msg.data["feature"]["properties"]["fatalities"] == 9
        and msg.data["feature"]["properties"]["n_sources"] == 2
    )
    # idle: keep-alive comments, at the app's interval (0.5 s here)
    comment = listener.next(3.0, comments=True)
    assert comment is not None and comment.comment and "keep-alive" in comment.data
    listener.close()


def test_last_event_id_resumes_without_a_gap_and_filters_apply(
    live: Live, make_article: Callable[..., Article], make_event: Callable[..., Event]
) -> None:
    first = Listener(f"{live.base}/api/stream")
    position = ready(first).id
    assert position is not None
    first.close()
    # stored while no one listens
    live.store.add([story(make_article, make_event, 1), story(make_article, make_event, 2)], batch_size=1)
    again = Listener(f"{live.base}/api/stream", headers={"Last-Event-ID": position})
    assert ready(again).id == position
    got = [again.next(), again.next()]
    assert [m.event for m in got if m] == ["added", "added"]
    assert [m.data["feature"]["properties"]["location"] for m in got if m] == ["Homs", "Hama"]
    assert got[0] and got[1] and got[0].id != got[1].id
    again.close()
    # ``after`` is where the URL starts; Last-Event-ID (the browser's reconnect) wins over it
    assert got[0] is not None and got[0].id is not None
    late = Listener(f"{live.base}/api/stream?after={got[0].id}")
    ready(late)
    msg = late.next()
    assert msg is not None and msg.data["feature"]["properties"]["location"] == "Hama"
    late.close()
    # the filters of /api/events: an Iraqi stream does not hear of Syria
    iraq = Listener(f"{live.base}/api/stream?country=Iraq")
    ready(iraq)
    live.store.add([story(make_article, make_event, 3)])
    mosul = make_event("m1", location="Mosul", admin1="Nineveh", country="Iraq", iso3="IRQ",
                       latitude=36.335, longitude=43.11889, event_date="2018-07-01")  # fmt: skip
    live.store.add([ArticleResult(make_article("m1", publish_date=date(2018, 7, 1)), [mosul])])
    msg = iraq.next()
    assert msg is not None and msg.data["feature"]["properties"]["location"] == "Mosul"
    iraq.close()


def test_bad_positions_and_parameters_are_refused(live: Live) -> None:
    resp = httpx.get(f"{live.base}/api/stream?after=yesterday")
    assert resp.status_code == 422 and "not a stream position" in resp.json()["error"]["message"]
    resp = httpx.get(f"{live.base}/api/stream?contry=Syria")
    assert resp.status_code == 400
    # a browser's garbled Last-Event-ID is not its fault: the stream starts from now
    listener = Listener(f"{live.base}/api/stream", headers={"Last-Event-ID": "garbage"})
    ready(listener)
    listener.close()


def test_a_client_that_goes_and_a_server_that_stops_end_the_stream(live: Live) -> None:
    def wait_open(n: int) -> None:
        deadline = time.monotonic() + 5
        while live.app.state.streams_open != n:
            assert time.monotonic() < deadline, f"{live.app.state.streams_open} streams open, not {n}"
            time.sleep(0.05)

    gone = Listener(f"{live.base}/api/stream")
    ready(gone)
    wait_open(1)
    gone.close()  # the reader stops at its next line: a keep-alive within 0.5 s
    wait_open(0)
    stays = Listener(f"{live.base}/api/stream")
    ready(stays)
    wait_open(1)
    started = time.monotonic()
    closing(live.app).set()  # what marsad serve does on SIGTERM / Ctrl-C
    assert stays.next(5.0, comments=True) is None  # the response ends
    wait_open(0)
    assert time.monotonic() - started < 20  # a hang guard, not a speed test


def test_feeds_lists_each_feed_with_its_health(live: Live) -> None:
    assert httpx.get(f"{live.base}/api/feeds").json() == {"feeds": []}
    monitor = Monitor(live.store)
    feed, _ = monitor.add_feed("https://example.org/wire.xml", name="wire", every_seconds=60)
    monitor.record_poll(feed.feed_id, error="HTTP 500 Internal Server Error", next_poll_at=feed.added_at)
    monitor.mark_seen(
        "k1", feed_id=feed.feed_id, url="https://example.org/1", content_hash=None, outcome="stored"
    )
    [row] = httpx.get(f"{live.base}/api/feeds").json()["feeds"]
    assert row["name"] == "wire" and row["url"] == "https://example.org/wire.xml"
    assert row["last_error"] == "HTTP 500 Internal Server Error" and row["last_error_at"]
    assert row["last_success_at"] is None and row["failures"] == 1 and row["items_per_day"] == 1.0
    assert httpx.get(f"{live.base}/api/feeds?x=1").status_code == 400
