"""Scale-out on Dask (``dask.distributed``): code documents on a cluster of worker processes.

- :func:`start_local_cluster` starts a ``LocalCluster`` of processes with one thread per
  worker and one BLAS/OpenMP thread (DESIGN.md: otherwise a 1-worker run silently uses both
  cores), or :func:`connect` joins an existing scheduler (``tcp://HOST:PORT``).
- :class:`ModelPlugin` loads the spaCy pipeline once per worker, when the worker starts.
- :func:`process_distributed` has the contract of :func:`kibaru.pipeline.process` (one
  :class:`~kibaru.model.Result` or :class:`~kibaru.errors.InputError` per input, in input
  order) but codes batches on the workers; with ``out_dir`` each batch is also written as
  Parquet shards (``documents/`` and ``events/``) under a temporary name and renamed.

Workers never open the DuckDB file (one writing process per file): they return results, and
the caller's single writer stores them.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from ..errors import InputError
from ..ingest import RawDoc
from ..model import Result
from ..nlp import DEFAULT_MODEL

__all__ = ["ModelPlugin", "start_local_cluster", "connect", "process_distributed",
           "write_shards", "SINGLE_THREAD_ENV"]

#: environment of each worker process: one thread for BLAS / OpenMP libraries
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                     "MKL_NUM_THREADS": "1", "NUMEXPR_NUM_THREADS": "1"}


class ModelPlugin(WorkerPlugin):
    """Loads Kibaru's spaCy pipeline once per worker process (at worker start)."""

    name = "kibaru-model"

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        """Called by Dask on each worker: load the model into the process-wide cache."""
        from ..pipeline import get_pipeline

        get_pipeline(self.model)


def start_local_cluster(workers: int, *, model: str = DEFAULT_MODEL) -> Client:
    """A client on a new ``LocalCluster`` of ``workers`` processes (1 thread each, no
    dashboard), with :class:`ModelPlugin` registered. Close it with ``client.close()`` and
    ``client.cluster.close()`` (or use it as a context manager)."""
    for key, value in SINGLE_THREAD_ENV.items():
        os.environ.setdefault(key, value)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, env=dict(SINGLE_THREAD_ENV))
    client = Client(cluster)
    client.register_plugin(ModelPlugin(model))
    return client


def connect(address: str, *, model: str = DEFAULT_MODEL) -> Client:
    """A client on an existing Dask scheduler (``tcp://HOST:PORT``), with :class:`ModelPlugin`
    registered on its workers."""
    client = Client(address)
    client.register_plugin(ModelPlugin(model))
    return client


def _error_state(err: InputError) -> tuple[str, str, str]:
    return (err.source, err.reason, err.code)


def code_batch(batch: list[RawDoc], published: str | None, model: str,
               out_dir: str | None, batch_no: int) -> list[Result | tuple[str, str, str]]:
    """Runs on a worker: code ``batch`` with :func:`kibaru.pipeline.process`; errors come back
    as ``(source, reason, code)`` tuples (plain data crosses process boundaries safely)."""
    from ..pipeline import process

    outcomes = list(process(batch, published=published, model=model))
    if out_dir is not None:
        write_shards(Path(out_dir), batch, outcomes, batch_no, published=published, model=model)
    return [_error_state(o) if isinstance(o, InputError) else o for o in outcomes]


def write_shards(out_dir: Path, batch: list[RawDoc], outcomes: list[Result | InputError],
                 batch_no: int, *, published: str | None, model: str) -> None:
    """Write ``documents/part-NNNNNN.parquet`` and ``events/part-NNNNNN.parquet`` for one
    batch: written under a ``.tmp`` name, then renamed, so a reader never sees half a shard.
    Columns are those of the store's tables (``kibaru.store.records``) without the raw input
    blob; ``document_no`` links events to their document within the shard set."""
    import pandas as pd

    from ..store.records import build_record
    from ..store.version import extractor_version

    version = extractor_version(model)
    docs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for i, (raw, outcome) in enumerate(zip(batch, outcomes, strict=True)):
        record = build_record(raw, outcome, default_published=published,
                              extractor_version=version)
        doc_no = batch_no * 1_000_000 + i
        row = {k: v for k, v in record.document.items() if k != "raw"}
        docs.append({"document_no": doc_no, **row})
        events.extend({"document_no": doc_no, **e} for e in record.events)
    for name, rows in (("documents", docs), ("events", events)):
        folder = out_dir / name
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"part-{batch_no:06d}.parquet"
        tmp = folder / f".part-{batch_no:06d}.parquet.tmp"
        _stable_types(pd.DataFrame(rows)).to_parquet(tmp, index=False)
        os.replace(tmp, final)


_INT_SUFFIXES = ("_start", "_end", "_no", "geonames_id", "n_quantities", "n_events", "version",
                 "raw_bytes", "document_pk")
_FLOAT_COLUMNS = frozenset({"lat", "lon", "confidence"})


def _stable_types(frame: Any) -> Any:
    """Give every shard the same column types, whatever its values: integers as nullable
    Int64, coordinates and confidence as float64, lists as JSON text, everything else as
    text — so ``pandas.read_parquet(folder)`` and DuckDB read all shards as one table."""
    import json

    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        values = out[col]
        if col in _FLOAT_COLUMNS:
            out[col] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif col.endswith(_INT_SUFFIXES):
            out[col] = pd.to_numeric(values, errors="coerce").astype("Int64")
        elif any(isinstance(v, list | tuple | dict) for v in values):
            out[col] = [json.dumps(v, ensure_ascii=False, default=str) if v is not None
                        else None for v in values]
        elif values.dtype == object or values.isna().all():
            out[col] = [None if v is None or (isinstance(v, float) and v != v) else str(v)
                        for v in values]
            out[col] = out[col].astype("string")
    return out


def process_distributed(raws: Iterable[RawDoc | InputError], *, client: Client,
                        published: str | None = None, model: str = DEFAULT_MODEL,
                        batch_size: int = 4, out_dir: str | Path | None = None,
                        ) -> Iterator[Result | InputError]:
    """Like :func:`kibaru.pipeline.process`, with batches coded on ``client``'s workers.

    Results come back in input order; at most two batches per worker are in flight, so memory
    stays bounded on long corpora. Unreadable inputs given as :class:`InputError` pass through.
    """
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = 2 * n_workers
    pending: deque[tuple[str, Any]] = deque()
    batch: list[RawDoc] = []
    batch_no = 0
    target = str(out_dir) if out_dir is not None else None

    def submit() -> None:
        nonlocal batch, batch_no
        if batch:
            future = client.submit(code_batch, batch, published, model, target, batch_no,
                                   pure=False)
            pending.append(("future", future))
            batch, batch_no = [], batch_no + 1

    def drain(limit: int) -> Iterator[Result | InputError]:
        while len(pending) > limit:
            kind, value = pending.popleft()
            if kind == "error":
                yield value
                continue
            for item in value.result():
                yield InputError(*item[:2], code=item[2]) if isinstance(item, tuple) else item

    for raw in raws:
        if isinstance(raw, InputError):
            submit()
            pending.append(("error", raw))
        else:
            batch.append(raw)
            if len(batch) >= batch_size:
                submit()
        yield from drain(window)
    submit()
    yield from drain(0)
