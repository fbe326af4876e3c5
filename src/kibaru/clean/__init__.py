"""Clean stage: decoded, boilerplate-free article text with title, date and language.

HTML goes through trafilatura (main text and metadata); text and HTML alike then go through the
line rules of ``data/boilerplate.toml``. Each kept line is a block: a headline or subheading is
never merged into the next sentence (the nlp stage parses blocks separately).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..errors import InputError
from ..ingest import RawDoc, decode_bytes
from ..model import Removed
from .boilerplate import fold, load_rules, split_blocks
from .html import extract_html
from .language import detect_language

__all__ = ["CleanDoc", "clean", "fold", "load_rules", "split_blocks", "detect_language"]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CleanDoc:
    """A cleaned document before NLP: ``text`` is blocks joined by ``\\n``."""

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
    """The first block when it reads as a headline (short, no sentence-final punctuation)."""
    if len(blocks) < 2:
        return None
    first = blocks[0]
    if len(first) <= 200 and not first.rstrip().endswith((".", "!", "?", "»", '"', "…")):
        return first
    return None


def clean(raw: RawDoc, *, published: str | None = None) -> CleanDoc:
    """Decode, extract and clean one raw document.

    ``published`` (ISO date) applies when the document carries no date of its own. Raises
    :class:`InputError` (naming ``raw.source``) when the input holds no readable text.
    """
    warnings: list[str] = []
    removed: list[Removed] = []
    title = raw.title
    doc_date = _valid_date(raw.published)
    if raw.kind == "html":
        page = extract_html(raw.data, raw.source)
        body, removed_html = page.text, page.removed
        removed.extend(removed_html)
        title = title or page.title
        doc_date = doc_date or _valid_date(page.published)
    else:
        if isinstance(raw.data, bytes):
            body, _ = decode_bytes(raw.data, raw.source)
        else:
            body = raw.data
            if not body.strip():
                raise InputError(raw.source, "empty input: nothing to read", code="K101")
    rules = load_rules()
    blocks, dropped = rules.filter_lines(body)
    seen = {r.text for r in removed}
    removed.extend(r for r in dropped if r.text not in seen)
    if not blocks:
        raise InputError(raw.source, "no article text left after cleaning", code="K110")
    text = "\n".join(blocks)
    if raw.kind != "html" and title is None:
        title = _headline(blocks)
    language, lang_warning = detect_language(text)
    if lang_warning:
        warnings.append(lang_warning)
    published_value = doc_date or _valid_date(published)
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
