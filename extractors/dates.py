"""Dates as newsrooms write them, turned into timezone-aware datetimes.

Forms: ISO 8601 (``2023-03-15T16:34:00+08:00``), ``2023-03-15 16:34``, ``2023/3/15``,
``2023年03月15日 16:34``, ``March 15, 2023``, ``15 March 2023``, ``15/03/2023`` or ``03/15/2023``
(by the source's date order; a part above 12 decides on its own), ``15.03.2023`` (always
day-first), each with or without seconds, am/pm and an offset. The source's time zone applies
only when the text has no offset; a date without a time is 00:00 local. Nothing is guessed: text
without a complete, valid date gives None.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from pressroom.core.articles import DateOrder

__all__ = [
    "date_from_url",
    "date_span",
    "in_page_offset",
    "numeric_fields",
    "page_date_order",
    "parse_date",
    "to_utc_iso",
]

# Month names in the newsroom languages we meet most (en, de, fr, es, it, nl, pt, and Russian /
# Ukrainian genitive: "15 августа 2016"), full and short.
_MONTH_NAMES = {
    1: "january jan januar jänner janvier enero gennaio januari janeiro января січня",
    2: "february feb februar février fevrier febrero febbraio februari fevereiro февраля лютого",
    3: "march mar märz maerz mär mars marzo maart março marco марта березня",
    4: "april apr avril abril aprile апреля квітня",
    5: "may mai mayo maggio mei maio мая травня",
    6: "june jun juni juin junio giugno junho июня червня",
    7: "july jul juli juillet julio luglio julho июля липня",
    8: "august aug août aout agosto augustus августа серпня",
    9: "september sep sept septembre septiembre settembre setembro сентября вересня",
    10: "october oct oktober octobre octubre ottobre okt outubro октября жовтня",
    11: "november nov novembre noviembre novembro ноября листопада",
    12: "december dec dezember dez décembre decembre diciembre dicembre dezembro декабря грудня",
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}
_MONTH = (
    r"(?<![^\W\d_])(?P<mon>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")(?![^\W\d_])\.?"
)
_TIME = (
    r"(?:(?:T|[\s,]+(?:at\s+|@\s*|-\s+|\|\s*)?)?"
    r"(?P<H>\d{1,2})\s*[:：时点h]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2})(?:[.,]\d{1,9})?)?"
    r"(?:\s*[分秒])?\s*(?P<ap>[ap]\.?\s?m\.?(?![a-z]))?"
    r"(?P<tz>\s?(?:Z(?![a-z])|(?:UTC|GMT)?\s?[+-]\d{2}:?\d{2}|UTC|GMT))?)?"
)
_YMD = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?!\d)"
    + _TIME,
    re.I,
)
_CJK = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?" + _TIME, re.I
)
_MDY_NAME = re.compile(
    _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})(?!\d)" + _TIME,
    re.I,
)
_DMY_NAME = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s+(?:of\s+|de\s+)?"
    + _MONTH
    + r",?\s+(?:de\s+)?(?P<y>(?:19|20)\d{2})(?!\d)"
    + _TIME,
    re.I,
)
_NUMERIC = re.compile(
    r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>[-/.]| \| )(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2})(?!\d)"
    + _TIME,
    re.I,
)
_DOTTED_SHORT = re.compile(  # 28.01.22, 8.5.12: German-style, always day-first
    r"(?<![\d.])(?P<a>\d{1,2})(?P<sep>\.)\s?(?P<b>\d{1,2})\.\s?(?P<yy>\d{2})(?![\d.])" + _TIME, re.I
)
_PATTERNS = (_YMD, _CJK, _MDY_NAME, _DMY_NAME, _NUMERIC, _DOTTED_SHORT)
_TZ_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")
_RFC_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_RFC_LOCAL = re.compile(  # RFC 2822 with a non-zero offset: " 19 Oct 2019 00:04:00 +0200"
    r"\s?(\d{1,2}) (" + "|".join(_RFC_MONTHS) + r") ((?:19|20)\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?"
    r" ([+-])(\d{2}):?(\d{2})(?!\d)"
)
_ISO_LOCAL = re.compile(  # an ISO timestamp with a non-zero offset, anywhere in the raw page
    r"((?:19|20)\d{2})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,9})?"
    r"([+-])(\d{2}):?(\d{2})(?!\d)"
)

_URL_PATTERNS = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),  # gov.cn TRS: /202303/t20230315_123.html
    re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?=[/_.-]|$)"),
    re.compile(r"(?<![\d])((?:19|20)\d{2})(\d{2})(\d{2})(?=[/_.-]|$)"),
    re.compile(r"(?<![\d])(\d{1,2})[_-](\d{1,2})[_-]((?:19|20)\d{2})(?=[/_.-]|$)"),  # day first
)


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    return ZoneInfo(name)


def parse_date(text: str, *, timezone: str, date_order: DateOrder = "MDY") -> datetime | None:
    """The first complete date in ``text`` as an aware datetime, or None.

    ``timezone`` (an IANA name) applies only when the text gives no offset; ``date_order``
    decides ambiguous numeric forms such as ``03/04/2023``.
    """
    if not text or len(text) < 6:
        return None
    best: tuple[int, datetime] | None = None
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if best is not None and match.start() >= best[0]:
                break
            value = _build(match, timezone, date_order)
            if value is not None:
                best = (match.start(), value)
                break
    return best[1] if best else None


_MONTH_FIRST_REGIONS = frozenset({"us", "ph", "ca", "fm", "pw", "mh"})


def page_date_order(lang: str | None, order: DateOrder) -> DateOrder:
    """The order for ambiguous numeric dates on a page: the profile's, except that the default
    month-first reads day-first when ``<html lang>`` names a day-first locale (``en-GB``, ``de``,
    ``fr-CH``); bare ``en`` and US-style regions keep month-first."""
    if order != "MDY" or not lang:
        return order
    parts = lang.strip().lower().replace("_", "-").split("-")
    if parts[0] != "en":
        return "DMY" if parts[0].isalpha() and len(parts[0]) in (2, 3) else order
    return "DMY" if len(parts) > 1 and parts[1] not in _MONTH_FIRST_REGIONS else order


# the tail of a numeric date ("/01/2023"): searched first, since a scan for the separator is
# several times faster than one that starts at every digit of a large page
_NUMERIC_TAIL = re.compile(r"([/-])(\d{1,2})\1((?:19|20)\d{2})(?!\d)")


def numeric_fields(text: str) -> Iterator[tuple[int, int, str]]:
    """The two leading fields of every numeric date with ``/`` or ``-`` between them
    (``07/01/2023`` -> ``(7, 1, "07/01/2023")``); dotted dates are always day-first, so skipped."""
    for match in _NUMERIC_TAIL.finditer(text):
        end = match.start()
        start = end
        while start > end - 2 and start > 0 and text[start - 1].isdigit():
            start -= 1
        if start == end or (start > 0 and (text[start - 1].isdigit() or text[start - 1] == ".")):
            continue
        yield int(text[start:end]), int(match[2]), text[start : match.end()]


def date_span(text: str) -> tuple[int, int] | None:
    """Where the first date (with its time) sits in ``text``: ``(start, end)``, or None."""
    spans = [m.span() for pattern in _PATTERNS if (m := pattern.search(text)) is not None]
    return min(spans) if spans else None


def date_from_url(url: str, *, timezone: str) -> datetime | None:
    """A full date (year, month and day) written in a URL path, at 00:00 local; else None."""
    path = url.split("?", 1)[0]
    for pattern in _URL_PATTERNS:
        for match in pattern.finditer(path):
            y, m, d = (int(g) for g in match.groups())
            if d > 31:  # the day-first pattern
                y, m, d = d, m, y
            value = _make(y, m, d, 0, 0, 0, None, timezone)
            if value is not None:
                return value
    return None


def in_page_offset(value: datetime, html: str) -> datetime:
    """``value``, given in UTC, re-expressed in the offset the page itself uses for the same
    instant elsewhere (``"2023-11-08T22:28:35-05:00"`` in a data attribute or script beside a
    ``datePublished`` of ``"2023-11-09T03:28:35Z"``), when that puts it on another calendar day:
    the day is then the page's own. The instant never changes; without such a twin (to the
    minute) ``value`` comes back as is.
    """
    if value.utcoffset() != timedelta(0):
        return value
    days = []  # offsets run from -12:00 to +14:00: which other calendar days can the page's be?
    if value.hour < 12:
        days.append(value.date() - timedelta(days=1))
    if value.hour >= 10:
        days.append(value.date() + timedelta(days=1))
    for day in days:
        mon = _RFC_MONTHS[day.month - 1]
        for key, pattern in (
            (f"{day.isoformat()}T", _ISO_LOCAL),
            (f"{day.day:02d} {mon} {day.year} ", _RFC_LOCAL),  # meta date "Sat, 19 Oct 2019 ..."
            (f" {day.day} {mon} {day.year} ", _RFC_LOCAL),
        ):
            at = html.find(key)  # str.find, not a regex scan of the whole page
            while at >= 0:
                twin = _twin(pattern.match(html, at))
                if twin is not None and abs((twin - value).total_seconds()) < 60:
                    return value.astimezone(twin.tzinfo)
                at = html.find(key, at + 1)
    return value


def _twin(match: re.Match[str] | None) -> datetime | None:
    if match is None:
        return None
    y, mo, d, hh, mm, ss, sign, oh, om = match.groups()
    if match.re is _RFC_LOCAL:
        y, mo, d = d, str(_RFC_MONTHS.index(mo) + 1), y
    minutes = int(oh) * 60 + int(om)
    if not minutes or minutes > 14 * 60:
        return None
    offset = fixed_timezone(timedelta(minutes=minutes if sign == "+" else -minutes))
    try:
        return datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0), tzinfo=offset)
    except ValueError:
        return None


def to_utc_iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC (``2023-03-15T08:34:00+00:00``), the form fixtures and JSON use."""
    return value.astimezone(UTC).isoformat() if value is not None else None


def _build(match: re.Match[str], timezone: str, order: DateOrder) -> datetime | None:
    groups = match.groupdict()
    year = int(groups["y"]) if groups.get("y") else 2000 + int(groups["yy"])
    month: int | None
    if groups.get("mon"):
        month = _month_key(groups["mon"])
        day = int(groups["d"])
    elif groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        day_first = groups["sep"] == "." or a > 12 or (order == "DMY" and b <= 12)
        if b > 12:
            day_first = False
        day, month = (a, b) if day_first else (b, a)
    else:
        month, day = int(groups["m"]), int(groups["d"])
    if month is None:
        return None
    hour = minute = second = 0
    if groups.get("H") is not None:
        hour, minute = int(groups["H"]), int(groups["M"])
        second = int(groups["S"] or 0)
        ampm = (groups.get("ap") or "").lower()
        if ampm and not 1 <= hour <= 12:
            return None
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    return _make(year, month, day, hour, minute, second, groups.get("tz"), timezone)


def _month_key(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _make(
    year: int, month: int, day: int, hour: int, minute: int, second: int,
    tz_text: str | None, timezone: str,
) -> datetime | None:  # fmt: skip
    tz: tzinfo = _zone(timezone)
    if tz_text:
        offset = _TZ_OFFSET.search(tz_text)
        if offset:
            sign = -1 if offset.group(1) == "-" else 1
            hours, minutes = int(offset.group(2)), int(offset.group(3))
            if hours > 14 or minutes > 59:
                return None
            tz = fixed_timezone(sign * timedelta(hours=hours, minutes=minutes))
        else:  # Z, UTC, GMT
            tz = UTC
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
