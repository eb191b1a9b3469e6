"""Pictures beside the words (issue 13 item 4): the checklist and the warning signs show an
Image for every pictured item, left of its text, in the kiosk's real QML (offscreen)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, QPointF

from kiosk.tour import walk

LANGUAGES = [("TAS", "uz"), ("FRU", "ky"), ("ASB", "tk")]


def _wait(driver: Any, condition: Any, what: str, timeout_ms: int = 5000) -> None:
    timer = QElapsedTimer()
    timer.start()
    while not condition():
        assert timer.elapsed() < timeout_ms, what
        driver.process(10)


def _named(driver: Any, prefix: str) -> list[Any]:
    root = driver.window.contentItem()
    return [i for i in walk(root) if i.objectName().startswith(prefix) and i.isVisible()]


def _loaded(image: Any) -> bool:
    """Loaded and drawn from a real picture (PySide cannot read the `status` enum)."""
    return image.property("progress") == 1.0 and image.property("implicitWidth") > 0


def _left_of_text(picture: Any, text: Any) -> bool:
    right = picture.mapToScene(QPointF(picture.width(), 0)).x()
    return right <= text.mapToScene(QPointF(0, 0)).x()


@pytest.mark.parametrize(("airport", "lang"), LANGUAGES)
def test_checklist_shows_a_picture_beside_each_item(
    make_kiosk: Any, airport: str, lang: str
) -> None:
    d = make_kiosk(airport=airport)
    c = d.controller
    c.start()
    c.chooseLanguage(lang)
    c.openChecklist()
    page = c.checklistPage
    pictured = [i for i, p in enumerate(page["pictures"]) if p]
    assert pictured and len(page["pictures"]) == len(page["items"])
    _wait(d, lambda: len(_named(d, "checklist.picture.")) == len(pictured), "pictures built")
    pictures = {p.objectName(): p for p in _named(d, "checklist.picture.")}
    assert set(pictures) == {f"checklist.picture.{i}" for i in pictured}
    _wait(
        d,
        lambda: all(_loaded(p) for p in pictures.values()),
        "pictures loaded",
    )
    for name, picture in pictures.items():
        assert picture.width() == picture.height() == 96
        row = picture.parentItem()
        texts = [
            t
            for t in row.childItems()
            if t.property("text") == page["items"][int(name.rsplit(".", 1)[1])]
        ]
        assert texts and _left_of_text(picture, texts[0]), name


@pytest.mark.parametrize(("airport", "lang"), LANGUAGES)
def test_warning_signs_show_a_picture_beside_each_sign(
    make_kiosk: Any, airport: str, lang: str
) -> None:
    d = make_kiosk(airport=airport)
    c = d.controller
    c.start()
    c.chooseLanguage(lang)
    c.openDestination(c.page["destinations"][0]["id"])
    c.openTopic("warning-signs")
    page = c.page
    rows = list(page["rowsFirst"]) + list(page["rowsRest"])
    pictured = [r for r in rows if r["picture"]]
    assert len(pictured) == 11
    _wait(d, lambda: len(_named(d, "article.row")) == len(rows), "rows built")
    d.wait_frame()
    shown = [p for p in _named(d, "article.picture")]
    assert len(shown) == len(pictured)  # one Image per pictured item, none for the others
    assert sorted(p.property("source").toString() for p in shown) == sorted(
        r["picture"] for r in pictured
    )
    _wait(d, lambda: all(_loaded(p) for p in shown), "loaded")
    for picture in shown:
        row = picture.parentItem()
        texts = [t for t in row.childItems() if t.inherits("QQuickText") and t.property("text")]
        marker, words = sorted(texts, key=lambda t: t.x())  # the bullet or number, the words
        assert _left_of_text(marker, picture) and _left_of_text(picture, words)
