"""Starlette's TestClient, imported without its warning about the httpx flavour in this venv.

Starlette 1.x warns (at import) that it prefers `httpx2`; the suite turns warnings into errors,
and the client works the same with `httpx`.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
