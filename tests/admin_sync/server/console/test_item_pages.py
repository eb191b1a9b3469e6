"""Contacts (and airports, countries) edited in the browser: forms, checker, conflicts, roles."""

from __future__ import annotations

import json
import re

import pytest

from admin_sync.content_edit import check_phone, grouped, item_blocks
from content.validate import validate_source
from tests.admin_sync.console_env import VIEWER, ConsoleEnv, history, sample_env


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    return sample_env(tmp_path)


def form_of(page: str) -> dict[str, str]:
    """The fields a browser would send from the item form (inputs, selects, textareas)."""
    form = page[page.index('class="item-form"') :]
    fields: dict[str, str] = {}
    for tag in re.finditer(r"<input ([^>]*)>", form):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag.group(1)))
        if "name" in attrs:
            fields[attrs["name"]] = _unescape(attrs.get("value", ""))
    for sel in re.finditer(r'<select id="[^"]+" name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r"<option(?: value=\"([^\"]*)\")? selected>([^<]*)<", sel.group(2))
        fields[sel.group(1)] = (chosen.group(1) or chosen.group(2)) if chosen else ""
    for area in re.finditer(
        r'<textarea id="[^"]+" name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S
    ):
        fields[area.group(1)] = _unescape(area.group(2))
    return fields


def _unescape(text: str) -> str:
    return (
        text.replace("&#34;", '"')
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


def open_contact(env, client, item_id: str) -> dict[str, str]:
    page = client.get("/console/items/contacts/edit", params={"id": item_id})
    assert page.status_code == 200, page.text
    return form_of(page.text)


def save(client, fields):
    return client.post("/console/items/contacts/save", data=fields)


def test_phone_numbers_are_checked_and_kept_in_e164() -> None:
    assert check_phone("+996 (312) 62-44-99") == ("+996312624499", "")
    assert check_phone("0312 624499")[0] is None
    assert check_phone("+996 312")[0] is None
    assert grouped("+996312624499") == "+996 312 624 499"


def test_a_save_rewrites_only_that_item_and_the_content_stays_valid(env, tmp_path) -> None:
    page = env.client.get("/console/items/contacts")
    assert page.status_code == 200 and "ru-emergency" in page.text
    fields = open_contact(env, env.client, "ru-police")
    assert fields["kind"] == "police" and fields["name.en"] == "Police"
    original = history(env).read("contacts.yaml").decode()
    fields["short"] = "102 "
    response = save(env.client, fields)
    assert response.status_code == 200, response.text
    text = history(env).read("contacts.yaml").decode()
    a, b = item_blocks(original, "contacts.yaml")["ru-police"]
    c, d = item_blocks(text, "contacts.yaml")["ru-police"]
    old_lines, lines = original.splitlines(), text.splitlines()
    assert lines[:c] == old_lines[:a] and lines[d:] == old_lines[b:]  # comments, other items
    assert validate_source(history(env).export(tmp_path / "out")).ok


def test_a_new_phone_is_saved_as_e164_and_audited(env) -> None:
    item = (
        "kg-migration-hotline"
        if "kg-migration-hotline" in history(env).read("contacts.yaml").decode()
        else "ru-police"
    )
    fields = open_contact(env, env.client, item)
    fields["phones.0"] = "+996 312 62-44-99"
    response = save(env.client, fields)
    assert response.status_code == 200 and "Saved as version" in response.text, response.text
    text = history(env).read("contacts.yaml").decode()
    assert '"+996312624499"' in text
    assert "+996 312 624 499" in response.text  # shown grouped
    (rev,) = history(env).log("contacts.yaml", limit=1)
    assert rev.author == "edna" and rev.message == f"Edit contact {item}"
    (entry,) = env.app.state.data.audit_log().entries()
    assert (entry.who, entry.action, entry.item) == ("edna", "edit", f"contact {item}")


def test_a_bad_phone_or_a_checker_error_keeps_the_text_and_saves_nothing(env) -> None:
    head = history(env).head()
    fields = open_contact(env, env.client, "ru-police")
    fields["phones.0"] = "+7 12"
    fields["name.ru"] = "Полиция (изменено)"
    response = save(env.client, fields)
    assert response.status_code == 422
    assert "Nothing was saved" in response.text and "+7 12" in response.text
    assert "Полиция (изменено)" in response.text
    assert re.search(
        r'id="field-phones".*?class="field-error">[^<]*wrong number of digits', response.text, re.S
    )
    # a date in the future: the project's checker says so beside verified_on
    fields = open_contact(env, env.client, "ru-police")
    fields["verified_on"] = "2099-01-01"
    response = save(env.client, fields)
    assert response.status_code == 422
    assert re.search(
        r'id="field-verified_on".*?class="field-error">[^<]*future', response.text, re.S
    )
    assert 'value="2099-01-01"' in response.text
    assert history(env).head() == head


def test_a_concurrent_edit_is_shown_not_overwritten(env) -> None:
    other = env.new_client()
    env.users.add_user("olga", "editor password 2", "editor")
    env.sign_in(("olga", "editor password 2"), client=other)
    mine = open_contact(env, env.client, "ru-police")
    hers = open_contact(env, other, "ru-police")
    hers["hours.en"] = "Day and night"
    assert save(other, hers).status_code == 200
    mine["hours.en"] = "Always"
    response = save(env.client, mine)
    assert response.status_code == 409
    assert "olga changed this contact" in response.text and "Day and night" in response.text
    assert 'value="Always"' in response.text  # my text is still in the form
    assert "Day and night" in history(env).read("contacts.yaml").decode()
    # I decide to save mine over hers: the form now carries the newest version
    again = form_of(response.text)
    assert save(env.client, again).status_code == 200
    text = history(env).read("contacts.yaml").decode()
    assert "Always" in text and "Day and night" not in text
    # another contact opened before her save is not a conflict
    fields = open_contact(env, env.client, "ru-ambulance")
    hers = open_contact(env, other, "ru-emergency")
    assert save(other, hers).status_code == 200
    assert save(env.client, fields).status_code == 200


def test_a_viewer_sees_the_form_but_cannot_save(env) -> None:
    viewer = env.new_client()
    env.sign_in(VIEWER, client=viewer)
    page = viewer.get("/console/items/contacts/edit", params={"id": "ru-police"})
    assert page.status_code == 200 and "<fieldset disabled>" in page.text
    assert "Check and save" not in page.text
    head = history(env).head()
    fields = form_of(page.text)
    fields["csrf"] = env.csrf(page.text)
    response = save(viewer, fields)
    assert response.status_code == 403 and history(env).head() == head


def test_airports_and_countries_have_forms_too(env) -> None:
    for slug, item in (("airports", "FRU"), ("countries", "RU")):
        page = env.client.get(f"/console/items/{slug}/edit", params={"id": item})
        assert page.status_code == 200, slug
        fields = form_of(page.text)
        response = env.client.post(f"/console/items/{slug}/save", data=fields)
        assert response.status_code == 200, (slug, response.text[-2000:])
    assert env.client.get("/console/items/nothing").status_code == 404
    assert env.client.get("/console/items/contacts/edit", params={"id": "nope"}).status_code == 404


def test_check_the_numbers_shows_each_verdict_and_saves_nothing(env) -> None:
    head = history(env).head()
    fields = open_contact(env, env.client, "ru-police")
    fields["phones.0"] = "+996 312 62-44-99"  # a Bishkek landline, typed with spaces
    fields["phones.1"] = "+7 12"
    fields["name.ru"] = "Полиция (изменено)"
    fields.pop("csrf")
    page = env.client.get("/console/items/contacts/edit", params={"id": "ru-police"}).text
    assert 'formaction="/console/items/contacts/check"' in page
    response = env.client.post(
        "/console/items/contacts/check", data={**fields, "csrf": env.csrf(page)}
    )
    assert response.status_code == 200, response.text
    assert "Numbers checked below" in response.text and "Nothing was saved" not in response.text
    table = response.text[response.text.index('id="phone-checks"') :]
    assert "+996 312 624 499" in table and "<code>+996312624499</code>" in table
    assert 'href="tel:+996312624499"' in table and "KG, Bishkek" in table
    assert "landline" in table
    assert "wrong number of digits" in table  # the second one, with the reason
    assert "Полиция (изменено)" in response.text  # the rest of the form as typed
    assert history(env).head() == head and not env.app.state.data.audit_log().entries()
    # a viewer cannot use it (it is part of editing); a form without its token is refused
    viewer = env.new_client()
    env.sign_in(VIEWER, viewer)
    vpage = viewer.get("/console/items/contacts/edit", params={"id": "ru-police"}).text
    assert 'formaction="/console/items/contacts/check"' not in vpage
    refused = viewer.post("/console/items/contacts/check", data={**fields, "csrf": env.csrf(vpage)})
    assert refused.status_code == 403
    no_token = env.client.post("/console/items/contacts/check", data=fields)
    assert no_token.status_code in (400, 403)


def test_public_source_per_language_and_editorial_notes_are_form_fields(env) -> None:
    page = env.client.get("/console/items/contacts/edit", params={"id": "ru-police"}).text
    assert 'name="source.ky"' in page and 'name="source.ru"' in page  # one label a language
    assert '<textarea id="f-notes" name="notes"' in page and "never reach" in page
    fields = open_contact(env, env.client, "ru-police")
    fields["source.ky"] = "Москва шаарынын сайты (mos.ru)"
    notes = 'Called 102 on 2026-11-30 from a Bishkek number: "answers in Russian".\nSecond line.'
    fields["notes"] = notes
    response = save(env.client, fields)
    assert response.status_code == 200 and "Saved as version" in response.text, response.text
    text = history(env).read("contacts.yaml").decode()
    block = text[text.index("- id: ru-police") : text.index("- id: ru-ambulance")]
    assert 'ky: "Москва шаарынын сайты (mos.ru)"' in block
    written = json.dumps(notes, ensure_ascii=False)  # YAML's double quotes, JSON's escapes
    assert f"  notes: {written}\n" in block and "\\n" in written
    again = open_contact(env, env.client, "ru-police")
    assert again["notes"] == notes and again["source.ky"] == "Москва шаарынын сайты (mos.ru)"
    # a note too long for one field is refused with the reason, never cut; the text stays
    head = history(env).head()
    fields = open_contact(env, env.client, "ru-police")
    fields["notes"] = "x" * 8001
    response = save(env.client, fields)
    assert response.status_code == 422 and "8001 characters: at most 8000" in response.text
    assert "x" * 8001 in response.text and history(env).head() == head
