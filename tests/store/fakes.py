"""Test helpers shared by the store, API and CLI tests (and the kill-test subprocess).

``fake_extract_many`` stands in for the extractor where a test needs events in known
shapes; it reads the numbers back out of the texts ``write_corpus`` generates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from marsad.model import Article, ArticleResult, Event, Source
from marsad.store import Store
from marsad.store.schema import metadata

TOWNS = [
    ("Albu Kamal", "Deir ez-Zor", 34.45, 40.92),
    ("Raqqa", "Raqqa", 35.95, 39.01),
    ("Idlib", "Idlib", 35.93, 36.63),
]
SENTENCE = re.compile(
    r"(\d+) people were killed in ([A-Z][a-z]+(?: [A-Z][a-z]+)?) on (2018-\d\d-\d\d)[^.]*\."
)


def article_text(i: int) -> str:
    town = TOWNS[i % 3][0]
    text = (
        f"DAMASCUS - {i % 9} people were killed in {town} on 2018-06-{1 + i % 28:02d}, the Observatory said. "
        f"Residents described heavy shelling near the market in dispatch number {i}."
    )
    if i % 4 == 0:
        text += (
            f" Separately, {i % 5 + 1} people were killed in Raqqa on 2018-05-{1 + i % 27:02d} by a car bomb."
        )
    return text


def write_corpus(directory: Path, n: int) -> list[Path]:
    """``n`` news-like text files (some reporting two events) named art000.txt ..."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = directory / f"art{i:03d}.txt"
        path.write_text(article_text(i) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def fake_events(article: Article) -> list[Event]:
    """One event per 'N people were killed in TOWN on DATE' sentence, with its evidence."""
    events = []
    for m in SENTENCE.finditer(article.text):
        town = next(t for t in TOWNS if t[0] == m.group(2))
        events.append(
            Event(
                event_id="fake",
                event_date=m.group(3),
                date_precision="day",
                event_type="Explosions/Remote violence" if "bomb" in m.group(0) else "Battles",
                sub_event_type="Remote explosive/landmine/IED" if "bomb" in m.group(0) else "Armed clash",
                actor1="Islamic State",
                actor2="Military Forces of Syria" if "bomb" not in m.group(0) else "Civilians (Syria)",
                location=town[0],
                admin1=town[1],
                country="Syria",
                iso3="SYR",
                latitude=town[2],
                longitude=town[3],
                geo_precision=1,
                fatalities=int(m.group(1)),
                sources=[
                    Source(
                        article.article_id,
                        article.publisher,
                        "the Observatory",
                        m.group(0),
                        m.start(),
                        m.end(),
                    )
                ],
                notes=f"{m.group(1)} people were killed in {town[0]}.",
            )
        )
    return events


def fake_extract_many(
    articles: Iterable[Article], *, workers: int = 1, on_error: Any = None
) -> Iterator[ArticleResult]:
    for article in articles:
        yield ArticleResult(article, fake_events(article))


# The change order the live stream reads (marsad.store.changes) records how the record was
# written (which batches, in which order), not what it says.
HISTORY_COLUMNS = ("updated_at", "change_seq", "created_seq")
HISTORY_TABLES = ("counters", "event_removals", "event_versions")


def dump(
    store_or_url: Store | str, *, skip: tuple[str, ...] = ("read_at", *HISTORY_COLUMNS)
) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, minus wall-clock columns and the change history: equal
    dumps, equal records."""
    store = Store(store_or_url) if isinstance(store_or_url, str) else store_or_url
    out = {}
    try:
        with store.engine.connect() as conn:
            for table in metadata.sorted_tables:
                if table.name in HISTORY_TABLES:
                    continue
                cols = [c for c in table.columns if c.name not in skip]
                rows = conn.execute(sa.select(*cols)).all()
                out[table.name] = sorted((tuple(r) for r in rows), key=repr)
    finally:
        if isinstance(store_or_url, str):
            store.close()
    return out
