"""Plain text articles, and :func:`read_text`, which every reader uses for its bodies.

:func:`read_text` decides what ``Article.text`` is, once for all formats, because every
offset downstream (evidence spans, annotation layers) points into it:

* Unicode NFC; line breaks are ``\\n``; runs of spaces and tabs are one space; lines are
  trimmed; paragraphs are kept as the source had them (one blank line at most between).
* Lines of page junk (``boilerplate.BOILERPLATE_LINES``) are dropped and everything from
  a clear footer ("Comments About This Article") on is cut; a closing line that only
  repeats the publisher's name ("Zaman A Wasl") goes too.
* Metadata-only lines are dropped (``date 2018-06-10 Beirut/Istanbul``, a lone
  ``Published: ...`` date, a ``By ...`` byline, a lone ``—AP``, a first line that
  repeats the title). Heads that run on into the article (``BEIRUT (Reuters) - ...``,
  ``Wed 05 Apr 2017 ...``, ``(Zaman Al Wasl)- ...``) are kept whole: the metadata they
  carry is copied into the Article's fields, the text is not cut mid-line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date

from marsad.model import Article, ReadError
from marsad.read import boilerplate, dateline, sources

FORMATS: tuple[str, ...] = ("text",)

NO_TEXT = "no article text left after removing page boilerplate; check that it holds an article"

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f\u200b\u2060\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


class NoTextError(ValueError):
    """Nothing of the article is left once junk and metadata are removed."""


def can_read(path: str, head: bytes) -> bool:
    """True for ``.txt`` files and for anything that sniffs as neither markup nor JSON."""
    return sources.format_of(path, head) in FORMATS


def read(
    source: str, data: bytes, *, stem: str, publish_date: date | None = None
) -> Iterator[Article | ReadError]:
    """One article from a text file, its id the file's stem."""
    text = sources.decode(source, data)
    if isinstance(text, ReadError):
        yield text
        return
    try:
        yield read_text(text, article_id=stem, source_path=source, publish_date=publish_date)
    except NoTextError as exc:
        yield ReadError(source, str(exc))


def normalise_lines(text: str) -> list[str]:
    """Trimmed lines with one kind of line break and single spaces (see the module doc)."""
    text = _SURROGATES.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text)
    text = _NEWLINES.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def clean_field(value: object, *, limit: int = 500) -> str | None:
    """A metadata string on one line, or ``None`` when it is missing, blank or not a string."""
    if not isinstance(value, str):
        return None
    lines = normalise_lines(value)
    cleaned = " ".join(line for line in lines if line)[:limit].strip()
    return cleaned or None


def join_lines(lines: Sequence[str]) -> str:
    """Lines back into text: paragraphs as they were, never two blank lines in a row."""
    out: list[str] = []
    gap = False
    for line in lines:
        if not line:
            gap = bool(out)
            continue
        if gap:
            out.append("")
        out.append(line)
        gap = False
    return "\n".join(out)


def _drop_title_line(lines: list[str], title: str | None) -> list[str]:
    """Drop a first line that repeats the title (title is metadata), unless it is all there is."""
    if not title:
        return lines
    nonblank = [i for i, line in enumerate(lines) if line]
    if len(nonblank) > 1 and lines[nonblank[0]].casefold() == title.casefold():
        return lines[nonblank[0] + 1 :]
    return lines


def read_text(
    text: str,
    *,
    article_id: str,
    source_path: str | None = None,
    publish_date: date | None = None,
    title: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
) -> Article:
    """An Article from plain text: heads parsed, junk removed (see the module doc).

    Arguments win over what the text says: ``publish_date`` (an override, or a record's
    own date) over a date in the head, ``publisher`` over an agency in the dateline.
    Raises :class:`NoTextError` (a ``ValueError``) when no article text is left.
    """
    title = clean_field(title)
    publisher = clean_field(publisher, limit=200)
    lines = boilerplate.strip_lines(normalise_lines(text))
    lines = _drop_title_line(lines, title)
    head = dateline.parse_head(lines)
    lines = boilerplate.strip_trailing_names(head.lines, [publisher, head.publisher])
    body = join_lines(lines)
    if not body:
        raise NoTextError(NO_TEXT)
    return Article(
        article_id=article_id,
        text=body,
        source_path=source_path,
        title=title,
        publisher=publisher or head.publisher,
        publish_date=publish_date or head.publish_date,
        url=clean_field(url, limit=2000),
        dateline=head.dateline,
    )
