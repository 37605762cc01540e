"""A long article is parsed window by window (bounded memory) and joined into one Doc that is
the whole text's: same characters and offsets, same tokens, tags, parse, sentences, entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from marsad.annotate import pipeline
from marsad.annotate.pipeline import Annotator, ByOffset, parse_long, window_end
from marsad.model import Article

ROOT = Path(__file__).resolve().parents[2]


def long_article() -> str:
    """About 46 kB of real news text: the repository's own wire-style test articles and
    examples, one after another."""
    paths = sorted((ROOT / "tests" / "data" / "wire").glob("*.txt")) + sorted(
        (ROOT / "examples" / "articles").glob("*.txt")
    )
    return "\n\n".join(p.read_text(encoding="utf-8").strip() for p in paths)


def tokens(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.idx, t.text, t.whitespace_, t.tag_, t.pos_, t.lemma_, str(t.morph), t.dep_, t.head.i)
        + (t.ent_iob_, t.ent_type_, t.is_sent_start)
        for t in doc
    ]


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


@pytest.fixture(scope="module")
def text() -> str:
    return long_article()


def test_windows_join_up_to_the_whole_parse(annotator: Annotator, text: str) -> None:
    whole = annotator.nlp(text)
    seen: list[int] = []

    def nlp(piece: str) -> Doc:
        seen.append(len(piece))
        return annotator.nlp(piece)

    joined = parse_long(nlp, text, 4000)  # type: ignore[arg-type]
    assert len(seen) > 10 and max(seen) <= 4000  # parsed in windows, never more than the limit
    assert joined.text == text
    assert tokens(joined) == tokens(whole)
    assert [(s.start_char, s.end_char) for s in joined.sents] == [
        (s.start_char, s.end_char) for s in whole.sents
    ]
    assert [(e.start_char, e.end_char, e.label_) for e in joined.ents] == [
        (e.start_char, e.end_char, e.label_) for e in whole.ents
    ]


def test_layers_of_a_long_article_are_those_of_the_whole(
    annotator: Annotator, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = Article("long", text)
    whole = annotator.annotate(article)
    calls: list[int] = []

    def spy(nlp: object, text: str, limit: int) -> Doc:
        calls.append(limit)
        return parse_long(nlp, text, limit)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "parse_long", spy)
    windowed = annotator.with_options(piece_chars=4000).annotate(article)
    assert calls == [4000]
    assert windowed.to_dict() == whole.to_dict()  # places, dates, actors, numbers: same offsets
    assert windowed.countries == whole.countries  # the article's countries, from the whole text


def test_short_articles_around_a_long_one_keep_their_order(annotator: Annotator, text: str) -> None:
    short = [p.strip() for p in text.split("\n\n") if len(p) > 200][:5]
    articles = [Article(f"s{i}", t) for i, t in enumerate(short)]
    articles.insert(3, Article("long", text))
    out = list(annotator.with_options(piece_chars=8000, batch_size=2).annotate_many(articles))
    assert [a.article.article_id for a in out] == ["s0", "s1", "s2", "long", "s3", "s4"]
    for ann, article in zip(out, articles, strict=True):
        assert ann.doc.text == article.text
    assert out[4].to_dict() == annotator.annotate(articles[4]).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "x" * 9_000,  # no whitespace at all: cut at the limit
        "\n" * 5_000 + " \t " * 1_000,  # whitespace only
        ("Gunmen attacked a checkpoint near Aleppo and fled " * 200).strip(),  # no sentence ends
        "Troops shelled the town of Idlib.\r\n\r\n" * 300,  # Windows line ends
        "a" * 2_500 + " " + "b" * 2_500 + "\u00a0\u2003" + "Rebels withdrew from Homs." * 300,
    ],
    ids=["no-space", "only-space", "no-full-stop", "crlf", "odd-spaces"],
)
def test_bad_long_input_keeps_its_characters(annotator: Annotator, text: str) -> None:
    doc = parse_long(annotator.nlp, text, 3000)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    layers = annotator.with_options(piece_chars=3000).annotate(Article("odd", text))
    for p in layers.places:
        assert text[p.start_char : p.end_char] == p.text
    for d in layers.timexes:
        assert text[d.start : d.end] == d.text


def test_window_end_cuts_before_a_word_after_whitespace(text: str) -> None:
    start = 0
    while (end := window_end(text, start, 2500)) < len(text):
        assert start + 1250 <= end <= start + 2500
        assert text[end - 1].isspace() and not text[end].isspace()
        start = end
    assert window_end("short", 0, 100) == 5
    with pytest.raises(ValueError, match="at least 2"):
        window_end("any text", 0, 1)
    with pytest.raises(ValueError, match="new model"):
        Annotator.with_options(Annotator.__new__(Annotator), model="another")


@settings(max_examples=40, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab. ,\n\t\u00a0-'")), min_size=1, max_size=300),
    st.integers(min_value=2, max_value=60),
)
def test_any_text_in_any_windows_joins_up(annotator: Annotator, text: str, limit: int) -> None:
    assert parse_long(annotator.nlp, text, limit).text == text


@given(
    st.lists(st.integers(min_value=0, max_value=50), max_size=40),
    st.integers(min_value=-5, max_value=55),
    st.integers(min_value=-5, max_value=55),
)
def test_by_offset_finds_what_a_scan_finds(starts: list[int], lo: int, hi: int) -> None:
    items = [(s, i) for i, s in enumerate(starts)]  # unsorted, with ties
    index = ByOffset(items, lambda x: x[0])
    assert index.within(lo, hi) == [x for x in items if lo <= x[0] < hi]


def test_sentence_at_is_the_sentence_holding_the_character(annotator: Annotator, text: str) -> None:
    ann = annotator.annotate(Article("s", text[:6000]))
    sents = list(ann.doc.sents)
    for char in range(0, 6000, 7):
        expected = next((i for i, s in enumerate(sents) if s.start_char <= char < s.end_char), None)
        assert ann.sentence_at(char) == expected
    assert ann.sentence_at(-1) is None and ann.sentence_at(10_000) is None
