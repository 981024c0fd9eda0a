"""The lines a run prints at its end (``pressroom.run_output``), from summaries as the flows
return them: one line per source, a backfill's months and total, reasons once, a locked
warehouse's staged articles, and the exit code."""

from __future__ import annotations

from typing import Any

from pressroom.run_output import exit_code, result_lines


def _summary(source_id: str = "city", **extra: Any) -> dict[str, Any]:
    counts = {"articles_new": 2, "articles_updated": 1, "errors": 0, "listing_pages": 1}
    counts.update(extra.pop("counts", {}))
    return {"source_id": source_id, "status": "completed", "duration_s": 1.25,
            "counts": counts, **extra}  # fmt: skip


def _printed(summaries: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """What ``result_lines`` writes to stdout and to stderr."""
    stdout: list[str] = []
    stderr: list[str] = []

    def echo(text: str, *, err: bool = False) -> None:
        (stderr if err else stdout).append(text)

    result_lines(summaries, echo)
    return stdout, stderr


def test_one_line_per_source() -> None:
    out, err = _printed([_summary("city"), _summary("county")])
    assert out == [
        "city: completed - 2 new, 1 updated, 0 unchanged, 0 not modified, 1 listing pages,"
        " 0 errors (1.2s)",
        "county: completed - 2 new, 1 updated, 0 unchanged, 0 not modified, 1 listing pages,"
        " 0 errors (1.2s)",
    ]
    assert err == []


def test_a_backfill_labels_each_month_and_adds_a_total() -> None:
    months = [_summary(chunk="2024-01"), _summary(chunk="2024-02"), _summary(chunk="undated")]
    out, _ = _printed(months)
    assert [line.split(" - ")[0] for line in out] == [
        "city 2024-01: completed", "city 2024-02: completed", "city undated: completed",
        "city total: completed",
    ]  # fmt: skip
    assert out[-1].startswith("city total: completed - 6 new, 3 updated,")
    assert out[-1].endswith("over 2 month(s) and the undated")


def test_a_degraded_reason_names_the_source_once_and_is_said_once() -> None:
    notes = "city: possible site redesign: empty bodies 90% of 20; city: the listing stops"
    out, _ = _printed(
        [
            _summary(status="degraded", notes=notes, chunk="2024-01"),
            _summary(status="degraded", notes=notes, chunk="2024-02"),
        ]
    )
    reasons = [line for line in out if line.startswith("  degraded: ")]
    assert reasons == [
        "  degraded: possible site redesign: empty bodies 90% of 20; the listing stops"
    ]
    assert exit_code([_summary(status="degraded")]) == 3


def test_a_locked_warehouse_says_how_many_articles_wait() -> None:
    out, _ = _printed(
        [
            _summary(
                "city", pending=2, staged=3, counts={"articles_new": 0, "articles_updated": 0}
            ),
            _summary(
                "county", pending=2, staged=1, counts={"articles_new": 0, "articles_updated": 0}
            ),
        ]
    )
    assert out[0].startswith("city: completed - 3 article(s) staged and waiting for the locked")
    assert out[2].startswith("county: completed - 1 article(s) staged and waiting")
    assert [line for line in out if "pressroom load" in line] == [out[1]]  # said once


def test_a_failed_source_is_one_line_on_stderr_and_wins_the_exit_code() -> None:
    failed = {"source_id": "county", "status": "failed", "failure": "county: could not reach"}
    out, err = _printed([_summary("city"), failed])
    assert err == ["pressroom: county: could not reach"]
    assert len(out) == 1
    assert exit_code([failed, _summary(status="degraded")]) == 1
    assert exit_code([_summary()]) == 0
