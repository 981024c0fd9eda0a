"""A listing headline cut short by the CMS ("…", "...") gives way to the anchor's title."""

from __future__ import annotations

__all__ = ["full_title"]

_CUT = ("…", "...", "……", "。。。")


def full_title(text: str, title: object) -> str:
    """``text``, or the anchor's ``title`` attribute when the text is empty or truncated and
    the title is the longer headline it was cut from."""
    full = " ".join(str(title).split()) if isinstance(title, str) else ""
    if not text:
        return full
    if not full or not text.rstrip().endswith(_CUT):
        return text
    stem = text.rstrip().rstrip(".…。").strip()
    same_start = full.startswith(stem[: max(1, len(stem) // 2)])
    return full if len(full) > len(stem) and same_start else text
