"""French date expressions and their resolution against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from kibaru.extract.dates import find_dates
from kibaru.resolve.dates import resolve_date

PUB = date(2024, 5, 16)  # a Thursday


@pytest.mark.parametrize("text,value,precision", [
    ("Mardi dernier, l'armée a riposté.", "2024-05-14", "day"),
    ("Jeudi, l'armée a riposté.", "2024-05-16", "day"),       # the publication day itself
    ("Jeudi dernier, l'armée a riposté.", "2024-05-09", "day"),
    ("Vendredi, l'armée a riposté.", "2024-05-10", "day"),
    ("Hier, l'armée a riposté.", "2024-05-15", "day"),
    ("Avant-hier, l'armée a riposté.", "2024-05-14", "day"),
    ("La semaine dernière, l'armée a riposté.", "2024-05-06", "week"),
    ("Le mois dernier, l'armée a riposté.", "2024-04-01", "month"),
    ("L'année dernière, l'armée a riposté.", "2023-01-01", "year"),
    ("Le 14 sept. 2023, l'armée a riposté.", "2023-09-14", "day"),
    ("Le 3 mai, l'armée a riposté.", "2024-05-03", "day"),
    ("Le 20 mai, l'armée a riposté.", "2023-05-20", "day"),   # never after publication
    ("Le 1er mars 2024, l'armée a riposté.", "2024-03-01", "day"),
    ("En mars 2024, l'armée a riposté.", "2024-03-01", "month"),
    ("En 2022, l'armée a riposté.", "2022-01-01", "year"),
])
def test_resolve(nlp, text, value, precision):
    (m,) = find_dates(nlp(text))
    assert resolve_date(m, PUB) == (value, precision)


@pytest.mark.parametrize("text", [
    "Mardi dernier, l'armée a riposté.", "Hier, l'armée a riposté.", "Le 3 mai, elle a riposté.",
])
def test_no_publication_date_no_value(nlp, text):
    (m,) = find_dates(nlp(text))
    assert resolve_date(m, None) is None


def test_future_weekday_gives_nothing(nlp):
    (m,) = find_dates(nlp("Mardi prochain, le ministre se rendra à Dakar."))
    assert resolve_date(m, PUB) is None


def test_sept_is_a_number_without_a_day(nlp):
    assert find_dates(nlp("Sept soldats ont été blessés.")) == []
