"""Every console form that changes something needs the session's own CSRF token.

For each form (the multipart publish form included) and each way of getting the token wrong —
missing, empty, forged, one character off, another session's token, the sign-in token — the
answer is 403 and nothing changes. The same form with the right token does change something,
so a 403 here is the CSRF check and not a broken form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.admin_sync.asgi_client import TestClient
from tests.admin_sync.console_env import EDITOR, ConsoleEnv, valid_source, zip_folder

OTHER_EDITOR = ("erkin", "second editor password")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return zip_folder(valid_source(tmp_path_factory.mktemp("archive") / "src"))


@dataclass
class World:
    env: ConsoleEnv
    token: str  # the signed-in editor's CSRF token
    other_token: str  # another editor's session's token
    signin_token: str  # a sign-in form's token (not a session's)


def make_world(tmp_path: Path) -> World:
    env = ConsoleEnv(tmp_path)
    env.users.add_user(*OTHER_EDITOR, "editor")
    assert env.sign_in().status_code == 303
    token = env.csrf(env.client.get("/console/kiosks").text)
    other = env.new_client()
    assert env.sign_in(OTHER_EDITOR, client=other).status_code == 303
    other_token = env.csrf(other.get("/console/kiosks").text)
    signin_token = env.csrf(env.new_client().get("/console/sign-in").text)
    assert len({token, other_token, signin_token}) == 3
    return World(env, token, other_token, signin_token)


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A fresh server, for tests that change something."""
    return make_world(tmp_path)


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """One server for the tests that must change nothing (each checks that itself)."""
    return make_world(tmp_path_factory.mktemp("world"))


def _wrong_tokens(world: World) -> dict[str, str | None]:
    good = world.token
    return {
        "missing": None,
        "empty": "",
        "forged": "forged-token",
        "one character off": good[:-1] + ("A" if good[-1] != "A" else "B"),
        "a prefix of the right one": good[:8],
        "the right one twice": good + good,
        "another session's": world.other_token,
        "a sign-in form's": world.signin_token,
    }


WRONG = [
    "missing",
    "empty",
    "forged",
    "one character off",
    "a prefix of the right one",
    "the right one twice",
    "another session's",
    "a sign-in form's",
]


@dataclass(frozen=True)
class Form:
    path: str
    fields: dict[str, str]
    state: Callable[[ConsoleEnv], object]  # what the form would change
    multipart: bool = False


def _kiosks(env: ConsoleEnv) -> object:
    return [(k.id, k.revoked) for k in _registry().list_kiosks(env.app.state.db)]


def _registry():
    from admin_sync.server import registry

    return registry


def _users(env: ConsoleEnv) -> object:
    return [(u.name, u.role, u.disabled_at) for u in env.users.users()]


def _releases(env: ConsoleEnv) -> object:
    return env.app.state.data.release_versions()


FORMS = {
    "publish": Form("/console/releases/publish", {}, _releases, multipart=True),
    "publish for production": Form(
        "/console/releases/publish", {"production": "on"}, _releases, multipart=True
    ),
    "add kiosk": Form("/console/kiosks/add", {"airport": "TAS", "name": "TAS-T9-99"}, _kiosks),
    "revoke kiosk": Form("/console/kiosks/revoke", {"kiosk": "<kiosk>"}, _kiosks),
    "add user": Form(
        "/console/users/add",
        {"name": "mallory", "password": "a long passphrase", "role": "editor"},
        _users,
    ),
    "change role": Form("/console/users/role", {"name": "vic", "role": "editor"}, _users),
    "disable user": Form("/console/users/disable", {"name": "vic"}, _users),
}


def post(world: World, form: Form, token: str | None, archive: bytes, client: TestClient | None):
    client = client or world.env.client
    data = {k: (world.env.kiosk.id if v == "<kiosk>" else v) for k, v in form.fields.items()}
    if token is not None:
        data["csrf"] = token
    if form.multipart:
        files = {"archive": ("content.zip", archive, "application/zip")}
        return client.post(form.path, data=data, files=files)
    return client.post(form.path, data=data)


def assert_refused(response) -> None:
    assert response.status_code == 403, response.text[:500]
    assert (
        'role="alert">This form has expired or did not come from the console. '
        "Go back, reload the page and try again.</p>"
    ) in response.text


@pytest.mark.parametrize("wrong", WRONG)
@pytest.mark.parametrize("name", list(FORMS))
def test_a_form_with_a_wrong_token_is_refused_and_changes_nothing(
    shared_world: World, archive: bytes, name: str, wrong: str
) -> None:
    world = shared_world
    form = FORMS[name]
    before = form.state(world.env)
    response = post(world, form, _wrong_tokens(world)[wrong], archive, None)
    assert_refused(response)
    assert form.state(world.env) == before


def test_rollback_with_a_wrong_token_is_refused(world: World, archive: bytes) -> None:
    publish = FORMS["publish"]
    assert post(world, publish, world.token, archive, None).status_code == 200
    assert _releases(world.env) == [1]
    for wrong, token in _wrong_tokens(world).items():
        data = {"version": "1"} if token is None else {"version": "1", "csrf": token}
        response = world.env.client.post("/console/releases/rollback", data=data)
        assert_refused(response)
        assert _releases(world.env) == [1], wrong
    response = world.env.client.post(
        "/console/releases/rollback", data={"version": "1", "csrf": world.token}
    )
    assert response.status_code == 200 and _releases(world.env) == [1, 2]


@pytest.mark.parametrize("name", ["add kiosk", "revoke kiosk", "add user", "disable user"])
def test_the_same_form_with_the_right_token_changes_something(
    world: World, archive: bytes, name: str
) -> None:
    form = FORMS[name]
    before = form.state(world.env)
    response = post(world, form, world.token, archive, None)
    assert response.status_code == 200, response.text[:500]
    assert form.state(world.env) != before


def test_publish_with_the_right_token_publishes(world: World, archive: bytes) -> None:
    response = post(world, FORMS["publish"], world.token, archive, None)
    assert response.status_code == 200 and "Published content version 1" in response.text
    assert _releases(world.env) == [1]


def test_each_session_has_its_own_token(world: World, archive: bytes) -> None:
    """The other editor's token works in the other editor's session only."""
    other = world.env.new_client()
    assert world.env.sign_in(OTHER_EDITOR, client=other).status_code == 303
    token = world.env.csrf(other.get("/console/kiosks").text)
    assert token != world.token
    form = FORMS["add kiosk"]
    assert_refused(post(world, form, token, archive, None))
    assert post(world, form, token, archive, other).status_code == 200


@pytest.mark.parametrize("wrong", ["missing", "empty", "forged", "another session's"])
def test_sign_out_with_a_wrong_token_keeps_the_session(shared_world: World, wrong: str) -> None:
    world = shared_world
    token = _wrong_tokens(world)[wrong]
    response = world.env.client.post(
        "/console/sign-out", data={} if token is None else {"csrf": token}
    )
    assert_refused(response)
    assert world.env.client.get("/console/fleet").status_code == 200


@pytest.mark.parametrize("wrong", ["missing", "empty", "forged", "a session's"])
def test_sign_in_needs_the_token_of_its_own_sign_in_page(shared_world: World, wrong: str) -> None:
    world = shared_world
    client = world.env.new_client()
    page = client.get("/console/sign-in")
    assert page.status_code == 200
    token = {"missing": None, "empty": "", "forged": "forged", "a session's": world.token}[wrong]
    data = {"username": EDITOR[0], "password": EDITOR[1]}
    if token is not None:
        data["csrf"] = token
    response = client.post("/console/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 403, response.text[:300]
    assert "sa_console" not in response.headers.get("set-cookie", "")
    assert client.get("/console/fleet", follow_redirects=False).status_code != 200


def test_sign_in_without_the_sign_in_cookie_is_refused(shared_world: World) -> None:
    world = shared_world
    """The token of a sign-in page, posted from a browser that never loaded that page."""
    client = world.env.new_client()
    data = {"username": EDITOR[0], "password": EDITOR[1], "csrf": world.signin_token}
    response = client.post("/console/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 403
    assert "sa_console" not in response.headers.get("set-cookie", "")
