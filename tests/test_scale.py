"""Scale-out on a real Dask LocalCluster of 2 worker processes, end to end."""

from __future__ import annotations

import pandas as pd
import pytest

import kibaru
from kibaru.errors import InputError
from kibaru.ingest import RawDoc
from kibaru.model import Result
from kibaru.pipeline import process
from kibaru.store import Store, ingest

pytestmark = pytest.mark.slow

TEXTS = [
    "Moscou a transféré 25 000 tonnes de blé au Mali, selon Maria Zakharova.",
    "Des hommes armés ont enlevé vingt-deux civils près de Ménaka.",
    "Le Japon a octroyé 2,3 millions de dollars et 12 500 tonnes de riz au Tchad.",
    "Les derniers soldats français ont quitté le Niger mardi.",
    "À Dakar, la police a arrêté une centaine de manifestants qui protestaient vendredi.",
    "Le Kremlin a salué la décision des autorités nigériennes d'expulser l'ambassadeur de "
    "France.",
    "The army said on Monday it had retaken the town after two days of fighting.",
]


def test_two_workers_match_one_process(tmp_path):
    from kibaru.scale import process_distributed, start_local_cluster

    raws: list[RawDoc | InputError] = [RawDoc(f"d{i}", f"d{i}", "text", t, published="2024-05-16")
                                       for i, t in enumerate(TEXTS)]
    raws.insert(3, InputError("broken.txt", "binary data, not text or HTML", code="K102"))
    expected = list(process(raws))
    client = start_local_cluster(2)
    try:
        assert len(client.scheduler_info()["workers"]) == 2
        got = list(process_distributed(raws, client=client, batch_size=2, out_dir=tmp_path))
        # the store's single writer with the workers as coder: same events as one process
        with Store(tmp_path / "dask.duckdb") as store:
            summary = ingest(store, iter(raws), coder=lambda items: process_distributed(
                items, client=client, batch_size=2))
        with Store(tmp_path / "one.duckdb") as store:
            ingest(store, iter(raws))
    finally:
        client.close()
        client.cluster.close()
    assert len(got) == len(expected)
    for g, e in zip(got, expected, strict=True):
        if isinstance(e, InputError):
            assert isinstance(g, InputError) and (g.source, g.code) == (e.source, e.code)
        else:
            assert isinstance(g, Result) and g.to_dict() == e.to_dict()
    docs = pd.read_parquet(tmp_path / "documents")
    events = pd.read_parquet(tmp_path / "events")
    assert len(docs) == len(TEXTS)
    n_events = sum(len(r.events) for r in expected if isinstance(r, Result))
    assert len(events) == n_events > 0
    assert not list(tmp_path.rglob("*.tmp")), "no half-written shard left behind"
    assert summary.read == len(raws)
    frames = [kibaru.open(tmp_path / name).events() for name in ("dask.duckdb", "one.duckdb")]
    keys = [sorted(zip(f["event_id"], f["type"], strict=True)) for f in frames]
    assert keys[0] == keys[1] and len(keys[0]) == n_events
