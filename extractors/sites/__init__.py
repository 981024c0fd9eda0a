"""Optional per-site modules, chosen by a source's ``site_module`` setting.

A site module is a plain module of selector constants (``TITLE_SELECTOR``, ``DATE_SELECTOR``,
``BODY_SELECTOR``, ``AUTHOR_SELECTOR``, ``ORIGIN_SELECTOR``; any may be None). A source's own
selectors in the TOML still win field by field. Add a module here only when a template family
needs more than the generic rules; each has a saved page and expected JSON under
``tests/fixtures/extraction/``.
"""

from __future__ import annotations

from types import ModuleType

from pressroom.extractors.sites import trs_govcn

__all__ = ["SITES"]

SITES: dict[str, ModuleType] = {
    "trs_govcn": trs_govcn,
}
