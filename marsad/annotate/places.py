"""Place mentions: find capitalised spans the gazetteer knows, then disambiguate them
together, by the article's countries, co-mentioned places and population.

Never "the first match": a name that is also a village in another country (there is a
Damascus in Maryland) goes to the country the article is about.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from marsad.annotate.dates import MONTHS, WEEKDAYS
from marsad.knowledge.places import Gazetteer, Place

MAX_TOKENS = 5
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
        "ras",
        "tal",
        "tell",
    }
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
    }
)
# The small model often calls towns NORP or ORG ("near Aleppo" is NORP to it), so only
# labels it rarely gives a place rule a single word out.
SKIP_LABELS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"})


def candidate_spans(doc: Doc, blocked: set[int]) -> Iterable[tuple[int, int]]:
    """Capitalised token runs (with Arabic connectors) not inside actors or names of people."""
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if i in blocked or not (tok.text[:1].isupper() or tok.lower_ in ("al", "el")):
            i += 1
            continue
        j = i
        while (
            j < n
            and j - i < MAX_TOKENS
            and j not in blocked
            and (doc[j].text[:1].isupper() or doc[j].lower_ in CONNECTORS)
        ):
            j += 1
        # longest first from each start; a later start only where no earlier one matched
        # (the caller skips used tokens), so "Syrias Aleppo" still finds "Aleppo"
        for k in range(i, j):
            for end in range(j, k, -1):
                yield k, end
        i = j


def _org_named(span: Span) -> bool:
    return any(
        e.label_ in ("ORG", "PERSON", "EVENT", "WORK_OF_ART") and e.start == span.start and e.end == span.end
        for e in span.doc.ents
    )


def _has_place_word(span: Span) -> bool:
    return any(t.lower_ in ("city", "town", "province", "district", "village", "governorate") for t in span)


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
        and first.ent_type_ not in SKIP_LABELS
        and not _hyphen_prefixed(span)
    )


def _plausible(span: Span) -> bool:
    first = span[0]
    if _hyphen_prefixed(span):
        return False
    if len(span) == 1:
        if first.lower_ in NOT_PLACES or first.ent_type_ in SKIP_LABELS:
            return False
        if first.tag_ not in ("NNP", "NNPS") and first.ent_type_ not in ("GPE", "LOC", "FAC"):
            return False
    if span[-1].lower_ in CONNECTORS or span[-1].text == "-":
        return False
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
    ent = next((e for e in doc.ents if e.start <= span.start and span.end <= e.end), None)
    if (
        ent is not None
        and ent.label_ in ("ORG", "PERSON", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT")
        and (ent.start < span.start or ent.end > span.end)
        and not _has_place_word(ent)
    ):
        return False
    # "The Hague" passes; "The town" does not get here, "On Friday" never matches
    return not (first.lower_ in NOT_PLACES and len(span) > 1 and first.lower_ not in ("al", "el"))


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
    }
)


def _place_cue(span: Span) -> bool:
    """A spelling guess needs the text to say it is a place: "the town of X", "in X", "X province"."""
    doc = span.doc
    if span[0].ent_type_ in ("NORP", "PERSON", "ORG") or span.text.endswith("s"):
        return False
    before = [t.lower_ for t in doc[max(0, span.start - 3) : span.start]]
    after = [t.lower_ for t in doc[span.end : span.end + 1]]
    return (
        bool(before and before[-1] in LOCATIVE - {"of", "from", "to"})
        or bool(set(before) & PLACE_NOUNS)
        or bool(set(after) & PLACE_NOUNS)
    )


def find_places(
    doc: Doc, gazetteer: Gazetteer, blocked: set[int], context_countries: dict[str, float] | None = None
) -> list[tuple[Span, Place]]:
    """Resolved place mentions of ``doc`` (non-overlapping, in text order)."""
    mentions: list[tuple[Span, list[Place]]] = []
    guesses: list[tuple[Span, list[Place]]] = []
    used: set[int] = set()
    for start, end in candidate_spans(doc, blocked):
        if any(k in used for k in range(start, end)):
            continue
        span = doc[start:end]
        if not _plausible(span):
            if _weak_single(span) and (candidates := gazetteer.lookup(span.text)):
                guesses.append((span, [p for p in candidates if p.kind == "city"] or candidates))
                used.add(start)
            continue
        candidates = gazetteer.lookup(span.text)
        if not candidates and len(span) == 1 and span.text.endswith("s") and len(span.text) > 5:
            candidates = gazetteer.lookup(span.text[:-1])  # "Aleppos" where the apostrophe was lost
        if (
            candidates
            and _org_named(span)
            and not _named_as_place(span)
            and max(p.population for p in candidates) < 50_000
        ):
            continue  # "Red Cross" the organisation, not the hamlet in North Carolina
        if (
            candidates
            and span[0].ent_type_ == "PERSON"
            and not _locative(span)
            and max(p.population for p in candidates) < 20_000
        ):
            continue  # a name that is also a village; "near Palmyra" is a place whatever the tagger says
        if candidates:
            mentions.append((span, candidates))
            used.update(range(start, end))
    for start, end in candidate_spans(doc, blocked):
        span = doc[start:end]
        if any(k in used for k in range(start, end)) or not _plausible(span) or not _place_cue(span):
            continue
        candidates = gazetteer.lookup_loose(span.text)
        if candidates:
            guesses.append((span, candidates))
            used.update(range(start, end))
    chosen = disambiguate(mentions, context_countries or {})
    votes: dict[str, float] = defaultdict(float, context_countries or {})
    for _, place in chosen:
        votes[place.country_code] += 1.0
    total = sum(votes.values()) or 1.0
    for span, cands in guesses:
        # a transliteration guess counts only inside a country the article is already about
        home = [p for p in cands if votes[p.country_code] / total >= 0.3]
        if home:
            chosen.append((span, max(home, key=lambda p: p.population)))
    return _within_their_city(sorted(chosen, key=lambda sp: sp[0].start))


SUB_PLACES = frozenset({"district", "neighbourhood", "neighborhood", "quarter", "suburb", "area"})


def _within_their_city(chosen: list[tuple[Span, Place]]) -> list[tuple[Span, Place]]:
    """ "the Salah al-Din district of Aleppo": a part of the city named after it. When the
    gazetteer's place of that name lies elsewhere (an Iraqi province), the name is not it, and
    the city stands for the event's place."""
    out = []
    for i, (span, place) in enumerate(chosen):
        doc = span.doc
        follow = [t.lower_ for t in doc[span.end : span.end + 3]]
        city = chosen[i + 1] if i + 1 < len(chosen) else None
        if (
            city is not None
            and follow[:2] in ([w, "of"] for w in SUB_PLACES)
            and city[0].start in (span.end + 2, span.end + 3)
            and (place.country_code != city[1].country_code or distance_km(place, city[1]) > 30)
        ):
            continue
        out.append((span, place))
    return out


def disambiguate(
    mentions: list[tuple[Span, list[Place]]], context: dict[str, float]
) -> list[tuple[Span, Place]]:
    """Choose one place per mention: the article's countries first, then population,
    then nearness to the places named without ambiguity."""
    votes: dict[str, float] = defaultdict(float, context)
    for _, cands in mentions:
        countries = {p.country_code for p in cands}
        for cc in countries:
            # a named country or province is strong evidence; a small town's name is weak
            weight = max(
                EVIDENCE.get(p.kind, 0.0) if p.kind != "city" else (1.0 if p.population >= 50_000 else 0.25)
                for p in cands
                if p.country_code == cc
            )
            votes[cc] += weight / len(countries)
    anchors = [
        c[0] for _, c in mentions if len({p.country_code for p in c}) == 1 and c[0].latitude is not None
    ]
    chosen: list[tuple[Span, Place]] = []
    total = sum(votes.values()) or 1.0
    for span, cands in mentions:
        best = max(cands, key=lambda p: _score(p, votes, total, anchors))
        if best.kind == "city" and _division_word(span):
            division = [p for p in cands if p.kind == "admin1" and p.country_code == best.country_code]
            best = division[0] if division else best
        elif best.kind == "admin1" and not _division_word(span):
            # a bare "Idlib" is the city the province is named after
            city = [
                p
                for p in cands
                if p.kind == "city"
                and p.country_code == best.country_code
                and p.admin1_code == best.admin1_code
            ]
            best = max(city, key=lambda p: p.population) if city else best
        share = votes[best.country_code] / total
        if share < 0.2 and best.kind == "city" and not (best.population >= 100_000 and _locative(span)):
            continue  # a town abroad that shares a spelling with a word or name in the text
        chosen.append((span, best))
    return chosen


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


def _locative(span: Span) -> bool:
    """A place abroad counts when the text puts something there ("in Brussels")."""
    return span.start > 0 and span.doc[span.start - 1].lower_ in LOCATIVE


EVIDENCE = {"country": 2.0, "admin1": 1.5, "region": 1.0}


def _score(place: Place, votes: dict[str, float], total: float, anchors: list[Place]) -> float:
    score = 4.0 * votes.get(place.country_code, 0.0) / total
    score += math.log10(place.population + 10) / 2
    score += {"country": 0.6, "admin1": 0.0, "region": 0.5, "city": 0.0}.get(place.kind, 0.0)
    if anchors and place.latitude is not None:
        near = min(_km(place, a) for a in anchors)
        score += 1.0 if near < 100 else 0.5 if near < 300 else 0.0
    return score


def _km(a: Place, b: Place) -> float:
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return 1e9
    p1, p2 = math.radians(a.latitude), math.radians(b.latitude)
    dp, dl = p2 - p1, math.radians(b.longitude - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def distance_km(a: Place, b: Place) -> float:
    return _km(a, b)
