"""The sample's pictures: every SVG draws in Qt, the pictograms keep the icon style, the flags
have their proportions and colours, and every warning sign, checklist item and destination has
its picture (assets/README.md says which id means what)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from content.markdown_subset import parse_blocks
from content.source import load_source
from tests.content.pictogram_sheet import render

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"
ASSETS = SAMPLE / "assets"
README = Path(__file__).resolve().parents[2] / "assets" / "README.md"
SVG = "{http://www.w3.org/2000/svg}"

# The ILO's eleven indicators of forced labour (ILO, Indicators of Forced Labour, 2012), in the
# order of the numbered list of the warning-signs article.
INDICATORS = (
    "abuse-of-vulnerability",
    "deception",
    "restriction-of-movement",
    "isolation",
    "physical-and-sexual-violence",
    "intimidation-and-threats",
    "retention-of-identity-documents",
    "withholding-of-wages",
    "debt-bondage",
    "abusive-working-and-living-conditions",
    "excessive-overtime",
)
# The checklist screen lists every bullet and numbered item of general/before-you-go, in order;
# each item names its picture with a mark ({picture=checklist/<id>.svg}), these in this order.
CHECKLIST = (
    "ask-written-contract",
    "contract-terms",
    "call-employer",
    "offer-too-good",
    "licensed-recruiter",
    "no-recruitment-fee",
    "receipt",
    "keep-your-passport",
    "passport-valid",
    "two-copies",
    "photo-of-documents",
    "hotline-numbers",
    "employer-address-phone",
    "money-and-ticket-home",
    "family-knows",
)
# Drawn for items the checklist no longer has (merged as duplicates): kept, not used.
CHECKLIST_UNUSED = ("documents-and-copies", "signed-contract", "embassy-number-on-paper")
# The countries in destinations.yaml order (destinations, then home countries): official
# proportions (length : height) and colour probes at (x, y) fractions of each flag.
FLAGS: dict[str, tuple[tuple[int, int], list[tuple[float, float, str]]]] = {
    "RU": ((3, 2), [(0.5, 1 / 6, "#FFFFFF"), (0.5, 0.5, "#0039A6"), (0.5, 5 / 6, "#D52B1E")]),
    "KZ": ((2, 1), [(0.5, 8.4 / 20, "#FEC50C"), (0.3, 0.15, "#00AFCA"), (0.85, 0.85, "#00AFCA")]),
    "TR": (
        (3, 2),
        # crescent's back, star's centre, open field
        [
            (6 / 30, 0.5, "#FFFFFF"),
            (16.4 / 30, 0.5, "#FFFFFF"),
            (11 / 30, 0.5, "#E30A17"),
            (0.9, 0.1, "#E30A17"),
        ],
    ),
    "KR": (
        (3, 2),
        [
            (18 / 36, 8.5 / 24, "#CD2E3A"),  # red above
            (18 / 36, 15.5 / 24, "#0047A0"),  # blue below
            (8.85 / 36, 5.9 / 24, "#000000"),  # geon, upper left: middle bar whole
            (27.15 / 36, 5.9 / 24, "#000000"),  # gam, upper right: middle bar whole
            (8.85 / 36, 18.1 / 24, "#FFFFFF"),  # ri, lower left: middle bar broken
            (27.15 / 36, 18.1 / 24, "#FFFFFF"),  # gon, lower right: middle bar broken
        ],
    ),
    "AE": (
        (2, 1),
        [
            (0.1, 0.5, "#FF0000"),
            (0.6, 1 / 6, "#00732F"),
            (0.6, 0.5, "#FFFFFF"),
            (0.6, 5 / 6, "#000000"),
        ],
    ),
    "GB": (
        (2, 1),
        [
            (0.5, 0.1, "#C8102E"),  # cross of St George
            (15 / 60, 3 / 30, "#012169"),  # blue field
            (12 / 60, 7.1 / 30, "#C8102E"),  # hoist top: red below the diagonal...
            (12 / 60, 4.6 / 30, "#FFFFFF"),  # ...broad white above it
            (48 / 60, 5 / 30, "#C8102E"),  # fly top: red towards the hoist
            (48 / 60, 7.4 / 30, "#FFFFFF"),
        ],
    ),
    "DE": ((5, 3), [(0.5, 1 / 6, "#000000"), (0.5, 0.5, "#DD0000"), (0.5, 5 / 6, "#FFCE00")]),
    "PL": ((8, 5), [(0.5, 0.25, "#FFFFFF"), (0.5, 0.75, "#DC143C")]),
    # the home countries (the kiosk's list of nationalities)
    "UZ": (
        (2, 1),
        [
            (0.75, 0.16, "#0099B5"),
            (0.092, 0.16, "#FFFFFF"),  # the crescent's back
            (0.5, 41.25 / 125, "#CE1126"),
            (0.5, 0.5, "#FFFFFF"),
            (0.5, 0.84, "#1EB53A"),
        ],
    ),
    "TM": (
        (3, 2),
        [
            (0.9, 0.8, "#006A4E"),
            (0.095, 0.5, "#A6192E"),  # the stripe of guls
            (4.3 / 30, 1 / 20, "#FF9E1B"),  # the first gul
            (10.04 / 30, 5.46 / 20, "#FFFFFF"),  # the crescent
        ],
    ),
    "KG": (
        (5, 3),
        [
            (0.1, 0.1, "#E8112D"),
            (0.5, 0.5, "#FFEF00"),  # the sun's centre, between the tunduk's bars
            (0.5835, 0.5, "#E8112D"),  # the tunduk's ring
            (0.599, 0.5, "#FFEF00"),  # the sun outside the ring
        ],
    ),
}
PICTOGRAM_FOLDERS = ("topics", "indicators", "checklist")
# Elements outside what the pictures may use (text, CSS, raster images, effects Qt draws poorly).
NOT_TINY = {
    "text",
    "image",
    "style",
    "clipPath",
    "mask",
    "filter",
    "linearGradient",
    "radialGradient",
    "pattern",
    "foreignObject",
    "use",
    "script",
}


def _svgs(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ASSETS / folder).glob("*.svg"))


def _ids(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def _render_with_margin(path: Path, edge: int) -> tuple[QImage, QRectF]:
    """The picture drawn into the middle of an image twice its size: ink in the margin is
    ink outside the viewBox."""
    renderer = QSvgRenderer(QByteArray(path.read_bytes()))
    assert renderer.isValid(), f"{path} is not an SVG that Qt can draw"
    box = renderer.viewBoxF()
    width, height = edge * box.width() / box.height(), float(edge)
    image = QImage(round(2 * width), 2 * edge, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    inner = QRectF(width / 2, height / 2, width, height)
    painter = QPainter(image)
    renderer.render(painter, inner)
    painter.end()
    return image, inner


def _ink(image: QImage) -> list[tuple[int, int, QColor]]:
    return [
        (x, y, image.pixelColor(x, y))
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() > 0
    ]


@pytest.mark.parametrize("path", _svgs(*PICTOGRAM_FOLDERS, "flags"), ids=_ids)
def test_every_picture_draws_inside_its_view_box(qapp: Any, path: Path) -> None:
    image, inner = _render_with_margin(path, 96)
    ink = _ink(image)
    assert ink, f"{_ids(path)} draws nothing"
    # One pixel of antialiasing around the edge is allowed, nothing beyond.
    allowed = inner.adjusted(-1, -1, 1, 1)
    outside = [(x, y) for x, y, _ in ink if not allowed.contains(QRectF(x, y, 1, 1))]
    assert not outside, f"{_ids(path)} draws outside its viewBox, e.g. at {outside[:3]}"


@pytest.mark.parametrize("path", _svgs(*PICTOGRAM_FOLDERS), ids=_ids)
def test_pictograms_keep_the_icon_style(qapp: Any, path: Path) -> None:
    root = ET.fromstring(path.read_bytes())
    assert root.get("viewBox") == "0 0 24 24"
    assert (root.get("width"), root.get("height")) == ("24", "24")
    assert (root.get("fill"), root.get("stroke")) == ("none", "#000000")
    assert root.find(f"{SVG}title") is not None and (root.findtext(f"{SVG}title") or "").strip()
    for element in root.iter():
        tag = element.tag.removeprefix(SVG)
        assert tag not in NOT_TINY, f"{_ids(path)}: <{tag}> is not for icons"
        assert element.get("style") is None, f"{_ids(path)}: no CSS, plain attributes"
        for attribute in ("fill", "stroke", "color"):
            value = element.get(attribute)
            assert value in (None, "none", "#000000"), f"{_ids(path)}: {attribute}={value}"
        for attribute in ("opacity", "fill-opacity", "stroke-opacity"):
            assert element.get(attribute) is None, f"{_ids(path)}: one solid colour only"
    # One colour when drawn, and readable at 48 px: neither a faint scribble nor a blob.
    image = render(path, 48)
    ink = _ink(image)
    colours = {(c.red(), c.green(), c.blue()) for _, _, c in ink}
    assert colours == {(0, 0, 0)}, f"{_ids(path)} draws in {sorted(colours)[:3]}"
    solid = sum(1 for _, _, c in ink if c.alpha() >= 128) / (48 * 48)
    assert 0.08 <= solid <= 0.45, f"{_ids(path)} covers {solid:.0%} of its square at 48 px"


@pytest.mark.parametrize("code", sorted(FLAGS))
def test_flags_have_their_proportions_and_colours(qapp: Any, code: str) -> None:
    path = ASSETS / "flags" / f"{code}.svg"
    (length, height), probes = FLAGS[code]
    root = ET.fromstring(path.read_bytes())
    _, _, box_w, box_h = (float(v) for v in (root.get("viewBox") or "").split())
    assert box_w * height == pytest.approx(box_h * length), f"{code}: not {length}:{height}"
    for element in root.iter():
        assert element.tag.removeprefix(SVG) not in NOT_TINY
        assert element.get("style") is None
    image = render(path, 240)
    for fx, fy, expected in probes:
        x, y = min(int(fx * image.width()), image.width() - 1), int(fy * image.height())
        got = image.pixelColor(x, y)
        want = QColor(expected)
        assert (
            max(
                abs(got.red() - want.red()),
                abs(got.green() - want.green()),
                abs(got.blue() - want.blue()),
            )
            <= 3
            and got.alpha() == 255
        ), f"{code} at ({fx:.2f}, {fy:.2f}): {got.name()} not {expected}"


def _list_items(topic: str) -> dict[str, list[tuple[str, str]]]:
    """(item, picture) of every list item of general/<topic>, per language."""
    content, report = load_source(SAMPLE)
    assert not report.errors
    items: dict[str, list[tuple[str, str]]] = {}
    for article in content.articles:
        if (article.scope, article.topic) == ("general", topic):
            blocks = parse_blocks(article.body)
            items[article.language] = [
                (item, b.pictures[i] if b.pictures else "")
                for b in blocks
                if b.kind in ("bullets", "numbers")
                for i, item in enumerate(b.items)
            ]
    assert items, f"no general/{topic} article"
    return items


def test_every_warning_sign_has_its_pictogram() -> None:
    for language, items in _list_items("warning-signs").items():
        assert len(items) == len(INDICATORS), f"warning-signs ({language}) lists {len(items)} signs"
        assert [p for _, p in items] == [f"indicators/{i}.svg" for i in INDICATORS], language
    assert {p.stem for p in _svgs("indicators")} == set(INDICATORS)


def test_every_checklist_item_has_its_pictogram() -> None:
    for language, items in _list_items("before-you-go").items():
        assert len(items) == len(CHECKLIST), f"before-you-go ({language}) has {len(items)} items"
        assert [p for _, p in items] == [f"checklist/{i}.svg" for i in CHECKLIST], language
    assert {p.stem for p in _svgs("checklist")} == set(CHECKLIST + CHECKLIST_UNUSED)


def test_every_country_has_its_flag() -> None:
    """Destinations (their tiles) and home countries (the list of nationalities)."""
    content, _ = load_source(SAMPLE)
    countries = [d.id for d in content.destinations]
    assert countries == list(FLAGS)
    assert {p.stem for p in _svgs("flags")} == set(countries)
    assert all(d.flag == f"flags/{d.id}.svg" for d in content.destinations)


def test_readme_says_what_every_picture_means() -> None:
    text = README.read_text(encoding="utf-8")
    for folder, ids in (("indicators", INDICATORS), ("checklist", CHECKLIST), ("flags", FLAGS)):
        for position, ident in enumerate(ids, 1):
            row = re.search(rf"^\|\s*{position}\s*\|\s*`{folder}/{ident}\.svg`", text, re.MULTILINE)
            assert row, f"assets/README.md has no row {position} for {folder}/{ident}.svg"
