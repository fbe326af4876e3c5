"""Attribution and status as CONTRACT.md defines them."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("text,status,source", [
    ("Selon le gouverneur, les FAMa ont repris le contrôle de Léré.", "reported", "gouverneur"),
    ("D'après des témoins, la police a arrêté dix manifestants à Dakar.", "reported", "témoins"),
    ("La police a arrêté dix manifestants à Dakar, a indiqué un responsable.", "reported",
     "responsable"),
    ("Le ministre a affirmé : « Notre armée a repris Djibo. »", "claimed", "ministre"),
    ("Le porte-parole a assuré que l'armée avait repris Djibo.", "claimed", "porte-parole"),
    ("Moscou dément avoir livré des armes au Niger.", "denied", "Moscou"),
])
def test_status_and_source(code, text, status, source):
    events = code(text).events
    assert events, text
    e = events[0]
    assert e.status == status
    assert e.attribution is not None and source in e.attribution.text


@pytest.mark.parametrize("text,etype,status", [
    ("Le Mali n'a pas signé l'accord avec le Niger.", "SUPPORT", "negated"),
    ("La Russie livrera 10 000 tonnes de blé au Mali.", "AGREE", "reported"),
    ("Le Tchad a annoncé qu'il retirerait ses troupes du Mali.", "CONCEDE", "reported"),
    ("Le Tchad a refusé de signer l'accord avec le Soudan.", "REJECT", "reported"),
    ("Paris pourrait suspendre son aide au Niger.", "SANCTION", "hypothetical"),
])
def test_modality(code, text, etype, status):
    events = [e for e in code(text).events if e.type == etype]
    assert len(events) == 1, [(e.type, e.status) for e in code(text).events]
    assert events[0].status == status


def test_denial_by_someone_else_stays_claimed(code):
    r = code("Le porte-parole de l'armée malienne a affirmé : « Nos forces ont repris le "
             "contrôle de Ber. » Les groupes rebelles ont démenti cette version.")
    (e,) = [x for x in r.events if x.acled]
    assert e.status == "claimed"
