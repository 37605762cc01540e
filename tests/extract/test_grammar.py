"""The parse helpers on sentences we wrote: who did it, and which clauses are events of their own."""

from __future__ import annotations

from spacy.tokens import Token

from marsad.extract import Extractor, grammar


def _tokens(extractor: Extractor, text: str, *words: str) -> list[Token]:
    doc = extractor.annotator.nlp(text)
    return [next(t for t in doc if t.text == w) for w in words]


def test_an_as_clause_with_its_own_doers_is_another_event(extractor: Extractor) -> None:
    bomb, shelled = _tokens(
        extractor, "A car bomb killed 12 people as troops shelled Hama.", "bomb", "shelled"
    )
    assert grammar.clause_of_its_own(bomb, shelled)


def test_the_when_clause_of_a_toll_is_how_they_died(extractor: Extractor) -> None:
    killed, detonated = _tokens(
        extractor,
        "At least 25 soldiers were killed when two suicide bombers detonated their trucks in Kirkuk.",
        "killed",
        "detonated",
    )
    assert not grammar.clause_of_its_own(killed, detonated)


def test_a_counted_subject_of_a_headline_harm_verb_is_the_victim(extractor: Extractor) -> None:
    (killed,) = _tokens(extractor, "1 soldier killed.", "killed")
    assert grammar.headline_passive(killed) and grammar.doers(killed) == []
    (soldier,) = _tokens(extractor, "1 soldier killed.", "soldier")
    assert grammar.is_victim(soldier)
    (killed2,) = _tokens(extractor, "Two gunmen killed a soldier.", "killed")
    assert not grammar.headline_passive(killed2) and [t.text for t in grammar.doers(killed2)] == ["gunmen"]
