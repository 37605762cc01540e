"""Hand-made example articles and the events an analyst would code from them.

Short texts in the style of the seeds (AFP, Zaman Al Wasl, Reuters), with evidence
offsets computed from the quotes so they always point at the right words.
"""

from __future__ import annotations

from datetime import date

from marsad.model import Article, ArticleResult, Event, Source

ALBU_KAMAL = {
    "location": "Albu Kamal",
    "admin1": "Deir ez-Zor",
    "country": "Syria",
    "iso3": "SYR",
    "latitude": 34.45226,
    "longitude": 40.91854,
    "geonameid": 174448,
    "geo_precision": 1,
}

AFP_TEXT = (
    "BEIRUT (AFP) - Daesh lost ground Saturday in a town on the Syrian-Iraqi border after pro-regime "
    "forces repelled a major attack the day before, a Britain-based monitor said.\n\n"
    "On Friday, Daesh used at least 10 suicide bombers in its offensive on Albu Kamal, swiftly taking "
    "several of its neighbourhoods, the Syrian Observatory for Human Rights said.\n\n"
    "Pro-government reinforcements had arrived, Observatory head Rami Abdel Rahman said.\n\n"
    "The fighting in the town over the past 24 hours has killed 30 pro-regime fighters, "
    "the Observatory said. "
    "Twenty-one Daesh terrorists were also killed, according to the same source.\n\n"
    "It was the biggest attack on the town since the terrorist group lost it in November 2017."
)

ZAMAN_TEXT = (
    "(Zaman Al Wasl)- ISIS fighters have recaptured 6 villages from the regime forces near the Iraqi border "
    "in eastern Deir Ezzor province, the group's official news agency said on Tuesday.\n"
    "Daesh launched major attack on regime army and allied al-Quds militia late on Monday near Albu Kamal "
    "town, Amaq reported.\n"
    "At least 7 militants from al-Quds Brigade were killed and 14 more were wounded, "
    "pro-regime news feeds said.\n"
    "Zaman Al Wasl put the toll at 9 dead, citing a local source."
)

REUTERS_TEXT = (
    "MOSUL, Iraq (Reuters) - A car bomb exploded at an army checkpoint west of Mosul on Wednesday, killing "
    "four soldiers and wounding nine, police sources said.\n"
    "Islamic State claimed the attack through its Amaq news agency."
)

MANBIJ_TEXT = (
    "MANBIJ, Syria - Hundreds of people demonstrated in Manbij on Tuesday against the Turkish-US roadmap "
    "for the city, local activists said. No injuries were reported."
)


def src(article: Article, quote: str, claimant: str | None) -> Source:
    """A source whose offsets are found in the text, so a typo fails loudly here."""
    start = article.text.index(quote)
    return Source(article.article_id, article.publisher, claimant, quote, start, start + len(quote))


def example_results() -> list[ArticleResult]:
    afp = Article(
        "afp-albukamal-20180610",
        AFP_TEXT,
        title="Daesh loses ground in Albu Kamal",
        publisher="AFP",
        publish_date=date(2018, 6, 10),
        source_path="examples/afp.txt",
        dateline="BEIRUT",
    )
    zaman = Article(
        "zaman-albukamal-20171212",
        ZAMAN_TEXT,
        title="ISIS recaptures villages near Albu Kamal",
        publisher="Zaman Al Wasl",
        publish_date=date(2017, 12, 12),
    )
    reuters = Article(
        "reuters-mosul-20180315",
        REUTERS_TEXT,
        title="Car bomb kills four soldiers near Mosul",
        publisher="Reuters",
        publish_date=date(2018, 3, 15),
        url="https://example.org/mosul",
    )
    manbij = Article(
        "manbij-protest-20180605",
        MANBIJ_TEXT,
        title="Manbij residents protest roadmap",
        publisher="Hawar",
        publish_date=date(2018, 6, 6),
    )
    offensive = Event(
        "x1",
        event_date="2018-06-08",
        date_precision="day",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        actor1="Islamic State",
        actor2="Military Forces of Syria",
        assoc_actor_2=["Hezbollah"],
        **ALBU_KAMAL,
        fatalities=51,
        fatalities_low=51,
        fatalities_high=51,
        fatalities_by_actor={"Military Forces of Syria": 30, "Islamic State": 21},
        sources=[
            src(
                afp,
                "On Friday, Daesh used at least 10 suicide bombers in its offensive on Albu Kamal",
                "Syrian Observatory for Human Rights",
            ),
            src(afp, "has killed 30 pro-regime fighters", "Syrian Observatory for Human Rights"),
            src(afp, "Twenty-one Daesh terrorists were also killed", "Syrian Observatory for Human Rights"),
        ],
        notes="Islamic State attacked Albu Kamal with at least 10 suicide bombers and took neighbourhoods.",
    )
    repelled = Event(
        "x2",
        event_date="2018-06-09",
        date_precision="day",
        event_type="Battles",
        sub_event_type="Government regains territory",
        actor1="Military Forces of Syria",
        actor2="Islamic State",
        **ALBU_KAMAL,
        sources=[
            src(
                afp,
                "Daesh lost ground Saturday in a town on the Syrian-Iraqi border after pro-regime "
                "forces repelled a major attack",
                "Syrian Observatory for Human Rights",
            )
        ],
        notes="Pro-regime forces pushed Islamic State back to the western parts of Albu Kamal.",
    )
    reinforcements = Event(
        "x3",
        event_date="2018-06-09",
        date_precision="day",
        event_type="Strategic developments",
        sub_event_type="Change to group/activity",
        actor1="Military Forces of Syria",
        country="Syria",
        iso3="SYR",
        sources=[src(afp, "Pro-government reinforcements had arrived", "Rami Abdel Rahman")],
        notes="Government reinforcements arrived in the Albu Kamal area.",
    )
    near_albu_kamal = Event(
        "x4",
        event_date="2017-12-11",
        date_precision="day",
        event_type="Battles",
        sub_event_type="Non-state actor overtakes territory",
        actor1="Islamic State",
        actor2="Military Forces of Syria",
        assoc_actor_2=["Liwa al-Quds"],
        **{**ALBU_KAMAL, "latitude": 34.48, "longitude": 40.95, "geo_precision": 2},
        fatalities=7,
        fatalities_low=7,
        fatalities_high=9,
        wounded=14,
        fatalities_by_actor={"Liwa al-Quds": 7},
        sources=[
            src(
                zaman,
                "Daesh launched major attack on regime army and allied al-Quds militia late on Monday "
                "near Albu Kamal town",
                "Amaq",
            ),
            src(
                zaman,
                "At least 7 militants from al-Quds Brigade were killed and 14 more were wounded",
                "pro-regime news feeds",
            ),
            src(zaman, "put the toll at 9 dead", "Zaman Al Wasl"),
        ],
        notes="Islamic State attacked regime forces and Liwa al-Quds near Albu Kamal and took 6 villages.",
    )
    car_bomb = Event(
        "x5",
        event_date="2018-03-14",
        date_precision="day",
        event_type="Explosions/Remote violence",
        sub_event_type="Remote explosive/landmine/IED",
        actor1="Islamic State",
        actor2="Military Forces of Iraq",
        location="Mosul",
        admin1="Nineveh",
        country="Iraq",
        iso3="IRQ",
        latitude=36.335,
        longitude=43.11889,
        geonameid=99072,
        geo_precision=2,
        fatalities=4,
        fatalities_low=4,
        fatalities_high=4,
        wounded=9,
        sources=[
            src(
                reuters,
                "A car bomb exploded at an army checkpoint west of Mosul on Wednesday, killing "
                "four soldiers and wounding nine",
                "police sources",
            )
        ],
        notes="A car bomb killed four Iraqi soldiers at a checkpoint west of Mosul.",
    )
    protest = Event(
        "x6",
        event_date="2018-06-05",
        date_precision="day",
        event_type="Protests",
        sub_event_type="Peaceful protest",
        actor1="Protesters (Syria)",
        location="Manbij",
        admin1="Aleppo",
        country="Syria",
        iso3="SYR",
        latitude=36.5281,
        longitude=37.9549,
        geonameid=166365,
        geo_precision=1,
        sources=[src(manbij, "Hundreds of people demonstrated in Manbij on Tuesday", "local activists")],
        notes="Hundreds demonstrated in Manbij against the Turkish-US roadmap.",
    )
    return [
        ArticleResult(afp, [offensive, repelled, reinforcements]),
        ArticleResult(zaman, [near_albu_kamal]),
        ArticleResult(reuters, [car_bomb]),
        ArticleResult(manbij, [protest]),
    ]


N_EVENTS = 6
N_MAPPED = 5  # the reinforcements have no coordinates
