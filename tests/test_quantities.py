"""Quantities read from French text: typography, words, approximations, scales, units."""

from __future__ import annotations

import pytest

from kibaru.extract.quantities import (
    find_quantities,
    is_event_unit,
    parse_number,
    unit_kind,
    units_table,
)


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


@pytest.mark.parametrize("sentence,value,unit", [
    # measures: kept in the unit written; every mass in tonnes
    ("Le convoi a parcouru 120 km avant l'embuscade.", 120, "km"),
    ("Un mur de 3 mètres entoure le camp.", 3, "m"),
    ("Une fissure de 15 cm est apparue.", 15, "cm"),
    ("Les douaniers ont saisi 250 grammes de cocaïne.", 0.00025, "t"),
    ("Le PAM a distribué 5 000 litres d'huile.", 5000, "L"),
    ("Les criquets ont ravagé 2 000 hectares de cultures.", 2000, "ha"),
    ("Une zone de 40 km² a été bouclée.", 40, "km2"),
    ("Le navire croisait à 12 miles de la côte.", 12, "mi"),
    ("Une vague de six pieds a frappé la digue.", 6, "ft"),
    ("Il a acheté un écran de 55 pouces.", 55, "in"),
    ("La citerne contient 1,5 million de litres.", 1.5e6, "L"),
    ("Il transportait un flacon de 75ml.", 75, "mL"),
    ("Le puits produit 300 barils par jour.", 300, "bbl"),
    # fractions count with a unit
    ("Chaque enfant reçoit un demi-litre de lait.", 0.5, "L"),
    ("Ils ont marché 2 1/2 kilomètres.", 2.5, "km"),
    # money: ISO 4217 from names, symbols and codes, before or after the number
    ("Le Ghana a reçu 40 millions de cedis.", 4e7, "GHS"),
    ("Tokyo a prêté 300 millions de yens.", 3e8, "JPY"),
    ("Une amende de 5 000 francs suisses a été infligée.", 5000, "CHF"),
    ("Le club a dépensé £ 12 millions.", 1.2e7, "GBP"),
    ("Le fonds a versé EUR 500 à chaque famille.", 500, "EUR"),
    ("Ottawa a promis 2 millions de dollars canadiens.", 2e6, "CAD"),
    ("Le ticket vaut nzd$20 désormais.", 20, "NZD"),
    ("Le pain coûte un dollar.", 1, "USD"),
    ("Le journal coûte 45 pence.", 0.45, "GBP"),
    ("Le billet coûte 2 dollars et 50 cents.", 2.5, "USD"),
    ("Le repas coûte 3 euros 20.", 3.2, "EUR"),
    ("Le prix a baissé de 30 cents.", 30, "cent"),
])
def test_units_and_currencies(nlp, sentence, value, unit):
    doc = nlp(sentence)
    found = [q for q in find_quantities(doc) if q.unit]
    assert len(found) == 1, [(doc[q.start:q.end].text, q.unit) for q in find_quantities(doc)]
    assert found[0].value == pytest.approx(value)
    assert found[0].unit == unit


@pytest.mark.parametrize("sentence", [
    "Les deux tiers des habitants ont fui.",      # a share, not a count
    "Où des millions de personnes ont faim.",     # a scale word alone
    "Il est arrivé 3e de la course.",
])
def test_no_counts(nlp, sentence):
    doc = nlp(sentence)
    assert find_quantities(doc) == [], [doc[q.start:q.end].text for q in find_quantities(doc)]


def test_unit_kinds_and_events():
    assert unit_kind("km") == "length" and unit_kind("GHS") == "money"
    assert is_event_unit("t") and is_event_unit("XOF") and is_event_unit(None)
    assert not is_event_unit("km") and not is_event_unit("L") and not is_event_unit("cent")
    table = units_table()
    assert set(table["prefix_units"]["words"]) <= set(table["units"])
    kinds = {u for k, us in table["unit_kinds"].items() if k != "event_kinds" for u in us}
    assert {u for u, _ in table["units"].values()} == kinds


def test_distance_is_no_event_quantity(code):
    events = code("Des jihadistes ont tué cinq soldats à 30 km de Gao mardi.",
                  published="2025-03-12").events
    quantities = [(q.value, q.unit) for e in events for q in e.quantities]
    assert (5, None) in quantities
    assert all(unit != "km" for _, unit in quantities)


@pytest.mark.parametrize("sentence,unit", [
    ("La température a grimpé jusqu'à 46 degrés à Kayes.", "degC"),
    ("Les thermomètres affichaient 44 degrés mardi à Niamey.", "degC"),
    ("Il faisait 41 degrés à l'ombre dans la capitale.", "degC"),
    ("Le blindé a pivoté de 180 degrés avant de reculer.", "deg"),
])
def test_degrees_are_a_temperature_when_the_sentence_speaks_of_heat(nlp, sentence, unit):
    (q,) = find_quantities(nlp(sentence))
    assert q.unit == unit
    assert not is_event_unit(q.unit)


@pytest.mark.parametrize("sentence,value,unit", [
    ("Le camion transportait 12 à 15 tonnes de mil.", 15, "t"),
    ("Une enveloppe de cinq à sept milliards de FCFA est prévue.", 7e9, "XOF"),
    ("Le mur mesure deux à 3 mètres de haut.", 3, "m"),
])
def test_range_with_one_unit_is_no_count_of_the_unit(nlp, sentence, value, unit):
    # the lower end of "12 à 15 tonnes" is not 12 things called "tonnes" (it is left out)
    found = find_quantities(nlp(sentence))
    assert [(q.value, q.unit) for q in found] == [(pytest.approx(value), unit)]
