"""Parties (actors, recipients, sources) and place mentions read from the dependency parse.

Knowledge comes from the actor marker's spans (``doc.spans["kibaru_actors"]``, lexicon files);
this module reads noun phrases around a head token: a country, capital, seat of power,
organisation or known person; a sector noun with its country adjective or "de X" complement
("l'armée burkinabè", "l'ambassadeur de France", "les autorités de Ménaka"); an unknown person
with the role given by an apposition; pronouns, "nos forces" in a quotation, and "les deux
pays / dirigeants" resolved from the document's earlier mentions.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..nlp.actors import SPAN_KEY, ActorMarker, entry_of
from ..nlp.lexicon import Lexicon, get_lexicon, norm, word_set
from .draft import STATE_SECTORS, PartyDraft, PlaceDraft

__all__ = ["BlockView", "DocMemory", "TOWN_NOUNS", "WEEKDAYS", "case_of", "note_mentions"]

#: nouns that stand for a place when followed by "de <Place>" ("la ville de Kidal")
TOWN_NOUNS = word_set("town_nouns")
_PAIR_NOUNS = word_set("pair_nouns")
_NEAR_WORDS = word_set("near_words")
#: prepositions of place that end a party's noun phrase ("une patrouille | près de Téra")
_PLACE_PREPS = frozenset({"à", "au", "aux", "dans", "près de", "pres de", "sur", "vers", "en",
                          "non loin de", "autour de", "à proximité de"})
WEEKDAYS = frozenset({"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
                      "hier", "aujourd'hui"})
_PRONOUNS = frozenset({"il", "elle", "ils", "elles", "eux"})
_PLURAL_PRONOUNS = frozenset({"ils", "elles", "eux"})
_STATE_OF = word_set("state_of_words")
_POSSESSIVE_1P = frozenset({"nos", "notre"})
_CONTAINERS = word_set("container_nouns")
_BASED_VERBS = word_set("based_verbs")
_LED_VERBS = word_set("led_verbs")
_ADMIN_NOUNS = word_set("admin_nouns")
#: sectors of parties of the place where they act when the text names no country (ACLED's
#: "Communal militia (country)" convention for militias)
_LOCAL_SECTORS = frozenset({"CVL", "COP", "REF", "EDU", "MED", "BUS", "AGR", "REL", "LAB", "JRN",
                            "PRM"})
_RELATION_WORDS = word_set("relation_words")


def _relation_complement(c: Token) -> bool:
    """True when the "de X" complement ``c`` of a noun comes after a word of relation on that
    noun ("la milice alliée d'Israël", parsed with "d'Israël" on "milice"): X is who the
    noun is related to, not whose it is (``grammar.toml`` relation_words)."""
    head = c.head
    return c.dep_ == "nmod" and any(
        norm(a.lemma_ or a.text) in _RELATION_WORDS or norm(a.text) in _RELATION_WORDS
        for a in head.children if a.dep_ in ("amod", "acl") and head.i < a.i < c.i)


def case_of(tok: Token) -> str:
    """The preposition governing ``tok`` ("à", "au", "près de", "de la part de"), lower-case."""
    parts = []
    near = [c for c in tok.children if c.dep_ == "advmod" and c.i < tok.i
            and norm(c.text) in _NEAR_WORDS]
    if not near and tok.i >= 2 and tok.head.i != tok.i:
        # "une patrouille près de Téra": "près" may hang on the head noun, just before "de"
        before = tok.doc[tok.i - 2] if tok.doc[tok.i - 1].dep_ == "case" else None
        if tok.i >= 3 and tok.doc[tok.i - 1].dep_ == "det" and tok.doc[tok.i - 2].dep_ == "case":
            before = tok.doc[tok.i - 3]
        if before is not None and norm(before.text) in _NEAR_WORDS and before.head.i == tok.head.i:
            near = [before]
    if near:
        parts.append(" ".join(c.lower_ for c in near))
    for c in tok.children:
        if c.dep_ == "case" or (c.dep_ == "det" and c.lower_ in ("du", "des", "au", "aux")
                                and c.i < tok.i and c.pos_ == "ADP"):
            words = [c.lower_] + [f.lower_ for f in c.children if f.dep_ == "fixed"]
            parts.append(" ".join(words))
    out = " ".join(parts).replace("’", "'")
    return "de" if out == "d'" else out.replace(" d'", " de")


class DocMemory:
    """What earlier text says, for references: countries in order of mention (ISO3,
    ``(block, token, iso3, name, sector)``), the last subject party, and the publication date.

    ``last_subject`` may be *deferred*: the fast path does not parse blocks without a trigger
    candidate, but the subject of their sentences can still be what a later pronoun refers
    to. Such a block is registered with :meth:`defer` (a callable that parses it and runs the
    subject pass on a memory it is given); reading ``last_subject`` then runs the deferred
    blocks lazily, newest first, stopping at the first one that sets a subject without
    needing an earlier one. The answer is the one an in-order pass over every block gives.
    """

    def __init__(self, published: str | None = None,
                 countries: list[tuple[int, int, str, str, str | None]] | None = None,
                 last_subject: PartyDraft | None = None, *, trial: bool = False) -> None:
        self.countries = countries if countries is not None else []
        self.published = published
        self._last_subject = last_subject
        self._pending: list[Callable[[DocMemory], None]] = []
        self._trial = trial
        self._set = False
        self._read_unknown = False

    @property
    def last_subject(self) -> PartyDraft | None:
        """The subject of the latest sentence that had one (see the class doc)."""
        if self._trial and not self._set:
            self._read_unknown = True
            return None
        if self._pending:
            pending, self._pending = self._pending, []
            self._last_subject = self._state_after(pending, len(pending) - 1)
        return self._last_subject

    @last_subject.setter
    def last_subject(self, party: PartyDraft | None) -> None:
        self._last_subject = party
        self._set = True
        self._pending = []  # whatever deferred blocks said is overwritten

    def defer(self, subject_pass: Callable[[DocMemory], None]) -> None:
        """Register a block whose subject pass runs only if ``last_subject`` is read."""
        self._pending.append(subject_pass)

    def _state_after(self, pending: list[Callable[[DocMemory], None]], k: int
                     ) -> PartyDraft | None:
        while k >= 0:
            trial = DocMemory(self.published, self.countries, trial=True)
            pending[k](trial)
            if trial._set:
                if not trial._read_unknown:
                    return trial._last_subject
                real = DocMemory(self.published, self.countries,
                                 self._state_after(pending, k - 1))
                pending[k](real)
                return real._last_subject
            k -= 1
        return self._last_subject


class BlockView:
    """One parsed block (a line of the cleaned text) with helpers over its parse.

    ``offset`` is the block's first character in ``Document.text``.
    """

    def __init__(self, doc: Doc, offset: int, index: int, memory: DocMemory,
                 lexicon: Lexicon | None = None) -> None:
        self.doc = doc
        self.offset = offset
        self.index = index
        self.memory = memory
        self.lex = lexicon or get_lexicon()
        self.actor_at: dict[int, Span] = {}
        for span in doc.spans.get(SPAN_KEY, []):
            for i in range(span.start, span.end):
                self.actor_at[i] = span
        self.places = self._find_places()
        self.place_at: dict[int, PlaceDraft] = {}
        for p, (s, e) in self.places:
            for i in range(s, e):
                self.place_at[i] = p
        self.quotes = self._find_quotes()
        self.speaker: dict[int, PartyDraft | None] = {}

    # ------------------------------------------------------------------ spans and offsets
    def char(self, i: int) -> int:
        """Document offset of token ``i``'s first character."""
        return self.offset + self.doc[i].idx

    def span_of(self, start: int, end: int) -> tuple[str, int, int]:
        """``(text, doc_start, doc_end)`` of tokens ``start..end`` (trailing punct trimmed)."""
        while end - 1 > start and self.doc[end - 1].is_punct and self.doc[end - 1].text != ")":
            end -= 1
        span = self.doc[start:end]
        if span.text.count("(") > span.text.count(")"):
            # "Volontaires pour la défense de la patrie (VDP": close the bracket
            close = next((t.i for t in self.doc[end:end + 3] if t.text == ")"), None)
            if close is not None:
                end = close + 1
            else:
                end = max(start + 1, max(t.i for t in span if t.text == "("))
            span = self.doc[start:end]
        return span.text, self.offset + span.start_char, self.offset + span.end_char

    def np_bounds(self, tok: Token) -> tuple[int, int]:
        """Token bounds of the noun phrase headed by ``tok`` without clauses, punctuation or
        a leading preposition."""
        keep = {tok.i}
        stack = [tok]
        while stack:
            t = stack.pop()
            for c in t.children:
                if c.dep_ in ("acl:relcl", "acl", "punct", "case", "cc", "conj", "advcl",
                              "parataxis", "dep", "xcomp") or c.dep_.startswith(("nsubj", "obl")):
                    continue
                if norm(c.text) in WEEKDAYS or norm(c.text) in _NEAR_WORDS:
                    continue
                if c.dep_ == "nmod" and case_of(c) in _PLACE_PREPS | {"selon", "d'apres"}:
                    continue
                if c.dep_ == "appos" and t is tok and not (
                        c.pos_ == "PROPN" and c.ent_type_ == "PER"):
                    continue
                keep.add(c.i)
                stack.append(c)
        # a phrase fronted before a comma is no part of the noun phrase ("Réunis à Abuja, les
        # chefs d'État…", hung on "chefs" by the parser)
        commas = [i for i in range(min(keep), tok.i) if self.doc[i].text == ","]
        if commas:
            keep = {i for i in keep if i > commas[-1]}
        # nor anything after a conjunct ("Le gouvernement tchadien et le groupe rebelle FACT",
        # with "FACT" hung on "gouvernement")
        cut = min((c.left_edge.i for c in tok.children
                   if c.dep_ in ("conj", "cc") and c.i > tok.i), default=None)
        if cut is not None:
            keep = {i for i in keep if i < cut}
        lo, hi = min(keep), max(keep) + 1
        while lo < tok.i and (self.doc[lo].dep_ == "case" or self.doc[lo].is_punct):
            lo += 1
        return lo, hi

    # ------------------------------------------------------------------ places
    def _find_places(self) -> list[tuple[PlaceDraft, tuple[int, int]]]:
        doc = self.doc
        found: dict[int, tuple[PlaceDraft, tuple[int, int]]] = {}
        for span in doc.spans.get(SPAN_KEY, []):
            if span.label_ in ("COUNTRY", "CAPITAL"):
                e = entry_of(span)
                found[span.start] = (PlaceDraft(span.text, self.offset + span.start_char,
                                                self.offset + span.end_char, e.country,
                                                is_country=span.label_ == "COUNTRY",
                                                is_capital=span.label_ == "CAPITAL"),
                                     (span.start, span.end))
        for ent in doc.ents:
            if any(i in self.actor_at for i in range(ent.start, ent.end)):
                continue
            while ent.end - ent.start > 1 and norm(ent[-1].text) in WEEKDAYS:
                ent = ent[:-1]  # "Tessalit dimanche"
            # "la région de Kayes", "province du Soum": the name after the town noun
            if ent.end - ent.start >= 3 and norm(ent[0].lemma_) in TOWN_NOUNS \
                    and norm(ent[1].text) in ("de", "du", "d'", "des"):
                ent = ent[2:]
                if ent[0].dep_ == "det" and ent.end - ent.start > 1:
                    ent = ent[1:]
            head = ent.root
            prev = doc[ent.start - 1] if ent.start > 0 else None
            locative = prev is not None and norm(prev.text) in (
                "a", "au", "dans", "de", "pres", "vers", "sur", "en", "d'") or (
                head.head.i != head.i and norm(head.head.lemma_) in TOWN_NOUNS)
            if ent.label_ == "LOC" or (ent.label_ in ("PER", "MISC", "ORG") and locative
                                       and all(t.pos_ == "PROPN" for t in ent)):
                found.setdefault(ent.start, (PlaceDraft(ent.text, self.offset + ent.start_char,
                                                        self.offset + ent.end_char),
                                             (ent.start, ent.end)))
        for tok in doc:
            if tok.i in self.actor_at or tok.pos_ not in ("PROPN", "X", "NOUN") or any(
                    s <= tok.i < e for _, (s, e) in found.values()):
                continue
            if tok.pos_ in ("X", "NOUN") and not (tok.text[:1].isupper() and tok.i > 0):
                continue
            if case_of(tok) in _PLACE_PREPS - {"en"} and tok.ent_type_ != "PER" \
                    and not any(c.dep_ == "det" for c in tok.children) \
                    and tok.dep_ in ("obl", "obl:mod", "obl:arg", "nmod"):
                # "ont tué quatre civils à Bankass": a name after "à" the NER left out
                toks = [tok] + [c for c in tok.children if c.dep_ in ("flat:name", "flat")]
                lo, hi = min(t.i for t in toks), max(t.i for t in toks) + 1
                span = doc[lo:hi]
                found[lo] = (PlaceDraft(span.text, self.offset + span.start_char,
                                        self.offset + span.end_char), (lo, hi))
                continue
            if tok.head.i != tok.i and norm(tok.head.lemma_) in TOWN_NOUNS and tok.dep_ == "nmod":
                found[tok.i] = (PlaceDraft(tok.text, self.char(tok.i),
                                           self.char(tok.i) + len(tok.text)), (tok.i, tok.i + 1))
        for place, (lo, _hi) in found.values():
            place.admin = not place.is_country and self._after_admin_noun(lo)
        return sorted(found.values(), key=lambda x: x[1][0])

    def _after_admin_noun(self, i: int) -> bool:
        """True when the name at token ``i`` follows an administrative-division noun and its
        "de" ("la province du Soum", "la région de Kayes"; ``grammar.toml`` admin_nouns)."""
        j = i - 1
        doc = self.doc
        while j >= 0 and (doc[j].dep_ in ("det", "case")
                          or norm(doc[j].text) in ("de", "du", "d'", "des")):
            j -= 1
        return 0 <= j < i - 1 and norm(doc[j].lemma_ or doc[j].text) in _ADMIN_NOUNS

    def place_of(self, tok: Token, *, town_nouns: bool = True) -> PlaceDraft | None:
        """The place named by the phrase headed by ``tok``: itself, or "la ville de X"."""
        if tok.i in self.place_at:
            return self.place_at[tok.i]
        if town_nouns and norm(tok.lemma_) in TOWN_NOUNS:
            for c in tok.children:
                if c.dep_ in ("nmod", "appos", "flat:name") and c.i in self.place_at:
                    return self.place_at[c.i]
                if c.dep_ == "nmod" and norm(c.lemma_) in TOWN_NOUNS:
                    inner = self.place_of(c)
                    if inner is not None:
                        return inner
        return None

    def is_place(self, tok: Token) -> bool:
        """True when ``tok`` heads a place phrase (see :meth:`place_of`), or is a proper-noun
        direct object that can only be a place in a trigger's slot (:meth:`bare_place`)."""
        if self.place_of(tok) is not None:
            return True
        return tok.dep_ in ("obj", "advmod", "obl:mod", "dep") \
            and self.bare_place(tok, any_ner=True) is not None

    def bare_place(self, tok: Token, *, any_ner: bool = False) -> PlaceDraft | None:
        """A proper noun that can only be a place in its slot (the object of "quitter",
        "reprendre", "visiter"), even when NER missed it or called it a person ("ont
        repris Boni"): ``any_ner`` accepts a PER label (the tagger often gives short place
        names PER), otherwise only non-person names are taken."""
        found = self.place_of(tok)
        if found is not None:
            return found
        if tok.pos_ != "PROPN" or tok.i in self.actor_at or (tok.ent_type_ == "PER"
                                                              and not any_ner):
            return None
        if any(c.dep_ == "case" for c in tok.children):
            return None
        toks = [tok] + [c for c in tok.children if c.dep_ in ("flat:name", "flat")]
        lo, hi = min(t.i for t in toks), max(t.i for t in toks) + 1
        span = self.doc[lo:hi]
        return PlaceDraft(span.text, self.offset + span.start_char, self.offset + span.end_char)

    # ------------------------------------------------------------------ quotations
    def _find_quotes(self) -> list[tuple[int, int]]:
        text = self.doc.text
        out = []
        i = 0
        while True:
            a = text.find("«", i)
            if a < 0:
                break
            b = text.find("»", a + 1)
            b = len(text) if b < 0 else b
            out.append((a, b + 1))
            i = b + 1
        return out

    def in_quote(self, tok: Token) -> tuple[int, int] | None:
        """The character range (block-level) of the quotation holding ``tok``, if any."""
        for a, b in self.quotes:
            if a <= tok.idx < b:
                return a, b
        return None

    # ------------------------------------------------------------------ parties
    def is_party(self, tok: Token) -> bool:
        """True when the phrase headed by ``tok`` names a party."""
        return bool(self.parties(tok, depth=1))

    def _entry_party(self, tok: Token, span: Span) -> PartyDraft | None:
        e = entry_of(span)
        if span.label_ == "ADJ":
            return None
        if span.label_ == "SECTOR":
            return None
        name = e.name
        if span.label_ == "PERSON":
            # the name as written first: a family name shared by relatives ("Bush") means
            # the one in office on the publication date, not the latest one in the lexicon
            person = (self.lex.person(span.text, self.memory.published)
                      or self.lex.person(e.name, self.memory.published))
            country = person.country if person else e.country
            sector = person.sector if person else e.sector
            name = person.name if person else name
        else:
            country, sector = e.country, e.sector
        text, s, en = self.span_of(span.start, span.end)
        return PartyDraft(text, s, en, name, country, sector)

    def parties(self, tok: Token, *, depth: int = 2) -> list[PartyDraft]:
        """Parties named by the noun phrase headed by ``tok``: usually one, two for "les deux
        pays", none when the phrase names no party. Conjuncts are not followed (callers do)."""
        doc = self.doc
        low = norm(tok.text).lstrip("-")
        if tok.text.startswith("-") and low not in _PRONOUNS:
            return []
        if tok.pos_ == "PRON" and low in ("nous", "on") and self.in_quote(tok) is not None:
            sp = self.speaker_for(tok)
            if sp is not None:
                return [PartyDraft(tok.text, self.char(tok.i), self.char(tok.i) + len(tok.text),
                                   sp.name, sp.country, sp.sector, sp.place, sp.local)]
            return []
        if tok.pos_ == "PRON" and low in _PRONOUNS:
            plural = low in _PLURAL_PRONOUNS
            subjects = [t for t in reversed(list(doc[tok.sent.start:tok.i]))
                        if t.dep_.startswith("nsubj") and t.pos_ in ("NOUN", "PROPN")]
            # subjects of the pronoun's number first ("des étudiants … la police a arrêté
            # une trentaine d'entre eux"), then the others
            wrong = ["Sing"] if plural else ["Plur"]
            subjects.sort(key=lambda t: t.morph.get("Number", []) == wrong)
            for t in subjects:
                found = self.parties(t, depth=depth)
                if found:
                    p = found[0]
                    return [PartyDraft(tok.text, self.char(tok.i),
                                       self.char(tok.i) + len(tok.text), p.name, p.country,
                                       p.sector, p.place, p.local)]
            if self.memory.last_subject is not None:
                p = self.memory.last_subject
                return [PartyDraft(tok.text, self.char(tok.i), self.char(tok.i) + len(tok.text),
                                   p.name, p.country, p.sector, p.place, p.local)]
            return []
        if tok.pos_ == "PRON" and low in ("qui", "lequel", "laquelle") \
                and tok.head.dep_ == "acl:relcl":
            return self.parties(tok.head.head, depth=depth)
        if norm(tok.lemma_) == "etat" and any(
                c.dep_ == "nmod" and norm(c.lemma_) in _STATE_OF for c in tok.children):
            return []  # "l'état d'urgence": a condition, not the State
        span = self.actor_at.get(tok.i)
        lo, hi = self.np_bounds(tok)
        if span is not None and span.label_ not in ("ADJ", "SECTOR"):
            party = self._entry_party(tok, span)
            if party is not None:
                return [party]
        dets = [c for c in tok.children if c.dep_ in ("det", "nummod")]
        # "les deux pays", "les dirigeants des deux pays"
        if norm(tok.lemma_) in _PAIR_NOUNS and any(norm(d.text) == "deux" for d in dets) \
                and any(norm(d.text) in ("les", "ces", "leurs", "des") and d.i < tok.i
                        and norm(self.doc[d.i + 1].text) == "deux" for d in tok.children):
            # "les deux pays", "des deux pays" (not "deux diplomates russes")
            return self._pair(tok, lo, hi)
        sector: str | None = None
        country: str | None = None
        place: PlaceDraft | None = None
        name: str | None = None
        local = False
        if span is not None and span.label_ == "SECTOR":
            sector = entry_of(span).sector
            has_sector = True
            for c in tok.children:
                # "des combattants rebelles": the adjective gives the sector of a sector-less
                # head; "des soldats rebelles": an insurgent adjective overrides the head's
                cspan = self.actor_at.get(c.i)
                if c.dep_ == "amod" and cspan is not None and cspan.label_ == "SECTOR" \
                        and cspan is not span and entry_of(cspan).sector and (
                            sector is None or entry_of(cspan).sector == "REB"):
                    sector = entry_of(cspan).sector
                    break
        else:
            has_sector = False
        if span is not None and span.label_ == "ADJ" and tok.pos_ in ("NOUN", "PROPN"):
            country = entry_of(span).country
            has_sector = True
            sector = "CVL"
            for c in tok.children:
                cspan = self.actor_at.get(c.i)
                if c.dep_ == "nmod" and cspan is not None and cspan.label_ == "COUNTRY" \
                        and case_of(c) in ("de", "d'", "du", "des"):
                    # "les Serbes de Bosnie", "les Albanais du Kosovo": the people of a
                    # country named by another's demonym belong to the country named
                    country = entry_of(cspan).country
                    break
        if any(norm(d.text) in _POSSESSIVE_1P for d in tok.children
               if d.dep_ in ("det", "nmod:poss")):
            sp = self.speaker_for(tok)
            if sp is not None:
                country = sp.country
                sector = sector or sp.sector
                has_sector = True
        if tok.pos_ == "PROPN" and tok.ent_type_ == "PER" and not has_sector:
            name = doc[lo:hi].text
            has_sector = True
        for c in tok.children:
            cspan = self.actor_at.get(c.i)
            if c.dep_ in ("amod", "nmod", "appos", "flat:name", "acl") and cspan is not None \
                    and cspan.label_ == "ADJ" and country is None:
                country = entry_of(cspan).country
        if country is None and (has_sector or norm(tok.lemma_) in _CONTAINERS):
            # "les autorités de transition maliennes": the adjective sits lower in the phrase
            for i in range(lo, hi):
                cspan = self.actor_at.get(i)
                if cspan is not None and cspan.label_ == "ADJ" and i != tok.i:
                    country = entry_of(cspan).country
                    break
        if not has_sector and norm(tok.lemma_) in _CONTAINERS:
            for c in tok.children:
                cspan = self.actor_at.get(c.i)
                if c.dep_ == "amod" and cspan is not None and cspan.label_ == "SECTOR" \
                        and entry_of(cspan).sector:
                    sector = entry_of(cspan).sector  # "un camp militaire" → MIL
                    has_sector = True
        if has_sector or norm(tok.lemma_) in _CONTAINERS or norm(tok.text) in _CONTAINERS:
            for c in tok.children:
                if c.dep_ not in ("nmod", "appos") or depth <= 0:
                    continue
                cas = case_of(c)
                if c.dep_ == "nmod" and (cas not in ("de", "d'", "du", "des", "", "d' entre",
                                                     "parmi")
                                         or _relation_complement(c)):
                    continue
                inner = self.parties(c, depth=depth - 1)
                if len(inner) >= 2 and c.dep_ == "nmod":
                    # "les dirigeants des deux pays": one party per country of the pair
                    text, s, e = self.span_of(lo, hi)
                    return [PartyDraft(text, s, e, q.name, q.country, sector or q.sector)
                            for q in inner]
                if inner:
                    q = inner[0]
                    if country is None:
                        country = q.country
                    if sector is None or (q.sector and norm(tok.lemma_) in _CONTAINERS
                                          and c.dep_ == "nmod"):
                        # "trois responsables des Forces de soutien rapide": the members of
                        # a group are of its sector
                        sector = q.sector
                    if name is None and c.dep_ == "appos" and q.name:
                        name = q.name
                    if place is None:
                        place = q.place
                    has_sector = True
                elif place is None and c.dep_ == "nmod":
                    place = self.place_of(c)
        if not has_sector:
            return []
        if country is None:
            # "Le Premier ministre Narendra Modi a…": a known office-holder inside the phrase
            # or right after the title, whatever the parser made of the name (it often reads
            # a foreign first name as a verb or an adjective)
            for i in range(tok.i + 1, min(hi + 1, len(doc))):
                held = self.actor_at.get(i)
                if held is None or held.label_ != "PERSON" or held.start != i or (
                        i == hi and doc[hi - 1].is_punct):
                    continue
                office = self._entry_party(doc[i], held)
                if office is not None and office.country:
                    country, name, hi = office.country, office.name, max(hi, held.end)
                break
        if country is None and sector not in STATE_SECTORS:
            # "des groupes d'opposition au Zimbabwe", "des étudiants de toute l'Indonésie":
            # a society group takes the country it is in (not an official: "un diplomate en
            # poste au Mali" is no Malian)
            for t in tok.subtree:
                cspan = self.actor_at.get(t.i)
                if cspan is None or cspan.label_ != "COUNTRY" or cspan.start != t.i \
                        or t.i < tok.i or case_of(t) not in ("au", "aux", "en", "de", "d'", "du"):
                    continue
                up = t  # only through noun complements ("des groupes d'opposition au X")
                while up.i != tok.i and up.dep_ == "nmod" and not _relation_complement(up):
                    up = up.head
                if up.i == tok.i:
                    country = entry_of(cspan).country
                    break
        if country is None and has_sector:
            country = self._leader_country(tok, depth)
        if country is None and place is None and sector not in STATE_SECTORS:
            place = self._base_place(tok)
        if country is None and sector in _LOCAL_SECTORS | {"GOV", None}:
            local = True
        # an apposition naming the person ("le colonel Ibrahim Kanté")
        for c in list(tok.children) + ([tok.head] if tok.dep_ == "appos" else []):
            if c.dep_ == "appos" or c is tok.head:
                for t in c.subtree:
                    held = self.actor_at.get(t.i)
                    if country is None and held is not None and held.label_ == "PERSON":
                        # "le Premier ministre, Shehbaz Sharif,": the office-holder's country
                        office = self._entry_party(t, held)
                        if office is not None and office.country:
                            country, name = office.country, name or office.name
                    if t.ent_type_ == "PER" and t.pos_ == "PROPN":
                        ps = [x for x in t.subtree if x.ent_type_ == "PER"]
                        name = name or doc[min(x.i for x in ps):max(x.i for x in ps) + 1].text
                        break
        text, s, e = self.span_of(lo, hi)
        return [PartyDraft(text, s, e, name or text, country, sector, place, local)]

    def _leader_country(self, tok: Token, depth: int) -> str | None:
        """The ISO 3166-1 alpha-3 country of the state a force is led by ("les forces
        dirigées par le Vietnam" → VNM; ``grammar.toml`` led_verbs), or None."""
        for c in tok.children:
            if c.dep_ != "acl" or norm(c.lemma_) not in _LED_VERBS or depth <= 0:
                continue
            for d in c.children:
                if d.dep_ == "obl:agent" or (d.dep_.startswith("obl") and case_of(d) == "par"):
                    found = self.parties(d, depth=depth - 1)
                    if found and found[0].country:
                        return found[0].country
        return None

    def _base_place(self, tok: Token) -> PlaceDraft | None:
        """The place a group is said to be based in ("un journal basé à Beyrouth-Est",
        ``grammar.toml`` based_verbs): the resolve stage gives the group that place's
        country. None when the phrase says no such thing."""
        for c in tok.children:
            if c.dep_ != "acl" or norm(c.lemma_) not in _BASED_VERBS:
                continue
            for d in c.children:
                if d.dep_.startswith("obl") and case_of(d) in _PLACE_PREPS:
                    p = self.place_of(d)
                    if p is not None:
                        return p
        return None

    def uncoded_party(self, tok: Token) -> PartyDraft | None:
        """A party the lexicon does not know, for the subject slot of a trigger only: a
        proper name that is no place ("le Jihad islamique", "Al Mourabitoune"; a common noun
        inside a named organisation, "le Front de libération du Sahel"), or a plural
        noun phrase with a country adjective ("des propriétaires terriens algériens"). Its
        sector is None (ACLED's unidentified actors); its country is the adjective's, if any.
        None for anything else (pronouns, things, places)."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.i in self.place_at:
            return None
        lo, hi = self.np_bounds(tok)
        country: str | None = None
        for i in range(lo, hi):
            cspan = self.actor_at.get(i)
            if cspan is not None and cspan.label_ == "ADJ":
                country = entry_of(cspan).country
                break
        if tok.pos_ == "PROPN" or tok.ent_type_ == "ORG":
            if tok.ent_type_ == "LOC" or self.bare_place(tok) is not None \
                    and tok.ent_type_ not in ("ORG", "PER", "MISC"):
                return None
        elif country is None or "Plur" not in tok.morph.get("Number", []):
            return None
        text, s, e = self.span_of(lo, hi)
        return PartyDraft(text, s, e, text, country, None)

    def _pair(self, tok: Token, lo: int, hi: int) -> list[PartyDraft]:
        seen: dict[str, tuple[str, str | None]] = {}
        before = [(c, n, sec) for b, i, c, n, sec in self.memory.countries
                  if b < self.index or (b == self.index and i < tok.i)]
        for c, n, sec in reversed(before):
            if c not in seen:
                seen[c] = (n, sec)
            if len(seen) == 2:
                break
        if len(seen) < 2:
            return []
        (second, (n2, s2)), (first, (n1, s1)) = list(seen.items())
        text, s, e = self.span_of(lo, hi)
        return [PartyDraft(text, s, e, n1, first, s1 or "GOV"),
                PartyDraft(text, s, e, n2, second, s2 or "GOV")]

    def speaker_for(self, tok: Token) -> PartyDraft | None:
        """The party quoted in the quotation holding ``tok`` (see :meth:`quote_speaker`)."""
        q = self.in_quote(tok)
        if q is None:
            return None
        return self.quote_speaker(q)

    def quote_speaker(self, q: tuple[int, int]) -> PartyDraft | None:
        """Who speaks the quotation at block characters ``q``: the subject of the speech verb
        right before the « (``X a affirmé : « … »``) or right after the » (``…», a dit X``)."""
        if q[0] in self.speaker:
            return self.speaker[q[0]]
        from .attribution import SPEECH_VERBS  # local: attribution imports this module

        doc = self.doc
        found: PartyDraft | None = None
        before = [t for t in doc if t.idx < q[0]]
        after = [t for t in doc if t.idx >= q[1]]
        for t in list(reversed(before)) + after[:6]:
            if norm(t.lemma_) in SPEECH_VERBS and t.pos_ in ("VERB", "AUX", "ADJ", "NOUN"):
                subjects = [c for c in t.children if c.dep_.startswith("nsubj")]
                if not subjects and t.idx >= q[1]:
                    # "« … », a déclaré le chef d'état-major": inverted subject read as object
                    subjects = [c for c in t.children if c.dep_ == "obj" and c.i > t.i]
                for c in subjects:
                    ps = self.parties(c)
                    if ps:
                        found = ps[0]
                        break
                if found:
                    break
        self.speaker[q[0]] = found
        return found

    def note_mentions(self) -> None:
        """Record the countries this block names, in order (for "les deux pays")."""
        note_mentions(self.doc, self.index, self.memory, self.lex)


def note_mentions(doc: Doc, index: int, memory: DocMemory, lex: Lexicon | None = None) -> None:
    """Append the countries block ``index`` names to ``memory.countries``, in order.

    Read from token texts only (:meth:`ActorMarker.untagged`), so a block gives the same
    mentions whether it was parsed (full path) or only tokenised (fast path)."""
    lex = lex or get_lexicon()
    for span in _marker(lex).untagged(doc):
        e = entry_of(span)
        if e.country and span.label_ != "SECTOR":
            name = lex.country_names.get(e.country, e.name) if span.label_ in (
                "ADJ", "CAPITAL", "SEAT") else e.name
            sector = "GOV" if span.label_ != "ORG" else e.sector
            memory.countries.append((index, span.start, e.country, name, sector))


@lru_cache(maxsize=4)
def _marker(lex: Lexicon) -> ActorMarker:
    return ActorMarker(lex)
