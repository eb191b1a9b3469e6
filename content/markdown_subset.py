"""The safe Markdown subset of articles: checking it, and parsing it into blocks for the kiosk.

Allowed: headings `#` to `###`, paragraphs, bulleted and numbered lists (not nested), **bold**,
*italic*, links and images from the release's `assets/`. Links go to another article
(`article:SCOPE/TOPIC`), an `https://` address, a phone (`tel:+998...`) or a messenger
(`tg:`, `viber:`, `whatsapp:`). Everything else (raw HTML, scripts, tables, code, block
quotes, other link schemes) is refused by `check_markdown` and never reaches a kiosk.

Marks: a heading or a list item may end with an attribute block in braces, `{for=KG}` or
`{for=UZ,TM picture=checklist/keep-your-passport.svg}`. `for` names the nationalities (home
country ids) a section or an item is for: a heading's mark covers the section, the heading and
everything after it until the next heading of the same or a higher level; an item's mark covers
that item. `picture` (list items only) names an image inside the release's `assets/` (SVG or
PNG) shown beside the item. The marks are taken out of the text before it is parsed, so they
never show; their nationality ids and pictures are checked against the release by the
validator (`MarkdownCheck.nationalities`, `.pictures`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_HEADING_LEVEL = 3
ALLOWED_LINK_SCHEMES: tuple[str, ...] = ("https", "tel", "article", "tg", "viber", "whatsapp")
ARTICLE_LINK = re.compile(r"^article:([A-Za-z0-9-]+)/([a-z0-9-]+)$")
TEL_LINK = re.compile(r"^tel:(\+[1-9]\d{6,14}|\d{2,6})$")
ASSET_PATH = re.compile(r"^assets/(?!.*\.\.)[A-Za-z0-9._/-]+$")
MARK_KEYS: tuple[str, ...] = ("for", "picture")
PICTURE_TYPES: tuple[str, ...] = (".svg", ".png")
# A trailing attribute block: braces holding at least one `key=value` (other braces are text).
_TRAILING_MARKS = re.compile(r"[ \t]*\{([^{}]*=[^{}]*)\}[ \t]*$")
_NATIONALITY = re.compile(r"^[A-Z]{2}$")
_PICTURE_PATH = re.compile(r"^(?!/)(?!.*\.\.)[A-Za-z0-9._/-]+$")

_BLOCK_NAMES = {
    "table_open": "tables",
    "fence": "code blocks",
    "code_block": "code blocks (lines indented by 4 spaces)",
    "blockquote_open": "block quotes (lines starting with >)",
    "hr": "horizontal lines (---, ***)",
}


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Block:
    """One block of an article as the kiosk shows it.

    kind: "heading" (level 1-3), "paragraph", "bullets", "numbers" or "image" (text = the
    image's description, src = its path under the release, e.g. `assets/maps/ru.png`).
    text and items are rich text: HTML-escaped, with <b> and <i> only (QML Text.StyledText).
    only: the nationalities the block is for (its section's marks), () for everyone.
    item_only, pictures: per item (parallel to items), the item's nationalities (its own and its
    section's marks) and its picture (a path inside assets/, "" none); () when no item has one.
    """

    kind: str
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    src: str = ""
    only: tuple[str, ...] = ()
    item_only: tuple[tuple[str, ...], ...] = ()
    pictures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Marks:
    """The attribute block at the end of a heading or list item line."""

    nationalities: tuple[str, ...] = ()  # `for=`: () when not given
    picture: str = ""  # `picture=`: a path inside assets/, "" when not given


@dataclass(frozen=True)
class ArticleLink:
    """A link to another article, found at `line` (1-based, within the Markdown text)."""

    line: int
    scope: str
    topic: str


@dataclass
class MarkdownCheck:
    problems: list[tuple[int, str]] = field(default_factory=list)  # (1-based line, message)
    article_links: list[ArticleLink] = field(default_factory=list)
    images: list[tuple[int, str]] = field(default_factory=list)  # (line, path)
    nationalities: list[tuple[int, str]] = field(default_factory=list)  # (line, id) of `for=`
    pictures: list[tuple[int, str]] = field(default_factory=list)  # (line, path in assets/)


@cache
def _parser() -> MarkdownIt:
    """One configured parser, made on first use (parsing keeps no state in it)."""
    md = MarkdownIt("commonmark").enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # judge every link ourselves, never drop one silently
    return md


def check_markdown(markdown: str) -> list[tuple[int, str]]:
    """Problems with the Markdown as (1-based line within `markdown`, message)."""
    return inspect_markdown(markdown).problems


def inspect_markdown(markdown: str) -> MarkdownCheck:
    """Check the Markdown against the safe subset; also collect article links, images and the
    nationalities and pictures of the marks."""
    result = MarkdownCheck()
    markdown, marks, problems = split_marks(markdown)
    result.problems.extend(problems)
    for line, mark in sorted(marks.items()):
        result.nationalities.extend((line + 1, n) for n in mark.nationalities)
        if mark.picture:
            result.pictures.append((line + 1, mark.picture))
    tokens = _parser().parse(markdown)
    result.problems.extend(_blocks(tokens, marks)[1])
    result.problems.sort(key=lambda p: p[0])
    list_depth = 0
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        if token.type in _BLOCK_NAMES:
            result.problems.append((line, f"{_BLOCK_NAMES[token.type]} are not supported"))
        elif token.type == "html_block":
            result.problems.append((line, _html_problem(token.content)))
        elif token.type == "heading_open" and int(token.tag[1]) > MAX_HEADING_LEVEL:
            result.problems.append(
                (line, f"heading level {token.tag[1]} is not supported (use # to ###)")
            )
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
            if list_depth > 1:
                result.problems.append((line, "lists inside lists are not supported"))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "inline":
            _check_inline(token, line, result)
    return result


def _html_problem(content: str) -> str:
    if re.search(r"<\s*script", content, re.IGNORECASE):
        return "a <script> is not allowed in articles"
    snippet = content.strip().splitlines()[0][:40] if content.strip() else content
    return f"raw HTML is not allowed in articles ({snippet!r})"


def _check_inline(token: Token, line: int, result: MarkdownCheck) -> None:
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "html_inline":
            result.problems.append((line, _html_problem(child.content)))
        elif child.type == "code_inline":
            result.problems.append((line, "code (text between `backticks`) is not supported"))
        elif child.type == "image":
            src = str(child.attrs.get("src", ""))
            if ASSET_PATH.match(src):
                result.images.append((line, src))
            else:
                result.problems.append(
                    (line, f"the image {src!r} is not in the release's assets/ folder")
                )
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            problem = _link_problem(href)
            if problem:
                result.problems.append((line, problem))
            elif match := ARTICLE_LINK.match(href):
                result.article_links.append(ArticleLink(line, match.group(1), match.group(2)))


def _link_problem(href: str) -> str | None:
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme not in ALLOWED_LINK_SCHEMES:
        if scheme == "http":
            return f"the link {href!r} must use https://"
        allowed = ", ".join(f"{s}:" for s in ALLOWED_LINK_SCHEMES)
        return f"the link {href!r} is not allowed (links may only be {allowed})"
    if scheme == "article" and not ARTICLE_LINK.match(href):
        return f"the article link {href!r} must look like article:SCOPE/TOPIC"
    if scheme == "tel" and not TEL_LINK.match(href):
        return f"the phone link {href!r} must be tel: with an E.164 number like tel:+998712000000"
    if scheme == "https" and not re.match(r"^https://[^\s/]+", href):
        return f"the link {href!r} has no address after https://"
    return None


# --- Parsing into blocks -------------------------------------------------------------------------


def parse_article(markdown: str) -> tuple[list[Block], list[Link]]:
    """`parse_blocks` and `extract_links` of the same Markdown, parsed once (the builder's
    single pass over each article)."""
    markdown, marks, _ = split_marks(markdown)
    tokens = _parser().parse(markdown)
    return _blocks(tokens, marks)[0], _links(tokens)


def parse_blocks(markdown: str) -> list[Block]:
    """The article body as blocks for the kiosk (assumes `check_markdown` found no problem;
    anything outside the subset is dropped, never passed through)."""
    markdown, marks, _ = split_marks(markdown)
    return _blocks(_parser().parse(markdown), marks)[0]


def extract_links(markdown: str) -> list[Link]:
    """Every allowed link of the article, in order, without duplicates (shown as QR codes)."""
    return _links(_parser().parse(split_marks(markdown)[0]))


def _blocks(
    tokens: list[Token], marks: dict[int, Marks]
) -> tuple[list[Block], list[tuple[int, str]]]:
    """The blocks, each with the nationalities its section (and item) marks give it, and the
    problems of marks nobody can see (an item for UZ in a section for KG)."""
    blocks: list[Block] = []
    problems: list[tuple[int, str]] = []
    sections: list[tuple[int, tuple[str, ...]]] = []  # open headings: (level, their marks)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        only = _section_only(sections)
        if token.type == "heading_open":
            level = min(int(token.tag[1]), MAX_HEADING_LEVEL)
            line = token.map[0] if token.map else 0
            while sections and sections[-1][0] >= level:
                sections.pop()
            only = _section_only(sections)
            own = marks[line].nationalities if line in marks else ()
            only = _narrow(only, own, line, problems)
            sections.append((level, own))
            text = _rich_text(tokens[i + 1])
            blocks.append(Block("heading", text, level=level, only=only))
            i += 3
        elif token.type == "paragraph_open":
            inline = tokens[i + 1]
            blocks.extend(replace(b, only=only) for b in _image_blocks(inline))
            text = _rich_text(inline)
            if text.strip():
                blocks.append(Block("paragraph", text, only=only))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            items: list[str] = []
            item_only: list[tuple[str, ...]] = []
            pictures: list[str] = []
            depth = 0
            i += 1
            while i < len(tokens) and not (tokens[i].type == close and depth == 0):
                t = tokens[i]
                if t.type == token.type:
                    depth += 1
                elif t.type == close:
                    depth -= 1
                elif t.type == "list_item_open" and depth == 0:
                    mark = _item_marks(t, marks)
                    line = _item_mark_line(t, marks)
                    item_only.append(_narrow(only, mark.nationalities, line, problems))
                    pictures.append(mark.picture)
                elif t.type == "inline" and len(items) < len(item_only):
                    items.append(_rich_text(t))
                elif t.type == "inline" and items:  # an item's next paragraph: the same item
                    items[-1] = f"{items[-1]} {_rich_text(t)}".strip()
                i += 1
            item_only = item_only[: len(items)]
            pictures = pictures[: len(items)]
            kind = "bullets" if token.type == "bullet_list_open" else "numbers"
            blocks.append(
                Block(
                    kind,
                    items=tuple(items),
                    only=only,
                    item_only=tuple(item_only) if any(x != only for x in item_only) else (),
                    pictures=tuple(pictures) if any(pictures) else (),
                )
            )
            i += 1
        else:
            i += 1
    return blocks, problems


def _section_only(sections: list[tuple[int, tuple[str, ...]]]) -> tuple[str, ...]:
    only: tuple[str, ...] = ()
    for _, own in sections:
        if own:
            only = tuple(n for n in only if n in own) if only else own
    return only


def _narrow(
    only: tuple[str, ...], own: tuple[str, ...], line: int, problems: list[tuple[int, str]]
) -> tuple[str, ...]:
    """The nationalities of a section or item marked `own` inside a part for `only`."""
    if not own:
        return only
    if not only:
        return own
    both = tuple(n for n in own if n in only)
    if not both:
        problems.append(
            (
                line + 1,
                f"{{for={','.join(own)}}} is inside a section for {','.join(only)}: nobody "
                "would see it (mark it for one of the section's nationalities, or move it)",
            )
        )
    return both or ("-",)  # "-": shown to nobody (reported above)


def _item_mark_line(item: Token, marks: dict[int, Marks]) -> int:
    start, end = item.map if item.map else (0, 1)
    return next((n for n in range(start, end) if n in marks), start)


def _item_marks(item: Token, marks: dict[int, Marks]) -> Marks:
    return marks.get(_item_mark_line(item, marks), Marks())


# --- Marks ---------------------------------------------------------------------------------------


def split_marks(markdown: str) -> tuple[str, dict[int, Marks], list[tuple[int, str]]]:
    """The Markdown without its marks (same lines), the marks by 0-based line, and problems.

    A mark is read at the end of a heading's line or of a list item's last line; braces
    holding `key=value` at the end of a paragraph are reported (marks go on headings and items).
    """
    markdown = markdown.replace("\r\n", "\n")
    lines = markdown.split("\n")
    marks: dict[int, Marks] = {}
    problems: list[tuple[int, str]] = []
    in_item = 0
    for token in _parser().parse(markdown):
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        if not token.map or token.type not in (
            "heading_open",
            "list_item_open",
            "paragraph_open",
        ):
            continue
        start, end = token.map
        if token.type == "heading_open":
            last = start
        else:
            last = max((n for n in range(start, end) if lines[n].strip()), default=start)
        found = _TRAILING_MARKS.search(lines[last])
        if found is None:
            continue
        if token.type == "paragraph_open":
            if not in_item:
                problems.append(
                    (
                        last + 1,
                        f"marks {found.group(0).strip()} go at the end of a heading or a list "
                        "item, not of a paragraph: put the paragraph under a marked heading",
                    )
                )
            continue
        what = "heading" if token.type == "heading_open" else "list item"
        mark = _read_marks(found.group(1), what, last + 1, problems)
        if mark is not None:
            marks[start if token.type == "heading_open" else last] = mark
        lines[last] = lines[last][: found.start()]
    return "\n".join(lines), marks, problems


def _read_marks(text: str, what: str, line: int, problems: list[tuple[int, str]]) -> Marks | None:
    known = ", ".join(MARK_KEYS)
    values: dict[str, str] = {}
    for part in text.split():
        key, sep, value = part.partition("=")
        if not sep or not value:
            problems.append(
                (line, f"{{{text}}}: write each mark as key=value, like for=KG ({part!r})")
            )
            return None
        if key not in MARK_KEYS:
            problems.append((line, f"unknown mark {key!r} in {{{text}}} (known: {known})"))
            return None
        if key in values:
            problems.append((line, f"the mark {key!r} is given twice in {{{text}}}"))
            return None
        values[key] = value
    nationalities = tuple(n for n in values.get("for", "").split(",") if n)
    for n in nationalities:
        if not _NATIONALITY.match(n):
            problems.append(
                (
                    line,
                    f"for={values['for']}: {n!r} is not a country id; write home country ids "
                    "in capitals, separated by commas without spaces, like for=UZ,TM",
                )
            )
            return None
    if "for" in values and len(set(nationalities)) != len(nationalities):
        problems.append((line, f"for={values['for']} names a country twice"))
        return None
    picture = values.get("picture", "").removeprefix("assets/")
    if picture:
        if what == "heading":
            problems.append((line, "a picture goes on a list item, not on a heading"))
            return None
        if not _PICTURE_PATH.match(picture) or not picture.lower().endswith(PICTURE_TYPES):
            problems.append(
                (
                    line,
                    f"picture={values['picture']} must be an SVG or PNG file inside the "
                    "release's assets/ folder, like picture=checklist/receipt.svg",
                )
            )
            return None
    return Marks(nationalities, picture)


def _links(tokens: list[Token]) -> list[Link]:
    links: dict[str, Link] = {}
    for token in tokens:
        children = token.children or []
        for k, child in enumerate(children):
            if child.type != "link_open":
                continue
            href = str(child.attrs.get("href", ""))
            if _link_problem(href) is not None or href in links:
                continue
            label_parts: list[str] = []
            for c in children[k + 1 :]:
                if c.type == "link_close":
                    break
                if c.type in ("text", "softbreak"):
                    label_parts.append(c.content or " ")
            links[href] = Link("".join(label_parts).strip(), href)
    return list(links.values())


def _image_blocks(inline: Token) -> list[Block]:
    return [
        Block("image", html.escape(c.content), src=str(c.attrs.get("src", "")))
        for c in inline.children or []
        if c.type == "image" and ASSET_PATH.match(str(c.attrs.get("src", "")))
    ]


def _rich_text(inline: Token) -> str:
    out: list[str] = []
    for child in inline.children or []:
        if child.type == "text":
            out.append(html.escape(child.content, quote=False))
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("<br>")
        elif child.type == "strong_open":
            out.append("<b>")
        elif child.type == "strong_close":
            out.append("</b>")
        elif child.type == "em_open":
            out.append("<i>")
        elif child.type == "em_close":
            out.append("</i>")
        # links keep their label text (the address is shown as a QR code); HTML, code and
        # images are dropped.
    return "".join(out).strip()
