"""Entry points of extraction: one article, or many in a process pool.

Extraction is a pure function of an article's text and metadata, so articles can be
spread over processes (``workers``) or a Dask cluster without changing results.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from marsad.annotate.pipeline import Annotation, Annotator
from marsad.extract.assemble import Draft, build_events, merge
from marsad.extract.casualties import find_casualties
from marsad.extract.mentions import Mention, sentence_mentions
from marsad.knowledge.actors import load_actors
from marsad.knowledge.taxonomy import load_taxonomy
from marsad.model import Article, ArticleResult, Event
from marsad.settings import Options


def events_from(ann: Annotation) -> list[Event]:
    """The events one annotated article reports (pure: same annotation, same events)."""
    taxonomy = load_taxonomy()
    mentions = sentence_mentions(ann, taxonomy)
    casualties = find_casualties(ann, taxonomy)
    drafts = merge(
        mentions, frozenset(c.sent_index for c in casualties if not c.breakdown and c.kind == "killed")
    )
    if not drafts and any(not c.breakdown for c in casualties):
        drafts = _casualty_only_drafts(ann)
    events = build_events(ann, drafts, casualties, taxonomy, load_actors())
    located = [e for e in events if e.geo_precision is not None and e.location != e.country]
    return located or events[:1]


def _casualty_only_drafts(ann: Annotation) -> list[Draft]:
    """A killing with no other trigger word ("12 civilians were killed in Idlib") is still an event."""
    from marsad.extract.mentions import date_for, place_for

    taxonomy = load_taxonomy()
    casualties = [c for c in find_casualties(ann, taxonomy) if not c.breakdown]
    if not casualties:
        return []
    sents = list(ann.doc.sents)
    c = casualties[0]
    sent = sents[c.sent_index]
    span = ann.doc.char_span(c.start, c.end, alignment_mode="expand")
    token = span.root.head if span is not None else sent.root
    place, country_only = place_for(token, sent, ann.places)
    date, report = date_for(token, sent, ann.dates, None)
    sub = taxonomy.get("Attack") if c.civilians else taxonomy.get("Armed clash")
    actors = [a for a in ann.actors if sent.start_char <= a.start_char < sent.end_char]
    if any(t.lemma_.lower() in taxonomy.not_conflict for t in sent):
        return []  # "400 have died in an outbreak of encephalitis": deaths, but not from violence
    if not any(
        a.generic is not None or (a.actor is not None and a.actor.category not in ("Civilians",))
        for a in actors + ([c.side] if c.side else [])
    ):
        return []  # deaths with no armed actor anywhere near: floods, crashes, disease
    m = Mention(
        c.sent_index, 0, token, sub, None, c.side, actors, place, country_only, date, report, lead=True
    )
    return [Draft([m])]


class Extractor:
    """Holds the loaded spaCy pipeline and knowledge base; reuse one per process."""

    def __init__(self, options: Options | None = None) -> None:
        self.annotator = Annotator(options)

    def extract(self, article: Article) -> list[Event]:
        return events_from(self.annotator.annotate(article))

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        for ann in self.annotator.annotate_many(articles):
            yield ArticleResult(ann.article, events_from(ann))


@functools.lru_cache(maxsize=1)
def _process_extractor() -> Extractor:
    return Extractor()


def extract_article(article: Article) -> list[Event]:
    return _process_extractor().extract(article)


def _extract_chunk(articles: list[Article]) -> list[ArticleResult]:
    return list(_process_extractor().extract_many(articles))


AUTO_THRESHOLD = 32  # articles: below this, starting a pool costs more than it saves


def extract_many(
    articles: Iterable[Article], *, workers: int | None = 1, chunk: int = 8
) -> Iterator[ArticleResult]:
    """Results in input order. ``workers`` > 1 uses a local process pool; 0 means one per
    core; ``None`` (auto) means one per core when there are more than a few dozen articles."""
    if workers is None:
        rest = iter(articles)
        head = list(itertools.islice(rest, AUTO_THRESHOLD + 1))
        articles = itertools.chain(head, rest)
        workers = 0 if len(head) > AUTO_THRESHOLD else 1
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        yield from _process_extractor().extract_many(articles)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= chunk:
                pending.append(pool.submit(_extract_chunk, batch))
                batch = []
                while len(pending) > workers * 2:
                    yield from pending.pop(0).result()
        if batch:
            pending.append(pool.submit(_extract_chunk, batch))
        for fut in pending:
            yield from fut.result()
