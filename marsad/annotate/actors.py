"""Actor mentions: named actors by any alias, nationalities that mean forces
("Iranians", "Turkish troops"), and generic mentions ("regime forces", "the militants")
that extraction resolves later by the article's country and the nearest named actor.
"""

from __future__ import annotations

import functools
import itertools
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from spacy.attrs import ORTH, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from marsad.knowledge.actors import (
    Actor,
    GenericTerm,
    IdentityLexicon,
    demonym_countries,
    load_actors,
    load_countries,
    load_generic_terms,
    load_identity_groups,
)
from marsad.knowledge.taxonomy import load_taxonomy
from marsad.knowledge.verbs import REPORTING

# Nouns after a nationality that make it mean armed forces.
FORCE_NOUNS = [
    "troops",
    "forces",
    "force",
    "soldiers",
    "soldier",
    "army",
    "military",
    "warplanes",
    "warplane",
    "jets",
    "jet",
    "aircraft",
    "drones",
    "drone",
    "fighters",
    "militias",
    "militia",
    "militiamen",
    "navy",
    "artillery",
    "helicopters",
    "helicopter",
    "airstrikes",
    "airstrike",
    "strikes",
    "strike",
    "raids",
    "raid",
    "shelling",
    "bombardment",
    "missiles",
    "missile",
    "rockets",
    "tanks",
    "gunboats",
    "commandos",
    "special",
    "paratroopers",
    "marines",
    "planes",
    "bombers",
    "air",
    "units",
    "patrol",
    "patrols",
    "police",
    "guards",
    "officers",
    "personnel",
    "attack",
    "attacks",
    "offensive",
    "bombing",
    "bombings",
    "shells",
]
# "US-backed", "Iranian-supported": the actor qualifies someone else and is not a party itself.
MODIFIER_SUFFIXES = frozenset(
    {
        "backed",
        "led",
        "supported",
        "allied",
        "aligned",
        "sponsored",
        "funded",
        "trained",
        "armed",
        "run",
        "controlled",
        "held",
        "affiliated",
        "linked",
        "based",
        "made",
    }
)


# Words of Arabic group names that English news spells several ways ("Jaysh al-Fatah" =
# "Jeish Al Fateh"). Each alias also matches with every spelling of its words.
SPELLINGS = (
    ("jaysh", "jaish", "jeish", "jeysh"),
    ("fatah", "fateh", "fath"),
    ("jabhat", "jabhet"),
    ("harakat", "harakah", "haraket"),
    ("liwa", "liwaa", "liwa'"),
    ("ahrar", "ahrār"),
    ("nusra", "nusrah"),
    ("kataib", "kata'ib", "kataeb"),
    ("asaib", "asa'ib"),
    ("ansar", "ansaar"),
)
_VARIANTS = {w: group for group in SPELLINGS for w in group}


def transliterations(alias: str) -> set[str]:
    """Other spellings of an alias: Arabic words spelt another way, "al-X" as "al X"."""
    words = alias.replace("-", " - ").split()
    options = [[w, *(v.capitalize() for v in _VARIANTS.get(w.lower(), ()) if v != w.lower())] for w in words]
    out = {" ".join(combo).replace(" - ", "-") for combo in itertools.product(*options)} - {alias}
    if "-" in alias:
        out |= {v.replace("-", " ") for v in out | {alias}}
    return out


@dataclass(frozen=True)
class ActorMention:
    """One mention; exactly one of ``actor`` (named or demonym) and ``generic`` is set."""

    start: int  # token offsets in the Doc
    end: int
    start_char: int
    end_char: int
    text: str
    actor: Actor | None
    generic: GenericTerm | None
    # an identity militia by ACLED's name without the country ("Fulani Ethnic Militia"), which
    # extraction completes with the event's country; ``generic`` is then set too
    identity: str | None = None


IDENTITY_TERM_KINDS = ("militia", "tribal")


class ActorIndex:
    """Matchers built once per vocabulary from the knowledge base."""

    def __init__(self, nlp: Language, actors: list[Actor], generics: list[GenericTerm]) -> None:
        self.actors = {a.id: a for a in actors}
        self.by_name = {a.name: a for a in actors}
        self.generics = {g.phrase.lower(): g for g in generics}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")  # acronyms: "IS" is not "is"
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        # "Turkish troops", "Iranians": a people's word (as written) before a force noun, or a
        # plural one alone; by the word's ORTH hash: what a token Matcher of these two-token
        # patterns found, without its cost of trying every pattern at every token
        self.demonyms: dict[int, tuple[str, bool]] = {}  # word -> (actor id, alone counts)
        self.force_nouns = frozenset(FORCE_NOUNS)
        # A spelling shared by successive incarnations (the Syrian army before and after
        # December 2024) is matched once, to the latest; extraction re-dates it.
        latest: dict[tuple[str, str], Actor] = {}
        for actor in sorted(actors, key=lambda a: (a.valid_from or date.min, a.id)):
            spellings = {actor.name, *actor.aliases}
            # "Assads forces": news text that lost its apostrophes
            spellings |= {s.replace("'s ", "s ").replace("’s ", "s ") for s in spellings if "s " in s}
            spellings |= {v for s in list(spellings) for v in transliterations(s)}
            for alias in spellings:
                latest[("alias", alias)] = actor
            for demonym in actor.demonyms:
                latest[("demonym", demonym)] = actor
        self.demonym_countries = dict(demonym_countries())
        self.demonym_countries.update(
            {text: actor.country for (kind, text), actor in latest.items() if kind == "demonym"}
        )
        for (kind, text), actor in sorted(latest.items()):
            if kind == "alias":
                acronym = text.replace(".", "").replace("-", "").isupper() and len(text) <= 6
                matcher = self.exact if acronym else self.folded
                matcher.add(actor.id, [nlp.make_doc(text)])
            else:
                # "Iranians" alone means Iranian fighters
                self.demonyms[nlp.vocab.strings.add(text)] = (actor.id, text.endswith("s"))
        for g in generics:
            self.folded.add("generic:" + g.phrase.lower(), [nlp.make_doc(g.phrase)])
        # "Russia pounded Odesa", "Israel's strikes": a state named as the doer is its forces
        forces = {actor.country: actor for (kind, _), actor in latest.items() if kind == "demonym"}
        taxonomy = load_taxonomy()
        particles = {"down", "off", "up", "out", "over", "into", "on"}
        self.acts = (
            frozenset(
                {k[0] for k in taxonomy.triggers if len(k) == 1 or (len(k) == 2 and k[1] in particles)}
                | {v for rule in taxonomy.verb_objects for v in rule.verbs}
            )
            - REPORTING
            - taxonomy.not_conflict
        )
        self.off_topic = taxonomy.not_conflict
        self.states = PhraseMatcher(nlp.vocab, attr="ORTH")
        for country in load_countries():
            if country.code in forces:
                self.states.add(forces[country.code].id, [nlp.make_doc(country.name)])
        self.identity = load_identity_groups()
        self.identity_names = PhraseMatcher(nlp.vocab, attr="ORTH")
        for spelling in self.identity.groups:
            self.identity_names.add(spelling, [nlp.make_doc(spelling)])
        self.clash_lemmas = frozenset(w[0] for w in load_taxonomy().two_sided if len(w) == 1)

    def find(self, doc: Doc) -> list[ActorMention]:
        spans: list[Span] = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=doc.vocab.strings[match_id]))
        for start, actor_id, alone in self._demonym_words(doc):
            # "Turkish troops" is one mention (so "troops" is not read again as a generic phrase)
            if start + 1 < len(doc) and doc[start + 1].lower_ in self.force_nouns:
                spans.append(Span(doc, start, start + 2, label=actor_id))
            if alone:
                spans.append(Span(doc, start, start + 1, label=actor_id))
        parsed = doc.has_annotation("DEP")  # the pre-filter looks at tokens only
        for match_id, start, end in self.states(doc) if parsed else ():
            root = doc[start:end].root
            act = root.head.lemma_.lower() in self.acts or root.head.lower_ in FORCE_NOUNS
            # "Iraq beat Syria in a World Cup qualifier": a team, not an army
            act = act and not any(t.lemma_.lower() in self.off_topic for t in root.sent)
            if act and (root.dep_ == "poss" or (root.dep_ == "nsubj" and root.head.pos_ == "VERB")):
                spans.append(Span(doc, start, end, label=doc.vocab.strings[match_id]))
        mentions = []
        for span in filter_spans(spans):
            nxt = doc[span.end : span.end + 2]
            if len(nxt) == 2 and nxt[0].text == "-" and nxt[1].lower_ in MODIFIER_SUFFIXES:
                continue
            label = span.label_
            if label.startswith("generic:"):
                generic = self.generics.get(label[8:])
                mentions.append(
                    ActorMention(
                        span.start, span.end, span.start_char, span.end_char, span.text, None, generic
                    )
                )
            else:
                mentions.append(
                    ActorMention(
                        span.start,
                        span.end,
                        span.start_char,
                        span.end_char,
                        span.text,
                        self.actors[label],
                        None,
                    )
                )
        identities = self._identities(doc) if parsed else []
        return _with_identities(doc, _fold_named_generics(doc, mentions), identities)

    def _demonym_words(self, doc: Doc) -> list[tuple[int, str, bool]]:
        """(token, actor id, alone counts) of each word that is an actor's people's word."""
        known = self.demonyms
        if not known:
            return []
        orths: Any = doc.to_array(ORTH)
        return [(i, *known[orth]) for i, orth in enumerate(orths.tolist()) if orth in known]

    def _identities(self, doc: Doc) -> list[ActorMention]:
        """Identity militias: a group the lexicon knows ("Fulani herdsmen", "Hutus", "the Nande and
        Hutu communities"), or a name it does not know before a noun that says what it is
        ("Kudung people" in a clash, "Arrow Boys militia", "Biyamal clan militias")."""
        lex = self.identity
        out: list[ActorMention] = []
        known: list[tuple[int, int, str]] = []
        for match_id, start, end in self.identity_names(doc):
            known.append((start, end, doc.vocab.strings[match_id]))
        taken: set[int] = set()
        for start, end, spelling in known:
            name, kind = lex.groups[spelling]
            nouns = _noun_after(doc, end, lex, {k[2] for k in known})
            plural = spelling != name and spelling.endswith("s") and not name.endswith("s")
            if nouns is None and not plural:
                continue
            if nouns is not None and not self._armed_or_clash(doc, *nouns, lex):
                continue
            stop = nouns[1] if nouns is not None and nouns[0] == end else end
            out.append(_identity_mention(doc, start, stop, f"{name} {kind} Militia"))
            taken.update(range(start, stop))
        pos: list[int] = cast(Any, doc.to_array(POS)).tolist()  # each word's part of speech, once
        firsts = [sent.start for sent in doc.sents]
        n = len(doc)
        # the last word of each run of proper nouns, in text order
        for i in [i for i in range(n) if pos[i] == PROPN and not (i + 1 < n and pos[i + 1] == PROPN)]:
            if i in taken:
                continue
            tok = doc[i]
            first = firsts[bisect_right(firsts, i) - 1]  # its sentence's first word
            start = tok.i
            while start > first and pos[start - 1] == PROPN and tok.i - start < 2:
                start -= 1
            if any(k in taken for k in range(start, tok.i + 1)) or tok.text in self.demonym_countries:
                continue
            found = _noun_after(doc, tok.i + 1, lex, set())
            if found is None:
                continue
            noun_start, noun_end = found
            words = {t.lower_ for t in doc[noun_start:noun_end]}
            name = doc[start : tok.i + 1].text
            if words & lex.clan_nouns:
                kind = "Sub-Clan" if words & {"sub-clan", "subclan"} else "Clan"
            elif words & lex.armed_nouns and words <= lex.armed_nouns:
                if not words & lex.militia_nouns:
                    continue  # "Tuesday gunmen": only a militia word names an unknown group
                kind = (
                    "Communal" if any(e.label_ in ("GPE", "LOC") for e in doc[start : tok.i + 1].ents) else ""
                )
            elif words & lex.communal_nouns and self._armed_or_clash(doc, noun_start, noun_end, lex):
                kind = "Communal"
            else:
                continue
            base = f"{name} {kind} Militia" if kind else f"{name} Militia"
            stop = noun_end if noun_start == tok.i + 1 else tok.i + 1
            out.append(_identity_mention(doc, start, stop, base))
            taken.update(range(start, stop))
        return out

    def _armed_or_clash(self, doc: Doc, start: int, end: int, lex: IdentityLexicon) -> bool:
        """The nouns after a group's name make it a party: an armed noun, or a group noun in a
        sentence about a clash ("clashes between the Kudung and Pwel people")."""
        if any(t.lower_ in lex.armed_nouns for t in doc[start:end]):
            return True
        return any(t.lemma_.lower() in self.clash_lemmas for t in doc[start].sent)


def _noun_after(doc: Doc, i: int, lex: IdentityLexicon, names: set[str]) -> tuple[int, int] | None:
    """Where the nouns that follow a group's name start and end ("clan militias",
    "communities"), reaching over a coordinated name ("the Nande and Hutu communities");
    None when none follows."""
    j = i
    if (
        j + 1 < len(doc)
        and doc[j].lower_ == "and"
        and (doc[j + 1].text in names or doc[j + 1].pos_ == "PROPN")
    ):
        j += 2
    end = j
    while end < len(doc) and end - j < 2 and doc[end].lower_ in lex.armed_nouns | lex.group_nouns:
        end += 1
    return (j, end) if end > j else None


def _identity_mention(doc: Doc, start: int, end: int, base: str) -> ActorMention:
    span = doc[start:end]
    term = GenericTerm(phrase=span.text, kinds=IDENTITY_TERM_KINDS)
    return ActorMention(start, end, span.start_char, span.end_char, span.text, None, term, base)


def _with_identities(
    doc: Doc, mentions: list[ActorMention], identities: list[ActorMention]
) -> list[ActorMention]:
    """Identity mentions replace the generic ones they cover ("clan militias") and give way to
    a named actor of the knowledge base ("Abgaal militia")."""
    named = [m for m in mentions if m.actor is not None]
    keep = [i for i in identities if not any(m.start < i.end and i.start < m.end for m in named)]
    rest = [
        m
        for m in mentions
        if m.actor is not None or not any(m.start < i.end and i.start < m.end for i in keep)
    ]
    return sorted(rest + keep, key=lambda m: m.start)


def _fold_named_generics(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """ "the Daesh terror group", "Nusra militants": a name with a generic noun after it is one
    mention of the named actor, so the noun the parse points at carries the name."""
    out: list[ActorMention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.actor is not None
            and m.generic is not None
            and not m.generic.pro
            and m.start == prev.end
        ):
            span = doc[prev.start : m.end]
            out[-1] = ActorMention(
                prev.start, m.end, prev.start_char, m.end_char, span.text, prev.actor, None
            )
            continue
        out.append(m)
    return out


@functools.lru_cache(maxsize=4)
def actor_index(nlp: Language) -> ActorIndex:
    return ActorIndex(nlp, load_actors(), load_generic_terms())
