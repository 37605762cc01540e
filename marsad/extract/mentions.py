"""Event mentions: a trigger in a sentence, with its type, roles, place, date and
whether it is news. One article gives many mentions; ``assemble`` merges them."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from spacy.tokens import Doc, Span, Token

from marsad.annotate.actors import ActorMention
from marsad.annotate.dates import DateMention
from marsad.annotate.pipeline import Annotation, PlaceMention
from marsad.extract import grammar
from marsad.extract.claims import is_claimant
from marsad.knowledge.actors import STATE_KINDS
from marsad.knowledge.lexicon import TriggerRule, load_lexicon
from marsad.knowledge.taxonomy import SubEventType, Taxonomy

LEXICON = load_lexicon()

TERRITORY_NOUNS = LEXICON["territory_nouns"]
VEHICLE_ONLY = LEXICON.phrases("vehicle_only")
NEAR_WORDS = LEXICON["near_words"]


@dataclass
class PlaceRef:
    mention: PlaceMention
    precision: int  # 1 the place itself, 2 near it or part of a region, 3 a province or larger


@dataclass
class Mention:
    """One trigger in one sentence, with what the parse says about it."""

    sent_index: int
    paragraph: int
    trigger: Token
    sub: SubEventType
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    others: list[ActorMention] = field(default_factory=list)
    place: PlaceRef | None = None
    country_only: bool = False
    aimed: PlaceMention | None = None  # a sentence naming only countries: the one the act struck
    date: DateMention | None = None
    report_date: DateMention | None = None
    lead: bool = False
    recent: bool = False  # "over the past 24 hours": news, though it names no day
    background: bool = False
    loser: ActorMention | None = None  # "X lost ground": the side that lost territory

    @property
    def start_char(self) -> int:
        return self.trigger.idx


def paragraph_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n" and i + 1 < len(text):
            starts.append(i + 1)
    return starts


def paragraph_of(starts: list[int], char: int) -> int:
    """The index of the paragraph holding ``char`` (``starts``: ascending, from 0)."""
    return max(0, bisect_right(starts, char) - 1)


def find_triggers(
    sent: Span, taxonomy: Taxonomy, actors: Sequence[ActorMention] = ()
) -> list[tuple[Token, SubEventType, int]]:
    """Longest trigger phrases by lemma; returns (head token, type, length). ``actors``: the
    actor mentions of the sentence, which give an ambiguous trigger its conflict reading."""
    found = []
    instruments: list[bool] = []
    tokens = list(sent)
    all_lemmas = [_lemma(t) for t in tokens]
    all_words = [t.lower_ for t in tokens]
    named, cue, off_topic = _context(all_lemmas, all_words, taxonomy, actors)
    starts = taxonomy.trigger_starts
    i = 0
    while i < len(tokens):
        matched = None
        verb_stems = _verb_stems(tokens[i])
        if all_lemmas[i] not in starts and all_words[i] not in starts and starts.isdisjoint(verb_stems):
            i += 1  # no trigger phrase starts with this word
            continue
        for n in (4, 3, 2, 1):
            if i + n > len(tokens):
                continue
            lemmas = tuple(all_lemmas[i : i + n])
            words = tuple(all_words[i : i + n])
            stems = [(stem, *lemmas[1:]) for stem in verb_stems]
            for key in (lemmas, words, *stems):
                if key in taxonomy.triggers:
                    matched = (key, n)
                    break
            if matched:
                break
        if matched:
            key, n = matched
            span = tokens[i : i + n]
            # the phrase's syntactic head: "mines" in "land mines", "bomb" in "car bomb"
            head = next((t for t in reversed(span) if t.head not in span or t.head == t), span[-1])
            if head.pos_ != "VERB" and (verbs := [t for t in span if t.pos_ == "VERB"]):
                head = verbs[0]  # "shot dead two policemen": the parser may hang "dead" on the victims
            sub = taxonomy.triggers[key]
            senses = taxonomy.senses.get(key, ())
            words_here = _phrase_words(head) if senses else set()  # only words with another sense
            sense = next(((alt,) for cues, alt in senses if words_here & cues), None)
            if sense is not None:  # "workers went on strike": a stoppage, not an air strike
                if sense[0] is not None:  # "took into account", "came under fire from critics": none
                    found.append((span[-1], sense[0], n))
                    instruments.append(False)
                i += n
                continue
            if key in taxonomy.weak:
                reading = named or (cue and not off_topic)
            else:
                reading = named or not off_topic or key not in taxonomy.ambiguous
            if key in taxonomy.agentive:
                reading = reading and _armed_doer(head, actors)
            if reading and not _off_topic_object(head, taxonomy) and _trigger_ok(key, head, sent):
                found.append((head, sub, n))
                instruments.append(key in taxonomy.instruments)
            i += n
        else:
            i += 1
    found += _verb_objects(sent, taxonomy, actors, {t.i for t, _, _ in found})
    instruments += [False] * (len(found) - len(instruments))
    instruments = [
        tool or _tool_of_another(t, found, taxonomy)
        for (t, _, _), tool in zip(found, instruments, strict=True)
    ]
    if not all(instruments):  # "rioters threw petrol bombs": the weapon is part of the riot
        found = [f for f, tool in zip(found, instruments, strict=True) if not tool]
    heads = {t.i for t, _, _ in found}
    found = [  # "a twin bombing struck a crowd": the verb only says the bombing happened
        f
        for f in found
        if not (f[0].pos_ == "VERB" and any(c.dep_ == "nsubj" and c.i in heads for c in f[0].children))
    ]
    if not found:
        found.extend(_killing(sent, taxonomy))
    return found


def two_sided(tok: Token, taxonomy: Taxonomy) -> bool:
    """The word names a fight of two sides ("clashes", "fighting", "exchange of fire")."""
    return tok.lemma_.lower() in taxonomy.two_sided_words or tok.lower_ in taxonomy.two_sided_words


def _tool_of_another(tok: Token, found: list[tuple[Token, SubEventType, int]], taxonomy: Taxonomy) -> bool:
    """The weapon a fight of the sentence was fought with ("fighting with machine guns and
    rocket-propelled grenades"), or a weapon word inside a hyphenated modifier ("rocket-
    propelled"): part of that event, not one of its own. A one-sided attack keeps its weapon
    ("attacked the post with grenades" is a grenade attack, as ACLED codes it)."""
    doc = tok.doc
    if (
        tok.i + 3 < len(doc)
        and doc[tok.i + 1].text == "-"
        and doc[tok.i + 2].pos_ in ("VERB", "ADJ")
        and any(o.i == tok.i + 3 for o, _, _ in found)
    ):
        return True  # "rocket-propelled grenades": the grenade is the weapon; not "explosives-laden truck"
    x = tok
    while x.dep_ in ("conj", "compound", "amod") and x.head is not x:
        x = x.head
    if x.dep_ != "pobj" or x.head.lower_ != "with":
        return False
    owner = x.head.head
    return any(
        o.i != tok.i and two_sided(o, taxonomy) and owner.i in (o.i, grammar.governing_verb(o).i)
        for o, _, _ in found
    )


def _verb_objects(
    sent: Span, taxonomy: Taxonomy, actors: Sequence[ActorMention], taken: set[int]
) -> list[tuple[Token, SubEventType, int]]:
    """A verb that is an event by what it acts on (``verb_objects`` of the taxonomy): "youths
    blocked the main highway", "gunmen occupied the village", "troops fired machineguns at"."""
    out = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.i in taken:
            continue
        objs = [c for c in tok.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
        objs += [x for o in objs for x in o.conjuncts]
        words = {w for o in objs for w in (o.lemma_.lower(), o.lower_)}
        for rule in taxonomy.verb_objects:
            if _lemma(tok) not in rule.verbs or not words & rule.objects:
                continue
            if rule.doer == "armed" and not _armed_doer(tok, actors):
                continue
            if rule.doer == "state" and not _state_doer(tok, actors):
                continue
            if rule.doer == "unarmed" and _armed_doer(tok, actors, CROWD_KINDS):
                continue
            out.append((tok, rule.sub, 1))
            break
    return out


def _context(
    lemmas: list[str], lowers: list[str], taxonomy: Taxonomy, actors: Sequence[ActorMention]
) -> tuple[bool, bool, bool]:
    """What the sentence (its words' lemmas and lowercase forms) says of its own topic: an armed
    actor or a crowd is named; a conflict cue word is there; a word says it is about disease,
    sport, business or film ("the fight against HIV", "the battle for the title")."""
    named = any(
        a.generic is not None or (a.actor is not None and a.actor.category != "Civilians") for a in actors
    )
    words = set(lemmas) | set(lowers)
    return named, bool(words & taxonomy.conflict_cues), bool(words & taxonomy.not_conflict)


#: Kinds of generic mention that name a crowd, not an armed party ("youths", "protesters").
CROWD_KINDS = LEXICON["crowd_kinds"]


def _doer_is(verb: Token, actors: Sequence[ActorMention], fits: Callable[[ActorMention], bool]) -> bool:
    """Some actor mention in the verb's subject or "by" agent ``fits``."""
    spans = {t.i for d in grammar.doers(verb) for t in d.subtree}
    return any(a.start in spans and fits(a) for a in actors)


def _armed_doer(
    verb: Token, actors: Sequence[ActorMention], unarmed: frozenset[str] = frozenset({"civilian"})
) -> bool:
    """The verb's subject or "by" agent is an armed actor ("gunmen killed", "killed by militants");
    ``unarmed``: the kinds of generic mention that do not count."""
    return _doer_is(
        verb,
        actors,
        lambda a: (
            a.generic is not None
            and not set(a.generic.kinds) & unarmed
            or a.actor is not None
            and a.actor.category not in ("Civilians", "Protesters", "Rioters")
        ),
    )


def _state_doer(verb: Token, actors: Sequence[ActorMention]) -> bool:
    """The verb's subject or "by" agent is a state's forces ("captured by army soldiers")."""
    return _doer_is(
        verb,
        actors,
        lambda a: (
            a.generic is not None
            and bool(set(a.generic.kinds) & STATE_KINDS)
            or a.actor is not None
            and a.actor.category == "State forces"
        ),
    )


def _phrase_words(head: Token) -> set[str]:
    """The words of a trigger's own phrase and of its verb's subject ("teachers began a
    three-day strike"), lower-cased, with lemmas: where another sense of the word shows."""
    verb = grammar.governing_verb(head)
    tokens = [head]
    if head.i > 0 and head.pos_ == "NOUN" and head.doc[head.i - 1].dep_ in ("conj", "compound", "amod"):
        tokens.append(head.doc[head.i - 1])  # "batons and stun grenades": the parser may cut "stun" loose
    verbal = head.pos_ == "VERB"
    for c in head.children:  # "a three-day strike", "a strike by teachers", not "a strike on students"
        if c.dep_ in ("compound", "amod", "nmod", "nummod", "poss") or (
            c.dep_ == "prep" and c.lower_ in ("by", "from")
        ):
            tokens += list(c.subtree)
        elif verbal and c.dep_ in ("dobj", "prep", "prt"):  # "took into account", "came under fire from"
            tokens += [c, *(o for o in c.children if o.dep_ == "pobj")]
    if head.dep_ not in ("nsubj", "nsubjpass"):
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                tokens += list(c.subtree)
    if head.dep_ == "pobj" and head.head.head == verb:  # "went on strike": the phrase hangs from the verb
        tokens.append(verb)
    words = {t.lower_ for t in tokens} | {t.lemma_.lower() for t in tokens}
    doc = head.doc
    for t in tokens:  # spaCy splits "three-day": join it again
        if t.text == "-" and 0 < t.i < len(doc) - 1 and not doc[t.i - 1].whitespace_:
            words.add(f"{doc[t.i - 1].lower_}-{doc[t.i + 1].lower_}")
    return words


def _off_topic_object(head: Token, taxonomy: Taxonomy) -> bool:
    """What the trigger acts on is no party to a conflict: "rounding up chickens", "the fight
    against HIV", "seized the meat"."""
    for c in head.children:
        if c.dep_ in ("dobj", "obj", "nsubjpass", "prt"):
            nouns = [c]
        elif c.dep_ == "prep" and c.lower_ in ("against", "on", "with", "over", "for"):
            nouns = [o for o in c.children if o.dep_ == "pobj"]
        else:
            continue
        for n in nouns:
            if any(
                t.lemma_.lower() in taxonomy.not_conflict for t in n.subtree if t.pos_ in ("NOUN", "PROPN")
            ):
                return True
    return False


# Weapon words that type a killing when no event word does ("fighter jets killed 60").
WEAPON_CUES = LEXICON.weapon_cues


AIR_CUES = LEXICON["air_cues"]


def _killing(sent: Span, taxonomy: Taxonomy) -> list[tuple[Token, SubEventType, int]]:
    """A sentence that reports a killing by a weapon but has no event word ("fighter jets
    killed 60 civilians") is still an event; the weapon decides its type."""
    verbs = [t for t in sent if t.pos_ == "VERB" and t.lemma_.lower() in KILLING_VERBS]
    lemmas = {t.lemma_.lower() for t in sent}
    name = next((sub for sub, cues in WEAPON_CUES if lemmas & cues), None)
    if not verbs or name is None or lemmas & taxonomy.not_conflict:
        return []  # a killing with no weapon named is left to the casualty reading (accidents, floods)
    sub = taxonomy.get(name)
    weak = SubEventType(
        sub.event_type, sub.sub_event_type, sub.disorder_type, sub.cameo, sub.plover, 5, sub.territory, ()
    )
    return [(verbs[0], weak, 1)]


def _by_air(trigger: Token) -> bool:
    """The doer of a bombardment is an aircraft: the verb's subject or "by" agent names one."""
    verb = trigger if trigger.pos_ == "VERB" else grammar.governing_verb(trigger)
    doers = grammar.doers(verb) + [c for c in trigger.children if c.dep_ in ("compound", "amod", "nmod")]
    return any(t.lemma_.lower() in WEAPON_CUES[0][1] for d in doers for t in d.subtree)


def _verb_stems(token: Token) -> list[str]:
    """Base forms a verb's inflection may hide when the lemmatiser misses them ("raped" ->
    "rap", "staged" -> "stag"): the surface word less its regular ending."""
    word = token.lower_
    if token.pos_ != "VERB" or _lemma(token) + "e" not in (word[:-1], word[:-1] + "e", word[:-2] + "e"):
        return []
    out = []
    for end in ("ed", "es", "ing", "s", "d"):
        if word.endswith(end) and len(word) > len(end) + 2:
            stem = word[: -len(end)]
            out += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                out.append(stem[:-1])  # "kidnapped"
    return out


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


# nouns that an event word can modify without naming an event: "air-raid warnings",
# "missile launch sites", "air defence systems", "bomb shelter"
NON_EVENT_HEADS = LEXICON["non_event_heads"]


def modifies_non_event(tok: Token) -> bool:
    """The word is (part of) a compound modifier of a noun that names no event."""
    while tok.dep_ == "compound" and tok.head is not tok:
        tok = tok.head
        if tok.lemma_.lower() in NON_EVENT_HEADS:
            return True
    return False


#: What is done to a bomb that did not go off: the weapon is the object, not the event.
DISARMING = LEXICON["disarming"]
#: Verbs by which a cache holds its weapons ("an arsenal containing three RPGs").
WEAPON_HOLDERS = LEXICON["weapon_holders"]
HIDING_VERBS = LEXICON["hiding_verbs"]


def disarmed(tok: Token) -> bool:
    """ "dismantled scores of explosive devices", "mines were removed": a weapon found or
    cleared, which is no explosion (defusing has its own trigger). A bomb "planted" or "left"
    in a car may still have gone off, so those verbs are not here."""
    cur = tok
    for _ in range(5):
        if any(c.dep_ == "acl" and c.lemma_.lower() in DISARMING for c in cur.children):
            return True
        if cur.dep_ not in ("dobj", "nsubjpass", "pobj", "prep", "conj", "compound"):
            return False
        if cur.head.pos_ == "VERB":
            verb = cur.head
            if verb.lemma_.lower() in WEAPON_HOLDERS | HIDING_VERBS and verb.dep_ in ("acl", "relcl"):
                cur = verb.head  # "an arsenal containing 3 RPGs was discovered": the arsenal was found
                continue
            return verb.lemma_.lower() in DISARMING | WEAPON_HOLDERS
        cur = cur.head
    return False


def _trigger_ok(key: tuple[str, ...], head: Token, sent: Span) -> bool:
    """Ambiguous words count only in a conflict reading."""
    if modifies_non_event(head):
        return False  # "air-raid warnings", "missile launch sites"
    if _in_name(head):
        return False  # "the Al-Hammer tribe", "Camp Strike": a word of a name
    if head.dep_ == "amod" and head.tag_ == "VBN" and len(key) == 1:
        return False  # "shelled pistachios", "a bombed-out building": a participle describing a thing
    weapon = head.head if head.dep_ == "amod" else head  # "explosive materials"
    if weapon.pos_ == "NOUN" and disarmed(weapon):
        return False
    if key in VEHICLE_ONLY:
        return False  # a weapon cue, not an event; it types the event of another trigger
    rule = LEXICON.trigger_rules.get(key)
    return rule is None or _rule_holds(rule, head, sent)


def _rule_holds(rule: TriggerRule, head: Token, sent: Span) -> bool:
    """A trigger's own rule (``trigger_rules`` in knowledge/data/lexicon.json): "a mine" counts
    as a noun, "bombed" as a verb unless the sentence is about the air ("an aerial bomb"),
    "took" only with ground as its object ("took the town", not "took two fighters")."""
    if rule.pos is not None and head.pos_ != rule.pos:
        waived = rule.or_with is not None and any(t.lemma_.lower() in LEXICON[rule.or_with] for t in sent)
        if not waived and not (rule.pos == "VERB" and _headline_verb(head)):
            return False
    if rule.object == "territory" and not any(
        c.lemma_.lower() in TERRITORY_NOUNS or c.ent_type_ in ("GPE", "LOC", "FAC") for c in _taken(head)
    ):
        return False
    return not any(t.lower_ in rule.not_with for t in sent)


#: Entity types whose names hold ordinary words that are triggers elsewhere.
NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "WORK_OF_ART", "PRODUCT"})


def _in_name(tok: Token) -> bool:
    """The word is capitalised inside a sentence that is not a title-case headline and the
    parser reads it as part of a name ("clashes between the Sabeh and Al-Hammer tribes")."""
    if tok.is_sent_start or not tok.text[:1].isupper() or tok.text.isupper():
        return False
    if tok.pos_ != "PROPN":
        return False
    doc = tok.doc
    near = [doc[i] for i in (tok.i - 1, tok.i + 1) if 0 <= i < len(doc)]
    named = tok.ent_type_ in NAME_ENTITIES or any(
        t.pos_ == "PROPN" and t.text[:1].isupper() or t.text == "-" for t in near
    )
    if not named:
        return False
    words = [t for t in tok.sent if t.is_alpha and len(t) > 3]
    return sum(t.text[:1].isupper() for t in words) * 2 < len(words)


def _taken(head: Token) -> list[Token]:
    """What a seizure takes: the object of the verb (or the subject of its passive), with
    "the town of X" and coordinated objects; a verb with no object (a headline noun) takes its
    whole phrase. "seized 3,000 kilos of pork at a market in X" takes no place."""
    objs = [c for c in head.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    if head.pos_ != "VERB" or not objs:
        return list(head.subtree)
    out: list[Token] = []
    for o in objs[:1]:  # the parser may hang a stray place on the verb as a second object
        for x in (o, *o.conjuncts):
            out.append(x)
            out += [c for c in x.children if c.dep_ == "compound"]
            out += [o for p in x.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"]
    return out


def _headline_verb(tok: Token) -> bool:
    """Note style drops the inflection: "SAF bomb Kumo", a name, the word, a name; the parser
    reads a compound noun where the writer meant a verb."""
    doc = tok.doc
    return (
        tok.dep_ == "compound"
        and tok.text.islower()  # not a title-case headline ("Terrorist Bomb Targets Bus")
        and tok.head.i > tok.i
        and 0 < tok.i < len(doc) - 1
        and (doc[tok.i - 1].pos_ == "PROPN" or doc[tok.i - 1].text.isupper())  # "RSF" may be tagged a noun
        and doc[tok.i + 1].pos_ == "PROPN"  # "SAF bomb El Hilla El Jadeeda east of Golo"
    )


def place_for(
    trigger: Token, sent: Span, places: list[PlaceMention], others: Sequence[Token] = ()
) -> tuple[PlaceRef | None, bool]:
    """The place of a mention: in its clause, then its sentence; finer places beat countries.
    A place in an adverbial clause nested in this one, with a subject of its own and another
    event of the sentence (``others``: their triggers), is that event's: "a bomb killed 43 as
    fighters advanced on Raqqa" does not put the bomb in Raqqa. The clause a mention is nested
    in is its context: "used bombers in its offensive on X, taking several neighbourhoods"."""
    in_sent = [p for p in places if sent.start_char <= p.start_char < sent.end_char]
    if not in_sent:
        return None, False
    own = grammar.own_clause(trigger)
    verb = grammar.governing_verb(trigger)
    foreign: set[int] = set()
    for other in others:
        theirs = grammar.governing_verb(other)
        if other.i in own or verb not in theirs.ancestors or not grammar.clause_of_its_own(trigger, other):
            continue
        foreign |= grammar.own_clause(other)
    fine = [p for p in in_sent if p.place.kind != "country"]
    if not fine:
        return None, True
    fine = [p for p in fine if p.start not in foreign]
    if not fine:
        return None, False
    # "MOSCOW, March 16 (TASS) - ... struck a facility in Kharkov": the dateline says where
    # the report was filed; it places the event only when the sentence names nowhere else
    fine = [p for p in fine if not in_dateline(p, sent)] or fine
    fine = [p for p in fine if _origin(p, sent) < 2 and not _fled_to(p, sent)]
    if not fine:
        return None, False  # only where it was launched from: the place comes from the paragraph
    # where it struck, even outside the launch's clause ("a rocket fired by militants in Gaza
    # landed near Sderot"), before where the shooters were
    first = min(_origin(p, sent) for p in fine)
    fine = [p for p in fine if _origin(p, sent) == first]
    in_clause = [p for p in fine if p.start in own] or fine
    # "the West Bank settlement of Kadim": a province yields to a place inside it, then the nearer
    best = min(
        in_clause,
        key=lambda p: (
            _origin(p, sent),
            _holds_another(p, in_clause) or _region_of_a_named_place(p, in_clause, sent),
            abs(p.start_char - trigger.idx),
        ),
    )
    return PlaceRef(best, _precision(best, sent)), False


#: Prepositions whose object is where a violent act landed ("fired at Israel", "a raid into Syria").
AIMED_PREPS = LEXICON["aimed_preps"]


def _aimed_at(p: PlaceMention, sent: Span) -> bool:
    """A country named as where an act struck or took place: the object of "at", "into", "in" …,
    never where it came from ("from Gaza"), nor a country standing for its state ("Israel said")."""
    t = sent.doc[p.end - 1]
    while t.dep_ in ("compound", "amod") and t.head is not t and t.head.i < p.end + 2:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ in AIMED_PREPS and _origin(p, sent) == 0


def aimed_country(trigger: Token, sent: Span, places: list[PlaceMention]) -> PlaceMention | None:
    """In a sentence that names no finer place, the country an act struck ("fired four rockets
    at Israel"): the event's country, whatever the shooters' nationality says."""
    aimed = [p for p in places if sent.start_char <= p.start_char < sent.end_char and _aimed_at(p, sent)]
    own = grammar.own_clause(trigger)
    return min(aimed, key=lambda p: (p.start not in own, abs(p.start_char - trigger.idx)), default=None)


def _region_of_a_named_place(p: PlaceMention, places: list[PlaceMention], sent: Span) -> bool:
    """ "the Negev town of Sderot", "the Idlib village of Kafr Nabl": the region words the noun
    whose place the text then names; that place is the finer one."""
    doc = sent.doc
    t = doc[p.end - 1]
    while t.dep_ == "compound" and t.head is not t and t.head.i < p.end:
        t = t.head
    noun = t.head
    if t.dep_ not in ("compound", "amod", "nmod") or noun.lemma_.lower() not in PLACE_NOUNS:
        return False
    named = {
        child.i
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ == "of"
        for child in prep.children
        if child.dep_ == "pobj"
    }
    return any(q is not p and any(q.start <= i < q.end for i in named) for q in places)


def _holds_another(p: PlaceMention, places: list[PlaceMention]) -> bool:
    a = p.place
    return a.kind == "admin1" and any(
        q.place.kind != "admin1"
        and (q.place.country_code, q.place.admin1_code) == (a.country_code, a.admin1_code)
        for q in places
    )


def in_dateline(p: PlaceMention, sent: Span) -> bool:
    """The place stands before the dash that ends a wire dateline ("BEIRUT (Reuters) -")."""
    return _before_dateline_dash(p.end, sent)


def _before_dateline_dash(end: int, sent: Span) -> bool:
    """Tokens up to ``end`` lie in the sentence's wire dateline ("KYIV, March 15 (Reuters) -"),
    which says where and when the report was filed, not the event."""
    head = sent.doc[sent.start : min(sent.end, sent.start + 12)]
    dash = next((t for t in head if t.text in ("-", "—", "–", "--")), None)
    return dash is not None and end <= dash.i and not any(t.pos_ == "VERB" for t in head if t.i < dash.i)


def _from_phrase(p: PlaceMention, sent: Span) -> Token | None:
    """The "from" a place hangs from, through a possessive or compound ("from Russia's
    Belgorod region", "from the Belgorod region")."""
    t = sent.doc[p.end - 1]
    while t.head is not t and (
        t.dep_ in ("poss", "compound", "amod", "nmod", "appos")
        # "from the city of Tulkarm": the place noun that names it stands for it
        or t.dep_ == "pobj"
        and t.head.lower_ == "of"
        and t.head.head.lemma_.lower() in PLACE_NOUNS
    ):
        t = t.head if t.dep_ != "pobj" else t.head.head
    if (
        t.dep_ == "pobj"
        and t.head.lower_ in ("in", "near")
        and (t.head.head.pos_ == "PROPN" or t.head.head.lemma_.lower() in PLACE_NOUNS)
    ):
        # "from Jenin in the West Bank": the region of a place launched from is no target either
        inner = t.head.head
        while inner.dep_ in ("compound", "amod") and inner.head is not inner:
            inner = inner.head
        if inner.dep_ == "pobj" and inner.head.lower_ == "from":
            return inner.head
    if t.dep_ == "pobj" and t.head.lower_ == "from":
        return t.head
    prev = sent.doc[p.start - 1] if p.start > 0 else None
    return prev if prev is not None and prev.lower_ == "from" else None


LAUNCH_VERBS = LEXICON["launch_verbs"]
PLACE_NOUNS = LEXICON["place_nouns"]


def _origin(p: PlaceMention, sent: Span) -> int:
    """Places named as where fighters come from ("fighters from Homs") rank after the others;
    where a weapon was launched from ("a missile fired from Belgorod") is not the event's place."""
    prep = _from_phrase(p, sent)
    if prep is None:
        return 1 if _shooters_place(p, sent) else 0
    if prep.head.lemma_ in ("come",):
        return 0
    return 2 if prep.head.lemma_.lower() in LAUNCH_VERBS else 1


#: Prepositions of where people went ("fled to Goma", "headed towards the border").
DESTINATION_PREPS = frozenset({"to", "towards", "toward", "into"})


def _fled_to(p: PlaceMention, sent: Span) -> bool:
    """Where people fled or went ("forced thousands to flee towards Goma"): not the event's place."""
    t = sent.doc[p.end - 1]
    while t.dep_ in ("compound", "amod") and t.head is not t:
        t = t.head
    return (
        t.dep_ == "pobj"
        and t.head.lower_ in DESTINATION_PREPS
        and t.head.head.lemma_.lower() in LEXICON["flight_verbs"]
    )


def _shooters_place(p: PlaceMention, sent: Span) -> bool:
    """ "a rocket fired by militants in Gaza landed near Sderot", "gunmen in the hills fired on
    the village": the place of those who launched or shot, which yields to where it struck."""
    t = sent.doc[p.end - 1]
    while t.dep_ in ("compound", "amod") and t.head is not t:
        t = t.head
    if not (t.dep_ == "pobj" and t.head.lower_ == "in"):
        return False
    noun = t.head.head
    if noun.pos_ not in ("NOUN", "PROPN") or noun.i >= t.i:
        return False
    if noun.dep_ == "pobj" and noun.head.dep_ == "agent":  # "fired by militants in X"
        return noun.head.head.lemma_.lower() in LAUNCH_VERBS
    return noun.dep_ == "nsubj" and noun.head.lemma_.lower() in LAUNCH_VERBS  # "militants in X fired"


def _precision(p: PlaceMention, sent: Span) -> int:
    if p.place.kind in ("admin1", "country"):
        return 3
    doc = sent.doc
    before = {t.lower_ for t in doc[max(sent.start, p.start - 4) : p.start]}
    after = {t.lower_ for t in doc[p.end : min(sent.end, p.end + 2)]}
    if before & NEAR_WORDS or after & LEXICON["area_words"]:
        return 2
    if p.place.kind in ("region", "admin2"):
        return 2
    return 1


def date_for(
    trigger: Token, sent: Span, dates: list[DateMention]
) -> tuple[DateMention | None, DateMention | None]:
    """(event date, report date): the date of the trigger itself ("Sunday's attack"), else of
    its clause, else the nearest in its sentence; a date hanging from "said" dates the report,
    not the event. With no calendar date, a span of recent hours or days ("over the past 24
    hours") stands for it. Anaphoric dates ("the day before") come resolved from annotate."""
    in_sent = [d for d in dates if sent.start_char <= d.start < sent.end_char]
    event_dates, report_dates = [], []
    for d in in_sent:
        span = sent.doc.char_span(d.start, d.end, alignment_mode="expand")
        tok = span.root if span is not None else trigger
        if tok.dep_ == "pobj" and span is not None:
            tok = tok.head  # "said on Tuesday": the preposition ties the date to its verb
        rep = grammar.reporting_verb_of(tok) if tok.lemma_ not in grammar.REPORTING else tok
        if rep is not None and any(c.dep_ == "dobj" and c.lemma_ in ("life", "live") for c in rep.children):
            rep = None  # "claimed the lives of 80": a toll, not a report
        first = span[0] if span is not None else trigger
        lead_in = first.doc[first.i - 1] if first.i > 0 else None
        if lead_in is not None and lead_in.lower_ in ("on", "late", "early") and lead_in.i > 0:
            lead_in = lead_in.doc[lead_in.i - 1]
        if span is not None and _before_dateline_dash(span.end, sent):
            report_dates.append(d)  # the dateline's date is the filing day
        elif lead_in is not None and lead_in.lemma_ in grammar.REPORTING and lead_in.pos_ == "VERB":
            report_dates.append(d)  # "said on Monday it had captured": however the parser hangs it
        elif (
            rep is not None
            and (not grammar.in_subtree(trigger, rep) or tok.head == rep)
            and not _subject_of(trigger, rep)  # "an attack on April 4 claimed 80 lives": the attack's
        ):
            report_dates.append(d)
        else:
            event_dates.append(d)
    calendar = [d for d in event_dates if d.kind != "duration"]
    spans = [d for d in event_dates if d.recent]
    chosen = None
    for candidates in (calendar, spans):
        if candidates:
            verb = grammar.governing_verb(trigger)
            # "their 2019 offensive", "Sunday's attack": a date on the trigger noun itself comes first
            own = [d for d in candidates if trigger.pos_ == "NOUN" and _modifies(d, trigger, sent)]
            attached = [d for d in candidates if _attached(d, verb, sent)]
            offset = _offset(verb, event_dates, sent) if not own and not attached else None
            if offset is not None:
                # "retook it on Monday, two days after the militants overran it": Monday less two days
                chosen = _counted_from(offset, verb, candidates, sent)
                break
            pool = own or attached or candidates
            chosen = min(pool, key=lambda d: abs(d.start - trigger.idx))
            break
    reports = [d for d in report_dates if d.kind != "duration"]
    return chosen, (reports[0] if reports else None)


#: subordinators that time a clause from its main clause ("two days after ...")
TEMPORAL_MARKS = LEXICON["temporal_marks"]


def _offset(verb: Token, dates: list[DateMention], sent: Span) -> tuple[DateMention, int] | None:
    """("two days", -1) for "two days after the militants overran": a clause timed a count of
    days or weeks before (-1) or after (+1) its main clause."""
    mark = next((c for c in verb.children if c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS), None)
    if mark is None and verb.dep_ == "pcomp" and verb.head.lower_ in TEMPORAL_MARKS:
        mark = verb.head
    if mark is None:
        return None
    for d in dates:
        if d.kind == "duration" and d.unit in ("D", "W") and d.length:
            span = sent.doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and span.root.head in (verb, mark) and span.root.dep_ == "npadvmod":
                return d, -1 if mark.lower_ in ("after", "since", "following") else 1
    return None


def _counted_from(
    offset: tuple[DateMention, int], verb: Token, candidates: list[DateMention], sent: Span
) -> DateMention:
    """The date of a clause timed from its main clause's: that date moved by the count; no
    value when the main clause has no day."""
    span_date, sign = offset
    main = grammar.governing_verb(verb.head) if verb.head is not verb else verb
    on_main = [
        d for d in candidates if d.value is not None and d.precision == "day" and _attached(d, main, sent)
    ]
    days = int(span_date.length or 0) * (7 if span_date.unit == "W" else 1)
    value = on_main[0].value + timedelta(days=sign * days) if on_main and on_main[0].value else None
    return DateMention(
        span_date.start, span_date.end, span_date.text, "relative", value, "day" if value else None, "day"
    )


def _subject_of(trigger: Token, verb: Token) -> bool:
    """The trigger is in the verb's subject: the verb tells of the event, it does not report it."""
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and c.left_edge.i <= trigger.i <= c.right_edge.i
        for c in verb.children
    )


def _modifies(d: DateMention, noun: Token, sent: Span) -> bool:
    span = sent.doc.char_span(d.start, d.end, alignment_mode="expand")
    return (
        span is not None
        and span.root.head == noun
        and span.root.dep_ in ("compound", "nmod", "poss", "amod", "npadvmod", "nummod")
    )


def _attached(d: DateMention, verb: Token, sent: Span) -> bool:
    span = sent.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return (
        root.head == verb
        or verb in root.ancestors
        and not any(
            a.pos_ == "VERB" and a != verb
            for a in root.ancestors
            if grammar.in_subtree(a, verb) and a.i != verb.i
        )
    )


#: Verbs whose coordinated subjects are the two sides ("troops and rebels clashed").
CLASH_VERBS = LEXICON["clash_verbs"]
#: Prepositions whose object is what a violent act is aimed at ("fired at a patrol").
TARGET_PREPS = LEXICON["target_preps"]
#: Verbs whose object is the victim of the trigger that is their subject ("a bomb killed three").
HARM_VERBS = LEXICON["harm_verbs"]
#: Role patterns of verbs (what their subject is): see their entries in knowledge/data/lexicon.json.
DEFENCE_VERBS = LEXICON["defence_verbs"]
REPEL_VERBS = LEXICON["repel_verbs"]
TOLL_VERBS = LEXICON["toll_verbs"]
PARTY_VERBS = LEXICON["party_verbs"]
LOSING_VERBS = LEXICON["losing_verbs"]
KILLING_VERBS = LEXICON["killing_verbs"]


def roles(
    trigger: Token,
    sent: Span,
    actors: list[ActorMention],
    territory: bool = False,
    all_actors: Sequence[ActorMention] = (),
) -> tuple[ActorMention | None, ActorMention | None, ActorMention | None]:
    """(actor1, actor2, loser) from the parse: subject/agent initiates, object/target receives;
    ``territory``: the trigger names a change of hands, so "from X" names the other side."""
    at = {i: a for a in actors for i in range(a.start, a.end)}
    doc = sent.doc

    def actor_under(tok: Token) -> ActorMention | None:
        if tok.i in at:
            return at[tok.i]
        for t in tok.subtree:
            if t.i in at:
                return at[t.i]
        return None

    def pronoun_actor(tok: Token, wide: bool = False) -> ActorMention | None:
        if tok.lower_ in ("its", "their", "they", "it", "his"):
            before = [a for a in actors if a.end <= tok.i] or []
            if not before and wide:  # the sentence before names who "its fighters" are
                before = [a for a in all_actors if tok.i - 60 < a.end <= tok.i and a.actor is not None]
            return before[-1] if before else None
        return None

    def owner(tok: Token) -> ActorMention | None:
        """ "its fighters", "their forces": the group the possessive stands for."""
        poss = next((c for c in tok.children if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        found = pronoun_actor(poss, wide=True) if poss is not None else None
        return found if found is not None and found.actor is not None else None

    a1 = a2 = loser = None
    lemma = trigger.lemma_.lower()
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else None
    if (
        verb is not None
        and trigger.tag_ == "VBG"
        and trigger.dep_ in ("nsubj", "csubj", "nsubjpass", "dobj", "pobj")
    ):
        verb = None  # "Fighting between troops and gunmen left three dead": a gerund used as a noun
    if verb is None:
        between = [  # "fighting broke out between X and Y": the verb holds the parties
            c
            for c in trigger.head.children
            if c.dep_ == "prep" and c.lower_ == "between" and trigger.dep_ in ("nsubj", "csubj")
        ]
        for c in [*trigger.children, *between]:
            if c.dep_ in ("poss", "compound", "amod", "nmod", "nummod") and a1 is None:
                a1 = actor_under(c) or pronoun_actor(c)
            if c.dep_ == "prep":
                for obj in (o for o in c.children if o.dep_ == "pobj"):
                    if c.lower_ == "by" and a1 is None:
                        a1 = actor_under(obj)
                    elif c.lower_ in ("on", "against", "targeting", "at") and a2 is None:
                        a2 = actor_under(obj)
                    elif c.lower_ == "between":
                        # "between troops and rebels", "between the Kudung and Pwel people",
                        # "between members of the Nande and Hutu communities": the first two parties
                        sides = list(dict.fromkeys(at[t.i] for t in obj.subtree if t.i in at))
                        a1 = a1 or (sides[0] if sides else None)
                        others = [x for x in sides if x is not a1]
                        if others:
                            a2 = others[0]
                    elif c.lower_ == "with" and a2 is None:
                        a2 = actor_under(obj)
        if a1 is None:  # "the abduction of three students by gunmen": "by" may hang on the victims
            for t in trigger.subtree:
                if (
                    t.lower_ == "by"
                    and t.dep_ == "prep"
                    and t.head.dep_ == "pobj"
                    and t.head.head.lower_ == "of"
                    and t.head.head.head == trigger
                ):
                    a1 = next((actor_under(o) for o in t.children if o.dep_ == "pobj"), None)
                    if a1 is not None:
                        break
        for acl in (c for c in trigger.children if c.dep_ in ("acl", "relcl")):
            # "a car bomb attack carried out by Isis", "a blast claimed by Daesh"
            for by in (c for c in acl.children if c.dep_ == "agent"):
                a1 = a1 or next((actor_under(o) for o in by.children), None)
        gov = grammar.governing_verb(trigger)
        speaker = (
            next((c for c in gov.head.children if c.dep_ == "nsubj"), None) if gov.dep_ == "ccomp" else None
        )
        partisan = (
            speaker is not None and gov.head.lemma_ in grammar.REPORTING and actor_under(speaker) is not None
        )
        if (
            gov is not trigger
            and gov.lemma_.lower() in HARM_VERBS
            and trigger.dep_ in ("nsubj", "pobj")
            and not partisan  # "the group said the attack targeted 'apostate soldiers'": its claim
        ):
            # "a roadside bomb killed three soldiers", "soldiers were killed by a bomb": the victims
            victims = [c for c in gov.children if c.dep_ in ("dobj", "nsubjpass")]
            if victims and a2 is None:
                a2 = actor_under(victims[0])
        if gov is not trigger and gov.lemma_ not in grammar.REPORTING:
            subj = [c for c in gov.children if c.dep_ in ("nsubj",)]
            if gov.lemma_ in DEFENCE_VERBS:
                if subj and a2 is None:
                    a2 = actor_under(subj[0])
            elif subj and a1 is None and gov.lemma_ not in TOLL_VERBS:
                a1 = actor_under(subj[0]) or pronoun_actor(subj[0])
                if a2 is None and gov.lemma_ in PARTY_VERBS:
                    # "the army and the rebels agreed a ceasefire", however the parser joins them
                    sides = list(dict.fromkeys(at[t.i] for t in subj[0].subtree if t.i in at))
                    if len(sides) > 1:
                        a1, a2 = sides[0], sides[1]
            agent = [c for c in gov.children if c.dep_ == "agent"]
            if agent and a1 is None:
                a1 = actor_under(agent[0])
    else:
        subj = [c for c in verb.children if c.dep_ in ("nsubj",)]
        up = verb
        for _ in range(3):  # "IS crushed ..., crucifying two and executing 23": the subject is up the chain
            if subj or up.dep_ not in ("conj", "xcomp", "advcl") or up.head.pos_ not in ("VERB", "AUX"):
                break
            up = up.head
            subj = [c for c in up.children if c.dep_ == "nsubj"]
        subjpass = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if subj and grammar.headline_passive(verb):
            subjpass, subj = subj, []  # "1 soldier killed": the victim
        objs = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
        agent = [c for c in verb.children if c.dep_ == "agent"]
        preps = [c for c in verb.children if c.dep_ == "prep"]
        if lemma == "come" and any(p.lower_ == "under" for p in preps):
            # "soldiers came under fire from gunmen": the subject is the target
            a2 = actor_under(subj[0]) if subj else None
            src = [o for p in preps if p.lower_ == "from" for o in p.children if o.dep_ == "pobj"]
            a1 = actor_under(src[0]) if src else None
        elif lemma in REPEL_VERBS:
            a2 = actor_under(subj[0]) if subj else None
            if objs:
                for t in objs[0].subtree:
                    if t.lower_ == "by":
                        a1 = next((actor_under(o) for o in t.children if o.dep_ == "pobj"), None)
        elif lemma in LOSING_VERBS:
            loser = actor_under(subj[0]) if subj else None
        else:
            if subj:
                a1 = owner(subj[0]) or actor_under(subj[0]) or pronoun_actor(subj[0])
                joint = [c for c in subj[0].children if c.dep_ == "conj"]
                if joint and not objs and lemma in CLASH_VERBS:
                    a2 = actor_under(joint[0])  # "troops and rebels clashed": the two sides
                elif lemma in PARTY_VERBS and a2 is None:
                    # "the government and the rebels exchanged 38 prisoners": both are parties
                    sides = list(dict.fromkeys(at[t.i] for t in subj[0].subtree if t.i in at))
                    if len(sides) > 1:
                        a1, a2 = sides[0], sides[1]
            if agent:
                a1 = next((actor_under(o) for o in agent[0].children), None) or a1
            if subjpass:
                a2 = actor_under(subjpass[0])
            if objs and a2 is None:
                a2 = actor_under(objs[0])
            for p in preps:
                if p.lower_ in TARGET_PREPS and a2 is None:
                    a2 = next((actor_under(o) for o in p.children if o.dep_ == "pobj"), None)
    if territory and a2 is None and loser is None:
        # "retaken by troops from the rebels": whoever it was taken from, wherever "from" hangs
        head = verb if verb is not None else trigger
        taken_from = [o for t in head.subtree if t.lower_ == "from" for o in t.children if o.dep_ == "pobj"]
        a2 = next((x for o in taken_from if (x := actor_under(o)) is not None and x is not a1), None)
    if a1 is not None and a2 is not None and a1.start == a2.start:
        a2 = None
    del doc
    return a1, a2, loser


def sentence_mentions(ann: Annotation, taxonomy: Taxonomy) -> list[Mention]:
    """All mentions in the article, each judged news or not."""
    doc: Doc = ann.doc
    sents = list(doc.sents)
    starts = paragraph_starts(ann.article.text)  # doc.text is rebuilt from the tokens on each access
    first_par = paragraph_of(starts, sents[0].start_char) if sents else 0
    mentions: list[Mention] = []
    publish = ann.article.publish_date
    for si, sent in enumerate(sents):
        par = paragraph_of(starts, sent.start_char)
        actors = ann.actors_in(sent.start_char, sent.end_char)
        dates = ann.dates_in(sent.start_char, sent.end_char)
        in_dates = [(d.start, d.end) for d in dates]
        found = list(find_triggers(sent, taxonomy, actors))
        here: list[Mention] = []
        for trigger, sub, _ in found:
            if grammar.is_negated(trigger) or grammar.is_hypothetical(trigger):
                continue
            if any(s <= trigger.idx < e for s, e in in_dates):
                continue  # "KYIV, March 15": a month, not a march
            if sub.sub_event_type in (
                "Shelling/artillery/missile attack",
                "Armed clash",
                "Attack",
            ) and _by_air(trigger):
                sub = taxonomy.get("Air/drone strike")  # "warplanes pounded", "jets raided the village"
            a1, a2, loser = roles(trigger, sent, actors, bool(sub.territory), ann.actors)
            if a2 is not None and is_claimant(ann.doc, a2):
                a2 = None  # "... at a market in Konduga, police and a militia leader said": who reports
            others = [t for t, _, _ in found if t is not trigger]
            in_sent = ann.places_in(sent.start_char, sent.end_char)
            place, country_only = place_for(trigger, sent, in_sent, others)
            date, report_date = date_for(trigger, sent, dates)
            recent = date is not None and date.recent
            if recent:
                date = None
            m = Mention(
                si,
                par,
                trigger,
                sub,
                a1,
                a2,
                [a for a in actors if a not in (a1, a2)],
                place,
                country_only,
                aimed_country(trigger, sent, in_sent) if country_only else None,
                date,
                report_date,
                lead=si < 2 or (par == first_par and si < 3),
                loser=loser,
                recent=recent,
            )
            m.background = _background(m, sent, ann, publish)
            here.append(m)
        mentions += [
            m
            for m in here
            if not _participant(m, here) and not _described(m, here) and not _grievance(m, here)
        ]
    return mentions


def _described(m: Mention, here: list[Mention]) -> bool:
    """A participle that describes people by what was done to them before ("families of
    fishermen arrested in Tabarka protested"), in a sentence whose main verb is another event:
    that event is the news."""
    t = m.trigger
    return (
        t.dep_ == "acl"
        and t.tag_ == "VBN"
        and any(o.trigger.dep_ == "ROOT" and o.sub.event_type != m.sub.event_type for o in here)
    )


#: Prepositions of what a protest is against ("protested against the arrest of their king").
GRIEVANCE_PREPS = frozenset({"against", "over"})


def _grievance(m: Mention, here: list[Mention]) -> bool:
    """What a protest of the sentence is against ("took to the streets to protest against the
    arrest of their king", "demonstrated over the killing of a student"): its cause, told as
    background, not an event of the day."""
    if m.sub.event_type in ("Protests", "Riots"):
        return False
    t = m.trigger
    while t.dep_ in ("compound", "amod", "pobj", "prep", "conj") and t.head is not t:
        if t.dep_ == "pobj" and t.head.lower_ in GRIEVANCE_PREPS:
            verb = t.head.head
            return any(o.trigger.i == verb.i and o.sub.event_type == "Protests" for o in here)
        t = t.head
    return False


def _participant(m: Mention, here: list[Mention]) -> bool:
    """A trigger word that is only a party to another event of the sentence ("police fired on
    protesters": the protesters are the target of the shooting, not a protest of their own)."""
    return any(
        o.sub.event_type != m.sub.event_type
        and any(
            a is not None
            and a.start <= m.trigger.i < a.end
            and a.generic is not None
            and set(a.generic.kinds) & CROWD_KINDS
            for a in (o.actor1, o.actor2)
        )
        for o in here
    )


def _background(m: Mention, sent: Span, ann: Annotation, publish: object) -> bool:
    """History and context: old dates, "since"/"for months", perfect aspect outside the lead."""
    from datetime import date as _date
    from datetime import timedelta

    if m.date is not None and m.date.value is not None and isinstance(publish, _date):
        slack = {"day": 10, "week": 14, "month": 31, "year": 366}.get(m.date.precision or "day", 10)
        if m.date.value < publish - timedelta(days=slack):
            return True
        if m.date.precision == "year" or (
            m.date.precision == "month" and m.date.value.month != publish.month
        ):
            return True
    if m.date is not None and m.date.precision == "year":
        return True
    verb = grammar.governing_verb(m.trigger)
    clause = grammar.own_clause(m.trigger)  # not "a group that had held it for two years"
    dated_day = m.date is not None and m.date.value is not None and m.date.precision == "day"
    for d in ann.dates_in(sent.start_char, sent.end_char):
        if dated_day:
            break  # "on Friday killed two, the latest in four months of exchanges": the day is its own
        if d.background and sent.start_char <= d.start < sent.end_char:
            span = sent.doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and (span.root.i in clause or span.root.head.i in clause):
                return True
    if any(t.lower_ == "since" and t.dep_ in ("advmod", "prep", "mark") for t in verb.subtree):
        return True
    if grammar.is_prior(m.trigger):
        return True
    if not m.lead and m.date is None and grammar.is_habitual(verb):
        return True  # "they are backed by coalition air strikes": how things stand, not a day's news
    if (
        grammar.is_perfect(m.trigger)
        and not m.lead
        and not m.recent
        and (m.date is None or m.date.form_precision != "day")
        and not during_the_news(verb)
    ):
        return True
    return m.trigger.dep_ == "relcl" and m.date is None and not m.lead


def during_the_news(verb: Token) -> bool:
    """ "its air defences had shot down 23 drones during the attack": a perfect timed by the
    article's own event ("during the attack", "in the raid") is part of the news, not history."""
    return any(
        p.dep_ == "prep"
        and p.lower_ in ("during", "in", "amid")
        and o.dep_ == "pobj"
        and o.lemma_.lower() in NEWS_EVENT_NOUNS
        and any(c.lower_ in ("the", "this", "that") for c in o.children)
        for p in verb.subtree  # the parser may hang "during the attack" on the object
        for o in p.children
    )


#: Nouns for the attack a report is about, when it is timed by them with a definite article.
NEWS_EVENT_NOUNS = LEXICON["news_event_nouns"]
