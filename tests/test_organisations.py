"""Organisations from ``data/organisations.tsv`` through the real loader and pipeline: every
name reaches its own row, acronyms that are French words stay case-sensitive, and a few
sentences of world news get the organisation's PLOVER country and sector."""

from __future__ import annotations

import pytest

from kibaru.nlp.actors import SPAN_KEY
from kibaru.nlp.lexicon import _rows, _split, get_lexicon, norm


def _is_acronym(name: str) -> bool:
    # the loader's rule (Lexicon._add_name)
    letters = name.replace(".", "").replace("-", "")
    return letters.isupper() and len(letters) <= 6


def test_every_organisation_name_reaches_its_own_row():
    # nothing loaded earlier (countries, an earlier row) shadows an organisation's name
    lex = get_lexicon()
    lost = []
    for row in _rows("organisations.tsv"):
        names = _split(row["names"])
        canonical = row.get("canonical") or names[0]
        for n in names:
            e = lex.acronyms.get(n) if _is_acronym(n) else lex.names.get(norm(n))
            if e is None or e.kind != "ORG" or e.name != canonical:
                lost.append((n, canonical, e))
    assert not lost, lost


@pytest.mark.parametrize("acronym", ["IRA", "FIS", "BIT", "ETA", "UA", "EI", "AES"])
def test_acronyms_that_are_words_are_case_sensitive(acronym):
    lex = get_lexicon()
    assert acronym in lex.acronyms
    assert norm(acronym) not in lex.names


@pytest.mark.parametrize("sentence", [
    "Il ira à Genève mardi pour rencontrer ses homologues.",
    "Le fichier pèse un bit de plus.",
    "Des frappes aériennes ont visé Douma, dans la Ghouta orientale.",
    "Le congrès du parti s'est ouvert samedi.",
    # a one-word name listed capitalised only matches capitalised
    "Le hamas est un mot que personne n'écrit ainsi.",
])
def test_no_organisation_in_ordinary_words(nlp, sentence):
    doc = nlp(sentence)
    assert [s.text for s in doc.spans[SPAN_KEY] if s.label_ == "ORG"] == []


@pytest.mark.parametrize("sentence,text,kb", [
    ("Le Pentagone a annoncé l'envoi de soldats en Pologne.", "Pentagone", "USA|MIL"),
    ("Le Département d'État a convoqué l'ambassadeur chinois.", "Département d'État", "USA|GOV"),
    ("Le Departement d'Etat a convoque l'ambassadeur.", "Departement d'Etat", "USA|GOV"),
    ("La Knesset a adopté la loi en troisième lecture.", "Knesset", "ISR|LEG"),
    ("L'Opep a décidé de réduire sa production.", "Opep", "IGO|"),
    ("Les Tigres tamouls ont rejeté l'offre de Colombo.", "Tigres tamouls", "LKA|REB"),
    ("Le Conseil de sécurité nationale turc s'est réuni.", "Conseil de sécurité nationale",
     "|GOV"),
    ("L'UÇK a attaqué une patrouille serbe.", "UÇK", "XKX|REB"),
    ("Les rebelles houthis ont tiré un missile.", "rebelles houthis", "YEM|REB"),
    # one-word names the file lists in lower case match in lower case ("les talibans")
    ("Les talibans ont pris le contrôle de Kandahar.", "talibans", "AFG|REB"),
    ("Les shebab ont revendiqué l'attentat.", "shebab", "IMG|REB"),
])
def test_organisation_spans(nlp, sentence, text, kb):
    doc = nlp(sentence)
    found = {s.text: s.kb_id_.rsplit("|", 1)[0] for s in doc.spans[SPAN_KEY]
             if s.label_ == "ORG"}
    assert found.get(text) == kb, found


def _actor(code, text: str):
    events = [e for e in code(text, published="2024-06-03").events if e.actor is not None]
    assert events, text
    return events[0]


@pytest.mark.parametrize("sentence,country,sector", [
    ("Le Hezbollah a revendiqué l'attaque contre une position israélienne.", "LBN", "REB"),
    ("Le Kremlin a rejeté lundi les accusations de l'Otan.", "RUS", "GOV"),
    ("Les FARC ont libéré trois otages, a indiqué le CICR.", "COL", "REB"),
    ("Le Conseil de sécurité a condamné l'attaque.", "UNO", None),
    ("Le Conseil de sécurité russe s'est réuni mardi.", "RUS", "GOV"),
    ("Les Khmers rouges ont attaqué un village.", "KHM", "REB"),
    ("La ZANU-PF a accusé l'opposition de violences.", "ZWE", "PTY"),
])
def test_organisation_as_event_actor(code, sentence, country, sector):
    e = _actor(code, sentence)
    assert (e.actor.country, e.actor.sector) == (country, sector)


def test_organisations_on_both_sides(code):
    e = _actor(code, "Tsahal a frappé des positions du Hezbollah au Liban.")
    assert (e.actor.country, e.actor.sector) == ("ISR", "MIL")
    assert e.recipient is not None
    assert (e.recipient.country, e.recipient.sector) == ("LBN", "REB")
    e = _actor(code, "Le Kremlin a rejeté lundi les accusations de l'Otan.")
    assert e.recipient is not None and (e.recipient.country, e.recipient.name) == ("IGO", "NATO")
