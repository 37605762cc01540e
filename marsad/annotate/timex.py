"""TIMEX3 temporal expressions: every DATE, TIME, DURATION and SET in a text, with TimeML's
extents and TIMEX3 values resolved against the document creation time (DCT).

Finding is a grammar of regular expressions built from the words in
``knowledge/data/timex.json``; each rule has a resolver that turns its match into a
TIMEX3 value (``2018-06-09``, ``2018-W23``, ``2018-06``, ``2018``, ``2018-SU``,
``2018-Q2``, ``2018-06-09TNI``, ``2018-06-09T22:00``, ``P3D``, ``PT2H``, ``PXY``,
``XXXX-WXX-5``, ``PRESENT_REF``...). Expressions without a year ("on Friday", "in
April", "March 6") take the occurrence the tense of their governing verb points to
(past by default for days, the nearest for months and days of the month); anaphoric
ones ("that day", "the next morning", "later that year") lean on the last date
mentioned. Extents follow TimeML: prepositions are signals and stay out ("on Friday" ->
"Friday"), modifiers and determiners of the expression stay in ("the past three
years", "last week", "early December", "at least 72 hours").
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.easter import easter
from spacy.tokens import Doc, Token

from marsad.errors import KnowledgeError

DATA = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "timex.json"
TYPES = ("DATE", "TIME", "DURATION", "SET")
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


@dataclass(frozen=True)
class Timex:
    """A temporal expression: its TimeML extent, TIMEX3 type and value (None when the
    value needs a creation time the document does not have)."""

    start: int
    end: int
    text: str
    type: str
    value: str | None
    mod: str | None = None
    signal: str | None = None  # the preposition that relates it to its clause: "since", "until", "on"...

    @property
    def precision(self) -> str | None:
        """The calendar granularity of a DATE or TIME value (day, week, month, quarter, season,
        year, decade); None for durations, sets and references."""
        v = self.value or ""
        if re.match(r"^\d{4}-\d\d-\d\d", v):
            return "day"
        if re.match(r"^\d{4}-W\d\d", v):
            return "week"
        if re.match(r"^\d{4}-\d\d(?:-XX)?$", v):
            return "month"
        if re.match(r"^\d{4}-(?:Q\d|H\d)$", v):
            return "quarter"
        if re.match(r"^\d{4}-(?:SP|SU|FA|WI)$", v):
            return "season"
        if re.match(r"^\d{4}$", v):
            return "year"
        if re.match(r"^\d{3}X$", v):
            return "decade"
        return None


# --- the lexicon -------------------------------------------------------------------------


@dataclass(frozen=True)
class Lexicon:
    numbers: dict[str, float]
    vague_numbers: tuple[str, ...]
    units: dict[str, str]
    plural_units: dict[str, str]
    parts_of_day: dict[str, str]
    clock_words: dict[str, str]
    vague_times: dict[str, str]
    seasons: dict[str, str]
    season_months: dict[str, tuple[int, ...]]
    sets: dict[str, str]
    present_ref: tuple[str, ...]
    past_ref: tuple[str, ...]
    future_ref: tuple[str, ...]
    fixed_holidays: dict[str, tuple[int, int]]
    weekday_holidays: dict[str, tuple[int, ...]]
    easter_holidays: dict[str, int]
    islamic_holidays: dict[str, tuple[int, int]]
    islamic_months: dict[str, int]
    future_verbs: frozenset[str]
    future_signals: tuple[str, ...]
    future_heads: frozenset[str]
    past_signals: tuple[str, ...]


def _need(raw: dict[str, Any], key: str, kind: type) -> Any:
    if key not in raw or not isinstance(raw[key], kind):
        raise KnowledgeError(f"{DATA.name}: '{key}' must be a {kind.__name__}")
    return raw[key]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The words of the grammar, checked strictly (a wrong entry fails here, not later)."""
    try:
        raw = json.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{DATA.name}: {exc}") from exc
    fixed = {}
    for name, md in _need(raw, "fixed_holidays", dict).items():
        if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", str(md)):
            raise KnowledgeError(f"{DATA.name}: fixed_holidays '{name}': '{md}' is not MM-DD")
        fixed[name] = (int(md[:2]), int(md[3:]))
    by_weekday = {}
    for name, rule in _need(raw, "weekday_holidays", dict).items():
        if not (isinstance(rule, list) and len(rule) in (3, 4) and all(isinstance(x, int) for x in rule)):
            raise KnowledgeError(
                f"{DATA.name}: weekday_holidays '{name}' must be [month, weekday, nth(, offset)]"
            )
        by_weekday[name] = tuple(rule)
    units = _need(raw, "units", dict)
    for name, code in units.items():
        if not re.fullmatch(r"T?\d*[SMHDWY]", code):
            raise KnowledgeError(f"{DATA.name}: unit '{name}' has no ISO code ('{code}')")
    return Lexicon(
        numbers={k: float(v) for k, v in _need(raw, "numbers", dict).items()},
        vague_numbers=tuple(_need(raw, "vague_numbers", list)),
        units=units,
        plural_units=_need(raw, "plural_units", dict),
        parts_of_day=_need(raw, "parts_of_day", dict),
        clock_words=_need(raw, "clock_words", dict),
        vague_times=_need(raw, "vague_times", dict),
        seasons=_need(raw, "seasons", dict),
        season_months={k: tuple(v) for k, v in _need(raw, "season_months", dict).items()},
        sets=_need(raw, "sets", dict),
        present_ref=tuple(_need(raw, "present_ref", list)),
        past_ref=tuple(_need(raw, "past_ref", list)),
        future_ref=tuple(_need(raw, "future_ref", list)),
        fixed_holidays=fixed,
        weekday_holidays=by_weekday,
        easter_holidays={k: int(v) for k, v in _need(raw, "easter_holidays", dict).items()},
        islamic_holidays={k: (int(v[0]), int(v[1])) for k, v in _need(raw, "islamic_holidays", dict).items()},
        islamic_months={k: int(v) for k, v in _need(raw, "islamic_months", dict).items()},
        future_verbs=frozenset(_need(raw, "future_verbs", list)),
        future_signals=tuple(_need(raw, "future_signals", list)),
        future_heads=frozenset(_need(raw, "future_heads", list)),
        past_signals=tuple(_need(raw, "past_signals", list)),
    )


def _alt(words: object) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")"


# --- the grammar -------------------------------------------------------------------------

_MON_FULL = _alt(MONTHS)
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_MOD = r"(?:(?P<mod>early|late|mid)(?:\s+|-|\s*-\s*)?)"
_PART = r"(?:morning|afternoon|evening|night)"


SIGNAL = re.compile(
    r"\b(since|until|till|by|before|after|from|to|on|in|at|during|for|over|within|through|throughout|"
    r"between|as\s+of|as\s+soon\s+as|as\s+early\s+as)\s+(?:the\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class Rule:
    name: str
    regex: re.Pattern[str]


def _grammar() -> list[Rule]:
    lx = lexicon()
    num = (
        r"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|\d/\d|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|"
        + _alt(list(lx.numbers) + list(lx.vague_numbers))
        + r")(?:\s+and\s+a\s+half)?"
    )
    unit = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ies))"
    units = unit + r"s?"
    approx_in = r"(?:at\s+least|more\s+than|less\s+than|fewer\s+than|up\s+to|over|under)"
    approx_ago = (
        r"(?:about|almost|nearly|some|roughly|around|approximately|more\s+than|less\s+than|over|just\s+over)"
    )
    holidays = _alt(
        list(lx.fixed_holidays)
        + list(lx.weekday_holidays)
        + list(lx.easter_holidays)
        + list(lx.islamic_holidays)
        + list(lx.islamic_months)
    )
    rules = [
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
        (
            "full",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\.?\s+(?P<d>{_DAY})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b",
        ),
        (
            "full",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\.?,?\s+"
            rf"(?P<y>{_YEAR})\b",
        ),
        ("weekof", rf"\bthe\s+week\s+of\s+(?P<mon>{_MON})\.?\s+(?P<d>{_DAY})\b"),
        (
            "monthday",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\.?\s+(?P<d>{_DAY})(?:st|nd|rd|th)?\b(?![\d,.]\d|\s*,?\s*\d)",
        ),
        (
            "monthday",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b\.?",
        ),
        ("monthyear", rf"\b{_MOD}?(?P<mon>{_MON})\.?,?\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
        ("monthyear", rf"\b{_MOD}?(?P<mon>{_MON_FULL})\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year\b"),
        ("month", rf"\b{_MOD}?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<mon>{_MON_FULL})\b"),
        (
            "season",
            rf"\b(?:the\s+)?{_MOD}?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<s>{_alt(lx.seasons)})"
            rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR}))?\b",
        ),
        (
            "quarter",
            r"\b(?:the\s+)?(?:(?P<rel0>last|next|this|coming|past|previous)\s+)?"
            r"(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter"
            rf"(?:\s+of\s+(?:(?:fiscal\s+)?(?P<y>{_YEAR})|(?P<rel>this|last|next)\s+year|the\s+(?:fiscal\s+)?year))?\b",
        ),
        ("quarter", rf"\bQ(?P<n>[1-4])(?:\s+(?P<y>{_YEAR}))?\b"),
        (
            "half",
            r"\b(?:the\s+)?(?P<ord>first|second|latter)\s+half\s+of\s+"
            rf"(?:(?P<y>{_YEAR})|(?P<rel>this|last|next)\s+year|the\s+year)\b",
        ),
        ("fiscal", rf"\bfiscal(?:\s+year)?\s+(?P<y>{_YEAR})\b|\bFY\s?(?P<y2>{_YEAR})\b"),
        ("decade", rf"\b{_MOD}?(?P<dec>(?:1[5-9]|20)\d)0'?s\b"),
        ("decade", rf"\b{_MOD}?'(?P<dec2>\d)0s\b"),
        ("yearmod", rf"\b{_MOD}(?P<y>{_YEAR})\b"),
        ("isomonth", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])\b(?!-\d)"),
        (
            "year",
            rf"(?<![\d,.$£€#/])(?<![A-Za-z]-)(?<!\d\s)\b(?P<y>{_YEAR})\b(?![.,/]\d|\s*(?:%|percent|per\s+cent))",
        ),
        (
            "relunit",
            rf"\b(?:(?:earlier|later)\s+)?(?P<x>{_MOD}?(?P<rel>last|next|this|coming|past|previous|following)\s+"
            r"(?P<u>week|weekend|month|year|decade|century))\b",
        ),
        (
            "endof",
            r"\b(?P<x>(?:the\s+)?(?P<where>end|beginning|start|middle|turn)\s+of\s+(?:the\s+)?"
            r"(?:(?P<rel>this|last|next)\s+)?(?P<u>week|month|year|decade|century))\b",
        ),
        ("weekend", r"\bthe\s+weekend\b"),
        ("deictic", r"\b(?P<w>today|yesterday|tomorrow)\b"),
        ("deictic", r"\bthe\s+day\s+(?P<w>before\s+yesterday|after\s+tomorrow)\b"),
        ("deictictime", rf"\b(?P<w>yesterday|tomorrow|this|last)\s+(?P<part>{_PART})\b"),
        ("deictictime", r"\b(?P<w>tonight)\b"),
        (
            "weekday",
            rf"\b(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<wd>{_WD})s?(?:\s+(?P<part>{_PART}))?\b",
        ),
        ("holiday", rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<hol>{holidays})(?:\s+(?P<y>{_YEAR}))?\b"),
        (
            "anaphor",
            r"\b(?P<x>(?:(?P<el>earlier|later)\s+)?(?:that|the)\s+(?:very\s+|same\s+)?"
            rf"(?P<u>day|{_PART}|week|month|year))\b",
        ),
        (
            "anaphor",
            rf"\bthe\s+(?P<rel>next|following|previous|preceding)\s+(?P<u>day|{_PART}|week|weekend|month|year)\b",
        ),
        ("anaphor", rf"\bthe\s+(?P<u>day|night|{_PART})\s+(?P<dir>before|after)\b"),
        ("ago", rf"\b(?:{approx_ago}\s+)?(?P<n>{num})\s+(?P<u>{units})\s+ago\b"),
        ("agovague", rf"\b(?P<u>{unit}s)\s+ago\b"),
        (
            "duration",
            rf"\b(?:(?:the\s+)?(?P<rel>past|last|next|coming|previous|first|final|following)\s+)?"
            rf"(?:{approx_in}\s+)?(?P<n>{num})[\s-]+(?:more\s+|additional\s+|straight\s+|consecutive\s+)?"
            rf"(?P<u>{units})(?:-long)?\b(?!-old|-olds)",
        ),
        ("duration", rf"\b(?:(?:the\s+)?(?P<rel>past|last|previous|next|coming|first)\s+)(?P<u>{unit})\b"),
        ("vague", rf"\b(?:the\s+)?(?P<vr>recent|coming|past|last|next|following|ensuing)\s+(?P<u>{unit}s)\b"),
        ("vague", rf"\b(?P<u>{unit}s?)-long\b"),
        ("vague", rf"\b(?:for|over|within|throughout)\s+(?P<x>(?P<u>{unit}s))\b"),
        (
            "vague",
            rf"\b(?:in|during|for)\s+the\s+(?P<x>(?P<u>{unit}s))\s+(?=before|after|since|that|ahead|leading|following)",
        ),
        ("set", rf"\b(?P<w>{_alt(lx.sets)})\b"),
        ("set", rf"\bon\s+(?P<x>(?P<u>{_WD})s)\b"),
        ("set", rf"\b(?:every|each)\s+(?:(?P<n>other|{num})\s+)?(?P<u>{units}|{_WD}|{_PART}|weekend)\b"),
        (
            "set",
            rf"\b(?P<f>once|twice|thrice|(?:{num})\s+times)\s+(?:a|an|per|every|each)\s+(?P<u>{unit}|{_WD})\b",
        ),
        ("ref", rf"\b(?P<present>{_alt(lx.present_ref)})\b"),
        ("ref", rf"\b(?P<past>{_alt(lx.past_ref)})\b"),
        ("ref", rf"\b(?P<future>{_alt(lx.future_ref)})\b"),
        (
            "clock",
            r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap]\.m\b\.?|[ap]m\b)"
            r"(?:\s+(?P<tz>(?:[ECMP][SD]T|GMT|UTC)\b|local\s+time))?"
            rf"(?:,?\s+(?P<wd>{_WD})(?:\s+(?P<part>{_PART}))?\b)?",
        ),
        ("clock", r"\b(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\s*(?P<tz>GMT|UTC|local\s+time)\b"),
        (
            "clock",
            r"\b(?P<hw>[01]?\d|"
            + _alt(k for k, v in lx.numbers.items() if 1 <= v <= 12 and " " not in k and k not in ("a", "an"))
            + r")\s+(?:o'clock|in\s+the\s+(?P<ipart>morning|afternoon|evening))\b",
        ),
        ("clockword", rf"\b(?P<w>{_alt(lx.clock_words)})\b"),
        ("overnight", r"\bovernight\b"),
        (
            "dawn",
            rf"\b(?:at|before|after|until|till|since|by|around|near|from)\s+(?P<x>(?P<w>{_alt(lx.vague_times)}))\b",
        ),
    ]
    return [Rule(name, re.compile(p, re.I)) for name, p in rules]


@functools.lru_cache(maxsize=1)
def grammar() -> list[Rule]:
    return _grammar()


# --- finding -----------------------------------------------------------------------------


@dataclass
class _Cand:
    start: int
    end: int
    rule: str
    match: re.Match[str]
    order: int


def _extent(m: re.Match[str]) -> tuple[int, int]:
    if "x" in m.re.groupindex and m.group("x") is not None:
        s, e = m.span("x")
    else:
        s, e = m.span()
    text = m.string
    if (
        text[e - 1 : e] == "."
        and re.match(r"\s+[a-z]|\s*$", text[e : e + 12])
        and re.search(r"[ap]\.m\.$", text[s:e], re.I)
    ):
        e -= 1  # "at 10 p.m. as he stood": the last full stop of "p.m." belongs to the sentence
    return s, e


def find_timexes(text: str, dct: date | None, doc: Doc | None = None) -> list[Timex]:
    """Every temporal expression, non-overlapping, in text order, resolved against ``dct``
    (the document creation time). Without a ``dct``, a full date in the head of the text
    ("Sun 16 Apr 2017 ...") stands for it; with neither, relative values stay ``None``."""
    cands: list[_Cand] = []
    for order, rule in enumerate(grammar()):
        for m in rule.regex.finditer(text):
            s, e = _extent(m)
            if e > s and _plausible(rule.name, m, text, doc):
                cands.append(_Cand(s, e, rule.name, m, order))
    cands.sort(key=lambda c: (-(c.match.end() - c.match.start()), c.order, c.start))
    chosen: list[_Cand] = []
    for c in cands:
        if not any(c.start < o.end and o.start < c.end for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    if dct is None:
        dct = _head_date(chosen)
    ctx = _Context(text, dct, doc)
    out: list[Timex] = []
    for c in chosen:
        resolved = RESOLVERS[c.rule](c.match, ctx)
        if resolved is None:
            continue
        kind, value, mod = resolved
        signal = SIGNAL.search(text, max(0, c.start - 20), c.start)
        tx = Timex(
            c.start,
            c.end,
            text[c.start : c.end],
            kind,
            value,
            mod,
            signal.group(1).lower() if signal else None,
        )
        out.append(tx)
        if kind == "DATE" and value and re.match(r"^\d{4}", value):
            ctx.ref = value
    return _anchor_times(out, text, dct)


def _head_date(chosen: list[_Cand]) -> date | None:
    for c in chosen:
        if c.start > 300:
            break
        if c.rule in ("iso", "full"):
            d = _ymd(c.match)
            if d is not None:
                return d
    return None


def _plausible(rule: str, m: re.Match[str], text: str, doc: Doc | None) -> bool:
    """Case and part of speech say whether a word is a date here ("May" the month or the verb)."""
    groups = m.groupdict()
    for key in ("mon", "wd", "hol"):
        word = groups.get(key)
        if word and not word[0].isupper():
            return False
    mon = (groups.get("mon") or "").lower()
    before = text[max(0, m.start() - 14) : m.start()].lower()
    if rule == "month" and mon in ("may", "march"):
        tok = _token_at(doc, m.start("mon"))
        if tok is not None and (tok.tag_ == "MD" or tok.pos_ == "VERB"):
            return False
        context = (
            groups.get("mod")
            or groups.get("rel")
            or re.search(
                r"\b(?:in|since|until|till|by|of|during|through|from|to|before|after|between|and|early|late|mid|last|next|this)\s*-?$",
                before,
            )
        )
        if mon == "may" and not context:
            return False
        if not context and re.match(r"\s+(?:for|of|on|to|against|through)\b", text[m.end() : m.end() + 10]):
            return False  # "the March for Life", "a march on the capital"
        if tok is None and not context:
            return False
    if rule == "year":
        return _year_plausible(m, text, doc)
    if rule == "season" and not (groups.get("rel") or groups.get("y") or groups.get("mod")):
        # "in the spring", "by winter"; not "the Arab Spring" or "a spring offensive"
        return bool(
            re.search(r"\b(?:in|during|by|until|till|since|over|through|throughout|before|after)\s+$", before)
        )
    if rule == "ref":
        word = m.group(0).lower()
        if word == "current" and re.match(
            r"\s+(?:account|affairs|events)\b", text[m.end() : m.end() + 10].lower()
        ):
            return False
        if word in ("present", "presently"):
            return True
    if rule in ("duration", "vague"):
        n = (groups.get("n") or "").lower()
        u = (groups.get("u") or "").lower()
        if n in ("a", "an") and re.search(r"\b(?:once|twice|times)\s*$", before):
            return False
        if u.startswith("second") and n in ("a", "an", "one", ""):
            return False  # "a second attack"
        if u.startswith("night") and not n:
            return False
    if rule == "anaphor":
        u = (groups.get("u") or "").lower()
        el = groups.get("el")
        lead = m.group(0).lower()
        bare = lead.startswith("the ") and not groups.get("rel") and not groups.get("dir") and not el
        if bare and not re.match(r"the\s+(?:very\s+)?same\b", lead):
            return False  # "the day" alone is not anaphoric enough
        if u in ("week", "month", "year") and lead.startswith("the ") and groups.get("dir"):
            return False
    if rule == "clockword" and (
        m.group(0)[0].isupper()
        and not re.search(r"(?:^|[.!?\n]\W*)$", text[max(0, m.start() - 3) : m.start()])
        or re.search(r"\bhigh\s+$", before)
    ):
        return False  # "High Noon"
    generic = r"'s\s+(?:youth|world|society|generation|children|young)\b"
    # "today's youth": the present in general, not a day
    return not (
        rule == "deictic"
        and m.group("w").lower() == "today"
        and re.match(generic, text[m.end() : m.end() + 20].lower())
    )


def _year_plausible(m: re.Match[str], text: str, doc: Doc | None) -> bool:
    """A bare four-digit number is a year unless it counts something ("1500 people")."""
    y = int(m.group("y"))
    before = text[max(0, m.start() - 20) : m.start()]
    after = text[m.end() : m.end() + 20]
    if re.search(
        r"(?:No\.|number|flight|route|room|highway|resolution|model|page|article|code|\$|US\$|#)\s*$",
        before,
        re.I,
    ):
        return False
    if re.match(r"\s*(?:-|to|and)\s*\d{1,3}\b(?!\d)", after) and not re.match(
        r"\s*(?:-|to)\s*\d{2}\b", after
    ):
        return False
    tok = _token_at(doc, m.start("y"))
    nxt = tok.nbor(1) if tok is not None and tok.i + 1 < len(tok.doc) else None
    determined = re.search(r"\b(?:the|its|their|his|her|a|an|'s|’s)\s*$", before, re.I)
    governed = re.search(r"\b(?:in|since|until|of|from|by|during)\s*$", before, re.I)
    if nxt is not None and nxt.tag_ == "NNS" and not determined and not governed:
        return False  # "1500 troops"
    if tok is None and re.match(
        r"\s+(?:people|men|women|children|troops|soldiers|fighters|civilians|dead|killed)\b", after, re.I
    ):
        return False
    return 1600 <= y <= 2099


def _token_at(doc: Doc | None, char: int) -> Token | None:
    if doc is None:
        return None
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# --- resolving ---------------------------------------------------------------------------


class _Context:
    def __init__(self, text: str, dct: date | None, doc: Doc | None) -> None:
        self.text = text
        self.dct = dct
        self.doc = doc
        self.ref: str | None = None

    def direction(self, m: re.Match[str]) -> str | None:
        """'future', 'past' or None: where the expression's governing verb points."""
        return tense(self.text, m.start(), m.end(), self.doc)

    def ref_day(self) -> date | None:
        if self.ref and re.match(r"^\d{4}-\d\d-\d\d", self.ref):
            return date.fromisoformat(self.ref[:10])
        return self.dct


Resolved = tuple[str, str | None, str | None]


def tense(text: str, start: int, end: int, doc: Doc | None) -> str | None:
    """The direction in time the clause around text[start:end] points: 'future' for "will",
    "is expected to", "as soon as", "until"; 'past' for "since" and a past-tense verb; else None."""
    lx = lexicon()
    left = text[max(0, start - 30) : start].lower()
    signal = None
    if re.search(r"\b" + _alt(lx.future_signals) + r"\s+(?:on\s+|at\s+|in\s+)?$", left):
        signal = "future"
    elif re.search(r"\b" + _alt(lx.past_signals) + r"\s+(?:\w+\s+){0,2}(?:the\s+)?$", left):
        return "past"
    if doc is None:
        window = text[max(0, start - 80) : start].lower()
        if signal or re.search(r"\b(?:will|'ll|shall|going\s+to|expected\s+to|scheduled|due\s+to)\b", window):
            return "future"
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return signal
    verb = span.root
    if verb.dep_ in ("compound", "nmod", "amod", "poss") and verb.head.pos_ in ("NOUN", "PROPN"):
        return signal  # "the Jan. 14 deadline": a noun's date, not the verb's
    steps = 0
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb and steps < 6:
        verb = verb.head
        steps += 1
    if verb.pos_ not in ("VERB", "AUX"):
        return signal
    verb_tense = _verb_tense(verb, lx)
    if signal == "future" and verb_tense == "perfect":
        return "past"  # "until Thursday, they had not called him"
    if signal:
        return signal
    return "past" if verb_tense == "perfect" else verb_tense


def _verb_tense(verb: Token, lx: Lexicon) -> str | None:
    """'future', 'past', 'perfect' (had done), or None (the present, modals). The simple
    present is no sign of the future ("the curfew starts Tuesday"): the tagger takes too
    many plural nouns for verbs ("regime airstrikes on Saturday")."""
    for _ in range(3):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        lowers = {a.lower_ for a in auxes}
        if lowers & {"will", "'ll", "shall", "wo", "would"} or ("going" in lowers and "to" in lowers):
            return "future"
        if any(a.tag_ == "MD" for a in auxes):
            return None
        present = verb.tag_ in ("VBZ", "VBP", "VB", "VBG") and not any(a.tag_ == "VBD" for a in auxes)
        if verb.lemma_ in lx.future_verbs and (present or any(a.tag_ in ("VBZ", "VBP") for a in auxes)):
            return "future"  # "is expected", "plans to", "is scheduled for"
        if "to" in lowers and verb.dep_ in ("xcomp", "advcl", "acl"):
            head = verb.head
            if head.lemma_ in lx.future_heads or head.lemma_ in lx.future_verbs:
                return "future"
            verb = head
            continue
        if verb.tag_ == "VBN" and any(a.lemma_ == "have" and a.tag_ == "VBD" for a in auxes):
            return "perfect"
        if verb.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
            return None  # "has invited them to a ceremony on March 12": the present perfect says nothing
        if verb.tag_ == "VBD":
            return "past"
        if verb.tag_ == "VBN":
            if any(a.tag_ == "VBD" for a in auxes) or not auxes:
                return "past"
            return None  # "is heard in May"
        if verb.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
            return "future"  # "is meeting on Tuesday"
        if verb.tag_ == "VBG" and any(a.tag_ == "VBD" for a in auxes):
            return "past"
        return None
    return None


def _ymd(m: re.Match[str]) -> date | None:
    try:
        return date(
            int(m.group("y")),
            _month(m.group("mon") if "mon" in m.re.groupindex else None) or int(m.group("m")),
            int(m.group("d")),
        )
    except (ValueError, TypeError, IndexError):
        return None


def _month(word: str | None) -> int | None:
    if not word:
        return None
    low = word.lower().rstrip(".")[:3]
    for i, name in enumerate(MONTHS, 1):
        if name[:3] == low:
            return i
    return None


def _mod(m: re.Match[str]) -> str | None:
    word = (m.groupdict().get("mod") or "").lower()
    return {"early": "START", "late": "END", "mid": "MID"}.get(word)


def _pick_year(month: int, day: int | None, dct: date, direction: str | None) -> int:
    """The year of a month (and day) named without one: the occurrence the tense of the
    verb points to ("killed on 20 December" in June is last December's, "will meet in
    January" in November next January's), else the one nearest the creation time. News
    gives the year of a date ten months or more away, so the tense never reaches that far."""
    options = []
    for year in (dct.year - 1, dct.year, dct.year + 1):
        if day is None:
            delta = float((year * 12 + month) - (dct.year * 12 + dct.month)) * 30.4
        else:
            try:
                delta = float((date(year, month, day) - dct).days)
            except ValueError:
                continue
        options.append((delta, year))
    pool = [o for o in options if abs(o[0]) < 300]
    if direction == "past":
        pool = [o for o in pool if o[0] <= (0 if day is None else 1)] or pool
    elif direction == "future":
        pool = [o for o in pool if o[0] >= 0] or pool
    return min(pool or options, key=lambda o: (abs(o[0]), o[0] > 0))[1]


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _shift_month(d: date, months: int) -> tuple[int, int]:
    n = d.year * 12 + d.month - 1 + months
    return n // 12, n % 12 + 1


def _unit_code(unit: str) -> str:
    lx = lexicon()
    u = unit.lower()
    u = lx.plural_units.get(u, u)
    if u not in lx.units and u.endswith("s"):
        u = u[:-1]
    return lx.units.get(u, "D")


def _number(word: str) -> float | None:
    """A count in words or digits; None when vague ("several", "a few")."""
    lx = lexicon()
    w = re.sub(r"\s+", " ", word.lower().strip())
    half = 0.0
    if w.endswith(" and a half"):
        w, half = w[: -len(" and a half")], 0.5
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?: (\d)/(\d))?", w)
    if m:
        return float(m.group(1)) + (int(m.group(2)) / int(m.group(3)) if m.group(2) else 0) + half
    m = re.fullmatch(r"(\d)/(\d)", w)
    if m:
        return int(m.group(1)) / int(m.group(2))
    parts = re.split(r"[\s-]", w)
    if len(parts) == 2 and parts[0] in lx.numbers and parts[1] in lx.numbers and lx.numbers[parts[0]] >= 20:
        return lx.numbers[parts[0]] + lx.numbers[parts[1]] + half
    if w in lx.numbers:
        return lx.numbers[w] + half
    return None


def _period(n: float | None, unit: str) -> str:
    """ISO 8601 duration: P3D, PT2H, P1.5Y -> P18M, PT5H30M, PXY."""
    code = _unit_code(unit)
    t = code.startswith("T")
    letter = code[-1]
    mult = int(code[1:-1] if t else code[:-1] or 1) if (code[1:-1] if t else code[:-1]) else 1
    if n is None:
        return ("PT" if t else "P") + "X" + letter
    n = n * mult
    if n == int(n):
        return ("PT" if t else "P") + f"{int(n)}{letter}"
    smaller = {
        "H": ("M", 60, True),
        "D": ("H", 24, True),
        "Y": ("M", 12, False),
        "W": ("D", 7, False),
        "M": ("D", 30, False),
    }
    if letter in smaller:
        sub, k, sub_t = smaller[letter]
        whole, rest = int(n), round((n - int(n)) * k)
        if letter == "H":
            return f"PT{whole}H{rest}M" if whole else f"PT{rest}M"
        if sub_t:
            return f"P{whole}DT{rest}H" if whole else f"PT{rest}H"
        return f"P{round(n * k)}{sub}"
    return ("PT" if t else "P") + f"{n:g}{letter}"


def _r_full(m: re.Match[str], ctx: _Context) -> Resolved | None:
    d = _ymd(m)
    return ("DATE", d.isoformat(), None) if d else None


def _r_weekof(m: re.Match[str], ctx: _Context) -> Resolved | None:
    month, day = _month(m.group("mon")), int(m.group("d"))
    if ctx.dct is None or month is None:
        return ("DATE", None, None)
    try:
        return ("DATE", _week(date(_pick_year(month, day, ctx.dct, ctx.direction(m)), month, day)), None)
    except ValueError:
        return None


def _r_monthday(m: re.Match[str], ctx: _Context) -> Resolved | None:
    month, day = _month(m.group("mon")), int(m.group("d"))
    if month is None:
        return None
    if ctx.dct is None:
        return ("DATE", None, None)
    year = _pick_year(month, day, ctx.dct, ctx.direction(m))
    try:
        return ("DATE", date(year, month, day).isoformat(), None)
    except ValueError:
        return None


def _r_isomonth(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("DATE", f"{m.group('y')}-{m.group('m')}", None)


def _r_monthyear(m: re.Match[str], ctx: _Context) -> Resolved | None:
    month = _month(m.group("mon"))
    if "yrel" in m.re.groupindex:
        if ctx.dct is None:
            return ("DATE", None, _mod(m))
        year = ctx.dct.year + {"last": -1, "next": 1}.get(m.group("yrel").lower(), 0)
    else:
        year = int(m.group("y"))
    return ("DATE", f"{year:04d}-{month:02d}", _mod(m))


def _r_month(m: re.Match[str], ctx: _Context) -> Resolved | None:
    month = _month(m.group("mon"))
    if month is None:
        return None
    if ctx.dct is None:
        return ("DATE", None, _mod(m))
    rel = (m.group("rel") or "").lower()
    d = ctx.dct
    if rel in ("last", "past"):
        year = d.year if month < d.month else d.year - 1
    elif rel in ("next", "coming"):
        year = d.year if month > d.month else d.year + 1
    elif rel == "this":
        year = d.year
    else:
        year = _pick_year(month, None, d, ctx.direction(m))
    return ("DATE", f"{year:04d}-{month:02d}", _mod(m))


def _season_year(code: str, rel: str, dct: date, direction: str | None, mod: str | None = None) -> int:
    """The year of a season named without one; a winter is the year of its December. In
    the past, the part named must have begun: "late summer" in June is last year's."""
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
    now_code = next(k for k, ms in lexicon().season_months.items() if dct.month in ms)
    now_year = dct.year - 1 if now_code == "WI" and dct.month < 3 else dct.year
    now = now_year * 12 + start[now_code]
    instances = [(y * 12 + start[code], y) for y in (dct.year - 2, dct.year - 1, dct.year, dct.year + 1)]
    if rel in ("last", "past"):
        return max(i for i in instances if i[0] < now)[1]
    if rel in ("next", "coming"):
        return min(i for i in instances if i[0] > now)[1]
    if direction == "past" and rel != "this":
        offset = {"MID": 1, "END": 2}.get(mod or "", 0)
        today = dct.year * 12 + dct.month
        return max(i for i in instances if i[0] <= now and i[0] + offset <= today)[1]
    if direction == "future":
        return min(i for i in instances if i[0] >= now)[1]
    return min(instances, key=lambda i: (abs(i[0] - now), i[0] > now))[1]


def _r_season(m: re.Match[str], ctx: _Context) -> Resolved | None:
    code = lexicon().seasons[m.group("s").lower()]
    if m.group("y"):
        return ("DATE", f"{m.group('y')}-{code}", _mod(m))
    if ctx.dct is None:
        return ("DATE", None, _mod(m))
    year = _season_year(code, (m.group("rel") or "").lower(), ctx.dct, ctx.direction(m), _mod(m))
    return ("DATE", f"{year}-{code}", _mod(m))


def _rel_year(m: re.Match[str], ctx: _Context) -> int | None:
    if m.groupdict().get("y"):
        return int(m.group("y"))
    if ctx.dct is None:
        return None
    rel = (m.groupdict().get("rel") or "").lower()
    return ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0)


def _r_quarter(m: re.Match[str], ctx: _Context) -> Resolved | None:
    groups = m.groupdict()
    if groups.get("n"):
        q = int(groups["n"])
    else:
        word = groups["ord"].lower()
        q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}.get(
            word, 4
        )
        if word == "last" and not groups.get("y") and not groups.get("rel") and ctx.dct is not None:
            cur = (ctx.dct.month - 1) // 3 + 1  # "the last quarter": the one before this
            year = ctx.dct.year if cur > 1 else ctx.dct.year - 1
            return ("DATE", f"{year}-Q{cur - 1 if cur > 1 else 4}", None)
    named = _rel_year(m, ctx)
    if named is None:
        return ("DATE", None, None)
    year = named
    if not groups.get("y") and not groups.get("rel") and ctx.dct is not None:
        cur = (ctx.dct.month - 1) // 3 + 1
        if q > cur and ctx.direction(m) == "past":
            year -= 1
    return ("DATE", f"{year}-Q{q}", None)


def _r_half(m: re.Match[str], ctx: _Context) -> Resolved | None:
    year = _rel_year(m, ctx)
    half = 1 if m.group("ord").lower() == "first" else 2
    return ("DATE", f"{year}-H{half}" if year else None, None)


def _r_fiscal(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("DATE", m.group("y") or m.group("y2"), None)


def _r_decade(m: re.Match[str], ctx: _Context) -> Resolved | None:
    if m.groupdict().get("dec"):
        return ("DATE", m.group("dec") + "X", _mod(m))
    return ("DATE", "19" + m.group("dec2") + "X", _mod(m))


def _r_year(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("DATE", m.group("y"), _mod(m))


def _r_relunit(m: re.Match[str], ctx: _Context) -> Resolved | None:
    rel, unit = m.group("rel").lower(), m.group("u").lower()
    if ctx.dct is None:
        return ("DATE", None, _mod(m))
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(rel, 0)
    d = ctx.dct
    if unit in ("week", "weekend"):
        value = _week(d + timedelta(weeks=step)) + ("-WE" if unit == "weekend" else "")
    elif unit == "month":
        y, mo = _shift_month(d, step)
        value = f"{y:04d}-{mo:02d}"
    elif unit == "year":
        value = str(d.year + step)
    elif unit == "decade":
        value = str(d.year // 10 + step)
    else:
        value = str((d.year - 1) // 100 + 1 + step - 1)
    return ("DATE", value, _mod(m))


def _r_endof(m: re.Match[str], ctx: _Context) -> Resolved | None:
    where = m.group("where").lower()
    mod = {"end": "END", "beginning": "START", "start": "START", "middle": "MID", "turn": "START"}[where]
    unit = m.group("u").lower()
    if ctx.dct is None:
        return ("DATE", None, mod)
    rel = (m.group("rel") or "").lower()
    step = {"last": -1, "next": 1}.get(rel, 0)
    d = ctx.dct
    if unit == "week":
        value = _week(d + timedelta(weeks=step))
    elif unit == "month":
        y, mo = _shift_month(d, step)
        value = f"{y:04d}-{mo:02d}"
    elif unit == "year":
        value = str(d.year + step)
    elif unit == "decade":
        value = str(d.year // 10 + step)
    else:
        value = str((d.year - 1) // 100 + step)
    return ("DATE", value, mod)


def _r_weekend(m: re.Match[str], ctx: _Context) -> Resolved | None:
    if ctx.dct is None:
        return ("DATE", None, None)
    d = ctx.dct
    if ctx.direction(m) == "future":
        d = d + timedelta(days=(5 - d.weekday()) % 7)
    elif d.weekday() < 5:
        d = d - timedelta(days=d.weekday() + 1)  # the weekend just gone
    return ("DATE", _week(d) + "-WE", None)


def _r_deictic(m: re.Match[str], ctx: _Context) -> Resolved | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    days = {"today": 0, "yesterday": -1, "tomorrow": 1, "before yesterday": -2, "after tomorrow": 2}[w]
    if ctx.dct is None:
        return ("DATE", None, None)
    return ("DATE", (ctx.dct + timedelta(days=days)).isoformat(), None)


def _r_deictictime(m: re.Match[str], ctx: _Context) -> Resolved | None:
    w = m.group("w").lower()
    if w == "tonight":
        days, part = 0, "NI"
    else:
        part = lexicon().parts_of_day[m.group("part").lower()]
        days = {"yesterday": -1, "tomorrow": 1, "this": 0, "last": -1}[w]
    if ctx.dct is None:
        return ("TIME", None, None)
    return ("TIME", f"{(ctx.dct + timedelta(days=days)).isoformat()}T{part}", None)


def _weekday_date(wd: int, rel: str, dct: date, direction: str | None) -> date:
    back = (dct.weekday() - wd) % 7
    if rel == "last" or rel == "past":
        return dct - timedelta(days=back or 7)
    if rel in ("next", "coming"):
        return dct + timedelta(days=(wd - dct.weekday()) % 7 or 7)
    if rel == "this":
        return dct + timedelta(days=wd - dct.weekday())
    if direction == "future":
        return dct + timedelta(days=(wd - dct.weekday()) % 7)
    return dct - timedelta(days=back)


def _r_weekday(m: re.Match[str], ctx: _Context) -> Resolved | None:
    wd = WEEKDAYS.index(m.group("wd").lower())
    part = m.groupdict().get("part")
    suffix = "T" + lexicon().parts_of_day[part.lower()] if part else ""
    if ctx.dct is None:
        return ("DATE", f"XXXX-WXX-{wd + 1}", None)
    d = _weekday_date(wd, (m.group("rel") or "").lower(), ctx.dct, ctx.direction(m))
    return ("DATE", d.isoformat() + suffix, None)


def _hijri(year: int, month: int, day: int) -> date:
    """A day of the tabular Islamic calendar in the Gregorian one (within a day of the
    sighting that fixes it in practice)."""
    jdn = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439
    return date.fromordinal(jdn - 1721425)


def _holiday_dates(name: str, around: date) -> list[date]:
    """Every date of a holiday from a year before ``around`` to a year after it."""
    lx = lexicon()
    if name in lx.islamic_holidays or name in lx.islamic_months:
        month, day = lx.islamic_holidays.get(name) or (lx.islamic_months[name], 15)
        first = round((around.year - 622) * 33 / 32)
        found = [_hijri(h, month, day) for h in range(first - 2, first + 3)]
        return [d for d in found if abs((d - around).days) <= 400]
    fixed = [_holiday_date(name, y) for y in (around.year - 1, around.year, around.year + 1)]
    return [d for d in fixed if d is not None]


def _holiday_date(name: str, year: int) -> date | None:
    lx = lexicon()
    if name in lx.fixed_holidays:
        mo, day = lx.fixed_holidays[name]
        return date(year, mo, day)
    if name in lx.easter_holidays:
        return easter(year) + timedelta(days=lx.easter_holidays[name])
    if name in lx.weekday_holidays:
        rule = lx.weekday_holidays[name]
        mo, wd, nth = rule[:3]
        offset = rule[3] if len(rule) > 3 else 0
        first = date(year, mo, 1)
        if nth > 0:
            d = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
        else:
            nxt = date(year + (mo == 12), mo % 12 + 1, 1)
            last = nxt - timedelta(days=1)
            d = last - timedelta(days=(last.weekday() - wd) % 7)
        return d + timedelta(days=offset)
    return None


def _r_holiday(m: re.Match[str], ctx: _Context) -> Resolved | None:
    name = re.sub(r"\s+", " ", m.group("hol").lower()).replace("’", "'")
    month_long = name in lexicon().islamic_months  # "Ramadan": the Gregorian month of its middle
    if m.group("y"):
        year = int(m.group("y"))
        named = [d for d in _holiday_dates(name, date(year, 7, 1)) if d.year == year]
        if not named:
            return ("DATE", None, None)
        return ("DATE", named[0].strftime("%Y-%m") if month_long else named[0].isoformat(), None)
    if ctx.dct is None:
        return ("DATE", None, None)
    rel = (m.group("rel") or "").lower()
    direction = {"last": "past", "next": "future"}.get(rel) or ctx.direction(m)
    reach = 15 if month_long else 0  # a month in progress is this one, past or future
    dated = [(d, (d - ctx.dct).days) for d in _holiday_dates(name, ctx.dct)]
    if not dated:
        return ("DATE", None, None)
    if direction == "past":
        dated = [x for x in dated if x[1] - reach <= 0] or dated
        pick = max(dated, key=lambda x: x[1])
    elif direction == "future":
        dated = [x for x in dated if x[1] + reach >= 0] or dated
        pick = min(dated, key=lambda x: x[1])
    else:
        pick = min(dated, key=lambda x: (abs(x[1]), x[1] > 0))
    return ("DATE", pick[0].strftime("%Y-%m") if month_long else pick[0].isoformat(), None)


def _r_anaphor(m: re.Match[str], ctx: _Context) -> Resolved | None:
    groups = m.groupdict()
    unit = groups["u"].lower()
    step = 0
    if groups.get("rel"):
        step = -1 if groups["rel"].lower() in ("previous", "preceding") else 1
    if groups.get("dir"):
        step = -1 if groups["dir"].lower() == "before" else 1
    ref = ctx.ref or (ctx.dct.isoformat() if ctx.dct else None)
    if ref is None:
        return ("DATE", None, None)
    part = lexicon().parts_of_day.get(unit)
    if (
        (unit in ("day", "night") or part)
        and step == 0
        and ctx.ref
        and not re.match(r"^\d{4}-\d\d-\d\d", ctx.ref)
    ):
        # "that same day" after "last October": a day of that month, not the creation day
        if re.fullmatch(r"\d{4}-\d\d", ctx.ref):
            return ("DATE", ctx.ref + "-XX", None)
        if re.fullmatch(r"\d{4}", ctx.ref):
            return ("DATE", ctx.ref + "-XX-XX", None)
    if unit in ("day", "night") or part:
        day = ctx.ref_day()
        if day is None:
            return ("DATE", None, None)
        value = (day + timedelta(days=step)).isoformat()
        if part and unit != "day":
            value += "T" + part
        return ("DATE", value, None)
    if unit in ("week", "weekend"):
        day = ctx.ref_day()
        if day is None:
            return ("DATE", None, None)
        return ("DATE", _week(day + timedelta(weeks=step)) + ("-WE" if unit == "weekend" else ""), None)
    if unit == "month":
        if re.match(r"^\d{4}-\d\d", ref):
            y, mo = _shift_month(date(int(ref[:4]), int(ref[5:7]), 1), step)
            return ("DATE", f"{y:04d}-{mo:02d}", None)
        return ("DATE", None, None)
    if re.match(r"^\d{4}", ref):
        return ("DATE", str(int(ref[:4]) + step), None)
    return ("DATE", None, None)


def _r_ago(m: re.Match[str], ctx: _Context) -> Resolved | None:
    n = _number(m.group("n"))
    unit = m.group("u").lower()
    code = _unit_code(unit)
    if n is None or ctx.dct is None:
        return ("DATE", "PAST_REF" if n is None else None, None)
    d = ctx.dct
    letter, mult = code[-1], int(code.lstrip("T")[:-1] or 1)
    k = n * mult
    if code.startswith("T"):
        return ("DATE", d.isoformat(), None)
    if letter == "D":
        return ("DATE", (d - timedelta(days=k)).isoformat(), None)
    if letter == "W":
        return ("DATE", _week(d - timedelta(weeks=k)), None)
    if letter == "M":
        y, mo = _shift_month(d, -int(k))
        return ("DATE", f"{y:04d}-{mo:02d}", None)
    return ("DATE", str(d.year - int(k)), None)


def _r_agovague(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("DATE", "PAST_REF", None)


def _r_duration(m: re.Match[str], ctx: _Context) -> Resolved | None:
    groups = m.groupdict()
    n = _number(groups["n"]) if groups.get("n") else 1.0
    return ("DURATION", _period(n, groups["u"]), None)


def _r_vague(m: re.Match[str], ctx: _Context) -> Resolved | None:
    unit = re.sub(r"-long$", "", m.group("u").lower())
    if not m.groupdict().get("vr") and not unit.endswith("s"):
        return ("DURATION", _period(1, unit), None)  # "day-long"
    return ("DURATION", _period(None, unit), None)


def _r_set(m: re.Match[str], ctx: _Context) -> Resolved | None:
    groups = m.groupdict()
    if groups.get("w"):
        return ("SET", lexicon().sets[groups["w"].lower()], None)
    u = groups["u"].lower()
    if u.rstrip("s") in WEEKDAYS:
        return ("SET", f"XXXX-WXX-{WEEKDAYS.index(u.rstrip('s')) + 1}", None)
    if u in lexicon().parts_of_day:
        return ("SET", "T" + lexicon().parts_of_day[u], None)
    if u == "weekend":
        return ("SET", "XXXX-WXX-WE", None)
    n: float | None = 1.0
    if groups.get("n"):
        n = 2.0 if groups["n"].lower() == "other" else _number(groups["n"])
    return ("SET", _period(n, u), None)


def _r_ref(m: re.Match[str], ctx: _Context) -> Resolved | None:
    groups = m.groupdict()
    if groups.get("present"):
        return ("DATE", "PRESENT_REF", None)
    if groups.get("past"):
        return ("DATE", "PAST_REF", None)
    return ("DATE", "FUTURE_REF", None)


def _r_clock(m: re.Match[str], ctx: _Context) -> Resolved | None:
    groups = m.groupdict()
    if groups.get("hw"):
        n = _number(groups["hw"])
        hour = int(n or 0)
        ampm = "pm" if (groups.get("ipart") or "").lower() in ("afternoon", "evening") else "am"
        minute = 0
    else:
        hour, minute = int(groups["h"]), int(groups.get("mi") or 0)
        ampm = (groups.get("ap") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    hhmm = f"T{hour:02d}:{minute:02d}"
    if groups.get("wd") and ctx.dct is not None:
        wd = WEEKDAYS.index(groups["wd"].lower())
        return (
            "TIME",
            _weekday_date(wd, "", ctx.dct, ctx.direction(m)).isoformat() + hhmm,
            None,
        )
    return ("TIME", hhmm, None)  # the day comes from its neighbours (_anchor_times)


def _r_clockword(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("TIME", "T" + lexicon().clock_words[m.group("w").lower()], None)


def _r_overnight(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("TIME", "TNI", None)  # the night of a day named beside it, else the night before the report


def _r_dawn(m: re.Match[str], ctx: _Context) -> Resolved | None:
    return ("TIME", "T" + lexicon().vague_times[m.group("w").lower()], None)


RESOLVERS: dict[str, Callable[[re.Match[str], _Context], Resolved | None]] = {
    "iso": _r_full,
    "full": _r_full,
    "weekof": _r_weekof,
    "monthday": _r_monthday,
    "monthyear": _r_monthyear,
    "isomonth": _r_isomonth,
    "month": _r_month,
    "season": _r_season,
    "quarter": _r_quarter,
    "half": _r_half,
    "fiscal": _r_fiscal,
    "decade": _r_decade,
    "yearmod": _r_year,
    "year": _r_year,
    "relunit": _r_relunit,
    "endof": _r_endof,
    "weekend": _r_weekend,
    "deictic": _r_deictic,
    "deictictime": _r_deictictime,
    "weekday": _r_weekday,
    "holiday": _r_holiday,
    "anaphor": _r_anaphor,
    "ago": _r_ago,
    "agovague": _r_agovague,
    "duration": _r_duration,
    "vague": _r_vague,
    "set": _r_set,
    "ref": _r_ref,
    "clock": _r_clock,
    "clockword": _r_clockword,
    "dawn": _r_dawn,
    "overnight": _r_overnight,
}


def _anchor_times(found: list[Timex], text: str, dct: date | None) -> list[Timex]:
    """A clock time with no day of its own ("at 10 p.m.") takes the day named next to it
    in its sentence, else the last day mentioned before it ("overnight": the night before
    the report)."""
    out: list[Timex] = []
    last_day = dct.isoformat() if dct else None
    for i, tx in enumerate(found):
        if tx.value and tx.value.startswith("T") and tx.type == "TIME":
            day = None
            for other in found[i + 1 : i + 3] + found[max(0, i - 2) : i][::-1]:
                gap = text[min(tx.end, other.end) : max(tx.start, other.start)].lstrip(".")
                if other.precision == "day" and len(gap) < 40 and not re.search(r"[.!?]\s", gap):
                    day = other.value[:10] if other.value else None
                    break
            if day is None and tx.text.lower() == "overnight" and dct is not None:
                day = (dct - timedelta(days=1)).isoformat()
            day = day or last_day
            tx = Timex(
                tx.start, tx.end, tx.text, tx.type, (day + tx.value) if day else None, tx.mod, tx.signal
            )
        elif tx.precision == "day" and tx.value:
            last_day = tx.value[:10]
        out.append(tx)
    return out
