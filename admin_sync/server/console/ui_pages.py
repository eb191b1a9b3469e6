"""The UI strings of one language as a table: each key, the English text, this language's text
and its length limit (`content.validate.ui_text_limit`), shown and enforced.

A save changes only the strings whose text changed: their lines are rewritten, the other lines
(comments included) stay as they are, a string emptied is removed (the kiosk falls back) and a
new one is added at the end. Two editors: only a string that both changed since the form was
opened is a conflict (shown with the other text, nothing saved); others' changes to other
strings are kept. The checker runs on the whole content; its messages go beside their string.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from admin_sync.content_edit import check_path_part
from admin_sync.content_history import ContentHistory, EditConflict, HistoryError
from admin_sync.server.console.access import RoleRequired, SignedIn, SignedInDep
from admin_sync.server.console.forms import FormDep
from admin_sync.server.console.providers import AuditDep, ClockDep, HistoryDep
from content.problems import Report
from content.validate import ui_text_limit, validate_source
from content.yaml_lines import LineDict, parse_yaml

router = APIRouter(prefix="/console", include_in_schema=False)


def ui_path(lang: str) -> str:
    return f"ui/{check_path_part(lang)}.yaml"


def parse_ui(text: str | None) -> LineDict:
    data = parse_yaml(text or "", "ui", Report())
    if not isinstance(data, LineDict):
        empty = LineDict()
        empty.line, empty.key_lines = 1, {}
        return empty
    return data


def rewrite_ui(text: str, changes: Mapping[str, str]) -> str:
    """`text` with the changed strings' lines rewritten ("" removes), new ones appended."""
    data = parse_ui(text)
    lines = text.splitlines()
    drop: set[int] = set()
    for key, value in changes.items():
        line = data.key_lines.get(key)
        if line is None:
            continue
        if value:
            lines[line - 1] = f"{key}: {json.dumps(value, ensure_ascii=False)}"
        else:
            drop.add(line - 1)
    out = [line for i, line in enumerate(lines) if i not in drop]
    out += [
        f"{k}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in changes.items()
        if v and k not in data.key_lines
    ]
    return "\n".join(out) + "\n"


def _strings(history: ContentHistory, lang: str, rev: str | None = None) -> dict[str, str]:
    raw = history.read(ui_path(lang), rev)
    return {str(k): str(v) for k, v in parse_ui(raw.decode("utf-8") if raw else "").items()}


def _page(
    you: SignedIn,
    history: ContentHistory,
    lang: str,
    *,
    base: str,
    typed: Mapping[str, str] | None = None,
    problems: Mapping[str, list[str]] | None = None,
    conflicts: Mapping[str, str] | None = None,
    status: int = 200,
    ok: str = "",
) -> Response:
    from admin_sync.server.console.item_pages import _ids

    english = _strings(history, "en")
    current = _strings(history, lang)
    keys = list(english) + [k for k in current if k not in english]
    rows = []
    for key in keys:
        value = (typed or {}).get(key, current.get(key, ""))
        rows.append(
            {
                "key": key,
                "english": english.get(key, ""),
                "value": value,
                "limit": ui_text_limit(key),
                "length": len(value),
                "problems": (problems or {}).get(key, []),
                "theirs": (conflicts or {}).get(key),
            }
        )
    return you.render(
        "ui_strings.html",
        status=status,
        title=f"Screen texts in {lang}",
        lang=lang,
        languages=_ids(history, "languages.yaml"),
        rows=rows,
        base=base,
        ok=ok,
        missing=sum(1 for r in rows if not r["value"]),
        failed=bool(problems or conflicts),
        conflicts=conflicts or {},
    )


@router.get("/ui")
def ui_strings(you: SignedInDep, history: HistoryDep, lang: str = "en") -> Response:
    head = history.head()
    if head is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    try:
        ui_path(lang)
    except HistoryError as exc:
        return you.error(404, str(exc))
    return _page(you, history, lang, base=head)


@router.post("/ui/save")
def ui_save(
    form: FormDep,
    you: Annotated[SignedIn, Depends(RoleRequired("editor", "change content"))],
    history: HistoryDep,
    audit: AuditDep,
    clock: ClockDep,
) -> Response:
    lang, base = form.text("lang", 16), form.text("base", 64)
    head = history.head()
    try:
        path = ui_path(lang)
        opened = _strings(history, lang, base or None)
        now = _strings(history, lang)
    except HistoryError as exc:
        return you.error(400, str(exc))
    if head is None:
        return you.error(404, "No content yet: upload a content folder on the releases page.")
    typed = {name[2:]: form.text(name, 1000) for name in form.fields if name.startswith("s.")}
    changes = {k: v for k, v in typed.items() if v != opened.get(k, "")}
    problems: dict[str, list[str]] = {}
    for key, value in changes.items():
        if len(value) > ui_text_limit(key):
            problems.setdefault(key, []).append(
                f"{len(value)} characters: at most {ui_text_limit(key)} fit on the screen"
            )
    conflicts = {k: now.get(k, "(removed)") for k in changes if now.get(k, "") != opened.get(k, "")}
    if conflicts:
        return _page(
            you,
            history,
            lang,
            base=head,
            typed=typed,
            conflicts=conflicts,
            status=409,
            problems=problems,
        )
    if not changes:
        return _page(you, history, lang, base=head, ok="Nothing changed.")
    raw = history.read(path)
    new_text = rewrite_ui(raw.decode("utf-8") if raw else "", changes)
    if not problems:
        with tempfile.TemporaryDirectory(prefix="console-check-") as tmp:
            folder = history.export(Path(tmp) / "content", head)
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(new_text, encoding="utf-8")
            report = validate_source(folder, today=clock().date())
        line_key = {line: str(k) for k, line in parse_ui(new_text).key_lines.items()}
        for problem in report.errors:
            if problem.file == path:
                problems.setdefault(line_key.get(problem.line, ""), []).append(problem.message)
    if problems:
        return _page(you, history, lang, base=base, typed=typed, problems=problems, status=422)
    try:
        commit = history.commit_files(
            {path: new_text.encode("utf-8")},
            author=you.user.name,
            message=f"Screen texts in {lang}: {', '.join(sorted(changes))[:200]}",
            base=head,
        )
    except EditConflict:
        return _page(
            you,
            history,
            lang,
            base=base,
            typed=typed,
            status=409,
            problems={"": ["Someone saved these texts at the same moment; save again."]},
        )
    audit.record(
        you.user.name,
        "edit",
        f"screen texts {lang}",
        f"{len(changes)} changed: {commit[:10]}",
        via="console",
    )
    return _page(
        you,
        history,
        lang,
        base=commit,
        ok=f"{len(changes)} text(s) saved as version {commit[:10]}.",
    )
