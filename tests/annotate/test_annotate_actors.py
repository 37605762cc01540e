"""Actor mentions: aliases, nationalities that mean forces, generic phrases, modifiers."""

from __future__ import annotations

import pytest

from marsad.annotate.pipeline import Annotator
from marsad.model import Article


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator()


def _actors(annotator: Annotator, text: str) -> list[tuple[str, str]]:
    ann = annotator.annotate(Article("t", text))
    return [(a.text, a.actor.name if a.actor else f"generic:{a.generic.phrase}") for a in ann.actors]  # type: ignore


def test_aliases_of_islamic_state(annotator: Annotator) -> None:
    found = _actors(
        annotator, "Daesh, also called ISIS or ISIL, attacked. The Islamic State group retreated."
    )
    assert {name for _, name in found} == {"Islamic State"}


def test_acronym_is_case_sensitive(annotator: Annotator) -> None:
    found = _actors(annotator, "It is what IS fighters said it is.")
    assert found == [("IS fighters", "Islamic State")]


def test_nationality_means_forces_only_before_a_force_noun(annotator: Annotator) -> None:
    found = _actors(annotator, "Turkish troops shelled the area. The Turkish lira fell.")
    assert found == [
        ("Turkish troops", "Military Forces of Turkey (2016-)")
    ]  # the latest; extraction re-dates


def test_us_backed_is_a_modifier_not_a_party(annotator: Annotator) -> None:
    found = _actors(annotator, "The US-backed force advanced while US troops watched.")
    assert [text for text, _ in found] == ["US troops"]


def test_generic_phrases_are_found(annotator: Annotator) -> None:
    found = _actors(annotator, "Pro-regime forces pushed back the extremists.")
    assert [name for _, name in found] == ["generic:pro-regime forces", "generic:extremists"]


def test_arabic_names_in_other_spellings(annotator: Annotator) -> None:
    found = _actors(annotator, "Jeish Al Fateh fighters attacked, then Jaysh al-Fatah withdrew.")
    assert {name for _, name in found} == {"Jaysh al-Fatah"}
    # "fighters" after a name is one mention with it ("Nusra militants")
    assert [text for text, _ in found][0] == "Jeish Al Fateh fighters"
