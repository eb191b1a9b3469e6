"""The traveller's nationality, changed in one tap (kiosk/screens/nationality.py, the session, the
controller, NationalityChip.qml and NationalityPicker.qml), from the real sample content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from content.cache import ContentCache
from kiosk.content_loader import ContentSource
from kiosk.controller import KioskController
from kiosk.screens.help import build_help, help_qr_payloads
from kiosk.screens.nationality import (
    build_nationality,
    help_qr_payloads_for_all,
    nationality_ids,
    with_nationality,
)
from kiosk.screens.place import Place, place_of
from kiosk.session import Session
from kiosk.settings import KioskSettings
from kiosk.usage_store import UsageRecorder, UsageStore
from tests.kiosk.test_pictures import shown_images, status

# The chip and the list's question, written out per language: the test fails if a language
# shows another language's words (or the key) there.
CHIP = {
    "en": ("Citizen of Kyrgyzstan", "Which country are you a citizen of?"),
    "ru": ("Гражданство: Кыргызстан", "Гражданином какой страны вы являетесь?"),
    "uz": ("Fuqarolik: Qirgʻiziston", "Qaysi davlat fuqarosisiz?"),
    "uz-Cyrl": ("Фуқаролик: Қирғизистон", "Қайси давлат фуқаросисиз?"),
    "ky": ("Жарандык: Кыргызстан", "Кайсы өлкөнүн жаранысыз?"),
    "tk": ("Raýatlyk: Gyrgyzystan", "Haýsy ýurduň raýatysyňyz?"),
}


def test_the_choices_are_the_home_countries_the_airports_own_first(cache: ContentCache) -> None:
    assert [c.id for c in cache.home_countries("en")] == ["UZ", "TM", "KG"]
    assert nationality_ids(cache, place_of(cache, "TAS")) == ["UZ", "TM", "KG"]
    assert nationality_ids(cache, place_of(cache, "FRU")) == ["KG", "UZ", "TM"]
    assert nationality_ids(cache, place_of(cache, "ASB")) == ["TM", "UZ", "KG"]


@pytest.mark.parametrize("lang", list(CHIP))
def test_the_chip_and_the_list_speak_the_readers_language(cache: ContentCache, lang: str) -> None:
    fru = place_of(cache, "FRU")
    view = build_nationality(cache, fru, "", lang, cache.ui_strings(lang))
    label, question = CHIP[lang]
    assert view.current == "KG" and view.label == label and view.title == question
    assert [o.id for o in view.options] == ["KG", "UZ", "TM"]
    assert [o.selected for o in view.options] == [True, False, False]
    assert [o.name for o in view.options] == [
        cache.destination_name(x, lang) for x in ("KG", "UZ", "TM")
    ]
    for text in (view.change, view.hint, view.cancel):
        assert text and not text.startswith("nationality."), (lang, text)


def test_a_chosen_nationality_replaces_only_the_nationality(tas: Place) -> None:
    assert with_nationality(tas, "") is tas and with_nationality(tas, "UZ") is tas
    kg = with_nationality(tas, "KG")
    assert kg.nationality == "KG"
    assert (kg.airport, kg.home_country, kg.languages) == (tas.airport, "UZ", tas.languages)


def test_the_warm_up_prepares_the_codes_of_every_nationality(
    cache: ContentCache, tas: Place
) -> None:
    prepared = set(help_qr_payloads_for_all(cache, tas))
    own = set(help_qr_payloads(cache, tas))
    kyrgyz = set(help_qr_payloads(cache, with_nationality(tas, "KG")))
    assert kyrgyz - own, "a Kyrgyz citizen's help screens have codes of their own"
    for nationality in ("UZ", "TM", "KG"):
        assert set(help_qr_payloads(cache, with_nationality(tas, nationality))) <= prepared


def test_the_session_reset_forgets_the_nationality() -> None:
    s = Session()
    s.open_nationality()
    assert s.choosing_nationality
    s.choose_nationality("KG")
    assert s.nationality == "KG" and not s.choosing_nationality
    s.open_nationality()
    s.reset()
    assert s.nationality == "" and not s.choosing_nationality and s.is_default()


# --- the controller, without a window --------------------------------------------------------


@pytest.fixture
def controller(qapp, settings: KioskSettings) -> Iterator[KioskController]:
    source = ContentSource(settings.content_dir, settings.fallback_cache_dir, settings.airport)
    source.open()
    recorder = UsageRecorder(UsageStore(settings.usage_file), lambda: datetime(2026, 5, 1, 9))
    c = KioskController(settings, source, recorder, monotonic=lambda: 100.0, warm_up_now=False)
    yield c
    c.shutdown()
    recorder.close()
    source.close()


def embassies(c: KioskController) -> list[str]:
    cards = c.helpPage["destContactsFirst"] + c.helpPage["destContactsRest"]
    return [card["id"] for card in cards if card["id"].endswith("-embassy-moscow")]


def test_at_tashkent_a_kyrgyz_citizen_sees_the_kyrgyz_embassy(
    controller: KioskController, settings: KioskSettings
) -> None:
    c = controller
    c.start()
    c.chooseLanguage("ru")
    c.openDestination("RU")
    c.openHelp()
    assert embassies(c) == ["uz-embassy-moscow"]
    assert c.nationality["current"] == "UZ" and c.nationality["label"] == "Гражданство: Узбекистан"
    c.openNationality()
    assert c.nationalityOpen and c.screen == "help"
    c.chooseNationality("KG")
    assert not c.nationalityOpen and c.screen == "help"
    assert embassies(c) == ["kg-embassy-moscow"]
    assert c.place.nationality == "KG" and c.airport_place.nationality == "UZ"
    assert c.nationality["label"] == "Гражданство: Кыргызстан"
    c.back()  # the screens below are built for the new nationality too
    c.openHelp()
    assert embassies(c) == ["kg-embassy-moscow"]
    c.openNationality()
    c.chooseNationality("UZ")
    assert embassies(c) == ["uz-embassy-moscow"]
    c.recorder.flush()
    cells = {(x.metric, x.value) for x in UsageStore(settings.usage_file).cells()}
    assert ("nationality", "KG") in cells


def test_the_session_reset_restores_the_airports_nationality(controller: KioskController) -> None:
    c = controller
    c.start()
    c.chooseLanguage("en")
    c.openNationality()
    c.chooseNationality("TM")
    assert c.place.nationality == "TM" and c.nationality["label"] == "Citizen of Turkmenistan"
    c.openNationality()
    c.finish()
    assert not c.nationalityOpen and c.place.nationality == "UZ"
    assert c.nationality["current"] == "UZ"
    c.start()
    c.chooseLanguage("en")
    c.openDestination("RU")
    c.openHelp()
    assert embassies(c) == ["uz-embassy-moscow"]


def test_an_unknown_nationality_is_refused(controller: KioskController, caplog) -> None:
    c = controller
    c.start()
    c.chooseLanguage("en")
    c.chooseNationality("RU")  # a destination, not a home country: back to the attract screen
    assert c.screen == "attract" and c.place.nationality == "UZ"
    assert "not in the content" in caplog.text


# --- in the window -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)])
def test_one_tap_opens_the_list_and_one_tap_picks(make_kiosk, size: tuple[int, int]) -> None:
    d = make_kiosk(size=size)
    c = d.controller
    d.tap("attract.start")
    d.tap("language.en")
    d.tap("home.destination.RU")
    d.tap("nav.help")
    d.wait_for("help.contact.uz-embassy-moscow")
    assert d.find("nationality.label").property("text") == "Citizen of Uzbekistan"
    assert not d.items("nationality.option.KG")
    d.tap("nationality.chip")
    assert c.nationalityOpen
    option = d.wait_for("nationality.option.KG")
    assert option.property("text") == "Kyrgyzstan"
    for ident in ("UZ", "TM", "KG"):  # each choice with its flag beside its name
        flags = shown_images(d.find(f"nationality.option.{ident}"))
        assert [f.property("source").toString() for f in flags] == [
            f"image://asset/flags/{ident}.svg"
        ]
        assert status(flags[0]) == "Ready"
    d.tap("nationality.option.KG")
    assert c.screen == "help" and not c.nationalityOpen
    assert not d.items("nationality.option.KG")  # the list is closed
    d.wait_for("help.contact.kg-embassy-moscow")
    assert not d.items("help.contact.uz-embassy-moscow")
    assert d.find("nationality.label").property("text") == "Citizen of Kyrgyzstan"
    chip_flag = d.find("nationality.chipFlag")
    assert chip_flag.property("source").toString() == "image://asset/flags/KG.svg"
    assert status(chip_flag) == "Ready"
    # Cancel closes the list unchanged; the destination screen has the chip too.
    d.tap("nav.back")
    d.tap("nationality.chip")
    d.tap("nationality.cancel")
    assert not c.nationalityOpen and c.place.nationality == "KG"
    assert d.find("nationality.label").property("text") == "Citizen of Kyrgyzstan"


def test_abroad_the_contacts_from_home_are_those_of_the_persons_own_country(
    cache: ContentCache, tas: Place
) -> None:
    """A Kyrgyz citizen leaving from Tashkent for Russia is offered Kyrgyzstan's lines "from
    home", not Uzbekistan's; before a destination (still in Tashkent) Uzbekistan's."""
    strings = cache.ui_strings("ru")
    kg_home = {c.id for c in cache.contacts(["KG"], "ru")}
    uz_home = {c.id for c in cache.contacts(["UZ"], "ru")}
    assert kg_home and uz_home
    kg = with_nationality(tas, "KG")
    abroad = build_help(cache, kg, "ru", strings, "RU")
    shown = {card.id for card in abroad.home_contacts}
    assert shown and shown <= kg_home and not shown & uz_home
    assert cache.destination_name("KG", "ru") in abroad.home_title
    at_the_airport = build_help(cache, kg, "ru", strings, "")
    assert {card.id for card in at_the_airport.home_contacts} <= uz_home
    assert cache.destination_name("UZ", "ru") in at_the_airport.home_title
    uzbek = build_help(cache, tas, "ru", strings, "RU")
    assert {card.id for card in uzbek.home_contacts} <= uz_home
