from __future__ import annotations

from kiosk.keyboards import all_keys, layout_for
from kiosk.session import CornerTaps, IdleLogic, IdlePhase, Session


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_phases_and_countdown() -> None:
    clock = Clock()
    idle = IdleLogic(clock, 60, 20)
    assert idle.phase() is IdlePhase.OFF and idle.next_check_in() is None
    idle.start()
    assert idle.phase() is IdlePhase.ACTIVE and idle.next_check_in() == 60
    clock.now += 59.5
    idle.touch()
    assert idle.phase() is IdlePhase.ACTIVE
    clock.now += 60
    assert idle.phase() is IdlePhase.ASKING
    assert idle.seconds_left() == 20 and idle.next_check_in() == 1.0
    clock.now += 0.25
    assert idle.seconds_left() == 20 and abs(idle.next_check_in() - 0.75) < 1e-9
    clock.now += 19.75
    assert idle.phase() is IdlePhase.EXPIRED and idle.seconds_left() == 0
    idle.touch()
    assert idle.phase() is IdlePhase.ACTIVE
    idle.stop()
    idle.touch()
    assert idle.phase() is IdlePhase.OFF


def test_session_reset_clears_everything() -> None:
    session = Session()
    assert session.is_default()
    session.push("language")
    session.push("home")
    session.push("article", dest="RU", topic="money")
    session.language, session.destination, session.large_text = "ru", "RU", True
    session.search_text, session.scroll["3:article"], session.checklist = "пасп", 900.0, {1, 2}
    session.started_at = 5.0
    assert not session.is_default()
    session.reset()
    assert session.is_default() and session.current.name == "attract"


def test_navigation_back_and_home() -> None:
    session = Session()
    for name in ("language", "home", "destination", "article", "help"):
        session.push(name)
    session.push("help")  # the same screen twice is one entry
    assert [s.name for s in session.stack][-2:] == ["article", "help"]
    session.back()
    assert session.current.name == "article"
    session.go_home()
    assert [s.name for s in session.stack] == ["attract", "language", "home"]


def test_corner_gesture_needs_five_quick_taps_in_the_corner() -> None:
    clock = Clock()
    taps = CornerTaps(clock)
    w, h = 1080, 1920
    assert not any(taps.press(10, h - 10, w, h) for _ in range(4))
    clock.now += 4  # too slow: the first taps expire
    assert not taps.press(10, h - 10, w, h)
    assert not any(taps.press(10, h - 10, w, h) for _ in range(3))
    assert taps.press(10, h - 10, w, h)
    for _ in range(4):
        taps.press(10, h - 10, w, h)
    assert not taps.press(500, 500, w, h)  # a tap elsewhere breaks the sequence
    assert not taps.press(10, h - 10, w, h)


def test_keyboards_have_every_letter_of_each_script() -> None:
    assert set("ўқғҳ") <= all_keys("uz-Cyrl")
    assert set("ңөү") <= all_keys("ky")
    assert set("çäžňöşüý") <= all_keys("tk")
    assert {"oʻ", "gʻ"} <= all_keys("uz")
    assert set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя") == all_keys("ru")
    assert set("abcdefghijklmnopqrstuvwxyz") == all_keys("en")
    for lang in ("uz", "ru", "ky", "tk", "uz-Cyrl"):
        assert all(len(row) <= 11 for row in layout_for(lang))
