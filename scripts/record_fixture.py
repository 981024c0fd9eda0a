"""Record an extraction fixture: a saved page plus the expected JSON the extractor gives today.

    python scripts/record_fixture.py page.html --name uk_council --timezone Europe/London \
        --date-order DMY --url https://www.example.gov.uk/news/article/123
    python scripts/record_fixture.py https://www.example.gov.cn/art/2023/3/15/art_1.html \
        --name example_gov --timezone Asia/Shanghai

Writes ``tests/fixtures/extraction/<name>.html`` (``.html.gz`` with ``--gzip`` or above 100 KB)
and ``<name>.json``: ``{"input": {url, timezone, date_order, ...}, "expected": {...}}`` with
sorted keys and no empty values. Read the JSON before committing it: the fixture pins what is
right, not merely what the extractor printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.extractors.article import extract_article  # noqa: E402
from pressroom.extractors.inspect import profile_from_dict, record_to_dict  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "extraction"
GZIP_ABOVE = 100_000


def _fetch(url: str) -> tuple[bytes, str | None]:
    import httpx

    response = httpx.get(url, follow_redirects=True, timeout=30.0,
                         headers={"User-Agent": "pressroom-fixture-recorder/0.1"})  # fmt: skip
    response.raise_for_status()
    return response.content, response.headers.get("content-type")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a saved HTML file (.html or .html.gz) or an http(s) URL")
    parser.add_argument("--name", required=True, help="fixture name: lowercase, digits, '_'")
    parser.add_argument("--url", help="the page's URL (default: the source URL)")
    parser.add_argument("--timezone", default="UTC")
    parser.add_argument("--date-order", default="MDY", choices=("DMY", "MDY", "YMD"))
    parser.add_argument("--language")
    parser.add_argument("--site-module")
    parser.add_argument("--content-type", help="the Content-Type header the page came with")
    parser.add_argument("--gzip", action="store_true", help="store the page gzipped")
    args = parser.parse_args(argv)

    content_type = args.content_type
    if args.source.startswith(("http://", "https://")):
        body, fetched_type = _fetch(args.source)
        content_type = content_type or fetched_type
        url = args.url or args.source
    else:
        path = Path(args.source)
        body = path.read_bytes()
        if path.suffix == ".gz":
            body = gzip.decompress(body)
        if not args.url:
            parser.error("--url is required for a file")
        url = args.url

    data_in = {
        "url": url,
        "content_type": content_type,
        "timezone": args.timezone,
        "date_order": args.date_order,
        "language": args.language,
        "site_module": args.site_module,
    }
    data_in = {k: v for k, v in sorted(data_in.items()) if v}
    record = extract_article(
        body, url, profile=profile_from_dict(data_in), content_type=content_type
    )
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for stale in FIXTURES.glob(f"{args.name}.html*"):
        stale.unlink()
    if args.gzip or len(body) > GZIP_ABOVE:
        (FIXTURES / f"{args.name}.html.gz").write_bytes(gzip.compress(body, mtime=0))
    else:
        (FIXTURES / f"{args.name}.html").write_bytes(body)
    expected = {"input": data_in, "expected": record_to_dict(record)}
    text = json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (FIXTURES / f"{args.name}.json").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
