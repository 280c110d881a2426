"""The JSON endpoints: the same engine and parameters as the page, answered as data.

Errors are ``{"error": {"code", "message", "param"}}`` (see ``errors.py``);
responses carry an ETag derived from the index generation and the request,
so a client or proxy revalidates for free until a new build lands.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from search.engine import NoIndex
from search.request import parse_request

from .errors import error_response
from .extensions import get_engine
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api")

SUGGEST_LIMIT = 8
# Results may change with every build: clients revalidate after a minute.
CACHE_CONTROL = "public, max-age=60"


def _etag() -> str:
    """A tag for this request against this index generation (computed once a request)."""
    if "kiosque_etag" not in g:
        engine = get_engine()
        generation = engine.location.live_name() or "none"
        # « hier » means another day tomorrow: the day is part of the answer.
        today = engine.understanding.today().isoformat()
        key = f"{generation}|{today}|{request.path}|{sorted(request.args.items(multi=True))}"
        g.kiosque_etag = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    etag: str = g.kiosque_etag
    return etag


def _cached(data: Any) -> Response:
    response = jsonify(data)
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


@bp.before_request
def _not_modified() -> Response | None:
    """Answer 304 before any work when the client already has this answer."""
    if request.method == "GET" and request.endpoint not in ("api.health", "api.openapi"):
        try:
            etag = _etag()
        except NoIndex:
            return None
        if etag in request.if_none_match:
            response = Response(status=304)
            response.set_etag(etag)
            response.headers["Cache-Control"] = CACHE_CONTROL
            return response
    return None


@bp.after_request
def _headers(response: Response) -> Response:
    """ETag on successful reads, and CORS for GET from the configured origins."""
    if response.status_code == 200 and request.endpoint not in ("api.health",) and not response.get_etag()[0]:
        try:
            response.set_etag(_etag())
        except NoIndex:
            pass
    origins = current_app.config["CORS_ORIGINS"]
    origin = request.headers.get("Origin")
    if origins == "*" or origins == ["*"]:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin and origin in (origins if isinstance(origins, (list, tuple)) else [origins]):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "If-None-Match"
    response.headers["Access-Control-Expose-Headers"] = "ETag"
    return response


@bp.get("/search")
def search() -> ResponseReturnValue:
    """The search: the page's parameters (q, tag, category, author, from, to, sort, page, per_page, understand…)."""
    search_request = parse_request(request.args.to_dict(flat=False))
    return _cached(get_engine().search(search_request).to_dict())


@bp.get("/articles/<path:article_id>")
def article(article_id: str) -> ResponseReturnValue:
    """A whole article, with its related articles."""
    view = get_engine().article(article_id)
    if view is None:
        return error_response(404, "not_found", f"no article with id {article_id!r}", "id")
    return _cached(view.to_dict())


@bp.get("/suggest")
def suggest() -> ResponseReturnValue:
    """Autocomplete: completions of ``q`` (``format=opensearch`` for browsers)."""
    prefix = request.args.get("q", "")
    completions = get_engine().complete(prefix, limit=SUGGEST_LIMIT) if prefix.strip() else []
    if request.args.get("format") == "opensearch":
        return _cached([prefix, completions])
    return _cached({"query": prefix, "completions": completions})


@bp.get("/health")
def health() -> ResponseReturnValue:
    """Whether the index is there, how big, and when it was built (503 when there is none)."""
    engine = get_engine()
    try:
        stats = engine.stats()
    except NoIndex as error:
        return jsonify({"status": "unavailable", "error": str(error)}), 503
    response = jsonify(
        {
            "status": "ok",
            "articles": stats["articles"],
            "generation": stats.get("generation"),
            "built_at": stats.get("built_at"),
            "build_seconds": stats.get("seconds"),
            "last_run": stats.get("kind"),
            "failed": stats.get("failed", 0),
            # This worker's cache of search responses since it started.
            "cache": engine.cache.stats().to_dict(),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI 3.1 description of these endpoints."""
    return _cached(openapi_document(request.host_url.rstrip("/")))
