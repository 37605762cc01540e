"""The FastAPI application: the JSON API, the map page, its own pages under ``/-/`` and offline docs.

Everything the page loads is served from ``static/`` (our HTML/JS/CSS plus the
``vendor/`` files ``web/build.mjs`` copies from npm packages), so the page works
with no network: no CDN, no tiles unless ``tile_url`` names a tile server.
Reading is open unless ``private``; the review's write routes (marsad/serve/review.py: verify,
edit, reject, merge, split) need an analyst's login (marsad.serve.auth); any other non-GET answers 405.
"""

from __future__ import annotations

import errno
import html
import ipaddress
import json
import logging
import socket
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from marsad.errors import UsageError
from marsad.serve.api import EVENT_FIELDS, FastJSON, StoreLike, router
from marsad.serve.auth import identify, login_page, private_gate
from marsad.serve.auth import router as auth_router
from marsad.serve.errors import install_error_handlers
from marsad.serve.filters import EVENT_TYPES
from marsad.serve.live import KEEPALIVE, POLL, closing
from marsad.serve.live import router as live_router
from marsad.serve.review import router as review_router
from marsad.serve.versions import package_version, versions

STATIC_DIR = Path(__file__).resolve().parent / "static"
VENDOR = "/static/vendor"
# Events the page loads at once (the newest, when more match): enough to see the pattern,
# few enough that the first render stays around a second on 100,000 events.
PAGE_LIMIT = 2000
log = logging.getLogger("marsad.serve")


def _open_store(store: StoreLike | str | None) -> StoreLike:
    if store is None or isinstance(store, str):
        # Imported here so the serve package (and its tests' fakes) load without the store's dependencies.
        from marsad.store import Store

        opened: StoreLike = Store(store)
        return opened
    return store


def _csp(tile_url: str | None) -> str:
    """Only our own origin: a stray CDN reference fails loudly in development instead of leaking requests."""
    img = "'self' data:"
    if tile_url:
        parts = urlsplit(tile_url)
        img += f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    # Leaflet positions markers with inline styles, hence 'unsafe-inline' for styles only.
    return (
        f"default-src 'self'; img-src {img}; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def page_config(tile_url: str | None, *, private: bool = False, history: bool = False) -> dict[str, Any]:
    """What the page needs before its first API call, embedded in the HTML as JSON."""
    return {
        "api": "/api",
        "version": package_version(),
        "tiles": tile_url,
        "basemap": f"{VENDOR}/world-atlas/countries-50m.json",
        "event_types": EVENT_TYPES,
        "page_limit": PAGE_LIMIT,
        "private": private,
        "history": history,  # the store keeps each event's changes: the panel lists them
        "fields": list(EVENT_FIELDS),  # what /api/events?fields= accepts (the review status, if any)
    }


def render_index(tile_url: str | None, *, private: bool = False, history: bool = False) -> str:
    template = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    # "<" escaped so no value can close the <script type="application/json"> block.
    config = json.dumps(page_config(tile_url, private=private, history=history), ensure_ascii=False).replace(
        "<", "\\u003c"
    )
    return template.replace("{{CONFIG}}", config).replace("{{VERSION}}", html.escape(package_version()))


def create_app(
    store: StoreLike | str | None = None,
    *,
    tile_url: str | None = None,
    allowed_hosts: Sequence[str] | None = None,
    stream_poll: float = POLL,
    stream_keepalive: float = KEEPALIVE,
    private: bool = False,
    session_hours: float = 12.0,
) -> FastAPI:
    """Build the app around ``store`` (a Store, a database URL, or None for $MARSAD_DB / ./marsad.db).

    ``tile_url`` (e.g. ``https://tile.openstreetmap.org/{z}/{x}/{y}.png``) adds an online
    tile layer under the offline country outlines; without it the page makes no external request.
    ``allowed_hosts`` are the names the app answers to (the ``Host`` header; ``*`` for any):
    any other name gets a 400, so a web page cannot reach a local marsad by DNS rebinding.
    ``None`` (an app embedded in your own server) leaves the check to that server;
    :func:`serve` always passes the names it serves.
    ``stream_poll`` and ``stream_keepalive`` are the seconds between a live stream's looks at
    the store and between its keep-alive comments. Setting ``marsad.serve.live.closing(app)``
    ends the open streams (:func:`serve` does on shutdown).
    ``private`` makes every read (the page, the API) need a login, as a viewer at least;
    ``session_hours`` is how long a login lasts. Writes always need a login (docs/users.md).
    """
    app = FastAPI(
        title="marsad",
        version=package_version(),
        summary="Sourced, geocoded conflict events: a read-only API.",
        description="Filters use the CLI's names (`marsad events --country ...`). "
        'Errors always have the shape `{"error": {"status", "code", "message", "errors"}}`.',
        docs_url=None,
        redoc_url=None,
        default_response_class=FastJSON,
        dependencies=[Depends(private_gate)],
    )
    app.state.store = _open_store(store)
    app.state.tile_url = tile_url
    app.state.stream_poll = stream_poll
    app.state.stream_keepalive = stream_keepalive
    app.state.streams_closing = threading.Event()
    app.state.streams_open = 0
    app.state.private = private
    app.state.session_hours = session_hours
    install_error_handlers(app)
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=5)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.include_router(router)
    app.include_router(auth_router)
    app.include_router(live_router)
    app.include_router(review_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    index = render_index(
        tile_url, private=private, history=callable(getattr(app.state.store, "history", None))
    )
    csp = _csp(tile_url)

    @app.get("/", include_in_schema=False, response_class=HTMLResponse)
    def page(request: Request) -> HTMLResponse:
        if private and identify(request) is None:
            query = request.url.query
            return login_page(request, target="/" + (f"?{query}" if query else ""))
        headers = {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"}
        return HTMLResponse(index, headers=headers)

    @app.get("/-/versions", summary="Package, spaCy model and knowledge file versions", tags=["meta"])
    def get_versions() -> dict[str, Any]:
        """Which code, model and knowledge produced these events."""
        return versions()

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=str(app.openapi_url),
            title="marsad API",
            swagger_js_url=f"{VENDOR}/swagger-ui-dist/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui-dist/swagger-ui.css",
            swagger_favicon_url=f"{VENDOR}/swagger-ui-dist/favicon-32x32.png",
            # No "valid spec" badge: Swagger UI would fetch it from swagger.io.
            swagger_ui_parameters={"validatorUrl": None},
        )

    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "")


def served_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The ``Host`` names a server listening on ``host`` answers to.

    Loopback: the loopback names only (a page on another site that rebinds its own name to
    127.0.0.1 is refused). A named address: that name. Every interface (0.0.0.0): any
    name, since marsad cannot know them, unless ``extra`` (``--allow-host``) lists them.
    """
    names = [*extra]
    if is_loopback(host):
        names += LOOPBACK_NAMES
    elif host in ANY_ADDRESS:
        names += [] if extra else ["*"]
    else:
        names += [host, f"[{host}]"] if ":" in host else [host]
    return list(dict.fromkeys(names))


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, or one marsad line saying why not (a busy port, say)."""
    try:
        infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}: {exc.strerror or exc}; pass another --host") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use (another marsad serve?); pass a free one, "
                f"e.g. --port {port + 1 if port < 65535 else 8000}"
            ) from None
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def serve(
    db: str | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    tile_url: str | None = None,
    allow_hosts: Sequence[str] = (),
    private: bool = False,
) -> None:
    """Run the app with uvicorn until interrupted. Loopback only unless ``host`` says otherwise.

    A SQLite file that does not exist is refused (a mistyped ``--db`` should not serve an
    empty, freshly created database); the error is a :class:`marsad.errors.StoreError`.
    A port in use is a :class:`marsad.errors.UsageError`, before uvicorn starts.
    """
    import uvicorn

    from marsad.store import Store

    store = Store(db, create=False)
    try:
        sock = listen(host, port)
    except UsageError:
        store.close()
        raise
    if not is_loopback(host) and not private:
        log.warning("marsad serve: listening on %s: anyone who can reach it can read the data", host)
    app = create_app(store, tile_url=tile_url, allowed_hosts=served_hosts(host, allow_hosts), private=private)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            # uvicorn waits for open responses before it stops: end the endless streams first
            closing(app).set()
            super().handle_exit(sig, frame)

    try:
        Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])
    finally:
        sock.close()
        store.close()
