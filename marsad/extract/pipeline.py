"""Entry points of extraction: one article, or many in a process pool."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from marsad.model import Article, ArticleResult, Event


class Extractor:
    """Holds the loaded spaCy pipeline and knowledge base; reuse one per process."""

    def __init__(self) -> None:
        pass

    def extract(self, article: Article) -> list[Event]:
        return []


def extract_article(article: Article) -> list[Event]:
    return Extractor().extract(article)


def extract_many(articles: Iterable[Article], *, workers: int = 1) -> Iterator[ArticleResult]:
    ex = Extractor()
    for a in articles:
        yield ArticleResult(a, ex.extract(a))
