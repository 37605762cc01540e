"""The event filters, checked once for every caller (CLI, Python API, web API).

A filter that cannot match (an event type outside ACLED's taxonomy, ``since`` after
``until``) or a number no database column holds is refused with a ValueError that
names the valid values, rather than silently returning nothing (or everything).
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from marsad.knowledge.taxonomy import EVENT_TYPES, load_taxonomy

MAX_INT = 2**31 - 1  # PostgreSQL's INTEGER; larger limits, offsets or counts mean nothing here


class FilterError(ValueError):
    """An event filter that cannot be used; the message says which values can."""


@functools.lru_cache(maxsize=1)
def sub_event_types() -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.sub_event_type for s in load_taxonomy().sub_types))


def _canonical(name: str, value: str, allowed: tuple[str, ...]) -> str:
    found = {a.casefold(): a for a in allowed}.get(value.strip().casefold())
    if found is None:
        kind = name.replace("_", " ")
        raise FilterError(f"{name}: {value!r} is not an ACLED {kind}; use one of: {', '.join(allowed)}")
    return found


def _day(name: str, value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise FilterError(f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


def bounded(name: str, value: Any, *, low: int = 0, high: int = MAX_INT) -> int:
    """``value`` as an int in ``low..high``, or a FilterError saying the range."""
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value))
        except ValueError:
            raise FilterError(f"{name}: {value!r} is not a whole number") from None
    if not low <= value <= high:
        raise FilterError(f"{name}: {value} is out of range; use {low} to {high:,}")
    return int(value)


STATUSES = ("provisional", "verified", "edited", "rejected")
# what a listing shows when no status is asked for: everything but the rejected
DEFAULT_STATUSES = ("provisional", "verified", "edited")


def check_status(value: Any) -> tuple[str, ...]:
    """``"verified"``, ``"verified,edited"``, a list of them, or ``"all"`` -> the statuses, in
    their order; FilterError naming the valid ones else."""
    items = value.split(",") if isinstance(value, str) else list(value)
    wanted: set[str] = set()
    for item in items:
        name = str(item).strip().lower()
        if name == "all":
            wanted.update(STATUSES)
        elif name in STATUSES:
            wanted.add(name)
        elif name:
            raise FilterError(
                f"status: {str(item)[:40]!r} is not a status; use one of: {', '.join(STATUSES)}, all"
            )
    if not wanted:
        raise FilterError(f"status: no status given; use one of: {', '.join(STATUSES)}, all")
    return tuple(s for s in STATUSES if s in wanted)


def check_filters(filters: dict[str, Any]) -> dict[str, Any]:
    """The filters with canonical spellings and real dates; FilterError if one cannot match."""
    out = {k: v for k, v in filters.items() if v is not None}
    if isinstance(out.get("event_type"), str):
        out["event_type"] = _canonical("event_type", out["event_type"], EVENT_TYPES)
    if isinstance(out.get("sub_event_type"), str):
        out["sub_event_type"] = _canonical("sub_event_type", out["sub_event_type"], sub_event_types())
    for key in ("since", "until"):
        if key in out:
            out[key] = _day(key, out[key])
    if "since" in out and "until" in out and out["since"] > out["until"]:
        raise FilterError(f"since ({out['since']}) is after until ({out['until']}): no event can match")
    if "status" in out:
        out["status"] = check_status(out["status"])
    if "min_fatalities" in out:
        out["min_fatalities"] = bounded("min_fatalities", out["min_fatalities"])
    for key in ("text", "country", "admin1", "actor"):
        if isinstance(out.get(key), str) and "\x00" in out[key]:
            raise FilterError(f"{key}: a NUL character cannot be searched for; remove it")
    return out


def check_page(limit: Any, offset: Any) -> tuple[int | None, int]:
    """``limit`` (None: all) and ``offset`` in range, or FilterError."""
    return (None if limit is None else bounded("limit", limit)), bounded("offset", offset or 0)
