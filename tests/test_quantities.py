"""Quantities read from French text: typography, words, approximations, scales, units."""

from __future__ import annotations

import pytest

from kibaru.extract.quantities import find_quantities, parse_number


@pytest.mark.parametrize("text,value", [
    ("25 000", 25000), ("25\u00a0000", 25000), ("12\u202f500", 12500), ("2,3", 2.3),
    ("1.000", 1000), ("vingt-deux", 22), ("quatre-vingt-dix", 90), ("trois cent mille", 300000),
    ("dix", 10), ("un", 1),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["et", "abc", "", "2024-01"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("sentence,value,unit,item,approx,bound", [
    ("Moscou a transféré 25 000 tonnes de blé au Mali.", 25000, "t", "blé", False, None),
    ("Le Japon a octroyé 12\u202f500 tonnes de riz.", 12500, "t", "riz", False, None),
    ("Un don de 1,5 milliard de FCFA a été annoncé.", 1.5e9, "XOF", None, False, None),
    ("Un prêt de 2,3 millions de dollars a été accordé.", 2.3e6, "USD", None, False, None),
    ("Une aide de 40 millions d'euros a été décaissée.", 4e7, "EUR", None, False, None),
    ("Ils ont reçu 800 kg de médicaments.", 0.8, "t", "médicaments", False, None),
    ("Ils ont enlevé vingt-deux civils.", 22, None, "civils", False, None),
    ("L'attaque a fait une dizaine de morts.", 10, None, "morts", True, None),
    ("La police a arrêté une centaine de manifestants.", 100, None, "manifestants", True, None),
    ("Ankara a livré une douzaine de drones.", 12, None, "drones", True, None),
    ("L'attaque a fait au moins 12 morts.", 12, None, "morts", False, "at_least"),
    ("On compte plus de 30 blessés.", 30, None, "blessés", False, "at_least"),
    ("Des dizaines de civils ont fui.", 10, None, "civils", True, "at_least"),
    ("Près de 300 familles ont été relogées.", 300, None, "familles", True, None),
    ("La BAD a accordé un million et demi de dollars.", 1.5e6, "USD", None, False, None),
    ("Le Japon a offert 3 millions et demi d'euros.", 3.5e6, "EUR", None, False, None),
    ("Un don de 1 234 567,89 euros a été remis.", 1234567.89, "EUR", None, False, None),
    ("Un crédit de 75 millions $ a été accordé.", 7.5e7, "USD", None, False, None),
])
def test_find_quantities(nlp, sentence, value, unit, item, approx, bound):
    doc = nlp(sentence)
    found = find_quantities(doc)
    assert len(found) == 1, [doc[q.start:q.end].text for q in found]
    q = found[0]
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert (q.item is None) if item is None else item in (q.item or "")
    assert q.approximate is approx
    assert q.bound == bound


@pytest.mark.parametrize("sentence", [
    "Il y a dix ans, la force a quitté le pays.",
    "La base 201 a été remise aux autorités.",
    "Les deux pays ont signé un accord.",
    "La réunion a duré trois heures.",
    "Le taux a atteint 12 %.",
    "En 2024, la situation a changé.",
])
def test_not_quantities(nlp, sentence):
    doc = nlp(sentence)
    assert find_quantities(doc) == [], [doc[q.start:q.end].text for q in find_quantities(doc)]


@pytest.mark.parametrize("sentence,kind", [
    ("L'attaque a fait une dizaine de morts.", "killed"),
    ("L'explosion a fait 14 blessés.", "injured"),
])
def test_casualty_items(nlp, sentence, kind):
    (q,) = find_quantities(nlp(sentence))
    assert q.casualty == kind
