"""Mentors over HTTP: apply, invite, read (their own, or any for operators), list, the
operators' decisions, and profile changes."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request, status

from boyin_mentors.mentors.repository import MentorQuery
from boyin_mentors.mentors.schemas import mentor_detail_out, mentor_out, profile_in
from boyin_mentors.mentors.service import MentorBook
from boyin_shared.api.mentors import (
    DecisionIn,
    InviteIn,
    MentorDetailOut,
    MentorOut,
    MentorPage,
    MentorStatus,
    ProfileIn,
)
from boyin_shared.callers import CurrentMember

router = APIRouter(tags=["mentors"])


async def book(request: Request) -> MentorBook:
    return cast(MentorBook, request.app.state.service.mentors)


Book = Annotated[MentorBook, Depends(book)]


@router.post("/mentors/apply", status_code=status.HTTP_201_CREATED)
async def apply(body: ProfileIn, actor: CurrentMember, b: Book) -> MentorDetailOut:
    """A MENTOR account applies; operators approve."""
    return mentor_detail_out(await b.register(actor, actor.account_id, profile_in(body)))


@router.post("/mentors/invite", status_code=status.HTTP_201_CREATED)
async def invite(body: InviteIn, actor: CurrentMember, b: Book) -> MentorDetailOut:
    return mentor_detail_out(await b.register(actor, body.account_id, profile_in(body.profile)))


@router.get("/mentors")
async def list_mentors(
    actor: CurrentMember,
    b: Book,
    status: MentorStatus | None = None,
    after: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> MentorPage:
    """Every mentor (operators)."""
    items = await b.page(actor, MentorQuery(status, after, limit))
    return MentorPage(
        items=[mentor_out(m) for m in items],
        next_after=items[-1].id if len(items) == limit else None,
    )


@router.get("/mentors/me")
async def my_record(actor: CurrentMember, b: Book) -> MentorDetailOut:
    return mentor_detail_out(await b.mine(actor))


@router.get("/mentors/{mentor_id}")
async def get_mentor(mentor_id: str, actor: CurrentMember, b: Book) -> MentorDetailOut:
    return mentor_detail_out(await b.get(actor, mentor_id))


@router.put("/mentors/{mentor_id}/profile")
async def update_profile(
    mentor_id: str, body: ProfileIn, actor: CurrentMember, b: Book
) -> MentorDetailOut:
    return mentor_detail_out(await b.update_profile(actor, mentor_id, profile_in(body)))


@router.post("/mentors/{mentor_id}/approve")
async def approve(mentor_id: str, actor: CurrentMember, b: Book) -> MentorOut:
    return mentor_out(await b.approve(actor, mentor_id))


@router.post("/mentors/{mentor_id}/suspend")
async def suspend(mentor_id: str, body: DecisionIn, actor: CurrentMember, b: Book) -> MentorOut:
    return mentor_out(await b.suspend(actor, mentor_id, body.reason))


@router.post("/mentors/{mentor_id}/retire")
async def retire(mentor_id: str, body: DecisionIn, actor: CurrentMember, b: Book) -> MentorOut:
    return mentor_out(await b.retire(actor, mentor_id, body.reason))
