"""Kibaru's exceptions: one root (`KibaruError`) with specific children.

Every error carries a stable ``code`` (``K1xx`` input, ``K2xx`` model, ``K3xx`` usage, ``K4xx``
store) and a message that names the input and says how to fix the problem, so the CLI can print
it without a traceback.
"""

from __future__ import annotations

__all__ = ["KibaruError", "InputError", "ModelError", "UsageError", "StoreError"]


class KibaruError(Exception):
    """Root of every error Kibaru raises on purpose.

    Attributes:
        code: stable identifier such as ``"K101"``; safe to match on in scripts.
    """

    code = "K000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class InputError(KibaruError):
    """An input could not be read: binary, empty, undecodable, too large, malformed JSONL.

    ``source`` names the input (path, ``path:line`` for JSONL, ``-`` for stdin).
    """

    code = "K100"

    def __init__(self, source: str, reason: str, *, code: str | None = None) -> None:
        super().__init__(f"{source}: {reason}", code=code)
        self.source = source
        self.reason = reason


class ModelError(KibaruError):
    """The spaCy French model is missing or failed to load (fix: ``make install``)."""

    code = "K200"


class UsageError(KibaruError):
    """Bad command-line usage (exit status 2)."""

    code = "K300"


class StoreError(KibaruError):
    """The DuckDB store cannot be opened, read or written (:mod:`kibaru.store`).

    Codes: ``K401`` the file is locked by another process (DuckDB allows one writing process
    per file), ``K402`` the file cannot be opened (missing, no permission, not a DuckDB file,
    or a DuckDB file holding other tables than a Kibaru store's),
    ``K403`` its schema is newer than this Kibaru, ``K404`` its schema is older and the store
    was opened read-only, ``K405`` a document could not be written.
    """

    code = "K400"
