"""The bundled demo newsroom: two template families served on 127.0.0.1, with ground truth.

``hightech`` is the English edition of a Chinese high-tech zone's site (gov.cn/TRS style,
built around the seed article); ``cityhall`` is a US city's CivicPlus "News Flash". Content is
package data written by us (``data/*.json``), rendered by ``hightech.py`` and ``cityhall.py``,
routed by ``site.py`` and served by ``server.py``. ``pressroom demo`` and the tests use it.
"""

from pressroom.demo.config_file import DEMO_SOURCES, write_demo_config
from pressroom.demo.content import (
    FAMILIES,
    FAMILY_TIMEZONES,
    SEED_PATH,
    BulletList,
    DemoArticle,
    DemoAttachment,
    DemoImage,
    Family,
    Table,
    load_articles,
)
from pressroom.demo.server import DemoNewsroom, RequestRecord

__all__ = [
    "DEMO_SOURCES",
    "FAMILIES",
    "FAMILY_TIMEZONES",
    "SEED_PATH",
    "BulletList",
    "DemoArticle",
    "DemoAttachment",
    "DemoImage",
    "DemoNewsroom",
    "Family",
    "RequestRecord",
    "Table",
    "load_articles",
    "write_demo_config",
]
