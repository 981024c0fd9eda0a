"""``python -m pressroom.demo``: serve the demo newsroom until Ctrl-C, to browse it."""

from __future__ import annotations

import contextlib
import threading

from pressroom.demo.server import DemoNewsroom


def main() -> None:
    """Print each family's listing, feed and sitemap URLs, then serve until interrupted."""
    with DemoNewsroom() as newsroom:
        for family in newsroom.families:
            print(f"{family}: {newsroom.start_urls(family)[0]}")
            for extra in (newsroom.feed_url(family), newsroom.sitemap_url(family)):
                if extra:
                    print(f"  {extra}")
        print("Serving; press Ctrl-C to stop.")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
