"""Linking in the store: batches link into existing events, in any order, on both backends."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from link.linkdata import as_results

from marsad.link.evaluate import GoldReport, load_gold
from marsad.model import Article, ArticleResult, Event
from marsad.store import Store

GOLD = Path(__file__).parent / "data" / "linking_gold.jsonl"


@pytest.fixture(scope="module")
def gold() -> list[GoldReport]:
    return load_gold(GOLD)


def record(store: Store) -> dict[str, Any]:
    """Everything the record says about events, independent of when things were read."""
    events = store.events()
    details = [store.event(e["event_id"]) for e in events]
    for d in details:
        assert d is not None
        for r in d["reports"]:
            r.pop("extractor_version", None)
    with store.engine.connect() as conn:
        groups = sorted(conn.execute(sa.text("SELECT report_id, link_group FROM reports")).all())
        blocks = sorted(conn.execute(sa.text("SELECT block, report_id FROM link_blocks")).all())
    return {"events": events, "details": details, "groups": groups, "blocks": blocks}


def ingest(url: str, results: list[ArticleResult], *, seed: int, batch_size: int) -> dict[str, Any]:
    shuffled = list(results)
    random.Random(seed).shuffle(shuffled)
    with Store(url) as store:
        store.add(shuffled, batch_size=batch_size)
        return record(store)


def test_three_orders_give_identical_events(gold: list[GoldReport], tmp_path: Path) -> None:
    results = as_results(gold)
    runs = [
        ingest(str(tmp_path / f"order{seed}.db"), results, seed=seed, batch_size=size)
        for seed, size in ((1, 7), (2, 50), (3, 1))
    ]
    assert runs[0] == runs[1] == runs[2]
    events = runs[0]["events"]
    assert len(events) == len({g.cluster for g in gold})  # the gold clusters, no more, no fewer
    c12 = next(e for e in events if any(s["article_id"] == "c12-afp" for s in e["sources"]))
    assert c12["n_sources"] == 5 and "Sources disagree on the death toll" in c12["notes"]


@pytest.mark.postgres
def test_postgresql_gives_the_same_record(gold: list[GoldReport], tmp_path: Path, pg_db: str) -> None:
    results = as_results(gold)
    assert ingest(pg_db, results, seed=4, batch_size=20) == ingest(
        str(tmp_path / "m.db"), results, seed=5, batch_size=13
    )


def test_a_new_source_joins_the_existing_event(gold: list[GoldReport], db_url: str) -> None:
    results = {r.article.article_id: r for r in as_results(gold)}
    with Store(db_url) as store:
        store.add([results["c02-reuters"], results["n02-a-sohr"]])
        (first,) = [e for e in store.events() if e["location"] == "Ma‘arrat an Nu‘mān"]
        assert first["n_sources"] == 1
        summary = store.add([results["c02-sohr"], results["n03-a"]])  # a day later; and Saraqib again
        assert (summary.reports, summary.events, summary.linked) == (2, 2, 1)
        (event,) = [e for e in store.events() if e["location"] == "Ma‘arrat an Nu‘mān"]
        assert event["event_id"] == first["event_id"]  # the first published report still founds it
        assert event["n_sources"] == 2 and event["fatalities"] == 27 and event["fatalities_high"] == 39
        assert {s["article_id"] for s in event["sources"]} == {"c02-reuters", "c02-sohr"}
        detail = store.event(event["event_id"])
        assert detail is not None
        why = {link["report_id"]: link["explanation"] for link in detail["links"]}
        assert any(w.startswith("founding report") for w in why.values())
        assert sum("same place (0 km)" in w and "same day" in w and "text" in w for w in why.values()) == 1
        assert store.count_events() == 3  # Saraqib on two days: two more events


def test_a_corrected_version_relinks_its_event(gold: list[GoldReport], tmp_path: Path) -> None:
    results = {r.article.article_id: r for r in as_results(gold)}
    with Store(str(tmp_path / "m.db")) as store:
        store.add([results[k] for k in ("c07-ap", "c07-reuters", "c07-ohchr")])
        (event,) = store.events()
        assert event["n_sources"] == 3
        # AP's text corrected: its report now places the bombing in Mosul, far from Baghdad
        ap = results["c07-ap"]
        moved = Event.from_dict(ap.events[0].to_dict())
        moved.location, moved.latitude, moved.longitude, moved.geonameid = "Mosul", 36.335, 43.119, 99072
        moved.admin1 = "Nineveh"
        corrected = Article(
            "c07-ap", ap.article.text + " (corrected)", publisher="AP", publish_date=date(2021, 1, 21)
        )
        summary = store.add([ArticleResult(corrected, [moved])])
        assert summary.new_versions == 1
        events = store.events()
        assert len(events) == 2
        baghdad = next(e for e in events if e["location"] == "Baghdad")
        assert baghdad["n_sources"] == 2 and baghdad["fatalities"] == 32


def test_upgrading_a_0001_database_links_what_it_holds(
    gold: list[GoldReport], db_url: str, tmp_path: Path
) -> None:
    """A database written before linking (revision 0001, one report one event) is linked
    when marsad opens it: the same events as a fresh ingest."""
    from alembic import command
    from alembic.config import Config

    from marsad.store import engine as store_engine
    from marsad.store import write

    results = [r for r in as_results(gold) if r.article.article_id.startswith(("c01", "c07", "n01"))]
    old = db_url
    engine = store_engine.create(store_engine.resolve_url(old))
    cfg = Config()
    cfg.set_main_option("script_location", str(store_engine.MIGRATIONS))
    with engine.connect().execution_options(marsad_write=True) as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    with engine.connect().execution_options(marsad_write=True) as conn, conn.begin():
        now = write.datetime.now(write.UTC)
        for r in results:  # what 0001's write path stored: each report its own event
            write._insert_article(conn, r.article, version="0", now=now)
            _insert_0001(conn, r)
    engine.dispose()
    with Store(old) as store:
        upgraded = record(store)
    fresh = ingest(str(tmp_path / "fresh.db"), results, seed=1, batch_size=50)
    assert upgraded == fresh
    assert len(upgraded["events"]) == 2 + 1  # June 2018, December 2017, Baghdad


def _insert_0001(conn: sa.Connection, result: ArticleResult) -> None:
    """Revision 0001's rows for one article: every report its own event, no link columns."""
    from marsad.store.schema import claims, events, reports
    from marsad.store.write import _event_fields, _upsert_place, stable_id

    h = result.article.content_hash
    for i, ev in enumerate(result.events):
        fields, place_id = _event_fields(ev, confidence=False), _upsert_place(conn, ev)  # no 0009 columns
        event_id, report_id = stable_id("event", h, i), stable_id("report", h, i)
        conn.execute(events.insert().values(event_id=event_id, place_id=place_id, **fields))
        conn.execute(
            reports.insert().values(
                report_id=report_id,
                content_hash=h,
                report_index=i,
                event_id=event_id,
                link_explanation="one report, one event (not yet linked with other sources)",
                place_id=place_id,
                **fields,
            )
        )
        for k, src in enumerate(ev.sources):
            conn.execute(
                claims.insert().values(
                    report_id=report_id,
                    claim_index=k,
                    event_id=event_id,
                    content_hash=h,
                    article_id=src.article_id,
                    publisher=src.publisher,
                    claimant=src.claimant,
                    quote=src.quote,
                    start=src.start,
                    end=src.end,
                    fatalities=ev.fatalities if len(ev.sources) == 1 else None,
                    wounded=ev.wounded if len(ev.sources) == 1 else None,
                )
            )


def test_seeds_stay_two_events_in_two_months(cached_extractor: None, tmp_path: Path) -> None:
    """The two seed articles, through the real extractor: the Albu Kamal attack of June 2018
    and the one of December 2017 stay two events."""
    import marsad
    from marsad.read import read_paths

    seeds = Path("/work/shared/seeds")
    if not seeds.exists():
        pytest.skip("shared seeds not available")
    dates = {"000_ce7c9310039fc31c": date(2018, 6, 10), "003_56dc01280dc948e5": date(2017, 12, 12)}
    articles: list[Any] = []
    for path in sorted(seeds.glob("*.txt")):
        articles.extend(read_paths([str(path)], publish_date=dates[path.stem]))
    with marsad.open(str(tmp_path / "seeds.db")) as obs:
        obs.ingest_articles(articles)
        kamal = [e for e in obs.events() if e["geonameid"] == 174448]
    months = sorted({e["event_date"][:7] for e in kamal})
    assert months == ["2017-12", "2018-06"]
    assert not any(
        {s["article_id"] for s in e["sources"]} >= {"000_ce7c9310039fc31c", "003_56dc01280dc948e5"}
        for e in kamal
    )
