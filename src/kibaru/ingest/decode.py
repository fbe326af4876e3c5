"""Byte decoding with encoding detection tuned for French.

Order of decisions in :func:`decode_bytes`:

1. empty or whitespace-only → ``K101``; larger than :data:`MAX_BYTES` → ``K103``;
2. a byte-order mark (UTF-8, UTF-32, UTF-16) decides;
3. UTF-16 without a BOM (every other byte NUL) is recognised; any other NUL byte or a run of
   control characters means binary data → ``K102``;
4. valid UTF-8 is UTF-8;
5. an encoding declared by the input (HTML ``<meta charset>``) is kept when it decodes without
   error and without C1 control characters (``iso-8859-1``/``ascii`` are read as ``cp1252``, as
   browsers do);
6. otherwise charset-normalizer proposes candidates, plus Western fallbacks. charset-normalizer
   can prefer cp1250 (or cp437) for short Windows-1252 French (DESIGN.md, measured pitfall), so
   every candidate is decoded and scored by how French the result looks: à, é, œ, ’, €, « », “ ”,
   — and … count for; C1 controls, letters French never uses and an upper-case letter glued to a
   lower-case one ("ÈtÈ") count against; encodings other than cp1252, ISO-8859-1/-15 pay a small
   penalty, and cp1252 wins ties.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import InputError

__all__ = ["decode_bytes", "MAX_BYTES", "looks_binary"]

#: Largest input accepted, in bytes (5 MiB of text is far beyond any news article).
MAX_BYTES = 5 * 1024 * 1024

_FRENCH = set("àâäçéèêëîïôöùûüÿœæÀÂÇÉÈÊËÎÏÔÙÛÜŒ’‘“”«»€—–…")
_BAD = re.compile(
    r"[\x80-\x9f\ufffd]"
    r"|[ŕřťźăđńňŚśŹľĽščžŠČŽ¤¦¨¸]"
    r"|(?<=[a-zàâçéèêëîïôùûüÿœ])[ÀÂÇÉÈÊËÎÏÔÙÛÜŒ]"
)
_WESTERN = {"cp1252", "iso8859-1", "iso8859-15"}
_FALLBACKS = ("cp1252", "iso-8859-1", "iso-8859-15", "cp1250", "mac_roman")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _utf16_without_bom(sample: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``sample`` looks like BOM-less UTF-16 text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, name in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    """True when ``data`` holds NUL bytes or many control characters (not text of any kind).

    UTF-16 text (with a BOM, or mostly ASCII without one) is not binary.
    """
    sample = data[:8192]
    if not sample:
        return False
    if b"\x00" in sample:
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False
        return _utf16_without_bom(sample) is None
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls / len(sample) > 0.05


#: the encoding name :func:`decode_bytes` returns for UTF-8 text holding a few bytes of
#: another encoding (a file pasted together from two sources), read as Windows-1252
MIXED_UTF8 = "utf-8+cp1252"


def _cp1252_byte(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: one undecodable byte read as Windows-1252 (Latin-1 where
    Windows-1252 leaves it undefined)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    b = exc.object[exc.start:exc.start + 1]
    try:
        return b.decode("cp1252"), exc.start + 1
    except UnicodeDecodeError:
        return b.decode("latin-1"), exc.start + 1


codecs.register_error("kibaru-cp1252", _cp1252_byte)


def _mixed_utf8(data: bytes) -> str | None:
    """``data`` decoded as UTF-8 with its stray bytes read as Windows-1252, when it is UTF-8
    text with a few bytes of a Latin encoding ("l\xe9glise" in a UTF-8 file): at least as
    many well-formed UTF-8 non-ASCII characters as stray bytes. None otherwise (then the
    whole input is in another encoding and detection decides)."""
    replaced = data.decode("utf-8", errors="replace")
    stray = replaced.count("\ufffd")
    wellformed = sum(1 for c in replaced if ord(c) > 127 and c != "\ufffd")
    if stray == 0 or wellformed < max(1, stray):
        return None
    return data.decode("utf-8", errors="kibaru-cp1252")


def _score(text: str, name: str) -> float:
    french = sum(1 for c in text if c in _FRENCH)
    bad = len(_BAD.findall(text))
    score = float(french - 5 * bad)
    if name == "cp1252":
        score += 0.5
    elif name not in _WESTERN:
        score -= 1.0
    return score


def _checked(text: str, name: str, source: str) -> tuple[str, str]:
    if not text.strip():
        raise InputError(source, "empty input: nothing to read", code="K101")
    return text, name


def _declared(data: bytes, declared: str) -> tuple[str, str] | None:
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None  # UTF-16/32 was ruled out (no BOM, no NUL pattern): a wrong declaration
    if name in ("iso8859-1", "ascii"):
        name = "cp1252"
    try:
        text = data.decode(name)
    except (UnicodeDecodeError, ValueError):
        return None
    if re.search(r"[\x80-\x9f]", text):
        return None
    return text, name


def decode_bytes(data: bytes, source: str, *, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding_name)``.

    ``declared`` is an encoding named by the input itself (an HTML ``<meta charset>``); it is
    kept when it decodes without error or C1 control characters, else detection decides.
    Raises :class:`~kibaru.errors.InputError` naming ``source``: ``K101`` empty or
    whitespace-only, ``K102`` binary (NUL bytes, control characters), ``K103`` larger than
    :data:`MAX_BYTES`, ``K104`` undecodable.
    """
    if not data or not data.strip():
        raise InputError(source, "empty input: nothing to read", code="K101")
    if len(data) > MAX_BYTES:
        raise InputError(
            source,
            f"too large: {len(data)} bytes (limit {MAX_BYTES}); split the file",
            code="K103",
        )
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(name, errors="replace"), name, source)
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data[:8192])
        if utf16 is not None:
            return _checked(data.decode(utf16, errors="replace"), utf16, source)
    if looks_binary(data):
        raise InputError(source, "binary data, not text or HTML", code="K102")
    try:
        return _checked(data.decode("utf-8"), "utf-8", source)
    except UnicodeDecodeError:
        pass
    mixed = _mixed_utf8(data)
    if mixed is not None:
        return _checked(mixed, MIXED_UTF8, source)
    if declared:
        kept = _declared(data, declared)
        if kept is not None:
            return _checked(*kept, source)
    candidates: list[str] = []
    try:
        candidates.extend(m.encoding for m in from_bytes(data[:200_000]))
    except Exception:  # charset-normalizer must never take the run down  # noqa: BLE001
        pass
    candidates.extend(_FALLBACKS)
    scored: list[tuple[float, int, str, str]] = []
    seen: set[str] = set()
    for rank, enc in enumerate(candidates):
        try:
            name = codecs.lookup(enc).name
        except LookupError:
            continue
        if name in seen or name.startswith(("utf-8", "utf-16", "utf-32")):
            continue
        seen.add(name)
        try:
            text = data.decode(name)
        except (UnicodeDecodeError, ValueError):
            continue
        scored.append((_score(text, name), -rank, name, text))
    if not scored:
        raise InputError(source, "undecodable bytes: not UTF-8 nor a Latin encoding", code="K104")
    scored.sort(reverse=True)
    _, _, name, text = scored[0]
    return _checked(text, name, source)
