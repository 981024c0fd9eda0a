"""Be told about a degraded pressroom run: a Prefect automation that posts to a webhook.

A degraded run ends in a Failed state named "Degraded", so Prefect emits the event
``prefect.flow-run.Degraded``; this script creates (or replaces) a webhook notification block
and an automation that fires on that event for runs tagged ``pressroom`` and sends the run's
name and reason (the state message) to the webhook. Mail: point the webhook at a mail relay,
or use Prefect's ``SendgridEmail`` block in place of the webhook block.

    PREFECT_API_URL=http://127.0.0.1:4200/api .venv/bin/python scripts/degraded_alert.py \\
        --webhook https://hooks.example.org/pressroom

The webhook receives a POST with JSON ``{"text": "<subject>\\n<body>"}``.
"""

from __future__ import annotations

import argparse
import asyncio

from prefect.automations import Automation
from prefect.blocks.notifications import CustomWebhookNotificationBlock
from prefect.client.orchestration import get_client
from prefect.events.actions import SendNotification
from prefect.events.schemas.automations import EventTrigger, Posture

NAME = "pressroom-degraded-run"
EVENT = "prefect.flow-run.Degraded"


async def create(webhook: str) -> Automation:
    """Save the webhook block and create the automation, replacing earlier ones by name."""
    block = CustomWebhookNotificationBlock(
        name=NAME, url=webhook, json_data={"text": "{{subject}}\n{{body}}"}
    )
    block_id = await block.save(NAME, overwrite=True)
    async with get_client() as client:
        for old in await client.read_automations_by_name(name=NAME):
            await client.delete_automation(old.id)
    automation = Automation(
        name=NAME,
        description="A pressroom run degraded (likely a site redesign): tell a person.",
        trigger=EventTrigger(
            expect={EVENT},
            match_related={"prefect.resource.id": "prefect.tag.pressroom"},
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[
            SendNotification(
                block_document_id=block_id,
                subject="pressroom: {{ flow.name }} run {{ flow_run.name }} degraded",
                body="{{ flow_run.state.message }}",
            )
        ],
    )
    return await automation.acreate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--webhook", required=True, help="URL that receives the POST")
    automation = asyncio.run(create(parser.parse_args().webhook))
    print(f"automation {automation.name} ({automation.id}): on {EVENT}, tag pressroom")


if __name__ == "__main__":
    main()
