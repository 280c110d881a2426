"""Errors as a reader or a program should see them: a page, or one JSON shape under /api/."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from search.engine import NoIndex
from search.request import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, InvalidParameter

from .formatting import french_number

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


# What the page tells a reader who edited its address by hand: the
# parameter's name and what it accepts, in French.
PARAM_HELP = {
    "page": ("page", f"un nombre entier de 1 à {MAX_PAGE:,}".replace(",", "\u202f")),
    "per_page": ("résultats par page", f"un nombre entier de 1 à {MAX_PER_PAGE}"),
    "sort": ("tri", "relevance, newest ou oldest"),
    "from": ("du", "une date AAAA, AAAA-MM ou AAAA-MM-JJ, avant celle de « au »"),
    "to": ("au", "une date AAAA, AAAA-MM ou AAAA-MM-JJ, après celle de « du »"),
    "recency": ("récence", "0 ou 1"),
    "understand": ("comprendre", "0 ou 1"),
    "correct": ("corriger", "0 ou 1"),
    "category": ("rubrique", "une seule rubrique"),
    "author": ("auteur", "un seul auteur"),
}


def _invalid_parameter(error: InvalidParameter) -> ResponseReturnValue:
    if _wants_json():
        return error_response(400, "invalid_parameter", error.message, error.param)
    if error.param == "q":  # typed in the box, not in the address: said as such
        message = (
            f"Votre recherche est trop longue : elle peut compter jusqu’à {french_number(MAX_QUERY_CHARS)} "
            "caractères. Raccourcissez-la, en gardant les mots les plus importants."
        )
        return render_template("error.html", title="Recherche trop longue", message=message), 400
    name, accepted = PARAM_HELP.get(error.param, (error.param, "une autre valeur"))
    message = f"Le paramètre « {name} » de l’adresse ne convient pas : il attend {accepted}."
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
