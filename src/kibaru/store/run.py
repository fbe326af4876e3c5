"""Corpus runs over a :class:`~kibaru.store.Store`: :func:`ingest` and :func:`reprocess`.

Both commit one document at a time (its row, events, quantities and removed blocks in one
transaction), so a run killed at any moment can simply be started again: what was committed is
recognised as unchanged, what was not is processed. A bad input never stops a run: it is stored
as a ``rejected`` document with its reason and counted.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, StoreError
from ..ingest import RawDoc
from ..model import Result
from ..nlp import DEFAULT_MODEL
from ..pipeline import process
from .db import Plan, Store, Written
from .records import DocumentRecord, build_record, raw_from_row
from .version import extractor_version

__all__ = ["IngestSummary", "ReprocessSummary", "ingest", "reprocess"]


@dataclass
class IngestSummary:
    """Counts of one ingest run. Every input read is exactly one of ``new`` (first version
    under its key), ``new_versions`` (changed content under a known key; the old version is
    kept) or ``unchanged`` (already stored: not processed again). ``reused`` counts the new
    documents and versions whose coded rows were copied from identical content already stored.
    ``rejected`` counts, by reason, the new documents and versions stored as rejected;
    ``events`` the events stored by this run; ``seconds`` wall-clock time."""

    read: int = 0
    new: int = 0
    new_versions: int = 0
    unchanged: int = 0
    reused: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    events: int = 0
    seconds: float = 0.0

    def add(self, written: Written) -> None:
        """Count one :class:`~kibaru.store.db.Written` outcome."""
        if written.outcome == "unchanged":
            self.unchanged += 1
            return
        if written.outcome == "new":
            self.new += 1
        else:
            self.new_versions += 1
        if written.status == "rejected":
            self.rejected[written.reason or "unknown"] += 1
        self.events += written.n_events

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values (``rejected`` as ``{reason: count}``)."""
        return {"read": self.read, "new": self.new, "new_versions": self.new_versions,
                "unchanged": self.unchanged, "reused": self.reused,
                "rejected": dict(sorted(self.rejected.items())),
                "rejected_total": sum(self.rejected.values()), "events": self.events,
                "seconds": round(self.seconds, 3)}


@dataclass
class ReprocessSummary:
    """Counts of one reprocess run: ``documents`` re-extracted, ``skipped`` (inputs never
    read, so nothing to re-extract), ``status_changed`` (ok ↔ rejected), ``events_before`` /
    ``events_after`` over the re-extracted documents, ``rejected`` by reason after the run,
    ``seconds`` wall-clock time."""

    documents: int = 0
    skipped: int = 0
    status_changed: int = 0
    events_before: int = 0
    events_after: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready values."""
        return {"documents": self.documents, "skipped": self.skipped,
                "status_changed": self.status_changed, "events_before": self.events_before,
                "events_after": self.events_after,
                "rejected": dict(sorted(self.rejected.items())),
                "seconds": round(self.seconds, 3)}


#: ``on_document(summary, message)``: called after each input with the running summary and a
#: one-line note (``"new examples/a.txt: 3 events"``), e.g. to drive a progress bar or a log.
Progress = Callable[[Any, str], None]


def _write(store: Store, item: RawDoc | InputError, record: DocumentRecord,
           extractor: str) -> Written:
    """``store.write(record)``; when DuckDB refuses the rows (K405), the input is stored as
    rejected (reason ``store-error``, raw input kept) so the run goes on."""
    try:
        return store.write(record)
    except StoreError as exc:
        if exc.code != "K405":
            raise
        error = InputError(record.document["source"], str(exc.args[0]), code="K405")
        fallback = build_record(item if isinstance(item, RawDoc) else error, error,
                                default_published=record.document["default_published"],
                                extractor_version=extractor)
        return store.write(fallback)


def _note(written: Written, source: str) -> str:
    what = {"new": "new", "new_version": f"version {written.version} of",
            "unchanged": "unchanged"}[written.outcome]
    if written.outcome == "unchanged":
        return f"unchanged {source}"
    if written.status == "rejected":
        return f"{what} {source}: rejected ({written.reason})"
    return f"{what} {source}: {written.n_events} event(s)"


#: a function coding raw documents into outcomes, in order (see :func:`ingest`)
Coder = Callable[[Iterable[RawDoc]], Iterable[Result | InputError]]


def ingest(store: Store, items: Iterable[RawDoc | InputError], *,
           published: str | None = None, model: str = DEFAULT_MODEL,
           on_document: Progress | None = None,
           clock: Callable[[], float] = time.perf_counter,
           coder: Coder | None = None) -> IngestSummary:
    """Store every input of ``items`` (from :func:`kibaru.ingest.iter_inputs`) in ``store``.

    For each input, in order: the newest version under its key has the same content hash →
    ``unchanged``, nothing else happens (no decoding, no model); the same content was coded by
    the current extractor elsewhere → its rows are copied (``reused``); otherwise the pipeline
    (:func:`kibaru.pipeline.process`) codes it. ``published`` (``YYYY-MM-DD``) anchors
    documents that carry no date. Each document is committed with its events before the next
    input is read. ``coder`` replaces :func:`kibaru.pipeline.process` (same contract: one
    outcome per input, in order), e.g. :func:`kibaru.scale.process_distributed` bound to a Dask
    client; this process stays the only writer. Returns the :class:`IngestSummary`. Raises
    :class:`~kibaru.errors.ModelError` when the spaCy model is missing and
    :class:`~kibaru.errors.StoreError` when the store cannot be written at all.
    """
    started = clock()
    version = extractor_version(model)
    summary = IngestSummary()
    pending: deque[RawDoc] = deque()

    def done(written: Written, source: str) -> None:
        summary.add(written)
        summary.seconds = clock() - started
        if on_document is not None:
            on_document(summary, _note(written, source))
        # the document is committed: let a reader (kibaru serve) in once a second
        store.yield_to_readers()

    def to_code() -> Iterator[RawDoc]:
        for item in items:
            summary.read += 1
            plan: Plan = store.plan(item, default_published=published,
                                    extractor_version=version)
            if plan.action == "unchanged":
                row = store.latest(plan.source_key)
                assert row is not None
                done(Written("unchanged", row[0], row[1], "", None, 0), item.source)
            elif isinstance(item, InputError):
                record = build_record(item, None, default_published=published,
                                      extractor_version=version)
                done(_write(store, item, record, version), item.source)
            elif plan.action == "reuse":
                written = store.write_reuse(item, plan, default_published=published)
                summary.reused += written.outcome != "unchanged"
                done(written, item.source)
            else:
                pending.append(item)
                yield item

    outcome: Result | InputError
    code = coder or (lambda raws: process(raws, published=published, model=model))
    for outcome in code(to_code()):
        raw = pending.popleft()
        record = build_record(raw, outcome, default_published=published,
                              extractor_version=version)
        done(_write(store, raw, record, version), raw.source)
    summary.seconds = clock() - started
    return summary


def reprocess(store: Store, *, outdated_only: bool = False, model: str = DEFAULT_MODEL,
              on_document: Progress | None = None,
              clock: Callable[[], float] = time.perf_counter) -> ReprocessSummary:
    """Re-extract stored documents from their stored raw input with the current code.

    Every version of every document (only those coded by another extractor version with
    ``outdated_only``) is decoded, cleaned and coded again with the ``default_published`` it
    was ingested with; its result columns, events, quantities and removed blocks are replaced
    in one transaction per document. Nothing is fetched again; keys, versions and the document
    count do not change. Inputs that were never read (missing path, too large) are skipped.
    """
    started = clock()
    version = extractor_version(model)
    summary = ReprocessSummary()
    for pk in store.document_pks(outdated_for=version if outdated_only else None):
        row = store.document_row(pk)
        assert row is not None
        raw = raw_from_row(row)
        if raw is None:
            summary.skipped += 1
            note = f"skipped {row['source']}: never read"
        else:
            default = row["default_published"]
            (outcome,) = process([raw], published=default, model=model)
            record = build_record(raw, outcome, default_published=default,
                                  extractor_version=version)
            try:
                store.replace(pk, record)
            except StoreError as exc:
                if exc.code != "K405":
                    raise
                error = InputError(raw.source, str(exc.args[0]), code="K405")
                record = build_record(raw, error, default_published=default,
                                      extractor_version=version)
                store.replace(pk, record)
            summary.documents += 1
            summary.events_before += int(row["n_events"])
            summary.events_after += len(record.events)
            summary.status_changed += record.status != row["status"]
            if record.status == "rejected":
                summary.rejected[str(record.document["reason"])] += 1
            note = (f"reprocessed {raw.source}: {row['n_events']} → {len(record.events)} "
                    f"event(s)")
        summary.seconds = clock() - started
        if on_document is not None:
            on_document(summary, note)
        store.yield_to_readers()  # committed: let a reader (kibaru serve) in once a second
    summary.seconds = clock() - started
    return summary
