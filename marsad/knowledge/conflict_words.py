"""The pre-filter: can an article report an event at all?

Extraction finds events only through the trigger lexicon and the casualty words of
``data/event_types.json``, so an article in which no trigger phrase has all its words, in any
form, yields no event and its parse can be skipped. The test is lexical and cheap (the text's
distinct lower-case words against the forms of the lexicon's words), and as broad as the
lexicon: every form the lemmatiser or the trigger matcher maps to a lexicon word counts.

Some words found an event only with company (``context`` in event_types.json): a ``weak``
trigger needs a conflict cue or an actor in its sentence, an ``agentive`` one an armed doer, a
casualty word with no trigger an armed actor, a killing with no trigger a weapon. An article
whose only lexicon words are these is parsed only when it also names an armed actor, a cue or
a weapon. The casualty reading's words besides the lexicon ("the lives of 12") are in
``data/conflict_words.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from marsad.errors import KnowledgeError
from marsad.knowledge.taxonomy import load_taxonomy

#: spaCy's English rule lemmatiser: (ending of the form, ending of the lemma), every part of
#: speech. A form's lemma is the form with one of these endings replaced, or an exception.
LEMMA_RULES: tuple[tuple[str, str], ...] = (
    ("s", ""),
    ("ses", "s"),
    ("ves", "f"),
    ("xes", "x"),
    ("zes", "z"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("men", "man"),
    ("ies", "y"),
    ("es", "e"),
    ("es", ""),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("er", ""),
    ("est", ""),
    ("er", "e"),
    ("est", "e"),
)
#: The endings the trigger matcher strips from a verb the lemmatiser missed ("raped" -> "rape").
VERB_ENDINGS = ("ed", "es", "ing", "s", "d")

#: What an article's words allow: no event; an event only if an armed actor is named
#: (a word that needs company, and no cue or weapon beside it); an event.
NONE, NEEDS_ACTOR, POSSIBLE = 0, 1, 2

_WORD = re.compile(r"[a-z]+")


def words_of(phrase: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s-]+", phrase.lower()) if w)


def forms_of(word: str, exceptions: Mapping[str, Iterable[str]]) -> set[str]:
    """Every surface form whose lemma, or whose stem in the trigger matcher, is ``word``."""
    out = {word}
    for form_end, lemma_end in LEMMA_RULES:
        if word.endswith(lemma_end):
            out.add(word[: len(word) - len(lemma_end)] + form_end)
    for end in VERB_ENDINGS:
        out.add(word + end)
        if word.endswith("e"):
            out.add(word[:-1] + end)
        out.add(word + word[-1] + end)  # "kidnapped", "stabbing"
    out.update(exceptions.get(word, ()))
    return {f for f in out if _WORD.fullmatch(f)}


@dataclass(frozen=True)
class ConflictWords:
    owners: dict[str, frozenset[str]]  # form -> the lexicon words it may be
    strong: tuple[tuple[str, ...], ...]  # phrases that found an event on their own
    weak: tuple[tuple[str, ...], ...]  # phrases that need an actor, a cue or a weapon
    company: tuple[tuple[str, ...], ...]  # the cues and weapons those phrases may lean on

    def strength(self, text: str) -> int:
        """``POSSIBLE`` when some trigger phrase has all its words in ``text``, or a phrase
        that needs company has them and so does a cue or weapon; ``NEEDS_ACTOR`` when such a
        phrase is there alone; ``NONE`` when no phrase of the lexicon is."""
        present: set[str] = set()
        for form in set(_WORD.findall(text.lower())):
            present |= self.owners.get(form, frozenset())
        if any(present.issuperset(p) for p in self.strong):
            return POSSIBLE
        if not any(present.issuperset(p) for p in self.weak):
            return NONE
        return POSSIBLE if any(present.issuperset(p) for p in self.company) else NEEDS_ACTOR

    def mentioned(self, text: str) -> bool:
        """Some trigger or casualty phrase has all its words in ``text``."""
        return self.strength(text) != NONE


def load_conflict_words(
    exceptions: Mapping[str, Iterable[str]] | None = None, weapons: Iterable[str] = ()
) -> ConflictWords:
    """The vocabulary from the lexicon. ``exceptions``: lemma -> the irregular forms the
    model's lemmatiser maps to it ("take" -> "took", "taken"); ``weapons``: the words that
    type a killing with no trigger ("fighter jets killed 60")."""
    path = resources.files("marsad.knowledge").joinpath("data", "conflict_words.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    extra = data.get("extra")
    if not isinstance(extra, list) or not all(isinstance(w, str) and w == w.strip().lower() for w in extra):
        raise KnowledgeError("conflict_words.json: extra must be a list of lower-case words")
    tax = load_taxonomy()
    alternative = {k for k, senses in tax.senses.items() if any(sub is not None for _, sub in senses)}
    strong: set[tuple[str, ...]] = set()
    weak: set[tuple[str, ...]] = set()
    for key in tax.triggers:
        needs_company = (key in tax.weak and key not in alternative) or key in tax.agentive
        (weak if needs_company else strong).add(words_of(" ".join(key)))
    # "blocked the highway", "occupied the village": a verb that is an event by its object
    strong |= {words_of(f"{v} {o}") for rule in tax.verb_objects for v in rule.verbs for o in rule.objects}
    weak |= {words_of(w) for w in (*tax.killed, *tax.wounded, *extra)}
    company = {words_of(w) for w in (*tax.conflict_cues, *weapons)}
    owners: dict[str, set[str]] = {}
    for word in {w for p in strong | weak | company for w in p}:
        for form in forms_of(word, exceptions or {}):
            owners.setdefault(form, set()).add(word)
    return ConflictWords(
        {f: frozenset(ws) for f, ws in owners.items()},
        tuple(sorted(strong)),
        tuple(sorted(weak - strong)),
        tuple(sorted(company)),
    )
