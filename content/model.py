"""The content model: plain, immutable data parsed from sources or from release parts.

Everything downstream (validator, cache builder, release parts) works on these types, so the
step from "parsed content" to "cache file" is one function whatever the content came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The nine topics, in the order the kiosk shows them. Their ids never change.
TOPIC_IDS: tuple[str, ...] = (
    "before-you-go",
    "entry-registration",
    "working-legally",
    "rights-at-work",
    "warning-signs",
    "get-help",
    "money",
    "health",
    "coming-home",
)

# Topics whose facts differ per destination: each destination needs its own article.
DESTINATION_SPECIFIC_TOPICS: frozenset[str] = frozenset(
    {"entry-registration", "working-legally", "rights-at-work", "get-help"}
)

CONTACT_KINDS: tuple[str, ...] = ("emergency", "hotline", "embassy", "consulate", "ngo", "police")
STATUSES: tuple[str, ...] = ("verified", "sample")
GENERAL_SCOPE = "general"
# `emergency: none`: no number to call in danger could be confirmed for this country.
NO_EMERGENCY = "none"
# The last language of every fallback chain: every text must exist in it.
FINAL_FALLBACK = "en"

# Localised text: language id -> text.
Localized = dict[str, str]


@dataclass(frozen=True)
class Language:
    id: str
    name: str
    script: str
    fallback: tuple[str, ...] = ()
    generated_from: str | None = None


def fallback_chain(language: Language) -> tuple[str, ...]:
    """The lookup order for a language: itself, its `fallback` list in order, then English.

    The one rule used by the validator (what falls back where) and the cache builder (which
    text each language shows); the kiosk reads what the builder resolved.
    """
    chain: list[str] = []
    for lang in (language.id, *language.fallback, FINAL_FALLBACK):
        if lang not in chain:
            chain.append(lang)
    return tuple(chain)


@dataclass(frozen=True)
class Airport:
    id: str
    country: str
    name: Localized
    languages: tuple[str, ...]
    destinations: tuple[str, ...]
    nationality: str | None = None  # the travellers' nationality; None: the airport's country

    @property
    def travellers(self) -> str:
        """The nationality the airport implies (its own field, else its country)."""
        return self.nationality or self.country


@dataclass(frozen=True)
class Destination:
    id: str
    kind: str  # "destination" or "home"
    name: Localized
    flag: str | None = None
    # The number to call in danger (police or general emergency), as dialled; NO_EMERGENCY
    # where no number could be confirmed; None when the source declares nothing (an error).
    emergency: str | None = None
    emergency_verified_on: date | None = None
    emergency_source: str | None = None


@dataclass(frozen=True)
class Topic:
    id: str
    icon: str
    title: Localized


@dataclass(frozen=True)
class Contact:
    id: str
    kind: str
    country: str
    name: Localized
    verified_on: date
    source: Localized  # public: a short label per language
    status: str
    notes: str | None = None  # editorial: never in the kiosk's cache or the release parts
    serves: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    short: str | None = None
    url: str | None = None
    messengers: dict[str, str] = field(default_factory=dict)
    hours: Localized = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    free: bool | None = None


@dataclass(frozen=True)
class Article:
    scope: str  # a destination id or GENERAL_SCOPE
    topic: str
    language: str
    title: str
    body: str  # Markdown (the safe subset), without front matter
    verified_on: date
    review_by: date
    source: str  # public: a short label in the article's language ("" when none)
    status: str
    contacts: tuple[str, ...] = ()
    notes: str | None = None  # editorial: never in the kiosk's cache or the release parts
    generated: bool = False  # produced by transliteration, not hand-written

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.scope, self.topic, self.language)


@dataclass(frozen=True)
class Content:
    release: dict[str, object]
    languages: tuple[Language, ...]
    airports: tuple[Airport, ...]
    destinations: tuple[Destination, ...]
    topics: tuple[Topic, ...]
    contacts: tuple[Contact, ...]
    ui: dict[str, dict[str, str]]  # language id -> key -> text
    articles: tuple[Article, ...]
    assets: dict[str, bytes] = field(default_factory=dict)  # path under assets/ -> bytes
