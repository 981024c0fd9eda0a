"""``python -m pressroom``: the ``pressroom`` command."""

from pressroom.cli import main

main()
