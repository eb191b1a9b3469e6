"""Staged rollout: which kiosks a release is offered to, signed inside the TUF targets metadata.

A release target (a content manifest, or a software target of the `software/*` delegation)
carries its audience in its signed `custom` field:

    "custom": {"version": 7, "rollout": {"kiosks": ["tas-1a2b3c4d"], "airports": ["TMJ"],
                                         "ring": 0}}
    "custom": {"version": 6, "rollout": "all"}          # or no "rollout" at all: everyone

A kiosk is in a rollout when its kiosk id is listed, or its airport is listed, or its ring
(a small number in the kiosk's settings, 0 = first to try) is at most the rollout's ring.

The rule every kiosk-side updater uses (`choose_newest`): among the signed candidates, install the
newest one whose rollout includes this kiosk; when none is newer than what it runs, keep what it
has. Because the audience is in the signed metadata, a server (or anyone between it and the
kiosk) cannot widen a rollout without the targets key: TUF refuses the changed metadata.

Stdlib only: the agent and the server both import it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from admin_sync.protocol import MANIFEST_TARGET

ROLLOUT_KEY = "rollout"  # in a target's custom field
VERSION_KEY = "version"  # the release's version, in the same custom field
EVERYONE = "all"
STAGED_PREFIX = "staged/"  # a staged content release: staged/release.json, staged/parts/...
STAGED_MANIFEST = STAGED_PREFIX + MANIFEST_TARGET
MAX_RING = 9
MAX_KIOSKS = 500

_KIOSK_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,79}$")
_AIRPORT = re.compile(r"^[A-Z]{3}$")

T = TypeVar("T")


class RolloutError(ValueError):
    """A rollout is malformed (the message says which field); it includes nobody."""


@dataclass(frozen=True)
class KioskIdentity:
    """What a kiosk knows about itself: id and airport (provisioning file), ring (settings)."""

    kiosk_id: str
    airport: str
    ring: int | None = None


@dataclass(frozen=True)
class Rollout:
    """Who a release is offered to. `everyone` overrides the lists."""

    kiosks: frozenset[str] = frozenset()
    airports: frozenset[str] = frozenset()
    ring: int | None = None
    everyone: bool = False

    @classmethod
    def to_all(cls) -> Rollout:
        return cls(everyone=True)

    @classmethod
    def first_to(
        cls,
        *,
        kiosks: Iterable[str] = (),
        airports: Iterable[str] = (),
        ring: int | None = None,
    ) -> Rollout:
        """A staged audience, checked (RolloutError when empty or malformed)."""
        rollout = cls(frozenset(kiosks), frozenset(a.upper() for a in airports), ring)
        rollout.check()
        if rollout.is_empty():
            raise RolloutError("a staged release needs at least one kiosk, airport or ring")
        return rollout

    def is_empty(self) -> bool:
        return not (self.everyone or self.kiosks or self.airports or self.ring is not None)

    def check(self) -> None:
        if len(self.kiosks) > MAX_KIOSKS:
            raise RolloutError(f"at most {MAX_KIOSKS} kiosks may be named in a rollout")
        for kiosk in self.kiosks:
            if not isinstance(kiosk, str) or not _KIOSK_ID.match(kiosk):
                raise RolloutError(f"kiosk id {kiosk!r} is not a kiosk id such as tas-1a2b3c4d")
        for airport in self.airports:
            if not isinstance(airport, str) or not _AIRPORT.match(airport):
                raise RolloutError(f"airport {airport!r}: expected a 3-letter IATA code")
        if self.ring is not None and (
            isinstance(self.ring, bool)
            or not isinstance(self.ring, int)
            or not 0 <= self.ring <= MAX_RING
        ):
            raise RolloutError(f"ring {self.ring!r}: expected a whole number 0 to {MAX_RING}")

    def includes(self, kiosk: KioskIdentity | None) -> bool:
        """Whether `kiosk` gets the release (None: a kiosk that does not say who it is)."""
        if self.everyone:
            return True
        if kiosk is None:
            return False
        if kiosk.kiosk_id in self.kiosks or kiosk.airport.upper() in self.airports:
            return True
        return self.ring is not None and kiosk.ring is not None and kiosk.ring <= self.ring

    def widened(self, other: Rollout) -> Rollout:
        """This audience plus `other`'s (promote never narrows: nobody loses a release)."""
        if self.everyone or other.everyone:
            return Rollout.to_all()
        rings = [r for r in (self.ring, other.ring) if r is not None]
        return Rollout(
            self.kiosks | other.kiosks,
            self.airports | other.airports,
            max(rings) if rings else None,
        )

    def to_custom(self) -> str | dict[str, Any]:
        if self.everyone:
            return EVERYONE
        out: dict[str, Any] = {}
        if self.kiosks:
            out["kiosks"] = sorted(self.kiosks)
        if self.airports:
            out["airports"] = sorted(self.airports)
        if self.ring is not None:
            out["ring"] = self.ring
        return out

    @classmethod
    def from_custom(cls, value: object) -> Rollout:
        """Read the `rollout` field of a target's custom data; absent (None) means everyone."""
        if value is None or value == EVERYONE:
            return cls.to_all()
        if not isinstance(value, dict):
            raise RolloutError(f"rollout must be {EVERYONE!r} or an object, not {value!r}")
        unknown = set(value) - {"kiosks", "airports", "ring"}
        if unknown:
            raise RolloutError(f"rollout has unknown field(s): {', '.join(sorted(unknown))}")
        kiosks = value.get("kiosks", [])
        airports = value.get("airports", [])
        if (
            not isinstance(kiosks, list)
            or not isinstance(airports, list)
            or not all(isinstance(v, str) for v in kiosks + airports)
        ):
            raise RolloutError("rollout kiosks and airports must be lists of strings")
        rollout = cls(frozenset(kiosks), frozenset(airports), value.get("ring"))
        rollout.check()
        return rollout

    def describe(self) -> str:
        """Plain words for pages and logs: "airport TMJ, ring 0 and below, 2 kiosks"."""
        if self.everyone:
            return "all kiosks"
        bits = []
        if self.kiosks:
            plural = "s" if len(self.kiosks) > 1 else ""
            bits.append(f"kiosk{plural} {', '.join(sorted(self.kiosks))}")
        if self.airports:
            bits.append(
                f"airport{'s' if len(self.airports) > 1 else ''} {', '.join(sorted(self.airports))}"
            )
        if self.ring is not None:
            bits.append(f"ring {self.ring}" + (" and below" if self.ring else ""))
        return "; ".join(bits) or "nobody"


def release_custom(version: int | str, rollout: Rollout) -> dict[str, Any]:
    """The custom field of a release target offered to `rollout`."""
    return {VERSION_KEY: version, ROLLOUT_KEY: rollout.to_custom()}


def rollout_of(custom: Mapping[str, Any] | None) -> Rollout:
    """The rollout in a target's custom field (absent field: everyone)."""
    return Rollout.from_custom((custom or {}).get(ROLLOUT_KEY))


@dataclass(frozen=True)
class Candidate(Generic[T]):
    """A signed release a kiosk could install: its version, audience and what to fetch."""

    version: Any  # comparable: content version (int) or a software version key
    rollout: Rollout
    item: T


def choose_newest(candidates: Iterable[Candidate[T]], kiosk: KioskIdentity | None) -> T | None:
    """The newest candidate whose rollout includes `kiosk` (None: none does).

    The caller then compares it with what is installed and keeps what it has unless it is newer
    (the refusal of older versions is the caller's, unchanged by staging)."""
    best: Candidate[T] | None = None
    for candidate in candidates:
        if candidate.rollout.includes(kiosk) and (best is None or candidate.version > best.version):
            best = candidate
    return best.item if best is not None else None
