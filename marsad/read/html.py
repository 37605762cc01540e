"""Web pages: the article body found by trafilatura, with title, date and site name.

trafilatura separates the story from navigation, comments and footers far better than
any tag list; short pages it declines to judge fall back to a plain tag-stripping pass
(:func:`html_to_text`, also used for feed entries and HTML in JSON records).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from typing import Any

from marsad.model import Article, ReadError
from marsad.read import dateline, sources
from marsad.read.text import NoTextError, read_text

FORMATS: tuple[str, ...] = ("html",)

NO_TEXT = "no article text found in the page; save the article page itself, or its text as .txt"

# Dates only from the page's own metadata, never from a search of its free text, and a
# fixed upper bound so the same page gives the same date whatever day it is read.
_DATE_CONFIG: dict[str, Any] = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}


def _words(text: str) -> frozenset[str]:
    """A set from a space-separated list: word lists read best as prose."""
    return frozenset(text.split())


_BLOCKS = _words(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table section article blockquote pre dd dt dl "
    "figcaption hr address main"
)
_SKIP = _words("script style noscript nav footer header aside form template svg button select iframe")


class _TextParser(HTMLParser):
    """Collects visible text, one line per block element, skipping page furniture."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, a line per block; never raises."""
    parser = _TextParser()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # HTMLParser is lenient, but a bad fragment must not stop a run
        pass
    return "".join(parser.parts)


def can_read(path: str, head: bytes) -> bool:
    """True for ``.html``/``.htm`` files and for content that starts like a web page."""
    return sources.format_of(path, head) in FORMATS


def read(
    source: str, data: bytes, *, stem: str, publish_date: date | None = None
) -> Iterator[Article | ReadError]:
    """One article from a saved web page, its id the file's stem."""
    markup = sources.decode(source, data)
    if isinstance(markup, ReadError):
        yield markup
        return
    body, meta = _extract(markup)
    if not body or not body.strip():
        body = html_to_text(markup)
    if not body.strip():
        yield ReadError(source, NO_TEXT)
        return
    try:
        yield read_text(
            body,
            article_id=stem,
            source_path=source,
            publish_date=publish_date or meta.get("date"),
            title=meta.get("title"),
            publisher=meta.get("sitename"),
            url=sources.web_url(meta.get("url")),
        )
    except NoTextError as exc:
        yield ReadError(source, str(exc))


def _extract(markup: str, *, precise: bool = False) -> tuple[str | None, dict[str, Any]]:
    """trafilatura's body text and metadata; ``(None, {})`` when it cannot make sense of the page."""
    import trafilatura  # imported late: heavy, and only pages need it

    # Their warnings ("empty HTML tree") would interleave with marsad's one line per bad input.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    try:
        body = trafilatura.extract(
            markup, include_comments=False, include_tables=True, deduplicate=False, favor_precision=precise
        )
    except Exception:  # trafilatura/lxml may fail on hostile markup: fall back to tag stripping
        body = None
    meta: dict[str, Any] = {}
    try:
        doc = trafilatura.extract_metadata(markup, date_config=dict(_DATE_CONFIG))
    except Exception:  # metadata is a bonus; a page without it is still read
        doc = None
    if doc is not None:
        meta = {
            "title": getattr(doc, "title", None),
            "date": dateline.parse_date(getattr(doc, "date", None)),
            "sitename": getattr(doc, "sitename", None),
            "url": getattr(doc, "url", None),
        }
    return body, meta


def page_text(markup: str) -> tuple[str, dict[str, Any]]:
    """The main text of a fetched page (trafilatura; '' when it finds none) and its metadata.

    Pages from the live web are read with trafilatura's precision setting: on a short story
    its default lets the site's menu in ("Home", "World", "Sport"), and a watcher reads every
    page it is given, not the ones a person chose to save."""
    body, meta = _extract(markup, precise=True)
    return (body or ""), meta
