"""Which way round an ambiguous numeric date (``07/01/2023``) is read, and why.

The order is decided by the first rung that has something to say:

1. ``config``: the source's own ``date_order``;
2. ``page`` / ``source``: unambiguous numeric dates on this page, or on earlier pages of the same
   source (a first field above 12, ``15/03/2023``, is day-first; a second field above 12,
   ``03/15/2023``, month-first; the majority wins, a tie says nothing);
3. ``html-lang``: the region of the page's ``<html lang>`` (``en-GB``, ``fr`` -> DMY, ``en-US``
   -> MDY, ``zh``, ``ja``, ``ko`` -> YMD; a bare ``en`` says nothing);
4. ``language``: the same, for the source's configured language;
5. ``timezone``: the country of the source's time zone (``Europe/*`` -> DMY, US zones -> MDY,
   Latin American zones -> DMY, ``Asia/Shanghai`` -> YMD, ``Australia/*`` -> DMY, ...);
6. ``default``: the profile's fallback order (month-first unless told otherwise).

Rungs 1 and 2 are *certain*; the others are guesses, and a date read only by them is uncertain
(:attr:`pressroom.core.articles.DateOrderDecision.certain`). Pure: no network, no database.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.core.articles import DateOrder, DateOrderDecision, DateOrderEvidence
from pressroom.extractors.dates import numeric_fields

__all__ = ["decide_order", "language_order", "numeric_evidence", "zone_order"]

_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "ca", "fm", "pw", "mh", "um", "as", "gu", "mp"})
_YEAR_FIRST_LANGUAGES = frozenset({"zh", "ja", "ko"})
_US_ZONES = frozenset({
    "new_york", "chicago", "denver", "los_angeles", "phoenix", "anchorage", "detroit", "boise",
    "juneau", "sitka", "nome", "adak", "metlakatla", "yakutat", "menominee", "puerto_rico",
})  # fmt: skip
_US_PREFIXES = ("america/indiana/", "america/kentucky/", "america/north_dakota/", "us/")
_CANADA_ZONES = frozenset({
    "toronto", "vancouver", "edmonton", "winnipeg", "halifax", "st_johns", "regina", "montreal",
    "moncton", "glace_bay", "goose_bay", "whitehorse", "yellowknife", "iqaluit",
})  # fmt: skip
_YEAR_FIRST_ZONES = frozenset({
    "asia/shanghai", "asia/chongqing", "asia/harbin", "asia/urumqi", "asia/taipei", "asia/tokyo",
    "asia/seoul", "asia/pyongyang", "prc", "roc", "japan", "rok",
})  # fmt: skip
_MONTH_FIRST_ZONES = frozenset({"pacific/honolulu", "asia/manila", "pacific/guam"})
_DAY_FIRST_AREAS = ("europe/", "australia/", "africa/", "asia/", "pacific/", "atlantic/", "indian/")


def numeric_evidence(texts: Iterable[str]) -> DateOrderEvidence:
    """Count the unambiguous numeric dates (``15/03/2023``, ``03/15/2023``) in ``texts``."""
    day_first = month_first = 0
    example: str | None = None
    for text in texts:
        for a, b, written in numeric_fields(text):
            if 12 < a <= 31 and 1 <= b <= 12:
                day_first += 1
            elif 12 < b <= 31 and 1 <= a <= 12:
                month_first += 1
            else:
                continue
            example = example or written
    return DateOrderEvidence(day_first, month_first, example)


def language_order(lang: str | None) -> DateOrder | None:
    """The order a language tag implies (``en-GB`` -> DMY, ``en-US`` -> MDY, ``zh`` -> YMD,
    ``de`` -> DMY); None when it says nothing (bare ``en``, empty, not a tag)."""
    if not lang:
        return None
    parts = lang.strip().lower().replace("_", "-").split("-")
    base = parts[0]
    if not base.isalpha() or len(base) not in (2, 3):
        return None
    if base in _YEAR_FIRST_LANGUAGES:
        return "YMD"
    if base != "en":
        return "DMY"
    if len(parts) < 2 or not parts[1].isalpha():
        return None
    return "MDY" if parts[1] in _MONTH_FIRST_REGIONS else "DMY"


def zone_order(timezone: str | None) -> DateOrder | None:
    """The order of the country of an IANA time zone; None for UTC and unknown or mixed
    countries (Canada)."""
    name = (timezone or "").strip().lower()
    if not name or ("/" not in name and name not in _YEAR_FIRST_ZONES):
        return None
    if name in _YEAR_FIRST_ZONES:
        return "YMD"
    if name in _MONTH_FIRST_ZONES or name.startswith(_US_PREFIXES):
        return "MDY"
    area, _, city = name.partition("/")
    if area == "america":
        if city in _US_ZONES:
            return "MDY"
        return None if city in _CANADA_ZONES else "DMY"
    if name.startswith(_DAY_FIRST_AREAS):
        return "DMY"
    return None


def decide_order(
    *,
    configured: DateOrder | None = None,
    page: DateOrderEvidence | None = None,
    learned: DateOrderEvidence | None = None,
    page_lang: str | None = None,
    language: str | None = None,
    timezone: str | None = None,
    default: DateOrder = "MDY",
) -> DateOrderDecision:
    """The order for this page's ambiguous numeric dates, and the rung that decided it."""
    if configured:
        return DateOrderDecision(configured, "config")
    here = page or DateOrderEvidence()
    both = here.merged(learned or DateOrderEvidence())
    if both.order is not None:
        rung = "page" if here.order == both.order else "source"
        counts = f"{both.day_first} day-first, {both.month_first} month-first"
        return DateOrderDecision(both.order, rung, f"{both.example} ({counts})")
    if (order := language_order(page_lang)) is not None:
        return DateOrderDecision(order, "html-lang", str(page_lang))
    if (order := language_order(language)) is not None:
        return DateOrderDecision(order, "language", str(language))
    if (order := zone_order(timezone)) is not None:
        return DateOrderDecision(order, "timezone", str(timezone))
    return DateOrderDecision(default, "default")
