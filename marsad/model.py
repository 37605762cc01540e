"""Plain dataclasses that travel between pipeline stages.

Stages never reach into each other's internals: ``read`` yields :class:`Article`,
``extract`` turns one article into :class:`Event` records (one per event the article
reports, each with its :class:`Source` evidence), ``link`` merges events from many
articles, ``store`` persists them and ``export``/``serve`` read them back.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

#: ACLED's time_precision for marsad's date_precision: 1 the day is known, 2 a week (or a few days
#: around a date), 3 only the month or something coarser.
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "year": 3}


def time_precision(date_precision: str | None) -> int | None:
    """ACLED's time_precision (1/2/3) for a ``date_precision``; None for an undated event."""
    return TIME_PRECISION.get(date_precision or "")


def content_hash(text: str) -> str:
    """SHA-256 of the article text: the key that makes re-ingesting a no-op."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Article:
    """One news article after reading: clean text plus the metadata the reader found.

    ``text`` is the body with page junk removed; every offset elsewhere in marsad
    (evidence spans, annotation layers) points into this string.
    """

    article_id: str
    text: str
    source_path: str | None = None
    title: str | None = None
    publisher: str | None = None
    publish_date: date | None = None
    url: str | None = None
    dateline: str | None = None  # place named in the dateline ("BEIRUT"), a last-resort location

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)


@dataclass(frozen=True)
class ReadError:
    """An input that could not become an article, with a one-line reason for stderr."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class Source:
    """One claim behind an event: who said it, in which article, in which words."""

    article_id: str
    publisher: str | None
    claimant: str | None
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    """An event as the EVENT table of docs/events.md defines it (ACLED names where ACLED has one).

    ``extract`` fills one per event an article reports (a report); ``link`` merges
    reports of the same event from several articles into one ``Event`` whose
    ``sources`` hold every claim.
    """

    event_id: str
    event_date: str | None = None
    date_precision: str | None = None
    # ACLED's time_precision, always the one date_precision gives (set through it, never alone)
    time_precision: int | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    location: str | None = None
    admin1: str | None = None
    country: str | None = None
    iso3: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geonameid: int | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    fatalities_low: int | None = None
    fatalities_high: int | None = None
    fatalities_by_actor: dict[str, int] = field(default_factory=dict)
    wounded: int | None = None
    sources: list[Source] = field(default_factory=list)
    notes: str = ""
    # how sure marsad is (docs/confidence.md): the chance that the event's type, place and date
    # are all right; each main field's own chance; and the evidence (how each value was found)
    # that the chances are read from
    confidence: float | None = None
    field_confidence: dict[str, float] = field(default_factory=dict)
    confidence_evidence: dict[str, str] = field(default_factory=dict)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "time_precision":
            value = time_precision(self.__dict__.get("date_precision"))
        object.__setattr__(self, name, value)
        if name == "date_precision":
            object.__setattr__(self, "time_precision", time_precision(value))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["sources"] = [Source(**s) for s in known.get("sources") or []]
        return cls(**known)


@dataclass
class ArticleResult:
    """What ``marsad extract`` prints for one article."""

    article: Article
    events: list[Event]

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "article_id": a.article_id,
            "source_path": a.source_path,
            "publish_date": a.publish_date.isoformat() if a.publish_date else None,
            "title": a.title,
            "publisher": a.publisher,
            "events": [e.to_dict() for e in self.events],
        }
