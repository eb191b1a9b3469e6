"""Pictures in the window: each destination's flag beside its name on the home screen's tiles,
and every picture rendered sharp on a 4K panel (its pixels at least its painted device pixels)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtQml import QQmlEngine, QQmlExpression

from kiosk.tour import is_shown, walk

AIRPORTS = ("TAS", "FRU", "ASB")  # together they offer every language of the sample
SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}


def status(image: Any) -> str:
    """The Image's loading status by name (PySide cannot convert the enum property)."""
    expression = QQmlExpression(
        QQmlEngine.contextForObject(image),
        image,
        "['Null', 'Ready', 'Loading', 'Error'][status]",
    )
    value, failed = expression.evaluate()
    return "unknown" if failed else str(value)


def shown_images(item: Any) -> list[Any]:
    return [i for i in walk(item) if i.inherits("QQuickImage") and is_shown(i)]


def tile_problems(d: Any, dest: str) -> list[str]:
    """What is wrong with the flag on `dest`'s tile (empty: its flag is there, beside its name)."""
    tile = d.find(f"home.destination.{dest}")
    where = f"{d.controller.airport_place.airport} {d.controller.language} {dest}"
    images = shown_images(tile)
    if len(images) != 1:
        return [f"{where}: {len(images)} pictures on the tile"]
    flag = images[0]
    source = flag.property("source").toString()
    problems = []
    if not source.endswith(f"flags/{dest}.svg"):
        problems.append(f"{where}: the tile shows {source!r}, not its flag")
    if status(flag) != "Ready":
        problems.append(f"{where}: the flag is not loaded (status {status(flag)})")
    # a flag is wider than tall (the placeholder of a missing picture is square)
    if not flag.property("implicitWidth") > flag.property("implicitHeight") > 0:
        problems.append(f"{where}: the picture is not a flag's shape")
    labels = [
        t for t in walk(tile) if t.inherits("QQuickText") and is_shown(t) and t.property("text")
    ]
    name = d.controller.cache.destination_name(dest, d.controller.language)
    if [t.property("text") for t in labels] != [name]:
        problems.append(f"{where}: the tile's words are {[t.property('text') for t in labels]}")
    else:
        pic = flag.mapRectToScene(QRectF(0, 0, flag.width(), flag.height()))
        text = labels[0].mapRectToScene(QRectF(0, 0, labels[0].width(), labels[0].height()))
        beside = pic.right() <= text.left() + 1 and pic.top() < text.bottom()
        if not beside or pic.bottom() <= text.top():
            problems.append(f"{where}: the flag is not beside the name ({pic} / {text})")
    return problems


@pytest.mark.parametrize("airport", AIRPORTS)
def test_every_destination_tile_shows_its_flag_beside_its_name(make_kiosk, airport: str) -> None:
    d = make_kiosk(airport=airport)
    c = d.controller
    problems: list[str] = []
    for orientation, size in SIZES.items():
        d.resize(*size)
        for lang in c.airport_place.languages:
            c.finish()
            c.start()
            c.chooseLanguage(lang)
            d.process()
            d.wait_frame()
            dests = [x["id"] for x in c.homePage["destinations"]]
            assert sorted(dests) == sorted(c.airport_place.destination_ids)
            for dest in dests:
                d.ensure_visible(d.find(f"home.destination.{dest}"))
                d.wait_frame()
                problems += [f"{orientation}: {p}" for p in tile_problems(d, dest)]
    assert problems == [], "\n".join(problems)


def blur_problems(d: Any) -> list[str]:
    """Pictures (not QR codes, drawn pixel for pixel on purpose) with fewer pixels than they are
    painted on: stretched, so soft."""
    window = d.window
    dpr = window.devicePixelRatio()
    problems = []
    for image in shown_images(window.contentItem()):
        source = image.property("source").toString()
        if not source or source.startswith("image://qr/"):
            continue
        if status(image) != "Ready":
            problems.append(f"{d.controller.screen}: {source} is not loaded")
            continue
        painted = image.mapRectToScene(
            QRectF(0, 0, image.property("paintedWidth"), image.property("paintedHeight"))
        )
        need_w, need_h = painted.width() * dpr, painted.height() * dpr
        have_w, have_h = image.property("implicitWidth"), image.property("implicitHeight")
        if have_w < need_w - 1 or have_h < need_h - 1:
            problems.append(
                f"{d.controller.screen}: {source} has {have_w:.0f}x{have_h:.0f} px, painted on "
                f"{need_w:.0f}x{need_h:.0f} device px"
            )
    return problems


@pytest.mark.parametrize("size", [(2160, 3840), (3840, 2160)])
def test_pictures_are_sharp_on_a_4k_panel(make_kiosk, size: tuple[int, int]) -> None:
    d = make_kiosk(size=size)
    scale = d.window.property("uiScale")
    assert scale > 1.9, f"the 4K panel is drawn at {scale}x: the test would not see blur"
    problems = blur_problems(d)  # the attract screen's touch icon
    checked = len(shown_images(d.window.contentItem()))
    d.tap("attract.start")
    d.tap("language.ru")
    d.wait_frame()
    problems += blur_problems(d)  # the bar's icons, the home screen's flags and icons
    checked += len(shown_images(d.window.contentItem()))
    d.tap("home.destination.RU")
    d.wait_frame()
    problems += blur_problems(d)  # topic icons, the nationality chip
    checked += len(shown_images(d.window.contentItem()))
    d.tap("nationality.chip")
    d.wait_frame()
    problems += blur_problems(d)  # the list of nationalities
    d.tap("nationality.cancel")
    d.tap("topic.entry-registration")
    d.wait_frame()
    problems += blur_problems(d)  # the article's icon
    assert checked > 20
    assert problems == [], "\n".join(problems)


def test_a_flag_asked_for_in_a_new_box_is_drawn_for_that_box(qapp, cache) -> None:
    """A binding sets sourceSize's width, then its height: the second request must not get the
    picture drawn for the first box (width-only cache keys did, and the flag stayed soft)."""
    from PySide6.QtCore import QSize

    from kiosk.images import AssetImageProvider

    provider = AssetImageProvider(cache.asset)
    size = QSize()
    first = provider.requestImage("flags/TR.svg", size, QSize(144, 72))
    assert (first.width(), first.height()) == (108, 72)
    second = provider.requestImage("flags/TR.svg", size, QSize(144, 144))
    assert (second.width(), second.height()) == (144, 96) == (size.width(), size.height())
