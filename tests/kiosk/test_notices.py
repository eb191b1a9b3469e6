"""Urgent notices on the kiosk: the Qt-free rules (which notice, which language, when), the
reader of the agent's file, and the banner in the real QML window."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from content.notices import (
    NOTICES_FILE,
    Notice,
    NoticeError,
    NoticeSet,
    format_time,
    notices_for,
)
from kiosk.notice_reader import NoticeReader

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
KY_CHAIN = ("ky", "ru", "en")


def notice(ident: int = 1, *, airport: str = "TAS", dest: str = "", **texts: str) -> Notice:
    return Notice(
        ident,
        airport,
        dest,
        NOW - timedelta(hours=1),
        NOW + timedelta(hours=1),
        texts or {"en": "English text", "ru": "Русский текст"},
    )


def shown(notices, *, now=NOW, airport="TAS", dest="", chain=KY_CHAIN) -> list[tuple[str, str]]:
    found = notices_for(notices, now=now, airport=airport, destination=dest, chain=chain)
    return [(n.language, n.text) for n in found]


def test_the_readers_language_then_its_declared_fallback_never_english_first() -> None:
    both = notice(en="English text", ru="Русский текст", ky="Кыргызча текст")
    assert shown([both]) == [("ky", "Кыргызча текст")]
    assert shown([notice()]) == [("ru", "Русский текст")]  # no Kyrgyz: Russian
    assert shown([notice(en="Only English")]) == [("en", "Only English")]
    assert shown([notice(ru="Только русский")], chain=("en",)) == []  # nothing in the chain


def test_live_from_start_until_expiry_by_the_clock_given() -> None:
    n = notice()
    assert shown([n], now=n.starts_at - timedelta(seconds=1)) == []
    assert shown([n], now=n.starts_at) != []
    assert shown([n], now=n.expires_at - timedelta(seconds=1)) != []
    assert shown([n], now=n.expires_at) == []


def test_only_at_its_airport_and_for_its_destination() -> None:
    fru = notice(1, airport="FRU")
    ru_everywhere = notice(2, airport="", dest="RU")
    assert shown([fru], airport="TAS") == [] and shown([fru], airport="FRU") != []
    assert shown([fru], airport="FRU", dest="RU") != []  # airport-wide: every destination
    assert [n for n in shown([ru_everywhere], airport="ASB", dest="RU")]
    assert shown([ru_everywhere], dest="KZ") == [] and shown([ru_everywhere], dest="") == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"not json", "not JSON"),
        (b'{"format": 2, "serial": 1, "notices": []}', "not format 1"),
        (b'{"format": 1, "serial": -1, "notices": []}', "serial"),
        (b'{"format": 1, "serial": 1, "notices": [{"id": 1}]}', "lacks the field"),
        (
            b'{"format": 1, "serial": 1, "notices": [{"id": 1, "airport": "../x", '
            b'"destination": "", "starts_at": "2026-01-01T00:00:00Z", '
            b'"expires_at": "2026-01-02T00:00:00Z", "texts": {}}]}',
            "is not a code",
        ),
        (
            b'{"format": 1, "serial": 1, "notices": [{"id": 1, "airport": "TAS", '
            b'"destination": "", "starts_at": "2026-01-01T00:00:00", '
            b'"expires_at": "2026-01-02T00:00:00Z", "texts": {}}]}',
            "no time zone",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(NoticeError, match=words):
        NoticeSet.from_bytes(data)


def write(path: Path, *notices: Notice, serial: int = 1) -> None:
    path.write_bytes(NoticeSet(serial, format_time(NOW), notices).to_bytes())


def test_the_reader_follows_the_file_and_shows_nothing_when_it_is_damaged(
    tmp_path: Path, caplog
) -> None:
    reader = NoticeReader(tmp_path)
    live = {"now": NOW, "airport": "TAS", "destination": "", "chain": ("ru", "en")}
    assert reader.shown(**live) == ()  # no file yet
    path = tmp_path / NOTICES_FILE
    write(path, notice())
    assert [n.text for n in reader.shown(**live)] == ["Русский текст"]
    write(path, notice(ru="Новый текст"), serial=2)
    os.utime(path, ns=(1, 1))  # a different modification time, as a new file has
    assert [n.text for n in reader.shown(**live)] == ["Новый текст"]
    path.write_bytes(b"{broken")
    assert reader.shown(**live) == ()
    assert "urgent notices not shown" in caplog.text


def test_the_banner_shows_above_the_destination_and_help_screens(
    make_kiosk, settings, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    text = "С 1 декабря на границе нужна новая миграционная карта."
    current = Notice(7, "TAS", "RU", now - timedelta(hours=1), now + timedelta(hours=1),
                     {"en": "From 1 December a new card is needed.", "ru": text},
                     {"en": "New border card", "ru": "Новая карта"})  # fmt: skip
    other = Notice(8, "FRU", "", now - timedelta(hours=1), now + timedelta(hours=1),
                   {"en": "Manas only."})  # fmt: skip
    write(settings.content_dir / NOTICES_FILE, current, other)
    driver = make_kiosk()
    c = driver.controller
    c.startIn("ru")
    c.openDestination("RU")
    banner = driver.wait_for("notice.7")
    driver.wait_frame()
    from kiosk.tour import walk

    label = [i for i in walk(banner) if i.objectName() == "notice.text"][0]
    assert label.property("text") == text
    heading = [i for i in walk(banner) if i.objectName() == "notice.heading"][0]
    # the heading in the reader's language, bold, above the (regular) text
    assert heading.property("text") == "Новая карта" and heading.isVisible()
    assert heading.property("font").bold() and not label.property("font").bold()
    assert heading.mapToItem(label, 0, 0).y() < 0
    topic = driver.find("topic." + c.destinationPage["topics"][0]["id"])
    assert banner.mapToItem(topic, 0, 0).y() < 0  # above the topics
    assert driver.items("notice.8") == []  # Manas's notice is not for Tashkent
    driver.grab(tmp_path / "destination-notice.png")
    c.openHelp()
    driver.wait_for("notice.7")
    driver.wait_frame()
    driver.grab(tmp_path / "help-notice.png")
    keep = os.environ.get("KIOSK_SCREENS_DIR")
    if keep:
        for name in ("destination-notice.png", "help-notice.png"):
            (Path(keep) / name).write_bytes((tmp_path / name).read_bytes())
