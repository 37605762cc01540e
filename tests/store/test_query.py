"""Reading back: EVENT dicts, filters, ordering, detail, articles, actors, stats."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.model import ArticleResult, Event, Source
from marsad.store import Store

COUNTRIES = [("Syria", "SYR", "Deir ez-Zor"), ("Iraq", "IRQ", "Anbar"), (None, None, None)]
TYPES = [
    ("Battles", "Armed clash"),
    ("Protests", "Peaceful protest"),
    ("Violence against civilians", "Attack"),
]
ACTORS = ["Islamic State", "Military Forces of Syria", "Hezbollah", "Protesters (Syria)"]


def corpus(make_article) -> list[ArticleResult]:
    """30 articles, one event each, spread over dates, places, types and actors."""
    out = []
    for i in range(30):
        country, iso3, admin1 = COUNTRIES[i % 3]
        event_type, sub = TYPES[i % 3]
        text = f"Report {i}: fighting near town {i}."
        article = make_article(f"art{i:02d}", text)
        event = Event(
            event_id="x",
            event_date=None if i % 10 == 9 else date(2018, 1 + i % 6, 1 + i % 28).isoformat(),
            date_precision="day",
            event_type=event_type,
            sub_event_type=sub,
            actor1=ACTORS[i % 4],
            actor2=ACTORS[(i + 1) % 4] if i % 2 else None,
            assoc_actor_1=[ACTORS[2]] if i % 5 == 0 else [],
            location=f"Town {i}" if country else None,
            admin1=admin1,
            country=country,
            iso3=iso3,
            latitude=34.0 + i / 100 if country else None,
            longitude=40.0 + i / 100 if country else None,
            geo_precision=1 if country else None,
            fatalities=i % 7,
            sources=[Source(article.article_id, "SOHR", "the Observatory", text[:9], 0, 9)],
            notes=f"Event number {i}" + (" (100% confirmed)." if i == 7 else "."),
        )
        out.append(ArticleResult(article, [event]))
    return out


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """One corpus per backend for the whole module: these tests only read."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("query") / "marsad.db")
    else:
        url = request.getfixturevalue("pg_factory")()
    s = Store(url)
    s.add(corpus(request.getfixturevalue("make_article_module")), batch_size=7)
    yield s
    s.close()


@pytest.fixture(scope="module")
def make_article_module():
    from datetime import date as _date

    from marsad.model import Article

    def make(article_id: str, text: str) -> Article:
        return Article(
            article_id,
            text,
            source_path=f"corpus/{article_id}.txt",
            publisher="SOHR",
            publish_date=_date(2018, 6, 10),
        )

    return make


def test_event_dicts_have_exactly_the_design_fields(store: Store) -> None:
    # the store adds how many sources and the review state (docs/review.md)
    expected = [f.name for f in dataclasses.fields(Event)] + ["n_sources", "status", "flagged", "flag_reason"]
    for event in store.events():
        assert list(event) == expected
        assert event["n_sources"] == 1
        assert (event["status"], event["flagged"], event["flag_reason"]) == ("provisional", False, None)
        assert isinstance(event["assoc_actor_1"], list) and isinstance(event["fatalities_by_actor"], dict)


def test_order_is_date_then_id_with_undated_last(store: Store) -> None:
    events = store.events()
    dated = [e for e in events if e["event_date"]]
    assert events[: len(dated)] == dated
    assert [(e["event_date"], e["event_id"]) for e in dated] == sorted(
        (e["event_date"], e["event_id"]) for e in dated
    )
    undated = events[len(dated) :]
    assert len(undated) == 3 and [e["event_id"] for e in undated] == sorted(e["event_id"] for e in undated)


def test_limit_and_offset_page_through_in_order(store: Store) -> None:
    everything = store.events()
    pages = [store.events(limit=4, offset=o) for o in range(0, 32, 4)]
    assert [e for page in pages for e in page] == everything
    assert list(store.iter_events(page_size=4)) == everything


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "syria"}, 10),
        ({"country": "IRQ"}, 10),
        ({"admin1": "deir ez-zor"}, 10),
        ({"event_type": "battles"}, 10),
        ({"sub_event_type": "Attack"}, 10),
        ({"actor": "hezbollah"}, None),
        ({"min_fatalities": 6}, 4),
        ({"since": date(2018, 6, 1)}, None),
        ({"since": date(2018, 3, 1), "until": date(2018, 3, 31)}, None),
        ({"text": "number 1"}, 11),  # 1, 10-19
        ({"text": "100%"}, 1),  # LIKE wildcards are literal
        ({"text": "_"}, 0),
        ({"text": "REPORT 2"}, 11),  # case-insensitive, in quoted evidence too
    ],
)
def test_filters(store: Store, filters: dict[str, Any], expected: int | None) -> None:
    got = store.events(**filters)
    assert store.count_events(**filters) == len(got)
    want = [e for e in store.events() if matches(e, filters)]
    assert got == want
    if expected is not None:
        assert len(got) == expected


def matches(event: dict[str, Any], f: dict[str, Any]) -> bool:
    """The filters' meaning, written plainly in Python."""

    def same(a: str | None, b: str) -> bool:
        return a is not None and a.lower() == b.lower()

    if f.get("country") and not (same(event["country"], f["country"]) or same(event["iso3"], f["country"])):
        return False
    if f.get("admin1") and not same(event["admin1"], f["admin1"]):
        return False
    if f.get("event_type") and not same(event["event_type"], f["event_type"]):
        return False
    if f.get("sub_event_type") and not same(event["sub_event_type"], f["sub_event_type"]):
        return False
    day = event["event_date"]
    if f.get("since") and (day is None or day < f["since"].isoformat()):
        return False
    if f.get("until") and (day is None or day > f["until"].isoformat()):
        return False
    if f.get("min_fatalities") is not None and event["fatalities"] < f["min_fatalities"]:
        return False
    if f.get("actor"):
        names = [event["actor1"], event["actor2"], *event["assoc_actor_1"], *event["assoc_actor_2"]]
        if not any(same(n, f["actor"]) for n in names):
            return False
    if f.get("text"):
        t = f["text"].lower()
        fields = [event["notes"], event["actor1"], event["actor2"], event["location"], event["admin1"]]
        fields += [s["quote"] for s in event["sources"]]
        if not any(x is not None and t in x.lower() for x in fields):
            return False
    return True


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "country": st.sampled_from(["Syria", "syr", "Iraq", "Narnia"]),
        "admin1": st.sampled_from(["Anbar", "Deir ez-Zor"]),
        "since": st.dates(date(2017, 12, 1), date(2018, 7, 1)),
        "until": st.dates(date(2017, 12, 1), date(2018, 7, 1)),
        "actor": st.sampled_from([*ACTORS, "nobody"]),
        "event_type": st.sampled_from([t for t, _ in TYPES]),
        "sub_event_type": st.sampled_from([s for _, s in TYPES]),
        "min_fatalities": st.integers(0, 8),
        "text": st.sampled_from(["town 1", "%", "Report", "number 2", "zzz"]),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=FILTERS, limit=st.none() | st.integers(0, 12), offset=st.integers(0, 12))
def test_any_filter_combination_agrees_with_python(
    store: Store, filters: dict[str, Any], limit: int | None, offset: int
) -> None:
    if "since" in filters and "until" in filters and filters["since"] > filters["until"]:
        with pytest.raises(ValueError, match="after until"):  # an empty range is refused
            store.count_events(**filters)
        return
    want = [e for e in store.events() if matches(e, filters)]
    assert store.count_events(**filters) == len(want)
    end = None if limit is None else offset + limit
    assert store.events(**filters, limit=limit, offset=offset) == want[offset:end]


def test_unknown_filter_is_refused(store: Store) -> None:
    with pytest.raises(TypeError, match="unknown event filter"):
        store.count_events(colour="red")


def test_event_detail(store: Store) -> None:
    first = store.events(limit=1)[0]
    detail = store.event(first["event_id"])
    assert detail is not None
    assert {k: detail[k] for k in first} == first
    (report,) = detail["reports"]
    assert report["article_id"].startswith("art") and report["publisher"] and "title" in report
    assert report["event_id"] == first["event_id"] and report["fatalities"] == first["fatalities"]
    (claim,) = detail["claims"]
    assert set(claim) == {
        "article_id",
        "publisher",
        "claimant",
        "quote",
        "start",
        "end",
        "fatalities",
        "wounded",
    }
    assert claim["fatalities"] == first["fatalities"]  # a lone claim carries the report's number
    assert detail["links"] == [
        {"report_id": report["report_id"], "explanation": detail["links"][0]["explanation"]}
    ]
    assert store.event("no-such-event") is None


def test_article_with_spans(store: Store) -> None:
    article = store.article("art03")
    assert article is not None
    assert list(article) == [
        "article_id",
        "title",
        "publisher",
        "publish_date",
        "url",
        "source_path",
        "text",
        "spans",
    ]
    assert article["publish_date"] == "2018-06-10"
    (span,) = article["spans"]
    assert article["text"][span["start"] : span["end"]] == "Report 3:"
    assert store.event(span["event_id"]) is not None
    assert store.article("nope") is None


def test_actors_by_events(store: Store) -> None:
    actors = store.actors()
    assert {a["name"] for a in actors} == set(ACTORS)
    counts = [a["events"] for a in actors]
    assert counts == sorted(counts, reverse=True)
    hezbollah = next(a for a in actors if a["name"] == "Hezbollah")
    assert hezbollah["events"] == store.count_events(actor="Hezbollah")
    assert hezbollah["fatalities"] == sum(e["fatalities"] for e in store.events(actor="Hezbollah"))
    assert all(set(a) == {"name", "category", "events", "fatalities"} for a in actors)


def test_stats(store: Store) -> None:
    stats = store.stats()
    assert list(stats) == ["by_month", "by_country", "by_actor", "by_type"]
    events = store.events()
    total = sum(e["fatalities"] for e in events)
    for name in ("by_month", "by_country", "by_type"):
        assert sum(r["events"] for r in stats[name]) == len(events)
        assert sum(r["fatalities"] for r in stats[name]) == total
    months = [r["key"] for r in stats["by_month"]]
    assert months == ["2018-01", "2018-02", "2018-03", "2018-04", "2018-05", "2018-06", None]
    assert stats["by_country"][-1]["key"] is None
    assert stats["by_actor"] == [
        {"key": a["name"], "events": a["events"], "fatalities": a["fatalities"]} for a in store.actors()
    ]
    syria = store.stats(country="Syria")
    assert [r["key"] for r in syria["by_country"]] == ["Syria"]


def test_newest_first_keeps_undated_events_last(store: Store) -> None:
    """Issue 20.6: "newest first" means the newest dated events, not the undated ones."""
    oldest_first = store.events()
    newest_first = store.events(order="newest")
    dated = [e for e in oldest_first if e["event_date"]]
    undated = [e for e in oldest_first if not e["event_date"]]
    assert undated, "the fixture needs an undated event"
    assert [e["event_id"] for e in newest_first] == [e["event_id"] for e in dated[::-1] + undated[::-1]]
    assert store.events(order="newest", limit=2) == newest_first[:2]
    with pytest.raises(ValueError, match="use one of: date, newest"):
        store.events(order="random")
