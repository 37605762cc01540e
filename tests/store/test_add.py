"""The write path: idempotence, versions, re-extraction, batches, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store.fakes import dump

from marsad.model import ArticleResult, Source
from marsad.store import Store
from marsad.store.write import is_newer, stable_id


@pytest.fixture
def store(db_url: str):
    s = Store(db_url)
    yield s
    s.close()


def test_add_stores_article_reports_events_claims_actors(store: Store, make_article, make_event) -> None:
    article = make_article("a1", "Twenty-one were killed in Albu Kamal.")
    summary = store.add([ArticleResult(article, [make_event(), make_event(fatalities=3, sources=[])])])
    assert (summary.articles, summary.reports, summary.events, summary.duplicates) == (1, 2, 2, 0)
    tables = dump(store)
    assert len(tables["articles"]) == 1
    assert len(tables["reports"]) == 2 and len(tables["events"]) == 2
    assert len(tables["claims"]) == 1
    assert {row[0] for row in tables["actors"]} == {"Islamic State", "Military Forces of Syria", "Hezbollah"}
    assert len(tables["places"]) == 1  # both events are in the same place: one row


def test_event_id_is_a_stable_hash_of_content_and_index(store: Store, make_article, make_event) -> None:
    article = make_article("a1", "Some text.")
    store.add([ArticleResult(article, [make_event(), make_event(event_date="2018-06-09")])])
    ids = [e["event_id"] for e in store.events()]
    assert ids == [stable_id("event", article.content_hash, 0), stable_id("event", article.content_hash, 1)]


def test_same_article_twice_changes_nothing(store: Store, make_article, make_event) -> None:
    result = ArticleResult(make_article("a1", "Same text."), [make_event()])
    store.add([result])
    before = dump(store)
    again = store.add([result, result])
    assert (again.articles, again.duplicates, again.reports) == (0, 2, 0)
    assert dump(store) == before


def test_same_text_under_another_id_is_a_duplicate(store: Store, make_article, make_event) -> None:
    store.add([ArticleResult(make_article("a1", "Same text."), [make_event()])])
    summary = store.add([ArticleResult(make_article("copy-of-a1", "Same text."), [make_event()])])
    assert summary.duplicates == 1 and store.count_events() == 1


def test_duplicate_inside_one_batch_is_stored_once(store: Store, make_article, make_event) -> None:
    result = ArticleResult(make_article("a1", "Same text."), [make_event()])
    summary = store.add([result, result], batch_size=10)
    assert (summary.articles, summary.duplicates) == (1, 1)
    assert store.count_events() == 1


def test_corrected_text_is_a_new_version_of_the_same_id(store: Store, make_article, make_event) -> None:
    store.add([ArticleResult(make_article("a1", "Twenty were killed."), [make_event(fatalities=20)])])
    store.add(
        [
            ArticleResult(
                make_article("b1", "Other news."), [make_event("b1", event_date="2018-06-01", fatalities=0)]
            )
        ]
    )
    other_before = {k: v for k, v in dump(store, skip=()).items()}
    summary = store.add(
        [ArticleResult(make_article("a1", "Twenty-one were killed."), [make_event(fatalities=21)])]
    )
    assert (summary.articles, summary.new_versions) == (1, 1)
    events = store.events()
    assert [e["fatalities"] for e in events] == [0, 21]  # b1's event, then a1's corrected one
    article = store.article("a1")
    assert article is not None and article["text"] == "Twenty-one were killed."
    with store.engine.connect() as conn:
        versions = conn.execute(
            sa.text("SELECT version, is_current FROM articles WHERE article_id = 'a1' ORDER BY version")
        ).all()
    assert [(v, bool(c)) for v, c in versions] == [(1, False), (2, True)]
    b_rows = [r for r in dump(store, skip=())["articles"] if r[1] == "b1"]
    assert b_rows == [r for r in other_before["articles"] if r[1] == "b1"]  # untouched, read_at too


def test_reading_the_superseded_text_again_changes_nothing(store: Store, make_article, make_event) -> None:
    old = ArticleResult(make_article("a1", "Twenty were killed."), [make_event(fatalities=20)])
    store.add([old])
    store.add([ArticleResult(make_article("a1", "Twenty-one were killed."), [make_event(fatalities=21)])])
    before = dump(store)
    assert store.add([old]).duplicates == 1
    assert dump(store) == before


def test_same_url_under_another_id_is_a_new_version(store: Store, make_article, make_event) -> None:
    url = "https://example.org/news/1"
    store.add([ArticleResult(make_article("x", "First text.", url=url), [make_event()])])
    store.add([ArticleResult(make_article("y", "Corrected text.", url=url), [make_event(fatalities=5)])])
    assert [e["fatalities"] for e in store.events()] == [5]
    assert store.article("x") is None  # the document's current version now has id y
    assert store.article("y") is not None


def test_newer_extractor_replaces_reports_and_touches_nothing_else(
    store: Store, make_article, make_event
) -> None:
    a = make_article("a1", "Text A.")
    b = make_article("b1", "Text B.")
    other = make_event("b1", event_date="2018-06-01")  # another event: linking leaves it alone
    store.add([ArticleResult(a, [make_event()]), ArticleResult(b, [other])], extractor_version="1.0")
    b_before = {
        t: [r for r in rows if "b1" in repr(r) or b.content_hash in repr(r)]
        for t, rows in dump(store, skip=()).items()
    }

    summary = store.add(
        [ArticleResult(a, [make_event(fatalities=4), make_event(fatalities=5)])], extractor_version="1.10"
    )
    assert (summary.reextracted, summary.reports) == (1, 2)
    assert sorted(e["fatalities"] for e in store.events()) == [4, 5, 21]
    b_after = {
        t: [r for r in rows if "b1" in repr(r) or b.content_hash in repr(r)]
        for t, rows in dump(store, skip=()).items()
    }
    assert b_after == b_before

    # the same or an older extractor does not undo it
    assert store.add([ArticleResult(a, [make_event()])], extractor_version="1.9").duplicates == 1
    assert sorted(e["fatalities"] for e in store.events()) == [4, 5, 21]


@pytest.mark.parametrize("reextracted", ["a1", "b1"])
def test_reextracting_an_article_whose_event_others_joined(
    store: Store, db_url: str, tmp_path, make_article, make_event, reextracted: str
) -> None:
    """One event, two articles: re-extracting either (the event's founder or the joiner)
    must neither collide with the event the other still holds nor lose it."""
    a = make_article("a1", "DAMASCUS - Twenty-one were killed in Albu Kamal on Friday.")
    b = make_article("b1", "BEIRUT - Islamic State fighters killed 21 troops in Albu Kamal.")
    first = [ArticleResult(a, [make_event("a1")]), ArticleResult(b, [make_event("b1")])]
    store.add(first, extractor_version="1.0")
    assert len(store.events()) == 1  # the two reports were linked into one event

    redone = a if reextracted == "a1" else b
    # the newer extractor finds the same event (with a corrected toll) and a second one
    found = [
        make_event(redone.article_id, fatalities=23),
        make_event(redone.article_id, event_date="2018-06-01", location="Raqqa", geonameid=163915),
    ]
    summary = store.add([ArticleResult(redone, found)], extractor_version="1.1")
    assert (summary.reextracted, summary.reports) == (1, 2)
    got = store.events()
    assert len(got) == 2
    joined = next(e for e in got if e["location"] == "Albu Kamal")
    assert {s["article_id"] for s in joined["sources"]} == {"a1", "b1"}

    # the record equals one built from scratch with what each article now says
    kept = next(r for r in first if r.article.article_id != reextracted)
    fresh = Store(str(tmp_path / "fresh.db"))
    try:
        fresh.add([kept, ArticleResult(redone, found)], extractor_version="1.1")
        assert store.events() == fresh.events()
    finally:
        fresh.close()

    # and re-extracting once more, now with nothing found, leaves the other article's event
    store.add([ArticleResult(redone, [])], extractor_version="1.2")
    left = store.events()
    assert [{s["article_id"] for s in e["sources"]} for e in left] == [{kept.article.article_id}]


def test_is_newer_compares_dotted_versions_numerically() -> None:
    assert is_newer("1.10", "1.9") and not is_newer("1.9", "1.10") and not is_newer("2", "2")
    assert is_newer("rules-b", "rules-a")  # unorderable and different: the running one wins


def distinct(make_event, i: int):
    """Article i's event, three days after article i-1's: events that linking keeps apart."""
    return make_event(f"a{i}", event_date=f"2018-05-{1 + 3 * i:02d}")


def test_one_bad_record_never_fails_its_batch(store: Store, make_article, make_event) -> None:
    """Issue 20.11: the database refuses one record; the rest of its batch is stored."""

    def results():
        for i in range(5):
            yield ArticleResult(make_article(f"a{i}", f"Text {i}."), [distinct(make_event, i)])
        bad = make_event("a5", sources=[Source("a5", None, None, None, 0, 1)])  # quote NOT NULL
        yield ArticleResult(make_article("a5", "Text 5."), [bad])
        huge = make_event("a6", fatalities=10**30)  # no backend's INTEGER holds it
        yield ArticleResult(make_article("a6", "Text 6."), [huge])
        yield ArticleResult(make_article("a7", "Text 7."), [distinct(make_event, 7)])

    summary = store.add(results(), batch_size=3)
    assert sorted(r[1] for r in dump(store)["articles"]) == ["a0", "a1", "a2", "a3", "a4", "a7"]
    assert store.count_events() == summary.events == 6
    assert [r.source for r in summary.rejected] == ["corpus/a5.txt", "corpus/a6.txt"]
    assert all("could not be stored" in r.reason for r in summary.rejected)
    assert summary.exit_code == 1


def test_long_ids_and_urls_are_stored_and_found(store: Store, make_article, make_event) -> None:
    """Issue 20.11: a 3,000-character id (and URL) must fit PostgreSQL's btree index rows."""
    import random

    rng = random.Random(20)  # varied characters: PostgreSQL compresses repetitive keys to fit
    long_id = "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(3000))  # 9,000 bytes
    url = "https://example.org/" + "".join(chr(rng.randrange(0x4E00, 0x9FFF)) for _ in range(3000))
    article = make_article(long_id, "A long-id text.", url=url)
    other = make_article(long_id + "x", "Another long-id text.", url=url + "x")
    summary = store.add([ArticleResult(article, [make_event(long_id)]), ArticleResult(other, [])])
    assert (summary.articles, summary.rejected) == (2, [])
    found = store.article(long_id)
    assert found is not None and found["text"] == "A long-id text."
    assert store.article(long_id + "x") is not None  # distinct after capping


def test_same_file_name_in_two_folders_is_two_documents(store: Store, make_article, make_event) -> None:
    """Issue 20.10: the identity of an article is not its file's base name."""
    a = make_article("report", "Text in folder a.", source_path="a/report.txt")
    b = make_article("report", "Text in folder b.", source_path="b/report.txt")
    summary = store.add([ArticleResult(a, [make_event("report")]), ArticleResult(b, [])])
    assert (summary.articles, summary.new_versions) == (2, 0)
    with store.engine.connect() as conn:
        current = conn.execute(sa.text("SELECT count(*) FROM articles WHERE is_current")).scalar()
    assert current == 2 and store.count_events() == 1


def test_batches_commit_as_they_go(store: Store, make_article, make_event) -> None:
    seen: list[int] = []
    results = (
        ArticleResult(make_article(f"a{i}", f"Text {i}."), [distinct(make_event, i)]) for i in range(7)
    )
    store.add(results, batch_size=3, on_batch=lambda s: seen.append(store.count_events()))
    assert seen == [3, 6, 7]


def test_article_without_events_is_stored_and_not_extracted_again(store: Store, make_article) -> None:
    article = make_article("quiet", "Nothing happened today.")
    assert store.add([ArticleResult(article, [])]).articles == 1
    assert store.pending([article.content_hash]) == set()
    assert store.article("quiet") is not None and store.count_events() == 0


def test_unicode_names_round_trip(store: Store, make_article, make_event) -> None:
    event = make_event(actor1="تنظيم الدولة", location="البوكمال", fatalities_by_actor={"تنظيم الدولة": 3})
    store.add([ArticleResult(make_article("ar", "نص عربي"), [event])])
    (got,) = store.events()
    assert got["actor1"] == "تنظيم الدولة" and got["fatalities_by_actor"] == {"تنظيم الدولة": 3}
    assert store.events(actor="تنظيم الدولة") == [got]


def test_actor_categories_follow_the_knowledge_base(
    store: Store, make_article, make_event, monkeypatch: pytest.MonkeyPatch
) -> None:
    from marsad.store import knowledge

    monkeypatch.setattr(knowledge, "category", lambda name: "")
    store.add([ArticleResult(make_article("a1", "One."), [make_event()])])
    assert {a["category"] for a in store.actors()} == {""}  # unknown: empty, not a guess
    monkeypatch.setattr(knowledge, "category", lambda name: {"Islamic State": "Rebel groups"}.get(name, ""))
    store.add([ArticleResult(make_article("a2", "Two."), [make_event("a2")])])
    categories = {a["name"]: a["category"] for a in store.actors()}
    assert categories["Islamic State"] == "Rebel groups" and categories["Hezbollah"] == ""


def test_summary_counts_events_later_batches_merged_once(store: Store, make_article, make_event) -> None:
    """Issue 20.19: an event of batch 1 that batch 2 merged is counted once, not twice."""
    a = ArticleResult(make_article("a1", "Twenty-one were killed.", publisher="SOHR"), [make_event("a1")])
    b = ArticleResult(make_article("b1", "21 killed, says agency.", publisher="SANA"), [make_event("b1")])
    summary = store.add([a, b], batch_size=1)
    assert store.count_events() == 1  # the two reports tell one event
    assert (summary.reports, summary.events) == (2, 1)


def test_a_document_stored_under_its_old_id_key_gets_new_versions(
    store: Store, make_article, make_event
) -> None:
    """Databases from before file keys: a corrected file still supersedes its old version."""
    old = make_article("report", "Twenty were killed.", source_path="a/report.txt")
    store.add([ArticleResult(old, [make_event("report", fatalities=20)])])
    with store.engine.begin() as conn:  # as an older marsad keyed it
        conn.execute(sa.text("UPDATE articles SET doc_key = 'id:report'"))
    new = make_article("report", "Twenty-one were killed.", source_path="a/report.txt")
    summary = store.add([ArticleResult(new, [make_event("report", fatalities=21)])])
    assert (summary.articles, summary.new_versions) == (1, 1)
    assert [e["fatalities"] for e in store.events()] == [21]
    other = make_article("report", "Elsewhere.", source_path="b/report.txt")  # another folder
    assert store.add([ArticleResult(other, [])]).new_versions == 0
