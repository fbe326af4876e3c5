"""spaCy component ``kibaru_actors_v1``: marks actor mentions from the lexicon files.

Writes ``doc.spans["kibaru_actors"]``: one span per mention, ``label_`` the kind (COUNTRY,
CAPITAL, SEAT, ORG, PERSON, ADJ, SECTOR) and ``kb_id_`` ``"COUNTRY|SECTOR|Name"`` (empty fields
for unknown parts). Reads tokens, POS tags and lemmas. Matching is accent- and case-insensitive
for names (a single-word name must be capitalised in the text), case-sensitive for acronyms.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
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

    def _candidates(self, doc: Doc) -> list[Span]:
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
            # only words that start some name or sector term open an n-gram search; other
            # tokens can only be a sector by their lemma ("déplacés" → "déplacé")
            longest = i + _MAX_WORDS if key0.split(" ")[0] in lex.first_words else i + 1
            for j in range(min(n, longest), i, -1):
                if doc[j - 1].is_punct and doc[j - 1].text not in ("'", "’", "-"):
                    continue
                span = doc[i:j]
                key = norm(span.text)
                entry = lex.names.get(key)
                if entry is None and key in lex.people:
                    person = lex.person(key)
                    if person is not None:
                        entry = ActorEntry("PERSON", person.country, person.sector, person.name)
                if entry is not None and (j - i > 1 or tok.text[:1].isupper()):
                    found.append(Span(doc, i, j, label=entry.kind, kb_id=_kb(entry)))
                    break
                sector = lex.sectors.get(key, "absent")
                nominal = tok.pos_ in ("NOUN", "PROPN", "ADJ") or (
                    tok.pos_ == "VERB" and any(c.dep_ in ("case", "det") for c in tok.children))
                if sector == "absent" and j - i == 1 and nominal:
                    sector = lex.sectors.get(norm(tok.lemma_), "absent")
                if sector != "absent" and (j - i > 1 or nominal):
                    found.append(Span(doc, i, j, label="SECTOR",
                                      kb_id=f"|{sector or ''}|{span.text}"))
                    break
            iso = lex.adjectives.get(norm(tok.text))
            if iso and tok.pos_ in ("ADJ", "NOUN", "PROPN"):
                found.append(Span(doc, i, i + 1, label="ADJ",
                                  kb_id=f"{iso}||{lex.country_names.get(iso, iso)}"))
        return found

    def __call__(self, doc: Doc) -> Doc:
        spans = self._candidates(doc)
        spans.sort(key=lambda s: (-(s.end - s.start), -_PRIORITY.get(s.label_, 0)))
        doc.spans[SPAN_KEY] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


@Language.factory("kibaru_actors_v1", requires=["token.pos", "token.lemma"],
                  assigns=["doc.spans"])
def make_actor_marker(nlp: Language, name: str) -> ActorMarker:
    """spaCy factory for :class:`ActorMarker` with the packaged lexicon."""
    return ActorMarker(get_lexicon())
