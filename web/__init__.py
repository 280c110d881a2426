"""Kiosque's Flask front end: the search page and the JSON API, thin over ``search``.

``create_app`` builds the application; one ``Engine`` per process keeps the
index open and follows new builds (see ``search.engine``).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from flask import Flask

from search.cache import DEFAULT_CACHE_MB, STATS_FOLDER, ResultCache
from search.engine import Engine
from search.ranking import RankingConfig
from search.understanding import DEFAULT_TIMEZONE, Understanding, load_synonyms, time_zone

from . import api, errors, formatting, views

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The Kiosque web application.

    Configuration, later sources winning: defaults; ``instance/config.py``;
    the Python file named by ``KIOSQUE_CONFIG``; ``KIOSQUE_*`` environment variables (``KIOSQUE_INDEX=/srv/index``,
    ``KIOSQUE_CORS_ORIGINS='["https://example.org"]'``, ``KIOSQUE_SYNONYMS_FILE=/etc/kiosque/synonyms.txt``,
    ``KIOSQUE_TIMEZONE=Europe/Paris``); or ``test_config``.
    """
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR="index",
        SITE_NAME="Kiosque",
        RECENCY_WEIGHT=RankingConfig.recency_weight,
        RECENCY_HALF_LIFE_DAYS=RankingConfig.recency_half_life_days,
        CORS_ORIGINS="*",
        FEED_SIZE=20,
        WATCH_SECONDS=1.0,
        # Each worker keeps this many megabytes of search responses of the live build.
        CACHE_MB=DEFAULT_CACHE_MB,
        # The operator's synonym list (Solr's format), added to the shipped one; None for none.
        SYNONYMS_FILE=None,
        # Where the site is: relative dates in queries (« hier ») count from its today.
        TIMEZONE=DEFAULT_TIMEZONE,
        # Static files are cached for a year: their URLs change with their content.
        SEND_FILE_MAX_AGE_DEFAULT=365 * 24 * 3600,
        JSON_AS_ASCII=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        if os.environ.get("KIOSQUE_CONFIG"):  # `kiosque serve --config FILE`
            app.config.from_pyfile(os.path.abspath(os.environ["KIOSQUE_CONFIG"]))
        app.config.from_prefixed_env("KIOSQUE")
        if "INDEX" in app.config:  # KIOSQUE_INDEX, as for the command line
            app.config["INDEX_DIR"] = str(app.config.pop("INDEX"))
    else:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the documented order

    ranking = RankingConfig(
        recency_weight=float(app.config["RECENCY_WEIGHT"]),
        recency_half_life_days=float(app.config["RECENCY_HALF_LIFE_DAYS"]),
    )
    index_dir = os.fspath(app.config["INDEX_DIR"])
    cache = ResultCache(int(float(app.config["CACHE_MB"]) * 2**20), stats_folder=Path(index_dir) / STATS_FOLDER)
    engine = Engine(index_dir, ranking, cache, _understanding(app.config))
    if not app.testing:
        # Each worker opens and warms a new build in the background, so no
        # request waits for it; tests keep the synchronous switch.
        engine.watch(float(app.config["WATCH_SECONDS"]))
    app.extensions["kiosque.engine"] = engine

    formatting.register(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    errors.register(app)
    return app


def _understanding(config: Any) -> Understanding:
    """The synonym list, parsed once for the process, and the site's time zone.

    A bad line of the operator's list is logged with its file and line, and
    the rest applies; an unknown time zone stops the app, naming the setting.
    """
    try:
        zone = time_zone(str(config["TIMEZONE"]))
    except ValueError as error:
        raise ValueError(f"TIMEZONE: {error}") from None
    path = config["SYNONYMS_FILE"]
    synonyms = load_synonyms(os.fspath(path) if path else None)
    for problem in synonyms.problems:
        log.warning("synonyms: %s (left out)", problem)
    return Understanding(synonyms=synonyms, zone=zone)
