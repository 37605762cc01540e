"""The live part of the API: ``/api/stream`` (server-sent events of events as they are stored)
and ``/api/feeds`` (the health of the feeds ``marsad watch`` polls).

The stream reads the store's change order (marsad.store.changes), so it sees what any
process writes (``marsad watch``, ``marsad ingest``) on SQLite and PostgreSQL alike: each
client polls from its own watermark with one indexed query per second or so. Every message
carries its position as its SSE ``id``; a browser that loses the connection sends it back as
``Last-Event-ID`` and misses nothing. Comments keep idle connections (and proxies) alive; the
stream ends when the client goes, or when the server shuts down (:func:`closing`).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Header, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from marsad.serve.api import FastJSON, _fields, store_of, to_feature
from marsad.serve.errors import ApiError
from marsad.serve.filters import FILTER_PARAMS, EventFilters, event_filters, reject_unknown

#: Seconds between two looks at the store for one client.
POLL = 1.0
#: Seconds of silence after which a comment is sent (proxies close idle connections at 30-60 s).
KEEPALIVE = 15.0
#: Milliseconds a browser waits before reconnecting (the SSE ``retry`` field).
RETRY_MS = 3000
#: Changes read per query: a burst is sent in pages of this many.
BATCH = 200

router = APIRouter(prefix="/api", tags=["live"], default_response_class=FastJSON)


def closing(app: FastAPI) -> threading.Event:
    """Set it and every open stream ends within a poll (the server is shutting down)."""
    event: threading.Event = app.state.streams_closing
    return event


def _message(kind: str, data: dict[str, Any], event_id: str | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {kind}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


@router.get(
    "/stream",
    summary="Server-sent events: each event added, updated or removed from now on",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "An endless event stream"}},
)
async def stream(
    request: Request,
    filters: Annotated[EventFilters, Depends(event_filters)],
    after: Annotated[
        str | None,
        Query(max_length=60, description="Start after this position (a message id); default: now"),
    ] = None,
    fields: Annotated[
        str | None, Query(description="Comma-separated EVENT fields of each event (event_id always)")
    ] = None,
    last_event_id: Annotated[str | None, Header(max_length=60, include_in_schema=False)] = None,
) -> StreamingResponse:
    """A ``text/event-stream``: first a ``ready`` message whose id is the current position, then
    one message per change: ``added`` or ``updated`` (``data.feature`` is the event as a GeoJSON
    Feature, as ``/api/events?format=geojson`` gives it) and ``removed`` (``data.event_id``: an
    event merged into another). Each message's id is its position: send it back as
    ``Last-Event-ID`` (browsers do) or ``after`` to resume without a gap. The filters are
    those of ``/api/events``; removals are sent whatever the filters."""
    reject_unknown(request, FILTER_PARAMS | {"after", "fields"})
    from marsad.store.changes import Cursor

    store = store_of(request)
    changes = getattr(store, "changes", None)
    if changes is None:
        raise ApiError(501, "this store keeps no change order: no live stream")
    wanted = _fields(fields)
    kwargs = {k: v for k, v in filters.store_kwargs().items() if v is not None}
    start: Cursor | None = None
    # the browser's Last-Event-ID wins over the URL's ``after`` (which is where it first began)
    for given, strict in ((last_event_id, False), (after, True)):
        if given:
            try:
                start = Cursor.parse(given)
                break
            except ValueError as exc:
                if strict:
                    raise ApiError(
                        422, f"after: {exc}", errors=[{"param": "after", "message": str(exc)}]
                    ) from None
    if start is None:
        start = (await run_in_threadpool(changes, None))[1]
    state = request.app.state
    poll, keepalive, stop = state.stream_poll, state.stream_keepalive, closing(request.app)

    async def messages() -> AsyncIterator[str]:
        state.streams_open += 1
        try:
            async for message in _changes():
                yield message
        finally:  # the client went, the server is closing, or the store failed
            state.streams_open -= 1

    async def _changes() -> AsyncIterator[str]:
        cursor = start
        yield f"retry: {RETRY_MS}\n" + _message("ready", {"cursor": str(cursor)}, str(cursor))
        quiet_since = time.monotonic()
        while not stop.is_set():
            if await request.is_disconnected():
                return
            try:
                found, _ = await run_in_threadpool(changes, cursor, limit=BATCH, **kwargs)
            except Exception as exc:  # the store went away: say so and end; the browser retries
                yield _message("store-error", {"message": _one_line(exc)})
                return
            for change in found:
                event = change["event"]
                cursor = Cursor(event["change_seq"], event["event_id"])
                if change["kind"] == "removed":
                    data = {"kind": "removed", "event_id": event["event_id"], "at": event["removed_at"]}
                else:
                    feature = to_feature(event, wanted)
                    data = {"kind": change["kind"], "at": event["updated_at"], "feature": feature}
                yield _message(change["kind"], data, str(cursor))
            now = time.monotonic()
            if found:
                quiet_since = now
                if len(found) == BATCH:
                    continue  # more waiting: no pause
            elif now - quiet_since >= keepalive:
                yield ": keep-alive\n\n"
                quiet_since = now
            deadline = now + poll
            while not stop.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(min(0.1, poll))

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}  # no proxy buffering
    return StreamingResponse(messages(), media_type="text/event-stream", headers=headers)


@router.get("/feeds", summary="The feeds marsad watch polls, with their health")
def list_feeds(request: Request) -> dict[str, Any]:
    """Each feed's name, URL, interval, last success, last error (one line, with its time),
    failures in a row, items seen and items per day over the last week; oldest feed first."""
    reject_unknown(request, set())
    store = store_of(request)
    if not hasattr(store, "engine"):
        return {"feeds": []}
    from marsad.store.monitor import Monitor

    return {"feeds": [f.to_dict() for f in Monitor(store).feeds()]}  # type: ignore[arg-type]
