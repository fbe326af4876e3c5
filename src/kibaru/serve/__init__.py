"""Serve stage: the browser view for analysts (``kibaru serve``).

It comes after the store and the exports, which it only reads; its one write is a review, kept
in the reviews file next to the store (:mod:`kibaru.store.reviews`).

- :func:`create_app` (:mod:`kibaru.serve.app`): the FastAPI application: pages (events table,
  article with highlights, dyad timeline, map, review) and the JSON API under ``/api``;
- :mod:`kibaru.serve.queries`: the queries both share;
- :func:`serve`: run it with uvicorn; :func:`serving`: the same in a thread (tests,
  benchmarks).

Every asset (templates, CSS, JavaScript, the world map) ships in this package: the view works
offline, with no CDN and no tile server.
"""

from __future__ import annotations

from .app import CSP, ServeConfig, StoreBusy, create_app, serve, serving

__all__ = ["CSP", "ServeConfig", "StoreBusy", "create_app", "serve", "serving"]
