"""Reading one number at a token of a parsed block: digits in French typography and numbers
in words.

Digits: thousands grouped by spaces (plain, no-break, narrow no-break) or dots, decimal comma
(a decimal point when the group is not three digits: "0.8"), fractions ("3/4", "2 1/4", "½"),
scientific notation ("1,5e6", "1,1^23"), SI suffixes ("10k", "10G"). Words: cardinals through
text2num ("quatre-vingt-dix-neuf", and older spellings such as "vingt-un"), fractions ("trois
quarts", "un vingt-cinquième"), mixed numbers ("cinq et un quart", "un million et demi"),
decimals ("deux virgule cinq"), "un sur trois". Scale words ("1,5 milliard"; "cent" after
digits: "3 cent mille") and counting nouns ("trois douzaines") multiply. The linguistic lists
(scales, suffixes, fraction nouns, old spellings) are in ``data/units.toml``.

Values are exact :class:`fractions.Fraction` so that "16,4 millions" is 16400000, not
16399999.999999998.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc
from text_to_num import alpha2digit, text2num

from ..nlp.lexicon import norm

__all__ = ["Reading", "NumberReader", "units_table", "cardinal", "parse_number"]

#: digits: dot thousands, space thousands, or plain digits with a decimal comma or point
_DIGITS = re.compile(
    r"(?P<dot>\d{1,3}(?:\.\d{3})+)(?!\d|\.\d)(?:,(?P<dotdec>\d+))?"
    r"|(?P<spc>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?!\d)(?:,(?P<spcdec>\d+))?"
    r"|(?P<int>\d+)(?:[,.](?P<dec>\d+))?")
_SLASH = re.compile(r"/(\d+)(?![/\d])")
_MIXED = re.compile(r"[ \t\u00a0\u202f]+(\d+)/(\d+)(?![/\d])")
_EXPONENT = re.compile(r"[eE]([+-]?\d{1,3})(?![\w])")
_POWER = re.compile(r"\^([+-]*)(\d{1,3})(?![\w])")
#: text glued after a number: a unit ("ml", "-km", "km2", "$"), an ordinal ending ("e"), ...
_GLUED = re.compile(r"-?[^\W\d_][\w/²³$€£¥₦]*|[$€£¥₦°][\w$]*")
_SUFFIX = re.compile(r"([ \u00a0]*)([kKMG])(?![\w])")
_ORDINAL_WORD = re.compile(r"i[eè]mes?$")
_ORDINAL_DIGITS = re.compile(r"(\d+)(?:ème|eme|e)s?")
_MAX_WORDS = 16
_MAX_DIGITS = 200
_MAX_VALUE = Fraction(10) ** 200


@lru_cache(maxsize=1)
def units_table() -> dict[str, Any]:
    """``data/units.toml`` as a dict (loaded once)."""
    raw = resources.files("kibaru.data").joinpath("units.toml").read_text("utf-8")
    return tomllib.loads(raw)


@lru_cache(maxsize=8192)
def cardinal(words: str) -> int | None:
    """The value of space-separated French number words (lower case, accents kept) read by
    text2num: ``"quatre vingt dix neuf"`` → 99, also in the older spellings of
    ``[number_spellings]`` (``"vingt un"`` → 21); None when they are not one cardinal."""
    if not words or words == "et":
        return None
    try:
        return int(text2num(words, "fr"))
    except (ValueError, TypeError):
        pass
    modern = _modern_spelling(words)
    if modern == words:
        return None
    try:
        return int(text2num(modern, "fr"))
    except (ValueError, TypeError):
        return None


def _modern_spelling(words: str) -> str:
    """``words`` with each pair of ``[number_spellings]`` replaced ("vingt un" → "vingt et
    un")."""
    table: dict[str, str] = units_table()["number_spellings"]
    ws = words.split()
    out: list[str] = []
    k = 0
    while k < len(ws):
        pair = " ".join(ws[k:k + 2])
        if k + 1 < len(ws) and pair in table:
            out.append(table[pair])
            k += 2
        else:
            out.append(ws[k])
            k += 1
    return " ".join(out)


def parse_number(text: str) -> float | None:
    """``"25 000"`` → 25000.0, ``"2,3"`` → 2.3, ``"vingt-deux"`` → 22.0; None if ``text`` is
    not one number in digits or in words."""
    t = text.strip()
    m = _DIGITS.fullmatch(t)
    if m:
        whole = m.group("dot") or m.group("spc") or m.group("int")
        dec = m.group("dotdec") or m.group("spcdec") or m.group("dec") or ""
        whole = re.sub(r"\D", "", whole)
        return float(f"{whole}.{dec}" if dec else whole)
    value = cardinal(" ".join(t.lower().replace("-", " ").split()))
    return None if value is None else float(value)


@lru_cache(maxsize=4096)
def _ordinal(words: str) -> int | None:
    """The number an ordinal phrase names (``"vingt et unième"`` → 21, ``"billionième"`` →
    10**12), read by text2num's alpha2digit; None if it is not one ordinal."""
    text = " ".join(re.sub(r"ieme(s?)$", r"ième\1", w) for w in words.split())
    m = _ORDINAL_DIGITS.fullmatch(alpha2digit(text, "fr", threshold=0).strip())
    if m:
        return int(m.group(1))
    if " " not in words:
        stem = norm(_ORDINAL_WORD.sub("", words))
        scale = units_table()["scales"].get(stem)
        return int(scale) if scale else None
    return None


@dataclass(frozen=True)
class Reading:
    """A number read at token ``start``: it ends before token ``end`` and at character
    ``char_end``; ``glued`` is the text stuck to it after ``char_end`` inside the same word
    ("ml" in "75ml", "tonnes" in "trois-tonnes"; "" if none). ``lone_un`` marks a bare
    "un"/"une" (an article as often as a number); ``share`` a fraction read as such ("trois
    quarts", "1/2", "un sur trois"), with no scale; ``ordinal`` an ordinal phrase ("vingt et
    unième"), which is no number (``value`` is then 0); ``approximate`` a counting noun
    ("trois centaines"); ``scaled`` a scale word or suffix ("2 millions", "10k")."""

    start: int
    end: int
    value: Fraction
    char_end: int
    glued: str = ""
    lone_un: bool = False
    share: bool = False
    ordinal: bool = False
    approximate: bool = False
    scaled: bool = False


@dataclass(frozen=True)
class _Word:
    text: str  # lower case, accents kept
    kind: str  # card, et, scale, frac, ord
    tok: int
    end: int  # character offset after the word


class NumberReader:
    """Reads numbers in one Doc (tables from ``data/units.toml``)."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.starts = [t.idx for t in doc]
        tab = units_table()
        self.scales: dict[str, float] = tab["scales"]
        self.multipliers: dict[str, int] = tab["digit_multipliers"]
        self.suffixes: dict[str, float] = tab["scale_suffixes"]
        self.fraction_nouns: dict[str, int] = tab["fraction_nouns"]
        self.approx_nouns: dict[str, int] = tab["approximate_nouns"]

    # ---- positions -------------------------------------------------------------------
    def token_end(self, char_end: int) -> int:
        """Index of the token after the one holding character ``char_end - 1``."""
        return bisect_right(self.starts, char_end - 1)

    def _next(self, j: int) -> int:
        """``j``, or the first token after same-line whitespace tokens from ``j``."""
        while j < len(self.doc) and self.doc[j].is_space and "\n" not in self.doc[j].text:
            j += 1
        return j

    def _key(self, j: int) -> str:
        return norm(self.doc[j].text) if j < len(self.doc) else ""

    # ---- entry point -----------------------------------------------------------------
    def read(self, i: int, char: int | None = None) -> Reading | None:
        """The number starting at token ``i`` (at character ``char`` when it starts inside
        the token, e.g. after a glued sign or currency), scale words and counting nouns
        applied; None when no number starts there."""
        tok = self.doc[i]
        pos = tok.idx if char is None else char
        ch = self.text[pos:pos + 1]
        if ch.isdigit() or (ch and unicodedata.category(ch) == "No"):
            r = self._digits(i, pos)
        else:
            r = self._words_at(i)
        if r is None or r.ordinal or r.glued:
            return r
        r = self._counting_noun(self._over(r))
        return r if r.value <= _MAX_VALUE else None

    # ---- digits ----------------------------------------------------------------------
    def _digits(self, i: int, pos: int) -> Reading | None:
        text = self.text
        if unicodedata.category(text[pos]) == "No":  # "½", "⅙" (not "²")
            value = _vulgar(text[pos])
            if value is None or value.denominator == 1:
                return None
            return self._suffixed(i, value, pos + 1, share=True)
        m = _DIGITS.match(text, pos)
        if m is None:
            return None
        share = False
        if m.group("dot"):
            whole, dec = m.group("dot").replace(".", ""), m.group("dotdec")
        elif m.group("spc"):
            whole, dec = re.sub(r"\D", "", m.group("spc")), m.group("spcdec")
        else:
            whole, dec = m.group("int"), m.group("dec")
        if len(whole) + len(dec or "") > _MAX_DIGITS:
            return None  # no quantity has that many digits (and int() would refuse them)
        value = Fraction(int(whole)) + (Fraction(int(dec), 10 ** len(dec)) if dec else 0)
        end = m.end()
        if m.group("int") and not dec:
            sl, mx = _SLASH.match(text, end), _MIXED.match(text, end)
            if sl and int(sl.group(1)):
                value, end, share = value / int(sl.group(1)), sl.end(), True
            elif mx and 0 < int(mx.group(1)) < int(mx.group(2)):
                value += Fraction(int(mx.group(1)), int(mx.group(2)))
                end = mx.end()
            elif end < len(text) and unicodedata.category(text[end]) == "No":
                frac = _vulgar(text[end])  # "2½"
                if frac is not None and frac < 1:
                    value, end = value + frac, end + 1
        if (e := _EXPONENT.match(text, end)) is not None:
            value, end = value * Fraction(10) ** int(e.group(1)), e.end()
        elif (p := _POWER.match(text, end)) is not None:
            exp = int(p.group(2)) * (-1 if p.group(1).count("-") % 2 else 1)
            if value == 0 and exp < 0:
                return None
            value, end = value ** exp, p.end()
        if value > _MAX_VALUE:
            return None  # beyond what a float holds: "1e999"
        return self._suffixed(i, value, end, share=share)

    def _suffixed(self, i: int, value: Fraction, end: int, *, share: bool) -> Reading:
        """Apply an SI suffix ("10k", "2,33 k") and note the text glued after the number."""
        text = self.text
        scaled = False
        m = _SUFFIX.match(text, end)
        if m and (not m.group(1) or m.group(2) in "kK"):
            value, end, share = value * int(self.suffixes[m.group(2)]), m.end(), False
            scaled = True
        g = _GLUED.match(text, end)
        glued = g.group(0) if g else ""
        return Reading(i, self.token_end(end), value, end, glued, share=share, scaled=scaled)

    # ---- words -----------------------------------------------------------------------
    def _word_kind(self, w: str) -> str | None:
        if w == "et":
            return "et"
        if cardinal(w) is not None:
            return "card"
        key = norm(w)
        if key in self.scales and not key.startswith(("md", "mrd")):
            return "scale"
        if key in self.fraction_nouns:
            return "frac"
        if len(w) > 4 and _ORDINAL_WORD.search(w):
            return "ord"
        return None

    def _words(self, i: int) -> tuple[list[_Word], str]:
        """Number words from token ``i`` (hyphenated tokens split) and the text glued after
        the last one inside its token ("tonnes" in "trois-tonnes")."""
        out: list[_Word] = []
        j = i
        while j < len(self.doc) and len(out) < _MAX_WORDS:
            t = self.doc[j]
            if out and t.is_space and "\n" not in t.text:
                j += 1
                continue
            if out and t.text == "-" and not t.whitespace_ and not self.doc[j - 1].whitespace_:
                j += 1
                continue
            low = t.text.lower().replace("\u2019", "'")
            off = t.idx
            taken = 0
            for part in low.split("-"):
                kind = self._word_kind(part) if part else None
                if kind is None:
                    break
                off += len(part)
                out.append(_Word(part, kind, j, off))
                off += 1
                taken += len(part) + 1
            if taken < len(low) + 1:
                rest = t.text[taken:]
                return out, (rest if out and out[-1].tok == j else "")
            j += 1
        return out, ""

    def _boundary(self, ws: list[_Word], b: int) -> bool:
        return b == len(ws) or ws[b].tok != ws[b - 1].tok

    def _card_value(self, ws: list[_Word]) -> Fraction | None:
        """Value of words that are one cardinal, possibly followed by scale words text2num
        does not know ("trois milliers", "un billion")."""
        k = len(ws)
        scale = Fraction(1)
        while k > 0 and ws[k - 1].kind == "scale":
            scale *= int(self.scales[norm(ws[k - 1].text)])
            k -= 1
        if k == 0 or any(w.kind not in ("card", "et") for w in ws[:k]) or ws[k - 1].kind == "et":
            return None
        v = cardinal(" ".join(w.text for w in ws[:k]))
        return None if v is None else v * scale

    def _cardinals(self, ws: list[_Word], a: int) -> list[tuple[int, Fraction]]:
        """Every cardinal starting at word ``a``, longest first: (end word, value)."""
        out = []
        for b in range(len(ws), a, -1):
            if self._boundary(ws, b) and ws[a].kind != "et":
                v = self._card_value(ws[a:b])
                if v is not None:
                    out.append((b, v))
        return out

    def _ordinal_at(self, ws: list[_Word], a: int) -> tuple[int, int] | None:
        """An ordinal phrase starting at word ``a`` ("vingt et unième"): (end word, number)."""
        for b in range(a + 1, len(ws) + 1):
            if ws[b - 1].kind == "ord":
                if not self._boundary(ws, b):
                    return None
                n = _ordinal(" ".join(w.text for w in ws[a:b]))
                return (b, n) if n else None
            if ws[b - 1].kind not in ("card", "et"):
                return None
        return None

    def _denominator(self, ws: list[_Word], a: int) -> tuple[int, int] | None:
        if a < len(ws) and ws[a].kind == "frac" and (
                self._boundary(ws, a + 1) or norm(ws[a + 1].text) in self.scales):
            return a + 1, self.fraction_nouns[norm(ws[a].text)]
        return self._ordinal_at(ws, a) if a < len(ws) else None

    def _fraction(self, ws: list[_Word], a: int, *, bare: bool) -> tuple[int, Fraction,
                                                                          bool] | None:
        """A fraction at word ``a`` ("trois quarts", "un vingt-cinquième"; with ``bare``, also
        "demi" alone): (end word, value, whether a scale word followed and multiplied it)."""
        found: tuple[int, Fraction] | None = None
        if bare and a < len(ws) and ws[a].kind == "frac":
            d = self._denominator(ws, a)
            if d:
                found = (d[0], Fraction(1, d[1]))
        if found is None:
            for b, num in self._cardinals(ws, a):
                if any(w.kind == "et" for w in ws[a:b]) and not bare:
                    continue
                d = self._denominator(ws, b)
                if d:
                    found = (d[0], num / d[1])
                    break
        if found is None:
            return None
        b, value = found
        if b < len(ws) and ws[b].kind in ("scale", "card") and norm(ws[b].text) in self.scales \
                and self._boundary(ws, b + 1):  # "un demi-million"
            return b + 1, value * int(self.scales[norm(ws[b].text)]), True
        return b, value, False

    def _big_scale(self, w: _Word) -> int:
        s = int(self.scales.get(norm(w.text), 0))
        return s if s >= 1_000_000 else 1

    def _words_at(self, i: int) -> Reading | None:
        ws, rest = self._words(i)
        if not ws or ws[0].kind == "et":
            return None
        n = len(ws)

        def done(b: int, value: Fraction, **kw: Any) -> Reading:
            end_char = ws[b - 1].end
            glued = rest if b == n else ""
            scaled = any(norm(w.text) in self.scales for w in ws[:b])
            return Reading(i, ws[b - 1].tok + 1, value, end_char, glued, scaled=scaled, **kw)

        o = self._ordinal_at(ws, 0) if ws[0].kind != "frac" else None
        if o is not None and not (ws[o[0] - 1].text.endswith("s")
                                  and self._fraction(ws, 0, bare=False)):
            # "vingt et unième" is no number; "cent trente cinquièmes" (plural) is 130/5
            return done(o[0], Fraction(0), ordinal=True)
        # mixed number: "cinq et un quart", "un million et demi", "vingt et trois cinquièmes"
        for e in range(n - 1, 0, -1):
            if ws[e].kind != "et":
                continue
            whole = self._card_value(ws[:e])
            frac = self._fraction(ws, e + 1, bare=True) if whole is not None else None
            if whole is not None and frac is not None:
                b, fv, own_scale = frac
                if not own_scale:
                    fv *= self._big_scale(ws[e - 1])
                return done(b, whole + fv)
        frac = self._fraction(ws, 0, bare=False)
        if frac is not None:
            return done(frac[0], frac[1], share=not frac[2])
        cards = self._cardinals(ws, 0)
        if not cards:
            return None
        b, value = cards[0]
        r = done(b, value, lone_un=b == 1 and ws[0].text in ("un", "une"))
        return self._virgule(r)

    def _virgule(self, r: Reading) -> Reading:
        """ "deux cent virgule cinquante deux" → 200.52."""
        j = self._next(r.end)
        if r.glued or self._key(j) != "virgule" or j + 1 >= len(self.doc):
            return r
        ws, _ = self._words(self._next(j + 1))
        zeros = 0
        while zeros < len(ws) and ws[zeros].text in ("zéro", "zero"):
            zeros += 1
        cards = self._cardinals(ws, zeros) if zeros < len(ws) else []
        if not cards and not zeros:
            return r
        b, v = cards[0] if cards else (zeros, Fraction(0))
        digits = "0" * zeros + (str(int(v)) if cards else "")
        dec = Fraction(int(digits), 10 ** len(digits))
        return Reading(r.start, ws[b - 1].tok + 1, r.value + dec, ws[b - 1].end)

    # ---- what may follow any number --------------------------------------------------
    def _over(self, r: Reading) -> Reading:
        """Scale words after the number ("1,5 milliard", "3 millions et demi", and "cent" after
        digits: "3 cent mille") and a proportion ("un sur trois", not "douze sur dix")."""
        value, j, char_end, scaled = r.value, r.end, r.char_end, False
        k = self._next(j)
        word = self.doc[k:k + 1].text.lower()
        if word in self.multipliers and self.text[char_end - 1:char_end].isdigit() \
                and not (r.share or r.scaled) and value.denominator == 1 and value > 1:
            value *= self.multipliers[word]  # "3 cent mille"
            j, char_end, scaled = k + 1, self.doc[k].idx + len(self.doc[k]), True
        while True:
            k = self._next(j)
            key = self._key(k)
            if key in self.scales and value <= _MAX_VALUE:
                value *= int(self.scales[key])
                j, char_end, scaled = k + 1, self.doc[k].idx + len(self.doc[k]), True
                continue
            break
        if scaled:
            k = self._next(j)
            if self._key(k) == "et" and k + 1 < len(self.doc):
                ws, _ = self._words(self._next(k + 1))
                frac = self._fraction(ws, 0, bare=True)
                if frac is not None:
                    b, fv, own = frac
                    scale = int(self.scales[self._key(j - 1)])
                    value += fv if own else fv * (scale if scale >= 1_000_000 else 1)
                    j, char_end = ws[b - 1].tok + 1, ws[b - 1].end
            return Reading(r.start, j, value, char_end, scaled=True)
        if r.share or r.scaled or value.denominator != 1:
            return r
        k = self._next(j)
        if self._key(k) == "sur" and k + 1 < len(self.doc):
            d = self.read_plain(self._next(k + 1))
            after = self._next(d.end) if d else 0
            if d is not None and d.value > value and d.value.denominator == 1 and not d.glued and (
                    after >= len(self.doc) or self.doc[after].pos_ not in ("NOUN", "PROPN", "ADJ")):
                return Reading(r.start, d.end, value / d.value, d.char_end, share=True)
        return r

    def read_plain(self, i: int) -> Reading | None:
        """A plain integer or decimal at token ``i`` (digits or words), nothing after it."""
        ch = self.doc[i].text[:1]
        r = self._digits(i, self.doc[i].idx) if ch.isdigit() else self._words_at(i)
        return None if r is None or r.ordinal or r.share else r

    def _counting_noun(self, r: Reading) -> Reading:
        """ "trois douzaines", "2 centaines": the counting noun multiplies."""
        k = self._next(r.end)
        if r.glued or r.share or k >= len(self.doc):
            return r
        key = self._key(k)
        base = key if key in self.approx_nouns else key[:-1] if key.endswith("s") else ""
        if base not in self.approx_nouns or base in self.scales:
            return r
        tok = self.doc[k]
        return Reading(r.start, k + 1, r.value * int(self.approx_nouns[base]),
                       tok.idx + len(tok), approximate=True, scaled=True)


def _vulgar(ch: str) -> Fraction | None:
    """ "½" → 1/2, "⅙" → 1/6 (Unicode numeric value); None for other characters."""
    try:
        return Fraction(unicodedata.numeric(ch)).limit_denominator(1000)
    except (TypeError, ValueError):
        return None
