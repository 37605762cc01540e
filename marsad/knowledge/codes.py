"""The event-data schemes marsad exports: CAMEO, PLOVER and UCDP GED codes as data.

Three files, read strictly and cross-checked once:

- ``data/cameo_goldstein.tsv``: the standard CAMEO Goldstein table (code -> -10..+10);
- ``data/plover_event.schema.json``: the JSON Schema of a PLOVER export line, whose
  enumerations are PLOVER's vocabulary (categories, modes, contexts, sectors);
- ``data/export_codes.json``: CAMEO root codes and quad classes, PLOVER quad codes and
  scale values, per sub-event type the actor roles, mode and context, ACLED actor
  categories as CAMEO/PLOVER/UCDP codes, and UCDP GED's precision and region codes.

The CAMEO and PLOVER code of each ACLED sub-event type stays in ``event_types.json``
(:mod:`marsad.knowledge.taxonomy`); this module checks that every one of them is known
here (a CAMEO code without a Goldstein value, a PLOVER category outside the schema, a
sub-event type without roles all raise :class:`~marsad.errors.KnowledgeError`).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from marsad.errors import KnowledgeError
from marsad.knowledge.actors import CATEGORIES, KINDS
from marsad.knowledge.taxonomy import load_taxonomy

__all__ = ["ExportCodes", "SubTypeCodes", "load_codes"]

ROLES = ("mutual", "one_sided", "reversed")
UCDP_ROLES = ("government", "organised", "civilians", "unorganised")
PRECISIONS = ("day", "week", "month", "year")
_CODE = re.compile(r"^[0-9]{2,4}$")


@dataclass(frozen=True)
class SubTypeCodes:
    """How one ACLED sub-event type reads in CAMEO and PLOVER (None: the scheme has no equivalent)."""

    event_type: str
    sub_event_type: str
    cameo: str | None
    plover: str | None
    roles: str
    plover_mode: tuple[str, ...]
    plover_context: tuple[str, ...]


@dataclass(frozen=True)
class ExportCodes:
    goldstein: dict[str, float]
    cameo_roots: dict[str, tuple[str, int]]  # root code -> (name, quad class)
    plover_categories: dict[str, tuple[int, float]]  # category -> (quad code, scale)
    sub_types: dict[str, SubTypeCodes]
    categories: dict[str, dict[str, str]]  # ACLED category -> {"cameo", "plover", "ucdp"}
    kinds: dict[str, dict[str, str]]  # actor kind -> {"cameo", "plover"} overrides
    ucdp: dict[str, Any]
    plover_schema: dict[str, Any]

    def quad_class(self, cameo: str) -> int:
        return self.cameo_roots[cameo[:2]][1]


def _text(name: str) -> str:
    return resources.files("marsad.knowledge").joinpath("data", name).read_text(encoding="utf-8")


def _json(name: str) -> dict[str, Any]:
    try:
        data = json.loads(_text(name))
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"{name}:{exc.lineno}: malformed JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(f"{name}: expected a JSON object at the top")
    return data


def parse_goldstein(text: str, source: str = "cameo_goldstein.tsv") -> dict[str, float]:
    """``code<TAB>value`` lines after a ``code<TAB>goldstein`` header; ``#`` lines are comments."""
    out: dict[str, float] = {}
    header_seen = False
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if not header_seen:
            if parts != ["code", "goldstein"]:
                raise KnowledgeError(f"{source}:{n}: expected the header 'code<TAB>goldstein'")
            header_seen = True
            continue
        if len(parts) != 2:
            raise KnowledgeError(f"{source}:{n}: expected 2 tab-separated fields, got {len(parts)}")
        code, raw = parts
        if not _CODE.match(code):
            raise KnowledgeError(f"{source}:{n}: CAMEO code {code!r} is not 2 to 4 digits")
        if code in out:
            raise KnowledgeError(f"{source}:{n}: CAMEO code {code} listed twice")
        try:
            value = float(raw)
        except ValueError:
            raise KnowledgeError(f"{source}:{n}: Goldstein value {raw!r} is not a number") from None
        if not -10.0 <= value <= 10.0:
            raise KnowledgeError(f"{source}:{n}: Goldstein value {value} is outside -10..10")
        if code[:2] not in out and len(code) > 2:
            raise KnowledgeError(f"{source}:{n}: code {code} comes before its root {code[:2]}")
        out[code] = value
    if not out:
        raise KnowledgeError(f"{source}: no codes")
    return out


def _enum(schema: dict[str, Any], name: str) -> set[Any]:
    try:
        return set(schema["$defs"][name]["enum"])
    except (KeyError, TypeError):
        raise KnowledgeError(f"plover_event.schema.json: $defs.{name}.enum is missing") from None


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeError(f"export_codes.json: {where} must be a list of strings")
    if len(set(value)) != len(value):
        raise KnowledgeError(f"export_codes.json: {where} lists a value twice")
    return tuple(value)


def _check_keys(found: Any, expected: set[str], where: str) -> dict[str, Any]:
    if not isinstance(found, dict):
        raise KnowledgeError(f"export_codes.json: {where} must be an object")
    missing, extra = expected - set(found), set(found) - expected
    if missing or extra:
        raise KnowledgeError(
            f"export_codes.json: {where}: missing {sorted(missing) or 'none'}, "
            f"unknown {sorted(extra) or 'none'}"
        )
    return found


def build_codes(goldstein: dict[str, float], data: dict[str, Any], schema: dict[str, Any]) -> ExportCodes:
    """Cross-check the three files against each other and the taxonomy; raise on the first problem."""
    plover_cats, plover_modes, contexts = (
        _enum(schema, "category"),
        _enum(schema, "mode"),
        _enum(schema, "context"),
    )
    try:
        sectors = set(schema["$defs"]["actor"]["properties"]["sector"]["enum"]) - {None}
    except (KeyError, TypeError):
        raise KnowledgeError(
            "plover_event.schema.json: $defs.actor.properties.sector.enum is missing"
        ) from None

    roots = _check_keys(data.get("cameo_roots"), {f"{i:02d}" for i in range(1, 21)}, "cameo_roots")
    cameo_roots: dict[str, tuple[str, int]] = {}
    for code, row in roots.items():
        if code not in goldstein:
            raise KnowledgeError(f"export_codes.json: cameo_roots.{code} has no Goldstein value")
        if row.get("quad_class") not in (1, 2, 3, 4) or not isinstance(row.get("name"), str):
            raise KnowledgeError(f"export_codes.json: cameo_roots.{code} needs a name and a quad_class 1-4")
        cameo_roots[code] = (row["name"], row["quad_class"])

    cats = _check_keys(data.get("plover_categories"), plover_cats, "plover_categories")
    plover_categories: dict[str, tuple[int, float]] = {}
    modes_of: dict[str, set[str]] = {}
    for name, row in cats.items():
        quad, scale = row.get("quad_code"), row.get("scale")
        if quad not in (1, 2, 3, 4) or not isinstance(scale, int | float) or not -10 <= scale <= 10:
            raise KnowledgeError(
                f"export_codes.json: plover_categories.{name} needs quad_code 1-4 and scale -10..10"
            )
        modes_of[name] = set(_strings(row.get("modes"), f"plover_categories.{name}.modes"))
        plover_categories[name] = (quad, float(scale))
    if set().union(*modes_of.values()) != plover_modes:
        raise KnowledgeError("export_codes.json: the categories' modes differ from the schema's mode enum")

    taxonomy = {s.sub_event_type: s for s in load_taxonomy().sub_types}
    subs = _check_keys(data.get("sub_event_types"), set(taxonomy), "sub_event_types")
    sub_types: dict[str, SubTypeCodes] = {}
    for name, row in subs.items():
        tax = taxonomy[name]
        where = f"sub_event_types.{name}"
        if tax.cameo is not None and tax.cameo not in goldstein:
            raise KnowledgeError(f"event_types.json: {name}: CAMEO code {tax.cameo} has no Goldstein value")
        if tax.plover is not None and tax.plover not in plover_cats:
            raise KnowledgeError(f"event_types.json: {name}: {tax.plover!r} is not a PLOVER category")
        if row.get("roles") not in ROLES:
            raise KnowledgeError(f"export_codes.json: {where}.roles must be one of {', '.join(ROLES)}")
        mode = _strings(row.get("plover_mode"), f"{where}.plover_mode")
        context = _strings(row.get("plover_context"), f"{where}.plover_context")
        if mode and (tax.plover is None or not set(mode) <= modes_of[tax.plover]):
            raise KnowledgeError(
                f"export_codes.json: {where}.plover_mode {list(mode)} is not a mode of {tax.plover}"
            )
        if not set(context) <= contexts:
            raise KnowledgeError(f"export_codes.json: {where}.plover_context has an unknown PLOVER context")
        sub_types[name] = SubTypeCodes(
            tax.event_type, name, tax.cameo, tax.plover, row["roles"], mode, context
        )

    categories = _check_keys(data.get("categories"), set(CATEGORIES), "categories")
    for name, row in categories.items():
        _check_keys(row, {"cameo", "plover", "ucdp"}, f"categories.{name}")
        if (
            row["plover"] not in sectors
            or row["ucdp"] not in UCDP_ROLES
            or not re.match(r"^[A-Z]{3}$", row["cameo"])
        ):
            raise KnowledgeError(f"export_codes.json: categories.{name} has an unknown code")
    kinds = data.get("kinds")
    if not isinstance(kinds, dict) or not set(kinds) <= set(KINDS):
        raise KnowledgeError("export_codes.json: kinds must map actor kinds (marsad.knowledge.actors.KINDS)")
    for name, row in kinds.items():
        _check_keys(row, {"cameo", "plover"}, f"kinds.{name}")
        if row["plover"] not in sectors:
            raise KnowledgeError(f"export_codes.json: kinds.{name}.plover is not a PLOVER sector")

    keys = {"event_types", "government_name", "civilians_name", "where_prec", "date_prec"}
    ucdp = _check_keys(data.get("ucdp"), keys | {"regions_by_continent", "regions_by_country"}, "ucdp")
    if set(ucdp["date_prec"]) != set(PRECISIONS) or set(ucdp["where_prec"]) != {"1", "2", "3", "country"}:
        raise KnowledgeError(
            "export_codes.json: ucdp.date_prec / where_prec must cover every marsad precision"
        )
    if not set(ucdp["event_types"]) <= {s.event_type for s in taxonomy.values()}:
        raise KnowledgeError("export_codes.json: ucdp.event_types has a type outside ACLED's")
    if "{country}" not in ucdp["government_name"]:
        raise KnowledgeError("export_codes.json: ucdp.government_name must contain {country}")
    return ExportCodes(goldstein, cameo_roots, plover_categories, sub_types, categories, kinds, ucdp, schema)


@functools.lru_cache(maxsize=1)
def load_codes() -> ExportCodes:
    """The shipped files, checked (cached: they do not change while marsad runs)."""
    goldstein = parse_goldstein(_text("cameo_goldstein.tsv"))
    return build_codes(goldstein, _json("export_codes.json"), _json("plover_event.schema.json"))
