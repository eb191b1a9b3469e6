"""Urgent notices in the console: validation per field (no 500), saving signs notices.json
without a release, withdrawing re-signs it, audit rows, viewers cannot write."""

from __future__ import annotations

import pytest

from admin_sync.datadir import DataDir
from admin_sync.tuf_repo import HASH_ALGORITHM, hashed_target_name
from content.notices import NOTICES_TARGET, NoticeSet
from tests.admin_sync.console_env import VIEWER, ConsoleEnv

# the test clock is 2026-11-22 09:00 UTC; the form's times are UTC+5 by default
GOOD = {
    "airport": "FRU",
    "destination": "",
    "tz": "+06:00",
    "starts_at": "2026-11-22T10:00",
    "expires_at": "2026-11-29T10:00",
    "text_en": "From 1 December, Russia asks for a new registration card.",
    "text_ru": "С 1 декабря Россия требует новую миграционную карту.",
}


@pytest.fixture
def env(tmp_path) -> ConsoleEnv:
    env = ConsoleEnv(tmp_path)
    env.sign_in()
    return env


def post(env: ConsoleEnv, path: str, **data: str):
    csrf = env.csrf(env.client.get("/console/notices").text)
    return env.client.post(path, data={"csrf": csrf, **data})


def signed_notices(env: ConsoleEnv) -> NoticeSet | None:
    data = DataDir(env.data)
    info = data.repository().targets().signed.targets.get(NOTICES_TARGET)
    if info is None:
        return None
    blob = data.store().read_target(hashed_target_name(NOTICES_TARGET, info.hashes[HASH_ALGORITHM]))
    assert blob is not None
    return NoticeSet.from_bytes(blob)


def test_save_signs_the_notice_and_withdraw_resigns(env) -> None:
    assert signed_notices(env) is None
    response = post(env, "/console/notices/save", **GOOD)
    assert response.status_code == 200, response.text
    assert "saved and signed" in response.text
    signed = signed_notices(env)
    assert signed is not None and signed.serial == 1
    (notice,) = signed.notices
    assert notice.airport == "FRU" and notice.destination == ""
    assert notice.starts_at.isoformat() == "2026-11-22T04:00:00+00:00"  # 10:00 at UTC+6
    assert set(notice.texts) == {"en", "ru"}
    page = env.client.get("/console/notices").text
    assert "Russia asks for a new registration card" in page and "showing" in page
    audit = DataDir(env.data).audit_log().entries()
    assert [(e.action, e.item, e.who) for e in audit] == [("notice", "notice 1", "edna")]

    response = post(env, "/console/notices/expire", notice=str(notice.id))
    assert response.status_code == 200 and "withdrawn" in response.text
    after = signed_notices(env)
    assert after is not None and after.serial == 2 and after.notices == ()
    assert DataDir(env.data).audit_log().entries()[0].action == "expire-notice"
    assert post(env, "/console/notices/expire", notice=str(notice.id)).status_code == 404


def test_unreadable_signing_keys_save_the_notice_unsent_not_500(env) -> None:
    for key in DataDir(env.data).keys_dir.glob("*.pem"):
        key.write_text("not a key\n")
    response = post(env, "/console/notices/save", **GOOD)
    assert response.status_code == 409, response.text[:300]
    assert "saved, not sent: the server cannot sign now" in response.text
    assert signed_notices(env) is None
    assert post(env, "/console/notices/expire", notice="1").status_code == 409


@pytest.mark.parametrize(
    ("change", "field_words"),
    [
        ({"text_en": ""}, "Text (English): empty"),
        ({"text_en": "x" * 281}, "Text (English): 281 characters, at most 280"),
        ({"text_ru": "я" * 300}, "Text (Русский): 300 characters"),
        ({"expires_at": "2026-11-22T09:00"}, "Expiry: must be after the start"),
        (
            {"starts_at": "2026-11-01T09:00", "expires_at": "2026-11-02T09:00"},
            "already in the past",
        ),
        ({"starts_at": "tomorrow"}, "Start: &#39;tomorrow&#39; is not a date and time"),
        ({"expires_at": ""}, "Expiry: give a date and time"),
        ({"airport": ""}, "Airport or destination: choose at least one"),
        ({"airport": "XYZ"}, "Airport: &#39;XYZ&#39; is not one of the airports"),
        ({"destination": "ZZ"}, "Destination: &#39;ZZ&#39; is not one of the destinations"),
        ({"tz": "+09:00"}, "Time zone: choose one"),
    ],
)
def test_bad_forms_say_which_field_and_keep_what_was_typed(env, change, field_words) -> None:
    response = post(env, "/console/notices/save", **{**GOOD, **change})
    assert response.status_code == 400
    assert field_words in response.text
    assert "С 1 декабря Россия" in response.text or "text_ru" in change  # kept in the form
    assert signed_notices(env) is None  # nothing signed
    assert DataDir(env.data).audit_log().entries() == []


def test_a_viewer_cannot_write_a_notice(env) -> None:
    viewer = env.new_client()
    env.sign_in(VIEWER, viewer)
    csrf = env.csrf(viewer.get("/console/notices").text)
    response = viewer.post("/console/notices/save", data={"csrf": csrf, **GOOD})
    assert response.status_code == 403
    assert signed_notices(env) is None


def test_a_release_keeps_the_signed_notices(env, tmp_path) -> None:
    from admin_sync.publish import publish_source
    from tests.admin_sync.console_env import valid_source

    assert post(env, "/console/notices/save", **GOOD).status_code == 200
    publish_source(
        DataDir(env.data),
        valid_source(tmp_path / "src"),
        production=False,
        published_by="edna",
        clock=env.clock,
    )
    signed = signed_notices(env)
    assert signed is not None and len(signed.notices) == 1
    assert "release.json" in DataDir(env.data).repository().targets().signed.targets


def test_an_edit_replaces_the_text_and_headings_under_the_same_id(env) -> None:
    headed = {**GOOD, "heading_en": "New registration card", "heading_ru": "Новая карта"}
    assert post(env, "/console/notices/save", **headed).status_code == 200
    (first,) = signed_notices(env).notices
    assert first.headings == {"en": "New registration card", "ru": "Новая карта"}
    form = env.client.get(f"/console/notices?edit={first.id}").text
    assert f'name="edit" value="{first.id}"' in form and "Новая карта" in form
    edited = {**headed, "edit": str(first.id), "text_en": "From 15 December: a new card.",
              "heading_en": "New date", "text_ru": "", "heading_ru": ""}  # fmt: skip
    response = post(env, "/console/notices/save", **edited)
    assert response.status_code == 200 and "edited and signed" in response.text
    signed = signed_notices(env)
    assert signed is not None and signed.serial == 2
    (notice,) = signed.notices
    assert notice.id == first.id and notice.texts == {"en": "From 15 December: a new card."}
    assert notice.headings == {"en": "New date"}
    actions = [e.action for e in DataDir(env.data).audit_log().entries()]
    assert actions[:2] == ["edit-notice", "notice"]
    # a withdrawn notice cannot be edited back to life
    assert post(env, "/console/notices/expire", notice=str(first.id)).status_code == 200
    gone = post(env, "/console/notices/save", **edited)
    assert gone.status_code == 404 and signed_notices(env).notices == ()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"heading_en": "x" * 61}, "Heading (English): 61 characters, at most 60"),
        ({"heading_ru": "Карта", "text_ru": ""}, "no text in this language"),
    ],
)
def test_bad_headings_say_why(env, change, words) -> None:
    response = post(env, "/console/notices/save", **{**GOOD, **change})
    assert response.status_code == 400 and words in response.text
    assert signed_notices(env) is None
