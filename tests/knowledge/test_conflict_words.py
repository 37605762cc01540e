"""The pre-filter's vocabulary: every form of the trigger lexicon and casualty words, and
nothing that makes an ordinary article look like a conflict report."""

from __future__ import annotations

import pytest

from marsad.annotate.pipeline import irregular_forms, load_model
from marsad.extract.mentions import WEAPON_CUES
from marsad.knowledge.conflict_words import (
    NEEDS_ACTOR,
    POSSIBLE,
    ConflictWords,
    forms_of,
    load_conflict_words,
    words_of,
)
from marsad.knowledge.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def words() -> ConflictWords:
    return load_conflict_words(irregular_forms(load_model()), [w for _, ws in WEAPON_CUES for w in ws])


def test_a_phrase_counts_only_with_all_its_words(words: ConflictWords) -> None:
    assert words_of("drive-by shooting") == ("drive", "by", "shooting")
    # "take control": a trigger only when both words are there, in any form
    assert words.strength("The rebels took control of the town.") == POSSIBLE
    assert words.strength("She took the train to the coast.") != POSSIBLE


def test_words_that_need_company(words: ConflictWords) -> None:
    # a casualty word or an agentive verb alone: only an armed actor makes it news
    assert words.strength("Floods killed twelve people in the valley.") == NEEDS_ACTOR
    assert words.strength("The death toll from the outbreak rose to 40.") == NEEDS_ACTOR
    # beside a conflict cue or a weapon it may be news whoever is named
    assert words.strength("Gunmen killed twelve people in the valley.") == POSSIBLE
    assert words.strength("A plane killed twelve people in the valley.") == POSSIBLE
    # a weak trigger with another sense of its own: "teachers went on strike" is a protest
    assert words.strength("Teachers went on strike.") == POSSIBLE


def test_regular_and_doubled_forms() -> None:
    assert {"stabbed", "stabbing", "stabs"} <= forms_of("stab", {})
    assert {"seized", "seizing", "seizes"} <= forms_of("seize", {})
    assert {"bodies", "casualties"} <= forms_of("body", {}) | forms_of("casualty", {})
    assert {"took", "taken"} <= forms_of("take", {"take": ["took", "taken"]})
    assert "took" not in forms_of("take", {})


def test_irregular_forms_come_from_the_models_lemmatiser(words: ConflictWords) -> None:
    assert {"shot", "fought", "took", "threw", "died", "dying", "slew"} <= set(words.owners)


def test_every_trigger_and_casualty_word_written_out_is_seen(words: ConflictWords) -> None:
    tax = load_taxonomy()
    phrases = [" ".join(k) for k in tax.triggers] + sorted(tax.killed | tax.wounded)
    missed = [p for p in phrases if not words.mentioned(f"Reports said: {p.replace(' - ', '-')}.")]
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen shot two guards outside a bank in the capital overnight.",
        "Rebels fought their way into the northern town, residents said.",
        "Militants seized three lorries carrying fuel near the border on Sunday.",
        "THE BODIES OF FOUR MEN WERE FOUND IN A DITCH.",
        "Two soldiers were stabbed at a checkpoint.",
        "Hundreds of teachers went on strike over unpaid salaries.",
        "A roadside device went off near a convoy.",
    ],
)
def test_reports_of_violence_pass(words: ConflictWords, text: str) -> None:
    assert words.mentioned(text)


@pytest.mark.parametrize(
    "text",
    [
        "The central bank raised its main interest rate by a quarter point on Tuesday.",
        "Heavy rain is expected across the coastal provinces this weekend, forecasters said.",
        "The museum reopened after a two-year renovation with a new wing for modern art.",
        "Shares in the carmaker rose 4 percent after it reported higher quarterly profits.",
    ],
)
def test_articles_with_no_conflict_vocabulary_do_not(words: ConflictWords, text: str) -> None:
    assert not words.mentioned(text)
