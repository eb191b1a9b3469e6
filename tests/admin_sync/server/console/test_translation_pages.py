"""Translation status: up to date, outdated after the source changes, missing, generated."""

from __future__ import annotations

import pytest

from admin_sync.translation_status import translation_rows
from tests.admin_sync.console_env import ConsoleEnv, sample_env
from tests.admin_sync.server.console.test_article_pages import fields_of, open_article

EN = "articles/RU/get-help/en.md"


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return sample_env(tmp_path)


def status(env, lang: str) -> str:
    history = env.app.state.data.content_history()
    (row,) = [
        r for r in translation_rows(history, [lang]) if (r.scope, r.topic) == ("RU", "get-help")
    ]
    return row.status


def test_statuses_follow_the_source_text(env) -> None:
    history = env.app.state.data.content_history()
    assert status(env, "ky") == "up to date" and status(env, "en") == "source"
    assert status(env, "uz-Cyrl") == "generated"
    assert {status(env, lang) for lang in ("kk", "tg")} <= {"missing", "up to date"}
    # the English source changes: every translation saved before it is outdated
    history.commit_files(
        {EN: history.read(EN) + b"\nA new paragraph.\n"}, author="edna", message="Source", base=None
    )
    assert status(env, "ky") == "outdated" and status(env, "ru") == "outdated"
    # the Kyrgyz one is re-translated in the console with the source beside it: up to date,
    # and the Russian one stays outdated
    fields = fields_of(open_article(env.client))
    fields["body"] += "\nЖаңы абзац.\n"
    assert env.client.post("/console/articles/save", data=fields).status_code == 200
    assert status(env, "ky") == "up to date" and status(env, "ru") == "outdated"
    # a save of the translation that was made from an older source text stays outdated
    history.commit_files(
        {EN: history.read(EN) + b"\nAnother.\n"}, author="edna", message="Source 2", base=None
    )
    assert status(env, "ky") == "outdated"


def test_the_page_counts_and_filters(env) -> None:
    history = env.app.state.data.content_history()
    history.commit_files(
        {EN: history.read(EN) + b"\nA new paragraph.\n"}, author="edna", message="Source", base=None
    )
    page = env.client.get("/console/translations", params={"lang": "ky"})
    assert page.status_code == 200 and "outdated</span> 1<" in page.text
    only = env.client.get(
        "/console/translations", params={"lang": "ky", "status": "outdated", "scope": "RU"}
    )
    assert only.text.count('<span class="badge status-outdated">outdated</span></td>') == 1
    assert "topic=get-help&amp;lang=ky&amp;source=en" in only.text
    assert env.client.get("/console/translations", params={"lang": "xx"}).status_code == 200
