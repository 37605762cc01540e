"""A store filled the way a user fills one: the bundled examples ingested by the real extractor,
plus one stored event of every ACLED sub-event type the examples lack (built as ``Event``s)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import marsad
from marsad.api import Observatory
from marsad.knowledge.taxonomy import load_taxonomy
from marsad.model import Article, ArticleResult, Event, Source

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "articles"
SYRIA = "Military Forces of Syria (2000-2024)"
POLICE = "Police Forces of Syria (2000-2024)"

# Who does what to whom in each ACLED event type, as ACLED names the sides.
ACTORS: dict[str, tuple[str, str | None]] = {
    "Battles": ("Islamic State", SYRIA),
    "Explosions/Remote violence": (SYRIA, "Civilians (Syria)"),
    "Violence against civilians": ("Islamic State", "Civilians (Syria)"),
    "Protests": ("Protesters (Syria)", None),
    "Riots": ("Rioters (Syria)", "Civilians (Syria)"),
    "Strategic developments": (SYRIA, "Islamic State"),
}
SPECIAL: dict[str, tuple[str, str | None]] = {
    "Protest with intervention": ("Protesters (Syria)", POLICE),
    "Excessive force against protesters": ("Protesters (Syria)", POLICE),
    "Violent demonstration": ("Rioters (Syria)", None),
    "Arrests": (POLICE, "Civilians (Syria)"),
}


def event_of(sub_event_type: str, day: int) -> ArticleResult:
    """One article reporting one event of ``sub_event_type``, on its own day and in its own place."""
    sub = load_taxonomy().get(sub_event_type)
    actor1, actor2 = SPECIAL.get(sub_event_type, ACTORS[sub.event_type])
    when = date(2019, 1, 1) + timedelta(days=3 * day)
    text = (
        f"Report {day}: {sub_event_type} by {actor1} near Syrian town number {day}; two people were killed."
    )
    article_id = f"synthetic-{day:02d}"
    killed = 2 if sub.event_type not in ("Protests", "Strategic developments") else 0
    by_actor: dict[str, int] = {}
    if killed and actor2:
        by_actor = {actor2: 1}
    event = Event(
        event_id=f"e{day}",
        event_date=when.isoformat(),
        date_precision="day",
        event_type=sub.event_type,
        sub_event_type=sub_event_type,
        actor1=actor1,
        actor2=actor2,
        location=f"Town {day}",
        admin1="Idlib",
        country="Syria",
        iso3="SYR",
        latitude=35.0 + day / 100,
        longitude=36.0 + day / 100,
        geo_precision=1,
        fatalities=killed,
        fatalities_low=killed or None,
        fatalities_high=killed + 3 if killed else None,
        fatalities_by_actor=by_actor,
        sources=[Source(article_id, "Test Wire", "witnesses", text, 0, len(text))],
        notes=f"{sub_event_type} by {actor1}.",
    )
    article = Article(
        article_id=article_id,
        text=text,
        source_path=f"synthetic/{article_id}.txt",
        title=f"Headline {day}",
        publisher="Test Wire",
        publish_date=when + timedelta(days=1),
        url=f"https://example.org/{article_id}",
    )
    return ArticleResult(article, [event])


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """SQLite file: the examples ingested, then one event of each sub-event type they lack."""
    path = tmp_path_factory.mktemp("export") / "examples.db"
    with marsad.open(str(path)) as obs:
        summary = obs.ingest([str(EXAMPLES)])
        assert summary.exit_code == 0 and summary.events > 0
        have = {e["sub_event_type"] for e in obs.events()}
        missing = [s.sub_event_type for s in load_taxonomy().sub_types if s.sub_event_type not in have]
        obs.store.add(event_of(name, i) for i, name in enumerate(missing, 1))
    return path


@pytest.fixture
def obs(example_db: Path) -> Iterator[Observatory]:
    with marsad.open(str(example_db), create=False) as o:
        yield o
