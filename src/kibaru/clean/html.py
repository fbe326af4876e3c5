"""HTML main text and metadata through trafilatura, plus the list of what was dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import trafilatura
from lxml import html as lxml_html

from ..errors import InputError
from ..ingest import decode_bytes
from ..model import Removed
from .boilerplate import fold, load_rules, split_blocks

__all__ = ["HtmlPage", "extract_html", "region_reason", "tidy_title"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "a", "td")
_REGIONS = {"nav": "navigation", "footer": "footer", "aside": "related-link"}
#: Containers whose class or id never marks a boilerplate region (they hold the whole page).
_NO_REGION = {"html", "body", "main"}
#: Class-name prefixes that describe a state, not a region ("has-comments", "is-sticky").
_STATE_PREFIXES = ("has-", "no-", "is-", "with-", "show-", "hide-", "js-")
#: (reason, token prefixes) for class/id tokens; the first match wins.
_REGION_TOKENS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("related-link", ("related", "similar", "recommend", "outbrain", "taboola", "readalso",
                      "lireaussi")),
    ("share", ("share", "sharing", "social", "partage", "addthis", "sharethis")),
    ("subscribe", ("newsletter", "subscri", "abonnement", "paywall", "signup")),
    ("comments", ("comment", "disqus")),
    ("footer", ("footer", "pied")),
    ("navigation", ("navbar", "navigation", "menu", "breadcrumb", "ariane")),
)
_NAV_TOKENS = {"nav", "navs", "topnav", "subnav", "sidenav"}
_TOKEN = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TITLE_SEP = re.compile(r"\s+(?:\||-|–|—|·|::|»)\s+")
_DATE_LIKE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")


@dataclass(frozen=True)
class HtmlPage:
    """What an HTML page yields.

    ``text``: the main text as lines (one block per line, trafilatura's output); ``title``:
    the headline without the site name (or None); ``published``: ISO date from the page's
    metadata (or None); ``removed``: boilerplate blocks found on the page, in page order, each
    with its reason (see :func:`region_reason` and ``data/boilerplate.toml``)."""

    text: str
    title: str | None
    published: str | None
    removed: tuple[Removed, ...]


def region_reason(tag: str, attrs: dict[str, str]) -> str | None:
    """The boilerplate reason an element marks by its tag or its class/id, or None.

    ``<nav>`` → navigation, ``<footer>`` → footer, ``<aside>`` → related-link; otherwise a
    class or id token starting with related/similar/recommend → related-link,
    share/social/partage → share, newsletter/subscri/abonnement/paywall → subscribe,
    comment/disqus → comments, footer/pied → footer, nav/menu/breadcrumb → navigation.
    ``<html>``, ``<body>`` and ``<main>`` never mark a region; state classes such as
    ``has-comments`` are ignored.
    """
    if tag in _REGIONS:
        return _REGIONS[tag]
    if tag in _NO_REGION:
        return None
    names = f"{attrs.get('class', '')} {attrs.get('id', '')}".split()
    for name in names:
        if name.lower().startswith(_STATE_PREFIXES):
            continue
        tokens = [t.lower() for t in _TOKEN.findall(name)]
        joined = "".join(tokens)
        for reason, prefixes in _REGION_TOKENS:
            if joined.startswith(prefixes) or any(t.startswith(prefixes) for t in tokens):
                return reason
        if any(t in _NAV_TOKENS for t in tokens):
            return "navigation"
    return None


def _norm(text: str) -> str:
    return " ".join(text.split())


_SKIP = ("script", "style", "noscript", "template", "head")
_BLOCK_LEVEL = (frozenset(_BLOCKS) - {"span", "a"}) | {
    "ul", "ol", "section", "article", "header", "footer", "nav", "aside", "form", "table",
    "tr", "th", "blockquote", "figure", "figcaption", "br", "dd", "dt", "dl", "main"}


def _block_text(el: lxml_html.HtmlElement) -> str:
    """``el``'s text with a space at block boundaries ("<h3>Titre</h3><ul><li>Lien" →
    "Titre Lien", where ``text_content()`` glues "TitreLien"), blanks collapsed."""
    parts: list[str] = []

    def visit(e: lxml_html.HtmlElement) -> None:
        tag = e.tag if isinstance(e.tag, str) else ""
        if tag in _SKIP:
            return
        block = tag in _BLOCK_LEVEL
        if block:
            parts.append(" ")
        if tag and e.text:
            parts.append(e.text)
        for child in e:
            visit(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append(" ")

    visit(el)
    return _norm("".join(parts))


def _walk(root: lxml_html.HtmlElement, long_lines: list[str]
          ) -> Iterator[tuple[lxml_html.HtmlElement, str | None, str | None, str | None]]:
    """``(element, own region reason, inherited region reason, text)`` in document order;
    ``text`` is computed for regions only (None otherwise).

    An element whose text holds a line of the article (``long_lines``) is no boilerplate
    region whatever its class says (a wrapper such as ``<div class="page-with-share">``), and
    passes no region down to its children. Iterative (an explicit stack), so deep pages cost
    no recursion.
    """
    stack: list[tuple[lxml_html.HtmlElement, str | None]] = [(root, None)]
    while stack:
        el, inherited = stack.pop()
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _SKIP:
            continue
        attrib = el.attrib
        own = _region_reason_cached(tag, str(attrib.get("class", "")), str(attrib.get("id", "")))
        text = None
        if own is not None:
            text = _block_text(el)
            if any(line in text for line in long_lines):
                own = inherited = None
        yield el, own, inherited, text
        down = own or inherited
        stack.extend((child, down) for child in reversed(el))


@lru_cache(maxsize=4096)
def _region_reason_cached(tag: str, cls: str, ident: str) -> str | None:
    attrs = {k: v for k, v in (("class", cls), ("id", ident)) if v}
    return region_reason(tag, attrs)


def _dropped_blocks(tree: lxml_html.HtmlElement, kept: str) -> list[Removed]:
    """Blocks of the page that are not in ``kept`` (or that the line rules will drop), with
    the reason: a line rule's, else the region's. A region is listed once, as a whole; a
    region that holds article text is no region (its blocks are judged by the rules)."""
    rules = load_rules()
    kept_norm = _norm(kept)
    long_lines = [line for line in (_norm(x) for x in kept.split("\n")) if len(line) >= 40]
    out: list[Removed] = []
    seen: set[str] = set()
    covered: set[lxml_html.HtmlElement] = set()
    for el, own, inherited, region_text in _walk(tree, long_lines):
        why: str | None
        parent = el.getparent()
        if parent is not None and parent in covered:
            covered.add(el)
            continue
        if own is not None and region_text is not None:
            covered.add(el)
            text = region_text
            if not text or text in seen or text in kept_norm:
                continue
            why = rules.reason(text) or own
        else:
            tag = el.tag if isinstance(el.tag, str) else ""
            if tag not in _BLOCKS:
                continue
            if tag == "div" and any(isinstance(c.tag, str) and c.tag in _BLOCKS for c in el):
                continue
            text = _block_text(el)
            if not text or text in seen:
                continue
            rule = rules.reason(text)
            if text in kept_norm and rule is None:
                continue
            why = rule or inherited
        if why is None:
            continue
        seen.add(text)
        out.append(Removed(text=text[:500], reason=why))
    return out


def _site_key(s: str) -> str:
    s = fold(s)
    s = re.sub(r"^(https?://)?(www\.)?", "", s)
    s = re.sub(r"\.(com|fr|net|org|info|eu|ch|be|ca|tn|sn|ml|ci|bf|ne|cm|ma|dz)/?$", "", s)
    return re.sub(r"[^a-z0-9]+", "", s)


def tidy_title(title: str | None, *, sitename: str | None = None,
               lines: list[str] | None = None) -> str | None:
    """The headline in a page title: trailing parts that name the site (``sitename``, e.g.
    "… | Le Journal"), sections or dates are cut ("… | DW | 23.05.2011" → "…"); when a line of
    the article (``lines``) is the title's first part, that line is the headline."""
    if not title:
        return None
    title = _norm(title)
    for line in lines or ():
        line = _norm(line)
        if len(line) >= 10 and title.startswith(line):
            rest = title[len(line):]
            if not rest or _TITLE_SEP.match(rest):
                return line
    site = _site_key(sitename) if sitename else ""
    if site and fold(title).endswith(fold(sitename or "")):
        head = title[: len(title) - len(sitename or "")]
        cut = re.sub(r"\s*(?:\||-|–|—|·|::|»)\s*$", "", head)
        if cut != head and len(cut) >= 10:
            title = cut
    seps = list(_TITLE_SEP.finditer(title))
    while seps:
        last = title[seps[-1].end():].strip()
        key = _site_key(last)
        if not (_DATE_LIKE.match(last) or (site and key and (key in site or site in key))):
            break
        if seps[-1].start() < 10:
            break
        title = title[: seps[-1].start()].strip()
        seps.pop()
    return title


#: htmldate options: no "extensive" free-text search (it runs dateparser over every locale,
#: ~3 s on some pages); meta tags, JSON-LD, <time> and URL dates are still read
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def extract_html(data: bytes | str, source: str, *, charset: str | None = None) -> HtmlPage:
    """Extract the article from an HTML page.

    ``data`` may be bytes (``charset``, the encoding named by an HTTP or WARC header, is
    honoured first, then the page's ``<meta charset>``, then detection; see
    :func:`~kibaru.ingest.decode_bytes`) or text. The line rules are *not* applied to
    ``text`` here (:func:`kibaru.clean.clean` does), but blocks they will drop are already
    listed in ``removed``. Raises :class:`~kibaru.errors.InputError`: ``K101`` empty,
    ``K102``/``K103``/``K104`` from decoding, ``K110`` when no article text can be found
    (e.g. a page cut off before its body) or the page cannot be parsed.
    """
    if isinstance(data, bytes):
        m = _META_CHARSET.search(data[:4096])
        declared = charset or (m.group(1).decode("ascii") if m else None)
        text, _ = decode_bytes(data, source, declared=declared)
    else:
        text = data
        if not text.strip():
            raise InputError(source, "empty input: nothing to read", code="K101")
    try:
        result = trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=False,
            deduplicate=False, date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml errors are wrapped where they enter
        raise InputError(source, f"HTML could not be parsed ({type(exc).__name__})",
                         code="K110") from exc
    body = (getattr(result, "text", None) or "") if result is not None else ""
    if not body.strip():
        raise InputError(source, "no article text found in the HTML (truncated or empty page?)",
                         code="K110")
    lines = split_blocks(body)
    title = tidy_title(getattr(result, "title", None) or None,
                       sitename=getattr(result, "sitename", None) or None, lines=lines[:5])
    published = getattr(result, "date", None) or None
    removed: list[Removed] = []
    try:
        tree = lxml_html.fromstring(text.encode("utf-8"),
                                    parser=lxml_html.HTMLParser(encoding="utf-8"))
        removed = _dropped_blocks(tree, "\n".join(lines))
    except Exception:  # the removed list is informative; a broken tree must not fail the page  # noqa: BLE001
        removed = []
    return HtmlPage(text=body, title=title, published=published, removed=tuple(removed))
