"""Per-field views of an extraction: for ``pressroom check-source``, fixtures and the benchmark.

``check_article`` extracts one page and reports each field's value and the rule that found it,
so a person adding a newsroom sees at once what works::

    report = check_article(body, url, profile=source.extraction_profile(), content_type=ct)
    for row in report.fields:
        print(f"{row.name:<13} {row.rule or '-':<22} {row.value or '(none)'}")
    for warning in report.warnings:
        print("warning:", warning)

``record_to_dict`` is the JSON form of a record (sorted keys, no empty values, datetimes in
UTC ISO 8601) used by the fixtures' expected output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pressroom.core.articles import DISCLOSURE_FIELDS, ArticleRecord, ExtractionProfile
from pressroom.extractors.article import extract_article
from pressroom.extractors.dates import to_utc_iso

__all__ = [
    "FIELD_ORDER",
    "FieldReport",
    "PageCheck",
    "check_article",
    "profile_from_dict",
    "record_to_dict",
]

FIELD_ORDER = (
    "title", "published_at", "updated_at", "author", "origin", "language", "lede",
    "paragraphs", "images", "attachments", "canonical_url", *DISCLOSURE_FIELDS,
)  # fmt: skip
"""Every field check-source shows; the disclosure fields (政府信息公开 header) come last, and
only on a page that has one of them."""
_PREVIEW = 100


@dataclass(frozen=True)
class FieldReport:
    """One field of one page: a one-line preview of its value and the rule that produced it."""

    name: str
    value: str | None
    rule: str | None


@dataclass(frozen=True)
class PageCheck:
    """The record, a row per field in display order, and the extraction warnings."""

    record: ArticleRecord
    fields: tuple[FieldReport, ...]
    warnings: tuple[str, ...]


def check_article(
    body: bytes,
    url: str,
    *,
    profile: ExtractionProfile | None = None,
    content_type: str | None = None,
) -> PageCheck:
    """Extract one page and describe every field (raises ExtractionError for non-HTML bytes)."""
    record = extract_article(
        body, url, profile=profile or ExtractionProfile(), content_type=content_type
    )
    disclosure = any(getattr(record, name) for name in DISCLOSURE_FIELDS)
    rows = tuple(
        FieldReport(name, _preview(name, getattr(record, name)), record.rules.get(name))
        for name in FIELD_ORDER
        if disclosure or name not in DISCLOSURE_FIELDS
    )
    return PageCheck(record=record, fields=rows, warnings=record.warnings)


def _preview(name: str, value: Any) -> str | None:
    if value in (None, "", ()):
        return None
    if name in ("published_at", "updated_at", "written_at"):
        return value.isoformat()
    if name == "paragraphs":
        first = value[0] if len(value[0]) <= _PREVIEW else value[0][:_PREVIEW] + "…"
        return f"{len(value)} paragraphs, {sum(map(len, value))} chars: {first}"
    if name in ("images", "attachments"):
        first = value[0]
        return f"{len(value)}: {first.src if name == 'images' else first.url}"
    text = str(value)
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "…"


def record_to_dict(record: ArticleRecord) -> dict[str, Any]:
    """JSON-ready form: no empty values, datetimes as UTC ISO strings, keys sorted."""
    out: dict[str, Any] = {
        "url": record.url,
        "title": record.title,
        "published_at": to_utc_iso(record.published_at),
        "updated_at": to_utc_iso(record.updated_at),
        "author": record.author,
        "origin": record.origin,
        "language": record.language,
        "lede": record.lede,
        "paragraphs": list(record.paragraphs),
        "images": [_compact(vars(i)) for i in record.images],
        "attachments": [_compact(vars(a)) for a in record.attachments],
        "canonical_url": record.canonical_url,
        **{name: getattr(record, name) for name in DISCLOSURE_FIELDS},
        "written_at": record.written_at.isoformat() if record.written_at else None,
        "rules": dict(sorted(record.rules.items())),
        "warnings": list(record.warnings),
    }
    return dict(sorted(_compact(out).items()))


def profile_from_dict(data: dict[str, Any]) -> ExtractionProfile:
    """A profile from a plain mapping (a fixture's ``input`` block); unknown keys are ignored."""
    keys = ("timezone", "date_order", "language", "site_module", "title_selector",
            "date_selector", "body_selector", "author_selector", "origin_selector")  # fmt: skip
    return ExtractionProfile(**{k: data[k] for k in keys if data.get(k)})


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(values.items()) if v not in (None, "", [], {}, ())}
