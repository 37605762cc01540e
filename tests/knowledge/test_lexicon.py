"""The extractor's word classes (knowledge/data/lexicon.json): loaded, checked, and what they do."""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from spacy.glossary import GLOSSARY
from spacy.lang.en.lex_attrs import _num_words as NUM_WORDS
from spacy.lang.en.stop_words import STOP_WORDS

from marsad.annotate.dates import WEEKDAYS
from marsad.annotate.numbers import VAGUE
from marsad.errors import KnowledgeError
from marsad.extract import Extractor
from marsad.knowledge.lexicon import CLASSES, load_lexicon, parse_lexicon
from marsad.knowledge.taxonomy import load_taxonomy
from marsad.model import Article, Event

EXTRACT_DIR = Path(__file__).resolve().parents[2] / "marsad" / "extract"
#: spaCy's labels (dependencies, parts of speech, entities) as the code writes them, lower-cased.
LABELS = {k.lower() for k in GLOSSARY}


def _data() -> dict[str, Any]:
    text = resources.files("marsad.knowledge").joinpath("data", "lexicon.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def test_every_class_the_extractor_reads_is_in_the_file_and_says_what_it_is_for() -> None:
    lexicon = load_lexicon()
    assert set(CLASSES) <= set(lexicon.classes)
    for name, entry in _data()["classes"].items():
        assert len(entry["doc"]) > 30, name
        assert entry["words"] == sorted(entry["words"]), f"{name}: keep the words sorted"
    # the weapon cues type killings by sub-event types the taxonomy has
    subs = {s.sub_event_type for s in load_taxonomy().sub_types}
    assert {sub for sub, _ in lexicon.weapon_cues} <= subs
    assert "kill" in lexicon["harm_verbs"] and "at" in lexicon["target_preps"]


def test_the_extractor_holds_no_word_list_of_its_own() -> None:
    """A set or tuple of three or more content words in marsad/extract is a word list that
    belongs in knowledge/data: the extractor stays generic. English itself (function words,
    number and weekday names, suffixes) and spaCy's labels may stay in the code."""
    language = (
        set(STOP_WORDS) | set(NUM_WORDS) | set(VAGUE) | LABELS | set(WEEKDAYS) | {"ed", "es", "ing", "s", "d"}
    )
    found = []
    for path in sorted(EXTRACT_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Set | ast.Tuple | ast.List):
                words = [
                    e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
                content = [w for w in words if w.isalpha() and w.islower() and w not in language]
                if len(content) >= 3:
                    found.append(f"{path.name}:{node.lineno} {content}")
    assert found == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["classes"].pop("harm_verbs"), "needs the classes harm_verbs"),
        (lambda d: d["classes"]["harm_verbs"]["words"].append("Kill"), "lower-case words"),
        (lambda d: d["classes"]["harm_verbs"]["words"].append("kill"), "names a word twice"),
        (lambda d: d["classes"]["harm_verbs"].pop("doc"), "needs a 'doc'"),
        (lambda d: d["trigger_rules"].update({"pistachio": {"pos": "VERB"}}), "is no trigger"),
        (lambda d: d["trigger_rules"]["mine"].update({"pos": "ADJ"}), "pos must be one of"),
        (lambda d: d["trigger_rules"]["bomb"].update({"or_with": "nothing"}), "names no class"),
        (lambda d: d["trigger_rules"]["mine"].update({"when": "never"}), "only pos, or_with"),
        (lambda d: d["weapon_cues"].update({"Laser attack": ["laser"]}), "unknown sub-event type"),
    ],
)
def test_a_broken_lexicon_is_refused_with_what_is_wrong(
    change: Callable[[dict[str, Any]], Any], message: str
) -> None:
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(KnowledgeError, match=message) as err:
        parse_lexicon(data)
    assert "lexicon.json: " in str(err.value) and "\n" not in str(err.value)
    parse_lexicon(_data())  # the shipped file passes


@pytest.fixture(scope="module")
def extract() -> Callable[[str], list[Event]]:
    ex = Extractor()
    return lambda text: ex.extract(Article(article_id="t", text=text))


def test_the_trigger_rules_decide_when_a_word_is_an_event(extract: Callable[[str], list[Event]]) -> None:
    # "take" counts only with ground as its object
    (ev,) = extract("Rebels took the town of Saraqeb from government forces on Monday.")
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert extract("Rebels took two hours to reply.") == []
    # "strike" is no attack beside "hunger": a hunger strike is a protest
    (ev,) = extract("Prisoners in Rabat went on a hunger strike on Monday.")
    assert ev.event_type == "Protests"
    # a mine is a noun: "mine the data" is no explosion
    assert extract("Analysts mine the data every Monday in Nairobi.") == []
    (ev,) = extract("A mine exploded under a bus near Kandahar on Monday, killing four passengers.")
    assert (ev.sub_event_type, ev.fatalities) == ("Remote explosive/landmine/IED", 4)


def test_role_patterns_come_from_the_word_classes(extract: Callable[[str], list[Event]]) -> None:
    # the object of a victim verb is actor2, never actor1 ("harm_verbs")
    (ev,) = extract("A roadside bomb killed three soldiers near Kirkuk on Monday.")
    assert (ev.actor1, ev.actor2, ev.fatalities) == (
        "Unidentified Armed Group (Iraq)",
        "Military Forces of Iraq (2003-)",
        3,
    )
    # the subject of a repelling verb is the defender, the attack's "by" the attacker ("repel_verbs")
    (ev,) = extract("Iraqi soldiers repelled an attack by Islamic State militants near Tikrit on Monday.")
    assert (ev.actor1, ev.actor2) == ("Islamic State", "Military Forces of Iraq (2003-)")
    # a house "hiding" rifles: what was done to the house decides ("hiding_verbs"), the rifles were found
    events = extract("Soldiers found a house hiding rifles in Kano on Monday and arrested two men.")
    assert "Disrupted weapons use" in {e.sub_event_type for e in events}
