"""Expand command-line inputs into raw documents, reporting unreadable ones without stopping."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .decode import MAX_BYTES, looks_binary

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


def _label(path: str | Path) -> str:
    """``path`` as printable text: bytes of a file name that are not UTF-8 (held as lone
    surrogates) become U+FFFD, so JSON output and messages can always be encoded."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _text(value: object) -> str:
    """A JSONL field as text: a lone surrogate (``"\\ud800"`` is valid JSON, but no UTF-8
    text) becomes U+FFFD, so the document can be coded and printed."""
    return _LONE_SURROGATE.sub("\ufffd", str(value))


def _doc_id(path: Path) -> str:
    return _label(path.stem)


def _iter_jsonl(path: Path, lines: Iterable[bytes]) -> Iterator[RawDoc | InputError]:
    """One document per line of ``lines`` (raw bytes split on ``\\n`` only: a JSON string may
    hold U+2028 or U+0085, which ``str.splitlines`` would cut). Each line is decoded on its
    own, so one line that is not UTF-8 costs that line only."""
    for lineno, raw in enumerate(lines, start=1):
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        where = f"{_label(path)}:{lineno}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(where, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                             f"{exc.start + 1}); JSONL must be UTF-8", code="K105")
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"malformed JSON line ({exc.msg}, column {exc.colno})",
                             code="K106")
            continue
        except (RecursionError, ValueError) as exc:  # nesting too deep, huge integers
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            yield InputError(where, f"malformed JSON line ({reason})", code="K106")
            continue
        if not isinstance(rec, dict):
            yield InputError(where, "a JSONL line must be an object", code="K106")
            continue
        body_html, body_text = rec.get("html"), rec.get("text")
        if not isinstance(body_html, str) and not isinstance(body_text, str):
            yield InputError(where, 'a JSONL document needs a "text" or "html" string', code="K107")
            continue
        published = rec.get("published")
        url, title = rec.get("url"), rec.get("title")
        yield RawDoc(
            id=_text(rec.get("id") or f"{_doc_id(path)}-{lineno}"),
            source=_text(url or where),
            kind="html" if isinstance(body_html, str) else "text",
            data=_text(body_html if isinstance(body_html, str) else body_text),
            published=_text(published)[:10] if published else None,
            title=_text(title) if isinstance(title, str) else None,
            url=_text(url) if isinstance(url, str) else None,
        )


def _sniff_kind(data: bytes) -> str:
    """``"html"`` when ``data`` starts like an HTML page (after a BOM and blanks), else text."""
    head = data[:512].removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    return "html" if head.startswith((b"<!doctype html", b"<html")) else "text"


def _iter_file(path: Path, kind: str | None) -> Iterator[RawDoc | InputError]:
    """The documents of one file. A text or HTML file larger than :data:`MAX_BYTES` is refused
    before it is read (K103), and at most ``MAX_BYTES + 1`` bytes are ever read from a pipe or
    device; a JSONL file is read line by line."""
    if kind is None:
        kind = SUFFIXES.get(path.suffix.lower())
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if kind == "jsonl":
                head = f.read(8192)
                if b"\x00" in head and not looks_binary(head):
                    yield InputError(_label(path), "JSONL must be UTF-8 (this file looks like "
                                     "UTF-16)", code="K105")
                    return
                if looks_binary(head):
                    yield InputError(_label(path), "binary data, not JSONL", code="K102")
                    return
                f.seek(0)
                yield from _iter_jsonl(path, f)
                return
            if size > MAX_BYTES:
                yield InputError(_label(path), f"too large: {size} bytes (limit {MAX_BYTES}); "
                                 "split the file", code="K103")
                return
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        yield InputError(_label(path), f"cannot read file ({exc.strerror or exc})", code="K108")
        return
    if kind is None:
        kind = _sniff_kind(data)
    yield RawDoc(id=_doc_id(path), source=_label(path), kind=kind, data=data)


def _path_error(item: str, exc: OSError) -> InputError:
    """K108 for a path that cannot be opened, saying why (missing, link loop, permission)."""
    if exc.errno == errno.ELOOP:
        reason = "symbolic link loop"
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        reason = ("broken symbolic link (its target is missing)" if os.path.islink(item)
                  else "no such file or folder")
    else:
        reason = f"cannot access ({exc.strerror or exc})"
    return InputError(_label(item), reason, code="K108")


def _iter_folder(item: str) -> Iterator[RawDoc | InputError]:
    """The documents of a folder, files sorted by path; unreadable subfolders and files, and
    broken links with a known suffix, are reported in their place (K108) and the walk goes
    on. Hidden names are skipped and links to folders are not followed."""
    found: list[tuple[Path, InputError | None]] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else Path(item)
        found.append((where, InputError(_label(where), f"cannot read folder "
                                        f"({exc.strerror or exc})", code="K108")))

    for dirpath, dirnames, filenames in os.walk(item, onerror=unreadable):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = Path(dirpath) / name
            if name.startswith(".") or p.suffix.lower() not in SUFFIXES:
                continue
            try:
                mode = p.stat().st_mode
            except OSError as exc:
                found.append((p, _path_error(str(p), exc)))
                continue
            if stat.S_ISREG(mode):
                found.append((p, None))
    if not found:
        yield InputError(_label(item), "folder holds no .txt, .html, .htm or .jsonl file",
                         code="K109")
    for p, error in sorted(found, key=lambda pair: pair[0]):
        if error is not None:
            yield error
        else:
            yield from _iter_file(p, SUFFIXES[p.suffix.lower()])


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
            if stdin is not None:
                data = stdin
            else:
                try:
                    data = sys.stdin.buffer.read(MAX_BYTES + 1)
                except (AttributeError, OSError, ValueError) as exc:  # closed or no stdin
                    yield InputError("-", f"cannot read stdin ({type(exc).__name__})",
                                     code="K108")
                    continue
                if len(data) > MAX_BYTES:
                    yield InputError("-", f"too large: more than {MAX_BYTES} bytes on stdin; "
                                     "split the input", code="K103")
                    continue
            yield RawDoc(id="stdin", source="-", kind=_sniff_kind(data), data=data)
            continue
        path = Path(item)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            yield _path_error(item, exc)
            continue
        if stat.S_ISDIR(mode):
            yield from _iter_folder(item)
        else:
            yield from _iter_file(path, None)
