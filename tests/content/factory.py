"""Small content built directly in Python, for tests of the builder, cache, parts and store.

Independent of the source reader: each test states the content it needs. `make_content()` gives a
release with six languages, two airports, two destinations and two home countries; keyword
arguments replace parts of it.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from content.installed import InstalledStore
from content.model import (
    TOPIC_IDS,
    Airport,
    Article,
    Contact,
    Content,
    Destination,
    Language,
    Topic,
)

CHECKED = date(2026, 10, 1)
REVIEW = date(2027, 4, 1)

LANGUAGES = (
    Language("uz", "Oʻzbekcha", "Latn", ("ru", "en")),
    Language("uz-Cyrl", "Ўзбекча", "Cyrl", ("uz", "ru", "en"), generated_from="uz"),
    Language("ru", "Русский", "Cyrl", ("en",)),
    Language("ky", "Кыргызча", "Cyrl", ("ru", "en")),
    Language("tk", "Türkmençe", "Latn", ("ru", "en")),
    Language("en", "English", "Latn", ()),
)

TOPIC_TITLES = {
    "before-you-go": {"en": "Before you go", "ru": "Перед отъездом", "uz": "Joʻnashdan oldin"},
    "entry-registration": {"en": "Entry and registration", "ru": "Въезд и регистрация"},
    "working-legally": {"en": "Working legally", "ru": "Легальная работа"},
    "rights-at-work": {"en": "Your rights at work", "ru": "Ваши права на работе"},
    "warning-signs": {"en": "Warning signs", "ru": "Тревожные признаки", "tk": "Howply alamatlar"},
    "get-help": {"en": "Get help", "ru": "Помощь", "uz": "Yordam", "ky": "Жардам"},
    "money": {"en": "Money", "ru": "Деньги"},
    "health": {"en": "Health", "ru": "Здоровье"},
    "coming-home": {"en": "Coming home", "ru": "Возвращение домой"},
}


def article(scope: str, topic: str, language: str, title: str, body: str, **kw: Any) -> Article:
    fields: dict[str, Any] = {
        "verified_on": CHECKED,
        "review_by": REVIEW,
        "source": "Test source, checked 2026-10-01",
        "status": "sample",
    }
    fields.update(kw)
    return Article(scope=scope, topic=topic, language=language, title=title, body=body, **fields)


def contact(id: str, kind: str, country: str, name: dict[str, str], **kw: Any) -> Contact:
    fields: dict[str, Any] = {
        "verified_on": CHECKED,
        "source": {"en": "Test source"},
        "status": "sample",
    }
    fields.update(kw)
    return Contact(id=id, kind=kind, country=country, name=name, **fields)


ARTICLES = (
    article(
        "general",
        "warning-signs",
        "en",
        "The eleven ILO indicators",
        "Someone **keeps your passport**: that is a warning sign.\n\n"
        "- Debt bondage\n- Withheld wages\n\n"
        "[Check a recruiter](article:general/before-you-go)\n",
    ),
    article(
        "general",
        "warning-signs",
        "ru",
        "Одиннадцать признаков МОТ",
        "Если у вас **забрали паспорт**, это тревожный признак.\n\n- Долговая кабала\n",
    ),
    article(
        "general",
        "before-you-go",
        "en",
        "Check the job offer",
        "Ask for a written contract in a language you read.\n",
    ),
    article(
        "RU",
        "entry-registration",
        "en",
        "Registering your stay in Russia",
        "Register within **7 days** of arrival.\n\n## Patent\n\n1. Apply\n2. Pay\n\n"
        "[Official site](https://example.org/ru)\n",
        contacts=("ru-emergency", "uz-embassy-moscow"),
    ),
    article(
        "RU",
        "entry-registration",
        "ru",
        "Регистрация в России",
        "Встаньте на миграционный учёт в течение **7 дней**.\n",
        contacts=("ru-emergency", "uz-embassy-moscow"),
    ),
    article(
        "RU",
        "entry-registration",
        "uz",
        "Rossiyada roʻyxatdan oʻtish",
        "Oʻzbekiston fuqarolari 7 kun ichida roʻyxatdan oʻtishi kerak.\n",
        contacts=("ru-emergency",),
    ),
    article(
        "RU",
        "entry-registration",
        "uz-Cyrl",
        "Россияда рўйхатдан ўтиш",
        "Ўзбекистон фуқаролари 7 кун ичида рўйхатдан ўтиши керак.\n",
        contacts=("ru-emergency",),
        generated=True,
    ),
    article(
        "TR",
        "entry-registration",
        "en",
        "Entering Türkiye",
        "A visa-free stay is not a work permit.\n",
    ),
    article(
        "TR",
        "get-help",
        "tk",
        "Türkiýede kömek",
        "Ýaşaýyş rugsatnamasy barada soraň.\n",
    ),
)

CONTACTS = (
    contact(
        "ru-emergency",
        "emergency",
        "RU",
        {"en": "Emergency services", "ru": "Экстренные службы"},
        short="112",
        free=True,
        hours={"en": "24 hours", "ru": "Круглосуточно"},
        status="verified",
    ),
    contact(
        "uz-embassy-moscow",
        "embassy",
        "RU",
        {"en": "Embassy of Uzbekistan in Moscow", "uz": "Oʻzbekiston elchixonasi"},
        serves=("UZ",),
        phones=("+74952300076",),
        url="https://example.org/embassy",
        messengers={"telegram": "https://t.me/example"},
    ),
    contact(
        "kg-embassy-moscow",
        "embassy",
        "RU",
        {"en": "Embassy of Kyrgyzstan in Moscow", "ky": "Кыргызстандын элчилиги"},
        serves=("KG",),
        phones=("+74952374601",),
    ),
    contact(
        "uz-migration-hotline",
        "hotline",
        "UZ",
        {"en": "Migration agency hotline", "uz": "Migratsiya agentligi ishonch telefoni"},
        phones=("+998712000000",),
        free=False,
        languages=("uz", "ru"),
    ),
    contact(
        "tr-police",
        "police",
        "TR",
        {"en": "Police", "tk": "Polisiýa"},
        short="155",
    ),
)


# Each country's number to call in danger (content/fields.py, `emergency`).
_SOS: dict[str, Any] = {
    "emergency": "112",
    "emergency_verified_on": date(2026, 11, 22),
    "emergency_source": "test source",
}

_KG_SOS: dict[str, Any] = {**_SOS, "emergency": "102"}


def make_content(**changes: Any) -> Content:
    content = Content(
        release={"title": "Test release", "sample": True, "version": 3},
        languages=LANGUAGES,
        airports=(
            Airport(
                "TAS",
                "UZ",
                {"en": "Tashkent International Airport", "uz": "Toshkent xalqaro aeroporti"},
                ("uz", "uz-Cyrl", "ru", "en"),
                ("RU", "TR"),
            ),
            Airport(
                "FRU", "KG", {"en": "Manas International Airport"}, ("ky", "ru", "en"), ("RU",)
            ),
        ),
        destinations=(
            Destination(
                "RU", "destination", {"en": "Russia", "ru": "Россия", "uz": "Rossiya"}, **_SOS
            ),
            Destination(
                "TR",
                "destination",
                {"en": "Türkiye", "tk": "Türkiýe"},
                flag="flags/tr.svg",
                **_SOS,
            ),
            Destination("UZ", "home", {"en": "Uzbekistan", "uz": "Oʻzbekiston"}, **_SOS),
            Destination("KG", "home", {"en": "Kyrgyzstan", "ky": "Кыргызстан"}, **_KG_SOS),
        ),
        topics=tuple(Topic(t, f"topics/{t}.svg", TOPIC_TITLES[t]) for t in TOPIC_IDS),
        contacts=CONTACTS,
        ui={
            "en": {"nav.home": "Home", "nav.back": "Back", "search.title": "Search"},
            "ru": {"nav.home": "Главная", "nav.back": "Назад"},
            "uz": {"nav.home": "Bosh sahifa"},
        },
        articles=ARTICLES,
        assets={"flags/tr.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"},
    )
    return replace(content, **changes) if changes else content


def cache_of_version(base: Path, out: Path, version: int) -> Path:
    """A copy of the built cache `base` whose meta declares `version` (instead of rebuilding)."""
    shutil.copyfile(base, out)
    conn = sqlite3.connect(out)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'content_version'", (str(version),))
    conn.close()
    return out


def stage(store: InstalledStore, base: Path, version: int) -> Path:
    """`base` as version `version`, in the store's staging folder, ready to install."""
    return cache_of_version(base, store.staging_path(version), version)
