"""ACLED's event taxonomy with trigger lexicon and CAMEO/PLOVER codes (data/event_types.json)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources

from marsad.errors import KnowledgeError

# ACLED's event types grouped by what one happening can be coded as by two sources: a
# clash in one report is shelling or an attack on civilians in another, never a protest.
FAMILIES = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Protests": "demonstration",
    "Riots": "demonstration",
    "Strategic developments": "strategic",
}
EVENT_TYPES = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)


@dataclass(frozen=True)
class SubEventType:
    event_type: str
    sub_event_type: str
    disorder_type: str
    cameo: str | None  # None: CAMEO / PLOVER have no equivalent (marsad.knowledge.codes)
    plover: str | None
    rank: int
    territory: str | None
    triggers: tuple[str, ...]
    # told after a demonstration, on its day and at its place, it is that demonstration's
    # police action and this sub-event type of it, not an event of its own (arrests at a protest)
    at_demonstration: str | None = None


@dataclass(frozen=True)
class VerbObjects:
    """A verb that names an event only with certain objects ("blocked the highway", "occupied
    the village"); ``doer`` says who must do it: "armed", "unarmed", "state" (a state's
    forces) or "any"; the first rule that fits a verb wins."""

    verbs: frozenset[str]
    objects: frozenset[str]
    doer: str
    sub: SubEventType


@dataclass(frozen=True)
class Taxonomy:
    sub_types: tuple[SubEventType, ...]
    # trigger lemma sequence -> sub-event type (the highest-ranked when a word is in two lists)
    triggers: dict[tuple[str, ...], SubEventType]
    killed: frozenset[str]
    wounded: frozenset[str]
    # how an ambiguous trigger is told from its other senses (see "context" in the data file)
    weak: frozenset[tuple[str, ...]] = frozenset()
    ambiguous: frozenset[tuple[str, ...]] = frozenset()
    instruments: frozenset[tuple[str, ...]] = frozenset()
    two_sided: frozenset[tuple[str, ...]] = frozenset()
    crowd_nouns: frozenset[str] = frozenset()
    motives: frozenset[str] = frozenset()
    agentive: frozenset[tuple[str, ...]] = frozenset()
    conflict_cues: frozenset[str] = frozenset()
    not_conflict: frozenset[str] = frozenset()
    persons: frozenset[str] = frozenset()
    doers: frozenset[str] = frozenset()
    unrest_crowds: frozenset[str] = frozenset()
    armed_targets: frozenset[str] = frozenset()
    separate_cues: frozenset[tuple[str, ...]] = frozenset()
    verb_objects: tuple[VerbObjects, ...] = ()

    @functools.cached_property
    def two_sided_words(self) -> frozenset[str]:
        """Every word of the two-sided phrases ("clash", "exchange", "fire" ...)."""
        return frozenset(w for phrase in self.two_sided for w in phrase)

    # trigger -> [(context words, sub-event type or None for no event)]: another sense of the word
    senses: dict[tuple[str, ...], tuple[tuple[frozenset[str], SubEventType | None], ...]] = field(
        default_factory=dict
    )

    @functools.cached_property
    def trigger_starts(self) -> frozenset[str]:
        """The first words of the trigger phrases: a phrase can start only at one of them."""
        return frozenset(key[0] for key in self.triggers)

    def get(self, sub_event_type: str) -> SubEventType:
        return next(s for s in self.sub_types if s.sub_event_type == sub_event_type)


@functools.lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    path = resources.files("marsad.knowledge").joinpath("data", "event_types.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"event_types.json:{exc.lineno}: malformed JSON ({exc.msg})") from exc
    subs = []
    for i, row in enumerate(data["types"]):
        if row["event_type"] not in EVENT_TYPES:
            raise KnowledgeError(f"event_types.json: entry {i}: unknown event_type {row['event_type']!r}")
        subs.append(
            SubEventType(
                row["event_type"],
                row["sub_event_type"],
                row["disorder_type"],
                row["cameo"],
                row["plover"],
                int(row["rank"]),
                row.get("territory"),
                tuple(row["triggers"]),
                row.get("at_demonstration"),
            )
        )
    protests = {s.sub_event_type for s in subs if s.event_type == "Protests"}
    for s in subs:
        if s.at_demonstration is not None and s.at_demonstration not in protests:
            raise KnowledgeError(
                f"event_types.json: {s.sub_event_type}: at_demonstration must name a Protests sub-event type"
            )
    triggers: dict[tuple[str, ...], SubEventType] = {}
    for sub in sorted(subs, key=lambda s: s.rank):
        for phrase in sub.triggers:
            triggers[_key(phrase)] = sub
            # spaCy splits "sit-in" and "drive-by" at the hyphen
            triggers[_key(phrase.replace("-", " - "))] = sub
    cv = data["casualty_verbs"]
    context = data.get("context", {})
    lexicons = {}
    for name in (
        "weak",
        "ambiguous",
        "instruments",
        "two_sided",
        "conflict_cues",
        "not_conflict",
        "crowd_nouns",
        "motives",
        "agentive",
        "persons",
        "doers",
        "unrest_crowds",
        "armed_targets",
        "separate_cues",
    ):
        words = context.get(name, [])
        if not isinstance(words, list) or not all(
            isinstance(w, str) and w == w.strip().lower() and w for w in words
        ):
            raise KnowledgeError(f"event_types.json: context.{name} must be a list of lower-case words")
        lexicons[name] = words
    unknown = [
        w
        for w in lexicons["weak"] + lexicons["ambiguous"] + lexicons["instruments"]
        if _key(w) not in triggers
    ]
    if unknown:
        raise KnowledgeError(
            f"event_types.json: context names words that are no trigger: {', '.join(unknown)}"
        )
    by_name = {s.sub_event_type: s for s in subs}
    senses: dict[tuple[str, ...], list[tuple[frozenset[str], SubEventType | None]]] = {}
    for i, row in enumerate(data.get("senses", [])):
        key = _key(row.get("trigger", ""))
        known = row.get("sub_event_type") in by_name or (
            "sub_event_type" in row and row["sub_event_type"] is None
        )
        if key not in triggers or not known or not row.get("context_any"):
            raise KnowledgeError(
                f"event_types.json: senses entry {i}: "
                "needs a known trigger, a known sub_event_type and context_any"
            )
        other = by_name[row["sub_event_type"]] if row["sub_event_type"] is not None else None
        senses.setdefault(key, []).append((frozenset(row["context_any"]), other))
    verb_objects = []
    for i, row in enumerate(data.get("verb_objects", [])):
        lists = [row.get("verbs"), row.get("objects")]
        if (
            row.get("sub_event_type") not in by_name
            or row.get("doer") not in ("armed", "unarmed", "state", "any")
            or not all(
                isinstance(ws, list) and ws and all(isinstance(w, str) and w == w.strip().lower() for w in ws)
                for ws in lists
            )
        ):
            raise KnowledgeError(
                f"event_types.json: verb_objects entry {i}: needs lower-case verbs and objects, "
                "a doer of armed, unarmed, state or any, and a known sub_event_type"
            )
        verb_objects.append(
            VerbObjects(
                frozenset(row["verbs"]),
                frozenset(row["objects"]),
                row["doer"],
                by_name[row["sub_event_type"]],
            )
        )
    return Taxonomy(
        tuple(subs),
        triggers,
        frozenset(cv["killed"]),
        frozenset(cv["wounded"]),
        frozenset(tuple(w.split()) for w in lexicons["weak"]),
        frozenset(tuple(w.split()) for w in lexicons["ambiguous"]),
        frozenset(tuple(w.split()) for w in lexicons["instruments"]),
        frozenset(tuple(w.split()) for w in lexicons["two_sided"]),
        frozenset(lexicons["crowd_nouns"]),
        frozenset(lexicons["motives"]),
        frozenset(tuple(w.split()) for w in lexicons["agentive"]),
        frozenset(lexicons["conflict_cues"]),
        frozenset(lexicons["not_conflict"]),
        frozenset(lexicons["persons"]),
        frozenset(lexicons["doers"]),
        frozenset(lexicons["unrest_crowds"]),
        frozenset(lexicons["armed_targets"]),
        frozenset(tuple(w.split()) for w in lexicons["separate_cues"]),
        tuple(verb_objects),
        {k: tuple(v) for k, v in senses.items()},
    )


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(phrase.lower().split())
