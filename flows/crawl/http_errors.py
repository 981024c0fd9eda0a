"""Plain-language reasons for httpx's connection-level errors (their own text is often empty)."""

from __future__ import annotations

import httpx

__all__ = ["transport_reason"]

_TRANSPORT_MEANING = {
    httpx.ConnectError: "could not connect (refused or unreachable)",
    httpx.ReadError: "connection reset or closed by the server while reading",
    httpx.WriteError: "connection reset or closed by the server while sending",
    httpx.RemoteProtocolError: "server broke the HTTP protocol (closed early or bad framing)",
}


def transport_reason(exc: httpx.TransportError) -> str:
    """Name and plain meaning of a connection-level error; httpx's own text is often empty."""
    meaning = next((m for kind, m in _TRANSPORT_MEANING.items() if isinstance(exc, kind)), None)
    detail = str(exc).strip()
    parts = [p for p in (meaning, detail) if p]
    return f"{type(exc).__name__}: {'; '.join(parts) or 'connection failed'}"
