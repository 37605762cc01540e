"""PLACEHOLDER, replaced by the auth part (issue 23): who is asking, for the write endpoints.

``require_role(role)`` is a FastAPI dependency returning the user name. This stand-in reads
it from the ``X-Marsad-User`` header and checks no role or password: it exists only so the
review endpoints (marsad/serve/review.py) can be built and tested before the auth part's
users, sessions and tokens land; the lead takes the auth part's file at merge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Header

from marsad.serve.errors import ApiError


def require_role(role: str) -> Callable[..., str]:
    """A dependency giving the editor's name (401 without one). Replaced by the auth part."""

    def user(x_marsad_user: Annotated[str | None, Header(max_length=200)] = None) -> str:
        name = (x_marsad_user or "").strip()
        if not name:
            raise ApiError(401, f"log in first: this needs the {role} role", code="unauthenticated")
        return name

    return user
