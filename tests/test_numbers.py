"""Numbers read in French text (kibaru.extract.numbers through find_numbers): digits in French
typography, fractions, scientific notation, SI suffixes, numbers in words. Sentences written
for these tests, not taken from the Recognizers-Text specs."""

from __future__ import annotations

import pytest

from kibaru.extract.quantities import find_numbers


def values(nlp, text: str) -> list[float]:
    return [n.value for n in find_numbers(nlp(text))]


@pytest.mark.parametrize("sentence,want", [
    # fractions in words: fraction nouns and ordinals read by text2num
    ("Les trois quarts du budget ont été dépensés.", [0.75]),
    ("Environ un cinquième des électeurs s'est abstenu.", [0.2]),
    ("Le chantier est achevé aux sept huitièmes.", [0.875]),
    ("Il en reste deux tiers.", [2 / 3]),
    ("La mesure vaut quatre centièmes.", [0.04]),
    ("Il attend un douzième de la somme.", [1 / 12]),
    # mixed numbers and halves after a scale word
    ("Le trajet prend deux et demi.", [2.5]),
    ("On a compté six et un quart.", [6.25]),
    ("La ville compte quatre millions et demi d'habitants.", [4.5e6]),
    ("La région compte 2 millions et demi d'habitants.", [2.5e6]),
    ("Un demi-million de réfugiés sont arrivés.", [500000]),
    # proportions with "sur"; an improper one is two numbers
    ("Le taux de réussite est de un sur quatre.", [0.25]),
    ("Ils ont économisé 500 sur 2 ans.", [500, 2]),
    ("La note est de quinze sur dix.", [15, 10]),
    # digits: fractions, scientific notation, SI suffixes, scale words
    ("Versez 3/4 du lait.", [0.75]),
    ("Ajoutez 1 1/2 mesure.", [1.5]),
    ("Ajoutez ½ tasse.", [0.5]),
    ("Le rapport cite 2,5e3 cas.", [2500]),
    ("Le facteur vaut 1,5^2 ici.", [2.25]),
    ("Le budget atteint 12k cette année.", [12000]),
    ("Le disque contient 3G de données.", [3e9]),
    ("La dette atteint 2 billions.", [2e12]),
    ("Le prix est de 2.500,75 au total.", [2500.75]),
    # words: decimals, zero, counting nouns
    ("Le taux est de deux virgule cinq.", [2.5]),
    ("Le compteur affiche zéro.", [0]),
    ("Il a acheté trois douzaines d'œufs.", [36]),
    # signs
    ("Le solde est de -4 aujourd'hui.", [-4]),
    ("Le score final est 2-3.", [2, 3]),
    # older spellings of the tens plus one, without "et"
    ("Le registre de 1850 compte trente-un baptêmes.", [1850, 31]),
    ("La part est de un sur soixante-une.", [1 / 61]),
    ("Il a vécu quarante un ans.", [41]),
    # "cent" after a whole number in digits multiplies, like "mille"
    ("Le stade attend 4 cent mille spectateurs.", [400000]),
    ("La ligne a coûté 7 cent millions.", [7e8]),
])
def test_numbers(nlp, sentence, want):
    assert values(nlp, sentence) == pytest.approx(want)


@pytest.mark.parametrize("sentence", [
    "Le vingt et unième siècle commence.",   # an ordinal is no number
    "La route de 40km a été bitumée.",       # a number glued to a unit is a measure
    "Il est arrivé 3e de la course.",
])
def test_not_numbers(nlp, sentence):
    assert values(nlp, sentence) == []


@pytest.mark.parametrize("text", ["1e999 tonnes", "9" * 5000, "123456789^999 euros",
                                  "trois " + "billions " * 40])
def test_huge_numbers_are_dropped(nlp, text):
    from kibaru.extract.quantities import find_quantities

    doc = nlp(text)
    assert all(abs(n.value) < 1e300 for n in find_numbers(doc))
    assert all(q.value < 1e300 for q in find_quantities(doc))


def test_one_cent_is_a_coin_not_a_hundred(nlp):
    # "cent" multiplies only a number above one: "1 cent" is the coin
    assert values(nlp, "Le ticket vaut 1 cent de plus.")[0] == 1
