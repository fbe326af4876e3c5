"""Clean stage: decoded, boilerplate-free article text with title, date and language.

HTML goes through trafilatura (main text and metadata, :mod:`kibaru.clean.html`); text and HTML
alike then go through the line rules of ``data/boilerplate.toml``
(:mod:`kibaru.clean.boilerplate`). Each kept line is a block: a headline or subheading is never
merged into the next sentence (the nlp stage parses blocks separately). Language comes from
:mod:`kibaru.clean.language`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import InputError
from ..ingest import MAX_BYTES, MIXED_UTF8, RawDoc, decode_bytes
from ..model import Removed
from .boilerplate import fold, load_rules, split_blocks
from .html import extract_html
from .language import detect_language

__all__ = ["CleanDoc", "clean", "fold", "load_rules", "split_blocks", "detect_language"]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CleanDoc:
    """A cleaned document before NLP.

    ``text`` is the kept blocks joined by ``"\\n"`` (no empty line, inner blanks collapsed);
    ``title`` the headline or None; ``published`` an ISO date or None; ``language`` an ISO
    639-1 code; ``removed`` the boilerplate found, in page/line order, each text once;
    ``warnings`` human-readable notes (unsupported language, ignored date).
    """

    id: str
    source: str
    title: str | None
    published: str | None
    language: str | None
    text: str
    removed: tuple[Removed, ...]
    warnings: tuple[str, ...]


def _valid_date(value: str | None) -> str | None:
    if not value:
        return None
    value = str(value)[:10]
    if not _ISO.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


def _headline(blocks: list[str]) -> str | None:
    """The first block when it reads as a headline: more blocks follow, and it is short with
    no sentence-final punctuation (≤ 200 characters), or a short question or exclamation
    (≤ 120 characters, "Le Mali va-t-il quitter la Cédéao ?")."""
    if len(blocks) < 2:
        return None
    first = blocks[0].rstrip()
    if len(first) <= 200 and not first.endswith((".", "!", "?", "»", '"', "…", ":", ";", ",")):
        return first
    if len(first) <= 120 and first.endswith(("?", "!")) and not first.startswith(("«", '"')):
        return first
    return None


def _key(text: str) -> str:
    return " ".join(text.split())


def clean(raw: RawDoc, *, published: str | None = None) -> CleanDoc:
    """Decode, extract and clean one raw document.

    ``published`` (ISO date) applies when the document carries no date of its own (a JSONL
    ``published`` field, or the HTML page's metadata); a value that is not an ISO date is
    ignored with a warning. ``title`` is the JSONL ``title``, the HTML page's headline, or for
    text the first line when it reads as a headline (it stays the first line of ``text``).

    Raises :class:`~kibaru.errors.InputError` naming ``raw.source``: ``K101`` empty,
    ``K102`` binary, ``K103`` too large, ``K104`` undecodable, ``K110`` no article text
    (an HTML page without body text, or nothing left once boilerplate is removed).
    """
    warnings: list[str] = []
    removed: list[Removed] = []
    title = raw.title
    doc_date = _valid_date(raw.published)
    if raw.kind == "html":
        page = extract_html(raw.data, raw.source, charset=raw.charset)
        body, removed_html = page.text, page.removed
        removed.extend(removed_html)
        title = title or page.title
        doc_date = doc_date or _valid_date(page.published)
    else:
        if isinstance(raw.data, bytes):
            body, encoding = decode_bytes(raw.data, raw.source, declared=raw.charset)
            if encoding == MIXED_UTF8:
                warnings.append("mixed encoding: UTF-8 text with stray bytes of another "
                                "encoding, read as Windows-1252")
        else:
            body = raw.data
            if not body.strip():
                raise InputError(raw.source, "empty input: nothing to read", code="K101")
            if len(body) > MAX_BYTES:
                raise InputError(raw.source, f"too large: {len(body)} characters (limit "
                                 f"{MAX_BYTES}); split the document", code="K103")
    rules = load_rules()
    blocks, dropped = rules.filter_lines(body)
    seen = {_key(r.text) for r in removed}
    for r in dropped:
        if _key(r.text) not in seen:
            seen.add(_key(r.text))
            removed.append(r)
    if not blocks:
        raise InputError(raw.source, "no article text left after cleaning", code="K110")
    text = "\n".join(blocks)
    if raw.kind != "html" and title is None:
        title = _headline(blocks)
    language, lang_warning = detect_language(text)
    if lang_warning:
        warnings.append(lang_warning)
    published_value = doc_date or _valid_date(published)
    if raw.published and not _valid_date(raw.published):
        warnings.append(f"published {raw.published!r} is not an ISO date (YYYY-MM-DD): ignored")
    if published and not _valid_date(published):
        warnings.append(f"--published {published!r} is not an ISO date (YYYY-MM-DD): ignored")
    return CleanDoc(
        id=raw.id,
        source=raw.source,
        title=title,
        published=published_value,
        language=language,
        text=text,
        removed=tuple(removed),
        warnings=tuple(warnings),
    )
