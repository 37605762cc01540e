"""Helpers shared by the linking tests: the gold reports as stored articles."""

from __future__ import annotations

from marsad.link.evaluate import GoldReport
from marsad.model import Article, ArticleResult, Event


def as_results(gold: list[GoldReport]) -> list[ArticleResult]:
    """Each gold report as an article of its own, extracted to that one report."""
    out = []
    for g in gold:
        r = g.report
        text = " ".join(dict.fromkeys(s.quote for s in r.event.sources))
        article = Article(r.article_id, text, publisher=r.publisher, publish_date=r.publish_date)
        event = Event.from_dict(r.event.to_dict())
        offset = 0
        for s in event.sources:  # offsets into this article's text
            s.start = text.index(s.quote, offset) if s.quote in text[offset:] else text.index(s.quote)
            s.end = s.start + len(s.quote)
        out.append(ArticleResult(article, [event]))
    return out
