"""Multiword verbs as dependency patterns (``patterns`` in ``data/triggers.toml``): the format,
our matcher on real parses of sentences the team wrote, and the fast path's prefilter."""

from __future__ import annotations

import pytest

from kibaru.extract.prefilter import TriggerPrefilter, trigger_keys
from kibaru.extract.triggers import ChildSpec, DepPattern, load_triggers, verb_keys
from kibaru.nlp.lexicon import norm


def _entry(entry_id: str):
    return next(e for e in load_triggers() if e.id == entry_id)


def test_patterns_load_from_the_lexicon():
    e = _entry("reject.renege")
    assert e.lemmas == frozenset() and e.pattern_heads == {"revenir"}
    (p,) = e.patterns
    (child,) = p.children
    assert child.cases == {"sur"} and "promesse" in child.lemmas and child.deps == {"obl"}
    assert "revenir" in trigger_keys()  # the prefilter knows pattern heads


@pytest.mark.parametrize("text,etype,mode", [
    ("Le chef de la junte est revenu sur sa promesse de rendre le pouvoir aux civils.", "REJECT",
     None),
    ("Des assaillants ont pris d'assaut le poste de gendarmerie de Boni.", "ASSAULT", "firearms"),
    ("Une centaine de combattants ont déposé les armes à Diffa, selon le gouverneur.", "RETREAT",
     "disarm"),
])
def test_multiword_verbs_code_events(code, text, etype, mode):
    events = code(text, published="2025-03-12").events
    assert [(e.type, e.mode) for e in events if e.type == etype] == [(etype, mode)]


@pytest.mark.parametrize("text", [
    "Le ministre est revenu sur les lieux du drame dimanche.",   # no promise: a return
    "Les élèves ont déposé leurs cartables devant l'école.",     # no weapons
    "Le Premier ministre a pris la parole devant l'Assemblée.",  # "prendre" without "assaut"
])
def test_head_verb_alone_is_no_event(code, text):
    events = code(text, published="2025-03-12").events
    assert not [e for e in events if e.type in ("REJECT", "ASSAULT", "RETREAT")]


def test_pattern_matcher_reads_verb_keys(nlp):
    # the head is matched on verb_keys (tagger lemma, form, infinitive rebuilt from a
    # participle or a future): what a DependencyMatcher node cannot OR in one alternative
    doc = nlp("Les mutins déposeraient les armes demain.")
    head = next(t for t in doc if norm(t.text) == "deposeraient")
    keys = verb_keys(head)
    pattern = DepPattern(frozenset({"deposer"}), (ChildSpec(frozenset({"obj"}),
                                                            frozenset({"arme"})),))
    assert "deposer" in keys
    assert pattern.holds(head, keys) == any(c.dep_ == "obj" and c.lemma_ == "arme"
                                            for c in head.children)
    assert not DepPattern(frozenset({"rendre"}), pattern.children).holds(head, keys)


def test_prefilter_needs_a_pattern_word(nlp):
    pre = TriggerPrefilter(nlp)
    assert pre.may_hold_trigger(nlp.make_doc("Ils sont revenus sur leur promesse."))
    # "revenir" alone can start no entry (reject.renege needs one of its dependents)
    assert not pre.may_hold_trigger(nlp.make_doc("Ils sont revenus tard."))
