"""Extraction of a long article parsed in windows gives the events, and the evidence offsets
into the whole article, that parsing it whole gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from marsad.extract import Extractor
from marsad.extract.pipeline import MAX_CHARS, extract_many
from marsad.model import Article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def text() -> str:
    """About 46 kB of real news text: the repository's own test articles and examples."""
    paths = sorted((ROOT / "tests" / "data" / "wire").glob("*.txt")) + sorted(
        (ROOT / "examples" / "articles").glob("*.txt")
    )
    return "\n\n".join(p.read_text(encoding="utf-8").strip() for p in paths)


def test_windowed_long_article_has_the_whole_articles_evidence(extractor: Extractor, text: str) -> None:
    article = Article("long", text)
    whole = extractor.extract(article)
    events = extractor.with_options(piece_chars=3000).extract(article)
    assert len(events) >= 10
    evidence = [[(s.start, s.end, s.quote, s.claimant) for s in e.sources] for e in events]
    assert evidence == [[(s.start, s.end, s.quote, s.claimant) for s in e.sources] for e in whole]
    for e in events:
        for s in e.sources:
            assert text[s.start : s.end] == s.quote  # offsets into the whole article
    assert [e.to_dict() for e in events] == [e.to_dict() for e in whole]
    assert max(s.start for e in events for s in e.sources) > 30_000  # evidence from late windows too


def test_long_and_bad_articles_among_others(extractor: Extractor, text: str) -> None:
    short = Article("short", "Gunmen shot dead two police officers at a checkpoint in Kandahar on Monday.")
    huge = Article("huge", "x " * (MAX_CHARS // 2 + 1))
    empty = Article("empty", "")
    failed: list[tuple[str, str]] = []
    results = list(
        extract_many(
            [short, Article("long", text), huge, empty, short],
            on_error=lambda a, reason: failed.append((a.article_id, reason)),
        )
    )
    assert [r.article.article_id for r in results] == ["short", "long", "empty", "short"]
    assert [f[0] for f in failed] == ["huge"] and "limit" in failed[0][1]
    assert results[0].events and results[1].events and not results[2].events
    assert [e.to_dict() for e in results[0].events] == [e.to_dict() for e in results[3].events]
