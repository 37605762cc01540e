"""A behavioural test suite for the extractor, in the manner of CheckList (Ribeiro et al., 2020).

Templates written for marsad (no text from any evaluation corpus) are filled with places,
actors and numbers to give thousands of short reports, each with what an analyst would code:
the event type, who initiated it, who was on the other side, where, and the toll. Three kinds
of case:

- minimum functionality: every ACLED sub-event type in active, passive and nominal form, with
  and without a toll, in twenty countries on four continents, with generic and named actors
  and numbers in digits and in words;
- invariance: renaming the place or the group, or appending "No one was hurt.", must not change
  the type;
- directional: adding a sentence with a toll must set the count.

Expected actor names are ACLED's conventions ("Military Forces of Kenya", "Unidentified Armed
Group (Kenya)") and, for named groups, the canonical name in the knowledge base.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

#: (country name as ACLED spells it, ISO code, two towns, a named non-state group (alias, or None))
COUNTRIES: tuple[tuple[str, str, tuple[str, str], str | None], ...] = (
    ("Syria", "SY", ("Aleppo", "Homs"), "Islamic State"),
    ("Iraq", "IQ", ("Mosul", "Kirkuk"), "ISIS"),
    ("Yemen", "YE", ("Taiz", "Marib"), "Houthi rebels"),
    ("Afghanistan", "AF", ("Kandahar", "Jalalabad"), "Taliban"),
    ("Pakistan", "PK", ("Peshawar", "Quetta"), "Tehreek-e-Taliban Pakistan"),
    ("Nigeria", "NG", ("Maiduguri", "Kaduna"), "Boko Haram"),
    ("Somalia", "SO", ("Kismayo", "Baidoa"), "al-Shabaab"),
    ("Kenya", "KE", ("Garissa", "Mombasa"), None),
    ("Sudan", "SD", ("Nyala", "El Obeid"), "Rapid Support Forces"),
    ("Mali", "ML", ("Gao", "Timbuktu"), None),
    ("Democratic Republic of Congo", "CD", ("Bunia", "Goma"), None),
    ("Ethiopia", "ET", ("Gondar", "Bahir Dar"), "Fano militia"),
    ("Cameroon", "CM", ("Bamenda", "Maroua"), "Ambazonian separatists"),
    ("Colombia", "CO", ("Cucuta", "Medellin"), None),
    ("Mexico", "MX", ("Culiacan", "Tijuana"), None),
    ("Ukraine", "UA", ("Kharkiv", "Odesa"), None),
    ("Myanmar", "MM", ("Sittwe", "Mandalay"), "Arakan Army"),
    ("Philippines", "PH", ("Marawi", "Cotabato"), None),
    ("Libya", "LY", ("Misrata", "Benghazi"), None),
    ("Burkina Faso", "BF", ("Djibo", "Ouahigouya"), None),
)

NUMBERS = ((3, "three"), (7, "seven"), (12, "12"), (21, "21"))

ARMY, POLICE, UAG, CIVILIANS, PROTESTERS, RIOTERS = (
    "Military Forces of {country}",
    "Police Forces of {country}",
    "Unidentified Armed Group ({country})",
    "Civilians ({country})",
    "Protesters ({country})",
    "Rioters ({country})",
)
GROUP = "{group}"  # the named group of the country, or gunmen (an unidentified armed group) where none


@dataclass(frozen=True)
class Template:
    """One way of telling one kind of event."""

    sub_event_types: tuple[str, ...]  # what an analyst may code (the first is the usual choice)
    form: str  # active, passive, nominal, headline (a passive without "were")
    text: str  # {town}, {n}, {N} (number at the start of a sentence), {group}, {Group}
    actor1: str | None
    actor2: str | None
    toll: bool  # the text gives a death toll {n}


T = Template
ATTACK = ("Attack",)
CLASH = ("Armed clash",)

TEMPLATES: tuple[Template, ...] = (
    # Battles
    T(
        CLASH,
        "active",
        "Soldiers clashed with {group} near {town} on Monday, killing {n} of them.",
        ARMY,
        GROUP,
        True,
    ),
    T(CLASH, "active", "Soldiers clashed with {group} near {town} on Monday.", ARMY, GROUP, False),
    T(CLASH, "passive", "An army post near {town} was attacked by {group} on Monday.", GROUP, ARMY, False),
    T(
        CLASH,
        "passive",
        "{N} soldiers were killed when an army post near {town} was attacked by {group}.",
        GROUP,
        ARMY,
        True,
    ),
    T(
        CLASH,
        "nominal",
        "Heavy fighting between troops and {group} was reported near {town} on Monday.",
        ARMY,
        GROUP,
        False,
    ),
    T(
        CLASH,
        "nominal",
        "Fighting between troops and {group} near {town} left {n} people dead on Monday.",
        ARMY,
        GROUP,
        True,
    ),
    T(CLASH, "headline", "{N} soldiers killed in ambush near {town} on Monday.", UAG, ARMY, True),
    T(
        CLASH,
        "active",
        "{Group} attacked a military checkpoint near {town} on Monday, killing {n} soldiers.",
        GROUP,
        ARMY,
        True,
    ),
    T(
        ("Non-state actor overtakes territory",),
        "active",
        "{Group} captured the town of {town} from the army on Sunday.",
        GROUP,
        ARMY,
        False,
    ),
    T(
        ("Government regains territory",),
        "active",
        "The army recaptured the town of {town} from {group} on Sunday.",
        ARMY,
        GROUP,
        False,
    ),
    T(
        ("Government regains territory",),
        "passive",
        "The town of {town} was retaken by government troops from {group} on Sunday.",
        ARMY,
        GROUP,
        False,
    ),
    # Explosions/Remote violence
    T(
        ("Air/drone strike",),
        "active",
        "Military aircraft bombed a market in {town} on Tuesday, killing {n} people.",
        ARMY,
        CIVILIANS,
        True,
    ),
    T(
        ("Air/drone strike",),
        "nominal",
        "An air strike on a market in {town} killed {n} people on Tuesday.",
        ARMY,
        CIVILIANS,
        True,
    ),
    T(
        ("Air/drone strike",),
        "passive",
        "A market in {town} was hit by an air strike on Tuesday. No one was hurt.",
        ARMY,
        None,
        False,
    ),
    T(
        ("Shelling/artillery/missile attack",),
        "active",
        "Army artillery shelled {town} on Wednesday, killing {n} civilians.",
        ARMY,
        CIVILIANS,
        True,
    ),
    T(
        ("Shelling/artillery/missile attack",),
        "passive",
        "{N} civilians were killed when rockets were fired at {town} on Wednesday.",
        None,
        CIVILIANS,
        True,
    ),
    T(
        ("Shelling/artillery/missile attack",),
        "nominal",
        "A rocket attack on {town} caused damage on Wednesday but no casualties.",
        None,
        None,
        False,
    ),
    T(
        ("Remote explosive/landmine/IED",),
        "active",
        "A roadside bomb killed {n} soldiers near {town} on Thursday.",
        UAG,
        ARMY,
        True,
    ),
    T(
        ("Remote explosive/landmine/IED",),
        "passive",
        "A car bomb was detonated outside a hotel in {town} on Thursday. No one was hurt.",
        UAG,
        None,
        False,
    ),
    T(
        ("Remote explosive/landmine/IED",),
        "nominal",
        "A bomb explosion at a bus station in {town} killed {n} people on Thursday.",
        UAG,
        CIVILIANS,
        True,
    ),
    T(
        ("Suicide bomb",),
        "active",
        "A suicide bomber blew himself up at a checkpoint in {town} on Friday, killing {n} policemen.",
        UAG,
        POLICE,
        True,
    ),
    T(
        ("Suicide bomb",),
        "nominal",
        "A suicide bombing at a mosque in {town} killed {n} worshippers on Friday.",
        UAG,
        CIVILIANS,
        True,
    ),
    T(
        ("Grenade",),
        "active",
        "Attackers threw a grenade at a police station in {town} on Friday. No one was hurt.",
        UAG,
        POLICE,
        False,
    ),
    # Violence against civilians
    T(ATTACK, "active", "Gunmen shot dead {n} villagers in {town} on Saturday.", UAG, CIVILIANS, True),
    T(
        ATTACK,
        "passive",
        "{N} villagers were shot dead by gunmen in {town} on Saturday.",
        UAG,
        CIVILIANS,
        True,
    ),
    T(
        ATTACK,
        "nominal",
        "The killing of {n} villagers by gunmen in {town} on Saturday drew condemnation.",
        UAG,
        CIVILIANS,
        True,
    ),
    T(
        ATTACK,
        "active",
        "{Group} attacked a village near {town} on Saturday, killing {n} civilians.",
        GROUP,
        CIVILIANS,
        True,
    ),
    T(
        ATTACK,
        "active",
        "Gunmen opened fire on a bus near {town} on Saturday. No one was hurt.",
        UAG,
        None,
        False,
    ),
    T(
        ("Abduction/forced disappearance",),
        "active",
        "Gunmen kidnapped {n} aid workers near {town} on Sunday.",
        UAG,
        CIVILIANS,
        False,
    ),
    T(
        ("Abduction/forced disappearance",),
        "passive",
        "{N} students were abducted by gunmen in {town} on Sunday.",
        UAG,
        CIVILIANS,
        False,
    ),
    T(
        ("Abduction/forced disappearance",),
        "nominal",
        "The abduction of {n} students by {group} in {town} on Sunday was condemned.",
        GROUP,
        CIVILIANS,
        False,
    ),
    T(
        ("Sexual violence",),
        "active",
        "Soldiers raped {n} women in a village near {town} on Sunday.",
        ARMY,
        CIVILIANS,
        False,
    ),
    # Demonstrations
    T(
        ("Peaceful protest",),
        "active",
        "Hundreds of protesters marched in {town} on Monday to demand higher wages.",
        PROTESTERS,
        None,
        False,
    ),
    T(
        ("Peaceful protest",),
        "passive",
        "A protest against rising fuel prices was held in {town} on Monday.",
        PROTESTERS,
        None,
        False,
    ),
    T(
        ("Peaceful protest",),
        "nominal",
        "Thousands joined a demonstration in {town} on Monday against the new tax.",
        PROTESTERS,
        None,
        False,
    ),
    T(
        ("Peaceful protest",),
        "active",
        "Teachers went on strike in {town} on Monday over unpaid salaries.",
        PROTESTERS,
        None,
        False,
    ),
    T(
        ("Peaceful protest",),
        "active",
        "Lawyers staged a sit-in outside the court in {town} on Monday.",
        PROTESTERS,
        None,
        False,
    ),
    T(
        ("Violent demonstration",),
        "active",
        "Rioters torched cars and threw stones at police in {town} on Tuesday.",
        RIOTERS,
        POLICE,
        False,
    ),
    T(
        ("Violent demonstration",),
        "active",
        "Students and police clashed in {town} on Tuesday over the closure of a university.",
        RIOTERS,
        POLICE,
        False,
    ),
    T(
        ("Violent demonstration",),
        "active",
        "Jobless youths burned tyres and threw stones in {town} on Tuesday to demand work.",
        RIOTERS,
        None,
        False,
    ),
    T(
        ("Mob violence",),
        "active",
        "A mob lynched a suspected thief in {town} on Tuesday.",
        RIOTERS,
        CIVILIANS,
        False,
    ),
    # Strategic developments
    T(
        ("Arrests",),
        "active",
        "Police arrested {n} opposition activists in {town} on Wednesday.",
        POLICE,
        None,
        False,
    ),
    T(
        ("Arrests",),
        "passive",
        "{N} opposition activists were arrested by police in {town} on Wednesday.",
        POLICE,
        None,
        False,
    ),
    T(
        ("Looting/property destruction",),
        "active",
        "Gunmen looted shops and burned down houses in {town} on Wednesday.",
        UAG,
        None,
        False,
    ),
    T(
        ("Disrupted weapons use",),
        "active",
        "Police defused a bomb planted near a school in {town} on Thursday.",
        POLICE,
        None,
        False,
    ),
    T(
        ("Agreement",),
        "active",
        "The army and {group} agreed a ceasefire in {town} on Thursday.",
        ARMY,
        GROUP,
        False,
    ),
)

#: Appended to a report without a toll: the event must survive it (invariance).
NO_HARM = " No one was hurt."
#: Appended to a report without a toll: the count must follow it (directional).
TOLL_SENTENCE = " {N} people were killed in the attack, officials said."


@dataclass
class Case:
    capability: str
    text: str
    sub_event_types: tuple[str, ...]
    actor1: str | None
    actor2: str | None
    town: str
    country: str
    fatalities: int | None  # None: not checked
    key: str = ""
    checks: tuple[str, ...] = field(default=("type", "actor1", "actor2", "place", "count"))


def _fill(text: str, town: str, n: tuple[int, str], group: str) -> str:
    words = n[1]
    return text.format(
        town=town, n=words, N=words[:1].upper() + words[1:], group=group, Group=group[:1].upper() + group[1:]
    )


def _actor(slot: str | None, country: str, group_name: str) -> str | None:
    if slot is None:
        return None
    if slot == GROUP:
        return group_name
    return slot.format(country=country)


def cases(canonical: dict[str, str]) -> list[Case]:
    """Every case of the suite. ``canonical`` maps a group's alias to its canonical name."""
    out: list[Case] = []
    for (country, _cc, towns, group), template in itertools.product(COUNTRIES, TEMPLATES):
        named = group is not None and "{group}" in template.text.lower()
        variants = [("gunmen", UAG.format(country=country))]
        if named and group is not None:
            variants.append((group, canonical[group]))
        for (alias, name), town, n in itertools.product(
            variants, towns, NUMBERS[:2] if template.toll else NUMBERS[:1]
        ):
            text = _fill(template.text, town, n, alias)
            a1 = _actor(template.actor1, country, name)
            a2 = _actor(template.actor2, country, name)
            base = dict(
                sub_event_types=template.sub_event_types, actor1=a1, actor2=a2, town=town, country=country
            )
            key = f"{template.sub_event_types[0]}/{template.form}/{country}/{town}/{alias}/{n[0]}"
            out.append(
                Case(
                    f"{template.sub_event_types[0]} ({template.form})",
                    text,
                    fatalities=n[0] if template.toll else 0,
                    key=key,
                    **base,
                )
            )
            if not template.toll and NO_HARM.strip() not in text:
                out.append(
                    Case(
                        "invariance: appending 'No one was hurt.'",
                        text + NO_HARM,
                        fatalities=0,
                        key=key + "/noharm",
                        checks=("type",),
                        **base,
                    )
                )
            if not template.toll and template.sub_event_types[0] in VIOLENT and "No one" not in text:
                toll = NUMBERS[2]
                out.append(
                    Case(
                        "directional: a toll sentence sets the count",
                        text + _fill(TOLL_SENTENCE, town, toll, alias),
                        fatalities=toll[0],
                        key=key + "/toll",
                        checks=("count",),
                        **base,
                    )
                )
    # invariance: another town of the same country, another group name, same type
    for (country, _cc, towns, group), template in itertools.product(COUNTRIES, TEMPLATES):
        if group is None or "{group}" not in template.text.lower():
            continue
        for alias in ("gunmen", group):
            text = _fill(template.text, towns[1], NUMBERS[0], alias)
            out.append(
                Case(
                    "invariance: renaming the place and the group",
                    text,
                    template.sub_event_types,
                    None,
                    None,
                    towns[1],
                    country,
                    None,
                    key=f"rename/{template.text[:20]}/{country}/{alias}",
                    checks=("type",),
                )
            )
    return out


VIOLENT = frozenset(
    {
        "Armed clash",
        "Attack",
        "Air/drone strike",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Suicide bomb",
        "Grenade",
    }
)


def same_actor(expected: str, got: str | None) -> bool:
    """ACLED names compared without the period in brackets: "Military Forces of Iraq (2003-)"."""
    if got is None:
        return False

    def bare(name: str) -> str:
        name = re.sub(r"\s*\((?:\d{4}-(?:\d{4})?)\)\s*$", "", name).strip().lower()
        return name.replace(" of the ", " of ")  # "Military Forces of the Democratic Republic of Congo"

    if bare(expected).startswith("military forces of "):
        # the national military under whichever government the knowledge base names for the
        # country: "Military Forces of Libya (2021-) Government of National Unity"
        got_bare = re.sub(r"\s*\(\d{4}-(?:\d{4})?\)", "", got).strip().lower().replace(" of the ", " of ")
        return got_bare == bare(expected) or got_bare.startswith(bare(expected) + " ")
    return bare(expected) == bare(got)
