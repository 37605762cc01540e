"""Benchmark of ``marsad serve``: API latency and the page's first render on 100,000 events.

    python bench/bench_serve.py                 # 100,000 events in bench/out/serve.db (reused)
    python bench/bench_serve.py --events 20000 --rebuild --json bench/out/serve.json

Fills a database with synthetic events through ``Store.add`` in batches (the one
write path), serves it with uvicorn on 127.0.0.1, and measures over real HTTP:

* ``/api/events`` with the filters an analyst uses (country, dates, type, actor,
  fatalities, text, paging), 100 events a page: p50/p95 per query and overall.
  The issue's target: p95 <= 200 ms.
* the page's own requests (GeoJSON pages of up to 2,000 events, ``/api/stats``), for context;
* the page's first render in headless Chromium (navigation start to markers drawn),
  when /usr/bin/chromium exists.

All traffic stays on the loopback interface; every loop is bounded in count.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from marsad.model import Article, ArticleResult, Event, Source  # noqa: E402

# (place, admin1, country, iso3, lat, lon): real towns of the conflicts marsad watches.
PLACES = [
    ("Albu Kamal", "Deir ez-Zor", "Syria", "SYR", 34.4523, 40.9185),
    ("Deir ez-Zor", "Deir ez-Zor", "Syria", "SYR", 35.3359, 40.1408),
    ("Raqqa", "Raqqa", "Syria", "SYR", 35.9594, 39.0079),
    ("Aleppo", "Aleppo", "Syria", "SYR", 36.2021, 37.1343),
    ("Manbij", "Aleppo", "Syria", "SYR", 36.5281, 37.9549),
    ("Idlib", "Idlib", "Syria", "SYR", 35.9306, 36.6339),
    ("Daraa", "Daraa", "Syria", "SYR", 32.6189, 36.1021),
    ("Douma", "Rif Dimashq", "Syria", "SYR", 33.5711, 36.4023),
    ("Mosul", "Nineveh", "Iraq", "IRQ", 36.335, 43.1189),
    ("Ramadi", "Anbar", "Iraq", "IRQ", 33.4258, 43.2992),
    ("Fallujah", "Anbar", "Iraq", "IRQ", 33.3538, 43.7773),
    ("Kirkuk", "Kirkuk", "Iraq", "IRQ", 35.4681, 44.3922),
    ("Tikrit", "Salah ad Din", "Iraq", "IRQ", 34.6071, 43.6782),
    ("Sanaa", "Amanat al Asimah", "Yemen", "YEM", 15.3547, 44.2067),
    ("Aden", "Aden", "Yemen", "YEM", 12.7794, 45.0367),
    ("Taiz", "Taiz", "Yemen", "YEM", 13.5795, 44.0209),
    ("Hodeidah", "Al Hudaydah", "Yemen", "YEM", 14.7978, 42.9545),
    ("Tripoli", "Tripoli", "Libya", "LBY", 32.8872, 13.1913),
    ("Benghazi", "Benghazi", "Libya", "LBY", 32.1167, 20.0667),
    ("Sirte", "Sirte", "Libya", "LBY", 31.2089, 16.5887),
    ("Kandahar", "Kandahar", "Afghanistan", "AFG", 31.6133, 65.7101),
    ("Kunduz", "Kunduz", "Afghanistan", "AFG", 36.728, 68.8681),
    ("Jalalabad", "Nangarhar", "Afghanistan", "AFG", 34.4265, 70.4515),
    ("Mogadishu", "Banaadir", "Somalia", "SOM", 2.0371, 45.3438),
    ("Maiduguri", "Borno", "Nigeria", "NGA", 11.8464, 13.1603),
    ("Gao", "Gao", "Mali", "MLI", 16.2717, -0.0447),
]
ACTORS = [
    "Islamic State",
    "Military Forces of Syria",
    "Syrian Democratic Forces",
    "Hayat Tahrir al-Sham",
    "Military Forces of Iraq",
    "Popular Mobilization Forces",
    "Houthis",
    "Military Forces of Yemen",
    "Libyan National Army",
    "Taliban",
    "Military Forces of Afghanistan",
    "al-Shabaab",
    "Boko Haram",
    "Civilians",
    "Protesters",
]
TYPES = [
    ("Battles", "Armed clash", 0.35),
    ("Battles", "Non-state actor overtakes territory", 0.04),
    ("Battles", "Government regains territory", 0.04),
    ("Explosions/Remote violence", "Air/drone strike", 0.15),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.12),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", 0.06),
    ("Explosions/Remote violence", "Suicide bomb", 0.02),
    ("Violence against civilians", "Attack", 0.08),
    ("Violence against civilians", "Abduction/forced disappearance", 0.02),
    ("Protests", "Peaceful protest", 0.07),
    ("Riots", "Violent demonstration", 0.02),
    ("Strategic developments", "Arrests", 0.03),
]
PUBLISHERS = ["AFP", "Reuters", "AP", "Zaman Al Wasl", "Anadolu", "Al Jazeera"]
CLAIMANTS = ["Syrian Observatory for Human Rights", "local sources", "the ministry", "Amaq", "medics"]
START = date(2015, 1, 1)
DAYS = 10 * 365
EVENTS_PER_ARTICLE = 4


VILLAGES_PER_TOWN = 40  # a gazetteer gives the same coordinates for the same place: ~1,000 places


def villages(seed: int) -> list[tuple[str, str, str, str, float, float]]:
    """Places around each town (fixed points, as a geocoder would return), not a fresh jitter per event."""
    rng = random.Random(seed)
    out = []
    for place, admin1, country, iso3, lat, lon in PLACES:
        out.append((place, admin1, country, iso3, lat, lon))
        for k in range(1, VILLAGES_PER_TOWN):
            dlat, dlon = rng.uniform(-0.4, 0.4), rng.uniform(-0.4, 0.4)
            out.append(
                (f"{place} village {k}", admin1, country, iso3, round(lat + dlat, 4), round(lon + dlon, 4))
            )
    return out


def synthetic(n_events: int, seed: int = 6) -> Iterator[ArticleResult]:
    """Articles of a few events each; every source quote is the event's sentence, offsets exact."""
    rng = random.Random(seed)
    places = villages(seed)
    weights = [w for _, _, w in TYPES]
    made = 0
    article_no = 0
    while made < n_events:
        article_no += 1
        publisher = rng.choice(PUBLISHERS)
        published = START + timedelta(days=rng.randrange(DAYS))
        sentences: list[str] = []
        events: list[Event] = []
        for i in range(min(EVENTS_PER_ARTICLE, n_events - made)):
            place, admin1, country, iso3, lat, lon = rng.choice(places)
            etype, sub, _ = rng.choices(TYPES, weights)[0]
            a1, a2 = rng.sample(ACTORS, 2)
            killed = int(rng.paretovariate(1.6)) - 1 if rng.random() < 0.7 else 0
            day = published - timedelta(days=rng.randrange(3))
            sentence = (
                f"On {day:%A %d %B %Y}, {a1} and {a2} were involved in {sub.lower()} in {place}, "
                f"{admin1}, leaving {killed} dead, {rng.choice(CLAIMANTS)} said."
            )
            start = sum(len(s) + 1 for s in sentences)
            sentences.append(sentence)
            article_id = f"bench-{article_no:07d}"
            events.append(
                Event(
                    f"b{made + i}",
                    event_date=day.isoformat(),
                    date_precision="day",
                    event_type=etype,
                    sub_event_type=sub,
                    actor1=a1,
                    actor2=a2,
                    location=place,
                    admin1=admin1,
                    country=country,
                    iso3=iso3,
                    latitude=lat,
                    longitude=lon,
                    geo_precision=rng.choice([1, 1, 2, 3]),
                    fatalities=killed,
                    fatalities_low=killed,
                    fatalities_high=killed + rng.choice([0, 0, 0, 2, 5]),
                    sources=[
                        Source(
                            article_id,
                            publisher,
                            rng.choice(CLAIMANTS),
                            sentence,
                            start,
                            start + len(sentence),
                        )
                    ],
                    notes=f"{sub} between {a1} and {a2} in {place}.",
                )
            )
        made += len(events)
        text = " ".join(sentences)
        yield ArticleResult(
            Article(f"bench-{article_no:07d}", text, publisher=publisher, publish_date=published), events
        )


def build(url: str, n_events: int, batch_size: int) -> float:
    from marsad.store import Store

    started = time.perf_counter()
    store = Store(url)
    done = [0]

    def progress(summary: Any) -> None:
        done[0] += summary.events
        if done[0] % 20_000 < EVENTS_PER_ARTICLE * batch_size:
            print(f"  stored {done[0]:,} events ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    store.add(synthetic(n_events), batch_size=batch_size, on_batch=progress)
    store.close()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str) -> tuple[Any, str]:
    import uvicorn

    from marsad.serve import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


API_QUERIES: dict[str, dict[str, str]] = {
    "no filter": {},
    "country": {"country": "Syria"},
    "country+dates": {"country": "Iraq", "since": "2018-01-01", "until": "2018-12-31"},
    "type+fatalities": {"type": "Battles", "min_fatalities": "10"},
    "actor": {"actor": "Islamic State"},
    "admin1+sub_type": {"admin1": "Anbar", "sub_type": "Air/drone strike"},
    "text": {"q": "suicide"},
    "deep page": {"country": "Yemen", "offset": "5000"},
    "geojson page": {"format": "geojson", "country": "Libya", "since": "2020-01-01"},
}
PAGE_QUERIES = {
    "page: geojson 2000": "/api/events?format=geojson&limit=2000&fields=event_id,event_date,event_type,"
    "sub_event_type,actor1,actor2,location,admin1,country,fatalities,n_sources",
    "page: stats": "/api/stats",
    "page: stats country": "/api/stats?country=Syria",
}


def api_url(params: dict[str, str]) -> str:
    return "/api/events" + (f"?{urlencode(params)}" if params else "")


def time_store(url: str, queries: dict[str, dict[str, str]], rounds: int) -> dict[str, list[float]]:
    """The same queries straight on Store.events + Store.count_events: what serve cannot go below."""
    from marsad.serve.filters import event_filters
    from marsad.store import Store

    store = Store(url)
    out: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(rounds):
        for name, params in queries.items():
            filters = {k: v for k, v in params.items() if k not in ("format", "offset")}
            if "since" in filters or "until" in filters:
                filters = {**filters}
                for key in ("since", "until"):
                    if key in filters:
                        filters[key] = date.fromisoformat(filters[key])  # type: ignore[assignment]
            if "min_fatalities" in filters:
                filters["min_fatalities"] = int(filters["min_fatalities"])  # type: ignore[assignment]
            kwargs = event_filters(**filters).store_kwargs()  # type: ignore[arg-type]
            t = time.perf_counter()
            store.events(**kwargs, limit=100, offset=int(params.get("offset", 0)))
            store.count_events(**kwargs)
            out[name].append((time.perf_counter() - t) * 1000)
    store.close()
    return out


def time_requests(base: str, queries: dict[str, str], rounds: int) -> dict[str, list[float]]:
    import httpx

    out: dict[str, list[float]] = {name: [] for name in queries}
    with httpx.Client(base_url=base, timeout=60) as client:
        for url in queries.values():  # warm caches once, like a running server
            client.get(url).raise_for_status()
        for _ in range(rounds):
            for name, url in queries.items():
                t = time.perf_counter()
                resp = client.get(url)
                out[name].append((time.perf_counter() - t) * 1000)
                resp.raise_for_status()
    return out


def first_render(base: str, loads: int) -> list[float] | None:
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        return None
    from playwright.sync_api import sync_playwright

    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    times: list[float] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(chromium), args=args, viewport={"width": 1400, "height": 900}
        )
        for i in range(loads + 1):
            page = context.new_page()
            page.goto(base + "/")
            page.wait_for_selector("body[data-state=ready]", timeout=120_000)
            # Markers (or clusters) drawn: first render from the analyst's point of view.
            page.wait_for_selector("#map .ev-cluster, #map .ev-marker", timeout=60_000)
            ms = page.evaluate("performance.now()")
            if i:  # the first load warms the browser's HTTP cache for the vendored files
                times.append(float(ms))
            page.close()
        context.close()
    return times


def summary(name: str, ms: list[float]) -> dict[str, Any]:
    return {
        "name": name,
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(pct(ms, 0.95), 1),
        "max_ms": round(max(ms), 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", default=str(ROOT / "bench" / "out" / "serve.db"))
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the database even if it exists.")
    parser.add_argument("--batch-size", type=int, default=250, help="Articles per Store.add transaction.")
    parser.add_argument("--rounds", type=int, default=20, help="Timed requests per API query.")
    parser.add_argument("--loads", type=int, default=5, help="Timed page loads in Chromium.")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    opts = parser.parse_args()

    db = Path(opts.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{db}"
    from marsad.store import Store

    existing = Store(url).count_events() if db.exists() and not opts.rebuild else 0
    build_s = None
    if existing != opts.events:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        print(f"building {opts.events:,} synthetic events in {db} ...", file=sys.stderr)
        build_s = build(url, opts.events, opts.batch_size)
        print(f"  built in {build_s:.1f} s", file=sys.stderr)

    server, base = start_server(url)
    try:
        api = time_requests(base, {name: api_url(p) for name, p in API_QUERIES.items()}, opts.rounds)
        page_api = time_requests(base, PAGE_QUERIES, max(3, opts.rounds // 4))
        render = first_render(base, opts.loads)
    finally:
        server.should_exit = True

    store_ms = time_store(url, API_QUERIES, max(3, opts.rounds // 2))
    rows = [
        {**summary(name, ms), "store_p50_ms": round(statistics.median(store_ms[name]), 1)}
        for name, ms in api.items()
    ]
    all_api = [m for ms in api.values() for m in ms]
    overall = summary("ALL /api/events (100 a page)", all_api)
    rows.append(overall)
    rows += [summary(name, ms) for name, ms in page_api.items()]
    if render is not None:
        rows.append(summary("page first render (Chromium)", render))

    print(f"\nmarsad serve on {opts.events:,} events (SQLite, {db.stat().st_size / 1e6:.0f} MB)")
    print(f"{'query':<36}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'store p50':>11}")
    for r in rows:
        store_col = f"{r['store_p50_ms']:>11}" if "store_p50_ms" in r else ""
        print(f"{r['name']:<36}{r['n']:>5}{r['p50_ms']:>10}{r['p95_ms']:>10}{r['max_ms']:>10}{store_col}")
    print("(store p50: the same filters straight on Store.events + Store.count_events, no HTTP)")
    if render is None:
        print("page first render: skipped (no /usr/bin/chromium)")
    target_met = overall["p95_ms"] <= 200
    print(
        f"\n/api/events p95 {overall['p95_ms']} ms: {'meets' if target_met else 'MISSES'} the 200 ms target"
    )
    if opts.json:
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        opts.json.write_text(
            json.dumps({"events": opts.events, "build_seconds": build_s, "results": rows}, indent=2) + "\n"
        )
    return 0 if target_met else 1


if __name__ == "__main__":
    sys.exit(main())
