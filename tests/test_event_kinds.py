"""Every event kind added for issue 5, on French sentences the team wrote (not from any
evaluation set): type or category, mode and ACLED sub-event type."""

from __future__ import annotations

import pytest

from kibaru.evaluate import case2021_label

KINDS = [
    # (sentence, type or category, ACLED sub-event type or None, CASE 2021 label)
    ("Des hommes armés ont violé plusieurs femmes dans un village proche de Bunia, selon "
     "une ONG locale.", "ASSAULT", "Sexual violence", "SEX_VIOL"),
    ("Un inconnu a lancé une grenade sur un marché de Bujumbura mardi soir.", "ASSAULT",
     "Grenade", "GRENADE"),
    ("Des obus chargés de gaz sarin ont frappé un quartier de Douma, selon les secouristes.",
     "ASSAULT", "Chemical weapon", "CHEM_WEAP"),
    ("Des assaillants ont pillé et incendié des boutiques à Goma dimanche.", "ASSAULT",
     "Looting/property destruction", "PROPERTY_DISTRUCT"),
    ("Une foule en colère a lynché un présumé voleur à Abidjan.", "ASSAULT", "Mob violence",
     "MOB_VIOL"),
    ("Des émeutes ont éclaté lundi à Conakry après l'annonce des résultats.", "PROTEST",
     "Violent demonstration", "VIOL_DEMONSTR"),
    ("La police a tiré à balles réelles sur les manifestants à Niamey, faisant trois morts.",
     "ASSAULT", "Excessive force against protesters", "FORCE_AGAINST_PROTEST"),
    ("Les parties en conflit ont conclu un cessez-le-feu jeudi à Addis-Abeba.", "AGREE",
     "Agreement", "AGREEMENT"),
    ("L'armée a déployé des renforts et des blindés dans la région de Tillabéri.", "MOBILIZE",
     "Change to group/activity", "CHANGE_TO_GROUP_ACT"),
    ("Les jihadistes ont établi une base dans la forêt de Wagadou, selon des habitants.",
     "MOBILIZE", "Headquarters or base established", "HQ_ESTABLISHED"),
    ("Les gendarmes ont saisi des armes et des explosifs lors d'une fouille à Kayes.", "COERCE",
     "Disrupted weapons use", "DISR_WEAP"),
    ("La force de l'ONU a rétrocédé le contrôle du camp aux autorités maliennes.", "RETREAT",
     "Non-violent transfer of territory", "NON_VIOL_TERRIT_TRANSFER"),
    ("Un séisme de magnitude 6 a secoué le nord du Maroc dans la nuit.", "natural_disaster",
     None, "NATURAL_DISASTER"),
    ("Le naufrage d'une pirogue a fait douze morts au large de Dakar.", "man_made_disaster",
     None, "MAN_MADE_DISASTER"),
    ("La douane a démantelé un réseau de trafic de drogue à Lomé.", "organized_crime", None,
     "ORG_CRIME"),
    ("Le Quai d'Orsay a condamné l'expulsion de l'ambassadeur par Bamako.", "ACCUSE", None,
     "DIPLO"),
    # an aircraft or a drone acting makes an air strike, whatever the verb
    ("Des avions de chasse russes ont détruit un entrepôt près d'Idlib.", "ASSAULT",
     "Air/drone strike", "AIR_STRIKE"),
    ("Un drone turc a tué trois combattants près de Kobané.", "ASSAULT", "Air/drone strike",
     "AIR_STRIKE"),
    # prisoner exchanges and accords with armed groups are ACLED agreements
    ("Les rebelles et l'armée ont échangé des prisonniers jeudi près de Kidal.", "AGREE",
     "Agreement", "AGREEMENT"),
    ("Le gouvernement tchadien est parvenu à un accord avec les rebelles du FACT.", "AGREE",
     "Agreement", "AGREEMENT"),
    # crowds fighting are mob violence, not an armed clash
    ("Trois personnes ont été tuées lors d'affrontements entre villageois près de Kaya.",
     "ASSAULT", "Mob violence", "MOB_VIOL"),
    # protesters shot dead: excessive force; tear gas fired: an intervention
    ("Deux manifestants sont morts par balle lors d'une marche à Conakry.", "ASSAULT",
     "Excessive force against protesters", "FORCE_AGAINST_PROTEST"),
    ("La police a tiré des gaz lacrymogènes sur une manifestation d'étudiants à Dakar.",
     "PROTEST", "Protest with intervention", "PROTEST_WITH_INTER"),
    # unnamed towns change hands too
    ("Les jihadistes se sont emparés de trois villages dans le nord du Burkina Faso.", "ASSAULT",
     "Non-state actor overtakes territory", "NON_STATE_ACTOR_OVERTAKES_TER"),
    # weapons counted in dozens are still weapons; rockets fired are shelling
    ("La gendarmerie a détruit des dizaines de fusils et de mines lors d'une opération à Kayes.",
     "COERCE", "Disrupted weapons use", "DISR_WEAP"),
    ("Les rebelles ont tiré des dizaines d'obus sur la ville de Goma.", "ASSAULT",
     "Shelling/artillery/missile attack", "ART_MISS_ATTACK"),
    # an industrial explosion is an accident
    ("Trois ouvriers ont été blessés dans l'explosion d'une citerne de gaz à Thiès.",
     "man_made_disaster", None, "MAN_MADE_DISASTER"),
    ("L'armée a repris le contrôle de la ville après deux jours de combats.", "ASSAULT",
     "Government regains territory", "GOV_REGAINS_TERIT"),
    # a killing in a clash is the clash
    ("Cinq soldats ont été tués lors de violents combats avec des rebelles à Beni.", "ASSAULT",
     "Armed clash", "ARMED_CLASH"),
]


@pytest.mark.parametrize("text,kind,acled,label", KINDS, ids=[k[3] for k in KINDS])
def test_event_kind(code, text, kind, acled, label):
    events = code(text, published="2025-03-12").events
    found = [e for e in events if (e.type or e.category) == kind]
    assert found, f"no {kind}: {[(e.type or e.category, e.trigger.text) for e in events]}"
    if acled is not None:
        assert any(e.acled is not None and e.acled.sub_event_type == acled for e in events), \
            [(e.type, e.acled) for e in events]
    if kind.islower():
        assert all(e.type is None for e in found)  # categories carry no PLOVER type
    assert case2021_label(events) == label


def test_claim_of_responsibility_is_an_allegation(code):
    events = code("Le groupe État islamique a revendiqué l'attentat de Ouagadougou.",
                  published="2025-03-12").events
    assert any(e.type == "ACCUSE" and e.mode == "allege" for e in events)


def test_threat_request_reject(code):
    def types(text: str) -> set[str | None]:
        return {e.type for e in code(text, published="2025-03-12").events}
    assert "THREATEN" in types("Le Premier ministre a menacé de fermer la frontière avec le "
                               "Bénin.")
    assert "REQUEST" in types("L'Union africaine a exhorté la junte à libérer le président.")
    assert "REJECT" in types("Bamako a rejeté les accusations de la CEDEAO.")


def test_court_sentence_beats_disapproval(code):
    events = code("Un tribunal de Bamako a condamné l'ancien ministre à cinq ans de prison.",
                  published="2025-03-12").events
    assert [e.type for e in events if e.trigger.text.endswith("condamné")] == ["SANCTION"]


def test_generic_grenade_is_tear_gas_at_a_protest(code):
    events = code("La police a dispersé les manifestants à coups de grenades lacrymogènes à "
                  "Dakar.", published="2025-03-12").events
    assert not any(e.acled is not None and e.acled.sub_event_type == "Grenade" for e in events)


def test_disaster_that_kills_is_one_event(code):
    events = code("Un glissement de terrain a tué cinq personnes près de Bukavu samedi.",
                  published="2025-03-12").events
    assert [e.category for e in events] == ["natural_disaster"]
    assert [q.kind for q in events[0].quantities] == ["killed"]
    assert not any(e.type == "ASSAULT" for e in events)


def test_suicide_bomber_adjective_types_the_killing(code):
    events = code("Deux femmes kamikazes ont tué au moins dix personnes devant une mosquée "
                  "de Maroua.", published="2025-03-12").events
    assert [(e.type, e.acled.sub_event_type if e.acled else None) for e in events] == [
        ("ASSAULT", "Suicide bomb")]


def _only(code, text: str, etype: str):
    events = [e for e in code(text, published="2025-03-12").events if e.type == etype]
    assert len(events) == 1, [(e.type, e.trigger.text) for e in
                              code(text, published="2025-03-12").events]
    return events[0]


def test_unknown_named_group_is_the_actor(code):
    # a name the actor lexicon does not hold is kept as written, with no country or sector
    e = _only(code, "Le Front de libération du Sahel a rejeté l'offre de dialogue de Niamey.",
              "REJECT")
    assert e.actor is not None and e.actor.text.startswith("Le Front de libération")
    assert e.actor.sector is None


def test_plural_group_with_a_country_adjective_is_the_actor(code):
    e = _only(code, "Des éleveurs tchadiens ont entamé une grève de la faim devant la mairie "
              "de Moundou.", "PROTEST")
    assert e.mode == "hunger"
    assert e.actor is not None and e.actor.country == "TCD"


def test_passive_subject_the_parser_hung_elsewhere(code):
    e = _only(code, "Les boutiques sont restées fermées et plus de 300 jeunes ont été "
              "interpellés dans le quartier.", "COERCE")
    assert e.recipient is not None and "jeunes" in e.recipient.text


def test_withdrawal_from_a_town_hands_it_over(code):
    e = _only(code, "Les soldats maliens se sont retirés de la ville de Ber mardi.", "RETREAT")
    assert e.acled is not None
    assert e.acled.sub_event_type == "Non-violent transfer of territory"
    e = _only(code, "Le Danemark a retiré ses soldats du Mali.", "RETREAT")
    assert e.acled is not None and e.acled.sub_event_type == "Change to group/activity"


def test_demanded_clause_names_the_recipient(code):
    e = _only(code, "La CEDEAO a exigé que la junte guinéenne libère les détenus politiques.",
              "REQUEST")
    assert e.actor is not None and e.recipient is not None
    assert e.recipient.country == "GIN"


def test_must_in_reported_speech_is_a_request(code):
    e = _only(code, "Paris a déclaré jeudi que le Burkina Faso devait garantir la sécurité des "
              "ressortissants français.", "REQUEST")
    assert e.actor is not None and e.actor.country == "FRA"
    assert e.recipient is not None and e.recipient.country == "BFA"
    assert not [ev for ev in code("Le convoi devait arriver à Gao dans la soirée.",
                                  published="2025-03-12").events if ev.type == "REQUEST"]


def test_protest_kinds_without_the_word_protest(code):
    assert _only(code, "Des transporteurs nigériens ont bloqué la route nationale 1 près de "
                 "Dosso.", "PROTEST").mode == "obstruct"
    assert _only(code, "Les enseignants du Niger ont cessé le travail lundi.",
                 "PROTEST").mode == "strike"
    e = _only(code, "Des détenus se sont mutinés dans la prison centrale de Bangui.",
              "PROTEST")
    assert e.acled is not None and e.acled.sub_event_type == "Violent demonstration"


def test_open_fire_and_accusations(code):
    assert _only(code, "Des hommes armés ont ouvert le feu sur un bus près de Kaya.",
                 "ASSAULT").mode == "firearms"
    e = _only(code, "Le Togo a accusé le Ghana d'abriter des opposants armés.", "ACCUSE")
    assert e.mode == "allege" and e.recipient is not None and e.recipient.country == "GHA"


def test_concessions_and_curfews(code):
    assert _only(code, "Le gouvernement tchadien a levé l'état d'urgence dans la province du "
                 "Ouaddaï.", "CONCEDE")
    assert _only(code, "Le ministre a autorisé les partis d'opposition à tenir leur congrès à "
                 "Lomé.", "CONCEDE")
    e = _only(code, "Les autorités guinéennes ont imposé un couvre-feu à Kankan.", "COERCE")
    assert e.mode == "curfew"


def test_what_is_threatened_is_hypothetical(code):
    events = code("Le président a menacé d'imposer un couvre-feu à Zinder.",
                  published="2025-03-12").events
    assert [e.type for e in events if e.status == "reported"] == ["THREATEN"]
    assert all(e.status == "hypothetical" for e in events if e.type == "COERCE")


def _acled_types(code, text: str) -> set[str]:
    return {e.acled.sub_event_type for e in code(text, published="2025-03-12").events
            if e.acled is not None}


def test_protest_takes_the_strongest_intervention_in_its_paragraph(code):
    # live fire beats tear gas, whatever the order; the force is no second ACLED event
    text = ("Les manifestants ont été dispersés à coups de gaz lacrymogènes puis la police a "
            "tiré à balles réelles sur la foule à Conakry.")
    assert _acled_types(code, text) == {"Excessive force against protesters"}
    # the protest is kept as a record even with no party or place of its own
    text = ("Une manifestation pacifique a eu lieu dimanche. La police l'a dispersée à coups "
            "de gaz lacrymogènes.")
    assert _acled_types(code, text) == {"Protest with intervention"}


def test_protesters_violence_makes_a_violent_demonstration(code):
    text = ("Des manifestants lançant des pierres ont affronté les forces de l'ordre à "
            "Dakar lundi.")
    assert "Violent demonstration" in _acled_types(code, text)
    text = "Les violences ont repris jeudi entre manifestants et policiers à Abidjan."
    assert "Violent demonstration" in _acled_types(code, text)


def test_weapon_types_the_attack(code):
    # one event: the attack with its place, typed by the weapon told in its sentence
    events = code("Deux passants ont été blessés dans une attaque à la grenade contre un bar de "
                  "Ngozi samedi soir.", published="2025-03-12").events
    assault = [e for e in events if e.type == "ASSAULT"]
    assert len(assault) == 1 and assault[0].acled is not None
    assert assault[0].acled.sub_event_type == "Grenade"
    events = code("Trois kamikazes se sont fait exploser devant la mairie de Kolofata, tuant "
                  "six personnes.", published="2025-03-12").events
    assert {e.acled.sub_event_type for e in events if e.acled} == {"Suicide bomb"}


def test_threat_recipient_from_the_threatened_clause(code):
    e = _only(code, "Le Tchad a menacé de rompre ses relations avec le Soudan.", "THREATEN")
    assert e.recipient is not None and e.recipient.country == "SDN"
    e = _only(code, "Le Maroc a menacé de fermer sa frontière si l'Algérie ne retirait pas ses "
              "troupes.", "THREATEN")
    assert e.recipient is not None and e.recipient.country == "DZA"


def test_torture_assassination_beating(code):
    assert _only(code, "Des gardiens ont torturé des détenus dans la prison de Koutoukalé.",
                 "ASSAULT").mode == "torture"
    assert _only(code, "Un commando a tenté d'assassiner le gouverneur de Tombouctou.",
                 "ASSAULT").mode == "targeted"
    assert _only(code, "Des policiers ont tabassé deux journalistes devant le tribunal de "
                 "Dakar.", "ASSAULT").mode == "beat"


def test_agreement_mediation_relations_intelligence(code):
    assert _only(code, "Le Mali et la Mauritanie se sont mis d'accord sur le tracé de leur "
                 "frontière.", "AGREE")
    e = _only(code, "Le Togo et le Ghana ne sont pas parvenus à un accord sur la pêche.",
              "REJECT")
    assert e.status == "reported"
    assert _only(code, "Le Qatar a lancé une médiation entre le Tchad et le Soudan.",
                 "CONSULT").mode == "third-party"
    assert _only(code, "Le Maroc a rétabli ses relations diplomatiques avec l'Iran.", "SUPPORT")
    assert _only(code, "Les services nigériens ont transmis des renseignements au Bénin sur "
                 "les jihadistes.", "COOPERATE")


def test_announced_conflict_act_is_a_threat(code):
    e = _only(code, "L'opposition guinéenne a annoncé qu'elle boycotterait les élections "
              "législatives.", "THREATEN")
    assert e.status == "reported"


def test_what_a_demand_tells_is_subordinate(code):
    events = code("Le Burkina Faso a exigé que la Côte d'Ivoire reconnaisse que ses soldats "
                  "avaient attaqué un poste frontalier.", published="2025-03-12").events
    request = [e for e in events if e.type == "REQUEST"]
    attack = [e for e in events if e.type == "ASSAULT"]
    assert request and attack and request[0].confidence > attack[0].confidence


def test_repressed_protest_is_the_record(code):
    events = code("La gendarmerie a réprimé une marche pacifique des enseignants à Niamey.",
                  published="2025-03-12").events
    assert [e.acled.sub_event_type for e in events if e.acled] == ["Protest with intervention"]
    assert [e.type for e in events if e.acled] == ["PROTEST"]


def test_disaster_toll_when_the_parser_hangs_it_elsewhere(code):
    events = code("Le séisme, le plus fort de la décennie selon les sismologues, a tué douze "
                  "personnes à Madagascar.", published="2025-03-12").events
    assert [e.category for e in events] == ["natural_disaster"]


def test_conditional_promise_is_a_threat_or_an_offer(code):
    e = _only(code, "Le Tchad a annoncé qu'il suspendrait ses livraisons de pétrole si le "
              "Cameroun ne rouvrait pas la frontière.", "THREATEN")
    assert e.recipient is not None and e.recipient.country == "CMR"
    events = code("Le Tchad a annoncé qu'il suspendrait ses livraisons de pétrole si le "
                  "Cameroun ne rouvrait pas la frontière.", published="2025-03-12").events
    assert not [x for x in events if x.type == "SANCTION" and x.status == "reported"]


def test_crashes_and_accidental_fires_are_man_made_disasters(code):
    events = code("Un appareil de la compagnie nationale s'est écrasé peu après son décollage de "
                  "Lubumbashi.", published="2025-03-12").events
    assert "man_made_disaster" in {e.category for e in events}
    events = code("Un camion-citerne a pris feu sur la route de Kayes, selon les pompiers.",
                  published="2025-03-12").events
    assert "man_made_disaster" in {e.category for e in events}


def test_formal_protest_note_is_diplomatic(code):
    e = _only(code, "Le Niger a adressé une note de protestation au Bénin.", "ACCUSE")
    assert e.mode == "disapprove" and e.recipient is not None and e.recipient.country == "BEN"


def test_more_bases_protests_and_sexual_violence(code):
    assert _acled_types(code, "L'armée a établi trois points de contrôle militaires autour de "
                        "Djibo.") == {"Headquarters or base established"}
    assert "Headquarters or base established" in _acled_types(
        code, "Des habitants ont signalé l'installation d'un nouveau camp jihadiste près de "
        "Ménaka.")
    assert _only(code, "Des commerçants ont organisé une marche de protestation à Zinder.",
                 "PROTEST")
    assert "Sexual violence" in _acled_types(code, "Plusieurs fillettes ont subi des "
                                             "attouchements de la part d'un enseignant à Mopti.")


def test_interview_is_no_meeting(code):
    events = code("Dans un entretien accordé à RFI, le président nigérien a dit qu'il était prêt "
                  "à rencontrer l'opposition.", published="2025-03-12").events
    assert not [e for e in events if e.type == "CONSULT" and "entretien" in e.trigger.text]
    assert _only(code, "Le ministre a eu un entretien avec son homologue sénégalais à Dakar.",
                 "CONSULT")


def test_lawsuit_and_irregular_conditional(code):
    e = _only(code, "Une entreprise malienne poursuit l'État sénégalais en justice pour "
              "rupture de contrat.", "ACCUSE")
    assert e.mode == "allege"
    # "soutiendrait" (irregular conditional) under an announcement: a promise, AGREE
    assert _only(code, "Le Ghana a annoncé qu'il soutiendrait la candidature du Togo.", "AGREE")


def test_breakdown_after_dont_is_not_added_to_the_toll(code):
    e = _only(code, "Au moins trente personnes, dont douze gendarmes et huit civils, ont été "
              "tuées lundi près de Fada N'Gourma.", "ASSAULT")
    assert [(q.value, q.kind) for q in e.quantities] == [(30.0, "killed")]
    # without "dont", two groups are two tolls
    e = _only(code, "Douze gendarmes et huit civils ont été tués lundi près de Fada N'Gourma.",
              "ASSAULT")
    assert sorted(q.value for q in e.quantities if q.kind == "killed") == [8.0, 12.0]


def test_verbs_with_etre_are_active(code):
    # "sont convenus", "sont parvenus": compound tenses with "être", not passives
    e = _only(code, "Les ministres nigériens et béninois sont convenus jeudi de rouvrir la "
              "frontière.", "AGREE")
    assert e.actor is not None and e.actor.country in ("NER", "BEN")


def test_units_created_smuggling_and_claimed_hostage_takings(code):
    assert "Change to group/activity" in _acled_types(
        code, "Une nouvelle brigade antiterroriste a été créée au sein de l'armée nigérienne.")
    events = code("La marine sénégalaise a déjoué une tentative d'émigration clandestine de 80 "
                  "personnes au large de Mbour.", published="2025-03-12").events
    assert "organized_crime" in {e.category for e in events}
    events = code("Le JNIM a revendiqué la prise d'otages de Tessit.",
                  published="2025-03-12").events
    assert [(e.type, e.mode) for e in events if e.type == "ACCUSE"] == [("ACCUSE", "allege")]


def test_killing_in_a_named_clash_is_one_event(code):
    events = code("Cinq soldats ont été tués lors de violents combats avec des rebelles à Beni.",
                  published="2025-03-12").events
    assert [e.acled.sub_event_type for e in events if e.acled] == ["Armed clash"]


def test_author_of_a_rejected_statement_is_the_recipient(code):
    e = _only(code, "Le Burkina Faso a rejeté une proposition ivoirienne de médiation.", "REJECT")
    assert (e.actor.country, e.recipient.country) == ("BFA", "CIV")
    e = _only(code, "Le Niger a rejeté le plan de sortie de crise proposé par le Nigeria.",
              "REJECT")
    assert (e.actor.country, e.recipient.country) == ("NER", "NGA")
    # the subject matter is no author: "une offre de négocier avec les Touareg" names no one
    e = _only(code, "Bamako a rejeté une offre algérienne de négocier avec les rebelles "
              "touareg.", "REJECT")
    assert e.recipient.country == "DZA"


def test_official_with_a_nationality_is_a_government_actor(code):
    e = _only(code, "Un haut responsable français a salué l'accord de Niamey.", "SUPPORT")
    assert (e.actor.country, e.actor.sector) == ("FRA", "GOV")


def test_untargeted_attack_is_aimed_at_its_place_country(code):
    from kibaru.export.acled import acled_row

    events = code("Des hommes armés ont incendié des maisons à Ménaka dans la nuit.",
                  published="2025-03-12").events
    e = next(x for x in events if x.type == "ASSAULT")
    assert e.recipient is not None and e.recipient.country == "MLI"
    assert e.recipient.start is None  # inferred from the place, not read in the text
    row = acled_row({"event": e.to_dict(), "published": "2025-03-12"})
    assert row["actor2"] == ""  # ACLED names only the actors the source names


def test_a_verb_is_not_its_own_context_word(code):
    # "frappe" the verb is no "frappe" aérienne; beating protesters is excessive force
    events = code("Un gendarme frappe un manifestant lors d'une marche à Lomé.",
                  published="2025-03-12").events
    assert case2021_label(events) == "FORCE_AGAINST_PROTEST"
    assert not [e for e in events if e.mode == "aerial"]


def test_subjunctive_acts_are_hypothetical(code):
    events = code("Le HCR s'inquiète que des migrants soient battus aux frontières.",
                  published="2025-03-12").events
    assert [e.status for e in events if e.type == "ASSAULT"] == ["hypothetical"]
    events = code("Bien que les soldats aient attaqué le village de Gao, les habitants sont "
                  "restés.", published="2025-03-12").events
    assert [e.status for e in events if e.type == "ASSAULT"] == ["reported"]


def test_what_is_not_territory_taken(code):
    for text in ("Les assaillants ont pris la fuite vers Ansongo.",
                 "Les habitants de la ville occupée de Tombouctou manquent de vivres."):
        events = code(text, published="2025-03-12").events
        assert not [e for e in events if e.acled is not None and "territory" in
                    e.acled.sub_event_type], text


def test_explosion_with_a_weapon_named_is_no_accident(code):
    events = code("Une explosion dans une usine de Kano a été causée par une bombe, selon la "
                  "police.", published="2025-03-12").events
    assert "man_made_disaster" not in {e.category for e in events}


def test_shelling_verb_and_summoned_envoy(code):
    e = _only(code, "L'armée tchadienne a bombardé des positions rebelles près de Faya.",
              "ASSAULT")
    assert e.acled.sub_event_type == "Shelling/artillery/missile attack"
    e = _only(code, "L'aviation malienne a bombardé des positions rebelles près de Kidal.",
              "ASSAULT")
    assert e.acled.sub_event_type == "Air/drone strike"
    assert (e.actor.country, e.actor.sector) == ("MLI", "MIL")
    e = _only(code, "Le Bénin a convoqué l'ambassadeur du Niger après des tirs à la frontière.",
              "ACCUSE")
    assert (e.actor.country, e.recipient.country, e.mode) == ("BEN", "NER", "disapprove")


def test_office_holder_after_a_title_gives_the_country(code):
    # the parser reads foreign first names as verbs or adjectives; the people lexicon still
    # names the office-holder right after the title
    e = _only(code, "Le Premier ministre Abiy Ahmed a reçu jeudi une délégation kényane.",
              "CONSULT")
    assert (e.actor.country, e.recipient.country) == ("KEN", "ETH")  # host = recipient
    e = _only(code, "Le Premier ministre Shehbaz Sharif a rencontré jeudi le président chinois.",
              "CONSULT")
    assert {e.actor.country, e.recipient.country} == {"PAK", "CHN"}


def test_offer_to_negotiate_is_addressed_to_the_other_side(code):
    e = _only(code, "Le Togo a proposé de dialoguer avec le Burkina Faso.", "AGREE")
    assert e.recipient is not None and e.recipient.country == "BFA"
    e = _only(code, "Le vice-ministre ghanéen des Affaires étrangères s'est rendu au Togo.",
              "CONSULT")
    assert e.actor.country == "GHA"


def test_partitive_objects_amounts_and_asylum(code):
    # "des détenus" read as a prepositional phrase is still the object
    e = _only(code, "Des gendarmes frappent régulièrement des détenus maliens à Kidal.", "ASSAULT")
    assert e.recipient is not None and e.recipient.country == "MLI"
    # "une partie de" an aid programme is still aid suspended
    e = _only(code, "La France a suspendu une partie de son aide au Niger.", "SANCTION")
    assert e.mode == "discontinue"
    # seeking refuge is a request to the government of the country of refuge
    e = _only(code, "Des milliers de Burkinabè ont cherché refuge au Ghana.", "REQUEST")
    assert e.recipient is not None and e.recipient.country == "GHA"


def test_headline_without_place_or_date_is_the_body_event(code):
    r = code("L'armée nigérienne reprend le contrôle de la ville\nLes FDS ont repris mardi le "
             "contrôle de Tillabéri, selon l'état-major.", published="2024-02-02")
    assert len([e for e in r.events if e.acled and "territory" in e.acled.sub_event_type]) == 1


def test_future_verb_read_as_a_noun_is_still_a_threat(code):
    # the tagger reads "boycotteraient" as a noun; its pronoun subject gives it away
    e = _only(code, "Des opposants togolais ont annoncé qu'ils boycotteraient tout dialogue "
              "avec le gouvernement.", "THREATEN")
    assert e.actor is not None and e.actor.country == "TGO"


def test_stance_in_reported_speech_is_the_speakers(code):
    e = _only(code, "Les autorités nigériennes ont déclaré qu'une reprise de la coopération avec "
              "Paris était exclue.", "REJECT")
    assert e.actor is not None and e.actor.country == "NER"


def test_wounding_withdrawal_place_and_threat_condition(code):
    e = _only(code, "Des jihadistes ont blessé mardi trois gendarmes nigériens près de Dosso.",
              "ASSAULT")
    assert e.recipient is not None and e.recipient.country == "NER"
    # an accident's wounded are no attack
    events = code("Trois passagers ont été blessés dans un accident de la route près de Kayes.",
                  published="2025-03-12").events
    assert not [x for x in events if x.type == "ASSAULT"]
    e = _only(code, "Le Tchad se dit prêt à retirer ses troupes du Cameroun.", "CONCEDE")
    assert e.recipient is not None and e.recipient.country == "CMR"
    e = _only(code, "Le Niger a menacé de suspendre les accords de défense avec Paris si la "
              "France ne retirait pas ses troupes.", "THREATEN")
    assert e.recipient is not None and e.recipient.country == "FRA"


def test_state_of_emergency_is_no_party_and_rebels_free_their_own_officials(code):
    e = _only(code, "Le gouvernement malien a levé l'état d'urgence dans la région de Mopti.",
              "CONCEDE")
    assert e.recipient is None or "urgence" not in e.recipient.text
    # a dissident group's unnamed official is of its own country
    e = _only(code, "Les rebelles maliens ont annoncé qu'ils libéreraient le préfet enlevé "
              "la semaine dernière.", "CONCEDE")
    assert (e.actor.country, e.recipient.country) == ("MLI", "MLI")


def test_unnamed_official_facing_a_state_is_not_of_that_state(code):
    e = _only(code, "Le président a menacé la Russie de nouvelles mesures.", "THREATEN")
    assert e.actor is None or e.actor.country != "RUS"


def test_unattributed_attack_is_an_unidentified_armed_group_of_its_country(code):
    from kibaru.export.acled import acled_row

    e = _only(code, "Un engin explosif a tué deux soldats à Gao dimanche.", "ASSAULT")
    assert (e.actor.country, e.actor.sector, e.actor.start) == ("MLI", "UAF", None)
    row = acled_row({"event": e.to_dict(), "published": "2025-03-12"})
    assert row["actor1"] == "Unidentified Armed Group (Mali)"
    # an inferred party adds no confidence: the same attack with a named perpetrator is surer
    named = _only(code, "Des jihadistes ont tué deux soldats à Gao dimanche.", "ASSAULT")
    assert named.confidence > e.confidence


def test_demonym_of_a_country_and_protesters_nationality(code):
    e = _only(code, "Les Serbes du Monténégro ont exigé la libération de leurs chefs.",
              "REQUEST")
    assert e.actor is not None and e.actor.country == "MNE"
    e = _only(code, "Des enseignants ont observé une grève de la faim pour réclamer la démission "
              "du ministre burkinabè de l'Éducation.", "PROTEST")
    assert (e.actor.country, e.recipient.country) == ("BFA", "BFA")


def test_statement_participle_speaks_for_its_author(code):
    e = _only(code, "Le JNIM a publié un communiqué exigeant que le gouvernement malien libère "
              "ses membres.", "REQUEST")
    assert e.actor is not None and e.actor.text.endswith("JNIM")
    assert e.recipient is not None and e.recipient.country == "MLI"


def test_state_acting_on_its_own_people(code):
    e = _only(code, "La police guinéenne a arrêté des dizaines de manifestants.", "COERCE")
    assert e.recipient is not None and e.recipient.country == "GIN"
    # abroad, the people acted on are not assumed to be the state's own
    e = _only(code, "L'armée française a arrêté trois civils près de Ménaka.", "COERCE")
    assert e.recipient is None or e.recipient.country != "FRA"


def test_relations_with_a_party_named_on_the_object(code):
    e = _only(code, "Le Tchad a rétabli des relations diplomatiques avec Doha.", "SUPPORT")
    assert (e.actor.country, e.recipient.country) == ("TCD", "QAT")


def test_group_addressing_its_government_is_of_that_country(code):
    e = _only(code, "Des syndicats ont demandé au gouvernement ivoirien d'augmenter les salaires.",
              "REQUEST")
    assert (e.actor.country, e.recipient.country) == ("CIV", "CIV")
    # a nationality told is kept
    e = _only(code, "Des syndicats français ont demandé au gouvernement ivoirien d'augmenter "
              "les salaires.", "REQUEST")
    assert (e.actor.country, e.recipient.country) == ("FRA", "CIV")


def test_invasion_of_a_country(code):
    e = _only(code, "La Russie a lancé l'invasion de l'Ukraine le 24 février.", "ASSAULT")
    assert (e.actor.country, e.recipient.country) == ("RUS", "UKR")


def test_mediator_is_the_actor_of_a_mediation(code):
    e = _only(code, "Le Togo mène une médiation entre le Mali et la CEDEAO.", "CONSULT")
    assert (e.mode, e.actor.country, e.recipient.country) == ("third-party", "TGO", "MLI")
    assert [p.text for p in e.recipient_associates] == ["CEDEAO"]


def test_mobilised_forces_and_measures_weighing_on_a_nationality(code):
    e = _only(code, "Le Royaume-Uni a mobilisé des réservistes de l'armée en vue d'une guerre "
              "contre l'Irak.", "MOBILIZE")
    assert e.recipient is not None and e.recipient.country == "IRQ"
    e = _only(code, "Le Tchad a déployé mille soldats au Niger.", "MOBILIZE")
    assert e.recipient is not None and (e.recipient.country, e.recipient.start) == ("NER", None)
    e = _only(code, "Israël a levé le blocus imposé aux camions palestiniens.", "CONCEDE")
    assert e.recipient is not None and e.recipient.country == "PSE"
    e = _only(code, "Des rebelles maliens ont fait sauter un pont.", "ASSAULT")
    assert e.recipient is not None and (e.recipient.country, e.recipient.start) == ("MLI", None)


def test_participle_after_avoir_is_an_active_verb(code):
    # the parser may read "ont de nouveau rejeté" as a participle describing the noun before
    e = _only(code, "Les rebelles centrafricains ont de nouveau rejeté samedi un plan de paix "
              "tchadien.", "REJECT")
    assert (e.actor.country, e.recipient.country) == ("CAF", "TCD")


def test_group_based_in_a_place_is_of_its_country(code):
    e = _only(code, "Un journal basé à Dakar a bravé une interdiction du gouvernement gambien.",
              "REJECT")
    assert e.actor is not None and e.actor.country == "SEN"
    # the place says nothing of a state body's nationality ("un diplomate en poste à X")
    e = _only(code, "Un diplomate américain basé à Dakar a rejeté les accusations du "
              "gouvernement gambien.", "REJECT")
    assert e.actor is not None and e.actor.country == "USA"


def test_compass_part_of_a_place_is_in_its_country(code):
    e = _only(code, "Des hommes armés ont attaqué un poste de police à Abidjan-Nord.", "ASSAULT")
    assert e.location is not None and e.location.country == "CIV"
    assert e.location.geonames_id is None  # the part itself is not in the gazetteer
    # an attack nobody claims is coded against the unidentified armed group of that country
    e = _only(code, "Une embuscade a fait trois morts dimanche à Abidjan-Nord.", "ASSAULT")
    assert e.actor is not None and (e.actor.country, e.actor.start) == ("CIV", None)


def test_party_allied_to_a_state_is_not_of_that_state(code):
    # "d'une milice alliée de la Russie": who the militia is allied to, not whose it is; an
    # unnamed militia is of the country where it acts (ACLED "Communal militia (country)")
    e = _only(code, "Des rebelles ont tué deux chefs d'une milice alliée de la Russie à Bamako, au "
              "Mali.", "ASSAULT")
    assert e.recipient is not None and e.recipient.country == "MLI"


def test_place_near_a_town_whatever_its_parse(code):
    e = _only(code, "Une bombe artisanale près de la ville de Gao a tué dimanche deux soldats "
              "français et en a blessé trois autres, a indiqué l'armée.", "ASSAULT")
    assert e.location is not None and e.location.country == "MLI"
    assert e.actor is not None and (e.actor.country, e.actor.start) == ("MLI", None)


def test_blocking_roads_by_a_crowd_named_by_an_adjective(code):
    e = _only(code, "De jeunes Sénégalais ont bloqué lundi les routes menant au port de "
              "Ziguinchor.", "PROTEST")
    assert (e.mode, e.actor.country) == ("obstruct", "SEN")


def test_subject_undergoing_an_event_noun_is_its_recipient(code):
    e = _only(code, "Un convoi de l'armée malienne a subi une attaque près de Gao.", "ASSAULT")
    assert e.recipient is not None and e.recipient.text == "Un convoi de l'armée malienne"
    assert e.actor is None or e.actor.start is None  # not the convoy
    e = _only(code, "Deux soldats nigériens ont été victimes d'une embuscade près de Tillabéri.",
              "ASSAULT")
    assert e.recipient is not None and e.recipient.country == "NER"
    e = _only(code, "Un journaliste belge fait l'objet d'une enquête au Sénégal.", "ACCUSE")
    assert (e.actor.country, e.recipient.country) == ("SEN", "BEL")


def test_arrest_by_untold_authorities_is_by_the_state_where_it_happens(code):
    e = _only(code, "Un missionnaire de Lyon a été arrêté au Niger pour espionnage.", "COERCE")
    assert (e.mode, e.actor.country, e.actor.start) == ("arrest", "NER", None)
    assert e.recipient is not None and e.recipient.country == "FRA"


def test_demand_addressed_to_the_subject_of_its_clause(code):
    e = _only(code, "Pékin a exigé mardi que Washington annule la vente d'armes à Taïwan.",
              "REQUEST")
    assert (e.actor.country, e.recipient.country) == ("CHN", "USA")


def test_protest_against_a_policy_targets_its_author(code):
    e = _only(code, "Les émeutes maliennes contre la politique militaire française se "
              "poursuivent.", "PROTEST")
    assert (e.actor.country, e.recipient.country) == ("MLI", "FRA")
    e = _only(code, "Des milliers d'étudiants ont manifesté à Dakar contre la politique "
              "française.", "PROTEST")
    assert (e.actor.country, e.recipient.country) == ("SEN", "FRA")


def test_investigation_into_acts_committed_by_a_party(code):
    e = _only(code, "La gendarmerie ivoirienne a ouvert une enquête sur des exactions commises "
              "par des soldats libériens.", "ACCUSE")
    assert (e.actor.country, e.recipient.country) == ("CIV", "LBR")


def test_force_led_by_a_state_is_that_states(code):
    e = _only(code, "Une coalition menée par l'Arabie saoudite a bombardé un marché près de "
              "Sanaa.", "ASSAULT")
    assert e.actor is not None and e.actor.country == "SAU"


def test_peoples_of_one_country_are_coded_by_it(code):
    e = _only(code, "Des rebelles tchétchènes ont attaqué un poste de police.", "ASSAULT")
    assert e.actor is not None and e.actor.country == "RUS"
    e = _only(code, "Des militants kabyles ont manifesté à Tizi Ouzou.", "PROTEST")
    assert e.actor is not None and e.actor.country == "DZA"


def test_demolished_houses_in_the_palestinian_territories(code):
    e = _only(code, "L'armée israélienne a démoli trois maisons en Cisjordanie.", "ASSAULT")
    assert (e.mode, e.actor.country, e.recipient.country) == ("destroy", "ISR", "PSE")


def test_object_of_an_accusation_does_the_infinitive(code):
    events = code("Le Niger a accusé l'Algérie de soutenir les rebelles touareg.").events
    accuse = next(e for e in events if e.type == "ACCUSE")
    assert (accuse.actor.country, accuse.recipient.country, accuse.status) == (
        "NER", "DZA", "reported")
    support = next(e for e in events if e.type == "SUPPORT")
    assert (support.actor.country, support.status) == ("DZA", "claimed")
    e = _only(code, "Le Togo a exhorté le Bénin à fermer sa frontière.", "COERCE")
    assert e.actor is not None and e.actor.country == "BEN"


def test_border_closure_is_a_restriction_on_the_other_side(code):
    e = _only(code, "Le Sénégal a fermé sa frontière avec la Guinée.", "COERCE")
    assert (e.mode, e.actor.country, e.recipient.country) == ("restrict", "SEN", "GIN")


def test_protest_against_a_presence_targets_whose_it_is(code):
    e = _only(code, "Des centaines de personnes ont manifesté à Bamako contre la présence des "
              "soldats russes.", "PROTEST")
    assert (e.actor.country, e.recipient.country) == ("MLI", "RUS")


def test_state_releasing_people_at_home_releases_its_own(code):
    e = _only(code, "La junte nigérienne a libéré samedi une vingtaine d'opposants.", "RETREAT")
    assert (e.mode, e.recipient.country) == ("release", "NER")
    e = _only(code, "Un opposant a été arrêté à Conakry par la sécurité d'État.", "COERCE")
    assert (e.actor.sector, e.actor.country) == ("SPY", "GIN")


def test_claimed_attack_is_an_event_of_its_own(code):
    events = code("Le JNIM a revendiqué l'attaque de dimanche contre un poste de l'armée "
                  "malienne à Ségou, qui a fait douze morts.", published="2025-03-12").events
    claim = next(e for e in events if e.type == "ACCUSE")
    assert claim.mode == "allege"
    attack = next(e for e in events if e.type == "ASSAULT")
    assert attack.status == "claimed" and attack.actor.text.endswith("JNIM")
    assert attack.recipient is not None and attack.recipient.country == "MLI"
    assert attack.acled is not None and attack.acled.event_type == "Battles"
    assert any(q.kind == "killed" and q.value == 12 for q in attack.quantities)
    # an attack told before takes the group that claims it in place of "des hommes armés"
    events = code("Des hommes armés ont attaqué lundi un poste de police à Diffa. L'attaque a "
                  "été revendiquée mardi par Boko Haram.", published="2025-03-12").events
    attack = next(e for e in events if e.type == "ASSAULT")
    assert attack.actor.text == "Boko Haram"


def test_sending_troops_is_a_deployment_not_a_delivery(code):
    e = _only(code, "Le Sénégal a annoncé l'envoi de 300 soldats en Gambie.", "MOBILIZE")
    assert (e.mode, e.recipient.country) == ("troops", "GMB")
    assert not [x for x in code("Le Sénégal a annoncé l'envoi de 300 soldats en Gambie.",
                                published="2025-03-12").events if x.type == "AID"]
    e = _only(code, "Le Maroc a annoncé l'envoi de 2 000 tonnes de riz au Niger.", "AID")
    assert (e.actor.country, e.recipient.country) == ("MAR", "NER")


def test_plot_being_prepared_is_planned(code):
    e = _only(code, "La police a arrêté deux hommes soupçonnés de préparer un attentat contre "
              "une mosquée de Maradi.", "ASSAULT")
    assert e.status == "planned"


def test_background_participle_does_not_date_the_event(code):
    e = _only(code, "La CEDEAO a exigé lundi la libération de l'opposant Ousmane Diallo, détenu "
              "depuis mars 2023.", "REQUEST")
    assert e.date is not None and e.date.value == "2025-03-10"
    e = _only(code, "La CEDEAO a exigé la libération de l'opposant Ousmane Diallo, détenu "
              "depuis mars 2023.", "REQUEST")
    assert e.date is None


def test_members_of_a_group_take_its_sector(code):
    e = _only(code, "Washington a imposé des sanctions à deux responsables des Forces de "
              "soutien rapide.", "SANCTION")
    assert (e.recipient.country, e.recipient.sector) == ("SDN", "PRM")


def test_suspending_a_broadcaster_is_censorship(code):
    e = _only(code, "Les autorités nigériennes ont suspendu la diffusion de la radio "
              "britannique BBC.", "COERCE")
    assert (e.mode, e.actor.country, e.recipient.country) == ("censor", "NER", "GBR")


def test_verb_read_as_a_noun_keeps_its_object(code):
    # "boycotteraient" tagged as a noun: its object and the party named on it are still read
    e = _only(code, "Des dirigeants maliens ont annoncé qu'ils boycotteraient tout contact "
              "officiel avec la France.", "THREATEN")
    assert (e.actor.country, e.recipient.country) == ("MLI", "FRA")


def test_peacekeepers_deployed_or_arriving_are_aid(code):
    e = _only(code, "Un premier contingent de Casques bleus népalais est arrivé lundi en "
              "Centrafrique.", "AID")
    assert "peacekeeping" in e.context
    assert (e.actor.country, e.recipient.country) == ("NPL", "CAF")
    e = _only(code, "L'ONU a envoyé 300 soldats de la paix au Soudan du Sud.", "AID")
    assert e.recipient is not None and e.recipient.country == "SSD"
    # other troops sent abroad are a deployment
    e = _only(code, "Le Kenya a envoyé 400 policiers en Haïti.", "MOBILIZE")
    assert (e.actor.country, e.recipient.country) == ("KEN", "HTI")


def test_patrol_falling_into_an_ambush_is_its_target(code):
    e = _only(code, "Une patrouille de l'armée nigérienne est tombée mardi dans une embuscade "
              "près de Tillabéri : six soldats ont été tués.", "ASSAULT")
    assert e.recipient is not None and e.recipient.country == "NER"
    assert e.actor is None or e.actor.start is None  # not the patrol


def test_massacre_of_civilians_names_its_victims(code):
    e = _only(code, "Le Mali a rejeté les accusations d'Amnesty sur le massacre de civils à "
              "Moura.", "ASSAULT")
    assert e.recipient is not None and e.recipient.text == "civils"
    assert e.actor is None or e.actor.text != "civils"


def test_asset_freeze_is_a_sanction(code):
    e = _only(code, "Les États-Unis ont gelé les avoirs de trois ministres nigériens.",
              "SANCTION")
    assert (e.actor.country, e.recipient.country) == ("USA", "NER")


def test_verbless_headline_opening_with_a_plural(code):
    e = _only(code, "Frappes aériennes de l'armée malienne sur un marché de Gao : au moins "
              "dix morts.", "ASSAULT")
    assert (e.mode, e.actor.country) == ("aerial", "MLI")
    assert e.acled is not None and e.acled.sub_event_type == "Air/drone strike"


def test_arrests_among_protesters_named_by_a_pronoun(code):
    events = code("Des étudiants ont manifesté à Dakar ; la police a arrêté une trentaine "
                  "d'entre eux.", published="2025-03-12").events
    arrest = next(e for e in events if e.type == "COERCE")
    assert arrest.mode == "arrest" and arrest.actor.text == "la police"
    assert arrest.recipient is not None and "entre eux" in arrest.recipient.text


def test_killings_outrank_property_destruction_told_with_them(code):
    e = _only(code, "Des hommes armés ont incendié le marché de Mopti et tué quatre "
              "commerçants.", "ASSAULT")
    assert e.acled is not None and e.acled.sub_event_type == "Attack"
    assert e.location is not None and e.location.text == "Mopti"  # where the target is
    e = _only(code, "Des assaillants ont pillé et incendié des boutiques à Kayes dimanche.",
              "ASSAULT")
    assert e.acled is not None and e.acled.sub_event_type == "Looting/property destruction"


def test_coups_are_seizures_of_power(code):
    e = _only(code, "Des militaires ont renversé mercredi le président nigérien Mohamed "
              "Bazoum.", "COERCE")
    assert (e.mode, e.recipient.country) == ("seize", "NER")
    assert "political_institutions" in e.context
    assert e.acled is not None and e.acled.sub_event_type == "Other"
    e = _only(code, "Les putschistes se sont emparés du pouvoir à Conakry.", "COERCE")
    assert e.mode == "seize" and e.actor is not None and e.actor.sector == "MIL"
    e = _only(code, "Un coup d'État a eu lieu mercredi au Gabon.", "COERCE")
    assert e.actor is None or e.actor.text != "État"  # a word of the trigger is no party
    # taking a town is still territory
    e = _only(code, "Les rebelles se sont emparés de Kidal.", "ASSAULT")
    assert e.acled is not None and e.acled.event_type == "Battles"


def test_event_told_as_the_time_of_another_is_background(code):
    events = code("Le gouvernement a levé le couvre-feu après le coup d'État du 30 juin au "
                  "Soudan.", published="1989-08-10").events
    concede = next(e for e in events if e.type == "CONCEDE")
    coup = next(e for e in events if e.type == "COERCE")
    assert coup.confidence < concede.confidence



def test_condemned_attack_is_an_event_of_its_own(code):
    events = code("Le gouvernement nigérien a condamné l'attaque de mardi contre le poste de "
                  "Banibangou, qui a fait douze morts.", published="2025-03-12").events
    condemn = next(e for e in events if e.type == "ACCUSE")
    attack = next(e for e in events if e.type == "ASSAULT")
    assert condemn.mode == "disapprove" and attack.status == "reported"
    assert any(q.kind == "killed" and q.value == 12 for q in attack.quantities)
    assert not any(q.kind == "killed" for q in condemn.quantities)  # the toll is the attack's
    events = code("Paris a dénoncé les frappes russes sur Kharkiv.", published="2025-03-12").events
    strike = next(e for e in events if e.type == "ASSAULT")
    assert (strike.actor.country, strike.recipient.country) == ("RUS", "UKR")


def test_division_is_never_a_namesake_town_elsewhere(code):
    # no country named: "la province du Soum" is no Senegalese village of that name
    e = _only(code, "Des jihadistes ont attaqué un poste de gendarmerie dans la province du "
              "Soum, selon le HCR.", "ASSAULT")
    assert e.location is not None and e.location.country != "SEN"
    # a sizeable town of the region stands for the division named after it
    e = _only(code, "Des hommes armés ont tué trois civils dans la région de Kayes.", "ASSAULT")
    assert e.location is not None and e.location.country == "MLI"


def test_place_of_a_story_naming_no_country(code):
    # the region's biggest namesake, whatever the region's country order
    e = _only(code, "Des assaillants ont tué trois commerçants à Goma dimanche.", "ASSAULT")
    assert e.location is not None and e.location.country == "COD"
    # a small town abroad is no guess for a name the gazetteer lacks in the region
    e = _only(code, "L'ONU a demandé une enquête sur les exécutions sommaires à Moura.",
              "REQUEST")
    assert e.location is None or e.location.country is None
    # a town abroad big enough to be named alone still is
    e = _only(code, "Une explosion a fait deux morts à Lyon.", "ASSAULT")
    assert e.location is not None and e.location.country == "FRA"


def test_strengthening_cooperation_moves_no_troops(code):
    events = code("Les deux pays sont convenus de renforcer leur coopération dans la formation "
                  "des militaires nigériens.", published="2025-03-12").events
    assert not [e for e in events if e.type == "MOBILIZE"]
    e = _only(code, "Le Mali a renforcé sa présence militaire à Gao avec 500 soldats.", "MOBILIZE")
    assert e.mode == "troops"


def test_overthrow_as_an_aim_is_no_coup(code):
    events = code("Les rebelles ont bloqué mardi les routes vers Bouaké, poursuivant leurs efforts "
                  "pour renverser le gouvernement.", published="2025-03-12").events
    assert not [e for e in events if e.type == "COERCE" and e.mode == "seize"]


def test_fronted_phrase_is_no_part_of_the_subject(code):
    e = _only(code, "Réunis dimanche en sommet extraordinaire à Abuja, les chefs d'État de la "
              "CEDEAO ont imposé des sanctions au Niger.", "SANCTION")
    assert e.actor is not None and e.actor.text == "les chefs d'État de la CEDEAO"


def test_party_text_stops_at_its_conjunct(code):
    e = _only(code, "Le gouvernement nigérien et le groupe rebelle FPL ont signé un accord de "
              "paix à Niamey.", "SUPPORT")
    assert e.actor is not None and e.actor.text == "Le gouvernement nigérien"
    # a government settling with rebels of no told nationality settles with its own
    assert e.recipient is not None and (e.recipient.sector, e.recipient.country) == ("REB", "NER")
