"""One event per real-world event within a document.

Three passes, in order:

1. **Within a sentence** — a trigger inside another trigger's clause codes the same event when
   the types agree ("s'est rendu à Moscou, où il a rencontré" is one visit; "ont attaqué…,
   tuant cinq gendarmes" one attack; "des tirs d'obus" one shelling), and a nominal trigger that
   is a direct argument of a verbal trigger is absorbed by it ("a suspendu son aide": the aid
   is what is suspended, not a delivery).
2. **References** — an anaphoric event noun ("cette livraison", "l'attaque") adds its sentence's
   facts (e.g. a running total) to the latest earlier event of the same type; a delivery that
   "arrives" takes its parties from the latest aid event.
3. **Across the document** (after places are resolved; see :func:`merge_document`) — events
   of the same type, ACLED type and parties at the same place or date are merged (headline
   and body).
"""

from __future__ import annotations

from ..extract.draft import PROTEST_ACLED_RANK, EventDraft

__all__ = ["merge_sentences", "merge_references", "absorb"]

_FAMILY = {"AGREE": "AID", "AID": "AID"}
#: prepositions that make a nominal event the time of another, not its argument
_TIME_PREPS = frozenset({"apres", "après", "avant", "depuis", "suite a", "suite à", "a la suite de",
                         "à la suite de", "lors de", "pendant", "durant", "au cours de"})


def _fill_arguments(into: EventDraft, other: EventDraft) -> None:
    """Copy into ``into`` the parties, place, date and attribution it lacks from ``other``,
    and union the quantities (what any two mentions of one event share, whatever their
    types)."""
    for f in ("actor", "recipient", "location", "date", "attribution"):
        if getattr(into, f) is None and getattr(other, f) is not None:
            setattr(into, f, getattr(other, f))
    have = {(q.start, q.end) for q in into.quantities}
    into.quantities.extend(q for q in other.quantities if (q.start, q.end) not in have)


def _fill(into: EventDraft, other: EventDraft) -> None:
    """:func:`_fill_arguments`, plus the ACLED type, contexts and associates (mentions of
    one event of one type)."""
    _fill_arguments(into, other)
    if into.acled is None and other.acled is not None:
        into.acled = other.acled
    for c in other.context:
        if c not in into.context:
            into.context.append(c)
    if not into.actor_associates:
        into.actor_associates = other.actor_associates
    if not into.recipient_associates:
        into.recipient_associates = other.recipient_associates


def absorb(keep: EventDraft, drop: EventDraft) -> None:
    """Merge ``drop`` into ``keep``; type and mode come from the higher-priority trigger,
    except that killing or wounding people outranks property destruction told with it ("ont
    incendié le marché et tué quatre commerçants": ACLED codes the killings)."""
    harm = [(d.acled, d.acled_fixed, d.mode) for d in (keep, drop) if d.type == "ASSAULT"
            and d.acled is not None and d.acled[0] != "Strategic developments"
            and any(q.kind in ("killed", "injured") for q in d.quantities)]
    if drop.priority > keep.priority and drop.type == keep.type:
        keep.mode = drop.mode or keep.mode
        keep.priority = drop.priority
        if drop.acled is not None:
            keep.acled = drop.acled
            keep.acled_fixed = drop.acled_fixed
    elif keep.mode is None and drop.type == keep.type:
        keep.mode = drop.mode
    if keep.acled is not None and drop.acled is not None \
            and keep.acled[1] in PROTEST_ACLED_RANK and drop.acled[1] in PROTEST_ACLED_RANK \
            and PROTEST_ACLED_RANK[drop.acled[1]] > PROTEST_ACLED_RANK[keep.acled[1]]:
        keep.acled = drop.acled  # tear gas, then live fire: excessive force
    if harm and keep.type == "ASSAULT" and keep.acled is not None \
            and keep.acled[0] == "Strategic developments":
        keep.acled, keep.acled_fixed, keep.mode = harm[0]
    _fill(keep, drop)


def one_per_word(drafts: list[EventDraft]) -> list[EventDraft]:
    """One event per trigger word: when entries of different types code the same token
    ("condamner" as a disapproval and as a court sentence), the higher-priority one is kept
    (the first on ties) and takes the parties, place and date it lacks from the others."""
    best: dict[tuple[int, int, int], EventDraft] = {}
    for d in drafts:
        key = (d.block, d.sent, d.token)
        kept = best.get(key)
        if kept is None or d.priority > kept.priority:
            if kept is not None:
                _fill_arguments(d, kept)
            best[key] = d
        else:
            _fill_arguments(kept, d)
    return [d for d in drafts if best[(d.block, d.sent, d.token)] is d]


def disaster_agents(drafts: list[EventDraft]) -> list[EventDraft]:
    """"Un séisme a tué huit personnes": a disaster or crime (an event with a ``category``)
    that is the subject of a killing verb is the event; the verb's generic attack is not a
    second event (its victims, place and date go to the disaster)."""
    dropped: set[int] = set()
    for b in drafts:
        if b.category is None or not b.ancestors:
            continue
        for j, a in enumerate(drafts):
            if j in dropped or a.block != b.block or a.sent != b.sent:
                continue
            if a.type == "ASSAULT" and not a.acled_fixed and (
                    a.token == b.ancestors[0] or a.actor is None):
                # "un séisme … a tué huit personnes" (the parser may hang the disaster
                # elsewhere: a killing with no agent in the disaster's sentence is its toll)
                _fill_arguments(b, a)
                dropped.add(j)
    return [d for j, d in enumerate(drafts) if j not in dropped]


def weapon_types_attack(drafts: list[EventDraft]) -> list[EventDraft]:
    """"Trois attaques à la grenade", "du gaz moutarde utilisé lors d'une attaque": ACLED
    types an attack by the weapon used (Explosions/Remote violence sub-event types), so a
    generic attack or killing (an ASSAULT whose ACLED type the trigger does not fix) and a
    weapon told in the same sentence are one event: the attack keeps its parties, place and
    date and takes the weapon's mode and ACLED type; the weapon is no second event. A clash
    (or a lynching) named by a noun types a killing the same way ("tués lors de violents
    affrontements": one Armed clash, not an attack on civilians and a clash)."""
    dropped: set[int] = set()
    # the most specific weapon first ("des kamikazes se sont fait exploser, tuant…": suicide
    # bomb, not remote explosive)
    order = sorted(range(len(drafts)), key=lambda k: -drafts[k].priority)
    for i in order:
        w = drafts[i]
        if w.type != "ASSAULT" or not w.acled_fixed or w.acled is None or not (
                w.acled[0] == "Explosions/Remote violence"
                or (w.nominal and tuple(w.acled) in (("Battles", "Armed clash"),
                                                     ("Riots", "Mob violence")))):
            continue
        for a in drafts:
            if a is w or a.type != "ASSAULT" or a.acled_fixed or a.block != w.block \
                    or a.sent != w.sent or a.status != w.status:
                continue
            a.mode, a.acled, a.acled_fixed = w.mode, w.acled, True
            a.priority = max(a.priority, w.priority)
            _fill_arguments(a, w)
            dropped.add(i)
            break
    return [d for j, d in enumerate(drafts) if j not in dropped]


def protest_demands(drafts: list[EventDraft]) -> list[EventDraft]:
    """"Des étudiants ont manifesté pour réclamer des réformes au gouvernement": what a
    protest demands is its purpose: the REQUEST stays (a demand was made) but is subordinate
    to the protest (less confident), and the protest takes the demand's recipient (whom the
    protest targets) and the other arguments it lacks."""
    for r in drafts:
        if r.type != "REQUEST" or not r.ancestors:
            continue
        for p in drafts:
            if p.type == "PROTEST" and p.block == r.block and p.sent == r.sent and (
                    p.token in r.ancestors[:2]
                    or (p.ancestors and p.ancestors[0] == r.ancestors[0])):
                # "manifester pour réclamer", "ont organisé des manifestations pour réclamer"
                _fill_arguments(p, r)
                r.subordinate = True
                break
    return drafts


def time_references(drafts: list[EventDraft]) -> list[EventDraft]:
    """"Le président a réduit le couvre-feu imposé après le coup d'État du 30 juin qui a
    renversé le gouvernement": an event told as the time of another ("après", "depuis",
    "lors de" + event noun), and what its own clause tells, stays an event but is
    subordinate (less confident) when the sentence tells another event."""
    for t in drafts:
        if not (t.nominal and t.case in _TIME_PREPS):
            continue
        if not any(o is not t and o.block == t.block and o.sent == t.sent
                   and t.token not in o.ancestors and o.token != t.token for o in drafts):
            continue
        for b in drafts:
            if b.block == t.block and b.sent == t.sent and (b is t or t.token in b.ancestors):
                b.subordinate = True
    return drafts


#: PLOVER types of the acts a claim of responsibility claims or a condemnation condemns
#: (kept as events of their own)
_CLAIMABLE = frozenset({"ASSAULT", "COERCE"})
#: quantity kinds that tell an act's toll
_TOLL_KINDS = frozenset({"killed", "injured"})

#: verbal events whose clause tells what is demanded, threatened, alleged, refused or
#: promised (PLOVER codes the main-clause act: "a exigé que Moscou reconnaisse que ses forces
#: avaient assassiné…" is a REQUEST)
_SPEECH_ACTS = frozenset({"REQUEST", "THREATEN", "ACCUSE", "REJECT", "AGREE"})


def speech_act_contents(drafts: list[EventDraft]) -> list[EventDraft]:
    """Mark subordinate (less confident) every event told inside the clause of a demand,
    threat, accusation, refusal or promise of the same sentence; it stays an event."""
    for b in drafts:
        if b.type in _SPEECH_ACTS and b.nominal:
            continue
        for a in drafts:
            if a is not b and a.type in _SPEECH_ACTS \
                    and a.block == b.block and a.sent == b.sent and a.token in b.ancestors \
                    and a.type != b.type:
                b.subordinate = True
                break
    return drafts


def _claimed_or_condemned(claim: EventDraft, act: EventDraft, *, told_before: bool) -> None:
    """"Le JNIM a revendiqué l'attaque contre le camp", "Bamako a condamné l'attaque qui a
    fait vingt morts": the act stays an event of its own (ACLED codes it). Claimed, it has the
    claimant as actor and is told as claimed (an act told before takes the claimant in pass
    2); it takes the place and date the parser hung on the verb, and a claim's target too (a
    condemnation's recipient is whom it blames, not the act's target); the toll is the act's,
    not the statement's. With no act of its type told before (``told_before``), the mention
    is where the text tells it, not a reference back."""
    if claim.mode == "allege":
        act.actor = act.actor or claim.actor
        act.claimed_by = act.claimed_by or claim.actor
        act.attribution = act.attribution or claim.actor
        if act.status == "reported":
            act.status = "claimed"
    fields = ("recipient", "location", "date") if claim.mode == "allege" else ("location", "date")
    for f in fields:
        if getattr(act, f) is None:
            setattr(act, f, getattr(claim, f))
    toll = [q for q in claim.quantities if q.kind in _TOLL_KINDS]
    if toll:
        act.quantities = act.quantities + [q for q in toll if q not in act.quantities]
        claim.quantities = [q for q in claim.quantities if q.kind not in _TOLL_KINDS]
    if not told_before:
        act.anaphoric = False


def merge_sentences(drafts: list[EventDraft]) -> list[EventDraft]:
    """Pass 1 (see module docstring) over drafts of one document, in order."""
    drafts = time_references(speech_act_contents(protest_demands(weapon_types_attack(
        disaster_agents(one_per_word(drafts))))))
    out: list[EventDraft] = []
    dropped: set[int] = set()
    for i, b in enumerate(drafts):
        for j, a in enumerate(drafts):
            if i == j or j in dropped or a.block != b.block or a.sent != b.sent:
                continue
            if a.token not in b.ancestors and not (a.token == b.token and j < i):
                continue
            same = (a.type == b.type or {a.type, b.type} <= {"AID", "AGREE"}) and not (
                b.nominal and b.case in _TIME_PREPS)  # "imposé après le coup d'État": two
            # a nominal trigger the verb acts on ("a suspendu son aide"), not one that only
            # sets the time ("ont reçu des soins après une attaque au gaz")
            argument = b.nominal and b.ancestors and b.ancestors[0] == a.token \
                and b.case not in _TIME_PREPS
            if argument and b.type == "PROTEST" and (
                    a.mode == "crowd-control" or a.type == "COERCE"):
                # "la police a réprimé une manifestation": the protest is the record, the
                # force used gave it its ACLED type (ACLED: not a second event)
                for f in ("location", "date"):
                    if getattr(b, f) is None:
                        setattr(b, f, getattr(a, f))
                a.acled = None
                continue
            if argument and a.type == "ACCUSE" and a.mode in ("allege", "disapprove") \
                    and b.type in _CLAIMABLE:
                _claimed_or_condemned(a, b, told_before=any(
                    p.type == b.type for p in drafts[:i] if p is not a))
                continue
            if same or argument:
                if same:
                    absorb(a, b)
                dropped.add(i)
                break
    for i, d in enumerate(drafts):
        if i not in dropped:
            out.append(d)
    return out


def merge_references(drafts: list[EventDraft]) -> list[EventDraft]:
    """Pass 2 (see module docstring)."""
    out: list[EventDraft] = []
    for d in drafts:
        fam = _FAMILY.get(d.type or "", d.type)
        if d.anaphoric:
            target = next((p for p in reversed(out)
                           if _FAMILY.get(p.type or "", p.type) == fam), None)
            if target is not None:
                if d.claimed_by is not None and (target.actor is None
                                                 or target.actor.sector == "UAF"):
                    # responsibility claimed by a named group: it replaces "des hommes armés"
                    target.actor = d.claimed_by
                _fill(target, _as_addition(d))
                continue
            if d.actor is None and d.recipient is None:
                continue
        if d.type == "AID" and d.actor is None and (d.frame == "arrive" or (
                d.recipient is None and d.quantities)):
            # "une première cargaison … est arrivée", "un premier lot … a été livré": the
            # parties of the aid this paragraph is about
            source = next((p for p in reversed(out) if p.type in ("AID", "AGREE")
                           and p.block == d.block), None)
            if source is None:
                if d.frame == "arrive":
                    continue
            else:
                d.actor, d.recipient = source.actor, d.recipient or source.recipient
        out.append(d)
    return out


def _as_addition(d: EventDraft) -> EventDraft:
    """What an anaphoric mention adds: its quantities (never a new amount: a running total or
    casualty figure stays as read) and its attribution; not its status or date."""
    d.quantities = [q for q in d.quantities if q.kind != "amount"]
    d.actor = d.recipient = None
    d.location = None
    d.date = None
    d.acled = None
    return d
