"""The search tokenizer: the one definition of a term, for indexing and for queries alike.

- Latin-script words and numbers, lowercased; a final ``s`` is stripped from words longer than
  three letters that do not end in ``ss`` (``councils`` -> ``council``).
- CJK runs become overlapping character bigrams (``高新区`` -> ``高新``, ``新区``); a run of one
  character is kept as it is.

A term is stored as ``term_key = md5_number_lower(term)`` (DuckDB's function; :func:`term_key`
computes the same number). These rules were a DuckDB macro until migration 10 and give the same
terms (a test compares them), so indexes built before stay right. ASCII text, most of it, takes
a fast path (one byte translation and a split); the keys of the words seen are cached.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["TITLE_WEIGHT", "index_terms", "lone_cjk_characters", "term_key", "tokenize"]

TITLE_WEIGHT = 3
"""A title term counts this many times."""

# Code points RE2's \p{Latin} matches, and 0-9 (generated from DuckDB's regexp_matches).
_LATIN_RANGES = (
    (48, 57), (65, 90), (97, 122), (170, 170), (186, 186), (192, 214), (216, 246), (248, 696),
    (736, 740), (7424, 7461), (7468, 7516), (7522, 7525), (7531, 7543), (7545, 7614),
    (7680, 7935), (8305, 8305), (8319, 8319), (8336, 8348), (8490, 8491), (8498, 8498),
    (8526, 8526), (8544, 8584), (11360, 11391), (42786, 42887), (42891, 42954), (42960, 42961),
    (42963, 42963), (42965, 42969), (42994, 43007), (43824, 43866), (43868, 43876),
    (43878, 43881), (64256, 64262), (65313, 65338), (65345, 65370), (67456, 67461),
    (67463, 67504), (67506, 67514), (122624, 122654), (122661, 122666),
)  # fmt: skip
_WORD = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _LATIN_RANGES) + "]+")
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# ASCII fast path: A-Z to a-z, 0-9 and a-z kept, every other byte a separator.
_ASCII = bytes(
    c + 32 if 65 <= c <= 90 else c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256)
)
_CACHE_LIMIT = 1_000_000
_keys: dict[str | bytes, int] = {}


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _lower(text: str) -> str:
    # DuckDB's lower() maps U+0130 to a plain i; Python's adds a combining dot.
    return text.replace("İ", "i").lower()


def _bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        out += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return out


def lone_cjk_characters(text: str) -> list[str]:
    """The CJK characters of ``text`` that stand alone (a run of one): as a query term such a
    character finds almost nothing, because indexed Chinese text is read in bigrams."""
    return [run for run in _CJK_RUN.findall(text) if len(run) == 1]


def tokenize(text: str | None) -> list[str]:
    """Terms of ``text`` in order: its words, then its CJK bigrams (duplicates kept)."""
    if not text:
        return []
    return [_stem(w) for w in _WORD.findall(_lower(text))] + _bigrams(text)


def term_key(term: str) -> int:
    """``md5_number_lower(term)``: the lower 64 bits of the term's MD5, as DuckDB reads them."""
    return int.from_bytes(hashlib.md5(term.encode("utf-8")).digest()[8:], "little")


def _key(word: str | bytes) -> int:
    """Key of the term a raw lowercased word (bytes on the ASCII path) becomes; cached."""
    key = _keys.get(word)
    if key is None:
        if len(_keys) >= _CACHE_LIMIT:
            _keys.clear()
        text = word.decode("ascii") if isinstance(word, bytes) else word
        key = _keys[word] = term_key(_stem(text))
    return key


def _count(text: str | None, weight: int, tfs: dict[int, int]) -> None:
    """Add ``weight`` per occurrence of each term of ``text`` to ``tfs`` (term key -> tf)."""
    if not text:
        return
    words: Counter[str | bytes] = Counter()
    if text.isascii():
        words.update(text.encode("ascii").translate(_ASCII).split())
    else:
        words.update(_WORD.findall(_lower(text)))
        words.update(_bigrams(text))
    for word, n in words.items():
        key = _keys.get(word)
        if key is None:
            key = _key(word)
        tfs[key] = tfs.get(key, 0) + n * weight


def index_terms(
    titles: Sequence[str | None], bodies: Sequence[str | None]
) -> tuple[pa.Table, list[int]]:
    """Postings of documents ``0..n-1`` and their lengths (weighted term counts).

    The postings table has columns term_key (uint64), local (int32: the document's position)
    and tf (int32), sorted by term key: the rows of a level-0 segment, less the batch number.
    """
    keys: list[int] = []
    locals_: list[int] = []
    freqs: list[int] = []
    lengths: list[int] = []
    for local, (title, body) in enumerate(zip(titles, bodies, strict=True)):
        tfs: dict[int, int] = {}
        _count(body, 1, tfs)
        _count(title, TITLE_WEIGHT, tfs)
        keys += tfs.keys()
        freqs += tfs.values()
        locals_ += [local] * len(tfs)
        lengths.append(sum(tfs.values()))
    table = pa.table(
        {
            "term_key": pa.array(keys, pa.uint64()),
            "local": pa.array(locals_, pa.int32()),
            "tf": pa.array(freqs, pa.int32()),
        }
    )
    return table.take(pc.sort_indices(table["term_key"])), lengths
