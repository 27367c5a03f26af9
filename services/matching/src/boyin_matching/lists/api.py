"""HTTP API of the rematch job (operators start it, anyone signed in follows it) and of
the operators' queue of demands with no good match yet."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from boyin_matching.lists.schemas import job_out, no_good_match_out, started_out
from boyin_matching.lists.service import Lists
from boyin_shared.api.matching import JobOut, NoGoodMatchOut
from boyin_shared.callers import CurrentActor, CurrentMember

router = APIRouter(tags=["matches"])


async def lists(request: Request) -> Lists:
    return cast(Lists, request.app.state.service.lists)


ListsDep = Annotated[Lists, Depends(lists)]


@router.post("/rematch", status_code=status.HTTP_202_ACCEPTED, tags=["operations"])
async def start_rematch(actor: CurrentMember, svc: ListsDep) -> JobOut:
    """Recompute every proposal in the background (after a model or taxonomy change)."""
    return started_out(svc.start_rematch(actor))


@router.get("/rematch", tags=["operations"])
async def rematch_progress(_: CurrentActor, svc: ListsDep) -> JobOut:
    return job_out(svc.job)


@router.get("/review-queue/no-good-match", tags=["operations"])
async def without_a_good_match(actor: CurrentActor, svc: ListsDep) -> list[NoGoodMatchOut]:
    """Published demands whose list has no good match yet (its best score is below the
    calibrated threshold, or nobody to propose), the worst first (operators only)."""
    return [no_good_match_out(p, best) for p, best in await svc.without_a_good_match(actor)]
