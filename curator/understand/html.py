"""HTML body → plain text, with the quoted mail that clients wrap in markup removed.

Used only for HTML-only mail (text/plain is preferred), so BeautifulSoup's cost is paid rarely.
The selectors follow talon's ``html_quotations.py`` and Discourse's per-client extractors.
"""

from __future__ import annotations

import re
import warnings
from html import unescape

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from bs4.element import NavigableString, Tag

# Containers that hold only quoted mail: removed with their content.
_QUOTE_SELECTORS = (
    ".gmail_quote",  # Gmail web and apps: <div class="gmail_quote">On … wrote:<blockquote…>
    "blockquote[type=cite]",  # Apple Mail, iOS Mail, Thunderbird
    ".moz-cite-prefix",  # Thunderbird's "On … wrote:" line above the cite blockquote
    ".yahoo_quoted",  # Yahoo Mail web and apps
    ".protonmail_quote",  # Proton Mail
    "[data-marker=__QUOTED_TEXT__]",  # Zimbra
    ".zmail_extra",  # Zoho Mail
    ".AppleOriginalContents",  # Apple Mail forwards
    "#mail-editor-reference-message-container",  # Outlook for Mac (new)
)

# Markers after which everything is quoted mail: the marker and all that follows go.
_CUT_SELECTORS = (
    "#divRplyFwdMsg",  # Outlook web / mobile: the From/Sent block above the original
    "#appendonsend",  # Outlook web: inserted just before the quoted original
    "#OLK_SRC_BODY_SECTION",  # Outlook for Mac
    "hr#stopSpelling",  # Hotmail / Windows Live Mail
    "[data-marker=__DIVIDER__]",  # Zimbra's <hr> above the quote
    ".OutlookMessageHeader",  # Outlook 2003
)

# Outlook desktop puts the header block in a div with a top border and no class or id.
_OUTLOOK_BORDER = re.compile(r"border-top:\s*solid\s+#(?:E1E1E1|B5C4DF)", re.I)

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "dd",
        "div",
        "dl",
        "dt",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"})
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "meta", "noscript", "template"})


# Past this many tags the markup is not a typed reply (a pasted page, a newsletter, or an
# attack on the parser): strip the tags with a regex instead of building a tree.
MAX_TAGS = 4000
_TAG = re.compile(r"<[^>]*>")
_BLOCK_TAG = re.compile(r"<\s*(?:br|/?p|/?div|/?tr|/?li|/?h[1-6])\b[^>]*>", re.I)


def html_to_text(html: str) -> str:
    return html_to_text_and_quotes(html)[0]


def html_to_text_and_quotes(html: str) -> tuple[str, str]:
    """The text of an HTML body, and the text of the quoted mail removed from it."""
    if html.count("<") > MAX_TAGS:
        return _strip_tags(html), ""
    try:
        return _soup_to_text(html)
    except RecursionError:  # absurdly deep nesting
        return _strip_tags(html), ""


def _strip_tags(html: str) -> str:
    text = _TAG.sub(" ", _BLOCK_TAG.sub("\n", html))
    lines = (" ".join(line.split()) for line in unescape(text).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _soup_to_text(html: str) -> tuple[str, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    removed = remove_quotes(soup)
    return _render(soup), "\n\n".join(t for t in (_render(node) for node in removed) if t)


def _render(node: Tag) -> str:
    out: list[str] = []
    _emit(node, out, preformatted=False)
    return _SEPARATORS.sub(_join_break, "".join(out)).strip()


# While emitting, block edges are marked _SOFT (a line break) or _PARA (a blank line), and
# <br> is a hard "\n"; a run of them is resolved at the end, the way a browser lays them out.
_SOFT = "\x00"
_PARA = "\x01"
_SEPARATORS = re.compile(r"[ \t]*(?:[\x00\x01\n][ \t]*)+")


def _join_break(match: re.Match[str]) -> str:
    run = match.group(0)
    lines = run.count("\n")
    if _SOFT in run:
        lines = max(lines, 1)
    if _PARA in run:
        lines = max(lines, 2)
    return "\n" * min(lines, 2)


def remove_quotes(soup: BeautifulSoup) -> list[Tag]:
    """Take the quoted mail out of ``soup``; return what was taken, in document order."""
    removed: list[Tag] = []
    for selector in _QUOTE_SELECTORS:
        for node in soup.select(selector):
            removed.append(node.extract())
    for selector in _CUT_SELECTORS:
        marker = soup.select_one(selector)
        if marker is not None:
            removed.append(_cut_from(marker))
    for div in soup.find_all("div", style=_OUTLOOK_BORDER):
        if isinstance(div, Tag) and div.parent is not None:
            # The bordered header block may sit inside a wrapper div: cut from the wrapper.
            removed.append(_cut_from(div))
            break
    return removed


def _cut_from(node: Tag) -> Tag:
    """Remove ``node`` and everything after it in document order; return them in a <div>."""
    taken = Tag(name="div")
    current: Tag | None = node
    while current is not None and current.name not in ("body", "[document]", "html"):
        following = list(current.next_siblings)
        parent = current.parent
        if current is node:
            taken.append(current.extract())
        for sibling in following:
            taken.append(sibling.extract())
        current = parent if isinstance(parent, Tag) else None
    return taken


def _emit(node: Tag, out: list[str], preformatted: bool) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is not NavigableString:
                continue  # comments, doctype, CDATA
            text = str(child)
            out.append(text if preformatted else re.sub(r"\s+", " ", text))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP_TAGS:
            continue
        name = child.name
        if name == "br":
            out.append("\n")
            continue
        block = name in _BLOCK_TAGS
        if block and not child.get_text().strip():
            # <div><br></div> (Gmail) and <p>&nbsp;</p> (Outlook) are blank lines.
            out.append(_PARA if child.find("br") or name == "p" else _SOFT)
            continue
        # Word and Outlook write one <p class=MsoNormal> per line, blank lines as &nbsp;.
        gap = _PARA if name in _PARAGRAPH_TAGS and not _is_word_line(child) else _SOFT
        if block:
            out.append(gap)
        if name == "blockquote":
            inner: list[str] = []
            _emit(child, inner, preformatted)
            quoted = "".join(inner).strip("\n")
            out.append("\n".join("> " + line for line in quoted.split("\n")))
        else:
            _emit(child, out, preformatted or name == "pre")
        if name in ("td", "th"):
            out.append(" ")
        if block:
            out.append(gap)


def _is_word_line(tag: Tag) -> bool:
    classes: list[str] | str = tag.get("class") or []
    return any(str(c).lower().startswith("mso") for c in classes)
