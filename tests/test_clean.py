"""Tests for the clean stage: boilerplate rules, text and HTML cleaning, titles, dates and
language. Needs no spaCy model; HTML pages are written here (plus one acceptance case read
from the shared folder)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kibaru.clean import CleanDoc, clean, detect_language, load_rules
from kibaru.clean.html import extract_html, region_reason, tidy_title
from kibaru.errors import InputError
from kibaru.ingest import RawDoc
from kibaru.model import Removed

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

STORY = ("Le Programme alimentaire mondial a acheminé 300 tonnes de vivres à Gao, a indiqué "
         "l'agence onusienne lundi.")
STORY2 = ("Les denrées seront distribuées aux familles déplacées par les combats dans la région, "
          "selon le bureau local de l'agence.")


def shared_file(*parts: str) -> Path:
    """A file of the shared folder (the repository's sibling): fail under CI, else skip."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"shared test data not found: {path} (expected beside the repository)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def text_doc(text: str | bytes, **kw: str) -> RawDoc:
    return RawDoc(id="t", source="t.txt", kind="text", data=text, **kw)


def html_doc(html: str | bytes, **kw: str) -> RawDoc:
    return RawDoc(id="h", source="h.html", kind="html", data=html, **kw)


def reasons(doc: CleanDoc) -> dict[str, str]:
    return {r.text: r.reason for r in doc.removed}


# --- boilerplate rules -----------------------------------------------------------------------

REMOVED_LINES = [
    ("LIRE AUSSI : Au Niger, la saison des pluies inquiète les agriculteurs", "related-link"),
    ("Lire aussi: Tchad, le gouvernement annonce un remaniement", "related-link"),
    ("À lire aussi", "related-link"),
    ("A lire également : la crise au Sahel", "related-link"),
    ("Lire également :", "related-link"),
    ("► Lire aussi notre enquête", "related-link"),
    ("LIRE : le portrait du nouveau président", "related-link"),
    ("À lire", "related-link"),
    ("Voir aussi", "related-link"),
    ("Voir aussi la carte", "related-link"),
    ("À voir également : notre reportage", "related-link"),
    ("Lire la suite", "related-link"),
    ("Lire la suite de l'article", "related-link"),
    ("Sur le même sujet", "related-link"),
    ("SUR LE MÊME THÈME", "related-link"),
    ("Dans la même rubrique", "related-link"),
    ("Articles similaires", "related-link"),
    ("Les plus lus", "related-link"),
    ("En relation :", "related-link"),
    ("Pour aller plus loin", "related-link"),
    ("En savoir plus", "related-link"),
    ("Partager sur Facebook", "share"),
    ("Partager sur Facebook | Partager sur X", "share"),
    ("Partager cet article", "share"),
    ("Partagez :", "share"),
    ("Partager", "share"),
    ("Imprimer cet article", "share"),
    ("Envoyer par e-mail", "share"),
    ("Facebook | Twitter | WhatsApp", "share"),
    ("Abonnez-vous à notre newsletter", "subscribe"),
    ("Inscrivez-vous à notre lettre d'information", "subscribe"),
    ("Newsletter : recevez l'essentiel de l'actualité", "subscribe"),
    ("Suivez-nous sur les réseaux sociaux", "subscribe"),
    ("Téléchargez notre application", "subscribe"),
    ("Pour lire la suite", "subscribe"),
    ("Pour lire la suite de cet article, abonnez-vous.", "subscribe"),
    ("Pour accéder en illimité à nos articles", "subscribe"),
    ("Il vous reste 78,9 % de cet article à lire.", "subscribe"),
    ("Cet article est réservé aux abonnés", "subscribe"),
    ("Déjà abonné ? Connectez-vous", "subscribe"),
    ("Crédits photos : AFP", "caption"),
    ("Photo : Reuters", "caption"),
    ("Image d'illustration", "caption"),
    ("Illustration : la place de l'Indépendance", "caption"),
    ("© 2024 Le Journal. Tous droits réservés.", "copyright"),
    ("Tous droits réservés", "copyright"),
    ("Le Journal du Sahel. Tous droits réservés.", "copyright"),
    ("Copyright 2024 Agence Sahel Presse", "copyright"),
    ("Reproduction interdite", "copyright"),
    ("Publicité", "service"),
    ("Commentaires (12)", "service"),
    ("Publié le 12 mars 2024 à 09h30", "service"),
    ("Mis à jour le 1er avril 2024", "service"),
]

KEPT_LINES = [
    "Le ministre a déclaré qu'il fallait lire aussi les rapports de l'ONU.",
    "Il faut voir aussi le rôle des milices, selon le chercheur.",
    "Les deux pays ont convenu de partager les renseignements militaires.",
    "Partager le pouvoir reste la seule issue, a estimé le président de la transition.",
    "Imprimer des billets n'est pas la solution, répond la BCEAO.",
    "Envoyer des troupes au Niger serait une erreur, selon le ministre.",
    "En relation avec cette affaire, trois personnes ont été arrêtées à Bamako.",
    "Pour lire la suite des événements, il faut remonter au coup d'État de 2012.",
    "Les auteurs de l'étude conservent tous droits réservés sur leurs données.",
    "Photos à l'appui, le journal affirme que le convoi a été attaqué.",
    "À la une des journaux de Bamako, la crise de l'électricité.",
    "Dossier sensible, la dette reste sur la table des négociations.",
    "Voir le président en personne reste difficile pour les délégations.",
    "Publié en 2019, le rapport recensait déjà 300 victimes.",
    "Lire entre les lignes du communiqué n'est pas aisé.",
    "Une newsletter interne de l'armée a été divulguée mardi.",
]


@pytest.mark.parametrize(("line", "reason"), REMOVED_LINES)
def test_rule_removes_line_with_reason(line: str, reason: str) -> None:
    assert load_rules().reason(line) == reason


@pytest.mark.parametrize(("line", "reason"), REMOVED_LINES)
def test_clean_drops_boilerplate_line_and_lists_it(line: str, reason: str) -> None:
    doc = clean(text_doc(f"{STORY}\n{line}\n{STORY2}"))
    assert doc.text == f"{STORY}\n{STORY2}"
    assert doc.removed == (Removed(text=line, reason=reason),)


@pytest.mark.parametrize("line", KEPT_LINES)
def test_rule_keeps_story_line(line: str) -> None:
    assert load_rules().reason(line) is None


@pytest.mark.parametrize("line", KEPT_LINES)
def test_clean_keeps_story_line(line: str) -> None:
    doc = clean(text_doc(f"{STORY}\n{line}"))
    assert doc.text == f"{STORY}\n{line}"
    assert doc.removed == ()


def test_rules_are_anchored_at_line_start() -> None:
    rules = load_rules()
    for line, _ in REMOVED_LINES:
        sentence = f"Le ministre a dit : {line.lower()} ; puis il est parti."
        assert rules.reason(sentence) is None, line


def test_rules_file_is_versioned_and_every_pattern_is_anchored() -> None:
    rules = load_rules()
    assert rules.version >= 2
    assert rules.rules
    for _, pattern in rules.rules:
        assert pattern.pattern.startswith("^"), pattern.pattern


def test_rules_ignore_case_and_accents() -> None:
    rules = load_rules()
    assert rules.reason("à LIRE ÉGALEMENT") == rules.reason("a lire egalement") == "related-link"
    assert rules.reason("Lire aussi\u00a0: Gao") == "related-link"


# --- text documents --------------------------------------------------------------------------

def test_headline_stays_its_own_line_and_becomes_title() -> None:
    headline = "Kidal : l'armée malienne hisse le drapeau national"
    body = "Les Forces armées maliennes sont entrées mardi dans la ville de Kidal."
    doc = clean(text_doc(f"{headline}\n{body}"))
    assert doc.text.split("\n") == [headline, body]
    assert doc.title == headline
    assert f"{headline} {body}" not in doc.text
    assert f"{headline}. {body}" not in doc.text


@pytest.mark.parametrize("headline", [
    "Mali : un convoi humanitaire arrive à Gao",
    "Le Niger va-t-il quitter la Cédéao ?",
    "Burkina Faso : trois soldats tués près de Djibo",
])
def test_headline_forms(headline: str) -> None:
    doc = clean(text_doc(f"{headline}\n\n{STORY}\n"))
    assert doc.title == headline
    assert doc.text.startswith(headline + "\n")


@pytest.mark.parametrize("text", [
    f"{STORY}\n{STORY2}",  # first line is a sentence
    "Mali : un convoi humanitaire arrive à Gao",  # a single line is not a headline
    "« Nous ne partirons pas », affirme le chef de la junte.\n" + STORY,
])
def test_no_headline(text: str) -> None:
    assert clean(text_doc(text)).title is None


def test_given_title_wins_over_first_line() -> None:
    doc = clean(text_doc(f"Une ligne courte\n{STORY}", title="Le vrai titre"))
    assert doc.title == "Le vrai titre"


def test_blocks_are_stripped_and_blank_lines_dropped() -> None:
    doc = clean(text_doc(f"\r\n  Titre court de la dépêche  \r\n\r\n\t{STORY}   \r\n\n  {STORY2}"))
    assert doc.text == f"Titre court de la dépêche\n{STORY}\n{STORY2}"


def test_cp1252_bytes_are_decoded() -> None:
    text = "L’armée a reçu l’aide de la Croix-Rouge à Ménaka : 5 000 € pour la main-d’œuvre."
    doc = clean(text_doc(text.encode("cp1252")))
    assert doc.text == text


def test_each_removed_text_is_listed_once() -> None:
    doc = clean(text_doc(f"{STORY}\nPartager\n{STORY2}\nPartager"))
    assert doc.removed == (Removed("Partager", "share"),)


@pytest.mark.parametrize(("data", "code"), [
    ("", "K101"),
    ("   \n\t", "K101"),
    (b"", "K101"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "K102"),
    ("Lire aussi : la suite\nPartager sur Facebook\nTous droits réservés", "K110"),
])
def test_unreadable_text_raises_input_error(data: str | bytes, code: str) -> None:
    with pytest.raises(InputError) as info:
        clean(text_doc(data))
    assert info.value.code == code
    assert info.value.source == "t.txt"


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("own", "given", "expected"), [
    (None, "2024-05-16", "2024-05-16"),
    ("2024-03-12", "2024-05-16", "2024-03-12"),
    ("2024-03-12", None, "2024-03-12"),
    (None, None, None),
])
def test_published_precedence(own: str | None, given: str | None, expected: str | None) -> None:
    raw = text_doc(STORY) if own is None else text_doc(STORY, published=own)
    assert clean(raw, published=given).published == expected


@pytest.mark.parametrize("bad", ["hier", "2024-13-01", "12/03/2024", "2024-02-30"])
def test_invalid_dates_are_ignored_with_a_warning(bad: str) -> None:
    doc = clean(text_doc(STORY), published=bad)
    assert doc.published is None
    assert any(bad in w for w in doc.warnings)
    doc = clean(text_doc(STORY, published=bad), published="2024-05-16")
    assert doc.published == "2024-05-16"
    assert any(bad in w for w in doc.warnings)


# --- language --------------------------------------------------------------------------------

def test_english_paragraph_is_en_with_warning() -> None:
    doc = clean(text_doc("The army said on Monday it had retaken the town after two days of "
                         "fighting with armed groups in the north of the country."))
    assert doc.language == "en"
    assert len(doc.warnings) == 1
    assert "'en'" in doc.warnings[0]


def test_spanish_paragraph_is_es() -> None:
    doc = clean(text_doc("El ejército dijo el lunes que había recuperado la ciudad tras dos días "
                         "de combates con los grupos armados en el norte del país."))
    assert doc.language == "es"
    assert doc.warnings


@pytest.mark.parametrize("text", [
    "Mali : l'armée reprend Kidal",
    "Coup d'État au Niger",
    "Wagner au Mali",
    "Ouagadougou",
    STORY,
])
def test_french_stays_fr_without_warning(text: str) -> None:
    assert detect_language(text) == ("fr", None)
    doc = clean(text_doc(text))
    assert doc.language == "fr"
    assert doc.warnings == ()


# --- HTML ------------------------------------------------------------------------------------

def test_html_case_related_links() -> None:
    case = json.loads(shared_file("cases", "html-related-links.json").read_text("utf-8"))
    doc = clean(html_doc(case["html"].encode("utf-8")))
    for present in case["text_present"]:
        assert present in doc.text
    for absent in case["text_absent"]:
        assert absent.lower() not in doc.text.lower()
    assert doc.published == case["expect_published"] == "2024-03-12"
    assert doc.title == "Mali : un convoi humanitaire arrive à Gao"
    assert doc.language == "fr"
    got = reasons(doc)
    assert got.get("Lire aussi : Au Niger, la saison des pluies inquiète les agriculteurs") \
        == "related-link"
    assert got.get("Partager sur Facebook | Partager sur X") == "share"
    assert got.get("© 2024 Le Journal du Sahel. Tous droits réservés.") == "copyright"
    assert got.get("Accueil | Politique | Sport") == "navigation"
    related = [r for r in doc.removed if "remaniement" in r.text]
    assert [r.reason for r in related] == ["related-link"]
    assert all(r.reason and r.text.strip() for r in doc.removed)
    # page order: navigation first, footer last
    assert doc.removed[0].reason == "navigation"
    assert doc.removed[-1].reason == "copyright"


def test_html_case_as_str_and_bytes_agree() -> None:
    case = json.loads(shared_file("cases", "html-related-links.json").read_text("utf-8"))
    a = clean(html_doc(case["html"]))
    b = clean(html_doc(case["html"].encode("utf-8")))
    assert (a.text, a.title, a.published, a.removed) == (b.text, b.title, b.published, b.removed)


PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="{charset}">
<title>Niger : la frontière avec le Bénin reste fermée | Le Sahel Quotidien</title>
<meta property="og:site_name" content="Le Sahel Quotidien">
<meta property="article:published_time" content="2024-02-05T08:00:00Z"></head>
<body class="single has-comments">
<div id="main-menu"><ul><li><a href="/">Accueil</a></li><li><a href="/p">Politique</a></li>
<li><a href="/e">Économie</a></li></ul></div>
<div class="breadcrumb"><a href="/">Accueil</a> &gt; <a href="/p">Politique</a></div>
<article class="post">
<h1>Niger : la frontière avec le Bénin reste fermée</h1>
<p>Les autorités nigériennes ont maintenu lundi la fermeture de la frontière avec le Bénin,
malgré l'appel des transporteurs bloqués depuis plusieurs semaines à Malanville.</p>
<ul class="social-share"><li>Facebook</li><li>WhatsApp</li><li>Copier le lien</li></ul>
<p>Selon le ministère du Commerce, des centaines de camions de marchandises attendent
toujours de pouvoir franchir le fleuve, ce qui fait grimper les prix sur les marchés.</p>
<p>Les commerçants de Niamey redoutent une pénurie de denrées avant le ramadan, a indiqué
un responsable de leur syndicat.</p>
</article>
<section class="relatedPosts"><h2>Dans la même catégorie</h2>
<div class="card"><a href="/x">Bénin : le port de Cotonou tourne au ralenti</a></div></section>
<div class="newsletter-box"><p>Recevez chaque matin nos titres</p><form>
<input type="email"></form></div>
<div id="comments"><h3>3 réactions</h3><p>Moussa : il faut rouvrir vite</p></div>
<div class="site-footer">Le Sahel Quotidien, Niamey. Mentions légales</div>
</body></html>"""


def test_html_regions_by_class_and_id_are_listed_with_reasons() -> None:
    doc = clean(html_doc(PAGE.format(charset="utf-8").encode("utf-8")))
    assert "Malanville" in doc.text
    assert "ramadan" in doc.text
    for absent in ("Cotonou", "Recevez chaque matin", "Moussa", "Mentions légales",
                   "WhatsApp", "Politique"):
        assert absent not in doc.text
    by_reason: dict[str, list[str]] = {}
    for r in doc.removed:
        by_reason.setdefault(r.reason, []).append(r.text)
    assert any("Économie" in t for t in by_reason["navigation"])
    assert any("Cotonou" in t for t in by_reason["related-link"])
    assert any("WhatsApp" in t for t in by_reason["share"])
    assert any("Recevez chaque matin" in t for t in by_reason["subscribe"])
    assert any("Moussa" in t for t in by_reason["comments"])
    assert any("Mentions légales" in t for t in by_reason["footer"])
    # a region is listed once, as a whole, not block by block as well
    assert not any(t == "Bénin : le port de Cotonou tourne au ralenti" for t in reasons(doc))
    # the body's state class "has-comments" does not turn the article into comments
    for r in doc.removed:
        assert "Malanville" not in r.text and "ramadan" not in r.text


def test_html_title_loses_site_name_and_date_comes_from_meta() -> None:
    doc = clean(html_doc(PAGE.format(charset="utf-8").encode("utf-8")))
    assert doc.title == "Niger : la frontière avec le Bénin reste fermée"
    assert doc.published == "2024-02-05"


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1", "ISO-8859-15"])
def test_html_declared_legacy_charset(charset: str) -> None:
    page = PAGE.format(charset=charset)
    doc = clean(html_doc(page.encode("cp1252" if charset != "ISO-8859-15" else charset)))
    assert "Les autorités nigériennes ont maintenu" in doc.text
    assert "Économie" not in doc.text


def test_region_holding_the_article_is_not_a_region() -> None:
    page = ("<html><body><div class='content-with-share-buttons'><h1>Titre de l'article</h1>"
            f"<p>{STORY}</p><p>{STORY2}</p></div>"
            "<div class='share'>Partager sur Facebook</div></body></html>")
    doc = clean(html_doc(page))
    assert STORY in doc.text
    assert all(STORY not in r.text for r in doc.removed)
    assert reasons(doc).get("Partager sur Facebook") == "share"


@pytest.mark.parametrize(("tag", "attrs", "reason"), [
    ("nav", {}, "navigation"),
    ("footer", {}, "footer"),
    ("aside", {}, "related-link"),
    ("div", {"class": "related-articles"}, "related-link"),
    ("section", {"class": "relatedPosts"}, "related-link"),
    ("div", {"id": "similar"}, "related-link"),
    ("ul", {"class": "share-bar"}, "share"),
    ("div", {"class": "social-links"}, "share"),
    ("div", {"class": "bloc-partage"}, "share"),
    ("div", {"class": "newsletter-signup"}, "subscribe"),
    ("div", {"id": "comments"}, "comments"),
    ("li", {"class": "comment even"}, "comments"),
    ("div", {"class": "site-footer"}, "footer"),
    ("div", {"id": "main-nav"}, "navigation"),
    ("div", {"class": "menu-principal"}, "navigation"),
    ("ol", {"class": "breadcrumb"}, "navigation"),
    ("div", {"class": "article-body"}, None),
    ("div", {"class": "canvas"}, None),
    ("div", {"class": "has-comments is-sticky"}, None),
    ("body", {"class": "social"}, None),
    ("main", {"id": "footer-wrap"}, None),
    ("p", {}, None),
])
def test_region_reason(tag: str, attrs: dict[str, str], reason: str | None) -> None:
    assert region_reason(tag, attrs) == reason


@pytest.mark.parametrize(("title", "site", "lines", "expected"), [
    ("Mali : la junte dissout les partis | Le Journal", "Le Journal", None,
     "Mali : la junte dissout les partis"),
    ("Mali : la junte dissout les partis - lejournal.ml", "Le Journal", None,
     "Mali : la junte dissout les partis"),
    ("La perte des terres fertiles | DW | 23.05.2011", "DW.COM", None,
     "La perte des terres fertiles"),
    ("Sahel - Niger : la frontière reste fermée", "Le Monde", None,
     "Sahel - Niger : la frontière reste fermée"),
    ("Le Monde", "Le Monde", None, "Le Monde"),
    ("Titre de l'article | Rubrique | Site", None, ["Titre de l'article"],
     "Titre de l'article"),
    (None, "Site", None, None),
])
def test_tidy_title(title: str | None, site: str | None, lines: list[str] | None,
                    expected: str | None) -> None:
    assert tidy_title(title, sitename=site, lines=lines) == expected


STORY_P = f"<p>{STORY} {STORY2}</p>"


@pytest.mark.parametrize("page", [
    "<html><body><p>Le président a",
    "<html><head><title>Titre</title></head><bo",
    "<html><head><title>Mali : un convoi</title></head><body><article>" + STORY_P
    + "<p>Les denrées seront distribu",
    "<html><body><article>" + STORY_P + '<div class="rel',
    "<html><body>" + STORY_P[:70],
    '<div class=',
    "<p>Texte</p><scr",
    "<<<>>>",
    "<html></html>",
    "<!DOCTYPE html>",
    "<html><body><script>var a = '</p>';",
    "<?xml version='1.0' encoding='utf-8'?><html/>",
    "<html><body><table><tr><td>" + STORY + "</td",
    "</p></div></body></html>",
])
@pytest.mark.parametrize("as_bytes", [False, True])
def test_truncated_html_gives_text_or_K110(page: str, as_bytes: bool) -> None:
    raw = html_doc(page.encode("utf-8") if as_bytes else page)
    try:
        doc = clean(raw)
    except InputError as exc:
        assert exc.code == "K110", exc
        assert exc.source == "h.html"
    else:
        assert doc.text.strip()
        assert "<" not in doc.text


def test_html_without_body_text_is_K110() -> None:
    with pytest.raises(InputError) as info:
        clean(html_doc("<html><head><title>Titre</title></head><body></body></html>"))
    assert info.value.code == "K110"


def test_extract_html_does_not_apply_line_rules_but_lists_them() -> None:
    page = ("<html><body><article><h1>Titre de la dépêche</h1>"
            f"<p>{STORY}</p><p>Lire aussi : un autre article</p><p>{STORY2}</p>"
            "</article></body></html>")
    result = extract_html(page, "h.html")
    assert "Lire aussi" in result.text
    assert Removed("Lire aussi : un autre article", "related-link") in result.removed
    doc = clean(html_doc(page))
    assert "Lire aussi" not in doc.text
    assert [r.text for r in doc.removed].count("Lire aussi : un autre article") == 1
