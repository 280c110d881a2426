"""The OpenAPI 3.1 description of the JSON API, kept true by tests against real responses."""

from __future__ import annotations

from typing import Any

from search.request import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, SORTS

__all__ = ["openapi_document"]

_STRING_OR_NULL = {"type": ["string", "null"]}
_DATE_TIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}


def _param(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema, **extra}


_SEARCH_PARAMETERS = [
    _param(
        "q",
        'Query: words (all required), "phrases", -exclusion, OR/OU, AND/ET, NOT/SAUF, (), prefix*, '
        f"fields titre:, auteur:, tag:, rubrique:, date:. At most {MAX_QUERY_CHARS} characters (spaces around it "
        "aside): a longer query is a 400 error naming `q`. Unless `understand=0`, a date in words (« septembre "
        "2017 », « hier ») filters the period and words take their synonyms (ONU: « Nations unies »); a quoted "
        "word is searched as typed",
        {"type": "string", "maxLength": MAX_QUERY_CHARS},
    ),
    _param(
        "tag",
        "Only articles with this tag; repeat for several (all required)",
        {"type": "array", "items": {"type": "string"}},
        style="form",
        explode=True,
    ),
    _param("category", "Only this rubric", {"type": "string"}),
    _param("author", "Only this author", {"type": "string"}),
    _param("from", "Published on or after: YYYY, YYYY-MM or YYYY-MM-DD", {"type": "string"}),
    _param("to", "Published on or before: YYYY, YYYY-MM or YYYY-MM-DD", {"type": "string"}),
    _param("sort", "Order of the hits", {"type": "string", "enum": list(SORTS), "default": "relevance"}),
    _param("page", "Page number", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}),
    _param("per_page", "Hits a page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 10}),
    _param("recency", "0 to rank by relevance alone", {"type": "string", "enum": ["0", "1"], "default": "1"}),
    _param(
        "understand",
        "0 to search the words literally: no date read in them, no synonyms (see `understood` in the response)",
        {"type": "string", "enum": ["0", "1"], "default": "1"},
    ),
    _param(
        "correct",
        "0 to get no hits rather than those of the spelling suggestion when nothing matches",
        {"type": "string", "enum": ["0", "1"], "default": "1"},
    ),
]

_CACHE_COUNTS = ("hits", "misses", "entries", "bytes", "max_bytes")
_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "param"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "param": _STRING_OR_NULL},
            }
        },
    },
    "Hit": {
        "type": "object",
        "required": [
            "id",
            "title",
            "title_html",
            "url",
            "published",
            "category",
            "author",
            "tags",
            "snippet",
            "score",
            "all_words",
        ],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "title_html": {"type": "string", "description": "The title as safe HTML, matches in <mark>"},
            "url": {"type": "string"},
            "published": _DATE_TIME_OR_NULL,
            "category": {"type": "string"},
            "author": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "snippet": {"type": "string", "description": "Up to three fragments as safe HTML, matches in <mark>"},
            "score": {
                "type": ["number", "null"],
                "description": "Relevance among the hits holding as many of the words; null when sorted by date",
            },
            "all_words": {
                "type": "boolean",
                "description": "Whether the article holds every word of the query (those that do come first)",
            },
        },
    },
    "FacetValue": {
        "type": "object",
        "required": ["value", "count", "selected"],
        "additionalProperties": False,
        "properties": {
            "value": {"type": "string"},
            "count": {"type": "integer", "minimum": 0, "description": "Results a client gets by choosing it"},
            "selected": {"type": "boolean"},
        },
    },
    "TimelineBar": {
        "type": "object",
        "required": ["label", "from", "to", "count", "selected"],
        "properties": {
            "label": {"type": "string"},
            "from": {"type": "string", "format": "date"},
            "to": {"type": "string", "format": "date"},
            "count": {"type": "integer", "minimum": 0},
            "selected": {"type": "boolean"},
        },
    },
    "Understood": {
        "type": "object",
        "description": "What the query was understood to mean (nothing when `understand=0`)",
        "required": ["text", "period", "expansions"],
        "additionalProperties": False,
        "properties": {
            "text": {"type": "string", "description": "The words searched: the query without its date in words"},
            "period": {
                "type": ["object", "null"],
                "description": "A date written in the words, read as a period of publication",
                "required": ["words", "label", "from", "to", "applied"],
                "additionalProperties": False,
                "properties": {
                    "words": {"type": "string", "description": "The words it was read in, as typed"},
                    "label": {"type": "string", "description": "The period in French (« septembre 2017 »)"},
                    "from": {"type": ["string", "null"], "format": "date"},
                    "to": {"type": ["string", "null"], "format": "date"},
                    "applied": {
                        "type": "boolean",
                        "description": "False when `from`/`to` or a date: field gave the period: the explicit one wins",
                    },
                },
            },
            "expansions": {
                "type": "array",
                "description": "The words that took synonyms, and what each added (searched as phrases)",
                "items": {
                    "type": "object",
                    "required": ["word", "synonyms"],
                    "additionalProperties": False,
                    "properties": {
                        "word": {"type": "string", "description": "As typed"},
                        "synonyms": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
    },
    "SearchResponse": {
        "type": "object",
        "required": [
            "query",
            "total",
            "page",
            "per_page",
            "pages",
            "took_ms",
            "all_words",
            "some_words",
            "suggestion",
            "understood",
            "hits",
            "facets",
            "links",
        ],
        "properties": {
            "query": {"type": "string"},
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 0},
            "took_ms": {"type": "number", "minimum": 0},
            "all_words": {
                "type": "integer",
                "minimum": 0,
                "description": "How many of the results hold every word of the query; they are ranked first",
            },
            "some_words": {
                "type": "integer",
                "minimum": 0,
                "description": "How many hold only some of the words (total = all_words + some_words)",
            },
            "suggestion": {**_STRING_OR_NULL, "description": "A corrected query when few articles hold all the words"},
            "corrected": {
                "type": "boolean",
                "description": "True when no article held all the words and the hits are those of `suggestion`",
            },
            "understood": {"$ref": "#/components/schemas/Understood"},
            "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
            "facets": {
                "type": "object",
                "required": ["tags", "category", "author", "period"],
                "additionalProperties": False,
                "properties": {
                    name: {"type": "array", "items": {"$ref": "#/components/schemas/FacetValue"}}
                    for name in ("tags", "category", "author", "period")
                },
            },
            "timeline": {"type": "array", "items": {"$ref": "#/components/schemas/TimelineBar"}},
            "links": {
                "type": "object",
                "required": ["self"],
                "additionalProperties": False,
                "properties": {"self": {"type": "string"}, "next": {"type": "string"}, "prev": {"type": "string"}},
            },
        },
    },
    "Article": {
        "type": "object",
        "required": [
            "id",
            "title",
            "url",
            "published",
            "category",
            "author",
            "authors",
            "tags",
            "caption",
            "lede",
            "paragraphs",
            "related_titles",
            "related",
        ],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "url": {"type": "string"},
            "published": _DATE_TIME_OR_NULL,
            "category": {"type": "string"},
            "author": {"type": "string"},
            "authors": {"type": "array", "items": {"type": "string"}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "caption": {"type": "string"},
            "lede": {"type": "string"},
            "paragraphs": {"type": "array", "items": {"type": "string"}},
            "related_titles": {
                "type": "array",
                "description": "The article's 'Lire aussi' titles, with the id of the article where it is indexed",
                "items": {
                    "type": "object",
                    "required": ["title", "id"],
                    "properties": {"title": {"type": "string"}, "id": _STRING_OR_NULL},
                },
            },
            "related": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        },
    },
    "Suggestions": {
        "type": "object",
        "required": ["query", "completions"],
        "properties": {"query": {"type": "string"}, "completions": {"type": "array", "items": {"type": "string"}}},
    },
    "Health": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "articles": {"type": "integer", "minimum": 0},
            "generation": {"type": ["integer", "null"]},
            "built_at": _DATE_TIME_OR_NULL,
            "build_seconds": {"type": ["number", "null"]},
            "last_run": {"type": ["string", "null"], "enum": ["build", "update", None]},
            "failed": {"type": "integer", "minimum": 0},
            "cache": {
                "type": "object",
                "description": "This worker's cache of search responses of the live build, since the worker started",
                "required": list(_CACHE_COUNTS),
                "properties": {name: {"type": "integer", "minimum": 0} for name in _CACHE_COUNTS},
            },
            "error": {"type": "string"},
        },
    },
}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_ERROR_400 = _json("Error", "A parameter is wrong: `param` names it")
_ERROR_404 = _json("Error", "No such article")


def openapi_document(server: str = "") -> dict[str, Any]:
    """The API's OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kiosque",
            "version": "1.0.0",
            "description": "Full-text search of francophone news: the same answers as the search page, as data.",
        },
        "servers": [{"url": server or "/"}],
        "paths": {
            "/api/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search the articles",
                    "parameters": _SEARCH_PARAMETERS,
                    "responses": {
                        "200": _json("SearchResponse", "Ranked hits, facets over all results, suggestion"),
                        "304": {"description": "Not modified since the ETag given in If-None-Match"},
                        "400": _ERROR_400,
                        "503": _json("Error", "No index has been built yet"),
                    },
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "operationId": "article",
                    "summary": "One whole article, with related articles",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": _json("Article", "The article"), "404": _ERROR_404},
                }
            },
            "/api/suggest": {
                "get": {
                    "operationId": "suggest",
                    "summary": "Autocomplete a prefix from tags, names and words of the corpus",
                    "parameters": [
                        _param("q", "What the user has typed so far", {"type": "string"}),
                        _param(
                            "format",
                            "`opensearch` for [query, [completions]]",
                            {"type": "string", "enum": ["opensearch"]},
                        ),
                    ],
                    "responses": {"200": _json("Suggestions", "Completions, best first")},
                }
            },
            "/api/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the index is there, its size and its last build",
                    "responses": {"200": _json("Health", "Serving"), "503": _json("Health", "No index yet")},
                }
            },
            "/api/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {"schemas": _SCHEMAS},
    }
