"""The TIMEX3 rules skip a text that holds none of the words every match of theirs needs
(their anchors): the same expressions as running every rule, found faster."""

from __future__ import annotations

import re
import string
import sys
from datetime import date
from pathlib import Path

import pytest

from marsad.annotate import timex
from marsad.annotate.timex import FOLDS_APART, anchors, find_timexes, gate_text, grammar

ROOT = Path(__file__).resolve().parents[2]

#: My own sentences with every kind of expression the rules read, and the project's articles.
SENTENCES = [
    "Three days ago rebels shelled the town; a week earlier they had taken the hills.",
    "Talks resume every Monday and twice a week in the summer of 2014, the envoy said.",
    "At 10 p.m. local time on Eid al-Adha, and again at midnight, drones struck the depot.",
    "Fighting in the first half of the fiscal year 2019 and in the late 1990s left 40 dead.",
    "The curfew has been in force for the past 48 hours, since dawn on Tuesday, 12 March 2024.",
    "Officials said on 2023-11-04 that the convoy would arrive tomorrow or by the weekend.",
    "For decades, and throughout the coming months, the ceasefire held; nowadays it is fragile.",
    "In Q3 the army said it was currently holding the pass it took the previous week at 0600 GMT.",
    "Aid arrives annually, most recently in late autumn; the next convoy is due in two fortnights.",
]


def corpus() -> list[str]:
    paths = sorted((ROOT / "tests" / "data" / "wire").glob("*.txt")) + sorted(
        (ROOT / "examples" / "articles").glob("*.txt")
    )
    return SENTENCES + [p.read_text(encoding="utf-8") for p in paths]


def test_every_match_holds_one_of_its_rules_anchors() -> None:
    gated = [r for r in grammar() if r.anchors]
    assert len(gated) > len(grammar()) // 2  # most rules need some word of their own
    seen = 0
    for text in corpus():
        for rule in gated:
            for m in rule.regex.finditer(text):
                seen += 1
                assert any(a in m.group(0).lower() for a in rule.anchors or ()), (rule.name, m.group(0))
    assert seen > 500


def test_gated_rules_find_what_every_rule_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = corpus()
    gated = [find_timexes(t, date(2024, 3, 15)) for t in texts]
    monkeypatch.setattr(timex, "gate_text", lambda text: None)  # every rule over every text
    assert [find_timexes(t, date(2024, 3, 15)) for t in texts] == gated
    assert sum(map(len, gated)) > 100


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\b\d+\s+(?:days?|weeks?)\s+ago\b", {"ago"}),  # one word beats a choice of two
        (r"\b(?:three|four)\s+days?\s+ago\b", {"three", "four"}),  # longer words beat "ago"
        (r"\b(?:noon|mid)night\b", {"night"}),
        (r"\b(?:pre|post)-war\b", {"-war"}),
        (r"\b(?:Monday|Tuesday)\b", {"monday", "tuesday"}),
        (r"\b\d{4}\b", None),  # no literal at all
        (r"(?:next)?\s*week", {"week"}),  # an optional word is no anchor
        (r"(?:at|by)\s+(?:noon|\d+)", {"at", "by"}),  # a branch with no literal spoils its set
    ],
)
def test_anchors_of_patterns(pattern: str, expected: set[str] | None) -> None:
    found = anchors(re.compile(pattern, re.I))
    assert (set(found) if found is not None else None) == expected


def test_case_folds_that_lower_does_not_make_are_not_gated() -> None:
    """Every character ``re.IGNORECASE`` takes for an ASCII letter either lower-cases to an
    ASCII letter or is in FOLDS_APART, where the text is searched by every rule."""
    letter = re.compile("[a-z]", re.I)
    apart = {
        ch
        for ch in map(chr, range(sys.maxunicode + 1))
        if letter.fullmatch(ch) and ch.lower() not in string.ascii_lowercase
    }
    assert apart <= FOLDS_APART
    assert all(a.isascii() for r in grammar() for a in r.anchors or ())  # anchors are ASCII
    assert gate_text("Three days AGO") == "three days ago"
    assert gate_text("three days \u0130GO") is None
    # "times" with a long s: re.IGNORECASE reads it, "times" is not in its lower case
    long_s = "Patrols pass three times a week.".replace("s", "\u017f")
    assert [(t.text, t.type) for t in find_timexes(long_s, date(2024, 3, 15))] == [
        ("three time\u017f a week", "SET")
    ]
