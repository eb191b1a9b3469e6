"""Numbered migrations of the kiosk content cache schema (`PRAGMA user_version`).

The cache is built from scratch for every release, so a migration here is the step from schema
N-1 to schema N applied to a new, empty file; the numbering tells a reader (the kiosk, the sync
agent) which shape the file has. A reader refuses a cache whose `user_version` is higher than
`SCHEMA_VERSION` ("update the app") and one that is 0 (not a cache).

Rules for adding a migration: append a function to `MIGRATIONS`, never edit or reorder an
existing one, and teach `content/cache.py` to read the new shape.

Schema 1 (tables, all built by `content/build.py`):

- `meta(key, value)`: schema_version, content_version, release_title, is_sample, source_hash,
  summary (the JSON printed by `content build --json`).
- `languages`, `airports`, `destinations`, `topics`, `contacts`: one row per item, `position` is
  the order in the sources; list-valued fields are JSON arrays.
- `labels(kind, id, lang, text, language_used)`: names and titles resolved per language
  (kinds: airport, destination, topic, contact.name, contact.hours).
- `ui_strings(lang, key, text, language_used)`: UI strings resolved per language.
- `article_texts(id, scope, topic, language, title, blocks, links, ...)`: every article once,
  its body rendered to blocks (JSON).
- `articles(scope, topic, lang, language_used, text_id)`: for each article scope x topic and
  each language of the release, the text shown (fallback already applied).
- `assets(path, sha256, data)`: icons and images referenced by the content.
- one contentless FTS5 table per language, named in `languages.search_table`, rowid =
  article_texts.id (see `build.py`).

Schema 2: `destinations.emergency` (the number to call in danger), `airports.nationality`.

Schema 3: article blocks (JSON) also hold `only`, `item_only` and `pictures` (the marks of
content/README.md, "Marks"); `article_texts.nationalities` lists the nationalities an
article's marks name. A schema-2 cache is still read: its blocks are for everyone. And
`phone_numbers(number, display, abroad)`: every phone number of the content (E.164 or short) as
printed on the kiosk, and whether it can be dialled from abroad (`content/phone_display.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # readers (the kiosk) import SCHEMA_VERSION without loading sqlite-utils
    import sqlite_utils


def _schema_1(db: sqlite_utils.Database) -> None:
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.table("languages").create(
        {
            "id": str,
            "position": int,
            "name": str,
            "script": str,
            "fallback": str,  # JSON array, as written in the sources
            "chain": str,  # JSON array: the full lookup order (the language itself ... en)
            "generated_from": str,
            "search_table": str,
        },
        pk="id",
        not_null={"position", "name", "script", "fallback", "chain", "search_table"},
    )
    db.table("airports").create(
        {"id": str, "position": int, "country": str, "languages": str, "destinations": str},
        pk="id",
        not_null={"position", "country", "languages", "destinations"},
    )
    db.table("destinations").create(
        {"id": str, "position": int, "kind": str, "flag": str},
        pk="id",
        not_null={"position", "kind"},
    )
    db.table("topics").create(
        {"id": str, "position": int, "icon": str}, pk="id", not_null={"position", "icon"}
    )
    db.table("contacts").create(
        {
            "id": str,
            "position": int,
            "kind": str,
            "kind_order": int,
            "country": str,
            "serves": str,
            "phones": str,
            "short": str,
            "url": str,
            "messengers": str,
            "languages": str,
            "free": int,
            "verified_on": str,
            "source": str,
            "status": str,
        },
        pk="id",
        not_null={"position", "kind", "country", "verified_on", "source", "status"},
    )
    db.table("labels").create(
        {"kind": str, "id": str, "lang": str, "text": str, "language_used": str},
        pk=("kind", "id", "lang"),
        not_null={"text", "language_used"},
    )
    db.table("ui_strings").create(
        {"lang": str, "key": str, "text": str, "language_used": str},
        pk=("lang", "key"),
        not_null={"text", "language_used"},
    )
    db.table("article_texts").create(
        {
            "id": int,
            "scope": str,
            "topic": str,
            "language": str,
            "title": str,
            "blocks": str,  # JSON: [{kind, level, text, items, src}]
            "links": str,  # JSON: [{label, url}]
            "contacts": str,  # JSON: [contact id]
            "verified_on": str,
            "review_by": str,
            "source": str,
            "status": str,
            "generated": int,
            "plain": str,  # plain text of the body, for search snippets
        },
        pk="id",
        not_null={"scope", "topic", "language", "title", "blocks", "links", "contacts", "plain"},
    )
    db.table("article_texts").create_index(["scope", "topic", "language"], unique=True)
    db.table("articles").create(
        {"scope": str, "topic": str, "lang": str, "language_used": str, "text_id": int},
        pk=("scope", "topic", "lang"),
        not_null={"language_used", "text_id"},
        foreign_keys=[("text_id", "article_texts", "id")],
    )
    db.table("assets").create({"path": str, "sha256": str, "data": bytes}, pk="path")


def _schema_2(db: sqlite_utils.Database) -> None:
    # The number to call in danger declared by each country ("none": none confirmed).
    db.table("destinations").add_column("emergency", str)
    # The travellers' nationality each airport implies (never null: the country by default).
    db.table("airports").add_column("nationality", str)


def _schema_3(db: sqlite_utils.Database) -> None:
    # Article blocks carry marks: `only` (the nationalities a section is for), `item_only` and
    # `pictures` per list item. A kiosk that cannot read them must not show such an article
    # to everyone, hence the new schema. `nationalities`: JSON array of every nationality the
    # article's marks name ([]: the same text for everyone), so search filters only those.
    db.table("article_texts").add_column("nationalities", str, not_null_default="[]")
    # Every phone number of the content as printed (grouped as its country writes it) and
    # whether it can be dialled from abroad (content/phone_display.py).
    db.table("phone_numbers").create(
        {"number": str, "display": str, "abroad": int},
        pk="number",
        not_null={"display", "abroad"},
    )


Migration = Callable[["sqlite_utils.Database"], None]

# Index i holds the migration from schema i to schema i + 1.
MIGRATIONS: tuple[Migration, ...] = (_schema_1, _schema_2, _schema_3)
SCHEMA_VERSION: int = len(MIGRATIONS)


def user_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every migration the file has not had yet; return the numbers applied."""
    current = user_version(db)
    if current > SCHEMA_VERSION:
        raise ValueError(
            f"cache schema {current} is newer than this code understands (max {SCHEMA_VERSION})"
        )
    applied = []
    for number in range(current + 1, SCHEMA_VERSION + 1):
        with db.conn:
            MIGRATIONS[number - 1](db)
            db.execute(f"PRAGMA user_version = {number}")
        applied.append(number)
    return applied
