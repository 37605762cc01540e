"""Responsibility claims: who says they did it. "The Al-Shabaab group claimed responsibility",
"a blast claimed by Daesh", "the Taliban said they carried out the attack". A bombing whose
report names no attacker in its own clause takes its initiator from such a claim, as an
analyst codes it; a denial ("no group has claimed") is not a claim."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from marsad.annotate.actors import ActorMention
from marsad.extract.grammar import REPORTING, is_negated
from marsad.knowledge.lexicon import load_lexicon

LEXICON = load_lexicon()

# verbs that take responsibility as their object: "claimed/took/accepted/admitted responsibility"
_TAKING = LEXICON["claim_taking"]
_RESPONSIBILITY = LEXICON["claim_responsibility"]
# "claimed the attack": claim with the act itself as its object
_ACTS = LEXICON["claim_acts"]
# "said it carried out the attack"
_DOING = LEXICON["claim_doing"]
_SELF = LEXICON["claim_self"]
# "Fatah claimed launching a projectile": what a group claims to have fired
_WEAPONS = LEXICON["claim_weapons"]
_FIRING = _DOING | {"fire"}


@dataclass(frozen=True)
class Responsibility:
    """One claim of responsibility: the sentence it is in and the actor mention claiming."""

    sent_index: int
    claimant: ActorMention
    explicit: bool = True  # False: an armed group describing an unattributed attack


def _mention_in(mentions: list[ActorMention], root: Token) -> ActorMention | None:
    """The first actor mention inside ``root``'s phrase."""
    lo, hi = root.left_edge.i, root.right_edge.i + 1
    inside = [m for m in mentions if lo <= m.start and m.end <= hi]
    return min(inside, key=lambda m: (m.actor is None, m.start)) if inside else None


def _subject(verb: Token) -> Token | None:
    """The verb's subject, through a relative clause ("the group, which claimed ...")."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lower_ in ("which", "who", "that") and verb.dep_ == "relcl":
        return verb.head
    if subj is None and verb.dep_ in ("conj", "xcomp"):
        return _subject(verb.head)
    return subj


def _unattributed_act(clause: Token) -> bool:
    """A reported clause whose subject is "the attack" with no "by X" of its own."""
    if clause.dep_ != "ccomp":
        return False
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return (
        subj is not None
        and subj.lemma_.lower() in _ACTS
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in subj.children)
        and not any(c.dep_ in ("prep", "agent") and c.lower_ == "by" for c in subj.children)
        and not any(c.dep_ in ("compound", "amod", "poss") for c in subj.children)
    )


def _claimed_deed(clause: Token) -> bool:
    """ "(claimed) launching a projectile", "(claimed) it fired two rockets": a clause under
    "claim" in which the claimant itself fires or carries out the act."""
    if clause.dep_ not in ("xcomp", "ccomp") or clause.lemma_.lower() not in _FIRING:
        return False
    subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.lower_ not in _SELF:
        return False
    objects = [c for c in clause.children if c.dep_ in ("dobj", "obj")]
    return any(o.lemma_.lower() in _ACTS or o.lemma_.lower() in _WEAPONS for o in objects)


def _claimant(verb: Token, mentions: list[ActorMention]) -> tuple[ActorMention | None, bool]:
    """Who claims, and whether in so many words (False: describes an unattributed attack)."""
    lemma = verb.lemma_.lower()
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj")]
    takes = lemma in _TAKING and any(o.lemma_.lower() in _RESPONSIBILITY for o in objects)
    if takes or lemma == "claim" and any(o.lemma_.lower() in _ACTS for o in objects):
        pass
    elif lemma == "claim" and any(_claimed_deed(c) for c in verb.children):
        pass  # "Fatah claimed launching a projectile at Sderot"
    elif lemma == "claim" and verb.tag_ == "VBN" and verb.head.lemma_.lower() in _ACTS:
        # "a blast claimed by Daesh": the agent of the participle
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        obj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        return (_mention_in(mentions, obj) if obj is not None else None), True
    elif lemma in REPORTING and verb.pos_ == "VERB" and any(_unattributed_act(c) for c in verb.children):
        # "Harakat al-Shabaab said the attack targeted 'apostate soldiers'"
        subj = _subject(verb)
        return (_mention_in(mentions, subj) if subj is not None else None), False
    elif lemma in _DOING and any(o.lemma_.lower() in _ACTS for o in objects):
        subj = _subject(verb)
        report = verb.head if verb.dep_ == "ccomp" else None
        if subj is None or subj.lower_ not in _SELF or report is None or report.lemma_ not in REPORTING:
            return None, True
        verb = report  # "the Taliban said they carried out the attack": the one who says it
    else:
        return None, True
    subj = _subject(verb)
    return (_mention_in(mentions, subj) if subj is not None else None), True


def responsibility_claims(doc: Doc, mentions: list[ActorMention]) -> list[Responsibility]:
    """Every claim of responsibility in the article, in order."""
    out = []
    for i, sent in enumerate(doc.sents):
        for tok in sent:
            if tok.pos_ not in ("VERB", "AUX") or is_negated(tok):
                continue
            who, explicit = _claimant(tok, mentions)
            if who is not None:
                out.append(Responsibility(i, who, explicit))
    return out
