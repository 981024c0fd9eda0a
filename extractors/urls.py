"""URL identity: one spelling per page, so that an article reached under two URLs is one row.

``normalize_url`` is pure and idempotent (``normalize_url(normalize_url(x)) == normalize_url(x)``)
and never raises: a string it cannot parse comes back stripped of surrounding whitespace.

What it does to an http(s) URL:

* resolves it against ``base`` (if given) and removes ``.``/``..`` path segments;
* lowercases scheme and host, drops a trailing dot on the host and the default port;
* drops the fragment;
* drops tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``spm``, ...) and sorts the rest;
* collapses directory aliases (``index.html``, ``index.htm``, ``default.aspx``, ...) to the
  directory, and an empty path to ``/``;
* percent-encodes characters that are not allowed in a URL (spaces, non-ASCII).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

__all__ = [
    "DIRECTORY_ALIASES",
    "TRACKING_PARAMS",
    "article_id",
    "host_of",
    "identity_url",
    "normalize_url",
    "same_site",
]

#: Query parameters that only track the visitor; removed by :func:`normalize_url`.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "spm",
        "scm",
        "share_token",
        "wt.mc_id",
        "wt_mc_id",
        "vero_id",
        "oly_enc_id",
        "oly_anon_id",
        "rb_clickid",
        "s_cid",
        "ref_src",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")

#: Last path segments that name the directory's default document.
DIRECTORY_ALIASES = frozenset(
    f"{stem}.{ext}"
    for stem in ("index", "default")
    for ext in ("html", "htm", "shtml", "php", "asp", "aspx", "jsp", "cfm")
)

_DEFAULT_PORTS = {"http": "80", "https": "443"}
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_UNSAFE_WS = re.compile(r"[\x00-\x20\x7f]")


def _clean_text(url: str) -> str:
    """Make ``url`` encodable (lone surrogates become U+FFFD) and strip whitespace."""
    return url.encode("utf-8", "surrogatepass").decode("utf-8", "replace").strip()


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, on a path that starts with ``/``."""
    out: list[str] = []
    segments = path.split("/")
    for index, seg in enumerate(segments[1:], start=1):
        last = index == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    return "/" + "/".join(out)


def _split_netloc(netloc: str) -> tuple[str, str, str]:
    """(userinfo, host, port) without validating the port."""
    userinfo, _, hostport = netloc.rpartition("@")
    if hostport.startswith("["):
        end = hostport.find("]")
        host, rest = (hostport[: end + 1], hostport[end + 1 :]) if end >= 0 else (hostport, "")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port = hostport.partition(":")
    return userinfo, host, port


def _normalize_host(host: str) -> str:
    host = host.lower().rstrip(".")
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(host, safe="[]:-._~%").lower()
    return host


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _normalize_query(query: str) -> str:
    if not query:
        return ""
    pairs = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True, errors="replace")
        if not _is_tracking(k)
    ]
    pairs.sort()
    return urlencode(pairs, quote_via=quote, safe="-._~:@!$'()*,/")


def _normalize_path(path: str) -> str:
    path = quote(path, safe=_PATH_SAFE)
    if not path.startswith("/"):
        path = "/" + path
    path = _remove_dot_segments(path)
    head, _, last = path.rpartition("/")
    if last.lower() in DIRECTORY_ALIASES:
        path = head + "/"
    return path


def normalize_url(url: str, base: str | None = None) -> str:
    """The one spelling of ``url`` (resolved against ``base``) used for identity and dedupe."""
    return _normalize(url, base).strip()


def _normalize(url: str, base: str | None) -> str:
    url = _clean_text(url)
    if base is not None:
        base = _clean_text(base)
        with contextlib.suppress(ValueError):  # an unparsable base: normalize url alone
            url = urljoin(base, url)
    url = _UNSAFE_WS.sub(lambda m: quote(m.group(0)), url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return url.split("#", 1)[0]  # not a web URL we own: only the fragment goes
    userinfo, host, port = _split_netloc(parts.netloc)
    host = _normalize_host(host)
    netloc = host
    if port and port != _DEFAULT_PORTS[scheme]:
        netloc = f"{host}:{port}"
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    return urlunsplit(
        (scheme, netloc, _normalize_path(parts.path), _normalize_query(parts.query), "")
    )


def host_of(url: str) -> str:
    """The lowercased host name of ``url`` ('' when there is none)."""
    try:
        return (urlsplit(_clean_text(url)).hostname or "").rstrip(".")
    except ValueError:
        return ""


def _bare(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, hosts: Iterable[str]) -> bool:
    """True when ``url`` is http(s) and its host is one of ``hosts`` (``www.`` is ignored)."""
    try:
        parts = urlsplit(_clean_text(url))
    except ValueError:
        return False
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        return False
    host = _bare(parts.hostname or "")
    return bool(host) and host in {_bare(h) for h in hosts}


def article_id(source_id: str, url: str) -> str:
    """A stable 16-hex-digit id for (source, normalized URL)."""
    digest = hashlib.sha256(f"{source_id}\n{normalize_url(url)}".encode()).hexdigest()
    return digest[:16]


def identity_url(url: str, canonical_url: str | None, hosts: Iterable[str]) -> str:
    """The normalized same-site rel=canonical of the page at ``url``, else ``url`` normalized.

    A canonical that points to another site (syndicated copies) or to a non-http(s) URL is
    ignored: the page is then identified by its own URL.
    """
    page = normalize_url(url)
    if canonical_url and canonical_url.strip():
        canonical = normalize_url(canonical_url, base=page)
        if same_site(canonical, hosts):
            return canonical
    return page
