"""The users page (editors only): add a user, change a role, disable or enable a user.

The rules live in `admin_sync.users` (names, password length, at least one active editor);
this page shows their messages. Disabling a user ends their sessions at once.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from admin_sync.server.console.access import RoleRequired, SignedIn
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import UsersDep
from admin_sync.users import ROLES, UserError, UsersDB

log = logging.getLogger("safe_airports.server.console")

router = APIRouter(prefix="/console", include_in_schema=False)

UserManager = Annotated[SignedIn, Depends(RoleRequired("editor", "manage users"))]


def users_page(
    you: SignedIn, users: UsersDB, *, status: int = 200, message: str = "", ok: str = ""
) -> HTMLResponse:
    return you.render(
        "users.html",
        status=status,
        title="Users",
        users=users.users(),
        roles=ROLES,
        message=message,
        ok=ok,
    )


@router.get("/users")
def show_users(you: UserManager, users: UsersDep) -> Response:
    return users_page(you, users)


@router.post("/users/{action}")
def change_user(action: str, form: FormDep, you: UserManager, users: UsersDep) -> Response:
    name = form.text("name", 64)
    try:
        if action == "add":
            users.add_user(name, form.raw("password"), form.text("role"))
            ok = f"User {name} added."
        elif action == "role":
            users.set_role(name, form.text("role"))
            ok = f"{name} is now {form.text('role')}."
        elif action in ("disable", "enable"):
            users.set_disabled(name, action == "disable")
            ok = f"{name} {action}d."
        else:
            return you.error(404, "No such action.")
    except UserError as exc:
        return users_page(you, users, status=400, message=str(exc))
    log.info("console: %s: users/%s %s", you.user.name, action, name)
    return users_page(you, users, ok=ok)
