"""Who gets a staged release first, checked against the server's kiosk registry.

The one set of rules for the console's forms (console/rollout_forms.py: publish, promote) and
the administrator API (admin_rollout_api.py: publish's `first_to_*` query parameters, promote's
JSON fields). An audience is one of: registered kiosks that are not revoked, one airport of the
console's list, or a ring from 0 to 3. A bad choice raises `RolloutError` with a sentence for the
page; the API's `audience_from_values` raises `AudienceError`, which also names the parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from admin_sync.rollout import MAX_RING, Rollout, RolloutError
from admin_sync.server import registry
from admin_sync.server.db import Database

RINGS = tuple(range(0, 4))  # offered in the console; the settings allow up to MAX_RING
assert RINGS[-1] <= MAX_RING


class AudienceError(RolloutError):
    """A bad audience given over the API; `parameter` names the field at fault."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.reason = message


def kiosks_audience(db: Database, chosen: Iterable[str]) -> Rollout:
    """Registered kiosks that are not revoked (at least one)."""
    picked = sorted(set(chosen))
    known = {k.id for k in registry.list_kiosks(db) if not k.revoked}
    unknown = [k for k in picked if k not in known]
    if unknown:
        raise RolloutError(f"no active kiosk {', '.join(unknown)[:200]} is registered")
    if not picked:
        raise RolloutError("Tick at least one kiosk to send the release to first.")
    return Rollout.first_to(kiosks=picked)


def airport_audience(airport: str) -> Rollout:
    """One airport of the console's list (an IATA code, any case)."""
    # imported here: the console package imports this module (as alerts/mail.py does)
    from admin_sync.server.console.pages import AIRPORTS

    code = airport.strip().upper()
    if code not in AIRPORTS:
        raise RolloutError("Choose one of the airports in the list.")
    return Rollout.first_to(airports=[code])


def ring_audience(ring: str | int) -> Rollout:
    """Kiosks whose rollout ring is `ring` or lower (0 to 3, as the console offers)."""
    text = str(ring).strip()
    if not text.isdigit() or int(text) not in RINGS:
        raise RolloutError(f"Choose a ring from {RINGS[0]} to {RINGS[-1]}.")
    return Rollout.first_to(ring=int(text))


@dataclass(frozen=True)
class AudienceNames:
    """What the caller calls the three fields (named in refusals)."""

    kiosks: str
    airport: str
    ring: str


def audience_from_values(
    db: Database,
    *,
    kiosks: Sequence[str] = (),
    airport: str | None = None,
    ring: str | int | None = None,
    names: AudienceNames,
) -> Rollout | None:
    """The one audience given (None when none is: everyone). Kiosk ids may also be given as
    one comma-separated value. Two audiences at once are refused, as the console's one choice."""
    ids = [k.strip() for value in kiosks for k in value.split(",") if k.strip()]
    given = [
        name
        for name, present in (
            (names.kiosks, bool(kiosks)),
            (names.airport, airport is not None),
            (names.ring, ring is not None),
        )
        if present
    ]
    if len(given) > 1:
        raise AudienceError(
            " and ".join(given),
            "give one audience: kiosks, one airport or a ring (promote widens it later)",
        )
    try:
        if kiosks:
            return kiosks_audience(db, ids)
        if airport is not None:
            if "," in airport:
                raise RolloutError(
                    "one airport at a time, as in the console (promote adds more later)"
                )
            return airport_audience(airport)
        if ring is not None:
            return ring_audience(ring)
    except AudienceError:
        raise
    except RolloutError as exc:
        raise AudienceError(given[0], str(exc)) from exc
    return None
