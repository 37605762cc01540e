"""One real extractor (spaCy model + knowledge base) for the whole extraction suite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from marsad.extract import Extractor
from marsad.model import Article, Event
from marsad.read import read_text


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def extract(extractor: Extractor) -> Callable[..., list[Event]]:
    """Events from a short article written in the style of a wire report."""

    def run(text: str, publish_date: date | None = None) -> list[Event]:
        article: Article = read_text(text, article_id="t", publish_date=publish_date)
        return extractor.extract(article)

    return run
