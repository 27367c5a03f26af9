"""GraphQL of matching: each demand's explained matches, answering, the operators' queue."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway import paging
from boyin_gateway.agreement_types import Agreement
from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import problem
from boyin_gateway.registry_enums import Answer, MatchStatus
from boyin_gateway.schedule_enums import MeetingOutcome
from boyin_gateway.types import Forbidden, LocalizedText, NotFound
from boyin_shared.api.matching import ExplanationOut, MatchOut, MeetingOutcomeOut

Info = strawberry.Info[Context, None]
MAX_MATCHES = 100


def _note(note: dict[str, str] | None) -> LocalizedText | None:
    """Matching writes its notes as ``{"zh": ..., "en": ...}``."""
    return LocalizedText(zh=note["zh"], en=note["en"]) if note else None


def _congestion_note(root: strawberry.Parent[ExplanationOut]) -> LocalizedText | None:
    return _note(root.capped_note)


def _reliability_note(root: strawberry.Parent[ExplanationOut]) -> LocalizedText | None:
    return _note(root.reliability_note)


@derived(
    ExplanationOut,
    name="MatchExplanation",
    description="Why two demands match (and what does not fit), in zh and en.",
)
class MatchExplanation:
    zh: list[str] = strawberry.field(name="reasonsZh")
    en: list[str] = strawberry.field(name="reasonsEn")
    capped_note: LocalizedText | None = strawberry.field(
        name="congestionNote", resolver=_congestion_note
    )
    reliability_note: LocalizedText | None = strawberry.field(resolver=_reliability_note)


@derived(
    MeetingOutcomeOut,
    name="MatchMeeting",
    description="The outcome of the meeting the two sides had at the fair.",
)
class MatchMeeting:
    outcome: MeetingOutcome
    absent: list[str] = strawberry.field(name="absentPartyIds")


async def _agreement(root: strawberry.Parent[MatchOut], info: Info) -> Agreement | None:
    """The agreement started from the match (or the meeting it became), whatever its
    stage, if the caller may see it; the page's matches are asked for in one call."""
    found = await info.context.loaders.match_agreements.load(root.match_id)
    return shown_as(Agreement, found) if found else None


@derived(MatchOut, name="Match", exclude=["agreement"])
class Match:
    match_id: strawberry.ID = strawberry.field(name="id")
    status: MatchStatus
    my_response: Answer | None
    agreement: Agreement | None = strawberry.field(
        resolver=_agreement,
        description="The agreement started from the match, at whatever stage (null: none, "
        "or not one the caller may see).",
    )


@strawberry.type
class MatchAnswer:
    """Written by hand: matching answers ``respond`` with a bare ``{match_id, status}``."""

    match_id: strawberry.ID
    status: MatchStatus


AnswerResult = Annotated[MatchAnswer | Forbidden | NotFound, strawberry.union("AnswerResult")]


def _shown(found: list[MatchOut]) -> list[Match]:
    return [shown_as(Match, m) for m in found]


@strawberry.type
class MatchQuery:
    @strawberry.field
    async def matches(self, info: Info, demand_id: strawberry.ID, first: int = 20) -> list[Match]:
        # A demand the caller may not see has no matches for them (matching says it is not
        # found): nothing to show, nothing revealed, and no fault of the server's.
        size = paging.page_size(first, MAX_MATCHES)
        try:
            return _shown(await info.context.matching.matches(str(demand_id), size))
        except ServiceError:
            return []

    @strawberry.field
    async def match_review_queue(self, info: Info) -> list[Match]:
        try:
            return _shown(await info.context.matching.review_queue())
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
            match_id=strawberry.ID(str(body["match_id"])), status=MatchStatus(str(body["status"]))
        )
