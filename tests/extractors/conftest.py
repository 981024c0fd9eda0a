"""Make ``import extractors`` find the project package, not this test folder.

pytest puts ``tests/`` on ``sys.path`` for the root conftest, so the folder ``tests/extractors``
would otherwise be imported as a namespace package named ``extractors``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])
if sys.path[:1] != [ROOT]:
    sys.path.insert(0, ROOT)
_loaded = sys.modules.get("extractors")
if _loaded is not None and getattr(_loaded, "__file__", None) is None:
    for _name in [m for m in sys.modules if m == "extractors" or m.startswith("extractors.")]:
        del sys.modules[_name]
