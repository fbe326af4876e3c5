"""The FastAPI application of ``kibaru serve``: server-rendered pages (Jinja2) and a JSON API
under ``/api`` (OpenAPI schema at ``/api/openapi.json``), both built on
:mod:`kibaru.serve.queries`.

One writer per DuckDB file: each request attaches the main store read-only and detaches it
when done (:class:`StoreHost`), so the server holds the file only during a request; while an
ingest holds it, pages answer 503 with ``Retry-After``, and an ingest that starts during a
request waits for it (``KIBARU_LOCK_WAIT``). Reviews go to their own file
(:mod:`kibaru.store.reviews`), which only this server writes.

Security: every response carries a Content-Security-Policy without inline scripts or styles
(all JavaScript and CSS are static files of the package; no CDN); Jinja2 escapes every value,
article text included; writes need the token when one is configured (``X-Kibaru-Token`` or
``Authorization: Bearer``) and are refused from another origin; all SQL is parametrized.
"""

# No ``from __future__ import annotations`` here: FastAPI reads the annotations of the routes
# defined inside create_app() at run time, and they name local types.

import csv
import dataclasses
import hmac
import io
import os
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import StoreError, UsageError
from ..export.writers import csv_safe
from ..store.db import connect, mark_reader_waiting
from ..store.migrations import apply_migrations
from ..store.query import parse_date
from ..store.records import utc_now
from ..store.reviews import ReviewStore, prepare_reviews
from . import queries
from .queries import EVENT_FIELDS, EventQuery

__all__ = ["ServeConfig", "create_app", "CSP", "StoreBusy", "check_store"]

#: The Content-Security-Policy of every response: scripts, styles and images from this server
#: only, no inline script or style, no framing.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

_SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

#: Seconds a client is told to wait while an ingest holds the store.
RETRY_AFTER = 5

_CODE = r"^[A-Za-z]{3}$"
_DYAD = r"^[A-Za-z]{3}-[A-Za-z]{3}$"
_DAY = r"^\d{4}-\d{2}-\d{2}$"
_EVENT_ID = r"^[0-9a-f]{16}$"
_TOKEN = r"^[a-z][a-z_-]{0,39}$"


def _or_empty(pattern: str) -> str:
    """``pattern`` (anchored) that also accepts an empty value: a form's blank field."""
    return f"^({pattern[1:-1]})?$"



@dataclass(frozen=True)
class ServeConfig:
    """How the server runs: the store file ``db``, the ``token`` writes need (None: none,
    allowed only on a loopback address), the default ``reviewer`` name shown in the review
    form, ``lock_wait``, the seconds a request waits for an ingest's lock before 503, and
    ``allowed_hosts``, the ``Host`` header values accepted (None: any; ``kibaru serve`` on a
    loopback address accepts only loopback names, which defeats DNS rebinding)."""

    db: str
    token: str | None = None
    reviewer: str = ""
    lock_wait: float = 2.5
    allowed_hosts: tuple[str, ...] | None = None


class StoreBusy(Exception):
    """The main store is being written by another process (an ingest): try again later."""


class ReviewRefused(UsageError):
    """A review the server will not store as given (422): a place the gazetteer does not
    know, a date after the publication, corrected fields with ``confirm``..."""


#: PLOVER 2.0 sector codes a correction may give a party.
SECTORS = ("AGR", "BUS", "COP", "CRM", "CVL", "EDU", "ELI", "GOV", "JRN", "JUD", "LAB", "LEG",
           "MED", "MIL", "OPP", "PRM", "PTY", "REB", "REF", "REL", "SOC", "SPY", "UAF")


class HeadAsGet:
    """ASGI middleware: a ``HEAD`` request is answered as the ``GET`` of the same URL (status,
    headers), without the body (RFC 9110: every GET resource answers HEAD)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Any) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, without_body)


# -- store access --------------------------------------------------------------------------------

class StoreHost:
    """One in-memory DuckDB database per server process, to which each request attaches the
    store file read-only and detaches it when done: the same one-request lock as a
    connection per request, at a fraction of its cost (opening a DuckDB database costs about
    15 ms; attaching a file to an open one, about 3)."""

    def __init__(self) -> None:
        self._con = duckdb.connect(":memory:")
        self._lock = threading.Lock()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own (own temporary tables, own ``USE``)."""
        with self._lock:
            return self._con.cursor()


@contextmanager
def _attached(host: StoreHost, db: str, wait: float) -> Iterator[duckdb.DuckDBPyConnection]:
    if not os.path.exists(db):
        raise StoreError(f"no store at {db}: create one with 'kibaru ingest INPUT --db {db}'",
                         code="K402")
    alias = f"kibaru_store_{uuid.uuid4().hex}"
    deadline = time.monotonic() + wait
    while True:
        cur = host.cursor()
        try:
            cur.execute(f"ATTACH ? AS {alias} (READ_ONLY)", [db])
            cur.execute(f"USE {alias}")
            break
        except duckdb.Error as exc:
            cur.close()
            message = str(exc)
            if "lock" not in message.lower():
                raise StoreError(f"cannot open store {db}: {message.splitlines()[0]}",
                                 code="K402") from None
            if time.monotonic() >= deadline:
                mark_reader_waiting(db, waiting=False)
                raise StoreBusy(message.splitlines()[0]) from None
            mark_reader_waiting(db)  # an ingest lets a waiting reader in between documents
            time.sleep(0.05)
    mark_reader_waiting(db, waiting=False)
    try:
        yield cur
    finally:
        try:
            cur.execute("USE memory")
            cur.execute(f"DETACH {alias}")
        finally:
            cur.close()


@contextmanager
def open_store(config: ServeConfig, cache: queries.StoreCache | None = None,
               host: StoreHost | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The main store, read-only with the reviews loaded (and the copies of events to hide,
    from ``cache``), for one request; raises :class:`StoreBusy` while another process
    writes it. With ``host``, the file is attached to the host's database, else opened."""
    with ExitStack() as stack:
        if host is not None:
            con = stack.enter_context(_attached(host, config.db, config.lock_wait))
        else:
            try:
                con = connect(config.db, read_only=True, wait=config.lock_wait)
            except StoreError as exc:
                if exc.code == "K401":
                    raise StoreBusy(str(exc)) from None
                raise
            stack.callback(con.close)
        try:
            apply_migrations(con, path=config.db, now=utc_now(), read_only=True)
            if cache is not None:
                cache.prepare_reviews(con, wait=config.lock_wait)
                cache.prepare(con)
            else:
                prepare_reviews(con, config.db, wait=config.lock_wait)
                queries.prepare_hidden(con)
            yield con
        except StoreError as exc:
            if exc.code == "K401":
                raise StoreBusy(str(exc)) from None
            raise


def check_store(db: str) -> None:
    """Check that ``db`` is a Kibaru store this server can read, before serving it: raises
    :class:`~kibaru.errors.StoreError` saying what is wrong (missing, a directory, not a
    DuckDB file, not a Kibaru store, an older schema). A store locked by an ingest passes:
    pages answer 503 until the ingest ends."""
    if os.path.isdir(db):
        raise StoreError(f"{db} is a directory, not a Kibaru store: give the store file "
                         "(e.g. kibaru.duckdb)", code="K402")
    if not os.path.exists(db):
        raise StoreError(f"no store at {db}: create one with 'kibaru ingest INPUT --db {db}'",
                         code="K402")
    if os.path.getsize(db) == 0:
        raise StoreError(f"{db} is an empty file, not a Kibaru store: create one with "
                         f"'kibaru ingest INPUT --db {db}'", code="K402")
    try:
        with open_store(ServeConfig(db=db, lock_wait=0.2)) as con:
            con.execute("SELECT count(*) FROM latest_documents").fetchone()
    except StoreBusy:
        return
    except duckdb.Error as exc:
        raise StoreError(f"{db} is not a Kibaru store: {str(exc).splitlines()[0]}",
                         code="K402") from None


# -- request models --------------------------------------------------------------------------

class ReviewIn(BaseModel):
    """A review of one event: ``confirm``, ``reject``, or ``correct`` with the corrected
    fields (only those given change; ``mode`` may be set to null with ``clear_mode``; a new
    ``type`` without a ``mode`` clears the mode, since modes belong to a type)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["confirm", "reject", "correct"]
    reviewer: str = Field(min_length=1, max_length=80, pattern=r"\S")
    note: str | None = Field(default=None, max_length=2000)
    type: str | None = Field(default=None, pattern=r"^[A-Za-z_]{3,30}$")
    mode: str | None = Field(default=None, pattern=_TOKEN)
    clear_mode: bool = False
    actor: str | None = Field(default=None, pattern=_CODE)
    actor_sector: str | None = Field(default=None, pattern=_CODE,
                                     description="PLOVER sector code (MIL, GOV, CVL...)")
    recipient: str | None = Field(default=None, pattern=_CODE)
    recipient_sector: str | None = Field(default=None, pattern=_CODE,
                                         description="PLOVER sector code (MIL, GOV, CVL...)")
    place: str | None = Field(default=None, min_length=1, max_length=200)
    place_country: str | None = Field(default=None, pattern=_CODE)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    date: str | None = Field(default=None, pattern=_DAY)


class ReviewOut(BaseModel):
    """A stored review."""

    review_pk: int
    event_id: str
    action: str
    patch: dict[str, Any]
    note: str | None
    reviewer: str
    created_at: str
    verified: bool = Field(description="False when the store was busy (an ingest was "
                           "writing it) and the event could not be looked up")


def _country_label(code: str) -> str | None:
    from ..export.english import INTERNATIONAL, country_name

    return country_name(code) or INTERNATIONAL.get(code, "").removeprefix("the ") or None


#: The correction fields of :class:`ReviewIn`.
CORRECTION_FIELDS = ("type", "mode", "clear_mode", "actor", "actor_sector", "recipient",
                     "recipient_sector", "place", "place_country", "lat", "lon", "date")


def _given_corrections(body: ReviewIn) -> list[str]:
    return [f for f in CORRECTION_FIELDS if getattr(body, f) not in (None, False)]


def _resolve_place(name: str, context: list[str]) -> Any:
    """The GeoNames place ``name`` names, ranked by the ``context`` countries as the
    pipeline does (:meth:`kibaru.resolve.build._Resolver.place`), else None."""
    from ..resolve.build import default_region
    from ..resolve.places import get_gazetteer

    gaz = get_gazetteer()
    if context:
        return gaz.resolve(name, country_context=context)
    region = default_region()
    hit = gaz.resolve(name, country_context=region)
    return hit if hit is not None and hit.country in region else gaz.resolve(name)


def review_patch(body: ReviewIn, event: dict[str, Any] | None = None,
                 countries: list[str] | None = None) -> dict[str, Any]:
    """The :data:`~kibaru.store.reviews.PATCHABLE` columns a correction sets. ``event`` is
    the event (:func:`~kibaru.serve.queries.event_detail`; None while the store is busy) and
    ``countries`` those its document names: the context a place name is looked up in.

    Raises :class:`~kibaru.errors.UsageError` ``K322`` for an unknown type or a bad date,
    :class:`ReviewRefused` for a place the gazetteer does not know (without lat and lon), a
    date after the document's publication or an unknown sector."""
    patch: dict[str, Any] = {}
    if body.type is not None:
        etype = body.type.upper()
        known = {t for q in queries.quad_classes() for t in q["types"]}
        if etype not in known:
            raise UsageError(f"type {body.type!r} is not a PLOVER 2.0 type: use one of "
                             f"{', '.join(sorted(known))}", code="K322")
        patch["type"] = etype
    if body.clear_mode:
        patch["mode"] = None
    elif body.mode is not None:
        patch["mode"] = body.mode
    elif "type" in patch:
        patch["mode"] = None  # modes belong to a type: a new type without a mode has none
    for side, code, sector in (("actor", body.actor, body.actor_sector),
                               ("recipient", body.recipient, body.recipient_sector)):
        if sector is not None and sector.upper() not in SECTORS:
            raise ReviewRefused(f"{side}_sector {sector!r} is not a PLOVER sector: use one of "
                                f"{', '.join(SECTORS)}", code="K322")
        if code is not None:
            patch[f"{side}_country"] = code.upper()
            patch[f"{side}_name"] = _country_label(code.upper())
            # a new party without a sector: unknown, not the old party's sector
            patch[f"{side}_sector"] = sector.upper() if sector else None
        elif sector is not None:
            patch[f"{side}_sector"] = sector.upper()
    if body.place is not None:
        name = body.place.strip()
        given_country = body.place_country.upper() if body.place_country else None
        context: list[str] = []
        for code in ([given_country] if given_country else []) + [
                (event or {}).get("location_country"), patch.get("actor_country"),
                patch.get("recipient_country"), (event or {}).get("actor_country"),
                (event or {}).get("recipient_country"), *(countries or [])]:
            if code and len(code) == 3 and code not in context:
                context.append(code)
        hit = _resolve_place(name, context)
        if given_country and hit is not None and hit.country != given_country:
            hit = None  # the analyst's country wins over a namesake abroad
        explicit = body.lat is not None and body.lon is not None
        if hit is None and not explicit:
            raise ReviewRefused(f"place {name!r} not found in the gazetteer: give lat and lon",
                                code="K323")
        if (body.lat is None) != (body.lon is None):
            raise ReviewRefused("give both lat and lon, or neither", code="K322")
        patch["location_name"] = name
        patch["geonames_id"] = hit.geonames_id if hit is not None else None
        patch["location_country"] = hit.country if hit is not None else given_country
        patch["lat"] = body.lat if explicit else hit.lat
        patch["lon"] = body.lon if explicit else hit.lon
    elif body.lat is not None or body.lon is not None:
        raise UsageError("lat/lon correct a place: give place with them", code="K322")
    if body.date is not None:
        parse_date("date", body.date)
        published = str((event or {}).get("published") or "")[:10]
        if published and body.date > published:
            raise ReviewRefused(f"date {body.date} is after the document's publication "
                                f"({published}): an event is never dated after its report",
                                code="K324")
        patch["date_value"] = body.date
        patch["date_precision"] = "day"
    return patch


# -- the app ---------------------------------------------------------------------------------

def _event_kinds() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The PLOVER types and the Kibaru categories the ``type`` filter accepts."""
    from ..export.english import CATEGORIES

    types = tuple(sorted({t for q in queries.quad_classes() for t in q["types"]}))
    return types, tuple(sorted(CATEGORIES))


def _package_dir(name: str) -> str:
    return str(resources.files("kibaru.serve").joinpath(name))


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api")


def create_app(config: ServeConfig) -> FastAPI:
    """The application serving the store ``config.db`` (see the module docstring)."""
    app = FastAPI(title="Kibaru", version=__version__,
                  description="Browse, map and review the events of a Kibaru store. Filters "
                  "are those of `kibaru events`; writes need the server's token when it has "
                  "one (header `X-Kibaru-Token`).",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    templates = Jinja2Templates(directory=_package_dir("templates"))
    templates.env.globals.update(
        version=__version__, token_required=config.token is not None,
        quads=queries.quad_classes(), plover_types=[t for q in queries.quad_classes()
                                                    for t in q["types"]],
        statuses=("reported", "claimed", "denied", "planned", "hypothetical", "negated"),
        sectors=SECTORS,
        urlencode=lambda params: urlencode(params, doseq=True))
    app.mount("/static", StaticFiles(directory=_package_dir("static")), name="static")
    if config.allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(config.allowed_hosts))
    app.add_middleware(HeadAsGet)
    reviews = ReviewStore(config.db)
    cache = queries.StoreCache(config.db)
    host = StoreHost()

    def store() -> Any:
        return open_store(config, cache, host)

    def page(request: Request, name: str, context: dict[str, Any],
             status_code: int = 200) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response
        refused = (write_refusal(request)
                   if request.method not in ("GET", "HEAD", "OPTIONS") else None)
        if refused is not None:  # before the body is read: a bad body is not news to a guest
            response = error(request, refused.status_code, str(refused.detail), None,
                             headers=dict(refused.headers) if refused.headers else None)
        else:
            response = await call_next(request)
        for key, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if request.url.path.startswith("/api") or request.method != "GET":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def error(request: Request, status: int, message: str, code: str | None = None,
              headers: dict[str, str] | None = None) -> Response:
        response: Response
        if _wants_json(request):
            response = JSONResponse({"error": message, "code": code}, status_code=status)
        else:
            response = page(request, "error.html", {"status": status, "message": message,
                                                    "code": code}, status_code=status)
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, exc: StoreBusy) -> Response:
        return error(request, 503, "The store is being written by another process (an "
                     f"ingest or a reprocess). Try again in {RETRY_AFTER} seconds.", "K401",
                     headers={"Retry-After": str(RETRY_AFTER)})

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        if exc.code == "K401":  # a lock: busy, not broken
            return await busy(request, StoreBusy(str(exc)))
        # anything else will not pass by waiting: say what is wrong, no Retry-After
        return error(request, 503, f"The store cannot be read: {exc.args[0]}", exc.code)

    @app.exception_handler(duckdb.Error)
    async def duckdb_error(request: Request, exc: duckdb.Error) -> Response:
        return error(request, 503, "The store cannot be read: "
                     f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", "K402")

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        status = 422 if isinstance(exc, ReviewRefused) else 400
        return error(request, status, str(exc.args[0]), exc.code)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: "
                             f"{e['msg']}" for e in exc.errors())
        if _wants_json(request):
            return JSONResponse({"error": problems, "code": "K300",
                                 "detail": jsonable(exc.errors())}, status_code=422)
        return error(request, 400, problems, "K300")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail), None,
                     headers=dict(exc.headers) if exc.headers else None)

    # -- dependencies --------------------------------------------------------------------------

    def event_query(
        country: Annotated[str | None, Query(
            pattern=_or_empty(_CODE),
            description="Actor or recipient country (ISO 3166-1 alpha-3 or UNO, EUR...)")]
        = None,
        dyad: Annotated[str | None, Query(pattern=_or_empty(_DYAD), description="RUS-MLI: either "
                                          "direction")] = None,
        type: Annotated[list[str], Query(max_length=20, description="PLOVER type or category"
                                         )] = [],  # noqa: B006 (FastAPI copies defaults)
        mode: Annotated[str | None, Query(pattern=_or_empty(_TOKEN))] = None,
        acled: Annotated[str | None, Query(max_length=80, description="ACLED event type or "
                                           "sub-event type")] = None,
        status: Annotated[list[str], Query(max_length=6)] = [],  # noqa: B006
        review: Annotated[Literal["", "all", "unreviewed", "confirm", "reject", "correct"],
                          Query(description="'' hides rejected events, as the exports do")]
        = "",
        since: Annotated[str | None, Query(pattern=_or_empty(_DAY))] = None,
        until: Annotated[str | None, Query(pattern=_or_empty(_DAY))] = None,
        q: Annotated[str | None, Query(max_length=200, description="Free text")] = None,
        bbox: Annotated[str | None, Query(
            pattern=r"^(-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3})?$",
            description="west,south,east,north in degrees")] = None,
        sort: Annotated[Literal[tuple(queries.SORTS)], Query()] = "date",  # type: ignore[valid-type]
        order: Annotated[Literal["asc", "desc"], Query()] = "desc",
        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
        per_page: Annotated[int, Query(ge=1, le=500)] = 50,
    ) -> EventQuery:
        types = [t for value in type for t in value.split(",") if t.strip()]
        statuses = [s for value in status for s in value.split(",") if s.strip()]
        known_types, categories = _event_kinds()
        for value in types:
            if not re.fullmatch(r"[A-Za-z_]{3,30}", value.strip()):
                raise UsageError(f"type {value!r}: give a PLOVER type such as AID",
                                 code="K310")
            if value.strip().upper() not in known_types and \
                    value.strip().lower() not in categories:
                raise UsageError(f"type {value.strip()!r}: use a PLOVER type "
                                 f"({', '.join(known_types)}) or a category "
                                 f"({', '.join(categories)})", code="K310")
        for value in statuses:
            if value.strip().lower() not in ("reported", "claimed", "denied", "planned",
                                             "hypothetical", "negated"):
                raise UsageError(f"status {value!r}: use reported, claimed, denied, planned, "
                                 "hypothetical or negated", code="K310")
        box = None
        if bbox:
            west, south, east, north = (float(v) for v in bbox.split(","))
            if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
                raise UsageError("bbox: give west,south,east,north with west <= east and "
                                 "south <= north, in degrees", code="K321")
            box = (west, south, east, north)
        parse_date("since", since or None)
        parse_date("until", until or None)
        return EventQuery(country=country or None, dyad=dyad or None,
                          type=[t.strip() for t in types], mode=mode or None,
                          acled=(acled or "").strip() or None,
                          status=[s.strip().lower() for s in statuses], review=review,
                          since=since or None, until=until or None,
                          q=(q or "").strip() or None,
                          bbox=box, sort=sort, order=order, page=page, per_page=per_page)

    Filters = Annotated[EventQuery, Depends(event_query)]

    def write_refusal(request: Request) -> HTTPException | None:
        """Why a write is refused (another site, no token, a wrong token), else None."""
        origin = request.headers.get("origin")
        if origin and origin != "null":
            host = request.headers.get("host", "")
            if urlsplit(origin).netloc != host:
                return HTTPException(403, "writes from another site are refused")
        if request.headers.get("sec-fetch-site") == "cross-site":
            return HTTPException(403, "writes from another site are refused")
        if config.token is None:
            return None
        given = request.headers.get("x-kibaru-token") or ""
        auth = request.headers.get("authorization") or ""
        if not given and auth.lower().startswith("bearer "):
            given = auth[7:].strip()
        if not given:
            return HTTPException(401, "this server needs its token for writes: enter the "
                                 "server's token (X-Kibaru-Token header)",
                                 headers={"WWW-Authenticate": "Bearer"})
        if not hmac.compare_digest(given.encode(), config.token.encode()):
            return HTTPException(401, "wrong token: enter the server's token (the one "
                                 "kibaru serve was started with)",
                                 headers={"WWW-Authenticate": "Bearer"})
        return None

    def require_write(request: Request) -> None:
        refused = write_refusal(request)
        if refused is not None:
            raise refused

    # -- JSON API ------------------------------------------------------------------------------

    @app.get("/api/health", tags=["api"])
    def api_health() -> Any:
        """The server's version and whether the store can be read now."""
        try:
            with store() as con:
                row = con.execute("SELECT count(*) FROM latest_documents").fetchone()
            return {"version": __version__, "store": "ok", "documents": row[0] if row else 0}
        except StoreBusy:
            return {"version": __version__, "store": "busy", "documents": None}
        except (StoreError, duckdb.Error) as exc:
            message = str(exc.args[0]) if exc.args else type(exc).__name__
            return JSONResponse({"version": __version__, "store": "error", "documents": None,
                                 "error": message}, status_code=503)

    @app.get("/api/events", tags=["api"])
    def api_events(query: Filters) -> dict[str, Any]:
        """One page of events matching the filters (reviews applied), and their total; 404
        past the last page."""
        with store() as con:
            rows, total = queries.search_events(con, query, cache)
        last = max(1, -(-total // query.per_page))
        if query.page > last:
            raise HTTPException(404, f"page {query.page} is past the last page ({last}) of "
                                f"{total} event(s) at {query.per_page} per page")
        return {"total": total, "page": query.page, "per_page": query.per_page,
                "events": rows}

    @app.get("/api/events.csv", tags=["api"], response_class=PlainTextResponse,
             responses={200: {"content": {"text/csv": {}}}})
    def api_events_csv(query: Filters) -> Response:
        """Every event matching the filters (no paging) as CSV, in the table's order."""
        stack = ExitStack()
        con = stack.enter_context(store())
        try:
            rows = queries.iter_search(con, query)
        except BaseException:
            stack.close()
            raise

        def lines() -> Iterator[str]:
            with stack:
                out = io.StringIO()
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(EVENT_FIELDS)
                for n, row in enumerate(rows, 1):
                    writer.writerow([csv_cell(v) for v in row])
                    if n % 2000 == 0:
                        yield out.getvalue()
                        out.seek(0)
                        out.truncate()
                yield out.getvalue()

        return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": 'attachment; filename="kibaru-events.csv"'})

    def _event(event_id: str) -> dict[str, Any]:
        with store() as con:
            item = queries.event_detail(con, event_id)
        if item is None:
            raise HTTPException(404, f"no event {event_id}")
        item["reviews"] = [r.to_dict() for r in reviews.history(event_id)]
        return item

    @app.get("/api/events/{event_id}", tags=["api"])
    def api_event(event_id: Annotated[str, _path_id()]) -> dict[str, Any]:
        """One event: its columns, the CONTRACT object (``event``, reviewed; ``original``,
        as extracted) and its review history."""
        return _event(event_id)

    @app.post("/api/events/{event_id}/review", tags=["api"], status_code=201,
              dependencies=[Depends(require_write)], response_model=ReviewOut)
    def api_review(event_id: Annotated[str, _path_id()], body: ReviewIn) -> ReviewOut:
        """Confirm, reject or correct an event. The review is stored with its time and
        reviewer in the reviews file and honoured by the pages, ``kibaru events`` and
        ``kibaru export``. While an ingest holds the store the review is still stored
        (``verified`` false): it is keyed by the event id."""
        given = _given_corrections(body)
        if body.action != "correct" and given:
            raise ReviewRefused(f"fields given with action {body.action} "
                                f"({', '.join(given)}): choose correct", code="K322")
        if body.action == "correct" and not given:
            raise UsageError("a correction needs at least one corrected field", code="K322")
        found: dict[str, Any] | None
        countries: list[str] = []
        try:
            with store() as con:
                found = queries.event_detail(con, event_id)
                if found is not None and body.place is not None:
                    countries = queries.document_countries(con, int(found["document_pk"]))
            if found is None:
                raise HTTPException(404, f"no event {event_id}")
            verified = True
        except StoreBusy:
            found, verified = None, False
        patch = review_patch(body, found, countries) if body.action == "correct" else {}
        if body.action == "correct" and not patch:
            raise UsageError("a correction needs at least one corrected field", code="K322")
        stored = reviews.add(
            event_id=event_id, action=body.action, reviewer=body.reviewer, patch=patch,
            note=body.note, source_key=found["source_key"] if found else None,
            content_hash=found["content_hash"] if found else None,
            trigger_start=found["trigger_start"] if found else None,
            trigger_end=found["trigger_end"] if found else None,
            extracted_type=found["original"].get("type") if found else None,
            original=found["original"] if found else None)
        cache.reviews_changed()
        data = stored.to_dict()
        return ReviewOut(**{k: data[k] for k in ("review_pk", "event_id", "action", "patch",
                                                 "note", "reviewer", "created_at")},
                         verified=verified)

    @app.get("/api/reviews", tags=["api"])
    def api_reviews() -> dict[str, Any]:
        """The current review of every reviewed event, newest last."""
        current = [r.to_dict() for r in reviews.current()]
        return {"total": len(current), "reviews": current}

    @app.get("/api/documents/{document_pk}", tags=["api"])
    def api_document(document_pk: Annotated[int, _path_pk()]) -> dict[str, Any]:
        """One stored document: cleaned text, removed boilerplate, events (reviewed) and the
        highlight segments of its text."""
        with store() as con:
            doc = queries.article(con, document_pk)
        if doc is None:
            raise HTTPException(404, f"no document {document_pk}")
        return doc

    @app.get("/api/dyads/{dyad}", tags=["api"])
    def api_dyad(dyad: Annotated[str, _path_dyad()],
                 since: Annotated[str | None, Query(pattern=_DAY)] = None,
                 until: Annotated[str | None, Query(pattern=_DAY)] = None) -> dict[str, Any]:
        """Monthly events by quad class, quantities with running totals, and the events
        between two parties (either direction)."""
        with store() as con:
            return queries.dyad_summary(con, dyad, since=since, until=until)

    @app.get("/api/map", tags=["api"])
    def api_map(query: Filters,
                zoom: Annotated[int, Query(ge=0, le=8)] = 0) -> dict[str, Any]:
        """Located events matching the filters, clustered on a grid that refines with
        ``zoom``."""
        with store() as con:
            clusters = queries.map_clusters(con, query, zoom=zoom)
        return {"zoom": zoom, "clusters": clusters}

    # -- pages ---------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/events", status_code=307)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=308)

    @app.get("/events", include_in_schema=False, response_class=HTMLResponse)
    def events_page(request: Request, query: Filters) -> Response:
        with store() as con:
            rows, total = queries.search_events(con, query, cache)
            pages = max(1, -(-total // query.per_page))
            if query.page > pages:  # past the end: show the last page
                query = dataclasses.replace(query, page=pages)
                rows, total = queries.search_events(con, query, cache)
        return page(request, "events.html", {"rows": rows, "total": total, "query": query,
                                             "pages": pages, "sorts": queries.SORTS})

    @app.get("/events/{event_id}", include_in_schema=False, response_class=HTMLResponse)
    def event_page(request: Request, event_id: Annotated[str, _path_id()]) -> Response:
        item = _event(event_id)
        return page(request, "event.html", {"e": item, "reviewer": config.reviewer})

    @app.get("/documents/{document_pk}", include_in_schema=False,
             response_class=HTMLResponse)
    def article_page(request: Request, document_pk: Annotated[int, _path_pk()]) -> Response:
        with store() as con:
            doc = queries.article(con, document_pk)
        if doc is None:
            raise HTTPException(404, f"no document {document_pk}")
        return page(request, "article.html", {"doc": doc})

    @app.get("/dyads/{dyad}", include_in_schema=False, response_class=HTMLResponse)
    def dyad_page(request: Request, dyad: Annotated[str, _path_dyad()]) -> Response:
        with store() as con:
            summary = queries.dyad_summary(con, dyad)
        return page(request, "dyad.html", {"d": summary, "chart": timeline_chart(summary)})

    @app.get("/dyads", include_in_schema=False, response_class=HTMLResponse)
    def dyads_page(request: Request) -> Response:
        with store() as con:
            rows = con.execute(
                "SELECT least(actor_country, recipient_country), "
                "greatest(actor_country, recipient_country), count(*) "
                f"FROM ({queries.reviewed_events()}) e WHERE actor_country IS NOT NULL AND "
                "recipient_country IS NOT NULL AND actor_country <> recipient_country "
                "AND review_status IS DISTINCT FROM 'reject' GROUP BY ALL "
                "ORDER BY 3 DESC, 1, 2 LIMIT 200").fetchall()
        return page(request, "dyads.html", {"dyads": rows})

    @app.get("/map", include_in_schema=False, response_class=HTMLResponse)
    def map_page(request: Request, query: Filters) -> Response:
        return page(request, "map.html", {"query": query})

    @app.get("/reviews", include_in_schema=False, response_class=HTMLResponse)
    def reviews_page(request: Request) -> Response:
        return page(request, "reviews.html", {"reviews": list(reversed(reviews.current()))})

    return app


def _path_id() -> Any:
    from fastapi import Path

    return Path(pattern=_EVENT_ID, description="16 hex digits (CONTRACT event id)")


def _path_pk() -> Any:
    from fastapi import Path

    return Path(ge=1, le=2**62)


def _path_dyad() -> Any:
    from fastapi import Path

    return Path(pattern=_DYAD, description="two codes, e.g. RUS-MLI")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell: None as empty, text a spreadsheet would run as a formula
    defused (:func:`kibaru.export.writers.csv_safe`, as in the CLI's CSV exports)."""
    return "" if value is None else csv_safe(value)


def jsonable(value: Any) -> Any:
    """``value`` with what JSON cannot hold (exceptions in validation errors) as text."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def timeline_chart(summary: dict[str, Any], *, width: int = 720, height: int = 180
                   ) -> dict[str, Any]:
    """Stacked monthly bars of a dyad (:func:`~kibaru.serve.queries.dyad_summary`) as SVG
    rectangles: ``bars`` (x, y, w, h, quad key, month, count), ``labels`` and the size."""
    months = summary["months"]
    if not months:
        return {"bars": [], "labels": [], "width": width, "height": height, "peak": 0}
    first, last = months[0]["month"], months[-1]["month"]
    y0, m0 = (int(v) for v in first.split("-"))
    y1, m1 = (int(v) for v in last.split("-"))
    span = (y1 - y0) * 12 + (m1 - m0) + 1
    peak = max(m["total"] for m in months)
    slot = width / span
    bars, labels = [], []
    for m in months:
        y, mo = (int(v) for v in m["month"].split("-"))
        i = (y - y0) * 12 + (mo - m0)
        top = height
        for key, n in m["counts"].items():
            if not n:
                continue
            h = (height - 20) * n / peak
            top -= h
            bars.append({"x": round(i * slot + 1, 1), "y": round(top, 1),
                         "w": round(max(slot - 2, 1), 1), "h": round(h, 1), "quad": key,
                         "month": m["month"], "n": n})
        labels.append({"x": round(i * slot + slot / 2, 1), "text": m["month"]})
    return {"bars": bars, "labels": labels, "width": width, "height": height, "peak": peak}


#: Host names a server bound to a loopback address answers to.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


@contextmanager
def serving(config: ServeConfig, *, startup: float = 20.0) -> Iterator[str]:
    """Run the app with uvicorn in a daemon thread of this process on a free loopback port
    (tests, benchmarks); yields its base URL (``http://127.0.0.1:PORT``) and stops the server
    on exit. Raises ``RuntimeError`` when it has not started within ``startup`` seconds."""
    import socket

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(config), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup
        while not server.started:
            if time.monotonic() >= deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def serve(config: ServeConfig, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the server with uvicorn until interrupted. On a loopback address only loopback
    ``Host`` names are answered (unless ``config.allowed_hosts`` says otherwise)."""
    import dataclasses
    import ipaddress

    import uvicorn

    try:
        loopback = host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if loopback and config.allowed_hosts is None:
        config = dataclasses.replace(config, allowed_hosts=(*LOOPBACK_HOSTS, host))

    uvicorn.run(create_app(config), host=host, port=port, log_level="info",
                proxy_headers=False, server_header=False)
