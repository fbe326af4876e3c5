"""spaCy component ``kibaru_actors_v1``: marks actor mentions from the lexicon files.

Writes ``doc.spans["kibaru_actors"]``: one span per mention, ``label_`` the kind (COUNTRY,
CAPITAL, SEAT, ORG, PERSON, ADJ, SECTOR) and ``kb_id_`` ``"COUNTRY|SECTOR|Name"`` (empty fields
for unknown parts). Reads tokens, POS tags and lemmas. Matching is accent- and case-insensitive
for names (a single-word name must be capitalised in the text, unless the data file lists it
in lower case), case-sensitive for acronyms.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from .lexicon import ActorEntry, Lexicon, get_lexicon, norm

__all__ = ["ActorMarker", "SPAN_KEY", "entry_of"]

SPAN_KEY = "kibaru_actors"
_MAX_WORDS = 9
_PRIORITY = {"ORG": 7, "PERSON": 6, "SEAT": 5, "CAPITAL": 4, "COUNTRY": 3, "SECTOR": 2, "ADJ": 1}


def _kb(entry: ActorEntry) -> str:
    return f"{entry.country or ''}|{entry.sector or ''}|{entry.name}"


def entry_of(span: Span) -> ActorEntry:
    """Decode a ``kibaru_actors`` span back into an :class:`ActorEntry`."""
    country, sector, name = (span.kb_id_.split("|", 2) + ["", ""])[:3]
    return ActorEntry(span.label_, country or None, sector or None, name)


class ActorMarker:
    """The component: see the module docstring for what it writes."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def _candidates(self, doc: Doc, tagged: bool = True) -> list[Span]:
        """Candidate spans; ``tagged=False`` reads token texts only (no POS, lemma or parse):
        adjectives count whatever their tag and single-word sector terms by their form."""
        lex = self.lexicon
        found: list[Span] = []
        n = len(doc)
        for i in range(n):
            tok = doc[i]
            if tok.is_punct or tok.is_space:
                continue
            if tok.text in lex.acronyms:
                found.append(Span(doc, i, i + 1, label=lex.acronyms[tok.text].kind,
                                  kb_id=_kb(lex.acronyms[tok.text])))
            key0 = norm(tok.text)
            iso = lex.adjectives.get(key0)
            if iso and (not tagged or tok.pos_ in ("ADJ", "NOUN", "PROPN")):
                found.append(Span(doc, i, i + 1, label="ADJ",
                                  kb_id=f"{iso}||{lex.country_names.get(iso, iso)}"))
            # only words that start some name or sector term open an n-gram search; other
            # tokens can only be a sector by their lemma ("déplacés" → "déplacé")
            if key0.split(" ")[0] not in lex.first_words:
                if tagged:
                    sector = lex.sectors.get(norm(tok.lemma_), "absent")
                    if sector != "absent" and self._nominal(tok):
                        found.append(Span(doc, i, i + 1, label="SECTOR",
                                          kb_id=f"|{sector or ''}|{tok.text}"))
                continue
            # grow the n-gram left to right while its key still begins some name or sector
            # term (a longer span's key always begins with a shorter one's); keep the longest
            # span that is a name (multiword or capitalised) or a sector term
            best: Span | None = None
            prefixes = lex.key_prefixes
            for j in range(i + 1, min(n, i + _MAX_WORDS) + 1):
                span = doc[i:j]
                key = norm(span.text) if j > i + 1 else key0
                if not (doc[j - 1].is_punct and doc[j - 1].text not in ("'", "’", "-")):
                    hit = self._name_or_sector(span, key, tagged)
                    if hit is not None:
                        best = hit
                if key not in prefixes:
                    break
            if best is not None:
                found.append(best)
        return found

    def _name_or_sector(self, span: Span, key: str, tagged: bool) -> Span | None:
        """``span`` labelled as a lexicon name (multiword or capitalised) or a sector term,
        else None; ``key`` is ``norm(span.text)``."""
        lex = self.lexicon
        doc, i, j, tok = span.doc, span.start, span.end, span[0]
        entry = lex.names.get(key)
        if entry is None and key in lex.people:
            person = lex.person(key)
            if person is not None:
                entry = ActorEntry("PERSON", person.country, person.sector, person.name)
        if entry is not None and (j - i > 1 or tok.text[:1].isupper() or key in lex.lower_case):
            return Span(doc, i, j, label=entry.kind, kb_id=_kb(entry))
        sector = lex.sectors.get(key, "absent")
        if j - i > 1:
            return Span(doc, i, j, label="SECTOR", kb_id=f"|{sector or ''}|{span.text}") \
                if sector != "absent" else None
        nominal = not tagged or self._nominal(tok)
        if sector == "absent" and nominal and tagged:
            sector = lex.sectors.get(norm(tok.lemma_), "absent")
        if sector != "absent" and nominal:
            return Span(doc, i, j, label="SECTOR", kb_id=f"|{sector or ''}|{span.text}")
        return None

    @staticmethod
    def _nominal(tok: Token) -> bool:
        """A noun, proper noun, adjective, or a verb form used as a noun ("les déplacés")."""
        return tok.pos_ in ("NOUN", "PROPN", "ADJ") or (
            tok.pos_ == "VERB" and any(c.dep_ in ("case", "det") for c in tok.children))

    def _resolve(self, spans: list[Span]) -> list[Span]:
        spans.sort(key=lambda s: (-(s.end - s.start), -_PRIORITY.get(s.label_, 0)))
        return sorted(filter_spans(spans), key=lambda s: s.start)

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[SPAN_KEY] = self._resolve(self._candidates(doc))
        return doc

    def untagged(self, doc: Doc) -> list[Span]:
        """The mentions of ``doc`` read from its token texts only (``tagged=False`` above):
        the same answer before and after tagging and parsing, so the fast path, which
        never tags blocks without a trigger candidate, and the full path record the same
        countries for the document's memory."""
        return self._resolve(self._candidates(doc, tagged=False))


@Language.factory("kibaru_actors_v1", requires=["token.pos", "token.lemma"],
                  assigns=["doc.spans"])
def make_actor_marker(nlp: Language, name: str) -> ActorMarker:
    """spaCy factory for :class:`ActorMarker` with the packaged lexicon."""
    return ActorMarker(get_lexicon())
