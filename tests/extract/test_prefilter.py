"""The pre-filter in extraction: an article with no conflict vocabulary is not parsed and
yields no event; every other article gets exactly the events it gets without the filter."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pytest

from marsad.annotate.pipeline import Annotation
from marsad.extract import Extractor
from marsad.extract.pipeline import events_from
from marsad.model import Article

TEXTS = [
    "KABUL (Wire) - Gunmen shot dead two police officers at a checkpoint in Kandahar on Monday, "
    "a provincial spokesman said.",
    "The city council approved a new budget for parks and libraries on Monday after a long debate.",
    "MOGADISHU (Wire) - A car bomb exploded near a hotel in Mogadishu on Saturday, killing at least "
    "nine people, police said. Al-Shabaab said it carried out the attack.",
    "Farmers in the valley expect a good harvest this year after steady rain in the spring.",
    "ALEPPO (Wire) - Regime forces took the village of Tal Rifaat from rebels after heavy "
    "fighting on Friday, a monitor said.",
]


def test_mixed_stream_keeps_order_and_events(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [Article(article_id=f"a{i}", text=t) for i, t in enumerate(TEXTS)]
    unfiltered = {a.article_id: events_from(extractor.annotator.annotate(a)) for a in articles}
    parsed: list[str] = []
    annotate_many = extractor.annotator.annotate_many

    def spy(items: Iterable[Article], **options: bool) -> Iterator[Annotation]:
        for ann in annotate_many(items, **options):
            parsed.append(ann.article.article_id)
            yield ann

    monkeypatch.setattr(extractor.annotator, "annotate_many", spy)
    results = list(extractor.extract_many(articles))
    assert [r.article.article_id for r in results] == ["a0", "a1", "a2", "a3", "a4"]
    assert parsed == ["a0", "a2", "a4"]  # the council's budget and the harvest are never parsed
    for r in results:
        assert [e.to_dict() for e in r.events] == [e.to_dict() for e in unfiltered[r.article.article_id]]
    assert all(results[i].events for i in (0, 2, 4))
    assert not results[1].events and not results[3].events


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Floods killed twelve people in the valley on Monday, officials said.", False),
        ("Two people died when a bus overturned on the highway near Mombasa on Monday.", False),
        ("MOGADISHU - Al-Shabaab killed twelve villagers in Lower Shabelle on Monday, residents said.", True),
        ("Police said two men died in a shootout in Lagos on Monday.", True),
    ],
)
def test_a_casualty_word_is_read_only_beside_an_armed_actor_or_a_cue(
    extractor: Extractor, text: str, parsed: bool
) -> None:
    article = Article(article_id="c", text=text)
    assert extractor.may_report(article) is parsed
    unfiltered = events_from(extractor.annotator.annotate(article))
    assert bool(unfiltered) is parsed  # what is skipped had no event to lose
    assert [e.to_dict() for e in extractor.extract(article)] == [e.to_dict() for e in unfiltered]


def test_only_unparsed_articles_at_the_end(extractor: Extractor) -> None:
    articles = [
        Article(article_id="x", text=TEXTS[0]),
        *(Article(article_id=f"n{i}", text=TEXTS[1]) for i in range(3)),
    ]
    results = list(extractor.extract_many(articles))
    assert [r.article.article_id for r in results] == ["x", "n0", "n1", "n2"]
    assert results[0].events and not any(r.events for r in results[1:])
    assert extractor.extract(Article(article_id="y", text=TEXTS[3])) == []
