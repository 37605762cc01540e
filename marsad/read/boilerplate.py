"""Page junk that is not the article: share bars, comment forms, cookie notices, footers.

The patterns are data: add a line here when a new site leaks its furniture into the text.
Only whole lines are ever removed, and only short ones, so an article that happens to
contain "all rights reserved" in a sentence keeps its sentence, and a one-line article
that starts with "Click here" is not lost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

#: Lines (matched whole, case-insensitively, after trimming) that are dropped wherever they are.
BOILERPLATE_LINES: tuple[str, ...] = (
    r"comments? about this article",
    r"please fill (in )?the (fields|form) below\.?",
    r"share (this|the) (article|story|post|page|video)\b.*",
    r"(share|post|send) (on|to|via) (facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email|e-mail)\b.*",
    r"((share|tweet|e-?mail|print|whatsapp|facebook|twitter|linkedin|telegram|reddit|pinterest|copy link)"
    r"[\s|/•·,:]*)+",
    r"click here\b.*",
    r"(read more|read also|see also|also read|more on this|continue reading)\b.*",
    r"related( articles?| stories| news| posts| content| coverage| topics)?\s*:?",
    r"(you )?(may|might) also (like|be interested in)\b.*",
    r"subscribe\b.*",
    r"sign (up|in)\b.*",
    r"(log ?in|register) (to|for)\b.*",
    r"(©|\(c\)|copyright\b).*",
    r".{0,80}\ball rights reserved[\s.,;\d-]*",
    r"follow us\b.*",
    r"advertisement|advertising|sponsored( content)?|ad|ads by .*",
    r".*\b(uses?|use of|accept( all)?|about) cookies\b.*",
    r"cookie (policy|settings|preferences|notice)\b.*",
    r"((terms (of|and) (use|service|conditions)|privacy( policy)?|cookie policy|contact us|about us)"
    r"[\s|/•·,]*)+",
    r"(leave|post|add|write) a (comment|reply)\b.*",
    r"comments?\s*:?|\d+ comments?|comments? \(\d+\)|no comments( yet)?\.?",
    r"skip to (main )?content|back to top|print this (article|page|story)|e-?mail this (article|page|story)",
    r"(tags?|topics?|filed under|categories)\s*:.*",
    r"(previous|next) (article|story|post)\b.*",
    r"home|menu|main menu|search|navigation|toggle navigation|log ?in|log ?out|sign out|register",
)

#: Lines that open the page footer: from here on nothing is article text.
FOOTER_LINES: tuple[str, ...] = (
    r"comments? about this article",
    r"comments?\s*:?",
    r"\d+ comments?",
    r"(leave|post|add|write) a (comment|reply)\b.*",
    r"related( articles?| stories| news| posts| content| coverage)?\s*:?",
    r"(read also|see also|also read)\s*:?",
    r"(you )?(may|might) also (like|be interested in)\b.*",
    r"(more|latest) (stories|news|articles) (from|on|in)\b.*",
    r"recommended( for you| stories| articles)?\s*:?",
    r"most (read|popular|viewed)\b.*",
)

#: Longer lines are article text even when a pattern would match (protects one-line articles).
MAX_JUNK_WORDS = 16

_JUNK = re.compile("|".join(f"(?:{p})" for p in BOILERPLATE_LINES), re.IGNORECASE)
_FOOTER = re.compile("|".join(f"(?:{p})" for p in FOOTER_LINES), re.IGNORECASE)
_BODY_WORDS = 8  # a footer is "clear" only after a line of at least this many words


def is_junk(line: str) -> bool:
    """True for a short line that is page furniture rather than article text."""
    line = line.strip()
    return bool(line) and len(line.split()) <= MAX_JUNK_WORDS and _JUNK.fullmatch(line) is not None


def is_footer(line: str) -> bool:
    """True for a short line that starts the comments / related-stories footer."""
    line = line.strip()
    return bool(line) and len(line.split()) <= MAX_JUNK_WORDS and _FOOTER.fullmatch(line) is not None


def strip_lines(lines: Sequence[str]) -> list[str]:
    """Lines without junk lines, cut at the first clear footer; blank lines are kept."""
    kept: list[str] = []
    seen_body = False
    for line in lines:
        if seen_body and is_footer(line):
            break
        if is_junk(line):
            continue
        kept.append(line)
        if len(line.split()) >= _BODY_WORDS:
            seen_body = True
    return kept


def _letters(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def same_name(line: str, name: str) -> bool:
    """True when ``line`` is ``name`` give or take spelling ("Zaman A Wasl" ~ "Zaman Al Wasl")."""
    a, b = _letters(line), _letters(name)
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= 0.85


def strip_trailing_names(lines: list[str], names: Sequence[str | None]) -> list[str]:
    """Drop a last line that only repeats the publisher's name (a site's sign-off)."""
    lines = list(lines)
    known = [n for n in names if n]
    while lines and not lines[-1].strip():
        lines.pop()
    if known and lines:
        last = lines[-1].strip()
        short = len(last.split()) <= 6 and not last.endswith((".", "!", "?", '"', "”"))
        if short and any(same_name(last, n) for n in known):
            lines.pop()
    return lines
