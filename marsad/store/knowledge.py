"""The bits of the actor knowledge base the store needs: categories and aliases.

The knowledge package may be absent or broken while it is being built; the store then
falls back to empty categories and exact names rather than refusing to work.
"""

from __future__ import annotations

import functools
import re


@functools.cache
def _actors() -> tuple[dict[str, str], dict[str, str]]:
    """(canonical name -> category, lower-cased alias or name -> canonical name)."""
    try:
        from marsad.knowledge.actors import load_actors

        loaded = list(load_actors())
    except Exception:  # not written yet, or a bad data file: degrade, do not fail ingest
        return {}, {}
    categories: dict[str, str] = {}
    names: dict[str, str] = {}
    for actor in loaded:
        name = str(getattr(actor, "name", "") or "")
        if not name:
            continue
        categories[name] = str(getattr(actor, "category", "") or "")
        for alias in [name, *(getattr(actor, "aliases", None) or [])]:
            names.setdefault(str(alias).casefold(), name)
    return categories, names


def category(name: str) -> str:
    """The ACLED-style category of a canonical actor name, or "" when unknown."""
    return _actors()[0].get(name, "")


def canonical(name: str) -> str:
    """The canonical name for an alias ("Daesh" -> "Islamic State"), else the name itself."""
    return _actors()[1].get(name.casefold(), name)


# ACLED's inter codes, keyed by a word that every spelling of the category contains.
_INTER = (
    ("state", 1),
    ("rebel", 2),
    ("political", 3),
    ("identity", 4),
    ("communal", 4),
    ("rioter", 5),
    ("protester", 6),
    ("civilian", 7),
    ("external", 8),
    ("other", 8),
)


def inter_code(category_name: str | None) -> int | None:
    """ACLED inter code (1-8) for a category such as "State forces" or "rebel group"."""
    words = re.sub(r"[^a-z]+", " ", (category_name or "").casefold())
    for key, code in _INTER:
        if key in words:
            return code
    return None
