"""Publishing carries the listen buttons' audio as release parts (issue 13): a recording in the
source folder becomes a content-addressed part the kiosk's install joins back into its content;
synthesis is used only where the server's setting turns it on."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from admin_sync.datadir import DataDir
from admin_sync.publish import publish_source, speech_synthesizer
from admin_sync.server.settings import ServerSettings
from content.parts import join_parts
from content.source import load_source
from content.speech import Synthesizer, mark_recordings
from tests.content.audio_probe import needs_tools
from tests.e2e.server_process import init_data

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"


def test_speech_synthesis_is_a_setting_on_in_the_installed_server() -> None:
    assert ServerSettings(data_dir=Path("x")).speech_synthesis is False
    on = ServerSettings.from_environ(
        {"SAFE_AIRPORTS_SPEECH_SYNTHESIS": "true"}, {"data_dir": "/srv/data"}
    )
    assert on.speech_synthesis is True
    unit = (Path(__file__).resolve().parents[2] / "deploy" / "server").joinpath(
        "safe-airports-server.service"
    )
    assert "Environment=SAFE_AIRPORTS_SPEECH_SYNTHESIS=true" in unit.read_text()
    data = DataDir(Path("/srv/data"))
    assert speech_synthesizer(data, False) is None
    made = speech_synthesizer(data, True)
    assert isinstance(made, Synthesizer) and made.cache_dir == Path("/srv/data/speech-cache")


@needs_tools
def test_a_recording_is_published_as_its_own_part(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(SAMPLE, source)
    (source / "audio").mkdir()
    wav, ogg = tmp_path / "r.wav", source / "audio" / "article.TR.entry-registration.ky.ogg"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(wav), "synth", "3"]
        + ["sine", "300", "vol", "0.3"],
        check=True,
    )
    subprocess.run(["opusenc", "--quiet", str(wav), str(ogg)], check=True)
    content, _ = load_source(source)
    mark_recordings(content, source, [ogg.name])  # recorded for the text the screen shows
    data = DataDir(init_data(tmp_path))
    manifest = publish_source(data, source, production=False, published_by="test")
    sha = hashlib.sha256(ogg.read_bytes()).hexdigest()
    part = f"assets/{sha}.ogg"
    assert part in manifest.parts and manifest.parts[part].length == ogg.stat().st_size
    # without synthesis on, that recording is the only audio
    assert [n for n in manifest.parts if n.endswith(".ogg")] == [part]
    # what a kiosk joins from the parts holds it under the item's name
    store = data.store()
    from admin_sync.protocol import part_target
    from admin_sync.tuf_repo import hashed_target_name

    parts = {
        name: store.read_target(hashed_target_name(part_target(name), info.sha256))
        for name, info in manifest.parts.items()
    }
    content = join_parts({k: v for k, v in parts.items() if v is not None})
    assert content.assets["audio/article.TR.entry-registration.ky.ogg"] == ogg.read_bytes()


@needs_tools
def test_a_bad_recording_publishes_nothing(tmp_path: Path) -> None:
    from admin_sync.publish import PublishError

    source = tmp_path / "src"
    shutil.copytree(SAMPLE, source)
    (source / "audio").mkdir()
    (source / "audio" / "language.ky.ogg").write_bytes(b"not audio")
    data = DataDir(init_data(tmp_path))
    with pytest.raises(PublishError) as caught:
        publish_source(data, source, production=False, published_by="test")
    assert any("audio/language.ky.ogg" in line for line in caught.value.lines)
    assert data.latest_content_version() is None


def test_the_demo_publishes_with_speech_where_espeak_ng_is_installed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`make demo` had no listen buttons: its publish ran without speech synthesis (the
    server setting is off by default). It turns it on where the tools are, with the cache the
    tests fill, and the settings read it."""
    from admin_sync.demo_stack import SPEECH_CACHE, speech_environ

    tools = tmp_path / "bin"
    tools.mkdir()
    monkeypatch.setenv("PATH", str(tools))
    assert "SAFE_AIRPORTS_SPEECH_SYNTHESIS" not in speech_environ({})  # no espeak-ng here
    for tool in ("espeak-ng", "opusenc"):
        (tools / tool).write_text("#!/bin/sh\n")
        (tools / tool).chmod(0o755)
    env = speech_environ({})
    settings = ServerSettings.from_environ(env, {"data_dir": str(tmp_path)})
    assert settings.speech_synthesis is True and settings.speech_cache_dir == SPEECH_CACHE
    made = speech_synthesizer(DataDir(tmp_path), True, settings.speech_cache_dir)
    assert made is not None and made.cache_dir == SPEECH_CACHE
    # an administrator's own choice is kept
    assert (
        speech_environ({"SAFE_AIRPORTS_SPEECH_SYNTHESIS": "false"})[
            "SAFE_AIRPORTS_SPEECH_SYNTHESIS"
        ]
        == "false"
    )
