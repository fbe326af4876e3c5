"""The fast path's prefilter: which blocks may hold an event trigger, read from tokens only.

A block can only yield an event when :func:`kibaru.extract.triggers.find_triggers` matches one
of its tokens, and a token can only match when its lemma, its surface form or the infinitive
rebuilt from its participle is a key of ``data/triggers.toml`` (a verb lemma, a noun, or the
first word of a multiword noun). The lemma depends on the tagger, so the prefilter takes the
*union* of every lemma the model's lemmatizer could give the token under any part of speech
(spaCy's French rule lemmatizer: index, exceptions, suffix rules, lookup table; see
``spacy/lang/fr/lemmatizer.py``). That union is a superset of the real lemma, so a block the
prefilter rejects can never hold a trigger: skipping its tagging and parsing cannot change the
events (``tests/test_fast_path.py`` compares both paths). The price is only speed: a block with
a word that *could* be a trigger is parsed in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from ..nlp.lexicon import norm
from .triggers import (
    TriggerEntry,
    future_infinitives,
    load_triggers,
    participle_infinitive,
    present_participle_infinitives,
)

__all__ = ["TriggerPrefilter", "trigger_keys"]

#: parts of speech the French rule lemmatizer handles with its tables (spaCy 3.8)
_RULE_POS = ("noun", "verb", "adj", "adp", "adv", "aux", "cconj", "det", "pron", "punct",
             "sconj")


@lru_cache(maxsize=1)
def trigger_keys() -> frozenset[str]:
    """Every normalised key a token can match in ``data/triggers.toml``: verb lemmas, nouns,
    the first words of multiword nouns and the head verbs of multiword-verb patterns."""
    keys: set[str] = set()
    for e in load_triggers():
        keys |= e.lemmas | e.nouns | e.pattern_heads
        keys |= {ph[0] for ph in e.phrases}
    return frozenset(keys)


class TriggerPrefilter:
    """Tells, from a tokenised block, whether it may hold a trigger (see the module doc).

    ``nlp`` is the loaded pipeline; its ``lemmatizer`` tables are read once. Raises
    ``KeyError`` when the pipeline has no component named ``lemmatizer``.
    """

    def __init__(self, nlp: Language) -> None:
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        self._index = lookups.get_table("lemma_index", {})
        self._exc = lookups.get_table("lemma_exc", {})
        self._rules = lookups.get_table("lemma_rules", {})
        self._lookup = lookups.get_table("lemma_lookup", {})
        self._keys = trigger_keys()
        self._cache: dict[str, frozenset[str]] = {}
        #: trigger key → the entries it can start, and whether as a verb (True) or a noun
        self._by_key: dict[str, list[tuple[TriggerEntry, bool]]] = {}
        for e in load_triggers():
            for key in e.lemmas | e.pattern_heads:
                self._by_key.setdefault(key, []).append((e, True))
            for key in e.nouns | {ph[0] for ph in e.phrases}:
                self._by_key.setdefault(key, []).append((e, False))

    def lemma_candidates(self, text: str) -> set[str]:
        """Every lemma the lemmatizer could give the token ``text`` (raw, not normalised)."""
        low = text.lower()
        out = {text, low}
        for t in (text, low):
            found = self._lookup.get(t)
            if found:
                out.update(found if isinstance(found, list) else [found])
        for pos in _RULE_POS:
            out.update(self._exc.get(pos, {}).get(low, []))
            for old, new in self._rules.get(pos, []):
                if low.endswith(old):
                    form = low[: len(low) - len(old)] + new
                    if form:
                        out.add(form)
        return out

    def words(self, text: str) -> frozenset[str]:
        """Every key a token with surface form ``text`` can match: the normalised lemma
        candidates, its lower-case form (context words are also matched on it) and the
        infinitive rebuilt from a participle or a future/conditional form
        (``triggers.verb_keys``). Cached."""
        found = self._cache.get(text)
        if found is None:
            keys = {norm(f) for f in self.lemma_candidates(text)}
            keys.add(text.lower())
            inf = participle_infinitive(norm(text))
            if inf is not None:
                keys.add(inf)
            keys |= future_infinitives(norm(text)) | present_participle_infinitives(norm(text))
            found = frozenset(keys)
            if len(self._cache) < 500_000:
                self._cache[text] = found
        return found

    def token_may_trigger(self, text: str) -> bool:
        """Whether a token with surface form ``text`` could be a trigger word (some entry's
        verb lemma, noun or first word of a multiword noun), constraints aside."""
        return not self.words(text).isdisjoint(self._keys)

    def may_hold_trigger(self, doc: Doc | Iterable[str]) -> bool:
        """Whether ``doc`` (a Doc, or token texts) could hold a trigger match.

        Besides a trigger word, the entry's other requirements must be satisfiable in the
        block: a context word, an object lemma or a subject lemma that ``find_triggers``
        looks for in the sentence or among the verb's arguments must appear somewhere in the
        block (as some token's possible lemma or form). Every test is on supersets, so a
        rejected block cannot match."""
        texts = [t.text for t in doc] if isinstance(doc, Doc) else list(doc)
        sets = [self.words(t) for t in texts]
        hits = [w & self._keys for w in sets if not w.isdisjoint(self._keys)]
        if not hits:
            return False
        present: set[str] = set().union(*sets)
        for hit in hits:
            for key in hit:
                for e, verbal in self._by_key[key]:
                    if e.context_words and present.isdisjoint(e.context_words):
                        continue
                    if not verbal:
                        return True
                    if e.object_lemmas and present.isdisjoint(e.object_lemmas):
                        continue
                    if e.subject_lemmas and present.isdisjoint(e.subject_lemmas):
                        continue
                    if e.patterns and key not in e.lemmas and all(
                            present.isdisjoint(p.words) for p in e.patterns if p.words):
                        continue
                    return True
        return False
