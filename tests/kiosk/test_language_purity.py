"""Issue 11 item 4: no screen in language X shows text that is not in X (or X's declared
fallback, languages.yaml `fallback`).

For every airport of the sample and every language it offers, every screen the kiosk can show
is built by the kiosk's own builders (tests/kiosk/purity_walk.py) and checked three ways
(tests/kiosk/purity.py): where each text came from (the language the cache returned for it),
the script of every visible word, and, on Uzbek Latin and Turkmen screens, strings equal to the
English screen's. The checker itself is shown to fail on planted errors, in a real cache built
from the sample with a few texts spoiled. The QML pass (test_language_purity_qml.py) checks
what is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from content.build import build_cache
from content.cache import ContentCache
from content.model import Content
from content.source import load_source
from kiosk.content_loader import SAMPLE_DIR
from kiosk.screens.build import ScreenInput, build_screen
from kiosk.screens.help import HelpScreen
from kiosk.screens.language import LanguageChoice, LanguageScreen
from kiosk.screens.maintenance import KioskFacts
from kiosk.screens.place import Place
from tests.kiosk.purity import (
    ALLOWED_LATIN,
    Lookup,
    RecordingCache,
    Shown,
    english_copies,
    plain,
    provenance_problems,
    same_by_nature,
    script_problems,
    visible_texts,
)
from tests.kiosk.purity_walk import Built, screens_of

AIRPORTS = ("TAS", "TMJ", "NMA", "KSQ", "ASB", "FRU")


def _shown(cache: RecordingCache, built: Built, lang: str, airport: str) -> list[Shown]:
    """What a screen shows, each string with the language it must be in. The language choice
    asks "Choose your language" in every language of the airport: each prompt is in its own."""
    shown = list(visible_texts(built.screen, lang))
    if isinstance(built.screen, LanguageScreen):
        offered = [lv.id for lv in cache.airport(airport, lang).languages]
        cache.log.clear()
        prompt_lang = {cache.ui_strings(x).get("language.choose", ""): x for x in offered}
        cache.log.clear()
        shown = [
            replace(s, lang=prompt_lang.get(s.text, s.lang)) if s.where.startswith("prompts") else s
            for s in shown
        ]
    return shown


def airport_problems(cache: RecordingCache, airport: str) -> tuple[list[str], int, str]:
    """Every impurity on the screens of `airport`, the number of strings checked, and all the
    shown text (to search it for editorial notes)."""
    chains = cache.chains()
    scripts = {lv.id: lv.script for lv in cache.languages()}
    offered = [lv.id for lv in cache.airport(airport, "en").languages]
    problems: list[str] = []
    checked = 0
    everything: list[str] = []
    english_screens = list(screens_of(cache, airport, "en"))
    english = {b.name: list(visible_texts(b.screen, "en")) for b in english_screens}
    for lang in offered:
        for built in english_screens if lang == "en" else screens_of(cache, airport, lang):
            where = f"{airport} {lang} {built.name}"
            problems += [
                f"{where}: {p}"
                for p in provenance_problems(
                    built.log, lang, chains, multilingual=built.multilingual
                )
            ]
            shown = _shown(cache, built, lang, airport)
            for s in shown:
                checked += 1
                everything.append(s.text)
                wrong = script_problems(scripts[s.lang], s.text)
                if wrong:
                    problems.append(
                        f"{where}: {s.where} {plain(s.text)[:120]!r} is to be in {s.lang} "
                        f"({scripts[s.lang]}) but has {wrong}"
                    )
            if scripts[lang] == "Latn" and lang != "en" and not built.multilingual:
                problems += [
                    f"{where}: {p}" for p in english_copies(shown, english.get(built.name, []))
                ]
    return problems, checked, "\n".join(everything)


@pytest.fixture(scope="module")
def recording_cache(sample_cache: Path) -> RecordingCache:
    cache = RecordingCache.open(sample_cache)
    assert isinstance(cache, RecordingCache)
    return cache


@pytest.fixture(scope="module")
def sample_content() -> Content:
    content, report = load_source(SAMPLE_DIR)
    assert report.ok, report.format()
    return content


@pytest.mark.parametrize("airport", AIRPORTS)
def test_every_screen_of_the_airport_is_in_its_language(
    recording_cache: RecordingCache, sample_content: Content, airport: str
) -> None:
    problems, checked, everything = airport_problems(recording_cache, airport)
    assert checked > 2000, checked  # every screen was walked
    assert not problems, f"{len(problems)} impurities:\n" + "\n".join(problems[:60])
    # Editorial notes never reach a screen (tests/content/test_public_text.py searches the
    # cache file's bytes; here, everything the screens show).
    for note in [c.notes for c in sample_content.contacts] + [
        a.notes for a in sample_content.articles
    ]:
        if note:
            assert note[-50:] not in everything, note


def test_the_airports_tested_are_the_sample_airports(recording_cache: RecordingCache) -> None:
    assert set(recording_cache.airports()) == set(AIRPORTS)


def test_every_airport_language_has_every_ui_string_in_itself(
    recording_cache: RecordingCache,
) -> None:
    """The sample translates every UI string into every language an airport offers: none
    falls back (a fallback is allowed by the rule, but the sample has no excuse)."""
    offered = {lv.id for a in AIRPORTS for lv in recording_cache.airport(a, "en").languages}
    english = recording_cache.ui_strings("en")
    recording_cache.log.clear()
    for lang in sorted(offered):
        strings = recording_cache.ui_strings(lang)
        for key in english:
            strings.get(key)
        fallen = [e for e in recording_cache.log if e.used != lang]
        recording_cache.log.clear()
        assert not fallen, (lang, fallen[:10])


# --- the checker can fail ------------------------------------------------------------------


def test_the_script_check_flags_words_of_the_other_script() -> None:
    assert script_problems("Cyrl", "Позвоните на горячую линию. Call the hotline.") == [
        "Call",
        "the",
        "hotline",
    ]
    assert script_problems("Latn", "Tillar: Русский, English") == ["Русский"]
    assert script_problems("Latn", "Diller: rusça, iňlisçe") == []
    assert script_problems("Cyrl", "Языки: русский, English") == ["English"]
    assert script_problems("Cyrl", "Hotlineга қўнғироқ қилинг") == ["Hotlineга"]  # mixed word


def test_the_script_check_lets_through_what_is_written_so_in_every_language() -> None:
    allowed = [
        "Сайт: https://www.gov.uk/eu-settled-status и mos.ru, почта info@iom.int",
        "Проверьте на сайте мвд.рф",  # a domain in Cyrillic on a Latin screen below
        "Разрешение на работу (zezwolenie na pracę) выдаёт воевода",
        "Приложение «Госуслуги RuID» и “Make it in Germany”",
        "Программа EPS, GLAAга, MOHREге; виза E-9, PIN-код и SMS",
        "Звоните в {number}",
        "Пишите в WhatsApp или Telegram; Faire Mobilität и Acas помогут",
        "…предложением о работе. Смотрите официальный портал «Make it in…",
    ]
    for text in allowed:
        assert script_problems("Cyrl", text) == [], text
    assert script_problems("Latn", "mehnat shartnomasi (трудовой договор); мвд.рф saytida") == []


def test_an_unlisted_name_is_flagged_until_it_is_allowed_with_a_reason() -> None:
    text = "Обратитесь в Citizens Advice"
    assert script_problems("Cyrl", text) == ["Citizens", "Advice"]
    with_reason = {**ALLOWED_LATIN, "Citizens Advice": "the charity's own name"}
    assert script_problems("Cyrl", text, with_reason) == []
    assert all(reason.strip() for reason in ALLOWED_LATIN.values())


@dataclass(frozen=True)
class _Card:
    id: str
    name: str
    details: tuple[str, ...]
    payload: str


def test_visible_texts_skip_what_is_not_shown_and_find_nested_text() -> None:
    card = _Card("ru-police", "Полиция", ("Бесплатно", "Языки: русский"), "tel:102")
    assert [(s.where, s.text) for s in visible_texts((card,), "ru")] == [
        ("[0].name", "Полиция"),
        ("[0].details[0]", "Бесплатно"),
        ("[0].details[1]", "Языки: русский"),
    ]
    # a language's button is named in that language
    choice = LanguageChoice("en", "English", False)
    assert [s.lang for s in visible_texts(choice, "ru")] == ["en"]


def test_english_copies_are_flagged_unless_the_same_by_nature() -> None:
    english = [Shown("title", "Help and hotlines", "en"), Shown("number", "112", "en")]
    uz = [Shown("title", "Help and hotlines", "uz"), Shown("number", "112", "uz")]
    assert english_copies(uz, english) == ["title: 'Help and hotlines' is the English text"]
    assert english_copies([Shown("title", "Yordam", "uz")], english) == []
    # a language's button is named in itself on every screen, the English one too
    buttons = [Shown("languages[0].name", "Türkmençe", "tk")]
    assert english_copies(buttons, buttons) == []
    assert same_by_nature("+998 71 200 00 00")
    assert same_by_nature("EPS-TOPIK")
    assert same_by_nature("q")  # a keyboard's key
    assert not same_by_nature("Free call")


def test_provenance_flags_a_text_outside_the_fallback_chain() -> None:
    chains = {"tk": ("tk", "ru", "en"), "ru": ("ru", "en"), "uz": ("uz", "ru", "en")}
    log = [
        Lookup("ui nav.help", "tk", "tk"),
        Lookup("ui help.title", "tk", "ru"),  # a declared fallback: allowed
        Lookup("destination RU", "tk", "uz"),  # not tk's fallback
        Lookup("ui nav.home", "tk", ""),  # missing: the key itself would be shown
        Lookup("ui nav.back", "ru", "ru"),  # another language's text on a tk screen
    ]
    assert provenance_problems(log, "tk", chains) == [
        "destination RU: shown in uz to a reader of tk (fallbacks: ru, en)",
        "ui nav.home: missing in tk (and its fallbacks)",
        "ui nav.back: asked in ru on a tk screen",
    ]
    assert provenance_problems(log[4:], "tk", chains, multilingual=True) == []


def test_the_whole_check_catches_texts_planted_in_a_real_cache(
    sample_content: Content, tmp_path: Path
) -> None:
    """The sample with three texts spoiled, built into a cache: the walk over every screen of
    Tashkent finds each, and only those."""
    ui = {lang: dict(strings) for lang, strings in sample_content.ui.items()}
    ui["ru"]["nav.help"] = "Help"  # English on a Russian screen
    ui["uz"]["help.title"] = ui["en"]["help.title"]  # an English copy on an Uzbek Latin screen
    destinations = tuple(
        replace(d, name={"tk": "Russiýa"}) if d.id == "RU" else d  # only in Turkmen
        for d in sample_content.destinations
    )
    spoiled = replace(sample_content, ui=ui, destinations=destinations)
    out = tmp_path / "spoiled.db"
    build_cache(spoiled, out, content_version=1)
    cache = RecordingCache.open(out)
    assert isinstance(cache, RecordingCache)
    try:
        problems, _, _ = airport_problems(cache, "TAS")
    finally:
        cache.close()
    found = "\n".join(problems)
    assert "TAS ru home: ui nav.help" not in found  # provenance is right: it is the ru text
    assert "'Help' is to be in ru (Cyrl) but has ['Help']" in found
    assert "TAS uz help: title: 'Help and hotlines' is the English text" in found
    assert "destination RU: shown in tk to a reader of uz" in found
    assert "destination RU: shown in tk to a reader of ru" in found
    planted = ("'Help'", "Help and hotlines", "destination RU", "Russiýa")
    assert all(any(m in p for m in planted) for p in problems), [
        p for p in problems if not any(m in p for m in planted)
    ][:10]


# --- item 8: help before a language is chosen ----------------------------------------------


def test_help_opened_before_a_language_is_chosen_has_a_row_of_the_airports_languages(
    cache: ContentCache, tas: Place
) -> None:
    """Every language of the airport named in itself, the one shown marked; none after a
    choice (the QML side: test_language_purity_qml.py)."""

    def given(lang: str) -> ScreenInput:
        return ScreenInput(
            cache, tas, lang, cache.ui_strings(lang), "general", False, False, _no_facts
        )

    page = build_screen("help", {"dest": "", "choose": "1"}, given("ru"))
    assert isinstance(page, HelpScreen)
    assert [(x.id, x.name, x.current) for x in page.languages] == [
        ("uz", "Oʻzbekcha", False),
        ("uz-Cyrl", "Ўзбекча", False),
        ("ru", "Русский", True),
        ("en", "English", False),
    ]
    assert page.title == cache.ui_strings("ru")["help.title"]
    after_a_choice = build_screen("help", {"dest": ""}, given("ru"))
    assert isinstance(after_a_choice, HelpScreen) and after_a_choice.languages == ()


def _no_facts() -> KioskFacts:
    raise AssertionError("help does not read the kiosk's facts")
