"""The store's change order (marsad.store.changes): what the live map's stream reads.

Run on both backends: every added, changed and removed event comes once, in commit order,
after any position a reader holds, and a removed event never gives its number back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from marsad.model import Article, ArticleResult, Event
from marsad.store import Store
from marsad.store.changes import Cursor


def kinds(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(c["kind"], c["event"]["event_id"]) for c in found]


def test_added_updated_removed_in_commit_order(
    db_url: str, make_article: Callable[..., Article], make_event: Callable[..., Event]
) -> None:
    store = Store(db_url)
    assert store.changes() == ([], Cursor(0))
    start = store.changes()[1]
    store.add([ArticleResult(make_article("a1"), [make_event("a1", fatalities=21)])])
    found, first = store.changes(start)
    [(kind, founded)] = kinds(found)
    assert kind == "added" and found[0]["event"]["fatalities"] == 21 and found[0]["event"]["n_sources"] == 1
    assert found[0]["event"]["updated_at"] and first == Cursor(found[0]["event"]["change_seq"], founded)
    assert store.changes(first) == ([], first)  # nothing since
    assert store.changes(Cursor(first.seq)) == ([], Cursor(first.seq))  # all of that change seen
    assert kinds(store.changes(Cursor(first.seq - 1))[0]) == [("added", founded)]

    # a later report of the same fight, with a higher toll: the event keeps its id, is updated
    later = make_article("a2", publish_date=date(2018, 6, 11))
    store.add([ArticleResult(later, [make_event("a2", fatalities=30)])])
    found, second = store.changes(first)
    assert kinds(found) == [("updated", founded)]
    assert found[0]["event"]["n_sources"] == 2 and second.seq > first.seq
    # from the start, the same event is one "added" with its newest state, not two messages
    found, _ = store.changes(start)
    assert kinds(found) == [("added", founded)] and found[0]["event"]["n_sources"] == 2

    # an earlier report founds the event anew: the old id is removed, the new one added
    earlier = make_article("a0", publish_date=date(2018, 6, 9))
    store.add([ArticleResult(earlier, [make_event("a0", fatalities=25)])])
    found, third = store.changes(second)
    assert sorted(k for k, _ in kinds(found)) == ["added", "removed"]
    removed = next(c["event"] for c in found if c["kind"] == "removed")
    added = next(c["event"] for c in found if c["kind"] == "added")
    assert removed["event_id"] == founded and added["event_id"] != founded and added["n_sources"] == 3
    assert {c["event"]["change_seq"] for c in found} == {third.seq}  # one transaction, one number
    assert store.count_events() == 1

    # another place and day, ingested next: its number is above the removal's, never reused
    elsewhere = make_event("b1", location="Mosul", admin1="Nineveh", country="Iraq", iso3="IRQ",
                           latitude=36.335, longitude=43.11889, event_date="2018-07-01")  # fmt: skip
    store.add([ArticleResult(make_article("b1", publish_date=date(2018, 7, 1)), [elsewhere])])
    found, fourth = store.changes(third)
    assert [k for k, _ in kinds(found)] == ["added"] and fourth.seq == third.seq + 1
    # filters are those of events(); removals come whatever the filters
    assert kinds(store.changes(third, country="Syria")[0]) == []
    assert [k for k, _ in kinds(store.changes(second, country="Iraq")[0])] == ["removed", "added"]
    store.close()


def test_paging_by_position_neither_skips_nor_repeats(
    db_url: str, make_article: Callable[..., Article], make_event: Callable[..., Event]
) -> None:
    store = Store(db_url)
    start = store.changes()[1]
    towns = ["Raqqa", "Homs", "Hama", "Daraa", "Aleppo"]
    batch = [
        ArticleResult(
            make_article(f"t{i}", publish_date=date(2018, 5, 1 + i)),
            [
                make_event(
                    f"t{i}",
                    location=town,
                    admin1=town,
                    event_date=f"2018-05-0{1 + i}",
                    latitude=33.0 + i,
                    longitude=36.0 + i,
                )
            ],
        )  # fmt: skip
        for i, town in enumerate(towns)
    ]
    store.add(batch, batch_size=5)  # one transaction: five events under one number
    seen: list[str] = []
    cursor = start
    while True:
        found, cursor = store.changes(str(cursor), limit=2)  # a position survives printing
        if not found:
            break
        assert len(found) <= 2
        seen += [c["event"]["event_id"] for c in found]
    assert len(seen) == len(set(seen)) == store.count_events() == 5
    store.close()


@pytest.mark.parametrize("text", ["", "x", "12-", "12-XYZ", "-3", "1" * 19])
def test_a_position_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a stream position"):
        Cursor.parse(text)
    assert Cursor.parse("12-00ff") == Cursor(12, "00ff") and str(Cursor(12, "00ff")) == "12-00ff"
