"""Issue 11 item 4: what travellers see (a short public source label per language, the date
checked) is kept apart from editorial notes, which never reach a kiosk."""

from __future__ import annotations

from pathlib import Path

from content.build import build_cache
from content.cache import ContentCache
from content.parts import split_parts
from content.source import load_source

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"
# Words only editors write: a public label or a kiosk text never holds them.
EDITORIAL = (
    "Sample entry",
    "Sample text",
    "to be verified",
    "To be reviewed",
    "not yet confirmed;",
)


def _sample():  # type: ignore[no-untyped-def]
    content, report = load_source(SAMPLE)
    assert report.ok, report.format()
    return content


def test_the_sample_keeps_its_editorial_texts_in_notes() -> None:
    content = _sample()
    notes = [c.notes for c in content.contacts] + [a.notes for a in content.articles]
    assert sum(1 for n in notes if n) > 300
    for contact in content.contacts:
        assert contact.notes, contact.id
        for lang, label in contact.source.items():
            assert not any(w.lower() in label.lower() for w in EDITORIAL), (contact.id, lang)
            assert len(label) <= 80
    for a in content.articles:
        assert not any(w.lower() in a.source.lower() for w in EDITORIAL), a.key


def test_every_contact_has_a_public_label_in_every_language_an_airport_offers() -> None:
    content = _sample()
    offered = {lang for airport in content.airports for lang in airport.languages}
    for contact in content.contacts:
        assert offered <= set(contact.source), (contact.id, offered - set(contact.source))


def test_notes_never_reach_the_cache_file_or_the_release_parts(tmp_path: Path) -> None:
    """Search the built cache file's bytes (and the parts a kiosk downloads) for every note."""
    content = _sample()
    notes = {n for n in [c.notes for c in content.contacts] + [a.notes for a in content.articles]}
    notes.discard(None)
    out = tmp_path / "cache.db"
    build_cache(content, out, content_version=1)
    data = out.read_bytes()
    parts = b"".join(split_parts(content).values())
    # Each note (whole, and its last 50 characters: a note often starts with a name that the
    # public text also holds), and the editorial words.
    for note in sorted(n for n in notes if n):
        for probe in (note.encode("utf-8"), note[-50:].encode("utf-8")):
            assert probe not in data, note
            assert probe not in parts, note
    for word in EDITORIAL:
        assert word.encode("utf-8") not in data, word
        assert word.encode("utf-8") not in parts, word
    # What travellers do see: the public label, in the reader's language.
    with ContentCache.open(out) as cache:
        (ru_police,) = [c for c in cache.contacts(["RU"], "ru") if c.id == "ru-police"]
        assert ru_police.source == "mos.ru"
        tm = [c for c in cache.contacts(["TM"], "ru") if c.id == "tm-ambulance"]
        assert tm[0].source == "Ещё не подтверждено"


def test_the_test_can_fail_a_note_in_a_public_label_is_found(tmp_path: Path) -> None:
    """The byte search above finds a note when one leaks (here: put into a public label)."""
    from dataclasses import replace

    content = _sample()
    leaked = replace(content.contacts[0], source={"en": content.contacts[0].notes or ""})
    content = replace(content, contacts=(leaked, *content.contacts[1:]))
    out = tmp_path / "cache.db"
    build_cache(content, out, content_version=1)
    assert (leaked.notes or "x")[-50:].encode("utf-8") in out.read_bytes()
