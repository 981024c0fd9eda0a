"""Content-Encoding, decoded by us from the raw stream, with the size cap on the DECODED bytes.

httpx decodes a whole chunk at once and only then hands it over: a 2 KB body sent with
``Content-Encoding: gzip, gzip`` became 1 GiB in memory (and seconds of a blocked event loop)
before a size cap could look at it. Here every layer inflates at most :data:`STEP` bytes per call
(zlib's ``max_length``), layers are chained lazily, and the caller stops as soon as the decoded
total passes its cap; the work between two checks is bounded.

Supported: ``gzip`` / ``x-gzip``, ``deflate`` (zlib-wrapped or raw, as browsers accept) and
``identity``; at most :data:`MAX_LAYERS` stacked encodings. ``br``, ``zstd`` and ``compress``
are refused (no decoder installed; we never ask for them). Unknown tokens are ignored, as httpx
and browsers do, since servers send junk such as ``Content-Encoding: utf-8`` over plain bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = [
    "ACCEPT_ENCODING",
    "MAX_LAYERS",
    "STEP",
    "ContentDecoder",
    "DecodingRefused",
    "content_decoder",
]

ACCEPT_ENCODING = "gzip, deflate"
MAX_LAYERS = 2
STEP = 64 * 1024
"""The most bytes one layer inflates per call."""

_ZLIB = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
_UNSUPPORTED = frozenset({"br", "zstd", "compress", "x-compress"})


class DecodingRefused(Exception):
    """A Content-Encoding we will not decode, or bytes that do not decode (the text says which)."""


class _Inflate:
    """One zlib layer: bounded output per call; ``deflate`` falls back to raw deflate."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._wbits = _ZLIB[name]
        self._obj = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._obj.decompress(data, STEP)
            except zlib.error as exc:
                if self.name == "deflate" and not self._started and self._wbits > 0:
                    self._wbits = -zlib.MAX_WBITS  # a bare deflate stream without zlib header
                    self._obj = zlib.decompressobj(self._wbits)
                    continue
                raise DecodingRefused(f"Content-Encoding {self.name}: {exc}") from exc
            self._started = True
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if self._obj.eof or (not data and len(out) < STEP):
                return  # bytes after the end of the stream are ignored, as httpx does

    def finish(self) -> Iterator[bytes]:
        """Output still held; a body cut short keeps what it decoded, as httpx and browsers do."""
        if self._started:
            yield from self.feed(b"")


class ContentDecoder:
    """The layers of one response, outermost (last applied) first; feed raw chunks in order."""

    def __init__(self, layers: list[_Inflate]) -> None:
        self.layers = layers

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """Decoded pieces of ``raw``, each at most :data:`STEP` bytes, produced lazily."""
        pieces: Iterator[bytes] = iter((raw,))
        for layer in self.layers:
            pieces = _through(layer, pieces)
        return pieces

    def finish(self) -> Iterator[bytes]:
        """What the layers still hold at the end of the body."""
        for index, layer in enumerate(self.layers):
            pieces: Iterator[bytes] = layer.finish()
            for later in self.layers[index + 1 :]:
                pieces = _through(later, pieces)
            yield from pieces


def _through(layer: _Inflate, pieces: Iterator[bytes]) -> Iterator[bytes]:
    for piece in pieces:
        yield from layer.feed(piece)


def content_decoder(header: str | None) -> ContentDecoder:
    """The decoder for a ``Content-Encoding`` value; raises :class:`DecodingRefused`."""
    names = [n.strip().lower() for n in (header or "").split(",")]
    names = [n for n in names if n and n != "identity"]
    refused = [n for n in names if n in _UNSUPPORTED]
    if refused:
        raise DecodingRefused(f"Content-Encoding {refused[0]!r} is not supported")
    known = [n for n in names if n in _ZLIB]
    if len(known) > MAX_LAYERS:
        raise DecodingRefused(
            f"Content-Encoding {header!r}: {len(known)} stacked encodings, at most {MAX_LAYERS}"
        )
    # the header lists encodings in the order they were applied: undo the last one first
    return ContentDecoder([_Inflate(n) for n in reversed(known)])
