"""``kibaru eval``: the scores, the CASE 2021 label rule, the gold readers and the command."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, shared_dir
from kibaru.errors import UsageError
from kibaru.evaluate import case2021_label, classification_scores, evaluate
from kibaru.evaluate.components import _entities


def test_classification_scores_by_hand():
    gold = ["A", "A", "B", "C"]
    pred = ["A", "B", "B", "B"]
    s = classification_scores(gold, pred)
    assert s["accuracy"] == 0.5 and s["micro_f1"] == 0.5
    # A: p=1 r=.5 f=.667; B: p=1/3 r=1 f=.5; C: 0
    assert s["per_label"]["A"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert s["per_label"]["B"]["f1"] == pytest.approx(0.5)
    assert s["macro_f1"] == pytest.approx((0.6667 + 0.5 + 0) / 3, abs=1e-4)
    assert s["weighted_f1"] == pytest.approx((0.6667 * 2 + 0.5) / 4, abs=1e-4)
    with pytest.raises(ValueError):
        classification_scores(["A"], [])


def test_iob_entities():
    tags = ["O", "I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG"]
    assert _entities(tags) == [(1, 3, "PER"), (4, 5, "LOC"), (5, 6, "LOC"), (6, 7, "ORG")]


@pytest.mark.parametrize("text,label", [
    ("Une frappe aérienne a tué dix combattants près de Gao mardi.", "AIR_STRIKE"),
    ("Des centaines de personnes ont manifesté pacifiquement à Dakar samedi.", "PEACE_PROTEST"),
    ("Il faisait beau sur le fleuve.", "OTHER"),
    # a strategic development (arrests) gives way to the organised crime it is about...
    ("Les douaniers ont arrêté trois membres d'un réseau de trafic de drogue à Lomé.",
     "ORG_CRIME"),
    # ...and to a disaster (troops deployed to help flood victims)
    ("De graves inondations ont touché Niamey samedi. L'armée a déployé des soldats pour "
     "secourir les sinistrés.", "NATURAL_DISASTER"),
    # a violent event still comes first
    ("De graves inondations ont touché Gao samedi. Dimanche, des hommes armés ont attaqué un "
     "convoi humanitaire près de la ville.", "ATTACK"),
    # the attack a claim of responsibility claims is coded, and the document is a claim...
    ("Le JNIM a revendiqué l'attaque de dimanche contre un poste de l'armée malienne à Ségou.",
     "ATTRIB"),
    # ...but an accusation is no claim: the act alleged decides
    ("Amnesty a accusé les forces de sécurité soudanaises d'avoir commis des viols au Darfour.",
     "SEX_VIOL"),
])
def test_case2021_label_rule(code, text, label):
    assert case2021_label(code(text, published="2024-03-08").events) == label


def test_eval_jsonl_errors_name_the_line(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"text_fr": "x", "label": "OTHER"}\nnot json\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"gold.jsonl:2"):
        evaluate(bad, "case2021")
    with pytest.raises(UsageError, match="unknown suite"):
        evaluate(bad, "nope")
    with pytest.raises(UsageError, match="no such gold"):
        evaluate(tmp_path / "missing.jsonl", "plover")


def test_case2021_suite_json_keys(nlp, tmp_path):
    gold = tmp_path / "g.jsonl"
    rows = [{"text_fr": "Une frappe aérienne a tué dix combattants près de Gao.",
             "label": "AIR_STRIKE"},
            {"text_fr": "Il faisait beau sur le fleuve.", "label": "NATURAL_DISASTER"}]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                    encoding="utf-8")
    res = evaluate(gold, "case2021")
    assert list(res)[:8] == ["suite", "n", "micro_f1", "macro_f1", "weighted_f1", "accuracy",
                             "dyad_accuracy", "per_label"]
    assert res["n"] == 2 and res["accuracy"] == 0.5
    assert res["per_label"]["AIR_STRIKE"]["f1"] == 1.0
    assert res["errors"][0]["gold"] == "NATURAL_DISASTER"


def test_plover_suite_dyads(nlp, tmp_path):
    gold = tmp_path / "p.jsonl"
    rows = [{"text_fr": "Le président sénégalais a rencontré mardi à Bamako son homologue "
                        "malien.", "plover2": "CONSULT", "source_country": ["MLI"],
             "target_country": ["SEN"]}]
    gold.write_text(json.dumps(rows[0], ensure_ascii=False), encoding="utf-8")
    res = evaluate(gold, "plover")
    assert res["accuracy"] == 1.0
    assert res["dyad_accuracy"] == 1.0  # CONSULT: direction ignored


def test_cases_suite_passes_every_case(nlp):
    res = evaluate(shared_dir("cases"), "cases")
    assert res["n"] >= 25 and res["accuracy"] == 1.0, res["errors"]


@pytest.mark.slow
def test_eval_command_json(tmp_path):
    gold = shared_dir("eval", "recognizers-text-fr")
    out = subprocess.run([sys.executable, "-m", "kibaru.cli", "eval", str(gold), "--suite",
                          "dates", "--format", "json"], capture_output=True, text=True,
                         cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["suite"] == "dates" and res["n"] > 0 and 0 < res["accuracy"] <= 1
    bad = subprocess.run([sys.executable, "-m", "kibaru.cli", "eval", str(tmp_path / "x"),
                          "--suite", "plover"], capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1 and "no such gold" in bad.stderr and "Traceback" not in bad.stderr
