"""GraphQL of matching: each demand's explained matches, answering, the counterpart's
contacts after a mutual yes, and operators' control (their queue, confirming or
withdrawing a proposal, adding a match by hand)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from boyin_gateway import paging
from boyin_gateway.agreement_types import Agreement
from boyin_gateway.clients import ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.errors import answered, problem
from boyin_gateway.permissions import staff_mutation
from boyin_gateway.registry_enums import Answer, MatchStatus
from boyin_gateway.schedule_enums import MeetingOutcome
from boyin_gateway.types import (
    Conflict,
    Contact,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
)
from boyin_shared.api.matching import (
    ExplanationLineOut,
    ExplanationOut,
    MatchOut,
    MeetingOutcomeOut,
)

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
    ExplanationLineOut,
    name="MatchExplanationLine",
    description="One line of an explanation: a sentence in zh and en, and its code for machines.",
)
class MatchExplanationLine:
    pass


@derived(
    ExplanationOut,
    name="MatchExplanation",
    description="Why two demands match, and what does not fit or calls for caution.",
)
class MatchExplanation:
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


async def _counterpart_contacts(
    root: strawberry.Parent[MatchOut], info: Info
) -> list[Contact] | None:
    found = await info.context.loaders.contacts(root.counterpart_party_id, root.counterpart_kind)
    return None if found is None else [shown_as(Contact, c) for c in found]


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
    counterpart_contacts: list[Contact] | None = strawberry.field(
        resolver=_counterpart_contacts,
        description="How to reach the other side (its contact persons), as the registry "
        "discloses them: to the two sides once they have a mutual match (both said yes), to "
        "operators and administrators and to the district officer of an organisation's "
        "district; null for anyone else. Each disclosure is audit-logged (auditOfParty).",
    )


@strawberry.type
class MatchAnswer:
    """Written by hand: matching answers ``respond`` with a bare ``{match_id, status}``."""

    match_id: strawberry.ID
    status: MatchStatus


AnswerResult = Annotated[MatchAnswer | Forbidden | NotFound, strawberry.union("AnswerResult")]
ReviewMatchResult = Annotated[
    Match | InvalidInput | Conflict | Forbidden | NotFound, strawberry.union("ReviewMatchResult")
]
AddMatchResult = Annotated[
    Match | InvalidInput | Conflict | Forbidden | NotFound, strawberry.union("AddMatchResult")
]


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

    @staff_mutation(
        "Confirm a proposed match after review, with a note for the record (operators and "
        "administrators); it leaves the review queue. Answered as the supply side sees it."
    )
    async def confirm_match(
        self, info: Info, id: strawberry.ID, note: str | None = None
    ) -> ReviewMatchResult:
        review = info.context.matching.review(str(id), note=note, withdraw=False)
        return await answered(review, _match)

    @staff_mutation(
        "Withdraw a proposed match (operators and administrators): neither side is offered "
        "it any more; it leaves the review queue."
    )
    async def withdraw_match(
        self, info: Info, id: strawberry.ID, note: str | None = None
    ) -> ReviewMatchResult:
        review = info.context.matching.review(str(id), note=note, withdraw=True)
        return await answered(review, _match)

    @staff_mutation(
        "Propose a match no ranking proposed (operators and administrators): both demands "
        "published, on channels that match each other; scored, explained and offered to "
        "both sides like any other (source operator). Answered as demandId's side sees it."
    )
    async def add_match(
        self,
        info: Info,
        demand_id: strawberry.ID,
        counterpart_demand_id: strawberry.ID,
        note: str,
    ) -> AddMatchResult:
        added = info.context.matching.add_by_hand(str(demand_id), str(counterpart_demand_id), note)
        return await answered(added, _match)


def _match(found: MatchOut) -> Match:
    return shown_as(Match, found)
