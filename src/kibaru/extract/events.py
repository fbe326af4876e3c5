"""Event assembly: triggers + frames over the dependency parse → :class:`EventDraft` objects.

For each trigger (``data/triggers.toml``) the frame named in the lexicon reads the actor,
recipient and place from the parse (subject, object, passive agent "par", "à/au/aux"
complements, "entre X et Y"...); quantities, dates, attribution and status are attached from the
trigger's own part of the sentence. Merging (one event per real-world event) is done in the
resolve stage.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ..nlp.lexicon import norm, word_set
from . import components as _components  # noqa: F401  (registers the factories)
from .attribution import attribution_for, denier_for, is_condition, status_for
from .dates import DateMention, find_dates
from .draft import (
    ARMED_NON_STATE_SECTORS,
    PROTEST_ACLED_RANK,
    DateDraft,
    EventDraft,
    PartyDraft,
    PlaceDraft,
    QuantityDraft,
)
from .parties import TOWN_NOUNS, WEEKDAYS, BlockView, case_of
from .quantities import QuantityMention, find_quantities, is_event_unit, money_units, units_table
from .triggers import (
    TriggerMatch,
    context_words,
    direct_objects,
    find_triggers,
    first_bare_noun_after,
    misread_active_participle,
    nonviolent_cues,
    stranded_passive_subject,
)

__all__ = ["extract_block", "subject_pass", "note_topic", "assault_acled", "LOC_PREPS"]

#: the forms of "de" that introduce a noun's complement
_DE = ("de", "d'", "du", "des")
#: prepositions that introduce an event location
LOC_PREPS = frozenset({"à", "a", "au", "aux", "dans", "en", "près de", "pres de", "sur",
                       "à proximité de", "non loin de", "aux environs de", "autour de",
                       "aux alentours de", "du côté de", "à l'intérieur de", "près", "non loin",
                       "à proximité", "aux environs", "aux abords de", "aux abords"})
_RECIPIENT_PREPS = frozenset({"à", "a", "au", "aux", "pour", "en faveur de", "envers", "à l'",
                              "à destination de", "auprès de"})
_ORIGIN_VERBS = word_set("origin_verbs")
_DECISION_NOUNS = word_set("decision_nouns")
#: verbs whose object event noun is demanded, not reported ("exiger le départ de…")
_DEMAND_VERBS = word_set("demand_verbs")
_NEAR = word_set("near_words")
_STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "PRM", "SPY"})


def _lemma(t: Token) -> str:
    return norm(t.lemma_ or t.text)


def _kids(t: Token, *deps: str) -> list[Token]:
    return [c for c in t.children if c.dep_ in deps or c.dep_.split(":")[0] in deps]


def _decision_agent(t: Token) -> Token | None:
    """For an infinitive completing a decision noun ("la décision des autorités nigériennes
    d'expulser"), the noun's "de" complement naming who decided (parsed as acl, or as an xcomp
    of the verb governing the noun)."""
    if "Inf" not in t.morph.get("VerbForm", []):
        return None
    noun = t.head if t.dep_ == "acl" and t.head.pos_ == "NOUN" else None
    if noun is None and t.dep_ in ("xcomp", "advcl"):
        noun = next((c for c in t.head.children if c.dep_ == "obj" and c.pos_ == "NOUN"
                     and c.i < t.i), None)
    if noun is None or _lemma(noun) not in _DECISION_NOUNS:
        return None
    for c in noun.children:
        if c.dep_ == "nmod" and case_of(c) in _DE and c.i < t.i:
            return c
    return None


def _subject_tok(t: Token) -> Token | None:
    for c in t.children:
        if c.dep_ == "nsubj":
            return c
    misread = misread_active_participle(t)
    if misread is not None:
        return misread
    for a in t.children:
        if (a.dep_.startswith("aux") or a.dep_ == "advmod") and a.i < t.i:
            # "Le Bangladesh a … rejeté", "ont de nouveau rejeté": the parser hung the
            # subject on the auxiliary or on an adverb before the verb
            for c in a.children:
                if c.dep_ == "nsubj":
                    return c
    if not _passive(t):
        for c in t.children:
            if c.dep_ == "nsubj:pass":
                return c  # tagged passive, but pronominal: "les forces se sont retirées"
    agent = _decision_agent(t)
    if agent is not None:
        return agent
    if t.dep_ == "acl" and _lemma(t.head) in _STATEMENT_NOUNS and t.head.head.i != t.head.i \
            and (norm(t.text).endswith("ant") or (
                "Part" in t.morph.get("VerbForm", []) and "Pres" in t.morph.get("Tense", []))):
        # "le PKK a publié une déclaration exigeant que…": the statement's author
        return _subject_tok(t.head.head)
    if any(c.dep_ == "mark" and norm(c.text) == "en" for c in t.children):
        # gerund ("en fournissant"): the subject of the clause it modifies
        for a in t.ancestors:
            if a.pos_ in ("VERB", "AUX"):
                return _subject_tok(a)
        return None
    controller = _object_controller(t)
    if controller is not None:
        return controller
    if t.dep_ in ("xcomp", "advcl", "conj", "ccomp") and t.head.i != t.i:
        # "dément avoir livré", "tuant cinq gendarmes", "...et a livré"
        if t.dep_ == "ccomp" and not any(c.dep_ == "mark" for c in t.children):
            return None
        if t.dep_ == "ccomp":
            return None
        return _subject_tok(t.head)
    return None


_OBJECT_CONTROL = word_set("object_control_verbs")


def _object_controller(t: Token) -> Token | None:
    """The object that does infinitive ``t`` after an object-control verb ("a accusé le
    Soudan de soutenir", "a exhorté la Communauté européenne à soutenir", "a demandé au
    Mali de libérer"; ``grammar.toml`` object_control_verbs), or None."""
    infinitive = "Inf" in t.morph.get("VerbForm", []) or any(
        c.dep_.startswith("aux") and "Inf" in c.morph.get("VerbForm", [])
        for c in t.children)  # "d'avoir commis"
    if not infinitive or t.dep_ not in ("xcomp", "advcl", "ccomp", "obl:arg", "obl"):
        return None
    head = t.head
    if head.i == t.i or _lemma(head) not in _OBJECT_CONTROL:
        return None
    for c in head.children:
        if c.i < t.i and (c.dep_ in ("obj", "iobj") or (
                c.dep_.startswith("obl") and case_of(c) in ("à", "au", "aux"))) \
                and c.pos_ in ("NOUN", "PROPN", "PRON") and norm(c.text) not in WEEKDAYS:
            return c
    return None


def _governing_speaker(t: Token) -> Token | None:
    """The subject of the speech verb whose reported clause holds ``t`` ("X a déclaré que …
    ``t``"), climbing at most three heads; None when ``t`` is not in reported speech."""
    node = t
    for _ in range(3):
        head = node.head
        if head.i == node.i:
            return None
        if node.dep_ == "ccomp" and _lemma(head) in _SPEECH_VERBS:
            return _subject_tok(head)
        node = head
    return None


def _objects(t: Token) -> list[Token]:
    """Direct objects of ``t``; when the parser attached none, the first bare noun phrase after
    the verb in its clause ("libérerait d'ici à la fin du mois les opposants")."""
    objs = direct_objects(t)
    # a verb read as a noun, known by its pronoun subject ("qu'ils boycotteraient tout
    # contact"): the parser may have hung it on its object
    verbal_noun = t.pos_ == "NOUN" and any(c.dep_ == "nsubj" and c.pos_ == "PRON"
                                           for c in t.children)
    if not objs and verbal_noun and t.dep_ == "nmod" and t.head.i > t.i \
            and t.head.pos_ == "NOUN":
        return [t.head]
    if objs or (t.pos_ != "VERB" and not verbal_noun) or (
            t.dep_ == "acl" and misread_active_participle(t) is None) or _passive(t):
        return objs
    return first_bare_noun_after(t)


def _que_clause(c: Token) -> bool:
    """True when ``c`` heads a finite clause introduced by "que" that completes its head
    (a ``ccomp``, or a ``dep`` the parser left unlabelled: "a exigé que Washington annule")."""
    return c.dep_ in ("ccomp", "dep") and any(
        d.dep_ == "mark" and norm(d.text) in ("que", "qu'") for d in c.children)


_UNDERGO_NOUNS = word_set("undergo_nouns")
_UNDERGO_VERBS = word_set("undergo_verbs")


def _undergoer(t: Token) -> Token | None:
    """The subject that undergoes event noun ``t`` rather than doing it ("X fait l'objet
    d'une enquête", "X a été victime d'une attaque", "X a subi une attaque"; ``grammar.toml``
    undergo_nouns and undergo_verbs), or None."""
    head = t.head
    if head.i == t.i:
        return None
    if (t.dep_ == "obj" or case_of(t) == "dans") and _lemma(head) in _UNDERGO_VERBS:
        return _subject_tok(head)  # "a subi une attaque", "est tombée dans une embuscade"
    if case_of(t) not in _DE:
        return None
    if _lemma(head) in _UNDERGO_NOUNS or norm(head.text).rstrip("s") in _UNDERGO_NOUNS:
        # "victime d'une attaque" (copula: the noun holds the subject; the tagger may read
        # "ont été victimes" as a passive verb) or "fait l'objet de"
        subj = next((c for c in head.children if c.dep_.startswith("nsubj")), None)
        if subj is None and head.head.i != head.i and head.dep_ in ("obj", "xcomp"):
            subj = _subject_tok(head.head)
        return subj
    if head.pos_ in ("VERB", "AUX") and any(c.dep_ in ("obj", "xcomp") and _lemma(c) in
                                            _UNDERGO_NOUNS for c in head.children):
        return _subject_tok(head)  # "d'une enquête" hung on "fait" beside "l'objet"
    return None


def _dangling_subject(t: Token) -> Token | None:
    """A noun phrase before ``t`` left without a verb by the parser (a second ROOT), taken as
    the subject of a verb that has none ("Moscou dément avoir livré" parsed in two pieces)."""
    start = t.sent.start
    if start > 0:
        prev = t.doc[start - 1].sent
        # a verbless fragment cut off before this sentence, not ended by punctuation
        if not any(x.pos_ in ("VERB", "AUX") for x in prev) and not prev[-1].is_punct:
            start = prev.start
    for x in reversed(t.doc[start:t.i]):
        if x.dep_ == "ROOT" and x.i != t.i and x.pos_ in ("PROPN", "NOUN"):
            return x
    return None


_BATCH_NOUNS = word_set("batch_nouns")
#: PLOVER types whose object, when it is no party, is a statement, offer or measure whose
#: author is the recipient ("a rejeté un ultimatum australien": REJECT → Australia)
_AUTHORED_TYPES = frozenset({"REJECT", "AGREE", "SUPPORT", "ACCUSE", "REQUEST", "CONCEDE"})


#: PLOVER types of stances (statements of position), whose actor is the one who states them
_STANCE_TYPES = frozenset({"REJECT", "SUPPORT", "ACCUSE", "REQUEST", "AGREE", "THREATEN"})

_AIRCRAFT_NOUNS = word_set("aircraft_nouns")
_DRONE_NOUNS = word_set("drone_nouns")
_CROWD_NOUNS = word_set("crowd_nouns")

#: PLOVER 2.0 types that hurt the other side (conflict quad classes) or withdraw something
#: from it: promised on a condition, they are threats
_CONFLICT_TYPES = frozenset({"RETREAT", "SANCTION", "PROTEST", "ASSAULT", "COERCE",
                             "MOBILIZE", "REJECT", "ACCUSE"})


def _breakdown(doc: Doc, start: int) -> bool:
    """True when the quantity starting at token ``start`` is introduced by "dont" in its
    clause ("… personnes, dont quinze soldats et sept VDP"): a part of a total told before."""
    i = start - 1
    sent_start = doc[start].sent.start
    while i >= sent_start:
        t = doc[i]
        if norm(t.text) == "dont":
            return True
        if t.pos_ in ("VERB", "AUX") or t.text in (".", ";", ":", "(", ")"):
            return False
        i -= 1
    return False


def _clause_subject(view: BlockView, clause: Token) -> list[PartyDraft]:
    """The parties of the subject of ``clause`` (known or not to the lexicon), or []."""
    subj = next((c for c in clause.children if c.dep_.startswith("nsubj")), None)
    return _with_conj(view, subj, subject=True) if subj is not None else []


def _condition(t: Token) -> Token | None:
    """The verb of the "si" clause that conditions ``t`` (on ``t`` itself, or on the speech
    verb whose clause ``t`` heads: "a annoncé qu'il retirerait … si le président …")."""
    for node in (t, t.head if t.dep_ == "ccomp" else None):
        if node is None:
            continue
        for c in node.children:
            if is_condition(c):
                return c
    for c in t.subtree:
        # "menacé d'interrompre les négociations sur X si …": the parser may hang the "si"
        # clause on a noun of the threatened act
        if c.i != t.i and is_condition(c) and c.head.pos_ in ("NOUN", "PROPN"):
            return c
    return None
_SPEECH_VERBS = word_set("neutral_speech_verbs") | word_set("assertive_speech_verbs")
_STATEMENT_NOUNS = word_set("statement_nouns")
_INTERVIEW_NOUNS = word_set("interview_nouns")
_INTERVIEW_VERBS = word_set("interview_verbs")


def _is_interview(tok: Token) -> bool:
    """"dans un rare entretien", "un entretien accordé à RFI": a press interview, not a
    meeting, unless it names whom it was with ("un entretien avec son homologue")."""
    if _lemma(tok) not in _INTERVIEW_NOUNS:
        return False
    if any(case_of(c) == "avec" for c in tok.children):
        return False
    return case_of(tok) == "dans" or any(
        c.dep_ == "acl" and _lemma(c) in _INTERVIEW_VERBS for c in tok.children)


def _through_batch(t: Token) -> Token:
    """``sanctions`` in "une série de sanctions" → ``série``, the noun the clause governs."""
    while t.dep_ == "nmod" and _lemma(t.head) in _BATCH_NOUNS:
        t = t.head
    return t


_PEACEKEEPING = word_set("peacekeeping_words")


def _peacekeeping(sent: Span) -> bool:
    """True when sentence ``sent`` names peacekeepers (``grammar.toml`` peacekeeping_words,
    whole words, accents and case ignored)."""
    text = f" {' '.join(norm(t.text) for t in sent)} "
    return any(f" {w} " in text for w in _PEACEKEEPING)


def _in_background(t: Token, trigger: int) -> bool:
    """True when ``t`` lies in a participle clause that only describes a noun of the
    trigger's clause ("la libération du président, détenu depuis juillet": July is when he
    was detained, not when his release was demanded); the trigger's own participle is no
    background."""
    node = t
    while node.head.i != node.i and node.i != trigger:
        if _describing_participle(node):
            return True
        if node.dep_ == "advcl" and node.i > trigger and _participle(node) \
                and "Past" in node.morph.get("Tense", []) \
                and not any(c.dep_.startswith(("aux", "mark")) for c in node.children):
            return True  # a bare past participle after the trigger: ", détenu depuis mars"
        node = node.head
    return False


def _participle(t: Token) -> bool:
    return t.pos_ in ("VERB", "ADJ") and "Part" in t.morph.get("VerbForm", [])


def _describing_participle(t: Token) -> bool:
    """A participle that only describes a noun ("les opposants arrêtés lors des
    manifestations"): its clause is a background event with its own time and place."""
    return t.dep_ == "acl" and _participle(t) and not any(c.dep_ == "mark" for c in t.children)


def _climb(t: Token) -> list[Token]:
    """Ancestors of ``t`` whose clause it belongs to: climbing stops above a participle that
    only describes a noun ("les opposants arrêtés lors des manifestations"), since that
    background event has its own time and place."""
    out = []
    node = t
    while node.head.i != node.i:
        if _describing_participle(node):
            break
        node = node.head
        out.append(node)
    return out


_ETRE_VERBS = word_set("etre_verbs")


def _passive(t: Token) -> bool:
    if any(c.dep_.startswith("expl") and norm(c.text) in ("se", "s'") for c in t.children):
        return False  # pronominal verb ("se sont retirées"): its subject acts
    if _lemma(t) in _ETRE_VERBS:
        return False  # "ils sont convenus", "sont parvenus à un accord": active with "être"
    if any(c.dep_ in ("aux:pass", "nsubj:pass") for c in t.children):
        return True
    return (t.dep_ == "acl" and "Part" in t.morph.get("VerbForm", [])
            and "Past" in t.morph.get("Tense", []) and misread_active_participle(t) is None)


def _with_conj(view: BlockView, tok: Token, *, subject: bool = False) -> list[PartyDraft]:
    """The parties of the phrase headed by ``tok`` and of its conjuncts; for a ``subject``,
    a party the lexicon does not know counts too (:meth:`BlockView.uncoded_party`)."""
    out = []
    for t in [tok] + [c for c in tok.children if c.dep_ == "conj"]:
        found = view.parties(t)
        if not found and subject:
            uncoded = view.uncoded_party(t)
            found = [uncoded] if uncoded is not None else []
        out.extend(found)
    return out


class _Builder:
    """Builds the drafts of one block."""

    def __init__(self, view: BlockView) -> None:
        self.view = view
        self.doc = view.doc
        ext = self.doc._
        self.dates: list[DateMention] = (ext.kibaru_dates if ext.kibaru_dates is not None
                                         else find_dates(self.doc))
        date_tokens = {i for d in self.dates for i in range(d.start, d.end)}
        self.quantities: list[QuantityMention] = (
            ext.kibaru_quantities if ext.kibaru_quantities is not None
            else find_quantities(self.doc, skip=date_tokens))
        self.matches = find_triggers(self.doc, is_party=view.is_party, is_place=view.is_place)
        self.trigger_heads = {m.head for m in self.matches if not m.nominal}

    # ------------------------------------------------------------------ domains
    def anchor(self, m: TriggerMatch) -> Token:
        """The token whose clause holds the event: the trigger, or the verb governing a
        nominal trigger ("a effectué une visite" → "effectué")."""
        tok = _through_batch(self.doc[m.head]) if m.nominal else self.doc[m.head]
        if m.nominal and tok.dep_ in ("obj", "nsubj", "nsubj:pass", "obl:arg", "xcomp") \
                and tok.head.pos_ in ("VERB", "AUX") and tok.head.i not in self.trigger_heads:
            return tok.head
        return tok

    def domain(self, m: TriggerMatch) -> set[int]:
        """Token indices belonging to this trigger: its anchor's subtree minus the clauses of
        other verbal triggers (a verbless headline: the whole block)."""
        if m.nominal and not any(t.pos_ in ("VERB", "AUX") for t in self.doc):
            # a verbless headline ("Vingt-deux morts dans une embuscade près de Djibo")
            return {t.i for t in self.doc}
        root = self.anchor(m)
        out: set[int] = set()
        tok = self.doc[m.head]
        if not m.nominal and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            # "25 000 tonnes de blé réceptionnées à Bamako": the noun is the participle's theme
            head = tok.head
            out.add(head.i)
            for c in head.children:
                if c.i != tok.i and c.dep_ in ("nummod", "det", "amod", "nmod", "flat:name"):
                    out.update(x.i for x in c.subtree)
        stack = [root]
        while stack:
            t = stack.pop()
            if t.i != root.i and t.i in self.trigger_heads and t.i != m.head:
                continue
            out.add(t.i)
            stack.extend(t.children)
        return out

    # ------------------------------------------------------------------ frames
    def frame_args(self, m: TriggerMatch) -> tuple[list[PartyDraft], list[PartyDraft],
                                                   PlaceDraft | None]:
        """``(actors, recipients, place)`` read by the trigger's frame (see
        ``data/triggers.toml`` for the frames)."""
        v = self.view
        tok = self.doc[m.head]
        frame = m.entry.frame
        actor: list[PartyDraft] = []
        recipient: list[PartyDraft] = []
        place: PlaceDraft | None = None
        if m.nominal:
            return self.nominal_args(m)
        passive = _passive(tok)
        subj = _subject_tok(tok)
        if subj is None and not passive and tok.dep_ in ("ROOT",):
            subj = _dangling_subject(tok)
        agents = [c for c in tok.children if c.dep_ == "obl:agent"
                  or (c.dep_.startswith("obl") and case_of(c) == "par")]
        if not agents and _passive(tok):
            # "enlevé samedi à Gao par des hommes armés": the agent hung on the place
            agents = [d for c in tok.children if c.dep_.startswith("obl")
                      for d in c.children if d.dep_ == "nmod" and case_of(d) == "par"]
        objs = _objects(tok)
        if passive:
            objs = [c for c in tok.children if c.dep_ == "nsubj:pass"] + objs
            stranded = stranded_passive_subject(tok)
            if stranded is not None:
                objs.append(stranded)
            if tok.dep_ == "acl":
                objs.append(tok.head)
            subj = agents[0] if agents else None
        obls = [c for c in tok.children if c.dep_.startswith("obl") and c.dep_ != "obl:agent"]
        iobjs = _kids(tok, "iobj")
        subj_parties = _with_conj(v, subj, subject=not passive) if subj is not None else []
        if frame in ("transfer", "act_on", "protest", "take", "leave", "sign", "meet", "visit"):
            actor = subj_parties
        if frame == "transfer":
            others = [c for c in tok.children if c not in iobjs + obls and c.dep_ not in (
                "obj", "nsubj", "nsubj:pass") and case_of(c) in _RECIPIENT_PREPS]
            for c in iobjs + obls + others:
                if case_of(c) in _RECIPIENT_PREPS or c.dep_ == "iobj":
                    p = v.place_of(c)
                    parts = v.parties(c)
                    if parts and (p is None or p.is_capital or p.is_country):
                        recipient = parts
                        break
                    if p is not None:
                        place = p
                        recipient = [PartyDraft(p.text, p.start, p.end, None, p.country, "GOV",
                                                place=p)]
                        break
            if not recipient:
                recipient = self.party_inside(objs, tok, ("nmod", "obl"),
                                              preps=("à", "au", "aux", "pour", "en faveur de"))
        elif frame == "receive":
            recipient = subj_parties if not passive else _with_conj(v, objs[0]) if objs else []
            for c in obls + [d for o in objs for d in o.subtree if d.dep_ == "nmod"]:
                if case_of(c) in ("de", "d'", "du", "des", "de la part de", "auprès de", "par"):
                    parts = v.parties(c)
                    if parts:
                        actor = parts
                        break
        elif frame == "host":
            recipient = subj_parties
            actor = _with_conj(v, objs[0]) if objs else []
            for c in obls:
                if case_of(c) in LOC_PREPS and v.place_of(c) is not None:
                    place = v.place_of(c)
        elif frame == "visit":
            dest = [c for c in obls if case_of(c) in LOC_PREPS] + objs
            for c in dest:
                p = v.bare_place(c)
                if p is not None:
                    place = p
                    recipient = [PartyDraft(p.text, p.start, p.end, None, p.country, "GOV",
                                            place=p)]
                    break
                parts = v.parties(c)
                if parts:
                    recipient = parts
                    break
        elif frame in ("meet", "sign"):
            if len(actor) >= 2:
                actor, recipient = actor[:1], actor[1:]
            for c in objs + obls:
                if frame == "sign" and c in objs:
                    continue
                cas = case_of(c)
                preps = ("avec", "entre") if frame == "sign" else (
                    "avec", "entre", "à", "au", "aux", "contre")
                if cas in ("à", "au", "aux") and v.place_of(c) is not None:
                    continue  # "réunis à Abuja": where they met, not whom
                if c in objs or cas in preps:
                    parts = _with_conj(v, c)
                    if parts:
                        if not actor and len(parts) >= 2:
                            actor, recipient = parts[:1], parts[1:]
                        elif not recipient:
                            recipient = parts
                        break
            if frame == "meet" and not recipient:
                # "s'est entretenu par téléphone avec Alassane Ouattara"
                # ("a établi des relations avec Téhéran": the party may hang on the object)
                recipient = self.party_inside(obls + objs, tok, ("nmod",), preps=("avec",))
            if frame == "sign" and not recipient:
                # "l'accord de libre-échange proposé par la Sierra Leone"
                recipient = self.party_inside(
                    objs + ([tok.head] if tok.dep_ == "acl" else []), tok,
                    ("nmod", "obl:agent", "obl:arg", "obl"),
                    other_than=actor[0].country if actor else None)
        elif frame == "leave":
            # the place left: the object, a "de" complement of the verb, or one the parser hung
            # on the object ("retirer ses troupes du Liban")
            inner = [d for o in objs for d in o.children
                     if d.dep_ == "nmod" and case_of(d) in _DE]
            left = [c for c in obls if case_of(c) in ("de", "d'", "du", "des", "")]
            for c in objs + left + inner:
                p = v.bare_place(c)
                if p is not None:
                    place = p
                    if p.country:
                        recipient = [PartyDraft(p.text, p.start, p.end, None, p.country, "GOV",
                                                place=p)]
                    break
        elif frame in ("act_on", "protest"):
            for c in objs:
                # the object itself, else its author when what is acted on is a statement
                # ("une proposition indienne", "les modifications proposées par Israël"),
                # else a party inside it: "la décision des autorités nigériennes", "son aide
                # au Burkina Faso"
                recipient = _with_conj(v, c) or (
                    self.author_of(c) if m.entry.type in _AUTHORED_TYPES else []
                ) or self.party_inside([c], tok, ("nmod", "obl", "obl:arg"))
                if recipient:
                    break
            if not recipient and m.entry.clause_recipient and any(
                    _que_clause(c) for c in tok.children):
                # "a exigé que les États-Unis annulent la vente d'armes à Taïwan": the one
                # asked is the subject of the clause, not a party deeper in it
                recipient = self.clause_recipient(tok)
            if not recipient:
                preps = ("contre", "envers") if frame == "protest" else (
                    "à", "au", "aux", "contre", "envers", "avec")
                for c in obls + iobjs:
                    cas = case_of(c)
                    if cas in preps or (c.dep_ == "iobj" and frame != "protest"):
                        # a party, else the author of what is opposed ("manifester contre
                        # la politique française")
                        parts = v.parties(c) or (self.opposed(c, tok) if cas == "contre"
                                                 else [])
                        if parts:
                            recipient = parts
                            break
            if not recipient and m.entry.clause_recipient:
                recipient = self.clause_recipient(tok)
            if not recipient and m.entry.type == "ASSAULT":
                for c in objs:
                    p = v.place_of(c)
                    if p is not None:
                        place = p
        elif frame == "oblige":
            # "La Russie a déclaré que le Soudan devait restituer l'hélicoptère": a demand by
            # the speaker to the subject of "devoir"
            clause = tok.head if tok.dep_.startswith("aux") else tok  # "devaient assurer"
            speaker = clause.head if clause.dep_ == "ccomp" else None
            if speaker is not None and _lemma(speaker) in _SPEECH_VERBS:
                ssubj = _subject_tok(speaker)
                if ssubj is None and speaker.dep_ == "parataxis":
                    ssubj = _subject_tok(speaker.head)  # "X, présente en Irak, a déclaré…"
                actor = _with_conj(v, ssubj, subject=True) if ssubj is not None else []
                csubj = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                recipient = _with_conj(v, csubj, subject=True) if csubj is not None \
                    else subj_parties
        elif frame == "take":
            for c in objs + obls:
                p = v.bare_place(c, any_ner=True) if c in objs else v.place_of(c)
                if p is None:
                    for d in c.subtree:
                        if d.i != c.i and d.dep_ == "nmod":
                            p = v.place_of(d)
                            if p is not None:
                                break
                if p is not None:
                    place = p
                    break
        elif frame == "arrive":
            pass
        return actor, recipient, place

    def nominal_args(self, m: TriggerMatch) -> tuple[list[PartyDraft], list[PartyDraft],
                                                      PlaceDraft | None]:
        """Arguments of a nominal trigger: its adjectives and complements ("l'aide russe",
        "la reprise de Kidal", "entre X et Y"), else the verb it is the object or subject of."""
        v = self.view
        tok = self.doc[m.head]
        frame = m.entry.frame
        actor: list[PartyDraft] = []
        recipient: list[PartyDraft] = []
        place: PlaceDraft | None = None
        for c in tok.children:
            span = v.actor_at.get(c.i)
            if c.dep_ == "amod" and span is not None and span.label_ == "ADJ":
                country = span.kb_id_.split("|")[0]
                actor = [PartyDraft(c.text, v.char(c.i), v.char(c.i) + len(c.text),
                                    v.lex.country_names.get(country, country), country, "GOV")]
            elif c.dep_ == "amod" and span is not None and span.label_ == "SECTOR":
                # "une attaque jihadiste": the adjective names the attacker's side
                sector = span.kb_id_.split("|")[1] or None
                actor = [PartyDraft(c.text, v.char(c.i), v.char(c.i) + len(c.text), c.text,
                                    None, sector, local=True)]
        for c in tok.children:
            if c.dep_ not in ("nmod", "obl", "acl", "appos") or m.start <= c.i < m.end:
                continue  # (a word of the trigger is no argument: "coup d'État")
            cas = case_of(c)
            p = v.place_of(c)
            if frame == "take" and p is not None and place is None:
                place = p
                continue
            if cas == "entre":
                parts = _with_conj(v, c)
                if len(parts) >= 2:
                    actor, recipient = parts[:1], parts[1:]
                elif parts:
                    actor = parts
                continue
            if p is not None and not p.is_country and m.entry.type in ("PROTEST", "ASSAULT") \
                    and cas in LOC_PREPS | {"de", "d'", "du", "des"}:
                place = place or p
                continue
            if p is not None and frame == "leave" and cas in _DE:
                # "leur retrait du Niger": the place left, not who withdraws
                place = place or p
                if p.country:
                    recipient = [PartyDraft(p.text, p.start, p.end, None, p.country, "GOV",
                                            place=p)]
                continue
            if p is not None and frame == "visit" and cas in LOC_PREPS:
                place = place or p
                recipient = [PartyDraft(p.text, p.start, p.end, None, p.country, "GOV", place=p)]
                continue
            parts = v.parties(c)
            if not parts and not recipient and (cas == "contre" or (
                    cas == "sur" and m.entry.type == "ACCUSE")):
                # "les émeutes contre la politique israélienne", "une enquête sur des crimes
                # commis par les forces croates": the author of what is opposed or examined
                recipient = self.opposed(c, tok) if cas == "contre" else self.author_of(c)
            if not parts:
                if p is not None and cas in LOC_PREPS and place is None:
                    place = p
                continue
            if cas == "par" or (cas in _DE and not actor
                                and frame not in ("receive",)):
                if m.entry.nominal_de == "patient" and cas != "par":
                    recipient = recipient or parts
                else:
                    actor = parts
            elif cas in _RECIPIENT_PREPS or cas in ("contre", "avec"):
                recipient = parts
            elif frame == "receive" and cas in _DE:
                recipient = recipient or parts
        undergoer = _undergoer(tok)
        if undergoer is not None:
            # "X fait l'objet d'une enquête", "X a subi une attaque": X is acted on
            recipient = _with_conj(v, undergoer, subject=True) or recipient
            return actor, recipient, place
        tok = _through_batch(tok)  # "une série de sanctions": the series stands in the clause
        head = tok.head
        if head.i != tok.i and _lemma(head) == "opposer" and tok.dep_ == "nsubj":
            # "des affrontements ont opposé l'armée à des jihadistes"
            for o in _kids(head, "obj"):
                actor = v.parties(o) or actor
                for c in list(o.children) + list(head.children):
                    if c.dep_ in ("nmod", "obl", "obl:arg", "obl:mod") and case_of(c) in (
                            "à", "au", "aux"):
                        recipient = v.parties(c) or recipient
            return actor, recipient, place
        if head.i != tok.i and tok.dep_.startswith("nsubj") and not actor:
            for c in head.subtree:
                if c.i != tok.i and case_of(c) == "entre" and c.i not in self.trigger_heads:
                    parts = _with_conj(v, c)
                    if len(parts) >= 2:
                        actor, recipient = parts[:1], parts[1:]
        if head.i != tok.i and head.pos_ in ("VERB", "AUX") and head.i not in self.trigger_heads:
            hsubj = _subject_tok(head)
            if tok.dep_ == "obj" and hsubj is not None and not actor:
                actor = _with_conj(v, hsubj, subject=True)
            if tok.dep_ == "obj" and not recipient:
                # "a imposé au Mali une série de sanctions"
                for c in head.children:
                    if c.dep_ in ("iobj", "obl", "obl:arg", "obl:mod") and case_of(c) in (
                            "à", "au", "aux", "contre", "envers"):
                        recipient = v.parties(c) or recipient
            if tok.dep_ in ("nsubj", "nsubj:pass"):
                for o in _kids(head, "obj"):
                    parts = _with_conj(v, o)
                    if parts and not recipient:
                        recipient = parts
                    elif place is None and v.place_of(o) is not None:
                        place = v.place_of(o)
            if not actor and hsubj is not None and tok.dep_ in (
                    "obl", "obl:arg", "obl:mod", "nmod"):
                actor = _with_conj(v, hsubj, subject=True)
        if len(actor) >= 2 and not recipient:
            actor, recipient = actor[:1], actor[1:]
        return actor, recipient, place

    # ------------------------------------------------------------------ attachments
    def location(self, m: TriggerMatch, dom: set[int], used: list[PartyDraft],
                 frame_place: PlaceDraft | None) -> list[PlaceDraft]:
        """Candidate event places, best first: the frame's place, else the places in the
        trigger's own clause (breadth-first), else one on the clauses it hangs on, else a
        place fronted before the sentence. The resolve stage takes the first it can resolve
        ("à 30 km au sud de Djibo, dans la province du Soum": Soum is not in the gazetteer)."""
        if frame_place is not None:
            return [frame_place]
        v = self.view
        taken = {(p.start, p.end) for p in used}

        def of_de(c: Token) -> PlaceDraft | None:
            # the place of the "de" complement of ``c`` ("la ville de Kidal", "un marché de
            # Bujumbura")
            return next((p for d in c.children if d.dep_ == "nmod" and case_of(d) in _DE
                         for p in [v.place_of(d)] if p is not None), None)

        def locative(c: Token) -> PlaceDraft | None:
            if c.pos_ == "ADV" and _lemma(c) in _NEAR:
                # "près de Ménaka" parsed as an adverb with the place below it
                for d in c.children:
                    p = v.place_of(d)
                    if p is not None and (p.start, p.end) not in taken:
                        return p
                return None
            if c.pos_ in ("NOUN", "PROPN") and any(
                    d.dep_ in ("advmod", "case") and _lemma(d) in _NEAR and d.i < c.i
                    for d in c.children):
                # "près de la ville de Samarra", whatever role the parser gave the phrase
                p = v.place_of(c) or (of_de(c) if _lemma(c) in TOWN_NOUNS else None)
                if p is not None and (p.start, p.end) not in taken:
                    return p
            if not (c.dep_.startswith("obl") or c.dep_ in ("nmod", "advmod", "obj")):
                return None
            cas = case_of(c)
            if _lemma(c) in TOWN_NOUNS and cas not in ("vers", "depuis") and not (
                    _lemma(c.head) in _ORIGIN_VERBS and cas in _DE):
                # "le poste de gendarmerie de Djibo", "dans la ville de Kidal"
                p = v.place_of(c) or of_de(c)
                if p is not None and (p.start, p.end) not in taken:
                    return p
            if c.dep_ == "obj":
                if m.entry.type in ("ASSAULT", "COERCE"):
                    # "ont incendié le marché de Mopti": an attack happens where its target is
                    p = of_de(c)
                    if p is not None and not p.is_country and (p.start, p.end) not in taken:
                        return p
                return None
            if cas not in LOC_PREPS:
                return None
            if _lemma(c.head) in _ORIGIN_VERBS and cas in ("de", "d'", "depuis"):
                return None
            # (or a venue in a place: "sur un marché de Bujumbura", "dans une école de Kidal")
            p = v.place_of(c) or of_de(c)
            if p is None or (p.start, p.end) in taken:
                return None
            if any(q.place is p and q.start == p.start for q in used):
                return None
            return p

        root = self.anchor(m)
        # breadth-first inside the trigger's domain
        queue = [root]
        seen: set[int] = set()
        found: list[PlaceDraft] = []
        while queue:
            t = queue.pop(0)
            if t.i in seen:
                continue
            seen.add(t.i)
            for c in t.children:
                if c.i not in dom:
                    continue
                p = locative(c)
                if p is not None and p not in found:
                    found.append(p)
                queue.append(c)
        if found:
            return found
        # then the clauses the trigger hangs on
        climbed = _climb(root)
        for node in climbed:
            for c in node.children:
                if c.i in dom or c.i in self.trigger_heads:
                    continue
                p = locative(c)
                if p is not None:
                    return [p]
        # "À Niamey, la police a…": a fronted place the parser cut off as its own fragment
        top = climbed[-1] if climbed else root
        if top.dep_ == "ROOT":
            sent = top.sent
            prev = list(self.doc[sent.start - 1].sent) if sent.start else []
            fragment = prev if prev and not any(t.pos_ in ("VERB", "AUX") for t in prev) else []
            for t in fragment + [x for x in sent if x.dep_ == "ROOT" and x.i != top.i
                                 and x.i < top.i]:
                if t.dep_ == "ROOT" and v.place_of(t) is not None and case_of(t) in LOC_PREPS:
                    p = v.place_of(t)
                    if p is not None and (p.start, p.end) not in taken:
                        return [p]
        return []

    def date(self, m: TriggerMatch, dom: set[int]) -> DateMention | None:
        """The date expression of the trigger's clause, or of the clauses it hangs on."""
        doc = self.doc
        root = self.anchor(m)
        sent = doc[m.head].sent
        mine = [d for d in self.dates if sent.start <= d.start < sent.end]
        if not mine:
            return None
        for d in mine:
            if any(i in dom for i in range(d.start, d.end)) \
                    and not _in_background(doc[d.start], m.head):
                return d
        ancestors = [a.i for a in _climb(root)]
        for d in mine:
            heads = {doc[i].head.i for i in range(d.start, d.end)}
            if heads & set(ancestors):
                return d
        if len(_climb(root)) < len(list(root.ancestors)):
            return None  # background participle: its own time, not the sentence's
        others = {i for mm in self.matches if mm.head != m.head for i in self.domain(mm)}
        free = [d for d in mine if not any(i in others for i in range(d.start, d.end))
                and not _in_background(doc[d.start], m.head)]
        return free[0] if len(free) == 1 and len(mine) == 1 else None

    def quantity_kind(self, q: QuantityMention, status: str,
                      trigger: Token | None = None) -> str:
        """CONTRACT.md kind of ``q``: killed/injured, cumulative ("portant le total à"),
        planned (promises), else amount."""
        if q.casualty:
            return q.casualty
        tab = units_table()
        verbs = tab["casualty_verbs"]
        tok = self.doc[q.head]
        if trigger is not None and _lemma(trigger) in verbs and not trigger.pos_ == "NOUN" \
                and q.head in {o.i for o in _objects(trigger)}:
            return str(verbs[_lemma(trigger)])  # "ont tué (mercredi soir) douze soldats"
        node = tok
        for _ in range(5):
            if node.head.i == node.i:
                break
            parent = node.head
            plem = _lemma(parent)
            if plem in verbs and node.dep_ in ("obj", "nsubj:pass"):
                return str(verbs[plem])
            for c in node.children:
                # "cinquante civils tués": the casualty participle on the counted noun
                if c.dep_ in ("acl", "amod") and _lemma(c) in verbs and node.i == q.head:
                    return str(verbs[_lemma(c)])
            if plem in ("total", "cumul"):
                return "cumulative"
            if plem in ("porter", "atteindre", "elever", "totaliser", "culminer", "hisser"):
                kids = {_lemma(c) for c in parent.children}
                if kids & {"total", "cumul", "volume", "montant", "nombre", "quantite"}:
                    return "cumulative"
                if "bilan" in kids:
                    return "killed"
            node = parent
        if status == "planned":
            return "planned"
        return "amount"

    def contexts(self, m: TriggerMatch, dom: set[int], quantities: list[QuantityDraft],
                 recipient: list[PartyDraft]) -> list[str]:
        """PLOVER contexts: the trigger's own plus those signalled by ``data/contexts.toml``;
        aid gets one of military, human_security or economic."""
        ctx = list(m.entry.context)
        words = {_lemma(self.doc[i]) for i in dom} | {norm(self.doc[i].text) for i in dom}
        for q in quantities:
            if q.item:
                words |= {norm(w) for w in q.item.split()}
        sent_words = {_lemma(t) for t in self.doc[m.head].sent}
        table = context_words()

        def hit(ctx_name: str, pool: set[str]) -> bool:
            vocab = table.get(ctx_name, frozenset())
            joined = " ".join(sorted(pool))
            return bool(vocab & pool) or any(" " in w and w in joined for w in vocab)

        if m.entry.type in ("AID", "AGREE"):
            if "military" in ctx or hit("military", words) or any(
                    p.sector == "MIL" for p in recipient):
                pick = "military"
            elif hit("human_security", words):
                pick = "human_security"
            elif any(q.unit in money_units() for q in quantities) or hit("economic", words):
                pick = "economic"
            elif hit("military", sent_words):
                pick = "military"
            elif hit("human_security", sent_words):
                pick = "human_security"
            else:
                pick = ""
            if pick and pick not in ctx:
                ctx.append(pick)
        else:
            for name in ("military", "economic", "terrorism", "health"):
                if name not in ctx and m.entry.type not in ("PROTEST",) and hit(name, words):
                    ctx.append(name)
        return ctx

    # ------------------------------------------------------------------ one event
    def build(self, m: TriggerMatch) -> EventDraft | None:
        """The draft event of one trigger, or None for a generic mention."""
        v = self.view
        doc = self.doc
        tok = doc[m.head]
        sent: Span = tok.sent
        actor, recipient, frame_place = self.frame_args(m)
        dom = self.domain(m)
        anaphoric = False
        if m.nominal:
            dets = [norm(c.text) for c in tok.children if c.dep_ == "det"]
            if any(d in ("ce", "cet", "cette", "ces") for d in dets):
                anaphoric = True
            elif any(d in ("le", "la", "l'", "les") for d in dets) and frame_place is None \
                    and not any(t.i != tok.i and (v.actor_at.get(t.i) is not None
                                                  or v.place_of(t) is not None
                                                  or t.like_num)
                                for t in tok.subtree):
                # "la visite", "l'attaque" with no party or place of their own: the event
                # told before (merged into it when there is one)
                anaphoric = True
        claimed_by = None
        if m.nominal and _lemma(tok.head) == "revendiquer" and tok.dep_ in ("obj", "nsubj:pass"):
            # "L'attaque a été revendiquée par le JNIM": who claims responsibility
            for c in tok.head.children:
                if c.dep_ in ("obl:agent", "nsubj") or (c.dep_.startswith("obl")
                                                         and case_of(c) == "par"):
                    found = v.parties(c)
                    if found:
                        claimed_by = found[0]
                        break
        if anaphoric:
            dom = {t.i for t in sent}
        elif m.nominal and "Plur" in tok.morph.get("Number", []) and not actor \
                and not tok.dep_.startswith(("nsubj", "obj", "amod")) and not any(
                    self.doc[i].like_num for i in self.domain(m)) and self.date(m, dom) is None:
            return None  # a generic plural ("les attaques dans la région"), not one event
        if m.nominal and m.entry.type == "CONSULT" and _is_interview(tok):
            return None
        if not m.nominal and m.entry.type == "MOBILIZE" and m.entry.frame == "act_on" \
                and recipient and recipient[0].start in {
                    v.char(t.i) for o in _objects(tok) for t in o.subtree}:
            # "a mobilisé des réservistes de l'armée … contre l'Irak": what is mobilised is
            # one's own force, no recipient; the recipient is whom it is mobilised against
            recipient = self.party_inside([tok] + _objects(tok), tok, ("nmod", "obl"),
                                          preps=("contre", "face à"))
        if not recipient and not m.nominal and m.entry.type in ("CONCEDE", "SANCTION") \
                and m.entry.frame == "act_on":
            # "a levé le blocus imposé aux camions palestiniens": the nationality of those
            # the measure weighs on
            recipient = self.nationality_inside(_objects(tok))
        if m.nominal and m.entry.mode == "third-party":
            # "L'émir du Qatar a lancé une médiation entre les Émirats et l'Arabie saoudite":
            # the mediator (who launches or leads it) acts; the sides are the recipients
            anchor = self.anchor(m)
            lead = _subject_tok(anchor) if anchor.i != tok.i else None
            mediator = _with_conj(v, lead, subject=True) if lead is not None else []
            if mediator and mediator[0].country not in {p.country for p in actor + recipient}:
                sides = actor + recipient
                actor, recipient = mediator[:1], sides
        if m.entry.frame == "oblige" and not recipient:
            return None  # "devoir" outside reported speech: an obligation told, not a demand
        if not actor and not m.nominal and m.entry.type in _STANCE_TYPES:
            # "Les autorités américaines ont déclaré qu'une levée des sanctions était exclue":
            # a stance told in reported speech without a party subject is the speaker's
            speaker = _governing_speaker(tok)
            if speaker is not None:
                actor = _with_conj(v, speaker, subject=True)
        if m.entry.frame == "take" and not actor:
            actor = self.state_party(sent)
        if m.entry.frame in ("transfer", "receive") and not actor:
            actor = self.theme_origin(m)
        if m.entry.frame == "receive" and m.nominal and not recipient:
            # "Le Mali s'est tourné vers la Russie… Cette collaboration s'est traduite par
            # l'acquisition d'équipements russes": the acquirer is the topic of the text so far
            prev = v.memory.last_subject
            if prev is not None and prev.country and (not actor or prev.country
                                                      != actor[0].country):
                recipient = [PartyDraft(prev.text, None, None, prev.name, prev.country,
                                        prev.sector)]
        if m.entry.frame in ("transfer",) and actor and not recipient and not (
                not m.nominal and _passive(tok)):
            recipient = self.other_party(sent, actor, dom)
        if actor and recipient and recipient[0].country == actor[0].country \
                and recipient[0].sector == actor[0].sector and (
                    recipient[0].name == actor[0].name
                    or recipient[0].text.lower() in ("il", "elle", "ils", "elles", "lui", "eux")):
            recipient = []  # "la France … elle a annoncé": one party, not two
        places = self.location(m, dom, actor + recipient, frame_place)
        place = places[0] if places else None
        attribution, base_status = attribution_for(v, tok, sent)
        status = status_for(v, tok, base_status, actor[0] if actor else None)
        if status == "denied":
            denier = denier_for(v, tok)
            attribution = denier or attribution
            if not actor and denier is not None:
                actor = [denier]  # "Le Kremlin dément toute livraison": the denier is accused
        head = tok.head
        if m.nominal and head.i != tok.i and _lemma(head) in _DEMAND_VERBS \
                and tok.dep_ in ("obj", "obl:arg", "nsubj:pass") and status == "reported":
            # "manifester pour exiger le départ des troupes françaises": a demand (PLOVER
            # REQUEST) by whoever demands, not a withdrawal that happened
            demander = _subject_tok(head)
            actor = _with_conj(v, demander, subject=True) if demander is not None else []
            recipient = []
            status = "requested"
        if status == "refused":
            # "a refusé de signer": PLOVER REJECT by the one who refuses
            etype_override: str | None = "REJECT"
            status = "reported"
        else:
            etype_override = None
        # PLOVER 2.0: promises are AGREE, announced future withdrawals/releases CONCEDE
        etype, mode = m.entry.type, m.entry.mode
        if etype == "CONSULT" and mode is None and any(
                _lemma(self.doc[i]) in ("telephone", "telephonique", "visioconference")
                for i in dom):
            mode = "phone"  # "s'est entretenu par téléphone avec…"
        if etype_override:
            etype, mode = etype_override, None
        if status == "requested":
            etype, mode, status = "REQUEST", None, "reported"
        cond = _condition(tok) if not m.nominal else None
        if cond is not None and status in ("planned", "hypothetical") \
                and etype not in ("THREATEN", "REQUEST"):
            # PLOVER 2.0: an act promised on a condition ("retirerait sa force si le
            # président ne concluait pas un cessez-le-feu") is a threat when it hurts the
            # other side, an offer (AGREE) when it helps; addressed to the condition's subject
            etype = "THREATEN" if etype in _CONFLICT_TYPES else "AGREE"
            mode, status = None, "reported"
            if not recipient:
                recipient = _clause_subject(v, cond)
        planned = status == "planned"
        if planned and etype in ("AID", "CONSULT", "SUPPORT", "COOPERATE"):
            etype, mode, status = "AGREE", None, "reported"
        elif planned and etype == "RETREAT":
            etype, mode, status = "CONCEDE", None, "reported"
        elif planned and etype == "CONCEDE":
            etype, mode, status = "AGREE", None, "reported"  # a concession promised
        elif planned and etype in ("SANCTION", "PROTEST", "ASSAULT", "COERCE") \
                and not m.nominal:
            # PLOVER 2.0: a conflictual act announced for the future is a threat ("ils
            # boycotteraient tout contact", "imposera des sanctions si…"), addressed to the
            # party it would hit ("tout contact avec les États-Unis")
            etype, mode, status = "THREATEN", None, "reported"
            if not recipient:
                recipient = self.party_inside(_objects(tok), tok, ("nmod", "obl", "obl:arg"),
                                              other_than=actor[0].country if actor else None)
        if status == "negated" and etype == "AGREE" and not m.nominal:
            # "ne sont pas parvenus à un accord": failing to agree is PLOVER REJECT
            etype, mode, status = "REJECT", None, "reported"
        quantities = []
        parts: list[bool] = []
        for q in self.quantities:
            if not is_event_unit(q.unit):
                continue  # "à 12 km de Gao", "3 000 litres": recognised, not coded
            if q.head in dom or any(i in dom for i in range(q.start, q.end)):
                if any((p.start or -1) <= v.char(q.start) < (p.end or -1) for p in actor) \
                        and etype not in ("PROTEST",):
                    continue
                text, s, e = v.span_of(q.start, q.end)
                kind = self.quantity_kind(q, "planned" if planned or etype in (
                    "AGREE", "CONCEDE") else status, None if m.nominal else tok)
                quantities.append(QuantityDraft(text, s, e, q.value, q.unit, q.item, kind,
                                                q.approximate, q.bound))
                parts.append(_breakdown(self.doc, q.start))
        # "au moins vingt-deux personnes, dont quinze soldats et sept VDP": the figures after
        # "dont" break the total down; they are not more victims (nor more tonnes)
        totals = [qd for qd, part in zip(quantities, parts, strict=True) if not part]
        for qd, part in zip(quantities, parts, strict=True):
            if part and qd.kind in ("killed", "injured"):
                for t in totals:
                    if t.unit == qd.unit and t.kind == "amount":
                        t.kind = qd.kind  # the parse hid the verb from the total
        quantities = [qd for qd, part in zip(quantities, parts, strict=True)
                      if not part or not any(t.unit == qd.unit for t in totals)]
        dm = self.date(m, dom)
        if dm is not None and planned:
            # the date of a promise is when it was made: only a date on the governing verb
            if any(i in {t.i for t in tok.subtree} for i in range(dm.start, dm.end)):
                dm = None
        date = None
        if dm is not None:
            text, s, e = v.span_of(dm.start, dm.end)
            date = DateDraft(text, s, e, dm)
        ctx = self.contexts(m, dom, quantities, recipient)
        if etype == "MOBILIZE" and mode == "troops" and _peacekeeping(sent):
            # peacekeepers deployed or arriving: PLOVER AID (military personnel), not a
            # mobilisation against anyone
            etype, mode = "AID", None
            ctx = [c for c in ctx if c != "military"] + ["military", "peacekeeping"]
        acled = self.acled(m, etype, mode, actor, recipient, sent)
        aircraft = self.aircraft(tok, actor) if etype == "ASSAULT" and acled \
            and acled[1] not in ("Government regains territory", "Chemical weapon", "Suicide bomb",
                                 "Non-state actor overtakes territory", "Air/drone strike") \
            else None
        if etype == "ASSAULT" and acled is not None and acled[0] == "Battles" \
                and acled[1] == "Armed clash" and any(
                    self.head_lemma(p) in _CROWD_NOUNS for p in actor + recipient):
            # "des affrontements entre villageois armés de bâtons": crowds are no armed
            # groups; ACLED codes their violence as mob violence (PLOVER mode: beating)
            acled, mode = ("Riots", "Mob violence"), "beat"
        if aircraft is not None:
            # ACLED: an attack carried out by aircraft or drones is an air/drone strike
            # whatever its verb ("les avions de guerre ont détruit le dépôt", "un drone turc
            # a tué…": the adjective names the state flying it)
            mode, acled = aircraft[0], ("Explosions/Remote violence", "Air/drone strike")
            if not actor and aircraft[1] is not None:
                actor = [replace(aircraft[1], sector="MIL")]
        ttext, ts, te = v.span_of(m.start, m.end)
        aux = [c for c in tok.children if c.i < tok.i and (
            c.dep_.startswith("aux") or norm(c.text) in ("ne", "n'"))]
        if aux and not m.nominal:
            ttext, ts, te = v.span_of(min(a.i for a in aux), m.end)
        stext = sent.text.strip()
        s0 = v.offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        return EventDraft(
            type=etype, mode=mode, context=ctx, acled=acled,
            actor=actor[0] if actor else None, recipient=recipient[0] if recipient else None,
            location=place, date=date, quantities=quantities, attribution=attribution,
            status=status, trigger=(ttext, ts, te), evidence=(stext, s0, s0 + len(stext)),
            block=v.index, sent=sent.start, token=m.head, priority=m.entry.priority,
            frame=m.entry.frame, nominal=m.nominal, anaphoric=anaphoric,
            ancestors=tuple(a.i for a in tok.ancestors),
            case=case_of(tok) if m.nominal else "",
            actor_associates=actor[1:], recipient_associates=recipient[1:],
            trigger_id=m.entry.id,
            acled_fixed=m.entry.acled is not None,
            claimed_by=claimed_by,
            location_alternatives=places[1:],
            category=m.entry.category if etype is None else None,
        )

    def party_inside(self, phrases: list[Token], trigger: Token, deps: tuple[str, ...], *,
                     preps: tuple[str, ...] | None = None,
                     other_than: str | None = None) -> list[PartyDraft]:
        """The first party named by a complement (dependency in ``deps``, preposition in
        ``preps`` when given) inside one of ``phrases``, skipping other triggers' clauses and
        parties of country ``other_than``."""
        for phrase in phrases:
            for d in phrase.subtree:
                if d.i in (phrase.i, trigger.i) or d.dep_ not in deps or d.i in self.trigger_heads:
                    continue
                if preps is not None and case_of(d) not in preps:
                    continue
                parts = [p for p in self.view.parties(d) if other_than is None
                         or p.country != other_than]
                if parts:
                    return parts
        return []

    def adjective_party(self, t: Token, sector: str | None) -> list[PartyDraft] | None:
        """The country a nationality adjective ``t`` names, as a one-party list with
        ``sector`` ("un ultimatum australien" → Australia), or None when ``t`` is none."""
        span = self.view.actor_at.get(t.i)
        if span is None or span.label_ != "ADJ":
            return None
        iso = span.kb_id_.split("|")[0]
        return [PartyDraft(t.text, self.view.char(t.i), self.view.char(t.i) + len(t.text),
                           self.view.lex.country_names.get(iso, iso), iso, sector)]

    def head_lemma(self, party: PartyDraft) -> str | None:
        """The normalised lemma of the first noun of ``party``'s phrase (None when it has no
        offsets or no noun)."""
        if party.start is None or party.end is None:
            return None
        span = self.doc.char_span(party.start - self.view.offset, party.end - self.view.offset,
                                  alignment_mode="expand")
        nouns = [t for t in span if t.pos_ == "NOUN"] if span is not None else []
        return norm(nouns[0].lemma_ or nouns[0].text) if nouns else None

    def aircraft(self, trigger: Token, actor: list[PartyDraft]
                 ) -> tuple[str, PartyDraft | None] | None:
        """``("aerial" | "drone", flyer)`` when the one acting is an aircraft ("les avions de
        guerre syriens", "un drone turc"; ``grammar.toml`` aircraft_nouns, drone_nouns), else
        None. The head is the trigger's subject or "par" agent, else the first noun of the
        actor phrase; ``flyer`` is the state its nationality adjective names, if any."""
        heads: list[Token] = []
        if trigger.pos_ != "NOUN":
            heads += [c for c in trigger.children if c.dep_ in ("nsubj", "obl:agent")]
        lemmas: list[tuple[str, Token | None]] = [(norm(h.lemma_ or h.text), h) for h in heads]
        if actor:
            lemmas.append((self.head_lemma(actor[0]) or "", None))
        for lemma, h in lemmas:
            mode = "drone" if lemma in _DRONE_NOUNS else "aerial" if lemma in _AIRCRAFT_NOUNS \
                else None
            if mode is not None:
                flyer = self.author_of(h) if h is not None else []
                return mode, flyer[0] if flyer else None
        return None

    def nationality_inside(self, phrases: list[Token]) -> list[PartyDraft]:
        """The country of the first nationality adjective inside ``phrases`` below their
        head ("le blocus imposé aux camions palestiniens" → PSE), as a party of no sector;
        empty when there is none."""
        for phrase in phrases:
            for t in phrase.subtree:
                if t.i != phrase.i and t.dep_ == "amod" and t.head.i != phrase.i:
                    found = self.adjective_party(t, None)
                    if found:
                        return found
        return []

    def author_of(self, noun: Token) -> list[PartyDraft]:
        """Who a non-party object comes from, when the phrase says it in its own words: a
        nationality adjective on the noun ("un ultimatum australien" → AUS, government) or
        the agent of a participle on it ("le plan proposé par le Sénégal"). Parties deeper in
        the phrase (the subject matter: "une offre d'accueillir un sommet entre Israéliens et
        Palestiniens") are not authors. Empty when neither is there."""
        if noun.pos_ != "NOUN" or self.view.is_party(noun):
            return []
        # the adjective may close a compound noun ("un plan de paix sénégalais"): a bare "de"
        # complement without article is part of the noun
        compounds = [c for c in noun.children if c.dep_ == "nmod" and case_of(c) in ("de", "d'")
                     and c.pos_ == "NOUN" and not any(d.dep_ == "det" for d in c.children)]
        for c in [x for h in [noun] + compounds for x in h.children]:
            found = self.adjective_party(c, "GOV") if c.dep_ == "amod" else None
            if found:
                return found
        for c in noun.children:
            if c.dep_ == "acl" and c.pos_ == "VERB":
                for a in c.children:
                    if a.dep_ == "obl:agent" or (a.dep_.startswith("obl") and case_of(a) == "par"):
                        parts = self.view.parties(a)
                        if parts:
                            return parts
        return []

    def opposed(self, c: Token, trigger: Token) -> list[PartyDraft]:
        """Whom a "contre X" complement that names no party opposes: the author of X ("la
        politique israélienne" → ISR), else a party inside it ("la présence des troupes
        américaines" → USA); empty when neither is there."""
        return self.author_of(c) or self.party_inside([c], trigger, ("nmod",))

    def theme_origin(self, m: TriggerMatch) -> list[PartyDraft]:
        """The giver named by an adjective on what is given ("du blé russe", "des équipements
        militaires russes"), when the clause names no giver."""
        tok = self.doc[m.head]
        themes = [tok.head] if tok.dep_ == "acl" else []
        themes += [c for c in tok.children if c.dep_ in ("obj", "nmod", "nsubj:pass")]
        for theme in themes:
            for t in theme.subtree:
                found = self.adjective_party(t, "GOV") if t.dep_ == "amod" \
                    and t.head.pos_ == "NOUN" else None
                if found and not self.view.is_party(t.head):
                    return found
        return []

    def state_party(self, sent: Span) -> list[PartyDraft]:
        """A state party named in ``sent`` ("du pouvoir malien"), for territory events."""
        for t in sent:
            span = self.view.actor_at.get(t.i)
            if span is None or span.label_ != "SECTOR" or t.i != span.root.i:
                continue
            parts = self.view.parties(t)
            if parts and parts[0].country and parts[0].sector in _STATE_SECTORS:
                return parts[:1]
        return []

    def other_party(self, sent: Span, actors: list[PartyDraft],
                    dom: set[int]) -> list[PartyDraft]:
        """The first state named in ``sent`` that is not one of ``actors`` (recipient
        fallback when the frame found none)."""
        mine = {p.country for p in actors}
        spans = {(p.start, p.end) for p in actors}

        def inside_actor(p: PartyDraft) -> bool:
            # "La Croix-Rouge du Tchad": Chad is part of the actor's name, not a recipient
            return p.start is not None and any(
                a.start is not None and a.end is not None and a.start <= p.start < a.end
                for a in actors)

        def other(parts: list[PartyDraft]) -> bool:
            return bool(parts) and bool(parts[0].country) and parts[0].country not in mine \
                and (parts[0].start, parts[0].end) not in spans and not inside_actor(parts[0])

        for t in sent:
            span = self.view.actor_at.get(t.i)
            if span is None or t.i != span.start or span.label_ not in (
                    "COUNTRY", "CAPITAL", "SEAT"):
                continue
            # a complement of the actor's name ("la Croix-Rouge du Tchad") is not a recipient
            head_at = self.view.char(t.head.i)
            if t.dep_ in ("nmod", "appos", "amod") and any(
                    a.start is not None and a.start <= head_at < (a.end or 0) for a in actors):
                continue
            # a co-actor joined by "et" to the actor is not a recipient
            if t.dep_ == "conj" and any(a.start is not None and self.view.char(t.head.i) >= a.start
                                        and self.view.char(t.head.i) < (a.end or 0)
                                        for a in actors):
                continue
            parts = self.view.parties(t)
            if other(parts):
                return parts[:1]
        for t in sent:
            if t.i in dom and t.dep_ == "nmod":
                parts = self.view.parties(t)
                if other(parts):
                    return parts[:1]
        return []

    def acled(self, m: TriggerMatch, etype: str | None, mode: str | None, actor: list[PartyDraft],
              recipient: list[PartyDraft], sent: Span) -> tuple[str, str] | None:
        """ACLED event and sub-event type (ACLED codebook; research-facts.md)."""
        if etype is not None and etype != "ASSAULT" and m.entry.acled \
                and m.entry.type == etype:
            return m.entry.acled  # fixed by the trigger (agreements, seizures, deployments)
        if etype == "ASSAULT":
            if m.entry.acled and m.entry.acled[1] == "territory":
                folded = norm(sent.text)
                if any(w in folded for w in nonviolent_cues()):
                    return ("Strategic developments", "Non-violent transfer of territory")
                state = not actor or actor[0].sector in _STATE_SECTORS or (
                    actor[0].sector is None and actor[0].country is None) or (
                    actor[0].sector is None and actor[0].country and len(actor[0].country) == 3
                    and actor[0].country not in ("IMG", "NGO", "IGO", "UNO", "EUR"))
                if actor and actor[0].sector in ("REB", "UAF", "CRM"):
                    state = False
                return ("Battles", "Government regains territory" if state
                        else "Non-state actor overtakes territory")
            if m.entry.acled:
                return m.entry.acled
            return assault_acled(actor[0].sector if actor else None,
                                 recipient[0].sector if recipient else None)
        if etype == "PROTEST":
            if mode == "riot":
                return ("Riots", "Violent demonstration")
            return ("Protests", "Peaceful protest")
        if etype == "AGREE" and any(p.sector in ARMED_NON_STATE_SECTORS for p in actor + recipient):
            # ACLED "Agreement": one between parties to a conflict (rebels, militias,
            # mutineers), not any diplomatic accord
            return ("Strategic developments", "Agreement")
        if etype == "COERCE" and mode == "arrest":
            return ("Strategic developments", "Arrests")
        if etype == "RETREAT" and mode == "withdraw" and m.entry.frame == "leave":
            # ACLED: forces leaving a town, post or area hand it over without fighting
            # (Non-violent transfer of territory); a withdrawal from a country or with no
            # place left is a change in the group's activity
            return ("Strategic developments", "Non-violent transfer of territory"
                    if self.left_territory(m) else "Change to group/activity")
        return None

    def clause_recipient(self, tok: Token) -> list[PartyDraft]:
        """The party a demand or threat is addressed to, read from the clause it governs:
        the subject of a finite clause ("exiger que le Hamas renonce"), else a party the
        infinitive acts on ("menacé de rompre les relations avec la Russie", "d'interdire
        aux candidats de l'opposition ougandaise"), else the subject of its condition ("si
        Bagdad n'acceptait pas")."""
        v = self.view
        clauses = [c for c in tok.children if (c.dep_ in ("ccomp", "xcomp") or _que_clause(c))
                   and c.pos_ in ("VERB", "AUX")]
        for c in clauses:
            found = _clause_subject(v, c)
            if found:
                return found
        for c in clauses:
            for d in c.children:
                if d.dep_ in ("obj", "iobj") or (d.dep_.startswith("obl") and case_of(d) in (
                        "à", "au", "aux", "avec", "contre", "envers", "sur")):
                    found = _with_conj(v, d) or self.party_inside(
                        [d], c, ("nmod",))
                    if found:
                        return found
        for c in [tok] + clauses:
            for d in c.children:
                if is_condition(d):
                    found = _clause_subject(v, d)
                    if found:
                        return found
        return []

    def left_territory(self, m: TriggerMatch) -> bool:
        """True when the withdrawal ``m`` leaves a place below the country: the object or
        "de" complement of the verb (the "de" complement of the noun) is a town noun
        ("la zone de X", "leur dernier bastion") or a named place that is not a country."""
        tok = self.doc[m.head]
        cands = [c for c in tok.children if c.dep_ in ("obj", "nmod", "obl", "obl:arg", "obl:mod")
                 and (c.dep_ == "obj" or case_of(c) in _DE)]
        for c in cands:
            p = self.view.place_of(c)
            if p is not None:
                return not p.is_country
            if norm(c.lemma_) in TOWN_NOUNS and norm(c.lemma_) != "pays":
                return True
        return False

    def run(self) -> list[EventDraft]:
        """Drafts of every trigger in the block, in text order."""
        out: list[EventDraft] = []
        for sent in self.doc.sents:
            for m in sorted(self.matches, key=lambda x: x.head):
                if sent.start <= m.head < sent.end:
                    ev = self.build(m)
                    if ev is not None:
                        out.append(ev)
            note_topic(self.view, sent)
        _protest_interventions(out)
        return self._supporters_as_associates(out)

    def _supporters_as_associates(self, events: list[EventDraft]) -> list[EventDraft]:
        """"Les FAMa, appuyées par Wagner, ont affronté…": the supporter is an associate of
        the side it backs in that event (ACLED assoc_actor), not a separate SUPPORT event."""
        out = []
        for ev in events:
            tok = self.doc[ev.token]
            backed = tok.head
            if ev.type == "SUPPORT" and not ev.nominal and tok.dep_ == "acl" and _passive(tok) \
                    and ev.actor is not None and backed.pos_ in ("NOUN", "PROPN"):
                at = self.view.char(backed.i)
                host = next((o for o in events if o is not ev and o.sent == ev.sent and any(
                    p is not None and p.start is not None and p.start <= at < (p.end or 0)
                    for p in (o.actor, o.recipient))), None)
                if host is not None:
                    side = host.actor_associates if host.actor is not None and \
                        host.actor.start is not None and host.actor.start <= at < (
                            host.actor.end or 0) else host.recipient_associates
                    side.append(ev.actor)
                    continue
            out.append(ev)
        return out


_ARMED = frozenset({"MIL", "COP", "REB", "UAF", "PRM", "SPY", "IMG"})
_UNARMED = frozenset({"CVL", "REF", "EDU", "MED", "REL", "JRN", "AGR", "BUS", "LAB"})


def assault_acled(actor_sector: str | None, recipient_sector: str | None) -> tuple[str, str]:
    """ACLED type of an attack without a more specific mode (research-facts.md): armed men
    attacking soldiers, gendarmes or police is "Battles / Armed clash"; an attack on unarmed
    people is "Violence against civilians / Attack"."""
    if recipient_sector in _ARMED:
        return ("Battles", "Armed clash")
    if recipient_sector in _UNARMED:
        return ("Violence against civilians", "Attack")
    if actor_sector in _ARMED and recipient_sector is not None:
        return ("Battles", "Armed clash")
    return ("Violence against civilians", "Attack")




def _protest_interventions(events: list[EventDraft]) -> None:
    """ACLED: arrests made while breaking up a protest make it a "Protest with intervention"
    and are not a separate "Arrests" event; force used on protesters (tear gas, dispersal,
    live fire) gives the protest its ACLED type ("Protest with intervention", "Excessive
    force against protesters") and is not a second ACLED event; protesters' own violence
    (riots, stone-throwing, clashes) makes it a "Violent demonstration" (research-facts.md).
    ``events`` are the drafts of one block (a paragraph); the protest keeps the strongest
    type told there and is kept as a record even without parties or place."""
    protests = [e for e in events if e.type == "PROTEST"]
    if not protests:
        return
    best: tuple[str, str] | None = None
    for other in events:
        if other.status in ("hypothetical", "planned", "denied", "negated"):
            continue  # force feared, threatened or denied is not force used
        crowd = other.type == "ASSAULT" and other.mode == "crowd-control"
        cand: tuple[str, str] | None = None
        if other.type == "PROTEST" and other.acled is not None \
                and other.acled[0] in ("Riots", "Protests"):
            cand = other.acled
        elif crowd and other.acled is not None:
            cand = other.acled
            other.acled = None
        elif other.type == "COERCE" and other.acled is not None:
            near = [p for p in protests if p.sent == other.sent]
            targets_protesters = other.recipient is not None \
                and other.recipient.sector == "CVL"
            if any(other.token in p.ancestors for p in near) or (near and targets_protesters):
                cand = ("Protests", "Protest with intervention")
                other.acled = None
        if cand is not None and cand[1] in PROTEST_ACLED_RANK and (
                best is None or PROTEST_ACLED_RANK[cand[1]] > PROTEST_ACLED_RANK[best[1]]):
            best = cand
    if best is None:
        return
    for p in protests:
        if p.acled is None or p.acled[1] in PROTEST_ACLED_RANK:
            if p.acled != best:
                p.acled = best
                p.acled_fixed = True


def note_topic(view: BlockView, sent: Span) -> None:
    """Remember the subject of ``sent``'s main verb in ``view.memory.last_subject`` (for
    pronouns and implicit parties in the sentences that follow)."""
    for t in sent:
        if t.dep_ == "nsubj" and t.head.dep_ == "ROOT":
            parts = view.parties(t)
            if parts:
                view.memory.last_subject = parts[0]
                return


def subject_pass(view: BlockView) -> None:
    """What a block without events leaves in the memory: :func:`note_topic` over each of its
    sentences, in order (what :func:`extract_block` does for a block without triggers)."""
    for sent in view.doc.sents:
        note_topic(view, sent)


def extract_block(view: BlockView) -> list[EventDraft]:
    """Draft events of one block (merging across blocks happens in the resolve stage).

    Also updates ``view.memory`` (countries named, last subject) for the blocks that follow.
    """
    view.note_mentions()
    return _Builder(view).run()
