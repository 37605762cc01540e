"""PLOVER JSON lines: one event per line in the PLOVER/POLECAT event-data specification.

The fields are PLOVER's (``id``, ``date``, ``source``/``recipient`` actor lists with ISO
alpha-3 ``code`` and ``sector``, ``event``, ``mode``, ``context``, ``quad_code``,
``event_scale``, ``event_loc`` with GeoNames field names, ``dead``, ``injured``,
``event_text``), plus marsad's own where PLOVER has none: ``date_precision``, the
location's ``precision``, ``dead_low``/``dead_high`` and ``evidence`` (each quote with its
article, claimant and offsets). ``data/plover_event.schema.json`` is the schema each line
meets. As PLOVER prescribes, both sides of a battle are sources; one-sided violence has
the perpetrator as source and the victims as recipient. The three ACLED sub-event types
PLOVER has no category for ("Change to group/activity", "Disrupted weapons use",
"Other") are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import IO, Any

from marsad.export.actors import ActorBook, country, sides
from marsad.export.cameo import type_code
from marsad.knowledge.codes import ExportCodes, load_codes


def _actor(name: str, book: ActorBook, codes: ExportCodes) -> dict[str, Any]:
    info = book(name)
    return {
        "code": info.country.iso3 if info.country else None,
        "sector": type_code(info, codes, "plover") or None,
        "actor_text": name,
        "identifier_id": f"marsad:{info.actor_id}" if info.actor_id else None,
        "identifier_text": name,
    }


def _location(event: Mapping[str, Any]) -> dict[str, Any] | None:
    keys = ("location", "latitude", "longitude", "iso3", "country", "admin1")
    if all(event.get(k) is None for k in keys):
        return None
    place = country(event.get("iso3"))
    return {
        "geonameid": event.get("geonameid"),
        "name": event.get("location"),
        "latitude": event.get("latitude"),
        "longitude": event.get("longitude"),
        "country code": place.iso2 if place else None,
        "cc3": event.get("iso3"),
        "country": event.get("country"),
        "admin1": event.get("admin1"),
        "precision": event.get("geo_precision"),
    }


def plover_record(
    event: Mapping[str, Any], *, book: ActorBook | None = None, codes: ExportCodes | None = None
) -> dict[str, Any] | None:
    """One EVENT as a PLOVER record, or None when PLOVER has no category for its sub-event type."""
    codes = codes or load_codes()
    sub = codes.sub_types.get(event.get("sub_event_type") or "")
    if sub is None or sub.plover is None:
        return None
    book = book or ActorBook()
    acting, acted_on = sides(event, sub.roles)
    if sub.roles == "mutual":
        acting, acted_on = acting + acted_on, []
    quad, scale = codes.plover_categories[sub.plover]
    sources = list(event.get("sources") or [])
    keys = ("article_id", "publisher", "claimant", "quote", "start", "end")
    return {
        "id": event["event_id"],
        "date": event.get("event_date"),
        "date_precision": event.get("date_precision"),
        "source": [_actor(n, book, codes) for n in acting],
        "recipient": [_actor(n, book, codes) for n in acted_on],
        "event": [sub.plover],
        "mode": list(sub.plover_mode),
        "context": list(sub.plover_context),
        "quad_code": quad,
        "event_scale": scale,
        "event_loc": _location(event),
        "dead": int(event.get("fatalities") or 0),
        "dead_low": event.get("fatalities_low"),
        "dead_high": event.get("fatalities_high"),
        "injured": event.get("wounded"),
        "event_text": list(dict.fromkeys(s["quote"] for s in sources)),
        "evidence": [{k: s.get(k) for k in keys} for s in sources],
        "comment": event.get("notes") or "",
        "coder": f"marsad {__import__('marsad').__version__}",
        "acled_event_type": sub.event_type,
        "acled_sub_event_type": sub.sub_event_type,
    }


def write_plover(
    events: Iterable[Mapping[str, Any]], out: IO[str], *, categories: Mapping[str, str] | None = None
) -> int:
    """One PLOVER record per line (JSON lines, as PLOVER recommends); returns how many."""
    codes, book = load_codes(), ActorBook(categories)
    n = 0
    for event in events:
        record = plover_record(event, book=book, codes=codes)
        if record is not None:
            out.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
            n += 1
    return n
