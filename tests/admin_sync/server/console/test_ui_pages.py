"""Screen texts per language: limits shown and enforced, only changed lines rewritten."""

from __future__ import annotations

import re

import pytest

from admin_sync.server.console.ui_pages import rewrite_ui
from content.validate import ui_text_limit
from tests.admin_sync.console_env import ConsoleEnv, history, sample_env

KY = "ui/ky.yaml"


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return sample_env(tmp_path)


def form(page: str) -> dict[str, str]:
    fields = {
        m.group(1): m.group(2)
        for m in re.finditer(
            r'<input (?:id="[^"]*" |type="hidden" )?name="([^"]+)" value="([^"]*)"', page
        )
    }
    fields["csrf"] = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    return fields


def test_rewrite_keeps_comments_and_other_lines() -> None:
    text = '# comment\na.b: "one"\nc.d: "two"\n'
    assert rewrite_ui(text, {"a.b": "uno"}) == '# comment\na.b: "uno"\nc.d: "two"\n'
    assert rewrite_ui(text, {"c.d": ""}) == '# comment\na.b: "one"\n'
    assert rewrite_ui(text, {"e.f": 'new "x"'}).endswith('e.f: "new \\"x\\""\n')


def test_limits_are_shown_and_a_too_long_text_is_refused_and_kept(env) -> None:
    page = env.client.get("/console/ui", params={"lang": "ky"})
    assert page.status_code == 200
    assert (
        f'name="s.nav.home" value="Башкы бет" maxlength="{ui_text_limit("nav.home")}"' in page.text
    )
    fields = form(page.text)
    long = "Ы" * (ui_text_limit("nav.home") + 1)
    fields["s.nav.home"] = long
    response = env.client.post("/console/ui/save", data=fields)
    assert response.status_code == 422 and f"at most {ui_text_limit('nav.home')}" in response.text
    assert long in response.text
    assert "Башкы бет" in history(env).read(KY).decode()


def test_a_change_rewrites_one_line_and_is_audited(env) -> None:
    before = history(env).read(KY).decode().splitlines()
    fields = form(env.client.get("/console/ui", params={"lang": "ky"}).text)
    fields["s.nav.home"] = "Башкы бет!"
    response = env.client.post("/console/ui/save", data=fields)
    assert response.status_code == 200 and "1 text(s) saved" in response.text, response.text
    after = history(env).read(KY).decode().splitlines()
    assert [a for a, b in zip(before, after, strict=True) if a != b] == ['nav.home: "Башкы бет"']
    assert env.app.state.data.audit_log().entries()[0].item == "screen texts ky"


def test_a_checker_error_is_shown_beside_its_string(env) -> None:
    page = env.client.get("/console/ui", params={"lang": "ky"}).text
    key = next(k for k in re.findall(r'name="s\.([^"]+)" value="[^"]*\{', page))
    fields = form(page)
    fields[f"s.{key}"] = "без орун толтургуч"
    response = env.client.post("/console/ui/save", data=fields)
    assert response.status_code == 422, response.text[-3000:]
    row = response.text.split(f"<code>{key}</code>")[1].split("</tr>")[0]
    assert 'class="field-error"' in row


def test_two_editors_conflict_only_on_the_same_string(env) -> None:
    env.users.add_user("olga", "editor password 2", "editor")
    other = env.new_client()
    env.sign_in(("olga", "editor password 2"), client=other)
    mine = form(env.client.get("/console/ui", params={"lang": "ky"}).text)
    hers = form(other.get("/console/ui", params={"lang": "ky"}).text)
    hers["s.nav.back"] = "Артка!"
    assert other.post("/console/ui/save", data=hers).status_code == 200
    mine["s.nav.help"] = "Жардам!"
    assert env.client.post("/console/ui/save", data=mine).status_code == 200
    text = history(env).read(KY).decode()
    assert '"Артка!"' in text and '"Жардам!"' in text
    mine["s.nav.back"] = "Кайра"
    response = env.client.post("/console/ui/save", data=mine)
    assert response.status_code == 409 and "Артка!" in response.text
    assert '"Артка!"' in history(env).read(KY).decode()
