"""Rows of the store computed from one input, without touching the database.

:func:`build_record` turns an input (a :class:`~kibaru.ingest.RawDoc`, or the
:class:`~kibaru.errors.InputError` that replaced an unreadable one) and what the pipeline made
of it into a :class:`DocumentRecord`: plain column → value dicts for the ``documents``,
``events``, ``quantities`` and ``removed`` tables. Records are picklable and hold only Python
scalars, lists, dates and bytes, so a worker process (Dask) can build them and send them to the
one process that writes the DuckDB file, or write them as Parquet rows
(``pyarrow.Table.from_pylist(record.events)``).

Identity rules (DESIGN.md "Storage"):

- ``source_key`` (:func:`source_key`): the URL as given (a command-line, ``.urls`` or feed
  link, a WARC record's target URI, a JSONL ``url``), else the page's own URL; else the
  absolute path of a file; ``<absolute path>#<id>`` for a JSONL line without URL;
  ``stdin:<content hash>`` for standard input (each distinct text piped in is its own
  document). A changed content under
  the same key is a new version of that document.
- ``content_hash`` (:func:`content_hash`): SHA-256 (hex) of the raw input, i.e. the file's
  bytes as read (``sha256sum`` gives the same value) or the UTF-8 text of a JSONL field; when
  the input carries its own ``title`` or ``published`` (JSONL), those are hashed too, since they
  change what is coded. An input that could not be read at all hashes its error code and
  reason, so re-reading the same broken input is recognised as unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..errors import InputError
from ..ingest import RawDoc
from ..model import Event, Party, Result

__all__ = [
    "DocumentRecord",
    "REJECT_REASONS",
    "DOCUMENT_INPUT_COLUMNS",
    "DOCUMENT_RESULT_COLUMNS",
    "EVENT_COLUMNS",
    "QUANTITY_COLUMNS",
    "REMOVED_COLUMNS",
    "build_record",
    "content_hash",
    "error_hash",
    "raw_from_row",
    "reject_reason",
    "source_key",
]

#: Error code → the short reason stored in ``documents.reason`` and counted in summaries.
#: A code not named here (a reader added later) is stored as the code in lower case (``k130``).
REJECT_REASONS = {
    "K101": "empty",
    "K102": "binary",
    "K103": "too-large",
    "K104": "undecodable",
    "K105": "not-utf8",
    "K106": "malformed",
    "K107": "malformed",
    "K108": "unreadable",
    "K109": "no-documents",
    "K110": "no-text",
    "K111": "internal-error",
    "K120": "unreachable",
    "K121": "robots-disallowed",
    "K122": "not-a-document",
    "K123": "bad-warc",
    "K124": "bad-feed",
    "K125": "malformed",
    "K405": "store-error",
}

#: ``documents`` columns that describe the input itself (known before any processing).
DOCUMENT_INPUT_COLUMNS = (
    "source_key", "doc_id", "source", "url", "kind", "content_hash", "raw", "raw_bytes",
    "raw_is_text", "input_title", "input_published", "input_charset", "default_published",
)
#: ``documents`` columns that the pipeline produces (replaced by ``kibaru reprocess``).
DOCUMENT_RESULT_COLUMNS = (
    "text", "title", "published", "language", "warnings", "status", "reason", "error_code",
    "message", "n_events", "extractor_version",
)
EVENT_COLUMNS = (
    "document_pk", "event_no", "event_id", "type", "mode", "context", "category",
    "actor_text", "actor_name", "actor_country", "actor_sector", "actor_start", "actor_end",
    "actor_associates",
    "recipient_text", "recipient_name", "recipient_country", "recipient_sector",
    "recipient_start", "recipient_end", "recipient_associates",
    "location_text", "location_name", "geonames_id", "location_country", "lat", "lon",
    "location_feature", "location_start", "location_end",
    "date_text", "date_value", "date_precision", "date_start", "date_end",
    "attribution_text", "attribution_name", "attribution_country", "attribution_sector",
    "attribution_start", "attribution_end",
    "status", "acled_event_type", "acled_sub_event_type", "confidence",
    "trigger_text", "trigger_start", "trigger_end",
    "evidence_text", "evidence_start", "evidence_end",
    "n_quantities", "extractor_version", "event_json",
)
QUANTITY_COLUMNS = (
    "document_pk", "event_no", "quantity_no", "event_id", "text", "value", "unit", "item",
    "kind", "approximate", "bound", "span_start", "span_end",
)
REMOVED_COLUMNS = ("document_pk", "block_no", "text", "reason")


@dataclass(frozen=True)
class DocumentRecord:
    """Everything the store keeps about one input, as rows (``document_pk`` left out).

    ``document`` maps every column of :data:`DOCUMENT_INPUT_COLUMNS` and
    :data:`DOCUMENT_RESULT_COLUMNS` to its value; ``events``, ``quantities`` and ``removed``
    are rows of those tables without ``document_pk`` (the writer adds it). ``raw`` is
    zlib-compressed.
    """

    document: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def source_key(self) -> str:
        """The identity of the input (see the module docstring)."""
        return str(self.document["source_key"])

    @property
    def content_hash(self) -> str:
        """SHA-256 (hex) of the raw input (see the module docstring)."""
        return str(self.document["content_hash"])

    @property
    def status(self) -> str:
        """``ok`` or ``rejected``."""
        return str(self.document["status"])


def _raw_bytes(raw: RawDoc) -> bytes:
    data = raw.data
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def content_hash(raw: RawDoc) -> str:
    """SHA-256 (hex) of the raw input, plus its own title and date when it has them."""
    h = hashlib.sha256(_raw_bytes(raw))
    if raw.title is not None or raw.published is not None:
        meta = json.dumps({"title": raw.title, "published": raw.published}, sort_keys=True)
        h.update(b"\x00kibaru-meta\x00" + meta.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def error_hash(error: InputError) -> str:
    """SHA-256 (hex) standing for an input that could not be read at all (code + reason)."""
    return hashlib.sha256(f"kibaru-error\x00{error.code}\x00{error.reason}".encode(
        "utf-8", "surrogatepass")).hexdigest()


_JSONL_LINE = re.compile(r"^(?P<path>.+):(?P<line>\d+)$")


def source_key(item: RawDoc | InputError, *, digest: str | None = None) -> str:
    """The identity under which versions of ``item`` are kept (see the module docstring).

    ``digest`` is the content hash (computed when not given), used for standard input only.
    """
    source = item.source
    if source == "-":
        if digest is None:
            digest = content_hash(item) if isinstance(item, RawDoc) else error_hash(item)
        return f"stdin:{digest}"
    if "://" in source:
        return source
    if isinstance(item, RawDoc) and item.url:
        return item.url
    m = _JSONL_LINE.match(source)
    if m and os.path.isfile(m["path"]) and not os.path.exists(source):
        path = os.path.abspath(m["path"])
        return f"{path}#{item.id}" if isinstance(item, RawDoc) else f"{path}:{m['line']}"
    return os.path.abspath(source)


def reject_reason(code: str) -> str:
    """The short reason for error ``code`` (see :data:`REJECT_REASONS`)."""
    return REJECT_REASONS.get(code, code.lower())


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _party(prefix: str, p: Party | None) -> dict[str, Any]:
    keys = ("text", "name", "country", "sector", "start", "end")
    if p is None:
        return {f"{prefix}_{k}": None for k in keys}
    return {f"{prefix}_{k}": getattr(p, k) for k in keys}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def event_rows(event: Event, event_no: int, *, extractor_version: str
               ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``events`` row and the ``quantities`` rows of one event (no ``document_pk``).

    Offsets are characters of the cleaned ``documents.text``; ``lat``/``lon`` decimal degrees;
    ``date_value`` a :class:`datetime.date`; associates and ``event_json`` are JSON text.
    """
    d = event.to_dict()
    row: dict[str, Any] = {
        "event_no": event_no, "event_id": event.id, "type": event.type, "mode": event.mode,
        "context": list(event.context), "category": event.category,
    }
    row |= _party("actor", event.actor)
    row["actor_associates"] = _json(d["actor_associates"])
    row |= _party("recipient", event.recipient)
    row["recipient_associates"] = _json(d["recipient_associates"])
    loc = event.location
    row |= {
        "location_text": loc.text if loc else None, "location_name": loc.name if loc else None,
        "geonames_id": loc.geonames_id if loc else None,
        "location_country": loc.country if loc else None,
        "lat": loc.lat if loc else None, "lon": loc.lon if loc else None,
        "location_feature": loc.feature if loc else None,
        "location_start": loc.start if loc else None, "location_end": loc.end if loc else None,
    }
    dv = event.date
    row |= {
        "date_text": dv.text if dv else None,
        "date_value": _iso_date(dv.value) if dv else None,
        "date_precision": dv.precision if dv else None,
        "date_start": dv.start if dv else None, "date_end": dv.end if dv else None,
    }
    att = event.attribution
    row |= {f"attribution_{k}": (getattr(att, k) if att else None)
            for k in ("text", "name", "country", "sector", "start", "end")}
    row |= {
        "status": event.status,
        "acled_event_type": event.acled.event_type if event.acled else None,
        "acled_sub_event_type": event.acled.sub_event_type if event.acled else None,
        "confidence": event.confidence,
        "trigger_text": event.trigger.text, "trigger_start": event.trigger.start,
        "trigger_end": event.trigger.end,
        "evidence_text": event.evidence.text, "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "n_quantities": len(event.quantities), "extractor_version": extractor_version,
        "event_json": _json(d),
    }
    quantities = [{
        "event_no": event_no, "quantity_no": i, "event_id": event.id, "text": q.text,
        "value": float(q.value), "unit": q.unit, "item": q.item, "kind": q.kind,
        "approximate": bool(q.approximate), "bound": q.bound, "span_start": q.start,
        "span_end": q.end,
    } for i, q in enumerate(event.quantities)]
    return row, quantities


def input_columns(item: RawDoc | InputError, *, default_published: str | None
                  ) -> dict[str, Any]:
    """The :data:`DOCUMENT_INPUT_COLUMNS` of ``item`` (raw input zlib-compressed)."""
    if isinstance(item, InputError):
        digest = error_hash(item)
        return {
            "source_key": source_key(item, digest=digest), "doc_id": None,
            "source": item.source, "url": None, "kind": None, "content_hash": digest,
            "raw": None, "raw_bytes": None, "raw_is_text": None, "input_title": None,
            "input_published": None, "input_charset": None,
            "default_published": default_published,
        }
    data = _raw_bytes(item)
    digest = content_hash(item)
    return {
        "source_key": source_key(item, digest=digest), "doc_id": item.id,
        "source": item.source, "url": item.url, "kind": item.kind, "content_hash": digest,
        "raw": zlib.compress(data, 6), "raw_bytes": len(data),
        "raw_is_text": isinstance(item.data, str), "input_title": item.title,
        "input_published": item.published, "input_charset": item.charset,
        "default_published": default_published,
    }


def build_record(item: RawDoc | InputError, outcome: Result | InputError | None, *,
                 default_published: str | None, extractor_version: str) -> DocumentRecord:
    """The rows for ``item`` and what the pipeline made of it.

    ``outcome`` is the pipeline's :class:`~kibaru.model.Result` or :class:`InputError` for
    ``item`` (``None`` when ``item`` is itself the error of an unreadable input). A document is
    ``rejected`` when it could not be read or cleaned (``reason`` from
    :data:`REJECT_REASONS`, ``error_code`` and ``message`` from the error) or when it is not
    French (``reason`` ``not-french``, cleaned text, title and language still kept, no
    events); else ``ok``.
    """
    doc = input_columns(item, default_published=default_published)
    error = item if isinstance(item, InputError) else outcome
    result_cols: dict[str, Any] = dict.fromkeys(DOCUMENT_RESULT_COLUMNS)
    result_cols |= {"n_events": 0, "extractor_version": extractor_version, "warnings": []}
    events: list[dict[str, Any]] = []
    quantities: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    if isinstance(error, InputError):
        result_cols |= {"status": "rejected", "reason": reject_reason(error.code),
                        "error_code": error.code, "message": str(error.reason)}
    elif isinstance(outcome, Result):
        d = outcome.document
        result_cols |= {
            "text": d.text, "title": d.title, "published": _iso_date(d.published),
            "language": d.language, "warnings": list(d.warnings),
            "n_events": len(outcome.events),
        }
        if d.language != "fr":
            result_cols |= {"status": "rejected", "reason": "not-french", "message": next(
                (w for w in d.warnings if "language" in w), f"language {d.language!r}")}
        else:
            result_cols["status"] = "ok"
        for i, e in enumerate(outcome.events):
            row, qs = event_rows(e, i, extractor_version=extractor_version)
            events.append(row)
            quantities.extend(qs)
        removed = [{"block_no": i, "text": r.text, "reason": r.reason}
                   for i, r in enumerate(d.removed)]
    else:  # pragma: no cover - a caller bug
        raise TypeError("build_record needs a Result or an InputError for a RawDoc")
    return DocumentRecord(doc | result_cols, events, quantities, removed)


def raw_from_row(row: dict[str, Any]) -> RawDoc | None:
    """The :class:`RawDoc` stored in a ``documents`` row (``doc_id``, ``source``, ``url``,
    ``kind``, ``raw``, ``raw_is_text``, ``input_title``, ``input_published``,
    ``input_charset``), or None when the input was never read (no raw bytes kept)."""
    if row.get("raw") is None or row.get("kind") is None:
        return None
    data = zlib.decompress(row["raw"])
    return RawDoc(
        id=row["doc_id"] or "", source=row["source"], kind=row["kind"],
        data=data.decode("utf-8", "surrogatepass") if row["raw_is_text"] else data,
        published=row["input_published"], title=row["input_title"], url=row["url"],
        charset=row["input_charset"],
    )


def utc_now() -> datetime:
    """The current time in UTC, naive (DuckDB ``TIMESTAMP``): the store's default clock."""
    from datetime import UTC

    return datetime.now(UTC).replace(tzinfo=None)
