"""GraphQL of matching's operations, for operators and administrators: the rematch job
(start it, follow its progress by query or subscription: it recomputes every demand's
list, both sides) and the queue of demands whose list has no good match yet."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry

from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import problem
from boyin_gateway.permissions import Staff, guard, nothing, staff_field, staff_mutation
from boyin_gateway.registry_enums import Channel
from boyin_gateway.types import Forbidden
from boyin_shared.api.matching import JobOut, JobState, NoGoodMatchOut

Info = strawberry.Info[Context, None]
#: seconds between two reports of the rematch job's progress (``rematchProgress``)
PROGRESS_EVERY = 1.0

strawberry.enum(JobState, name="RematchState", description="Where the rematch job stands.")


def _state(root: strawberry.Parent[JobOut]) -> JobState:
    return JobState(root.state)


@derived(
    JobOut,
    name="RematchJob",
    description="The rematch job: how many demands' lists it has rewritten of how many.",
)
class RematchJob:
    state: JobState = strawberry.field(resolver=_state)


def _channel(root: strawberry.Parent[NoGoodMatchOut]) -> Channel:
    return Channel(root.channel)


@derived(
    NoGoodMatchOut,
    name="DemandWithoutGoodMatch",
    description="A published demand whose list has no good match yet: its best score is "
    "below the calibrated threshold, or there is nobody to propose (bestScore null).",
)
class DemandWithoutGoodMatch:
    demand_id: strawberry.ID
    channel: Channel = strawberry.field(resolver=_channel)


RematchResult = Annotated[RematchJob | Forbidden, strawberry.union("RematchResult")]


@strawberry.type
class MatchOperationsQuery:
    @staff_field("The rematch job's progress (operators and administrators).", refusal=nothing)
    async def rematch_job(self, info: Info) -> RematchJob | None:
        return shown_as(RematchJob, await info.context.matching.rematch_job())

    @staff_field(
        "Published demands whose list has no good match yet, the worst first (operators "
        "and administrators; null for others).",
        refusal=nothing,
    )
    async def demands_without_good_match(self, info: Info) -> list[DemandWithoutGoodMatch] | None:
        found = await info.context.matching.demands_without_good_match()
        return [shown_as(DemandWithoutGoodMatch, d) for d in found]


@strawberry.type
class MatchOperationsMutation:
    @staff_mutation(
        "Recompute every demand's list of matches in the background (after a model or "
        "taxonomy change); follow it with rematchJob. One already running is not started "
        "again."
    )
    async def start_rematch(self, info: Info) -> RematchResult:
        try:
            return shown_as(RematchJob, await info.context.matching.start_rematch())
        except ServiceError as exc:  # matching's own refusal (it checks the role too)
            refused = problem(exc)
            assert isinstance(refused, Forbidden)
            return refused


@strawberry.type
class MatchOperationsSubscription:
    @strawberry.subscription(extensions=guard(Staff()))  # type: ignore[untyped-decorator]
    async def rematch_progress(self, info: Info) -> AsyncGenerator[RematchJob, None]:
        """The rematch job's progress every second while it runs, ending with its state
        once it does not (operators and administrators)."""
        while True:
            job = await info.context.matching.rematch_job()
            yield shown_as(RematchJob, job)
            if job.state != JobState.RUNNING:
                return
            await asyncio.sleep(PROGRESS_EVERY)
