"""The console's one CSRF check: every form route takes its fields from `CheckedForm`.

A form carries a `csrf` field that must equal the signed-in session's token (or, for the
sign-in form, the double-submit token of the sign-in cookie); otherwise the request is refused
with 403 before the handler runs. Signed-in forms also need a session first (no session:
redirect to sign-in). Ordinary forms are at most `MAX_FORM_BYTES`; the publish form
(`upload=True`) may carry an archive of up to the console's `max_archive_bytes`.

    @router.post("/kiosks/revoke")
    def revoke(form: FormDep, you: ...) -> Response: form.text("kiosk", 80)
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import UploadFile

from admin_sync.server.console.access import SIGNIN_COOKIE, NeedSignIn, Refused, SessionDep
from admin_sync.server.console.providers import SettingsDep

MAX_FORM_BYTES = 64 * 1024
EXPIRED = (
    "This form has expired or did not come from the console. "
    "Go back, reload the page and try again."
)


@dataclass(frozen=True)
class PostedForm:
    """The fields of a form whose CSRF token was checked."""

    fields: Mapping[str, str | UploadFile]

    def text(self, name: str, max_chars: int = 200) -> str:
        """A text field, stripped and cut to `max_chars`; "" when missing or a file."""
        value = self.fields.get(name, "")
        return value.strip()[:max_chars] if isinstance(value, str) else ""

    def raw(self, name: str) -> str:
        """A text field exactly as sent (passwords); "" when missing or a file."""
        value = self.fields.get(name, "")
        return value if isinstance(value, str) else ""

    def file(self, name: str) -> UploadFile | None:
        value = self.fields.get(name)
        return value if isinstance(value, UploadFile) else None


class CheckedForm:
    """Dependency: the posted form after the CSRF check (see the module docstring)."""

    def __init__(self, *, upload: bool = False, before_sign_in: bool = False) -> None:
        self.upload = upload
        self.before_sign_in = before_sign_in

    async def __call__(
        self, request: Request, session: SessionDep, settings: SettingsDep
    ) -> PostedForm:
        if self.before_sign_in:
            session = None
            expected = request.cookies.get(SIGNIN_COOKIE)
        elif session is None:
            raise NeedSignIn()
        else:
            expected = session.csrf

        def refuse(status: int, message: str) -> Refused:
            return Refused(status, message, session=session, settings=settings)

        if self.upload:
            max_part, what = settings.max_archive_bytes + 1, "upload"
        else:
            declared = request.headers.get("content-length", "0")
            if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
                raise refuse(413, "The form is too large or has no valid length.")
            max_part, what = MAX_FORM_BYTES, "form"
        try:
            form = await request.form(max_part_size=max_part)
        except Exception as exc:  # malformed multipart / urlencoded body
            raise refuse(400, f"the {what} could not be read: {exc}") from exc
        sent = form.get("csrf")
        if (
            not isinstance(sent, str)
            or not expected
            or not hmac.compare_digest(sent.encode(), expected.encode())
        ):
            raise refuse(403, EXPIRED)
        return PostedForm(dict(form))


checked_form = CheckedForm()
checked_upload = CheckedForm(upload=True)
checked_sign_in_form = CheckedForm(before_sign_in=True)

FormDep = Annotated[PostedForm, Depends(checked_form)]
UploadFormDep = Annotated[PostedForm, Depends(checked_upload)]
SignInFormDep = Annotated[PostedForm, Depends(checked_sign_in_form)]
