"""ACLED's event taxonomy with trigger lexicon and CAMEO/PLOVER codes (data/event_types.json)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Taxonomy:
    sub_types: tuple[SubEventType, ...]
    # trigger lemma sequence -> sub-event type (the highest-ranked when a word is in two lists)
    triggers: dict[tuple[str, ...], SubEventType]
    killed: frozenset[str]
    wounded: frozenset[str]

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
            )
        )
    triggers: dict[tuple[str, ...], SubEventType] = {}
    for sub in sorted(subs, key=lambda s: s.rank):
        for phrase in sub.triggers:
            triggers[tuple(phrase.lower().split())] = sub
    cv = data["casualty_verbs"]
    return Taxonomy(tuple(subs), triggers, frozenset(cv["killed"]), frozenset(cv["wounded"]))
