"""Small dependency-parse helpers shared by the extractors: who did it, to whom, and
whether a mention is news at all (negated, hypothetical, background)."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

REPORTING = frozenset(
    {
        "say",
        "report",
        "tell",
        "claim",
        "announce",
        "state",
        "add",
        "confirm",
        "quote",
        "cite",
        "publish",
        "post",
        "broadcast",
        "note",
        "write",
        "accuse",
        "blame",
        "allege",
        "describe",
        "show",
        "document",
        "record",
    }
)
HYPOTHETICAL_HEADS = frozenset(
    {
        "threaten",
        "plan",
        "vow",
        "warn",
        "pledge",
        "intend",
        "prepare",
        "preparation",
        "threat",
        "seek",
        "aim",
        "want",
        "hope",
        "expect",
        "call",
        "urge",
        "fear",
        "prevent",
        "avoid",
        "ready",
        "able",
        "likely",
        "discuss",
        "consider",
        "decide",
        "agree",
        "promise",
        "demand",
    }
)
MODALS = frozenset({"will", "would", "could", "might", "may", "should", "must", "shall", "'ll", "can"})
DENIAL = frozenset({"deny", "reject", "refute", "dismiss"})
PERFECT_AUX = frozenset({"have", "has", "had"})


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


def is_negated(token: Token) -> bool:
    """ "did not attack", "no clashes", "denied carrying out the attack"."""
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children):
        return True
    verb = governing_verb(token)
    if verb is not token and verb.lemma_ not in REPORTING and any(c.dep_ == "neg" for c in verb.children):
        return True
    return any(a.lemma_ in DENIAL for a in token.ancestors)


def is_hypothetical(token: Token) -> bool:
    """Threats, plans, conditions and modals: things that have not happened."""
    chain = [token, *list(token.ancestors)[:4]]
    for tok in chain:
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
            return True
        if tok is not token and tok.lemma_ in HYPOTHETICAL_HEADS:
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
