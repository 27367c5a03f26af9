"""GraphQL of dead letters: the events a service's consumers gave up on, for operators to
read and, once the cause is fixed, to replay (each service keeps its own)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway.clients import ServiceError, ServiceName
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import problem
from boyin_gateway.paging import page_size
from boyin_gateway.permissions import nothing, staff_field, staff_mutation
from boyin_gateway.types import Conflict, Forbidden, InvalidInput, NotFound
from boyin_shared.api.dead_letters import DeadLetterOut, DeadLetterStatus

Info = strawberry.Info[Context, None]

#: the most dead letters one page holds
MAX_PAGE = 200

strawberry.enum(ServiceName, description="A service of the platform that consumes events.")
strawberry.enum(DeadLetterStatus, description="Whether a dead letter waits or was replayed.")


@derived(
    DeadLetterOut,
    name="DeadLetter",
    description="An event a service's consumer group gave up on after its retries: where "
    "it was, why, and whether it was replayed.",
)
class DeadLetter:
    id: strawberry.ID
    service: ServiceName
    status: DeadLetterStatus


@strawberry.type(description="A page of a service's dead letters (operators).")
class DeadLetterPage:
    nodes: list[DeadLetter]
    #: pass as ``after`` for the next page
    next_after: str | None


ReplayDeadLetterResult = Annotated[
    DeadLetter | Forbidden | NotFound | Conflict | InvalidInput,
    strawberry.union("ReplayDeadLetterResult"),
]


@strawberry.type
class DeadLetterQuery:
    @staff_field(
        "A service's dead letters, oldest id first (operators and administrators).",
        refusal=nothing,
    )
    async def dead_letters(
        self,
        info: Info,
        service: ServiceName,
        status: DeadLetterStatus | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> DeadLetterPage | None:
        page = await info.context.dead_letters_of(service).dead_letters(
            status=status, after=after, limit=page_size(first, MAX_PAGE)
        )
        return DeadLetterPage(
            nodes=[shown_as(DeadLetter, d) for d in page.items], next_after=page.next_after
        )


@strawberry.type
class DeadLetterMutation:
    @staff_mutation(
        "Replay a dead letter after its cause is fixed: its handler runs once more; a "
        "replayed one is not run again (operators and administrators)."
    )
    async def replay_dead_letter(
        self, info: Info, service: ServiceName, id: strawberry.ID
    ) -> ReplayDeadLetterResult:
        try:
            letter = await info.context.dead_letters_of(service).replay_dead_letter(str(id))
        except ServiceError as exc:
            return problem(exc)
        return shown_as(DeadLetter, letter)
