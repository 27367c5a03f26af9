"""Scheduling through the gateway, on the single-process platform (embedded bus, SQLite);
tests/e2e/test_scheduling_gateway.py runs the same flow on Kafka and FerretDB. (What
the gateway does on its own, e.g. batching the meetings' parties, runs on the fakes:
test_dataloaders.py.)"""

from __future__ import annotations

from tests.gateway.scheduling_support import meeting_flow


async def test_edition_to_a_published_meeting_with_live_news_and_a_calendar(url: str) -> None:
    await meeting_flow(url)
