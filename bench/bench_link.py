"""Linking benchmark: synthetic reports of known events, linked in one batch.

    .venv/bin/python bench/bench_link.py                 # 10,000 and 100,000 reports
    .venv/bin/python bench/bench_link.py --sizes 2000    # any sizes
    .venv/bin/python bench/bench_link.py --incremental   # through a Linker in batches of 500

Each size runs in a fresh process, so the peak RSS printed is that size's own. The
generator keeps the density of news constant (about 100 reports a day over a fixed set of
countries), as a growing archive does: a corpus ten times larger covers ten times more
days, not ten times more reports per day. Each event is told by 1 to 5 reports that vary
the way sources do: a day off, a vaguer date or place, an alias, another toll, other words.
The truth is known, so the run also prints B-cubed precision and recall.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

REPORTS_PER_DAY = 100
# (country, iso3, lat range, lon range, admin1 names, armed actors, civilians)
COUNTRIES = [
    (
        "Syria",
        "SYR",
        (32.5, 37.0),
        (35.8, 42.0),
        ["Idlib", "Aleppo", "Deir ez-Zor", "Daraa", "Raqqa", "Hama"],
        [
            "Military Forces of Syria (2000-2024)",
            "Islamic State",
            "Hayat Tahrir al-Sham",
            "Syrian Democratic Forces",
            "Military Forces of Russia (2000-)",
        ],
        "Civilians (Syria)",
    ),
    (
        "Iraq",
        "IRQ",
        (30.0, 37.0),
        (39.0, 47.5),
        ["Nineveh", "Kirkuk", "Anbar", "Baghdad", "Diyala"],
        ["Military Forces of Iraq (2003-)", "Islamic State", "Popular Mobilization Forces"],
        "Civilians (Iraq)",
    ),
    (
        "Yemen",
        "YEM",
        (12.6, 17.5),
        (42.7, 52.0),
        ["Marib", "Taiz", "Hodeidah", "Aden", "Saada"],
        [
            "Houthi Movement (Ansar Allah)",
            "Military Forces of Yemen (2012-)",
            "Southern Transitional Council",
        ],
        "Civilians (Yemen)",
    ),
    (
        "Somalia",
        "SOM",
        (-1.5, 11.0),
        (41.0, 50.5),
        ["Banaadir", "Lower Shabelle", "Bay", "Hiraan"],
        ["Al Shabaab", "Military Forces of Somalia", "Police Forces of Somalia"],
        "Civilians (Somalia)",
    ),
    (
        "Ukraine",
        "UKR",
        (46.0, 51.5),
        (30.0, 40.0),
        ["Kharkiv", "Donetsk", "Kherson", "Zaporizhzhia", "Odessa"],
        ["Military Forces of Russia (2000-)", "Military Forces of Ukraine"],
        "Civilians (Ukraine)",
    ),
    (
        "Sudan",
        "SDN",
        (10.0, 19.0),
        (22.0, 36.0),
        ["Khartoum", "North Darfur", "West Darfur", "Al Jazirah"],
        ["Rapid Support Forces", "Military Forces of Sudan (2019-)"],
        "Civilians (Sudan)",
    ),
    (
        "Nigeria",
        "NGA",
        (10.0, 13.5),
        (11.0, 14.5),
        ["Borno", "Yobe", "Adamawa"],
        [
            "Islamic State (West Africa)",
            "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
            "Military Forces of Nigeria",
        ],
        "Civilians (Nigeria)",
    ),
    (
        "Myanmar",
        "MMR",
        (16.0, 25.0),
        (93.5, 98.5),
        ["Sagaing", "Magway", "Shan", "Kachin"],
        ["Military Forces of Myanmar (2021-)", "People's Defence Force", "Kachin Independence Army"],
        "Civilians (Myanmar)",
    ),
]
KINDS = [
    ("Battles", "Armed clash"),
    ("Battles", "Non-state actor overtakes territory"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Violence against civilians", "Attack"),
    ("Protests", "Peaceful protest"),
]
PUBLISHERS = ["AP", "Reuters", "AFP", "local outlet", "monitor", "the group's agency", "state media"]
WORDS = [
    *("market", "checkpoint", "convoy", "base", "hospital", "school", "mosque", "bridge", "village"),
    *("outskirts", "district", "camp", "road", "farm", "bakery", "square", "port", "airport", "prison"),
    *("factory", "station", "compound", "hill", "valley"),
]


def generate(n: int, seed: int = 1) -> tuple[list[Any], dict[str, int]]:
    """``n`` reports of synthetic events, and each report's true event."""
    from marsad.link import Report
    from marsad.model import Event, Source

    rng = random.Random(seed)
    days = max(1, n // REPORTS_PER_DAY)
    start = date(2020, 1, 1)
    places = []
    for i in range(max(300, n // 20)):
        country = rng.choice(COUNTRIES)
        places.append(
            (
                f"Town{i}",
                country,
                rng.uniform(*country[2]),
                rng.uniform(*country[3]),
                rng.choice(country[4]),
                100000 + i,
            )
        )
    reports: list[Any] = []
    truth: dict[str, int] = {}
    event_no = 0
    while len(reports) < n:
        event_no += 1
        name, country, lat, lon, admin1, gid = rng.choice(places)
        when = start + timedelta(days=rng.randrange(days))
        event_type, sub = rng.choice(KINDS)
        armed = country[5]
        actor1 = rng.choice(armed)
        actor2 = (
            country[6] if event_type != "Battles" else rng.choice([a for a in armed if a != actor1] or armed)
        )
        if event_type == "Protests":
            actor1, actor2 = None, None
        dead = rng.choice([0, 0, 1, 2, 3, 5, 8, 12, 20, 35])
        detail = rng.sample(WORDS, 3)
        for k in range(min(rng.choice([1, 1, 2, 2, 3, 3, 4, 5]), n - len(reports))):
            rid = f"r{len(reports):07d}"
            day, precision = when, "day"
            roll = rng.random()
            if roll < 0.08:
                day = when + timedelta(days=rng.choice([-1, 1]))
            elif roll < 0.12:
                precision = "week"
            geo, rlat, rlon, location, geonameid = 1, lat, lon, name, gid
            roll = rng.random()
            if roll < 0.15:
                geo = 2
            elif roll < 0.22:
                geo, location, geonameid = 3, admin1, None
            a1, a2 = actor1, actor2
            if rng.random() < 0.1:
                a1 = None
            killed = max(0, dead + rng.choice([0, 0, 0, 1, -1, 3])) if dead else 0
            publisher = rng.choice(PUBLISHERS)
            quote = (
                f"{sub} near the {detail[0]} and {detail[1]} of {location} killed {killed} people, "
                f"{publisher} said, citing the {detail[2]}."
            )
            event = Event(
                event_id=rid,
                event_date=day.isoformat(),
                date_precision=precision,
                event_type=event_type,
                sub_event_type=sub,
                actor1=a1,
                actor2=a2,
                location=location,
                admin1=admin1,
                country=country[0],
                iso3=country[1],
                latitude=rlat,
                longitude=rlon,
                geonameid=geonameid,
                geo_precision=geo,
                fatalities=killed,
                sources=[Source(rid, publisher, publisher, quote, 0, len(quote))],
            )
            published = when + timedelta(days=k // 2 + 1)
            reports.append(Report(rid, event, rid, publisher=publisher, publish_date=published))
            truth[rid] = event_no
    return reports, truth


def run(n: int, incremental: bool) -> dict[str, Any]:
    from marsad.link import Linker, link_reports
    from marsad.link.evaluate import score_clusters

    reports, truth = generate(n)
    started = time.perf_counter()
    if incremental:
        linker = Linker()
        for i in range(0, len(reports), 500):
            linker.add(reports[i : i + 500])
        events = linker.events
    else:
        events = link_reports(reports)
    seconds = time.perf_counter() - started
    predicted = {r.report_id: e.event_id for e in events for r in e.reports}
    scores = score_clusters(predicted, {k: str(v) for k, v in truth.items()})
    return {
        "reports": n,
        "true_events": len(set(truth.values())),
        "events": len(events),
        "seconds": round(seconds, 2),
        "reports_per_s": round(n / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "bcubed_p": round(scores["bcubed"]["precision"], 3),
        "bcubed_r": round(scores["bcubed"]["recall"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--incremental", action="store_true", help="Link in batches of 500 through a Linker.")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single size, in this process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one, args.incremental)))
        return
    results = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(n)] + (["--incremental"] if args.incremental else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        results.append(result)
        r = result
        print(
            f"{r['reports']:>8} reports  {r['seconds']:>8.1f} s  {r['reports_per_s']:>7} reports/s  "
            f"peak RSS {r['peak_rss_mb']:>5} MB  events {r['events']} (true {r['true_events']})  "
            f"B-cubed P {r['bcubed_p']:.3f} R {r['bcubed_r']:.3f}",
            flush=True,
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = (last["seconds"] / first["seconds"]) / (last["reports"] / first["reports"])
        n0, n1 = first["reports"], last["reports"]
        print(f"time per report grows x{growth:.2f} from {n0} to {n1} (1.00 = linear)")


if __name__ == "__main__":
    main()
