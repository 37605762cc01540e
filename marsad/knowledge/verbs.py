"""Verbs that the annotator and the extractor both read: what a speaker does, not a party."""

from __future__ import annotations

from marsad.knowledge.lexicon import load_lexicon

LEXICON = load_lexicon()

#: Verbs of saying: their subject reports an event, it does not do it ("Russia said").
REPORTING = LEXICON["reporting_verbs"]

#: Verbs whose object (or passive subject) suffers the violence ("killing three policemen"); in a
#: headline the passive's "were" is dropped ("3 soldiers killed in Mosul"), and a counted subject
#: with no object is then the victim, not the doer.
HARM = LEXICON["victim_verbs"]
