"""HTTP API of matches: each side's ranked, explained candidates; answers; operators' queue
and their own proposals."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request, status

from boyin_matching.feedback.domain import Known
from boyin_matching.proposals.domain import Proposal
from boyin_matching.proposals.schemas import match_out, shown_status
from boyin_matching.proposals.service import Proposals, operator
from boyin_shared.api.matching import ManualIn, MatchOut, RespondIn, ReviewIn
from boyin_shared.callers import CurrentActor, CurrentMember
from boyin_shared.identity import Actor

router = APIRouter(tags=["matches"])


async def proposals(request: Request) -> Proposals:
    return cast(Proposals, request.app.state.service.proposals)


ProposalsDep = Annotated[Proposals, Depends(proposals)]


def _views(
    svc: Proposals,
    actor: Actor,
    found: Sequence[Proposal],
    viewer: Callable[[Proposal], str],
    known: Known = ({}, {}),
) -> list[MatchOut]:
    """``found`` each from its ``viewer`` demand's side."""
    out = []
    for p in found:
        seen_from = viewer(p)
        explanation = svc.explanation(p, seen_from)
        out.append(match_out(p, seen_from, explanation, known, operator=operator(actor)))
    return out


@router.get("/demands/{demand_id}/matches")
async def matches_of(
    demand_id: str,
    actor: CurrentActor,
    svc: ProposalsDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[MatchOut]:
    """The demand's candidates on the other side, best first, with explanations."""
    found = await svc.of_demand(actor, demand_id, limit)
    return _views(svc, actor, found, lambda _: demand_id, await svc.known(actor, found))


@router.post("/matches/{match_id}/respond")
async def respond(
    match_id: str, body: RespondIn, actor: CurrentMember, svc: ProposalsDep
) -> dict[str, Any]:
    p = await svc.respond(actor, match_id, body.interested)
    return {"match_id": match_id, "status": shown_status(p)}


@router.get("/review-queue", tags=["operations"])
async def review_queue(actor: CurrentActor, svc: ProposalsDep) -> list[MatchOut]:
    found = await svc.review_queue(actor)
    return _views(svc, actor, found, lambda p: p.supply.demand_id, await svc.known(actor, found))


@router.post("/matches/{match_id}/review", tags=["operations"])
async def review(
    match_id: str, body: ReviewIn, actor: CurrentMember, svc: ProposalsDep
) -> MatchOut:
    p = await svc.review(actor, match_id, body.note, body.withdraw)
    [out] = _views(svc, actor, [p], lambda p: p.supply.demand_id)
    return out


@router.post("/matches", status_code=status.HTTP_201_CREATED, tags=["operations"])
async def add_by_hand(body: ManualIn, actor: CurrentMember, svc: ProposalsDep) -> MatchOut:
    p = await svc.propose_by_hand(actor, body.demand_id, body.counterpart_demand_id, body.note)
    [out] = _views(svc, actor, [p], lambda _: body.demand_id)
    return out
