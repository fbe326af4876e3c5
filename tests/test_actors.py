"""Actors: countries, demonyms in every gender and number, capitals and seats of power,
institutions and sectors, organisations, dated office-holders, appositions, references."""

from __future__ import annotations

import pytest

from kibaru.extract import BlockView, DocMemory
from kibaru.nlp.lexicon import get_lexicon


@pytest.mark.parametrize("form,iso3", [
    ("malien", "MLI"), ("malienne", "MLI"), ("maliens", "MLI"), ("maliennes", "MLI"),
    ("burkinabè", "BFA"), ("burkinabé", "BFA"), ("nigérien", "NER"), ("nigériennes", "NER"),
    ("nigérian", "NGA"), ("nigérianes", "NGA"), ("tchadiens", "TCD"), ("ivoirienne", "CIV"),
    ("sénégalaises", "SEN"), ("russe", "RUS"), ("turque", "TUR"), ("français", "FRA"),
    ("centrafricain", "CAF"), ("guinéen", "GIN"),
    ("afghanes", "AFG"), ("nord-coréens", "PRK"), ("vietnamienne", "VNM"), ("birmans", "MMR"),
    ("serbe", "SRB"), ("kosovars", "XKX"), ("mexicaine", "MEX"), ("néo-zélandais", "NZL"),
    ("papouan-néo-guinéens", "PNG"), ("sri-lankaise", "LKA"),
])
def test_demonyms(form, iso3):
    from kibaru.nlp.lexicon import norm

    assert get_lexicon().adjectives[norm(form)] == iso3


def party_of(nlp, sentence: str, word: str, published: str | None = None):
    doc = nlp(sentence)
    view = BlockView(doc, 0, 0, DocMemory(published=published))
    view.note_mentions()
    tok = next(t for t in doc if t.text == word)
    return view.parties(tok)


@pytest.mark.parametrize("sentence,word,country,sector", [
    ("Le Kremlin a salué la décision.", "Kremlin", "RUS", "GOV"),
    ("L'Élysée a réagi mardi.", "Élysée", "FRA", "GOV"),
    ("Koulouba a démenti l'information.", "Koulouba", "MLI", "GOV"),
    ("Moscou a livré du blé.", "Moscou", "RUS", "GOV"),
    ("Ankara a livré des drones.", "Ankara", "TUR", "GOV"),
    ("L'armée burkinabè a riposté.", "armée", "BFA", "MIL"),
    ("Les soldats maliens ont riposté.", "soldats", "MLI", "MIL"),
    ("La police sénégalaise a chargé.", "police", "SEN", "COP"),
    ("La junte nigérienne a réagi.", "junte", "NER", "GOV"),
    ("Des manifestants tchadiens ont défilé.", "manifestants", "TCD", "CVL"),
    ("Des jihadistes ont attaqué.", "jihadistes", None, "REB"),
    ("Des hommes armés ont attaqué.", "hommes", None, "UAF"),
    ("Le Programme alimentaire mondial a livré des vivres.", "Programme", "UNO", None),
    ("L'Union européenne a suspendu son aide.", "Union", "EUR", None),
    ("La CEDEAO a levé les sanctions.", "CEDEAO", "IGO", None),
    ("La Banque mondiale a accordé un prêt.", "Banque", "IGO", None),
    ("L'ambassadeur de France a été expulsé.", "ambassadeur", "FRA", "GOV"),
    ("Le président russe a reçu son homologue centrafricain.", "homologue", "CAF", "GOV"),
])
def test_parties(nlp, sentence, word, country, sector):
    (p,) = party_of(nlp, sentence, word)
    assert (p.country, p.sector) == (country, sector)


def test_apposition_gives_the_role(nlp):
    (p,) = party_of(nlp, "Maria Zakharova, porte-parole du ministère russe des Affaires "
                         "étrangères, a déclaré que Moscou livrerait du blé.", "Maria")
    assert (p.country, p.sector) == ("RUS", "GOV")


@pytest.mark.parametrize("name,on,country", [
    ("Vladimir Poutine", "2024-06-07", "RUS"),
    ("Macky Sall", "2020-01-01", "SEN"),
    ("Bassirou Diomaye Faye", "2024-06-01", "SEN"),
])
def test_dated_office_holders(name, on, country):
    person = get_lexicon().person(name, on)
    assert person is not None and person.country == country and person.sector == "GOV"


def test_office_holder_dates_are_used():
    lex = get_lexicon()
    assert lex.person("Macky Sall", "2020-01-01").end is not None
    assert lex.person("Bassirou Diomaye Faye", "2024-06-01").start <= "2024-06-01"


def test_two_countries_reference(nlp):
    parties = party_of(nlp, "La Russie et le Mali ont renforcé les liens entre les deux pays.",
                       "pays")
    assert {p.country for p in parties} == {"RUS", "MLI"}


def test_adjective_is_not_a_place(nlp):
    doc = nlp("Les derniers soldats français ont quitté le Niger.")
    view = BlockView(doc, 0, 0, DocMemory())
    assert not any(p.country == "FRA" for p, _ in view.places)


@pytest.mark.parametrize("text,actor,recipient", [
    ("Les forces afghanes ont repris jeudi le contrôle de la ville de Kunduz, a annoncé "
     "le ministère de la Défense.", "AFG", None),
    ("Le gouvernement nord-coréen a menacé mardi la Corée du Sud de représailles.", "PRK", "KOR"),
    ("Le président argentin a rencontré mercredi son homologue chilien à Buenos Aires.",
     "ARG", "CHL"),
])
def test_world_countries_code_events(nlp, text, actor, recipient):
    """Countries and adjectives added beyond Africa and the major powers reach event coding."""
    import kibaru

    events = kibaru.extract(text, published="2025-03-12").events
    assert events
    e = events[0]
    assert e.actor is not None and e.actor.country == actor
    assert (e.recipient.country if e.recipient is not None else None) == recipient


def test_first_name_dominique_is_not_dominica(nlp):
    import kibaru

    for e in kibaru.extract("Dominique de Villepin a critiqué mardi le gouvernement.",
                            published="2025-03-12").events:
        assert "DMA" not in {p.country for p in (e.actor, e.recipient) if p is not None}
