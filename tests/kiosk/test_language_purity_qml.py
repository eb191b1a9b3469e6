"""What is drawn is in the reader's language (issue 11 item 4), and help opened before a
language is chosen can be read in every language of the airport (item 8).

The real kiosk (QML offscreen, controller, sample content) is tapped through its screens in
each language of an airport; every visible Text item's text is checked with the checker of
tests/kiosk/purity.py (script of each word; on Uzbek Latin and Turkmen screens, no text equal
to the English screen's).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer

from content.cache import ContentCache
from tests.kiosk.purity import Shown, plain, same_by_nature, script_problems
from tests.kiosk.test_app import names_with_prefix, wait_names

TEXT_TYPES = ("QQuickText", "QQuickTextInput", "QQuickTextEdit")


def drawn_texts(driver: Any) -> list[str]:
    """The text of every visible text item of the window (below the fold too)."""
    from kiosk.tour import is_shown, walk

    found = []
    for item in walk(driver.window.contentItem()):
        if any(item.inherits(t) for t in TEXT_TYPES) and is_shown(item):
            text = str(item.property("text") or "")
            if text.strip():
                found.append(text)
    return found


def settle(driver: Any) -> None:
    """Wait until the current screen built what is below its fold (its `ready`)."""
    name = f"screen.{driver.controller.screen}"
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < 5000:
        items = driver.items(name)
        if not items or items[0].property("ready") in (True, None):
            break
        driver.process(10)
    driver.wait_frame()
    driver.process()


def visit(driver: Any, lang: str) -> dict[str, list[str]]:
    """One person's visit in `lang`; the texts drawn on each screen."""
    c = driver.controller
    seen: dict[str, list[str]] = {}

    def shot(name: str, tap: str | None = None) -> None:
        if tap:
            driver.tap(tap)
        settle(driver)
        typed = c.searchText  # the search field shows what was typed (and a cursor)
        seen[name] = [t for t in drawn_texts(driver) if not typed or t.rstrip("|") != typed]

    c.finish()
    driver.wait_frame()
    driver.tap("attract.start")
    shot("home", f"language.{lang}")
    shot("help before a destination", "nav.help")
    driver.tap("nav.back")
    dest = c.screen_view.destinations[0].id
    shot("destination", f"home.destination.{dest}")
    shot("article", "topic.get-help")
    shot("help", "nav.help")
    driver.tap("nav.home")
    shot("checklist", "home.checklist")
    driver.tap("nav.home")
    driver.tap("home.search")
    keys = [k for row in c.keyboardRows[1:] for k in row][:2]
    for key in keys:
        driver.tap(f"key.{key}")
    shot("search")
    limit = c.settings.qr_idle_seconds if c.screenHasCodes else c.settings.idle_seconds
    driver.clock.advance(limit + 1)
    c.check_idle()
    driver.wait_for("idle.continue")
    shot("idle")
    driver.tap("idle.continue")
    return seen


@pytest.mark.parametrize("airport", ["TAS", "FRU", "ASB"])
def test_every_text_drawn_is_in_the_language_of_the_screen(
    make_kiosk: Callable[..., Any], sample_cache: Path, airport: str
) -> None:
    driver = make_kiosk(airport=airport)
    with ContentCache.open(sample_cache) as cache:
        scripts = {lv.id: lv.script for lv in cache.languages()}
        self_names = {lv.name for lv in cache.languages()}  # language buttons, by design
        offered = [lv.id for lv in cache.airport(airport, "en").languages]
    english = visit(driver, "en")
    problems = []
    checked = 0
    for lang in offered:
        seen = english if lang == "en" else visit(driver, lang)
        for screen, texts in seen.items():
            shown = [Shown(f"{screen} #{i}", t, lang) for i, t in enumerate(texts)]
            for s in shown:
                if s.text in self_names:
                    continue
                checked += 1
                wrong = script_problems(scripts[lang], s.text)
                if wrong:
                    problems.append(f"{lang} {screen}: {plain(s.text)[:100]!r} has {wrong}")
            if scripts[lang] == "Latn" and lang != "en":
                # drawn in another order than English: compared as a set
                english_texts = set(english[screen])
                problems += [
                    f"{lang} {screen}: {s.text!r} is the English text"
                    for s in shown
                    if s.text in english_texts
                    and s.text not in self_names
                    and not same_by_nature(s.text)
                ]
    assert checked > 100 * len(offered), checked
    assert not problems, "\n".join(problems[:40])


def test_help_before_a_language_is_chosen_offers_every_language(
    make_kiosk: Callable[..., Any], sample_cache: Path
) -> None:
    """Item 8: help opened from the first language screen (no language chosen yet) shows a row
    of the airport's languages; one tap shows help (and the bar) in that language, the row
    stays until the person leaves; help opened after a choice has no row."""
    d = make_kiosk()
    c = d.controller
    with ContentCache.open(sample_cache) as cache:
        offered = [lv.id for lv in cache.airport("TAS", "en").languages]
        strings = {x: cache.ui_strings(x) for x in offered}
        names = {lv.id: lv.name for lv in cache.languages()}
    d.tap("attract.start")
    assert c.screen == "language"
    d.tap("nav.help")
    assert c.screen == "help"
    assert wait_names(d, "help.lang.") == [f"help.lang.{x}" for x in offered]
    assert c.language == offered[0]  # the airport's first language until one is tapped
    for lang in [*reversed(offered), offered[0]]:
        d.tap(f"help.lang.{lang}")
        assert (c.screen, c.language) == ("help", lang)
        assert c.page["title"] == strings[lang]["help.title"]
        drawn = drawn_texts(d)
        assert strings[lang]["help.title"] in drawn
        assert strings[lang]["nav.home"] in drawn  # the bar too
        assert d.find(f"help.lang.{lang}").property("text") == names[lang]
        assert [x["id"] for x in c.page["languages"] if x["current"]] == [lang]
        assert names_with_prefix(d, "help.lang.") == [f"help.lang.{x}" for x in offered]
    d.tap("nav.back")
    assert c.screen == "language"
    d.tap("language.ru")
    d.tap("nav.help")
    assert c.screen == "help" and c.language == "ru"
    d.process()
    assert names_with_prefix(d, "help.lang.") == []
    assert c.page["languages"] == []
