"""Attribution (who says so) and status (reported, claimed, denied, planned, hypothetical,
negated), as CONTRACT.md defines them.

- ``Selon X`` / ``D'après X`` and neutral speech verbs (indiquer, annoncer, rapporter...) keep
  an event ``reported`` and name the source in ``attribution``;
- quotations (« … ») and assertive verbs (affirmer, assurer, prétendre, revendiquer) make it
  ``claimed``;
- the alleged actor's own denial (``X dément avoir livré``) makes it ``denied``; someone else's
  denial leaves it ``claimed``;
- negation (``n'a pas signé``) makes it ``negated``; future tense, promises and intentions make
  it ``planned``; a conditional not reporting a past statement makes it ``hypothetical``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span, Token

from ..nlp.lexicon import grammar_table, norm, word_set
from .draft import PartyDraft
from .parties import BlockView
from .triggers import future_infinitives

__all__ = ["SPEECH_VERBS", "ASSERTIVE_VERBS", "attribution_for", "denier_for", "status_for"]

NEUTRAL_VERBS = word_set("neutral_speech_verbs")
ASSERTIVE_VERBS = word_set("assertive_speech_verbs")
DENY_VERBS = word_set("deny_verbs")
DENY_FORMS = word_set("deny_forms")
SPEECH_VERBS = NEUTRAL_VERBS | ASSERTIVE_VERBS | DENY_VERBS
PLAN_HEADS = word_set("plan_heads")
#: verbs whose infinitive complement did not happen by refusal (PLOVER REJECT)
REFUSE_VERBS = word_set("refuse_verbs")
THREAT_HEADS = word_set("threat_heads")
NEGATORS = frozenset({"pas", "jamais", "point", "guère", "aucun", "aucune", "nullement", "plus"})


def _lemma(t: Token) -> str:
    return norm(t.lemma_ or t.text)


def _subject(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ in ("nsubj", "nsubj:pass"):
            return c
    return None


def _selon_source(view: BlockView, sent: Span) -> PartyDraft | None:
    doc = view.doc
    for t in sent:
        low = norm(t.text)
        if low == "selon" or (low in ("d'apres", "d'") and t.i + 1 < len(doc)
                              and norm(doc[t.i + 1].text) == "apres"):
            head = t.head if t.head.i != t.i else None
            if head is None or head.i < t.i:
                continue
            lo = t.i
            hi = view.np_bounds(head)[1]
            for c in head.children:
                if c.dep_ == "appos":
                    hi = max(hi, view.np_bounds(c)[1])
            hi = min(hi, sent.end)
            parties = view.parties(head)
            text, s, e = view.span_of(lo, hi)
            if parties:
                p = parties[0]
                return PartyDraft(text, s, e, p.name, p.country, p.sector, p.place, p.local)
            b0, b1 = view.np_bounds(head)
            return PartyDraft(text, s, e, view.doc[b0:b1].text,
                              None, None)
    return None


def denier_for(view: BlockView, trig: Token) -> PartyDraft | None:
    """The party that denies the event at ``trig`` ("Moscou dément avoir livré"), if any."""
    doc = trig.doc
    start = trig.sent.start
    if start > 0 and not any(x.pos_ in ("VERB", "AUX") for x in doc[start - 1].sent):
        start = doc[start - 1].sent.start
    for x in doc[start:trig.i]:
        if norm(x.text) in DENY_FORMS or (_lemma(x) in DENY_VERBS and x.pos_ == "VERB"):
            lo = start
            text_end = x.i
            for y in doc[lo:text_end]:
                if y.pos_ in ("PROPN", "NOUN"):
                    parties = view.parties(y)
                    b0, b1 = view.np_bounds(y)
                    text, s, e = view.span_of(b0, b1)
                    p = parties[0] if parties else None
                    return PartyDraft(text, s, e, p.name if p else text,
                                      p.country if p else None, p.sector if p else None)
    return None


def attribution_for(view: BlockView, trig: Token, sent: Span) -> tuple[PartyDraft | None, str]:
    """``(attribution, status)`` for the event triggered at ``trig`` in sentence ``sent``.

    ``status`` here is ``reported`` or ``claimed``; denial, negation and modality are added
    by :func:`status_for`.
    """
    q = view.in_quote(trig)
    if q is not None:
        speaker = view.quote_speaker(q)
        return speaker, "claimed"
    selon = _selon_source(view, sent)
    if selon is not None:
        return selon, "reported"
    # speech verbs in the sentence that are not the trigger itself
    for t in sent:
        lem = _lemma(t)
        if t.i == trig.i or lem not in SPEECH_VERBS or lem in DENY_VERBS:
            continue
        if t.pos_ not in ("VERB", "AUX") or "Inf" in t.morph.get("VerbForm", []):
            # (an infinitive reports nothing: "accusé le Soudan de soutenir les rebelles")
            continue
        subj = _subject(t)
        if subj is not None and subj.text.startswith("-"):
            subj = None  # "a-t-on appris": no named source in the pronoun
        if subj is None and lem == "apprendre":
            # "a-t-on appris de sources sécuritaires": the source follows "de"/"auprès de"
            subj = next((c for c in t.children if c.dep_.startswith("obl")
                         and norm(" ".join(x.text for x in c.children if x.dep_ == "case"))
                         in ("de", "d'", "aupres de")), None)
        if subj is None and t.i > trig.i:
            # inverted subject: "…, ont rapporté des élus locaux" (parsed as an object)
            subj = next((c for c in t.children if c.dep_ == "obj" and c.i > t.i
                         and c.pos_ in ("NOUN", "PROPN")), None)
        if subj is None:
            continue
        if subj.i <= trig.i <= max(x.i for x in subj.subtree):
            continue
        # the speech verb must govern the trigger, or hang on the trigger's clause
        ancestors = {a.i for a in trig.ancestors}
        related = t.i in ancestors or trig.i in {a.i for a in t.ancestors} or \
            t.head.i in ancestors or t.dep_ in ("parataxis", "dep", "advcl", "ccomp")
        if not related:
            continue
        parties = view.parties(subj)
        lo, hi = view.np_bounds(subj)
        text, s, e = view.span_of(lo, hi)
        if parties:
            p = parties[0]
            src = PartyDraft(text, s, e, p.name if p.name != p.text else text, p.country,
                             p.sector, p.place, p.local)
        else:
            src = PartyDraft(text, s, e, text, None, None)
        return src, "claimed" if lem in ASSERTIVE_VERBS else "reported"
    return None, "reported"


def _is_deny(t: Token) -> bool:
    return _lemma(t) in DENY_VERBS or norm(t.text) in DENY_FORMS


def _negated(t: Token) -> bool:
    kids = list(t.children)
    for a in (c for c in kids if c.dep_.startswith("aux")):
        kids.extend(a.children)
    has_ne = any(norm(c.text) in ("ne", "n'") for c in kids)
    has_neg = any(norm(c.text) in NEGATORS and c.dep_ in ("advmod", "det", "obj", "nsubj")
                  for c in kids)
    return has_ne and has_neg


_FUT_ENDINGS = ("ai", "as", "a", "ons", "ez", "ont")
_CND_ENDINGS = ("ais", "ait", "ions", "iez", "aient")


def _stem_form(x: Token, endings: tuple[str, ...]) -> bool:
    """True when ``x`` is its lemma's future/conditional stem + one of ``endings``
    (livrer → livrera / livrerait; prendre → prendra), a check for when the tagger errs."""
    lem, low = norm(x.lemma_), norm(x.text)
    if lem == low and x.pos_ == "NOUN" and any(c.dep_ == "nsubj" for c in x.children):
        # a verb the tagger read as a noun and left unlemmatised ("ils boycotteraient")
        found = future_infinitives(low)
        lem = next(iter(found)) if found else lem
    if not lem or lem == low or x.pos_ not in ("VERB", "AUX", "NOUN"):
        return False
    stems = {lem}
    if lem.endswith("re"):
        stems.add(lem[:-1])
    for ending, stem in _future_stems().items():
        if lem.endswith(ending):
            stems.add(lem[:-len(ending)] + stem)  # soutenir → soutiendr-
    return any(low == st + e for st in stems for e in endings)


@lru_cache(maxsize=1)
def _future_stems() -> dict[str, str]:
    """``[future_stems]`` of ``data/grammar.toml``: irregular future/conditional stems."""
    return {norm(k): norm(str(v)) for k, v in grammar_table("future_stems").items()}


def _tense(t: Token) -> tuple[bool, bool]:
    """(future, conditional) of the verb group headed by ``t`` (its auxiliaries included)."""
    toks = [t] + [c for c in t.children if c.dep_.startswith("aux")]
    fut = any("Fut" in x.morph.get("Tense", []) or _stem_form(x, _FUT_ENDINGS) for x in toks)
    cnd = any("Cnd" in x.morph.get("Mood", []) or _stem_form(x, _CND_ENDINGS) for x in toks)
    return fut, cnd


def _subjunctive(t: Token) -> bool:
    """True when the verb group headed by ``t`` is in the subjunctive and its clause is not
    one whose conjunction states a fact ("bien qu'ils aient attaqué", "après qu'ils eurent
    tiré": ``grammar.toml`` factive_que_words)."""
    if t.pos_ not in ("VERB", "AUX", "ADJ", "NOUN"):
        return False
    toks = [t] + [c for c in t.children if c.dep_.startswith("aux")]
    if len(toks) == 1 and t.dep_ == "conj":
        # "qu'ils soient pris à partie et battus": the auxiliary of the first conjunct
        t = t.head
        toks += [t] + [c for c in t.children if c.dep_.startswith("aux")]
    if not any("Sub" in x.morph.get("Mood", []) for x in toks):
        return False
    for c in t.children:
        if c.dep_ == "mark":
            before = t.doc[c.i - 1] if c.i > 0 else None
            if norm(c.text) in _FACTIVE_QUE or (before is not None and norm(
                    before.text) in _FACTIVE_QUE and norm(c.text) in ("que", "qu'")):
                return False
    return True


_FACTIVE_QUE = word_set("factive_que_words")


def is_condition(t: Token) -> bool:
    """True when ``t`` heads a "si" clause ("si le président ne concluait pas…"); the parser
    may hang "si" on the clause's subject, so the clause's first word is read."""
    return t.dep_ == "advcl" and norm(t.left_edge.text) in ("si", "s'")


def status_for(view: BlockView, trig: Token, base_status: str,
               actor: PartyDraft | None) -> str:
    """Final status of the event at ``trig`` given the attribution status ``base_status``."""
    # denial: the trigger sits under démentir / nier
    node: Token | None = trig
    hops = 0
    while node is not None and hops < 4:
        if node.i != trig.i and _is_deny(node):
            subj = _subject(node)
            denier = view.parties(subj) if subj is not None else []
            if not denier or actor is None or denier[0].country == actor.country or \
                    trig.dep_ in ("xcomp",) or node.i == trig.head.i:
                return "denied"
            return "claimed"
        if node.head.i == node.i:
            break
        node = node.head
        hops += 1
    near = [c for c in trig.children if c.dep_ in ("advmod", "dep")]
    near += list(trig.doc[max(trig.sent.start, trig.i - 3):trig.i])
    if any(norm(x.text) in DENY_FORMS for x in near):
        return "denied"
    if trig.pos_ in ("VERB", "AUX", "ADJ") and _negated(trig):
        return "negated"
    if trig.pos_ == "NOUN":
        if any(norm(c.text) in ("aucun", "aucune") for c in trig.children):
            return "negated"
        head = trig.head
        if head.i != trig.i and head.pos_ in ("VERB", "AUX") and _negated(head) and \
                trig.dep_ in ("obj", "nsubj", "nsubj:pass"):
            return "negated"
    if trig.head.i != trig.i and _lemma(trig.head) in REFUSE_VERBS and trig.dep_ in (
            "xcomp", "ccomp", "obj"):
        return "refused"
    node = trig
    for _ in range(3):
        if is_condition(node):
            return "hypothetical"  # inside a condition: "si le président ne concluait pas…"
        if node.head.i == node.i:
            break
        node = node.head
    if trig.head.i != trig.i and _lemma(trig.head) in THREAT_HEADS and trig.dep_ in (
            "xcomp", "ccomp", "obj", "acl", "nmod"):
        return "hypothetical"  # "a menacé d'instaurer un couvre-feu": what is threatened
    fut, cnd = _tense(trig)
    if fut:
        return "planned"
    # infinitive / noun governed by a promise, an intention or a future-tense verb
    head = trig.head
    if head.i != trig.i and (trig.morph.get("VerbForm", []) == ["Inf"] or trig.pos_ == "NOUN"
                             or trig.dep_ in ("xcomp", "ccomp")):
        if _lemma(head) in PLAN_HEADS and _lemma(head) not in ("annoncer",):
            return "planned"
        hfut, hcnd = _tense(head)
        if hfut and trig.dep_ in ("xcomp", "obj"):
            return "planned"
        if _lemma(head) in ("devoir", "pouvoir") and hcnd:
            return "hypothetical"
    if any(_lemma(c) in ("aller", "devoir") and c.dep_.startswith("aux") for c in trig.children):
        return "planned"
    if _subjunctive(trig):
        # "nous ne devons pas permettre qu'ils soient battus", "exiger que l'armée se
        # retire": an act in the subjunctive is wished, feared or demanded, not told
        return "hypothetical"
    if cnd:
        clause = trig
        for _ in range(2):  # "qu'ils boycotteraient tout contact": the parser may hang the
            if clause.dep_ == "ccomp" or clause.head.i == clause.i:  # verb under its object
                break
            clause = clause.head
        if clause.dep_ == "ccomp" and _lemma(clause.head) in SPEECH_VERBS | PLAN_HEADS:
            return "planned"
        return "hypothetical"
    return base_status
