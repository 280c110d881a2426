"""``python -m search`` runs the ``kiosque`` command."""

from .cli import main

main()
