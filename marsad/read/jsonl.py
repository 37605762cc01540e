"""JSON and JSON Lines: one article per record, each record on its own.

Accepts one object, a list of objects, ``{"articles": [...]}``, or one object per line.
A malformed line or a record without text is reported by its line number and the
other records are still read: one bad record never costs the rest of a corpus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from marsad.model import Article, ReadError
from marsad.read import dateline, sources
from marsad.read.html import html_to_text
from marsad.read.text import NoTextError, read_text

FORMATS: tuple[str, ...] = ("json", "jsonl")

#: Record fields, in order of preference.
ID_FIELDS = ("id",)
TEXT_FIELDS = ("text", "content", "body", "article")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("publish_date", "date", "published")
PUBLISHER_FIELDS = ("source", "publisher")
URL_FIELDS = ("url", "link")

_LOOKS_HTML = re.compile(r"<(p|br|div|span|a|em|strong|li|h[1-6])\b[^>]*>", re.IGNORECASE)
_FAILED = object()


def can_read(path: str, head: bytes) -> bool:
    """True for ``.json``/``.jsonl``/``.ndjson`` files and for content starting with ``{`` or ``[``."""
    return sources.format_of(path, head) in FORMATS


def read(
    source: str, data: bytes, *, stem: str, publish_date: date | None = None
) -> Iterator[Article | ReadError]:
    """Articles from every record; ids from the records' ``id`` (else ``<stem>-<n>``)."""
    text = sources.decode(source, data)
    if isinstance(text, ReadError):
        yield text
        return
    if Path(source).suffix.lower() != ".json" and _first_line_is_object(text):
        # JSON Lines proper: even a one-line file numbers its records by line.
        yield from _from_lines(text, source=source, stem=stem, publish_date=publish_date)
        return
    value, error, line = _parse_whole(text)
    if value is not _FAILED:
        yield from _from_value(value, source=source, stem=stem, publish_date=publish_date)
        return
    if Path(source).suffix.lower() == ".json" and error != "Extra data":
        yield ReadError(source, f"line {line}: malformed JSON ({error}); nothing was read, fix the file")
        return
    yield from _from_lines(text, source=source, stem=stem, publish_date=publish_date)


def _first_line_is_object(text: str) -> bool:
    """True when the first line is a whole JSON object: the mark of JSON Lines."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


def _parse_whole(text: str) -> tuple[Any, str, int]:
    """The whole text as one JSON document, or ``_FAILED`` with the error and its line."""
    try:
        return json.loads(text), "", 0
    except RecursionError:
        return _FAILED, "nested too deeply", 1
    except json.JSONDecodeError as exc:
        return _FAILED, exc.msg, exc.lineno
    except ValueError as exc:  # e.g. an integer with too many digits
        return _FAILED, sources.one_line(str(exc)), 1


def _from_value(
    value: Any, *, source: str, stem: str, publish_date: date | None
) -> Iterator[Article | ReadError]:
    """Records of a whole JSON document: an object, a list, or ``{"articles": [...]}``."""
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    if isinstance(value, dict):
        yield _article(value, fallback_id=stem, where="", source=source, publish_date=publish_date)
        return
    if not isinstance(value, list):
        yield ReadError(
            source,
            f"JSON holds {_kind(value)}, not an article object or a list of them; give article objects",
        )
        return
    if not value:
        yield ReadError(source, "an empty JSON list, no records; nothing to read")
        return
    for n, record in enumerate(value, start=1):
        if not isinstance(record, dict):
            yield ReadError(
                source, f"record {n}: {_kind(record)}, not an article object; the others were read"
            )
            continue
        yield _article(
            record, fallback_id=f"{stem}-{n}", where=f"record {n}", source=source, publish_date=publish_date
        )


def _from_lines(
    text: str, *, source: str, stem: str, publish_date: date | None
) -> Iterator[Article | ReadError]:
    """Records of JSON Lines, one per non-blank line; a bad line is reported and skipped."""
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except RecursionError:
            yield ReadError(
                source, f"line {n}: malformed JSON (nested too deeply); the other lines were read"
            )
            continue
        except json.JSONDecodeError as exc:
            yield ReadError(source, f"line {n}: malformed JSON ({exc.msg}); the other lines were read")
            continue
        except ValueError as exc:
            reason = sources.one_line(str(exc))
            yield ReadError(source, f"line {n}: malformed JSON ({reason}); the other lines were read")
            continue
        if not isinstance(record, dict):
            yield ReadError(
                source, f"line {n}: {_kind(record)}, not an article object; write one JSON object per line"
            )
            continue
        yield _article(
            record, fallback_id=f"{stem}-{n}", where=f"line {n}", source=source, publish_date=publish_date
        )


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _first(record: Mapping[str, Any], fields: tuple[str, ...]) -> Any:
    for name in fields:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None


def _record_id(record: Mapping[str, Any]) -> str | None:
    raw = _first(record, ID_FIELDS)
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return sources.cap_id(str(raw))
    if isinstance(raw, str):
        return sources.cap_id(" ".join(raw.split())) or None
    return None


def _record_text(record: Mapping[str, Any]) -> str | None:
    for name in TEXT_FIELDS:
        value = record.get(name)
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            value = "\n\n".join(value)
        if isinstance(value, str) and value.strip():
            return html_to_text(value) if _LOOKS_HTML.search(value) else value
    return None


def _article(
    record: Mapping[str, Any], *, fallback_id: str, where: str, source: str, publish_date: date | None
) -> Article | ReadError:
    """One record as an Article, or why it cannot be one (prefixed with where it is)."""
    record_id = _record_id(record)
    label = " ".join(part for part in (where, f"(id {record_id})" if record_id else "") if part)
    prefix = f"{label}: " if label else ""
    text = _record_text(record)
    if text is None:
        fields = ", ".join(TEXT_FIELDS)
        return ReadError(
            source, f"{prefix}record has no text (expected a non-empty string in {fields}); add one"
        )
    record_date = None
    for name in DATE_FIELDS:
        record_date = dateline.parse_date(record.get(name))
        if record_date:
            break
    try:
        return read_text(
            text,
            article_id=record_id or fallback_id,
            source_path=source,
            publish_date=publish_date or record_date,
            title=_first(record, TITLE_FIELDS),
            publisher=_first(record, PUBLISHER_FIELDS),
            url=sources.web_url(_first(record, URL_FIELDS)),
        )
    except NoTextError as exc:
        return ReadError(source, f"{prefix}{exc}")
