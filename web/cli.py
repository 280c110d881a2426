"""The ``kiosque`` command: the library's commands plus ``serve``, which needs the web app.

Kept here, not in ``search/cli.py``, because the library never imports Flask.
"""

from __future__ import annotations

import os
from typing import Any

import click

from search.cli import cli, index_option, read_synonyms, synonyms_option
from search.understanding import time_zone

__all__ = ["cli", "main"]

# One line a request, with the time taken (gunicorn's %(M)s: milliseconds).
ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# What browsers send, and gunicorn's most (its default, 4094, cut long queries
# off with an HTML 414 before the API could answer in JSON).
REQUEST_LINE_LIMIT = 8190


@cli.command()
@index_option
@click.option("--host", envvar="KIOSQUE_HOST", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", envvar="KIOSQUE_PORT", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--workers",
    envvar="KIOSQUE_WORKERS",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Worker processes, each with its own open index.",
)
@click.option(
    "--config",
    "config_file",
    envvar="KIOSQUE_CONFIG",
    type=click.Path(exists=True, dir_okay=False),
    help="A Python file of settings (RECENCY_WEIGHT = 0.2, CORS_ORIGINS = [...]).",
)
@synonyms_option
@click.option(
    "--timezone",
    envvar="KIOSQUE_TIMEZONE",
    help="The site's time zone, from which « hier » in a query counts (default Africa/Casablanca).",
)
def serve(
    index_dir: str,
    host: str,
    port: int,
    workers: int,
    config_file: str | None,
    synonyms_file: str | None,
    timezone: str | None,
) -> None:
    """Serve the search page and the JSON API with gunicorn.

    Each worker keeps the index open and moves to a new build by itself;
    one line a request goes to stderr with the time it took.

    Example:

        kiosque serve --index /srv/kiosque/index --port 8000 --workers 4
    """
    from gunicorn.app.base import BaseApplication

    from . import create_app

    # Read by create_app in every worker.
    os.environ["KIOSQUE_INDEX"] = os.path.abspath(index_dir)
    if config_file:
        os.environ["KIOSQUE_CONFIG"] = os.path.abspath(config_file)
    if timezone:
        try:
            time_zone(timezone)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--timezone") from None
        os.environ["KIOSQUE_TIMEZONE"] = timezone
    if synonyms_file:
        os.environ["KIOSQUE_SYNONYMS_FILE"] = os.path.abspath(synonyms_file)
        # Said once here, before the workers start (each also logs what it leaves out).
        click.echo(f"Synonyms: {read_synonyms(synonyms_file).summary()}", err=True)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "accesslog": "-",
                "errorlog": "-",
                "access_log_format": ACCESS_LOG_FORMAT,
                "graceful_timeout": 10,
                "limit_request_line": REQUEST_LINE_LIMIT,
            }
            # Newer gunicorns open a control socket in $HOME: a service has no use for it,
            # and may not write there.
            if "control_socket_disable" in self.cfg.settings:
                settings["control_socket_disable"] = True
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return create_app()

    click.echo(f"Kiosque on http://{host}:{port}/ (index {index_dir}, {workers} workers)", err=True)
    Server().run()


def main() -> None:
    """Entry point of the ``kiosque`` console script."""
    cli(prog_name="kiosque")
