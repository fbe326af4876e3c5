"""Event trigger lexicon (``data/triggers.toml``) and its matcher over parsed blocks."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from spacy.tokens import Doc, Token

from ..nlp.lexicon import norm, word_set
from .parties import WEEKDAYS

__all__ = ["ChildSpec", "DepPattern", "TriggerEntry", "TriggerMatch", "context_words",
           "direct_objects", "find_triggers", "future_infinitives", "load_triggers",
           "nonviolent_cues", "participle_infinitive", "present_participle_infinitives",
           "stranded_passive_subject", "verb_keys"]


@dataclass(frozen=True)
class ChildSpec:
    """One dependent a multiword-verb pattern requires of its head verb: a dependency label
    among ``deps`` (a label or its prefix before ":"), a lemma or form among ``lemmas``, and,
    when ``cases`` is not empty, a preposition among ``cases`` ("revenir *sur* son
    engagement"). Words are normalised (:func:`~kibaru.nlp.lexicon.norm`)."""

    deps: frozenset[str]
    lemmas: frozenset[str]
    cases: frozenset[str] = frozenset()

    def holds(self, head: Token) -> bool:
        """True when some child of ``head`` fits this spec."""
        for c in head.children:
            if c.dep_ not in self.deps and c.dep_.split(":")[0] not in self.deps:
                continue
            if _lemma(c) not in self.lemmas and norm(c.text) not in self.lemmas:
                continue
            if self.cases and not any(d.dep_ == "case" and norm(d.text) in self.cases
                                      for d in c.children):
                continue
            return True
        return False


@dataclass(frozen=True)
class DepPattern:
    """A multiword verb read on the dependency parse (``patterns`` in ``data/triggers.toml``):
    a head verb whose lemma (or rebuilt infinitive, :func:`verb_keys`) is in ``heads`` and
    whose children fit every :class:`ChildSpec` ("prendre d'assaut", "revenir sur sa
    promesse", "déposer les armes"). Our own matcher rather than spaCy's DependencyMatcher:
    the head must be matched on :func:`verb_keys` (tagger lemma, surface form, infinitive
    rebuilt from a participle or a future), which a DependencyMatcher node cannot express as
    one alternative (``tests/test_trigger_patterns.py``)."""

    heads: frozenset[str]
    children: tuple[ChildSpec, ...]

    def holds(self, head: Token, keys: set[str]) -> bool:
        """True when ``head`` (with verb keys ``keys``) matches the whole pattern."""
        return not self.heads.isdisjoint(keys) and all(c.holds(head) for c in self.children)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every dependent word the pattern requires (for the fast path's prefilter)."""
        return frozenset().union(*(c.lemmas for c in self.children))


def _pattern(raw: dict[str, object]) -> DepPattern:
    heads = raw.get("head", [])
    children = raw.get("children", [])
    assert isinstance(heads, list) and isinstance(children, list)
    return DepPattern(_keys([str(h) for h in heads]), tuple(
        ChildSpec(frozenset(str(d) for d in c.get("deps", ["obj"])),
                  _keys([str(w) for w in c.get("lemmas", [])]),
                  _keys([str(w) for w in c.get("case", [])]))
        for c in children))


@dataclass(frozen=True)
class TriggerEntry:
    """One ``[[trigger]]`` of ``data/triggers.toml`` (fields documented in that file)."""

    id: str
    type: str | None
    mode: str | None
    frame: str
    lemmas: frozenset[str]
    nouns: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    object: str | None
    object_lemmas: frozenset[str]
    object_not_lemmas: frozenset[str]
    subject_lemmas: frozenset[str]
    context: tuple[str, ...]
    context_words: frozenset[str]
    priority: int
    acled: tuple[str, str] | None
    reflexive: bool
    skip_with_clause: bool
    nominal_de: str
    category: str | None = None
    clause_recipient: bool = False
    context_not_words: frozenset[str] = frozenset()
    patterns: tuple[DepPattern, ...] = ()
    skip_as_purpose: bool = False

    @cached_property
    def pattern_heads(self) -> frozenset[str]:
        """Head verbs of this entry's multiword-verb patterns."""
        return frozenset().union(*(p.heads for p in self.patterns))


@dataclass(frozen=True)
class TriggerMatch:
    """A trigger found in a block: tokens ``start``..``end`` (``head`` is the main token)."""

    entry: TriggerEntry
    start: int
    end: int
    head: int
    nominal: bool


def _keys(words: list[str]) -> frozenset[str]:
    return frozenset(norm(w) for w in words)


@lru_cache(maxsize=1)
def load_triggers() -> tuple[TriggerEntry, ...]:
    """Parse ``data/triggers.toml`` once. Multiword nouns become lemma-sequence phrases."""
    raw = tomllib.loads(resources.files("kibaru.data").joinpath("triggers.toml").read_text("utf-8"))
    out = []
    for t in raw["trigger"]:
        nouns = [n for n in t.get("nouns", []) if " " not in n and "'" not in n]
        phrases = tuple(tuple(norm(n).replace("'", "' ").split()) for n in t.get("nouns", [])
                        if " " in n or "'" in n)
        lemmas = [w for w in t.get("lemmas", []) if " " not in w]
        acled = t.get("acled")
        out.append(TriggerEntry(
            id=t["id"], type=t.get("type") or None, mode=t.get("mode") or None,
            frame=t["frame"],
            lemmas=_keys(lemmas), nouns=_keys(nouns), phrases=phrases,
            object=t.get("object"), object_lemmas=_keys(t.get("object_lemmas", [])),
            object_not_lemmas=_keys(t.get("object_not_lemmas", [])),
            subject_lemmas=_keys(t.get("subject_lemmas", [])),
            context=tuple(t.get("context", [])),
            context_words=_keys(t.get("context_words", [])).union(
                *(word_set(name) for name in t.get("context_lists", []))),
            priority=int(t.get("priority", 1)),
            acled=(acled[0], acled[1]) if acled else None,
            reflexive=bool(t.get("reflexive", False)),
            skip_with_clause=bool(t.get("skip_with_clause", False)),
            skip_as_purpose=bool(t.get("skip_as_purpose", False)),
            nominal_de=str(t.get("nominal_de", "agent")),
            category=t.get("category") or None,
            clause_recipient=bool(t.get("clause_recipient", False)),
            context_not_words=_keys(t.get("context_not_words", [])),
            patterns=tuple(_pattern(p) for p in t.get("patterns", [])),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def nonviolent_cues() -> tuple[str, ...]:
    """Phrases marking a territory change without fighting (``nonviolent_cues``)."""
    raw = tomllib.loads(resources.files("kibaru.data").joinpath("triggers.toml").read_text("utf-8"))
    return tuple(raw.get("nonviolent_cues", []))


@lru_cache(maxsize=1)
def context_words() -> dict[str, frozenset[str]]:
    """``data/contexts.toml``: PLOVER context → normalised words that signal it."""
    raw = tomllib.loads(resources.files("kibaru.data").joinpath("contexts.toml").read_text("utf-8"))
    return {ctx: _keys(words) for ctx, words in raw["words"].items()}


def _lemma(tok: Token) -> str:
    return norm(tok.lemma_ or tok.text)


_PARTICIPLE = (("ees", "er"), ("ee", "er"), ("es", "er"), ("e", "er"), ("ies", "ir"),
               ("ie", "ir"), ("is", "ir"), ("i", "ir"), ("ues", "re"), ("ue", "re"),
               ("us", "re"), ("u", "re"))


def participle_infinitive(low: str) -> str | None:
    """The infinitive a normalised past participle stands for ("gele" → "geler", "vendu" →
    "vendre"), by its ending; None when ``low`` has no participle ending."""
    for end, inf in _PARTICIPLE:
        if low.endswith(end) and len(low) > len(end) + 2:
            return low[: -len(end)] + inf
    return None


def verb_keys(tok: Token) -> set[str]:
    """Lemma keys of a verb form: the tagger's lemma and surface form, plus the infinitive
    rebuilt from a past participle it left unlemmatised (:func:`participle_infinitive`)."""
    low = norm(tok.text)
    keys = {_lemma(tok), low}
    if _lemma(tok) == low:
        if (inf := participle_infinitive(low)) is not None:
            keys.add(inf)
        keys |= future_infinitives(low) | present_participle_infinitives(low)
    return keys


def present_participle_infinitives(low: str) -> set[str]:
    """Infinitives a normalised present participle may stand for when the tagger left it
    unlemmatised as an adjective ("exigeant" → "exiger", "menacant" → "menacer",
    "reclamant" → "reclamer", "finissant" → "finir"); empty without the ending."""
    if not low.endswith("ant") or len(low) < 6:
        return set()
    stem = low[:-3]
    out = {stem + "er"}
    if stem.endswith("ge"):
        out.add(stem[:-1] + "er")  # exigeant → exiger
    if stem.endswith("iss"):
        out.add(stem[:-3] + "ir")  # finissant → finir
    return out


_FUTURE_ENDINGS = ("aient", "ions", "iez", "ais", "ait", "ont", "ons", "ez", "ai", "as", "a")


def future_infinitives(low: str) -> set[str]:
    """Infinitives a normalised future or conditional form may stand for, when the tagger
    left it unlemmatised ("boycotteraient" → "boycotter", "prendraient" → "prendre"); empty
    when ``low`` has no such ending."""
    for end in _FUTURE_ENDINGS:
        if low.endswith(end) and len(low) > len(end) + 3:
            stem = low[: -len(end)]
            if stem.endswith(("er", "ir")):
                return {stem}
            if stem.endswith("r"):
                return {stem + "e"}
    return set()


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_.split(":")[0] in deps or c.dep_ in deps]


def find_triggers(
    doc: Doc,
    *,
    is_party: Callable[[Token], bool],
    is_place: Callable[[Token], bool],
) -> list[TriggerMatch]:
    """All trigger matches in ``doc`` whose constraints hold.

    ``is_party(token)`` tells whether a noun phrase head names a party (person, group,
    state); ``is_place(token)`` whether it names a place (or a town noun with a place).
    Several entries may match one token (e.g. ``recevoir``: CONSULT host with a party object,
    AID receive with a thing object); the constraints pick among them.
    """
    entries = load_triggers()
    phrase_heads = _phrase_heads()
    by_lemma, by_noun, by_phrase = _entry_index()
    # context words are matched on lemmas and on the exact lower-case form (not on an
    # accent-stripped form: "frappé" must not read as the noun "frappe"), in the trigger's
    # sentence or the one before
    sent_of: dict[int, int] = {}
    sent_words: dict[int, Counter[str]] = {}
    previous: Counter[str] = Counter()
    for s in doc.sents:
        # the sentence and the one before it in the paragraph ("Une manifestation a eu
        # lieu. La police l'a dispersée…"), counted per token (see the context check below)
        own: Counter[str] = Counter()
        for t in s:
            own.update({_lemma(t), t.lower_})
        sent_words[s.start] = own + previous
        previous = own
        for t in s:
            sent_of[t.i] = s.start
    out: list[TriggerMatch] = []
    for tok in doc:
        pos = tok.pos_
        verbal = pos in ("VERB", "ADJ", "AUX")
        nounish = pos in ("NOUN", "PROPN")
        if not (verbal or nounish or pos == "ADV"):
            continue
        if not verbal and pos in ("ADV", "NOUN") and not by_lemma.keys().isdisjoint(
                verb_keys(tok)):
            # a participle with its auxiliary is a verb whatever its tag ("ont violé" read
            # ADV), and so is a "noun" with a pronoun subject ("ils boycotteraient"); looked
            # at only when the word could be a verb trigger
            verbal = any(c.dep_.startswith("aux") or (c.dep_ == "nsubj" and c.pos_ == "PRON")
                         for c in tok.children)
        if not (verbal or nounish):
            continue
        lem, low = _lemma(tok), norm(tok.text)
        if pos == "PROPN" and tok.i == tok.sent.start and low.endswith(("s", "x")) \
                and (low[:-1] in by_noun or low[:-1] in phrase_heads):
            # a capitalised plural opening a headline is read as a name and not lemmatised
            # ("Frappes aériennes sur Nyala : trente morts")
            lem = low[:-1]
        keys = verb_keys(tok) if verbal else set()
        may_phrase = nounish and (lem in phrase_heads or low in phrase_heads)
        counts = sent_words.get(sent_of.get(tok.i, -1), Counter())
        mine = {lem, tok.lower_}
        # only the entries this token can start (same order as the lexicon file)
        cand: set[int] = set()
        for k in keys:
            cand.update(by_lemma.get(k, ()))
        if nounish:
            cand.update(by_noun.get(lem, ()))
            cand.update(by_noun.get(low, ()))
        if may_phrase:
            first = low.replace("'", "' ").split()
            for k in {lem, low, *first[:1]}:
                cand.update(by_phrase.get(k, ()))
        for e in (entries[j] for j in sorted(cand)):
            nominal = False
            end = tok.i + 1
            if verbal and keys & e.lemmas:
                pass
            elif nounish and (lem in e.nouns or low in e.nouns):
                nominal = True
            elif may_phrase and e.phrases:
                hit = None
                for ph in e.phrases:
                    seq = [norm(t.lemma_ or t.text) for t in doc[tok.i:tok.i + len(ph)]]
                    seq2 = norm(doc[tok.i:tok.i + len(ph)].text).replace("'", "' ").split()
                    if tuple(seq) == ph or tuple(seq2) == ph:
                        hit = ph
                        break
                if hit is None:
                    continue
                nominal = True
                end = tok.i + len(hit)
            elif verbal and e.patterns and not keys.isdisjoint(e.pattern_heads):
                if not any(p.holds(tok, keys) for p in e.patterns):
                    continue
            else:
                continue
            # a verb is never its own context word ("un policier frappe…" is no "frappe"
            # aérienne); a noun may be ("des renforts")
            if e.context_words and not any(
                    counts[w] > (not nominal and w in mine) for w in e.context_words):
                continue
            if e.context_not_words and any(counts[w] for w in e.context_not_words):
                continue
            if not _constraints_hold(e, tok, nominal, is_party, is_place):
                continue
            out.append(TriggerMatch(e, tok.i, end, tok.i, nominal))
    # a word inside a multiword trigger is no trigger of its own ("lacrymogènes" in "gaz
    # lacrymogènes", "feu" in "cessez-le-feu" phrases)
    covered = {i for m in out if m.end - m.start > 1 for i in range(m.start + 1, m.end)}
    return [m for m in out if m.end - m.start > 1 or m.head not in covered]


@lru_cache(maxsize=1)
def _entry_index() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]],
                            dict[str, tuple[int, ...]]]:
    """Positions in :func:`load_triggers` of the entries each key can start:
    ``(verb lemma or pattern head → entries, noun → entries, first word of a multiword noun →
    entries)``."""
    lemma: dict[str, list[int]] = {}
    noun: dict[str, list[int]] = {}
    phrase: dict[str, list[int]] = {}
    for j, e in enumerate(load_triggers()):
        for k in e.lemmas | e.pattern_heads:
            lemma.setdefault(k, []).append(j)
        for k in e.nouns:
            noun.setdefault(k, []).append(j)
        for ph in e.phrases:
            phrase.setdefault(ph[0], []).append(j)

    def frozen(d: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
        return {k: tuple(sorted(set(v))) for k, v in d.items()}

    return frozen(lemma), frozen(noun), frozen(phrase)


@lru_cache(maxsize=1)
def _phrase_heads() -> frozenset[str]:
    """First words of every multiword trigger noun (a token can only start a phrase then)."""
    return frozenset(ph[0] for e in load_triggers() for ph in e.phrases)


def _is_classifier(tok: Token) -> bool:
    """A bare noun qualifying another noun ("hélicoptères de combat", "zone de combat"):
    not an event, unless the noun it qualifies is itself an event noun ("tirs d'obus")."""
    if tok.dep_ != "nmod" or tok.head.pos_ != "NOUN":
        return False
    if any(c.dep_ in ("det", "nummod", "amod") for c in tok.children):
        return False
    if not any(c.dep_ == "case" and norm(c.text) in ("de", "d'") for c in tok.children):
        return False
    head = norm(tok.head.lemma_ or tok.head.text)
    return not any(head in e.nouns for e in load_triggers())


def stranded_passive_subject(tok: Token) -> Token | None:
    """The subject of a passive verb that the parser hung elsewhere: the noun right before the
    verb's auxiliaries ("plus de 2 500 militants ont été arrêtés" parsed with ``militants`` as
    a conjunct of an earlier verb). None when the verb has a nominal ``nsubj:pass``, is not a
    passive with an auxiliary, or the word before is no bare noun."""
    if any(c.dep_ == "nsubj:pass" and c.pos_ in ("NOUN", "PROPN", "PRON") for c in tok.children):
        return None
    aux = [c for c in tok.children if c.dep_.startswith("aux") and c.i < tok.i]
    if not any(c.dep_ == "aux:pass" for c in aux):
        return None
    i = min(c.i for c in aux) - 1
    doc = tok.doc
    while i >= tok.sent.start and doc[i].pos_ in ("ADV", "PART"):
        i -= 1
    if i < tok.sent.start:
        return None
    x = doc[i]
    if x.pos_ not in ("NOUN", "PROPN") or x.dep_ in ("nsubj", "nsubj:pass") \
            or any(c.dep_ == "case" for c in x.children):
        return None
    return x


def _constraints_hold(e: TriggerEntry, tok: Token, nominal: bool,
                      is_party: Callable[[Token], bool],
                      is_place: Callable[[Token], bool]) -> bool:
    if nominal and _is_classifier(tok):
        return False
    if nominal:
        if e.object == "place":
            # "la prise de Kidal", not "une mesure prise par Washington"
            return any(is_place(c) for c in _children(tok, "nmod", "obl")
                       if c.dep_ != "obl:agent" and not any(
                           d.dep_ == "case" and norm(d.text) == "par" for d in c.children))
        if e.object == "party" and e.frame in ("act_on",):
            return True
        # what the noun's "de" complement names is its object ("l'envoi de 200 soldats" is
        # no delivery, as "envoyer 200 soldats" is none)
        return not (e.object_not_lemmas and any(
            _lemma(c) in e.object_not_lemmas or norm(c.text) in e.object_not_lemmas
            for c in _through_amounts(_children(tok, "nmod"))
            if any(d.dep_ == "case" and norm(d.text) in ("de", "d'", "des", "du")
                   for d in c.children)))
    if e.skip_with_clause and any(c.dep_ == "ccomp" for c in tok.children):
        return False
    if e.skip_as_purpose and "Inf" in tok.morph.get("VerbForm", []) and any(
            c.dep_ == "mark" and norm(c.text) in ("pour", "afin") for c in tok.children):
        return False  # "leurs efforts pour renverser le gouvernement": an aim
    if e.reflexive and not any(c.dep_.startswith("expl") or norm(c.text) in ("se", "s'")
                               for c in tok.children):
        return False
    objs = direct_objects(tok) + [o for o in _children(tok, "nsubj:pass")
                                  if norm(o.text) not in WEEKDAYS]
    misread = misread_active_participle(tok)
    passive = any(c.dep_ in ("aux:pass", "nsubj:pass") for c in tok.children) or (
        tok.dep_ == "acl" and misread is None)
    stranded = stranded_passive_subject(tok)
    if stranded is not None:
        objs.append(stranded)
    if not objs and tok.pos_ == "VERB" and not passive:
        objs = first_bare_noun_after(tok)
    if tok.dep_ == "acl" and tok.pos_ in ("VERB", "ADJ") \
            and "Part" in tok.morph.get("VerbForm", []) and misread is None:
        objs = objs + [tok.head]
    if e.subject_lemmas:
        subj = _children(tok, "nsubj", "nsubj:pass") + ([misread] if misread is not None else [])
        if tok.dep_ == "acl" and "Pres" in tok.morph.get("Tense", []):
            subj.append(tok.head)  # "des manifestants affrontant la police"
        # the subject's noun, or an adjective on it that is one ("de jeunes Algériens")
        if not any(_lemma(x) in e.subject_lemmas or norm(x.text) in e.subject_lemmas
                   for s in subj for x in [s] + [a for a in s.children if a.dep_ == "amod"]):
            return False
    # lemma or form: the lemmatizer cuts invariable nouns ("obus" → "obu")
    if e.object_lemmas and not any(_lemma(o) in e.object_lemmas or norm(o.text) in e.object_lemmas
                                   for o in _through_amounts(objs)):
        return False
    if e.object_not_lemmas and any(_lemma(o) in e.object_not_lemmas
                                   or norm(o.text) in e.object_not_lemmas for o in objs):
        return False
    if e.object == "party":
        # "a reçu de Moscou 25 000 tonnes": an object with a preposition is no visitor
        return any(is_party(o) and not _prepositional(o) for o in objs)
    if e.object == "thing":
        if any(is_party(o) and not _prepositional(o) for o in objs):
            return False
        obls = _children(tok, "obl")
        return bool(objs) or any(_lemma(c) not in ("", ) for c in obls)
    if e.object == "place":
        obls = [c for c in _children(tok, "obl") if c.dep_ != "obl:agent"]
        if e.object_not_lemmas and any(_lemma(o) in e.object_not_lemmas
                                       for o in obls + _children(tok, "xcomp")):
            return False  # "s'emparer du pouvoir" (read as a complement)
        if e.frame == "take":
            if tok.dep_ in ("acl", "amod") and not any(
                    c.dep_ == "obl:agent" or c.dep_.startswith("aux") for c in tok.children):
                return False  # "la ville occupée", "les territoires occupés": a state
            direct = _children(tok, "obj")
            if direct and not any(is_place(o) or _territory(o) for o in direct):
                return False  # "ont pris la fuite à Shopian": the place is not what is taken
            if any(_territory(o) for o in objs + obls):
                return True  # territory changes hands even unnamed ("ont repris trois villages")
        return any(is_place(o) for o in objs + obls)
    return True


def misread_active_participle(tok: Token) -> Token | None:
    """The subject of a past participle that the parser hung on the noun before it as a
    description although "avoir" stands between them ("Les rebelles ont de nouveau rejeté un
    plan" parsed as "rebels rejected", with "ont" as punctuation): with "avoir" the participle
    is a finite active verb and that noun its subject. None otherwise, or when anything but
    adjectives, adverbs and function words stands between ("les armes qu'ils ont livrées")."""
    if tok.dep_ != "acl" or "Part" not in tok.morph.get("VerbForm", []) \
            or not tok.head.i < tok.i or tok.head.pos_ not in ("NOUN", "PROPN"):
        return None
    between = tok.doc[tok.head.i + 1:tok.i]
    if not any(x.pos_ == "AUX" and norm(x.lemma_) == "avoir" for x in between):
        return None
    if any(x.pos_ in ("VERB", "NOUN", "PROPN", "PRON", "SCONJ") for x in between):
        return None
    return tok.head


def first_bare_noun_after(tok: Token) -> list[Token]:
    """The first noun phrase after verb ``tok`` in its clause with no preposition, as a
    one-token list ([] when there is none): the object of a verb the parser attached none to
    ("libérerait d'ici à la fin du mois les opposants", "ont blessé jeudi deux soldats": a
    number is a determiner). The parser's sentence may have been cut right after the verb, so
    the search reads on to the next verb or strong punctuation; a weekday it read as a
    preposition ("rejeté vendredi un plan") is none."""
    for x in tok.doc[tok.i + 1:]:
        if (x.pos_ in ("VERB", "AUX") and x.dep_ != "acl") or (x.is_punct and x.text in ";:.!?"):
            break
        if x.pos_ in ("NOUN", "PROPN") and x.dep_ != "nsubj" \
                and not any(c.dep_ == "case" and c.i > tok.i and norm(c.text) not in WEEKDAYS
                            for c in x.children) \
                and (x.pos_ == "PROPN" or any(c.dep_ in ("det", "nummod") and c.i > tok.i
                                              for c in x.children)):
            return [x]
    return []


#: partitive articles the parser reads as prepositions ("frappent des détenus")
_PARTITIVES = frozenset({"des", "du"})


def direct_objects(tok: Token) -> list[Token]:
    """The direct objects of verb ``tok`` as the parser gives them, without a weekday read as
    one ("a reçu jeudi une délégation"), plus a partitive object it read as a prepositional
    complement ("ont échangé des prisonniers")."""
    return [c for c in tok.children if c.dep_ == "obj" and norm(c.text) not in WEEKDAYS] + [
        c for c in tok.children if c.dep_ == "obl:arg" and c.i > tok.i and any(
            d.dep_ == "case" and norm(d.text) in _PARTITIVES for d in c.children)]


def _prepositional(tok: Token) -> bool:
    """True when ``tok`` has a preposition other than a partitive article ("des", "du")
    read as one ("a reçu de Moscou" yes, "frappent des détenus" no)."""
    return any(c.dep_ == "case" and norm(c.text) not in _PARTITIVES for c in tok.children)


def _through_amounts(objs: list[Token]) -> list[Token]:
    """``objs`` plus what an amount among them counts ("des dizaines de mitrailleuses" →
    "mitrailleuses"; ``grammar.toml`` amount_nouns and batch_nouns)."""
    out = list(objs)
    for o in objs:
        if _lemma(o) in _AMOUNT_NOUNS:
            for c in o.children:
                if c.dep_ == "nmod":
                    out += [c] + [d for d in c.children if d.dep_ == "conj"]
    return out


_AMOUNT_NOUNS = word_set("amount_nouns") | word_set("batch_nouns")


def _territory(tok: Token) -> bool:
    """A noun naming a stretch of territory (``grammar.toml`` territory_nouns), or "le
    contrôle de" one ("le contrôle de la ville")."""
    lemma = _lemma(tok)
    if lemma in _TERRITORY_NOUNS:
        return True
    return lemma == "controle" and any(
        c.dep_ == "nmod" and _lemma(c) in _TERRITORY_NOUNS for c in tok.children)


_TERRITORY_NOUNS = word_set("territory_nouns")
