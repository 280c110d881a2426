"""The JSON endpoints: the same engine as the page, answered as data."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from .extensions import get_engine

bp = Blueprint("api", __name__, url_prefix="/api")

SUGGEST_LIMIT = 8


@bp.get("/suggest")
def suggest() -> ResponseReturnValue:
    """Autocomplete: completions of ``q`` (``format=opensearch`` for browsers)."""
    prefix = request.args.get("q", "")
    completions = get_engine().complete(prefix, limit=SUGGEST_LIMIT) if prefix.strip() else []
    if request.args.get("format") == "opensearch":
        return jsonify([prefix, completions])
    data: dict[str, Any] = {"query": prefix, "completions": completions}
    return data
