"""Release parts: the content of a release split into small, canonical JSON files.

A release is published as parts so that a kiosk downloads only what changed:

- `shared.json`: release info, languages, airports, destinations, topics, contacts, UI strings,
  the asset map (content path -> asset part) and the article index (every article's scope,
  topic and language, in content order). The index doubles as the manifest: `join_parts`
  refuses a set of parts that lacks an article part the index names.
- `articles/<scope>/<language>.json`: the articles of one destination (or `general`) in one
  language.
- `assets/<sha256>.<ext>`: asset bytes, content-addressed (identical files are stored once).

Every part is canonical (sorted keys, no insignificant whitespace, UTF-8, dates as ISO text), so
the same content always gives byte-identical parts and `join_parts(split_parts(c)) == c`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from content.model import Airport, Article, Contact, Content, Destination, Language, Topic

SHARED_PART = "shared.json"
AUDIO_ASSETS = "audio/"  # content/speech_text.py AUDIO_DIR (the listen buttons' audio)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
PARTS_FORMAT = 1


class PartsError(ValueError):
    """A set of parts that cannot be joined into content (missing, malformed or inconsistent)."""


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_encode_extra
    ).encode("utf-8")


def _encode_extra(value: Any) -> Any:
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, tuple | frozenset | set):
        return sorted(value) if not isinstance(value, tuple) else list(value)
    raise TypeError(f"cannot put {type(value).__name__} into a release part")


def _decode_extra(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$date"}:
            return date.fromisoformat(value["$date"])
        return {k: _decode_extra(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode_extra(v) for v in value]
    return value


def article_part_name(scope: str, language: str) -> str:
    return f"articles/{scope}/{language}.json"


def asset_part_name(path: str, data: bytes) -> str:
    suffix = PurePosixPath(path).suffix.lower()
    return f"assets/{hashlib.sha256(data).hexdigest()}{suffix}"


def split_parts(content: Content) -> dict[str, bytes]:
    """Split content into canonical parts (name -> bytes); see the module docstring."""
    parts: dict[str, bytes] = {}
    asset_map: dict[str, str] = {}
    for path in sorted(content.assets):
        name = asset_part_name(path, content.assets[path])
        asset_map[path] = name
        parts[name] = content.assets[path]

    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for article in content.articles:
        grouped.setdefault((article.scope, article.language), []).append(_article_dict(article))
    for (scope, language), rows in sorted(grouped.items()):
        rows.sort(key=lambda r: r["topic"])
        parts[article_part_name(scope, language)] = canonical_json(
            {"scope": scope, "language": language, "articles": rows}
        )

    shared = {
        "format": PARTS_FORMAT,
        "release": content.release,
        "languages": [_language_dict(x) for x in content.languages],
        "airports": [_airport_dict(x) for x in content.airports],
        "destinations": [_destination_dict(x) for x in content.destinations],
        "topics": [_topic_dict(x) for x in content.topics],
        "contacts": [_contact_dict(x) for x in content.contacts],
        "ui": content.ui,
        "assets": asset_map,
        "article_index": [list(a.key) for a in content.articles],
    }
    parts[SHARED_PART] = canonical_json(shared)
    return parts


def join_parts(parts: Mapping[str, bytes], *, audio_optional: bool = False) -> Content:
    """Rebuild the content from its parts; raise PartsError saying what is missing or wrong.

    `audio_optional`: an audio asset (`audio/...`) whose part is absent is left out (a kiosk
    fetches only its airport's languages; a screen without its audio has no listen button).
    """
    shared = _load(parts, SHARED_PART)
    if shared.get("format") != PARTS_FORMAT:
        raise PartsError(
            f"{SHARED_PART}: parts format {shared.get('format')!r} is not {PARTS_FORMAT}"
        )
    try:
        for key in shared["article_index"]:
            if len(key) != 3 or not all(isinstance(k, str) and _SAFE_ID.match(k) for k in key):
                raise PartsError(f"{SHARED_PART}: unsafe or malformed article key {key!r}")
        articles_by_key: dict[tuple[str, str, str], Article] = {}
        for scope, language in sorted({(k[0], k[2]) for k in shared["article_index"]}):
            name = article_part_name(scope, language)
            part = _load(parts, name)
            for row in part["articles"]:
                article = _article_from(row)
                if (article.scope, article.language) != (scope, language):
                    raise PartsError(f"{name}: holds an article of {article.scope}/{language}")
                articles_by_key[article.key] = article
        articles = []
        for key in shared["article_index"]:
            if tuple(key) not in articles_by_key:
                raise PartsError(
                    f"{article_part_name(key[0], key[2])}: article {key[0]}/{key[1]} missing"
                )
            articles.append(articles_by_key[tuple(key)])
        assets = {}
        for path, name in shared["assets"].items():
            if name not in parts:
                if audio_optional and path.startswith(AUDIO_ASSETS):
                    continue
                raise PartsError(f"{name}: asset part missing (for {path})")
            data = parts[name]
            if asset_part_name(path, data) != name:
                raise PartsError(f"{name}: content does not match its sha256 name")
            assets[path] = data
        return Content(
            release=_decode_extra(shared["release"]),
            languages=tuple(_language_from(x) for x in shared["languages"]),
            airports=tuple(_airport_from(x) for x in shared["airports"]),
            destinations=tuple(_destination_from(x) for x in shared["destinations"]),
            topics=tuple(Topic(**x) for x in shared["topics"]),
            contacts=tuple(_contact_from(x) for x in shared["contacts"]),
            ui=shared["ui"],
            articles=tuple(articles),
            assets=assets,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, PartsError):
            raise
        raise PartsError(f"{SHARED_PART}: malformed release parts ({exc!r})") from exc


def content_hash(content: Content) -> str:
    """sha256 over the canonical parts: the same content has the same hash however it was read."""
    digest = hashlib.sha256()
    for name, data in sorted(split_parts(content).items()):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _load(parts: Mapping[str, bytes], name: str) -> dict[str, Any]:
    if name not in parts:
        raise PartsError(f"{name}: part missing")
    try:
        value = json.loads(parts[name].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PartsError(f"{name}: not valid UTF-8 JSON ({exc})") from exc
    if not isinstance(value, dict):
        raise PartsError(f"{name}: expected a JSON object")
    return value


def _language_dict(x: Language) -> dict[str, Any]:
    return {
        "id": x.id,
        "name": x.name,
        "script": x.script,
        "fallback": list(x.fallback),
        "generated_from": x.generated_from,
    }


def _language_from(x: dict[str, Any]) -> Language:
    return Language(**{**x, "fallback": tuple(x["fallback"])})


def _airport_dict(x: Airport) -> dict[str, Any]:
    return {
        "id": x.id,
        "country": x.country,
        "name": x.name,
        "languages": list(x.languages),
        "destinations": list(x.destinations),
        "nationality": x.nationality,
    }


def _airport_from(x: dict[str, Any]) -> Airport:
    return Airport(
        **{**x, "languages": tuple(x["languages"]), "destinations": tuple(x["destinations"])}
    )


def _destination_dict(x: Destination) -> dict[str, Any]:
    return {
        "id": x.id,
        "kind": x.kind,
        "name": x.name,
        "flag": x.flag,
        "emergency": x.emergency,
        "emergency_verified_on": _day(x.emergency_verified_on),
        "emergency_source": x.emergency_source,
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _destination_from(x: dict[str, Any]) -> Destination:
    verified = x.get("emergency_verified_on")
    return Destination(
        **{**x, "emergency_verified_on": None if verified is None else date.fromisoformat(verified)}
    )


def _topic_dict(x: Topic) -> dict[str, Any]:
    return {"id": x.id, "icon": x.icon, "title": x.title}


def _contact_dict(x: Contact) -> dict[str, Any]:
    return {
        "id": x.id,
        "kind": x.kind,
        "country": x.country,
        "name": x.name,
        "verified_on": x.verified_on.isoformat(),
        "source": x.source,
        "status": x.status,
        "serves": list(x.serves),
        "phones": list(x.phones),
        "short": x.short,
        "url": x.url,
        "messengers": x.messengers,
        "hours": x.hours,
        "languages": list(x.languages),
        "free": x.free,
    }


def _contact_from(x: dict[str, Any]) -> Contact:
    return Contact(
        **{
            **x,
            "verified_on": date.fromisoformat(x["verified_on"]),
            "serves": tuple(x["serves"]),
            "phones": tuple(x["phones"]),
            "languages": tuple(x["languages"]),
        }
    )


def _article_dict(x: Article) -> dict[str, Any]:
    return {
        "scope": x.scope,
        "topic": x.topic,
        "language": x.language,
        "title": x.title,
        "body": x.body,
        "verified_on": x.verified_on.isoformat(),
        "review_by": x.review_by.isoformat(),
        "source": x.source,
        "status": x.status,
        "contacts": list(x.contacts),
        "generated": x.generated,
    }


def _article_from(x: dict[str, Any]) -> Article:
    return Article(
        **{
            **x,
            "verified_on": date.fromisoformat(x["verified_on"]),
            "review_by": date.fromisoformat(x["review_by"]),
            "contacts": tuple(x["contacts"]),
        }
    )
