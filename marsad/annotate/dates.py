"""Event dates: the calendar view of the TIMEX3 layer (``marsad.annotate.timex``) that
extraction reads.

There is one date finder, the TIMEX3 grammar; this module only turns each of its DATE,
TIME and DURATION expressions into a :class:`DateMention`: the first day of its value
(``2018-W23`` -> that Monday, ``2018-06`` -> 1 June), its precision for an event (day,
week, month or year), the precision its wording gives even without a creation time
("on Friday" is a day), and whether it places what it dates in the past as context
("since May", "for months") or spans the report's own recent news ("over the past 24
hours", "killed 84 in three days"). References ("now"), sets ("every Friday") and vague
pasts ("years ago") date no event and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from marsad.annotate.timex import Timex

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

#: the precision an event date keeps of a calendar value: coarser than a month is a year
EVENT_PRECISION = {
    "day": "day",
    "week": "week",
    "month": "month",
    "quarter": "year",
    "season": "year",
    "year": "year",
    "decade": "year",
    "century": "year",
}
#: grammar rules whose wording names a day, a week or a month (the rest: a year or coarser)
_DAY_RULES = frozenset(
    {"iso", "full", "monthday", "weekday", "deictic", "deictictime", "holiday", "clock", "clockword", "dawn"}
    | {"overnight", "overnight-dct"}
)
_MONTH_RULES = frozenset({"month", "monthyear", "isomonth"})
#: times of day whose day comes from a neighbour ("at 10 p.m. on Friday") or the last day mentioned
_CLOCK_RULES = frozenset({"clock", "clockword", "dawn"})
#: rules that date nothing: "now", "every Friday", "years ago"
_NOT_DATES = frozenset({"ref", "set", "agovague"})
#: prepositions that make a duration the time a thing has lasted ("for months", "over three days")
_SPAN_SIGNALS = frozenset({"for", "over", "during", "in", "within", "throughout", "since"})
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class DateMention:
    """A DATE, TIME or DURATION expression as an event date: where it is, the first day of
    its value (None when it needs a creation time the article lacks, and for durations)."""

    start: int
    end: int
    text: str
    kind: str  # the grammar rule ("full", "weekday", "ago", "duration"...)
    value: date | None
    precision: str | None  # day, week, month or year of the value; None when there is none
    form: str | None = None  # the precision the wording gives, known without a creation time
    signal: str | None = None  # "since", "for", "on"...
    unit: str | None = None  # a duration's ISO unit: "H", "D", "W", "M", "Y"
    length: float | None = None  # a duration's count of units (None when vague: "weeks")

    @property
    def timex(self) -> str | None:
        """TIMEX3-style value at the event precision: ``2018-06-09``, ``2018-W23``, ``2018-06``, ``2018``."""
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
        """The precision the wording gives, known even when there is no creation time."""
        return self.form

    @property
    def spans_time(self) -> bool:
        """A duration tied to its clause as how long something lasted ("for months", "over the
        past 24 hours", "killed 84 in three days"), not a measure ("a two-hour drive")."""
        if self.kind != "duration":
            return False
        return self.signal in _SPAN_SIGNALS or bool(
            re.match(r"(?:the\s+)?(?:past|last|previous)\b", self.text, re.I)
        )

    @property
    def background(self) -> bool:
        """Forms that place what they date in the past as context: "since May", "for months",
        "the past three years". Days are news, not context: "since Tuesday" starts this news,
        "killed 84 in three days" spans it."""
        if self.kind == "duration":
            return self.spans_time and self.unit in ("W", "M", "Y") and not self.recent
        return self.signal == "since" and self.form != "day"

    @property
    def recent(self) -> bool:
        """A span of the last hours or days ("over the past 24 hours", "killed 84 in three
        days"): the news of the report's own time, with no day of its own."""
        if self.kind != "duration" or not self.spans_time:
            return False
        return self.unit in ("H", "D") or self.unit == "W" and self.length == 1  # "during the past week"


def event_dates(timexes: Iterable[Timex]) -> list[DateMention]:
    """The DATE, TIME and DURATION expressions of the TIMEX3 layer as event dates, in text order."""
    out = []
    for tx in timexes:
        rule = tx.rule or ""
        if rule in _NOT_DATES or tx.type == "SET":
            continue
        if tx.type == "DURATION":
            out.append(
                DateMention(
                    tx.start,
                    tx.end,
                    tx.text,
                    "duration",
                    None,
                    None,
                    None,
                    tx.signal,
                    _unit(tx.value),
                    _length(tx.value),
                )
            )
            continue
        if tx.value and tx.value.endswith("_REF"):
            continue
        if rule in _CLOCK_RULES and not re.search(r"(?:day|night)\b", tx.text, re.I):
            continue  # "at dawn", "at 10 p.m.": the hour of a day named elsewhere, or borrowed
        value, precision = _first_day(tx.value or "")
        if rule == "overnight-dct" and value is not None:
            value = value + timedelta(days=1)  # news dates a night to the morning it ended, the report's day
        kind = {"iso": "full", "numeric": "full", "yearmod": "year"}.get(rule, rule)
        form = precision or _form(rule, tx.text)
        out.append(DateMention(tx.start, tx.end, tx.text, kind, value, precision, form, tx.signal))
    return out


def _unit(value: str | None) -> str | None:
    """The unit of an ISO duration: "PT24H" -> "H", "P3D" -> "D", "PXY" -> "Y", "P10Y" -> "Y"."""
    m = re.fullmatch(r"P(T?)[\dX.]*([SMHDWY])(?:.*)?", value or "")
    if m is None:
        return None
    if m.group(1):
        return "H"  # hours, minutes and seconds are all the report's own hours
    return m.group(2)


def _length(value: str | None) -> float | None:
    """How many units an ISO duration counts: "P1W" -> 1, "PT24H" -> 24, "PXW" -> None."""
    m = re.match(r"PT?(\d+(?:\.\d+)?)", value or "")
    return float(m.group(1)) if m else None


def _form(rule: str, text: str) -> str | None:
    """The precision a rule's wording gives, for a value that could not be resolved."""
    low = text.lower()
    if rule in _DAY_RULES:
        return "day"
    if rule in ("relunit", "anaphor", "endof", "weekof", "weekend", "ago"):
        for unit, precision in (("week", "week"), ("month", "month"), ("year", "year"), ("decade", "year")):
            if unit in low:
                return precision
        return "day"
    if rule in _MONTH_RULES:
        return "month"
    return "year"


def _first_day(value: str) -> tuple[date | None, str | None]:
    """The first day of a TIMEX3 calendar value and its event precision; (None, None) when
    the value is not a calendar one ("XXXX-WXX-5", "P3D", "T22:00")."""
    try:
        if m := re.match(r"^(\d{4})-(\d\d)-(\d\d)", value):
            return date(int(m[1]), int(m[2]), int(m[3])), "day"
        if m := re.match(r"^(\d{4})-W(\d\d)", value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, "week"
        if m := re.match(r"^(\d{4})-(\d\d)(?:-XX)?$", value):
            return date(int(m[1]), int(m[2]), 1), "month"
        if m := re.match(r"^(\d{4})-Q([1-4])$", value):
            return date(int(m[1]), 3 * int(m[2]) - 2, 1), EVENT_PRECISION["quarter"]
        if m := re.match(r"^(\d{4})-H([12])$", value):
            return date(int(m[1]), 6 * int(m[2]) - 5, 1), EVENT_PRECISION["quarter"]
        if m := re.match(r"^(\d{4})-(SP|SU|FA|WI)$", value):
            return date(int(m[1]), _SEASON_MONTH[m[2]], 1), EVENT_PRECISION["season"]
        if m := re.match(r"^(\d{4})(?:-XX(?:-XX)?)?$", value):
            return date(int(m[1]), 1, 1), "year"
        if m := re.match(r"^(\d{3})X$", value):
            return date(int(m[1]) * 10, 1, 1), EVENT_PRECISION["decade"]
        if m := re.match(r"^(\d\d)XX$", value):
            return date(max(1, int(m[1]) * 100), 1, 1), EVENT_PRECISION["century"]
    except ValueError:
        return None, None
    return None, None
