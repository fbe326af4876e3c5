"""Browser-view commands of the CLI (``kibaru serve``, ``kibaru reviews``): a thin shell over
:mod:`kibaru.serve` and :mod:`kibaru.store.reviews`, added to the Typer app of
:mod:`kibaru.cli` by :func:`register`.

Exit status: 0 on success, 1 when the store or the reviews file cannot be used, 2 for bad
usage (binding a non-loopback address without a token, a bad port).
"""

from __future__ import annotations

import ipaddress
import json
import os
from typing import Annotated, Any

import typer

from .errors import KibaruError
from .store import DEFAULT_DB

__all__ = ["register", "serve_command", "reviews_export_command", "reviews_list_command",
           "is_loopback", "bind_problem", "server_url"]

DbOption = Annotated[str, typer.Option(
    "--db", envvar="KIBARU_DB", metavar="FILE", help="The DuckDB store to read.")]


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_url(host: str, port: int) -> str:
    """The URL of a server bound to ``host``: IPv6 addresses in brackets
    (``http://[::1]:8000/``)."""
    bare = host.strip("[]")
    return f"http://[{bare}]:{port}/" if ":" in bare else f"http://{host}:{port}/"


def bind_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host``:``port`` (a name that does not resolve,
    a port in use, no permission), or None when it can: checked by binding a socket the way
    uvicorn will, then closing it."""
    import errno
    import socket

    bare = host.strip("[]")
    try:
        infos = socket.getaddrinfo(bare, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot bind --host {host}: the name does not resolve ({exc})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use; choose another with --port"
            if exc.errno == errno.EACCES:
                return (f"port {port} on {host} needs privileges; choose one above 1023 "
                        "with --port")
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"cannot bind --host {host}: no such address on this machine"
            return f"cannot listen on {host} port {port}: {exc.strerror or exc}"
    return None


def serve_command(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to bind; anything but a "
                                      "loopback address needs --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="KIBARU_TOKEN", help="Secret every write (review) must send in the "
        "X-Kibaru-Token header; required to bind a non-loopback address.",
        show_default=False)] = None,
    reviewer: Annotated[str, typer.Option(
        "--reviewer", help="Default reviewer name in the review form.")] = "",
) -> None:
    """Browse, map and review the events of a store in a web browser.

    Pages: events table with filters and CSV download, articles with their events
    highlighted, dyad timelines, a map, and review (confirm, reject, correct). The JSON API
    is under /api (schema: /api/openapi.json). The store is opened read-only for each
    request, so `kibaru ingest` can run beside it; reviews go to FILE's .reviews.duckdb.

    [bold]Examples[/bold]

      kibaru serve --db kibaru.duckdb

      KIBARU_TOKEN=s3cret kibaru serve --db kibaru.duckdb --host 0.0.0.0 --port 8080
    """
    from .serve import ServeConfig, serve
    from .serve.app import check_store

    if token is not None and len(token) < 8:
        typer.echo("kibaru: error: --token must have at least 8 characters", err=True)
        raise typer.Exit(2)
    if not is_loopback(host) and not token:
        typer.echo(f"kibaru: error: binding {host} makes the server reachable from other "
                   "machines: give a token with --token or KIBARU_TOKEN (every write needs "
                   "it), or bind 127.0.0.1", err=True)
        raise typer.Exit(2)
    try:
        check_store(db)
    except KibaruError as exc:
        typer.echo(f"kibaru: error: {exc.args[0] if exc.args else exc}", err=True)
        raise typer.Exit(1) from None
    problem = bind_problem(host, port)
    if problem:
        typer.echo(f"kibaru: error: {problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"kibaru: serving {db} on {server_url(host, port)} "
               f"(writes {'need the token' if token else 'open to this machine'})", err=True)
    serve(ServeConfig(db=db, token=token, reviewer=reviewer or os.environ.get("USER", "")),
          host=host.strip("[]"), port=port)


def reviews_export_command(
    out: Annotated[str, typer.Argument(metavar="OUT", help="JSONL file to write (- for "
                                       "stdout).", show_default=False)],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write the reviewed events as JSONL training data, one object per event.

    Each line: the event as extracted, its label after review (null for a rejected event),
    the action, reviewer and time, and the anchor (event id, document source key and content
    hash, trigger span, extracted type).

    [bold]Examples[/bold]

      kibaru reviews export reviews.jsonl --db kibaru.duckdb
    """
    from .export.writers import text_output
    from .store.reviews import ReviewStore

    try:
        records = list(ReviewStore(db).training_records(lookup=_store_lookup(db)))
        with text_output(out, newline="\n") as fh:  # atomic; K315 when it cannot be written
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
    except KibaruError as exc:
        typer.echo(f"kibaru: error: {exc}", err=True)
        raise typer.Exit(1) from None
    if out != "-":
        typer.echo(f"kibaru: wrote {len(records)} review(s) to {out}", err=True)


def _store_lookup(db: str) -> Any:
    """``event_id`` → the event as extracted and its anchor, read from the store ``db`` (for
    reviews made while an ingest held it); None when there is no store."""
    if not os.path.exists(db):
        return None

    def lookup(event_id: str) -> dict[str, Any] | None:
        from .store.db import connect

        con = connect(db, read_only=True, wait=5.0)
        try:
            row = con.execute(
                "SELECT e.event_json, d.source_key, d.content_hash, e.trigger_start, "
                "e.trigger_end, e.type FROM events e JOIN documents d USING (document_pk) "
                "WHERE e.event_id = ? ORDER BY d.version DESC, e.document_pk LIMIT 1",
                [event_id]).fetchone()
        finally:
            con.close()
        if row is None:
            return None
        return {"original": json.loads(row[0]), "source_key": row[1], "content_hash": row[2],
                "trigger_start": row[3], "trigger_end": row[4], "extracted_type": row[5]}

    return lookup


def reviews_list_command(db: DbOption = DEFAULT_DB) -> None:
    """List the current review of each reviewed event.

    [bold]Examples[/bold]

      kibaru reviews list --db kibaru.duckdb
    """
    from .store.reviews import ReviewStore

    try:
        current = ReviewStore(db).current()
    except KibaruError as exc:
        typer.echo(f"kibaru: error: {exc}", err=True)
        raise typer.Exit(1) from None
    for r in current:
        changes = " ".join(f"{k}={v}" for k, v in r.patch.items())
        typer.echo(f"{r.created_at:%Y-%m-%d %H:%M:%S}  {r.event_id}  {r.action:<8} "
                   f"{r.reviewer}  {changes}".rstrip())
    typer.echo(f"{len(current)} reviewed event(s)", err=True)


def register(app: typer.Typer) -> None:
    """Add ``serve`` and the ``reviews`` group (``export``, ``list``) to ``app``."""
    app.command("serve")(serve_command)
    reviews = typer.Typer(help="Analysts' reviews made in kibaru serve.", no_args_is_help=True)
    reviews.command("export")(reviews_export_command)
    reviews.command("list")(reviews_list_command)
    app.add_typer(reviews, name="reviews")
