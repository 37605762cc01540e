"""Small dependency-parse helpers shared by the extractors: who did it, to whom, and
whether a mention is news at all (negated, hypothetical, background)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from marsad.knowledge.lexicon import load_lexicon
from marsad.knowledge.verbs import HARM, REPORTING

LEXICON = load_lexicon()

__all__ = ["HARM", "REPORTING"]

HYPOTHETICAL_HEADS = LEXICON["hypothetical_heads"]
#: Modifiers of an event noun that put it in the future or in doubt ("a scheduled protest").
UNREAL_MODIFIERS = LEXICON["unreal_modifiers"]
#: Modifiers that make an event noun a habit, not one day's event ("near-daily arrest raids").
HABITUAL_MODIFIERS = LEXICON["habitual_modifiers"]
MODALS = frozenset({"will", "would", "could", "might", "may", "should", "must", "shall", "'ll", "can"})
DENIAL = LEXICON["denial_verbs"]
PERFECT_AUX = frozenset({"have", "has", "had"})


def doers(verb: Token) -> list[Token]:
    """Who does what ``verb`` says: its subject and the object of its "by" agent; not the counted
    subject of a headline's harm verb with no object ("1 soldier killed"), which is the victim."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects and headline_passive(verb):
        subjects = []
    return subjects + [o for c in verb.children if c.dep_ == "agent" for o in c.children]


def headline_passive(verb: Token) -> bool:
    """ "1 soldier killed", "Two policemen wounded in Garissa": a harm verb in the past with a
    counted subject, no object and no auxiliary is a passive whose "were" was dropped."""
    if verb.lemma_.lower() not in HARM or verb.tag_ not in ("VBD", "VBN"):
        return False
    if any(c.dep_ in ("dobj", "obj", "aux", "auxpass", "xcomp", "dative") for c in verb.children):
        return False
    return any(
        c.dep_ == "nsubj"
        and any(n.dep_ == "nummod" or n.like_num or n.lower_ in ("a", "an") for n in c.children)
        for c in verb.children
    )


def governing_verb(token: Token) -> Token:
    """The verb a noun trigger hangs from ("launched" for "attack" in "launched an attack")."""
    cur = token
    for _ in range(6):
        if cur.pos_ in ("VERB", "AUX") or cur.dep_ == "ROOT":
            return cur
        cur = cur.head
    return cur


def clause_tokens(token: Token) -> Iterable[Token]:
    verb = governing_verb(token)
    return verb.subtree


#: Dependencies that open a clause of its own inside another ("killed 43 as fighters advanced
#: on Raqqa", "the town, which was shelled last year").
NESTED_CLAUSES = frozenset({"advcl", "ccomp", "parataxis", "relcl", "acl", "xcomp"})


def clause_of_its_own(a: Token, b: Token) -> bool:
    """One trigger's verb heads an adverbial clause in the other's, each with a subject of its
    own ("a bomb killed 12 as troops shelled Hama"): two things done, by two doers."""
    va, vb = governing_verb(a), governing_verb(b)
    for outer, inner in ((va, vb), (vb, va)):
        if (
            inner is not outer
            and outer in inner.ancestors
            and inner.dep_ == "advcl"
            and _subject(inner) is not None
            and (subject := _subject(outer)) is not None
            and subject.pos_ != "PRON"  # "before troops left, they executed 15": the same doers
            and not _how_they_died(outer, inner)
        ):
            return True
    return False


def _how_they_died(outer: Token, inner: Token) -> bool:
    """ "30 fighters were killed when two bombers detonated their trucks": the "when" clause of
    a toll tells how the dead died, the same event."""
    return outer.lemma_.lower() in HARM | {"die"} and any(
        c.dep_ in ("mark", "advmod") and c.lower_ == "when" for c in inner.children
    )


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def own_clause(token: Token) -> set[int]:
    """Token indices of the clause ``token`` is news in: its governing verb's subtree without the
    nested clauses that neither hold the token nor hang from its own phrase."""
    verb = governing_verb(token)
    mine = {token.i} if token is verb else {t.i for t in token.subtree}
    keep = {t.i for t in verb.subtree}
    for t in verb.subtree:
        if t is verb or t.dep_ not in NESTED_CLAUSES or t.i in mine:
            continue
        inside = {u.i for u in t.subtree}
        if token.i not in inside:
            keep -= inside
    return keep


def is_victim(token: Token) -> bool:
    """The noun is what a harm verb did its harm to: its object, or its passive subject."""
    head = token.head
    while token.dep_ == "conj" and token.head != token:
        token = token.head
        head = token.head
    if token.dep_ in ("dobj", "nsubjpass") and head.lemma_.lower() in HARM:
        return True
    if token.dep_ == "nsubj" and headline_passive(head):
        return True  # "1 soldier killed"
    if any(c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in HARM for c in token.children):
        return True  # "two policemen killed in an attack"
    return (
        token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in LEXICON["victim_nouns"]
    )


def is_negated(token: Token) -> bool:
    """ "did not attack", "no clashes", "denied carrying out the attack", "without a fight"."""
    if token.dep_ == "pobj" and token.head.lower_ == "without":
        return True
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children):
        return True
    verb = governing_verb(token)
    if verb is not token and verb.lemma_ not in REPORTING and any(c.dep_ == "neg" for c in verb.children):
        return True
    return any(a.lemma_ in DENIAL for a in token.ancestors)


def is_hypothetical(token: Token) -> bool:
    """Threats, plans, conditions and modals: things that have not happened."""
    nouns = [token, token.head] if token.dep_ == "compound" else [token]  # "arrest raids"
    for noun in nouns:
        if any(c.dep_ == "amod" and c.lower_ in UNREAL_MODIFIERS | HABITUAL_MODIFIERS for c in noun.children):
            return True
        if any(
            c.dep_ == "amod" and "".join(t.lower_ for t in c.subtree) in HABITUAL_MODIFIERS
            for c in noun.children
        ):
            return True  # "near-daily", split by the tokenizer
    chain = [token, *list(token.ancestors)[:4]]
    for tok in chain:
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            return True
        if tok is not token and tok.lemma_ in HYPOTHETICAL_HEADS:
            if tok.lemma_ == "agree" and token.dep_ == "dobj" and token.head == tok:
                continue  # "agreed a ceasefire": the agreement is the event
            return True
        if tok.dep_ in ("ROOT",) or tok.lemma_ in REPORTING:
            break
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children) and token.head.lemma_ in (
        HYPOTHETICAL_HEADS | {"how", "try", "attempt"}
    )


def is_perfect(token: Token) -> bool:
    """Present or past perfect ("have pushed", "had seized", "has been instrumental in
    fighting"): wire reports use it for context."""
    for tok in [token, *token.ancestors]:
        if tok is not token and tok.lemma_ in REPORTING:
            break  # "a group has claimed that IS executed 128": the claim is perfect, not the killing
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in PERFECT_AUX for c in tok.children):
            return True
        if tok.dep_ == "ROOT":
            break
    return False


def is_prior(token: Token) -> bool:
    """ "after ousting IS", "since capturing the town": an earlier event named as context."""
    return token.dep_ == "pcomp" and token.head.lower_ in ("after", "since", "before", "following")


def is_habitual(verb: Token) -> bool:
    """Simple present ("they are backed by air strikes", "the group controls the town"): a state of
    affairs, not an event. The present perfect ("has killed") and progressive ("is raging") are news."""
    if verb.lemma_ in REPORTING or verb.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "aux" for c in verb.children):
        return False  # "has killed", "is raging", "will strike" (the latter judged elsewhere)
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP") for c in verb.children)


def reporting_verb_of(token: Token) -> Token | None:
    """The "said"/"reported" whose complement this token is, if any."""
    for anc in token.ancestors:
        if anc.lemma_ in REPORTING:
            return anc
    return None


def in_subtree(token: Token, root: Token) -> bool:
    return root.left_edge.i <= token.i <= root.right_edge.i
