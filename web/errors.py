"""Errors as a reader or a program should see them: a page, or one JSON shape under /api/."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from search.engine import NoIndex
from search.request import InvalidParameter

log = logging.getLogger(__name__)

PAGE_TITLES = {
    400: "Requête incorrecte",
    404: "Page introuvable",
    405: "Méthode non permise",
    503: "Recherche indisponible",
}
PAGE_MESSAGES = {
    404: "Cette page n’existe pas, ou l’article a été retiré de l’archive.",
    503: "L’index des articles n’est pas encore construit. Réessayez dans quelques minutes.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, param: str | None = None) -> ResponseReturnValue:
    """The error as JSON under /api/, as a French page elsewhere."""
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message, "param": param}}), status
    title = PAGE_TITLES.get(status, "Erreur")
    text = PAGE_MESSAGES.get(status, message)
    return render_template("error.html", title=title, message=text), status


def _http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    code = (error.name or "error").lower().replace(" ", "_")
    return error_response(status, code, error.description or error.name)


# How the page names the parameters of its URL, for a reader who edited it.
PARAM_NAMES = {"page": "page", "per_page": "résultats par page", "sort": "tri", "from": "du", "to": "au"}


def _invalid_parameter(error: InvalidParameter) -> ResponseReturnValue:
    if _wants_json():
        return error_response(400, "invalid_parameter", error.message, error.param)
    name = PARAM_NAMES.get(error.param, error.param)
    message = f"Le paramètre « {name} » de l’adresse ne convient pas : {error.message}."
    return render_template("error.html", title="Recherche impossible", message=message), 400


def _no_index(error: NoIndex) -> ResponseReturnValue:
    return error_response(503, "no_index", str(error))


def _unexpected(error: Exception) -> ResponseReturnValue:
    # The reader gets a page without details; the operator gets the traceback in the log.
    log.exception("unexpected error on %s", request.path)
    wrapped = InternalServerError()
    return error_response(500, "internal_error", wrapped.description or "internal error")


def register(app: Flask) -> None:
    """Install the error handlers."""
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InvalidParameter, _invalid_parameter)
    app.register_error_handler(NoIndex, _no_index)
    app.register_error_handler(Exception, _unexpected)
