"""Reading a content source folder (YAML + Markdown) into the content model, keeping lines.

`read_source` returns the parsed `Content`, a `Report` of what could not be read (malformed
YAML, missing or mistyped fields, duplicate ids) and `Where`: the file and line of every item
and field, so that the validator can point at the exact line of a cross-reference problem.

Languages marked `generated_from` (uz-Cyrl from uz) are filled in here by transliteration:
articles (marked `generated=True`), UI strings and every per-language text (names, titles,
hours) that has no hand-written version. A hand-written text always wins.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from content.markdown_subset import MarkdownCheck, inspect_markdown
from content.model import (
    Airport,
    Article,
    Contact,
    Content,
    Destination,
    Language,
    Localized,
    Topic,
)
from content.problems import Report
from content.translit import Glossary, cyrillic_to_latin, latin_to_cyrillic

# Fields each kind of item may have; anything else is reported (probably a typo).
KNOWN_FIELDS: dict[str, frozenset[str]] = {
    "language": frozenset({"id", "name", "script", "fallback", "generated_from"}),
    "airport": frozenset({"id", "country", "name", "languages", "destinations"}),
    "destination": frozenset({"id", "kind", "name", "flag"}),
    "topic": frozenset({"id", "icon", "title"}),
    "contact": frozenset(
        {
            "id",
            "kind",
            "country",
            "serves",
            "name",
            "phones",
            "short",
            "url",
            "messengers",
            "hours",
            "languages",
            "free",
            "verified_on",
            "source",
            "status",
        }
    ),
    "article": frozenset({"title", "verified_on", "review_by", "source", "status", "contacts"}),
}
DATE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- YAML with line numbers ----------------------------------------------------------------------


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 1
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 1
    item_lines: list[int]


# The C parser (libyaml) when present: ten times faster than the pure-Python one.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that records lines, reports duplicate keys and keeps dates as text.

    Dates stay strings so that a wrong date (2026-13-01) is reported, not a crash; only
    true/false are booleans (YAML 1.1 would turn `no`, `on`, `NO` into booleans).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: list[tuple[int, Any, int]] = []

    def construct_line_map(self, node: yaml.MappingNode) -> Iterator[LineDict]:
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError as exc:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    "a key must be a single word or text",
                    key_node.start_mark,
                ) from exc
            line = key_node.start_mark.line + 1
            if key in data:
                self.duplicate_keys.append((line, key, data.key_lines[key]))
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = line

    def construct_line_seq(self, node: yaml.SequenceNode) -> Iterator[LineList]:
        data = LineList()
        data.line = node.start_mark.line + 1
        data.item_lines = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_object(child, deep=True) for child in node.value)


_LineLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_line_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_line_seq)


# What `parse_yaml` returns for text that cannot be read (None is an empty document).
UNREADABLE: Any = object()


def parse_yaml(text: str, file: str, report: Report, first_line: int = 1) -> Any:
    """Parse YAML text; problems go to `report` with file lines.

    Returns the data, None for an empty document, or `UNREADABLE` if the text is not YAML.

    `first_line` is the file line where `text` starts (for front matter inside a file).
    """
    loader = _LineLoader("\n" * (first_line - 1) + text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else first_line
        what = exc.problem or exc.context or "cannot be read"
        report.error(file, line, f"malformed YAML: {what}")
        return UNREADABLE
    except yaml.YAMLError as exc:
        report.error(file, first_line, f"malformed YAML: {exc}")
        return UNREADABLE
    finally:
        loader.dispose()
    for line, key, first in loader.duplicate_keys:
        report.error(file, line, f"the key {key!r} is given twice (first on line {first})")
    return data


# --- Where things are ----------------------------------------------------------------------------


@dataclass
class Where:
    """File and line of items and fields: keys like ("contact", id, "phones", 0)."""

    places: dict[tuple[Any, ...], tuple[str, int]] = field(default_factory=dict)

    def set(self, key: tuple[Any, ...], file: str, line: int) -> None:
        self.places[key] = (file, line)

    def __call__(self, *key: Any) -> tuple[str, int]:
        """The most precise place known for `key` (falls back to the enclosing item)."""
        for n in range(len(key), 0, -1):
            if key[:n] in self.places:
                return self.places[key[:n]]
        return ("?", 1)


@dataclass
class SourceTree:
    """Everything read from a source folder."""

    content: Content
    where: Where
    markdown: dict[tuple[str, str, str], MarkdownCheck]  # hand-written article -> its check
    ui_files: frozenset[str]  # languages with a hand-written ui/<language>.yaml
    src_dir: Path
    # (scope, topic, language) of every article file, also those that could not be read, and
    # of the generated ones: a broken file is reported once, not again as a missing article.
    article_files: frozenset[tuple[str, str, str]] = frozenset()
    # Files that could not be read at all: references to their ids are not reported again.
    unreadable: frozenset[str] = frozenset()


def load_source(src_dir: Path) -> tuple[Content, Report]:
    """Parse a content source folder; the report holds what could not be read."""
    report = Report()
    tree = read_source(src_dir, report)
    return tree.content, report


# --- Reading items -------------------------------------------------------------------------------


class _Item:
    """Typed access to one YAML mapping, reporting missing and mistyped fields."""

    def __init__(
        self, report: Report, where: Where, file: str, data: LineDict, kind: str, key: tuple
    ) -> None:
        self.report, self.where, self.file, self.data, self.kind = report, where, file, data, kind
        self.key = key
        self.name = f"{kind} {key[1]!r}" if len(key) > 1 else kind
        self.ok = True
        where.set(key, file, data.line)
        for k, line in data.key_lines.items():
            where.set((*key, k), file, line)
            if k not in KNOWN_FIELDS.get(kind, frozenset(data.key_lines)):
                report.warning(file, line, f"unknown field {k!r} in {self.name} (ignored)")

    def line(self, k: str) -> int:
        return self.data.key_lines.get(k, self.data.line)

    def error(self, k: str, message: str) -> None:
        self.report.error(self.file, self.line(k), message)

    def missing(self, k: str) -> None:
        self.report.error(self.file, self.data.line, f"{self.name} has no {k!r} (required)")
        self.ok = False

    def text(self, k: str, required: bool = True) -> str | None:
        value = self.data.get(k)
        if value is None or value == "":
            if required:
                self.missing(k)
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(k, f"{k!r} of {self.name} must be a text, not {_kind_of(value)}")
            self.ok = not required and self.ok
            return None
        return str(value)

    def flag(self, k: str) -> bool | None:
        value = self.data.get(k)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(k, f"{k!r} of {self.name} must be true or false, not {value!r}")
            return None
        return value

    def texts(self, k: str, required: bool = False) -> tuple[str, ...]:
        value = self.data.get(k)
        if value is None:
            if required:
                self.missing(k)
            return ()
        if not isinstance(value, list):
            self.error(k, f"{k!r} of {self.name} must be a list like [a, b]")
            self.ok = self.ok and not required
            return ()
        out: list[str] = []
        lines = getattr(value, "item_lines", [self.line(k)] * len(value))
        for i, item in enumerate(value):
            self.where.set((*self.key, k, i), self.file, lines[i])
            if isinstance(item, str | int) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.report.error(
                    self.file, lines[i], f"an item of {k!r} in {self.name} must be a text"
                )
        return tuple(out)

    def mapping(self, k: str, required: bool) -> dict[str, str]:
        value = self.data.get(k)
        if value is None:
            if required:
                self.missing(k)
            return {}
        if not isinstance(value, dict):
            self.error(k, f"{k!r} of {self.name} must be a map like {{en: ..., ru: ...}}")
            self.ok = self.ok and not required
            return {}
        out: dict[str, str] = {}
        lines = getattr(value, "key_lines", {})
        for sub, text in value.items():
            line = lines.get(sub, self.line(k))
            self.where.set((*self.key, k, str(sub)), self.file, line)
            if not isinstance(text, str | int | float) or isinstance(text, bool) or text == "":
                self.report.error(self.file, line, f"{k}.{sub} of {self.name} must be a text")
                continue
            out[str(sub)] = str(text)
        if required and not out:
            self.missing(k)
        return out

    def day(self, k: str) -> date | None:
        value = self.data.get(k)
        if value is None or value == "":
            self.missing(k)
            return None
        if not isinstance(value, str) or not DATE_FORMAT.match(value):
            self.error(k, f"{k!r} of {self.name} must be a date like 2026-10-01, not {value!r}")
            self.ok = False
            return None
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            self.error(k, f"{k!r} of {self.name} is not a real date ({value}: {exc})")
            self.ok = False
            return None


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _items(
    src_dir: Path, name: str, report: Report, where: Where, kind: str
) -> Iterator[tuple[str, LineDict, tuple[str, str]]]:
    """Each mapping of a YAML list file, with its id, skipping (and reporting) bad ones."""
    path = src_dir / name
    if not path.is_file():
        report.error(name, 1, f"the file {name} is missing")
        return
    data = parse_yaml(path.read_text(encoding="utf-8"), name, report)
    if data is UNREADABLE:
        return
    if data is None:
        report.error(name, 1, f"{name} is empty: it must list the {kind}s (- id: ...)")
        return
    if not isinstance(data, list):
        report.error(
            name, getattr(data, "line", 1), f"{name} must be a list of {kind}s (- id: ...)"
        )
        return
    seen: dict[str, int] = {}
    for i, entry in enumerate(data):
        line = data.item_lines[i]
        if not isinstance(entry, dict):
            report.error(name, line, f"each {kind} must be a map with an id (- id: ...)")
            continue
        item_id = entry.get("id")
        if not isinstance(item_id, str) or not item_id:
            report.error(name, line, f"this {kind} has no 'id' (required)")
            continue
        if item_id in seen:
            report.error(
                name, line, f"duplicate {kind} id {item_id!r} (first on line {seen[item_id]})"
            )
            continue
        seen[item_id] = line
        yield name, entry, (kind, item_id)


# --- The whole folder ----------------------------------------------------------------------------


def read_source(src_dir: Path, report: Report) -> SourceTree:
    """Read every file of a source folder; problems go to `report`, nothing is raised."""
    src_dir = Path(src_dir)
    where = Where()
    if not src_dir.is_dir():
        report.error(str(src_dir), 1, "this is not a folder of content sources")
    release = _read_release(src_dir, report, where)
    languages = _read_languages(src_dir, report, where)
    glossary = read_glossary(src_dir, report, where)
    generate = _generators(languages, report, where, glossary)

    def localized(item: _Item, k: str, required: bool = True) -> Localized:
        texts = item.mapping(k, required)
        for target, (source, convert) in generate.items():
            if target not in texts and source in texts:
                texts[target] = convert(texts[source])
        return dict(sorted(texts.items()))

    airports = tuple(_read_airports(src_dir, report, where, localized))
    destinations = tuple(_read_destinations(src_dir, report, where, localized))
    topics = tuple(_read_topics(src_dir, report, where, localized))
    contacts = tuple(_read_contacts(src_dir, report, where, localized))
    ui, ui_files = _read_ui(src_dir, report, where, generate)
    articles, markdown = _read_articles(src_dir, report, where, generate)
    assets = _read_assets(src_dir)
    content = Content(
        release=release,
        languages=languages,
        airports=airports,
        destinations=destinations,
        topics=topics,
        contacts=contacts,
        ui=ui,
        articles=articles,
        assets=assets,
    )
    files = {key for key in markdown}
    for target, (source, _) in generate.items():
        files |= {(scope, topic, target) for scope, topic, lang in markdown if lang == source}
    files |= {a.key for a in articles}
    unreadable = frozenset(
        p.file for p in report.errors if p.message.startswith(("malformed YAML", "the file "))
    )
    return SourceTree(content, where, markdown, ui_files, src_dir, frozenset(files), unreadable)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _read_release(src_dir: Path, report: Report, where: Where) -> dict[str, object]:
    name = "release.yaml"
    path = src_dir / name
    if not path.is_file():
        report.error(name, 1, "the file release.yaml is missing (it names the release)")
        return {}
    data = parse_yaml(path.read_text(encoding="utf-8"), name, report)
    if data is UNREADABLE:
        return {}
    if data is None:
        report.error(name, 1, "release.yaml is empty: it needs at least a title")
        return {}
    if not isinstance(data, dict):
        report.error(name, 1, "release.yaml must be a map (title: ..., sample: ...)")
        return {}
    where.set(("release",), name, 1)
    for k, line in data.key_lines.items():
        where.set(("release", k), name, line)
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        report.error(name, data.line, "release.yaml has no 'title' (required)")
    if "sample" in data and not isinstance(data["sample"], bool):
        report.error(name, data.key_lines["sample"], "'sample' must be true or false")
    return _plain(data)


def _read_languages(src_dir: Path, report: Report, where: Where) -> tuple[Language, ...]:
    out: list[Language] = []
    for file, data, key in _items(src_dir, "languages.yaml", report, where, "language"):
        item = _Item(report, where, file, data, "language", key)
        name, script = item.text("name"), item.text("script")
        fallback = item.texts("fallback")
        generated_from = item.text("generated_from", required=False)
        if item.ok and name and script:
            out.append(Language(key[1], name, script, fallback, generated_from))
    return tuple(out)


Converter = Callable[[str], str]
# Reads a per-language text map of an item, filling in generated languages.
LocalizedReader = Callable[..., Localized]


def _generators(
    languages: tuple[Language, ...], report: Report, where: Where, glossary: Glossary
) -> dict[str, tuple[str, Converter]]:
    """target language -> (source language, transliteration) for `generated_from` languages."""
    scripts = {lang.id: lang.script for lang in languages}
    out: dict[str, tuple[str, Converter]] = {}
    for lang in languages:
        if lang.generated_from is None:
            continue
        source_script = scripts.get(lang.generated_from)
        file, line = where("language", lang.id, "generated_from")
        if source_script is None:
            continue  # the validator reports the unknown language
        if (source_script, lang.script) == ("Latn", "Cyrl"):
            out[lang.id] = (lang.generated_from, partial(latin_to_cyrillic, glossary=glossary))
        elif (source_script, lang.script) == ("Cyrl", "Latn"):
            out[lang.id] = (lang.generated_from, partial(cyrillic_to_latin, glossary=glossary))
        else:
            report.error(
                file,
                line,
                f"{lang.id!r} cannot be generated from {lang.generated_from!r}: only Uzbek Latin "
                "(Latn) to Cyrillic (Cyrl) or back can be generated",
            )
    return out


GLOSSARY_FILE = "translit.yaml"
_GLOSSARY_LATIN = re.compile(r"^[a-z]+(?:[ʻʼ'‘’`][a-z]+)*[ʻʼ'‘’`]?$")
_GLOSSARY_CYRILLIC = re.compile(r"^[а-яёўқғҳ]+$")


def read_glossary(src_dir: Path, report: Report, where: Where) -> Glossary:
    """The release's transliteration glossary, `translit.yaml` (optional; see content/README.md).

    Unknown keys are warned about; wrongly typed entries are errors and left out.
    """
    name = GLOSSARY_FILE
    path = Path(src_dir) / name
    if not path.is_file():
        return Glossary()
    data = parse_yaml(path.read_text(encoding="utf-8"), name, report)
    if data is UNREADABLE or data is None:
        return Glossary()
    if not isinstance(data, dict):
        report.error(
            name, getattr(data, "line", 1), f"{name} must be a map with `keep:` and `words:`"
        )
        return Glossary()
    where.set(("glossary",), name, 1)
    for k, line in data.key_lines.items():
        where.set(("glossary", k), name, line)
        if k not in ("keep", "words"):
            report.warning(name, line, f"unknown key {k!r} in {name} (ignored; known: keep, words)")
    keep: list[str] = []
    value = data.get("keep")
    if value is not None and not isinstance(value, list):
        report.error(name, data.key_lines["keep"], "`keep` must be a list of words or phrases")
    for i, item in enumerate(value if isinstance(value, list) else []):
        if isinstance(item, str) and item.strip():
            keep.append(item)
        else:
            report.error(
                name, value.item_lines[i], f"an item of `keep` must be a text, not {item!r}"
            )
    words: dict[str, str] = {}
    value = data.get("words")
    if value is not None and not isinstance(value, dict):
        report.error(name, data.key_lines["words"], "`words` must be a map like `polsha: польша`")
    for latin, cyrillic in (value if isinstance(value, dict) else {}).items():
        line = value.key_lines[latin]
        if not isinstance(latin, str) or not _GLOSSARY_LATIN.match(latin):
            report.error(
                name, line, f"{latin!r} in `words` must be an Uzbek Latin word in small letters"
            )
        elif not isinstance(cyrillic, str) or not _GLOSSARY_CYRILLIC.match(cyrillic):
            report.error(
                name,
                line,
                f"the Cyrillic of {latin!r} in `words` must be a word in small Cyrillic letters, "
                f"not {cyrillic!r}",
            )
        else:
            words[latin] = cyrillic
    return Glossary(keep=tuple(keep), words=words)


def _read_airports(
    src_dir: Path, report: Report, where: Where, localized: LocalizedReader
) -> Iterator[Airport]:
    for file, data, key in _items(src_dir, "airports.yaml", report, where, "airport"):
        item = _Item(report, where, file, data, "airport", key)
        country = item.text("country")
        name = localized(item, "name")
        languages = item.texts("languages", required=True)
        destinations = item.texts("destinations", required=True)
        if item.ok and country:
            yield Airport(key[1], country, name, languages, destinations)


def _read_destinations(
    src_dir: Path, report: Report, where: Where, localized: LocalizedReader
) -> Iterator[Destination]:
    for file, data, key in _items(src_dir, "destinations.yaml", report, where, "destination"):
        item = _Item(report, where, file, data, "destination", key)
        kind = item.text("kind")
        name = localized(item, "name")
        flag = item.text("flag", required=False)
        if kind is not None and kind not in ("destination", "home"):
            item.error("kind", f"'kind' must be destination or home, not {kind!r}")
        if item.ok and kind:
            yield Destination(key[1], kind, name, flag)


def _read_topics(
    src_dir: Path, report: Report, where: Where, localized: LocalizedReader
) -> Iterator[Topic]:
    for file, data, key in _items(src_dir, "topics.yaml", report, where, "topic"):
        item = _Item(report, where, file, data, "topic", key)
        icon = item.text("icon")
        title = localized(item, "title")
        if item.ok and icon:
            yield Topic(key[1], icon, title)


def _read_contacts(
    src_dir: Path, report: Report, where: Where, localized: LocalizedReader
) -> Iterator[Contact]:
    for file, data, key in _items(src_dir, "contacts.yaml", report, where, "contact"):
        item = _Item(report, where, file, data, "contact", key)
        kind, country = item.text("kind"), item.text("country")
        name = localized(item, "name")
        verified_on = item.day("verified_on")
        source, status = item.text("source"), item.text("status")
        serves = item.texts("serves")
        phones = _phones(item)
        short = item.text("short", required=False)
        url = item.text("url", required=False)
        messengers = item.mapping("messengers", required=False)
        hours = localized(item, "hours", required=False)
        languages = item.texts("languages")
        free = item.flag("free")
        if item.ok and kind and country and verified_on and source and status:
            yield Contact(
                id=key[1],
                kind=kind,
                country=country,
                name=name,
                verified_on=verified_on,
                source=source,
                status=status,
                serves=serves,
                phones=phones,
                short=short,
                url=url,
                messengers=dict(sorted(messengers.items())),
                hours=hours,
                languages=languages,
                free=free,
            )


def _phones(item: _Item) -> tuple[str, ...]:
    value = item.data.get("phones")
    unquoted: set[int] = set()
    if isinstance(value, list):
        for i, phone in enumerate(value):
            if isinstance(phone, int) and not isinstance(phone, bool):
                unquoted.add(i)
                item.report.error(
                    item.file,
                    value.item_lines[i],
                    f"the phone number {phone} must be written in quotes with its +, "
                    f'like "+{phone}"',
                )
    elif isinstance(value, str):
        item.error("phones", "'phones' must be a list, like [\"+998712000000\"]")
        return ()
    texts = item.texts("phones")
    return tuple(p for i, p in enumerate(texts) if i not in unquoted)


def _read_ui(
    src_dir: Path, report: Report, where: Where, generate: dict[str, tuple[str, Converter]]
) -> tuple[dict[str, dict[str, str]], frozenset[str]]:
    ui: dict[str, dict[str, str]] = {}
    folder = src_dir / "ui"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        file = f"ui/{path.name}"
        lang = path.stem
        data = parse_yaml(path.read_text(encoding="utf-8"), file, report)
        where.set(("ui", lang), file, 1)
        if data is UNREADABLE or data is None:
            ui[lang] = {}  # an unreadable file is reported once; an empty one falls back
            continue
        if not isinstance(data, dict):
            report.error(file, 1, 'a UI file must be a map of keys to texts (key: "text")')
            continue
        strings: dict[str, str] = {}
        for k, value in data.items():
            line = data.key_lines[k]
            where.set(("ui", lang, str(k)), file, line)
            if not isinstance(value, str | int | float) or isinstance(value, bool) or value == "":
                report.error(file, line, f"the UI string {k!r} must be a text")
                continue
            strings[str(k)] = str(value)
        ui[lang] = strings
    hand_written = frozenset(ui)
    for target, (source, convert) in generate.items():
        if source in ui:
            generated = {k: convert(v) for k, v in ui[source].items()}
            ui[target] = {**generated, **ui.get(target, {})}
            for k in generated:
                if ("ui", target, k) not in where.places:
                    where.set(("ui", target, k), *where("ui", source, k))
            if ("ui", target) not in where.places:
                where.set(("ui", target), *where("ui", source))
    return {lang: dict(sorted(ui[lang].items())) for lang in sorted(ui)}, hand_written


def _read_articles(
    src_dir: Path, report: Report, where: Where, generate: dict[str, tuple[str, Converter]]
) -> tuple[tuple[Article, ...], dict[tuple[str, str, str], MarkdownCheck]]:
    articles: dict[tuple[str, str, str], Article] = {}
    checks: dict[tuple[str, str, str], MarkdownCheck] = {}
    folder = src_dir / "articles"
    paths = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    for path in paths:
        rel = path.relative_to(src_dir).as_posix()
        parts = path.relative_to(folder).parts
        if len(parts) != 3 or path.suffix != ".md":
            report.error(
                rel,
                1,
                "articles must be at articles/<scope>/<topic>/<language>.md; this file is not read",
            )
            continue
        key = (parts[0], parts[1], path.stem)
        article, check = _read_article(path, rel, key, report, where)
        checks[key] = check
        if article is not None:
            articles[key] = article
    places_of: dict[tuple[str, str, str], list[tuple[tuple[Any, ...], tuple[str, int]]]] = {}
    for place, value in where.places.items():
        if place[0] == "article" and len(place) >= 4:
            places_of.setdefault(place[1:4], []).append((place[4:], value))
    for target, (source, convert) in generate.items():
        for (scope, topic, lang), article in list(articles.items()):
            if lang != source or (scope, topic, target) in articles:
                continue
            articles[(scope, topic, target)] = Article(
                scope=scope,
                topic=topic,
                language=target,
                title=convert(article.title),
                body=convert(article.body),
                verified_on=article.verified_on,
                review_by=article.review_by,
                source=article.source,
                status=article.status,
                contacts=article.contacts,
                generated=True,
            )
            for rest, value in places_of.get((scope, topic, source), []):
                where.places[("article", scope, topic, target, *rest)] = value
    return tuple(articles[k] for k in sorted(articles)), checks


def _read_article(
    path: Path, rel: str, key: tuple[str, str, str], report: Report, where: Where
) -> tuple[Article | None, MarkdownCheck]:
    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    lines = text.splitlines()
    where.set(("article", *key), rel, 1)
    if not lines or lines[0].strip() != "---":
        report.error(rel, 1, "an article must start with its details between two lines of ---")
        return None, MarkdownCheck()
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        report.error(rel, 1, "the article details (front matter) have no closing --- line")
        return None, MarkdownCheck()
    data = parse_yaml("\n".join(lines[1:end]), rel, report, first_line=2)
    if data is UNREADABLE:
        return None, MarkdownCheck()
    if data is None:
        data = LineDict()
        data.line, data.key_lines = 2, {}
    if not isinstance(data, dict):
        report.error(rel, 2, "the article details must be lines like `title: ...`")
        return None, MarkdownCheck()
    item = _Item(report, where, rel, data, "article", ("article", *key))
    item.name = f"the article {'/'.join(key)}"
    where.set(("article", *key), rel, 1)  # the article itself: its file, from the top
    body_line = end + 2
    body_lines = lines[end + 1 :]
    body = "\n".join(body_lines).strip("\n")
    leading = next((i for i, line in enumerate(body_lines) if line.strip()), 0)
    where.set(("article", *key, "body"), rel, body_line + leading)
    title = item.text("title")
    verified_on, review_by = item.day("verified_on"), item.day("review_by")
    source, status = item.text("source"), item.text("status")
    contacts = item.texts("contacts")
    check = inspect_markdown("\n".join(lines[end + 1 :]))
    for line, message in check.problems:
        report.error(rel, body_line + line - 1, message)
    shifted = MarkdownCheck(
        problems=[],
        article_links=[replace(a, line=body_line + a.line - 1) for a in check.article_links],
        images=[(body_line + line - 1, src) for line, src in check.images],
    )
    if not body.strip():
        report.error(rel, body_line, "the article has no text after its details")
    if not (item.ok and title and verified_on and review_by and source and status):
        return None, shifted
    article = Article(
        scope=key[0],
        topic=key[1],
        language=key[2],
        title=title,
        body=body,
        verified_on=verified_on,
        review_by=review_by,
        source=source,
        status=status,
        contacts=contacts,
    )
    return article, shifted


def _read_assets(src_dir: Path) -> dict[str, bytes]:
    folder = src_dir / "assets"
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    }
