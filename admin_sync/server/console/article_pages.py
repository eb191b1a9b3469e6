"""Articles written and translated in the browser.

The list shows every scope (destination or `general`) and topic with the languages written.
The form holds the article's details (front matter, fields from `content.fields`) and its
Markdown (the safe subset the checker accepts); while translating, the text of the source
language is shown beside it. Saving works like the item forms (`item_pages`): the form carries
the version it was opened at and a change by someone else is shown, never overwritten
silently; the project's checker runs on the whole content and its messages for this article
are shown beside their field (or the text); a failed save keeps the text. A save made with a
source language beside it records, in the commit message, which version of the source text
the translation was made from (`Translated-from: <language> <blob id>`).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.content_edit import ItemEdit, check_path_part, render_front_matter, split_article
from admin_sync.content_history import ContentHistory, EditConflict, HistoryError
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import AuditDep, ClockDep, HistoryDep
from content.fields import FIELDS
from content.speech_text import CHECKLIST_TOPIC
from content.validate import validate_source

router = APIRouter(prefix="/console", include_in_schema=False)

_ARTICLE = re.compile(r"^articles/([^/]+)/([^/]+)/([^/]+)\.md$")
TRAILER = "Translated-from"


def article_path(scope: str, topic: str, lang: str) -> str:
    return f"articles/{check_path_part(scope)}/{check_path_part(topic)}/{check_path_part(lang)}.md"


def _languages(history: ContentHistory) -> list[str]:
    from admin_sync.server.console.item_pages import _ids

    return _ids(history, "languages.yaml")


def articles_index(history: ContentHistory) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for path in history.files():
        match = _ARTICLE.match(path)
        if match:
            found.setdefault((match.group(1), match.group(2)), []).append(match.group(3))
    return found


@router.get("/articles")
def article_list(you: SignedInDep, history: HistoryDep, scope: str = "") -> Response:
    index = articles_index(history)
    scopes = sorted({s for s, _ in index})
    rows = [(s, t, langs) for (s, t), langs in sorted(index.items()) if not scope or s == scope]
    return you.render(
        "articles.html",
        title="Articles",
        rows=rows,
        scopes=scopes,
        scope=scope,
        languages=_languages(history),
    )


def _page(
    you: SignedIn,
    history: ContentHistory,
    *,
    scope: str,
    topic: str,
    lang: str,
    source_lang: str,
    values: dict[str, Any],
    body: str,
    base: str,
    edit: ItemEdit | None = None,
    status: int = 200,
    ok: str = "",
    conflict: EditConflict | None = None,
) -> Response:
    languages = _languages(history)
    source_text = None
    if source_lang and source_lang != lang:
        raw = history.read(article_path(scope, topic, source_lang))
        source_text = raw.decode("utf-8") if raw else None
    fields = [
        {
            "spec": spec,
            "value": ", ".join(values.get(spec.name) or [])
            if spec.type == "texts"
            else values.get(spec.name, ""),
            "problems": (edit.problems if edit else {}).get(spec.name, []),
            "warnings": (edit.warnings if edit else {}).get(spec.name, []),
        }
        for spec in FIELDS["article"]
    ]
    return you.render(
        "article_form.html",
        status=status,
        title=f"Article {scope}/{topic} in {lang}",
        scope=scope,
        topic=topic,
        lang=lang,
        source_lang=source_lang,
        source_text=source_text,
        languages=languages,
        fields=fields,
        body=body,
        body_problems=(edit.problems if edit else {}).get("body", []),
        body_warnings=(edit.warnings if edit else {}).get("body", []),
        other=(edit.problems if edit else {}).get("", []),
        failed=bool(edit and edit.problems),
        base=base,
        ok=ok,
        conflict=conflict,
        file=article_path(scope, topic, lang),
    )


@router.get("/articles/edit")
def article_form(
    you: SignedInDep,
    history: HistoryDep,
    scope: str = "",
    topic: str = "",
    lang: str = "",
    source: str = "en",
) -> Response:
    head = history.head()
    if head is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    try:
        path = article_path(scope, topic, lang)
        check_path_part(source)
    except HistoryError as exc:
        return you.error(404, str(exc))
    raw = history.read(path)
    if raw is None:  # a missing translation: start from the source's details, no text
        raw = history.read(article_path(scope, topic, source))
        if raw is None:
            return you.error(404, f"There is no article {scope}/{topic}.")
        values, _ = split_article(raw.decode("utf-8"))
        body = ""
    else:
        values, body = split_article(raw.decode("utf-8"))
    return _page(
        you,
        history,
        scope=scope,
        topic=topic,
        lang=lang,
        source_lang=source if source != lang else "",
        values=values,
        body=body,
        base=head,
    )


@router.post("/articles/save")
def article_save(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "change content"))],
    history: HistoryDep,
    audit: AuditDep,
    clock: ClockDep,
) -> Response:
    scope, topic, lang = form.text("scope", 64), form.text("topic", 64), form.text("lang", 16)
    source_lang, base = form.text("source_lang", 16), form.text("base", 64)
    head = history.head()
    try:
        path = article_path(scope, topic, lang)
        if source_lang:
            check_path_part(source_lang)
    except HistoryError as exc:
        return you.error(400, str(exc))
    if head is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    values: dict[str, Any] = {}
    for spec in FIELDS["article"]:
        text = form.text(spec.name, 2000)
        values[spec.name] = (
            [p.strip() for p in text.split(",") if p.strip()] if spec.type == "texts" else text
        )
    body = form.raw("body").replace("\r\n", "\n")[:200_000]
    edit = ItemEdit("article", path, values)
    common: dict[str, Any] = dict(scope=scope, topic=topic, lang=lang, source_lang=source_lang)
    try:
        theirs = history.read(path, head)
        mine_base = history.read(path, base) if base else None
    except HistoryError as exc:
        return you.error(400, str(exc))
    if base and base != head and theirs != mine_base:
        revision = history.log(path, limit=1)[0]
        conflict = EditConflict(path, base, revision, theirs)
        return _page(
            you,
            history,
            **common,
            values=values,
            body=body,
            base=head,
            status=409,
            conflict=conflict,
            edit=edit,
        )
    original = theirs.decode("utf-8", errors="replace") if theirs else None
    text = render_front_matter(values, original) + body.strip("\n") + "\n"
    with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
        folder = history.export(Path(tmp) / "content", head)
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        report = validate_source(folder, today=clock().date())
    front_end = text.split("\n").index("---", 1) + 1  # the closing --- line (1-based)
    key_line = {i + 1: line.split(":", 1)[0] for i, line in enumerate(text.split("\n")[:front_end])}
    recordings = (f"audio/article.{scope}.{topic}.",) + (
        (f"audio/checklist.{scope}.",) if topic == CHECKLIST_TOPIC else ()
    )
    for problem in report.sorted():
        if (  # this article's recordings: "recording is for an older text" after an edit
            problem.severity == "warning"
            and problem.file.startswith(recordings)
            and problem.file.endswith(f".{lang}.ogg")
        ):
            edit.warnings.setdefault("body", []).append(f"{problem.file}: {problem.message}")
            continue
        if problem.file != path:
            continue
        name = "body" if problem.line > front_end else key_line.get(problem.line, "")
        if name not in values and name != "body":
            name = ""
        target_map = edit.problems if problem.severity == "error" else edit.warnings
        where = (
            f"line {problem.line - front_end} of the text"
            if name == "body"
            else f"line {problem.line}"
        )
        target_map.setdefault(name, []).append(f"{where}: {problem.message}")
    if not edit.ok:
        return _page(
            you,
            history,
            **common,
            values=values,
            body=body,
            base=base or head,
            status=422,
            edit=edit,
        )
    message = f"{'Edit' if theirs else 'Write'} article {scope}/{topic} in {lang}"
    if source_lang:
        blob = history.blob_id(article_path(scope, topic, source_lang), head)
        if blob:
            message += f"\n\n{TRAILER}: {source_lang} {blob}"
    try:
        commit = history.commit_files(
            {path: text.encode("utf-8")}, author=you.user.name, message=message, base=head
        )
    except EditConflict:
        edit.add("", "Someone saved this article at the same moment; save again.")
        return _page(
            you, history, **common, values=values, body=body, base=base, status=409, edit=edit
        )
    audit.record(
        you.user.name, "edit", f"article {scope}/{topic}/{lang}", commit[:10], via="console"
    )
    return _page(
        you,
        history,
        **common,
        values=values,
        body=body,
        base=commit,
        edit=edit,
        ok=f"Saved as version {commit[:10]}. It reaches kiosks with the next published release.",
    )
