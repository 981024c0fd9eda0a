"""Write a ``pressroom.toml`` pointing at a running :class:`~pressroom.demo.DemoNewsroom`.

The file uses only the public config keys (see ``pressroom/config.py``) and no selectors: the
generic discovery and extraction must handle both template families on their own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pressroom.demo.content import FAMILY_TIMEZONES
from pressroom.demo.server import DemoNewsroom

__all__ = ["DEMO_SOURCES", "write_demo_config"]

#: family -> (source id, display name, language)
DEMO_SOURCES = {
    "hightech": ("hightech", "Xining High-tech Zone (demo)", "en"),
    "cityhall": ("cityhall", "City of Springfield, IL (demo)", "en-US"),
}


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_demo_config(path: Path, newsroom: DemoNewsroom, warehouse_path: Path) -> Path:
    """Write the config for every family ``newsroom`` serves; returns ``path``.

    The warehouse path is written relative to the config file's folder when it lies inside
    it (the config loader resolves it against that folder), else absolute.
    """
    path = Path(path)
    warehouse_path = Path(warehouse_path)
    try:
        wh = Path(os.path.relpath(warehouse_path.resolve(), path.resolve().parent))
        if wh.parts and wh.parts[0] == "..":
            wh = warehouse_path.resolve()
    except ValueError:  # another drive on Windows
        wh = warehouse_path.resolve()
    lines = [
        "# Written by `pressroom demo`: the bundled demo newsroom on loopback ports.",
        "# Rewritten on every run; the next run reuses these ports when they are free,",
        "# so article URLs (and ids) stay the same and a re-run adds nothing.",
        "",
        "[warehouse]",
        f"path = {_toml_str(wh.as_posix())}",
    ]
    for family in newsroom.families:
        source_id, name, language = DEMO_SOURCES[family]
        start_urls = ", ".join(_toml_str(u) for u in newsroom.start_urls(family))
        lines += [
            "",
            "[[sources]]",
            f"id = {_toml_str(source_id)}",
            f"name = {_toml_str(name)}",
            f"start_urls = [{start_urls}]",
            f"timezone = {_toml_str(FAMILY_TIMEZONES[family])}",
            f"language = {_toml_str(language)}",
        ]
        if feed := newsroom.feed_url(family):
            lines.append(f"feed_url = {_toml_str(feed)}")
        if sitemap := newsroom.sitemap_url(family):
            lines.append(f"sitemap_url = {_toml_str(sitemap)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
