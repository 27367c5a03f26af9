"""Demands over HTTP. :data:`Filters` parses the filters of a demand list (also used by
the export)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status

from boyin_registry.attachments.service import Attachments
from boyin_registry.demands.repository import DemandQuery
from boyin_registry.demands.schemas import content_of, demand_out
from boyin_registry.demands.service import DemandCommands
from boyin_registry.reference.api import Ref
from boyin_shared.api.registry import (
    ChangesOut,
    Channel,
    ClaimReview,
    ClaimReviewIn,
    Criterion,
    DemandContentIn,
    DemandIn,
    DemandOut,
    EditionIn,
    OptionalReasonIn,
    Page,
    ReasonIn,
)
from boyin_shared.callers import CurrentActor, CurrentMember
from boyin_shared.clock import utcnow

router = APIRouter(prefix="/demands", tags=["demands"])


def commands(request: Request) -> DemandCommands:
    return cast(DemandCommands, request.app.state.service.demands)


def attachments(request: Request) -> Attachments:
    return cast(Attachments, request.app.state.service.attachments)


def demand_filters(
    channel: Channel | None = None,
    status: str | None = None,
    district_code: str | None = None,
    taxonomy_code: str | None = None,
    language: str | None = None,
    edition: str | None = None,
    owner_id: str | None = None,
) -> DemandQuery:
    """The filters of a demand list (GET /demands, exports), from the query string."""
    return DemandQuery(
        channel=channel.value if channel else None,
        status=status,
        district_code=district_code,
        taxonomy_code=taxonomy_code,
        language=language,
        edition=edition,
        owner_id=owner_id,
    )


Commands = Annotated[DemandCommands, Depends(commands)]
Filters = Annotated[DemandQuery, Depends(demand_filters)]
Files = Annotated[Attachments, Depends(attachments)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_demand(
    body: DemandIn, actor: CurrentMember, cmd: Commands, ref: Ref, files: Files
) -> DemandOut:
    attached = await files.usable_by(actor, body.attachment_ids, "attachment_ids")
    content = content_of(body, ref, attachments=attached)
    demand = await cmd.create(
        actor, Channel(body.details.channel), body.owner_id, content, submit=body.submit
    )
    return demand_out(demand)


@router.get("")
async def list_demands(
    actor: CurrentActor,
    cmd: Commands,
    filters: Filters,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[DemandOut]:
    items = await cmd.page(actor, replace(filters, after=after, limit=limit))
    return Page(
        items=[demand_out(d) for d in items],
        next_after=items[-1].id if len(items) == limit else None,
    )


@router.get("/changes", tags=["feeds"])
async def changes(
    actor: CurrentActor,
    cmd: Commands,
    since: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ChangesOut:
    """What changed since a cursor, for systems that cannot hold a websocket (districts
    pulling their demand feed)."""
    items, cursor = await cmd.changes(actor, since, limit)
    return ChangesOut(items=[demand_out(d) for d in items], cursor=cursor)


@router.get("/{demand_id}")
async def get_demand(demand_id: str, actor: CurrentActor, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.get(actor, demand_id))


@router.put("/{demand_id}")
async def edit_demand(
    demand_id: str,
    body: DemandContentIn,
    actor: CurrentMember,
    cmd: Commands,
    ref: Ref,
    files: Files,
) -> DemandOut:
    attached = await files.usable_by(actor, body.attachment_ids, "attachment_ids")
    return demand_out(await cmd.edit(actor, demand_id, content_of(body, ref, attachments=attached)))


@router.post("/{demand_id}/submit")
async def submit_demand(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.submit(actor, demand_id))


@router.post("/{demand_id}/start-review")
async def start_review(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.start_review(actor, demand_id))


@router.post("/{demand_id}/claims/{criterion}/review")
async def review_claim(
    demand_id: str, criterion: Criterion, body: ClaimReviewIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    outcome = ClaimReview(body.outcome)
    return demand_out(await cmd.review_claim(actor, demand_id, criterion, outcome, body.note))


@router.post("/{demand_id}/publish")
async def publish_demand(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.publish(actor, demand_id))


@router.post("/{demand_id}/return")
async def return_demand(
    demand_id: str, body: ReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return demand_out(await cmd.send_back(actor, demand_id, body.reason))


@router.post("/{demand_id}/reject")
async def reject_demand(
    demand_id: str, body: ReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return demand_out(await cmd.reject(actor, demand_id, body.reason))


@router.post("/{demand_id}/withdraw")
async def withdraw_demand(
    demand_id: str, body: OptionalReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return demand_out(await cmd.withdraw(actor, demand_id, body.reason))


@router.post("/{demand_id}/reactivate")
async def reactivate_demand(
    demand_id: str, body: EditionIn, actor: CurrentMember, cmd: Commands, ref: Ref
) -> DemandOut:
    return demand_out(await cmd.reactivate(actor, demand_id, body.edition, ref.editions))


@router.post("/expire-due", tags=["operations"])
async def expire_due(actor: CurrentMember, cmd: Commands) -> dict[str, int]:
    return {"expired": await cmd.expire_due(utcnow().date(), actor)}
