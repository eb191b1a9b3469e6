"""Every number and link of the help screen is one tap from its QR code (issue 11, page length).

A contact card shows one code at a time beside its texts and every way to reach the contact
printed on a button under them; the "save all numbers" codes stand side by side as far as the
width allows, numbered buttons and an arrow show the others in the same place. Checked in a
real kiosk window, in portrait (one vCard code at a time) and landscape (three side by side):
each button shows the code it names, and the codes reachable this way are exactly the screen's.
"""

from __future__ import annotations

import pytest

from kiosk.tour import is_shown, walk

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def shown_payloads(driver, prefix: str) -> set[str]:
    """What the shown codes named `prefix`... hold (the code's image, or an image inside it)."""
    return {
        inner.property("payload")
        for item in walk(driver.window.contentItem())
        if item.objectName().startswith(prefix) and is_shown(item)
        for inner in walk(item)
        if is_shown(inner) and inner.property("payload")
    }


def open_help(driver, dest: str) -> None:
    c = driver.controller
    c.startIn("ru")
    c.openDestination(dest)
    c.openHelp()
    page = driver.find("scrollPage").parentItem()
    driver.qtbot.waitUntil(lambda: page.property("ready"), timeout=5000)
    driver.process()
    driver.wait_frame()


@pytest.mark.parametrize("orientation", list(SIZES))
def test_each_button_shows_the_code_it_names(make_kiosk, qtbot, orientation: str) -> None:
    d = make_kiosk(size=SIZES[orientation])
    d.qtbot = qtbot
    open_help(d, "GB")  # at Tashkent: four vCard codes, cards with two and three ways
    page = d.controller.helpPage
    # the contacts: every code of every card, one tap on its button away
    several = [
        card for card in page["destContactsRest"] + page["homeContacts"] if len(card["codes"]) > 1
    ]
    assert len(several) >= 3
    for card in several:
        prefix = f"contact.{card['id']}.code."
        first = card["codes"][0]
        assert shown_payloads(d, prefix) == {first["payload"]}  # the number first
        for index, code in enumerate(card["codes"]):
            d.tap(f"contact.{card['id']}.choice.{index}")
            assert shown_payloads(d, prefix) == {code["payload"]}, (card["id"], index)
    # the save-all codes: as many side by side as fit, the others by their numbers
    vcards = [code["payload"] for code in page["vcards"]]
    per_row = 1 if orientation == "portrait" else 3
    assert len(vcards) > per_row
    assert shown_payloads(d, "help.vcard.") == set(vcards[:per_row])
    d.tap("help.vcard.next")
    assert shown_payloads(d, "help.vcard.") == set(vcards[per_row : 2 * per_row])
    seen: set[str] = set()
    for index, payload in enumerate(vcards):
        d.tap(f"help.vcard.show.{index}")
        shown = shown_payloads(d, "help.vcard.")
        assert payload in shown and len(shown) <= per_row
        seen |= shown
    assert seen == set(vcards)
    assert not d.items("help.vcard.next") or not is_shown(d.find("help.vcard.next"))
