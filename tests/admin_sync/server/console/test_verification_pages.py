"""Verification: the due list, "checked today" with the source and who, production blockers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from admin_sync.content_edit import read_item, split_article
from tests.admin_sync.console_env import ConsoleEnv, history, sample_env


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return sample_env(tmp_path)


def sample_contact(env) -> str:
    text = history(env).read("contacts.yaml").decode()
    page = env.client.get("/console/verification").text
    for chunk in page.split('name="id" value="')[1:]:
        item = chunk.split('"')[0]
        entry = read_item(text, "contacts.yaml", item)
        if entry is not None:
            assert entry["status"] == "sample"
            return item
    raise AssertionError("the sample content has no sample contact")


def test_blockers_link_to_their_forms_and_sample_contacts_are_due(env) -> None:
    page = env.client.get("/console/verification")
    assert page.status_code == 200
    item = sample_contact(env)
    assert f'href="/console/items/contacts/edit?id={item}"' in page.text
    blockers = page.text.split("What blocks a production release")[1].split("Due for checking")[0]
    assert f"/console/items/contacts/edit?id={item}" in blockers


def test_checked_today_records_date_source_and_who(env) -> None:
    env.clock.now = datetime.now(UTC)  # the sample's own checks may be newer than the test clock
    today = env.clock.now.date().isoformat()
    env.sign_in()  # the session of the fixture's clock has expired
    item = sample_contact(env)
    page = env.client.get("/console/verification").text
    csrf = env.csrf(page)
    missing = env.client.post(
        "/console/verification/checked", data={"csrf": csrf, "kind": "contact", "id": item}
    )
    assert missing.status_code == 400
    response = env.client.post(
        "/console/verification/checked",
        data={"csrf": csrf, "kind": "contact", "id": item, "source": f"called the line, {today}"},
    )
    assert response.status_code == 200 and "marked checked today" in response.text, response.text
    entry = read_item(history(env).read("contacts.yaml").decode(), "contacts.yaml", item)
    assert entry["verified_on"] == today and entry["status"] == "verified"
    assert entry["notes"].endswith(f"Checked {today} by edna against: called the line, {today}")
    assert isinstance(entry["source"], dict)  # the public label per language is left alone
    assert history(env).log("contacts.yaml", limit=1)[0].author == "edna"
    (row,) = env.app.state.data.audit_log().entries()
    assert (row.action, row.item, row.who) == ("verify", f"contact {item}", "edna")
    assert f'name="id" value="{item}"' not in response.text  # no longer due


def test_an_article_due_soon_gets_a_new_review_date(env) -> None:
    env.clock.advance(days=200)  # past the sample articles' review dates
    env.sign_in()
    page = env.client.get("/console/verification").text
    item = page.split('name="kind" value="article"><input type="hidden" name="id" value="')[1]
    item = item.split('"')[0]
    response = env.client.post(
        "/console/verification/checked",
        data={
            "csrf": env.csrf(page),
            "kind": "article",
            "id": item,
            "source": "IOM leaflet 2026",
            "review_by": "2027-12-01",
        },
    )
    assert response.status_code == 200, response.text[-2000:]
    scope, topic, lang = item.split("/")
    values, _ = split_article(history(env).read(f"articles/{scope}/{topic}/{lang}.md").decode())
    assert values["review_by"] == "2027-12-01"
    assert str(values["notes"]).endswith("by edna against: IOM leaflet 2026")  # editorial only
    assert values.get("source") != "IOM leaflet 2026"  # the public label is not overwritten
    assert values["verified_on"] == env.clock.now.date().isoformat()
