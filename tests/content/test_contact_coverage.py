"""Share of help contacts a traveller can dial and a person has checked (issue 11, item 2).

Counted over the contacts of kind embassy, consulate, hotline and NGO of the sample release:
"dialable" = a `phones` or `short` number on the card; "verified" = `status: verified`, a
`verified_on` date and a public `source` label. The floors below are what the fact-check of
FACT_CHECK.md reached; the test fails if an edit loses a dialable, verified contact without
replacing it. Print the table with `python -m tests.content.test_contact_coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from content.model import Contact
from content.source import load_source

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "sample"
KINDS = ("embassy", "consulate", "hotline", "ngo")

# What the 2026-11-30 fact-check reached (FACT_CHECK.md, "Dialable and verified"): raise these
# when more numbers are confirmed, never lower them to make an edit pass.
FLOOR = {"embassy": 0, "consulate": 0, "hotline": 12, "ngo": 3}


@dataclass(frozen=True)
class Share:
    kind: str
    total: int
    dialable_verified: int

    @property
    def percent(self) -> float:
        return 100.0 * self.dialable_verified / self.total if self.total else 0.0


def is_dialable(contact: Contact) -> bool:
    return bool(contact.phones) or bool(contact.short)


def is_verified(contact: Contact) -> bool:
    has_source = any(label.strip() for label in contact.source.values())
    return contact.status == "verified" and contact.verified_on is not None and has_source


def shares(contacts: Iterable[Contact]) -> list[Share]:
    """One row per kind, then the total ("all")."""
    counted = [c for c in contacts if c.kind in KINDS]
    rows = []
    for kind in KINDS:
        of_kind = [c for c in counted if c.kind == kind]
        good = sum(1 for c in of_kind if is_dialable(c) and is_verified(c))
        rows.append(Share(kind, len(of_kind), good))
    rows.append(
        Share("all", len(counted), sum(1 for c in counted if is_dialable(c) and is_verified(c)))
    )
    return rows


def table(rows: list[Share]) -> str:
    lines = [f"{'kind':<10} {'dialable+verified':>18} {'share':>7}"]
    for row in rows:
        lines.append(
            f"{row.kind:<10} {row.dialable_verified:>8} of {row.total:<7} {row.percent:>6.1f}%"
        )
    return "\n".join(lines)


def sample_contacts() -> tuple[Contact, ...]:
    content, report = load_source(SAMPLE)
    assert not report.errors, report.format()
    return content.contacts


def contact(**overrides: object) -> Contact:
    values: dict[str, object] = {
        "id": "x",
        "kind": "hotline",
        "country": "RU",
        "name": {"en": "X"},
        "verified_on": date(2026, 11, 30),
        "source": {"en": "example.org"},
        "status": "verified",
        "short": "112",
    }
    values.update(overrides)
    return Contact(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "counted"),
    [
        ({}, True),
        ({"short": None, "phones": ("+74950000000",)}, True),
        ({"short": None}, False),  # a website only
        ({"status": "sample"}, False),
        ({"source": {"en": " "}}, False),
    ],
)
def test_a_contact_counts_only_when_dialable_and_verified(
    overrides: dict[str, object], counted: bool
) -> None:
    rows = {row.kind: row for row in shares([contact(**overrides)])}
    assert rows["hotline"].total == 1
    assert rows["hotline"].dialable_verified == (1 if counted else 0)


def test_emergency_and_police_contacts_are_not_counted() -> None:
    rows = {row.kind: row for row in shares([contact(kind="emergency"), contact(kind="police")])}
    assert rows["all"].total == 0


def test_sample_share_does_not_go_down() -> None:
    rows = shares(sample_contacts())
    print(table(rows))
    by_kind = {row.kind: row for row in rows}
    for kind, floor in FLOOR.items():
        assert by_kind[kind].dialable_verified >= floor, (kind, by_kind[kind], table(rows))
    assert by_kind["all"].dialable_verified >= sum(FLOOR.values())


def test_every_verified_help_contact_names_its_check_in_notes() -> None:
    """The details of each check are kept for the editors (never shown on a kiosk)."""
    missing = [
        c.id
        for c in sample_contacts()
        if c.kind in KINDS and c.status == "verified" and not (c.notes or "").strip()
    ]
    assert missing == []


if __name__ == "__main__":
    print(table(shares(sample_contacts())))
