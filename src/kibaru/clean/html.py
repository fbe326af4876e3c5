"""HTML main text and metadata through trafilatura, plus the list of what was dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html

from ..errors import InputError
from ..ingest import decode_bytes
from ..model import Removed
from .boilerplate import load_rules, split_blocks

__all__ = ["HtmlPage", "extract_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "a", "td")
_REGIONS = {"nav": "navigation", "footer": "footer", "aside": "related-link"}


@dataclass(frozen=True)
class HtmlPage:
    """What an HTML page yields: main ``text`` (lines), ``title``, ``published`` (ISO or None)
    and the boilerplate blocks found on the page with their reasons."""

    text: str
    title: str | None
    published: str | None
    removed: tuple[Removed, ...]


def _dropped_blocks(tree: lxml_html.HtmlElement, kept: str) -> list[Removed]:
    rules = load_rules()
    out: list[Removed] = []
    seen: set[str] = set()
    for el in tree.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        reason = _REGIONS.get(tag)
        if reason is None:
            if tag not in _BLOCKS:
                continue
            if tag == "div" and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
                continue
        text = " ".join(el.text_content().split())
        if not text or text in seen or text in kept:
            continue
        why = rules.reason(text)
        if why is None and reason is not None:
            why = reason
        if why is None:
            continue
        seen.add(text)
        out.append(Removed(text=text[:500], reason=why))
    return out


def extract_html(data: bytes | str, source: str) -> HtmlPage:
    """Extract the article from an HTML page.

    ``data`` may be bytes (the page's ``<meta charset>`` is honoured, then detection) or text.
    Raises :class:`InputError` ``K110`` when no article text can be found (e.g. a page cut off
    before its body).
    """
    if isinstance(data, bytes):
        m = _META_CHARSET.search(data[:4096])
        text, _ = decode_bytes(data, source, declared=m.group(1).decode("ascii") if m else None)
    else:
        text = data
        if not text.strip():
            raise InputError(source, "empty input: nothing to read", code="K101")
    try:
        result = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=False,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura/lxml errors are wrapped where they enter
        raise InputError(source, f"HTML could not be parsed ({type(exc).__name__})",
                         code="K110") from exc
    body = (getattr(result, "text", None) or "") if result is not None else ""
    if not body.strip():
        raise InputError(source, "no article text found in the HTML (truncated or empty page?)",
                         code="K110")
    title = getattr(result, "title", None) or None
    published = getattr(result, "date", None) or None
    removed: list[Removed] = []
    try:
        tree = lxml_html.fromstring(text)
        removed = _dropped_blocks(tree, "\n".join(split_blocks(body)))
    except Exception:  # the removed list is informative; a broken tree must not fail the page  # noqa: BLE001
        removed = []
    return HtmlPage(text=body, title=title, published=published, removed=tuple(removed))
