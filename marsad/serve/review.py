"""The write endpoints of the review (docs/review.md): verify, edit, reject, merge, split.

Each takes the editor's name from ``require_role("analyst")`` (marsad.serve.auth) and is a
thin call to the matching :class:`marsad.api.Observatory` method; it answers with the
resulting event(s) as ``GET /api/events/{id}`` gives them, 404 for an unknown event and 422
for a field or value that cannot be used (the one error shape of marsad.serve.errors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from marsad.errors import EditError, EventNotFound
from marsad.serve.api import FastJSON
from marsad.serve.auth import require_role
from marsad.serve.errors import ApiError

router = APIRouter(prefix="/api", tags=["review"], default_response_class=FastJSON)

EventId = Annotated[str, Path(max_length=200, description="The event's id")]
Analyst = Annotated[str, Depends(require_role("analyst"))]


class Reason(BaseModel):
    reason: str | None = Field(None, max_length=1000, description="Why (optional; kept with the change)")


class EditBody(Reason):
    fields: dict[str, Any] = Field(description='Fields and their new values, e.g. {"fatalities": 15}')


class MergeBody(Reason):
    other: str = Field(max_length=200, description="The event to merge into this one")


class SplitBody(Reason):
    report_ids: list[str] = Field(max_length=10_000, description="The reports to split off into a new event")


def _observatory(request: Request) -> Any:
    from marsad.api import Observatory

    store = request.app.state.store
    if not hasattr(store, "review_action"):
        raise ApiError(405, "this app's store cannot be edited")
    return Observatory(store)


def _act(request: Request, call: Callable[[Any], Any]) -> Any:
    """``call`` on the app's Observatory, its errors in the API's shape."""
    obs = _observatory(request)
    try:
        return call(obs)
    except EventNotFound as exc:
        raise ApiError(404, str(exc)) from None
    except EditError as exc:
        raise ApiError(422, str(exc), code="invalid_edit") from None


def _why(body: Reason | None) -> str:
    return (body.reason if body else None) or ""


@router.post("/events/{event_id}/verify", summary="Confirm an event as it is (status verified)")
def verify_event(
    request: Request, event_id: EventId, user: Analyst, body: Reason | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = _act(request, lambda obs: obs.verify(event_id, user=user, reason=_why(body)))
    return found


@router.patch("/events/{event_id}", summary="Set fields of an event (status edited)")
def edit_event(request: Request, event_id: EventId, user: Analyst, body: EditBody) -> dict[str, Any]:
    found: dict[str, Any] = _act(
        request, lambda obs: obs.edit(event_id, body.fields, user=user, reason=_why(body))
    )
    return found


@router.post("/events/{event_id}/reject", summary="Reject an event (left out of listings and exports)")
def reject_event(
    request: Request, event_id: EventId, user: Analyst, body: Reason | None = None
) -> dict[str, Any]:
    found: dict[str, Any] = _act(request, lambda obs: obs.reject(event_id, user=user, reason=_why(body)))
    return found


@router.post("/events/{event_id}/merge", summary="Merge another event into this one")
def merge_events(request: Request, event_id: EventId, user: Analyst, body: MergeBody) -> dict[str, Any]:
    found: dict[str, Any] = _act(
        request, lambda obs: obs.merge(event_id, body.other, user=user, reason=_why(body))
    )
    return found


@router.post("/events/{event_id}/split", summary="Split reports off an event into a new one")
def split_event(request: Request, event_id: EventId, user: Analyst, body: SplitBody) -> dict[str, Any]:
    found: list[dict[str, Any]] = _act(
        request, lambda obs: obs.split(event_id, list(body.report_ids), user=user, reason=_why(body))
    )
    return {"events": found}
