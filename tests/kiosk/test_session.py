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
    session.search_text, session.scroll["3:article"], session.checklist = "пасп", 900.0, {"g/0/1/0"}
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
    assert {"oʻ", "gʻ", "\u02bc"} <= all_keys("uz")
    digits = set("0123456789")
    assert set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя") | digits == all_keys("ru")
    assert set("abcdefghijklmnopqrstuvwxyz") | digits == all_keys("en")
    for lang in ("uz", "ru", "ky", "tk", "uz-Cyrl", "en", "kk"):
        assert digits <= all_keys(lang), lang
        assert all(len(row) <= 11 for row in layout_for(lang))


# --- where taps lead (the navigation rules) ----------------------------------------------


def names(session: Session) -> list[str]:
    return [s.name for s in session.stack]


def started(lang: str = "ru") -> Session:
    session = Session()
    assert session.begin(now=5.0)
    session.choose_language(lang)
    return session


def test_the_first_language_choice_leads_home_and_back_never_leaves_it() -> None:
    session = Session()
    assert not session.bar_visible and not session.can_go_back
    assert session.begin(now=5.0) and session.started_at == 5.0
    assert not session.begin(now=6.0)  # only from the attract screen
    assert names(session) == ["attract", "language"] and not session.changing_language
    session.choose_language("uz")
    assert names(session) == ["attract", "home"] and session.language == "uz"
    assert not session.can_go_back and not session.go_back()
    assert names(session) == ["attract", "home"] and session.bar_visible


def test_changing_the_language_later_returns_to_the_same_screen() -> None:
    session = started()
    session.open_destination("RU")
    session.push("language")
    assert session.changing_language and session.can_go_back
    session.choose_language("en")
    assert names(session) == ["attract", "home", "destination"] and session.language == "en"


def test_topics_links_and_search_hits_open_the_right_article() -> None:
    session = started()
    session.open_topic("money")
    assert session.current.params == {"dest": "general", "topic": "money"}
    session.open_destination("RU")
    assert session.destination == "RU"
    session.open_topic("work")
    assert session.current.params == {"dest": "RU", "topic": "work"}
    assert session.open_link("https://example.org") is None
    assert session.open_link("article:general/rights") == "rights"
    assert session.current.params == {"dest": "RU", "topic": "rights"}  # general: this country
    assert session.open_link("article:KZ/entry") == "entry"
    assert session.current.params == {"dest": "KZ", "topic": "entry"}
    session.open_topic("visa", "TR")  # a search hit in another country
    assert session.current.params == {"dest": "TR", "topic": "visa"}
    session.open_topic("visa", "general")
    assert session.current.params == {"dest": "RU", "topic": "visa"}


def test_help_opened_before_a_language_is_chosen_offers_the_choice_until_it_is_left() -> None:
    session = Session()
    assert session.begin(now=5.0)
    session.open_help()
    assert names(session) == ["attract", "language", "help"]
    assert session.current.params == {"dest": "", "choose": "1"}
    session.choose_language("ky")  # from the help screen's row: it stays there
    assert names(session) == ["attract", "language", "help"] and session.language == "ky"
    assert session.current.params["choose"] == "1"
    session.go_back()
    session.choose_language("ky")
    session.open_help()  # after a choice: no row
    assert session.current.params == {"dest": ""}


def test_the_same_screen_is_not_pushed_twice_and_home_keeps_the_way_there() -> None:
    session = started()
    session.open_help()
    session.open_help()
    assert names(session) == ["attract", "home", "help"] and session.current.params == {"dest": ""}
    session.go_home()
    assert names(session) == ["attract", "home"]
    assert session.scroll_key == "2:home"


def test_what_a_person_changes_on_a_screen() -> None:
    session = started()
    for _ in range(50):
        session.type_key("a")
    assert session.search_text == "a" * 40
    session.backspace()
    assert len(session.search_text) == 39
    session.toggle_check("general/0/1/3")
    session.toggle_check("RU/0/2/0")
    session.toggle_check("general/0/1/3")
    assert session.checklist == {"RU/0/2/0"}
    session.toggle_text_size()
    assert session.large_text
    session.save_scroll("2:home", 120)
    assert session.scroll == {"2:home": 120.0}
    session.reset()
    assert session.is_default()
    session.save_scroll("1:attract", 5)  # nothing is kept on the attract screen
    assert session.scroll == {}


def test_a_language_named_on_the_attract_screen_starts_at_home() -> None:
    s = Session()
    assert s.begin_in(5.0, "ru")
    assert [x.name for x in s.stack] == ["attract", "home"] and s.language == "ru"
    assert s.started_at == 5.0 and not s.can_go_back
    assert not s.begin_in(6.0, "en") and s.language == "ru"


def test_the_idle_limit_is_longer_while_qr_codes_are_shown() -> None:
    now = [0.0]
    idle = IdleLogic(lambda: now[0], 60, 20, qr_idle_seconds=180)
    idle.start()
    idle.showing_codes(True)
    now[0] = 70
    assert idle.phase() is IdlePhase.ACTIVE and idle.next_check_in() == 110
    idle.showing_codes(False)
    assert idle.phase() is IdlePhase.ASKING
    assert IdleLogic(lambda: 0.0, 60, 20).qr_idle_seconds == 60
