"""Template helpers: French dates, numbers, cache-busting static URLs, security headers."""

from __future__ import annotations

import hashlib
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, current_app, url_for

from search.facets import MONTHS_FR
from search.request import MAX_QUERY_CHARS

__all__ = ["french_date", "french_number", "register"]

# No inline script or style anywhere: the policy says so to the browser.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def french_date(when: datetime | None, with_time: bool = True) -> str:
    """``6 mars 2026, 18 h 06``; ``1er mars 2026`` at midnight (no time known).

    >>> french_date(datetime(2026, 3, 6, 18, 6))
    '6 mars 2026, 18 h 06'
    >>> french_date(datetime(2026, 3, 1))
    '1er mars 2026'
    """
    if when is None:
        return "date inconnue"
    day = "1er" if when.day == 1 else str(when.day)
    text = f"{day} {MONTHS_FR[when.month - 1]} {when.year}"
    if with_time and (when.hour or when.minute):
        text += f", {when.hour} h {when.minute:02d}"
    return text


def french_number(value: int) -> str:
    """Thousands separated by a narrow no-break space: ``3\u202f581``."""
    return f"{value:,}".replace(",", "\u202f")


@lru_cache(maxsize=64)
def _fingerprint(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def static_url(filename: str) -> str:
    """The URL of a static file with a fingerprint, so it can be cached for a year."""
    folder = current_app.static_folder or ""
    path = Path(folder) / filename
    version = _fingerprint(str(path), path.stat().st_mtime) if path.is_file() else "0"
    return url_for("static", filename=filename, v=version)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def register(app: Flask) -> None:
    """Install the filters, globals and headers on the app."""
    app.add_template_filter(french_date, "french_date")
    app.add_template_filter(french_number, "french_number")
    app.add_template_global(static_url, "static_url")
    app.add_template_global(MAX_QUERY_CHARS, "MAX_QUERY_CHARS")
    app.after_request(_security_headers)
