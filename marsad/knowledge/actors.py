"""The actor knowledge base: canonical armed actors and the generic phrases that point at them.

Actors are data, not code (``data/actors.jsonl`` and ``data/generic_actors.jsonl``, one JSON
object a line), so an analyst can correct or extend them without a release: a user overlay file
of the same format replaces entries with the same id (or phrase) and adds new ones.

Loading is strict. A malformed line, an unknown category, a dangling affiliation or a demonym
claimed by two actors raises :class:`~marsad.errors.KnowledgeError` naming ``FILE:LINE`` and the
field, because a silently skipped actor only shows up much later as a wrong or missing event actor.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from marsad.errors import KnowledgeError

__all__ = [
    "CATEGORIES",
    "KINDS",
    "Actor",
    "Country",
    "GenericTerm",
    "demonym_countries",
    "load_actors",
    "load_countries",
    "load_generic_terms",
]

Category = Literal[
    "State forces",
    "Rebel groups",
    "Political militias",
    "Identity militias",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
]
# Tags that let a generic mention ("the jihadists", "regime forces") find a named actor. Plain
# strings (not a Literal) so callers can mix them freely with their own ``set[str]``.
KINDS: tuple[str, ...] = (
    "state",
    "government",
    "regime",
    "army",
    "police",
    "rebel",
    "opposition",
    "militant",
    "jihadist",
    "extremist",
    "terrorist",
    "insurgent",
    "militia",
    "kurdish",
    "tribal",
    "coalition",
    "external",
    "civilian",
    "protester",
    "rioter",
    "separatist",
    "paramilitary",
    "settler",
    "peacekeeper",
    "bandit",
)
CATEGORIES: tuple[str, ...] = get_args(Category)
#: The kinds of generic mention that name a state's forces ("troops", "police").
STATE_KINDS = frozenset({"state", "government", "regime", "army", "police"})

_PACKAGE = "marsad.knowledge"
_ACTORS_FILE = "data/actors.jsonl"
_GENERIC_FILE = "data/generic_actors.jsonl"
_COUNTRIES_FILE = "data/countries.tsv"
_TEMPLATES_FILE = "data/actor_templates.jsonl"


def _clean_text(value: str) -> str:
    """Reject blank or space-padded strings: they never match text and hide typos."""
    if not value or value != value.strip():
        raise ValueError("must be non-empty text without leading or trailing spaces")
    return value


Text = Annotated[str, AfterValidator(_clean_text)]


def _known_kind(value: str) -> str:
    """Reject a kind no resolver knows: a typo would make the actor unreachable from generic mentions."""
    if value not in KINDS:
        raise ValueError(f"unknown kind {value!r}; expected one of {', '.join(KINDS)}")
    return value


Kind = Annotated[str, AfterValidator(_known_kind)]


def _no_repeats(values: tuple[str, ...]) -> tuple[str, ...]:
    """Reject a list that names the same thing twice (case-insensitive): usually a copy-paste slip."""
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{value!r} is listed twice")
        seen.add(key)
    return values


class Actor(BaseModel):
    """One canonical actor, as ACLED would name and classify it.

    ``valid_from``/``valid_until`` bound the period the actor existed under this name (a rename or
    a change of government starts a new actor); the window is half-open, so the day of a rename
    belongs to the new name.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    name: Text
    category: Category
    country: str = Field(pattern=r"^[A-Z]{2}$")
    aliases: Annotated[tuple[Text, ...], AfterValidator(_no_repeats)] = ()
    demonyms: Annotated[tuple[Text, ...], AfterValidator(_no_repeats)] = ()
    kinds: Annotated[tuple[Kind, ...], AfterValidator(_no_repeats)] = ()
    affiliations: Annotated[tuple[str, ...], AfterValidator(_no_repeats)] = ()
    umbrella: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    @field_validator("valid_from", "valid_until", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """Accept only ISO ``YYYY-MM-DD`` strings (pydantic alone would take Unix timestamps)."""
        if value is None or isinstance(value, date):
            return value
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError("expected an ISO date YYYY-MM-DD or null")
        return value

    @field_validator("valid_until")
    @classmethod
    def _window_not_empty(cls, value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value <= start:
            raise ValueError(f"must be after valid_from ({start.isoformat()})")
        return value

    @field_validator("affiliations", "umbrella")
    @classmethod
    def _not_self(cls, value: Any, info: ValidationInfo) -> Any:
        own = info.data.get("id")
        if own is not None and (value == own or (isinstance(value, tuple) and own in value)):
            raise ValueError(f"an actor cannot point at itself ({own!r})")
        return value

    def active_on(self, d: date | None) -> bool:
        """Whether the actor existed under this name on ``d`` (an unknown date matches every actor)."""
        if d is None:
            return True
        if self.valid_from is not None and d < self.valid_from:
            return False
        return self.valid_until is None or d < self.valid_until


class GenericTerm(BaseModel):
    """A generic mention ("regime forces", "the militants") that names no actor by itself.

    It is resolved at run time to the nearest named actor of these ``kinds`` in the article's
    country; ``pro`` means the phrase covers that actor and its affiliations
    ("pro-regime forces"). Phrases are stored without a leading "the" and match case-insensitively.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    phrase: Text
    kinds: Annotated[tuple[Kind, ...], Field(min_length=1), AfterValidator(_no_repeats)]
    pro: StrictBool = False


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class _Entry:
    """A validated record and where it came from, so later cross-checks can name FILE:LINE."""

    item: Any
    where: str


def _field_name(loc: Sequence[int | str]) -> str:
    """``("kinds", 2)`` -> ``kinds[2]``: the field as a user would look for it in the line."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _describe(error: ValidationError) -> str:
    """One line per validation problem, each naming the field and the offending value."""
    parts = []
    for err in error.errors():
        msg = err["msg"].removeprefix("Value error, ")
        field = _field_name(err["loc"])
        got = "" if err["type"] in ("missing", "extra_forbidden") else f", got {err['input']!r}"
        parts.append(f"{msg} (field {field}{got})" if field else msg)
    return "; ".join(parts)


def _read_text(source: str, raw: bytes) -> str:
    """Decode UTF-8 (a BOM is tolerated) or say on which line the bad bytes are."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise KnowledgeError(f"{source}:{line}: not UTF-8 text (byte {raw[exc.start]:#04x})") from None


def _parse(source: str, text: str, model: type[M]) -> Iterator[_Entry]:
    """Validate every non-blank line of a JSONL file against ``model``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KnowledgeError(f"{where}: malformed JSON: {exc.msg} at column {exc.colno}") from None
        if not isinstance(record, dict):
            raise KnowledgeError(f"{where}: expected a JSON object, got {type(record).__name__}")
        try:
            yield _Entry(model.model_validate(record), where)
        except ValidationError as exc:
            raise KnowledgeError(f"{where}: {_describe(exc)}") from None


def _packaged(filename: str) -> tuple[str, str]:
    """The text of a data file shipped inside the package, and a name to cite in errors."""
    resource = resources.files(_PACKAGE).joinpath(filename)
    return str(resource), _read_text(str(resource), resource.read_bytes())


def _user_file(path: Path) -> tuple[str, str]:
    """The text of a user overlay file, with unreadable files reported as knowledge errors."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read overlay file ({exc.strerror or exc})") from None
    return str(path), _read_text(str(path), raw)


def _keyed(entries: Iterator[_Entry], key_of: Callable[[Any], str], what: str) -> dict[str, _Entry]:
    """Index one file's entries by key, refusing the same key twice in that file."""
    out: dict[str, _Entry] = {}
    for entry in entries:
        key = key_of(entry.item)
        if key in out:
            raise KnowledgeError(f"{entry.where}: duplicate {what} {key!r}, first at {out[key].where}")
        out[key] = entry
    return out


def _overlaps(a: Actor, b: Actor) -> bool:
    """Whether two actors' validity windows share a day (an open end is unbounded)."""
    a_ends_after_b_starts = a.valid_until is None or b.valid_from is None or b.valid_from < a.valid_until
    b_ends_after_a_starts = b.valid_until is None or a.valid_from is None or a.valid_from < b.valid_until
    return a_ends_after_b_starts and b_ends_after_a_starts


def _check_actors(entries: list[_Entry]) -> None:
    """Cross-record rules: unique names, existing references, no umbrella loops, one owner per demonym.

    Demonyms may be shared only by actors whose validity windows do not overlap (the Syrian
    state before and after December 2024), so that on any date "Syrian troops" means one actor.
    """
    by_id: dict[str, _Entry] = {e.item.id: e for e in entries}
    names: dict[str, _Entry] = {}
    demonyms: dict[str, list[_Entry]] = {}
    for entry in entries:
        actor: Actor = entry.item
        earlier = names.setdefault(actor.name.casefold(), entry)
        if earlier is not entry:
            raise KnowledgeError(
                f"{entry.where}: duplicate name {actor.name!r}, already used by actor "
                f"{earlier.item.id!r} at {earlier.where} (field name)"
            )
        for other in actor.affiliations:
            if other not in by_id:
                raise KnowledgeError(f"{entry.where}: unknown actor id {other!r} (field affiliations)")
        if actor.umbrella is not None and actor.umbrella not in by_id:
            raise KnowledgeError(f"{entry.where}: unknown actor id {actor.umbrella!r} (field umbrella)")
        for demonym in actor.demonyms:
            owners = demonyms.setdefault(demonym.casefold(), [])
            for owner in owners:
                if _overlaps(owner.item, actor):
                    raise KnowledgeError(
                        f"{entry.where}: demonym {demonym!r} is already given to actor {owner.item.id!r} "
                        f"at {owner.where} for an overlapping period (field demonyms)"
                    )
            owners.append(entry)
    for entry in entries:
        seen = [entry.item.id]
        parent = entry.item.umbrella
        while parent is not None:
            if parent in seen:
                chain = " -> ".join([*seen, parent])
                raise KnowledgeError(f"{entry.where}: umbrella chain loops ({chain}) (field umbrella)")
            seen.append(parent)
            parent = by_id[parent].item.umbrella


def _merge(base: dict[str, _Entry], overlay: dict[str, _Entry]) -> list[_Entry]:
    """Overlay entries replace same-key base entries in place; new keys go at the end."""
    merged = dict(base)
    merged.update(overlay)
    return list(merged.values())


@lru_cache(maxsize=1)
def _packaged_actors() -> dict[str, _Entry]:
    source, text = _packaged(_ACTORS_FILE)
    entries = _keyed(_parse(source, text, Actor), lambda a: a.id, "actor id")
    for entry in _country_actors([e.item for e in entries.values()]):
        entries.setdefault(entry.item.id, entry)
    _check_actors(list(entries.values()))
    return entries


@dataclass(frozen=True)
class Country:
    """A country as ACLED names it, with the nationality words that point at it."""

    code: str
    name: str
    demonyms: tuple[str, ...]


@lru_cache(maxsize=1)
def load_countries() -> tuple[Country, ...]:
    """``data/countries.tsv``: ISO code, ACLED's name, demonyms (strict: a bad line names FILE:LINE)."""
    source, text = _packaged(_COUNTRIES_FILE)
    out: list[Country] = []
    seen: set[str] = set()
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("iso2\t"):
            continue
        cells = line.split("\t")
        if (
            len(cells) != 3
            or not re.fullmatch(r"[A-Z]{2}", cells[0])
            or not cells[1].strip()
            or cells[0] in seen
        ):
            raise KnowledgeError(f"{source}:{n}: expected ISO2<TAB>name<TAB>demonyms, each code once")
        seen.add(cells[0])
        out.append(Country(cells[0], cells[1], tuple(d for d in cells[2].split("|") if d)))
    return tuple(out)


@lru_cache(maxsize=1)
def demonym_countries() -> dict[str, str]:
    """ "Kenyan" -> "KE": the nationality words of ``data/countries.tsv`` (a word two countries
    share, such as "Congolese", points at neither)."""
    out: dict[str, str] = {}
    shared: set[str] = set()
    for country in load_countries():
        for word in country.demonyms:
            if word in out and out[word] != country.code:
                shared.add(word)
            out[word] = country.code
    return {w: c for w, c in out.items() if w not in shared}


def _country_actors(existing: list[Actor]) -> Iterator[_Entry]:
    """Every country's generic actors from ``data/actor_templates.jsonl`` ("Protesters (Kenya)",
    "Military Forces of Kenya"), unless ``actors.jsonl`` already has that actor for the country."""
    for where, row, same in _templates():
        for country in load_countries():
            if any(a.country == country.code and _is_same(a, same) for a in existing):
                continue
            yield _Entry(_from_template(where, row, country.code, country.name), f"{where} ({country.code})")


PLACELESS_COUNTRY = "ZZ"  # ISO 3166 user-assigned code, read as "country unknown"


@lru_cache(maxsize=1)
def placeless_actors() -> tuple[Actor, ...]:
    """The generic actors of ``data/actor_templates.jsonl`` whose name only adds the country in
    brackets ("Protesters ({country})"), named without it for a report that names no country:
    "Protesters", "Civilians", "Unidentified Armed Group". They are not in the knowledge base
    (no alias finds them); extraction falls back on them when the event's country is unknown."""
    return tuple(
        _from_template(where, row, PLACELESS_COUNTRY, "", strip=" ()")
        for where, row, _ in _templates()
        if str(row.get("name", "")).endswith(" ({country})")
    )


def _templates() -> Iterator[tuple[str, dict[str, Any], dict[str, str]]]:
    """(FILE:LINE, template, same_as rule) of each line of ``data/actor_templates.jsonl``."""
    source, text = _packaged(_TEMPLATES_FILE)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            same = row.pop("same_as")
        except (json.JSONDecodeError, KeyError, AttributeError) as exc:
            raise KnowledgeError(
                f"{source}:{n}: a JSON object with a same_as rule expected ({exc})"
            ) from None
        yield f"{source}:{n}", row, same


def _from_template(where: str, row: dict[str, Any], code: str, name: str, strip: str = "") -> Actor:
    """The template filled for one country (``name`` "" for none: ``strip`` is then cut off)."""
    fill = {"cc": code.lower(), "country": name}
    try:
        filled = {k: v.format(**fill) if isinstance(v, str) else v for k, v in row.items()}
        if strip:
            filled["name"] = filled["name"].removesuffix(strip)
        return Actor.model_validate({**filled, "country": code})
    except (ValidationError, KeyError, TypeError) as exc:
        raise KnowledgeError(f"{where}: template does not make a valid actor ({exc})") from None


def _is_same(actor: Actor, rule: dict[str, str]) -> bool:
    if "name_prefix" in rule:
        return actor.name.startswith(rule["name_prefix"])
    if actor.category != rule.get("category"):
        return False
    return "kind" not in rule or rule["kind"] in actor.kinds


@lru_cache(maxsize=1)
def _packaged_generic_terms() -> dict[str, _Entry]:
    source, text = _packaged(_GENERIC_FILE)
    return _keyed(_parse(source, text, GenericTerm), lambda t: t.phrase.casefold(), "phrase")


def load_actors(extra: Path | None = None) -> list[Actor]:
    """The packaged actors, with ``extra`` (a user JSONL file of the same format) laid over them.

    Raises :class:`KnowledgeError` naming FILE:LINE and the field for any malformed line, schema
    violation, duplicate id or name, unknown affiliation or umbrella id, or shared demonym.
    """
    base = _packaged_actors()
    if extra is None:
        return [entry.item for entry in base.values()]
    source, text = _user_file(extra)
    overlay = _keyed(_parse(source, text, Actor), lambda a: a.id, "actor id")
    merged = _merge(base, overlay)
    _check_actors(merged)
    return [entry.item for entry in merged]


_IDENTITY_FILE = "data/identity_groups.json"
IDENTITY_KINDS = ("Ethnic", "Clan", "Sub-Clan", "Tribal", "Communal")


@dataclass(frozen=True)
class IdentityLexicon:
    """How identity militias are named (``data/identity_groups.json``): the groups known by name
    (spelling -> (ACLED base name, kind)) and the nouns that make a name a fighting party."""

    groups: dict[str, tuple[str, str]]
    armed_nouns: frozenset[str]
    group_nouns: frozenset[str]
    militia_nouns: frozenset[str]
    clan_nouns: frozenset[str]
    communal_nouns: frozenset[str]


@lru_cache(maxsize=1)
def load_identity_groups() -> IdentityLexicon:
    """Strict: a bad entry is a :class:`KnowledgeError` that names the file and the entry."""
    source, text = _packaged(_IDENTITY_FILE)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"{source}:{exc.lineno}: malformed JSON ({exc.msg})") from None
    nouns: dict[str, frozenset[str]] = {}
    for key in ("armed_nouns", "group_nouns", "militia_nouns", "clan_nouns", "communal_nouns"):
        words = data.get(key)
        if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower() and w for w in words):
            raise KnowledgeError(f"{source}: {key} must be a list of lower-case words")
        nouns[key] = frozenset(words)
    groups: dict[str, tuple[str, str]] = {}
    for i, row in enumerate(data.get("groups", [])):
        name, kind, spellings = row.get("name"), row.get("kind"), row.get("spellings")
        if (
            not isinstance(name, str)
            or kind not in IDENTITY_KINDS
            or not isinstance(spellings, list)
            or not spellings
            or any(not isinstance(w, str) or not w[:1].isupper() for w in spellings)
        ):
            raise KnowledgeError(
                f"{source}: groups entry {i}: needs a name, a kind of {', '.join(IDENTITY_KINDS)} "
                "and capitalised spellings"
            )
        for w in spellings:
            if groups.setdefault(w, (name, kind)) != (name, kind):
                raise KnowledgeError(
                    f"{source}: groups entry {i}: spelling {w!r} already names another group"
                )
    return IdentityLexicon(
        groups,
        nouns["armed_nouns"],
        nouns["group_nouns"],
        nouns["militia_nouns"],
        nouns["clan_nouns"],
        nouns["communal_nouns"],
    )


def load_generic_terms(extra: Path | None = None) -> list[GenericTerm]:
    """The packaged generic phrases, with ``extra`` replacing same-phrase entries and adding new ones."""
    base = _packaged_generic_terms()
    if extra is None:
        return [entry.item for entry in base.values()]
    source, text = _user_file(extra)
    overlay = _keyed(_parse(source, text, GenericTerm), lambda t: t.phrase.casefold(), "phrase")
    return [entry.item for entry in _merge(base, overlay)]
