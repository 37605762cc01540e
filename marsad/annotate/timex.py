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
import re
import re._constants as re_constants
import re._parser as re_parser
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Doc, Token

from marsad.annotate.dates import MONTHS
from marsad.annotate.timex_lexicon import alt, lexicon
from marsad.annotate.timex_values import RESOLVERS, Context, numeric_date, ymd

TYPES = ("DATE", "TIME", "DURATION", "SET")


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
    rule: str | None = None  # the grammar rule that found it ("weekday", "ago", "duration"...)

    @property
    def precision(self) -> str | None:
        """The calendar granularity of a DATE or TIME value (day, week, month, quarter, season,
        year, decade, century); None for durations, sets and references."""
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
        if re.match(r"^\d\dXX$", v):
            return "century"
        return None


# --- the grammar -------------------------------------------------------------------------

_MON_FULL = alt(MONTHS)
_MON = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_WDA = r"(?:mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?"  # the weekday of a date stamp: "Mon Aug 15 2016"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_MOD = r"(?:(?P<mod>early|late|mid)(?:\s+|-|\s*-\s*)?)"
# the full stop of an abbreviated month ("4 Oct."), never the sentence's after a full name ("4 October.")
_ABBR_DOT = (
    "(?:(?:"
    + "|".join(
        rf"(?<=\b{a})"
        for a in ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec")
    )
    + r")\.)?"
)
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
    # strings one of which (lower case) every match holds; None: not known. A text holding
    # none of them cannot match, so the regex is not run over it (``find_timexes``).
    anchors: frozenset[str] | None = None


def anchors(regex: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of ``regex`` holds, lower-cased, read off its parse:
    a run of literal characters, an alternation whose every branch has some, or a group or a
    repeat of at least once that has some; of these, the set whose shortest string is longest
    (the rarest test). None when the pattern requires no literal text."""
    return _required(re_parser.parse(regex.pattern, regex.flags))


def _required(seq: Any) -> frozenset[str] | None:
    found: list[frozenset[str]] = []
    run = ""
    for op, av in seq:
        if op is re_constants.LITERAL:
            run += chr(av).lower()
            continue
        if run:
            found.append(frozenset([run]))
        run = ""
        inner: frozenset[str] | None = None
        if op is re_constants.SUBPATTERN:
            inner = _required(av[3])
        elif op is re_constants.BRANCH:
            branches = [_required(b) for b in av[1]]
            if all(b is not None for b in branches):
                inner = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (re_constants.MAX_REPEAT, re_constants.MIN_REPEAT) and av[0] >= 1:
            inner = _required(av[2])
        if inner:
            found.append(inner)
    if run:
        found.append(frozenset([run]))
    return max(found, key=lambda s: (min(map(len, s)), -len(s))) if found else None


#: Characters that ``re.IGNORECASE`` matches to an ASCII letter while ``str.lower`` does not
#: make them that letter (dotted and dotless i, long s): a text with one is not gated.
FOLDS_APART = frozenset("\u0130\u0131\u017f")


def gate_text(text: str) -> str | None:
    """The text to look for rules' anchors in (lower case), or None when anchors cannot be
    trusted on it (``FOLDS_APART``)."""
    if not text.isascii() and not FOLDS_APART.isdisjoint(text):
        return None
    return text.lower()


def _grammar() -> list[Rule]:
    lx = lexicon()
    num = (
        r"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|\d/\d|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|seven|eight|nine)|"
        + alt(list(lx.numbers) + list(lx.vague_numbers))
        + r")(?:\s+and\s+a\s+half)?"
    )
    unit = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|centur(?:y|ies))"
    units = unit + r"s?"
    approx_in = r"(?:at\s+least|more\s+than|less\s+than|fewer\s+than|up\s+to|over|under)"
    approx_ago = (
        r"(?:about|almost|nearly|some|roughly|around|approximately|more\s+than|less\s+than|over|just\s+over)"
    )
    holidays = alt(
        list(lx.fixed_holidays)
        + list(lx.weekday_holidays)
        + list(lx.easter_holidays)
        + list(lx.islamic_holidays)
        + list(lx.islamic_months)
    )
    rules = [
        ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
        # "24.08.2013", "15-09-2013" (day first), "8/24/2013" (month first when the day cannot be)
        (
            "numeric",
            r"(?<![\d.\-/])(?P<a>0?[1-9]|[12]\d|3[01])(?P<sep>[.\-/])(?P<b>0?[1-9]|[12]\d|3[01])(?P=sep)"
            r"(?P<y>(?:19|20)\d\d)\b(?![.\-/]\d)",
        ),
        (
            "full",
            rf"\b(?:(?P<wd>{_WD}|{_WDA}),?\s+)?(?P<mon>{_MON})\.?\s+(?P<d>{_DAY})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b",
        ),
        (
            "full",
            rf"\b(?:(?P<wd>{_WD}|{_WDA}),?\s+)?(?:the\s+)?(?P<d>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\.?,?\s+"
            rf"(?P<y>{_YEAR})\b",
        ),
        ("weekof", rf"\bthe\s+week\s+of\s+(?P<mon>{_MON})\.?\s+(?P<d>{_DAY})\b"),
        (
            "monthday",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\.?\s+(?P<d>{_DAY})(?:st|nd|rd|th)?\b(?![\d,.]\d|\s*,?\s*\d)",
        ),
        (
            "monthday",
            rf"\b(?:(?P<wd>{_WD}),?\s+)?(?:the\s+)?(?P<d>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b{_ABBR_DOT}",
        ),
        # the second day of "April 24 and 25" and the first of "24 and 25 April": a date of its own
        (
            "monthday",
            rf"\b(?P<mon>{_MON})\.?\s+{_DAY}(?:st|nd|rd|th)?\s+(?:and|or|to|through)\s+"
            rf"(?P<x>(?P<d>{_DAY})(?:st|nd|rd|th)?)\b(?![\d,.]\d|\s*,?\s*\d|\s+(?:{_MON}|[a-z]))",
        ),
        (
            "monthday",
            rf"\b(?P<x>(?P<d>{_DAY})(?:st|nd|rd|th)?)\s+(?:and|or|to)\s+{_DAY}(?:st|nd|rd|th)?\s+"
            rf"(?:of\s+)?(?P<mon>{_MON})\b",
        ),
        ("monthyear", rf"\b{_MOD}?(?P<mon>{_MON})\.?,?\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
        ("monthyear", rf"\b{_MOD}?(?P<mon>{_MON_FULL})\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year\b"),
        ("month", rf"\b{_MOD}?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<mon>{_MON_FULL})\b"),
        (
            "season",
            rf"\b(?:the\s+)?{_MOD}?(?:(?P<rel>last|next|this|coming|past)\s+)?(?P<s>{alt(lx.seasons)})"
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
        ("yearmod", rf"\b(?:post|pre)-(?P<y>{_YEAR})\b"),  # "the post-1959 politics"
        ("isomonth", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])\b(?!-\d)"),
        (
            "year",
            rf"(?<![\d,.$£€#/])(?<![A-Za-z]-)(?<!\d\s)\b(?P<y>{_YEAR})\b(?![.,/]\d|\s*(?:%|percent|per\s+cent))",
        ),
        (
            "relunit",
            rf"\b(?:(?:earlier|later)\s+)?(?P<x>{_MOD}?(?P<rel>last|next|this|coming|previous|following)\s+"
            r"(?P<u>week|weekend|month|quarter|year|decade|century))\b",
        ),
        (
            "relunit",
            rf"\b(?P<x>{_MOD}?(?:the\s+)?(?P<rel>current)\s+(?P<u>week|month|quarter|year|decade|century))\b",
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
        (
            "holiday",
            rf"\b(?:(?P<rel>last|next|this)\s+)?(?P<hol>{holidays})(?:\s+(?P<y>{_YEAR}))?(?:\s+(?P<wk>week)\b)?\b",
        ),
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
            rf"(?P<u>{units})(?:-long)?\b(?!-old|-olds|\s+old\b|\s+of\s+age\b)",
        ),
        ("duration", rf"\b(?:(?:the\s+)?(?P<rel>past|last|previous|next|coming|first)\s+)(?P<u>{unit})\b"),
        ("vague", rf"\b(?:the\s+)?(?P<vr>recent|coming|past|last|next|following|ensuing)\s+(?P<u>{unit}s)\b"),
        ("vague", rf"\b(?P<u>{unit}s?)-long\b"),
        ("vague", rf"\b(?:for|over|within|throughout)\s+(?P<x>(?P<u>{unit}s))\b"),
        (
            "vague",
            rf"\b(?:in|during|for)\s+the\s+(?P<x>(?P<u>{unit}s))\s+(?=before|after|since|that|ahead|leading|following)",
        ),
        ("set", rf"\b(?P<w>{alt(lx.sets)})\b"),
        ("set", rf"\bon\s+(?P<x>(?P<u>{_WD})s)\b"),
        ("set", rf"\b(?:every|each)\s+(?:(?P<n>other|{num})\s+)?(?P<u>{units}|{_WD}|{_PART}|weekend)\b"),
        (
            "set",
            rf"\b(?P<f>once|twice|thrice|(?:{num})\s+times)\s+(?:a|an|per|every|each)\s+(?P<u>{unit}|{_WD})\b",
        ),
        ("ref", rf"\b(?P<present>{alt(lx.present_ref)})\b"),
        ("ref", rf"\b(?P<past>{alt(lx.past_ref)})\b"),
        ("ref", rf"\b(?P<future>{alt(lx.future_ref)})\b"),
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
            + alt(k for k, v in lx.numbers.items() if 1 <= v <= 12 and " " not in k and k not in ("a", "an"))
            + r")\s+(?:o'clock|in\s+the\s+(?P<ipart>morning|afternoon|evening))\b",
        ),
        ("clockword", rf"\b(?P<w>{alt(lx.clock_words)})\b"),
        ("overnight", r"\bovernight\b"),
        (
            "dawn",
            rf"\b(?:at|before|after|until|till|since|by|around|near|from)\s+(?P<x>(?P<w>{alt(lx.vague_times)}))\b",
        ),
    ]
    compiled = [(name, re.compile(p, re.I)) for name, p in rules]
    return [Rule(name, regex, anchors(regex)) for name, regex in compiled]


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
    lowered = gate_text(text)
    for order, rule in enumerate(grammar()):
        if lowered is not None and rule.anchors and not any(a in lowered for a in rule.anchors):
            continue  # none of the words every match needs: no match (the same result, faster)
        for m in rule.regex.finditer(text):
            s, e = _extent(m)
            if e > s and _plausible(rule.name, m, text, doc):
                cands.append(_Cand(s, e, rule.name, m, order))
    cands.sort(key=lambda c: (-(c.match.end() - c.match.start()), c.order, c.start))
    chosen: list[_Cand] = []
    taken = bytearray(len(text))  # longest first; a character belongs to one expression
    for c in cands:
        if not any(taken[c.start : c.end]):
            chosen.append(c)
            taken[c.start : c.end] = b"\x01" * (c.end - c.start)
    chosen.sort(key=lambda c: c.start)
    if dct is None:
        dct = _head_date(chosen)
    ctx = Context(text, dct, doc)
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
            c.rule,
        )
        out.append(tx)
        if kind == "DATE" and value and re.match(r"^\d{4}", value):
            ctx.ref = value
    return _anchor_times(_compose(out, text), text, dct)


_RELATIVE_DAY = re.compile(r"(?:the\s+)?(?:day|night)\s+(?P<dir>before|after)", re.I)


def _compose(found: list[Timex], text: str) -> list[Timex]:
    """ "the day before last Tuesday's hearing", "the day after Christmas": a day counted from
    the date that follows, not from the last one mentioned."""
    out: list[Timex] = []
    i = 0
    while i < len(found):
        tx = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else None
        rel = _RELATIVE_DAY.fullmatch(tx.text)
        if (
            rel is not None
            and nxt is not None
            and nxt.type == "DATE"
            and nxt.precision == "day"
            and nxt.value
            and not text[tx.end : nxt.start].strip()
        ):
            step = -1 if rel.group("dir").lower() == "before" else 1
            day = date.fromisoformat(nxt.value[:10]) + timedelta(days=step)
            out.append(
                Timex(
                    tx.start,
                    nxt.end,
                    text[tx.start : nxt.end],
                    "DATE",
                    day.isoformat(),
                    None,
                    tx.signal,
                    nxt.rule,
                )
            )
            i += 2
            continue
        out.append(tx)
        i += 1
    return out


def _head_date(chosen: list[_Cand]) -> date | None:
    for c in chosen:
        if c.start > 300:
            break
        if c.rule in ("iso", "full", "numeric"):
            d = numeric_date(c.match) if c.rule == "numeric" else ymd(c.match)
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
        # "in the spring", "by winter"; not "the Arab Spring", "a spring offensive" or "after fall of Raqqa"
        if re.match(r"\s+of\b", text[m.end() : m.end() + 5]):
            return False
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
    if re.match(r"\s*(?:GMT|UTC|Z\b|hrs\b|hours\b|h\b|local\s+time)", after, re.I):
        return False  # "7pm (1600 GMT)": a time of day
    if re.match(
        r"\s+(?:were|are|have|had|others|more|dead|killed|wounded|injured)\b", after, re.I
    ) or re.search(
        r"\b(?:rose|risen|climbed|reached|increased|jumped|up|toll\s+of|total\s+of)\s+(?:to\s+)?$",
        before,
        re.I,
    ):
        return False  # "2000 were wounded", "the toll rose to 2015": a count
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


def _anchor_times(found: list[Timex], text: str, dct: date | None) -> list[Timex]:
    """A clock time with no day of its own ("at 10 p.m.") takes the day named next to it
    in its sentence, else the last day mentioned before it ("overnight": the night before
    the report)."""
    out: list[Timex] = []
    last_day = dct.isoformat() if dct else None
    for i, tx in enumerate(found):
        if tx.value and tx.value.startswith("T") and tx.type == "TIME":
            day = None
            rule = tx.rule
            for other in found[i + 1 : i + 3] + found[max(0, i - 2) : i][::-1]:
                gap = text[min(tx.end, other.end) : max(tx.start, other.start)].lstrip(".")
                if other.precision == "day" and len(gap) < 40 and not re.search(r"[.!?]\s", gap):
                    day = other.value[:10] if other.value else None
                    break
            if day is None and tx.text.lower() == "overnight" and dct is not None:
                day = (dct - timedelta(days=1)).isoformat()
                rule = "overnight-dct"  # the night that ended on the morning of the report
            day = day or last_day
            tx = Timex(
                tx.start,
                tx.end,
                tx.text,
                tx.type,
                (day + tx.value) if day else None,
                tx.mod,
                tx.signal,
                rule,
            )
        elif tx.precision == "day" and tx.value:
            last_day = tx.value[:10]
        out.append(tx)
    return out
