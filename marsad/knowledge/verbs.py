"""Verbs that the annotator and the extractor both read: what a speaker does, not a party."""

from __future__ import annotations

#: Verbs of saying: their subject reports an event, it does not do it ("Russia said").
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

#: Verbs whose object (or passive subject) suffers the violence ("killing three policemen"); in a
#: headline the passive's "were" is dropped ("3 soldiers killed in Mosul"), and a counted subject
#: with no object is then the victim, not the doer.
HARM = frozenset(
    {
        "kill",
        "wound",
        "injure",
        "abduct",
        "kidnap",
        "execute",
        "behead",
        "shoot",
        "hurt",
        "maim",
        "slay",
        "arrest",
        "detain",
    }
)
