"""Demands over HTTP. :data:`Filters` parses the filters of a demand list (also used by
the export)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel

from boyin_registry.attachments.domain import Attachment
from boyin_registry.attachments.service import Attachments
from boyin_registry.demands.domain import DemandContent
from boyin_registry.demands.repository import DemandQuery
from boyin_registry.demands.schemas import content_of, demand_out, screening_out
from boyin_registry.demands.service import DemandCommands, DemandScreenings
from boyin_registry.reference.api import Ref, reference
from boyin_registry.reference.domain import Reference
from boyin_shared.api.registry import (
    ChangesOut,
    Channel,
    ClaimReview,
    ClaimReviewIn,
    Criterion,
    DemandContentIn,
    DemandIn,
    DemandOut,
    DemandScreeningOut,
    EditionIn,
    JobSeekingIn,
    OptionalReasonIn,
    Page,
    ProjectCooperationIn,
    ProjectLandingIn,
    ReasonIn,
    TalentRecruitmentIn,
)
from boyin_shared.callers import CurrentActor, CurrentMember, current_actor, current_member
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, FieldError, invalid
from boyin_shared.http import Completion, completed_by, read_leniently
from boyin_shared.identity import Actor

#: Endpoints whose refused bodies are still checked in full (see :func:`completed_by`).
_COMPLETIONS: dict[Callable[..., Any], Completion] = {}
router = APIRouter(prefix="/demands", tags=["demands"], route_class=completed_by(_COMPLETIONS))


async def commands(request: Request) -> DemandCommands:
    return cast(DemandCommands, request.app.state.service.demands)


async def attachments(request: Request) -> Attachments:
    return cast(Attachments, request.app.state.service.attachments)


async def demand_filters(
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


#: The details model of each channel, to read details pydantic refused part by part.
DETAILS_IN: dict[str, type[BaseModel]] = {
    Channel.PROJECT_COOPERATION.value: ProjectCooperationIn,
    Channel.JOB_SEEKING.value: JobSeekingIn,
    Channel.PROJECT_LANDING.value: ProjectLandingIn,
    Channel.TALENT_RECRUITMENT.value: TalentRecruitmentIn,
}

Commands = Annotated[DemandCommands, Depends(commands)]
Filters = Annotated[DemandQuery, Depends(demand_filters)]
Files = Annotated[Attachments, Depends(attachments)]


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_demand(
    body: DemandIn, actor: CurrentMember, cmd: Commands, ref: Ref, files: Files
) -> DemandOut:
    content = await _checked_content(body, actor, ref, files)
    demand = await cmd.create(
        actor, Channel(body.details.channel), body.owner_id, content, submit=body.submit
    )
    return demand_out(demand, actor)


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
        items=[demand_out(d, actor) for d in items],
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
    return ChangesOut(items=[demand_out(d, actor) for d in items], cursor=cursor)


@router.get("/{demand_id}")
async def get_demand(demand_id: str, actor: CurrentActor, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.get(actor, demand_id), actor)


async def screenings(request: Request) -> DemandScreenings:
    return cast(DemandScreenings, request.app.state.service.screenings)


@router.get("/{demand_id}/screening")
async def get_screening(
    demand_id: str,
    actor: CurrentActor,
    found: Annotated[DemandScreenings, Depends(screenings)],
) -> DemandScreeningOut:
    """The mentors' aggregated screening of the demand, beside it for its reviewers and
    owner (never the individual reviews)."""
    return screening_out(await found.of(actor, demand_id))


@router.put("/{demand_id}")
async def edit_demand(
    demand_id: str,
    body: DemandContentIn,
    actor: CurrentMember,
    cmd: Commands,
    ref: Ref,
    files: Files,
) -> DemandOut:
    content = await _checked_content(body, actor, ref, files)
    return demand_out(await cmd.edit(actor, demand_id, content), actor)


@router.post("/{demand_id}/submit")
async def submit_demand(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.submit(actor, demand_id), actor)


@router.post("/{demand_id}/start-review")
async def start_review(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.start_review(actor, demand_id), actor)


@router.post("/{demand_id}/claims/{criterion}/review")
async def review_claim(
    demand_id: str, criterion: Criterion, body: ClaimReviewIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    outcome = ClaimReview(body.outcome)
    return demand_out(
        await cmd.review_claim(actor, demand_id, criterion, outcome, body.note), actor
    )


@router.post("/{demand_id}/publish")
async def publish_demand(demand_id: str, actor: CurrentMember, cmd: Commands) -> DemandOut:
    return demand_out(await cmd.publish(actor, demand_id), actor)


@router.post("/{demand_id}/return")
async def return_demand(
    demand_id: str, body: ReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return demand_out(await cmd.send_back(actor, demand_id, body.reason), actor)


@router.post("/{demand_id}/reject")
async def reject_demand(
    demand_id: str, body: ReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return demand_out(await cmd.reject(actor, demand_id, body.reason), actor)


@router.post("/{demand_id}/withdraw")
async def withdraw_demand(
    demand_id: str, body: OptionalReasonIn, actor: CurrentMember, cmd: Commands
) -> DemandOut:
    return demand_out(await cmd.withdraw(actor, demand_id, body.reason), actor)


@router.post("/{demand_id}/reactivate")
async def reactivate_demand(
    demand_id: str, body: EditionIn, actor: CurrentMember, cmd: Commands, ref: Ref
) -> DemandOut:
    return demand_out(await cmd.reactivate(actor, demand_id, body.edition, ref.editions), actor)


@router.post("/expire-due", tags=["operations"])
async def expire_due(actor: CurrentMember, cmd: Commands) -> dict[str, int]:
    return {"expired": await cmd.expire_due(utcnow().date(), actor)}


async def _checked_content(
    body: DemandContentIn, actor: Actor, ref: Reference, files: Attachments
) -> DemandContent:
    """The demand's content, validated with its attachments: one answer lists every problem."""
    content, problems = await _content(body, actor, ref, files)
    if content is None:
        raise invalid(problems)
    return content


async def _content(
    body: DemandContentIn, actor: Actor, ref: Reference, files: Attachments
) -> tuple[DemandContent | None, list[FieldError]]:
    """The content if it is valid, and every problem of it and of its attachments."""
    problems: list[FieldError] = []
    attached: tuple[Attachment, ...] | None = None
    try:
        attached = await files.usable_by(actor, body.attachment_ids, "attachment_ids")
    except BoyinError as error:
        problems += error.fields
    try:
        content = content_of(body, ref, attachments=attached or ())
    except BoyinError as error:
        # Unusable attachments are reported once, not again as every claim's evidence file.
        problems += [
            f for f in error.fields if attached is not None or not f.field.endswith("evidence_file")
        ]
        return None, problems
    return (content, problems) if not problems else (None, problems)


def _completion(model: type[DemandContentIn]) -> Completion:
    """The demand's own checks of a body pydantic refused in part (see :func:`completed_by`).

    With details pydantic could not read, details of the channel they name are read part by
    part and the problems found in them left to pydantic; with no channel, nothing more
    can be checked."""

    async def complete(request: Request, raw: Any) -> list[FieldError]:
        body = read_leniently(model, raw)
        details_ok = body.details is not None
        if not details_ok:
            given = raw.get("details") if isinstance(raw, dict) else None
            channel = given.get("channel") if isinstance(given, dict) else None
            if channel not in DETAILS_IN:
                return []
            body = body.model_copy(update={"details": read_leniently(DETAILS_IN[channel], given)})
        actor = await current_member(await current_actor(request))
        _, found = await _content(body, actor, await reference(request), await attachments(request))
        return [f for f in found if details_ok or not f.field.startswith("details")]

    return complete


_COMPLETIONS.update(
    {create_demand: _completion(DemandIn), edit_demand: _completion(DemandContentIn)}
)
