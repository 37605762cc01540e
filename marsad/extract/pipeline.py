"""Entry points of extraction: one article, or many in a process pool.

Extraction is a pure function of an article's text and metadata, so articles can be
spread over processes (``workers``) or a Dask cluster without changing results.
"""

from __future__ import annotations

import copy
import functools
import itertools
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from marsad.annotate.pipeline import Annotation, Annotator, irregular_forms
from marsad.extract.assemble import (
    Draft,
    build_events,
    fold_into_demonstrations,
    fold_toll,
    fold_twins,
    merge,
)
from marsad.extract.casualties import find_casualties
from marsad.extract.mentions import WEAPON_CUES, Mention, sentence_mentions
from marsad.knowledge.actors import load_actors
from marsad.knowledge.conflict_words import NONE, POSSIBLE, load_conflict_words
from marsad.knowledge.taxonomy import load_taxonomy
from marsad.model import Article, ArticleResult, Event
from marsad.settings import Options


def events_from(ann: Annotation) -> list[Event]:
    """The events one annotated article reports (pure: same annotation, same events)."""
    taxonomy = load_taxonomy()
    mentions = sentence_mentions(ann, taxonomy)
    casualties = find_casualties(ann, taxonomy)
    drafts = merge(
        mentions,
        frozenset(c.sent_index for c in casualties if not c.breakdown and c.kind == "killed"),
        taxonomy.separate_cues,
    )
    drafts = fold_into_demonstrations(drafts, taxonomy)
    toll_only = False
    if not drafts and any(not c.breakdown for c in casualties):
        drafts = _casualty_only_drafts(ann)
        toll_only = True
    events = build_events(ann, drafts, casualties, taxonomy, load_actors(), toll_only)
    located = [e for e in events if e.geo_precision is not None and e.location != e.country]
    if not located:
        return events[:1]
    for e in events:
        if e not in located:
            fold_toll(e, located)
    return fold_twins(located)


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
    date, report = date_for(token, sent, ann.dates)
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
        c.sent_index, 0, token, sub, None, c.side, actors, place, country_only, None, date, report, lead=True
    )
    return [Draft([m])]


class Extractor:
    """Holds the loaded spaCy pipeline and knowledge base; reuse one per process."""

    def __init__(self, options: Options | None = None) -> None:
        self.annotator = Annotator(options)
        weapons = [w for _, words in WEAPON_CUES for w in words]
        self.conflict_words = load_conflict_words(irregular_forms(self.annotator.nlp), weapons)

    def with_options(self, **changes: Any) -> Extractor:
        """This extractor with other options (not another model), sharing what it has loaded."""
        other = copy.copy(self)
        other.annotator = self.annotator.with_options(**changes)
        return other

    def extract(self, article: Article) -> list[Event]:
        return next(self.extract_many([article])).events

    def may_report(self, article: Article) -> bool:
        """False when the article's words cannot found an event: no trigger phrase, and no
        casualty word or weak trigger with an armed actor, a conflict cue or a weapon beside it."""
        if not self.annotator.options.prefilter:
            return True
        strength = self.conflict_words.strength(article.text)
        if strength != NONE and strength != POSSIBLE:  # only an armed actor can make it news
            tokens = self.annotator.nlp.make_doc(article.text)  # actors are matched on words alone
            return any(
                m.generic is not None or (m.actor is not None and m.actor.category != "Civilians")
                for m in self.annotator.actors.find(tokens)
            )
        return strength == POSSIBLE

    def extract_many(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Results in input order; an article with no conflict vocabulary is not parsed."""
        queue: deque[tuple[Article, bool]] = deque()

        def to_parse() -> Iterator[Article]:
            for article in articles:
                parse = self.may_report(article)
                queue.append((article, parse))
                if parse:
                    yield article

        for ann in self.annotator.annotate_many(to_parse(), demonyms=False):
            while not queue[0][1]:
                yield ArticleResult(queue.popleft()[0], [])
            queue.popleft()
            yield ArticleResult(ann.article, events_from(ann))
        while queue:
            yield ArticleResult(queue.popleft()[0], [])


@functools.lru_cache(maxsize=1)
def _process_extractor() -> Extractor:
    return Extractor()


def extract_article(article: Article) -> list[Event]:
    return _process_extractor().extract(article)


#: spaCy's default ``max_length``: a longer text raises E088 (and would need GBs to parse).
MAX_CHARS = 1_000_000

#: What a failed article becomes: the article and a one-line reason.
Failure = tuple[Article, str]
OnError = Callable[[Article, str], None]


def too_long(article: Article) -> str | None:
    """Why this article cannot be parsed at all (refused before parsing), or None."""
    n = len(article.text)
    if n <= MAX_CHARS:
        return None
    return (
        f"text of {n:,} characters is longer than the parser's limit of {MAX_CHARS:,}; "
        "split it into articles of under a million characters"
    )


def _isolated(extractor: Extractor | None, articles: list[Article]) -> list[ArticleResult | Failure]:
    """Results of a chunk in order; an article that fails costs only itself, not the chunk."""
    slots: list[ArticleResult | Failure | None] = [None] * len(articles)
    fine: list[int] = []
    for i, article in enumerate(articles):
        reason = too_long(article)
        if reason is None:
            fine.append(i)
        else:
            slots[i] = (article, reason)  # refused unparsed: never worth gigabytes of parse
    if fine:
        extractor = extractor or _process_extractor()
        try:
            done: list[ArticleResult | Failure] = list(extractor.extract_many([articles[i] for i in fine]))
        except Exception:
            done = [_one(extractor, articles[i]) for i in fine]  # again one by one: find the culprit
        for i, result in zip(fine, done, strict=True):
            slots[i] = result
    return [s for s in slots if s is not None]


def _one(extractor: Extractor, article: Article) -> ArticleResult | Failure:
    try:
        return next(iter(extractor.extract_many([article])))
    except Exception as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        return article, f"extraction failed ({reason}); this is a bug in marsad, please report it"


def _extract_chunk(articles: list[Article]) -> list[ArticleResult | Failure]:
    return _isolated(_process_extractor(), articles)


def _watch_parent(parent: int) -> None:
    """In a pool worker: exit as soon as the process that started the pool is gone.

    ``kill -9`` of marsad gives its workers no chance to be told; without this they
    would live on (each holding a spaCy model) until their queue times out, or forever.
    """
    ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass
            if os.getppid() != ppid:
                os._exit(1)

    threading.Thread(target=watch, name="marsad-parent-watch", daemon=True).start()


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with the process that made it."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_watch_parent, initargs=(os.getpid(),))


SINGLE_CHUNK = 32  # articles per isolated chunk in one process (a failure re-runs only these)
AUTO_THRESHOLD = 32  # articles: below this, starting a pool costs more than it saves


def extract_many(
    articles: Iterable[Article],
    *,
    workers: int | None = 1,
    chunk: int = 8,
    on_error: OnError | None = None,
) -> Iterator[ArticleResult]:
    """Results in input order. ``workers`` > 1 uses a local process pool; 0 means one per
    core; ``None`` (auto) means one per core when there are more than a few dozen articles.

    An article that cannot be extracted (longer than the parser's limit, or a failure
    inside extraction) costs only itself: it is passed to ``on_error`` with a one-line
    reason, and the others go on. Without ``on_error`` such an article raises ValueError.
    """

    def results(items: list[ArticleResult | Failure]) -> Iterator[ArticleResult]:
        for item in items:
            if isinstance(item, ArticleResult):
                yield item
                continue
            article, reason = item
            if on_error is None:
                raise ValueError(f"{article.source_path or article.article_id}: {reason}")
            on_error(article, reason)

    if workers is None:
        rest = iter(articles)
        head = list(itertools.islice(rest, AUTO_THRESHOLD + 1))
        articles = itertools.chain(head, rest)
        workers = 0 if len(head) > AUTO_THRESHOLD else 1
    workers = workers or os.cpu_count() or 1
    it = iter(articles)
    if workers == 1:  # chunks as large as spaCy's batches stream as fast as one long pipe
        while batch := list(itertools.islice(it, max(chunk, SINGLE_CHUNK))):
            yield from results(_isolated(None, batch))
        return
    with worker_pool(workers) as pool:
        pending = []
        while batch := list(itertools.islice(it, chunk)):
            pending.append(pool.submit(_extract_chunk, batch))
            while len(pending) > workers * 2:
                yield from results(pending.pop(0).result())
        for fut in pending:
            yield from results(fut.result())
