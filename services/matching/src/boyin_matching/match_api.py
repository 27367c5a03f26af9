"""HTTP API of matches: each side's ranked, explained candidates; answers; operators' queue."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from boyin_matching.engine import Engine
from boyin_matching.feedback import Record, Screened
from boyin_matching.repository import MUTUAL
from boyin_shared.errors import BoyinError, Message, not_found
from boyin_shared.identity import Actor, CurrentActor, CurrentMember, Role
from boyin_shared.store import Document

router = APIRouter(tags=["matches"])


def engine(request: Request) -> Engine:
    return cast(Engine, request.app.state.service.engine)


EngineDep = Annotated[Engine, Depends(engine)]


class ExplanationOut(BaseModel):
    zh: list[str]
    en: list[str]
    mismatches_zh: list[str]
    mismatches_en: list[str]
    #: operators only: congestion control held this candidate back
    capped_note: dict[str, str] | None = None
    #: operators only: the counterpart missed meetings at the fair (its scores are lowered)
    reliability_note: dict[str, str] | None = None


class AgreementOut(BaseModel):
    agreement_id: str
    signed_at: str


class MeetingOutcomeOut(BaseModel):
    meeting_id: str
    outcome: str  # HELD | NO_SHOW
    absent: list[str]


class MatchOut(BaseModel):
    match_id: str
    demand_id: str  # the viewer's demand
    counterpart_demand_id: str
    counterpart_kind: str
    counterpart_party_id: str
    score: float
    status: str  # PROPOSED, MUTUAL (DECLINED is shown as PROPOSED to the other side)
    my_response: str | None
    source: str
    explanation: ExplanationOut | None
    #: the meeting the two had at the fair, once its outcome is recorded
    meeting: MeetingOutcomeOut | None = None
    #: the agreement the match led to, once signed
    agreement: AgreementOut | None = None


class RespondIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    interested: bool


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)
    withdraw: bool = False


class ManualIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    demand_id: str
    counterpart_demand_id: str
    note: str = Field(min_length=1, max_length=2000)


def _view(
    engine: Engine,
    doc: Document,
    viewer_demand: str,
    actor: Actor,
    known: Known | None = None,
) -> MatchOut:
    mine = "supply" if doc["supply"]["demand_id"] == viewer_demand else "demand"
    other = "demand" if mine == "supply" else "supply"
    explanation = engine.explanation(doc, viewer_demand)
    out = None
    if explanation is not None:
        capped = explanation.capped_note if _operator(actor) else None
        out = ExplanationOut(
            zh=[r.message.zh for r in explanation.reasons],
            en=[r.message.en for r in explanation.reasons],
            mismatches_zh=[r.message.zh for r in explanation.mismatches],
            mismatches_en=[r.message.en for r in explanation.mismatches],
            capped_note={"zh": capped.zh, "en": capped.en} if capped else None,
        )
        records, screenings = known or ({}, {})
        screened = screenings.get(doc[other]["demand_id"])
        if screened is not None:  # mentors' view of the counterpart: a reason for everyone
            out.zh.append(screened.reason().zh)
            out.en.append(screened.reason().en)
        record = records.get(doc[other]["party_id"]) if _operator(actor) else None
        note = record.note() if record else None
        if note is not None:
            out.reliability_note = {"zh": note.zh, "en": note.en}
    status_ = doc["status"] if doc["status"] == MUTUAL else "PROPOSED"
    return MatchOut(
        match_id=doc["_id"],
        demand_id=viewer_demand,
        counterpart_demand_id=doc[other]["demand_id"],
        counterpart_kind=doc[other]["party_kind"],
        counterpart_party_id=doc[other]["party_id"],
        score=doc["score"],
        status=status_,
        my_response=doc["responses"].get(mine),
        source=doc["source"],
        explanation=out,
        meeting=MeetingOutcomeOut.model_validate(doc["meeting"]) if doc.get("meeting") else None,
        agreement=AgreementOut.model_validate(doc["agreement"]) if doc.get("agreement") else None,
    )


def _operator(actor: Actor) -> bool:
    return actor.role in (Role.OPERATOR, Role.ADMIN)


#: what feedback knows of the parties and demands on a page (see ``feedback``)
Known = tuple[Mapping[str, Record], Mapping[str, Screened]]


async def _known(eng: Engine, actor: Actor, docs: list[Document]) -> Known:
    """Mentors' screening of the demands on the page (for everyone) and, for operators,
    the parties' attendance records."""
    if eng.feedback is None:
        return {}, {}
    sides = ("supply", "demand")
    screenings = await eng.feedback.screenings(d[s]["demand_id"] for d in docs for s in sides)
    if not _operator(actor):
        return {}, screenings
    records = await eng.feedback.records(d[s]["party_id"] for d in docs for s in sides)
    return records, screenings


def _may_see(actor: Actor, owner_id: str | None) -> bool:
    return actor.is_staff or (owner_id is not None and actor.party_id == owner_id)


@router.get("/demands/{demand_id}/matches")
async def matches_of(
    demand_id: str,
    actor: CurrentActor,
    eng: EngineDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[MatchOut]:
    """The demand's candidates on the other side, best first, with explanations."""
    profile = eng.matcher.profile(demand_id)
    stored = None if profile is not None else await eng.profiles.get(demand_id)
    owner = profile.owner_id if profile else (stored[0].owner_id if stored else None)
    if owner is None:
        return []  # not (or no longer) on the shelf: nothing to show, nothing revealed
    if not _may_see(actor, owner):
        raise not_found("demand", demand_id, zh_kind="需求")
    docs = await eng.proposals.of_demand(demand_id, limit)
    known = await _known(eng, actor, docs)
    return [_view(eng, d, demand_id, actor, known) for d in docs]


@router.post("/matches/{match_id}/respond")
async def respond(
    match_id: str, body: RespondIn, actor: CurrentMember, eng: EngineDep
) -> dict[str, Any]:
    doc = await eng.respond(actor, match_id, body.interested)
    return {
        "match_id": match_id,
        "status": doc["status"] if doc["status"] == MUTUAL else "PROPOSED",
    }


@router.get("/review-queue", tags=["operations"])
async def review_queue(actor: CurrentActor, eng: EngineDep) -> list[MatchOut]:
    if actor.role not in (Role.OPERATOR, Role.ADMIN):
        raise BoyinError(
            code="FORBIDDEN", message=Message("仅限工作人员", "staff only"), status=403
        )
    docs = await eng.proposals.pending_review()
    known = await _known(eng, actor, docs)
    return [_view(eng, d, d["supply"]["demand_id"], actor, known) for d in docs]


@router.post("/matches/{match_id}/review", tags=["operations"])
async def review(match_id: str, body: ReviewIn, actor: CurrentMember, eng: EngineDep) -> MatchOut:
    doc = await eng.review(actor, match_id, body.note, body.withdraw)
    return _view(eng, doc, doc["supply"]["demand_id"], actor)


@router.post("/matches", status_code=status.HTTP_201_CREATED, tags=["operations"])
async def add_by_hand(body: ManualIn, actor: CurrentMember, eng: EngineDep) -> MatchOut:
    doc = await eng.propose_by_hand(actor, body.demand_id, body.counterpart_demand_id, body.note)
    return _view(eng, doc, body.demand_id, actor)


class JobOut(BaseModel):
    state: str
    total: int
    done: int
    error: str | None


@router.post("/rematch", status_code=status.HTTP_202_ACCEPTED, tags=["operations"])
async def start_rematch(actor: CurrentMember, eng: EngineDep, request: Request) -> JobOut:
    """Recompute every proposal in the background (after a model or taxonomy change)."""
    if actor.role not in (Role.OPERATOR, Role.ADMIN):
        raise BoyinError(
            code="FORBIDDEN", message=Message("仅限工作人员", "staff only"), status=403
        )
    if eng.job.state != "running":
        task = asyncio.create_task(eng.rematch())
        request.app.state.service.jobs.add(task)
        task.add_done_callback(request.app.state.service.jobs.discard)
    return JobOut(state="running", total=eng.job.total, done=eng.job.done, error=None)


@router.get("/rematch", tags=["operations"])
async def rematch_progress(_: CurrentActor, eng: EngineDep) -> JobOut:
    j = eng.job
    return JobOut(state=j.state, total=j.total, done=j.done, error=j.error)
