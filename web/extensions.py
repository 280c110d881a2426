"""Access to the per-process objects the factory sets up."""

from __future__ import annotations

from flask import current_app

from search.engine import Engine


def get_engine() -> Engine:
    """The application's search engine: one per process, its index kept open."""
    engine: Engine = current_app.extensions["kiosque.engine"]
    return engine
