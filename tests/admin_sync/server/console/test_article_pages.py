"""Articles written and translated in the browser: checker, kept text, conflicts, roles."""

from __future__ import annotations

import re

import pytest

from tests.admin_sync.console_env import VIEWER, ConsoleEnv, history, sample_env, valid_source
from tests.admin_sync.server.console.test_item_pages import form_of
from tests.content.audio_probe import needs_tools

KY = "articles/RU/get-help/ky.md"


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return sample_env(tmp_path)


def open_article(client, lang="ky", source="en", scope="RU", topic="get-help"):
    page = client.get(
        "/console/articles/edit",
        params={"scope": scope, "topic": topic, "lang": lang, "source": source},
    )
    assert page.status_code == 200, page.text
    return page.text


def fields_of(page: str) -> dict[str, str]:
    fields = form_of(page)
    body = re.search(r'<textarea id="f-body" name="body"[^>]*>(.*?)</textarea>', page, re.S)
    fields["body"] = (
        body.group(1)
        .replace("&#34;", '"')
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )
    return fields


def test_the_list_marks_missing_translations(env) -> None:
    page = env.client.get("/console/articles", params={"scope": "RU"})
    assert page.status_code == 200 and "get-help" in page.text
    assert 'class="missing" aria-label="uz-Cyrl (missing)"' in page.text


def test_a_translation_shows_its_source_and_records_its_version(env) -> None:
    page = open_article(env.client)
    en_text = history(env).read("articles/RU/get-help/en.md").decode()
    en_title = re.search(r'^title: "?([^"\n]+)', en_text, re.M).group(1)
    assert "Source: en" in page and en_title in page.split('class="source-side"')[1]
    fields = fields_of(page)
    assert fields["title"] and fields["source_lang"] == "en"
    fields["body"] = fields["body"].replace("112", "112 (акысыз)", 1)
    response = env.client.post("/console/articles/save", data=fields)
    assert response.status_code == 200 and "Saved as version" in response.text, response.text
    assert "112 (акысыз)" in history(env).read(KY).decode()
    (rev,) = history(env).log(KY, limit=1)
    assert rev.author == "edna" and rev.message == "Edit article RU/get-help in ky"
    en_blob = history(env).blob_id("articles/RU/get-help/en.md")
    full = history(env)._out("log", "-1", "--format=%B", rev.commit)
    assert f"Translated-from: en {en_blob}" in full
    entries = env.app.state.data.audit_log().entries()
    assert [(e.action, e.item) for e in entries] == [("edit", "article RU/get-help/ky")]


def test_a_checker_error_keeps_the_text_beside_the_field(env) -> None:
    head = history(env).head()
    fields = fields_of(open_article(env.client))
    fields["body"] += "\n\n<script>alert(1)</script> мой текст\n"
    response = env.client.post("/console/articles/save", data=fields)
    assert response.status_code == 422 and "Nothing was saved" in response.text
    assert re.search(
        r'id="field-body".*?class="field-error">line \d+ of the text: [^<]*script',
        response.text,
        re.S,
    )
    assert "мой текст" in response.text
    fields = fields_of(open_article(env.client))
    fields["verified_on"] = "2099-01-01"
    response = env.client.post("/console/articles/save", data=fields)
    assert response.status_code == 422
    assert re.search(r'id="field-verified_on".*?class="field-error">', response.text, re.S)
    assert history(env).head() == head


def test_a_missing_translation_starts_empty_and_can_be_written(env) -> None:
    page = open_article(env.client, lang="uz-Cyrl", source="uz")
    fields = fields_of(page)
    assert fields["body"] == "" and fields["title"]
    fields["title"] = "Россияда ёрдам олиш"
    fields["body"] = "## Хавф остида бўлсангиз\n\n- **112** рақамига қўнғироқ қилинг.\n"
    response = env.client.post("/console/articles/save", data=fields)
    assert response.status_code == 200, response.text
    assert history(env).read("articles/RU/get-help/uz-Cyrl.md").decode().startswith("---\ntitle:")
    assert history(env).log("articles/RU/get-help/uz-Cyrl.md")[0].message.startswith("Write")


def test_a_concurrent_edit_of_the_article_is_shown(env) -> None:
    env.users.add_user("olga", "editor password 2", "editor")
    other = env.new_client()
    env.sign_in(("olga", "editor password 2"), client=other)
    mine, hers = fields_of(open_article(env.client)), fields_of(open_article(other))
    hers["body"] += "\nЕе абзац.\n"
    assert other.post("/console/articles/save", data=hers).status_code == 200
    mine["body"] += "\nМенин абзацым.\n"
    response = env.client.post("/console/articles/save", data=mine)
    assert response.status_code == 409 and "olga changed this article" in response.text
    assert "Менин абзацым." in response.text and "Ее абзац." in response.text
    assert "Менин абзацым." not in history(env).read(KY).decode()


def test_a_viewer_reads_but_cannot_save(env) -> None:
    viewer = env.new_client()
    env.sign_in(VIEWER, client=viewer)
    page = open_article(viewer)
    assert "<fieldset disabled>" in page and "Check and save" not in page
    head = history(env).head()
    response = viewer.post("/console/articles/save", data=fields_of(page))
    assert response.status_code == 403 and history(env).head() == head


@pytest.mark.parametrize(
    "params",
    [
        {"scope": "..", "topic": "x", "lang": "ky"},
        {"scope": "RU", "topic": "no-such-topic", "lang": "ky"},
        {"scope": "RU", "topic": "get-help", "lang": "ky/../../x"},
    ],
)
def test_bad_article_addresses_are_404(env, params) -> None:
    assert env.client.get("/console/articles/edit", params=params).status_code == 404


def test_a_save_keeps_the_front_matter_lines_it_did_not_change() -> None:
    from admin_sync.content_edit import render_front_matter, split_article

    original = (
        "---\n"
        'title: "Old title"\n'
        "# the date of the last check\n"
        "verified_on: 2026-11-22\n"
        "notes: 'written by hand: kept as is'\n"
        "status: sample\n"
        "review_by: 2027-01-01\n"
        "---\n\nBody.\n"
    )
    values, _ = split_article(original)
    values["title"] = "New title"
    out = render_front_matter(values, original)
    assert out == (
        "---\n"
        'title: "New title"\n'
        "# the date of the last check\n"
        "verified_on: 2026-11-22\n"
        "notes: 'written by hand: kept as is'\n"
        "status: sample\n"
        "review_by: 2027-01-01\n"
        "---\n"
    )
    values["notes"] = ""
    values["source"] = "mid.ru"
    out = render_front_matter(values, original)
    assert "notes:" not in out and out.endswith('review_by: 2027-01-01\nsource: "mid.ru"\n---\n')
    assert render_front_matter(values).startswith('---\ntitle: "New title"\nverified_on:')


@needs_tools
def test_editing_a_recorded_article_warns_that_its_recording_is_for_an_older_text(
    tmp_path,
) -> None:
    """Issue 13: the editor who changes a recorded text is told, beside the text, that the
    recording will not play any more (speech is synthesized instead)."""
    import subprocess

    from content.source import load_source
    from content.speech import mark_recordings

    env = ConsoleEnv(tmp_path)
    source = valid_source(tmp_path / "content")
    (source / "audio").mkdir()
    name = "article.TR.entry-registration.ky.ogg"  # no nationality marks: one clip
    wav = tmp_path / "r.wav"
    subprocess.run(
        ["sox", "-n", "-r", "16000", "-c", "1", "-b", "16", str(wav), "synth", "2"]
        + ["sine", "300", "vol", "0.3"],
        check=True,
    )
    subprocess.run(["opusenc", "--quiet", str(wav), str(source / "audio" / name)], check=True)
    content, _ = load_source(source)
    mark_recordings(content, source, [name])
    env.app.state.data.content_history(clock=env.clock).commit_folder(
        source, author="setup", message="Sample with a recording"
    )
    env.sign_in()
    article = {"scope": "TR", "topic": "entry-registration"}
    fields = fields_of(open_article(env.client, **article))
    assert "older text" not in env.client.post("/console/articles/save", data=fields).text
    fields = fields_of(open_article(env.client, **article))
    fields["body"] += "\n\nЖаңы сүйлөм.\n"
    response = env.client.post("/console/articles/save", data=fields)
    assert response.status_code == 200 and "Saved as version" in response.text, response.text
    assert f"audio/{name}: recording is for an older text" in response.text
