"""The full screenshot tour of one airport: every screen, every language, both orientations,
with no Qt warning (pytest-qt fails the test on any), and QR codes that decode on screen."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image

from kiosk.tour import ORIENTATIONS, run_tour

SCREENS = {
    "attract",
    "language",
    "home",
    "destination",
    "article",
    "help",
    "help-save-all",
    "checklist",
    "search",
    "article-large",
    "idle",
}


def test_full_tour_of_an_airport(qapp, settings, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "tour"
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    assert run_tour(settings, out) == 0
    tour = json.loads((out / "tour.json").read_text())
    entries = tour["screens"]
    # the folder holds the pictures and their index only; the kiosk's state files (usage
    # counters, first-frame record, command mailbox) went to a temporary folder, now removed
    assert sorted(p.name for p in out.iterdir()) == sorted(
        {"tour.json"} | {e["file"] for e in entries}
    )
    assert list(temp.iterdir()) == []
    languages = {"uz", "uz-Cyrl", "ru", "en"}  # Tashkent's languages
    for orientation in ORIENTATIONS:
        for lang in languages:
            seen = {
                e["screen"]
                for e in entries
                if e["orientation"] == orientation and e["language"] == lang
            }
            assert seen >= SCREENS, (orientation, lang, SCREENS - seen)
        assert any(
            e["screen"] == "maintenance" and e["orientation"] == orientation for e in entries
        )
    for entry in entries:
        image = Image.open(out / entry["file"])
        expected = ORIENTATIONS[entry["orientation"]]
        assert image.size == expected, entry
        assert entry["ms"] is None or entry["ms"] > 0
    assert sum(1 for e in entries if e["ms"] is not None) >= 60
    # The help screen, as it is on screen: its QR codes decode to the numbers printed.
    # (the code saving them all is further down, shot scrolled to it)
    texts = set()
    for shot in ("portrait-en-help.png", "portrait-en-help-save-all.png"):
        found = zxingcpp.read_barcodes(
            Image.open(out / shot), formats=zxingcpp.BarcodeFormat.QRCode
        )
        texts |= {b.text for b in found}
    assert "tel:112" in texts
    assert any(t.startswith("BEGIN:VCARD") and "TEL" in t for t in texts)
