"""marsad watch against real feeds on loopback: new items between polls, every fault a feed can
have (each a one-line reason in that feed's health while the others go on), alerts to a file,
a webhook and an SMTP server, and a kill -9 in the middle of a cycle.

The articles are short wire-style sentences written for these tests, so that events really
are extracted (the spaCy model loads once for the process).
"""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from read.feedserver import FeedServer, Reply, article_html, billion_laughs, endless, gzip_bomb

import marsad
from marsad.api import Observatory
from marsad.cli import main
from marsad.export.alerts import parse_alerts
from marsad.read import feed as feed_reader
from marsad.read.fetch import Fetcher
from marsad.store.monitor import Monitor
from marsad.watch import Watcher

REPO = Path(marsad.__file__).resolve().parent.parent

# One sentence each, about different places and days, so that each is its own event.
STORIES = {
    "maiduguri": (
        "Gunmen kill villagers",
        "Gunmen killed three villagers in Maiduguri, Borno State, on Monday, police said.",
    ),
    "kandahar": (
        "Bomb kills soldiers",
        "A roadside bomb killed five soldiers near Kandahar on Tuesday, Afghan officials said.",
    ),
    "idlib": (
        "Air strike",
        "An air strike killed twelve civilians in Idlib on Sunday, the Syrian Observatory said.",
    ),
    "mogadishu": (
        "Car bomb",
        "A car bomb killed four people outside a hotel in Mogadishu on Saturday, police said.",
    ),
    "gao": (
        "Ambush",
        "Jihadists ambushed an army convoy near Gao on Friday, killing six soldiers, officials said.",
    ),
    "juba": (
        "Cattle raid",
        "Armed cattle raiders killed eight herders near Juba on Thursday, local officials said.",
    ),
}
PUBLISHED = "Tue, 08 Dec 2026 10:00:00 GMT"


def item(server: FeedServer, key: str, *, published: str = PUBLISHED, **kw: Any) -> dict[str, str]:
    title, sentence = STORIES[key]
    server.page(f"/news/{key}.html", article_html(title, [sentence]))
    return {"title": title, "link": server.url(f"/news/{key}.html"), "description": sentence,
            "pubDate": published, **kw}  # fmt: skip


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as s:
        yield s


@pytest.fixture
def obs(tmp_path: Path) -> Iterator[Observatory]:
    with marsad.open(str(tmp_path / "watch.db")) as o:
        yield o


def fetcher(**kw: Any) -> Fetcher:
    return Fetcher(**{"timeout": 1.0, "deadline": 3.0, "min_interval": 0.0, "max_bytes": 2_000_000, **kw})


def articles(obs: Observatory) -> int:
    from marsad.store.write import count_articles

    with obs.store.engine.connect() as conn:
        return count_articles(conn)


def test_new_items_between_polls_repeats_and_restarts(server: FeedServer, obs: Observatory) -> None:
    url = server.feed("/wire.xml", [item(server, "maiduguri"), item(server, "kandahar")])
    obs.add_feed(url, name="wire", every="1s")
    lines: list[str] = []
    watcher = Watcher(obs, fetcher=fetcher(), log=lines.append)
    first = watcher.cycle(every_feed=True)
    assert (first.polled, first.new_items, first.articles, first.errors) == (1, 2, 2, 0)
    assert first.events == 2 and obs.count_events() == 2
    assert lines[-1].startswith(
        "marsad watch: cycle 1: 1 feeds polled (0 not modified, 0 failed), 2 new items"
    )
    # nothing new: the server answers 304 to the ETag kept from the first poll
    second = watcher.cycle(every_feed=True)
    assert (second.polled, second.not_modified, second.new_items) == (1, 1, 0)
    assert server.requests("/wire.xml")[-1].headers["if-none-match"]
    # a new item, the old ones repeated and reordered, one twice
    server.feed(
        "/wire.xml",
        [item(server, "kandahar"), item(server, "idlib"), item(server, "maiduguri"), item(server, "idlib")],
    )
    third = watcher.cycle(every_feed=True)
    assert (third.new_items, third.articles) == (1, 1)
    assert articles(obs) == 3 and obs.count_events() == 3
    # a restart (a new watcher on the same store) reads nothing again, even without the ETag
    server.feed("/wire.xml", [item(server, "idlib"), item(server, "kandahar"), item(server, "maiduguri")])
    again = Watcher(obs, fetcher=fetcher(), log=lines.append).cycle(every_feed=True)
    assert (again.new_items, again.articles) == (0, 0) and articles(obs) == 3
    [health] = obs.feeds()
    assert health["items_seen"] == 3 and health["last_error"] is None and health["items_per_day"] == 3.0
    # another feed carries the same story under another URL: the same text is not stored twice
    title, sentence = STORIES["idlib"]
    mirror_page = server.page("/mirror/strike.html", article_html(title, [sentence]))
    mirror = server.feed("/mirror.xml", [{"title": title, "link": mirror_page, "pubDate": PUBLISHED}])
    obs.add_feed(mirror, name="mirror", every="1s")
    copied = Watcher(obs, fetcher=fetcher(), log=lines.append).cycle(every_feed=True)
    assert (copied.new_items, copied.articles, copied.events) == (1, 0, 0) and articles(obs) == 3
    assert {f["name"]: f["items_seen"] for f in obs.feeds()} == {"wire": 3, "mirror": 1}
    # the page's main text was read, not the feed's summary: the footer and menu are not in it
    stored = obs.article(f"127.0.0.1-{server.port}-news-idlib.html")
    assert stored is not None and "air strike killed twelve civilians" in stored["text"]
    assert "Copyright" not in stored["text"] and "Sport" not in stored["text"]


def test_every_fault_is_one_line_in_its_feed_health_and_the_others_go_on(
    server: FeedServer, obs: Observatory
) -> None:
    # the good feed, whose items have their own faults
    good_items = [
        item(server, "maiduguri"),
        {
            "title": "No link",
            "description": STORIES["mogadishu"][1],
            "guid": "wire-no-link-1",
            "pubDate": PUBLISHED,
        },
        {
            **item(server, "gao"),
            "link": server.url("/news/huge.html"),
        },  # a 100 MB page: the description is read
        {**item(server, "juba"), "link": server.url("/news/gone.html")},  # a 404 page: likewise
        {"title": "Winds", "link": server.url("/news/cp1252.html"), "pubDate": PUBLISHED},  # non-UTF-8 page
    ]
    server.route("/news/huge.html", Reply(body=endless(100_000_000), headers={"Content-Type": "text/html"}))
    sentence = (
        "Gunmen killed four farmers near Kandahar on Sunday \u2014 the district\u2019s police chief said."
    )
    server.route(
        "/news/cp1252.html",
        Reply(
            body=article_html("Farmers killed", [sentence], charset="windows-1252"),
            headers={"Content-Type": "text/html"},
        ),
    )
    feeds = {
        "good": server.feed("/good.xml", good_items),
        "missing": server.url("/missing.xml"),
        "broken": server.route("/broken.xml", Reply(status=500, body=b"oops")),
        "html": server.page("/html.xml", article_html("Home", ["Welcome to our site."])),
        "laughs": server.route(
            "/laughs.xml", Reply(body=billion_laughs(), headers={"Content-Type": "text/xml"})
        ),
        "bomb": server.route(
            "/bomb.xml",
            Reply(
                body=gzip_bomb(100_000_000), headers={"Content-Encoding": "gzip", "Content-Type": "text/xml"}
            ),
        ),
        "slow": server.route("/slow.xml", Reply(body=b"<rss/>", delay=2.5)),
        "loop": server.route("/loop.xml", Reply(status=302, headers={"Location": "/loop2.xml"})),
        "huge": server.route(
            "/huge.xml", Reply(body=endless(100_000_000), headers={"Content-Type": "text/xml"})
        ),
        "private": server.url("/private/feed.xml"),
    }
    server.route("/loop2.xml", Reply(status=302, headers={"Location": "/loop.xml"}))
    for name, url in feeds.items():
        obs.add_feed(url, name=name, every="1s")
    lines: list[str] = []
    watcher = Watcher(obs, fetcher=fetcher(), log=lines.append)
    started = time.monotonic()
    stats = watcher.cycle()
    assert time.monotonic() - started < 60  # a hang guard, not a speed test
    health = {f["name"]: f for f in obs.feeds()}
    expected = {
        "missing": "HTTP 404 Not Found",
        "broken": "HTTP 500 Internal Server Error",
        "html": "not a readable RSS/Atom feed",
        "laughs": "declares XML entities (<!ENTITY>), refused unparsed",
        "bomb": "larger than 2 MB once decoded (a gzip bomb?); dropped unread",
        "slow": "timed out after 1 s (read timeout)",
        "loop": "a redirect loop (",
        "huge": "larger than 2 MB; dropped unread",
        "private": "disallowed by http://127.0.0.1",
    }
    for name, start in expected.items():
        error = health[name]["last_error"]
        assert error is not None and error.startswith(start), (name, error)
        assert "\n" not in error and health[name]["failures"] == 1 and health[name]["last_success_at"] is None
        assert any(line == f"marsad watch: feed {name}: {error}" for line in lines)
    assert health["good"]["last_error"] is None and health["good"]["items_seen"] == 5
    assert stats.failed == len(expected) and stats.new_items == 5 and stats.articles == 5
    # items: the page's text when it has one, else the description; the cp1252 page decoded right
    texts = {a: obs.article(a) for a in ("wire-no-link-1", f"127.0.0.1-{server.port}-news-huge.html")}
    assert all(t is not None for t in texts.values())
    assert texts["wire-no-link-1"]["text"] == STORIES["mogadishu"][1]  # type: ignore[index]
    assert texts[f"127.0.0.1-{server.port}-news-huge.html"]["text"] == STORIES["gao"][1]  # type: ignore[index]
    farmers = obs.article(f"127.0.0.1-{server.port}-news-cp1252.html")
    assert farmers is not None and sentence in farmers["text"]
    assert any(e["location"] == "Mogadishu" for e in obs.events())  # the linkless item's event
    # failing feeds back off (2 s after one failure): a cycle 1 s later polls only the good one
    hits = {name: len(server.requests(url.removeprefix(server.base))) for name, url in feeds.items()}
    time.sleep(1.1)
    second = watcher.cycle()
    assert second.polled == 1 and second.not_modified == 1
    assert server.requests("/broken.xml").__len__() == hits["broken"]


def rules(tmp_path: Path, server: FeedServer, smtp_port: int) -> dict[str, Any]:
    return {
        "delivery": {
            "map_url": "https://observatory.example.org/",
            "stdout": True,
            "file": str(tmp_path / "alerts.jsonl"),
            "webhook": server.url("/hook"),
            "email": {
                "host": "127.0.0.1",
                "port": smtp_port,
                "from": "marsad@example.org",
                "to": ["desk@example.org"],
            },
        },
        "alert": [
            {"name": "nigeria", "country": "Nigeria", "on": ["new", "toll"]},
            {"name": "near-kandahar", "lat": 31.61, "lon": 65.71, "radius_km": 50},
            {"name": "deadly-syria", "country": "SYR", "min_fatalities": 20},
        ],
    }


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[Any]]]:
    """A real SMTP server (aiosmtpd) on loopback that keeps what it receives."""
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    received: list[Any] = []

    class Keep:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = controller_mod.Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()


def test_alerts_once_per_event_and_rule_and_again_when_the_toll_rises(
    server: FeedServer, obs: Observatory, tmp_path: Path, smtp: tuple[int, list[Any]]
) -> None:
    smtp_port, mails = smtp
    config = parse_alerts(rules(tmp_path, server, smtp_port))
    url = server.feed(
        "/wire.xml", [item(server, "maiduguri"), item(server, "kandahar"), item(server, "idlib")]
    )
    obs.add_feed(url, name="wire", every="1s")
    out = io.StringIO()
    server.post_statuses = [500, 503]  # the webhook fails twice, then takes the alert
    watcher = Watcher(obs, alerts=config, fetcher=fetcher(), log=lambda _: None, stdout=out)
    first = watcher.cycle(every_feed=True)
    assert first.alerts == 2  # Nigeria, and the bomb near Kandahar; Idlib's 12 dead are under 20
    sent = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sorted(a["rule"] for a in sent) == ["near-kandahar", "nigeria"]
    nigeria = next(a for a in sent if a["rule"] == "nigeria")
    assert (
        nigeria["kind"] == "new"
        and nigeria["fatalities"] == 3
        and nigeria["event"]["location"] == "Maiduguri"
    )
    assert nigeria["url"] == f"https://observatory.example.org/?event={nigeria['event']['event_id']}"
    [source] = nigeria["event"]["sources"]
    assert source["quote"] == STORIES["maiduguri"][1] and source["claimant"] == "police"
    # the same alerts in the file, at the webhook (after its retries) and by e-mail
    in_file = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert [a["alert_id"] for a in in_file] == [a["alert_id"] for a in sent]
    assert sorted(json.loads(body)["alert_id"] for _, _, body in server.posts) == sorted(
        a["alert_id"] for a in sent
    )
    assert {h["idempotency-key"] for _, h, _ in server.posts} == {a["alert_id"] for a in sent}
    assert len(mails) == 2 and all(m.rcpt_tos == ["desk@example.org"] for m in mails)
    parsed = [email.message_from_bytes(m.content, policy=email.policy.default) for m in mails]
    mail = next(m for m in parsed if "Maiduguri" in m["Subject"])
    assert mail["Subject"] == "[marsad nigeria] new: Attack in Maiduguri, 3 killed"
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert f'police: "{STORIES["maiduguri"][1]}"' in text and nigeria["url"] in text
    # a second source raises the toll (the police's later figure): one update, for that rule only
    later = "Gunmen killed seven villagers in Maiduguri, Borno State, on Monday, police said."
    server.page("/news/update.html", article_html("Toll rises", [later]))
    server.feed(
        "/wire.xml",
        [
            {
                "title": "Toll rises",
                "link": server.url("/news/update.html"),
                "pubDate": "Wed, 09 Dec 2026 09:00:00 GMT",
            }
        ],
    )
    update = watcher.cycle(every_feed=True)
    assert update.alerts == 1
    toll = json.loads(out.getvalue().splitlines()[-1])
    assert (toll["rule"], toll["kind"], toll["previous_fatalities"], toll["fatalities"]) == (
        "nigeria",
        "toll",
        3,
        7,
    )
    assert toll["event"]["event_id"] == nigeria["event"]["event_id"] and len(toll["event"]["sources"]) == 2
    assert len(mails) == 3 and len((tmp_path / "alerts.jsonl").read_text().splitlines()) == 3
    # nothing is sent twice: another watcher over the same store finds every alert made
    Watcher(obs, alerts=config, fetcher=fetcher(), log=lambda _: None, stdout=out).cycle(every_feed=True)
    assert len(out.getvalue().splitlines()) == 3 and Monitor(obs.store).counts()["undelivered"] == 0


def test_feeds_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    added = runner.invoke(
        main, ["feeds", "add", "http://127.0.0.1:9/a.xml", "--name", "a", "--every", "2m", "--db", db]
    )
    assert added.exit_code == 0, added.output
    assert "every 120 s" in added.output
    toml = tmp_path / "feeds.toml"
    toml.write_text(
        '[[feed]]\nurl = "http://127.0.0.1:9/b.xml"\nname = "b"\nevery = "10s"\n\n[[feed]]\nurl = "http://127.0.0.1:9/a.xml"\n'
    )
    imported = runner.invoke(main, ["feeds", "import", str(toml), "--db", db])
    assert imported.exit_code == 0 and "1 feed added, 1 updated" in imported.output
    listed = runner.invoke(main, ["feeds", "list", "--db", db, "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [(r["name"], r["every_seconds"]) for r in rows] == [("http://127.0.0.1:9/a.xml", 300), ("b", 10)]
    table = runner.invoke(main, ["feeds", "list", "--db", db])
    assert "last success never" in table.output and "0 items seen" in table.output
    assert runner.invoke(main, ["feeds", "remove", "b", "--db", db]).exit_code == 0
    missing = runner.invoke(main, ["feeds", "remove", "b", "--db", db])
    assert missing.exit_code == 1 and "no feed with the URL or name 'b'" in missing.output
    bad = runner.invoke(main, ["feeds", "add", "http://x.org/f", "--every", "soon", "--db", db])
    assert bad.exit_code == 2 and "'soon' is not an interval" in bad.output
    nothing = runner.invoke(main, ["watch", "--once", "--db", str(tmp_path / "empty.db")])
    assert nothing.exit_code == 1 and "no feeds to watch; add one with marsad feeds add URL" in nothing.output
    rules = tmp_path / "alerts.toml"
    rules.write_text('[[alert]]\nname = "x"\nevent_types = ["Bombing"]\n')
    wrong_rule = runner.invoke(main, ["watch", "--once", "--alerts", str(rules), "--db", db])
    assert wrong_rule.exit_code == 1
    assert (
        "alert 1 (x): event_types: 'Bombing' is not in ACLED's taxonomy; use one of: Battles"
        in wrong_rule.output
    )
    toml.write_text('[[feed]]\nurl = "ftp://x.org/f"\n')
    wrong = runner.invoke(main, ["feeds", "import", str(toml), "--db", db])
    assert wrong.exit_code == 1 and "feed 1: url: give an http(s) URL" in wrong.output


def _count(db: Path, table: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_kill_9_mid_cycle_then_restart_loses_and_repeats_nothing(server: FeedServer, tmp_path: Path) -> None:
    # slow pages: the watcher is surely in the middle of the cycle when it is killed
    entries = []
    for n, key in enumerate(STORIES):
        entry = item(server, key)
        server.routes[f"/news/{key}.html"].delay = 0.3 * (n + 1)  # the articles come in one by one
        entries.append(entry)
    server.feed("/wire.xml", entries)
    (tmp_path / "feeds.toml").write_text(f'[[feed]]\nurl = "{server.url("/wire.xml")}"\nname = "wire"\n')
    alerts_file = tmp_path / "alerts.jsonl"
    (tmp_path / "alerts.toml").write_text(
        f'[delivery]\nstdout = false\nfile = "{alerts_file}"\n\n[[alert]]\nname = "everything"\n'
    )
    db = tmp_path / "kill.db"
    cmd = [sys.executable, "-c", "from marsad.cli import main; main()", "watch", "--db", str(db)]
    cmd += ["--feeds", str(tmp_path / "feeds.toml"), "--alerts", str(tmp_path / "alerts.toml")]
    cmd += ["--every", "1s", "--host-interval", "0"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), *sys.path])}
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _count(db, "articles") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _count(db, "articles") >= 2, "the watcher stored nothing in 60 s"
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    cut = _count(db, "articles")
    assert cut < len(STORIES), "killed too late to test anything"
    second = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while _count(db, "feed_items") < len(STORIES) and time.monotonic() < deadline:
            time.sleep(0.1)
        # SIGTERM: the article in hand is finished, then the watcher exits cleanly
        second.send_signal(signal.SIGTERM)
        _, err = second.communicate(timeout=30)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, err
    assert "SIGTERM: finishing the article in hand" in err
    assert _count(db, "articles") == len(STORIES) == _count(db, "feed_items")
    events = _count(db, "events")
    assert events == len(STORIES)
    lines = [json.loads(line) for line in alerts_file.read_text().splitlines()]
    assert len(lines) == len({a["alert_id"] for a in lines}) == _count(db, "alerts") == events
    with sqlite3.connect(db) as conn:
        undelivered = conn.execute(
            "SELECT count(*) FROM alert_deliveries WHERE delivered_at IS NULL"
        ).fetchone()[0]
    assert undelivered == 0


class Death(BaseException):
    """The process dying at that point (not an error the watcher could catch and go on from)."""


@pytest.mark.parametrize("window", ["mark_seen", "delivered"])
def test_death_in_the_worst_window_loses_and_repeats_nothing(
    window: str, server: FeedServer, obs: Observatory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deterministic companion of the kill -9 test: die right before the item is marked seen
    (its events and alerts committed), or right after an alert reached the file but before
    its delivery was recorded; the next run must neither lose nor repeat anything."""
    url = server.feed("/wire.xml", [item(server, "maiduguri"), item(server, "kandahar")])
    obs.add_feed(url, name="wire", every="1s")
    alerts_file = tmp_path / "alerts.jsonl"
    config = parse_alerts(
        {"delivery": {"stdout": False, "file": str(alerts_file)}, "alert": [{"name": "all"}]}
    )

    def die(self: Monitor, *args: Any, **kw: Any) -> None:
        raise Death

    with monkeypatch.context() as patch:
        patch.setattr(Monitor, window, die)
        with pytest.raises(Death):
            Watcher(obs, alerts=config, fetcher=fetcher(), log=lambda _: None).cycle(every_feed=True)
    assert articles(obs) == 1  # the first article was stored before the death
    Watcher(obs, alerts=config, fetcher=fetcher(), log=lambda _: None).cycle(every_feed=True)
    m = Monitor(obs.store)
    assert articles(obs) == 2 and obs.count_events() == 2
    assert m.counts()["items"] == 2
    lines = [json.loads(line) for line in alerts_file.read_text().splitlines()]
    assert len(lines) == len({a["alert_id"] for a in lines}) == m.counts()["alerts"] == 2
    assert m.counts()["undelivered"] == 0


def test_item_article_falls_back_to_the_description() -> None:
    entry = feed_reader.Item(
        guid="g1", link=None, title="T", published=None, description=STORIES["gao"][1], publisher="Wire"
    )
    article = feed_reader.item_article(
        entry, "<html><body><nav>Home</nav></body></html>", article_id="g1", source="s"
    )
    assert not isinstance(article, feed_reader.ReadError) and article.text == STORIES["gao"][1]
    empty = feed_reader.Item(guid="g2", link=None, title="T", published=None, description="", publisher=None)
    assert isinstance(
        feed_reader.item_article(empty, None, article_id="g2", source="s"), feed_reader.ReadError
    )


def test_the_toml_examples_of_the_docs_load(tmp_path: Path) -> None:
    import re

    from marsad.export.alerts import load_alerts
    from marsad.watch import load_feeds

    blocks = re.findall(r"```toml\n(.*?)```", (REPO / "docs" / "watch.md").read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 2
    (tmp_path / "feeds.toml").write_text(blocks[0])
    (tmp_path / "alerts.toml").write_text(blocks[1])
    assert [f.every for f in load_feeds(tmp_path / "feeds.toml")] == [300.0, 600.0]
    config = load_alerts(tmp_path / "alerts.toml")
    assert [r.name for r in config.rules] == ["idlib-deadly", "near-the-camp", "sahel-battles"]
    assert config.delivery.email is not None and config.delivery.email.password_env == "MARSAD_SMTP_PASSWORD"
