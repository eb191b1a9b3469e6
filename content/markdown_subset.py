"""The safe Markdown subset of articles: checking it, and parsing it into blocks for the kiosk.

Allowed: headings `#` to `###`, paragraphs, bulleted and numbered lists (not nested), **bold**,
*italic*, links and images from the release's `assets/`. Links go to another article
(`article:SCOPE/TOPIC`), an `https://` address, a phone (`tel:+998...`) or a messenger
(`tg:`, `viber:`, `whatsapp:`). Everything else (raw HTML, scripts, tables, code, block
quotes, other link schemes) is refused by `check_markdown` and never reaches a kiosk.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

MAX_HEADING_LEVEL = 3
ALLOWED_LINK_SCHEMES: tuple[str, ...] = ("https", "tel", "article", "tg", "viber", "whatsapp")
ARTICLE_LINK = re.compile(r"^article:([A-Za-z0-9-]+)/([a-z0-9-]+)$")
TEL_LINK = re.compile(r"^tel:(\+[1-9]\d{6,14}|\d{2,6})$")
ASSET_PATH = re.compile(r"^assets/(?!.*\.\.)[A-Za-z0-9._/-]+$")

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
    """

    kind: str
    text: str = ""
    level: int = 0
    items: tuple[str, ...] = ()
    src: str = ""


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
    """Check the Markdown against the safe subset; also collect article links and images."""
    result = MarkdownCheck()
    tokens = _parser().parse(markdown)
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
    tokens = _parser().parse(markdown)
    return _blocks(tokens), _links(tokens)


def parse_blocks(markdown: str) -> list[Block]:
    """The article body as blocks for the kiosk (assumes `check_markdown` found no problem;
    anything outside the subset is dropped, never passed through)."""
    return _blocks(_parser().parse(markdown))


def extract_links(markdown: str) -> list[Link]:
    """Every allowed link of the article, in order, without duplicates (shown as QR codes)."""
    return _links(_parser().parse(markdown))


def _blocks(tokens: list[Token]) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            text = _rich_text(tokens[i + 1])
            blocks.append(Block("heading", text, level=min(int(token.tag[1]), MAX_HEADING_LEVEL)))
            i += 3
        elif token.type == "paragraph_open":
            inline = tokens[i + 1]
            blocks.extend(_image_blocks(inline))
            text = _rich_text(inline)
            if text.strip():
                blocks.append(Block("paragraph", text))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            close = token.type.replace("_open", "_close")
            items: list[str] = []
            depth = 0
            i += 1
            while i < len(tokens) and not (tokens[i].type == close and depth == 0):
                t = tokens[i]
                if t.type == token.type:
                    depth += 1
                elif t.type == close:
                    depth -= 1
                elif t.type == "inline":
                    items.append(_rich_text(t))
                i += 1
            kind = "bullets" if token.type == "bullet_list_open" else "numbers"
            blocks.append(Block(kind, items=tuple(items)))
            i += 1
        else:
            i += 1
    return blocks


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
