"""GraphQL of matching: each demand's explained matches, answering, the operators' queue."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.dto import MatchDto
from boyin_gateway.errors import problem
from boyin_gateway.types import Forbidden, LocalizedText, NotFound

Info = strawberry.Info[Context, None]


@strawberry.type(description="Why two demands match (and what does not fit), in zh and en.")
class MatchExplanation:
    reasons_zh: list[str]
    reasons_en: list[str]
    mismatches_zh: list[str]
    mismatches_en: list[str]
    congestion_note: LocalizedText | None
    #: operators only: the counterpart missed meetings at the fair (its scores are lowered)
    reliability_note: LocalizedText | None


@strawberry.type(description="The outcome of the meeting the two sides had at the fair.")
class MatchMeeting:
    meeting_id: str
    #: HELD or NO_SHOW
    outcome: str
    absent_party_ids: list[str]


@strawberry.type(description="The agreement a match led to.")
class MatchAgreement:
    agreement_id: str
    signed_at: datetime


@strawberry.type
class Match:
    id: strawberry.ID
    demand_id: str
    counterpart_demand_id: str
    counterpart_kind: str
    counterpart_party_id: str
    score: float
    status: str
    my_response: str | None
    source: str
    explanation: MatchExplanation | None
    meeting: MatchMeeting | None
    agreement: MatchAgreement | None

    @classmethod
    def of(cls, dto: MatchDto) -> Match:
        e = dto.explanation
        explanation = None
        if e is not None:
            note = e.capped_note
            reliability = e.reliability_note
            explanation = MatchExplanation(
                reasons_zh=e.zh,
                reasons_en=e.en,
                mismatches_zh=e.mismatches_zh,
                mismatches_en=e.mismatches_en,
                congestion_note=LocalizedText(zh=note["zh"], en=note["en"]) if note else None,
                reliability_note=LocalizedText(zh=reliability["zh"], en=reliability["en"])
                if reliability
                else None,
            )
        return cls(
            id=strawberry.ID(dto.match_id),
            demand_id=dto.demand_id,
            counterpart_demand_id=dto.counterpart_demand_id,
            counterpart_kind=dto.counterpart_kind,
            counterpart_party_id=dto.counterpart_party_id,
            score=dto.score,
            status=dto.status,
            my_response=dto.my_response,
            source=dto.source,
            explanation=explanation,
            meeting=MatchMeeting(
                meeting_id=dto.meeting.meeting_id,
                outcome=dto.meeting.outcome,
                absent_party_ids=dto.meeting.absent,
            )
            if dto.meeting
            else None,
            agreement=MatchAgreement(
                agreement_id=dto.agreement.agreement_id, signed_at=dto.agreement.signed_at
            )
            if dto.agreement
            else None,
        )


@strawberry.type
class MatchAnswer:
    match_id: strawberry.ID
    status: str


AnswerResult = Annotated[MatchAnswer | Forbidden | NotFound, strawberry.union("AnswerResult")]


@strawberry.type
class MatchQuery:
    @strawberry.field
    async def matches(self, info: Info, demand_id: strawberry.ID, first: int = 20) -> list[Match]:
        # A demand the caller may not see has no matches for them (matching says it is not
        # found): nothing to show, nothing revealed, and no fault of the server's.
        try:
            dtos = await info.context.matching.matches(str(demand_id), max(1, min(first, 100)))
        except ServiceError:
            return []
        return [Match.of(d) for d in dtos]

    @strawberry.field
    async def match_review_queue(self, info: Info) -> list[Match]:
        try:
            return [Match.of(d) for d in await info.context.matching.review_queue()]
        except ServiceError:
            return []


@strawberry.type
class MatchMutation:
    @strawberry.mutation
    async def answer_match(self, info: Info, id: strawberry.ID, interested: bool) -> AnswerResult:
        try:
            body = await info.context.matching.respond(str(id), interested)
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, Forbidden | NotFound)
            return result
        return MatchAnswer(
            match_id=strawberry.ID(str(body["match_id"])), status=str(body["status"])
        )
