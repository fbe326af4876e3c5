"""French date expressions and their resolution against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from kibaru.extract.dates import find_dates, read_numeric_date
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


@pytest.mark.parametrize("text,value,precision", [
    # numeric dates however spaCy cuts them: hyphens, year first, a comma before the year,
    # month first when the first number cannot be a month, day/month without a year
    ("Le 21-03-2024, la frontière a été fermée.", "2024-03-21", "day"),
    ("Le scrutin du 2023/11/05 a été annulé.", "2023-11-05", "day"),
    ("Le communiqué daté du 08/02,2024 a été retiré.", "2024-02-08", "day"),
    ("Le rapport du 04-25-2024 a été publié.", "2024-04-25", "day"),
    ("Depuis le 12/04, la route est coupée.", "2024-04-12", "day"),
    ("Le 20/06, le camp a été attaqué.", "2023-06-20", "day"),  # never after publication
    # a month before its day, abbreviated or glued
    ("Mise à jour : avr. 12, les délégués ont voté.", "2024-04-12", "day"),
    ("Mise à jour : Mars-5", "2024-03-05", "day"),
    # days in words and ordinals
    ("Le vingt et un avril, des hommes armés ont pillé le marché.", "2024-04-21", "day"),
    ("Le premier mai, les syndicats ont défilé à Dakar.", "2024-05-01", "day"),
    # a day without its month: the latest such day up to publication
    ("Le 3, des hommes armés ont attaqué le poste.", "2024-05-03", "day"),
    ("Le 20, des hommes armés ont attaqué le poste.", "2024-04-20", "day"),
    # a weekday with its day
    ("Mardi 14, les troupes sont entrées dans la ville.", "2024-05-14", "day"),
    ("Vendredi, le 10, la route a été coupée.", "2024-05-10", "day"),
    ("Ven. 10 mai 2024 | Bamako", "2024-05-10", "day"),
    # a weekday in a given week, and its rank in a month
    ("Lundi de la semaine dernière, le maire a été enlevé.", "2024-05-06", "day"),
    ("Ce mardi, l'armée a riposté.", "2024-05-14", "day"),
    ("Le premier vendredi d'avril, la mine a été fermée.", "2024-04-05", "day"),
    ("Le dernier lundi du mois dernier, un convoi a sauté sur une mine.", "2024-04-29", "day"),
    # elapsed time: the publication date moved back, with the precision of the unit
    ("Il y a deux ans, la junte a pris le pouvoir.", "2022-05-16", "year"),
    ("Il y a trois mois, le village a été attaqué.", "2024-02-16", "month"),
    ("Il y a une semaine, le village a été attaqué.", "2024-05-09", "week"),
    ("Il y a vingt-cinq jours, le village a été attaqué.", "2024-04-21", "day"),
    # relative phrases with a hyphen (spaCy makes it a token of its own)
    ("Le week-end dernier, des tirs ont visé la caserne.", "2024-05-06", "week"),
    ("Ce mois-ci, des tirs ont visé la caserne.", "2024-05-01", "month"),
    # a month or a year after a period word
    ("Début mars, les pluies ont détruit les récoltes.", "2024-03-01", "month"),
    ("Mi-avril, les pluies ont détruit les récoltes.", "2024-04-01", "month"),
    ("En décembre, les pluies ont détruit les récoltes.", "2023-12-01", "month"),
    ("Au mois de juin, les pluies ont détruit les récoltes.", "2023-06-01", "month"),
    ("Fin 2023, les pluies ont détruit les récoltes.", "2023-01-01", "year"),
])
def test_resolve_more_kinds(nlp, text, value, precision):
    (m,) = find_dates(nlp(text))
    assert resolve_date(m, PUB) == (value, precision)


@pytest.mark.parametrize("text", [
    "Demain, le ministre se rendra à Niamey.",
    "La semaine prochaine, le ministre se rendra à Niamey.",
    "Ce samedi, le ministre se rendra à Niamey.",         # later in the publication week
    "Lundi 14, le ministre se rendra à Niamey.",          # no recent Monday the 14th
    "Le premier vendredi du mois prochain, le ministre se rendra à Niamey.",
])
def test_found_but_never_after_publication(nlp, text):
    (m,) = find_dates(nlp(text))
    assert resolve_date(m, PUB) is None


@pytest.mark.parametrize("text", [
    "Les 2/3 des sièges sont vacants.",                   # a fraction
    "Le match s'est terminé sur le score de 3-1.",
    "Le taux est passé à 1.5 pour cent.",
    "Le premier, il a parlé de paix.",                    # an ordinal pronoun, not a day
    "La mer était agitée et le jeu a été suspendu.",      # weekday abbreviations need a day
    "Ils ont péri en mer.",
    "En mer, 22 migrants ont péri.",
])
def test_not_dates(nlp, text):
    assert find_dates(nlp(text)) == []


def test_counts_after_a_month_or_weekday_stay_counts(nlp):
    (m,) = find_dates(nlp("En mai 15 personnes ont été tuées."))
    assert (m.month, m.day) == (5, None)
    (m,) = find_dates(nlp("Vendredi 3 personnes ont été tuées."))
    assert (m.kind, m.day) == ("weekday", None)


@pytest.mark.parametrize("text,has_year,expected", [
    ("9-18-15", True, (2015, 9, 18)),
    ("2015.5.13", True, (2015, 5, 13)),
    ("22/04", False, (None, 4, 22)),
    ("29/02", False, (None, 2, 29)),
    ("31/04", False, None),
])
def test_read_numeric_date(text, has_year, expected):
    assert read_numeric_date(text, has_year) == expected


# what is explicitly ahead of the anchor resolves forward when the caller allows it
# (PUB = Thursday 16 May 2024)
@pytest.mark.parametrize("text,value,precision", [
    ("Demain, le ministre se rendra à Niamey.", "2024-05-17", "day"),
    ("Après-demain, le ministre se rendra à Niamey.", "2024-05-18", "day"),
    ("Le lendemain, le ministre se rendra à Niamey.", "2024-05-17", "day"),
    ("Dimanche prochain, les électeurs voteront.", "2024-05-19", "day"),
    ("Jeudi prochain, les électeurs voteront.", "2024-05-23", "day"),   # not the anchor itself
    ("Vendredi de la semaine prochaine, les électeurs voteront.", "2024-05-24", "day"),
    ("Vendredi la semaine prochaine, les électeurs voteront.", "2024-05-24", "day"),
    ("Ce samedi, les électeurs voteront.", "2024-05-18", "day"),
    ("Samedi cette semaine, les électeurs voteront.", "2024-05-18", "day"),
    ("La semaine prochaine, les électeurs voteront.", "2024-05-20", "week"),
    ("Le mois prochain, les électeurs voteront.", "2024-06-01", "month"),
    ("L'an prochain, les électeurs voteront.", "2025-01-01", "year"),
    ("L'année prochaine, les électeurs voteront.", "2025-01-01", "year"),
    ("Dans dix jours, les électeurs voteront.", "2024-05-26", "day"),
    ("Dans deux semaines, les électeurs voteront.", "2024-05-30", "week"),
    ("Dans trois mois, les électeurs voteront.", "2024-08-16", "month"),
    ("Dans trois ans, les électeurs voteront.", "2027-05-16", "year"),
    ("Le 12 janvier 2030, les électeurs voteront.", "2030-01-12", "day"),
    ("Le 03-07-2027, les électeurs voteront.", "2027-07-03", "day"),
    ("Le premier vendredi du mois prochain, les électeurs voteront.", "2024-06-07", "day"),
])
def test_future_resolves_forward_when_allowed(nlp, text, value, precision):
    (m,) = find_dates(nlp(text))
    assert resolve_date(m, PUB, allow_future=True) == (value, precision)
    assert resolve_date(m, PUB) is None  # the event policy: nothing after publication


@pytest.mark.parametrize("text,value", [
    # what does not say it is ahead resolves backwards either way
    ("Vendredi, l'armée a riposté.", "2024-05-10"),
    ("Le 20 mai, l'armée a riposté.", "2023-05-20"),
    ("Le 20/06, le camp a été attaqué.", "2023-06-20"),
    ("Hier, l'armée a riposté.", "2024-05-15"),
    ("Dimanche dernier, l'armée a riposté.", "2024-05-12"),
    ("Il y a trois jours, l'armée a riposté.", "2024-05-13"),
])
def test_allow_future_keeps_the_past_as_it_is(nlp, text, value):
    (m,) = find_dates(nlp(text))
    assert resolve_date(m, PUB, allow_future=True) == resolve_date(m, PUB)
    assert resolve_date(m, PUB)[0] == value  # type: ignore[index]


def test_allow_future_needs_an_anchor(nlp):
    (m,) = find_dates(nlp("Demain, le ministre se rendra à Niamey."))
    assert resolve_date(m, None, allow_future=True) is None


def test_day_after_something_else_is_not_read(nlp):
    # "le lendemain de l'attaque" counts from the attack, which Kibaru does not follow
    assert find_dates(nlp("Le lendemain de l'attaque, la route a été fermée.")) == []


def test_agreement_slips_are_read(nlp):
    (m,) = find_dates(nlp("Cette vendredi, les électeurs voteront."))
    assert resolve_date(m, PUB, allow_future=True) == ("2024-05-17", "day")
    (m,) = find_dates(nlp("Lundi la semaine dernier, l'armée a riposté."))
    assert resolve_date(m, PUB) == ("2024-05-06", "day")


@pytest.mark.parametrize("text", [
    "Le sommet se tiendra demain à Niamey.",
    "Le sommet de la CEDEAO se tiendra demain à Niamey, a annoncé le gouvernement nigérien.",
    "Le ministre nigérien se rendra après-demain à Niamey.",
    "Le président Tiani rencontrera dimanche prochain à Niamey le Premier ministre malien.",
    "Le Premier ministre malien se rendra à Niamey dans trois jours.",
    "Le ministre nigérien se rendra à Dakar le 20 mars 2025.",
])
def test_event_dates_never_after_publication(text):
    import kibaru

    published = "2025-03-12"
    result = kibaru.extract(text, published=published)
    for event in result.events:
        assert event.date is None or event.date.value <= published, event.date


def test_event_past_date_still_resolves():
    import kibaru

    result = kibaru.extract("Des soldats maliens ont tué hier trois civils à Gao.",
                            published="2025-03-12")
    assert [e.date.value for e in result.events if e.date] == ["2025-03-11"]
