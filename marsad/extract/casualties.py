"""Casualty statements: "30 pro-regime fighters were killed", "killing 12 civilians",
"the death toll rose to 70", "a soldier died" — with the side where the text gives it,
and breakdowns ("including 10 suicide bombers", "These include 16 troops") marked so
that a figure is never counted twice."""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import LOWER
from spacy.tokens import Span, Token

from marsad.annotate.actors import ActorMention
from marsad.annotate.numbers import Count
from marsad.annotate.pipeline import Annotation, ByOffset
from marsad.extract.claims import is_claimant
from marsad.extract.grammar import REPORTING
from marsad.knowledge.lexicon import load_lexicon
from marsad.knowledge.taxonomy import Taxonomy

LEXICON = load_lexicon()

CIVILIAN_WORDS = LEXICON["civilian_words"]
PERSON_NOUNS = CIVILIAN_WORDS | LEXICON["person_nouns"]
# what war reports count besides people: "4 rocket shells", "two car bombs", "three villages"
THINGS = LEXICON["things"]
BREAKDOWN = re.compile(
    r"(?:\bincluding|\bamong\s+(?:them|whom|those|the\s+dead|the\s+victims)|\bof\s+whom|"
    r"\bof\s+them|\bmostly|\bmainly|^\s*(?:these|they|those|the\s+dead|the\s+victims)"
    r"(?:\s+\w+){0,3}\s+(?:include|included|were))\b[^.;]*$",
    re.I,
)


@functools.lru_cache(maxsize=4)
def _singles(persons: frozenset[str], doers: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ "killed a shopkeeper", "the driver was killed": a toll of one, named by a noun for one
    person (``context.persons`` of the taxonomy); "the bomber was killed" (``context.doers``)."""
    nouns = "|".join(sorted(persons, key=len, reverse=True))
    all_nouns = "|".join(sorted(persons | doers, key=len, reverse=True))
    single = re.compile(
        r"\b(?:a|an|one|(?<=killing\s)the|(?<=killed\s)the)\s+(?:\w+\s+){0,2}?(" + nouns + r")\b(?!-)",
        re.I,
    )
    the_single = re.compile(
        r"\b[Tt]he\s+(?:\w+\s+)?(?:" + all_nouns + r")\s+(?:was|has\s+been)\s+"
        r"(?:(?:shot\s+and\s+)?killed|shot\s+dead|beheaded|executed|wounded|injured|stabbed\s+to\s+death)\b"
    )
    return single, the_single


_NUMBER_WORDS = "|".join(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "dozens",
        "scores",
        "hundreds",
        "twenty",
        "thirty",
        "forty",
        "fifty",
    ]
)
_QUALIFIERS = (
    r"(?:\s+(?:at|least|more|than|about|around|some|nearly|almost|up|to|over|roughly|an|estimated|"
    r"the|a|no|fewer))*"
)
OBJECT_CUE = re.compile(
    r"\b(kill(?:ed|ing|s)?|wound(?:ed|ing|s)?|injur(?:ed|ing|es)?|execut(?:ed|ing)|behead(?:ed|ing)|"
    r"(?:shot|shoot(?:s|ing)?)\s+dead|gunn(?:ed|ing)\s+down|guns\s+down|assassinat(?:ed|ing))"
    r"(?:" + _QUALIFIERS + r"|\s+(?:at\s+least\s+)?\S+(?:\s+[\w-]+){0,3}?\s+and" + _QUALIFIERS + r")\s*$",
    re.I,
)
NOUN_CUE = re.compile(
    r"\b(deaths?|lives|killing|wounding|injury|injuries|wounds)\s+of" + _QUALIFIERS + r"\s*$", re.I
)
TOLL = re.compile(
    r"\b(?:death\s+toll|toll|dead|deaths|fatalities|(?:rose|risen|climbed|jumped)\s+to)\b", re.I
)


@dataclass
class Casualty:
    """One figure: killed or wounded, how many, whose side (actor mention or civilians)."""

    kind: str  # "killed" | "wounded"
    value: int
    high: int | None
    sent_index: int
    start: int
    end: int
    side: ActorMention | None
    civilians: bool
    breakdown: bool
    toll: bool
    joined: bool = False  # "a woman and a child", "3 soldiers and 2 civilians": adds to the figure before
    cumulative: bool = False  # "88 dead in two days of clashes": a sum over days, not one day's toll


def find_casualties(ann: Annotation, taxonomy: Taxonomy) -> list[Casualty]:
    doc = ann.doc
    sents = list(doc.sents)
    found: list[Casualty] = []
    counts = list(ann.counts)
    text = ann.article.text  # the doc's text, which spaCy rebuilds from its tokens on every access
    single, the_single = _singles(taxonomy.persons, taxonomy.doers)
    for m in single.finditer(text):
        counts.append(Count(m.start(), m.start() + len(m.group(0).split()[0]), m.group(0).split()[0], 1))
    for m in the_single.finditer(text):  # "the driver was killed": one
        counts.append(Count(m.start(), m.start() + 3, m.group(0)[:3], 1))
    history = _history_sentences(ann, sents)
    # "killing 12 people, police said": who reports is not whose dead they are
    actors = [a for a in ann.actors if not is_claimant(doc, a)]
    parties = (ByOffset(actors, lambda a: a.start_char), ByOffset(actors, lambda a: a.end_char))
    dated = {i for d in ann.dates for i in range(d.start, d.end)}
    for c in sorted(counts, key=lambda c: c.start):
        if c.start in dated:
            continue  # the 24 of "Friday 24 Jul 2015"
        si = ann.sentence_at(c.start)
        if si is None:
            continue
        sent = sents[si]
        if si in history:
            continue
        if _motive(ann, c, taxonomy):
            continue  # "in retaliation for the killing of three members": an earlier event's toll
        kind = _kind(text, c, sent, taxonomy)
        if kind is None or _counts_the_source(ann, c):
            continue
        side, civilians = _side(ann, c, sent, parties)
        prefix = text[sent.start_char : c.start]
        # "killing himself and three others": the bomber is one of the dead
        self_too = kind == "killed" and bool(SELF_AND.search(prefix))
        found.append(
            Casualty(
                kind,
                c.value + self_too,
                c.high + self_too if c.high is not None else None,
                si,
                c.start,
                c.end,
                side,
                civilians,
                bool(BREAKDOWN.search(prefix)),
                bool(TOLL.search(text[max(sent.start_char, c.start - 30) : c.start])),
                _joined(text, found[-1] if found else None, si, kind, c),
                bool(MULTI_DAY.search(sent.text)),
            )
        )
    return found


_SPAN_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|several|\d+)"
#: A figure told over several days ("in two days of clashes", "over the past three days",
#: "this week"): the sum of more than one day's events, second to a day's own toll.
MULTI_DAY = re.compile(
    rf"\b(?:in|over|during|within|after)\s+(?:the\s+(?:past|last)\s+)?{_SPAN_NUMBER}\s+(?:days|weeks)\b|"
    rf"\b{_SPAN_NUMBER}\s+(?:consecutive\s+)?days\s+of\b|"
    r"\b(?:over|during|in)\s+the\s+(?:past|last)\s+(?:week|month)\b|\bthis\s+week\b",
    re.I,
)


COORDINATED = re.compile(
    r"^(?:\s+[\w'-]+){0,4}?\s*(?:,\s*)?(?:and|as\s+well\s+as)\s+(?:at\s+least\s+)?$", re.I
)


def _joined(text: str, prev: Casualty | None, sent_index: int, kind: str, c: Count) -> bool:
    """The figure is coordinated with the one before in the same phrase, so both are counted:
    "killing a woman and a child" is two, "30 soldiers and 39 rebels" is 69."""
    if prev is None or prev.sent_index != sent_index or prev.kind != kind:
        return False
    return bool(COORDINATED.match(text[prev.end : c.start]))


def _counts_the_source(ann: Annotation, c: Count) -> bool:
    """ "a police officer said, adding that 20 were wounded": the "a" counts who speaks."""
    span = ann.doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    noun = tok.head if tok.dep_ in ("det", "nummod") else tok
    verb = noun.head
    if any(
        c.dep_ in ("oprd", "acomp", "xcomp") and c.lower_ in LEXICON["casualty_states"] for c in verb.children
    ):
        return False  # "10 reported dead": the ten are the dead, not who reports
    return noun.dep_ == "nsubj" and verb.lemma_ in REPORTING and verb.pos_ == "VERB"


SELF_AND = re.compile(r"\b(?:kill(?:ing|ed|s)?)\s+(?:him|her)self\s+and\s+(?:at\s+least\s+)?$", re.I)


def _motive(ann: Annotation, c: Count, taxonomy: Taxonomy) -> bool:
    """The figure sits in a phrase that gives the motive of the event ("in retaliation for")."""
    span = ann.doc.char_span(c.start, c.end, alignment_mode="expand")
    if span is None:
        return False
    return any(t.lemma_.lower() in taxonomy.motives for t in list(span.root.ancestors)[:6])


#: running totals with no date of their own: "since the start of the war", "since the assault began"
RUNNING_TOTAL = re.compile(
    r"\bsince\s+(?:then\b|(?:the\s+|its\s+|their\s+)?(?:start|beginning|outbreak|launch|onset)\b)|"
    r"\bsince\s+the\s+(?:\w+\s+){1,3}(?:began|started|erupted|broke\s+out)\b",
    re.I,
)


def _history_sentences(ann: Annotation, sents: list[Span]) -> set[int]:
    """Sentences dated as the past ("since 2011", "in 2014", "last year") or counting since a
    start ("since the war began"): their tolls are history."""
    publish = ann.article.publish_date
    text = ann.article.text  # a sentence's text is its slice: spaCy rebuilds it on every access
    out: set[int] = {i for i, s in enumerate(sents) if RUNNING_TOTAL.search(text[s.start_char : s.end_char])}
    for d in ann.dates:
        old = d.background or d.form_precision == "year"
        if publish is not None and d.value is not None:
            slack = {"day": 10, "week": 14, "month": 31}.get(d.precision or "", 366)
            old = old or (publish - d.value).days > slack
        if old and (si := ann.sentence_at(d.start)) is not None:
            out.add(si)
    # past perfect ("had been killed") tells what came before the news, unless it is
    # the backshift of reported speech ("the White Helmets reported that 13 had been killed")
    doc = ann.doc
    lowers: Any = doc.to_array(LOWER)
    firsts = [s.start for s in sents]
    for i in numpy.flatnonzero(lowers == numpy.uint64(doc.vocab.strings["had"])).tolist():
        t = doc[i]
        if t.dep_ in ("aux", "auxpass") and not _reported(t.head):
            out.add(bisect_right(firsts, i) - 1)
    return out


def _reported(verb: Token) -> bool:
    """The verb is the content of a reporting verb's clause ("X said that ... had been")."""
    return verb.dep_ in ("ccomp", "conj") and any(
        a.lemma_ in REPORTING and a.pos_ == "VERB" for a in verb.ancestors
    )


def _kind(text: str, c: Count, sent: Span, taxonomy: Taxonomy) -> str | None:
    """killed / wounded from the words around the number, within its clause."""
    after = text[c.end : min(sent.end_char, c.end + 90)]
    # the clause ends where another figure starts ("7 were killed and 14 more were wounded")
    after = re.split(
        r"[;:]|\band\s+(?:at\s+least\s+)?(?:\d+|" + _NUMBER_WORDS + r")\b|,\s*(?:while|and)\b",
        after,
        flags=re.I,
    )[0]
    before = text[max(sent.start_char, c.start - 45) : c.start].lower()
    following = [t for t in sent if c.end <= t.idx < c.end + len(after) and t.is_alpha][:12]
    words_after = [t.lemma_.lower() for t in following]
    surface = [t.lower_ for t in following]
    # the count must count people: a person noun soon after, or a casualty word right after
    head_words = words_after[:6]
    if words_after and words_after[0] in LEXICON["count_units"] and "bomber" not in " ".join(words_after[:2]):
        return None
    noun = _counted_noun(sent, c)
    if noun is not None and noun.lemma_.lower() in THINGS:
        return None  # "with 4 rocket shells killing 8": the 4 counts shells
    kinds = []
    near = None  # a casualty word within four words after the number ("14 more were wounded")
    for i, word in enumerate(head_words + words_after[6:]):
        if word in taxonomy.wounded:
            kinds.append("wounded")
        elif word in taxonomy.killed:
            kinds.append("killed")
        if kinds:
            near = kinds[0] if i < 4 else None
            if near is not None and i == 1 and head_words[0] in PERSON_NOUNS and surface[i].endswith("ed"):
                return near  # "8 persons killed 58 others injured": the 58 are the injured
            break
    # "killed at least 12 people and wounded 20": a verb whose object the number is decides
    # "leading to the death of eight and the injury of 89": the noun before the number
    of = NOUN_CUE.search(before)
    if of:
        return "wounded" if of.group(1).startswith(("wound", "injur")) else "killed"
    obj = OBJECT_CUE.search(before)
    if obj:
        return "wounded" if obj.group(1).startswith(("wound", "injur")) else "killed"
    if near is not None:
        return near
    # "killing 12", "the death toll rose to 70", "Injured 100": the nearest cue before wins
    cue = re.search(
        r"(?:(kill|killing|killed|left|leaving|claimed|claiming|executed|executing|beheaded|"
        r"massacred|slaughtered|death\s+toll\s+(?:\w+\s+){0,3}(?:to|at|of)|toll\s+(?:\w+\s+){0,2}"
        r"(?:to|at|of)|(?:rose|risen|rising|climbed|jumped|increased)\s+to|bodies\s+of|deaths\s+of)|"
        r"(wounding|injuring|wounded|injured|wounds|injuries))(?:\s+\w+){0,3}\s*$",
        before,
    )
    if cue and not _acts_otherwise(_counted_noun(sent, c) or _number_itself(sent, c), taxonomy):
        if cue.group(2):
            return "wounded"
        # "left 5 dead" / "left 5 wounded": only leaving-cues take their kind from the next word
        if (
            re.match(r"(?:left|leaving)", cue.group(1) or "")
            and words_after[:1]
            and words_after[0].startswith(("wound", "injur"))
        ):
            return "wounded"
        return "killed"
    if not kinds:
        return _kind_of_coordination(_counted_noun(sent, c), taxonomy)
    person = any(w in PERSON_NOUNS for w in words_after[:4])
    noun = _counted_noun(sent, c)
    if not person or not _counts_people(noun) or _acts_otherwise(noun, taxonomy):
        return None
    return kinds[0]


def _counted_noun(sent: Span, c: Count) -> Token | None:
    """The noun a number counts ("four raids", "12 people"), when the parse says so."""
    span = sent.doc.char_span(c.start, c.end, alignment_mode="expand")
    return span.root.head if span is not None and span.root.dep_ == "nummod" else None


def _number_itself(sent: Span, c: Count) -> Token | None:
    """A number that stands for the people it counts ("at least 30 were arrested")."""
    span = sent.doc.char_span(c.start, c.end, alignment_mode="expand")
    return span.root if span is not None and span.root.dep_ in ("nsubj", "nsubjpass") else None


def _kind_of_coordination(noun: Token | None, taxonomy: Taxonomy) -> str | None:
    """ "30 regime soldiers and 39 rebel fighters had been killed": the first conjunct takes
    the verb its coordination is the subject or object of."""
    if noun is None:
        return None
    while noun.dep_ == "conj" and noun.head is not noun:
        noun = noun.head
    if noun.dep_ not in ("nsubj", "nsubjpass", "dobj") or not any(t.dep_ == "conj" for t in noun.children):
        return None
    verb = noun.head.lemma_.lower()
    return "killed" if verb in taxonomy.killed else "wounded" if verb in taxonomy.wounded else None


def _acts_otherwise(noun: Token | None, taxonomy: Taxonomy) -> bool:
    """ "killed when two suicide bombers detonated ...": the counted people are the subject of
    another verb, so the number is not the toll the cue before it reports ("several were injured
    and at least 30 were arrested": the 30 are the arrested)."""
    if noun is not None and noun.dep_ == "nsubjpass" and noun.head.pos_ == "VERB":
        return noun.head.lemma_.lower() in LEXICON["not_toll_verbs"]
    if noun is None or noun.dep_ != "nsubj" or noun.head.pos_ != "VERB":
        return False
    return noun.head.lemma_.lower() not in taxonomy.killed | taxonomy.wounded


def _counts_people(noun: Token | None) -> bool:
    """ "four raids on civilian homes ... killing three": a number counting things is no toll."""
    return noun is None or noun.lemma_.lower() in PERSON_NOUNS or noun.lower_ in PERSON_NOUNS


def _side(
    ann: Annotation,
    c: Count,
    sent: Span,
    parties: tuple[ByOffset[ActorMention], ByOffset[ActorMention]],
) -> tuple[ActorMention | None, bool]:
    """The actor named in the counted noun phrase ("30 pro-regime fighters", "7 militants from al-Quds")."""
    window_end = min(sent.end_char, c.end + 60)
    text = ann.article.text[c.end : window_end].lower()
    stop = re.search(
        r"\b(?:were|was|killed|died|dead|wounded|injured|have|had|in|on|by|after|during|when)\b", text
    )
    limit = c.end + (stop.start() if stop else len(text))
    # "from X" right after the noun belongs to the phrase ("7 militants from al-Quds Brigade")
    m = re.match(r"\s*(?:\w+\s+){0,3}?from\s+", ann.article.text[c.end : window_end], re.I)
    if m:
        limit = max(limit, c.end + m.end() + 30)
    by_start, by_end = parties  # the actors not claimants, by where they begin and end
    sided = by_start.within(c.end, limit)
    before = by_end.within(c.start - 4, c.start + 1)
    words = set(re.findall(r"[a-z]+", text[: limit - c.end]))
    civ = bool(words & CIVILIAN_WORDS)
    sided.sort(key=lambda a: a.actor is None)  # "7 militants from al-Quds Brigade": the name wins
    if sided:
        return sided[0], civ and sided[0].actor is None and sided[0].generic is not None and "civilian" in (
            sided[0].generic.kinds
        )
    if before:
        return before[0], False
    return None, civ
