"""Consultations over HTTP: a talent books a mentor in a slot; the caller's consultations;
cancelling or moving one; the mentor records the outcome and guidance notes."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, status

from boyin_mentors.consultations.booking import BookingRequest
from boyin_mentors.consultations.schemas import consultation_out
from boyin_mentors.consultations.service import ConsultationDesk
from boyin_shared.api.mentors import (
    BookIn,
    CancelIn,
    ConsultationOut,
    MoveIn,
    NoteIn,
    OutcomeIn,
)
from boyin_shared.callers import CurrentMember

router = APIRouter(tags=["consultations"])


async def desk(request: Request) -> ConsultationDesk:
    return cast(ConsultationDesk, request.app.state.service.consultations)


Desk = Annotated[ConsultationDesk, Depends(desk)]


@router.post("/mentors/{mentor_id}/consultations", status_code=status.HTTP_201_CREATED)
async def book(mentor_id: str, body: BookIn, actor: CurrentMember, d: Desk) -> ConsultationOut:
    """Book the mentor in one of the edition's slots within their office hours, when the
    talent is free then and the mentor's day is not full."""
    wanted = BookingRequest(body.edition_id, body.slot_id, body.mode, body.topic)
    return consultation_out(await d.book(actor, mentor_id, wanted))


@router.get("/consultations")
async def mine(actor: CurrentMember, d: Desk) -> list[ConsultationOut]:
    """The caller's: a talent its team's, a mentor theirs, staff every one."""
    return [consultation_out(c) for c in await d.mine(actor)]


@router.get("/consultations/{consultation_id}")
async def get(consultation_id: str, actor: CurrentMember, d: Desk) -> ConsultationOut:
    return consultation_out(await d.get(actor, consultation_id))


@router.post("/consultations/{consultation_id}/cancel")
async def cancel(
    consultation_id: str, body: CancelIn, actor: CurrentMember, d: Desk
) -> ConsultationOut:
    """Call it off before it begins (its talent, its mentor or staff), saying why: the
    time is free again, in scheduling too (``ConsultationCancelled``)."""
    return consultation_out(await d.cancel(actor, consultation_id, body.reason))


@router.post("/consultations/{consultation_id}/move")
async def move(
    consultation_id: str, body: MoveIn, actor: CurrentMember, d: Desk
) -> ConsultationOut:
    """Move it before it begins to another slot, checked as a booking is (the mentor's
    office hours and day, the talent's agenda, the mode): ``ConsultationMoved``."""
    return consultation_out(await d.move(actor, consultation_id, body.slot_id))


@router.post("/consultations/{consultation_id}/outcome")
async def outcome(
    consultation_id: str, body: OutcomeIn, actor: CurrentMember, d: Desk
) -> ConsultationOut:
    return consultation_out(await d.outcome(actor, consultation_id, body.outcome))


@router.post("/consultations/{consultation_id}/notes")
async def note(
    consultation_id: str, body: NoteIn, actor: CurrentMember, d: Desk
) -> ConsultationOut:
    return consultation_out(await d.note(actor, consultation_id, body.text))
