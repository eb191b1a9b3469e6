"""Build the kiosk's content cache (one SQLite file) from parsed content.

One step from `Content` to a cache file, whatever the content was read from (source folder or
verified release parts): `build_cache(content, out_path, content_version=N)`. It first computes
a plan (`plan_cache`: plain rows per table, no I/O), then `write_plan` writes it.

Fallbacks are resolved at BUILD time. For every language of the release the cache holds one row
per article (scope x topic), UI string and name/title, filled by the fallback rule of
content/README.md: the requested language, then the languages of its `fallback` list in order,
then English (`fallback_chain`). Each row records `language_used`, the language the text is
actually in, so the kiosk can mark it and pick the right font. A text no language of the chain
has gets no article row (the topic shows only what exists); names and titles, which the screen
cannot do without, then take the first other language that has them (sorted by id).

Reading is then one indexed lookup per screen, and what a kiosk shows is fixed when the release
is built and checked, not decided on the kiosk.

Determinism: rows are inserted in sorted order, no timestamps are stored, the page size is
fixed, the journal is off and the file is VACUUMed at the end, so the same content gives a
byte-identical file (with the same SQLite library).

Articles are stored once (`article_texts`, rendered to blocks at build time); `articles` maps
scope x topic x language to the text shown.

Search: one contentless FTS5 table per language (`search_<language>`, e.g. `search_uz_cyrl`),
indexing, under the rowid of the article text, every article a reader of that language sees
(after fallback). Tokenizer `unicode61 remove_diacritics 2`, prefix indexes for 2 and 3
characters (results as you type): case is folded for Latin and Cyrillic alike, Latin diacritics
are removed, so `turkiye` finds "Türkiye" and Turkmen `yasayys` finds "ýaşaýyş" (a kiosk keyboard
may lack those letters). SQLite removes no Cyrillic diacritics, which is right: й ў ғ қ ҳ ң ө ү
are letters of their own. The one exception, Russian ё (usually typed е), is folded to е by
`search_fold`, which also removes apostrophes inside words (Uzbek oʻ gʻ and the tutuq belgisi,
typed as ʻ ʼ ' ’ or `), so "oʻzbek", "o'zbek" and "ozbek" find the same words. `search_fold` is
applied to the indexed text and to the query alike; the original text is kept for display.
"""

from __future__ import annotations

import hashlib
import html
import importlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from content.durable import fsync_file
from content.migrations import SCHEMA_VERSION, migrate
from content.model import (
    CONTACT_KINDS,
    FINAL_FALLBACK,
    GENERAL_SCOPE,
    NO_EMERGENCY,
    TOPIC_IDS,
    Article,
    Content,
    Localized,
    fallback_chain,
)
from content.parts import content_hash
from content.phone_display import phone_rows
from content.search_text import APOSTROPHES, search_fold  # noqa: F401 (re-exported)

PAGE_SIZE = 4096
_TAG = re.compile(r"<[^>]+>")
_SAFE_ID = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class CachePlan:
    """Everything the cache file will hold, as plain rows (sorted) per table."""

    schema_version: int
    meta: dict[str, str]
    tables: dict[str, list[dict[str, Any]]]
    search: dict[str, list[dict[str, Any]]]  # FTS table name -> rows
    summary: dict[str, Any] = field(default_factory=dict)


def search_table_name(language_id: str) -> str:
    slug = _SAFE_ID.sub("_", language_id.lower()).strip("_")
    return f"search_{slug}"


def plain_text(rich: str) -> str:
    """Inline rich text (<b>, <i>, HTML entities) to plain text."""
    return html.unescape(_TAG.sub("", rich))


def _resolve(texts: Localized, chain: Iterable[str], *, any_last: bool) -> tuple[str, str] | None:
    for lang in chain:
        text = texts.get(lang)
        if text:
            return text, lang
    if any_last:
        for lang in sorted(texts):
            if texts[lang]:
                return texts[lang], lang
    return None


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- Markdown -> blocks -----------------------------------------------------------------


def render_markdown(markdown: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Article body -> (blocks, links) as stored in the cache.

    Uses the content package's Markdown-subset module (imported lazily: one parser for the
    validator and the builder). Each block is {kind, level, text, items, src, only, item_only,
    pictures} (the last three: the nationalities of its section and items, and the items'
    pictures, see `content.markdown_subset.Block`); links are
    {label, url} in order of appearance, without duplicates.
    """
    module = importlib.import_module("content.markdown_subset")
    parsed_blocks, parsed_links = module.parse_article(markdown)  # one parse for both
    blocks = [
        {
            "kind": b.kind,
            "level": b.level,
            "text": b.text,
            "items": list(b.items),
            "src": b.src,
            "only": list(b.only),
            "item_only": [list(x) for x in b.item_only],
            "pictures": list(b.pictures),
        }
        for b in parsed_blocks
    ]
    links = [{"label": link.label, "url": link.url} for link in parsed_links]
    return blocks, links


# --- plan ---------------------------------------------------------------------------------


def plan_cache(content: Content, content_version: int) -> CachePlan:
    """Compute every row of the cache for this content (no I/O)."""
    languages = list(content.languages)
    chains = {lang.id: fallback_chain(lang) for lang in languages}
    tables: dict[str, list[dict[str, Any]]] = {}

    tables["languages"] = [
        {
            "id": lang.id,
            "position": i,
            "name": lang.name,
            "script": lang.script,
            "fallback": _json(list(lang.fallback)),
            "chain": _json(list(chains[lang.id])),
            "generated_from": lang.generated_from,
            "search_table": search_table_name(lang.id),
        }
        for i, lang in enumerate(languages)
    ]
    tables["airports"] = [
        {
            "id": a.id,
            "position": i,
            "country": a.country,
            "languages": _json(list(a.languages)),
            "destinations": _json(list(a.destinations)),
            "nationality": a.travellers,
        }
        for i, a in enumerate(content.airports)
    ]
    tables["destinations"] = [
        {"id": d.id, "position": i, "kind": d.kind, "flag": d.flag, "emergency": d.emergency}
        for i, d in enumerate(content.destinations)
    ]
    topic_order = {t: i for i, t in enumerate(TOPIC_IDS)}
    tables["topics"] = [
        {"id": t.id, "position": topic_order.get(t.id, len(TOPIC_IDS) + i), "icon": t.icon}
        for i, t in enumerate(content.topics)
    ]
    kind_order = {k: i for i, k in enumerate(CONTACT_KINDS)}
    tables["contacts"] = [
        {
            "id": c.id,
            "position": i,
            "kind": c.kind,
            "kind_order": kind_order.get(c.kind, len(CONTACT_KINDS)),
            "country": c.country,
            "serves": _json(list(c.serves)),
            "phones": _json(list(c.phones)),
            "short": c.short,
            "url": c.url,
            "messengers": _json(dict(c.messengers)),
            "languages": _json(list(c.languages)),
            "free": None if c.free is None else int(c.free),
            "verified_on": c.verified_on.isoformat(),
            "source": "",  # the public label per language is in labels (contact.source)
            "status": c.status,
        }
        for i, c in enumerate(content.contacts)
    ]

    labelled: list[tuple[str, str, Localized]] = [
        *(("airport", a.id, a.name) for a in content.airports),
        *(("destination", d.id, d.name) for d in content.destinations),
        *(("topic", t.id, t.title) for t in content.topics),
        *(("contact.name", c.id, c.name) for c in content.contacts),
        *(("contact.hours", c.id, c.hours) for c in content.contacts if c.hours),
        *(("contact.source", c.id, c.source) for c in content.contacts if c.source),
    ]
    labels = []
    for kind, item_id, texts in labelled:
        for lang in languages:
            found = _resolve(texts, chains[lang.id], any_last=True)
            if found is None:
                continue
            labels.append(
                {
                    "kind": kind,
                    "id": item_id,
                    "lang": lang.id,
                    "text": found[0],
                    "language_used": found[1],
                }
            )
    tables["labels"] = labels

    ui_keys = sorted({key for strings in content.ui.values() for key in strings})
    ui_rows = []
    for lang in languages:
        for key in ui_keys:
            by_lang = {code: strings[key] for code, strings in content.ui.items() if key in strings}
            found = _resolve(by_lang, chains[lang.id], any_last=False)
            if found is not None:
                ui_rows.append(
                    {"lang": lang.id, "key": key, "text": found[0], "language_used": found[1]}
                )
    tables["ui_strings"] = ui_rows

    # every article once (article_texts), then per language a pointer to the one shown
    text_rows = []
    text_ids: dict[tuple[str, str, str], int] = {}
    plain: dict[int, str] = {}
    link_urls: list[str] = []
    for number, article in enumerate(sorted(content.articles, key=lambda a: a.key), start=1):
        blocks, links = render_markdown(article.body)
        link_urls.extend(str(link["url"]) for link in links)
        text_ids[article.key] = number
        plain[number] = "\n".join(_block_plain_lines(blocks))
        text_rows.append(
            {
                "id": number,
                "scope": article.scope,
                "topic": article.topic,
                "language": article.language,
                "title": article.title,
                "blocks": _json(blocks),
                "links": _json(links),
                "contacts": _json(list(article.contacts)),
                "nationalities": _json(marked_nationalities(blocks)),
                "verified_on": article.verified_on.isoformat(),
                "review_by": article.review_by.isoformat(),
                "source": article.source,
                "status": article.status,
                "generated": int(article.generated),
                "plain": plain[number],
            }
        )
    tables["article_texts"] = text_rows

    by_key: dict[tuple[str, str], dict[str, Article]] = {}
    for article in content.articles:
        by_key.setdefault((article.scope, article.topic), {})[article.language] = article
    article_rows = []
    search: dict[str, list[dict[str, Any]]] = {search_table_name(x.id): [] for x in languages}
    for scope, topic in sorted(by_key):
        versions = by_key[(scope, topic)]
        for lang in languages:
            shown = next((versions[c] for c in chains[lang.id] if c in versions), None)
            if shown is None:
                continue
            article = shown
            text_id = text_ids[article.key]
            article_rows.append(
                {
                    "scope": scope,
                    "topic": topic,
                    "lang": lang.id,
                    "language_used": article.language,
                    "text_id": text_id,
                }
            )
            search[search_table_name(lang.id)].append(
                {
                    "rowid": text_id,
                    "title": search_fold(article.title),
                    "body": search_fold(plain[text_id]),
                }
            )
    tables["articles"] = article_rows
    # every phone number a screen can print, as travellers read it (content/phone_display.py)
    tables["phone_numbers"] = phone_rows(
        [
            *(n for c in content.contacts for n in (*c.phones, c.short or "")),
            *(d.emergency or "" for d in content.destinations if d.emergency != NO_EMERGENCY),
            *(url.removeprefix("tel:") for url in link_urls if url.startswith("tel:")),
        ]
    )
    tables["assets"] = [
        {"path": p, "sha256": hashlib.sha256(d).hexdigest(), "data": d}
        for p, d in sorted(content.assets.items())
    ]

    for name, rows in tables.items():
        rows.sort(key=_row_sort_key(name))

    source_hash = content_hash(content)
    summary = summarize(content, content_version=content_version, source_hash=source_hash)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "content_version": str(int(content_version)),
        "release_title": release_title(content.release),
        "is_sample": "1" if is_sample(content.release) else "0",
        "source_hash": source_hash,
        "summary": _json(summary),
    }
    return CachePlan(
        schema_version=SCHEMA_VERSION, meta=meta, tables=tables, search=search, summary=summary
    )


def marked_nationalities(blocks: list[dict[str, Any]]) -> list[str]:
    """Every nationality the marks of an article name, sorted ([]: the same for everyone)."""
    found: set[str] = set()
    for block in blocks:
        found.update(block["only"])
        for only in block["item_only"]:
            found.update(only)
    return sorted(found)


def _block_plain_lines(blocks: list[dict[str, Any]]) -> Iterable[str]:
    for block in blocks:
        if block["text"]:
            yield plain_text(block["text"])
        for item in block["items"]:
            yield plain_text(item)


def _row_sort_key(table: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    keys = {
        "labels": ("kind", "id", "lang"),
        "ui_strings": ("lang", "key"),
        "articles": ("scope", "topic", "lang"),
        "article_texts": ("id",),
        "assets": ("path",),
        "phone_numbers": ("number",),
    }.get(table, ("id",))
    return lambda row: tuple(row[k] for k in keys)


def release_title(release: dict[str, object]) -> str:
    title = release.get("title", "")
    if isinstance(title, dict):
        title = title.get(FINAL_FALLBACK) or next(iter(title.values()), "")
    return str(title or "")


def is_sample(release: dict[str, object]) -> bool:
    return bool(release.get("is_sample", release.get("sample", False)))


def summarize(content: Content, *, content_version: int, source_hash: str) -> dict[str, Any]:
    """The `content build --json` / `content show` summary.

    coverage[language][destination] counts the topics that have an article written (or
    generated) in that very language, for that destination or for every destination
    (`general`); fallbacks do not count as coverage.
    """
    destinations = [d.id for d in content.destinations if d.kind == "destination"]
    written: set[tuple[str, str, str]] = {a.key for a in content.articles}
    topic_ids = [t.id for t in content.topics]
    coverage: dict[str, dict[str, int]] = {}
    missing: dict[str, dict[str, list[str]]] = {}
    for lang in content.languages:
        coverage[lang.id] = {}
        for dest in destinations:
            absent = [
                t
                for t in topic_ids
                if (dest, t, lang.id) not in written and (GENERAL_SCOPE, t, lang.id) not in written
            ]
            coverage[lang.id][dest] = len(topic_ids) - len(absent)
            if absent:
                missing.setdefault(lang.id, {})[dest] = absent
    contacts = {
        d.id: sum(1 for c in content.contacts if c.country == d.id) for d in content.destinations
    }
    return {
        "content_version": int(content_version),
        "schema_version": SCHEMA_VERSION,
        "release_title": release_title(content.release),
        "is_sample": is_sample(content.release),
        "source_hash": source_hash,
        "languages": [lang.id for lang in content.languages],
        "airports": {
            a.id: {
                "country": a.country,
                "languages": list(a.languages),
                "destinations": list(a.destinations),
            }
            for a in content.airports
        },
        "destinations": destinations,
        "home_countries": [d.id for d in content.destinations if d.kind != "destination"],
        "topics": topic_ids,
        "articles": len(content.articles),
        "articles_generated": sum(1 for a in content.articles if a.generated),
        "coverage": coverage,
        "coverage_missing": missing,
        "contacts": contacts,
        "contacts_total": len(content.contacts),
    }


# --- write --------------------------------------------------------------------------------


def build_cache(content: Content, out_path: Path, *, content_version: int) -> dict[str, Any]:
    """Build the cache file for this content at out_path; return the summary.

    The file is written next to out_path under a temporary name and renamed into place when
    complete, so out_path is either the old file or the complete new one.
    """
    plan = plan_cache(content, content_version)
    write_plan(plan, Path(out_path))
    return plan.summary


def write_plan(plan: CachePlan, out_path: Path) -> None:
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=out_path.name + ".", suffix=".building", dir=out_path.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        _write(plan, tmp)
        fsync_file(tmp)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def _rowid(row: dict[str, Any]) -> int:
    rowid: int = row["rowid"]
    return rowid


def _write(plan: CachePlan, path: Path) -> None:
    db = sqlite_utils.Database(path)
    try:
        db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        migrate(db)
        if db.execute("PRAGMA user_version").fetchone()[0] != plan.schema_version:
            raise RuntimeError("migrations did not reach the planned schema version")
        with db.conn:
            db.table("meta").insert_all(
                [{"key": k, "value": v} for k, v in sorted(plan.meta.items())]
            )
            for name in sorted(plan.tables):
                rows = plan.tables[name]
                if rows:
                    db.table(name).insert_all(rows, batch_size=500)
            for name in sorted(plan.search):
                db.execute(
                    f"CREATE VIRTUAL TABLE [{name}] USING fts5(title, body, content = '', "
                    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
                )
                search_rows: list[dict[str, Any]] = sorted(plan.search[name], key=_rowid)
                db.conn.executemany(
                    f"INSERT INTO [{name}](rowid, title, body) VALUES (:rowid, :title, :body)",
                    search_rows,
                )
                db.execute(f"INSERT INTO [{name}]([{name}]) VALUES ('optimize')")
        db.execute("VACUUM")
    finally:
        db.close()
