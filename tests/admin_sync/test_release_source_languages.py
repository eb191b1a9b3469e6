"""A release names the language(s) its texts were written in (release.yaml's
`source_languages`, English by default): in its signed manifest, in the server's release
history, on the releases page, and as the default source of the translation status."""

from __future__ import annotations

import json
import re

import pytest

from admin_sync.protocol import ProtocolError, ReleaseManifest
from admin_sync.publish import PublishError, publish_source, rollback_to
from admin_sync.server.db import release_history
from tests.admin_sync.console_env import ConsoleEnv, valid_source


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def publish(env: ConsoleEnv, source):
    return publish_source(
        env.app.state.data, source, production=False, published_by="test", four_eyes=False
    )


def test_the_release_names_its_source_language(env, tmp_path) -> None:
    source = valid_source(tmp_path / "content")
    manifest = publish(env, source)
    assert manifest.source_languages == ("en",)
    stored = json.loads(env.app.state.data.load_release(1).to_bytes())
    assert stored["source_languages"] == ["en"]
    (record,) = release_history(env.app.state.db)
    assert record.source_languages == ("en",)
    page = env.client.get("/console/releases").text
    assert re.search(r"<td>en <small>\(the others translated\)</small>", page)
    # declared in release.yaml: Russian texts, the others translated from them
    release = source / "release.yaml"
    release.write_text(release.read_text(encoding="utf-8") + "source_languages: [ru]\n", "utf-8")
    assert publish(env, source).source_languages == ("ru",)
    translations = env.client.get("/console/translations", params={"lang": "ky"}).text
    assert re.search(r'<option selected>ru</option>|<option value="ru" selected>', translations)
    # a rollback republishes with the languages of what it republishes
    assert rollback_to(env.app.state.data, 1, published_by="test").source_languages == ("en",)


def test_an_unknown_source_language_is_refused_and_nothing_is_published(env, tmp_path) -> None:
    source = valid_source(tmp_path / "content")
    release = source / "release.yaml"
    release.write_text(release.read_text(encoding="utf-8") + "source_languages: [xx]\n", "utf-8")
    with pytest.raises(PublishError, match="source_languages must list the languages"):
        publish(env, source)
    assert release_history(env.app.state.db) == []


def test_manifests_without_it_still_read_and_bad_ones_are_refused() -> None:
    old = ReleaseManifest(1, "t", "2026-11-30T00:00:00+00:00", {}).to_dict()
    old["parts"] = {"shared": {"length": 1, "sha256": "0" * 64}}
    assert "source_languages" not in old
    assert ReleaseManifest.from_bytes(json.dumps(old).encode()).source_languages == ()
    for bad in ("en", [1], ["../x"]):
        with pytest.raises(ProtocolError, match="source_languages"):
            ReleaseManifest.from_bytes(json.dumps({**old, "source_languages": bad}).encode())
