"""Folder text is Markdown, shown as sanitized HTML: raw HTML is escaped by the parser, and what it produces is
cleaned again against an allow-list, so no script or event handler can reach a reader's browser."""

import nh3
from markdown_it import MarkdownIt

# CommonMark with tables and strikethrough; "html": False escapes any HTML typed into the text.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])
_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def to_html(text: str) -> str:
    return nh3.clean(
        _parser.render(text),
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def to_lines(text: str) -> list[tuple[str, str]]:
    """The text as (kind, line) pairs for documents: kind is "heading", "bullet" or "paragraph", without markup."""
    result: list[tuple[str, str]] = []
    in_heading, lists = False, 0
    for token in _parser.parse(text):
        if token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif token.type == "inline" and token.content.strip():
            words = [c.content if c.type != "softbreak" else " " for c in token.children or []]
            kind = "heading" if in_heading else "bullet" if lists else "paragraph"
            result.append((kind, "".join(words).strip() or token.content))
    return result
