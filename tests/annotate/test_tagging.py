"""RuleTagger gives every token the parts of speech, morphology and lemmas that the model's own
attribute ruler and lemmatiser give it."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language

from marsad.annotate import tagging
from marsad.annotate.pipeline import Annotator, irregular_forms, load_model

WIRE = Path(__file__).resolve().parent.parent / "data" / "wire"

# the rules' rarer cases: two-word patterns ("gon na", "y' all", "ai n't", "let 's"), an
# expletive "there", pronouns as objects, auxiliaries, determiners as pronouns, runs of spaces
OWN = [
    "They're gonna shell the town again tonight, ain't they? Y'all know it.",
    "Let's go. There were 12 people killed and there is no sign the shelling will stop.",
    "The militia told him to give it to you, but I doubt that it ever reached me.",
    "Those who fled  said that this was the worst attack    since 2015.\n\nNothin' was left.",
    "Had the army known, it would have done more; did they? They did not, and wouldn't.",
    "ISLAMABAD -- A suicide bomber blew himself up at a checkpoint, killing 7 soldiers.",
]


@pytest.fixture(scope="module")
def models() -> tuple[Language, Language]:
    fast = load_model()
    assert tagging.install(fast)
    return load_model(), fast


def _texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(WIRE.glob("*.txt"))] + OWN


def test_every_token_gets_the_models_own_values(models: tuple[Language, Language]) -> None:
    plain, fast = models
    columns = [POS, TAG, DEP, MORPH, LEMMA, HEAD, ENT_IOB, ENT_TYPE]
    texts = _texts()
    for a, b in zip(plain.pipe(texts), fast.pipe(texts), strict=True):
        if not numpy.array_equal(a.to_array(columns), b.to_array(columns)):
            diff = [
                (x.text, x.pos_, x.morph, x.lemma_, y.pos_, y.morph, y.lemma_)
                for x, y in zip(a, b, strict=True)
                if (x.pos, x.tag, x.dep, x.morph.key, x.lemma) != (y.pos, y.tag, y.dep, y.morph.key, y.lemma)
            ]
            pytest.fail(f"RuleTagger differs from the model: {diff[:5]}")


def test_rule_lemmas_survive_and_the_rules_apply(models: tuple[Language, Language]) -> None:
    _, fast = models
    doc = fast("They're gonna shell the town, ain't they? Let's see it not happen.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"  # two-word rules set these lemmas
    assert lemmas["'re"] == "be" and lemmas["ai"] == "be"
    assert lemmas["shell"] == "shell" and [t.pos_ for t in doc if t.text == "not"] == ["PART"]


def test_the_annotator_runs_it_and_keeps_the_irregular_forms() -> None:
    annotator = Annotator()
    assert "marsad_rule_tagger" in annotator.nlp.pipe_names
    assert "lemmatizer" not in annotator.nlp.pipe_names  # disabled, not gone
    forms = irregular_forms(annotator.nlp)
    assert "took" in forms["take"] and "gon" in forms["go"]


def test_a_pipeline_without_the_rules_is_left_alone() -> None:
    nlp = spacy.blank("en")
    assert not tagging.install(nlp)
    assert nlp.pipe_names == []


def test_a_pattern_it_cannot_reproduce_keeps_the_models_components() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "fire", "OP": "+"}]], {"POS": "VERB"})  # an operator: not reproduced
    nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert not tagging.install(nlp)
    assert nlp.pipe_names == ["attribute_ruler", "lemmatizer"]
