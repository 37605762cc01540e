"""Date expressions: find them in text and resolve them against the publish date.

Finding is a set of patterns over the raw text (cheap, no model needed); resolving
uses ``dateparser`` for absolute forms and calendar arithmetic for the relative forms
that wire reports use ("on Friday", "late on Monday", "the day before", "last week").
Without a publish date a relative expression resolves to ``None``: never a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"  # noqa: E501
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WDA = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

# (kind, pattern). Order matters: longer, more specific forms first.
PATTERNS: tuple[tuple[str, str], ...] = (
    ("iso", rf"\b{_YEAR}-\d\d-\d\d\b"),
    ("full", rf"\b(?:(?:{_WD}|{_WDA}),?\s+)?{_MON}\s+{_DAY},?\s+{_YEAR}\b"),
    ("full", rf"\b{_MON}\s+(?:0[1-9]|[12]\d|3[01]){_YEAR}\b"),  # a page stamp's "Jul 282016"
    ("full", rf"\b(?:(?:{_WD}|{_WDA}),?\s+)?{_DAY}\s+(?:of\s+)?{_MON},?\s+{_YEAR}\b"),
    (
        "since",
        rf"\bsince\s+(?:(?:early|late|mid-?)\s*)?(?:{_MON}\s+{_YEAR}|{_MON}|{_YEAR}|last\s+\w+|then)\b",
    ),
    # running totals: "since the assault began", "since the start of the war", "so far this year"
    (
        "since",
        r"\bsince\s+(?:the\s+|its\s+|their\s+)?(?:start|beginning|outbreak|launch|onset)\b|"
        r"\bsince\s+the\s+(?:\w+\s+){1,3}(?:began|started|erupted|broke\s+out)\b",
    ),
    (
        "recent",
        r"\b(?:over|during|in|within)\s+(?:the\s+)?(?:past|last|previous)\s+"
        r"(?:\d+|24|48|72|two|three|four|few|several)?\s*(?:hours|days|day)\b",
    ),
    (
        "duration",
        r"\b(?:for|over|during|in)\s+(?:the\s+)?(?:past|last|previous|several|many|few)?\s*"
        r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many|a\s+few)?\s*"
        r"(?:hours|days|weeks|months|years|decades)\b",
    ),
    (
        "ago",
        r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+"
        r"(?:days?|weeks?|months?|years?|decades?)\s+(?:ago|earlier|before|after|later)\b",
    ),
    ("daymonth", rf"\b(?:{_WD},?\s+)?{_MON}\s+{_DAY}\b(?!\s*,?\s*{_YEAR})"),
    ("daymonth", rf"\b(?:{_WD},?\s+)?{_DAY}\s+(?:of\s+)?{_MON}\b(?!\s*,?\s*{_YEAR})"),
    ("monthyear", rf"\b(?:(?:early|late|mid-?)\s*)?{_MON},?\s+{_YEAR}\b"),
    (
        "month",
        r"\b(?:(?:in|during|since|until|by|early|late)\s+(?:(?:early|late|mid-?)\s*)?|mid-?\s*)"
        r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b",
    ),
    ("year", rf"\b(?:(?:in|during|since|until|by|of|early|late)\s+|mid-?\s*){_YEAR}\b"),
    # "their 2019 offensive", "Haftar's 2019 push": a year that dates the noun after it
    ("year", rf"(?:(?<=\bthe )|(?<=\bits )|(?<=\btheir )|(?<=\bhis )|(?<='s )|(?<=’s )){_YEAR}(?=\s+[a-z])"),
    ("yesterday", r"\b(?:yesterday|last\s+night)\b"),
    ("today", r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b"),
    ("overnight", r"\bovernight\b(?!\s+(?:on\s+)?" + _WD + r")"),
    ("daybefore", r"\b(?:the\s+(?:day|night)\s+before|the\s+previous\s+(?:day|night)|a\s+day\s+earlier)\b"),
    ("dayafter", r"\b(?:the\s+(?:next|following)\s+day|a\s+day\s+later)\b"),
    (
        "weekday",
        rf"\b(?:(?:late|early)\s+)?(?:on\s+)?(?:(?:late|early)\s+)?(?:overnight\s+(?:on\s+)?)?{_WD}{_PART}\b",
    ),
    ("lastweek", r"\blast\s+week(?:end)?\b"),
    ("thisweek", r"\b(?:this|earlier\s+this)\s+week\b"),
    ("lastmonth", r"\blast\s+month\b"),
    ("thismonth", r"\b(?:earlier|later)\s+this\s+month\b|\bthis\s+month\b"),
    ("lastyear", r"\blast\s+year\b"),
    ("thisyear", r"\b(?:earlier\s+)?this\s+year\b"),
)
_COMPILED = [(kind, re.compile(p, re.I)) for kind, p in PATTERNS]

PRECISION = {
    "iso": "day",
    "full": "day",
    "daymonth": "day",
    "weekday": "day",
    "yesterday": "day",
    "today": "day",
    "overnight": "day",
    "daybefore": "day",
    "dayafter": "day",
    "lastweek": "week",
    "thisweek": "week",
    "monthyear": "month",
    "month": "month",
    "lastmonth": "month",
    "thismonth": "month",
    "year": "year",
    "lastyear": "year",
    "thisyear": "year",
    "ago": None,
    "since": None,
    "duration": None,
    "recent": None,
}


@dataclass(frozen=True)
class DateMention:
    """A date expression in the text and, where resolvable, its value."""

    start: int
    end: int
    text: str
    kind: str
    value: date | None
    precision: str | None

    @property
    def timex(self) -> str | None:
        """TIMEX3-style value: ``2018-06-09``, ``2018-W23``, ``2018-06`` or ``2018``."""
        if self.value is None or self.precision is None:
            return None
        if self.precision == "week":
            year, week, _ = self.value.isocalendar()
            return f"{year}-W{week:02d}"
        if self.precision == "month":
            return self.value.strftime("%Y-%m")
        if self.precision == "year":
            return str(self.value.year)
        return self.value.isoformat()

    @property
    def form_precision(self) -> str | None:
        """The precision the wording gives, known even when there is no publish date."""
        return PRECISION.get(self.kind)

    @property
    def background(self) -> bool:
        """Forms that place what they date in the past as context ("since May", "for months",
        "two years ago"). Days are news, not context: "two days ago" dates the event itself,
        "killed 84 in three days" spans it, and "a day after the truce was agreed" only
        relates it to another."""
        if self.kind in ("ago", "duration") and re.search(r"\b(?:days?|hours)\b", self.text, re.I):
            return False
        return self.kind in ("since", "duration", "ago")

    @property
    def recent(self) -> bool:
        """A span of the last hours or days ("over the past 24 hours", "killed 84 in three
        days"): the news of the report's own time, with no day of its own."""
        return self.kind == "recent" or self.kind == "duration" and not self.background


def find_dates(text: str, publish_date: date | None) -> list[DateMention]:
    """Every date expression, non-overlapping, resolved where it can be."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    for kind, regex in _COMPILED:
        for m in regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            value = resolve(kind, m.group(0), publish_date)
            precision = PRECISION[kind] if value is not None else None
            found.append(DateMention(m.start(), m.end(), m.group(0), kind, value, precision))
    found.sort(key=lambda d: d.start)
    return found


def resolve(kind: str, text: str, publish: date | None) -> date | None:
    """The date an expression names; ``None`` when it needs a publish date and has none.

    Relative days count back from the publish date ("on Friday" is the latest Friday on
    or before it), because news reports what has happened."""
    low = text.lower()
    if kind in ("iso", "full"):
        return _parse(re.sub(r"(\d\d)((?:19|20)\d\d)$", r"\1 \2", text), None)  # "Jul 282016"
    if kind == "monthyear":
        month = next(i for i, m in enumerate(MONTHS, 1) if m[:3] in low)
        return date(int(re.search(r"\d{4}", text).group(0)), month, 1)  # type: ignore[union-attr]
    if kind == "year":
        return date(int(re.search(r"\d{4}", text).group(0)), 1, 1)  # type: ignore[union-attr]
    if publish is None:
        return None
    if kind == "daymonth":
        parsed = _parse(re.sub(r"(?i)\b" + _WD + r",?\s*", "", text), publish)
        if parsed and parsed > publish + timedelta(days=2):
            parsed = _replace_year(parsed, parsed.year - 1)
        return parsed
    if kind == "month":
        month = next(i for i, m in enumerate(MONTHS, 1) if m in low)
        year = publish.year if month <= publish.month else publish.year - 1
        return date(year, month, 1)
    if kind == "weekday":
        wd = next(i for i, w in enumerate(WEEKDAYS) if w in low)
        return publish - timedelta(days=(publish.weekday() - wd) % 7)
    if kind == "yesterday":
        return publish - timedelta(days=1)
    if kind in ("today", "overnight"):
        return publish
    if kind == "lastweek":
        return _monday(publish) - timedelta(days=7)
    if kind == "thisweek":
        return _monday(publish)
    if kind == "lastmonth":
        return (publish.replace(day=1) - timedelta(days=1)).replace(day=1)
    if kind == "thismonth":
        return publish.replace(day=1)
    if kind == "lastyear":
        return date(publish.year - 1, 1, 1)
    if kind == "thisyear":
        return date(publish.year, 1, 1)
    return None  # daybefore/dayafter resolve against a neighbouring date, in extract


def shift(mention: DateMention, anchor: DateMention | None) -> DateMention:
    """Resolve "the day before"/"the next day" against the date it leans on."""
    if mention.kind not in ("daybefore", "dayafter") or anchor is None or anchor.value is None:
        return mention
    days = -1 if mention.kind == "daybefore" else 1
    return DateMention(
        mention.start, mention.end, mention.text, mention.kind, anchor.value + timedelta(days=days), "day"
    )


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _replace_year(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February
        return d.replace(year=year, day=28)


@functools.lru_cache(maxsize=4096)  # the same few expressions recur across articles
def _parse(text: str, base: date | None) -> date | None:
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
        "PREFER_DAY_OF_MONTH": "first",
    }
    if base is not None:
        from datetime import datetime

        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    if "REQUIRE_PARTS" in settings and not re.search(r"\d", text):
        return None
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None
