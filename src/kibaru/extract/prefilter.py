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
from .triggers import load_triggers

__all__ = ["TriggerPrefilter", "trigger_keys"]

#: parts of speech the French rule lemmatizer handles with its tables (spaCy 3.8)
_RULE_POS = ("noun", "verb", "adj", "adp", "adv", "aux", "cconj", "det", "pron", "punct",
             "sconj")
#: past-participle endings rebuilt into infinitives by ``triggers.verb_keys``
_PARTICIPLE = (("ees", "er"), ("ee", "er"), ("es", "er"), ("e", "er"), ("ies", "ir"),
               ("ie", "ir"), ("is", "ir"), ("i", "ir"), ("ues", "re"), ("ue", "re"),
               ("us", "re"), ("u", "re"))


@lru_cache(maxsize=1)
def trigger_keys() -> frozenset[str]:
    """Every normalised key a token can match in ``data/triggers.toml``: verb lemmas, nouns
    and the first words of multiword nouns."""
    keys: set[str] = set()
    for e in load_triggers():
        keys |= e.lemmas | e.nouns
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
        self._cache: dict[str, bool] = {}

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

    def token_may_trigger(self, text: str) -> bool:
        """Whether a token with surface form ``text`` could match a trigger key."""
        hit = self._cache.get(text)
        if hit is None:
            keys = {norm(f) for f in self.lemma_candidates(text)}
            low = norm(text)
            for end, inf in _PARTICIPLE:
                if low.endswith(end) and len(low) > len(end) + 2:
                    keys.add(low[: -len(end)] + inf)
                    break
            hit = bool(keys & self._keys)
            if len(self._cache) < 500_000:
                self._cache[text] = hit
        return hit

    def may_hold_trigger(self, doc: Doc | Iterable[str]) -> bool:
        """Whether any token of ``doc`` (a Doc, or token texts) could match a trigger."""
        texts = (t.text for t in doc) if isinstance(doc, Doc) else doc
        return any(self.token_may_trigger(t) for t in texts)
