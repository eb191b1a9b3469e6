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
- `articles(scope, topic, lang, language_used, ...)`: one row per article scope x topic x
  language of the release, with the fallback already applied; `blocks` and `links` are JSON.
- `assets(path, sha256, data)`: icons and images referenced by the content.
- one FTS5 table per language, named in `languages.search_table` (see `build.py`).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _schema_1(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["languages"].create(
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
    db["airports"].create(
        {"id": str, "position": int, "country": str, "languages": str, "destinations": str},
        pk="id",
        not_null={"position", "country", "languages", "destinations"},
    )
    db["destinations"].create(
        {"id": str, "position": int, "kind": str, "flag": str},
        pk="id",
        not_null={"position", "kind"},
    )
    db["topics"].create(
        {"id": str, "position": int, "icon": str}, pk="id", not_null={"position", "icon"}
    )
    db["contacts"].create(
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
    db["labels"].create(
        {"kind": str, "id": str, "lang": str, "text": str, "language_used": str},
        pk=("kind", "id", "lang"),
        not_null={"text", "language_used"},
    )
    db["ui_strings"].create(
        {"lang": str, "key": str, "text": str, "language_used": str},
        pk=("lang", "key"),
        not_null={"text", "language_used"},
    )
    db["articles"].create(
        {
            "scope": str,
            "topic": str,
            "lang": str,
            "language_used": str,
            "title": str,
            "blocks": str,
            "links": str,
            "contacts": str,
            "verified_on": str,
            "review_by": str,
            "source": str,
            "status": str,
            "generated": int,
        },
        pk=("scope", "topic", "lang"),
        not_null={"language_used", "title", "blocks", "links", "contacts", "status"},
    )
    db["assets"].create({"path": str, "sha256": str, "data": bytes}, pk="path")


Migration = Callable[[sqlite_utils.Database], None]

# Index i holds the migration from schema i to schema i + 1.
MIGRATIONS: tuple[Migration, ...] = (_schema_1,)
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
