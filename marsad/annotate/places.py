"""Place mentions: find capitalised spans the gazetteer knows, then disambiguate them
together, by the article's countries, co-mentioned places and population.

Never "the first match": a name that is also a village in another country (there is a
Damascus in Maryland) goes to the country the article is about.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Span, Token

from marsad.annotate.actors import MODIFIER_SUFFIXES
from marsad.annotate.dates import MONTHS, WEEKDAYS
from marsad.knowledge.actors import load_actors
from marsad.knowledge.lexicon import load_lexicon
from marsad.knowledge.places import (
    ARTICLES,
    DIVISION_WORDS,
    LOOSE,
    Gazetteer,
    Match,
    Place,
    continents,
    demonyms,
    fold,
    name_keys,
    neighbours,
    publishers,
)

MAX_TOKENS = 5
POSSESSIVES = ("'s", "’s")
CONNECTORS = frozenset(
    {
        "al",
        "el",
        "ez",
        "ad",
        "ar",
        "as",
        "ash",
        "at",
        "az",
        "an",
        "-",
        "de",
        "du",
        "la",
        "es",
        "bin",
        "ibn",
        "bani",
        "abu",
        "um",
        "umm",
        "ain",
        "'s",  # "Cox's Bazar", "Martha's Vineyard": a possessive inside a name
        "’s",
        "ras",
        "tal",
        "tell",
    }
)
ARTICLE_WORDS = frozenset(
    {"al", "el", "ez", "ad", "ar", "as", "ash", "at", "az", "an", "de", "du", "la", "es", "bin", "ibn"}
)
# Capitalised words that are never the place meant, though GeoNames has villages so named.
NOT_PLACES = frozenset(
    {
        *WEEKDAYS,
        *MONTHS,
        "the",
        "on",
        "in",
        "at",
        "it",
        "he",
        "she",
        "we",
        "they",
        "this",
        "that",
        "these",
        "those",
        "a",
        "an",
        "president",
        "minister",
        "army",
        "state",
        "islamic",
        "observatory",
        "reuters",
        "afp",
        "ap",
        "un",
        "us",
        "god",
        "allah",
        "news",
        "agency",
        "said",
        "mr",
        "ms",
        "government",
        "regime",
        "rebels",
        "forces",
        "police",
        "human",
        "rights",
        "council",
        "security",
        "united",
        "nations",
        "front",
        "free",
        "national",
        "media",
        "democratic",
        "brigade",
        "division",
        "general",
        "colonel",
        "commander",
        "sheikh",
        "imam",
        "saint",
        "st",
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        # news agencies that sign reports ("according to Xinhua")
        "xinhua",
        "irna",
        "tass",
        "wafa",
        "interfax",
        "yonhap",
        "kyodo",
        "bernama",
        "sputnik",
        "sana",
        # titles before names ("Transportation Secretary Anthony Foxx")
        "secretary",
        "chairman",
        "governor",
        "mayor",
        "senator",
        "spokesman",
        "spokeswoman",
        "ambassador",
        "premier",
        "judge",
        # compass points of "12km SE of Afgooye"
        "n",
        "s",
        "e",
        "w",
        "ne",
        "nw",
        "se",
        "sw",
        "nne",
        "ene",
        "ese",
        "sse",
        "ssw",
        "wsw",
        "wnw",
        "nnw",
    }
)
# The small model often calls towns NORP or ORG ("near Aleppo" is NORP to it), so only
# labels it rarely gives a place rule a single word out.
SKIP_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})


def _number_or_time(token: Token) -> bool:
    """The parser's number and time labels, except on a proper noun: it sometimes calls a
    city a DATE ("in Winnipeg."); marsad's own date layer has blocked real dates already."""
    return token.ent_type_ in SKIP_LABELS and not (
        token.tag_ in ("NNP", "NNPS") and token.ent_type_ in ("DATE", "TIME")
    )


def candidate_spans(doc: Doc, blocked: set[int]) -> Iterable[tuple[int, int]]:
    """Capitalised token runs (with Arabic connectors) not inside actors or names of people."""
    i = 0
    n = len(doc)
    strings = doc.vocab.strings
    table: Any = doc.to_array([ORTH, LOWER])  # each word once, not a Token per look
    rows = table.reshape(n, 2).tolist()
    capital = [strings[orth][:1].isupper() for orth, _ in rows]
    lower = [strings[low] for _, low in rows]
    while i < n:
        if i in blocked or not (capital[i] or lower[i] in ("al", "el")):
            i += 1
            continue
        j = i
        while j < n and j - i < MAX_TOKENS and j not in blocked and (capital[j] or lower[j] in CONNECTORS):
            j += 1
        # longest first from each start; a later start only where no earlier one matched
        # (the caller skips used tokens), so "Syrias Aleppo" still finds "Aleppo"
        for k in range(i, j):
            if lower[k] in POSSESSIVES:
                continue  # "'s Idlib" is no name: "Syria's Idlib" is Syria and Idlib
            for end in range(j, k, -1):
                if lower[end - 1] not in POSSESSIVES:
                    yield k, end
        i = j


class Entities:
    """The parser's entities of one Doc, indexed once by token: every check of a candidate
    span looks its entity up in constant time, so the place layer stays linear in the text."""

    def __init__(self, doc: Doc) -> None:
        self.at: dict[int, Span] = {}
        self.people: set[str] = set()  # words of the names of people ("Paterson" of "Mark Paterson")
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.at[i] = ent
            if ent.label_ == "PERSON" and len(ent) >= 2:
                self.people.update(t.text for t in ent if t.text[:1].isupper())

    def covering(self, span: Span) -> Span | None:
        """The entity that holds the whole span, if any."""
        ent = self.at.get(span.start)
        return ent if ent is not None and span.end <= ent.end else None


def _org_named(span: Span, ents: Entities) -> bool:
    ent = ents.covering(span)
    return (
        ent is not None
        and ent.label_ in ("ORG", "PERSON", "EVENT", "WORK_OF_ART")
        and ent.start == span.start
        and ent.end == span.end
    )


def _has_place_word(span: Span) -> bool:
    return any(
        t.lower_ in ("city", "town", "province", "district", "county", "village", "governorate") for t in span
    )


def _division_named(span: Span) -> bool:
    """ "Metcalfe County", "Jurm district", "the district of Walikale": the text names a
    second-level division, which only then is looked up."""
    doc = span.doc
    nxt = doc[span.end].lower_ if span.end < len(doc) else ""
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
    return (
        (len(span) > 1 and span[-1].lower_ in DIVISION_WORDS)
        or nxt in DIVISION_WORDS
        or (len(before) == 2 and before[1] == "of" and before[0] in DIVISION_WORDS)
    )


HYPHEN_PREFIXES = frozenset({"pro", "anti", "non", "ex", "post", "pre"})


def _hyphen_prefixed(span: Span) -> bool:
    """ "pro-Damascus media", "anti-Kyiv": a stance, not a place where anything happened."""
    doc = span.doc
    if span[0].text == "-":
        return True
    return (
        span.start >= 2
        and doc[span.start - 1].text == "-"
        and not doc[span.start - 1].whitespace_
        and doc[span.start - 2].lower_ in HYPHEN_PREFIXES
    )


def _modifier_follows(span: Span) -> bool:
    """ "Hamas-affiliated", "Houthi-led": the word names who backs or leads something."""
    doc = span.doc
    return (
        span.end + 1 < len(doc)
        and doc[span.end].text == "-"
        and not span[-1].whitespace_
        and doc[span.end + 1].lower_ in MODIFIER_SUFFIXES
    )


def _weak_single(span: Span) -> bool:
    """One capitalised word the tagger took for an adjective or a common noun ("Aleppo bomb
    blast", "district of Aleppo Syrian state TV"). It may be a place, but only one in a country
    the article is about: "Nice weather" is not the French city."""
    first = span[0]
    return (
        len(span) == 1
        and first.tag_ in ("JJ", "NN", "NNS")
        and first.text[:1].isupper()
        and first.text[1:2].islower()
        and first.lower_ not in NOT_PLACES
        and not _number_or_time(first)
        and not _hyphen_prefixed(span)
    )


#: Words after a name that make it a first-level region's ("Odesa region", "Idlib province").
REGION_WORDS = frozenset({"region", "province", "oblast", "governorate", "state"})


def _struck_big_place(span: Span, cands: list[Match]) -> list[Match]:
    """The candidates of a capitalised word inside a sentence that the text puts something in
    or strikes ("in Homs", "shelled Homs", "rockets on Homs"), when one of them is a place of
    100,000 people or more by its own name as written; else none. The capital inside the
    sentence and the grammar say it is a name, its size that it is the name of that place."""
    first = span[0]
    if not any(
        m.quality == 0 and m.place.kind in ("city", "admin1") and m.place.population >= 100_000 for m in cands
    ):
        return []
    after = span.doc[span.end] if span.end < len(span.doc) else None
    if after is not None and after.lower_ in REGION_WORDS:
        return cands  # "Odesa region: drones attacked ...": named as a region, wherever it stands
    if first.is_sent_start:
        return []
    struck = first.dep_ == "dobj" and first.head.pos_ == "VERB"
    on = _struck_on(span)
    return cands if struck or on or (_locative(span) and first.dep_ == "pobj") else []


def _names_a_place_noun(token: Token) -> bool:
    """A capitalised word the tagger took for an adjective, before a place noun ("Residents of
    Kasese town"): a town's name, unless it is a nationality ("a Syrian town")."""
    nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return (
        nxt is not None
        and nxt.lower_ in ("town", "city", "village", "district", "county", "municipality")
        and token.text[:1].isupper()
        and not token.is_sent_start
        and demonym_country(token.text) is None
    )


def _plausible(span: Span, ents: Entities) -> bool:
    first = span[0]
    if _hyphen_prefixed(span) or _head_of_longer_name(span):
        return False
    if len(span) == 1:
        if first.text == "US":
            return True  # the country, not the pronoun
        if first.lower_ in NOT_PLACES or _number_or_time(first):
            return False
        if (
            first.tag_ not in ("NNP", "NNPS")
            and first.ent_type_ not in ("GPE", "LOC", "FAC")
            and not _names_a_place_noun(first)
        ):
            return False
    last = span[-1]
    if (
        last.text == "-"
        or last.lower_ in CONNECTORS
        and (last.text[:1].islower() or last.lower_ in ARTICLE_WORDS)
    ):
        return False  # "Tal" may end a name ("Ganei Tal"); "al" never does
    doc = span.doc
    nxt = doc[span.end : span.end + 2]
    if (
        len(nxt) == 2
        and nxt[0].text == "-"
        and nxt[1].lower_ in ("based", "born", "headquartered", "registered")
    ):
        return False  # "New York-based": where someone is from, not where anything happened
    if nxt[:1] and nxt[0].text == "(" and span.text.isupper():
        return False  # "MOSCOW (Sputnik)": the dateline is where the writer sat
    # inside a longer name of an organisation, person or event ("Red Cross", "Ghouta Massacre")
    ent = ents.covering(span)
    if (
        ent is not None
        and ent.label_ in ("ORG", "PERSON", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT")
        and (ent.start < span.start or ent.end > span.end)
        and not _has_place_word(ent)
        and not (ent.start == span.start and _locative(span))  # "a bomb in Ankara Courthouse"
    ):
        return False
    if all(t.lower_ in COMPASS or t.lower_ in COMPASS_COMPOUNDS or t.text == "-" for t in span):
        return False  # "Northwest of Hama", "north-west Syria": a direction, not Zambia's North-Western
    # "The Hague" passes; "The town" does not get here, "On Friday" never matches
    # "South Africa", "West Virginia": a compass word may begin a name the gazetteer knows
    if first.lower_ in PLACE_TITLES and len(span) > 1 and (_locative(span) or _named_as_place(span)):
        return True  # "south of Sheikh Zuweid", "the Sheikh Maqsoud district": a title that begins a place
    return not (first.lower_ in NOT_PLACES and len(span) > 1 and first.lower_ not in ("al", "el", *COMPASS))


# Titles of people that also begin the names of places ("Sheikh Zuweid", "Saint-Louis")
PLACE_TITLES = frozenset({"sheikh", "saint", "st"})


COMPASS = ("north", "south", "east", "west", "northern", "southern", "eastern", "western", "central")
COMPASS_COMPOUNDS = frozenset(
    a + b + end for a in ("north", "south") for b in ("east", "west") for end in ("", "ern")
)
COMPASS_WORDS = frozenset(COMPASS) | COMPASS_COMPOUNDS


#: Words for the land around a town ("rural Idlib", "greater Damascus", "downtown Kabul").
AROUND_WORDS = frozenset({"rural", "greater", "downtown", "central", "outer", "inner", "suburban"})


PLACE_NOUNS = frozenset(
    {
        "town",
        "village",
        "city",
        "district",
        "neighbourhood",
        "neighborhood",
        "province",
        "area",
        "suburb",
        "camp",
        "region",
        "governorate",
        "countryside",
        "outskirts",
        "settlement",
        "settlements",
        "kibbutz",
        "moshav",
        "crossing",
        "checkpoint",
        "junction",
        "bloc",
    }
)


def _place_cue(span: Span) -> bool:
    """A spelling guess needs the text to say it is a place: "south of X", "X province" whatever
    the tagger took the name for; "in X", "the town of X" unless it took it for a person,
    people or organisation."""
    doc = span.doc
    if span.text.endswith("s"):
        return False
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    after = [t.lower_ for t in doc[span.end : span.end + 1]]
    if len(before) >= 2 and before[-1] == "of" and before[-2] in COMPASS_WORDS:
        return True  # "south of X"
    if set(after) & PLACE_NOUNS:
        return True  # "X district", "Jowhar Town"
    return span[0].ent_type_ not in ("NORP", "PERSON", "ORG") and (
        bool(before and before[-1] in LOCATIVE - {"of", "from", "to"}) or bool(set(before) & PLACE_NOUNS)
    )


@dataclass
class Resolved:
    """A place mention and the reasons it went to this place: the winner's features and
    the best candidate in another place (the runner-up), with their scores."""

    span: Span
    place: Place
    why: dict[str, object] = field(default_factory=dict)


def find_places(
    doc: Doc, gazetteer: Gazetteer, blocked: set[int], context_countries: dict[str, float] | None = None
) -> list[tuple[Span, Place]]:
    """Resolved place mentions of ``doc`` (non-overlapping, in text order)."""
    return [(r.span, r.place) for r in resolve_places(doc, gazetteer, blocked, context_countries)]


def resolve_places(
    doc: Doc, gazetteer: Gazetteer, blocked: set[int], context_countries: dict[str, float] | None = None
) -> list[Resolved]:
    """Resolved place mentions of ``doc`` with the reasons for each choice."""
    ents = Entities(doc)
    mentions: list[tuple[Span, list[Match]]] = []
    guesses: list[tuple[Span, list[Place], str]] = []
    used: set[int] = set()
    plausible: dict[tuple[int, int], bool] = {}  # the second pass asks again of the same spans

    def is_plausible(span: Span) -> bool:
        key = (span.start, span.end)
        if key not in plausible:
            plausible[key] = _plausible(span, ents)
        return plausible[key]

    spans = list(candidate_spans(doc, blocked))  # both passes walk the same spans
    for start, end in spans:
        if any(k in used for k in range(start, end)):
            continue
        span = doc[start:end]
        if span.text in continents():
            continue  # "Asia" is the continent, not the town in the Philippines; see find_demonyms
        if not is_plausible(span):
            if _weak_single(span) and (big := _struck_big_place(span, gazetteer.matches(span.text))):
                # "Army artillery shelled Homs": the tagger took the town for a plural noun or a
                # firm, but the text strikes it and its name is a big place's own: disambiguate it
                mentions.append((span, big))
                used.add(start)
                continue
            if _weak_single(span) and (found := gazetteer.lookup(span.text)):
                guesses.append((span, [p for p in found if p.kind == "city"] or found, "weak word"))
                used.add(start)
            continue
        candidates = gazetteer.matches(span.text)
        if _division_named(span):
            candidates += gazetteer.divisions(span.text)
        if not candidates and len(span) == 1 and span.text.endswith("s") and len(span.text) > 5:
            # "Aleppos" where the apostrophe was lost: only a big place (not "Liberals" -> Liberal)
            candidates = [m for m in gazetteer.matches(span.text[:-1]) if m.place.population >= 100_000]
        if (
            not candidates
            and len(span) == 2
            and (_place_cue(span) or _locative(span))
            and span[1].is_alpha
            and span[1].lower_ not in PLACE_NOUNS
            and gazetteer.matches(span[0].text)
            and not gazetteer.matches(span[1].text)
            and (loose := gazetteer.lookup_loose(span.text))
            and any(_two_words(p.name) and _spelling_likeness(span.text, p.name) >= LIKENESS for p in loose)
        ):
            # "in Beni Sueif": a two-word name spelled another way, guessed before its first word
            # ("Beni") is taken for a town of its own; not when its second word is a place too
            guesses.append((span, [p for p in loose if _two_words(p.name)], "transliteration"))
            used.update(range(start, end))
            continue
        if not candidates:
            continue
        if _modifier_follows(span) and not any(m.quality == 0 for m in candidates):
            continue  # "Hamas-affiliated": a group's name, not another name of Hamm
        biggest = max(m.place.population for m in candidates)
        struck = _locative(span) or _struck_on(span)  # "rockets on X", "fire on the Erez crossing"
        if len(span) == 1 and span.text in ents.people and not (struck and biggest >= 100_000):
            continue  # "Paterson said" after "Mark Paterson": the person, not the city in New Jersey
        if _org_named(span, ents) and not (_named_as_place(span) or struck) and biggest < 50_000:
            continue  # "Red Cross" the organisation, not the hamlet; "at Sederot" is a place
        if span[0].ent_type_ == "PERSON" and not struck and biggest < 20_000:
            continue  # a name that is also a village; "near Palmyra" is a place whatever the tagger says
        mentions.append((span, candidates))
        used.update(range(start, end))
    for start, end in spans:
        span = doc[start:end]
        if any(k in used for k in range(start, end)) or not is_plausible(span) or not _place_cue(span):
            continue
        if _part_of_unknown_name(span, used):
            continue  # "Maaret" of "the village of Maaret Harmeh": a guess takes the whole name
        loose = gazetteer.lookup_loose(span.text)
        if loose:
            guesses.append((span, loose, "transliteration"))
            used.update(range(start, end))
    chosen = disambiguate(mentions, context_countries or {})
    votes: dict[str, float] = defaultdict(float, context_countries or {})
    for r in chosen:
        votes[r.place.country_code] += 1.0
    total = sum(votes.values()) or 1.0
    for span, cands, how in guesses:
        # a guess counts only inside a country the article is already about
        home = [p for p in cands if votes[p.country_code] / total >= 0.3]
        if how == "transliteration":
            # a loose spelling is guessed only in the country the article is most about ("the
            # Jeeneh district" of a report on Syria that often names the US is not Geneva, Ohio)
            top = max(votes.values(), default=0.0)
            home = [p for p in home if votes[p.country_code] >= top]
            # a spelling guess must be spelled like the place once the letters English spellings
            # of Arabic and African names vary on are folded ("Soweilah" = Suwaylih, but
            # "Udairi" is not Anchorage nor "Nyakakoma" Goma, though their skeletons agree)
            home = [p for p in home if _spelling_likeness(span.text, p.name) >= LIKENESS]
        if home:
            # the spelling nearest the text's first ("Sheikh Zuweid" is Ash Shaykh Zuwayd, not the
            # bigger Ash-Shaykh Zayid), then the bigger place
            best = max(home, key=lambda p: (round(_spelling_likeness(span.text, p.name), 1), p.population))
            why: dict[str, object] = {
                "match": how,
                "country_share": round(votes[best.country_code] / total, 2),
            }
            chosen.append(Resolved(span, best, why))
    return _within_their_city(sorted(chosen, key=lambda r: r.span.start))


LIKENESS = 0.6  # the least likeness of a transliteration guess to the place's name


def _two_words(name: str) -> bool:
    """A name of two words besides its article ("Ash Shaykh Zuwayd", "Banī Suwayf")."""
    words = [w for w in re.split(r"[\s-]+", name.lower()) if w]
    return len([w for w in words if w not in ARTICLES]) == 2


def _spelling_likeness(text: str, name: str) -> float:
    """How alike two spellings of a name are, articles, marks, spaces and the digraphs of
    transliteration aside (0 to 1): "Sheikh Zuweid" and "Ash Shaykh Zuwayd" are one."""
    a, b = name_keys(text), name_keys(name)
    if not a or not b:
        return 0.0
    x, y = a[-1], b[-1]
    for old, new in LOOSE:
        x, y = x.replace(old, new), y.replace(old, new)
    return difflib.SequenceMatcher(None, x, y).ratio()


def publisher_countries(publisher: str | None, gazetteer: Gazetteer) -> set[str]:
    """The countries a publisher's name says it reports on: a local outlet it knows ("Radio
    Okapi"), or a country, province, big city or people its name holds ("Libya Herald",
    "Vanguard (Lagos)", "Nigerian Tribune"); none for an outlet that reports on the whole world
    ("Agence France Presse", "Xinhua News Agency - French")."""
    out: set[str] = set()
    table = publishers()
    for part in (p.strip() for p in re.split(r"[;|]", publisher or "")):
        folded = fold(part)
        where = re.findall(r"\(([^)]*)\)", part)  # "The Guardian (Lagos)": the place it is from
        if where:
            part = " ".join(where)
        elif not folded:
            continue
        world = (cc for name, cc in table.items() if cc == "*" and re.match(re.escape(name) + r"\b", folded))
        known = None if where else table.get(folded) or next(world, None)
        if known is not None:
            out.update(known.split("|") if known != "*" else [])
            continue
        words = re.findall(r"[^\W\d_][\w'’.-]*", part)
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                text = " ".join(words[i : i + size])
                if not text[:1].isupper() or text.lower() in NOT_PLACES:
                    continue
                if cc := demonym_country(text):
                    out.add(cc)
                out.update(
                    m.place.country_code
                    for m in gazetteer.matches(text)
                    if m.quality == 0
                    and (m.place.kind in ("country", "admin1") or m.place.population >= 100_000)
                )
    return out


def demonym_country(word: str) -> str | None:
    """The country whose people ``word`` names: "Syrian", "Syrians" -> SY."""
    table = demonyms()
    return table.get(word) or (table.get(word[:-1]) if word.endswith("s") and len(word) > 4 else None)


def find_demonyms(doc: Doc, gazetteer: Gazetteer, places: list[Resolved]) -> list[Resolved]:
    """Adjectival and demonymic toponyms ("Syrian troops", "the Russians") and continents
    ("Asia", "European"): the country or continent they name, as geoparsing gold sets count
    them, and countries named inside the name of an actor or a firm ("Costco Canada"). Not
    places where anything happened: extraction never sees them; ``annotate`` prints them with
    the role "demonym" or "in a name"."""
    taken = {i for r in places for i in range(r.span.start, r.span.end)}
    ents = Entities(doc)
    homes = Counter(r.place.country_code for r in places)
    out = []
    i = 0
    while i < len(doc):
        for span in (doc[i : i + n] for n in (3, 2, 1) if i + n <= len(doc)):
            if not span.text[:1].isupper() or taken & set(range(span.start, span.end)):
                continue
            cc = demonym_country(span.text) if len(span) < 3 else None
            found = gazetteer.country(cc) if cc else continents().get(span.text)
            how = "demonym"
            if found is None and span[-1].text[:1].isupper():
                # "U.S. officials", "Costco Canada": a country named inside an actor or a firm
                found = next((m.place for m in gazetteer.matches(span.text) if _named_country(m)), None)
                how = "country in a name"
            if found is None and _inside_organisation(span, ents):
                # "Kentucky State Police", "CBC Toronto": a province or a city in the name of a body
                named = [m.place for m in gazetteer.matches(span.text) if _named_region_or_city(m)]
                found = max(named, key=lambda p: (homes[p.country_code], p.population), default=None)
                how = "place in a name"
            if found is not None:
                role = "demonym" if how == "demonym" else "in a name"
                out.append(Resolved(span, found, {"place": found.name, "match": how, "role": role}))
                i = span.end - 1
                break
        i += 1
    return out


NAMED_BODY_LABELS = frozenset({"ORG", "FAC"})


def places_in_names(
    doc: Doc, gazetteer: Gazetteer, places: list[Resolved], countries: dict[str, float]
) -> list[Resolved]:
    """Towns and provinces inside the name of a body or a building ("the University of
    Johannesburg", "Kapchorwa Central Police Station", "the Benghazi Shura Council"). The text
    puts nothing there, so they are no places of the text's own; but a report that names no
    other place most likely tells of something at that body, in that town. A town counts in a
    country the article is about (its actors, people, publisher or places say so), or when it
    is a city of 100,000 people or more; never a word like "Central" or a country."""
    taken = {i for r in places for i in range(r.span.start, r.span.end)}
    out: list[Resolved] = []
    for ent in doc.ents:
        if ent.label_ not in NAMED_BODY_LABELS or len(ent) < 2:
            continue
        i = ent.start
        while i < ent.end:
            for n in (3, 2, 1):
                span = doc[i : i + n]
                if span.end > ent.end or taken & set(range(span.start, span.end)):
                    continue
                if not all(t.text[:1].isupper() or t.lower_ in CONNECTORS for t in span):
                    continue
                if span[0].lower_ in NOT_PLACES or span[-1].lower_ in NOT_PLACES:
                    continue
                named = [
                    m.place
                    for m in gazetteer.matches(span.text)
                    if m.quality == 0 and m.place.kind in ("city", "admin1")
                ]
                home = [p for p in named if countries.get(p.country_code, 0.0) > 0] or [
                    p for p in named if p.kind == "city" and p.population >= 100_000
                ]
                if home:
                    best = max(home, key=lambda p: (countries.get(p.country_code, 0.0), p.population))
                    why: dict[str, object] = {
                        "place": best.name,
                        "match": "place in a name",
                        "role": "in a name",
                    }
                    out.append(Resolved(span, best, why))
                    i = span.end - 1
                    break
            i += 1
    return out


def _inside_organisation(span: Span, ents: Entities) -> bool:
    ent = ents.covering(span)
    return ent is not None and ent.label_ in ("ORG", "FAC", "WORK_OF_ART") and len(ent) > len(span)


def _named_region_or_city(m: Match) -> bool:
    return m.quality == 0 and (
        m.place.kind == "admin1" or m.place.kind == "city" and m.place.population >= 100_000
    )


def _named_country(m: Match) -> bool:
    return m.place.kind == "country" and m.quality == 0


SUB_PLACES = frozenset({"district", "neighbourhood", "neighborhood", "quarter", "suburb", "area"})


def _within_their_city(chosen: list[Resolved]) -> list[Resolved]:
    """ "the Salah al-Din district of Aleppo": a part of the city named after it. When the
    gazetteer's place of that name lies elsewhere (an Iraqi province), the name is not it, and
    the city stands for the event's place."""
    out = []
    for i, r in enumerate(chosen):
        doc = r.span.doc
        follow = [t.lower_ for t in doc[r.span.end : r.span.end + 3]]
        city = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            city is not None
            and follow[:2] in ([w, "of"] for w in SUB_PLACES)
            and city.span.start in (r.span.end + 2, r.span.end + 3)
            and (r.place.country_code != city.place.country_code or distance_km(r.place, city.place) > 30)
            and not _holds(city.place, r.place)  # "Jurm district of Badakhshan": the province holds it
        ):
            continue
        out.append(r)
    return out


def _holds(region: Place, place: Place) -> bool:
    return (
        region.kind == "admin1"
        and region.country_code == place.country_code
        and region.admin1_code == place.admin1_code
    )


# How much a spelling match is worth: the place's own name as written, its own name spelled
# another way, one of its other names, one of its other names spelled another way. An other
# name of a big city ("Belem" is also called Bethlehem) must not beat the real Bethlehem.
MATCH_PENALTY = (0.0, 0.4, 1.5, 2.2)
KIND_BONUS = {"country": 2.5, "admin1": 0.5, "admin2": 0.5, "region": 0.5, "city": 0.0}
EVIDENCE = {"country": 2.0, "admin1": 1.5, "admin2": 1.2, "region": 1.0}


def _evidence(m: Match) -> float:
    """How strongly a candidate says the article is about its country."""
    p = m.place
    weight = EVIDENCE.get(p.kind) or (1.0 if p.population >= 50_000 else 0.25)
    return weight if m.own_name else weight * 0.3


Votes = dict[str, float]


def _mention_votes(cands: list[Match]) -> Votes:
    """What one mention says about the article's countries: a named country or province is
    strong evidence, a small town's name weak, a name many countries share split between them."""
    best: Votes = {}
    for m in cands:
        best[m.place.country_code] = max(best.get(m.place.country_code, 0.0), _evidence(m))
    return {cc: weight / len(best) for cc, weight in best.items()}


class Countries:
    """The article's countries as votes, and each mention's share of a country without its own
    vote (leave one out: a name must not vouch for itself)."""

    def __init__(self, context: Votes, own: list[Votes], names: list[str] | None = None) -> None:
        self.votes: Votes = defaultdict(float, context)
        for votes in own:
            for cc, weight in votes.items():
                self.votes[cc] += weight
        self.total = sum(self.votes.values())
        # a name said five times is one witness: "London" repeated must not vouch for itself
        by_name: dict[str, Votes] = defaultdict(lambda: defaultdict(float))
        for name, votes in zip(names or [str(i) for i in range(len(own))], own, strict=True):
            for cc, weight in votes.items():
                by_name[name][cc] += weight
        self.own = [dict(by_name[name]) for name in names] if names else own

    def share(self, cc: str, index: int | None = None) -> float:
        """The country's share of the votes, with a third of its neighbours' (Bethlehem in an
        article about Israel), leaving out mention ``index``'s own vote."""
        own = self.own[index] if index is not None else {}
        total = self.total - sum(own.values())
        if total <= 0:
            return 0.0
        mine = self.votes.get(cc, 0.0) - own.get(cc, 0.0)
        near = sum(self.votes.get(n, 0.0) - own.get(n, 0.0) for n in neighbours().get(cc, ()))
        return min(1.0, (mine + near / 3) / total)

    def leads(self, cc: str, index: int | None = None) -> bool:
        """The country has the most votes (a tie included), leaving out mention ``index``'s own."""
        own = self.own[index] if index is not None else {}
        votes = {c: v - own.get(c, 0.0) for c, v in self.votes.items()}
        return votes.get(cc, 0.0) > 0 and votes[cc] >= max(votes.values())


def disambiguate(mentions: list[tuple[Span, list[Match]]], context: dict[str, float]) -> list[Resolved]:
    """Choose one place per mention by a transparent score (see ``_features``): the article's
    countries, how the name matched, population, fame, the kind of place, what the text says
    contains it ("X, Y") and nearness to the places named without ambiguity. Two rounds: the
    second counts the countries the first round chose."""
    anchors = _anchors(mentions)
    names = [span.text.lower() for span, _ in mentions]
    countries = Countries(context, [_mention_votes(cands) for _, cands in mentions], names)
    picks = [_pick(span, cands, countries, anchors, mentions, i) for i, (span, cands) in enumerate(mentions)]
    countries = Countries(
        context, [{best.place.country_code: _evidence(best)} for best, _, _ in picks], names
    )
    provinces = {(b.place.country_code, b.place.admin1_code) for b, _, _ in picks if b.place.kind == "admin1"}
    picks = [
        _pick(span, cands, countries, anchors, mentions, i, provinces)
        for i, (span, cands) in enumerate(mentions)
    ]
    chosen: list[Resolved] = []
    for i, ((span, cands), (best, features, runner)) in enumerate(zip(mentions, picks, strict=True)):
        place = _level(span, best.place, [m.place for m in cands])
        others = countries.share(place.country_code, i)
        # the votes of the rest of the article (rounded: a publisher's 0.5 less a mention's own
        # vote must not fall short of 0.5 by a float's last bit)
        rest = round(countries.total - sum(countries.own[i].values()), 9)
        if (
            place.kind == "city"
            and rest >= 0.5
            and others < 0.2
            and not (place.population >= 1_000_000 and best.quality == 0 and not span.text.isupper())
            and not (place.population >= 100_000 and _locative(span) and best.exact)
        ):
            # a town abroad that shares a spelling with a word or name in the text; a big city
            # the text puts something in stays, unless only a loose spelling ("the islands of
            # Tiran" is not Tirana) ties the name to it
            continue
        cue = _locative(span) or _named_as_place(span) or span[-1].dep_ in ("dobj", "pobj", "conj", "appos")
        named = _named_as_place(span)
        # with no other evidence (a short note), a name the text puts somewhere is the best guess
        elsewhere = rest >= 0.5
        small = len(span) == 1 and place.population < 100_000
        leads = countries.leads(place.country_code, i)
        if small and not best.own_name and (not cue or elsewhere and others < 0.5 and not leads):
            # one word that is only another name of a small place: "Orchard" is not Gentry; but
            # "east of Kobani" in a report mostly about Syria is Ayn al-Arab
            continue
        if small and not best.exact and (not cue or elsewhere and others < 0.3 and not named):
            continue  # one word spelled like a small place: "the Parish council" is not Parrish
        if _in_longer_name(span) and not (best.own_name and (place.population >= 50_000 or others >= 0.5)):
            continue  # "Park Hotel", "Amber Road": a word of a name, not the place
        famous = place.population >= 1_000_000 and len(span.text) >= 5  # "Bombay", "Peking"
        if (
            len(span) == 1
            and not best.own_name
            and others < 0.3
            and not famous
            and (len(span.text) <= 5 or not cue)
        ):
            continue  # a short other name of a place in a country the rest of the text does not name
        if span.text.isupper() and len(span.text) <= 4 and not (best.own_name and best.exact):
            continue  # "HQ", "CID", "MEC": an acronym, not another name of a town
        weak = not (best.own_name and best.exact) or place.population < 100_000
        if weak and _part_of_unknown_name(span) and others < 0.5:
            continue  # "Cali" of "Cali-Gaduud Village", "King" of "King Sabata Dalindyebo college"
        why: dict[str, object] = {"place": place.name, **features}
        if runner is not None:
            why["runner_up"] = runner
        chosen.append(Resolved(span, place, why))
    return chosen


def _anchors(mentions: list[tuple[Span, list[Match]]]) -> list[Place]:
    """Places named without ambiguity (one country, own name), once each."""
    out: dict[str, Place] = {}
    for _, cands in mentions:
        if len({m.place.country_code for m in cands}) == 1:
            best = min(cands, key=lambda m: (m.quality, -m.place.population))
            if best.place.latitude is not None:
                out.setdefault(best.place.pid, best.place)
    return list(out.values())


def _pick(
    span: Span,
    cands: list[Match],
    countries: Countries,
    anchors: list[Place],
    mentions: list[tuple[Span, list[Match]]],
    index: int,
    provinces: set[tuple[str, str | None]] | None = None,
) -> tuple[Match, dict[str, object], dict[str, object] | None]:
    region = _stated_region(span, mentions, index)
    scored = []
    for m in cands:
        share = countries.share(m.place.country_code, index)
        features = _features(m, share, anchors, region, span, provinces or set())
        if m.quality == 0 and m.place.kind == "city" and m.place.population >= 1_000_000:
            # a world city against small namesakes abroad: Paris is Paris unless the text says Texas
            rival = max(
                (c.place.population for c in cands if c.place.country_code != m.place.country_code), default=0
            )
            lead = min(2.0, max(0.0, math.log10(m.place.population / (rival + 1000))))
            if lead > 0:
                features["world_city"] = round(lead / 2, 2)
                features["score"] = round(float(features["score"]) + lead / 2, 2)  # type: ignore[arg-type]
        scored.append((features["score"], -m.place.population, m, features))
    scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
    best, features = scored[0][2], scored[0][3]
    runner = next(
        (
            {"name": m.place.name, "country": m.place.country_code, "kind": m.place.kind, "score": f["score"]}
            for _, _, m, f in scored[1:]
            if m.place.country_code != best.place.country_code or distance_km(m.place, best.place) > 50
        ),
        None,
    )
    return best, features, runner


def _stated_region(span: Span, mentions: list[tuple[Span, list[Match]]], index: int) -> list[Place]:
    """ "Tikrit, Iraq", "Paris, Texas": the places the text says hold this one."""
    doc = span.doc
    if index + 1 >= len(mentions) or span.end >= len(doc) or doc[span.end].text != ",":
        return []
    nxt, cands = mentions[index + 1]
    if nxt.start != span.end + 1:
        return []
    return [m.place for m in cands if m.place.kind in ("country", "admin1") and m.own_name]


@functools.lru_cache(maxsize=1)
def conflict_prior() -> dict[str, float]:
    """A small prior for namesakes in countries whose armed actors marsad's knowledge base
    knows (many in Syria or Somalia, few in the United States, none in New Zealand): with no
    other evidence, "near Bethlehem" in conflict news is the West Bank town."""
    counts = Counter(actor.country for actor in load_actors())
    return {cc: 0.25 * math.log2(1 + n) for cc, n in counts.items()}


def _features(
    m: Match,
    share: float,
    anchors: list[Place],
    region: list[Place],
    span: Span,
    provinces: set[tuple[str, str | None]],
) -> dict[str, object]:
    """The features behind a candidate's score, and the score: a sum anyone can recompute."""
    p = m.place
    score = 4.0 * share
    score += math.log10(p.population + 10) / 2
    score += math.log10(p.fame + 1) / 2
    score -= MATCH_PENALTY[m.quality]
    prior = conflict_prior().get(p.country_code, 0.0)
    score += prior
    kind_bonus = KIND_BONUS.get(p.kind, 0.0)
    if p.kind not in ("city", "admin2") and _division_word(span):
        kind_bonus += 1.0
    if p.kind == "admin2":
        kind_bonus += 1.5  # looked up only when the text says "county" or "district"
    score += kind_bonus
    features: dict[str, object] = {
        "match": ("own name" if m.own_name else "other name") + ("" if m.exact else ", spelled otherwise"),
        "population": p.population,
        "fame": p.fame,
        "country_share": round(share, 2),  # of the rest of the article
        "conflict_prior": round(prior, 2),
    }
    near = [a for a in anchors if a.pid != p.pid]
    if near and p.latitude is not None:
        km = min(_km(p, a) for a in near)
        features["nearest_other_km"] = round(km)
        score += 1.0 if km < 100 else 0.5 if km < 300 else 0.0
    if region:
        inside = any(
            r.country_code == p.country_code and (r.kind == "country" or r.admin1_code == p.admin1_code)
            for r in region
        )
        features["inside_stated_region"] = inside
        score += 3.0 if inside else 0.0
    if p.kind != "admin1" and (p.country_code, p.admin1_code) in provinces:
        features["in_named_province"] = True  # "Edmonton" in a report that names Kentucky
        score += 1.0
    features["score"] = round(score, 2)
    return features


def _level(span: Span, best: Place, cands: list[Place]) -> Place:
    """A city named with "province" is the province; a bare "Idlib" is the city the province
    is named after."""
    if best.kind == "city" and _division_named(span):
        home = (best.country_code, best.admin1_code)
        # the district named after the town, where the gazetteer agrees the town is its seat
        division = [
            p
            for p in cands
            if p.kind == "admin2" and (p.country_code, p.admin1_code) == home and _km(p, best) < 30
        ]
        if division:
            return min(division, key=lambda p: _km(p, best))
    if best.kind == "city" and _division_word(span):
        division = [p for p in cands if p.kind == "admin1" and p.country_code == best.country_code]
        return division[0] if division else best
    if best.kind == "admin1" and not _division_word(span):
        city = [
            p
            for p in cands
            if p.kind == "city" and p.country_code == best.country_code and p.admin1_code == best.admin1_code
        ]
        return max(city, key=lambda p: p.population) if city else best
    return best


FACILITY_HEADS = frozenset(
    {
        "hotel",
        "street",
        "road",
        "avenue",
        "square",
        "park",
        "hospital",
        "school",
        "university",
        "college",
        "museum",
        "stadium",
        "mall",
        "prison",
        "tower",
        "palace",
        "club",
        "restaurant",
        "building",
        "hall",
        "company",
        "bank",
        "institute",
        "foundation",
        "boulevard",
        "lane",
        "drive",
        "centre",
        "center",
        "church",
        "mosque",
        "cathedral",
        "bridge",
        "highway",
    }
)


# Heads of the names of physical features: "Euphrates Valley", "Black Sea".
FEATURE_HEADS = frozenset(
    {
        "valley",
        "sea",
        "river",
        "mountains",
        "mountain",
        "lake",
        "desert",
        "gulf",
        "bay",
        "island",
        "islands",
        "strait",
        "coast",
        "plain",
        "hills",
        "peninsula",
        "canal",
        "ocean",
        "creek",
        "dam",
    }
)


def _in_longer_name(span: Span) -> bool:
    """The span is the first word(s) of a capitalised name of a building, street, firm or
    physical feature ("Park Hotel", "Euphrates Valley")."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    return nxt is not None and nxt.text[:1].isupper() and nxt.lower_ in FACILITY_HEADS | FEATURE_HEADS


NAME_TAILS = PLACE_NOUNS | SUB_PLACES | frozenset({"state", "oblast", "county"})


def _part_of_unknown_name(span: Span, known: set[int] | frozenset[int] = frozenset()) -> bool:
    """The span touches another capitalised word, or is hyphened to one, that the gazetteer did
    not take with it: a word of a longer name it does not know ("Suuq" of "Suuq Liif"). Words
    in ``known`` are places of their own ("Syrias Aleppo city")."""
    doc = span.doc
    nxt = doc[span.end] if span.end < len(doc) else None
    if nxt is not None and nxt.text in ("-", "–") and not span[-1].whitespace_ and span.end + 1 < len(doc):
        nxt = doc[span.end + 1]
    prev = doc[span.start - 1] if span.start > 0 else None
    after = (
        nxt is not None
        and nxt.text[:1].isupper()
        and nxt.is_alpha
        and nxt.lower_ not in NAME_TAILS
        and nxt.i not in known
    )
    before = (
        prev is not None
        and prev.i not in known
        and prev.text[:1].isupper()
        and prev.is_alpha
        and not prev.is_sent_start
        and prev.lower_ not in NOT_PLACES
        and prev.lower_ not in CONNECTORS
    )
    return after or before or _in_organisation_name(span)


ORGANISATION_HEADS = load_lexicon()["organisation_heads"]


def _in_organisation_name(span: Span) -> bool:
    """The span ends a name of the shape "Forum for Democratic Change", "Movement for Justice and
    Equality": capitalised words (and "and", "the") back to a "for" or "of" that follows an
    organisation's head noun."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and (doc[i].text[:1].isupper() and doc[i].is_alpha or doc[i].lower_ in ("and", "the")):
        i -= 1
    return (
        i >= 1
        and i < span.start - 1
        and doc[i].lower_ in ("for", "of")
        and doc[i - 1].text[:1].isupper()
        and doc[i - 1].lower_ in ORGANISATION_HEADS
    )


def _head_of_longer_name(span: Span) -> bool:
    """ "Valley" of "Euphrates Valley", "Sea" of "Black Sea": the head noun of a longer name."""
    doc = span.doc
    return (
        len(span) == 1
        and span[0].lower_ in FEATURE_HEADS | FACILITY_HEADS
        and span.start > 0
        and doc[span.start - 1].text[:1].isupper()
    )


def _division_word(span: Span) -> bool:
    doc = span.doc
    after = [t.lower_ for t in doc[span.end : span.end + 2]]
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    return bool({"province", "governorate", "countryside", "region", "oblast", "state"} & set(after[:1])) or (
        "province" in before and "of" in before
    )


LOCATIVE = frozenset(
    {"in", "near", "at", "outside", "around", "to", "from", "into", "of", "toward", "towards"}
)


def _named_as_place(span: Span) -> bool:
    """ "the town of Zalingei", "Zalingei district": the text says it is a place, whatever
    the tagger took the name for."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    after = [t.lower_ for t in doc[span.end : span.end + 1]]
    return (before[-2:] != [] and before[-1] == "of" and bool(set(before[:-1]) & PLACE_NOUNS)) or bool(
        set(after) & PLACE_NOUNS
    )


def _struck_on(span: Span) -> bool:
    """ "rockets on Sderot", "fired on the Erez crossing": something fell on the place."""
    doc = span.doc
    i = span.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ == "on"


def _locative(span: Span) -> bool:
    """A place abroad counts when the text puts something there ("in Brussels", "at the
    Netzarim settlement")."""
    doc = span.doc
    i = span.start - 1
    # "in the western Negev", "near north-western Aleppo", "in rural Idlib": a compass word or
    # a word for the country around a town between says no less
    while (
        i > 0
        and span.start - i <= 4
        and (doc[i].lower_ in COMPASS_WORDS or doc[i].lower_ in AROUND_WORDS or doc[i].text == "-")
    ):
        i -= 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in LOCATIVE


def _km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return 1e9
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def distance_km(a: Place, b: Place) -> float:
    return _km(a, b)
