"""The console's security code called directly: the Secure-cookie rule, the session of a
request, role checks, and the CSRF/size checks of `CheckedForm` on real Starlette requests
(no app, no server: each case is one call; the routes are covered by test_forms_and_access)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from argon2 import PasswordHasher
from starlette.datastructures import UploadFile
from starlette.requests import Request

from admin_sync.server.console.access import (
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    NeedSignIn,
    Refused,
    RoleRequired,
    SignedIn,
    cookie_secure,
    current_session,
    signed_in,
)
from admin_sync.server.console.forms import (
    EXPIRED,
    MAX_FORM_BYTES,
    CheckedForm,
    PostedForm,
    checked_form,
    checked_sign_in_form,
    checked_upload,
)
from admin_sync.server.console.settings import ConsoleSettings
from admin_sync.users import Session, User, UsersDB

SETTINGS = ConsoleSettings()
EDITOR = User("edith", "editor", "2026-01-01T00:00:00+00:00", None)
VIEWER = User("victor", "viewer", "2026-01-01T00:00:00+00:00", None)


def make_request(
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    scheme: str = "http",
    cookies: dict[str, str] | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    length: str | None = "auto",
) -> Request:
    sent = {"content-type": content_type, **(headers or {})}
    if length == "auto":
        sent["content-length"] = str(len(body))
    elif length is not None:
        sent["content-length"] = length
    if cookies:
        sent["cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    scope = {
        "type": "http",
        "method": "POST",
        "scheme": scheme,
        "path": "/console/x",
        "raw_path": b"/console/x",
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in sent.items()],
    }
    chunks = [body]

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0) if chunks else b""
        return {"type": "http.request", "body": chunk, "more_body": False}

    return Request(scope, receive)


# -- the Secure flag --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "scheme", "forwarded", "secure"),
    [
        ("always", "http", None, True),
        ("never", "https", "https", False),
        ("auto", "http", None, False),
        ("auto", "https", None, True),
        ("auto", "http", "https", True),
        ("auto", "http", " https , http", True),
        ("auto", "http", "http, https", False),
        ("auto", "http", "HTTPS", False),
        ("auto", "http", "httpsx", False),
        ("auto", "http", "", False),
    ],
)
def test_cookie_secure(mode: str, scheme: str, forwarded: str | None, secure: bool) -> None:
    headers = {} if forwarded is None else {"X-Forwarded-Proto": forwarded}
    request = make_request(scheme=scheme, headers=headers)
    assert cookie_secure(request, ConsoleSettings(secure_cookies=mode)) is secure


# -- who is asking ----------------------------------------------------------------------------


@pytest.fixture
def users(tmp_path: Path) -> UsersDB:
    db = UsersDB(
        tmp_path / "users.db", hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    db.migrate()
    db.add_user("edith", "a long passphrase", "editor")
    return db


def test_the_session_comes_from_the_console_cookie_only(users: UsersDB) -> None:
    token = users.open_session("edith")
    session = current_session(make_request(cookies={SESSION_COOKIE: token}), users)
    assert session is not None and session.user.name == "edith"
    assert current_session(make_request(cookies={SIGNIN_COOKIE: token}), users) is None
    assert current_session(make_request(), users) is None
    assert current_session(make_request(cookies={SESSION_COOKIE: token + "x"}), users) is None


def test_signed_in_needs_a_session() -> None:
    request = make_request()
    with pytest.raises(NeedSignIn):
        signed_in(request, None, SETTINGS)
    session = Session(EDITOR, "tok", "2099-01-01T00:00:00+00:00")
    you = signed_in(request, session, SETTINGS)
    assert (you.request, you.session, you.settings, you.user) == (
        request,
        session,
        SETTINGS,
        EDITOR,
    )


def test_a_refusal_carries_its_status_message_session_and_settings() -> None:
    session = Session(VIEWER, "tok", "2099-01-01T00:00:00+00:00")
    you = SignedIn(make_request(), session, SETTINGS)
    refused = you.refuse(409, "no")
    assert isinstance(refused, Refused) and str(refused) == "no"
    assert (refused.status, refused.message) == (409, "no")
    assert refused.session is session and refused.settings is SETTINGS


def test_pages_of_a_signed_in_user_carry_their_token() -> None:
    session = Session(EDITOR, "csrf-token-123", "2099-01-01T00:00:00+00:00")
    you = SignedIn(make_request(), session, SETTINGS)
    page = you.error(410, "Gone for good")
    assert page.status_code == 410
    text = bytes(page.body).decode()
    assert "Gone for good" in text and "csrf-token-123" in text and "edith" in text


def test_a_role_is_required_exactly() -> None:
    editor = SignedIn(make_request(), Session(EDITOR, "t", "x"), SETTINGS)
    viewer = SignedIn(make_request(), Session(VIEWER, "t", "x"), SETTINGS)
    rule = RoleRequired("editor", "revoke kiosks")
    assert rule(editor) is editor
    with pytest.raises(Refused) as refused:
        rule(viewer)
    assert refused.value.status == 403
    assert refused.value.message == "Your role (viewer) cannot revoke kiosks. Ask an editor."
    assert refused.value.session is viewer.session
    with pytest.raises(Refused):
        RoleRequired("viewer", "look")(editor)


# -- posted forms -----------------------------------------------------------------------------


def test_posted_form_fields() -> None:
    upload = UploadFile(file=None, filename="a.zip")  # type: ignore[arg-type]
    form = PostedForm(
        {"name": "  Ann Lee  ", "long": "x" * 300, "password": "  p w  ", "f": upload}
    )
    assert form.text("name") == "Ann Lee"
    assert form.text("long") == "x" * 200 and form.text("long", 5) == "xxxxx"
    assert form.text("missing") == "" and form.text("f") == ""
    assert form.raw("password") == "  p w  " and form.raw("missing") == "" and form.raw("f") == ""
    assert form.file("f") is upload and form.file("name") is None and form.file("missing") is None


def check(
    dependency: CheckedForm,
    request: Request,
    session: Session | None,
    settings: ConsoleSettings = SETTINGS,
) -> PostedForm:
    return asyncio.run(dependency(request, session, settings))


SESSION = Session(EDITOR, "the-token", "2099-01-01T00:00:00+00:00")


def form_request(fields: dict[str, str], **kwargs: Any) -> Request:
    return make_request(body=urlencode(fields).encode(), **kwargs)


def test_a_form_with_the_session_token_passes() -> None:
    form = check(checked_form, form_request({"csrf": "the-token", "kiosk": "k1"}), SESSION)
    assert dict(form.fields) == {"csrf": "the-token", "kiosk": "k1"}


@pytest.mark.parametrize(
    "fields",
    [{}, {"csrf": ""}, {"csrf": "the-token "}, {"csrf": "the-toke"}, {"csrf": "THE-TOKEN"}],
)
def test_a_form_without_the_session_token_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(Refused) as refused:
        check(checked_form, form_request(fields), SESSION)
    assert (refused.value.status, refused.value.message) == (403, EXPIRED)
    assert refused.value.session is SESSION and refused.value.settings is SETTINGS


def test_a_session_without_a_token_accepts_no_form() -> None:
    empty = Session(EDITOR, "", "2099-01-01T00:00:00+00:00")
    with pytest.raises(Refused) as refused:
        check(checked_form, form_request({"csrf": ""}), empty)
    assert refused.value.status == 403


def test_a_file_in_the_csrf_field_is_refused() -> None:
    boundary = "b0undary"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="csrf"; filename="the-token"\r\n'
        "Content-Type: text/plain\r\n\r\nthe-token\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    request = make_request(body=body, content_type=f"multipart/form-data; boundary={boundary}")
    with pytest.raises(Refused) as refused:
        check(checked_form, request, SESSION)
    assert refused.value.status == 403


def test_a_signed_in_form_without_a_session_asks_to_sign_in() -> None:
    with pytest.raises(NeedSignIn):
        check(checked_form, form_request({"csrf": "the-token"}), None)
    with pytest.raises(NeedSignIn):
        check(checked_upload, form_request({"csrf": "the-token"}), None)


def test_the_sign_in_form_takes_the_token_of_its_cookie_and_never_a_session() -> None:
    cookies = {SIGNIN_COOKIE: "cookie-token", SESSION_COOKIE: "the-token"}
    request = form_request({"csrf": "cookie-token"}, cookies=cookies)
    form = check(checked_sign_in_form, request, SESSION)
    assert form.text("csrf") == "cookie-token"
    for fields, cookie in [
        ({"csrf": "the-token"}, cookies),  # the session's token is not the sign-in cookie's
        ({"csrf": "cookie-token"}, {SESSION_COOKIE: "cookie-token"}),
        ({"csrf": ""}, {SIGNIN_COOKIE: ""}),
    ]:
        with pytest.raises(Refused) as refused:
            check(checked_sign_in_form, form_request(fields, cookies=cookie), SESSION)
        assert refused.value.status == 403 and refused.value.session is None


@pytest.mark.parametrize("length", ["", "-1", "12a", " 12", str(MAX_FORM_BYTES + 1)])
def test_a_form_without_a_valid_length_or_too_large_is_refused(length: str | None) -> None:
    request = form_request({"csrf": "the-token"}, length=length)
    with pytest.raises(Refused) as refused:
        check(checked_form, request, SESSION)
    assert refused.value.status == 413
    assert refused.value.message == "The form is too large or has no valid length."


def test_a_chunked_form_without_a_length_is_read() -> None:
    # no Content-Length (chunked): the body guard caps the stream before the app reads it
    form = check(checked_form, form_request({"csrf": "the-token"}, length=None), SESSION)
    assert form.text("csrf") == "the-token"


def test_a_form_of_exactly_the_limit_is_read() -> None:
    fields = {"csrf": "the-token", "pad": ""}
    fields["pad"] = "x" * (MAX_FORM_BYTES - len(urlencode(fields)))
    body = urlencode(fields).encode()
    assert len(body) == MAX_FORM_BYTES
    form = check(checked_form, make_request(body=body), SESSION)
    assert len(form.raw("pad")) == len(fields["pad"])


def multipart(name: str, content: bytes, *, filename: str | None = None) -> tuple[bytes, str]:
    boundary = "xYzZy"
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    body = (
        f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="csrf"\r\n\r\nthe-token\r\n'
        + f"--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_a_text_part_over_the_form_limit_is_refused_unreadable() -> None:
    body, content_type = multipart("note", b"y" * (MAX_FORM_BYTES + 1))
    request = make_request(body=body, content_type=content_type, length="100")
    with pytest.raises(Refused) as refused:
        check(checked_form, request, SESSION)
    assert refused.value.status == 400
    assert refused.value.message.startswith("the form could not be read: ")


def test_the_upload_form_takes_an_archive_up_to_the_setting_and_no_more() -> None:
    settings = ConsoleSettings(max_archive_bytes=2 * MAX_FORM_BYTES)
    big = b"z" * (2 * MAX_FORM_BYTES + 1)  # a text part: limited to max_archive_bytes + 1
    body, content_type = multipart("note", big)
    form = check(
        checked_upload, make_request(body=body, content_type=content_type), SESSION, settings
    )
    assert len(form.raw("note")) == len(big)
    body, content_type = multipart("note", big + b"z")
    with pytest.raises(Refused) as refused:
        check(checked_upload, make_request(body=body, content_type=content_type), SESSION, settings)
    assert refused.value.status == 400
    assert refused.value.message.startswith("the upload could not be read: ")
    # the declared length of an upload is checked by the body guard, not here
    body, content_type = multipart("archive", b"PK", filename="c.zip")
    request = make_request(body=body, content_type=content_type, length=None)
    form = check(checked_upload, request, SESSION, settings)
    archive = form.file("archive")
    assert archive is not None and archive.filename == "c.zip"


def test_a_malformed_body_is_refused_with_a_reason() -> None:
    request = make_request(body=b"--nope", content_type="multipart/form-data")
    with pytest.raises(Refused) as refused:
        check(checked_form, request, SESSION)
    assert refused.value.status == 400 and "could not be read" in refused.value.message


def test_a_new_checked_form_is_an_ordinary_signed_in_form_unless_told() -> None:
    plain = CheckedForm()
    assert (plain.upload, plain.before_sign_in) == (False, False)
    with pytest.raises(Refused) as refused:  # the length check of ordinary forms
        check(plain, form_request({"csrf": "the-token"}, length="x"), SESSION)
    assert refused.value.status == 413
    upload = CheckedForm(upload=True)
    assert (upload.upload, upload.before_sign_in) == (True, False)
    assert check(upload, form_request({"csrf": "the-token"}, length="x"), SESSION).fields
    sign_in = CheckedForm(before_sign_in=True)
    assert (sign_in.upload, sign_in.before_sign_in) == (False, True)
    request = form_request({"csrf": "c"}, cookies={SIGNIN_COOKIE: "c"})
    assert check(sign_in, request, None).text("csrf") == "c"
