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


def _identities(annotator: Annotator, text: str) -> list[tuple[str, str | None]]:
    ann = annotator.annotate(Article("t", text))
    return [(a.text, a.identity) for a in ann.actors if a.identity]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a group the lexicon knows: by its plural alone, or before an armed or group noun
        ("Tuaregs raided a market near Kidal.", [("Tuaregs", "Tuareg Ethnic Militia")]),
        ("Turkana herders stole cattle near Lodwar.", [("Turkana herders", "Turkana Ethnic Militia")]),
        (
            "Fighting broke out between the Dinka and Nuer communities near Bor.",
            [("Dinka", "Dinka Ethnic Militia"), ("Nuer communities", "Nuer Ethnic Militia")],
        ),
        # a name the lexicon does not know, read from the noun after it
        (
            "Gunfire erupted as Ogoro clan militias attacked a village.",
            [("Ogoro clan militias", "Ogoro Clan Militia")],
        ),
        ("The Zulu Boys militia burned a truck.", [("Zulu Boys militia", "Zulu Boys Militia")]),
        (
            "Two died when the Mbatu and Kilo people clashed over farmland.",
            [("Mbatu", "Mbatu Communal Militia"), ("Kilo people", "Kilo Communal Militia")],
        ),
    ],
)
def test_identity_militias_are_named_as_acled_names_them(
    annotator: Annotator, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _identities(annotator, text) == expected


def test_a_people_or_a_singular_name_alone_is_no_militia(annotator: Annotator) -> None:
    # no clash, no armed noun: a community is not a party; a singular name is not a group
    assert _identities(annotator, "The Kilo people celebrated the harvest festival.") == []
    assert _identities(annotator, "A Tuareg poet read at the festival.") == []
    # a group the knowledge base names wins over the identity reading
    assert _identities(annotator, "Abgaal militia fought in Mogadishu.") == []


def test_a_state_named_as_the_doer_of_an_attack_is_its_forces(annotator: Annotator) -> None:
    assert _actors(annotator, "Russia pounded the port city of Odesa with missiles overnight.") == [
        ("Russia", "Military Forces of Russia (2000-)")
    ]
    assert _actors(annotator, "Russian attacks on the region killed one person.") == [
        ("Russian attacks", "Military Forces of Russia (2000-)")
    ]
    # a state that speaks, owns a ministry or plays a match is no armed party
    assert _actors(annotator, "Russia said the talks would resume.") == []
    assert _actors(annotator, "Nigeria's Ministry of Health counted 163 deaths.") == []
    assert _actors(annotator, "Iraq beat Syria 2-1 in a World Cup qualifier, settling a fierce clash.") == []


def test_unparsed_tokens_give_the_named_actors_without_the_parse_readings(annotator: Annotator) -> None:
    # the extraction pre-filter matches actors on the tokenizer's output alone
    doc = annotator.nlp.make_doc("Russia pounded Odesa as Fulani herders and Boko Haram fighters clashed.")
    found = [(m.text, m.actor.name if m.actor else None) for m in annotator.actors.find(doc)]
    assert ("Boko Haram fighters", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad") in found
    assert all(m.identity is None for m in annotator.actors.find(doc))
