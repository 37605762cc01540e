"""Scoring a pair of reports: could they be one event, how alike are they, and why.

Two steps. Hard rules first: a pair that breaks one can never be one event (the same
article, another country or province, more than 25 km apart, dates more than a day apart,
a protest against a battle, or named actors with nothing in common). Then a weighted score
in [0, 1] over place, date, actors, event type, casualty figures and the words of the
evidence; a feature a report does not give counts as a neutral 0.5, so vaguer reports need
more agreement elsewhere. The unit is ACLED's: one place, one day, one pair of actors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from marsad.link.block import near_cells
from marsad.link.knowledge import WILDCARD, actor_book
from marsad.link.report import PRECISION_RANK, Report, cosine

MAX_KM = 25.0  # a report placed "near" a town may be this far from another's place
TOWN_KM = 5.0  # two reports each naming a place of their own: suburbs of one town at most
WEIGHTS = {"place": 0.25, "date": 0.25, "actors": 0.2, "type": 0.15, "fatalities": 0.05, "text": 0.1}
NEUTRAL = 0.5
TEXT_FULL = 0.5  # a cosine this high between two outlets' words counts as full agreement
# precision of the vaguer date -> score when the dates overlap
DATE_OVERLAP = {"day": 1.0, "week": 0.6, "month": 0.35, "year": 0.15}
ADJACENT_DAY = 0.25  # the same event dated a day apart (night, time zones, "on Friday")
RELATED = 0.6  # an ally (affiliate, umbrella) instead of the actor itself


@dataclass
class Comparison:
    """The verdict on one pair: ``conflict`` says why they cannot be one event."""

    score: float = 0.0
    conflict: str | None = None
    parts: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)

    def explain(self) -> str:
        """One line a person can check: "same place (0 km), same day, ..., score 0.83"."""
        if self.conflict:
            return f"cannot be one event: {self.conflict}"
        return ", ".join(self.reasons) + f"; score {self.score:.2f}"


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def compare(a: Report, b: Report, *, explain: bool = False) -> Comparison:
    """Score a pair; with ``explain`` also the human-readable reasons.

    Symmetric in ``a`` and ``b`` and a function of the two reports only (no corpus
    statistics), which is what lets linking be incremental and order-independent.
    """
    out = Comparison()
    why = out.reasons if explain else None
    if not a.linkable or not b.linkable:
        out.conflict = "no date or no place finer than a country"
        return out
    if a.article_id == b.article_id:
        out.conflict = "same article (the extractor keeps an article's events apart)"
        return out
    if a.country != b.country:
        out.conflict = (
            f"different countries ({a.event.country or a.country} / {b.event.country or b.country})"
        )
        return out
    if a.family and b.family and a.family != b.family:
        out.conflict = f"incompatible event types ({a.event.event_type} / {b.event.event_type})"
        return out
    # date
    gap = max(a.day_lo, b.day_lo) - min(a.day_hi, b.day_hi)  # type: ignore[type-var,operator]
    if gap > 1:
        out.conflict = f"dates {gap} days apart ({a.event.event_date} / {b.event.event_date})"
        return out
    if gap == 1 and a.precision == b.precision == "day" and _own_days(a, b):
        out.conflict = (
            f"a day apart ({a.event.event_date} / {b.event.event_date}), each reported on its own day: "
            "two days of fighting, not one event dated two ways"
        )
        return out
    # place
    place = _place(a, b, out, why)
    if out.conflict:
        return out
    actors = _actors(a, b, out, why)
    if out.conflict:
        return out
    vaguer = max(a.precision or "day", b.precision or "day", key=PRECISION_RANK.__getitem__)
    if gap <= 0:
        when = DATE_OVERLAP[vaguer]
        if why is not None:
            why.append("same day" if vaguer == "day" else f"dates overlap (one only to the {vaguer})")
    else:
        when = ADJACENT_DAY if vaguer == "day" else ADJACENT_DAY / 2
        if why is not None:
            why.append(f"one day apart ({a.event.event_date} / {b.event.event_date})")
    kind = _type(a, b, why)
    dead = _fatalities(a, b, why)
    text = cosine(a.vector, b.vector)
    if why is not None:
        why.append(f"text {text:.2f}")
    parts = {
        "place": place,
        "date": when,
        "actors": actors,
        "type": kind,
        "fatalities": dead,
        "text": min(1.0, text / TEXT_FULL),
    }
    out.parts = parts
    out.score = round(sum(WEIGHTS[k] * v for k, v in parts.items()), 6)
    return out


def _own_days(a: Report, b: Report) -> bool:
    """Two reports a day apart where the later-dated one was also published later: each
    tells the news of its own day (daily shelling of one town), rather than two sources
    dating one night differently (which they publish the same day, or the later one first)."""
    first, second = (a, b) if (a.day_lo or 0) < (b.day_lo or 0) else (b, a)
    if first.publish_date is None or second.publish_date is None:
        return False
    return second.publish_date > first.publish_date


def _place(a: Report, b: Report, out: Comparison, why: list[str] | None) -> float:
    if a.precise and b.precise:
        same = a.event.geonameid is not None and a.event.geonameid == b.event.geonameid
        km = 0.0 if same else haversine(a.lat, a.lon, b.lat, b.lon)  # type: ignore[arg-type]
        exact = (a.event.geo_precision or 1) == 1 and (b.event.geo_precision or 1) == 1
        if km > MAX_KM or not near_cells(a, b) or (exact and km > TOWN_KM):
            out.conflict = f"{km:.0f} km apart ({a.event.location} / {b.event.location})"
            return 0.0
        if why is not None:
            where = "same place" if km < 1 else "nearby places"
            why.append(f"{where} ({km:.0f} km)")
        return max(0.0, 1.0 - km / MAX_KM)
    if a.admin != b.admin:
        out.conflict = f"different provinces ({a.event.admin1} / {b.event.admin1})"
        return 0.0
    if why is not None:
        why.append(f"same province ({a.event.admin1}; one report gives no closer place)")
    return NEUTRAL


def _actors(a: Report, b: Report, out: Comparison, why: list[str] | None) -> float:
    if not a.actors or not b.actors:
        if why is not None:
            why.append("actors not known on both sides")
        return NEUTRAL
    book = actor_book()

    def match(name: str, others: dict[str, float]) -> float:
        if name in others:
            return 1.0
        return RELATED if any(book.related(name, o) for o in others) else 0.0

    total = sum(a.actors.values()) + sum(b.actors.values())
    got = sum(w * match(n, b.actors) for n, w in a.actors.items())
    got += sum(w * match(n, a.actors) for n, w in b.actors.items())
    score = got / total
    if score == 0.0 and (
        _named(a.event.actor1) and _named(b.event.actor1) or _named(a.event.actor2) and _named(b.event.actor2)
    ):
        # both name who attacked, or both name who was hit, and nobody is in both accounts
        out.conflict = f"no actor in common ({_pair(a)} / {_pair(b)})"
        return 0.0
    if why is not None:
        roles = _roles(a, b)
        why.append(f"actors {_pair(a)}" + (f" / {_pair(b)}" if _pair(a) != _pair(b) else "") + roles)
    return score


def _named(actor: str | None) -> bool:
    return bool(actor) and not WILDCARD.match(actor or "")


def _pair(r: Report) -> str:
    one = r.event.actor1 or "?"
    return one if not r.event.actor2 else f"{one} vs {r.event.actor2}"


def _roles(a: Report, b: Report) -> str:
    book = actor_book()

    def near(x: frozenset[str], y: frozenset[str]) -> bool:
        return any(book.related(p, q) for p in x for q in y)

    if a.side1 and b.side1 and near(a.side1, b.side1):
        return " (same roles)"
    if (a.side1 and b.side2 and near(a.side1, b.side2)) or (a.side2 and b.side1 and near(a.side2, b.side1)):
        return " (roles swapped: the sources disagree on who attacked)"
    return ""


# Sub-event types that sources code one happening as, and how often (1 = same coding).
# Clashes and the territory they change hands are one battle; a suicide attack is an
# explosion to some and an IED to others; a missile is "shelling" to one reporter and an
# "air strike" to the next; a massacre is an "attack" or a "clash". Anything else rarely is.
CONFUSABLE = {
    frozenset({"Armed clash", "Non-state actor overtakes territory"}): 0.8,
    frozenset({"Armed clash", "Government regains territory"}): 0.8,
    frozenset({"Non-state actor overtakes territory", "Government regains territory"}): 0.6,
    frozenset({"Suicide bomb", "Remote explosive/landmine/IED"}): 0.6,
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}): 0.5,
    frozenset({"Attack", "Armed clash"}): 0.5,
    frozenset({"Peaceful protest", "Protest with intervention"}): 0.8,
    frozenset({"Violent demonstration", "Mob violence"}): 0.6,
}
SAME_TYPE = 0.3  # two sub-types of one event type, not known to be confused
SAME_FAMILY = 0.15


def _type(a: Report, b: Report, why: list[str] | None) -> float:
    ea, eb = a.event, b.event
    if not ea.event_type or not eb.event_type:
        return NEUTRAL
    sa, sb = ea.sub_event_type or "", eb.sub_event_type or ""
    if sa and sa == sb:
        score, text = 1.0, f"same type ({sa})"
    else:
        known = CONFUSABLE.get(frozenset({sa, sb}))
        score = known if known is not None else SAME_TYPE if ea.event_type == eb.event_type else SAME_FAMILY
        text = f"types {sa or ea.event_type} / {sb or eb.event_type}"
    if why is not None:
        why.append(text)
    return score


def _fatalities(a: Report, b: Report, why: list[str] | None) -> float:
    x, y = a.fatalities, b.fatalities
    if x <= 0 or y <= 0:
        return NEUTRAL
    if why is not None:
        why.append(f"fatalities {x} / {y}" if x != y else f"same fatalities ({x})")
    return min(x, y) / max(x, y)
