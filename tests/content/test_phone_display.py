"""Phone numbers as printed on the kiosk, decided at build time (content/phone_display.py) and
read from the cache (`phone_numbers`, schema 3; a schema-2 cache prints numbers as stored)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import phonenumbers
import pytest

from content.cache import ContentCache
from content.phone_display import phone_display, phone_rows


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("+448000121700", "+44 800 012 1700"),  # issue 11's example
        ("+74952300076", "+7 495 230-00-76"),  # as Russia writes it
        ("+998712000000", "+998 71 200 00 00"),
        ("112", "112"),  # short numbers as they are
        ("1345", "1345"),
    ],
)
def test_numbers_are_grouped_as_their_country_writes_them(number: str, shown: str) -> None:
    assert phone_display(number).display == shown
    if number.startswith("+"):
        parsed = phonenumbers.parse(number, None)
        assert shown == phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )


def test_short_numbers_are_never_dialable_from_abroad_e164_ones_as_the_metadata_says() -> None:
    assert not phone_display("1003").abroad and not phone_display("112").abroad
    assert phone_display("+998712000000").abroad
    # something phonenumbers cannot parse is printed as it is
    assert phone_display("+0000").display == "+0000"


def test_rows_hold_each_number_once() -> None:
    rows = phone_rows(["+448000121700", "112", "112", "", " 1345 "])
    assert [r["number"] for r in rows] == ["+448000121700", "112", "1345"]
    assert rows[0] == {"number": "+448000121700", "display": "+44 800 012 1700", "abroad": 1}


def test_the_cache_prints_every_number_of_its_contacts_and_countries(
    cache: ContentCache,
) -> None:
    contacts = cache.contacts(["RU", "UZ", "KZ", "TR"], "en")
    numbers = {n for c in contacts for n in [*c.phones, c.short or ""] if n}
    assert "+74952300076" in numbers and "112" in numbers
    for number in numbers:
        assert cache.phone_display(number) == phone_display(number).display
        assert cache.dialable_from_abroad(number) == phone_display(number).abroad
    for contact in contacts:
        for number in [*contact.phones, *([contact.short] if contact.short else [])]:
            assert contact.display(number) == phone_display(number).display
            assert (number in contact.abroad) == phone_display(number).abroad
    emergency = cache.emergency_number("RU")
    assert emergency and cache.phone_display(emergency) == emergency


def test_a_schema_2_cache_prints_numbers_as_stored(built_cache: Path, tmp_path: Path) -> None:
    """An installed cache built before schema 3 has no `phone_numbers`: still readable."""
    old = tmp_path / "old.db"
    shutil.copy(built_cache, old)
    conn = sqlite3.connect(old)
    conn.execute("DROP TABLE phone_numbers")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with ContentCache.open(old) as cache:
        assert cache.schema_version == 2
        assert cache.phone_display("+74952300076") == "+74952300076"
        assert cache.dialable_from_abroad("+74952300076")
        assert not cache.dialable_from_abroad("112")
        (contact,) = [c for c in cache.contacts(["RU"], "en") if "+74952300076" in c.phones]
        assert contact.display("+74952300076") == "+74952300076"
