"""TIMEX3 values: the calendar arithmetic behind each rule of the grammar in ``timex.py``,
and the tense of the governing verb that chooses past or future for a date without a year."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.easter import easter
from spacy.tokens import Doc, Token

from marsad.annotate.dates import MONTHS, WEEKDAYS
from marsad.annotate.timex_lexicon import Lexicon, alt, lexicon


class Context:
    """What a resolver may look at: the text, its creation time, its parse, and the last
    calendar value mentioned (``ref``), which anaphoric expressions lean on."""

    def __init__(self, text: str, dct: date | None, doc: Doc | None) -> None:
        self.text = text
        self.dct = dct
        self.doc = doc
        self.ref: str | None = None

    def direction(self, m: re.Match[str]) -> str | None:
        """'future', 'past', 'near' (a plan told in the past: either side of now) or None: where the
        expression's governing verb points."""
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
    if re.search(r"\b" + alt(lx.future_signals) + r"\s+(?:on\s+|at\s+|in\s+)?$", left):
        signal = "future"
    elif re.search(r"\b" + alt(lx.past_signals) + r"\s+(?:\w+\s+){0,2}(?:the\s+)?$", left):
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
    """'future', 'past', 'perfect' (had done), 'near' (a plan told in the past), or None (the
    present, modals). The simple
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
        if verb.lemma_ in lx.future_verbs:
            if present or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
                return "future"  # "is expected", "plans to", "is scheduled for"
            return "near"  # "protesters planned a rally on Saturday": ahead of the plan, either side of now
        if "to" in lowers and verb.dep_ in ("xcomp", "advcl", "acl"):
            head = verb.head
            if head.lemma_ in lx.future_verbs and _past_form(head):
                return "near"  # "talks were expected to resume on Thursday": the nearest Thursday
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


def _past_form(verb: Token) -> bool:
    """The verb is in a past tense: "planned", "was expected", "had agreed"."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes)


def ymd(m: re.Match[str]) -> date | None:
    try:
        return date(
            int(m.group("y")),
            _month(m.group("mon") if "mon" in m.re.groupindex else None) or int(m.group("m")),
            int(m.group("d")),
        )
    except (ValueError, TypeError, IndexError):
        return None


def numeric_date(m: re.Match[str]) -> date | None:
    """A date in figures: day first with dots and dashes ("24.08.2013"), month first with
    slashes ("8/24/2013"); the other order when the first cannot be a day of a month."""
    a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    orders = [(b, a), (a, b)] if m.group("sep") != "/" else [(a, b), (b, a)]
    for month, day in orders:
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None


def _r_numeric(m: re.Match[str], ctx: Context) -> Resolved | None:
    d = numeric_date(m)
    return ("DATE", d.isoformat(), None) if d else None


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
    if not options:
        return dct.year  # "Sept 31" is no day in any year: the caller's date() refuses it
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


def _r_full(m: re.Match[str], ctx: Context) -> Resolved | None:
    d = ymd(m)
    return ("DATE", d.isoformat(), None) if d else None


def _r_weekof(m: re.Match[str], ctx: Context) -> Resolved | None:
    month, day = _month(m.group("mon")), int(m.group("d"))
    if ctx.dct is None or month is None:
        return ("DATE", None, None)
    try:
        return ("DATE", _week(date(_pick_year(month, day, ctx.dct, ctx.direction(m)), month, day)), None)
    except ValueError:
        return None


def _r_monthday(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_isomonth(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("DATE", f"{m.group('y')}-{m.group('m')}", None)


def _r_monthyear(m: re.Match[str], ctx: Context) -> Resolved | None:
    month = _month(m.group("mon"))
    if "yrel" in m.re.groupindex:
        if ctx.dct is None:
            return ("DATE", None, _mod(m))
        year = ctx.dct.year + {"last": -1, "next": 1}.get(m.group("yrel").lower(), 0)
    else:
        year = int(m.group("y"))
    return ("DATE", f"{year:04d}-{month:02d}", _mod(m))


def _r_month(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_season(m: re.Match[str], ctx: Context) -> Resolved | None:
    code = lexicon().seasons[m.group("s").lower()]
    if m.group("y"):
        return ("DATE", f"{m.group('y')}-{code}", _mod(m))
    if ctx.dct is None:
        return ("DATE", None, _mod(m))
    year = _season_year(code, (m.group("rel") or "").lower(), ctx.dct, ctx.direction(m), _mod(m))
    return ("DATE", f"{year}-{code}", _mod(m))


def _rel_year(m: re.Match[str], ctx: Context) -> int | None:
    if m.groupdict().get("y"):
        return int(m.group("y"))
    if ctx.dct is None:
        return None
    rel = (m.groupdict().get("rel") or "").lower()
    return ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0)


def _r_quarter(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_half(m: re.Match[str], ctx: Context) -> Resolved | None:
    year = _rel_year(m, ctx)
    half = 1 if m.group("ord").lower() == "first" else 2
    return ("DATE", f"{year}-H{half}" if year else None, None)


def _r_fiscal(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("DATE", m.group("y") or m.group("y2"), None)


def _r_decade(m: re.Match[str], ctx: Context) -> Resolved | None:
    if m.groupdict().get("dec"):
        return ("DATE", m.group("dec") + "X", _mod(m))
    return ("DATE", "19" + m.group("dec2") + "X", _mod(m))


def _r_year(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("DATE", m.group("y"), _mod(m))


def _r_relunit(m: re.Match[str], ctx: Context) -> Resolved | None:
    rel, unit = m.group("rel").lower(), m.group("u").lower()
    if ctx.dct is None:
        return ("DATE", None, _mod(m))
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(rel, 0)
    if unit == "weekend":
        return ("DATE", _unit_value(ctx.dct, "week", step) + "-WE", _mod(m))
    return ("DATE", _unit_value(ctx.dct, unit, step), _mod(m))


def _unit_value(d: date, unit: str, step: int) -> str:
    """The calendar unit (week, month, quarter, year, decade, century) ``step`` units from ``d``."""
    if unit == "week":
        return _week(d + timedelta(weeks=step))
    if unit == "month":
        y, mo = _shift_month(d, step)
        return f"{y:04d}-{mo:02d}"
    if unit == "quarter":
        n = d.year * 4 + (d.month - 1) // 3 + step
        return f"{n // 4}-Q{n % 4 + 1}"
    if unit == "year":
        return str(d.year + step)
    if unit == "decade":
        return f"{d.year // 10 + step}X"  # the decade, as "the 1990s" is 199X
    return f"{d.year // 100 + step}XX"  # the century of the year's hundreds: 1999 -> 19XX


def _r_endof(m: re.Match[str], ctx: Context) -> Resolved | None:
    where = m.group("where").lower()
    mod = {"end": "END", "beginning": "START", "start": "START", "middle": "MID", "turn": "START"}[where]
    unit = m.group("u").lower()
    if ctx.dct is None:
        return ("DATE", None, mod)
    rel = (m.group("rel") or "").lower()
    step = {"last": -1, "next": 1}.get(rel, 0)
    return ("DATE", _unit_value(ctx.dct, unit, step), mod)


def _r_weekend(m: re.Match[str], ctx: Context) -> Resolved | None:
    if ctx.dct is None:
        return ("DATE", None, None)
    d = ctx.dct
    if ctx.direction(m) == "future":
        d = d + timedelta(days=(5 - d.weekday()) % 7)
    elif d.weekday() < 5:
        d = d - timedelta(days=d.weekday() + 1)  # the weekend just gone
    return ("DATE", _week(d) + "-WE", None)


def _r_deictic(m: re.Match[str], ctx: Context) -> Resolved | None:
    w = re.sub(r"\s+", " ", m.group("w").lower())
    days = {"today": 0, "yesterday": -1, "tomorrow": 1, "before yesterday": -2, "after tomorrow": 2}[w]
    if ctx.dct is None:
        return ("DATE", None, None)
    return ("DATE", (ctx.dct + timedelta(days=days)).isoformat(), None)


def _r_deictictime(m: re.Match[str], ctx: Context) -> Resolved | None:
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
    ahead = (wd - dct.weekday()) % 7
    if direction == "future" or direction == "near" and ahead < back:
        return dct + timedelta(days=ahead)
    return dct - timedelta(days=back)


def _r_weekday(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_holiday(m: re.Match[str], ctx: Context) -> Resolved | None:
    kind, value, mod = _holiday(m, ctx)
    if value and m.groupdict().get("wk") and re.match(r"^\d{4}-\d\d-\d\d$", value):
        value = _week(date.fromisoformat(value))  # "Easter week": the week of the holiday
    return (kind, value, mod)


def _holiday(m: re.Match[str], ctx: Context) -> Resolved:
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
    # a month (or a holiday's week) in progress is this one, past or future
    reach = 15 if month_long else 6 if m.groupdict().get("wk") else 0
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


def _r_anaphor(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_ago(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_agovague(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("DATE", "PAST_REF", None)


def _r_duration(m: re.Match[str], ctx: Context) -> Resolved | None:
    groups = m.groupdict()
    n = _number(groups["n"]) if groups.get("n") else 1.0
    return ("DURATION", _period(n, groups["u"]), None)


def _r_vague(m: re.Match[str], ctx: Context) -> Resolved | None:
    unit = re.sub(r"-long$", "", m.group("u").lower())
    if not m.groupdict().get("vr") and not unit.endswith("s"):
        return ("DURATION", _period(1, unit), None)  # "day-long"
    return ("DURATION", _period(None, unit), None)


def _r_set(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_ref(m: re.Match[str], ctx: Context) -> Resolved | None:
    groups = m.groupdict()
    if groups.get("present"):
        return ("DATE", "PRESENT_REF", None)
    if groups.get("past"):
        return ("DATE", "PAST_REF", None)
    return ("DATE", "FUTURE_REF", None)


def _r_clock(m: re.Match[str], ctx: Context) -> Resolved | None:
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


def _r_clockword(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("TIME", "T" + lexicon().clock_words[m.group("w").lower()], None)


def _r_overnight(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("TIME", "TNI", None)  # the night of a day named beside it, else the night before the report


def _r_dawn(m: re.Match[str], ctx: Context) -> Resolved | None:
    return ("TIME", "T" + lexicon().vague_times[m.group("w").lower()], None)


RESOLVERS: dict[str, Callable[[re.Match[str], Context], Resolved | None]] = {
    "iso": _r_full,
    "numeric": _r_numeric,
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
