"""Every QR code of every help screen (each airport × destination, and none chosen, in each of
the airport's languages), as the kiosk's image provider serves it at the size the screen shows
it, saved as PNG and read back with a real decoder (zxing-cpp): it holds its payload, its
modules measure at least 7 px (0.5 mm) on the 21.5-inch 1080×1920 panel in both orientations,
the numbers printed are phonenumbers' international format, and the "save all numbers" vCards
hold only numbers a phone can dial where the traveller is, each once, under labels in the
reader's language, the number to call in danger first (issue 11, items 2 and 5)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import phonenumbers
import pytest
import zxingcpp
from PIL import Image

from content.cache import ContactView, ContentCache
from content.model import Contact, Content
from content.source import load_source
from kiosk.content_loader import SAMPLE_DIR
from kiosk.display_metrics import REFERENCE_SIZE_PX, display_metrics
from kiosk.qr import encode_id, modules_of, render, vcard
from kiosk.screens.cards import QrView
from kiosk.screens.help import HelpScreen, build_help
from kiosk.screens.place import Place, place_of

PANEL_DIAGONAL_IN = 21.5
MIN_MODULE_PX = 7
MIN_MODULE_MM = 0.5


@pytest.fixture(scope="module")
def source() -> Content:
    content, report = load_source(SAMPLE_DIR)
    assert not report.errors
    return content


def screens(cache: ContentCache) -> Iterator[tuple[Place, str, str, HelpScreen]]:
    for airport in cache.airports():
        place = place_of(cache, airport)
        for dest in ["", *sorted(place.destination_ids)]:
            for lang in place.languages:
                yield (
                    place,
                    dest,
                    lang,
                    build_help(cache, place, lang, cache.ui_strings(lang), dest),
                )


def served_png(code: QrView) -> bytes:
    """The PNG of the image QML gets for this code at the size the screen shows it."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize

    from kiosk.images import QrImageProvider

    image = QrImageProvider().requestImage(code.image, QSize(), QSize(code.size, code.size))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def module_px(image: Image.Image) -> float:
    """Pixels per module, measured: the top-left finder pattern's dark run is 7 modules."""
    gray = image.convert("L")
    pixels = gray.load()
    size = gray.width
    top = next(y for y in range(size) if any(pixels[x, y] < 128 for x in range(size)))
    left = next(x for x in range(size) if pixels[x, top] < 128)
    run = next(x for x in range(left, size) if pixels[x, top] >= 128) - left
    return run / 7


def device_px_per_design_px() -> list[tuple[float, float]]:
    """(scale, px per mm) of the kiosk on the 21.5-inch 1080×1920 panel, both orientations."""
    width, height = REFERENCE_SIZE_PX
    found = []
    for window in [(width, height), (height, width)]:
        metrics = display_metrics(window, window, diagonal_in=PANEL_DIAGONAL_IN)
        assert metrics.px_per_mm is not None
        found.append((metrics.scale, metrics.px_per_mm))
    return found


def vcard_fields(payload: str) -> list[tuple[str, str]]:
    """(label, number) of each TEL of a vCard, with its X-ABLabel (same item group)."""
    lines = payload.split("\r\n")
    tels = {}
    labels = {}
    for line in lines:
        match = re.fullmatch(r"(item\d+)\.(TEL|X-ABLabel)(?:;[^:]*)?:(.*)", line)
        if match:
            group, field, value = match.groups()
            value = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), value)
            (tels if field == "TEL" else labels)[group] = value
    assert set(tels) == set(labels), payload
    return [(labels[g], tels[g]) for g in tels]


def international(number: str) -> str:
    if not number.startswith("+"):
        return number
    parsed = phonenumbers.parse(number, None)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def numbers_of(contact: Contact) -> list[str]:
    return [*([contact.short] if contact.short else []), *contact.phones]


def allowed_numbers(source: Content, place: Place, dest: str) -> set[str]:
    """What a phone can dial where the traveller is, from the sources and phonenumbers alone:
    in a destination, its declared number, its contacts for this nationality and home
    numbers in E.164 callable from abroad; before one is chosen, every home number."""
    emergency = {d.id: d.emergency for d in source.destinations}
    home = place.home_country
    if not dest:
        return {emergency[home] or ""} | {
            n for c in source.contacts if c.country == home for n in numbers_of(c)
        }
    allowed = {emergency[dest] or ""}
    for c in source.contacts:
        if c.country == dest and (not c.serves or place.nationality in c.serves):
            allowed.update(numbers_of(c))
        elif c.country == home and (not c.serves or dest in c.serves):
            allowed.update(
                n
                for n in c.phones
                if phonenumbers.can_be_internationally_dialled(phonenumbers.parse(n, None))
            )
    return allowed


def test_every_code_of_every_help_screen_decodes_at_its_size_and_scans_on_a_cheap_phone(
    qapp, cache: ContentCache, source: Content
) -> None:
    scales = device_px_per_design_px()
    measured: dict[tuple[str, int], float] = {}
    per_vcard: list[int] = []
    names = {(c.id, lang): text for c in source.contacts for lang, text in c.name.items()}
    generated = {lang.id: lang.generated_from for lang in source.languages if lang.generated_from}
    for place, dest, lang, page in screens(cache):
        where = (place.airport, dest, lang)
        codes = [page.in_danger_code, *page.vcards, *(c for card in page.cards for c in card.codes)]
        for code in codes:
            if code is None:
                continue
            key = (code.payload, code.size)
            if key not in measured:
                image = Image.open(io.BytesIO(served_png(code)))
                assert image.width <= code.size, (where, code.label)
                found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
                assert [b.text for b in found] == [code.payload], (where, code.label)
                measured[key] = module_px(image)
            for scale, px_per_mm in scales:
                device = measured[key] * scale
                assert device >= MIN_MODULE_PX, (where, code.kind, code.label, device)
                assert device / px_per_mm >= MIN_MODULE_MM
        # numbers printed: phonenumbers' international format; tel: codes keep E.164
        for code in codes:
            if code is not None and code.kind == "tel":
                number = code.payload.removeprefix("tel:")
                assert re.fullmatch(r"\+?[0-9]+", number), code.payload
                assert code.label == international(number), (where, code.label)
        if page.in_danger_code is not None:
            assert page.in_danger_code.label in page.in_danger

        # the vCards
        strings = cache.ui_strings(lang)
        assert page.vcards, where
        per_vcard.append(len(page.vcards))
        count = len(page.vcards)
        saved: list[tuple[str, str]] = []
        for i, code in enumerate(page.vcards, start=1):
            assert code.payload.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
            assert code.payload.endswith("\r\nEND:VCARD\r\n") and code.payload.count("BEGIN") == 1
            if count > 1:
                want = strings["help.vcard_part"].format(part=i, count=count)
                assert code.caption == want, where
            saved += vcard_fields(code.payload)
        numbers = [n for _, n in saved]
        labels = [label for label, _ in saved]
        assert len(set(numbers)) == len(numbers), (where, numbers)
        assert len(set(labels)) == len(labels), (where, labels)
        assert set(numbers) <= allowed_numbers(source, place, dest), (where, numbers)
        danger = cache.emergency_number(dest or place.home_country)
        if danger:
            assert saved[0] == (strings["contact.kind.emergency"], danger), where
        # labels: the contact's name in the reader's language wherever the sources have one
        there, home = (
            cache.help_contacts(dest, place.home_country, lang, place.nationality)
            if dest
            else ([], cache.contacts([place.home_country], lang))
        )
        by_number: dict[str, ContactView] = {}
        for c in there + home:  # a number is saved under the first contact that has it
            for n in [c.short or "", *c.phones]:
                by_number.setdefault(n, c)
        for label, number in saved[1 if danger else 0 :]:
            contact = by_number[number]
            assert re.fullmatch(re.escape(contact.name) + r"( \d+)?", label), (where, label)
            written = names.get((contact.id, lang)) or names.get(
                (contact.id, generated.get(lang, "")), ""
            )
            if written:
                assert contact.name_language == lang, (where, label, contact.name_language)
    sizes = sorted(measured.values())
    print(
        f"\nmodule px at design size: min {sizes[0]:.0f}, max {sizes[-1]:.0f}; "
        f"codes per vCard: min {min(per_vcard)}, max {max(per_vcard)}"
    )
    assert any(count > 1 for count in per_vcard)  # the splitting is exercised


def test_a_code_too_dense_for_its_place_would_fail(qapp) -> None:
    """The checks above can fail: a vCard asked in 320 px keeps 7 px per module and so
    overflows its place (the image is wider than the item), and the measurement reads a code
    drawn at 4 px per module as 4 px."""
    payload = vcard("Help", [(f"Hotline {i}", f"+7495123456{i}") for i in range(8)])
    code = QrView("vcard", f"vcard/{encode_id(payload)}", "", payload, "", 320)
    image = Image.open(io.BytesIO(served_png(code)))
    assert image.width > code.size and module_px(image) == MIN_MODULE_PX
    assert module_px(render(payload, 4 * modules_of(payload))) == 4


def test_the_sample_has_grouped_numbers_and_drops_home_short_numbers_abroad(
    cache: ContentCache, source: Content
) -> None:
    """The issue's examples: +448000121700 reads "+44 800 012 1700"; a short home number
    (1003-like) is in the home vCard but never in a destination's."""
    gb = build_help(cache, place_of(cache, "TAS"), "en", cache.ui_strings("en"), "GB")
    labels = {c.label for card in gb.cards for c in card.codes if c.kind == "tel"}
    assert "+44 800 012 1700" in labels
    tas = place_of(cache, "TAS")
    short_home = {c.short for c in source.contacts if c.country == tas.home_country and c.short}
    assert short_home
    at_home = build_help(cache, tas, "en", cache.ui_strings("en"), "")
    home_saved = {n for code in at_home.vcards for _, n in vcard_fields(code.payload)}
    assert short_home <= home_saved | {cache.emergency_number(tas.home_country)}
    for dest in sorted(tas.destination_ids):
        page = build_help(cache, tas, "en", cache.ui_strings("en"), dest)
        saved = {n for code in page.vcards for _, n in vcard_fields(code.payload)}
        local = {n for c in source.contacts if c.country == dest for n in numbers_of(c)} | {
            cache.emergency_number(dest)
        }
        assert not (short_home - local) & saved, dest


def test_every_code_of_every_article_decodes_at_its_size_with_7_px_modules(
    qapp, cache: ContentCache
) -> None:
    """The articles' contacts and links (long https links included), every airport's
    languages × destinations × topics, as served at the size QrRow shows them."""
    from kiosk.screens.article import build_article

    scales = device_px_per_design_px()
    decoded: set[tuple[str, int]] = set()
    urls = 0
    for airport in cache.airports():
        place = place_of(cache, airport)
        for lang in place.languages:
            strings = cache.ui_strings(lang)
            for dest in sorted(place.destination_ids):
                for topic in [x.id for x in cache.topics(lang)]:
                    page = build_article(
                        cache, place, lang, strings, dest=dest, topic=topic, large_text=False
                    )
                    codes = [*page.links, *(c for card in page.contacts for c in card.codes)]
                    for code in codes:
                        if (code.payload, code.size) in decoded:
                            continue
                        decoded.add((code.payload, code.size))
                        urls += code.kind == "url"
                        image = Image.open(io.BytesIO(served_png(code)))
                        assert image.width <= code.size, code.label
                        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
                        assert [b.text for b in found] == [code.payload]
                        for scale, _ in scales:
                            assert module_px(image) * scale >= MIN_MODULE_PX, code.label
                        if code.kind == "tel":
                            number = code.payload.removeprefix("tel:")
                            assert code.label == international(number)
    assert urls > 10
