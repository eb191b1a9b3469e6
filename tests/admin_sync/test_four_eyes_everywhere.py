"""Four eyes holds however a production release is asked for: the console, `admin publish
--production` on the server and over HTTP. A version nobody else approved is refused with the
reason (and stays in the history as the draft to approve); once another editor approves it in
the console, the same command goes through. Per item: two editors who changed two contacts of
one file are both authors, so neither approves alone."""

from __future__ import annotations

import base64

import pytest

import safe_airports_cli
from admin_sync.admin_cli import tar_sources
from admin_sync.review import review_plan
from admin_sync.server.db import release_history
from tests.admin_sync.console_env import EDITOR, ConsoleEnv, production_source

OLGA = ("olga", "editor password 2")
TIM = ("tim", "editor password 3")


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.users.add_user(*OLGA, "editor")
    env.users.add_user(*TIM, "editor")
    return env


def history(env: ConsoleEnv):
    return env.app.state.data.content_history()


def approve_in_console(env: ConsoleEnv, who: tuple[str, str]):
    client = env.new_client()
    env.sign_in(who, client)
    page = client.get("/console/review").text
    return client.post(
        "/console/review/approve", data={"csrf": env.csrf(page), "commit": history(env).head()}
    )


def cli_publish(env: ConsoleEnv, source, capsys) -> tuple[int, str]:
    code = safe_airports_cli.main(
        ["admin", "publish", str(source), "--data", str(env.data), "--production"]
    )
    return code, capsys.readouterr().err


def test_cli_production_publish_waits_for_an_approval(env, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("USER", "edna")
    monkeypatch.delenv("SAFE_AIRPORTS_CONSOLE_FOUR_EYES", raising=False)
    source = production_source(tmp_path / "content")
    code, err = cli_publish(env, source, capsys)
    assert code == 1 and "needs the approval of an editor who did not make these changes" in err
    assert release_history(env.app.state.db) == []
    draft = history(env).head()
    assert draft and history(env).revision(draft).author == "edna"
    # the author cannot approve their own version; another editor can
    assert approve_in_console(env, EDITOR).status_code == 403
    assert approve_in_console(env, OLGA).status_code == 200
    code, err = cli_publish(env, source, capsys)
    assert code == 0, err
    (release,) = release_history(env.app.state.db)
    assert release.production and release.source_commit == draft
    # a later change needs a new approval
    (source / "topics.yaml").write_text(
        (source / "topics.yaml").read_text(encoding="utf-8") + "# checked again\n", "utf-8"
    )
    code, err = cli_publish(env, source, capsys)
    assert code == 1 and "four eyes" in err
    # a one-person team turns the rule off, for the console and the command alike
    monkeypatch.setenv("SAFE_AIRPORTS_CONSOLE_FOUR_EYES", "false")
    code, err = cli_publish(env, source, capsys)
    assert code == 0, err
    assert len(release_history(env.app.state.db)) == 2


def test_api_production_publish_waits_for_an_approval(env, tmp_path) -> None:
    source = production_source(tmp_path / "content")
    auth = base64.b64encode(f"{EDITOR[0]}:{EDITOR[1]}".encode()).decode()
    headers = {"Authorization": f"Basic {auth}"}

    def publish():
        return env.client.post(
            "/api/v1/admin/publish",
            params={"production": "true"},
            content=tar_sources(source),
            headers=headers,
        )

    refused = publish()
    assert refused.status_code == 422, refused.text
    assert "four eyes" in refused.json()["detail"]["message"]
    assert release_history(env.app.state.db) == []
    assert approve_in_console(env, OLGA).status_code == 200
    answer = publish()
    assert answer.status_code == 200, answer.text
    assert release_history(env.app.state.db)[0].production


def _edit_contact(env: ConsoleEnv, contact: str, author: str) -> None:
    h = history(env)
    text = h.read("contacts.yaml").decode("utf-8")
    start = text.index(f"- id: {contact}\n")
    end = text.index("  verified_on:", start)
    line = text.index("\n", end)
    changed = text[:line] + f'\n  notes: "checked by {author}"' + text[line:]
    h.commit_files(
        {"contacts.yaml": changed.encode("utf-8")},
        author=author,
        message=f"Note on {contact}",
        base=h.head(),
    )


def test_four_eyes_is_per_contact_not_per_file(env, tmp_path) -> None:
    source = production_source(tmp_path / "content")
    history(env).commit_folder(source, author="setup", message="Start")
    env.app.dependency_overrides.clear()
    first = history(env).head()
    ids = [
        line.removeprefix("- id: ")
        for line in history(env).read("contacts.yaml").decode().splitlines()
        if line.startswith("- id: ")
    ]
    _edit_contact(env, ids[0], "edna")
    _edit_contact(env, ids[1], "olga")
    plan = review_plan(history(env), first, history(env).head())
    assert {(c.path, c.item, c.last_author) for c in plan.changed} == {
        ("contacts.yaml", ids[0], "edna"),
        ("contacts.yaml", ids[1], "olga"),
    }
    # olga was the last to change the file, but edna's contact is edna's: neither approves
    assert approve_in_console(env, OLGA).status_code == 403
    assert approve_in_console(env, EDITOR).status_code == 403
    assert approve_in_console(env, TIM).status_code == 200
