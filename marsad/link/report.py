"""A report as the linker sees it: one article's account of one event, with the features
blocking and scoring compare, computed once.

The linker never changes the :class:`~marsad.model.Event` it wraps; reconciliation builds
new events from the reports' fields.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from marsad.knowledge.taxonomy import FAMILIES
from marsad.link.knowledge import WILDCARD, actor_book, fold
from marsad.model import Event

# How far from its nominal date an event of this precision may lie (days before, after).
# Weeks are both ways: the extractor dates "this week" by its Monday and undated news by
# the publication day.
SPAN = {"day": (0, 0), "week": (6, 6)}
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}

_WORD = re.compile(r"[a-z]{3,}|\d+")
# "BEIRUT (AFP) -", "KYIV, Ukraine (AP) -", "ADEN, March 27 (Xinhua) --", "(Zaman Al Wasl)-"
DATELINE = re.compile(
    r"(?:^|(?<=[.!?]\s))[A-Z][A-Za-z0-9 .,'/]{0,40}?\([^)]{1,40}\)\s*[-\u2013\u2014]+"
    r"|\([^)]{1,40}\)\s*[-\u2013\u2014]+"
)
STOPWORDS = frozenset(
    """the and for with that this from have has had was were are been being its into over after
    before about also than then them they their there which while who whom whose what when
    where said says say saying told according reported reports report added statement news
    agency not but all any some more most other such only own same one two three four five
    six seven eight nine ten him his her she he it our out off per via upon onto amid among
    between during since until late early near day days week weeks yesterday today monday
    tuesday wednesday thursday friday saturday sunday morning evening night overnight least
    more than""".split()  # noqa: SIM905
)
# Words every conflict report uses: kept, but weighted like a high document frequency would
# weigh them. A fixed table rather than IDF fitted on the corpus, so that a pair's score
# never depends on what else has been ingested (order-independence needs that).
STOCK = frozenset(
    """killed kill killing dead death deaths died wounded injured injuring attack attacks
    attacked forces force fighters militants people civilians army military troops group
    security clashes clash fighting fight town city village province district area region
    border local official officials source sources government regime rebels soldiers toll""".split()  # noqa: SIM905
)
STOCK_WEIGHT = 0.3


@dataclass(eq=False)
class Report:
    """One article's account of one event, plus what the linker derives from it.

    ``report_id`` must be unique and stable (the store uses a hash of the article text and
    the report's index); ``event_key`` is the id an event gets when this report founds it.
    ``group`` is the link group the store last put the report in (None for new reports).
    """

    report_id: str
    event: Event
    article_id: str
    publisher: str | None = None
    publish_date: date | None = None
    event_key: str = ""
    group: str | None = None
    # derived
    day_lo: int | None = field(init=False, default=None)
    day_hi: int | None = field(init=False, default=None)
    precision: str | None = field(init=False, default=None)
    country: str | None = field(init=False, default=None)
    admin: str | None = field(init=False, default=None)
    lat: float | None = field(init=False, default=None)
    lon: float | None = field(init=False, default=None)
    precise: bool = field(init=False, default=False)
    family: str | None = field(init=False, default=None)
    actors: dict[str, float] = field(init=False, default_factory=dict)
    side1: frozenset[str] = field(init=False, default=frozenset())
    side2: frozenset[str] = field(init=False, default=frozenset())
    vector: dict[str, float] = field(init=False, default_factory=dict)
    index_keys: frozenset[str] = field(init=False, default=frozenset())

    def __post_init__(self) -> None:
        if not self.event_key:
            self.event_key = self.report_id
        ev = self.event
        self._dates(ev)
        self.country = fold(ev.iso3 or ev.country or "") or None
        self.admin = f"{self.country}|{fold(ev.admin1)}" if self.country and ev.admin1 else None
        if ev.latitude is not None and ev.longitude is not None and (ev.geo_precision or 1) <= 2:
            self.lat, self.lon, self.precise = float(ev.latitude), float(ev.longitude), True
        self.family = FAMILIES.get(ev.event_type or "")
        self._actors(ev)
        self.vector = text_vector(
            " ".join(s.quote for s in ev.sources), noise=(self.publisher, *(s.publisher for s in ev.sources))
        )
        from marsad.link.block import index_keys  # block needs the fields above

        self.index_keys = index_keys(self)

    def _dates(self, ev: Event) -> None:
        day = parse_date(ev.event_date)
        if day is None:
            return
        precision = ev.date_precision if ev.date_precision in PRECISION_RANK else "day"
        self.precision = precision
        if precision == "month":
            last = calendar.monthrange(day.year, day.month)[1]
            lo, hi = day.replace(day=1), day.replace(day=last)
            self.day_lo, self.day_hi = lo.toordinal(), hi.toordinal()
        elif precision == "year":
            self.day_lo = date(day.year, 1, 1).toordinal()
            self.day_hi = date(day.year, 12, 31).toordinal()
        else:
            before, after = SPAN[precision]
            self.day_lo, self.day_hi = day.toordinal() - before, day.toordinal() + after

    def _actors(self, ev: Event) -> None:
        book = actor_book()
        when = parse_date(ev.event_date)

        def names(values: list[str | None]) -> list[str]:
            return [book.key(v, when) for v in values if v and not WILDCARD.match(v)]

        main1, main2 = names([ev.actor1]), names([ev.actor2])
        assoc1, assoc2 = names(list(ev.assoc_actor_1 or [])), names(list(ev.assoc_actor_2 or []))
        weights: dict[str, float] = {}
        for name in assoc1 + assoc2:
            weights[name] = 0.5
        for name in main1 + main2:
            weights[name] = 1.0
        self.actors = weights
        self.side1, self.side2 = frozenset(main1 + assoc1), frozenset(main2 + assoc2)

    @property
    def query_keys(self) -> frozenset[str]:
        """The blocks a partner of this report may be filed under (computed when asked:
        a few dozen keys a report, too many to keep for every report in memory)."""
        from marsad.link.block import query_keys

        return query_keys(self)

    @property
    def linkable(self) -> bool:
        """A report can join others only with a date and a place finer than a country:
        "fighting in Syria this year" cannot be told apart from any other event."""
        return bool(self.index_keys)

    @property
    def order(self) -> tuple[date, str]:
        """Canonical order: the first published report founds its event."""
        return (self.publish_date or date.max, self.report_id)

    @property
    def fatalities(self) -> int:
        return int(self.event.fatalities or 0)

    @property
    def label(self) -> str:
        """How explanations name a report: its publisher and article."""
        who = self.publisher or next((s.publisher for s in self.event.sources if s.publisher), None)
        return f"{who or 'unknown publisher'} {self.article_id}"


def parse_date(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def text_vector(text: str, noise: Iterable[str | None] = ()) -> dict[str, float]:
    """Unit-length bag of content words (sublinear tf, stock words down-weighted).

    Datelines ("KYIV (Reuters) -") and the publisher's own name say who wrote the
    report, not what happened: two reports by one agency must not look alike for that.
    """
    text = DATELINE.sub(" ", text)
    drop = STOPWORDS | {w for name in noise if name for w in _WORD.findall(fold_text(name))}
    counts = Counter(_stem(w) for w in _WORD.findall(fold_text(text)) if w not in drop)
    vec: dict[str, float] = {}
    for word, n in counts.items():
        weight = (1.0 + math.log(n)) * (STOCK_WEIGHT if word in _STOCK_STEMS else 1.0)
        vec[word] = vec.get(word, 0.0) + weight
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {w: v / norm for w, v in vec.items()} if norm else {}


def fold_text(text: str) -> str:
    return fold(text.replace("'", "")) if text else ""


def _stem(word: str) -> str:
    """Plural and verb endings off, so "strikes"/"strike" and "bombers"/"bomber" meet."""
    for suffix in ("ings", "ing", "ers", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


_STOCK_STEMS = frozenset(_stem(w) for w in STOCK)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())
