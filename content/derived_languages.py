"""Languages derived from another by transliteration (uz-Cyrl from uz), as a pass after reading.

Plan, then apply: `plan_derivations` computes, as plain data, every text to add (per-language
names and titles, UI strings, whole articles) and where each generated text points back to in
its source file; `apply_derivations` adds them to the content read. A hand-written text always
wins: the plan only fills in what has no hand-written version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from content.fields import FIELDS
from content.model import Article, Content, Language
from content.problems import Report
from content.translit import Glossary, cyrillic_to_latin, latin_to_cyrillic
from content.yaml_lines import Where

Converter = Callable[[str], str]

# The model attribute of Content holding each kind of item that has per-language fields.
_COLLECTIONS = {
    "airport": "airports",
    "destination": "destinations",
    "topic": "topics",
    "contact": "contacts",
}


@dataclass(frozen=True)
class Derivation:
    """Language `target` is written from language `source` by `convert`."""

    target: str
    source: str
    convert: Converter


@dataclass(frozen=True)
class DerivedText:
    """One per-language text of an item to add: (kind, id, field) in `language`."""

    kind: str
    item_id: str
    field: str
    language: str
    text: str


@dataclass(frozen=True)
class DerivationPlan:
    texts: tuple[DerivedText, ...] = ()
    ui_languages: tuple[str, ...] = ()  # derived languages that get UI strings
    ui: tuple[tuple[str, str, str], ...] = ()  # (language, key, text)
    articles: tuple[Article, ...] = ()
    # Places of generated things: they point at the text they were generated from.
    places: tuple[tuple[tuple[Any, ...], tuple[str, int]], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.texts or self.ui_languages or self.articles)


def derivations(
    languages: tuple[Language, ...], report: Report, where: Where, glossary: Glossary
) -> tuple[Derivation, ...]:
    """The `generated_from` languages that can be generated (the others are reported)."""
    scripts = {lang.id: lang.script for lang in languages}
    out: list[Derivation] = []
    for lang in languages:
        if lang.generated_from is None:
            continue
        source_script = scripts.get(lang.generated_from)
        file, line = where("language", lang.id, "generated_from")
        if source_script is None:
            continue  # the validator reports the unknown language
        if (source_script, lang.script) == ("Latn", "Cyrl"):
            convert = partial(latin_to_cyrillic, glossary=glossary)
            out.append(Derivation(lang.id, lang.generated_from, convert))
        elif (source_script, lang.script) == ("Cyrl", "Latn"):
            convert = partial(cyrillic_to_latin, glossary=glossary)
            out.append(Derivation(lang.id, lang.generated_from, convert))
        else:
            report.error(
                file,
                line,
                f"{lang.id!r} cannot be generated from {lang.generated_from!r}: only Uzbek Latin "
                "(Latn) to Cyrillic (Cyrl) or back can be generated",
            )
    return tuple(out)


def plan_derivations(
    content: Content, where: Where, derived: tuple[Derivation, ...]
) -> DerivationPlan:
    """Everything the derived languages add to `content`, computed without changing it."""
    texts: list[DerivedText] = []
    ui_languages: list[str] = []
    ui: list[tuple[str, str, str]] = []
    articles: list[Article] = []
    places: list[tuple[tuple[Any, ...], tuple[str, int]]] = []
    added: set[tuple[Any, ...]] = set()
    places_of: dict[tuple[Any, ...], list[tuple[tuple[Any, ...], tuple[str, int]]]] = {}
    for place, at in where.places.items():
        if place[0] == "article" and len(place) >= 4:
            places_of.setdefault(place[1:4], []).append((place[4:], at))
    for d in derived:
        for kind, attribute in _COLLECTIONS.items():
            localized = [f.name for f in FIELDS[kind] if f.type == "localized"]
            for item in getattr(content, attribute):
                for name in localized:
                    texts_of: dict[str, str] = getattr(item, name)
                    key = (kind, item.id, name, d.target)
                    if d.target not in texts_of and d.source in texts_of and key not in added:
                        added.add(key)
                        text = d.convert(texts_of[d.source])
                        texts.append(DerivedText(kind, item.id, name, d.target, text))
        source_ui = content.ui.get(d.source)
        if source_ui is not None:
            ui_languages.append(d.target)
            hand_written = content.ui.get(d.target, {})
            for k, v in source_ui.items():
                if k not in hand_written:
                    ui.append((d.target, k, d.convert(v)))
                if ("ui", d.target, k) not in where.places:
                    places.append((("ui", d.target, k), where("ui", d.source, k)))
            if ("ui", d.target) not in where.places:
                places.append((("ui", d.target), where("ui", d.source)))
        have = {a.key for a in content.articles} | {a.key for a in articles}
        for article in content.articles:
            target_key = (article.scope, article.topic, d.target)
            if article.language != d.source or target_key in have:
                continue
            articles.append(
                replace(
                    article,
                    language=d.target,
                    title=d.convert(article.title),
                    body=d.convert(article.body),
                    generated=True,
                )
            )
            for rest, value in places_of.get(article.key, []):
                places.append((("article", *target_key, *rest), value))
    return DerivationPlan(
        tuple(texts), tuple(ui_languages), tuple(ui), tuple(articles), tuple(places)
    )


def apply_derivations(content: Content, where: Where, plan: DerivationPlan) -> Content:
    """`content` with the plan's texts, UI strings and articles added; `where` gets their places."""
    for key, place in plan.places:
        where.set(key, *place)
    if plan.empty:
        return content
    by_item: dict[tuple[str, str, str], dict[str, str]] = {}
    for t in plan.texts:
        by_item.setdefault((t.kind, t.item_id, t.field), {})[t.language] = t.text
    changes: dict[str, Any] = {}
    for kind, attribute in _COLLECTIONS.items():
        items = []
        for item in getattr(content, attribute):
            fields = {
                name: dict(sorted({**getattr(item, name), **extra}.items()))
                for (k, item_id, name), extra in by_item.items()
                if k == kind and item_id == item.id
            }
            items.append(replace(item, **fields) if fields else item)
        changes[attribute] = tuple(items)
    ui = {lang: dict(strings) for lang, strings in content.ui.items()}
    generated_ui: dict[str, dict[str, str]] = {lang: {} for lang in plan.ui_languages}
    for lang, k, text in plan.ui:
        generated_ui.setdefault(lang, {})[k] = text
    for lang, strings in generated_ui.items():
        ui[lang] = {**strings, **ui.get(lang, {})}
    changes["ui"] = {lang: dict(sorted(ui[lang].items())) for lang in sorted(ui)}
    articles = {a.key: a for a in (*content.articles, *plan.articles)}
    changes["articles"] = tuple(articles[k] for k in sorted(articles))
    return replace(content, **changes)
