"""The event filters of ``/api/events``: the CLI's vocabulary, validated once.

The names are the CLI's (``--country``, ``--since``, ``--type`` ...) so a URL reads
like the command that gives the same rows; :meth:`EventFilters.store_kwargs` maps
them onto :meth:`marsad.store.Store.events`. Values the store could not use (a
date that is not a date, an event type outside the ACLED taxonomy, ``since``
after ``until``) are refused here with a 4xx naming the parameter, rather than
silently matching nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Query, Request

from marsad.serve.errors import ApiError

# ACLED's taxonomy, exact spelling (docs/events.md): type -> its sub-event types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in EVENT_TYPES.values() for s in subs)

MAX_LIMIT = 10_000
MAX_INT = 2**31 - 1  # the store's bound on every number (marsad.store.filters)
DEFAULT_LIMIT = 100


def _canonical(value: str | None, allowed: tuple[str, ...], param: str) -> str | None:
    """Accept any letter case ("battles") but pass the store ACLED's exact spelling."""
    if value is None or value == "":
        return None
    by_folded = {a.casefold(): a for a in allowed}
    found = by_folded.get(value.strip().casefold())
    if found is None:
        raise ApiError(
            422,
            f"{param}: {value!r} is not an ACLED {param.replace('_', '-')}; use one of: {', '.join(allowed)}",
            errors=[{"param": param, "message": "not in the ACLED taxonomy", "value": value}],
        )
    return found


def reject_unknown(request: Request, allowed: set[str]) -> None:
    """A misspelt filter (``?contry=Syria``) would otherwise return every event: say so instead."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise ApiError(
            400,
            f"unknown parameter{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"accepted: {', '.join(sorted(allowed))}",
            code="unknown_parameter",
            errors=[{"param": u, "message": "unknown parameter"} for u in unknown],
        )


@dataclass(frozen=True)
class EventFilters:
    """Which events: every field optional, all given ones must hold (AND)."""

    country: str | None = None
    admin1: str | None = None
    since: date | None = None
    until: date | None = None
    actor: str | None = None
    type: str | None = None
    sub_type: str | None = None
    min_fatalities: int | None = None
    q: str | None = None
    status: str | None = None

    def store_kwargs(self) -> dict[str, Any]:
        """The same filters under :meth:`Store.events`'s keyword names."""
        return {
            "country": self.country,
            "admin1": self.admin1,
            "since": self.since,
            "until": self.until,
            "actor": self.actor,
            "event_type": self.type,
            "sub_event_type": self.sub_type,
            "min_fatalities": self.min_fatalities,
            "text": self.q,
            "status": self.status,
        }

    def query(self) -> dict[str, str]:
        """The filters that are set, as URL parameters (for ``next`` links)."""
        out: dict[str, str] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, date) else str(value)
        return out


def _blank_to_none(value: str | None) -> str | None:
    # An HTML form sends empty fields as "country=": that means "no filter", not "country ''".
    if value is None:
        return None
    value = value.strip()
    return value or None


def event_filters(
    country: Annotated[str | None, Query(description="Country name, e.g. Syria", max_length=100)] = None,
    admin1: Annotated[
        str | None, Query(description="First-level division, e.g. Deir ez-Zor", max_length=100)
    ] = None,
    since: Annotated[date | None, Query(description="First event date, inclusive (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="Last event date, inclusive (YYYY-MM-DD)")] = None,
    actor: Annotated[
        str | None, Query(description="Canonical actor name, on either side", max_length=200)
    ] = None,
    type: Annotated[str | None, Query(description="ACLED event type, e.g. Battles", max_length=100)] = None,
    sub_type: Annotated[
        str | None, Query(description="ACLED sub-event type, e.g. Armed clash", max_length=100)
    ] = None,
    min_fatalities: Annotated[
        int | None,
        Query(ge=0, le=MAX_INT, description="Only events with at least this many fatalities"),
    ] = None,
    q: Annotated[
        str | None,
        Query(description="Words in the notes, actors, place or quoted evidence", max_length=200),
    ] = None,
    text: Annotated[str | None, Query(description="Same as q (the CLI's --text)", max_length=200)] = None,
    status: Annotated[
        str | None,
        Query(
            description="provisional, verified, edited, rejected, several (verified,edited) or all; "
            "default: every status but rejected",
            max_length=100,
        ),
    ] = None,
) -> EventFilters:
    """FastAPI dependency: the query string -> validated :class:`EventFilters`."""
    q, text = _blank_to_none(q), _blank_to_none(text)
    if q and text and q != text:
        raise ApiError(
            422,
            "q and text are the same filter; give one of them",
            errors=[{"param": "text", "message": "conflicts with q", "value": text}],
        )
    if since and until and since > until:
        raise ApiError(
            422,
            f"since ({since}) is after until ({until}): no event can match",
            errors=[{"param": "since", "message": "after until", "value": since.isoformat()}],
        )
    return EventFilters(
        country=_blank_to_none(country),
        admin1=_blank_to_none(admin1),
        since=since,
        until=until,
        actor=_blank_to_none(actor),
        type=_canonical(_blank_to_none(type), tuple(EVENT_TYPES), "type"),
        sub_type=_canonical(_blank_to_none(sub_type), SUB_EVENT_TYPES, "sub_type"),
        min_fatalities=min_fatalities,
        q=q or text,
        status=_status(_blank_to_none(status)),
    )


def _status(value: str | None) -> str | None:
    """The statuses asked for, canonical and comma-separated (None: the default listing)."""
    from marsad.store.filters import FilterError, check_status

    if value is None:
        return None
    try:
        return ",".join(check_status(value))
    except FilterError as exc:
        message = str(exc)
        raise ApiError(
            422, message, errors=[{"param": "status", "message": message, "value": value}]
        ) from None


FILTER_PARAMS = {*EventFilters.__dataclass_fields__, "text"}
