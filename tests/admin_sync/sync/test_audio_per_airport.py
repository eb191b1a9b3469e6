"""A kiosk fetches only the audio of its own airport's languages (issue 13): the signed manifest
tags each audio part with its languages and lists each airport's; the agent skips the rest, the
installed content lacks them (no button, nothing broken), and when the airport gains a language
the next release brings that language's audio."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from admin_sync.agent.update import check_for_update
from admin_sync.protocol import ProtocolError, ReleaseManifest
from content.model import Content
from content.parts import join_parts, split_parts
from tests.admin_sync.sync.kiosk_under_test import Kiosk
from tests.admin_sync.sync.simulator import BASE_URL, SimulatedServer


def _ogg(text: str) -> bytes:
    return b"OggS\0" + b"OpusHead" + text.encode() * 50


# Uzbek Latin and Cyrillic read the same text here: one part, heard in two languages
AUDIO = {
    "audio/language.uz.ogg": _ogg("ozbekcha"),
    "audio/language.uz-Cyrl.ogg": _ogg("ozbekcha"),
    "audio/language.ru.ogg": _ogg("russkiy"),
    "audio/language.en.ogg": _ogg("english"),
    "audio/language.ky.ogg": _ogg("kyrgyzcha"),
    "audio/language.tk.ogg": _ogg("turkmence"),
    "audio/article.general.warning-signs.kk.ogg": _ogg("qazaqsha"),
}


def _with_audio(content: Content, tas_languages: tuple[str, ...] | None = None) -> Content:
    airports = tuple(
        dataclasses.replace(a, languages=tas_languages) if a.id == "TAS" and tas_languages else a
        for a in content.airports
    )
    return dataclasses.replace(content, assets={**content.assets, **AUDIO}, airports=airports)


def _update(kiosk: Kiosk, sim: SimulatedServer, airports: tuple[str, ...]):
    return check_for_update(
        server_url=BASE_URL,
        trusted_root=sim.provisioned_root,
        state_dir=kiosk.state_dir,
        fetcher=sim.fetcher(),
        installer=kiosk.installer,
        airports=airports,
    )


def _part_of(path: str) -> str:
    return f"assets/{hashlib.sha256(AUDIO[path]).hexdigest()}.ogg"


def test_a_kiosk_fetches_only_its_airports_audio_and_gets_a_new_language_at_the_next_release(
    sim: SimulatedServer, kiosk: Kiosk, sample_content: Content
) -> None:
    manifest = sim.publish(split_parts(_with_audio(sample_content)))
    uz = manifest.parts[_part_of("audio/language.uz.ogg")]
    assert uz.languages == ("uz", "uz-Cyrl")
    assert manifest.parts[_part_of("audio/language.tk.ogg")].languages == ("tk",)
    assert manifest.parts["shared.json"].languages == ()
    # Tashkent: its languages, their fallbacks (ru, en) and English
    assert manifest.audio_languages["TAS"] == ("en", "ru", "uz", "uz-Cyrl")
    assert manifest.audio_languages["ASB"] == ("en", "ru", "tk")
    assert ReleaseManifest.from_bytes(manifest.to_bytes()) == manifest

    report = _update(kiosk, sim, ("TAS",))
    assert report.outcome == "installed" and report.parts_skipped == 3
    fetched = "\n".join(sim.requests)
    for path in ("audio/language.ky.ogg", "audio/language.tk.ogg"):
        assert hashlib.sha256(AUDIO[path]).hexdigest() not in fetched, path
    cache = kiosk.open_cache()
    try:
        assert set(cache.asset_paths("audio/")) == {
            "audio/language.uz.ogg",
            "audio/language.uz-Cyrl.ogg",
            "audio/language.ru.ogg",
            "audio/language.en.ogg",
        }
        assert cache.asset("audio/language.ru.ogg") == AUDIO["audio/language.ru.ogg"]
    finally:
        cache.close()
    everything = sum(p.length for p in manifest.parts.values())
    tas = sum(p.length for p in manifest.parts_for(("TAS",)).values())
    assert report.part_bytes_downloaded == tas < everything

    # Tashkent adds Kyrgyz: the next release brings the Kyrgyz audio, and only it is new
    sim.requests.clear()
    sim.publish(split_parts(_with_audio(sample_content, ("uz", "uz-Cyrl", "ru", "en", "ky"))))
    report = _update(kiosk, sim, ("TAS",))
    assert report.outcome == "installed" and report.parts_skipped == 2
    new_parts = [r for r in sim.requests if "/targets/parts/" in r]
    assert len(new_parts) == report.parts_downloaded == 2  # shared.json and the Kyrgyz audio
    assert any(hashlib.sha256(AUDIO["audio/language.ky.ogg"]).hexdigest() in r for r in new_parts)
    cache = kiosk.open_cache()
    try:
        assert "audio/language.ky.ogg" in cache.asset_paths("audio/")
        assert "audio/language.tk.ogg" not in cache.asset_paths("audio/")
    finally:
        cache.close()

    # a kiosk that does not say where it stands (or stands at an airport the release does not
    # know) takes every part; two airports take both airports' audio
    assert manifest.parts_for(()) == manifest.parts_for(("TAS", "XXX")) == manifest.parts
    both = manifest.parts_for(("TAS", "ASB"))
    assert _part_of("audio/language.tk.ogg") in both
    assert _part_of("audio/language.ky.ogg") not in both


def test_the_manifest_refuses_malformed_audio_tags_and_joining_needs_audio_unless_optional(
    sample_content: Content,
) -> None:
    parts = split_parts(_with_audio(sample_content))
    raw = ReleaseManifest.from_bytes(SimulatedServer().publish(parts).to_bytes()).to_dict()
    name = _part_of("audio/language.tk.ogg")
    for bad in ("tk", ["../tk"], [1]):
        broken = {**raw, "parts": {**raw["parts"], name: {**raw["parts"][name], "languages": bad}}}
        with pytest.raises(ProtocolError, match="languages"):
            ReleaseManifest.from_bytes(json.dumps(broken).encode())
    with pytest.raises(ProtocolError, match="audio_languages"):
        ReleaseManifest.from_bytes(json.dumps({**raw, "audio_languages": {"TAS": "uz"}}).encode())
    without = {k: v for k, v in parts.items() if k != name}
    with pytest.raises(Exception, match="asset part missing"):
        join_parts(without)
    joined = join_parts(without, audio_optional=True)
    assert "audio/language.tk.ogg" not in joined.assets
    assert "audio/language.ky.ogg" in joined.assets
    # only audio may be missing: an image part still is required
    image = next(n for n in parts if n.startswith("assets/") and not n.endswith(".ogg"))
    with pytest.raises(Exception, match="asset part missing"):
        join_parts({k: v for k, v in parts.items() if k != image}, audio_optional=True)
