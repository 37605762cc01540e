"""Single linking rules on hand-made reports: what joins, what stays apart, and why."""

from __future__ import annotations

import itertools
import random
from datetime import date
from typing import Any

from marsad.link import Report, link_reports
from marsad.link.block import BlockIndex
from marsad.link.cluster import EDGE
from marsad.link.reconcile import Figure, conservative
from marsad.link.score import compare
from marsad.model import Event, Source

SY = "Military Forces of Syria (2000-2024)"
TOWNS = {  # name: (lat, lon, geonameid, admin1)
    "Saraqib": (35.86444, 36.80556, 164816, "Idlib"),
    "Jisr ash Shughur": (35.81389, 36.31944, 169023, "Idlib"),
    "Albu Kamal": (34.45226, 40.91854, 174448, "Deir ez-Zor"),
}


def report(rid: str, *, publisher: str = "SOHR", published: str | None = None, **kw: Any) -> Report:
    town = kw.pop("town", "Saraqib")
    lat, lon, gid, admin1 = TOWNS[town]
    quote = kw.pop("quote", f"Regime shelling on {town} killed civilians, the monitor said.")
    claimant = kw.pop("claimant", "Syrian Observatory for Human Rights")
    fields: dict[str, Any] = dict(
        event_id=rid,
        event_date="2020-02-03",
        date_precision="day",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1=SY,
        actor2="Civilians (Syria)",
        location=town,
        admin1=admin1,
        country="Syria",
        iso3="SYR",
        latitude=lat,
        longitude=lon,
        geonameid=gid,
        geo_precision=1,
        sources=[Source(rid, publisher, claimant, quote, 0, len(quote))],
    )
    fields.update(kw)
    when = date.fromisoformat(published) if published else None
    return Report(rid, Event(**fields), rid, publisher=publisher, publish_date=when)


def groups(events: list[Any]) -> list[list[str]]:
    return sorted(sorted(e.report_ids) for e in events)


def test_two_sources_same_place_and_day_are_one_event() -> None:
    a = report("a", publisher="SOHR", fatalities=4)
    b = report("b", publisher="AFP", fatalities=5, claimant="Syria Civil Defence", actor1="Syrian army")
    events = link_reports([a, b])
    assert groups(events) == [["a", "b"]]
    why = events[0].explanations["b"]
    assert "same place (0 km)" in why and "same day" in why and "text" in why and "score" in why


def test_same_town_two_days_apart_stays_two_events() -> None:
    a, b = report("a"), report("b", event_date="2020-02-05")
    assert groups(link_reports([a, b])) == [["a"], ["b"]]
    assert "2 days apart" in (compare(a, b).conflict or "")


def test_two_strikes_one_province_one_day_40_km_apart() -> None:
    a, b = report("a"), report("b", town="Jisr ash Shughur")
    assert groups(link_reports([a, b])) == [["a"], ["b"]]
    assert "km apart" in (compare(a, b).conflict or "")


def test_a_recap_of_december_2017_stays_out_of_june_2018() -> None:
    old = report("old", town="Albu Kamal", event_date="2017-12-11", actor1="Islamic State", actor2=SY)
    recap = report(
        "recap",
        town="Albu Kamal",
        event_date="2017-12-01",
        date_precision="month",
        actor1="Islamic State",
        actor2=SY,
        published="2018-06-10",
    )
    new = report(
        "new",
        town="Albu Kamal",
        event_date="2018-06-08",
        actor1="Islamic State",
        actor2=SY,
        published="2018-06-10",
    )
    assert groups(link_reports([new, recap, old])) == [["new"], ["old", "recap"]]


def test_no_chaining_through_a_vague_report() -> None:
    """A week-precise report matches a Monday and a Wednesday report; those two differ, so
    they never end up in one event through it."""
    monday, wednesday = report("mon", event_date="2020-02-03"), report("wed", event_date="2020-02-05")
    week = report("week", event_date="2020-02-03", date_precision="week")
    assert compare(monday, week).conflict is None and compare(wednesday, week).conflict is None
    assert compare(monday, wednesday).conflict
    found = groups(link_reports([monday, week, wednesday]))
    assert ["mon", "wed"] not in found and not any({"mon", "wed"} <= set(g) for g in found)


def test_one_article_never_links_with_itself() -> None:
    a = report("a")
    b = Report("b", report("b").event, "a")  # a second report of the same article
    assert groups(link_reports([a, b])) == [["a"], ["b"]]


def test_unlinkable_reports_stay_alone() -> None:
    undated = report("undated", event_date=None, date_precision=None)
    countrywide = report(
        "country",
        latitude=None,
        longitude=None,
        admin1=None,
        location="Syria",
        geo_precision=3,
        geonameid=None,
    )
    events = link_reports([report("a"), undated, countrywide])
    assert groups(events) == [["a"], ["country"], ["undated"]]


def test_named_actors_with_nothing_in_common_conflict() -> None:
    a = report(
        "a",
        actor1="Islamic State",
        actor2="Syrian Democratic Forces",
        sub_event_type="Armed clash",
        event_type="Battles",
    )
    b = report(
        "b", actor1=SY, actor2="Hayat Tahrir al-Sham", sub_event_type="Armed clash", event_type="Battles"
    )
    assert "no actor in common" in (compare(a, b).conflict or "")


def test_aliases_match() -> None:
    a = report("a", actor1="Daesh", actor2="Syrian army", event_type="Battles", sub_event_type="Armed clash")
    b = report("b", actor1="Islamic State", actor2=SY, event_type="Battles", sub_event_type="Armed clash")
    assert compare(a, b).parts["actors"] == 1.0


def test_a_single_report_is_its_event() -> None:
    a = report("a", fatalities=3, notes="as the extractor wrote it")
    [event] = link_reports([a])
    assert event.event == a.event and event.event_id == "a"


def test_reconciled_event_keeps_every_claim_and_says_where_sources_disagree() -> None:
    a = report("a", published="2020-02-03", fatalities=4, fatalities_by_actor={"Civilians (Syria)": 4})
    b = report(
        "b",
        publisher="Reuters",
        published="2020-02-04",
        fatalities=6,
        claimant="rescuers",
        quote="Regime shelling killed six people in Saraqib on Monday, rescuers said.",
    )
    c = report(
        "c",
        publisher="SANA",
        published="2020-02-04",
        claimant="SANA",
        actor2="Hayat Tahrir al-Sham",
        fatalities=1,
        quote="Army units targeted terrorists in Saraqib, SANA said.",
    )
    [event] = link_reports([c, b, a])
    e = event.event
    assert event.event_id == "a"  # founded by the first published report
    assert len(e.sources) == 3 and {s.article_id for s in e.sources} == {"a", "b", "c"}
    assert (e.actor1, e.actor2, e.assoc_actor_2) == (SY, "Civilians (Syria)", ["Hayat Tahrir al-Sham"])
    assert (e.fatalities, e.fatalities_low, e.fatalities_high) == (4, 1, 6)  # SANA speaks for a party
    assert e.fatalities_by_actor == {"Civilians (Syria)": 4}
    assert "the death toll: 1 (SANA); 4 (SOHR); 6 (Reuters)" in e.notes and "Reported by 3 sources" in e.notes


def test_the_date_most_sources_give_and_the_disagreement() -> None:
    a = report("a", published="2020-02-03")
    b = report("b", publisher="AFP", published="2020-02-04")
    d = report("d", publisher="Enab Baladi", published="2020-02-04", event_date="2020-02-02")  # "last night"
    [event] = link_reports([a, b, d])
    assert event.event.event_date == "2020-02-03"
    assert "the date: 2020-02-02 (Enab Baladi); 2020-02-03 (SOHR, AFP)" in event.event.notes
    assert "one day apart" in event.explanations["d"]


def test_conservative_rule() -> None:
    def fig(claimant: str, day: int, n: int, party: bool = False) -> Figure:
        return Figure(claimant, date(2024, 1, day), n, n, n, party, claimant)

    # a source's later figure replaces its earlier one; best is the lowest independent figure
    assert conservative([fig("governor", 1, 3), fig("governor", 2, 9), fig("monitor", 1, 7)]) == (7, 7, 9)
    # a party's figure counts for best only when nobody independent gives one
    assert conservative([fig("army", 1, 2, party=True), fig("monitor", 1, 7)]) == (7, 2, 7)
    assert conservative([fig("army", 1, 2, party=True)]) == (2, 2, 2)
    assert conservative([]) is None


def test_blocking_finds_every_pair_the_scorer_accepts() -> None:
    """Random reports around two towns: any pair that could link shares a block both ways."""
    rng = random.Random(7)
    reports = []
    for i in range(160):
        town = rng.choice(["Saraqib", "Jisr ash Shughur"])
        lat, lon, _, _ = TOWNS[town]
        kw: dict[str, Any] = {
            "town": town,
            "event_date": f"2020-02-{rng.randint(1, 9):02d}",
            "date_precision": rng.choice(["day", "day", "day", "week", "month"]),
            "latitude": lat + rng.uniform(-0.2, 0.2),
            "longitude": lon + rng.uniform(-0.2, 0.2),
            "geonameid": None,
            "geo_precision": rng.choice([1, 2, 3]),
        }
        reports.append(report(f"r{i}", **kw))
    index = BlockIndex(reports)
    found = {(id(a), id(b)) for a in reports for b in index.candidates(a)}
    for a, b in itertools.combinations(reports, 2):
        c = compare(a, b)
        if c.conflict is None and c.score >= EDGE:
            assert (id(a), id(b)) in found and (id(b), id(a)) in found, (a.report_id, b.report_id)


def test_a_town_shelled_on_two_days_in_the_same_words_stays_two_events() -> None:
    """A day apart and each published on its own day: two days of shelling. The same day
    gap with both published together is one night dated two ways."""
    monday = report("mon", published="2020-02-03")
    tuesday = report("tue", event_date="2020-02-04", published="2020-02-04")
    assert "each reported on its own day" in (compare(monday, tuesday).conflict or "")
    overnight = report("night", event_date="2020-02-02", published="2020-02-03")
    assert compare(monday, overnight).conflict is None
    assert groups(link_reports([monday, tuesday])) == [["mon"], ["tue"]]


def test_a_long_daily_group_is_clustered_in_linear_time() -> None:
    """A year of daily shelling of one town: one link group, one event a day, quickly."""
    import time

    reports = [
        report(
            f"d{d}-{k}",
            event_date=(date(2020, 1, 1).fromordinal(737425 + d)).isoformat(),
            published=(date(2020, 1, 1).fromordinal(737425 + d + k // 2)).isoformat(),
            publisher=f"p{k}",
        )
        for d in range(365)
        for k in range(3)
    ]
    started = time.perf_counter()
    events = link_reports(reports)
    assert len(events) == 365 and {len(e.reports) for e in events} == {3}
    assert time.perf_counter() - started < 20
