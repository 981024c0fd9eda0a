"""Run summaries: one per source per run, rendered for the terminal and as a Prefect artifact."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from prefect.artifacts import acreate_markdown_artifact

from pressroom.config import SourceConfig
from pressroom.core.runs import RunRecord
from pressroom.flows.crawl.outcome import SourceOutcome

__all__ = ["RunSummary", "publish_summary", "summary_markdown", "without_source"]

FIRST_COLUMNS = (("articles_new", "new"), ("errors", "errors"))
"""After source, status and reason: what a person reads first (the artifact's left edge)."""
COLUMNS = (
    *FIRST_COLUMNS,
    ("articles_updated", "updated"),
    ("articles_unchanged", "unchanged"),
    ("listing_pages", "listing pages"),
    ("articles_fetched", "pages fetched"),
    ("not_modified", "304s"),
    ("given_up", "given up"),
    ("empty_bodies", "empty bodies"),
    ("missing_dates", "missing dates"),
    ("not_articles", "not articles"),
    ("uncertain_dates", "uncertain dates"),
    ("date_disagreements", "date disagreements"),
)


@dataclass
class RunSummary:
    """What one source's run did, for people: counts, duration, status and sample URLs."""

    source_id: str
    source_name: str
    run_id: str
    status: str
    duration_s: float
    counts: dict[str, int] = field(default_factory=dict)
    pending: int = 0
    samples: dict[str, list[str]] = field(default_factory=dict)
    notes: str | None = None
    first_errors: list[str] = field(default_factory=list)
    failure: str | None = None  # why the source's run stopped before it could write anything
    chunk: str | None = None  # a backfill's month ("2024-03") or "undated"; None for an ingest
    staged: int = 0  # articles staged but not loaded yet (the warehouse was locked)

    @classmethod
    def failed(cls, source: SourceConfig, error: BaseException) -> RunSummary:
        """A source whose run stopped (unreachable site, ...): one line naming it and why."""
        text = " ".join(str(error).split()) or type(error).__name__
        if not text.startswith(f"{source.id}:"):
            text = f"{source.id}: {text}"
        return cls(
            source_id=source.id,
            source_name=source.display_name,
            run_id="",
            status="failed",
            duration_s=0.0,
            failure=text,
        )

    @classmethod
    def build(
        cls,
        source: SourceConfig,
        run: RunRecord,
        outcome: SourceOutcome,
        loaded: dict[str, Any],
    ) -> RunSummary:
        counts = {key: int(outcome.counts.get(key, 0)) for key, _ in COLUMNS}
        counts.update({k: int(v) for k, v in (loaded.get("counts") or {}).items()})
        return cls(
            source_id=source.id,
            source_name=source.display_name,
            run_id=run.run_id,
            status=run.status,
            duration_s=(run.finished_at - run.started_at).total_seconds(),
            counts=counts,
            pending=int(loaded.get("pending", 0)),
            samples=outcome.samples,
            notes=getattr(run, "notes", None),
            first_errors=[f"{e.stage} {e.url}: {e.reason}" for e in outcome.errors[:3]],
            chunk=(run.parameters or {}).get("chunk"),
        )

    def reason_text(self) -> str | None:
        """Why this run needs a person, without the source's name; None for a normal run.

        Notes and failures are written as sentences that each name the source (they stand
        alone in the ``runs`` table and the log); here the name is dropped from each part so
        that a line that already names the source does not name it again.
        """
        if self.failure:
            text = self.failure
        elif self.status == "failed":
            first = f" (first error: {self.first_errors[0]})" if self.first_errors else ""
            text = f"failed{first}"
        elif self.notes:
            text = self.notes
        else:
            return None
        return without_source(self.source_id, text)

    def reason(self) -> str | None:
        """:meth:`reason_text` naming the source once, at the front."""
        text = self.reason_text()
        return None if text is None else f"{self.source_id}: {text}"

    def waiting(self) -> str:
        """What a locked warehouse left staged, for a person."""
        return (
            f"{self.staged} article(s) staged in {self.pending} batch(es), waiting for the"
            " warehouse (locked by another process): they load on the next run or with"
            " `pressroom load`"
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def without_source(source_id: str, text: str) -> str:
    """``text`` (parts joined by "; ") with the source's name dropped from the front of each."""
    prefix = f"{source_id}: "
    return "; ".join(part.removeprefix(prefix) for part in text.split("; "))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(flow_name: str, summaries: list[RunSummary]) -> str:
    """A markdown table of the run, one row per source (per month for a backfill): source,
    status, reason, new and errors first, then the other counts; sample URLs below it."""
    labels = ["source", "status", "reason", *(label for _, label in COLUMNS), "duration"]
    lines = [f"# pressroom {flow_name}", "", "| " + " | ".join(labels) + " |"]
    lines.append("|" + "---|" * len(labels))
    for s in summaries:
        source = f"{s.source_id} {s.chunk}" if s.chunk else s.source_id
        reason = _md_cell(s.reason_text() or "")
        cells = " | ".join(str(s.counts.get(key, 0)) for key, _ in COLUMNS)
        lines.append(f"| {source} | {s.status} | {reason} | {cells} | {s.duration_s:.1f}s |")
    for s in summaries:
        for kind, urls in s.samples.items():
            if urls:
                lines += ["", f"{s.source_id} {kind.replace('_', ' ')}:"]
                lines += [f"- {url}" for url in urls]
        if s.first_errors:
            lines += ["", f"{s.source_id} first errors:"]
            lines += [f"- {text}" for text in s.first_errors]
        if s.pending:
            lines += ["", f"{s.source_id}: {s.waiting()}."]
    return "\n".join(lines) + "\n"


async def publish_summary(flow_name: str, summaries: list[RunSummary]) -> None:
    """Attach the run's markdown summary to the current Prefect flow run."""
    await acreate_markdown_artifact(
        markdown=summary_markdown(flow_name, summaries),
        key=f"pressroom-{flow_name}",
        description=f"pressroom {flow_name}: per-source counts",
    )
