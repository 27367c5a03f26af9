"""Agenda sessions ↔ the HTTP API's models (``boyin_shared.api.scheduling``)."""

from __future__ import annotations

from boyin_scheduling.editions.schemas import text_io, text_of
from boyin_scheduling.sessions.domain import Presenter, Session, SessionPlan, SignUp
from boyin_shared.api.errors import FieldErrorOut, MessageOut
from boyin_shared.api.scheduling import (
    LongTextIO,
    PresenterIO,
    SessionIn,
    SessionOut,
    SessionSavedOut,
    SignUpOut,
)
from boyin_shared.errors import FieldError


def session_plan(body: SessionIn) -> SessionPlan:
    return SessionPlan(
        kind=body.kind,
        title=text_of(body.title),
        description=text_of(body.description),
        start=body.start,
        end=body.end,
        room=body.room,
        capacity=body.capacity,
        waitlist_limit=body.waitlist_limit,
        departure=body.departure,
        meeting_point=text_of(body.meeting_point),
        presenters=tuple(
            Presenter(p.party_id, text_of(p.title), p.start, p.end) for p in body.presenters
        ),
    )


def session_out(s: Session, viewer: str | None) -> SessionOut:
    """``s`` as ``viewer`` sees it (``my_state``: their own sign-up or PRESENTER)."""
    p = s.plan
    mine = s.state_of(viewer) if viewer else None
    return SessionOut(
        id=s.id,
        edition_id=s.edition_id,
        status=s.status.value,
        version=s.version,
        confirmed=len(s.confirmed),
        waiting=len(s.waiting),
        my_state="PRESENTER"
        if viewer in s.presenter_ids
        else (mine.value if mine is not None else None),
        kind=p.kind,
        title=text_io(p.title),
        description=LongTextIO(zh=p.description.zh, en=p.description.en),
        start=p.start,
        end=p.end,
        room=p.room,
        capacity=p.capacity,
        waitlist_limit=p.waitlist_limit,
        departure=p.departure,
        meeting_point=text_io(p.meeting_point),
        presenters=[
            PresenterIO(party_id=x.party_id, title=text_io(x.title), start=x.start, end=x.end)
            for x in p.presenters
        ],
    )


def session_saved_out(
    s: Session, viewer: str | None, warnings: list[FieldError]
) -> SessionSavedOut:
    """``s`` as :func:`session_out` shows it, with the warnings about its plan."""
    return SessionSavedOut(
        **session_out(s, viewer).model_dump(),
        warnings=[
            FieldErrorOut(field=w.field, code=w.code, message=MessageOut.of(w.message))
            for w in warnings
        ],
    )


def sign_up_out(x: SignUp) -> SignUpOut:
    return SignUpOut(party_id=x.party_id, state=x.state.value, at=x.at)
