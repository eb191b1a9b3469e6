"""The console's pages and forms (see the package docstring for the security rules)."""

from __future__ import annotations

import csv
import hmac
import io
import json
import logging
import re
import secrets
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from admin_sync.server import kiosk_api, registry
from admin_sync.server.console.archive import ArchiveError, extract_archive
from admin_sync.server.console.charts import bar_chart, day_range, line_chart
from admin_sync.server.stats_db import StatsDB, StatsFilter
from admin_sync.stats_wire import DEFAULT_K, SUPPRESSED
from admin_sync.users import ROLES, Session, UserError, UsersDB

log = logging.getLogger("safe_airports.server.console")

SESSION_COOKIE = "sa_console"
SIGNIN_COOKIE = "sa_signin"
TEMPLATES_DIR = Path(__file__).parent / "templates"
AIRPORTS = {
    "TAS": "Tashkent",
    "TMJ": "Termez",
    "NMA": "Namangan",
    "KSQ": "Qarshi",
    "ASB": "Ashgabat",
    "FRU": "Bishkek Manas",
}
METRIC_TITLES = {
    "language": "Languages chosen",
    "destination": "Destinations looked at",
    "topic": "Topics opened",
    "qr_shown": "QR codes shown",
    "session_length": "Session lengths",
}
MAX_FORM_BYTES = 64 * 1024
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


class NeedSignIn(Exception):
    """Raised by pages when there is no valid session."""


async def sign_in_redirect(request: Request, exc: Exception) -> Response:
    return _secure(RedirectResponse("/console/sign-in", status_code=303))


def _secure(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _fmt_bytes(value: int | None) -> str:
    if value is None:
        return "unknown"
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024  # type: ignore[assignment]
    return str(value)


_env.filters["bytes"] = _fmt_bytes
_env.globals["AIRPORTS"] = AIRPORTS


@dataclass
class Ctx:
    request: Request
    session: Session | None

    @property
    def users(self) -> UsersDB:
        return self.request.app.state.users_db

    @property
    def settings(self) -> Any:
        return self.request.app.state.console_settings


def _render(ctx: Ctx, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    html = _env.get_template(template).render(
        session=ctx.session,
        user=ctx.session.user if ctx.session else None,
        csrf=ctx.session.csrf if ctx.session else "",
        path=ctx.request.url.path,
        **values,
    )
    return _secure(HTMLResponse(html, status_code=status))  # type: ignore[return-value]


def _session(request: Request) -> Ctx:
    users: UsersDB = request.app.state.users_db
    session = users.session(request.cookies.get(SESSION_COOKIE))
    if session is None:
        raise NeedSignIn()
    return Ctx(request, session)


async def _form(request: Request, ctx: Ctx | None) -> dict[str, Any]:
    """The posted form, after the CSRF check (the session's token, or the sign-in cookie)."""
    declared = request.headers.get("content-length", "0")
    if not declared.isdigit() or int(declared) > MAX_FORM_BYTES:
        raise _FormError(413, "The form is too large or has no valid length.")
    try:
        form = await request.form(max_part_size=MAX_FORM_BYTES)
    except Exception as exc:  # malformed multipart / urlencoded body
        raise _FormError(400, f"the form could not be read: {exc}") from exc
    sent = form.get("csrf")
    expected = ctx.session.csrf if ctx and ctx.session else request.cookies.get(SIGNIN_COOKIE)
    if (
        not isinstance(sent, str)
        or not expected
        or not hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise _FormError(
            403,
            "This form has expired or did not come from the console. "
            "Go back, reload the page and try again.",
        )
    return dict(form)


class _FormError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _error_page(ctx: Ctx, status: int, message: str) -> HTMLResponse:
    return _render(ctx, "error.html", status=status, title="Cannot do that", message=message)


async def _editor_form(
    request: Request,
    what: str,
    read: Callable[[Request, Ctx], Awaitable[dict[str, Any]]] = _form,
) -> tuple[Ctx, dict[str, Any]] | Response:
    """A signed-in editor's posted form (CSRF checked first), or the error page to answer."""
    ctx = _session(request)
    try:
        form = await read(request, ctx)
    except _FormError as exc:
        return _error_page(ctx, exc.status, exc.message)
    if denied := _require_editor(ctx, what):
        return denied
    return ctx, form


def _require_editor(ctx: Ctx, what: str) -> HTMLResponse | None:
    assert ctx.session is not None
    if ctx.session.user.role != "editor":
        return _error_page(
            ctx, 403, f"Your role ({ctx.session.user.role}) cannot {what}. Ask an editor."
        )
    return None


def _cookie_secure(request: Request) -> bool:
    mode = request.app.state.console_settings.secure_cookies
    if mode == "always":
        return True
    if mode == "never":
        return False
    forwarded = request.headers.get("x-forwarded-proto", "")
    return request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https"


def _parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _field(form: dict[str, Any], name: str, max_chars: int = 200) -> str:
    value = form.get(name, "")
    return value.strip()[:max_chars] if isinstance(value, str) else ""


def make_console_router() -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)

    # -- sign-in ---------------------------------------------------------------------------

    @router.get("/sign-in")
    def sign_in_page(request: Request) -> Response:
        return _sign_in_response(request, "", 200)

    def _sign_in_response(request: Request, message: str, status: int) -> Response:
        token = secrets.token_urlsafe(24)
        ctx = Ctx(request, None)
        response = _render(
            ctx, "sign_in.html", status=status, title="Sign in", message=message, signin_csrf=token
        )
        response.set_cookie(
            SIGNIN_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=_cookie_secure(request),
            path="/console",
            max_age=3600,
        )
        return response

    @router.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        try:
            form = await _form(request, None)
        except _FormError as exc:
            return _sign_in_response(request, exc.message, exc.status)
        name = _field(form, "username", 64)
        password = form.get("password", "")
        password = password if isinstance(password, str) else ""
        users: UsersDB = request.app.state.users_db
        result = await run_in_threadpool(users.sign_in, name, password)
        if result.token is None:
            if result.locked_until is not None:
                when = result.locked_until.strftime("%H:%M UTC")
                log.warning("console sign-in refused for locked user %s", name)
                return _sign_in_response(
                    request,
                    f"Too many failed sign-ins for this user. Try again after {when}.",
                    429,
                )
            log.warning("console sign-in failed for %r", name)
            return _sign_in_response(request, "Wrong user name or password.", 401)
        log.info("console sign-in: %s", name)
        response = RedirectResponse("/console/fleet", status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            result.token,
            httponly=True,
            samesite="strict",
            secure=_cookie_secure(request),
            path="/console",
            max_age=request.app.state.console_settings.session_hours * 3600,
        )
        response.delete_cookie(SIGNIN_COOKIE, path="/console")
        return _secure(response)

    @router.post("/sign-out")
    async def sign_out(request: Request) -> Response:
        ctx = _session(request)
        try:
            await _form(request, ctx)
        except _FormError as exc:
            return _error_page(ctx, exc.status, exc.message)
        ctx.users.sign_out(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/console/sign-in", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/console")
        return _secure(response)

    @router.get("/")
    @router.get("")
    def home(request: Request) -> Response:
        _session(request)
        return _secure(RedirectResponse("/console/fleet", status_code=303))

    # -- fleet -----------------------------------------------------------------------------

    @router.get("/fleet")
    def fleet(request: Request) -> Response:
        ctx = _session(request)
        rows = _fleet_rows(request)
        counts: dict[str, int] = {}
        for row in rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        return _render(
            ctx,
            "fleet.html",
            title="Fleet",
            rows=rows,
            counts=counts,
            latest=request.app.state.data.latest_content_version(),
            settings=ctx.settings,
            rejections=kiosk_api.stats_rejections(request.app.state.db),
        )

    # -- releases --------------------------------------------------------------------------

    @router.get("/releases")
    def releases(request: Request) -> Response:
        ctx = _session(request)
        return _releases_page(ctx)

    def _releases_page(
        ctx: Ctx,
        *,
        status: int = 200,
        message: str = "",
        problems: list[str] | None = None,
        ok: str = "",
    ) -> HTMLResponse:
        with ctx.request.app.state.db.connect() as conn:
            history = [
                dict(r)
                for r in conn.execute("SELECT * FROM releases ORDER BY content_version DESC")
            ]
        return _render(
            ctx,
            "releases.html",
            status=status,
            title="Releases",
            history=history,
            message=message,
            problems=problems or [],
            ok=ok,
            max_mb=ctx.settings.max_archive_bytes // (1024 * 1024),
        )

    @router.post("/releases/publish")
    async def publish(request: Request) -> Response:
        step = await _editor_form(request, "publish releases", read=_upload_form)
        if isinstance(step, Response):
            return step
        ctx, form = step
        upload = form.get("archive")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _releases_page(ctx, status=400, message="Choose a content archive to upload.")
        limit = ctx.settings.max_archive_bytes
        data_bytes = await upload.read(limit + 1)
        if len(data_bytes) > limit:
            return _releases_page(
                ctx, status=413, message=f"The archive is larger than {limit // 2**20} MB."
            )
        production = form.get("production") == "on"
        assert ctx.session is not None
        who = ctx.session.user.name
        app = request.app

        def work() -> Any:
            from admin_sync.publish import publish_source

            with tempfile.TemporaryDirectory(prefix="console-publish-") as tmp:
                source = extract_archive(data_bytes, Path(tmp), max_bytes=limit)
                return publish_source(
                    app.state.data,
                    source,
                    production=production,
                    published_by=f"console:{who}",
                    clock=app.state.clock,
                    expiries=app.state.settings.expiries(),
                )

        from admin_sync.publish import PublishError

        try:
            manifest = await run_in_threadpool(work)
        except ArchiveError as exc:
            return _releases_page(ctx, status=400, message=str(exc))
        except PublishError as exc:
            log.warning("console publish by %s refused: %s", who, exc)
            return _releases_page(ctx, status=422, message=str(exc), problems=list(exc.lines))
        log.info("console: %s published content version %s", who, manifest.content_version)
        return _releases_page(
            ctx,
            ok=f"Published content version {manifest.content_version} "
            f"({manifest.title}). Kiosks pick it up at their next check.",
        )

    @router.post("/releases/rollback")
    async def rollback(request: Request) -> Response:
        step = await _editor_form(request, "roll back releases")
        if isinstance(step, Response):
            return step
        ctx, form = step
        try:
            version = int(_field(form, "version", 12))
        except ValueError:
            return _releases_page(ctx, status=400, message="Choose a version to roll back to.")
        from admin_sync.publish import PublishError, rollback_to

        assert ctx.session is not None
        app = request.app
        try:
            manifest = await run_in_threadpool(
                lambda: rollback_to(
                    app.state.data,
                    version,
                    published_by=f"console:{ctx.session.user.name}",  # type: ignore[union-attr]
                    clock=app.state.clock,
                    expiries=app.state.settings.expiries(),
                )
            )
        except PublishError as exc:
            return _releases_page(ctx, status=422, message=str(exc), problems=list(exc.lines))
        return _releases_page(
            ctx,
            ok=f"Content of version {version} republished as version {manifest.content_version}.",
        )

    # -- statistics ------------------------------------------------------------------------

    def _filter(request: Request) -> tuple[StatsFilter, date, date, list[str]]:
        notes: list[str] = []
        q = request.query_params
        today = request.app.state.clock().date()
        days = request.app.state.console_settings.stats_default_days
        day_to = _parse_day(q.get("to")) or today
        day_from = _parse_day(q.get("from")) or day_to - timedelta(days=days - 1)
        for name in ("from", "to"):
            if q.get(name) and _parse_day(q.get(name)) is None:
                notes.append(f"'{q.get(name)}' is not a date (YYYY-MM-DD); showing defaults.")
        if day_from > day_to:
            notes.append("The start date was after the end date; they were swapped.")
            day_from, day_to = day_to, day_from
        if (day_to - day_from).days > 800:
            day_from = day_to - timedelta(days=800)
            notes.append("Ranges are limited to 800 days.")
        airport = q.get("airport") or None
        if airport is not None and airport not in AIRPORTS:
            notes.append(f"Unknown airport {airport!r}; showing all.")
            airport = None
        flt = StatsFilter(airport, day_from.isoformat(), day_to.isoformat())
        return flt, day_from, day_to, notes

    @router.get("/stats")
    def stats_page(request: Request) -> Response:
        ctx = _session(request)
        flt, day_from, day_to, notes = _filter(request)
        stats: StatsDB = request.app.state.stats_db
        days = day_range(day_from, day_to)
        sessions = line_chart("Sessions per day, by airport", stats.sessions_per_day(flt), days)
        bars = [
            bar_chart(title, _labelled(metric, stats.breakdown(metric, flt)))
            for metric, title in METRIC_TITLES.items()
        ]
        help_rows = [(AIRPORTS.get(a, a), n) for a, n in stats.by_airport("help_opened", flt)]
        bars.insert(4, bar_chart("Help screen opened, by airport", help_rows))
        return _render(
            ctx,
            "stats.html",
            title="Statistics",
            flt=flt,
            notes=notes,
            sessions=sessions,
            bars=bars,
            query=request.url.query,
            k=DEFAULT_K,
        )

    @router.get("/stats.csv")
    def stats_csv(request: Request) -> Response:
        _session(request)
        flt, _, _, _ = _filter(request)
        stats: StatsDB = request.app.state.stats_db

        def lines() -> Iterator[str]:
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(["day", "airport", "kiosk", "day_part", "metric", "value", "count"])
            for row in stats.rows(flt):
                writer.writerow(row)
                if buffer.tell() > 16384:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        name = f"safe-airports-stats-{flt.day_from}-{flt.day_to}.csv"
        response = StreamingResponse(lines(), media_type="text/csv; charset=utf-8")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return _secure(response)

    @router.get("/report")
    def report(request: Request) -> Response:
        ctx = _session(request)
        flt, day_from, day_to, notes = _filter(request)
        stats: StatsDB = request.app.state.stats_db
        rows = stats.people_reached(flt)
        total = sum(r[1] for r in rows)
        return _render(
            ctx,
            "report.html",
            title="Programme report",
            flt=flt,
            notes=notes,
            rows=[(AIRPORTS.get(a, a), a, n, kiosks, d) for a, n, kiosks, d in rows],
            total=total,
            languages=_labelled("language", stats.breakdown("language", flt))[:8],
            destinations=_labelled("destination", stats.breakdown("destination", flt))[:8],
            help_total=sum(n for _, n in stats.by_airport("help_opened", flt)),
            qr_total=sum(n for _, n in stats.breakdown("qr_shown", flt)),
            dropped=stats.dropped_reported(),
            k=DEFAULT_K,
            query=request.url.query,
        )

    # -- kiosks ----------------------------------------------------------------------------

    @router.get("/kiosks")
    def kiosks(request: Request) -> Response:
        ctx = _session(request)
        return _kiosks_page(ctx)

    def _kiosks_page(ctx: Ctx, *, status: int = 200, message: str = "", ok: str = "") -> Any:
        return _render(
            ctx,
            "kiosks.html",
            status=status,
            title="Kiosks",
            kiosks=registry.list_kiosks(ctx.request.app.state.db),
            message=message,
            ok=ok,
        )

    @router.post("/kiosks/add")
    async def add_kiosk(request: Request) -> Response:
        step = await _editor_form(request, "add kiosks")
        if isinstance(step, Response):
            return step
        ctx, form = step
        airport = _field(form, "airport", 3)
        name = _field(form, "name", 63)
        app = request.app
        if airport not in AIRPORTS:
            return _kiosks_page(ctx, status=400, message="Choose the kiosk's airport.")
        repo = app.state.data.repository()
        if not repo.is_initialized():
            return _kiosks_page(
                ctx,
                status=409,
                message="The server has no signing keys yet (run `safe-airports admin "
                "init-keys`), so there is no trusted root to give a kiosk.",
            )
        try:
            kiosk, token = registry.add_kiosk(app.state.db, airport=airport, name=name)
        except registry.RegistryError as exc:
            return _kiosks_page(ctx, status=400, message=str(exc))
        from admin_sync.protocol import Provisioning

        server_url = ctx.settings.public_server_url or str(request.base_url).rstrip("/")
        provisioning = Provisioning(
            server_url=server_url.rstrip("/"),
            kiosk_id=kiosk.id,
            airport=kiosk.airport,
            name=kiosk.name,
            token=token,
            trusted_root=json.loads(repo.root_bytes()),
        )
        assert ctx.session is not None
        log.info("console: %s added kiosk %s (%s)", ctx.session.user.name, kiosk.id, airport)
        response = Response(provisioning.to_bytes(), media_type="application/json")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="provisioning-{kiosk.id}.json"'
        )
        return _secure(response)

    @router.post("/kiosks/revoke")
    async def revoke_kiosk(request: Request) -> Response:
        step = await _editor_form(request, "revoke kiosks")
        if isinstance(step, Response):
            return step
        ctx, form = step
        kiosk_id = _field(form, "kiosk", 80)
        try:
            kiosk = registry.revoke_kiosk(request.app.state.db, kiosk_id)
        except registry.RegistryError as exc:
            return _kiosks_page(ctx, status=404, message=str(exc))
        assert ctx.session is not None
        log.info("console: %s revoked kiosk %s", ctx.session.user.name, kiosk.id)
        return _kiosks_page(ctx, ok=f"Kiosk {kiosk.name} ({kiosk.id}) revoked.")

    # -- users -----------------------------------------------------------------------------

    @router.get("/users")
    def users_page(request: Request) -> Response:
        ctx = _session(request)
        if denied := _require_editor(ctx, "manage users"):
            return denied
        return _users_page(ctx)

    def _users_page(ctx: Ctx, *, status: int = 200, message: str = "", ok: str = "") -> Any:
        return _render(
            ctx,
            "users.html",
            status=status,
            title="Users",
            users=ctx.users.users(),
            roles=ROLES,
            message=message,
            ok=ok,
        )

    @router.post("/users/{action}")
    async def users_action(request: Request, action: str) -> Response:
        step = await _editor_form(request, "manage users")
        if isinstance(step, Response):
            return step
        ctx, form = step
        name = _field(form, "name", 64)
        try:
            if action == "add":
                password = form.get("password", "")
                ctx.users.add_user(
                    name, password if isinstance(password, str) else "", _field(form, "role")
                )
                ok = f"User {name} added."
            elif action == "role":
                ctx.users.set_role(name, _field(form, "role"))
                ok = f"{name} is now {_field(form, 'role')}."
            elif action in ("disable", "enable"):
                ctx.users.set_disabled(name, action == "disable")
                ok = f"{name} {action}d."
            else:
                return _error_page(ctx, 404, "No such action.")
        except UserError as exc:
            return _users_page(ctx, status=400, message=str(exc))
        assert ctx.session is not None
        log.info("console: %s: users/%s %s", ctx.session.user.name, action, name)
        return _users_page(ctx, ok=ok)

    return router


async def _upload_form(request: Request, ctx: Ctx) -> dict[str, Any]:
    """Like `_form`, for the publish form whose archive part may be large."""
    limit = request.app.state.console_settings.max_archive_bytes
    try:
        form = await request.form(max_part_size=limit + 1)
    except Exception as exc:
        raise _FormError(400, f"the upload could not be read: {exc}") from exc
    sent = form.get("csrf")
    assert ctx.session is not None
    if not isinstance(sent, str) or not hmac.compare_digest(
        sent.encode(), ctx.session.csrf.encode()
    ):
        raise _FormError(
            403,
            "This form has expired or did not come from the console. "
            "Go back, reload the page and try again.",
        )
    return dict(form)


def _labelled(metric: str, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    out = []
    for value, count in rows:
        if value == SUPPRESSED:
            label = "other (small groups merged)"
        elif metric == "qr_shown":
            label = {
                "tel": "phone number",
                "url": "web page",
                "messenger": "messenger",
                "vcard": "contact card",
            }.get(value, value)
        else:
            label = value
        out.append((label, count))
    return out


def _fleet_rows(request: Request) -> list[dict[str, Any]]:
    app = request.app
    settings = app.state.console_settings
    now: datetime = app.state.clock()
    latest = app.state.data.latest_content_version()
    with app.state.db.connect() as conn:
        beats = {r["kiosk_id"]: dict(r) for r in conn.execute("SELECT * FROM heartbeats")}
    rows = []
    for kiosk in registry.list_kiosks(app.state.db):
        beat = beats.get(kiosk.id)
        age_min: float | None = None
        if beat is not None:
            seen = datetime.fromisoformat(beat["received_at"])
            age_min = max(0.0, (now - seen).total_seconds() / 60)
        if kiosk.revoked:
            status = "revoked"
        elif age_min is None:
            status = "never seen"
        elif age_min <= settings.late_after_minutes:
            status = "online"
        elif age_min <= settings.offline_after_minutes:
            status = "late"
        else:
            status = "offline"
        version = beat["content_version"] if beat else None
        if version is None or latest is None:
            version_note = "unknown"
        elif version >= latest:
            version_note = "up to date"
        else:
            version_note = f"{latest - version} behind"
        rows.append(
            {
                "kiosk": kiosk,
                "airport_name": AIRPORTS.get(kiosk.airport, kiosk.airport),
                "status": status,
                "last_seen": _ago(age_min),
                "received_at": beat["received_at"] if beat else None,
                "content_version": version,
                "version_note": version_note,
                "app_version": beat["app_version"] if beat else None,
                "free_disk": beat["free_disk_bytes"] if beat else None,
                "last_error": beat["last_error"] if beat else None,
            }
        )
    return rows


def _ago(minutes: float | None) -> str:
    if minutes is None:
        return "never"
    if minutes < 1:
        return "just now"
    if minutes < 120:
        return f"{minutes:.0f} min ago"
    if minutes < 48 * 60:
        return f"{minutes / 60:.0f} h ago"
    return f"{minutes / 1440:.0f} days ago"
