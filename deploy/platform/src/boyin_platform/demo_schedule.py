"""The demo fair's timetable: the meeting the mutual match asked for, placed by the
scheduler and published, through the public GraphQL API (as the operator).

Idempotent: a schedule already published is left as it is.
"""

from __future__ import annotations

import asyncio
from typing import Any

from boyin_platform.demo_people import GraphQL

PROBLEM = "... on Problem { code message { zh en } }"
SCHEDULE = f"""__typename ... on Schedule {{ version publishedAt job jobError
  draft {{ scheduled unscheduled }} published {{ scheduled }} }} {PROBLEM}"""
EDITIONS = "{ fairEditions { id } }"
MEETINGS = """query($id: ID!) { editionMeetings(editionId: $id) {
  __typename ... on MeetingConnection { edges { node { id status } } } } }"""
READ = f"query($id: ID!) {{ schedule(editionId: $id) {{ {SCHEDULE} }} }}"
SOLVE = f"mutation($id: ID!) {{ solveSchedule(editionId: $id, timeLimitS: 5) {{ {SCHEDULE} }} }}"
PUBLISH = f"mutation($id: ID!) {{ publishSchedule(editionId: $id) {{ {SCHEDULE} }} }}"


def _schedule(result: dict[str, Any], what: str) -> dict[str, Any]:
    if result["__typename"] != "Schedule":
        raise RuntimeError(f"demo: {what} refused: {result}")
    return result


async def _eventually(what: str, timeout: float, probe: Any) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await probe()
        if found:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"demo: {what} within {timeout} s")
        await asyncio.sleep(0.3)


async def publish_schedule(gql: GraphQL, token: str, counts: dict[str, int]) -> dict[str, Any]:
    """Solve and publish the demo edition's timetable once its meeting is requested."""
    edition_id = (await gql(EDITIONS, token))["fairEditions"][0]["id"]

    async def meetings() -> list[Any]:
        found = (await gql(MEETINGS, token, id=edition_id))["editionMeetings"]
        edges: list[Any] = found.get("edges", [])
        return edges

    await _eventually("no meeting requested for the mutual match", 60, meetings)
    current = _schedule((await gql(READ, token, id=edition_id))["schedule"], "schedule")
    if current["publishedAt"] is not None:
        counts["existing"] += 1
        return current
    _schedule((await gql(SOLVE, token, id=edition_id))["solveSchedule"], "solve")

    async def solved() -> dict[str, Any] | None:
        now = _schedule((await gql(READ, token, id=edition_id))["schedule"], "schedule")
        if now["job"] == "FAILED":
            raise RuntimeError(f"demo: the scheduler failed: {now['jobError']}")
        return now if now["job"] == "IDLE" and now["draft"] is not None else None

    await _eventually("no draft timetable", 60, solved)
    published = _schedule((await gql(PUBLISH, token, id=edition_id))["publishSchedule"], "publish")
    counts["created"] += 1
    return published
