"""Translation status of every article in every language, from the content history.

For an article (scope, topic) and a language other than the source language:
- `missing`: no file; the kiosk falls back (see content/README.md, fallback rule);
- `generated`: no file, and the language is `generated_from` another (uz-Cyrl): written by
  transliteration when the release is built;
- `outdated`: the source text changed after this translation was last saved. A translation
  saved in the console with the source beside it names the exact source text it was made from
  (`Translated-from: <language> <blob id>` in its commit message); otherwise the order of the
  commits decides (the history of `main` is linear: every commit has one parent);
- `up to date`: otherwise. The source language itself is `source`.

Plan, then apply: `translation_rows` returns plain rows; the console page only filters them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from admin_sync.content_history import ContentHistory
from content.problems import Report
from content.yaml_lines import LineList, parse_yaml

STATUSES = ("up to date", "outdated", "missing", "generated", "source")
TRAILER = re.compile(r"^Translated-from: (\S+) ([0-9a-f]{40})$", re.M)
_ARTICLE = re.compile(r"^articles/([^/]+)/([^/]+)/([^/]+)\.md$")


@dataclass(frozen=True)
class TranslationRow:
    scope: str
    topic: str
    language: str
    status: str
    why: str


def generated_languages(history: ContentHistory) -> set[str]:
    raw = history.read("languages.yaml")
    data = parse_yaml(raw.decode("utf-8") if raw else "", "languages.yaml", Report())
    if not isinstance(data, LineList):
        return set()
    return {str(e.get("id")) for e in data if isinstance(e, dict) and e.get("generated_from")}


def declared_sources(history: ContentHistory) -> list[str]:
    """release.yaml's `source_languages` as written (English when it names none)."""
    raw = history.read("release.yaml")
    data = parse_yaml(raw.decode("utf-8") if raw else "", "release.yaml", Report())
    declared = data.get("source_languages") if isinstance(data, dict) else None
    if isinstance(declared, list) and declared and all(isinstance(d, str) for d in declared):
        return [str(d) for d in declared]
    return ["en"]


def translation_rows(
    history: ContentHistory, languages: list[str], source: str = "en"
) -> list[TranslationRow]:
    blobs = history.blob_ids()
    last = history.last_changes()
    order, bodies = history.messages()
    position = {commit: i for i, commit in enumerate(order)}  # 0 = newest
    generated = generated_languages(history)
    articles: dict[tuple[str, str], set[str]] = {}
    for path in blobs:
        match = _ARTICLE.match(path)
        if match:
            articles.setdefault((match.group(1), match.group(2)), set()).add(match.group(3))
    rows = []
    for (scope, topic), present in sorted(articles.items()):
        source_path = f"articles/{scope}/{topic}/{source}.md"
        for lang in languages:
            path = f"articles/{scope}/{topic}/{lang}.md"
            if lang == source:
                rows.append(TranslationRow(scope, topic, lang, "source", "the source text"))
            elif lang not in present:
                status = "generated" if lang in generated else "missing"
                why = (
                    "transliterated when the release is built"
                    if status == "generated"
                    else "the kiosk shows a fallback language"
                )
                rows.append(TranslationRow(scope, topic, lang, status, why))
            elif source_path not in blobs:
                rows.append(TranslationRow(scope, topic, lang, "up to date", "no source text"))
            else:
                mine = last[path].commit
                made_from = {m.group(1): m.group(2) for m in TRAILER.finditer(bodies[mine])}
                if source in made_from:
                    fresh = made_from[source] == blobs[source_path]
                    why = (
                        "translated from this source text"
                        if fresh
                        else ("translated from an older source text")
                    )
                else:
                    fresh = position[last[source_path].commit] >= position[mine]
                    why = (
                        "saved after the source's last change"
                        if fresh
                        else (f"the source changed after it ({last[source_path].message})")
                    )
                rows.append(
                    TranslationRow(scope, topic, lang, "up to date" if fresh else "outdated", why)
                )
    return rows


def counts(rows: list[TranslationRow]) -> dict[str, int]:
    found = Counter(row.status for row in rows)
    return {status: found.get(status, 0) for status in STATUSES}
