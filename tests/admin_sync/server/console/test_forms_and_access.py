"""The CSRF dependency and the role dependency, on every form route the console has.

The list of form routes is read from the console's routers, so a new form route fails
`test_every_form_route_is_listed_here` until it is added to `FORMS` (and so to every check).
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from admin_sync.server import console
from admin_sync.server.commands_db import list_commands
from admin_sync.server.db import release_history
from admin_sync.server.notices_db import list_notices
from admin_sync.server.registry import list_kiosks
from tests.admin_sync.console_env import EDITOR, VIEWER, ConsoleEnv, valid_source, zip_folder

SIGN_IN = "/console/sign-in"
SIGN_OUT = "/console/sign-out"
PUBLISH = "/console/releases/publish"


def forms(env: ConsoleEnv, archive: bytes) -> dict[str, dict[str, object]]:
    """Each form route with fields that it would accept (with the right CSRF token)."""
    return {
        PUBLISH: {"files": {"archive": ("content.zip", archive, "application/zip")}},
        "/console/releases/rollback": {"data": {"version": "1"}},
        "/console/releases/publish-current": {"data": {"commit": "0" * 40}},
        "/console/releases/promote": {"data": {"to": "all"}},  # staged rollout
        "/console/releases/halt": {"data": {}},
        "/console/content/restore": {"data": {"path": "release.yaml", "rev": "0" * 40}},
        "/console/items/contacts/save": {"data": {"id": "ru-police", "kind": "police"}},
        "/console/items/contacts/check": {"data": {"id": "ru-police", "phones.0": "+7 495"}},
        "/console/verification/checked": {
            "data": {"kind": "contact", "id": "ru-police", "source": "mos.ru"}
        },
        "/console/review/approve": {"data": {"commit": "0" * 40}},
        "/console/ui/save": {"data": {"lang": "ky", "s.nav.home": "Үй"}},
        "/console/articles/save": {
            "data": {"scope": "RU", "topic": "get-help", "lang": "ky", "body": "x"}
        },
        "/console/kiosks/add": {"data": {"airport": "TAS", "name": "TAS-NEW-01"}},
        "/console/kiosks/revoke": {"data": {"kiosk": env.kiosk.id}},
        "/console/users/add": {
            "data": {"name": "mallory", "password": "a long passphrase", "role": "editor"}
        },
        "/console/users/role": {"data": {"name": VIEWER[0], "role": "editor"}},
        "/console/users/disable": {"data": {"name": VIEWER[0]}},
        "/console/users/enable": {"data": {"name": VIEWER[0]}},
        "/console/notices/save": {"data": {"airport": "TAS", "text_en": "Notice."}},
        "/console/notices/expire": {"data": {"notice": "1"}},
        "/console/alerts/subscription": {"data": {"email": "e@example.org", "mode": "digest"}},
        # any role may post it; the role per command is checked (and refusals audited) inside
        f"/console/kiosks/{env.kiosk.id}/command": {"data": {"kind": "screenshot"}},
        SIGN_OUT: {"data": {}},
    }


EDITOR_ROUTES = [
    PUBLISH,
    "/console/releases/rollback",
    "/console/releases/publish-current",
    "/console/releases/promote",
    "/console/releases/halt",
    "/console/content/restore",
    "/console/items/contacts/save",
    "/console/items/contacts/check",
    "/console/articles/save",
    "/console/ui/save",
    "/console/review/approve",
    "/console/verification/checked",
    "/console/kiosks/add",
    "/console/kiosks/revoke",
    "/console/users/add",
    "/console/users/role",
    "/console/users/disable",
    "/console/users/enable",
    "/console/notices/save",
    "/console/notices/expire",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> bytes:
    return zip_folder(valid_source(tmp_path_factory.mktemp("src") / "content"))


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return ConsoleEnv(tmp_path)


def snapshot(env: ConsoleEnv) -> tuple[object, ...]:
    """What any console form could change."""
    return (
        [(k.id, k.revoked_at) for k in list_kiosks(env.app.state.db)],
        env.users.users(),
        release_history(env.app.state.db),
        env.app.state.data.release_versions(),
        env.app.state.data.content_history().head(),
        env.app.state.data.audit_log().entries(),
        list_notices(env.app.state.db),
        list_commands(env.app.state.db, env.kiosk.id),
    )


def test_every_form_route_is_listed_here(env, archive) -> None:
    posted = {
        route.path
        for router in console.ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and "POST" in route.methods
    }
    listed = {
        re.sub(
            r"^/console/kiosks/[^/]+/command$",
            "/console/kiosks/{kiosk_id}/command",
            re.sub(
                r"^/console/items/\w+/(save|check)$",
                r"/console/items/{slug}/\1",
                re.sub(r"^/console/users/\w+$", "/console/users/{action}", p),
            ),
        )
        for p in forms(env, archive)
    }
    assert posted == listed | {SIGN_IN}


def test_every_form_refuses_a_missing_or_wrong_csrf_token(env, archive) -> None:
    viewer_client = env.new_client()
    env.sign_in(VIEWER, client=viewer_client)
    someone_elses = env.csrf(viewer_client.get("/console/fleet").text)
    env.sign_in()
    good = env.csrf(env.client.get("/console/fleet").text)
    altered = good[:-1] + ("A" if good[-1] != "A" else "B")
    before = snapshot(env)
    for path, fields in forms(env, archive).items():
        for token in (None, "", "forged", altered, someone_elses, good + "x"):
            data = dict(fields.get("data", {}))  # type: ignore[call-overload]
            if token is not None:
                data["csrf"] = token
            response = env.client.post(path, data=data, files=fields.get("files"))
            assert response.status_code == 403, (path, token)
            assert "This form has expired" in response.text, (path, token)
            assert response.headers["content-type"].startswith("text/html")
    assert snapshot(env) == before
    # still signed in (sign-out was refused too), and the same forms work with the right token
    assert env.client.get("/console/fleet", follow_redirects=False).status_code == 200
    response = env.client.post(
        PUBLISH, data={"csrf": good}, files=forms(env, archive)[PUBLISH]["files"]
    )
    assert response.status_code == 200 and "Published content version 1" in response.text


def test_the_sign_in_form_needs_the_token_of_its_own_cookie(env) -> None:
    fields = {"username": EDITOR[0], "password": EDITOR[1]}
    page = env.client.get(SIGN_IN)
    token = env.csrf(page.text)
    other = env.new_client()
    for client, data in [
        (other, {**fields, "csrf": token}),  # the token without its cookie
        (env.client, fields),  # the cookie without the token
        (env.client, {**fields, "csrf": token + "x"}),
    ]:
        response = client.post(SIGN_IN, data=data, follow_redirects=False)
        assert response.status_code == 403 and "This form has expired" in response.text
        assert 'type="password"' in response.text  # the sign-in page again, with a new token
        assert "sa_console" not in response.headers.get("set-cookie", "")
    # each refusal set a new token: the first one is spent, the one on the last page works
    stale = env.client.post(SIGN_IN, data={**fields, "csrf": token}, follow_redirects=False)
    assert stale.status_code == 403
    fresh = env.csrf(stale.text)
    response = env.client.post(SIGN_IN, data={**fields, "csrf": fresh}, follow_redirects=False)
    assert response.status_code == 303 and "sa_console=" in response.headers["set-cookie"]


def test_signed_out_forms_go_to_sign_in_before_any_check(env, archive) -> None:
    for path, fields in forms(env, archive).items():
        response = env.client.post(
            path, data={"csrf": "x"}, files=fields.get("files"), follow_redirects=False
        )
        assert response.status_code == 303 and response.headers["location"] == SIGN_IN, path


def test_a_viewer_cannot_use_editor_routes(env, archive) -> None:
    env.sign_in(VIEWER)
    csrf = env.csrf(env.client.get("/console/fleet").text)
    before = snapshot(env)
    all_forms = forms(env, archive)
    for path in EDITOR_ROUTES:
        fields = all_forms[path]
        data = {**fields.get("data", {}), "csrf": csrf}  # type: ignore[dict-item]
        response = env.client.post(path, data=data, files=fields.get("files"))
        assert response.status_code == 403, path
        assert "Your role (viewer) cannot" in response.text, path
    users_page = env.client.get("/console/users")
    assert users_page.status_code == 403 and "cannot manage users" in users_page.text
    assert snapshot(env) == before


def test_oversized_and_malformed_forms_are_refused_before_the_handler(env) -> None:
    env.sign_in()
    csrf = env.csrf(env.client.get("/console/users").text)
    before = snapshot(env)
    big = env.client.post(
        "/console/users/add",
        data={"csrf": csrf, "name": "x" * 70_000, "password": "a long passphrase"},
    )
    assert big.status_code == 413 and "too large" in big.text
    broken = env.client.post(
        "/console/users/add",
        content=b"--nope\r\nbroken",
        headers={"Content-Type": "multipart/form-data"},  # no boundary
    )
    assert broken.status_code == 400 and "the form could not be read" in broken.text
    assert snapshot(env) == before
