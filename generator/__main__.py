"""Entry point of ``python -m generator`` (the console script ``idlgen`` runs :func:`generator.cli.main`)."""

import sys

from .cli import main

sys.exit(main(prog="python -m generator"))
