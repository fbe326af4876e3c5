"""The fast path (parse only blocks that may hold a trigger) gives exactly the events of the
full path (parse every block): on the acceptance cases, the demo corpus and French text the
team wrote for the deferred-subject memory."""

from __future__ import annotations

import json

import pytest
from spacy.tokens import Doc

from conftest import ROOT, shared_dir
from kibaru.clean import clean
from kibaru.evaluate.events import case_inputs
from kibaru.extract import BlockView, DocMemory
from kibaru.extract.prefilter import TriggerPrefilter, trigger_keys
from kibaru.extract.triggers import find_triggers
from kibaru.ingest import RawDoc, iter_inputs
from kibaru.pipeline import blocks_of, may_match, process_clean


def _cleaned(paths: list[str], published: str | None = None) -> list:
    return [clean(r, published=published) for r in iter_inputs(paths) if isinstance(r, RawDoc)]


def _case_docs() -> list:
    docs = []
    folder = shared_dir("cases")
    for path in sorted(folder.glob("*.json")):
        raws, published = case_inputs(json.loads(path.read_text(encoding="utf-8")), folder)
        docs += [clean(r, published=published) for r in raws if isinstance(r, RawDoc)]
    return docs


def _events(c, nlp, fast: bool) -> list[dict]:
    return [e.to_dict() for e in process_clean(c, nlp, fast=fast).events]


def test_fast_path_equals_full_path_on_cases_and_demo(nlp):
    docs = _case_docs() + _cleaned([str(ROOT / "examples")])
    assert len(docs) >= 25 + 12
    total = 0
    for c in docs:
        full = _events(c, nlp, fast=False)
        assert _events(c, nlp, fast=True) == full, c.source
        total += len(full)
    assert total >= 60


def test_prefilter_skips_blocks_without_candidates(nlp):
    pf = TriggerPrefilter(nlp)
    assert not pf.may_hold_trigger(nlp.make_doc("Le ciel était bleu au-dessus du fleuve."))
    assert pf.may_hold_trigger(nlp.make_doc("Les deux présidents se sont rencontrés."))
    # a trigger inflected away from its key: "livrées" (livrer), "reprise" (reprendre)
    assert pf.token_may_trigger("livrées")
    assert pf.token_may_trigger("Reprise")


def test_prefilter_never_misses_a_trigger(nlp):
    """Every token find_triggers matches in the demo corpus is a prefilter candidate (the
    prefilter reads a superset of the lemmas the tagger can give)."""
    pf = TriggerPrefilter(nlp)
    matched = 0
    for c in _cleaned([str(ROOT / "examples")]):
        for _, line in blocks_of(c.text):
            doc = nlp(line)
            view = BlockView(doc, 0, 0, DocMemory())
            for m in find_triggers(doc, is_party=view.is_party, is_place=view.is_place):
                matched += 1
                assert pf.token_may_trigger(doc[m.head].text), doc[m.head].text
    assert matched >= 40
    assert "livrer" in trigger_keys()


@pytest.mark.parametrize("text,country", [
    # the subject of a block without a trigger is what the pronoun of the next one means
    ("Le président sénégalais était à Bamako mardi.\nIl a signé un accord de défense.", "SEN"),
    # two skipped blocks: the newest subject wins
    ("Le président sénégalais était à Bamako mardi.\nLe Premier ministre malien était absent."
     "\nIl a signé un accord de défense.", "MLI"),
    # a skipped block whose own subject is a pronoun refers further back
    ("Le président sénégalais était à Bamako mardi.\nIl était accompagné de ses ministres."
     "\nIl a signé un accord de défense.", "SEN"),
])
def test_deferred_subject_matches_full_path(nlp, text, country):
    c = clean(RawDoc("t", "t", "text", text), published="2024-03-08")
    pf = TriggerPrefilter(nlp)
    lines = text.split("\n")
    assert [pf.may_hold_trigger(nlp.make_doc(x)) for x in lines[:-1]] == [False] * (
        len(lines) - 1)
    full = _events(c, nlp, fast=False)
    assert [e["actor"]["country"] for e in full] == [country]
    assert _events(c, nlp, fast=True) == full


def test_skipped_blocks_are_not_parsed(nlp, monkeypatch):
    """A document whose blocks hold no candidate is never tagged or parsed."""
    calls: list[int] = []
    original = type(nlp).pipe

    def counting(self, texts, *args, **kwargs):
        for doc in original(self, texts, *args, **kwargs):
            calls.append(1)
            yield doc
    monkeypatch.setattr(type(nlp), "pipe", counting)
    text = "Le ciel était bleu au-dessus du fleuve.\nLes enfants jouaient près de l'eau."
    c = clean(RawDoc("t", "t", "text", text))
    assert process_clean(c, nlp, fast=True).events == ()
    assert calls == []
    process_clean(c, nlp, fast=False)
    assert len(calls) == 2
    assert isinstance(nlp.make_doc("x"), Doc)


def test_may_match_never_misses_a_match(nlp):
    """Every block where the real parties and places give a trigger match is one that
    ``may_match`` keeps after tagging and parsing alone (NER and actor marking not run)."""
    later = [n for n in ("ner", "kibaru_actors", "kibaru_dates", "kibaru_quantities")
             if n in nlp.pipe_names]
    kept = skipped = 0
    for c in _case_docs() + _cleaned([str(ROOT / "examples")]):
        for _, line in blocks_of(c.text):
            full = nlp(line)
            view = BlockView(full, 0, 0, DocMemory())
            real = find_triggers(full, is_party=view.is_party, is_place=view.is_place)
            half = nlp(line, disable=later)
            assert not half.has_annotation("ENT_IOB")
            if real:
                assert may_match(half), line
                kept += 1
            elif not may_match(half):
                skipped += 1
    assert kept >= 40


def test_blocks_without_a_possible_match_skip_ner(nlp, monkeypatch):
    """A candidate block (a trigger word) where no trigger can match once parsed never goes
    through NER in the fast path."""
    import kibaru.pipeline as pipeline

    finished: list[int] = []
    original = pipeline._finish

    def counting(nlp_, docs, names):
        if "ner" in names:
            finished.append(len(docs))
        return original(nlp_, docs, names)
    monkeypatch.setattr(pipeline, "_finish", counting)
    # "manifestants" is a trigger word, but nobody protests here
    text = "Les manifestants de la veille sont rentrés chez eux."
    c = clean(RawDoc("t", "t", "text", text), published="2024-03-08")
    assert TriggerPrefilter(nlp).may_hold_trigger(nlp.make_doc(text))
    fast = process_clean(c, nlp, fast=True).events
    assert sum(finished) == 0  # tagged and parsed, but no NER
    assert process_clean(c, nlp, fast=False).events == fast
