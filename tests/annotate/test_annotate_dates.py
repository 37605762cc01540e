"""Date expressions resolved against the publish date, with TIMEX3-style values."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from marsad.annotate.dates import DateMention, event_dates
from marsad.annotate.pipeline import Annotator, load_model
from marsad.annotate.timex import find_timexes
from marsad.model import Article

SUNDAY = date(2018, 6, 10)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


def find_dates(nlp: Language, text: str, dct: date | None) -> list[DateMention]:
    """The event dates extraction reads: the calendar view of the TIMEX3 layer."""
    return event_dates(find_timexes(text, dct, nlp(text)))


@pytest.mark.parametrize(
    ("text", "timex", "precision"),
    [
        ("on Friday", "2018-06-08", "day"),
        ("late on Monday", "2018-06-04", "day"),
        ("Saturday", "2018-06-09", "day"),
        ("on Sunday", "2018-06-10", "day"),  # the publish day itself
        ("yesterday", "2018-06-09", "day"),
        ("overnight", "2018-06-10", "day"),  # the night that ended on the morning of the report
        ("on Saturday night", "2018-06-09", "day"),
        ("last week", "2018-W22", "week"),
        ("on 3 June", "2018-06-03", "day"),
        ("on June 3", "2018-06-03", "day"),
        ("in May", "2018-05", "month"),
        ("earlier this month", "2018-06", "month"),
        ("on March 4, 2019", "2019-03-04", "day"),
        ("in November 2017", "2017-11", "month"),
        ("in 2014", "2014", "year"),
        ("in mid-May", "2018-05", "month"),
        ("in mid-2015", "2015", "year"),
        ("on 20 December", "2017-12-20", "day"),  # a later day of the year is last year's
        ("last spring", "2018", "year"),  # coarser than a month: a year for an event
        ("two days ago", "2018-06-08", "day"),
    ],
)
def test_forms_resolve_against_the_publish_date(nlp: Language, text: str, timex: str, precision: str) -> None:
    (found,) = find_dates(nlp, f"Fighting broke out {text} near the town.", SUNDAY)
    assert (found.timex, found.precision) == (timex, precision)


def test_relative_dates_without_a_publish_date_stay_unknown(nlp: Language) -> None:
    found = find_dates(nlp, "Clashes erupted late on Monday and again last week.", None)
    assert [(d.kind, d.form_precision) for d in found] == [("weekday", "day"), ("relunit", "week")]
    assert all(d.value is None and d.timex is None for d in found)


def test_full_dates_need_no_publish_date(nlp: Language) -> None:
    (found,) = find_dates(nlp, "The town fell on March 4, 2019.", None)
    assert (found.timex, found.kind) == ("2019-03-04", "full")


def test_background_forms_are_marked(nlp: Language) -> None:
    found = find_dates(nlp, "IS has held the area since May and fought for months.", SUNDAY)
    assert [(d.text, d.background) for d in found] == [("May", True), ("months", True)]


def test_a_day_that_starts_the_news_is_not_history(nlp: Language) -> None:
    (found,) = find_dates(nlp, "Fighting since Wednesday has killed 30.", SUNDAY)
    assert (found.timex, found.background) == ("2018-06-06", False)


@pytest.mark.parametrize(
    "text", ["The fighting over the past 24 hours killed 30.", "Shelling killed 84 people in three days."]
)
def test_a_recent_window_is_news_not_history(nlp: Language, text: str) -> None:
    (found,) = find_dates(nlp, text, SUNDAY)
    assert (found.kind, found.recent, found.background) == ("duration", True, False)


def test_references_sets_and_measures_date_nothing(nlp: Language) -> None:
    text = "Patrols now pass every Friday; it is a two-hour drive, and residents fled years ago."
    assert [(d.text, d.recent, d.background) for d in find_dates(nlp, text, SUNDAY)] == [
        ("two-hour", False, False)
    ]


# --- the TIMEX3 layer (marsad.annotate.timex) -------------------------------------------


def _timexes(nlp: Language, text: str, dct: date | None = SUNDAY) -> list[tuple[str, str, str | None]]:
    return [(t.text, t.type, t.value) for t in find_timexes(text, dct, nlp(text))]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # prepositions are signals, outside the extent; modifiers and determiners inside
        ("Rebels shelled the town on Friday.", ("Friday", "DATE", "2018-06-08")),
        ("The convoy was ambushed last Tuesday.", ("last Tuesday", "DATE", "2018-06-05")),
        ("Raids resumed late on Monday.", ("Monday", "DATE", "2018-06-04")),
        ("The bridge was blown up on Saturday night.", ("Saturday night", "DATE", "2018-06-09TNI")),
        ("Troops withdrew in April.", ("April", "DATE", "2018-04")),
        ("The siege began in early December.", ("early December", "DATE", "2017-12")),
        ("Talks collapsed in mid-May.", ("mid-May", "DATE", "2018-05")),
        ("Aid arrived earlier this week.", ("this week", "DATE", "2018-W23")),
        ("Aid arrived last week.", ("last week", "DATE", "2018-W22")),
        ("The ceasefire broke down last month.", ("last month", "DATE", "2018-05")),
        ("Elections were held last year.", ("last year", "DATE", "2017")),
        ("The camp was set up two years ago.", ("two years ago", "DATE", "2016")),
        ("A drone was downed three days ago.", ("three days ago", "DATE", "2018-06-07")),
        ("The militia took the valley six months ago.", ("six months ago", "DATE", "2017-12")),
        ("The offensive started in 2014.", ("2014", "DATE", "2014")),
        ("The dispute goes back to the 1990s.", ("1990s", "DATE", "199X")),
        ("Shelters filled last winter.", ("last winter", "DATE", "2017-WI")),
        ("Exports fell in the first quarter of 2017.", ("the first quarter of 2017", "DATE", "2017-Q1")),
        ("Arrests rose in the second half of 2016.", ("the second half of 2016", "DATE", "2016-H2")),
        ("The port reopened on 4 March 2019.", ("4 March 2019", "DATE", "2019-03-04")),
        ("The port reopened on March 4, 2019.", ("March 4, 2019", "DATE", "2019-03-04")),
        ("Fighting flared yesterday.", ("yesterday", "DATE", "2018-06-09")),
        ("Sirens sounded this morning.", ("this morning", "TIME", "2018-06-10TMO")),
        ("The blast came at 10:30 p.m. on Friday.", ("10:30 p.m", "TIME", "2018-06-08T22:30")),
        ("Gunmen attacked at dawn on Thursday.", ("dawn", "TIME", "2018-06-07TMO")),
        ("Jets struck the town overnight.", ("overnight", "TIME", "2018-06-09TNI")),
        ("Jets struck the town overnight on Thursday.", ("overnight", "TIME", "2018-06-07TNI")),
        ("The curfew will start at 9 a.m. Tuesday.", ("9 a.m. Tuesday", "TIME", "2018-06-12T09:00")),
        ("Protests are held every Friday.", ("every Friday", "SET", "XXXX-WXX-5")),
        ("Patrols pass through the village daily.", ("daily", "SET", "P1D")),
        ("Residents were trapped for three days.", ("three days", "DURATION", "P3D")),
        ("The standoff lasted two hours.", ("two hours", "DURATION", "PT2H")),
        ("It took a five-hour drive to reach them.", ("five-hour", "DURATION", "PT5H")),
        ("The wait was 5 1/2 hours long.", ("5 1/2 hours", "DURATION", "PT5H30M")),
        (
            "The town has changed hands twice over the past three years.",
            ("the past three years", "DURATION", "P3Y"),
        ),
        ("The valley has been contested for years.", ("years", "DURATION", "PXY")),
        ("The hostages were held for at least 72 hours.", ("at least 72 hours", "DURATION", "PT72H")),
        ("The town is calm now.", ("now", "DATE", "PRESENT_REF")),
        ("More attacks may follow in the future.", ("the future", "DATE", "FUTURE_REF")),
        ("Families gathered on Christmas Eve.", ("Christmas Eve", "DATE", "2017-12-24")),
    ],
)
def test_timex_extents_types_and_values(nlp: Language, sentence: str, expected: tuple[str, str, str]) -> None:
    assert expected in _timexes(nlp, sentence)


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The delegation will arrive on Tuesday.", "2018-06-12"),  # future: the coming Tuesday
        ("The delegation arrived on Tuesday.", "2018-06-05"),  # past: the last one
        ("Talks are expected to resume on Thursday.", "2018-06-14"),
        ("The deadline was extended until Wednesday.", "2018-06-13"),
        ("Voting will take place in January.", "2019-01"),  # a month the future points to
        ("The governor was killed in December.", "2017-12"),  # the past one
        ("A summit is planned for September.", "2018-09"),
    ],
)
def test_the_tense_of_the_verb_chooses_past_or_future(nlp: Language, sentence: str, value: str) -> None:
    (found,) = [t for t in find_timexes(sentence, SUNDAY, nlp(sentence)) if t.type == "DATE"]
    assert found.value == value


def test_a_month_and_day_without_year_take_the_nearest_year(nlp: Language) -> None:
    text = "The court set a hearing for Jan. 14, and the ruling of Dec. 20 stands."
    values = [t.value for t in find_timexes(text, date(2018, 1, 5), nlp(text))]
    assert values == ["2018-01-14", "2017-12-20"]


def test_anaphoric_days_lean_on_the_last_date(nlp: Language) -> None:
    text = "The town fell on March 4, 2019. The next day, the army retook it. Later that year, talks began."
    values = [(t.text, t.value) for t in find_timexes(text, SUNDAY, nlp(text))]
    assert values == [
        ("March 4, 2019", "2019-03-04"),
        ("The next day", "2019-03-05"),
        ("Later that year", "2019"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "At least 1800 people died and 2000 were wounded.",
        "The death toll rose to 2015.",
        "Resolution 2254 holds.",
    ],
)
def test_counts_of_four_digits_are_not_years(nlp: Language, sentence: str) -> None:
    assert _timexes(nlp, sentence) == []


def test_ages_in_words_are_not_durations(nlp: Language) -> None:
    assert _timexes(nlp, "The boy, 12 years old, was killed; his father was 40 years of age.") == []


def test_ages_and_counts_are_not_temporal(nlp: Language) -> None:
    text = "A 12-year-old boy and 1500 soldiers were among the 2,000 people at the March for Justice."
    assert _timexes(nlp, text) == []


def test_without_a_creation_time_a_head_date_stands_for_it(nlp: Language) -> None:
    text = "Sun 16 Apr 2017 08.15 BST\n\nAirstrikes hit the market on Saturday."
    assert ("Saturday", "DATE", "2017-04-15") in _timexes(nlp, text, None)


def test_without_any_creation_time_relative_values_stay_unknown(nlp: Language) -> None:
    found = _timexes(nlp, "Clashes erupted on Monday and again last week.", None)
    assert [(text, value) for text, _, value in found] == [("Monday", "XXXX-WXX-1"), ("last week", None)]


def test_annotate_prints_the_timex_layer() -> None:
    text = "Shelling killed four on Friday night. The town had been besieged for two weeks."
    row = Annotator().annotate(Article("t", text, publish_date=SUNDAY)).to_dict()
    assert [(d["text"], d["type"], d["value"], d["precision"]) for d in row["dates"]] == [
        ("Friday night", "DATE", "2018-06-08TNI", "day"),
        ("two weeks", "DURATION", "P2W", None),
    ]


def test_the_present_is_no_sign_of_the_future(nlp: Language) -> None:
    caption = "Soldiers drive past the citadel in April."  # a caption's present
    assert _timexes(nlp, caption, date(2016, 7, 10)) == [("April", "DATE", "2016-04")]
    mistagged = "Regime airstrikes on Saturday on the town have killed three."  # "airstrikes" read as a verb
    assert _timexes(nlp, mistagged, date(2016, 6, 19)) == [("Saturday", "DATE", "2016-06-18")]


def test_a_weekday_plural_is_a_set_only_after_on(nlp: Language) -> None:
    assert ("Fridays", "SET", "XXXX-WXX-5") in _timexes(nlp, "The market is shut on Fridays.")
    # text stripped of apostrophes: "Tuesdays executions" is Tuesday's
    assert ("Tuesdays", "DATE", "2018-06-05") in _timexes(
        nlp, "Tuesdays executions took place in the village."
    )


def test_the_signal_says_how_an_expression_relates_to_its_clause(nlp: Language) -> None:
    text = "Rebels have held the pass since May and will stay until the end of the year."
    found = [(t.text, t.signal) for t in find_timexes(text, SUNDAY, nlp(text))]
    assert found == [("May", "since"), ("the end of the year", "until")]


def test_that_day_after_a_month_is_a_day_of_that_month(nlp: Language) -> None:
    text = "The doctor was shot last October. His name was crossed out that same day."
    values = [t.value for t in find_timexes(text, SUNDAY, nlp(text))]
    assert values == ["2017-10", "2017-10-XX"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The town was shelled on the eve of Eid al-Adha.", ("Eid al-Adha", "DATE", "2018-08-22")),
        ("Prisoners will be freed before Eid al-Adha.", ("Eid al-Adha", "DATE", "2019-08-12")),
        ("Attacks rose during Ramadan.", ("Ramadan", "DATE", "2019-05")),  # the month of its middle
        ("The truce held through Ramadan 2018.", ("Ramadan 2018", "DATE", "2018-05")),
    ],
)
def test_islamic_holidays_follow_the_hijri_calendar(nlp: Language, sentence: str, expected: tuple) -> None:
    assert expected in _timexes(nlp, sentence, date(2019, 6, 20))


def test_year_ranges_and_seasons_after_a_preposition(nlp: Language) -> None:
    found = _timexes(nlp, "The group held the city in 2014-2016 and lost it in the spring.", date(2019, 7, 1))
    assert found == [("2014", "DATE", "2014"), ("2016", "DATE", "2016"), ("the spring", "DATE", "2019-SP")]
    assert _timexes(nlp, "The Arab Spring began in Tunisia.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Saturday's blast killed nine.", ("Saturday", "DATE", "2018-06-09")),
        (
            "The town fell on June 2. The previous evening, rebels shelled it.",
            ("The previous evening", "DATE", "2018-06-01TEV"),
        ),
        ("Protests spread at the weekend.", ("the weekend", "DATE", "2018-W23-WE")),
        (
            "Profits fell in the third quarter of fiscal 2017.",
            ("the third quarter of fiscal 2017", "DATE", "2017-Q3"),
        ),
        ("Revenue rose in the fourth quarter.", ("the fourth quarter", "DATE", "2017-Q4")),
        ("Fighting resumed in late summer.", ("late summer", "DATE", "2017-SU")),
        ("He was detained in the first half of the year.", ("the first half of the year", "DATE", "2018-H1")),
        ("Clashes erupted two weeks ago.", ("two weeks ago", "DATE", "2018-W21")),
        ("Earlier this month, 12 died.", ("this month", "DATE", "2018-06")),
        ("Sales fell in the current quarter.", ("the current quarter", "DATE", "2018-Q2")),
        ("Sales fell last quarter.", ("last quarter", "DATE", "2018-Q1")),
        ("Prices rose over the past year.", ("the past year", "DURATION", "P1Y")),
    ],
)
def test_relative_and_anaphoric_forms(nlp: Language, sentence: str, expected: tuple) -> None:
    assert expected in _timexes(nlp, sentence)


def test_the_lexicon_loads_strictly(tmp_path: Path) -> None:
    from marsad.annotate.timex_lexicon import DATA, load_lexicon
    from marsad.errors import KnowledgeError

    good = json.loads(DATA.read_text(encoding="utf-8"))
    assert load_lexicon(DATA).weekday_holidays["election day"] == (11, 0, 1, 1)
    bad = dict(good, fixed_holidays={"christmas": "25-12"})
    (tmp_path / "timex.json").write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"timex.json: fixed_holidays 'christmas': '25-12' is not MM-DD"):
        load_lexicon(tmp_path / "timex.json")
    del good["units"]
    (tmp_path / "timex.json").write_text(json.dumps(good), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"timex.json: 'units' must be a dict"):
        load_lexicon(tmp_path / "timex.json")


@settings(max_examples=60, deadline=None)
@given(
    month=st.sampled_from(["Jan", "Feb", "Sept", "September", "Nov", "April", "June"]),
    day=st.integers(min_value=0, max_value=40),
    dct=st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
)
def test_impossible_days_are_no_dates_and_no_crash(nlp: Language, month: str, day: int, dct: date) -> None:
    # "Sept 31" is no day of any year: the layer must skip it, never fail the article
    found = _timexes(nlp, f"The attack in Mogadishu on {month} {day} killed five.", dct)
    for _text, _type, value in found:
        if value and len(value) == 10:
            date.fromisoformat(value)


@pytest.mark.parametrize(
    ("sentence", "dct", "expected"),
    [
        # the second day of a pair is a date of its own, in the first one's month
        (
            "Delegates will meet in Vienna on May 12 and 13.",
            date(2020, 5, 1),
            [("May 12", "2020-05-12"), ("13", "2020-05-13")],
        ),
        (
            "The fair runs on 7 and 8 October.",
            date(2020, 9, 20),
            [("7", "2020-10-07"), ("8 October", "2020-10-08")],
        ),
        # "pre-"/"post-" keep the year they bound
        ("Residents recall the pre-2011 borders.", date(2020, 5, 1), [("pre-2011", "2011")]),
        # a day counted from the date that follows it, not from the last one
        (
            "The town fell on March 2. The day after Friday's vote, crowds gathered.",
            date(2020, 3, 16),
            [("March 2", "2020-03-02"), ("The day after Friday", "2020-03-14")],
        ),
        # a holiday's week, in progress when the report is filed
        ("Pilgrims arrived as Easter week began.", date(2021, 3, 29), [("Easter week", "2021-W13")]),
        # a plan told in the past points to the nearest such day, before or after the report
        ("Protesters planned a rally on Saturday.", date(2021, 3, 19), [("Saturday", "2021-03-20")]),
        ("The delegation planned to arrive on Monday.", date(2021, 3, 19), [("Monday", "2021-03-22")]),
    ],
)
def test_pairs_bounds_compositions_and_plans(
    nlp: Language, sentence: str, dct: date, expected: list[tuple[str, str]]
) -> None:
    assert [(t.text, t.value) for t in find_timexes(sentence, dct, nlp(sentence))] == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The truce began at 7pm (1600 GMT) on Monday.",
            [("7pm", "2018-06-04T19:00"), ("Monday", "2018-06-04")],
        ),
        ("The camp was shelled on 24.05.2018.", [("24.05.2018", "2018-05-24")]),
        ("The camp was shelled on 15-05-2018.", [("15-05-2018", "2018-05-15")]),
        ("The camp was shelled on 5/24/2018.", [("5/24/2018", "2018-05-24")]),
        ("Families fled after fall of the town.", []),  # "fall" of a town, no season
    ],
)
def test_clock_figures_numeric_dates_and_a_fall(
    nlp: Language, sentence: str, expected: list[tuple[str, str]]
) -> None:
    assert [(t.text, t.value) for t in find_timexes(sentence, SUNDAY, nlp(sentence))] == expected


def test_overnight_dates_the_morning_it_ended(nlp: Language) -> None:
    (found,) = find_dates(nlp, "Jets struck the town overnight, rescuers said.", SUNDAY)
    assert (found.timex, found.kind) == ("2018-06-10", "overnight-dct")


def test_a_date_stamp_keeps_its_abbreviated_weekday(nlp: Language) -> None:
    # the whole stamp is one date, so "Mon" is never read as a place (Mon State)
    assert _timexes(nlp, "Mon Aug 15 2016 A car bomb killed 12 people.", None)[0] == (
        "Mon Aug 15 2016",
        "DATE",
        "2016-08-15",
    )
