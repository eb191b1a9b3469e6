"""JSON request bodies parsed once.

`body_guard` reads every JSON body, parses it strictly (`strict_json`) and leaves the value in
the request's state. FastAPI reads a route's body model (the heartbeat's `HeartbeatIn`) through
`Request.json()`, which would parse the same bytes again with the lenient `json.loads`. The
routes of a router made with `route_class=GuardedJSONRoute` get a request whose `json()` is the
guard's value (parsed strictly here when the guard did not parse these bytes).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from admin_sync.server import strict_json


class GuardedJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json.guarded_loads(self.scope, await self.body())
        return self._json


class GuardedJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            return await handle(GuardedJSONRequest(request.scope, request.receive))

        return guarded
