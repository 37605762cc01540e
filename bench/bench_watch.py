"""Benchmark of ``marsad watch``: from an item's appearance in a feed to its event and its alert.

    python bench/bench_watch.py                          # 50 feeds, 1,000 items, --every 10s
    python bench/bench_watch.py --feeds 5 --items 60     # a quick run
    nice -n 10 python bench/bench_watch.py --json bench/out/watch.json

Serves ``--feeds`` RSS feeds on loopback, each on its own address (127.0.0.2, 127.0.0.3, ...:
one host per outlet, so the fetcher's pace per host is the real one), with the test suite's
feed server (tests/read/feedserver.py). Over the run it publishes ``--items`` new items, each
linking to an article page of one or two short conflict sentences made from the templates
below, to a random feed (a feed shows its newest 30 items). Then it runs, as separate
processes, what a user runs:

    marsad watch --db DB --every 10s --alerts rules.toml    # one rule matching every event
    marsad serve --db DB --port P

and measures over real HTTP:

* the latency from an item's appearance in its feed to its event in ``/api/events`` (the
  first event whose sources include the item's article), median and p95;
* the latency to its alert in the rules' alert file (JSON lines), median and p95, for the items
  that made one (an alert is counted for its newest source: an item that joins a known event
  without raising its toll makes none);
* the watcher's resident memory (VmRSS) once it has dealt with 100 items and with all of them.

The issue's targets (issue 21): with ``--every 10s``, p95 <= 30 s, and the RSS after 1,000
items within 10 % of that after 100. All traffic stays on the loopback interface.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "read"))

from feedserver import FeedServer, article_html  # noqa: E402

from marsad.read.feed import safe_id  # noqa: E402

# (town, region) pairs the gazetteer knows, from the conflicts such monitors follow.
PLACES = [
    ("Idlib", "Idlib province"),
    ("Maarat al-Numan", "Idlib province"),
    ("Aleppo", "northern Syria"),
    ("Homs", "central Syria"),
    ("Hama", "central Syria"),
    ("Daraa", "southern Syria"),
    ("Raqqa", "northern Syria"),
    ("Deir ez-Zor", "eastern Syria"),
    ("Mosul", "Nineveh province"),
    ("Kirkuk", "northern Iraq"),
    ("Tikrit", "Salahuddin province"),
    ("Fallujah", "Anbar province"),
    ("Kandahar", "southern Afghanistan"),
    ("Kunduz", "northern Afghanistan"),
    ("Ghazni", "eastern Afghanistan"),
    ("Jalalabad", "Nangarhar province"),
    ("Maiduguri", "Borno State"),
    ("Damaturu", "Yobe State"),
    ("Gao", "northern Mali"),
    ("Mopti", "central Mali"),
    ("Mogadishu", "Somalia"),
    ("Kismayo", "southern Somalia"),
    ("Baidoa", "Somalia"),
    ("Bentiu", "Unity State"),
    ("Malakal", "Upper Nile State"),
    ("Taiz", "Yemen"),
    ("Hodeidah", "Yemen"),
    ("Marib", "Yemen"),
    ("Benghazi", "eastern Libya"),
    ("Sirte", "Libya"),
    ("Goma", "North Kivu"),
    ("Beni", "North Kivu"),
    ("Bunia", "Ituri province"),
    ("Kharkiv", "eastern Ukraine"),
    ("Kherson", "southern Ukraine"),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = [
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "11",
    "12",
    "14",
    "17",
    "23",
]
SAYERS = [
    "police said",
    "local officials said",
    "a hospital source said",
    "the army said in a statement",
    "residents said",
    "a monitoring group said",
    "the provincial governor said",
]
# {n} dead, {town}, {region}, {day}, {who}: one sentence each, the way wire copy puts it.
TEMPLATES = [
    "An air strike killed {n} civilians in {town}, {region}, on {day}, {who}.",
    "A roadside bomb killed {n} soldiers near {town} on {day}, {who}.",
    "Gunmen killed {n} villagers on the outskirts of {town}, {region}, on {day}, {who}.",
    "A suicide bomber killed {n} people at a crowded market in {town} on {day}, {who}.",
    "Shelling killed {n} civilians and wounded dozens in {town} on {day}, {who}.",
    "Militants attacked an army checkpoint near {town} on {day}, killing {n} soldiers, {who}.",
    "Clashes between government forces and insurgents in {town} left {n} fighters dead on {day}, {who}.",
    "A drone strike on a vehicle near {town}, {region}, killed {n} militants on {day}, {who}.",
    "A car bomb exploded outside a police station in {town} on {day}, killing {n} people, {who}.",
    "Armed men abducted and later killed {n} farmers near {town} on {day}, {who}.",
]
FOLLOW_UPS = [
    "Rescue workers were still searching the rubble on {day} evening.",
    "No group immediately claimed responsibility for the attack.",
    "The wounded were taken to the main hospital in {town}.",
    "It was the deadliest attack in the area this month.",
    "",
]


@dataclass
class Item:
    n: int
    feed: int
    url: str
    article_id: str
    title: str
    text: str
    published: float = 0.0  # monotonic time it appeared in its feed
    event_at: float | None = None
    alert_at: float | None = None


def story(rng: random.Random) -> tuple[str, str]:
    town, region = rng.choice(PLACES)
    values = {"n": rng.choice(NUMBERS), "town": town, "region": region, "day": rng.choice(DAYS)}
    values["who"] = rng.choice(SAYERS)
    first = rng.choice(TEMPLATES).format(**values)
    second = rng.choice(FOLLOW_UPS).format(**values)
    title = first.split(",")[0].split(" on ")[0][:80]
    return title, " ".join(p for p in (first, second) if p)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def latency(seconds: list[float]) -> dict[str, float] | None:
    """Median, p95 and worst of a list of latencies (None for none)."""
    if not seconds:
        return None
    return {
        "median": round(statistics.median(seconds), 1),
        "p95": round(pct(seconds, 0.95), 1),
        "max": round(max(seconds), 1),
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def marsad(*args: str) -> list[str]:
    return [sys.executable, "-m", "marsad.cli", *args]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--every", default="10s", help="marsad watch --every (default 10s)")
    ap.add_argument("--rate", type=float, default=2.0, help="items published a second on average (default 2)")
    ap.add_argument("--drain", type=float, default=120.0, help="seconds to wait after the last item")
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument("--keep", help="keep the database and logs in this directory")
    args = ap.parse_args()
    if not 1 <= args.feeds <= 250:
        ap.error("--feeds: 1 to 250 (one loopback address each)")
    rng = random.Random(args.seed)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="marsad-bench-watch-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "watch.db"
    for old in (db, work / "alerts.jsonl"):
        old.unlink(missing_ok=True)
    alerts_file = work / "alerts.jsonl"
    rules = work / "rules.toml"
    rules.write_text(
        f'[delivery]\nstdout = false\nfile = "{alerts_file}"\n\n[[alert]]\nname = "everything"\n',
        encoding="utf-8",
    )

    servers = [FeedServer(host=f"127.0.0.{i + 2}").__enter__() for i in range(args.feeds)]
    shown: list[list[dict[str, str]]] = [[] for _ in servers]
    for server in servers:
        server.feed("/rss.xml", [])
    import marsad as api

    with api.open(str(db)) as obs:
        for i, server in enumerate(servers):
            obs.add_feed(server.url("/rss.xml"), name=f"outlet-{i + 1}", every=args.every)

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    watch_log = (work / "watch.log").open("w")
    serve_log = (work / "serve.log").open("w")
    serve = subprocess.Popen(
        marsad("serve", "--db", str(db), "--port", str(port)), env=env, stdout=serve_log, stderr=serve_log
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/-/versions", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if serve.poll() is not None or time.monotonic() > deadline:
            print("marsad serve did not start; see", work / "serve.log", file=sys.stderr)
            return 1
        time.sleep(0.2)
    watcher = subprocess.Popen(
        marsad("watch", "--db", str(db), "--every", args.every, "--alerts", str(rules)),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=watch_log,
    )

    items: list[Item] = []
    for n in range(args.items):
        feed = rng.randrange(args.feeds)
        title, text = story(rng)
        url = servers[feed].url(f"/news/{n}.html")
        items.append(Item(n, feed, url, safe_id(url), title, text))
    by_article = {it.article_id: it for it in items}
    published_all = threading.Event()

    def publish() -> None:
        start = time.monotonic()
        at = start
        for it in items:
            at += rng.expovariate(args.rate)
            time.sleep(max(0.0, at - time.monotonic()))
            server = servers[it.feed]
            server.page(f"/news/{it.n}.html", article_html(it.title, [it.text]))
            shown[it.feed].insert(0, {"title": it.title, "link": it.url, "description": it.text,
                                      "pubDate": formatdate(usegmt=True)})  # fmt: skip
            del shown[it.feed][30:]
            server.feed("/rss.xml", shown[it.feed])
            it.published = time.monotonic()
        published_all.set()

    started = time.monotonic()
    publisher = threading.Thread(target=publish, daemon=True)
    publisher.start()
    rss_marks: dict[int, int] = {}
    marks = sorted({min(100, args.items), args.items})
    alerts_seen = 0
    last_publish_done: float | None = None
    last_progress, last_change = (0, 0), time.monotonic()
    polls = 0
    try:
        while True:
            time.sleep(1.0)
            now = time.monotonic()
            if watcher.poll() is not None:
                print("marsad watch stopped; see", work / "watch.log", file=sys.stderr)
                return 1
            # events, as the map's API lists them
            body = httpx.get(f"{base}/api/events", params={"fields": "event_id,sources", "limit": 10000},
                             timeout=30).json()  # fmt: skip
            polls += 1
            for event in body["events"]:
                for source in event.get("sources") or []:
                    it = by_article.get(source["article_id"])
                    if it is not None and it.published and it.event_at is None:
                        it.event_at = now
            # alerts, as the rules' file receives them
            if alerts_file.exists():
                lines = alerts_file.read_text(encoding="utf-8").splitlines()
                for line in lines[alerts_seen:]:
                    alert = json.loads(line)
                    # the alert is the doing of its newest source (a toll raised by a later
                    # report alerts again: not news of the earlier ones)
                    sources = [by_article.get(s["article_id"]) for s in alert["event"].get("sources") or []]
                    known = [it for it in sources if it is not None and it.published]
                    if known:
                        it = max(known, key=lambda i: i.published)
                        if it.alert_at is None:
                            it.alert_at = now
                alerts_seen = len(lines)
            # the watcher's memory once it has dealt with 100 and with all items
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
                done = conn.execute("SELECT count(*) FROM feed_items").fetchone()[0]
            for mark in marks:
                if done >= mark and mark not in rss_marks:
                    rss_marks[mark] = rss_kb(watcher.pid)
            if published_all.is_set() and last_publish_done is None:
                last_publish_done = now
            found = sum(1 for it in items if it.event_at is not None)
            if (now - started) % 30 < 1.0:
                print(f"  {now - started:5.0f} s: {sum(1 for it in items if it.published)} published, "
                      f"{done} read, {found} on the map, {alerts_seen} alerts", file=sys.stderr)  # fmt: skip
            progress = (found, sum(1 for it in items if it.alert_at is not None))
            if progress != last_progress:
                last_progress, last_change = progress, now
            # done: every item read, and no event or alert new for 15 s (an item that joins an
            # event without raising its toll gives no alert), or the drain time is up
            if last_publish_done is not None and (
                (done >= args.items and len(rss_marks) == len(marks) and now - last_change > 15)
                or now - last_publish_done > args.drain
            ):
                break
    finally:
        watcher.terminate()
        try:
            watcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.kill()
        serve.terminate()
        serve.wait(timeout=30)
        for server in servers:
            server.__exit__(None, None, None)
        watch_log.close()
        serve_log.close()

    to_event = [it.event_at - it.published for it in items if it.event_at is not None]
    to_alert = [it.alert_at - it.published for it in items if it.alert_at is not None]
    cycles = sum(1 for line in (work / "watch.log").read_text().splitlines() if ": cycle " in line)
    result: dict[str, Any] = {
        "feeds": args.feeds,
        "items": args.items,
        "every": args.every,
        "rate_per_s": args.rate,
        "seconds": round(time.monotonic() - started, 1),
        "watch_cycles": cycles,
        "items_read": done,
        "items_with_event": len(to_event),
        "items_with_alert": len(to_alert),
        "event_latency_s": latency(to_event),
        "alert_latency_s": latency(to_alert),
        "watcher_rss_mb": {str(k): round(v / 1024, 1) for k, v in sorted(rss_marks.items())},
        "api_polls": polls,
        "work_dir": str(work),
    }
    if len(rss_marks) == 2:
        first, last = (rss_marks[m] for m in marks)
        result["rss_growth_pct"] = round(100 * (last - first) / first, 1)
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
