"""Console forms and filters under random input: a clear page, never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.admin_sync.console_env import ConsoleEnv

FORMS = {
    "/console/releases/rollback": ["version"],
    "/console/kiosks/add": ["airport", "name"],
    "/console/kiosks/revoke": ["kiosk"],
    "/console/users/add": ["name", "password", "role"],
    "/console/users/role": ["name", "role"],
    "/console/users/disable": ["name"],
    "/console/users/frobnicate": ["name"],
}
text = st.text(max_size=300) | st.sampled_from(["", "1", "-1", "TAS", "edna", "editor", "0" * 50])


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path_factory.mktemp("forms"))
    env.sign_in()
    return env


@pytest.mark.parametrize("path", sorted(FORMS))
def test_random_form_values(env, path) -> None:
    csrf = env.csrf(env.client.get("/console/kiosks").text)

    @given(values=st.fixed_dictionaries({name: text for name in FORMS[path]}))
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,
    )
    def post(values) -> None:
        response = env.client.post(path, data={**values, "csrf": csrf})
        assert response.status_code < 500
        assert response.headers["content-type"].startswith(("text/html", "application/json"))

    post()
    # the signed-in editor is still there and still an editor
    assert env.users.get("edna").role == "editor" and env.users.get("edna").disabled_at is None


@given(params=st.dictionaries(st.sampled_from(["airport", "from", "to", "x"]), text, max_size=4))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)
def test_random_statistics_filters(env, params) -> None:
    for path in ("/console/stats", "/console/report", "/console/stats.csv"):
        response = env.client.get(path, params=params)
        assert response.status_code == 200
