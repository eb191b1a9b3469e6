"""Every audio part of the sample release, decoded by an independent decoder (FFmpeg), with its
language and length checked against its text; and what audio costs a release and an update."""

from __future__ import annotations

import json
import secrets
import shutil
from pathlib import Path

import pytest

from content.parts import SHARED_PART, split_parts
from content.source import load_source
from content.speech import VOICES, content_with_audio
from content.speech_text import AUDIO_DIR, article_blocks, article_item, audio_path, speech_parts
from tests.content.audio_probe import decode_all, needs_tools, probe_many
from tests.content.sample_audio import SAMPLE, SampleAudio, sample_with_audio

pytestmark = needs_tools
SECONDS_PER_WORD = (0.15, 1.5)  # digits read one by one count as words


@pytest.fixture(scope="session")
def sample_audio(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SampleAudio:
    cache = getattr(request.config, "cache", None)
    folder = cache.mkdir("speech") if cache is not None else tmp_path_factory.mktemp("speech")
    return sample_with_audio(Path(folder))


def _audio_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Asset path (audio/...) -> part name, from the release's shared part."""
    shared = json.loads(parts[SHARED_PART])
    return {p: name for p, name in shared["assets"].items() if p.startswith(f"{AUDIO_DIR}/")}


@pytest.mark.timeout(1800)  # a fresh clone synthesizes the sample first (sample_audio)
def test_every_audio_part_decodes_in_its_language_with_a_plausible_length(
    sample_audio: SampleAudio, tmp_path: Path
) -> None:
    parts = split_parts(sample_audio.content)
    audio = _audio_parts(parts)
    sources = {s.path: s for s in sample_audio.plan.sources}
    assert set(audio) == set(sources) and len(audio) > 300
    assert sample_audio.plan.no_voice == ("tg",)
    # each distinct part once (Uzbek Latin and Cyrillic often read the same text)
    files = {name: tmp_path / name.replace("/", "_") for name in sorted(set(audio.values()))}
    for name, file in files.items():
        file.write_bytes(parts[name])
    probed = probe_many(list(files.values()))
    assert len(probed) == len(files)
    for path, name in sorted(audio.items()):
        info = probed[files[name]]
        assert (info.format_name, info.codec, info.channels) == ("ogg", "opus", 1), path
        lang = path.removesuffix(".ogg").rsplit(".", 1)[1]
        assert info.tags["language"] == VOICES[lang], path
        words = len(sources[path].text.split())
        low, high = SECONDS_PER_WORD
        assert low * words <= info.seconds <= high * words + 1.0, (path, words, info.seconds)
    assert decode_all(list(files.values()), tmp_path) == []


@pytest.mark.timeout(1800)
def test_a_one_article_change_downloads_only_that_articles_audio(
    sample_audio: SampleAudio, tmp_path: Path
) -> None:
    source = tmp_path / "src"
    shutil.copytree(SAMPLE, source)
    article = source / "articles" / "RU" / "entry-registration" / "ky.md"
    # a new sentence each run, never in the synthesis cache of an earlier run
    added = f"\nЖаңы сүйлөм {secrets.randbelow(10**9)}.\n"
    article.write_text(article.read_text(encoding="utf-8") + added, encoding="utf-8")
    content, report = load_source(source)
    assert report.ok
    synthesizer = sample_audio.synthesizer
    made = synthesizer.made
    after_content, _ = content_with_audio(content, source, synthesizer)
    assert synthesizer.made == made + 1  # one synthesis: the changed article
    before = split_parts(sample_audio.content)
    after = split_parts(after_content)
    new = {name: data for name, data in after.items() if before.get(name) != data}
    # the article has nationality marks: it is spoken in parts, and the sentence added at its
    # end changes only its last part
    changed = next(a for a in content.articles if a.key == ("RU", "entry-registration", "ky"))
    last = speech_parts(changed.title, article_blocks(changed.body))[-1]
    name = last.item(article_item("RU", "entry-registration"))
    changed_audio = _audio_parts(after)[audio_path(name, "ky")]
    assert set(new) == {SHARED_PART, "articles/RU/ky.json", changed_audio}
    audio_bytes = sum(len(d) for n, d in before.items() if n.endswith(".ogg"))
    assert len(new[changed_audio]) < audio_bytes / 50
