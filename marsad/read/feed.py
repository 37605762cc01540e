"""RSS and Atom feeds: each entry an article (id or link, title, date, HTML body as text).

feedparser copes with the many dialects and broken encodings feeds come in; a document
it cannot make anything of (not XML, no entries) is one ReadError for the whole file.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from marsad.model import Article, ReadError
from marsad.read import dateline, sources
from marsad.read.html import html_to_text
from marsad.read.text import NoTextError, clean_field, read_text

FORMATS: tuple[str, ...] = ("feed",)

UNSAFE = "declares XML entities (<!ENTITY>), refused unparsed: entity expansion can exhaust memory"
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)\b", re.IGNORECASE)  # entities are declared before it

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(//)?", re.IGNORECASE)
_MAX_ID = 100


def can_read(path: str, head: bytes) -> bool:
    """True for ``.xml``/``.rss``/``.atom`` files and for content that starts like a feed."""
    return sources.format_of(path, head) in FORMATS


def safe_id(raw: str) -> str | None:
    """An id safe in file names and URLs: ``https://x.org/a/b?c=1`` -> ``x.org-a-b-c-1``.

    Long ids keep their start and gain a hash of the whole, so they stay distinct.
    """
    text = _UNSAFE.sub("-", _SCHEME.sub("", raw.strip())).strip("-.")
    if not text:
        return None
    if len(text) > _MAX_ID:
        digest = hashlib.sha256(raw.encode("utf-8", "replace")).hexdigest()[:12]
        text = f"{text[: _MAX_ID - 13].rstrip('-.')}-{digest}"
    return text


def read(
    source: str, data: bytes, *, stem: str, publish_date: date | None = None
) -> Iterator[Article | ReadError]:
    """An article per feed entry; ids from the entry id or link (else ``<stem>-<n>``)."""
    parsed = parse(source, data)
    if isinstance(parsed, ReadError):
        yield parsed
        return
    publisher, entries = parsed
    if not entries:
        yield ReadError(source, "a feed with no entries; nothing to read")
        return
    for n, entry in enumerate(entries, start=1):
        yield _article(entry, n=n, source=source, stem=stem, publisher=publisher, publish_date=publish_date)


def parse(
    source: str, data: bytes, *, headers: dict[str, str] | None = None
) -> tuple[str | None, list[Any]] | ReadError:
    """(the channel's title, feedparser's entries), or why the document is no readable feed.

    A document that declares XML entities is refused unparsed: entity expansion ("billion
    laughs") is the classic way to make a small feed eat a machine's memory, and no real
    feed needs its own entities. ``headers`` (an HTTP response's) tell feedparser the charset.
    """
    problem = sources.precheck(source, data)
    if problem is not None:
        return problem
    root = _ROOT.search(data)
    if _ENTITY.search(data, 0, root.start() if root else len(data)):
        return ReadError(source, UNSAFE)
    import feedparser  # imported late: only feeds need it

    try:
        # A stream, never bytes or str: feedparser would try those as a URL or a file name first.
        parsed = feedparser.parse(
            io.BytesIO(data),
            sanitize_html=True,
            resolve_relative_uris=False,
            response_headers=headers or {},
        )
    except Exception as exc:  # feedparser rarely raises, but a hostile file must not stop a run
        return ReadError(source, _unreadable(exc))
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            return ReadError(source, _unreadable(parsed.get("bozo_exception")))
        if not parsed.get("version"):
            return ReadError(source, _unreadable("no RSS or Atom element"))
        return clean_field((parsed.get("feed") or {}).get("title"), limit=200), []
    channel = parsed.get("feed") or {}
    return clean_field(channel.get("title"), limit=200), entries


@dataclass(frozen=True)
class Item:
    """One feed entry as the watcher needs it: where its article is, and what the feed says."""

    guid: str | None
    link: str | None  # an http(s) URL, else None
    title: str | None
    published: date | None
    description: str  # the entry's own text (content over summary), HTML made text
    publisher: str | None


def items(
    source: str, data: bytes, *, headers: dict[str, str] | None = None, base: str | None = None
) -> list[Item] | ReadError:
    """The entries of a fetched feed, in the feed's order (an empty feed is no error).

    ``base`` (the feed's URL) resolves relative links ("/world/story-1.html")."""
    parsed = parse(source, data, headers=headers)
    if isinstance(parsed, ReadError):
        return parsed
    publisher, entries = parsed
    out = []
    for entry in entries:
        guid = entry.get("id")
        out.append(
            Item(
                guid=guid.strip() if isinstance(guid, str) and guid.strip() else None,
                # a link feedparser took from a <guid> is resolved only if it is a full URL already
                link=sources.web_url(_absolute(entry.get("link"), None if entry.get("guidislink") else base)),
                title=clean_field(entry.get("title"), limit=500),
                published=_entry_date(entry),
                description=_entry_body(entry),
                publisher=publisher,
            )
        )
    return out


def _unreadable(exc: object) -> str:
    detail = sources.one_line(str(exc)) if exc else "no entries"
    return f"not a readable RSS/Atom feed ({detail[:200]}); check that it is well-formed XML"


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).date()
            except (OverflowError, OSError, ValueError):
                continue
    for key in ("published", "updated", "created"):
        found = dateline.parse_date(entry.get(key))
        if found:
            return found
    return None


def _entry_body(entry: Any) -> str:
    """The fullest body the entry offers: content over summary, HTML turned into text."""
    candidates: list[tuple[str, str]] = []
    for part in entry.get("content") or []:
        if isinstance(part, dict) and isinstance(part.get("value"), str):
            candidates.append((part["value"], str(part.get("type") or "text/html")))
    summary = entry.get("summary_detail") or {}
    if isinstance(entry.get("summary"), str):
        candidates.append((entry["summary"], str(summary.get("type") or "text/html")))
    best = ""
    for value, kind in candidates:
        text = html_to_text(value) if "html" in kind else value
        if len(text.strip()) > len(best.strip()):
            best = text
    return best


def _article(
    entry: Any, *, n: int, source: str, stem: str, publisher: str | None, publish_date: date | None
) -> Article | ReadError:
    raw_id = next((v for v in (entry.get("id"), entry.get("link")) if isinstance(v, str) and v.strip()), None)
    article_id = (safe_id(raw_id) if raw_id else None) or f"{stem}-{n}"
    body = _entry_body(entry)
    if not body.strip():
        return ReadError(source, f"entry {n} ({article_id}): no text in its content or summary; skipped")
    try:
        return read_text(
            body,
            article_id=article_id,
            source_path=source,
            publish_date=publish_date or _entry_date(entry),
            title=entry.get("title"),
            publisher=publisher,
            url=sources.web_url(entry.get("link")),
        )
    except NoTextError as exc:
        return ReadError(source, f"entry {n} ({article_id}): {exc}")


def _absolute(link: object, base: str | None) -> object:
    if isinstance(link, str) and base and link.strip() and "://" not in link:
        from urllib.parse import urljoin

        return urljoin(base, link.strip())
    return link


def item_article(item: Item, page: str | None, *, article_id: str, source: str) -> Article | ReadError:
    """The article an item stands for: the main text of its page (trafilatura) when ``page``
    gives one, else the item's own description; metadata from the feed, then the page.

    ``source`` names the item in messages; an item with a link is known by its URL, one
    without by ``article_id`` (so its identity does not depend on where marsad runs).
    """
    from marsad.read.html import page_text

    body, meta = page_text(page) if page else ("", {})
    problem = "no text: the item has no description and its page gave none; skipped"
    for text in (body, item.description):  # the page's story, else the feed's own words
        if not text.strip():
            continue
        try:
            return read_text(
                text,
                article_id=article_id,
                source_path=item.link,
                publish_date=item.published or meta.get("date"),
                title=item.title or meta.get("title"),
                publisher=item.publisher or meta.get("sitename"),
                url=item.link,
            )
        except NoTextError as exc:
            problem = str(exc)
    return ReadError(source, problem)
