"""Actor mentions: named actors by any alias, nationalities that mean forces
("Iranians", "Turkish troops"), and generic mentions ("regime forces", "the militants")
that extraction resolves later by the article's country and the nearest named actor.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from marsad.knowledge.actors import Actor, GenericTerm, demonym_countries, load_actors, load_generic_terms

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


class ActorIndex:
    """Matchers built once per vocabulary from the knowledge base."""

    def __init__(self, nlp: Language, actors: list[Actor], generics: list[GenericTerm]) -> None:
        self.actors = {a.id: a for a in actors}
        self.by_name = {a.name: a for a in actors}
        self.generics = {g.phrase.lower(): g for g in generics}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")  # acronyms: "IS" is not "is"
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.demonyms = Matcher(nlp.vocab)
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
                self.demonyms.add(actor.id, [[{"ORTH": text}, {"LOWER": {"IN": FORCE_NOUNS}}]])
                if text.endswith("s"):  # "Iranians" alone means Iranian fighters
                    self.demonyms.add(actor.id, [[{"ORTH": text}]])
        for g in generics:
            self.folded.add("generic:" + g.phrase.lower(), [nlp.make_doc(g.phrase)])

    def find(self, doc: Doc) -> list[ActorMention]:
        spans: list[Span] = []
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                spans.append(Span(doc, start, end, label=doc.vocab.strings[match_id]))
        for match_id, start, end in self.demonyms(doc):
            # "Turkish troops" is one mention (so "troops" is not read again as a generic phrase)
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
        return _fold_named_generics(doc, mentions)


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
