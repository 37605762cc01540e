"""What linking needs from the knowledge base: actor aliases, relations and who speaks for whom.

Reports reach the linker with canonical actor names when they come from the extractor, but
hand-made or imported reports may say "Daesh" or "Syrian army": both must match "Islamic
State" and "Military Forces of Syria (2000-2024)". Allies ("pro-regime" militias, an
umbrella's brigades) count as related, not as the same actor. A broken or missing knowledge
file degrades to exact names rather than stopping a link run.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources

# News agencies and offices that speak for one side: their casualty figures are that side's
# claims (ACLED and UCDP treat them with caution), not a neutral count.
PARTY_CLAIMANTS: dict[str, tuple[str, ...]] = {
    "Amaq": ("sy-is",),
    "Nashir": ("sy-is",),
    "SANA": ("sy-gov-forces",),
    "Syrian state media": ("sy-gov-forces",),
    "Houthi-run Saba news agency": ("ye-houthis",),
    "Russian Defence Ministry": ("ru-military",),
    "Ukrainian military": ("ua-afu",),
    "Israeli military": ("il-idf",),
    "Shahada News Agency": ("so-shabaab",),
    "Radio Andalus": ("so-shabaab",),
    "Voice of Jihad": ("af-taliban",),
    "Zabihullah Mujahid": ("af-taliban",),
    "Al-Masirah": ("ye-houthis",),
    "Al-Manar": ("lb-hezbollah",),
    "az-Zallaqa": ("ml-jnim",),
    "Hawar News Agency": ("sy-sdf",),
}
# Wording that marks a claimant as one side's own voice whatever the side.
_OWN_VOICE = re.compile(
    r"\b(?:group'?s? (?:own|official)|its (?:own|official)|militants'|rebels'|jihadists'|"
    r"official news agency|propaganda|claimed responsibility|"
    r"military spokesman|army spokesman|army said|military said)\b",
    re.I,
)
WILDCARD = re.compile(r"^(?:Unidentified|Unknown)\b", re.I)


@dataclass(frozen=True)
class ActorInfo:
    """One canonical actor as linking sees it."""

    id: str
    name: str
    category: str
    umbrella: str | None
    affiliations: frozenset[str]
    valid_from: date | None
    valid_until: date | None

    def active_on(self, when: date | None) -> bool:
        if when is None:
            return True
        if self.valid_from is not None and when < self.valid_from:
            return False
        return self.valid_until is None or when < self.valid_until


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics or punctuation runs: the key aliases are matched on."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


class ActorBook:
    """Alias -> actor, and which actors are allies (affiliated or under one umbrella)."""

    def __init__(self, actors: list[ActorInfo]) -> None:
        self.by_id = {a.id: a for a in actors}
        self.by_name = {a.name: a for a in actors}
        self.aliases: dict[str, list[ActorInfo]] = {}
        self._related: dict[tuple[str, str], bool] = {}
        self._resolved: dict[tuple[str, date | None], str] = {}

    def add_alias(self, alias: str, actor: ActorInfo) -> None:
        bucket = self.aliases.setdefault(fold(alias), [])
        if actor not in bucket:
            bucket.append(actor)

    def canonical(self, name: str, when: date | None = None) -> str:
        """The canonical name of an alias on a date ("Syrian army" in 2018 vs 2025)."""
        key = (name, when)
        found = self._resolved.get(key)
        if found is None:
            found = name
            if name not in self.by_name:
                candidates = self.aliases.get(fold(name), [])
                active = [a for a in candidates if a.active_on(when)] or candidates
                if active:
                    found = active[0].name
            self._resolved[key] = found
        return found

    def key(self, name: str, when: date | None = None) -> str:
        """What two spellings of one actor share: the canonical name if the knowledge base
        knows the actor, else the folded spelling ("Saudi-led coalition" = "Saudi-led Coalition")."""
        found = self.canonical(name, when)
        return found if found in self.by_name else fold(name)

    def related(self, a: str, b: str) -> bool:
        """Allies: one is affiliated with or under the umbrella of the other, or both share one."""
        if a == b:
            return True
        key = (a, b) if a < b else (b, a)
        cached = self._related.get(key)
        if cached is not None:
            return cached
        x, y = self.by_name.get(a), self.by_name.get(b)
        result = False
        if x is not None and y is not None:
            result = (
                x.id in y.affiliations
                or y.id in x.affiliations
                or x.umbrella == y.id
                or y.umbrella == x.id
                or (x.umbrella is not None and x.umbrella == y.umbrella)
            )
        self._related[key] = result
        return result

    def category(self, name: str) -> str:
        actor = self.by_name.get(name)
        return actor.category if actor else ""

    def speaks_for(self, claimant: str | None, when: date | None = None) -> set[str]:
        """Canonical actors a claimant is the voice of (empty for independent sources)."""
        if not claimant:
            return set()
        out = {self.by_id[i].name for i in PARTY_CLAIMANTS.get(claimant, ()) if i in self.by_id}
        name = self.canonical(claimant, when)
        if name in self.by_name:  # "the Taliban said", "RSF said"
            out.add(name)
        return out

    def own_voice(self, claimant: str | None) -> bool:
        """Wording that says a claimant is a party even when we cannot tell which one."""
        return bool(claimant and (claimant in PARTY_CLAIMANTS or _OWN_VOICE.search(claimant)))


@functools.lru_cache(maxsize=1)
def actor_book() -> ActorBook:
    """The packaged actor knowledge base as an :class:`ActorBook` (empty if it cannot load)."""
    try:
        from marsad.knowledge.actors import load_actors

        loaded = list(load_actors())
    except Exception:  # a knowledge file being edited must not stop linking
        return ActorBook([])
    infos = [
        ActorInfo(
            a.id,
            a.name,
            a.category,
            a.umbrella,
            frozenset(a.affiliations),
            a.valid_from,
            a.valid_until,
        )
        for a in loaded
    ]
    book = ActorBook(infos)
    for a, info in zip(loaded, infos, strict=True):
        for alias in (a.name, *a.aliases):
            book.add_alias(alias, info)
    return book


@functools.lru_cache(maxsize=1)
def _claimant_aliases() -> list[tuple[re.Pattern[str], str]]:
    try:
        text = resources.files("marsad.knowledge").joinpath("data", "claimants.tsv").read_text("utf-8")
    except OSError:
        return []
    rows = csv.DictReader((ln for ln in text.splitlines() if not ln.startswith("#")), delimiter="\t")
    pairs = [(alias, r["name"]) for r in rows for alias in [r["name"], *r["aliases"].split(";")] if alias]
    pairs.sort(key=lambda p: -len(p[0]))
    return [(re.compile(r"\b" + re.escape(a) + r"\b", re.I), name) for a, name in pairs]


@functools.lru_cache(maxsize=4096)
def claimant_key(claimant: str | None) -> str | None:
    """One spelling per source ("the Observatory" = "SOHR"), so updates by one claimant are
    recognised as updates rather than as a second, disagreeing source."""
    if not claimant or not claimant.strip():
        return None
    for pattern, name in _claimant_aliases():
        if pattern.search(claimant):
            return name
    return re.sub(r"^(?:the|a|an)\s+", "", claimant.strip(), flags=re.I)
