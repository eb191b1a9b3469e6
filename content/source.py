"""Reading a content source folder (YAML + Markdown) into the content model, keeping lines.

`read_source` returns the parsed `Content`, a `Report` of what could not be read (malformed
YAML, missing or mistyped fields, duplicate ids) and `Where`: the file and line of every item
and field, so that the validator can point at the exact line of a cross-reference problem.

The parts: content/yaml_lines.py reads YAML keeping lines; content/fields.py declares each
kind's fields and reads an item by that declaration; content/glossary_file.py reads
`translit.yaml`; content/derived_languages.py then fills in the languages marked
`generated_from` (uz-Cyrl from uz), as its own pass after reading (plan, then apply): articles
(marked `generated=True`), UI strings and every per-language text (names, titles, hours) that
has no hand-written version. A hand-written text always wins.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from content.derived_languages import apply_derivations, derivations, plan_derivations
from content.fields import FIELDS, ItemReader, read_fields
from content.glossary_file import read_glossary
from content.markdown_subset import MarkdownCheck, inspect_markdown
from content.model import Airport, Article, Contact, Content, Destination, Language, Topic
from content.problems import Report
from content.yaml_lines import UNREADABLE, LineDict, LineList, Where, parse_yaml

__all__ = ["SourceTree", "load_source", "read_source"]


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


def read_source(src_dir: Path, report: Report) -> SourceTree:
    """Read every file of a source folder; problems go to `report`, nothing is raised."""
    src_dir = Path(src_dir)
    where = Where()
    if not src_dir.is_dir():
        report.error(str(src_dir), 1, "this is not a folder of content sources")
    release = _read_release(src_dir, report, where)
    languages = tuple(_read_items(src_dir, report, where, "language", Language))
    glossary = read_glossary(src_dir, report, where)
    derived = derivations(languages, report, where, glossary)
    airports = tuple(_read_items(src_dir, report, where, "airport", Airport))
    destinations = tuple(_read_destinations(src_dir, report, where))
    topics = tuple(_read_items(src_dir, report, where, "topic", Topic))
    contacts = tuple(_read_items(src_dir, report, where, "contact", Contact))
    ui = _read_ui(src_dir, report, where)
    articles, markdown = _read_articles(src_dir, report, where)
    read = Content(
        release=release,
        languages=languages,
        airports=airports,
        destinations=destinations,
        topics=topics,
        contacts=contacts,
        ui=ui,
        articles=articles,
        assets=_read_assets(src_dir),
    )
    content = apply_derivations(read, where, plan_derivations(read, where, derived))
    files = set(markdown)
    for d in derived:
        files |= {(scope, topic, d.target) for scope, topic, lang in markdown if lang == d.source}
    files |= {a.key for a in content.articles}
    unreadable = frozenset(
        p.file for p in report.errors if p.message.startswith(("malformed YAML", "the file "))
    )
    return SourceTree(
        content, where, markdown, frozenset(ui), src_dir, frozenset(files), unreadable
    )


def _complete(item: ItemReader, kind: str, values: dict[str, Any]) -> bool:
    """Whether the item was read well enough to enter the content (its problems are reported)."""
    needed = [f.name for f in FIELDS[kind] if f.required and f.type in ("text", "date")]
    return item.ok and all(values[name] for name in needed if name != "id")


def _read_items(
    src_dir: Path, report: Report, where: Where, kind: str, model: Any
) -> Iterator[Any]:
    """The items of `<kind>s.yaml` that were read completely, as `model` objects."""
    for file, data, key in _items(src_dir, f"{kind}s.yaml", report, kind):
        item = ItemReader(report, where, file, data, kind, key)
        values = read_fields(item, kind)
        if _complete(item, kind, values):
            yield model(id=key[1], **values)


def _read_destinations(src_dir: Path, report: Report, where: Where) -> Iterator[Destination]:
    for file, data, key in _items(src_dir, "destinations.yaml", report, "destination"):
        item = ItemReader(report, where, file, data, "destination", key)
        values = read_fields(item, "destination")
        kind = values["kind"]
        if kind is not None and kind not in ("destination", "home"):
            item.error("kind", f"'kind' must be destination or home, not {kind!r}")
        if _complete(item, "destination", values):
            yield Destination(id=key[1], **values)


def _items(
    src_dir: Path, name: str, report: Report, kind: str
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
    if not isinstance(data, LineList):
        report.error(
            name, getattr(data, "line", 1), f"{name} must be a list of {kind}s (- id: ...)"
        )
        return
    seen: dict[str, int] = {}
    for i, entry in enumerate(data):
        line = data.item_lines[i]
        if not isinstance(entry, LineDict):
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
    if not isinstance(data, LineDict):
        report.error(name, 1, "release.yaml must be a map (title: ..., sample: ...)")
        return {}
    where.set(("release",), name, 1)
    for k, line in data.key_lines.items():
        where.set(("release", k), name, line)
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        report.error(name, data.line, "release.yaml has no 'title' (required)")
    if "sample" in data and not isinstance(data["sample"], bool):
        report.error(name, data.key_lines["sample"], "'sample' must be true or false")
    release: dict[str, object] = _plain(data)
    return release


def _read_ui(src_dir: Path, report: Report, where: Where) -> dict[str, dict[str, str]]:
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
        if not isinstance(data, LineDict):
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
    return {lang: dict(sorted(ui[lang].items())) for lang in sorted(ui)}


def _read_articles(
    src_dir: Path, report: Report, where: Where
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
    if not isinstance(data, LineDict):
        report.error(rel, 2, "the article details must be lines like `title: ...`")
        return None, MarkdownCheck()
    item = ItemReader(report, where, rel, data, "article", ("article", *key))
    item.name = f"the article {'/'.join(key)}"
    where.set(("article", *key), rel, 1)  # the article itself: its file, from the top
    body_line = end + 2
    body_lines = lines[end + 1 :]
    body = "\n".join(body_lines).strip("\n")
    leading = next((i for i, line in enumerate(body_lines) if line.strip()), 0)
    where.set(("article", *key, "body"), rel, body_line + leading)
    values = read_fields(item, "article")
    check = inspect_markdown("\n".join(lines[end + 1 :]))
    for line, message in check.problems:
        report.error(rel, body_line + line - 1, message)
    shifted = MarkdownCheck(
        problems=[],
        article_links=[replace(a, line=body_line + a.line - 1) for a in check.article_links],
        images=[(body_line + line - 1, src) for line, src in check.images],
        nationalities=[(body_line + line - 1, n) for line, n in check.nationalities],
        pictures=[(body_line + line - 1, path) for line, path in check.pictures],
    )
    if not body.strip():
        report.error(rel, body_line, "the article has no text after its details")
    if not _complete(item, "article", values):
        return None, shifted
    values["source"] = values["source"] or ""
    return Article(scope=key[0], topic=key[1], language=key[2], body=body, **values), shifted


def _read_assets(src_dir: Path) -> dict[str, bytes]:
    folder = src_dir / "assets"
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and p.name != "README.md"
    }
