"""The model's attribute ruler and rule lemmatiser, applied at a fraction of their cost.

``en_core_web_sm`` sets parts of speech, morphology and lemmas with two rule components after
the parser: an ``attribute_ruler`` (179 token patterns run through spaCy's ``Matcher``, whose
``IN``/``REGEX`` predicates are called in Python for every word) and a rule ``lemmatizer``
(called in Python for every word). Together they took about a fifth of the model's time. Both
are pure functions of a few token attributes, so ``RuleTagger`` computes the same values once
per distinct key (a word's tag, lowercase form and dependency label; for a lemma its form, part
of speech and morphology), caches them, and writes each Doc's columns back in one array.

It reads the model's own patterns and lemmatiser, so its output is the components' output by
construction (tests/annotate/test_tagging.py compares every token's POS, TAG, DEP, MORPH and
LEMMA on real text); a model whose patterns use anything it does not implement keeps its own
components (``install`` returns False).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc

#: the token attributes a pattern may test, by their pattern names
_READABLE = {
    "ORTH": ORTH,
    "TEXT": ORTH,
    "LOWER": LOWER,
    "NORM": NORM,
    "TAG": TAG,
    "DEP": DEP,
    "IS_SPACE": IS_SPACE,
}
#: the token attributes a rule may set (each only on the token, as spaCy's rules do)
_WRITABLE = (POS, TAG, DEP, MORPH, LEMMA)
_WRITE_AT = {attr: i for i, attr in enumerate(_WRITABLE)}

Check = Callable[[Sequence[int]], bool]


class Unsupported(ValueError):
    """A pattern or a component that ``RuleTagger`` does not reproduce exactly."""


def _check(column: int, value: Any, strings: Any) -> Check:
    """One attribute test of a pattern, as spaCy's Matcher makes it, on a row of ints."""
    if isinstance(value, bool):
        want = int(value)
        return lambda row: row[column] == want
    if isinstance(value, str):
        wanted = get_string_id(value)
        return lambda row: row[column] == wanted
    if not isinstance(value, dict) or len(value) != 1:
        raise Unsupported(f"pattern value {value!r}")
    ((op, arg),) = value.items()
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
        ids = frozenset(get_string_id(v) for v in arg)
        if op == "IN":
            return lambda row: row[column] in ids
        return lambda row: row[column] not in ids
    if op == "REGEX" and isinstance(arg, str):
        regex = re.compile(arg)
        return lambda row: bool(regex.search(strings[row[column]]))
    raise Unsupported(f"pattern operator {op!r}")


class _Token:
    """One token's part of a pattern: its checks, and the values of LOWER (else TAG, else DEP)
    that it accepts when it names them exactly (None: any), for finding candidates fast."""

    def __init__(self, spec: dict[str, Any], columns: dict[int, int], strings: Any) -> None:
        self.checks: list[Check] = []
        self.keys: tuple[int, frozenset[int]] | None = None
        for name, value in spec.items():
            attr = _READABLE.get(name.upper()) if isinstance(name, str) else None
            if attr is None:
                raise Unsupported(f"pattern attribute {name!r}")
            column = columns.setdefault(attr, len(columns))
            self.checks.append(_check(column, value, strings))
        for attr in (LOWER, TAG, DEP):
            named = next((n for n in spec if _READABLE.get(n.upper()) == attr), None)
            if named is None:
                continue
            value = spec[named]
            if isinstance(value, str):
                self.keys = (columns[attr], frozenset([get_string_id(value)]))
                break
            if isinstance(value, dict) and "IN" in value:
                self.keys = (columns[attr], frozenset(get_string_id(v) for v in value["IN"]))
                break

    def __call__(self, row: Sequence[int]) -> bool:
        return all(check(row) for check in self.checks)


class RuleTagger:
    """What ``attribute_ruler`` followed by a rule ``lemmatizer`` (that keeps the lemmas the
    rules set) do to a Doc, computed per distinct key with caches."""

    def __init__(
        self, nlp: Language, ruler_name: str = "attribute_ruler", lemmatizer_name: str = "lemmatizer"
    ):
        ruler = nlp.get_pipe(ruler_name)
        lemmatizer = nlp.get_pipe(lemmatizer_name)
        if not isinstance(ruler, AttributeRuler) or not isinstance(lemmatizer, Lemmatizer):
            raise Unsupported("not spaCy's attribute ruler and lemmatiser")
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise Unsupported("the lemmatiser is not a rule lemmatiser that keeps set lemmas")
        self.vocab = nlp.vocab
        self.lemmatizer = lemmatizer
        strings = nlp.vocab.strings
        columns: dict[int, int] = {}  # attribute -> its column in the rows read from a Doc
        self.singles: list[tuple[int, _Token]] = []  # (rule, one-token pattern)
        # (rule, longer pattern, the token it sets, a token with keys and its keys)
        self.spans: list[tuple[int, list[_Token], int, int, tuple[int, frozenset[int]] | None]] = []
        self.sets: list[tuple[tuple[int, int], ...]] = []  # rule -> (column to write, value)
        for rule, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            if any(attr not in _WRITE_AT for attr in attrs):
                raise Unsupported(f"a rule sets {sorted(attrs)}")
            self.sets.append(tuple((_WRITE_AT[attr], int(value)) for attr, value in attrs.items()))
            for pattern in ruler.matcher.get(str(rule))[1]:
                if not -len(pattern) <= index < len(pattern) or any("OP" in t for t in pattern):
                    raise Unsupported(f"pattern {pattern!r} with index {index}")
                tokens = [_Token(t, columns, strings) for t in pattern]
                if len(tokens) == 1:
                    self.singles.append((rule, tokens[0]))
                else:
                    keyed = [k for k, t in enumerate(tokens) if t.keys is not None]
                    anchor = keyed[0] if keyed else 0
                    self.spans.append((rule, tokens, index % len(tokens), anchor, tokens[anchor].keys))
        self.read = sorted(columns, key=columns.__getitem__)
        self.anchors: dict[int, set[int]] = {}  # column -> the values longer patterns look for
        for *_, keys in self.spans:
            if keys is not None:
                self.anchors.setdefault(keys[0], set()).update(keys[1])
        # one-token rules by the LOWER or TAG values they name, and the rest
        self.by_value: dict[tuple[int, int], list[int]] = {}
        self.others: list[int] = []
        for n, (_, token) in enumerate(self.singles):
            keys = token.keys
            if keys is None:
                self.others.append(n)
            else:
                column, values = keys
                for v in values:
                    self.by_value.setdefault((column, v), []).append(n)
        self._rules: dict[tuple[int, ...], tuple[int, ...]] = {}  # row -> one-token rules that match
        self._row_writes: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}  # row -> their writes
        self._writes: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}  # rules -> writes
        self._lemmas: dict[tuple[int, int, int], int] = {}  # (orth, pos, morph) -> lemma

    def _matching(self, row: tuple[int, ...]) -> tuple[int, ...]:
        found = self._rules.get(row)
        if found is None:
            candidates = set(self.others)
            for column in range(len(row)):
                candidates.update(self.by_value.get((column, row[column]), ()))
            found = tuple(sorted(self.singles[n][0] for n in candidates if self.singles[n][1](row)))
            self._rules[row] = found
        return found

    def _merged(self, rules: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        writes = self._writes.get(rules)
        if writes is None:
            final: dict[int, int] = {}
            for rule in rules:  # in rule order: a later rule's value wins, as in spaCy
                final.update(self.sets[rule])
            writes = tuple(final.items())
            self._writes[rules] = writes
        return writes

    def _spans(self, rows: list[tuple[int, ...]]) -> dict[int, list[int]]:
        """token -> the rules of longer patterns that match around it and set it."""
        n = len(rows)
        extra: dict[int, list[int]] = {}
        where: dict[int, dict[int, list[int]]] = {}  # column -> value -> positions
        for rule, tokens, index, anchor, keys in self.spans:
            if keys is None:
                starts: Iterable[int] = range(n - len(tokens) + 1)
            else:
                column, values = keys
                if column not in where:  # one pass per column for every pattern's values
                    wanted = self.anchors[column]
                    found: dict[int, list[int]] = {}
                    where[column] = found
                    for i, row in enumerate(rows):
                        if row[column] in wanted:
                            found.setdefault(row[column], []).append(i)
                found = where[column]
                starts = sorted(p - anchor for v in values for p in found.get(v, ()))
            for start in starts:
                if 0 <= start <= n - len(tokens) and all(t(rows[start + k]) for k, t in enumerate(tokens)):
                    extra.setdefault(start + index, []).append(rule)
        return extra

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        table: Any = doc.to_array(list[int | str](self.read))
        rows: list[tuple[int, ...]] = [tuple(r) for r in table.reshape(n, len(self.read)).tolist()]
        current: Any = doc.to_array(list[int | str](_WRITABLE))
        out: list[list[int]] = current.tolist()
        cache = self._row_writes
        for i, row in enumerate(rows):
            writes = cache.get(row)
            if writes is None:
                writes = cache[row] = self._merged(self._matching(row))
            for column, value in writes:
                out[i][column] = value
        for i, rules in self._spans(rows).items():  # rarer: with the one-token rules, in rule order
            for column, value in self._merged(tuple(sorted({*self._matching(rows[i]), *rules}))):
                out[i][column] = value
        doc.from_array(list[int | str](_WRITABLE), cast(Any, numpy.array(out, dtype=numpy.uint64)))
        self._lemmatize(doc)
        return doc

    def _lemmatize(self, doc: Doc) -> None:
        """The rule lemmatiser's lemma for every token no rule gave one, by (form, part of
        speech, morphology): the key the lemmatiser itself caches its answers by."""
        table: Any = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3].copy()
        cache = self._lemmas
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if lemma != 0:
                continue
            key = (orth, pos, morph)
            value = cache.get(key)
            if value is None:
                value = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                cache[key] = value
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas.astype(numpy.uint64).reshape(-1, 1))


@Language.factory("marsad_rule_tagger")
def _make_rule_tagger(nlp: Language, name: str) -> RuleTagger:
    return RuleTagger(nlp)


def install(nlp: Language) -> bool:
    """Run ``RuleTagger`` in place of the model's ``attribute_ruler`` and ``lemmatizer`` (which
    stay in the pipeline, disabled); False, and the pipeline untouched, when the model lacks
    them or uses a pattern ``RuleTagger`` does not reproduce."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names:
        return False
    if names.index("lemmatizer") != names.index("attribute_ruler") + 1:
        return False
    try:
        nlp.add_pipe("marsad_rule_tagger", before="attribute_ruler")
    except Unsupported:
        return False
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return True
