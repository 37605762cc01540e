"""Text search: SQLite's trigram indexes follow every write and give the plain scan's answer."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from marsad.model import ArticleResult, Source
from marsad.store import Store


@pytest.fixture
def store(db_url: str):
    s = Store(db_url)
    yield s
    s.close()


def scan(events: list[dict[str, Any]], text: str) -> list[dict[str, Any]]:
    """The text filter's meaning, in Python (ASCII data: Python's lower() is SQL's)."""
    t = text.lower()

    def hit(e: dict[str, Any]) -> bool:
        fields = [e["notes"], e["actor1"], e["actor2"], e["location"], e["admin1"]]
        return any(f is not None and t in f.lower() for f in fields + [s["quote"] for s in e["sources"]])

    return [e for e in events if hit(e)]


def agrees_with_scan(store: Store, *texts: str) -> None:
    """Every event is found by its own notes and quotes, and any search gives the scan's rows."""
    events = store.events()
    probes = [*texts, *(e["notes"][3:20] for e in events)]
    probes += [s["quote"][2:].upper() for e in events for s in e["sources"]]
    for text in probes:
        got = store.events(text=text)
        assert got == scan(events, text), text
        assert store.count_events(text=text) == len(got)
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.connect() as conn:  # the indexes' keys mirror their tables exactly
        rows = lambda sql: sorted(conn.exec_driver_sql(sql).all())  # noqa: E731
        assert rows("SELECT event_id FROM search_events_keys") == rows("SELECT event_id FROM events")
        assert rows("SELECT report_id, claim_index, event_id FROM search_claims_keys") == rows(
            "SELECT report_id, claim_index, event_id FROM claims"
        )
        for name in ("search_events", "search_claims"):
            conn.exec_driver_sql(f"INSERT INTO {name} ({name}, rank) VALUES ('integrity-check', 0)")


def sourced(make_event, article_id: str, quote: str, **kw: Any) -> Any:
    return make_event(
        article_id, sources=[Source(article_id, "SOHR", "the Observatory", quote, 0, len(quote))], **kw
    )


def test_search_follows_new_sources_and_corrected_versions(store: Store, make_article, make_event) -> None:
    url = "https://example.org/granary"
    first = make_article("a1", "Five were killed at the granary.", url=url)
    store.add(
        [
            ArticleResult(
                first, [sourced(make_event, "a1", "Five were killed", notes="Shelling of the Granary.")]
            )
        ]
    )
    agrees_with_scan(store, "GRANARY", "five were")
    assert len(store.events(text="granary")) == 1

    # another source of the same event: linked into it, the event rewritten
    other = make_article("a2", "Six died when the granary was shelled.")
    store.add(
        [ArticleResult(other, [sourced(make_event, "a2", "Six died", notes="Granary shelled; six dead.")])]
    )
    assert [e["n_sources"] for e in store.events()] == [2]
    agrees_with_scan(store, "six died", "granary", "reported by 2")

    # a corrected text of the first article replaces its report, claims and quotes
    corrected = make_article("a1", "Seven were killed at the mill.", url=url)
    store.add(
        [ArticleResult(corrected, [sourced(make_event, "a1", "Seven were killed", notes="Mill shelled.")])]
    )
    agrees_with_scan(store, "five were", "seven were", "mill shelled", "Shelling of the Granary")
    assert store.events(text="five were") == []


def test_search_takes_every_character_literally(store: Store, make_article, make_event) -> None:
    notes = ['They said "no" to 100% of_it.', "Ça va: l'émeute à Alep (a\\b).", "Plain notes, nothing odd."]
    results = []
    for i, note in enumerate(notes):
        article = make_article(f"s{i}", f"Quote number {i} of {note}")
        event = sourced(make_event, f"s{i}", f"Quote number {i}", notes=note, event_date=f"2018-06-0{i + 1}")
        results.append(ArticleResult(article, [event]))
    store.add(results)
    agrees_with_scan(
        store, 'said "no"', '"no"', "100% of_", "% of", "f_i", "l'émeute", "a\\b", "émeute à", "Ça va"
    )
    assert [e["notes"] for e in store.events(text='"NO" TO')] == [notes[0]]
    assert store.events(text="of it") == [] and store.events(text="100 %") == []


def test_upgrading_indexes_what_is_stored(db_url: str, make_article, make_event) -> None:
    from alembic import command
    from alembic.config import Config

    from marsad.store.engine import MIGRATIONS

    store = Store(db_url)
    article = make_article("a1", "Nine were killed near the dam.")
    store.add([ArticleResult(article, [sourced(make_event, "a1", "Nine were killed", notes="Dam attack.")])])
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    with store.engine.connect() as conn:
        assert not {"search_events", "search_claims"} & set(sa.inspect(conn).get_table_names())
    store.close()
    store = Store(db_url)  # upgrades to the head again
    agrees_with_scan(store, "nine were", "dam attack")
    assert len(store.events(text="DAM ATT")) == 1
    store.close()
