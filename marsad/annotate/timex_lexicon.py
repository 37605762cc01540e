"""The words of the TIMEX3 grammar (``knowledge/data/timex.json``), loaded strictly."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.errors import KnowledgeError

DATA = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "timex.json"


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


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged words of the grammar."""
    return load_lexicon(DATA)


def load_lexicon(path: Path) -> Lexicon:
    """The words of the grammar from ``path``, checked strictly: a wrong entry fails here,
    naming the file and the key, not later in a regex."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise KnowledgeError(f"{path.name}: {exc}") from exc
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path.name}: must be a JSON object")

    def need(key: str, kind: type) -> Any:
        if key not in raw or not isinstance(raw[key], kind):
            raise KnowledgeError(f"{path.name}: '{key}' must be a {kind.__name__}")
        return raw[key]

    fixed = {}
    for name, md in need("fixed_holidays", dict).items():
        if not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", str(md)):
            raise KnowledgeError(f"{path.name}: fixed_holidays '{name}': '{md}' is not MM-DD")
        fixed[name] = (int(md[:2]), int(md[3:]))
    by_weekday = {}
    for name, rule in need("weekday_holidays", dict).items():
        if not (isinstance(rule, list) and len(rule) in (3, 4) and all(isinstance(x, int) for x in rule)):
            raise KnowledgeError(
                f"{path.name}: weekday_holidays '{name}' must be [month, weekday, nth(, offset)]"
            )
        by_weekday[name] = tuple(rule)
    units = need("units", dict)
    for name, code in units.items():
        if not re.fullmatch(r"T?\d*[SMHDWY]", code):
            raise KnowledgeError(f"{path.name}: unit '{name}' has no ISO code ('{code}')")
    return Lexicon(
        numbers={k: float(v) for k, v in need("numbers", dict).items()},
        vague_numbers=tuple(need("vague_numbers", list)),
        units=units,
        plural_units=need("plural_units", dict),
        parts_of_day=need("parts_of_day", dict),
        clock_words=need("clock_words", dict),
        vague_times=need("vague_times", dict),
        seasons=need("seasons", dict),
        season_months={k: tuple(v) for k, v in need("season_months", dict).items()},
        sets=need("sets", dict),
        present_ref=tuple(need("present_ref", list)),
        past_ref=tuple(need("past_ref", list)),
        future_ref=tuple(need("future_ref", list)),
        fixed_holidays=fixed,
        weekday_holidays=by_weekday,
        easter_holidays={k: int(v) for k, v in need("easter_holidays", dict).items()},
        islamic_holidays={k: (int(v[0]), int(v[1])) for k, v in need("islamic_holidays", dict).items()},
        islamic_months={k: int(v) for k, v in need("islamic_months", dict).items()},
        future_verbs=frozenset(need("future_verbs", list)),
        future_signals=tuple(need("future_signals", list)),
        future_heads=frozenset(need("future_heads", list)),
        past_signals=tuple(need("past_signals", list)),
    )


def alt(words: object) -> str:
    """A regex alternation of phrases, longest first, spaces matching any whitespace."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items) + ")"
