"""The pre-filter: does an article use any conflict vocabulary at all?

Extraction finds events only through the trigger lexicon and the casualty words of
``data/event_types.json``; an article that contains none of their forms yields no event, so
its parse can be skipped. The test is lexical and cheap (the text's distinct lower-case words
against a set of forms), and as broad as the lexicon: every inflection the lemmatiser or the
trigger matcher maps to a lexicon word counts. Which word of a phrase is looked for, and the
few extra words the casualty reading keys on, are data in ``data/conflict_words.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from marsad.errors import KnowledgeError
from marsad.knowledge.taxonomy import load_taxonomy

#: spaCy's English rule lemmatiser: per part of speech, (ending of the form, ending of the lemma).
#: A form's lemma is the form with one of these endings replaced, or an exception of the model.
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

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class ConflictWords:
    keys: frozenset[str]  # the words looked for, one per trigger phrase
    forms: frozenset[str]  # every form of them

    def mentioned(self, text: str) -> bool:
        """True when some word of ``text`` is a form of a conflict word (the article may
        report an event); False when it has no conflict vocabulary at all."""
        return not self.forms.isdisjoint(_WORD.findall(text.lower()))


def key_word(phrase: str, general: frozenset[str]) -> str:
    """The word of a phrase that is looked for: the longest that is not a general word."""
    words = [w for w in re.split(r"[\s-]+", phrase.lower()) if w]
    specific = [w for w in words if w not in general] or words
    return max(specific, key=len)


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
    return out


def load_conflict_words(exceptions: Mapping[str, Iterable[str]] | None = None) -> ConflictWords:
    """The vocabulary from the lexicon; ``exceptions``: lemma -> the irregular forms the
    model's lemmatiser maps to it ("take" -> "took", "taken")."""
    path = resources.files("marsad.knowledge").joinpath("data", "conflict_words.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    lists = {}
    for name in ("general", "extra"):
        words = data.get(name)
        if not isinstance(words, list) or not all(
            isinstance(w, str) and w == w.strip().lower() for w in words
        ):
            raise KnowledgeError(f"conflict_words.json: {name} must be a list of lower-case words")
        lists[name] = words
    general = frozenset(lists["general"])
    tax = load_taxonomy()
    phrases = [" ".join(k) for k in tax.triggers] + sorted(tax.killed | tax.wounded) + lists["extra"]
    keys = frozenset(key_word(p, general) for p in phrases)
    forms: set[str] = set()
    for key in keys:
        forms |= forms_of(key, exceptions or {})
    return ConflictWords(keys, frozenset(f for f in forms if _WORD.fullmatch(f)))
