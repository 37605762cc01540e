"""The fetcher against a real HTTP server on loopback: every fault of the open web, no mocks."""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Iterator

import pytest
from read.feedserver import FeedServer, Reply, article_html, billion_laughs, endless, gzip_bomb, gzipped, rss

from marsad.model import ReadError
from marsad.read import feed
from marsad.read.fetch import USER_AGENT, Fetcher, FetchError, normalise_url


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(timeout=2.0, deadline=5.0, min_interval=0.0) as f:
        yield f


STORY = [
    "Gunmen killed three villagers in an attack on a market near Maiduguri on Monday, police said.",
    "Residents said the attackers arrived on motorcycles and set fire to several shops before fleeing.",
]


def test_user_agent_and_conditional_get(server: FeedServer, fetcher: Fetcher) -> None:
    url = server.feed("/wire.xml", [{"title": "A", "link": server.url("/a"), "description": STORY[0]}])
    first = fetcher.get(url)
    assert first.status == 200 and b"<rss" in first.body and first.etag
    again = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified
    hits = server.requests("/wire.xml")
    assert hits[0].headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("marsad/")
    assert "if-none-match" not in hits[0].headers
    assert hits[1].headers["if-none-match"] == first.etag
    assert hits[1].headers["if-modified-since"] == first.last_modified


def test_timeout_and_slow_drip_are_one_line_reasons(server: FeedServer) -> None:
    server.route("/hang", Reply(body=b"late", delay=30.0))
    server.route("/drip", Reply(body=b"x" * 200, drip=0.02))
    with Fetcher(timeout=0.5, deadline=1.0, min_interval=0.0) as f:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^timed out after 0.5 s \(read timeout\)$"):
            f.get(server.url("/hang"))
        with pytest.raises(FetchError, match=r"^took longer than 1 s to send; dropped$"):
            f.get(server.url("/drip"))
        assert time.monotonic() - started < 20.0  # far less than the 30 s the server would hang


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
def test_http_errors(server: FeedServer, fetcher: Fetcher, status: int, reason: str) -> None:
    server.route("/bad", Reply(status=status, body=b"oops"))
    with pytest.raises(FetchError) as info:
        fetcher.get(server.url("/bad"))
    assert str(info.value) == reason and info.value.status == status


def test_retry_after_is_kept(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/busy", Reply(status=503, headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as info:
        fetcher.get(server.url("/busy"))
    assert info.value.retry_after == 120.0


def test_a_100_mb_page_is_dropped_at_the_cap_without_reading_it_all(server: FeedServer) -> None:
    server.route("/huge", Reply(body=endless(100_000_000), headers={"Content-Type": "text/html"}))
    with Fetcher(max_bytes=2_000_000, min_interval=0.0) as f:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"^larger than 2 MB; dropped unread$"):
            f.get(server.url("/huge"))
        assert time.monotonic() - started < 10.0  # a hang guard, not a speed test
    # an honest Content-Length over the cap is refused before any of the body is read
    server.route("/big", Reply(body=b"y" * 3_000_000, headers={"Content-Type": "text/html"}))
    with Fetcher(max_bytes=1_000_000, min_interval=0.0) as f, pytest.raises(FetchError, match="announced"):
        f.get(server.url("/big"))


def test_a_gzip_bomb_stops_at_the_decoded_cap(server: FeedServer) -> None:
    bomb = gzip_bomb(200_000_000)  # 200 MB of zeros in about 200 kB
    assert len(bomb) < 400_000
    server.route(
        "/bomb.xml", Reply(body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"})
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux
    with Fetcher(max_bytes=5_000_000, min_interval=0.0) as f:
        with pytest.raises(
            FetchError, match=r"^larger than 5 MB once decoded \(a gzip bomb\?\); dropped unread$"
        ):
            f.get(server.url("/bomb.xml"))
        # an honest gzipped feed decodes
        server.route(
            "/ok.xml", Reply(body=gzipped(rss([{"title": "t"}])), headers={"Content-Encoding": "gzip"})
        )
        assert f.get(server.url("/ok.xml")).body.startswith(b"<?xml")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100, f"peak memory grew {grown_mb:.0f} MB on a gzip bomb"


def test_redirects_followed_loops_and_chains_refused(server: FeedServer, fetcher: Fetcher) -> None:
    server.route("/old", Reply(status=301, headers={"Location": "/new"}))
    server.route("/new", Reply(body=b"moved here", headers={"Content-Type": "text/plain"}))
    moved = fetcher.get(server.url("/old"))
    assert moved.body == b"moved here" and moved.url.endswith("/new")
    server.route("/loop/a", Reply(status=302, headers={"Location": "/loop/b"}))
    server.route("/loop/b", Reply(status=302, headers={"Location": "/loop/a"}))
    with pytest.raises(FetchError, match=r"^a redirect loop \(.*/loop/a -> .*/loop/b -> .*/loop/a\)$"):
        fetcher.get(server.url("/loop/a"))
    for i in range(8):
        server.route(f"/hop/{i}", Reply(status=307, headers={"Location": f"/hop/{i + 1}"}))
    with pytest.raises(FetchError, match=r"^more than 5 redirects"):
        fetcher.get(server.url("/hop/0"))
    assert not server.requests("/hop/7")  # it stopped counting, not fetching on


def test_robots_txt_is_read_once_and_respected(server: FeedServer, fetcher: Fetcher) -> None:
    server.page("/private/report.html", article_html("Hidden", STORY))
    server.page("/public/report.html", article_html("Open", STORY))
    with pytest.raises(FetchError, match=r"^disallowed by http://127\.0\.0\.1:\d+/robots\.txt for marsad"):
        fetcher.get(server.url("/private/report.html"))
    assert not server.requests("/private/report.html")
    assert fetcher.get(server.url("/public/report.html")).status == 200
    fetcher.get(server.url("/public/report.html"))
    assert len(server.requests("/robots.txt")) == 1
    # a robots.txt that does not exist allows everything; one that answers 500 allows nothing for now
    with FeedServer() as other, Fetcher(min_interval=0.0) as f:
        other.route("/robots.txt", Reply(status=404))
        other.page("/private/x.html", article_html("x", STORY))
        assert f.get(other.url("/private/x.html")).status == 200
    with FeedServer() as down, Fetcher(min_interval=0.0) as f:
        down.route("/robots.txt", Reply(status=500))
        down.page("/a.html", article_html("x", STORY))
        with pytest.raises(
            FetchError, match=r"^robots\.txt could not be read \(HTTP 500 Internal Server Error\)"
        ):
            f.get(down.url("/a.html"))


def test_non_utf8_pages_are_decoded_right(server: FeedServer, fetcher: Fetcher) -> None:
    text = "Des hommes armés ont tué trois villageois près de Maïduguri lundi, a déclaré la police."
    body = article_html("Attaque près de Maïduguri", [text], charset="windows-1252")
    # the charset in the HTTP header
    server.page("/fr1.html", body, charset="windows-1252")
    assert text in (fetcher.get(server.url("/fr1.html")).text() or "")
    # only in the page's <meta>
    server.route("/fr2.html", Reply(body=body, headers={"Content-Type": "text/html"}))
    assert text in (fetcher.get(server.url("/fr2.html")).text() or "")
    # a wrong header charset loses to nothing: the page is decoded by what decodes it
    ru = "Боевики убили трёх жителей деревни в понедельник, сообщила полиция."
    server.route(
        "/ru.html",
        Reply(body=("<html><body><p>" + ru * 3 + "</p></body></html>").encode("cp1251"), headers={}),
    )
    assert ru in (fetcher.get(server.url("/ru.html")).text() or "")


def test_one_host_gets_a_few_requests_at_a_time_at_a_pace(server: FeedServer) -> None:
    server.route("/slow", Reply(body=b"ok", delay=0.3))
    server.route("/fast", Reply(body=b"ok"))
    with Fetcher(per_host=2, min_interval=0.0) as f:
        f.get(server.url("/fast"))  # robots.txt read once, before the race
        threads = [threading.Thread(target=f.get, args=(server.url("/slow"),)) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert server.most_active == 2
    with Fetcher(min_interval=0.25) as f:
        for _ in range(4):
            f.get(server.url("/fast"))
    starts = [h.at for h in server.requests("/fast")][-4:]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.2, gaps


def test_feeds_that_are_not_feeds_or_are_hostile(server: FeedServer, fetcher: Fetcher) -> None:
    started = time.monotonic()
    laughs = feed.items("laughs.xml", billion_laughs())
    assert isinstance(laughs, ReadError) and laughs.reason == feed.UNSAFE
    assert time.monotonic() - started < 10.0  # an expansion would never end
    html = feed.items("page", article_html("Not a feed", STORY))
    assert isinstance(html, ReadError) and html.reason.startswith("not a readable RSS/Atom feed")
    good = feed.items("wire", rss([{"title": "T", "link": "http://x.org/a", "description": STORY[0]}]))
    assert not isinstance(good, ReadError)
    assert [(i.title, i.link, i.description) for i in good] == [("T", "http://x.org/a", STORY[0])]
    # a relative link is resolved against the feed's URL; a javascript: "link" is no link
    # (and a guid that is no URL stays no link)
    odd = rss(
        [
            {"title": "R", "link": "/world/story-1.html"},
            {"title": "J", "link": "javascript:alert(1)"},
            {"title": "G", "guid": "tag-2026-123"},
        ]
    )
    resolved = feed.items("wire", odd, base="https://news.example.org/feeds/world.xml")
    assert not isinstance(resolved, ReadError)
    assert [i.link for i in resolved] == ["https://news.example.org/world/story-1.html", None, None]
    assert resolved[2].guid == "tag-2026-123"
    # an XML document that mentions an entity in its text, not its DTD, is no threat
    safe = rss([{"title": "On XML", "link": "http://x.org/b", "description": "the <!ENTITY declaration"}])
    assert not isinstance(feed.items("xml", safe), ReadError)


def test_normalised_urls() -> None:
    assert (
        normalise_url("HTTP://Example.ORG:80/a/b?z=1&a=2&utm_source=rss#top")
        == "http://example.org/a/b?a=2&z=1"
    )
    assert normalise_url("https://example.org") == "https://example.org/"
    assert normalise_url("https://example.org:8443/x") == "https://example.org:8443/x"
    assert normalise_url("https://x.org/a?fbclid=1") == normalise_url("https://x.org/a")
