"""HTTP API of demands."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from boyin_registry.attachments import Attachments
from boyin_registry.demand_commands import DemandCommands
from boyin_registry.demand_schemas import (
    ClaimReviewIn,
    DemandContentIn,
    DemandIn,
    DemandOut,
    EditionIn,
    OptionalReasonIn,
    ReasonIn,
)
from boyin_registry.domain.demands import (
    Attachment,
    Channel,
    ClaimInput,
    DemandContent,
    demand_content,
)
from boyin_registry.domain.eligibility import ClaimReview, Criterion
from boyin_registry.reference import Reference
from boyin_registry.repository import DemandQuery
from boyin_registry.schemas import Page
from boyin_registry.taxonomy import ReferenceData
from boyin_shared.clock import utcnow
from boyin_shared.errors import FieldError, Message, invalid
from boyin_shared.identity import CurrentActor, CurrentMember, Role, require

router = APIRouter(prefix="/demands", tags=["demands"])


def commands(request: Request) -> DemandCommands:
    return cast(DemandCommands, request.app.state.service.demands)


async def reference(request: Request) -> Reference:
    """The current reference data (re-read if an operator changed the taxonomy)."""
    data = cast(ReferenceData, request.app.state.service.registry.reference_data)
    return await data.current()


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
Ref = Annotated[Reference, Depends(reference)]


def content_of(
    body: DemandContentIn,
    ref: Reference,
    prefix: str = "",
    attachments: tuple[Attachment, ...] = (),
) -> DemandContent:
    return demand_content(
        channel=Channel(body.details.channel),
        title_zh=body.title_zh,
        title_en=body.title_en,
        description_zh=body.description_zh,
        description_en=body.description_en,
        taxonomy_codes=body.taxonomy_codes,
        keywords=body.keywords,
        editions=body.editions,
        claims=[ClaimInput(c.criterion, c.evidence, c.evidence_file) for c in body.claims],
        details=body.details.to_domain(),
        expires_on=body.expires_on,
        attachments=attachments,
        ref=ref,
        known_editions=list(ref.editions),
        today=utcnow().date(),
        prefix=prefix,
    )


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_demand(
    body: DemandIn, actor: CurrentMember, cmd: Commands, ref: Ref, files: Files
) -> DemandOut:
    attached = await files.usable_by(actor, body.attachment_ids, "attachment_ids")
    content = content_of(body, ref, attachments=attached)
    demand = await cmd.create(
        actor, Channel(body.details.channel), body.owner_id, content, submit=body.submit
    )
    return DemandOut.of(demand)


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
        items=[DemandOut.of(d) for d in items],
        next_after=items[-1].id if len(items) == limit else None,
    )


class ChangesOut(BaseModel):
    items: list[DemandOut]
    #: pass as ``since`` next time; unchanged when nothing new happened
    cursor: str | None


@router.get("/changes", tags=["feeds"])
async def changes(
    actor: CurrentActor,
    cmd: Commands,
    since: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ChangesOut:
    """What changed since a cursor, for systems that cannot hold a websocket (districts
    pulling their demand feed)."""
    items = await cmd.demands.changed_since(since, actor, limit)
    cursor = f"{items[-1].updated_at.isoformat()}|{items[-1].id}" if items else since
    return ChangesOut(items=[DemandOut.of(d) for d in items], cursor=cursor)


@router.get("/{demand_id}")
async def get_demand(demand_id: str, actor: CurrentActor, cmd: Commands) -> DemandOut:
    return DemandOut.of(await cmd.get(actor, demand_id))


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
    return DemandOut.of(
        await cmd.edit(actor, demand_id, content_of(body, ref, attachments=attached))
    )


@router.post("/{demand_id}/submit")
async def submit_demand(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return DemandOut.of(await cmd.submit(actor, demand_id))


@router.post("/{demand_id}/start-review")
async def start_review(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return DemandOut.of(await cmd.start_review(actor, demand_id))


@router.post("/{demand_id}/claims/{criterion}/review")
async def review_claim(
    demand_id: str, criterion: Criterion, body: ClaimReviewIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    outcome = ClaimReview(body.outcome)
    return DemandOut.of(await cmd.review_claim(actor, demand_id, criterion, outcome, body.note))


@router.post("/{demand_id}/publish")
async def publish_demand(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return DemandOut.of(await cmd.publish(actor, demand_id))


@router.post("/{demand_id}/return")
async def return_demand(
    demand_id: str, body: ReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return DemandOut.of(await cmd.send_back(actor, demand_id, body.reason))


@router.post("/{demand_id}/reject")
async def reject_demand(
    demand_id: str, body: ReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return DemandOut.of(await cmd.reject(actor, demand_id, body.reason))


@router.post("/{demand_id}/withdraw")
async def withdraw_demand(
    demand_id: str, body: OptionalReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return DemandOut.of(await cmd.withdraw(actor, demand_id, body.reason))


@router.post("/{demand_id}/reactivate")
async def reactivate_demand(
    demand_id: str, body: EditionIn, actor: CurrentMember, cmd: Commands, ref: Ref
) -> DemandOut:
    if body.edition not in ref.editions:
        raise invalid(
            [
                FieldError(
                    "edition",
                    "UNKNOWN_EDITION",
                    Message(
                        f"未知的洽谈会届次：{body.edition}", f"unknown fair edition: {body.edition}"
                    ),
                )
            ]
        )
    return DemandOut.of(await cmd.reactivate(actor, demand_id, body.edition))


@router.post("/expire-due", tags=["operations"])
async def expire_due(actor: CurrentMember, cmd: Commands) -> dict[str, int]:
    require(actor, Role.OPERATOR, Role.ADMIN, Role.SERVICE)
    return {"expired": await cmd.expire_due(utcnow().date())}
