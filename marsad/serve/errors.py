"""One JSON error shape for every 4xx/5xx the app returns.

Clients (the page, scripts, tests) handle one shape whatever went wrong::

    {"error": {"status": 422, "code": "invalid_parameter",
               "message": "since: Input should be a valid date ...",
               "errors": [{"param": "since", "message": "...", "value": "2018-13-01"}]}}

``errors`` lists each bad parameter, so a client can point at the field; it is
empty when the problem is not about one parameter (a missing event, say).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from marsad.store.filters import FilterError

# HTTP status -> the stable machine-readable code clients switch on.
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid_parameter",
    500: "internal_error",
}


class ApiError(Exception):
    """Raised by handlers for an error the client can fix; becomes the JSON error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
        self.errors = errors or []
        self.headers = headers or {}  # e.g. WWW-Authenticate on a 401, Retry-After on a 429


def error_body(
    status: int, message: str, *, code: str | None = None, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The error shape as a dict (the OpenAPI schema and the tests use it too)."""
    err = ApiError(status, message, code=code, errors=errors)
    return {"error": {"status": err.status, "code": err.code, "message": err.message, "errors": err.errors}}


def _response(err: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(err.status, err.message, code=err.code, errors=err.errors),
        status_code=err.status,
        headers=err.headers or None,
    )


def _param_name(loc: tuple[Any, ...] | list[Any]) -> str:
    # pydantic locations look like ("query", "since"); the client only knows "since".
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or "request"


async def _on_api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _response(exc)


async def _on_validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for e in exc.errors():
        item: dict[str, Any] = {"param": _param_name(e.get("loc", ())), "message": e.get("msg", "invalid")}
        if "input" in e and isinstance(e["input"], str | int | float):
            item["value"] = e["input"]
        errors.append(item)
    message = "; ".join(f"{e['param']}: {e['message']}" for e in errors) or "invalid request"
    return _response(ApiError(422, message, errors=errors))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and exc.detail == "Not Found":
        message = f"no such page: {request.url.path} (the API is under /api, its docs at /docs)"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed here (reads are GET; edits: docs/review.md)"
    else:
        message = str(exc.detail)
    return _response(ApiError(exc.status_code, message))


async def _on_unexpected(_: Request, exc: Exception) -> JSONResponse:
    # Say what failed without leaking a traceback to the client; uvicorn logs the traceback.
    return _response(ApiError(500, f"internal error: {type(exc).__name__}"))


async def _on_filter_error(_: Request, exc: Exception) -> JSONResponse:
    # the store's own check (marsad.store.filters): e.g. a NUL byte in q, a number out of range
    name, sep, rest = str(exc).partition(": ")
    param = _API_NAMES.get(name, name) if sep and name.isidentifier() else "request"
    message = f"{param}: {rest}" if param != "request" else str(exc)
    return _response(ApiError(422, message, errors=[{"param": param, "message": rest or message}]))


_API_NAMES = {"text": "q", "event_type": "type", "sub_event_type": "sub_type"}  # the store's -> the URL's


def install_error_handlers(app: FastAPI) -> None:
    """Route every error the app can raise through the one JSON shape."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(FilterError, _on_filter_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)
