"""A real HTTP server on 127.0.0.1 that serves changing feeds, article pages and the faults of
the open web (slow answers, errors, bombs, huge pages, redirect loops), for the fetcher and
watcher tests. Nothing is mocked: marsad talks HTTP to it over loopback.

Routes are set while it runs (``server.feed(...)``, ``server.page(...)``, ``server.route(...)``);
every request is logged with its headers, so tests can check conditional GET, the
User-Agent and the pace per host.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """What the server answers on a path."""

    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between body chunks
    conditional: bool = True  # answer 304 to a matching If-None-Match / If-Modified-Since


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


def rss(items: Iterable[dict[str, str]], *, title: str = "Loopback Wire") -> bytes:
    """An RSS 2.0 document; each item's keys: title, link, guid, description, pubDate."""
    parts = [
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>'
    ]
    parts.append("<link>http://127.0.0.1/</link><description>test wire</description>")
    for item in items:
        parts.append("<item>")
        for key in ("title", "link", "guid", "pubDate"):
            if item.get(key):
                parts.append(f"<{key}>{escape(item[key])}</{key}>")
        if item.get("description"):
            parts.append(f"<description>{escape(item['description'])}</description>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "".join(parts).encode("utf-8")


def article_html(title: str, paragraphs: Iterable[str], *, charset: str = "utf-8") -> bytes:
    """A news page with navigation, the story and a footer (trafilatura must find the story)."""
    story = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    page = (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{escape(title)}</title></head><body>'
        '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
        f"<article><h1>{escape(title)}</h1>{story}</article>"
        "<footer>Copyright Loopback Wire. All rights reserved. Subscribe to our newsletter.</footer>"
        "</body></html>"
    )
    return page.encode(charset)


def billion_laughs() -> bytes:
    """A small feed whose entities would expand to 10^9 copies of 'lol'."""
    ents = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel><title>laughs</title>'
        "<item><title>&lol9;</title><link>http://127.0.0.1/lol</link><description>&lol9;</description></item>"
        "</channel></rss>"
    ).encode()


def gzip_bomb(decoded: int) -> bytes:
    """``decoded`` bytes of zeros, gzipped (200 MB -> about 200 kB), made a block at a time."""
    out = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * 1_000_000
    parts = [out.compress(block) for _ in range(decoded // len(block))]
    parts.append(out.flush())
    return b"".join(parts)


def endless(total: int, chunk: int = 65536) -> Callable[[], Iterator[bytes]]:
    """A body of ``total`` bytes made as it is sent (never held in memory)."""

    def gen() -> Iterator[bytes]:
        sent = 0
        line = b"<p>" + b"filler text of a page that never ends " * 40 + b"</p>\n"
        block = (line * (chunk // len(line) + 1))[:chunk]
        yield b"<!DOCTYPE html><html><body>"
        while sent < total:
            piece = block[: min(chunk, total - sent)]
            sent += len(piece)
            yield piece

    return gen


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 (or another loopback address) with routes set at run time."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Reply] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.posts: list[tuple[str, dict[str, str], bytes]] = []  # what webhooks received
        self.post_statuses: list[int] = []  # answers to the next POSTs (then 200)
        self.active = 0  # requests being answered now
        self.most_active = 0  # the most at once
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                server._handle(self)

            def do_POST(self) -> None:  # noqa: N802
                server._receive(self)

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    # -- routes ---------------------------------------------------------------------

    def route(self, path: str, reply: Reply) -> str:
        with self.lock:
            self.routes[path] = reply
        return self.url(path)

    def feed(self, path: str, items: Iterable[dict[str, str]], **kw: Any) -> str:
        body = rss(items)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag}
        return self.route(path, Reply(body=body, headers=headers, **kw))

    def page(self, path: str, body: bytes, *, charset: str = "utf-8", **kw: Any) -> str:
        headers = {"Content-Type": f"text/html; charset={charset}"}
        return self.route(path, Reply(body=body, headers=headers, **kw))

    def requests(self, path: str) -> list[Hit]:
        with self.lock:
            return [h for h in self.hits if h.path == path]

    # -- serving --------------------------------------------------------------------

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        path = req.path
        with self.lock:
            self.hits.append(Hit(path, {k.lower(): v for k, v in req.headers.items()}, time.monotonic()))
            reply = self.routes.get(path)
        if path == "/robots.txt" and reply is None:
            reply = Reply(body=self.robots.encode(), headers={"Content-Type": "text/plain"})
        if reply is None:
            reply = Reply(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
        with self.lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        try:
            self._send(req, reply)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (size cap, timeout)
            pass
        finally:
            with self.lock:
                self.active -= 1

    def _receive(self, req: BaseHTTPRequestHandler) -> None:
        """A webhook receiver: keeps what was posted; answers the queued statuses, then 200."""
        body = req.rfile.read(int(req.headers.get("Content-Length") or 0))
        with self.lock:
            status = self.post_statuses.pop(0) if self.post_statuses else 200
            if status == 200:
                self.posts.append((req.path, {k.lower(): v for k, v in req.headers.items()}, body))
        req.send_response(status)
        req.send_header("Content-Length", "0")
        req.end_headers()

    def _send(self, req: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        etag = reply.headers.get("ETag")
        if reply.conditional and etag and req.headers.get("If-None-Match") == etag:
            req.send_response(304)
            req.send_header("ETag", etag)
            req.send_header("Content-Length", "0")
            req.end_headers()
            return
        req.send_response(reply.status)
        headers = {"Last-Modified": formatdate(usegmt=True), **reply.headers}
        for k, v in headers.items():
            req.send_header(k, v)
        if callable(reply.body):
            req.send_header("Transfer-Encoding", "chunked")
            req.end_headers()
            for piece in reply.body():
                req.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                if reply.drip:
                    req.wfile.flush()
                    time.sleep(reply.drip)
            req.wfile.write(b"0\r\n\r\n")
            return
        req.send_header("Content-Length", str(len(reply.body)))
        req.end_headers()
        if reply.drip:
            for i in range(len(reply.body)):
                req.wfile.write(reply.body[i : i + 1])
                req.wfile.flush()
                time.sleep(reply.drip)
        else:
            req.wfile.write(reply.body)


def gzipped(body: bytes) -> bytes:
    return gzip.compress(body)
