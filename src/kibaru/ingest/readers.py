"""Expand command-line inputs into raw documents, reporting unreadable ones without stopping."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = ["RawDoc", "iter_inputs", "SUFFIXES"]

#: File suffixes read from folders, mapped to their kind.
SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class RawDoc:
    """One document before cleaning.

    ``kind`` is ``"text"`` or ``"html"``; ``data`` is raw bytes (files, stdin) or already
    decoded ``str`` (JSONL fields). ``id`` is the file stem, ``"stdin"``, or a JSONL line's
    ``id`` (else ``<stem>-<line>``); ``source`` is the path, ``"-"``, or a JSONL line's ``url``
    (else ``path:line``). ``published``, ``title`` and ``url`` come from JSONL fields only;
    ``published`` is the field's first 10 characters, checked as an ISO date by the clean stage.
    """

    id: str
    source: str
    kind: str
    data: bytes | str
    published: str | None = None
    title: str | None = None
    url: str | None = None


def _doc_id(path: Path) -> str:
    return path.stem


def _iter_jsonl(path: Path, data: bytes) -> Iterator[RawDoc | InputError]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield InputError(str(path), "JSONL must be UTF-8", code="K105")
        return
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON line ({exc.msg}, column {exc.colno})",
                             code="K106")
            continue
        if not isinstance(rec, dict):
            yield InputError(where, "a JSONL line must be an object", code="K106")
            continue
        body_html, body_text = rec.get("html"), rec.get("text")
        if not isinstance(body_html, str) and not isinstance(body_text, str):
            yield InputError(where, 'a JSONL document needs a "text" or "html" string', code="K107")
            continue
        published = rec.get("published")
        yield RawDoc(
            id=str(rec.get("id") or f"{path.stem}-{lineno}"),
            source=str(rec.get("url") or where),
            kind="html" if isinstance(body_html, str) else "text",
            data=body_html if isinstance(body_html, str) else str(body_text),
            published=str(published)[:10] if published else None,
            title=rec.get("title") if isinstance(rec.get("title"), str) else None,
            url=rec.get("url") if isinstance(rec.get("url"), str) else None,
        )


def _sniff_kind(data: bytes) -> str:
    """``"html"`` when ``data`` starts like an HTML page (after a BOM and blanks), else text."""
    head = data[:512].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) else "text"


def _iter_file(path: Path, kind: str | None) -> Iterator[RawDoc | InputError]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read file ({exc.strerror})", code="K108")
        return
    if kind is None:
        kind = _sniff_kind(data)
    if kind == "jsonl":
        yield from _iter_jsonl(path, data)
    else:
        yield RawDoc(id=_doc_id(path), source=str(path), kind=kind, data=data)


def iter_inputs(inputs: list[str], *, stdin: bytes | None = None) -> Iterator[RawDoc | InputError]:
    """Yield a :class:`RawDoc` per document, or an :class:`InputError` per unreadable input.

    ``inputs`` are paths or ``-`` for stdin (plain text, or HTML when it starts like an HTML
    page, as from ``curl -s URL``; ``stdin`` bytes may be injected for tests). A folder is
    read recursively, files sorted by path, keeping ``.txt``, ``.html``, ``.htm`` and
    ``.jsonl`` and skipping hidden files and folders (names starting with ``.``).
    A file with another suffix is read as HTML when it starts like an HTML page, else as text.

    Nothing is decoded here except JSONL (UTF-8): file and stdin documents carry raw bytes and
    the clean stage decodes them. Errors are yielded, never raised, so the caller reports them
    and goes on: ``K105`` JSONL not UTF-8, ``K106`` malformed JSONL line, ``K107`` JSONL line
    without a ``"text"`` or ``"html"`` string (these name ``path:line``), ``K108`` missing or
    unreadable path, ``K109`` folder without readable files.
    """
    for item in inputs:
        if item == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            yield RawDoc(id="stdin", source="-", kind=_sniff_kind(data), data=data)
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not files:
                yield InputError(item, "folder holds no .txt, .html, .htm or .jsonl file",
                                 code="K109")
            for f in files:
                yield from _iter_file(f, SUFFIXES[f.suffix.lower()])
        elif path.is_file():
            yield from _iter_file(path, SUFFIXES.get(path.suffix.lower()))
        else:
            yield InputError(item, "no such file or folder", code="K108")
