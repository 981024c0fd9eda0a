"""What one URL may spend in a run: its attempts and seconds (:class:`Budget`), and the error it
ended with, raised anew without a request when the run asks for the URL again."""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.core.errors import FetchError

__all__ = ["Budget", "copy_error", "error_again"]


@dataclass
class Budget:
    """What one URL has spent in this run (kept only while it fails)."""

    attempts: int = 0
    seconds: float = 0.0
    final: FetchError | None = None


def copy_error(error: FetchError, suffix: str = "") -> FetchError:
    """``error`` anew (same type and fields, no traceback), ``suffix`` added to its reason."""
    return type(error)(
        error.reason + suffix,
        url=error.url,
        source=error.source,
        stage=error.stage,
        status=error.status,
        attempts=error.attempts,
    )


def error_again(final: FetchError) -> FetchError:
    """``final`` raised anew for a URL that already spent its budget in this run."""
    return copy_error(final, " (not requested again in this run)")
