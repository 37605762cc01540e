"""Evidence and confidence of an event's fields.

Each main field of an event is decided by one of a few distinguishable mechanisms: an actor
named in the event's own words or a generic noun resolved to a country's forces, a place named
in the event's sentence or borrowed from the lead, a date the text gives or the publication
date, a toll in digits or a vague word. The functions here name the mechanism behind each value
as an evidence path (coarse to fine, "/"-separated); ``score`` turns the paths into
probabilities with the table of ``marsad.knowledge.confidence`` (estimated from the project's
own gold by ``bench/calibrate.py``) and the event's confidence into the chance that its type,
place and date are all right.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from marsad.knowledge.confidence import FIELDS, joint, load_confidence
from marsad.model import Event

if TYPE_CHECKING:
    from marsad.extract.casualties import Casualty
    from marsad.extract.mentions import Mention, PlaceRef
    from marsad.knowledge.actors import Actor

#: Fields whose evidence "none" means the event has no value at all (no date, no place).
NO_VALUE = frozenset({"date", "place"})

_VAGUE = re.compile(r"\b(dozens|scores|hundreds|thousands|tens)\b", re.I)
_RELATIVE = re.compile(
    r"\b(yesterday|today|tonight|overnight|this|last|monday|tuesday|wednesday|thursday|friday"
    r"|saturday|sunday|morning|evening|night|afternoon|earlier|ago)\b",
    re.I,
)
_ABSOLUTE = re.compile(
    r"\b(\d{4}|january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b|\d{1,2}[/.-]\d{1,2}",
    re.I,
)


def type_evidence(mentions: list[Mention], event_type: str | None, chosen: str, toll_only: bool) -> str:
    """``trigger|recoded|toll`` / ``one|several`` mentions of the type / the type.
    ``chosen``: the event type of the strongest trigger, before the sides could recode it."""
    if event_type is None:
        return "none"
    support = sum(1 for m in mentions if m.sub.event_type == event_type)
    origin = "toll" if toll_only else ("trigger" if event_type == chosen else "recoded")
    return f"{origin}/{'several' if support >= 2 else 'one'}/{_slug(event_type)}"


def actor_evidence(a1: Actor | None, named: set[str], generic: set[str], doers: set[str]) -> str:
    """How the initiator was found: ``named`` (a known actor named in the event's sentences),
    ``generic`` (a noun like "troops" resolved to a country's forces), ``unidentified`` (the
    country's unidentified armed group for "gunmen" or nobody), ``crowd``, ``inferred``
    (elsewhere in the article) or ``none``; then ``doer`` when the parse makes it the subject
    of the act, else ``nearby``."""
    if a1 is None:
        return "none"
    if a1.name.startswith("Unidentified"):
        return "unidentified"
    if a1.category in ("Protesters", "Rioters"):
        return "crowd"
    role = "doer" if a1.id in doers else "nearby"
    if a1.id in named:
        return f"named/{role}"
    if a1.id in generic:
        return f"generic/{role}"
    return "inferred"


def place_evidence(source: str, ref: PlaceRef | None) -> str:
    """``sentence|lead|named|aimed|country|none`` / the kind of place / ``clear`` when the
    gazetteer had no runner-up for the name, else ``contested`` / ``big`` (100,000 people or
    more), ``mid`` (10,000) or ``small`` / ``exact`` when the text spells one of its names,
    ``loose`` when only a spelling variant matched."""
    if ref is None:
        return "none"
    kind = ref.mention.place.kind
    level = "town" if kind in ("city", "admin2") else "province" if kind == "admin1" else "country"
    if level == "country":
        return f"{source}/country"
    why = ref.mention.why
    contested = "runner_up" in why
    population = ref.mention.place.population or 0
    size = "big" if population >= 100_000 else "mid" if population >= 10_000 else "small"
    match = str(why.get("match", ""))
    spelled = "loose" if "otherwise" in match or "guess" in match else "exact"
    return f"{source}/{level}/{'contested' if contested else 'clear'}/{size}/{spelled}"


def date_evidence(source: str, text: str | None, precision: str | None) -> str:
    """``text|timed|publish|none`` / the precision / for a date in the text, whether its words
    are ``absolute`` (a month or year), ``relative`` (a weekday, "yesterday") or ``other``."""
    if source in ("none", "publish"):
        return source
    words = text or ""
    form = "absolute" if _ABSOLUTE.search(words) else "relative" if _RELATIVE.search(words) else "other"
    return f"{source}/{precision or 'none'}/{form}"


def fatality_evidence(figures: list[Casualty], killed: int, text: str, bomber: bool = False) -> str:
    """``none`` (no figure: 0), ``bomber``, ``dropped`` (figures none of which counted: 0),
    else ``count`` / ``one`` figure or ``several`` different ones / how the counted one is
    written: ``digits``, ``words`` or ``vague`` ("dozens"), or ``summed`` over sides."""
    if not figures:
        return "bomber" if bomber and killed else "none"
    if not killed:
        return "dropped"
    values = {c.value for c in figures}
    agree = "one" if len(values) == 1 else "several"
    own = next((c for c in figures if c.value == killed), None)
    if own is None:
        return f"count/{agree}/summed"
    words = text[own.start : own.end]
    form = "vague" if _VAGUE.search(words) else "digits" if re.search(r"\d", words) else "words"
    return f"count/{agree}/{form}"


def score(ev: Event) -> None:
    """Set the event's field confidences and its own from its evidence paths."""
    table = load_confidence()
    ev.field_confidence = {
        f: 0.0
        if f in NO_VALUE and ev.confidence_evidence.get(f, "none") == "none"
        # a date or place the event does not have cannot be right
        else round(table.probability(f, ev.confidence_evidence.get(f, "none")), 3)
        for f in FIELDS
    }
    ev.confidence = joint(ev.field_confidence)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z]+", "-", text.lower()).strip("-")
