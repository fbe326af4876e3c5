"""Line-level boilerplate removal driven by ``data/boilerplate.toml``."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..model import Removed

__all__ = ["BoilerplateRules", "fold", "load_rules", "split_blocks"]


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """``str.translate`` table deleting every combining character (Unicode class ≠ 0)."""
    return {i: None for i in range(0x300, 0x110000) if unicodedata.combining(chr(i))}


def fold(s: str) -> str:
    """Lower-case, accent-free, apostrophe-normalised form of ``s`` (same length not kept)."""
    s = s.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    if s.isascii():
        return s.lower()
    return unicodedata.normalize("NFKD", s).translate(_combining_marks()).lower()


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled rules: ``(reason, pattern)`` pairs applied to folded lines."""

    rules: tuple[tuple[str, re.Pattern[str]], ...]
    version: int

    def reason(self, line: str) -> str | None:
        """The reason ``line`` is boilerplate, or None when it is story text."""
        folded = fold(line.strip())
        if not folded:
            return None
        for reason, pattern in self.rules:
            if pattern.search(folded):
                return reason
        return None

    def filter_lines(self, text: str) -> tuple[list[str], list[Removed]]:
        """Split ``text`` into non-empty stripped lines; drop and report boilerplate ones."""
        kept: list[str] = []
        removed: list[Removed] = []
        for block in split_blocks(text):
            why = self.reason(block)
            if why is None:
                kept.append(block)
            else:
                removed.append(Removed(text=block, reason=why))
        return kept, removed


def split_blocks(text: str) -> list[str]:
    """Non-empty lines of ``text`` with inner whitespace runs collapsed (NBSPs kept)."""
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = re.sub(r"[ \t]+", " ", line).strip()
        if line:
            out.append(line)
    return out


@lru_cache(maxsize=1)
def load_rules() -> BoilerplateRules:
    """Load and compile ``kibaru/data/boilerplate.toml`` once per process."""
    raw = resources.files("kibaru.data").joinpath("boilerplate.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    rules = tuple((r["reason"], re.compile(r["pattern"])) for r in data["rule"])
    return BoilerplateRules(rules=rules, version=int(data["version"]))
