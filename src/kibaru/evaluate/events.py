"""Event-coding suites of ``kibaru eval``: CASE 2021 Task 2 labels, PLOVER gold records and
the acceptance-case format.

Each suite reads its gold file, codes every text with the full pipeline
(:func:`kibaru.pipeline.process`) and scores the result; see :func:`case2021_label` for the one
rule that turns a document's events into a CASE label.
"""

from __future__ import annotations

import importlib.util
import json
import tempfile
import tomllib
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..ingest import RawDoc, iter_inputs
from ..model import Event, Result
from .metrics import classification_scores

__all__ = ["case2021_label", "case_inputs", "decisive_event", "eval_case2021", "eval_plover",
           "eval_cases", "read_jsonl", "read_gold_text"]

Progress = Callable[[int], None]


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    """``data/case2021.toml`` (the label rule's tables)."""
    return tomllib.loads(resources.files("kibaru.data").joinpath("case2021.toml")
                         .read_text("utf-8"))


def decisive_event(events: Iterable[Event], keep: Callable[[Event], bool]) -> Event | None:
    """The most confident event that ``keep`` accepts; the first in the text on ties."""
    best: Event | None = None
    for ev in sorted(events, key=lambda e: e.trigger.start):
        if keep(ev) and (best is None or ev.confidence > best.confidence):
            best = ev
    return best


def case2021_label(events: Iterable[Event]) -> str:
    """The CASE 2021 Task 2 label of a document from its events (``data/case2021.toml``):
    the ACLED sub-event type of the most confident event that has one, unless it is a
    strategic development ([order]) and the document tells a disaster or organised crime
    (ATTRIB when it is the act a claim of responsibility claims); else that ``category``;
    else DIPLO for verbal and diplomatic PLOVER events (ATTRIB for an allegation of
    responsibility); else OTHER."""
    rules = _rules()
    events = list(events)
    later = set(rules.get("order", {}).get("after_categories", []))
    ev = decisive_event(events, lambda e: e.acled is not None
                        and e.acled.sub_event_type in rules["acled"])
    cat = decisive_event(events, lambda e: e.category in rules["category"])
    claimants = {(e.actor.start, e.actor.end) for e in events
                 if e.type == "ACCUSE" and e.mode in rules["attrib"]["modes"]
                 and e.actor is not None and e.actor.start is not None}
    if ev is not None and ev.acled is not None and (cat is None
                                                    or ev.acled.event_type not in later):
        if ev.actor is not None and (ev.actor.start, ev.actor.end) in claimants:
            return "ATTRIB"  # the act a claim of responsibility claims (the same words)
        return str(rules["acled"][ev.acled.sub_event_type])
    if cat is not None:
        return str(rules["category"][cat.category])
    ev = decisive_event(events, lambda e: e.type in rules["plover"])
    if ev is not None:
        if ev.type == "ACCUSE" and ev.mode in rules["attrib"]["modes"]:
            return "ATTRIB"
        return str(rules["plover"][ev.type])
    return "OTHER"


def read_gold_text(path: Path, what: str = "the gold file") -> list[str]:
    """The lines of a UTF-8 gold file. Raises :class:`~kibaru.errors.UsageError` (``K301``)
    naming ``path`` and ``what`` it should be when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read {what} ({exc})", code="K301") from exc


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The objects of a JSONL gold file, each holding the ``required`` keys.

    Raises :class:`~kibaru.errors.UsageError` (``K301``) naming the file and line when a line
    is not JSON or lacks a key, or when the file cannot be read."""
    lines = read_gold_text(path)
    rows = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not a JSON object ({exc.msg})",
                             code="K301") from exc
        if not isinstance(row, dict) or any(k not in row for k in required):
            raise UsageError(f"{path}:{number}: a gold line needs the keys "
                             f"{', '.join(required)}", code="K301")
        rows.append(row)
    if not rows:
        raise UsageError(f"{path}: no gold lines", code="K301")
    return rows


def _code(texts: list[str], progress: Progress | None) -> Iterator[tuple[Event, ...]]:
    """The events of each text, in order (none for a text Kibaru cannot read)."""
    from ..pipeline import process

    raws = [RawDoc(f"gold-{i}", f"gold-{i}", "text", t) for i, t in enumerate(texts)]
    for item in process(raws):
        if progress is not None:
            progress(1)
        yield item.events if isinstance(item, Result) else ()


def eval_case2021(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Score CASE 2021 Task 2 labels: gold lines ``{"text_fr", "label"}``.

    Returns the :func:`~kibaru.evaluate.metrics.classification_scores` keys plus ``suite``
    and ``errors`` (up to 200 ``{"gold", "predicted", "text"}`` misses)."""
    rows = read_jsonl(path, ("text_fr", "label"))
    gold = [str(r["label"]) for r in rows]
    pred = [case2021_label(evs) for evs in _code([r["text_fr"] for r in rows], progress)]
    out = {"suite": "case2021"} | classification_scores(gold, pred)
    out["errors"] = [{"gold": g, "predicted": p, "text": r["text_fr"][:160]}
                     for g, p, r in zip(gold, pred, rows, strict=True) if g != p][:200]
    return out


def _countries(value: Any) -> set[str]:
    if not value:
        return set()
    return {str(v) for v in (value if isinstance(value, list) else [value])}


def eval_plover(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Score PLOVER types and dyads: gold lines ``{"text_fr", "plover2", "source_country",
    "target_country"}`` (country lists or null).

    The predicted event of a text is its most confident event (first in the text on ties);
    its type is the prediction (NONE when nothing is coded). Dyad accuracy counts, over the
    lines that give a source or a target country, those whose predicted actor country is in
    ``source_country`` (where given) and recipient country in ``target_country`` (where
    given); for CONSULT the direction is ignored."""
    rows = read_jsonl(path, ("text_fr", "plover2"))
    gold: list[str] = []
    pred: list[str] = []
    dyads = [0, 0]
    errors = []
    for row, evs in zip(rows, _code([r["text_fr"] for r in rows], progress), strict=True):
        ev = decisive_event(evs, lambda e: e.type is not None)
        gold.append(str(row["plover2"]))
        pred.append(ev.type if ev is not None and ev.type else "NONE")
        src, tgt = _countries(row.get("source_country")), _countries(row.get("target_country"))
        if src or tgt:
            dyads[1] += 1
            a = ev.actor.country if ev is not None and ev.actor else None
            r = ev.recipient.country if ev is not None and ev.recipient else None
            ok = (not src or a in src) and (not tgt or r in tgt)
            if not ok and ev is not None and ev.type == "CONSULT":
                ok = (not src or r in src) and (not tgt or a in tgt)
            dyads[0] += int(ok)
        if gold[-1] != pred[-1]:
            errors.append({"gold": gold[-1], "predicted": pred[-1],
                           "text": str(row["text_fr"])[:160]})
    out = {"suite": "plover"} | classification_scores(gold, pred)
    out["dyad_accuracy"] = round(dyads[0] / dyads[1], 4) if dyads[1] else None
    out["dyad_n"] = dyads[1]
    out["errors"] = errors[:200]
    return out


def _load_checker(folder: Path) -> Any:
    """The cases folder's reference checker (``check.py``: ``check_case(case, output)``)."""
    script = folder / "check.py"
    if not script.is_file():
        raise UsageError(f"{folder}: no check.py beside the cases (the case format's checker)",
                         code="K301")
    spec = importlib.util.spec_from_file_location("kibaru_cases_check", script)
    if spec is None or spec.loader is None:
        raise UsageError(f"{script}: cannot be loaded", code="K301")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def case_inputs(case: dict[str, Any], folder: Path
                ) -> tuple[list[RawDoc | InputError], str | None]:
    """The raw inputs of an acceptance case and the ``--published`` date to code them with,
    read the way the case checker feeds ``kibaru extract``: its ``input_file`` (relative to
    ``folder``), or one JSONL line holding its ``text``/``html``/``published``/``url``/
    ``title`` keys."""
    if "input_file" in case:
        return list(iter_inputs([str(folder / case["input_file"])])), case.get("published")
    line = {k: case[k] for k in ("text", "html", "published", "url", "title") if k in case}
    with tempfile.TemporaryDirectory() as tmp:
        jl = Path(tmp) / f"{case.get('id', 'case')}.jsonl"
        jl.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
        return list(iter_inputs([str(jl)])), None


def eval_cases(path: Path, progress: Progress | None = None) -> dict[str, Any]:
    """Pass rate on acceptance cases (a folder of case JSON files with their ``check.py``,
    or one case file): each case's input is coded in-process and judged by the folder's
    ``check_case``. ``per_label`` maps each case id to 1.0 (pass) or 0.0 with its problems
    in ``errors``."""
    from ..pipeline import process

    folder = path if path.is_dir() else path.parent
    files = sorted(folder.glob("*.json")) if path.is_dir() else [path]
    checker = _load_checker(folder)
    passed = 0
    per_label: dict[str, float] = {}
    errors = []
    for f in files:
        try:
            case = json.loads("\n".join(read_gold_text(f, "the case file")))
        except json.JSONDecodeError as exc:
            raise UsageError(f"{f}: not a JSON case ({exc.msg})", code="K301") from exc
        raws, published = case_inputs(case, folder)
        items = list(process(raws, published=published))
        if progress is not None:
            progress(1)
        item = items[0] if items else None
        if isinstance(item, Result):
            output = item.to_dict()
            problems = list(checker.check_case(case, output))
        else:
            problems = [f"not coded: {item}"]
        ok = not problems
        passed += int(ok)
        per_label[str(case["id"])] = 1.0 if ok else 0.0
        if not ok:
            errors.append({"case": case["id"], "problems": problems[:5]})
    n = len(files)
    return {"suite": "cases", "n": n, "accuracy": round(passed / n, 4) if n else 0.0,
            "passed": passed, "per_label": per_label, "errors": errors}
