"""The closed word classes of data/grammar.toml that the extract stage reads the parse with."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from kibaru.nlp.lexicon import norm, word_set

RAW = tomllib.loads(resources.files("kibaru.data").joinpath("grammar.toml").read_text("utf-8"))
LISTS = [k for k, v in RAW.items() if isinstance(v, list)]


@pytest.mark.parametrize("name", LISTS)
def test_list_is_non_empty_and_normalised(name):
    words = word_set(name)
    assert words and all(w == norm(w) and w.strip() for w in words)


@pytest.mark.parametrize("name,word", [
    ("town_nouns", "ville"), ("town_nouns", "sud"), ("pair_nouns", "pays"),
    ("container_nouns", "convoi"), ("origin_verbs", "partir"), ("demand_verbs", "exiger"),
    ("neutral_speech_verbs", "indiquer"), ("assertive_speech_verbs", "affirmer"),
    ("deny_forms", "dément"), ("plan_heads", "promettre"), ("refuse_verbs", "refuser"),
    ("near_words", "près"),
])
def test_membership(name, word):
    assert norm(word) in word_set(name)


def test_neutral_and_assertive_speech_do_not_overlap():
    assert not word_set("neutral_speech_verbs") & word_set("assertive_speech_verbs")


def test_unknown_list_is_an_error():
    with pytest.raises(KeyError):
        word_set("no-such-list")


def test_compass_base():
    from kibaru.resolve.build import compass_base

    assert compass_base("Beyrouth-Est") == "Beyrouth"
    assert compass_base("Nord-Kivu") == "Kivu"
    assert compass_base("Kordofan-Sud-Ouest") == "Kordofan"
    assert compass_base("Darfour-Occidental") == "Darfour"
    assert compass_base("Guinée-Bissau") is None
    assert compass_base("Est") is None
    assert compass_base("Nord-Ouest") is None  # a region of a country the name does not tell
