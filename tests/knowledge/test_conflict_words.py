"""The pre-filter's vocabulary: every form of the trigger lexicon and casualty words, and
nothing that makes an ordinary article look like a conflict report."""

from __future__ import annotations

import pytest

from marsad.annotate.pipeline import irregular_forms, load_model
from marsad.knowledge.conflict_words import ConflictWords, forms_of, key_word, load_conflict_words
from marsad.knowledge.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def words() -> ConflictWords:
    return load_conflict_words(irregular_forms(load_model()))


def test_a_phrase_is_looked_for_by_its_least_common_word() -> None:
    general = frozenset({"take", "go", "on", "the", "to"})
    assert key_word("take control", general) == "control"
    assert key_word("go on strike", general) == "strike"
    assert key_word("take to the streets", general) == "streets"
    assert key_word("drive-by shooting", general) == "shooting"
    assert key_word("go on", general) == "go"  # no specific word: still one of the phrase's own


def test_regular_and_doubled_forms() -> None:
    assert {"stabbed", "stabbing", "stabs"} <= forms_of("stab", {})
    assert {"seized", "seizing", "seizes"} <= forms_of("seize", {})
    assert {"bodies", "casualties"} <= forms_of("body", {}) | forms_of("casualty", {})
    assert {"took", "taken"} <= forms_of("take", {"take": ["took", "taken"]})
    assert "took" not in forms_of("take", {})


def test_irregular_forms_come_from_the_models_lemmatiser(words: ConflictWords) -> None:
    assert {"shot", "fought", "took", "threw", "died", "dying", "slew"} <= words.forms


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
