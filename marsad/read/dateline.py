"""Metadata written into the first lines of an article: dates, datelines, agencies, bylines.

Wire copy and scraped pages carry their metadata as text (``date 2018-06-10
Beirut/Istanbul``, ``BEIRUT (Reuters) -``, ``(Zaman Al Wasl)-``, ``Wed 05 Apr 2017 ...``,
``By Jane Doe, Reuters``, a closing ``—AP``). The date matters most: it anchors every
relative date ("on Friday") downstream, so a date is only ever taken from text that
states it in full, never guessed.

What happens to the text: lines that hold nothing but metadata (the ``date ...`` line,
a ``Published: 12 March 2019`` line, a ``By ...`` byline, a lone ``—AP``) are removed;
heads that run on into the article (``BEIRUT (Reuters) - Syrian troops ...``,
``Wed 05 Apr 2017 Title ...``, ``(Zaman Al Wasl)- ISIS fighters ...``) stay in the text
whole, so the first sentence reads as published and nothing is cut mid-line.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?"
)
_DATE = rf"""(?:
    (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>\d{{4}})
  | (?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})
  | (?P<m3>{_MONTH})\s+(?P<d3>\d{{2}})(?P<y3>(?:19|20)\d{{2}})
  | (?P<y4>\d{{4}})-(?P<m4>\d{{1,2}})-(?P<d4>\d{{1,2}})
  | (?P<d5>\d{{1,2}})\.(?P<m5>\d{{1,2}})\.(?P<y5>\d{{4}})
)(?!\d)"""
_PREFIX = (
    r"(?:(?:posted|published|updated|last\s+updated|date\s+of\s+publication|date)(?:\s+(?:on|at))?\s*:?\s*)"
)
_TIME = r"(?:,?\s*(?:at\s+\d{1,2}:?\d{2}|\d{1,2}:\d{2})(?!\d)(?:\s*(?:[ap]\.?m\.?|gmt|utc))?)"

# "date 2018-06-10 Beirut/Istanbul": a metadata line of its own (removed from the text).
_DATE_LINE = re.compile(
    r"^date\s*:?\s*(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?:[T\s]+\d{1,2}:\d{2}(?::\d{2})?\S*)?(?:\s+(?P<place>.+?))?\s*$",
    re.IGNORECASE,
)
# "Wed 05 Apr 2017 Title ...", "Published February 18 2015 ...", "Last updated at Jul 012016 BEIRUT ..."
_LEADING_DATE = re.compile(rf"^{_PREFIX}?(?:{_WEEKDAY}\s+)?{_DATE}{_TIME}?", re.IGNORECASE | re.VERBOSE)
# "Published: 12 March 2019" (or a bare date) alone on its line (removed from the text).
_PUBLISHED_LINE = re.compile(rf"^{_PREFIX}?(?:{_WEEKDAY}\s+)?{_DATE}{_TIME}?\s*$", re.IGNORECASE | re.VERBOSE)
# "... Monitor AFP Thursday 14 Jul 2016 Air strikes ...": a weekday-stamped date early in the text.
_STAMPED_DATE = re.compile(rf"(?<![\w,])(?P<before>\w+\s+)?{_WEEKDAY}\s+{_DATE}", re.IGNORECASE | re.VERBOSE)
# "... Aleppo city 6 October 2016 Aleppo SANA-", "Middle East 1924 16.05.2017(updated ...": a page's
# date after its headline, with no weekday; it must not read as part of a sentence ("on 6 October").
_IS_WEEKDAY = re.compile(_WEEKDAY, re.IGNORECASE)
_BARE_STAMP = re.compile(rf"(?<![\w,.])(?P<before>\w+\s+)?{_DATE}", re.IGNORECASE | re.VERBOSE)

_CAPS_WORD = r"[A-Z][A-Z'’.\-]+"
_PLACE = rf"{_CAPS_WORD}(?:[ /]{_CAPS_WORD}){{0,3}}"
# "BEIRUT (Reuters) -", "ALEPPO, Syria (AP) —", "DAMASCUS, June 3 (Reuters) -"
_WIRE = re.compile(
    rf"^(?P<place>{_PLACE})(?:,\s*(?P<region>[A-Z][\w.'’\- ]{{0,40}}?))?\s*"
    r"\((?P<agency>[A-Za-z][^()\n]{1,40})\)\s*[-–—:]+\s*"
)
# "Muqdisho (Hiiraan Online) -", "Khartoum (Sudan Tribune) –": local papers write the place in title case
_TITLE_WIRE = re.compile(
    r"^(?!(?:The|A|An|This|That|These|Its|His|Her|Their|Our|In|On|At)\b)"
    r"(?P<place>[A-Z][a-z'’\-]+(?:[ \-][A-Z][a-z'’\-]+){0,2})(?:,\s*(?P<region>[A-Z][\w'’\- ]{0,40}?))?\s*"
    r"\((?P<agency>[A-Z][^()\n]{1,40})\)\s*[-–—:]+\s*"
)
# "BEIRUT — Syrian troops ...": AP style with no agency (dashes only, not hyphens)
_WIRE_BARE = re.compile(rf"^(?P<place>{_PLACE})(?:,\s*(?P<region>[A-Z][\w.'’\- ]{{0,40}}?))?\s+[—–]\s+\S")
# "BEIRUT At least 70 ..." right after a leading date (Jordan Times style)
_CAPS_AFTER_DATE = re.compile(rf"^\s*(?P<place>{_PLACE})(?:,?\s+[A-Z][a-z]+)?\s+(?=[A-Z\"“])")
# "(Zaman Al Wasl)- ISIS fighters ..."
_PAREN_PUBLISHER = re.compile(r"^\((?P<name>[A-Za-z][^()\n]{1,40})\)\s*[-–—:]+\s*")
# "By Jane Doe, Reuters" alone on its line
_BYLINE = re.compile(
    r"^(?:By|BY)\s+(?P<names>[A-Z][\w.'’\-]*(?:\s+(?:[A-Z][\w.'’\-]*|and|&|al|el|de|bin|van|von))*)"
    r"(?:\s*[,|/]\s*(?P<org>[A-Z][\w.'’&\- ]{1,48}?))?\s*$"
)
# "... news agency.—AP", "... - REUTERS", or "—AP" alone
_SIGNATURE = re.compile(
    r"(?:^|[.!?\"”’')]\s*)[—–-]{1,2}\s*(?P<agency>[A-Z][A-Za-z]{1,20}(?:\s[A-Z][A-Za-z]{1,20}){0,2})\.?\s*$"
)
_SIGNATURE_LINE = re.compile(
    r"^[—–-]{1,2}\s*(?P<agency>[A-Z][A-Za-z]{1,20}(?:\s[A-Z][A-Za-z]{1,20}){0,2})\.?$"
)


def _words(text: str) -> frozenset[str]:
    """A set from a space-separated list: word lists read best as prose."""
    return frozenset(text.split())


#: All-caps words that start sentences but are not datelines ("ISIS fighters ...").
NOT_PLACES = _words(
    "ISIS ISIL IS SDF YPG YPJ PKK PYD FSA HTS NATO UN US USA UK EU WHO UNICEF UNHCR OCHA OPCW "
    "ICRC MSF NGO AFP AP SANA NNA IRNA BBC CNN IDF IRGC TV UPDATE UPDATED BREAKING EXCLUSIVE "
    "PHOTO VIDEO WATCH LIVE ANALYSIS OPINION EDITORIAL NOTE WARNING"
)
#: Names that look like acronyms and stay in capitals.
_ACRONYMS = _words("AP AFP DPA UPI SANA NNA IRNA ANHA BBC CNN TASS ANA MENA KUNA QNA SPA WAM")
_NOT_ORGS = re.compile(
    r"\b(staff|reporter|correspondent|writer|editor|contributor|agencies)\b", re.IGNORECASE
)
#: Words that make a weekday date part of a sentence ("late Friday 7 April 2017"), not a stamp.
_NOT_A_STAMP = _words(
    "on since until till from by before after of between and or to during late early last next this that "
    "in at the as around"
)
_PLACE_WORDS = 4  # a `date` line's place is at most this long; more is article text
_HEAD_LINES = 5  # heads are looked for in this many first non-blank lines
_STAMP_CHARS = 300  # a weekday-stamped date counts only this close to the start


@dataclass(frozen=True)
class Head:
    """What the first and last lines say about the article, and the lines left to keep."""

    lines: list[str]
    publish_date: date | None = None
    dateline: str | None = None
    publisher: str | None = None


def _valid(year: int, month: int, day: int) -> date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match[str]) -> date | None:
    """The date the ``_DATE`` groups of a match spell, or ``None`` if it is not a real day."""
    g = m.groupdict()
    for i in "123":
        if g.get(f"y{i}"):
            month = _MONTHS[g[f"m{i}"][:3].lower()]
            return _valid(int(g[f"y{i}"]), month, int(g[f"d{i}"]))
    if g.get("y4"):
        return _valid(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    if g.get("y5"):  # 24.08.2013: dotted dates are day-first everywhere they are used
        return _valid(int(g["y5"]), int(g["m5"]), int(g["d5"]))
    return None


_DATE_ONLY = re.compile(rf"^\s*(?:{_WEEKDAY}\s+)?{_DATE}{_TIME}?\s*$", re.IGNORECASE | re.VERBOSE)
_ISO_START = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "STRICT_PARSING": True,
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PARSERS": ["absolute-time"],
    "DATE_ORDER": "MDY",
    "PREFER_DAY_OF_MONTH": "first",
    "RETURN_AS_TIMEZONE_AWARE": False,
}


def parse_date(value: object) -> date | None:
    """A calendar date from a metadata value (ISO, RFC 822, "12 March 2019"), else ``None``.

    Only full dates count: "June 3" or "Tuesday" give ``None`` rather than a guessed year.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:100]
    if not text:
        return None
    iso = _ISO_START.match(text)
    if iso:
        return _valid(int(iso[1]), int(iso[2]), int(iso[3]))
    m = _DATE_ONLY.match(text)
    if m:
        return _from_match(m)
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is not None:
        return _valid(parsed.year, parsed.month, parsed.day)
    if not any(ch.isdigit() for ch in text):
        return None  # no day and no year: nothing to parse strictly
    import dateparser  # imported late: slow to import, and rarely needed

    try:
        found = dateparser.parse(text, languages=["en"], settings=_DATEPARSER_SETTINGS)
    except Exception:  # dateparser raises assorted errors on odd strings; a bad date is just no date
        return None
    return _valid(found.year, found.month, found.day) if found else None


def publisher_name(raw: str) -> str | None:
    """A tidy agency name: ``REUTERS`` -> ``Reuters``, ``AP`` stays, blanks give ``None``."""
    name = " ".join(raw.split()).strip(" .,;:-–—")
    if not name or not any(ch.isalpha() for ch in name):
        return None
    if name.isupper() and name not in _ACRONYMS and len(name) > 4:
        name = name.title()
    return name


def _place(raw: str | None) -> str | None:
    if not raw:
        return None
    place = raw.strip(" ,.-–—:")
    if not place or place in NOT_PLACES or place.split()[0] in NOT_PLACES:
        return None
    return place


def parse_head(lines: Sequence[str]) -> Head:
    """Read the metadata heads of ``lines`` (trimmed, blank lines allowed) and the signature."""
    kept = list(lines)
    found_date: date | None = None
    dateline: str | None = None
    publisher: str | None = None
    first = next((i for i, line in enumerate(kept) if line.strip()), None)
    if first is None:
        return Head(lines=kept)

    m = _DATE_LINE.match(kept[first].strip())
    if m:
        found_date = parse_date(m["iso"])
        rest = m["place"] or ""
        if len(rest.split()) <= _PLACE_WORDS and not rest.endswith((".", "!", "?", '"', "”")):
            dateline = _place(rest)
            del kept[first]
        else:  # the article runs on after the date: keep its words, drop only the stamp
            kept[first] = rest

    head_idx = [i for i, line in enumerate(kept) if line.strip()][:_HEAD_LINES]
    drop: set[int] = set()
    for n, i in enumerate(head_idx):
        line = kept[i].strip()
        if found_date is None and (m := _PUBLISHED_LINE.match(line)):
            found_date = _from_match(m)
            drop.add(i)
            continue
        if (m := _BYLINE.match(line)) and len(line) <= 100:
            org = m["org"]
            if publisher is None and org and not _NOT_ORGS.search(org):
                publisher = publisher_name(org)
            drop.add(i)
            continue
        if n == 0 or (dateline is None and publisher is None):
            d, place, pub = _line_head(line, first_line=n == 0 and found_date is None)
            found_date = found_date or d
            dateline = dateline or place
            publisher = publisher or pub
    kept = [line for i, line in enumerate(kept) if i not in drop]

    if found_date is None:
        found_date = _stamped_date(" ".join(line.strip() for line in kept if line.strip())[:_STAMP_CHARS])

    kept, signed = _signature(kept)
    return Head(lines=kept, publish_date=found_date, dateline=dateline, publisher=publisher or signed)


def _line_head(line: str, *, first_line: bool) -> tuple[date | None, str | None, str | None]:
    """Date, dateline place and publisher that one head line starts with."""
    found: date | None = None
    rest = line
    if first_line and (m := _LEADING_DATE.match(line)):
        found = _from_match(m)
        rest = line[m.end() :]
        after = _CAPS_AFTER_DATE.match(rest)
        if after and (place := _place(after["place"])):
            return found, place, None
        rest = rest.lstrip()
    for wire in (_WIRE, _TITLE_WIRE):
        if (m := wire.match(rest)) and (place := _place(m["place"])):
            return found, place, publisher_name(m["agency"])
    if (m := _WIRE_BARE.match(rest)) and (place := _place(m["place"])):
        return found, place, None
    if m := _PAREN_PUBLISHER.match(rest):
        return found, None, publisher_name(m["name"])
    return found, None, None


def _stamped_date(start: str) -> date | None:
    """A full date near the start that stamps the page ("AFP Thursday 14 Jul 2016", "Middle East 1924
    16.05.2017"), not one a sentence uses ("on Monday 3 ...", "the truce of 27 February 2016")."""
    found: list[tuple[int, date]] = []
    for regex in (_STAMPED_DATE, _BARE_STAMP):
        for m in regex.finditer(start):
            before = (m["before"] or "").strip().lower()
            value = _from_match(m)
            if before in _NOT_A_STAMP or value is None:
                continue
            if regex is _BARE_STAMP and _IS_WEEKDAY.fullmatch(before):
                continue  # "on Monday 3 Oct 2016": the weekday pass has judged this one
            found.append((m.start(), value))
            break
    return min(found)[1] if found else None


def _signature(lines: list[str]) -> tuple[list[str], str | None]:
    """The agency a closing ``—AP`` / ``- REUTERS`` names; a line holding only that is removed."""
    kept = list(lines)
    while kept and not kept[-1].strip():
        kept.pop()
    if not kept:
        return kept, None
    last = kept[-1].strip()
    if m := _SIGNATURE_LINE.match(last):
        kept.pop()
        return kept, publisher_name(m["agency"])
    if m := _SIGNATURE.search(last):
        return kept, publisher_name(m["agency"])
    return kept, None
