"""From mentions to events: merge the mentions of one event, resolve generic actors,
give each casualty figure to exactly one event, attach claimants and evidence."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span, Token

from marsad.annotate.actors import ActorMention
from marsad.annotate.dates import DateMention
from marsad.annotate.pipeline import Annotation, PlaceMention
from marsad.annotate.places import distance_km
from marsad.extract import confidence, grammar
from marsad.extract.casualties import Casualty
from marsad.extract.claims import claimant_of, is_claimant
from marsad.extract.mentions import (
    AIR_CUES,
    CROWD_KINDS,
    Mention,
    PlaceRef,
    during_the_news,
    in_dateline,
    modifies_non_event,
    two_sided,
)
from marsad.extract.responsibility import Responsibility, responsibility_claims
from marsad.knowledge.actors import (
    PLACELESS_COUNTRY,
    STATE_KINDS,
    Actor,
    demonym_countries,
    load_countries,
    placeless_actors,
)
from marsad.knowledge.lexicon import load_lexicon
from marsad.knowledge.places import Place, country_names, gazetteer, iso3_codes
from marsad.knowledge.taxonomy import FAMILIES, SubEventType, Taxonomy
from marsad.model import Event, Source

LEXICON = load_lexicon()

STATE = "State forces"
MAX_COUNT = 1500  # larger figures in a report are war-long tolls or displacement, not one event


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


@dataclass
class Draft:
    """An event being assembled from mentions."""

    mentions: list[Mention] = field(default_factory=list)
    casualties: list[Casualty] = field(default_factory=list)

    @property
    def date(self) -> DateMention | None:
        """The most precise date of its mentions, the first of equals (a day ends the search:
        nothing is finer, and an event of a long article has many mentions)."""
        best, rank = None, 5
        for m in self.mentions:
            if m.date is not None and (r := _PRECISION_RANK.get(m.date.precision or "", 4)) < rank:
                best, rank = m.date, r
                if r == 0:
                    break
        return best

    @property
    def place(self) -> PlaceRef | None:
        """The finest place of its mentions (cities first), the first of equals."""
        best, rank = None, (True, 4)
        for m in self.mentions:
            if (
                m.place is not None
                and (r := (m.place.mention.place.kind != "city", m.place.precision)) < rank
            ):
                best, rank = m.place, r
                if r == (False, 1):
                    break
        return best

    @property
    def recent(self) -> bool:
        return any(m.recent for m in self.mentions)

    @property
    def country_only(self) -> bool:
        """Every sentence behind it names a country and no finer place: don't borrow a town."""
        return self.place is None and all(m.country_only for m in self.mentions)

    @property
    def aimed(self) -> PlaceMention | None:
        """The country the act struck, where no sentence behind it names a finer place."""
        return next((m.aimed for m in self.mentions if m.aimed is not None), None)

    @property
    def family(self) -> str:
        return FAMILIES[self.mentions[0].sub.event_type]


def _date_key(d: DateMention | None) -> str | None:
    if d is None or d.value is None and d.kind == "anaphor":
        return None  # "the same day" with no date to lean on: the day of what it follows
    if d.value is not None:
        return d.value.isoformat()
    low = d.text.lower()
    for wd in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
        if wd in low:
            return wd
    return f"{d.kind}:{low}"


def _places_compatible(a: Place, b: Place) -> bool:
    if a.pid == b.pid:
        return True
    if a.country_code != b.country_code:
        return False
    if "admin1" in (a.kind, b.kind):
        return a.admin1_code == b.admin1_code
    return distance_km(a, b) <= 30


def _compatible(m: Mention, d: Draft, tolls: frozenset[int] = frozenset(), separate: bool = False) -> bool:
    if FAMILIES[m.sub.event_type] != d.family:
        return False
    if (
        m.sent_index in tolls
        and all(x.sub.event_type != m.sub.event_type for x in d.mentions)
        and any(x.sent_index in tolls and x.sent_index != m.sent_index for x in d.mentions)
    ):
        return False  # "clashes killed 28 ... a missile hit a home, killing two": two tolls, two events
    if d.family == "strategic" and m.sub.sub_event_type != d.mentions[0].sub.sub_event_type:
        return False
    if separate and all(x.sent_index < m.sent_index for x in d.mentions):
        return False  # "Earlier on Thursday a roadside bomb exploded ...": another event
    if any(_other_doer(m, x) for x in d.mentions):
        return False  # "regime forces shelled the town ... Russian warplanes carried out raids": two events
    if any(
        x.sent_index == m.sent_index
        and x.sub.sub_event_type != m.sub.sub_event_type
        and grammar.clause_of_its_own(x.trigger, m.trigger)
        for x in d.mentions
    ):
        return False  # "a bomb killed 12 as troops shelled Hama": two events in one sentence
    mk, dk = _date_key(m.date), _date_key(d.date)
    if mk is not None and dk is not None and mk != dk:
        return False
    place = d.place
    if (
        m.place is not None
        and place is not None
        and not _places_compatible(m.place.mention.place, place.mention.place)
    ):
        return False
    return not (m.country_only and place is not None and m.place is None and m.date is not None)


def _doer_key(a: ActorMention | None) -> str | None:
    if a is None:
        return None
    return a.actor.id if a.actor is not None else (a.generic.phrase if a.generic is not None else None)


def _other_doer(m: Mention, x: Mention) -> bool:
    """Another kind of bombardment by another named doer, told in another sentence ("regime
    forces shelled the town ... Russian warplanes carried out raids on its outskirts")."""
    mine, theirs = _doer_key(m.actor1), _doer_key(x.actor1)
    return (
        m.sub.event_type == x.sub.event_type == "Explosions/Remote violence"
        and mine is not None
        and theirs is not None
        and mine != theirs
        and m.sub.sub_event_type != x.sub.sub_event_type
        and m.sent_index != x.sent_index
    )


def _during(m: Mention, d: Draft) -> bool:
    """``m`` is told "during the attack" of ``d``, at its place or at none ("air defences had
    shot down 23 drones over Odesa during the attack")."""
    if not during_the_news(grammar.governing_verb(m.trigger)) or d.place is None:
        return False
    return m.place is None or _places_compatible(m.place.mention.place, d.place.mention.place)


def _follows(m: Mention, d: Draft) -> bool:
    """``m`` is told within two sentences after ``d``'s, at its place or at none, and not as
    more of the same ("the attackers also looted houses" is part of the attack)."""
    if any(c.lower_ == "also" for c in m.trigger.children):
        return False
    last = max(x.sent_index for x in d.mentions)
    if not 0 < m.sent_index - last <= 2 or d.place is None:
        return False
    return m.place is None or _places_compatible(m.place.mention.place, d.place.mention.place)


def merge(
    mentions: list[Mention],
    tolls: frozenset[int] = frozenset(),
    cues: frozenset[tuple[str, ...]] = frozenset(),
) -> list[Draft]:
    """Anchored mentions (dated, or in the lead) found events; the rest join one or are context.
    ``tolls``: the sentences that report a toll of their own; ``cues``: the words that open a
    sentence telling another event ("Earlier on Thursday ...")."""
    drafts: list[Draft] = []
    news = [m for m in mentions if not m.background]
    apart = {m.sent_index for m in news if _opens_with(m.trigger.sent, cues)}
    # a headline's toll restates the story's ("Taliban kill seven soldiers" over "... killing
    # seven soldiers"): it is no second toll that would tell a second event
    tolls = tolls - {m.sent_index for m in news if is_headline(m.trigger.sent)}
    for m in news:
        if not (m.date is not None or m.lead):
            continue
        target = next((d for d in drafts if _compatible(m, d, tolls, m.sent_index in apart)), None)
        if target is None:
            drafts.append(Draft([m]))
        else:
            target.mentions.append(m)
    # undated lead drafts lean on a dated compatible draft when there is one
    for d in [d for d in drafts if d.date is None]:
        for other in drafts:
            if (
                other is not d
                and other.date is not None
                and all(_compatible(m, other, tolls) for m in d.mentions)
            ):
                other.mentions.extend(d.mentions)
                d.mentions.clear()
                break
        else:
            told = [o for o in drafts if o.date is not None and all(_follows(m, o) for m in d.mentions)]
            if told and all(m.sub.event_type == "Strategic developments" for m in d.mentions):
                d.mentions[:] = [dataclasses.replace(m, date=told[-1].date) for m in d.mentions]
    drafts = [d for d in drafts if d.mentions]
    for m in news:
        if m.date is not None or m.lead:
            continue
        fits = [d for d in drafts if _compatible(m, d, separate=m.sent_index in apart)]
        if not fits and m.sub.event_type == "Strategic developments":
            # "engineers defused a second device": another kind of event told right after a
            # dated one, in the same place, is that day's too
            told = [d for d in drafts if d.date is not None and (_follows(m, d) or _during(m, d))]
            if told:
                drafts.append(Draft([dataclasses.replace(m, date=told[-1].date)]))
            continue
        if fits:
            best = max(
                fits,
                key=lambda d: (
                    d.place is not None
                    and m.place is not None
                    and d.place.mention.place.pid == m.place.mention.place.pid,
                    d.date.value if d.date and d.date.value else date.min,
                ),
            )
            best.mentions.append(m)
    return _drop_context(drafts)


def fold_into_demonstrations(drafts: list[Draft], taxonomy: Taxonomy) -> list[Draft]:
    """Arrests told after a demonstration, on its day and at its place, by the state or by no
    one named ("Police dispersed the march. At least 25 people were arrested."), are that
    demonstration's police action, as ACLED codes them: a protest with intervention (the
    sub-event type's ``at_demonstration``), not an event of their own."""
    out: list[Draft] = []
    for d in drafts:
        targets = {m.sub.at_demonstration for m in d.mentions}
        host = None
        if len(targets) == 1 and None not in targets and all(_by_the_state(m) for m in d.mentions):
            host = next((p for p in out if p.family == "demonstration" and _told_at(d, p)), None)
        if host is None:
            out.append(d)
            continue
        intervention = taxonomy.get(targets.pop() or "")
        best = max((m.sub for m in host.mentions), key=lambda s: s.rank)
        sub = intervention if intervention.rank > best.rank else best
        host.mentions.extend(dataclasses.replace(m, sub=sub) for m in d.mentions)
    return out


def _by_the_state(m: Mention) -> bool:
    a = m.actor1
    if a is None:
        return True
    if a.actor is not None:
        return a.actor.category == STATE
    return a.generic is not None and bool(set(a.generic.kinds) & STATE_KINDS)


def _told_at(d: Draft, host: Draft) -> bool:
    """``d`` is told after ``host``'s first sentence, on its day (or undated) and at its place."""
    if min(m.sent_index for m in d.mentions) < min(m.sent_index for m in host.mentions):
        return False
    mine, theirs = _date_key(d.date), _date_key(host.date)
    if mine is not None and theirs is not None and mine != theirs:
        return False
    return (
        d.place is None
        or host.place is None
        or _places_compatible(d.place.mention.place, host.place.mention.place)
    )


def is_headline(sent: Span) -> bool:
    """The article's first sentence is a headline: a line of its own (a blank line after it)
    with no full stop ("Pakistani Taliban kill seven soldiers in northwest")."""
    if sent.start != 0:
        return False
    words = [t for t in sent if not t.is_space]
    return bool(words) and words[-1].text not in (".", "!", "?") and sent[-1].text.count("\n") >= 2


def _opens_with(sent: Span, cues: frozenset[tuple[str, ...]]) -> bool:
    words = tuple(t.lower_ for t in sent[:4] if not t.is_punct)
    return any(words[: len(c)] == c for c in cues)


def _drop_context(drafts: list[Draft]) -> list[Draft]:
    """An article that reports day-dated news mentions week- or month-dated fighting
    outside its lead as context ("took the countryside last week"): not new events."""
    if not any(d.date is not None and d.date.form_precision == "day" for d in drafts):
        return drafts
    return [
        d
        for d in drafts
        if d.date is None or d.date.form_precision == "day" or any(m.lead for m in d.mentions)
    ]


class ActorResolver:
    """Generic mentions -> named actors by country and nearest named actor of that kind."""

    def __init__(
        self, ann: Annotation, all_actors: list[Actor], country: str | None, when: date | None
    ) -> None:
        self.ann = ann
        self.country = country
        self.when = when
        self.all = all_actors
        self.named = [a for a in ann.actors if a.actor is not None]

    def resolve(self, mention: ActorMention | None) -> tuple[Actor | None, list[Actor]]:
        if mention is None:
            return None, []
        if mention.actor is not None:
            return self._current(mention.actor, mention.text), []
        if mention.identity is not None:
            return self.identity(mention.identity), []
        g = mention.generic
        if g is None:
            return None, []
        own = self.for_mention(mention)
        if own is not self:
            return own.resolve(mention)
        kinds = set(g.kinds)
        if kinds & STATE_KINDS:
            main = self.state_forces(kinds)
            if main is None:
                return None, []
            allies = []
            if g.pro:
                mentioned = {a.actor.id for a in self.named if a.actor}
                allies = [a for a in self.all if a.id in set(main.affiliations) & mentioned]
            return main, allies
        if "civilian" in kinds:
            return self.civilians(), []
        if "protester" in kinds or "rioter" in kinds and "riot" in mention.text.lower():
            # "clashes between protesters and security forces": a side, the country's crowd
            return self.crowd("Protesters" if "protester" in kinds else "Rioters"), []
        if "coalition" in kinds:
            return self.coalition(), []
        before = [a for a in self.named if a.start <= mention.start and set(a.actor.kinds) & kinds]  # type: ignore
        after = [a for a in self.named if a.start > mention.start and set(a.actor.kinds) & kinds]  # type: ignore
        pick = before[-1] if before else after[0] if after else None
        if pick and pick.actor:
            return self._current(pick.actor, pick.text), []
        # "rebel shelling" names a side; "militants" or "terrorists" alone may be anyone
        return (self.catch_all(kinds), []) if kinds & {"rebel", "opposition"} else (None, [])

    def for_mention(self, mention: ActorMention) -> ActorResolver:
        """ "Palestinian militants", "Kenyan police": a nationality word before a generic
        mention says whose they are, whatever country the event is in."""
        doc = self.ann.doc
        words = [doc[mention.start - 1].text] if mention.start > 0 else []
        words += [t.text for t in doc[mention.start : mention.end]]
        countries = demonym_countries()
        cc = next((countries[w] for w in words if w in countries), None)
        if cc is None or cc == self.country:
            return self
        return ActorResolver(self.ann, self.all, cc, self.when)

    def catch_all(self, kinds: set[str]) -> Actor | None:
        """ "rebel shelling" with no group named: the country's catch-all actor of that kind
        ("Opposition Rebels (Syria)", "Unidentified Armed Group (Iraq)"), which has no aliases;
        with no country known, the placeless one ("Unidentified Armed Group")."""
        cands = [
            a
            for a in (self.all if self.country is not None else placeless_actors())
            if (not a.aliases or a.name.startswith("Unidentified "))
            and (a.country == self.country or self.country is None)
            and set(a.kinds) & kinds
            and a.active_on(self.when)
        ]
        return max(cands, key=lambda a: len(set(a.kinds) & kinds)) if cands else None

    def _current(self, actor: Actor, text: str | None = None) -> Actor:
        """A group that renamed itself is coded under the name it had on the event date: of the
        actors active then that share its aliases, the one the text names ("Taliban" in 2019 is
        the insurgency, not the later government that also answers to "Afghan army")."""
        if self.when is None:
            # undated: the group the text names by its own name ("Taliban" the insurgency, not
            # the later government that answers to it too)
            said = (text or "").lower()
            named = [o for o in self.all if o.name.lower() == said and set(o.aliases) & set(actor.aliases)]
            return named[0] if named else actor
        if actor.active_on(self.when):
            return actor
        said = (text or "").lower()
        cands = [
            other
            for other in self.all
            if other.id != actor.id
            and other.country == actor.country
            and set(other.aliases) & set(actor.aliases)
            and other.active_on(self.when)
        ]
        if not cands:
            return actor
        return max(
            cands,
            key=lambda o: (said in {a.lower() for a in o.aliases}, len(set(o.aliases) & set(actor.aliases))),
        )

    def state_forces(self, kinds: set[str] | None = None) -> Actor | None:
        if self.country is None:
            return None
        cands = [
            a
            for a in self.all
            if a.country == self.country and a.category == STATE and a.active_on(self.when)
        ]
        if not cands:
            cands = [a for a in self.all if a.country == self.country and a.category == STATE]
        if not cands:
            return None
        wanted = kinds or {"army"}
        return max(
            cands,
            key=lambda a: (
                ("police" in wanted) == ("police" in a.kinds),  # police for "police", else the army
                len(set(a.kinds) & wanted),
                a.name.startswith(("Military Forces of", "Police Forces of")),  # the national force
                "army" in a.kinds,
                "Military" in a.name,
                -len(a.name),
            ),
        )

    def coalition(self) -> Actor | None:
        """ "the coalition": a coalition named in the article, else the one fighting in its country."""
        named = [a.actor for a in self.named if a.actor is not None and "coalition" in a.actor.kinds]
        if named:
            return self._current(named[0])
        by_id = {a.id: a for a in self.all}
        cands = [
            a
            for a in self.all
            if "coalition" in a.kinds
            and a.active_on(self.when)
            and (
                a.country == self.country
                or any(by_id[x].country == self.country for x in a.affiliations if x in by_id)
            )
        ]
        return cands[0] if cands else None

    def crowd(self, category: str) -> Actor | None:
        """ "Protesters (Iraq)": ACLED codes a crowd by what it does and where; a report that
        names no country still says who they were ("Protesters")."""
        if self.country is None:
            return next((a for a in placeless_actors() if a.category == category), None)
        return next((a for a in self.all if a.category == category and a.country == self.country), None)

    def identity(self, base: str) -> Actor:
        """ "Fulani Ethnic Militia (Nigeria)": an identity militia is named for the event's country."""
        country = next((c.name for c in load_countries() if c.code == self.country), None)
        name = f"{base} ({country})" if country else base
        slug = re.sub(r"[^a-z0-9]+", "-", f"{self.country or PLACELESS_COUNTRY} {base}".lower()).strip("-")
        return Actor(
            id=slug,
            name=name,
            category="Identity militias",
            country=self.country or PLACELESS_COUNTRY,
            kinds=("militia", "tribal"),
        )

    def civilians(self) -> Actor | None:
        return self.crowd("Civilians")


def main_country(ann: Annotation) -> str | None:
    if not ann.countries:
        return None
    return max(ann.countries.items(), key=lambda kv: (kv[1], kv[0]))[0]  # a tie: the same answer every run


def build_events(
    ann: Annotation,
    drafts: list[Draft],
    casualties: list[Casualty],
    taxonomy: Taxonomy,
    all_actors: list[Actor],
    toll_only: bool = False,
) -> list[Event]:
    """``toll_only``: the drafts come from a toll with no trigger word (evidence of the type)."""
    doc = ann.doc
    sents = list(doc.sents)
    article = ann.article
    country = main_country(ann)
    _assign_casualties(drafts, casualties)
    claims = responsibility_claims(doc, ann.actors)
    claim_by_sent: dict[int, str | None] = {}
    last: str | None = None
    for i, s in enumerate(sents):
        c = claimant_of(s)
        if c == "same":
            c = last
        claim_by_sent[i] = c
        last = c or last
    events: list[tuple[Event, Draft]] = []
    dated = {m.trigger.i: d.date for d in drafts if d.date is not None for m in d.mentions}
    protest_sents = {m.sent_index for d in drafts for m in d.mentions if m.sub.event_type == "Protests"}
    forced: dict[int, str | None] = {}  # sentence -> place of a protest met with lethal force
    lead_place = _lead_place(ann)
    reference = _reference_date(ann)
    for index, d in enumerate(drafts):
        borrowed = None if d.country_only else lead_place or _named_place(ann, country)
        aimed = d.aimed if d.place is None else None
        if aimed is not None and (
            borrowed is None or borrowed.mention.place.country_code != aimed.place.country_code
        ):
            borrowed = PlaceRef(aimed, 3)  # "fired rockets at Israel": there, not the shooters' country
        place = d.place or borrowed or _country_place(ann, country)
        place_from = _place_source(d, borrowed, lead_place, aimed, place)
        dm = d.date or _timed_by(d, dated)
        when = (dm.value if dm else None) or reference
        resolver = ActorResolver(
            ann, all_actors, place.mention.place.country_code if place else country, when
        )
        a1, a2, assoc1, assoc2, loser = _actors(d, resolver, _claimed(d, drafts, claims))
        if a2 is None:
            a2 = _unnamed_armed(d, resolver, "actor2")
        tolls = any(not c.breakdown for c in d.casualties)
        crowd_event = any(m.sub.event_type in ("Protests", "Riots") for m in d.mentions)
        if (
            a1 is None
            and a2 is None
            and not tolls
            and not crowd_event
            and not _short_report(ann, d)
            and _unnamed_armed(d, resolver) is None  # "gunmen occupied the village": a party all the same
        ):
            continue  # a crowd needs no name: "protesters marched" is coded to the country's protesters
        if dm is None and not tolls and not d.recent and not _short_report(ann, d):
            continue  # an undated lead with no toll reads as background ("Ten years ago, ...")
        if dm is not None and dm.value is None and article.publish_date is not None:
            continue  # a dated article that dates this only as "for four months": not a day's news
        best = max(d.mentions, key=lambda m: m.sub.rank)
        sub = _weapon_type(d, best.sub, taxonomy)
        if sub.territory:
            if a1 is None and loser is None:
                a1 = _unnamed_armed(d, resolver)  # "gunmen occupied the village"
            gainer = a1
            if gainer is None and loser is None and a2 is not None and a2.category == STATE:
                gainer = a1 = resolver.catch_all({"militant"})  # "the town was taken from the army"
            if gainer is None and loser is not None:
                gainer = a2 if a2 is not None and a2.id != loser.id else _other_side(ann, resolver, loser)
                a1, a2 = gainer, loser
            if gainer is not None:
                sub = taxonomy.get(
                    "Government regains territory"
                    if gainer.category == STATE
                    else "Non-state actor overtakes territory"
                )
            else:
                sub = taxonomy.get("Armed clash")
        if a1 is not None and _flown_by_others(d, sub, a1):
            a1 = resolver.state_forces()  # an air raid is an air force's, not a ground group's nearby
        if a1 is None and loser is None:
            a1 = _unnamed_armed(d, resolver)
        if (
            a1 is None
            and sub.event_type == "Explosions/Remote violence"
            and sub.sub_event_type
            in ("Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon")
        ):
            a1 = resolver.state_forces()
        if sub.event_type in ("Protests", "Riots"):
            crowd = resolver.crowd("Protesters" if sub.event_type == "Protests" else "Rioters")
            if crowd is not None and (a1 is None or a1.category not in ("Protesters", "Rioters")):
                a1, a2 = crowd, a1 if a1 is not None and a1.category in PARTY_CATEGORIES else a2
            elif crowd is not None and a1 is not None and a1.category != crowd.category:
                a1 = crowd  # protesters who burn tyres are rioters
        if a1 is None and a2 is not None:
            a1 = _other_side(ann, resolver, a2)
        if a1 is not None and a2 is not None and a1.id == a2.id:
            a2 = None
        killed, by_side, low, high = _tally(d.casualties, "killed", resolver)
        if killed == 0 and sub.sub_event_type == "Suicide bomb" and _bomber_died(d):
            killed = 1  # "a suicide bomber blew himself up ... no one else was hurt": the bomber
        a1, a2 = _victims_are_targets(d, resolver, a1, a2, by_side)
        if a2 is None and d.family == "violence":
            dead = [x for x in resolver.all if x.name in by_side and (a1 is None or x.id != a1.id)]
            a2 = dead[0] if len(dead) == 1 else None  # "killing three policemen": the police were attacked
        clash = any(_two_sided(m, taxonomy) for m in d.mentions)
        if a2 is None and not clash and any(c.civilians and not c.breakdown for c in d.casualties):
            a2 = resolver.civilians()  # but "fighting left 12 people dead": the dead of a battle
        if a2 is None and (
            sub.event_type == "Violence against civilians" or sub.sub_event_type == "Mob violence"
        ):
            a2 = resolver.civilians()  # ACLED's target of violence against civilians
        if (
            a1 is None
            and d.family == "violence"
            and (a2 is not None or sub.event_type != "Battles")
            and not _state_unresolved(d)
        ):
            a1 = resolver.catch_all({"militant"})  # "shots were fired at a patrol", "a bomb went off"
        wounded = (
            _tally(d.casualties, "wounded", resolver)[0]
            if any(c.kind == "wounded" and not c.breakdown for c in d.casualties)
            else None
        )
        sub, a1, a2 = _sides_decide(d, sub, a1, a2, taxonomy, resolver)
        if sub.event_type == "Battles" and a2 is not None and a2.category == "Civilians":
            sub = taxonomy.get("Attack")
        if (
            sub.sub_event_type == "Attack"
            and a2 is not None
            and a2.category == "Protesters"
            and any(m.sent_index in protest_sents for m in d.mentions)
        ):
            # "police opened fire on a protest over power cuts": the protest met with lethal force
            sub, a1, a2 = taxonomy.get("Excessive force against protesters"), a2, a1
        elif sub.sub_event_type == "Attack" and a2 is not None and a2.category in PARTY_CATEGORIES:
            sub = taxonomy.get("Armed clash")  # "troops came under fire": fighting, not violence on civilians
        if sub.sub_event_type == "Excessive force against protesters":
            forced.update((m.sent_index, d.place.mention.place.name if d.place else None) for m in d.mentions)
        ev = Event(event_id="")
        ev.event_type, ev.sub_event_type = sub.event_type, sub.sub_event_type
        ev.actor1 = a1.name if a1 else None
        ev.actor2 = a2.name if a2 else None
        ev.assoc_actor_1 = [a.name for a in assoc1]
        ev.assoc_actor_2 = [a.name for a in assoc2 if not a2 or a.name != a2.name]
        date_from = "none"
        if dm is not None and dm.value is not None:
            ev.event_date, ev.date_precision = dm.value.isoformat(), dm.precision
            date_from = "text" if dm is d.date else "timed"
        elif article.publish_date is not None and dm is None:
            ev.event_date, ev.date_precision = article.publish_date.isoformat(), "week"
            date_from = "publish"
        _set_place(ev, place, article.text)
        ev.fatalities, ev.fatalities_by_actor = killed, by_side
        ev.fatalities_low, ev.fatalities_high = low, high
        ev.wounded = wounded
        ev.sources = _sources(ann, d, sents, claim_by_sent)
        ev.notes = _notes(ev, d, sents)
        ev.event_id = _event_id(article.content_hash, index, ev)
        ev.confidence_evidence = {
            "event_type": confidence.type_evidence(d.mentions, ev.event_type, best.sub.event_type, toll_only),
            "actors": _actor_evidence(d, resolver, a1),
            "place": confidence.place_evidence(place_from, place),
            "date": confidence.date_evidence(date_from, dm.text if dm else None, ev.date_precision),
            "fatalities": confidence.fatality_evidence(
                [c for c in d.casualties if c.kind == "killed" and not c.breakdown and c.value <= MAX_COUNT],
                killed,
                article.text,
                bomber=sub.sub_event_type == "Suicide bomb",
            ),
        }
        confidence.score(ev)
        events.append((ev, d))
        if not killed and d.place is not None:
            # "workers struck in Sfax, Sousse and Bizerte": one event in each town of the list,
            # as ACLED codes them (a toll, which the text does not share out, stays with the first)
            for n, other in enumerate(_listed_with(ann, d.place.mention), start=1):
                twin = dataclasses.replace(ev, sources=list(ev.sources))
                _set_place(twin, PlaceRef(other, d.place.precision), article.text)
                twin.confidence_evidence = {
                    **ev.confidence_evidence,
                    "place": confidence.place_evidence("listed", PlaceRef(other, d.place.precision)),
                }
                confidence.score(twin)
                twin.notes = _notes(twin, d, sents)
                twin.event_id = _event_id(article.content_hash, index, twin, part=n)
                events.append((twin, d))
    return [
        ev
        for ev, d in events
        if not (  # the protest itself, told in the sentences of the shooting at it
            ev.sub_event_type in ("Peaceful protest", "Protest with intervention")
            and any(
                forced.get(m.sent_index, "") == (d.place.mention.place.name if d.place else None)
                for m in d.mentions
            )
        )
    ]


VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})


def fold_toll(unplaced: Event, located: list[Event]) -> None:
    """A toll told where the report names no place ("troops killed 50 jihadists near the
    border overnight"), beside the one placed event of the same violence a day apart ("they
    clashed through Friday night in the Qalamun"), is that event's toll: the unplaced event
    is not kept, its figures and evidence go to the placed one."""
    if not unplaced.fatalities or unplaced.event_type not in VIOLENT_TYPES:
        return
    near = [
        e
        for e in located
        if e.event_type in VIOLENT_TYPES and _days_apart(e.event_date, unplaced.event_date) <= 1
    ]
    if len(near) != 1 or near[0].fatalities >= unplaced.fatalities:
        return
    target = near[0]
    target.confidence_evidence = {**target.confidence_evidence, "fatalities": "folded"}
    confidence.score(target)
    target.fatalities = unplaced.fatalities
    target.fatalities_low, target.fatalities_high = unplaced.fatalities_low, unplaced.fatalities_high
    target.fatalities_by_actor = dict(unplaced.fatalities_by_actor)
    if not target.wounded and unplaced.wounded:
        target.wounded = unplaced.wounded
    target.sources = target.sources + [s for s in unplaced.sources if s not in target.sources]


def fold_twins(events: list[Event]) -> list[Event]:
    """One fight told twice, a day apart by the words that date it ("40 militants were killed
    overnight ... the militants clashed through Friday night with the troops in Anbar"): the
    same two sides at the same place, one telling the toll and the other none, is one event."""
    out: list[Event] = []
    for ev in events:
        twin = next((o for o in out if _twins(o, ev)), None)
        if twin is None:
            out.append(ev)
            continue
        keep, drop = (twin, ev) if twin.fatalities else (ev, twin)
        keep.sources = keep.sources + [s for s in drop.sources if s not in keep.sources]
        if keep is ev:
            out[out.index(twin)] = ev
    return out


def _twins(a: Event, b: Event) -> bool:
    sides = {a.actor1, a.actor2}
    return (
        a.sub_event_type == b.sub_event_type
        and a.event_type in VIOLENT_TYPES
        and "territory" not in (a.sub_event_type or "")  # the town taken, then retaken: two events
        and a.location == b.location
        and None not in sides
        and sides == {b.actor1, b.actor2}
        and (a.fatalities == 0) != (b.fatalities == 0)
        and _days_apart(a.event_date, b.event_date) <= 1
    )


def _days_apart(a: str | None, b: str | None) -> int:
    if a is None or b is None:
        return 0
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _place_source(
    d: Draft,
    borrowed: PlaceRef | None,
    lead: PlaceRef | None,
    aimed: PlaceMention | None,
    place: PlaceRef | None,
) -> str:
    """Where the event's place came from: its own sentence, a country it was aimed at, the
    report's lead place, a named building's town, or only the country the report is about."""
    if place is None:
        return "none"
    if d.place is not None:
        return "sentence"
    if borrowed is not None and place is borrowed:
        if aimed is not None and borrowed.mention is aimed:
            return "aimed"
        return "lead" if borrowed is lead else "named"
    return "country"


def _actor_evidence(d: Draft, resolver: ActorResolver, a1: Actor | None) -> str:
    """The initiator's evidence: named in the event's sentences or a generic noun resolved,
    the doer of the act or only nearby (``confidence.actor_evidence``)."""
    named: set[str] = set()
    generic: set[str] = set()
    doers: set[str] = set()
    for m in d.mentions:
        for mention in (m.actor1, m.actor2, *m.others):
            if mention is None:
                continue
            actor = resolver.resolve(mention)[0]
            if actor is None:
                continue
            (named if mention.actor is not None else generic).add(actor.id)
            if mention is m.actor1:
                doers.add(actor.id)
    return confidence.actor_evidence(a1, named, generic, doers)


def _listed_with(ann: Annotation, place: PlaceMention) -> list[PlaceMention]:
    """The other places of a list the place heads or ends ("in Sfax, Sousse and Bizerte"): places
    of the same sentence joined to it by the parser's conjunctions, of the same level (towns with
    towns, provinces with provinces), each once."""
    doc = ann.doc
    root = doc[place.start : place.end].root

    def head_of_list(tok: Token) -> int:
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        return tok.i

    first = head_of_list(root)
    town = place.place.kind in ("city", "admin2")
    out: list[PlaceMention] = []
    seen = {place.place.pid}
    for p in ann.places:
        if p.place.pid in seen or (p.place.kind in ("city", "admin2")) != town or p.place.kind == "country":
            continue
        r = doc[p.start : p.end].root
        if r.sent.start != root.sent.start or head_of_list(r) != first:
            continue
        seen.add(p.place.pid)
        out.append(p)
    return out


#: Prepositions whose object only times another event ("during the fighting", "amid clashes").
TIMING_PREPS = LEXICON["timing_preps"]


def _timing(trigger: Token) -> bool:
    return trigger.dep_ == "pobj" and trigger.head.lower_ in TIMING_PREPS


def _timed_by(d: Draft, dated: dict[int, DateMention]) -> DateMention | None:
    """An undated event told "during the fighting" of a dated one is of that one's day."""
    for m in d.mentions:
        for t in m.trigger.sent:
            if t.i in dated and _timing(t) and t.head.lower_ in ("during", "amid", "amidst"):
                return dated[t.i]
    return None


def _state_unresolved(d: Draft) -> bool:
    """ "Troops shelled the city" in a report that names no country: the doer is a state's
    forces, which ones is unknown; it is not an unidentified armed group."""
    return any(
        m.actor1 is not None and m.actor1.generic is not None and set(m.actor1.generic.kinds) & STATE_KINDS
        for m in d.mentions
    )


def _short_report(ann: Annotation, d: Draft) -> bool:
    """An incident note or a brief with no publish date ("Shots were fired at a patrol near
    Hebron. No one was hurt.") gives nothing to date its lead against: the lead is the news,
    toll or none. A dated article's undated lead may be history ("Ten years ago, ...")."""
    return ann.article.publish_date is None and any(m.lead for m in d.mentions)


def _bomber_died(d: Draft) -> bool:
    """The report says the bomber died with the blast ("blew himself up", "killing himself")."""
    return any(
        t.lower_ in ("himself", "herself") and t.head.lemma_.lower() in LEXICON["self_blast_verbs"]
        for m in d.mentions
        for t in m.trigger.sent
    )


def _two_sided(m: Mention, taxonomy: Taxonomy) -> bool:
    """The trigger names a fight of two sides ("clashes", "fighting", "exchange of fire")."""
    return two_sided(m.trigger, taxonomy)


def _sides_decide(
    d: Draft,
    sub: SubEventType,
    a1: Actor | None,
    a2: Actor | None,
    taxonomy: Taxonomy,
    resolver: ActorResolver,
) -> tuple[SubEventType, Actor | None, Actor | None]:
    """ACLED's battle has two organised armed sides. A one-sided word ("raided", "attacked")
    with no armed target is violence against civilians; a clash of crowds ("rival supporters
    clashed") with no armed actor on either side is mob violence."""
    if sub.sub_event_type != "Armed clash":
        return sub, a1, a2
    armed = [a for a in (a1, a2) if a is not None and a.category in PARTY_CATEGORIES]
    clash_word = any(_two_sided(m, taxonomy) for m in d.mentions)
    crowd = any(a is not None and a.category in ("Protesters", "Rioters") for a in (a1, a2))
    if clash_word and all(a.category == STATE for a in armed) and (crowd or armed and _unrest(d, taxonomy)):
        state = armed[0] if armed else resolver.state_forces({"police"})
        return taxonomy.get("Violent demonstration"), resolver.crowd("Rioters"), state
    if (
        not clash_word
        and (a2 is None or a2.category not in PARTY_CATEGORIES)
        and not _armed_target(d, taxonomy)
    ):
        # "gunmen attacked a village"; with no armed party named on either side, a crowd that
        # storms or attacks riots ("students stormed a radio station"), else one side attacked people
        if not armed and _crowd_doers(d, taxonomy):
            return taxonomy.get("Violent demonstration"), resolver.crowd("Rioters"), a2
        return taxonomy.get("Attack"), a1, a2 if a2 is not None else resolver.civilians()
    if clash_word and not armed:
        words = {t.lemma_.lower() for m in d.mentions for t in m.trigger.sent}
        if words & taxonomy.crowd_nouns:
            return taxonomy.get("Mob violence"), resolver.crowd("Rioters"), None
    return sub, a1, a2


def _unrest(d: Draft, taxonomy: Taxonomy) -> bool:
    """A clash told of a crowd of street unrest and no armed group but the state's ("students and
    police clashed", "clashes between youths and the police"): a riot, not a battle."""
    for m in d.mentions:
        if not _two_sided(m, taxonomy):
            continue
        named = [a for a in (m.actor1, m.actor2, *m.others) if a is not None]
        if any(
            a.generic is not None
            and not set(a.generic.kinds) & (CROWD_KINDS | STATE_KINDS)
            or a.actor is not None
            and a.actor.category in PARTY_CATEGORIES
            and a.actor.category != STATE
            for a in named
        ):
            return False
        if any(t.lower_ in taxonomy.unrest_crowds for t in m.trigger.sent):
            return True
    return False


def _armed_target(d: Draft, taxonomy: Taxonomy) -> bool:
    """The attack was on armed men: on a place or unit of theirs ("attacked an army position",
    "an attack on a checkpoint"), or its dead or wounded are fighters ("killing four rebels")."""
    for m in d.mentions:
        verb = grammar.governing_verb(m.trigger)
        for head in {verb, m.trigger}:
            for c in head.children:
                objs = [c] if c.dep_ in ("dobj", "obj") else []
                if c.dep_ == "prep" and c.lower_ in ("on", "against", "at"):
                    objs = [o for o in c.children if o.dep_ == "pobj"]
                if any(o.lemma_.lower() in taxonomy.armed_targets for o in objs):
                    return True
    return any(
        c.side is not None
        and c.side.generic is not None
        and not c.civilians
        and not c.breakdown
        and not set(c.side.generic.kinds) <= CROWD_KINDS
        for c in d.casualties
    )


def _crowd_doers(d: Draft, taxonomy: Taxonomy) -> bool:
    """The doers of the draft's acts are a crowd ("students", "supporters", "young people")."""
    for m in d.mentions:
        doers = grammar.doers(grammar.governing_verb(m.trigger))
        if any(t.lemma_.lower() in taxonomy.crowd_nouns for x in doers for t in x.subtree):
            return True
    return False


def _reference_date(ann: Annotation) -> date | None:
    """The date an article speaks from: its publish date, else the latest full date it
    names. It decides which name a renamed group or a changed government goes by."""
    if ann.article.publish_date is not None:
        return ann.article.publish_date
    absolute = [d.value for d in ann.dates if d.value is not None and d.kind in ("iso", "full", "monthyear")]
    return max(absolute) if absolute else None


def _claimed(d: Draft, drafts: list[Draft], claims: list[Responsibility]) -> list[Responsibility]:
    """The claims that speak of this event: in a sentence that mentions it, or after its
    mention with no other event mentioned in between ("... killing 12. The group claimed
    responsibility")."""
    out = []
    for c in claims:
        mine = [m.sent_index for m in d.mentions if m.sent_index <= c.sent_index]
        if not mine:
            continue
        if any(m.sent_index == c.sent_index for m in d.mentions):
            out.append(c)
            continue
        last = max(mine)
        between = any(
            last < m.sent_index <= c.sent_index for other in drafts if other is not d for m in other.mentions
        )
        if not between and c.sent_index - last <= 3:
            out.append(c)
    return out


NON_STATE_ARMED = frozenset({"Rebel groups", "Political militias", "Identity militias"})
CLAIMABLE = frozenset({"Explosions/Remote violence", "Violence against civilians", "Battles"})


def _claimant_actor(d: Draft, resolver: ActorResolver, claims: list[Responsibility]) -> Actor | None:
    """The initiator a claim of responsibility names: any actor that says so in words, an
    armed group when it only describes an attack nobody else is said to have made."""
    if not any(m.sub.event_type in CLAIMABLE for m in d.mentions):
        return None
    for c in claims:
        actor = resolver.resolve(c.claimant)[0]
        if actor is None or actor.category == "Civilians":
            continue
        if c.explicit or actor.category in NON_STATE_ARMED:
            return actor
    return None


FOUGHT_WITH = LEXICON["fought_with_types"]


def _weapon_type(d: Draft, sub: SubEventType, taxonomy: Taxonomy) -> SubEventType:
    """A bare "strike" reads as an air strike, unless the event's own sentences say a missile,
    rocket or shell did it and name no aircraft ("a Russian missile slammed into ... The
    strike hit at noon"). Grenades and bombs of an event first told as a gun battle are the
    battle's weapons ("a gun battle ... There were grenade explosions")."""
    if (sub.sub_event_type or "").lower() in FOUGHT_WITH:
        first = min(d.mentions, key=lambda m: (m.sent_index, m.trigger.i))
        if first.sub.sub_event_type == "Armed clash" and _two_sided(first, taxonomy):
            return first.sub
    if sub.sub_event_type != "Air/drone strike" or any(
        m.trigger.lemma_.lower() != "strike" for m in d.mentions if m.sub.sub_event_type == sub.sub_event_type
    ):
        return sub
    ground = [m.sub for m in d.mentions if m.sub.sub_event_type == "Shelling/artillery/missile attack"]
    words = {t.lemma_.lower() for m in d.mentions for t in m.trigger.sent if not modifies_non_event(t)}
    return ground[0] if ground and not words & AIR_CUES else sub


UNNAMED_ARMED = LEXICON["unnamed_armed_kinds"]


def _unnamed_armed(d: Draft, resolver: ActorResolver, slot: str = "actor1") -> Actor | None:
    """ "Terrorists fired shells", "gunmen attacked": the text says a non-state group did it
    and names none, so the event is the country's unidentified armed group's, as an analyst
    codes it, and not the default a bare air strike or shelling would get. ``slot`` "actor2":
    the same for the other side ("fighting between troops and gunmen")."""
    for m in sorted(d.mentions, key=lambda m: -m.sub.rank):
        mention = m.actor1 if slot == "actor1" else m.actor2
        g = mention.generic if mention is not None and mention.actor is None else None
        if (
            mention is not None
            and g is not None
            and set(g.kinds) & UNNAMED_ARMED
            and resolver.resolve(mention)[0] is None
        ):
            return resolver.for_mention(mention).catch_all({"militant"})
    return None


def _actors(
    d: Draft, resolver: ActorResolver, claims: list[Responsibility] | None = None
) -> tuple[Actor | None, Actor | None, list[Actor], list[Actor], Actor | None]:
    votes1: Counter[str] = Counter()
    votes2: Counter[str] = Counter()
    found: dict[str, Actor] = {}
    assoc1: list[Actor] = []
    assoc2: list[Actor] = []
    loser = None
    for m in sorted(d.mentions, key=lambda m: -m.sub.rank):
        for mention, votes, assoc in ((m.actor1, votes1, assoc1), (m.actor2, votes2, assoc2)):
            actor, allies = resolver.resolve(mention)
            if actor is not None:
                votes[actor.id] += m.sub.rank
                found[actor.id] = actor
                assoc.extend(a for a in allies if a not in assoc)
        if m.loser is not None and loser is None:
            loser = resolver.resolve(m.loser)[0]
    a1 = found[votes1.most_common(1)[0][0]] if votes1 else None
    a2_ids = [k for k, _ in votes2.most_common() if a1 is None or k != a1.id]
    a2 = found[a2_ids[0]] if a2_ids else None
    if a1 is None and loser is None:
        a1 = _claimant_actor(d, resolver, claims or [])
        if a1 is not None and a2 is not None and a1.id == a2.id:
            a2 = None
    if a1 is None and loser is None:  # "X lost ground": the winner is X's enemy, found later
        a1 = _sentence_actor(d, resolver, a2)
        if a1 is not None and _airborne(d) and a1.category not in AIR_POWERS:
            a1 = None  # named nearby but without aircraft: an air strike is an air force's
    # co-mentioned allies of either side ride along as associated actors
    for m in d.mentions:
        for other in m.others:
            actor, _ = resolver.resolve(other)
            if actor is None or actor in (a1, a2):
                continue
            if a2 is not None and (actor.id in a2.affiliations or a2.id in actor.affiliations):
                if actor not in assoc2:
                    assoc2.append(actor)
            elif (
                a1 is not None
                and (actor.id in a1.affiliations or a1.id in actor.affiliations)
                and actor not in assoc1
            ):
                assoc1.append(actor)
    return a1, a2, assoc1, assoc2, loser


PARTY_CATEGORIES = frozenset(
    {"State forces", "Rebel groups", "Political militias", "Identity militias", "External/Other forces"}
)


AIR_POWERS = frozenset({"State forces", "External/Other forces"})


def _airborne(d: Draft) -> bool:
    return any(m.sub.sub_event_type == "Air/drone strike" for m in d.mentions)


def _flown_by_others(d: Draft, sub: SubEventType, a1: Actor) -> bool:
    """An air strike whose initiator came from another mention ("mutual bombardment" by a rebel
    group beside "an aerial bomb hit their home") and has no aircraft: drones excepted, which
    armed groups do fly."""
    if sub.sub_event_type != "Air/drone strike" or a1.category in AIR_POWERS:
        return False
    air = [m for m in d.mentions if m.sub.sub_event_type == "Air/drone strike"]
    if any(m.actor1 is not None for m in air):
        return False
    return not any("drone" in m.trigger.sent.text.lower() for m in air)


def _sentence_actor(
    d: Draft, resolver: ActorResolver, victim: Actor | None, exclude: set[str] | None = None
) -> Actor | None:
    """When the parse names no initiator, the armed actor the event's own sentences name
    first ("A Syrian regime warplane crashed into a market", "a blast claimed by Daesh")."""
    for m in sorted(d.mentions, key=lambda m: (m.sent_index, not m.lead)):
        named = sorted(
            [a for a in (m.others + [x for x in (m.actor1, m.actor2) if x is not None])],
            key=lambda a: (a.actor is None, a.start),
        )
        doc = resolver.ann.doc
        for mention in named:
            before = {t.lower_ for t in doc[max(0, mention.start - 2) : mention.start]}
            if (
                before & LEXICON["holder_markers"]
                and "held" in {t.lower_ for t in doc[max(0, mention.start - 3) : mention.start]}
                or before & LEXICON["target_markers"]
            ):
                continue  # "a town held by IS", "a bomb under an army truck": the target, not the initiator
            if is_claimant(doc, mention):
                continue  # "police said": the source of the report, not a party to the event
            if grammar.clause_of_its_own(m.trigger, doc[mention.start]):
                continue  # "a bomb killed 12 as troops shelled Hama": the troops did something else
            if grammar.is_victim(doc[mention.end - 1]):
                continue  # "killing three policemen": the dead are not who attacked
            actor, _ = resolver.resolve(mention)
            if (
                actor is not None
                and actor.category in PARTY_CATEGORIES
                and (victim is None or actor.id != victim.id)
                and actor.id not in (exclude or set())
            ):
                return actor
    return None


def _victims_are_targets(
    d: Draft, resolver: ActorResolver, a1: Actor | None, a2: Actor | None, by_side: dict[str, int]
) -> tuple[Actor | None, Actor | None]:
    """ "Kurds kill 83 IS fighters": when only one side is counted dead and it came out as
    the initiator, the initiator is the other armed side the report names."""
    if a1 is None or a1.name not in by_side:
        return a1, a2
    doc = resolver.ann.doc
    for m in d.mentions:
        by = m.actor1 is not None and m.actor1.start > 0 and doc[m.actor1.start - 1].lower_ == "by"
        if by and m.actor1 is not None and resolver.resolve(m.actor1)[0] == a1:
            return a1, a2  # "repelled an attack by X, killing 7 militants": X attacked, and lost men
    victims = [a for a in resolver.all if a.name in by_side and a.category != "Civilians"]
    if any(
        b.id not in a.affiliations and a.id not in b.affiliations and a.id != b.id
        for a in victims
        for b in victims
    ):
        return a1, a2  # both sides counted dead: a battle, whoever began it
    if a2 is not None and a2.category in PARTY_CATEGORIES and a2.name not in by_side:
        return a2, a1
    other = _sentence_actor(d, resolver, a1, exclude={v.id for v in victims})
    if other is not None and a1.id not in other.affiliations and other.id not in a1.affiliations:
        return other, a1
    return a1, a2


def _other_side(ann: Annotation, resolver: ActorResolver, known: Actor) -> Actor | None:
    """The article's most-mentioned actor that is not ``known`` and not its ally."""
    counts: Counter[str] = Counter()
    actors: dict[str, Actor] = {}
    for m in ann.actors:
        actor, _ = resolver.resolve(m)
        if actor is None or actor.id == known.id or actor.category == "Civilians":
            continue
        if actor.id in known.affiliations or known.id in actor.affiliations:
            continue
        counts[actor.id] += 1
        actors[actor.id] = actor
    return actors[counts.most_common(1)[0][0]] if counts else None


def _assign_casualties(drafts: list[Draft], casualties: list[Casualty]) -> None:
    """Each figure goes to one event: the one mentioned in its sentence, else the latest
    event mentioned before it, else the first event."""
    if not drafts:
        return
    # each draft's sentences, ascending: a figure's draft is found without a scan of every mention
    told = [sorted({m.sent_index for m in d.mentions}) for d in drafts]

    def last_before(sents: list[int], si: int) -> int | None:
        i = bisect_right(sents, si)
        return sents[i - 1] if i else None

    for c in casualties:
        lasts = [last_before(sents, c.sent_index) for sents in told]
        same = [d for d, last in zip(drafts, lasts, strict=True) if last == c.sent_index]
        if same:
            # "a shell fired during the fighting landed in a camp, killing two": the toll is the
            # shell's, not the fighting's that only times it
            own = [
                d
                for d in same
                if any(m.sent_index == c.sent_index and not _timing(m.trigger) for m in d.mentions)
            ]
            (own or same)[0].casualties.append(c)
            continue
        before = [(last, d) for d, last in zip(drafts, lasts, strict=True) if last is not None]
        target = (
            max(before, key=lambda x: (x[0], x[1].date.value if x[1].date and x[1].date.value else date.min))
            if before
            else (None, drafts[0])
        )
        if c.sent_index - (target[0] or 0) > 3:
            continue  # a figure far from any mention of the event is a statistic, not its toll
        target[1].casualties.append(c)


def _tally(
    casualties: list[Casualty], kind: str, resolver: ActorResolver
) -> tuple[int, dict[str, int], int | None, int | None]:
    """Total without double counting. Reports restate one figure many times ("12 civilians
    killed ... the 12 victims"), so figures are alternatives, and the total is the
    largest, unless the text gives figures for opposing armed sides (30 regime fighters,
    21 IS fighters), which add up. Breakdowns ("including 10 bombers") never add. Per side,
    a stated toll ("the death toll rose to 70") is the latest word; without one, the first
    figure the report gives is its own, and later, larger ones are usually running totals
    of a wider period ("43 people so far")."""
    per_side: dict[str, int] = {}
    highs: dict[str, int] = {}
    sides: dict[str, Actor] = {}
    tolled: set[str] = set()
    run = 0  # running sum of the current coordination ("a woman and a child")
    joined_sums: list[int] = []  # sums of coordinations of two figures or more
    prev_key: str | None = None
    daily = [c for c in casualties if c.kind == kind and not c.breakdown and not c.cumulative]
    for c in sorted(casualties, key=lambda c: c.start):
        if c.kind != kind or c.breakdown or c.value > MAX_COUNT:
            continue
        if c.cumulative and daily:
            continue  # "brought to 49 the number killed in two days": the day's own toll comes first
        actor = resolver.resolve(c.side)[0] if c.side else (resolver.civilians() if c.civilians else None)
        g = c.side.generic if c.side is not None and c.side.actor is None else None
        if (
            actor is None
            and c.side is not None
            and g is not None
            and set(g.kinds) & UNNAMED_ARMED
            and not any(a.actor.category in NON_STATE_ARMED for a in resolver.named if a.actor is not None)
        ):
            # "three attackers were also killed", in a report that names no armed group: the
            # unnamed group's men, a side of their own
            actor = resolver.for_mention(c.side).catch_all({"militant"})
        key = actor.name if actor else ""
        if actor is not None:
            sides[key] = actor
        joined = c.joined and run > 0
        run = run + c.value if joined else c.value
        if joined:
            joined_sums.append(run)
        if joined and key == prev_key and key in per_side:
            per_side[key] += c.value
            highs[key] = highs.get(key, 0) + (c.high or c.value)
            continue
        prev_key = key
        if c.toll:
            per_side[key] = max(per_side.get(key, 0), c.value) if key in tolled else c.value
            tolled.add(key)
        elif key not in per_side:
            per_side[key] = c.value
        highs[key] = max(highs.get(key, 0), c.high or c.value)
    if not per_side:
        return 0, {}, None, None
    armed = [a for a in sides.values() if a.category != "Civilians"]
    opposed = len(armed) >= 2 and any(
        b.id not in a.affiliations and a.id not in b.affiliations
        for a in armed
        for b in armed
        if a.id != b.id
    )
    if opposed:
        total = max(max(per_side.values()), sum(v for k, v in per_side.items() if k in sides))
        high = max(max(highs.values()), sum(v for k, v in highs.items() if k in sides))
    else:
        total, high = max(per_side.values()), max(highs.values())
    if joined_sums:
        total, high = max(total, max(joined_sums)), max(high, max(joined_sums))
    by_side = {k: v for k, v in per_side.items() if k and v}
    return total, by_side, total, high


def _lead_place(ann: Annotation) -> PlaceRef | None:
    """The place the report is about: its first town, unless another is named more often; a
    wire dateline ("KADUNA, March 28 (Reuters) -") says where it was filed, not where it happened."""
    fine = [p for p in ann.places if p.place.kind != "country"]
    fine = [p for p in fine if not in_dateline(p, ann.doc[p.start].sent)] or fine
    if not fine:
        return None
    counts = Counter(p.place.pid for p in fine)
    first = fine[0]
    best = max(fine, key=lambda p: (counts[p.place.pid], -p.start_char))
    pick = first if counts[first.place.pid] >= counts[best.place.pid] else best
    return PlaceRef(pick, 2 if pick.place.kind in ("city", "admin2") else 3)


def _named_place(ann: Annotation, country: str | None) -> PlaceRef | None:
    """A report that names no place but a body or building in a town ("students clashed with
    guards at the University of Johannesburg"): the event is near that town (precision 2)."""
    named = [p for p in ann.named_places if country is None or p.place.country_code == country]
    return PlaceRef(named[0], 2 if named[0].place.kind == "city" else 3) if named else None


def _country_place(ann: Annotation, country: str | None) -> PlaceRef | None:
    """Where a report names no finer place: the country it is about (geo_precision 3)."""
    mention = next(
        (p for p in ann.places if p.place.country_code == country and p.place.kind == "country"), None
    )
    if mention is None and country:
        # the text never names it, but its actors, people and towns say which country it is
        place = gazetteer().country(country)
        if place is not None:
            mention = PlaceMention(0, 0, 0, 0, "", place, {"match": "the country the report is about"})
    return PlaceRef(mention, 3) if mention else None


def _acled_degrees(value: float | None) -> float | None:
    """Four decimal places, as ACLED publishes coordinates (about 11 m: finer than any place)."""
    return None if value is None else round(value, 4)


# "Ceelasha (12km SE of Afgooye)": a village the gazetteer lacks, told by its distance and bearing
# from a town it knows; the event goes to that point, near the town (precision 2)
_OFFSET = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:km|kms|kilomet(?:re|er)s?)\s+(?:to\s+the\s+)?"
    r"(north|south|east|west|northeast|northwest|southeast|southwest|[nsew]{1,3})(?:ern)?\s+of\s+(?:the\s+)?$",
    re.I,
)
_BEARINGS = {
    "n": 0.0,
    "nne": 22.5,
    "ne": 45.0,
    "ene": 67.5,
    "e": 90.0,
    "ese": 112.5,
    "se": 135.0,
    "sse": 157.5,
}
_BEARINGS |= {"s": 180.0, "ssw": 202.5, "sw": 225.0, "wsw": 247.5, "w": 270.0, "wnw": 292.5, "nw": 315.0}
_BEARINGS |= {"nnw": 337.5, "north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0}
_BEARINGS |= {"southwest": 225.0, "west": 270.0, "northwest": 315.0}


def _offset(text: str, ref: PlaceRef) -> tuple[float, float] | None:
    """The point "N km BEARING of" the place names, when the text says so right before it."""
    p, m = ref.mention.place, ref.mention
    if (
        p.latitude is None
        or p.longitude is None
        or p.kind not in ("city", "admin2")
        or m.start_char == m.end_char
    ):
        return None
    found = _OFFSET.search(text[max(0, m.start_char - 40) : m.start_char])
    bearing = _BEARINGS.get(found.group(2).lower()) if found else None
    if found is None or bearing is None or not 0 < float(found.group(1)) <= 200:
        return None
    d, b = float(found.group(1)) / 6371.0, math.radians(bearing)
    lat1, lon1 = math.radians(p.latitude), math.radians(p.longitude)
    lat2 = math.asin(math.sin(lat1) * math.cos(d) + math.cos(lat1) * math.sin(d) * math.cos(b))
    lon2 = lon1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(lat1), math.cos(d) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lon2)


def _set_place(ev: Event, ref: PlaceRef | None, text: str = "") -> None:
    if ref is None:
        return
    p = ref.mention.place
    gz = gazetteer()
    admin = gz.admin1(p.country_code, p.admin1_code) if p.kind != "admin1" else p
    ev.location = p.name
    ev.admin1 = admin.name if admin else None
    ev.country = country_names().get(p.country_code, p.country_code)
    ev.iso3 = iso3_codes().get(p.country_code)
    ev.latitude, ev.longitude = _acled_degrees(p.latitude), _acled_degrees(p.longitude)
    ev.geonameid = p.geonameid
    ev.geo_precision = 3 if p.kind in ("admin1", "country") else ref.precision
    if (point := _offset(text, ref)) is not None:
        ev.latitude, ev.longitude = _acled_degrees(point[0]), _acled_degrees(point[1])
        ev.geo_precision = 2


def _sources(ann: Annotation, d: Draft, sents: list, claim_by_sent: dict[int, str | None]) -> list[Source]:
    article = ann.article
    idx = sorted({m.sent_index for m in d.mentions} | {c.sent_index for c in d.casualties})
    out = []
    for i in idx:
        s = sents[i]
        out.append(
            Source(
                article.article_id,
                article.publisher,
                claim_by_sent.get(i),
                s.text.strip(),
                s.start_char,
                s.start_char + len(s.text.rstrip()),
            )
        )
    return out


def _notes(ev: Event, d: Draft, sents: list) -> str:
    who = ev.actor1 or "Unidentified actors"
    whom = f" against {ev.actor2}" if ev.actor2 else ""
    where = f" in {ev.location}" if ev.location else ""
    when = f" on {ev.event_date}" if ev.event_date and ev.date_precision == "day" else ""
    text = f"{ev.sub_event_type} by {who}{whom}{where}{when}"
    if ev.fatalities:
        text += f"; {ev.fatalities} killed"
    if ev.wounded:
        text += f", {ev.wounded} wounded"
    notable = [
        s
        for i, s in enumerate(sents)
        if i in {c.sent_index for c in d.casualties}
        and any(w in s.text.lower() for w in ("among them a", "including a", "among them the"))
    ]
    if notable:
        import re

        m = re.search(r"among them (?:a|the) [\w -]+|including (?:a|the) [\w -]+", notable[0].text, re.I)
        if m:
            text += f" ({m.group(0).strip()})"
    return text + "."


def _event_id(content_hash: str, index: int, ev: Event, part: int = 0) -> str:
    """``part``: the n-th other town of a list the event took place in (0 for the first)."""
    key = f"{content_hash}:{index}:{ev.event_type}:{ev.event_date}" + (f":{part}" if part else "")
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{(ev.iso3 or 'XXX')}{digest[:10]}"
