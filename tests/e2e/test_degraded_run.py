"""Issue 15 item 5: a degraded run cannot be missed.

A redesign that empties every body, run through the CLI against a real Prefect API: exit code 3,
one result line, the reason naming the source once, the flow run's state Failed named
"Degraded" (not green), the artifact's first columns, and the same tags as a deployment run.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from pressroom.config import load_config
from pressroom.demo import DemoNewsroom, write_demo_config
from pressroom.flows.serve import build_deployments
from pressroom.flows.tags import run_tags
from tests.e2e.conftest import run_cli

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]


async def _latest_flow_run():
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.sorting import FlowRunSort

    async with get_client() as client:
        (run,) = await client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
        artifacts = await client.read_artifacts(limit=50)
    mine = [a for a in artifacts if a.flow_run_id == run.id and a.key == "pressroom-ingest"]
    return run, mine


def test_a_degraded_run_exits_3_and_its_flow_run_is_not_completed(tmp_path: Path) -> None:
    config = tmp_path / "pressroom.toml"
    with DemoNewsroom(families=["hightech"]) as newsroom:
        write_demo_config(config, newsroom, tmp_path / "wh.duckdb")
        first = run_cli("--config", str(config), "ingest")
        assert first.exit_code == 0, first.output
        for article in newsroom.articles("hightech"):  # a redesign: the bodies are gone
            newsroom.update_article("hightech", article.path, paragraphs=[])
        result = run_cli("--config", str(config), "ingest")

    assert result.exit_code == 3, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("hightech")] == [lines[0]]
    assert lines[0].startswith("hightech: degraded - ")
    (reason,) = [line for line in lines if line.startswith("  degraded: ")]
    assert reason.startswith("  degraded: possible site redesign: empty bodies")
    assert "hightech:" not in reason  # the line above names the source

    run, artifacts = asyncio.run(_latest_flow_run())
    assert run.state is not None
    assert (run.state.type.value, run.state.name) == ("FAILED", "Degraded")
    assert run.state.message.startswith("hightech: possible site redesign: empty bodies")
    assert run.state.message.count("hightech") == 1  # sample URLs hold no source id
    assert set(run.tags) == {"pressroom", "source:hightech"}
    (artifact,) = artifacts
    head = next(line for line in artifact.data.splitlines() if line.startswith("| source"))
    assert head.startswith("| source | status | reason | new | errors |")
    row = next(line for line in artifact.data.splitlines() if line.startswith("| hightech"))
    assert row.startswith("| hightech | degraded | possible site redesign: empty bodies")


def test_cli_runs_carry_the_tags_of_deployment_runs(tmp_path: Path) -> None:
    """``pressroom.flows.tags`` (what the CLI tags its runs with) says what
    ``pressroom.flows.serve`` does."""
    config_path = tmp_path / "pressroom.toml"
    with DemoNewsroom() as newsroom:
        write_demo_config(config_path, newsroom, tmp_path / "wh.duckdb")
    config = load_config(config_path)
    tags = {(d.flow_name, d.name): sorted(d.tags) for d in build_deployments(config)}
    for source in config.sources:
        assert tags[("ingest", source.id)] == sorted(run_tags([source.id]))
    assert tags[("backfill", "pressroom")] == tags[("reparse", "pressroom")] == run_tags()
