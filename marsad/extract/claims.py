"""Claimants: who says so. "the Observatory said", "Amaq reported", "according to
activists", "pro-regime news feeds said" — normalised through a small knowledge file."""

from __future__ import annotations

import csv
import functools
import re
from importlib import resources

from spacy.tokens import Doc, Span, Token

from marsad.annotate.actors import ActorMention
from marsad.extract.grammar import REPORTING
from marsad.knowledge.lexicon import load_lexicon

LEXICON = load_lexicon()

ACCORDING = re.compile(r"\baccording\s+to\s+(?:the\s+)?([^,.;]+)", re.I)
# "..., the Syrian Observatory for Human Rights said." where the parser loses the subject
TRAILING = re.compile(
    r",\s*([^,]{3,90}?)\s+(?:said|says|reported|reports|added|claimed|announced|told\s+\w+)"
    r"(?:\s+on\s+\w+)?[.\s\"”]*$",
    re.I,
)
SAME_SOURCE = re.compile(r"\b(?:the\s+same\s+source|it\s+said|it\s+added)\b", re.I)


@functools.lru_cache(maxsize=1)
def claimant_aliases() -> list[tuple[re.Pattern[str], str]]:
    """(pattern, canonical claimant) from data/claimants.tsv, longest alias first."""
    path = resources.files("marsad.knowledge").joinpath("data", "claimants.tsv")
    rows = [
        r
        for r in csv.DictReader(
            (line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")),
            delimiter="\t",
        )
    ]
    pairs = []
    for row in rows:
        for alias in [row["name"], *row["aliases"].split(";")]:
            if alias:
                pairs.append((alias, row["name"]))
    pairs.sort(key=lambda p: -len(p[0]))
    return [(re.compile(r"\b" + re.escape(a) + r"\b", re.I), name) for a, name in pairs]


def normalise(text: str) -> str:
    for pattern, name in claimant_aliases():
        if pattern.search(text):
            return name
    cleaned = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    return cleaned[:80]


def claimant_of(sent: Span) -> str | None:
    """The source a sentence cites, if it cites one."""
    text = sent.text  # rebuilt from the tokens on each access
    m = ACCORDING.search(text)
    if m:
        return normalise(m.group(1))
    for tok in sent:
        if tok.lemma_ in REPORTING and tok.pos_ == "VERB":
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and subj[0].lower_ not in ("i", "we", "he", "she", "they", "it", "who", "which"):
                span = sent.doc[subj[0].left_edge.i : subj[0].right_edge.i + 1]
                return normalise(span.text)
            if subj and subj[0].lower_ in ("he", "she", "it", "they"):
                return "same"
    m = TRAILING.search(text)
    if m and m.group(1).split()[0].lower() not in ("he", "she", "it", "they", "we", "i"):
        return normalise(m.group(1))
    if SAME_SOURCE.search(text):
        return "same"
    return None


def is_claimant(doc: Doc, mention: ActorMention) -> bool:
    """The mention names who reports: "police said", "according to the army", and, through the
    noun it qualifies, "a Kurdish police source confirmed", "a source at the Police Command said"."""

    def reports(t: Token) -> bool:
        return t.dep_ in ("nsubj", "pobj") and (
            t.head.lemma_ in REPORTING or t.head.lower_ == "to" and t.head.head.lower_ == "according"
        )

    sent = doc[mention.start].sent
    tail = TRAILING.search(sent.text)  # "..., police and a militia leader said.": however it is parsed
    if tail is not None and sent.start_char + tail.start(
        1
    ) <= mention.start_char < sent.start_char + tail.end(1):
        return True
    for t in doc[mention.start : mention.end]:
        if reports(t):
            return True
        up = t
        for _ in range(4):  # police -> source (compound); Command -> at -> source (pobj, prep)
            if up.dep_ not in ("compound", "amod", "pobj", "prep", "nmod", "poss") or up.head is up:
                break
            up = up.head
            if up.lemma_ in _SOURCE_NOUNS and reports(up):
                return True
    return False


_SOURCE_NOUNS = LEXICON["source_nouns"]
