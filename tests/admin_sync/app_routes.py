"""Every (method, path template) the assembled server answers, read from the app itself.

FastAPI 0.16x keeps included routers as `_IncludedRouter` entries (with the include prefix)
instead of copying their routes; both layouts are walked. A mount (static files) counts as GET.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.routing import Mount, Route


def app_routes(routes: Iterable[Any], prefix: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for route in routes:
        if isinstance(route, Mount):
            found.append(("GET", prefix + route.path + "/{file}"))
        elif isinstance(route, Route) or hasattr(route, "methods"):
            for method in sorted(route.methods or ()):
                if method != "HEAD":
                    found.append((method, prefix + route.path))
        elif hasattr(route, "original_router"):
            included = prefix + (route.include_context.prefix or "")
            found.extend(app_routes(route.original_router.routes, included))
    return sorted(set(found))


def sample_path(template: str) -> str:
    """A concrete path for a template: each {param} replaced by a plausible value."""
    samples = {
        "batch_id": "9b2f6c1e-3d4a-4b5c-8d6e-7f8091a2b3c4",
        "action": "add",
        "slug": "contacts",
        "name": "timestamp.json",
        "path:path": "parts/shared.json",
        "file": "console.css",
        "command_id": "7",
        "kiosk_id": "tas-0123abcd",
    }
    for key, value in samples.items():
        template = template.replace("{" + key + "}", value)
    return template
