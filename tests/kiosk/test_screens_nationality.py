"""What a traveller reads is right for their nationality (issue 11 item 3), from the sample:
articles and checklist at Tashkent (UZ), Manas (KG) and Ashgabat (TM), article contacts that
agree with the help screen, pictures beside the checklist and the warning signs."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from content.cache import ContentCache
from kiosk.screens.article import ArticleScreen, build_article
from kiosk.screens.checklist import build_checklist
from kiosk.screens.help import build_help, repeats_banner
from kiosk.screens.place import Place, place_of

LANGUAGES = ("en", "ru", "uz", "uz-Cyrl", "ky", "tk")
AIRPORTS = {"TAS": "UZ", "FRU": "KG", "ASB": "TM"}
# The registration deadline in Russia (content/sample/FACT_CHECK.md): the item that starts with
# the bold number, in every language ("within **15 days**", "**15 дней**", "**15 kun**"...).
DEADLINES = {"UZ": "<b>15 ", "KG": "<b>30 ", "TM": "<b>7 "}


def _article(cache: ContentCache, place: Place, lang: str, dest: str, topic: str) -> ArticleScreen:
    strings = cache.ui_strings(lang)
    return build_article(cache, place, lang, strings, dest=dest, topic=topic, large_text=False)


def _texts(page: ArticleScreen) -> list[str]:
    return [r.text for r in page.rows_first + page.rows_rest]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("airport", list(AIRPORTS))
def test_each_nationality_reads_its_own_registration_deadline(
    cache: ContentCache, airport: str, lang: str
) -> None:
    place = place_of(cache, airport)
    assert place.nationality == AIRPORTS[airport]
    texts = _texts(_article(cache, place, lang, "RU", "entry-registration"))
    for nationality, deadline in DEADLINES.items():
        found = [t for t in texts if deadline in t]
        if nationality == place.nationality:
            assert len(found) == 1, (nationality, texts)
        else:
            assert found == [], (nationality, found)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_nationality_is_read_from_the_place_every_time(cache: ContentCache, lang: str) -> None:
    """A traveller at Tashkent who switches to Kyrgyzstan reads the Kyrgyz rules."""
    tas = place_of(cache, "TAS")
    switched = replace(tas, nationality="KG")
    texts = _texts(_article(cache, switched, lang, "RU", "entry-registration"))
    assert any(DEADLINES["KG"] in t for t in texts)
    assert not any(DEADLINES["UZ"] in t for t in texts)


def test_manas_does_not_read_the_uzbek_patent(cache: ContentCache) -> None:
    fru, tas, asb = (place_of(cache, a) for a in ("FRU", "TAS", "ASB"))
    kg = _texts(_article(cache, fru, "en", "RU", "working-legally"))
    uz = _texts(_article(cache, tas, "en", "RU", "working-legally"))
    tm = _texts(_article(cache, asb, "en", "RU", "working-legally"))
    assert "Citizens of Uzbekistan: the patent" in uz
    assert "Citizens of Uzbekistan: the patent" not in kg + tm
    assert "Citizens of Kyrgyzstan: no patent" in kg
    assert "Citizens of Kyrgyzstan: no patent" not in uz + tm
    assert "Citizens of Turkmenistan" in tm and "Citizens of Turkmenistan" not in uz + kg
    for lang in LANGUAGES:  # every language: each airport reads a part the others do not
        pages = {
            a: set(_texts(_article(cache, p, lang, "RU", "working-legally")))
            for a, p in (("TAS", tas), ("FRU", fru), ("ASB", asb))
        }
        for a, rows in pages.items():
            others = set().union(*(r for b, r in pages.items() if b != a))
            assert rows - others, (lang, a)


def test_kazakhstan_work_rules_per_nationality(cache: ContentCache) -> None:
    for airport, heading in (
        ("FRU", "Citizens of Kyrgyzstan"),
        ("TAS", "Citizens of Uzbekistan"),
        ("ASB", "Citizens of Turkmenistan"),
    ):
        texts = _texts(_article(cache, place_of(cache, airport), "en", "KZ", "working-legally"))
        citizens = [t for t in texts if t.startswith("Citizens of")]
        assert citizens == [heading], (airport, citizens)


@pytest.mark.parametrize("airport", ["TAS", "TMJ", "NMA", "KSQ", "FRU", "ASB"])
def test_article_contacts_agree_with_the_help_screen(cache: ContentCache, airport: str) -> None:
    place = place_of(cache, airport)
    for lang in place.languages:
        strings = cache.ui_strings(lang)
        for dest in sorted(place.destination_ids) + ["general"]:
            help_page = build_help(cache, place, lang, strings, "" if dest == "general" else dest)
            on_help = {c.id for c in help_page.cards}
            number = cache.emergency_number(place.home_country if dest == "general" else dest)
            for topic in cache.topics(lang):
                try:
                    page = _article(cache, place, lang, dest, topic.id)
                except LookupError:
                    continue
                shown = [c.id for c in page.contacts]
                # or the card the help screen leaves out as its banner shows that number
                banner = {c.id for c in page.contacts if repeats_banner(c, number)}
                assert set(shown) <= on_help | banner, (airport, lang, dest, topic.id, shown)
                listed = [c.id for c in cache.article(dest, topic.id, lang).contacts]
                assert shown == [c for c in listed if c in on_help | banner]


def test_own_embassy_and_ministries_only(cache: ContentCache) -> None:
    tas, fru = place_of(cache, "TAS"), place_of(cache, "FRU")
    at_tas = [c.id for c in _article(cache, tas, "ru", "RU", "get-help").contacts]
    assert "uz-embassy-moscow" in at_tas
    assert not any(c.startswith(("kg-", "tm-")) for c in at_tas), at_tas
    at_fru = [c.id for c in _article(cache, fru, "ru", "RU", "get-help").contacts]
    assert "kg-embassy-moscow" in at_fru
    assert not any(c.startswith(("uz-", "tm-")) for c in at_fru), at_fru
    general = [c.id for c in _article(cache, tas, "uz", "general", "get-help").contacts]
    assert general and all(c.startswith("uz-") for c in general), general


@pytest.mark.parametrize("lang", LANGUAGES)
def test_warning_signs_have_a_picture_beside_each_sign(cache: ContentCache, lang: str) -> None:
    page = _article(cache, place_of(cache, "TAS"), lang, "general", "warning-signs")
    items = [r for r in page.rows_first + page.rows_rest if r.kind == "item"]
    assert len(items) == 11
    assert all(re.fullmatch(r"image://asset/indicators/[a-z-]+\.svg", r.picture) for r in items)
    assert len({r.picture for r in items}) == 11
    assert all(r.picture == "" for r in page.rows_first + page.rows_rest if r.kind != "item")


def _normal(text: str) -> str:
    return re.sub(r"\W+", " ", re.sub(r"<[^>]+>", "", text)).strip().lower()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("airport", list(AIRPORTS))
def test_checklist_of_actions_without_duplicates_each_with_its_picture(
    cache: ContentCache, airport: str, lang: str
) -> None:
    place = place_of(cache, airport)
    page = build_checklist(cache, place, lang, cache.ui_strings(lang), "RU")
    assert len(page.items) == len(page.pictures) == 15
    assert len({_normal(i) for i in page.items}) == len(page.items)
    assert all(p.startswith("image://asset/checklist/") for p in page.pictures)
    assert len(set(page.pictures)) == len(page.pictures)
    general = build_checklist(cache, place, lang, cache.ui_strings(lang), "general")
    assert general.items == page.items and general.pictures == page.pictures
