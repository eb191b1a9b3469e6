"""The checker's words on airports.yaml, exactly: for each broken field of an airport the file,
line, severity and whole message, in the order a person reads them (the checker's interface for
people who are not programmers; see test_validate_messages.py for contacts and dates).

Every field sits on its own line, so a message pointing at the airport's line instead of the
field's (or at the wrong item of a list) fails here.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from content.validate import validate_source

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
TODAY = date(2026, 11, 22)
KNOWN = "(languages.yaml has: uz, uz-Cyrl, ru, en)"
LONG_NAME = (
    "Namangan International Airport of the Namangan Region in the Fergana Valley, Uzbekistan"
)

AIRPORTS = f"""\
- id: TAS
  country: UZ
  nationality: UZ
  name:
    en: Tashkent International Airport
    ru: Международный аэропорт Ташкент
  languages:
    - uz
    - en
  destinations:
    - RU
- country: ZZ
  id: tashkent2
  nationality: RU
  name:
    uz: Nom
    xx: Name
  languages:
    - en
    - xx
    - ru
    - en
  destinations:
    - UZ
    - QQ
    - UZ
- id: NMA
  country: RU
  nationality: KZ
  name:
    en: {LONG_NAME}
  languages:
    - en
  destinations:
    - RU
    - RU
"""

T2 = "tashkent2"
# (line, severity, message) of airports.yaml, in the order found
BAD_ID = [
    # the id's own line, not the item's (the id is not its first key)
    (13, "error", f"the airport id {T2!r} must be its three-letter IATA code, like TAS"),
]
NAMES_AND_LANGUAGES = [
    (17, "error", f"unknown language 'xx' in the name of {T2} {KNOWN}"),
    (15, "error", f"the name of {T2} has no English (en) text, the last fallback"),
    (22, "error", "'en' is listed twice in 'languages'"),
    (20, "error", f"unknown language 'xx' in the languages of {T2} {KNOWN}"),
    (21, "error", f"{T2} offers 'ru' but there are no UI strings for it (write ui/ru.yaml)"),
]
NMA_NAME = [
    (
        31,
        "error",
        f"the airport name {LONG_NAME!r} is 87 characters long; at most 80 fit on the screen",
    ),
    (30, "warning", "the name of NMA has no 'uz' text; kiosks show the 'en' text instead"),
    (30, "warning", "the name of NMA has no 'xx' text; kiosks show the 'en' text instead"),
    (30, "warning", "the name of NMA has no 'ru' text; kiosks show the 'en' text instead"),
]
TAS_NAME = [  # what kiosks show instead follows each language's fallbacks (uz: ru, en)
    (4, "warning", "the name of TAS has no 'uz' text; kiosks show the 'ru' text instead"),
    (4, "warning", "the name of TAS has no 'xx' text; kiosks show the 'en' text instead"),
]


def airport_problems(tmp_path: Path, replace: dict[str, str]) -> list[tuple[int, str, str]]:
    root = tmp_path / "src"
    shutil.copytree(FIXTURE, root)
    for name, text in replace.items():
        (root / name).write_text(text, encoding="utf-8")
    report = validate_source(root, today=TODAY)
    return [(p.line, p.severity, p.message) for p in report.problems if p.file == "airports.yaml"]


def test_every_broken_field_of_an_airport_is_named_at_its_line(tmp_path: Path) -> None:
    home = "must be a home country of destinations.yaml (kind: home), like UZ"
    assert airport_problems(tmp_path, {"airports.yaml": AIRPORTS}) == [
        *TAS_NAME,
        *BAD_ID,
        (12, "error", "unknown country 'ZZ'; add it to destinations.yaml with kind: home"),
        *NAMES_AND_LANGUAGES,
        (14, "error", f"the nationality 'RU' of {T2} {home}"),
        (26, "error", "'UZ' is listed twice in 'destinations'"),
        (24, "error", "UZ is a home country, not a destination"),
        (25, "error", "unknown destination 'QQ' (not in destinations.yaml)"),
        (26, "error", "UZ is a home country, not a destination"),
        *NMA_NAME,
        (29, "error", f"the nationality 'KZ' of NMA {home}"),
        (36, "error", "'RU' is listed twice in 'destinations'"),
    ]


def test_an_unreadable_destinations_file_is_not_blamed_on_airports(tmp_path: Path) -> None:
    """Countries, nationalities and destinations cannot be checked: only what can be is said."""
    replace = {"airports.yaml": AIRPORTS, "destinations.yaml": "- id: [broken\n"}
    assert airport_problems(tmp_path, replace) == [
        *TAS_NAME,
        *BAD_ID,
        *NAMES_AND_LANGUAGES,
        (26, "error", "'UZ' is listed twice in 'destinations'"),
        *NMA_NAME,
        (36, "error", "'RU' is listed twice in 'destinations'"),
    ]


@pytest.mark.parametrize(
    ("languages", "expected"),
    [
        (
            "[]\n",
            [
                (3, "error", "unknown language 'en' in the name of TAS (languages.yaml has: none)"),
                (3, "error", "unknown language 'uz' in the name of TAS (languages.yaml has: none)"),
                (
                    3,
                    "warning",
                    "the name of TAS has no 'uz-Cyrl' text; kiosks show the 'en' text instead",
                ),  # fmt: skip
                (
                    4,
                    "error",
                    "unknown language 'uz' in the languages of TAS (languages.yaml has: none)",
                ),  # fmt: skip
                (
                    4,
                    "error",
                    "unknown language 'uz-Cyrl' in the languages of TAS (languages.yaml has: none)",
                ),  # fmt: skip
                (
                    4,
                    "error",
                    "unknown language 'en' in the languages of TAS (languages.yaml has: none)",
                ),  # fmt: skip
            ],
        ),
        ("- id: [broken\n", []),  # unreadable: reported once, in languages.yaml
    ],
    ids=["empty", "unreadable"],
)
def test_airport_languages_against_an_empty_or_unreadable_languages_file(
    tmp_path: Path, languages: str, expected: list[tuple[int, str, str]]
) -> None:
    assert airport_problems(tmp_path, {"languages.yaml": languages}) == expected


def test_a_name_of_exactly_the_limit_fits(tmp_path: Path) -> None:
    """80 characters fit on the screen (no error); 81 do not."""
    fits = "A" * 80
    airports = AIRPORTS.replace(LONG_NAME, fits)
    assert [p for p in airport_problems(tmp_path, {"airports.yaml": airports}) if p[0] == 31] == []
    longer = fits + "B"
    airports = AIRPORTS.replace(LONG_NAME, longer)
    assert (
        31,
        "error",
        f"the airport name {longer!r} is 81 characters long; at most 80 fit on the screen",
    ) in airport_problems(tmp_path / "again", {"airports.yaml": airports})
