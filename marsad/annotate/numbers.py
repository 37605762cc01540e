"""Counts in words and digits, read the way a cautious monitor reads them.

"Twenty-one" is 21; "at least 7" is 7; "more than a dozen" is 12 (the stated floor);
"dozens" is 12 (the conservative reading); "between 10 and 15" gives low 10, high 15.
Vague quantities ("several", "a number of") are not numbers: they are never coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "no": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "lone": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "couple": 2,
    "both": 2,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Plural vague multiples: the lowest number they can mean.
VAGUE = {"dozens": 12, "scores": 40, "hundreds": 100, "thousands": 1000, "tens": 10}
DOZEN = {"dozen": 12, "score": 20}

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES, *VAGUE, *DOZEN], key=len, reverse=True))
NUMBER_RE = re.compile(
    rf"(?<![\w-])(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:(?:{_WORD})(?:[\s-]+(?:and\s+)?)?)+)(?![\w-])",
    re.I,
)
LOWER = re.compile(
    r"(?:at\s+least|more\s+than|over|upwards\s+of|no\s+fewer\s+than|some|about|around|"
    r"nearly|almost|up\s+to|roughly|approximately|an\s+estimated)\s+$",
    re.I,
)


@dataclass(frozen=True)
class Count:
    """A number in the text: ``value`` is the coded (conservative) figure."""

    start: int
    end: int
    text: str
    value: int
    high: int | None = None


def words_to_int(text: str) -> int | None:
    """Number words ("twenty-one", "two hundred and five", "a dozen") to an int."""
    text = text.strip().lower().replace(",", "")
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text))
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", text):
        if word in ("and", ""):
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in DOZEN:
            current = max(current, 1) * DOZEN[word]
        elif word in VAGUE:
            current = max(current, 1) * VAGUE[word]
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def find_counts(text: str) -> list[Count]:
    """Every count in ``text``, with the high end of a range where one is given."""
    found: list[Count] = []
    for m in NUMBER_RE.finditer(text):
        if found and m.start() < found[-1].end:
            continue
        raw = m.group(0).rstrip(" -")
        if raw.lower() in ("a", "an", "no", "both"):
            # Only meaningful before a noun; the casualty grammar handles these itself.
            continue
        if (
            re.fullmatch(r"no\s+one", raw, re.I)
            or raw.lower() == "one"
            and re.search(r"\b(?:no|not\s+a\s+single)\s*$", text[max(0, m.start() - 16) : m.start()], re.I)
        ):
            continue  # "no one was hurt" counts nobody
        value = words_to_int(raw)
        if value is None or _looks_like_year_or_time(text, m.start(), m.end(), raw):
            continue
        start, end = m.start(), m.start() + len(raw)
        high = None
        rng = re.match(r"\s*(?:to|-|–|or|and)\s*(\d+|[a-z-]+)\b", text[end : end + 20], re.I)
        before = text[max(0, start - 12) : start].lower()
        if rng and (before.endswith("between ") or rng.group(0).strip()[0] in "-–t"):
            other = words_to_int(rng.group(1))
            if other is not None and other > value:
                high = other
                end += rng.end()
        found.append(Count(start, end, text[start:end], value, high))
    return found


def _looks_like_year_or_time(text: str, start: int, end: int, raw: str) -> bool:
    if re.fullmatch(r"(19|20)\d\d", raw):
        return True
    return bool(
        re.match(
            r"\s*(?:am|pm|a\.m\.|p\.m\.|gmt|:\d\d|%|km|kilomet|mile|metre|meter)", text[end : end + 8], re.I
        )
    )
