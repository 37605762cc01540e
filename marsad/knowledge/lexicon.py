"""The extractor's word classes: which verbs take a victim, which prepositions a target, which
nouns stand for ground, people or things, how a claim of responsibility is worded, and the rules
of single triggers ("a mine" counts as a noun, "took" only with ground as its object).

They live in ``data/lexicon.json``, one class per entry with a line that says what it is for;
this module loads and checks them. ``marsad.extract`` reads them by name and holds no word lists
of its own; the trigger lexicon of each sub-event type is ``data/event_types.json``
(``marsad.knowledge.taxonomy``).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from marsad.errors import KnowledgeError
from marsad.knowledge.taxonomy import load_taxonomy

#: Every class the extractor reads: a file without one of them is refused when it is loaded.
CLASSES = (
    "territory_nouns",
    "vehicle_only",
    "near_words",
    "non_event_heads",
    "disarming",
    "weapon_holders",
    "hiding_verbs",
    "aimed_preps",
    "launch_verbs",
    "place_nouns",
    "temporal_marks",
    "clash_verbs",
    "target_preps",
    "harm_verbs",
    "news_event_nouns",
    "timing_preps",
    "civilian_words",
    "person_nouns",
    "things",
    "claim_taking",
    "claim_responsibility",
    "claim_acts",
    "claim_doing",
    "claim_self",
    "source_nouns",
    "reporting_verbs",
    "victim_verbs",
    "hypothetical_heads",
    "unreal_modifiers",
    "habitual_modifiers",
    "denial_verbs",
    "air_cues",
    "defence_verbs",
    "repel_verbs",
    "toll_verbs",
    "party_verbs",
    "losing_verbs",
    "killing_verbs",
    "self_blast_verbs",
    "victim_nouns",
    "area_words",
    "count_units",
    "unnamed_armed_kinds",
    "target_markers",
    "holder_markers",
    "crowd_kinds",
    "casualty_states",
    "not_toll_verbs",
    "flight_verbs",
    "fought_with_types",
    "organisation_heads",
    "claim_weapons",
)
POS = ("VERB", "NOUN")
OBJECTS = ("territory",)
FILE = "lexicon.json"


@dataclass(frozen=True)
class TriggerRule:
    """When one trigger counts (see ``trigger_rules`` in the data file)."""

    pos: str | None = None  # only as this part of speech (a headline's bare verb is a verb)
    or_with: str | None = None  # ... unless the sentence has a word of this class
    object: str | None = None  # "territory": only with ground as its object
    not_with: frozenset[str] = frozenset()  # never in a sentence with one of these words


@dataclass(frozen=True)
class Lexicon:
    classes: dict[str, frozenset[str]]
    # sub-event type -> the weapon words that type a killing no event word types
    weapon_cues: tuple[tuple[str, frozenset[str]], ...]
    trigger_rules: dict[tuple[str, ...], TriggerRule]

    def __getitem__(self, name: str) -> frozenset[str]:
        return self.classes[name]

    def phrases(self, name: str) -> frozenset[tuple[str, ...]]:
        """A class of phrases as word tuples ("fighter jet" -> ("fighter", "jet"))."""
        return frozenset(tuple(w.split()) for w in self.classes[name])


def _fail(message: str) -> KnowledgeError:
    return KnowledgeError(f"{FILE}: {message}")


def _words(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(
        isinstance(w, str) and w and w == w.strip().lower() for w in value
    ):
        raise _fail(f"{where} must be a list of lower-case words")
    if len(set(value)) != len(value):
        raise _fail(f"{where} names a word twice")
    return frozenset(value)


def parse_lexicon(data: Any) -> Lexicon:
    """A lexicon from the decoded data file; a ``KnowledgeError`` that says what is wrong."""
    if not isinstance(data, dict) or not isinstance(data.get("classes"), dict):
        raise _fail('needs a "classes" object')
    classes: dict[str, frozenset[str]] = {}
    for name, entry in data["classes"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("doc"), str) or not entry["doc"].strip():
            raise _fail(f"classes.{name} needs a 'doc' that says what the class is for, and 'words'")
        classes[name] = _words(entry.get("words"), f"classes.{name}.words")
    missing = [c for c in CLASSES if c not in classes]
    if missing:
        raise _fail(f"the extractor needs the classes {', '.join(missing)}")
    taxonomy = load_taxonomy()
    known_subs = {s.sub_event_type for s in taxonomy.sub_types}
    cues = []
    for sub, words in (data.get("weapon_cues") or {}).items():
        if sub.startswith("_"):
            continue
        if sub not in known_subs:
            raise _fail(f"weapon_cues: unknown sub-event type {sub!r}")
        cues.append((sub, _words(words, f"weapon_cues.{sub}")))
    rules: dict[tuple[str, ...], TriggerRule] = {}
    for trigger, rule in (data.get("trigger_rules") or {}).items():
        if trigger.startswith("_"):
            continue
        key = tuple(trigger.split())
        if key not in taxonomy.triggers:
            raise _fail(f"trigger_rules: {trigger!r} is no trigger of event_types.json")
        if not isinstance(rule, dict) or set(rule) - {"pos", "or_with", "object", "not_with"}:
            raise _fail(f"trigger_rules.{trigger}: only pos, or_with, object and not_with")
        if rule.get("pos") not in (None, *POS):
            raise _fail(f"trigger_rules.{trigger}.pos must be one of {', '.join(POS)}")
        if rule.get("object") not in (None, *OBJECTS):
            raise _fail(f"trigger_rules.{trigger}.object must be one of {', '.join(OBJECTS)}")
        if rule.get("or_with") is not None and rule["or_with"] not in classes:
            raise _fail(f"trigger_rules.{trigger}.or_with names no class")
        rules[key] = TriggerRule(
            rule.get("pos"),
            rule.get("or_with"),
            rule.get("object"),
            _words(rule.get("not_with", []), f"trigger_rules.{trigger}.not_with"),
        )
    return Lexicon(classes, tuple(cues), rules)


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    text = resources.files("marsad.knowledge").joinpath("data", FILE).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _fail(f"line {exc.lineno}: malformed JSON ({exc.msg})") from exc
    return parse_lexicon(data)
