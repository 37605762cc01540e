"""Who is asking: login sessions for the page, bearer tokens for scripts, and what each may do.

Two ways to say who you are:

- **a session cookie** (``marsad_session``: HttpOnly, SameSite=Lax, a random id the store
  keeps hashed) from ``POST /api/login``. The browser sends it by itself, also with a request
  another site's page makes, so every cookie-authenticated write must also carry the
  session's CSRF token in an ``X-CSRF-Token`` header (the login answer and ``GET /api/me``
  give it to the page; no other site can read them) and, when the browser says where the
  request comes from (``Origin``, else ``Referer``), come from this server's own origin;
- **a bearer token** (``Authorization: Bearer marsad_...``, from ``marsad users token``):
  browsers never attach it on their own, so it needs no CSRF token.

:func:`require_role` is the dependency write endpoints take: it answers 401 to the
unauthenticated, 403 to a role too low or a cross-site (forged) request, and gives the
handler the user's name. ``create_app(private=True)`` (``marsad serve --private``) makes
every read need a login too. Errors keep the one JSON shape of :mod:`marsad.serve.errors`.
"""

from __future__ import annotations

import contextlib
import html
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from marsad.serve.errors import ApiError
from marsad.store.users import MAX_NAME, MAX_PASSWORD, ROLES, Session, User, Users, rank, same_secret

COOKIE = "marsad_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Paths a private server answers without a login: logging in, and pages that hold no data.
OPEN_PATHS = frozenset({"/api/login", "/api/logout", "/api/me", "/docs", "/openapi.json", "/-/versions"})
WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="marsad"'}


@dataclass(frozen=True)
class Caller:
    """An authenticated request: the user, and how they proved it ("session" or "token")."""

    user: User
    via: str
    session: Session | None = None


def users_of(request: Request) -> Users:
    """The users of the app's store (the store must be a real :class:`marsad.store.Store`)."""
    users: Users | None = getattr(request.app.state, "users", None)
    if users is None:
        store = request.app.state.store
        if not hasattr(store, "engine"):
            raise ApiError(501, "this server's store keeps no users: logging in is not possible")
        users = Users(store)
        request.app.state.users = users
    return users


def unauthenticated(message: str = "") -> ApiError:
    return ApiError(
        401,
        message
        or "log in first (POST /api/login), or send Authorization: Bearer TOKEN (marsad users token NAME)",
        code="unauthenticated",
        headers=WWW_AUTHENTICATE,
    )


def identify(request: Request) -> Caller | None:
    """Who sent this request (bearer token first, then the session cookie), or None.

    A malformed, unknown or revoked bearer token is a 401 (a script should hear that its token
    is bad, not be served as anonymous). Looked up once per request.
    """
    if "marsad_caller" in request.scope:
        found: Caller | None = request.scope["marsad_caller"]
        return found
    caller: Caller | None = None
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthenticated("Authorization: send 'Bearer TOKEN' (a token from marsad users token NAME)")
        user = users_of(request).for_token(token.strip())
        if user is None:
            raise unauthenticated(
                "unknown or revoked bearer token; make a new one with marsad users token NAME"
            )
        caller = Caller(user, "token")
    elif sid := request.cookies.get(COOKIE):
        session = users_of(request).session(sid)
        if session is not None:
            caller = Caller(session.user, "session", session)
    request.scope["marsad_caller"] = caller
    return caller


def _host_of(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return "?"


def check_origin(request: Request) -> None:
    """403 if the browser says the request comes from another site (``Origin``, else ``Referer``).

    Absent both (a script, an old browser), nothing is decided here: the CSRF token is.
    """
    host = request.headers.get("host", "").lower()
    origin = request.headers.get("origin")
    referer = request.headers.get("referer")
    source = origin if origin is not None else referer
    if source is None:
        return
    if source == "null" or _host_of(source) != host:
        raise ApiError(
            403,
            f"a cross-site request (from {source[:100]}) is refused: write from this server's own page",
            code="csrf",
        )


def check_csrf(request: Request, session: Session) -> None:
    """A cookie-authenticated write: same origin, and the session's CSRF token in X-CSRF-Token."""
    check_origin(request)
    sent = request.headers.get(CSRF_HEADER)
    if not sent or not same_secret(sent, session.csrf):
        raise ApiError(
            403,
            f"missing or wrong {CSRF_HEADER} header: a write with the session cookie must send the "
            "token that /api/me gives",
            code="csrf",
        )


def require_role(role: str) -> Callable[[Request], str]:
    """A dependency: the caller's user name, if their role includes ``role``.

    401 unauthenticated; 403 when the role is too low, or a cookie-authenticated write lacks
    the CSRF token or comes from another origin. Use as ``user: str = Depends(require_role("analyst"))``.
    """
    needed = rank(role)

    def dependency(request: Request) -> str:
        caller = identify(request)
        if caller is None:
            raise unauthenticated()
        if caller.session is not None and request.method not in SAFE_METHODS:
            check_csrf(request, caller.session)
        if rank(caller.user.role) < needed:
            raise ApiError(
                403,
                f"{caller.user.name} is a {caller.user.role}; this needs the role {role} "
                f"(marsad users add NAME --role {role})",
                code="forbidden",
            )
        return caller.user.name

    dependency.__name__ = f"require_{role}"
    return dependency


def private_gate(request: Request) -> None:
    """App-wide dependency: on a private server, every read but logging in needs a login."""
    if not getattr(request.app.state, "private", False) or request.url.path in OPEN_PATHS:
        return
    if request.url.path == "/":
        return  # the page answers with the login form itself
    if identify(request) is None:
        raise unauthenticated("this server is private: log in first (POST /api/login)")


# -- login throttling ---------------------------------------------------------------------


class Throttle:
    """At most ``limit`` failed logins per key (a name, a client address) in ``window`` seconds."""

    def __init__(self, limit: int, window: float, max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.get(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def wait(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(key, now)
            return 0.0 if len(times) < self.limit else self.window - (now - times[0])

    def failed(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) >= self.max_keys:  # forget the oldest keys, never grow without bound
                for old in list(self._failures)[: self.max_keys // 10]:
                    del self._failures[old]
            times = self._recent(key, now)
            times.append(now)
            self._failures[key] = times

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


def throttles(request: Request) -> tuple[Throttle, Throttle]:
    state = request.app.state
    if getattr(state, "login_throttles", None) is None:
        state.login_throttles = (Throttle(10, 900.0), Throttle(50, 900.0))  # per name, per address
    pair: tuple[Throttle, Throttle] = state.login_throttles
    return pair


# -- the endpoints ------------------------------------------------------------------------

router = APIRouter(prefix="/api", tags=["users"])

_AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Wrong name or password, or not logged in"},
    403: {"description": "A cross-site request"},
    429: {"description": "Too many failed logins: wait Retry-After seconds"},
}


async def _credentials(request: Request) -> tuple[str, str, bool, str]:
    """(name, password, is a plain HTML form, where to go next) from a JSON or form body."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > 8 * MAX_PASSWORD:
        raise ApiError(413, "the login request is too large")
    fields: dict[str, Any]
    if kind == "application/json":
        try:
            fields = json.loads(body or b"{}")
        except ValueError:
            raise ApiError(422, 'the body is not JSON: send {"name": ..., "password": ...}') from None
        if not isinstance(fields, dict):
            raise ApiError(422, 'send {"name": ..., "password": ...}')
        form = False
    elif kind == "application/x-www-form-urlencoded":
        parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        fields = {k: v[0] for k, v in parsed.items()}
        form = True
    else:
        raise ApiError(
            415, "send the name and password as JSON or as a form (application/x-www-form-urlencoded)"
        )
    name, password = fields.get("name"), fields.get("password")
    missing = [k for k, v in (("name", name), ("password", password)) if not isinstance(v, str) or not v]
    if missing:
        raise ApiError(
            422,
            f"{' and '.join(missing)}: required",
            errors=[{"param": k, "message": "required"} for k in missing],
        )
    target = fields.get("next")
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"  # only a path on this server: never an open redirect
    assert isinstance(name, str) and isinstance(password, str)
    return name, password, form, target


def _cookie(request: Request, response: Response, session_id: str, hours: float) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=int(hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def _me(caller: Caller) -> dict[str, Any]:
    out: dict[str, Any] = {"name": caller.user.name, "role": caller.user.role, "via": caller.via}
    out["roles"] = list(ROLES[: rank(caller.user.role) + 1])
    if caller.session is not None:
        out["csrf"] = caller.session.csrf
        out["expires_at"] = caller.session.expires_at.isoformat(timespec="seconds")
    return out


@router.post(
    "/login", summary="Log in: a session cookie and the CSRF token for writes", responses=_AUTH_ERRORS
)
async def login(request: Request) -> Response:
    """``{"name": ..., "password": ...}`` as JSON (or an HTML form's fields, then redirected to ``next``).

    Sets the HttpOnly, SameSite=Lax ``marsad_session`` cookie and answers
    ``{"name", "role", "roles", "via", "csrf", "expires_at"}``: send ``csrf`` back as the
    ``X-CSRF-Token`` header with every write. Ten failures for one name (fifty from one
    address) in 15 minutes make it wait (429).
    """
    check_origin(request)
    name, password, form, target = await _credentials(request)
    by_name, by_address = throttles(request)
    address = request.client.host if request.client else "?"
    wait = max(by_name.wait(name), by_address.wait(address))
    if wait > 0:
        raise ApiError(
            429,
            f"too many failed logins; try again in {int(wait) + 1} s",
            code="too_many_attempts",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    users = users_of(request)
    user = await run_in_threadpool(users.authenticate, name[: MAX_NAME + 1], password)
    if user is None:
        by_name.failed(name)
        by_address.failed(address)
        if form:
            return login_page(request, "Wrong name or password.", name=name, target=target, status=401)
        raise ApiError(401, "wrong name or password", code="unauthenticated")
    by_name.succeeded(name)
    old = request.cookies.get(COOKIE)
    if old:
        users.end_session(old)
    hours = float(getattr(request.app.state, "session_hours", 12.0))
    session_id, session = await run_in_threadpool(users.new_session, user.name, hours=hours)
    response: Response
    if form:
        response = RedirectResponse(target, status_code=303)
    else:
        response = JSONResponse(_me(Caller(user, "session", session)))
    _cookie(request, response, session_id, hours)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/logout", summary="Log out: the session ends and its cookie is cleared", responses=_AUTH_ERRORS)
def logout(request: Request) -> Response:
    """Ends the session of the cookie sent (if any). A plain HTML form is redirected to ``/``."""
    check_origin(request)
    sid = request.cookies.get(COOKIE)
    if sid:
        with contextlib.suppress(ApiError):  # a store without users has no sessions to end
            users_of(request).end_session(sid)
    form = request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    response: Response = (
        RedirectResponse("/", status_code=303) if form else JSONResponse({"logged_out": True})
    )
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
    return response


@router.get(
    "/me", summary="Who is logged in: name, role and the CSRF token for writes", responses=_AUTH_ERRORS
)
def me(request: Request) -> JSONResponse:
    """``{"name", "role", "roles", "via"}``, plus ``csrf`` and ``expires_at`` for a session; all null
    when not logged in (a bad bearer token is a 401). Another site cannot read this answer, so
    the CSRF token stays with the page."""
    caller = identify(request)
    body = _me(caller) if caller is not None else {"name": None, "role": None, "roles": [], "via": None}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


# -- the login page of a private server -------------------------------------------------

LOGIN_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>marsad — log in</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/marsad.css">
</head>
<body class="login-page">
<main class="login-box">
<h1><span lang="ar" dir="rtl">مرصد</span> marsad</h1>
<p>{intro}</p>
{message}
<form method="post" action="/api/login" id="login-page-form">
<input type="hidden" name="next" value="{target}">
<label for="lp-name">Name</label>
<input id="lp-name" name="name" autocomplete="username" required maxlength="64" value="{name}">
<label for="lp-password">Password</label>
<input id="lp-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
"""


def login_page(
    request: Request, message: str = "", *, name: str = "", target: str = "/", status: int = 401
) -> HTMLResponse:
    """The no-JavaScript login form of a private server; every value in it is HTML-escaped."""
    shown = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    private = getattr(request.app.state, "private", False)
    intro = "This observatory is private: log in to read it." if private else "Log in to edit events."
    page = LOGIN_PAGE.format(
        intro=intro,
        message=shown,
        target=html.escape(target, quote=True),
        name=html.escape(name[:MAX_NAME], quote=True),
    )
    headers = {
        "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'none'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    return HTMLResponse(page, status_code=status, headers=headers)
