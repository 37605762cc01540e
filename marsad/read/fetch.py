"""A polite, robust HTTP fetcher for feeds and the article pages behind them (httpx).

What a feed on the open web can do to a poller, and what this does about it:

* hang or drip bytes: a connect/read timeout, and a deadline for the whole response;
* send a page of 100 MB, or a gzip bomb: the body is streamed and decoded here, with zlib's
  ``max_length``, so no more than ``max_bytes`` decoded bytes (plus one chunk of raw ones)
  are ever held; past it the response is dropped with a reason;
* redirect in circles: redirects are followed by hand, at most ``max_redirects``, a loop
  named as one, each hop checked against robots.txt and the host's pace;
* send the same feed again: conditional GET (``If-None-Match`` / ``If-Modified-Since``)
  from the ETag and Last-Modified the caller keeps;
* mislabel its charset: the body is decoded by the HTTP charset, else the document's own
  declaration, else UTF-8, else a detected charset (as files are read).

Politeness: a clear User-Agent, robots.txt (read once an hour per site with
urllib.robotparser; as robotparser has it, 401/403 disallow everything and other 4xx allow
everything; as RFC 9309 has it, a 5xx or an unreachable robots.txt disallows for now),
at most ``per_host`` requests to one host at a time and ``min_interval`` seconds between
their starts. Every failure is a :class:`FetchError` whose message is one line.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import httpx

from marsad import __version__
from marsad.read import sources

PROJECT_URL = "https://github.com/marsad/marsad"
#: Overridable with $MARSAD_USER_AGENT (give an address where a site's operator can reach you).
USER_AGENT = f"marsad/{__version__} (+{PROJECT_URL})"
ROBOTS_AGENT = "marsad"
ROBOTS_TTL = 3600.0  # seconds a site's robots.txt is trusted
ROBOTS_RETRY = 300.0  # seconds before an unreachable robots.txt is asked again
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 asks crawlers to read at least 500 KiB
REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 65536

_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid|at_medium|at_campaign)$", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


class FetchError(Exception):
    """A fetch that gave no usable response; ``str()`` is one line saying why."""

    def __init__(self, reason: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(sources.one_line(reason))
        self.status = status  # the HTTP status, for an HTTP error
        self.retry_after = retry_after  # seconds the server asked us to wait (429, 503)


def user_agent() -> str:
    return os.environ.get("MARSAD_USER_AGENT") or USER_AGENT


def normalise_url(url: str) -> str:
    """One spelling per address: scheme and host lower case, default port, fragment and
    tracking parameters dropped, the query sorted (``HTTP://X.org:80/a?b=2&a=1&utm_source=z#c``
    -> ``http://x.org/a?a=1&b=2``)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port not in (None, {"http": 80, "https": 443}.get(scheme)) else None
    netloc = f"{host}:{port}" if port else host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


@dataclass
class Response:
    """A fetched resource: the final URL (after redirects), status, headers and decoded body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        match = re.search(
            r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", self.headers.get("content-type", ""), re.I
        )
        return match.group(1) if match else None

    def text(self) -> str | None:
        """The body as text: the HTTP charset, else the document's declaration, else UTF-8 or a
        detected charset; None when nothing decodes it with confidence."""
        for declared in (self.charset, _declared(self.body)):
            if declared:
                with contextlib.suppress(LookupError, UnicodeDecodeError):
                    return self.body.decode(declared)
        return sources._decode(self.body)


def _declared(body: bytes) -> str | None:
    head = body[:4096]
    match = _XML_ENCODING.match(head) or _CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


class _Host:
    """One host's share of the fetcher: a few requests at once, spaced by the minimum interval."""

    def __init__(self, per_host: int) -> None:
        self.slots = threading.BoundedSemaphore(per_host)
        self.pace = threading.Lock()
        self.next_start = 0.0

    @contextlib.contextmanager
    def turn(self, interval: float) -> Iterator[None]:
        with self.slots:
            with self.pace:  # held while waiting: requests start one by one, in order
                wait = self.next_start - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                self.next_start = time.monotonic() + interval
            yield


class _Decoder:
    """Content-Encoding undone a chunk at a time, never past ``limit`` decoded bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        self.encoding = encoding
        if encoding in ("", "identity"):
            self.zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.zlib = zlib.decompressobj()  # RFC says zlib-wrapped; raw deflate handled below
        else:
            raise FetchError(f"content encoding {encoding!r} is not supported (only gzip and deflate)")
        self.started = False

    def feed(self, data: bytes) -> None:
        if self.zlib is None:
            self._keep(data)
            return
        if not self.started and self.encoding == "deflate" and data and (data[0] & 0x0F) != 8:
            self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send
        self.started = True
        try:
            while data:
                self._keep(self.zlib.decompress(data, self.limit - self.size + 1))
                data = self.zlib.unconsumed_tail
                if not data and self.zlib.eof and self.zlib.unused_data:
                    if self.encoding == "deflate":
                        break  # trailing bytes after the stream: ignored
                    data = self.zlib.unused_data  # another gzip member
                    self.zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        except zlib.error as exc:
            raise FetchError(f"a corrupt {self.encoding} body ({exc})") from None

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(
                f"larger than {sources.human_size(self.limit)} once decoded"
                + (f" (a {self.encoding} bomb?)" if self.zlib is not None else "")
                + "; dropped unread"
            )
        self.parts.append(data)

    def body(self) -> bytes:
        if self.zlib is not None:
            self._keep(self.zlib.flush())
        return b"".join(self.parts)


class Fetcher:
    """GET with every guard above; thread-safe (the watcher fetches pages in a few threads)."""

    def __init__(
        self,
        *,
        timeout: float = 10.0,
        deadline: float = 60.0,
        max_bytes: int = 5_000_000,
        max_redirects: int = 5,
        per_host: int = 2,
        min_interval: float = 1.0,
        robots: bool = True,
        agent: str | None = None,
    ) -> None:
        self.timeout = timeout
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.per_host = per_host
        self.min_interval = min_interval
        self.robots = robots
        self.agent = agent or user_agent()
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": self.agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, tuple[float, RobotFileParser | None, str | None]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public ----------------------------------------------------------------------

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> Response:
        """The resource at ``url`` after redirects; a 304 comes back as ``not_modified``.

        Raises FetchError for anything else than 2xx/304 (with the status and, for 429
        and 503, the server's Retry-After), robots.txt refusals, timeouts and oversize.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        visited = [url]
        current = url
        for _hop in range(self.max_redirects + 1):
            _check_scheme(current)
            if self.robots:
                self._check_robots(current)
            response = self._once(current, headers, max_bytes or self.max_bytes)
            if response.status in REDIRECTS and "location" in response.headers:
                target = urljoin(current, response.headers["location"])
                if target in visited:
                    loop = " -> ".join([*visited[visited.index(target) :], target])
                    raise FetchError(f"a redirect loop ({_short(loop, 300)})")
                visited.append(target)
                current = target
                continue
            if response.status == 304 or 200 <= response.status < 300:
                return response
            raise _status_error(response)
        raise FetchError(f"more than {self.max_redirects} redirects (last to {_short(current, 200)})")

    def allowed(self, url: str) -> bool:
        """May this URL be fetched by robots.txt? (Fetches the site's robots.txt if needed.)"""
        try:
            self._check_robots(url)
        except FetchError:
            return False
        return True

    # -- internals --------------------------------------------------------------------

    def _host(self, url: str) -> _Host:
        key = urlsplit(url).netloc.lower()
        with self._lock:
            if key not in self._hosts:
                self._hosts[key] = _Host(self.per_host)
            return self._hosts[key]

    def _once(self, url: str, headers: dict[str, str], limit: int) -> Response:
        started = time.monotonic()
        with self._host(url).turn(self.min_interval):
            try:
                with self._client.stream("GET", url, headers=headers) as r:
                    head = {k.lower(): v for k, v in r.headers.items()}
                    if r.status_code in REDIRECTS or r.status_code == 304 or r.status_code >= 400:
                        return Response(str(r.url), r.status_code, head)  # the body is not wanted
                    length = head.get("content-length", "")
                    if length.isdigit() and int(length) > limit and not head.get("content-encoding"):
                        raise FetchError(
                            f"larger than {sources.human_size(limit)} ({sources.human_size(int(length))} "
                            "announced); dropped unread"
                        )
                    decoder = _Decoder(head.get("content-encoding", "").strip().lower(), limit)
                    raw = 0
                    for chunk in r.iter_raw():  # as the network gives them: the deadline is checked often
                        raw += len(chunk)
                        if raw > limit:
                            raise FetchError(f"larger than {sources.human_size(limit)}; dropped unread")
                        decoder.feed(chunk)
                        if time.monotonic() - started > self.deadline:
                            raise FetchError(f"took longer than {self.deadline:g} s to send; dropped")
                    return Response(str(r.url), r.status_code, head, decoder.body())
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out after {self.timeout:g} s ({_kind(exc)})") from None
            except httpx.TooManyRedirects:  # not raised with follow_redirects off; kept for safety
                raise FetchError(f"more than {self.max_redirects} redirects") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"could not connect ({_kind(exc)}: {_short(str(exc), 200)})") from None

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.path == "/robots.txt":
            return
        with self._lock:
            cached = self._robots.get(origin)
        if cached is None or cached[0] < time.monotonic():
            cached = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = cached
        _, parser, problem = cached
        if problem is not None:
            raise FetchError(problem)
        if parser is not None and not parser.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(f"disallowed by {origin}/robots.txt for {ROBOTS_AGENT}; not fetched")

    def _load_robots(self, origin: str) -> tuple[float, RobotFileParser | None, str | None]:
        """(expires, parser, problem): parser None means all allowed; a problem disallows all."""
        robots_url = f"{origin}/robots.txt"
        parser = RobotFileParser(robots_url)
        expires = time.monotonic() + ROBOTS_TTL
        try:
            response = self.get(robots_url, max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            status = exc.status
            if status in (401, 403):
                parser.parse(["User-agent: *", "Disallow: /"])  # robotparser's reading of 401/403
                return expires, parser, None
            if status is not None and 400 <= status < 500:
                return expires, None, None  # no robots.txt: everything allowed
            retry = time.monotonic() + ROBOTS_RETRY
            return retry, None, f"robots.txt could not be read ({exc}); not fetched for now"
        parser.parse((response.text() or "").splitlines())
        return expires, parser, None


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"not an http(s) URL ({_short(url, 200)}); only the web's own schemes are fetched")


def _status_error(response: Response) -> FetchError:
    retry = None
    value = response.headers.get("retry-after", "")
    if response.status in (429, 503) and value.strip().isdigit():
        retry = float(value.strip())
    phrase = httpx.codes.get_reason_phrase(response.status) or "error"
    return FetchError(f"HTTP {response.status} {phrase}", status=response.status, retry_after=retry)


def _kind(exc: Exception) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__).lower()


def _short(text: str, limit: int) -> str:
    text = sources.one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
