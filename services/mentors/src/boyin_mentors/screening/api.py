"""Screening over HTTP: the operators' routing board, reassignment and overdue list; a
mentor's queue and rubric form; a demand owner's aggregated result."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request

from boyin_mentors.mentors.domain import mentor_id_of
from boyin_mentors.screening.repository import ScreeningQuery
from boyin_mentors.screening.schemas import result_out, scores_in, screening_out, task_out
from boyin_mentors.screening.service import ScreeningDesk
from boyin_shared.api.mentors import (
    ReassignIn,
    ResultOut,
    ScreeningOut,
    ScreeningPage,
    ScreeningStatus,
    SubmitIn,
    TaskOut,
)
from boyin_shared.callers import CurrentMember

router = APIRouter(tags=["screening"])


async def desk(request: Request) -> ScreeningDesk:
    return cast(ScreeningDesk, request.app.state.service.screening)


Desk = Annotated[ScreeningDesk, Depends(desk)]
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("/screenings")
async def board(
    actor: CurrentMember,
    d: Desk,
    status: ScreeningStatus | None = None,
    after: str | None = None,
    limit: Limit = 50,
) -> ScreeningPage:
    """The routing board (operators): every screening, its assignments and reviews."""
    items = await d.board(actor, ScreeningQuery(status=status, after=after, limit=limit))
    return ScreeningPage(
        items=[screening_out(s) for s in items],
        next_after=items[-1].id if len(items) == limit else None,
    )


@router.get("/screenings/overdue")
async def overdue(actor: CurrentMember, d: Desk) -> list[ScreeningOut]:
    """Open screenings with a review past its deadline (operators)."""
    return [screening_out(s) for s in await d.overdue(actor)]


@router.get("/screenings/{screening_id}")
async def get_screening(screening_id: str, actor: CurrentMember, d: Desk) -> ScreeningOut:
    return screening_out(await d.get(actor, screening_id))


@router.post("/screenings/{screening_id}/reassign")
async def reassign(
    screening_id: str, body: ReassignIn, actor: CurrentMember, d: Desk
) -> ScreeningOut:
    s = await d.reassign(actor, screening_id, body.from_mentor_id, body.to_mentor_id, body.reason)
    return screening_out(s)


@router.get("/queue")
async def queue(
    actor: CurrentMember, d: Desk, after: str | None = None, limit: Limit = 50
) -> list[TaskOut]:
    """The calling mentor's screenings (blind: no owner, others' scores once theirs is in)."""
    me = mentor_id_of(actor.account_id)
    return [task_out(s, me) for s in await d.queue(actor, after, limit)]


@router.get("/queue/{screening_id}")
async def task(screening_id: str, actor: CurrentMember, d: Desk) -> TaskOut:
    return task_out(await d.task(actor, screening_id), mentor_id_of(actor.account_id))


@router.post("/queue/{screening_id}/review")
async def submit(screening_id: str, body: SubmitIn, actor: CurrentMember, d: Desk) -> TaskOut:
    """The calling mentor's review against the rubric (once)."""
    s = await d.submit(actor, screening_id, scores_in(body))
    return task_out(s, mentor_id_of(actor.account_id))


@router.get("/demands/{demand_id}/screening-result")
async def result(demand_id: str, actor: CurrentMember, d: Desk) -> ResultOut:
    """The aggregated result (never the individual reviews), for the demand's owner and
    staff, once it is out."""
    return result_out(await d.result_of(actor, demand_id))
