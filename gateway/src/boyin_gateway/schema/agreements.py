"""GraphQL of agreements (from an intention to landed, signatures, milestones), the
signing ceremony's roster and the support policies with their evaluations. The agreements
service decides who sees and does what; the gateway refuses visitors where the service
requires a member."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import strawberry

from boyin_gateway import paging
from boyin_gateway.agreement_enums import AgreementStage
from boyin_gateway.agreement_inputs import (
    AgreementFilter,
    AgreementPartyInput,
    AgreementTermsInput,
    MilestoneInput,
    PartyFactsInput,
    StartAgreementInput,
    facts_body,
    terms_body,
)
from boyin_gateway.agreement_types import (
    Agreement,
    AgreementResult,
    AgreementsResult,
    CeremonyRoster,
    CeremonyRosterResult,
    CeremonyRosterRow,
    SupportEvaluation,
    SupportEvaluationResult,
    SupportPolicy,
    agreement_page,
)
from boyin_gateway.clients import ServiceError, sent
from boyin_gateway.context import Context
from boyin_gateway.derived import showing, shown_as
from boyin_gateway.errors import answered, forbidden, problem
from boyin_gateway.permissions import SignedIn, guarded_field, guarded_mutation
from boyin_gateway.schedule_inputs import body_of
from boyin_gateway.types import Forbidden, InvalidInput, described_field
from boyin_shared.api.agreements import (
    AdvanceIn,
    ConfirmIn,
    FollowUpIn,
    ReachedIn,
    RosterRowOut,
    TerminateIn,
)
from boyin_shared.errors import Message

Info = strawberry.Info[Context, None]
MAX_PAGE = 100
#: the prefix of agreement ids (the cursors of ``agreements``)
CURSOR_PREFIX = "ag_"


def sign_in_first() -> Forbidden:
    """The refusal of a visitor where the agreements service requires a member."""
    return forbidden(Message("请先登录", "sign in first"), code="SIGN_IN_REQUIRED")


def _roster(edition_id: str) -> Callable[[list[RosterRowOut]], CeremonyRoster]:
    return lambda rows: CeremonyRoster(
        edition_id=strawberry.ID(edition_id),
        rows=[shown_as(CeremonyRosterRow, r) for r in rows],
    )


@strawberry.type
class AgreementQuery:
    @described_field("An agreement the caller may see (its parties, district officers, staff).")
    async def agreement(self, info: Info, id: strawberry.ID) -> Agreement | None:
        try:
            return shown_as(Agreement, await info.context.agreements.agreement(str(id)))
        except ServiceError:
            return None

    @described_field(
        "The agreements the caller may see: staff all, district officers their district's, "
        "parties their own."
    )
    async def agreements(
        self,
        info: Info,
        filter: AgreementFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> AgreementsResult:
        try:
            size = paging.page_size(first, MAX_PAGE)
            after = paging.cursor(after, CURSOR_PREFIX)
        except paging.PagingError as refused:
            return paging.refused(refused)
        given = filter or AgreementFilter()
        try:
            page = await info.context.agreements.agreements(
                stage=given.stage.value if given.stage else None,
                district_code=given.district_code,
                edition_id=str(given.edition_id) if given.edition_id else None,
                party_id=str(given.party_id) if given.party_id else None,
                after=after,
                limit=size + 1,
            )
        except ServiceError as exc:
            result = problem(exc)
            if isinstance(result, InvalidInput | Forbidden):
                return result
            return agreement_page([], size)
        return agreement_page(page.items, size)

    @described_field(
        "An agreement's support evaluations, newest last (null: no agreement the caller sees)."
    )
    async def agreement_evaluations(
        self, info: Info, id: strawberry.ID
    ) -> list[SupportEvaluation] | None:
        try:
            found = await info.context.agreements.evaluations(str(id))
        except ServiceError:
            return None
        return [shown_as(SupportEvaluation, e) for e in found]

    @described_field("The support policies in force (the newest version of each).")
    async def support_policies(self, info: Info) -> list[SupportPolicy]:
        try:
            found = await info.context.agreements.policies()
        except ServiceError:
            return []
        return [shown_as(SupportPolicy, p) for p in found]

    @guarded_field(
        SignedIn(sign_in_first),
        "The signing ceremony's roster of an edition (staff): the signed agreements in "
        "`order` (each once), or without it every signed agreement in the order signed. "
        "Downloads: /files/editions/{id}/roster?format=xlsx|html&lang=zh|en&order=...",
    )
    async def edition_roster(
        self, info: Info, edition_id: strawberry.ID, order: list[strawberry.ID] | None = None
    ) -> CeremonyRosterResult:
        ids = [str(i) for i in order] if order is not None else None
        return await answered(
            info.context.agreements.roster(str(edition_id), ids), _roster(str(edition_id))
        )


@strawberry.type
class AgreementMutation:
    @guarded_mutation(
        SignedIn(sign_in_first),
        "Start an agreement by hand (an intention) between a talent, organisations and "
        "investors (staff, or one of its parties).",
    )
    async def start_agreement(self, info: Info, input: StartAgreementInput) -> AgreementResult:
        body = {
            "parties": body_of(input.parties),
            "terms": terms_body(input.terms),
            "taxonomy_codes": list(input.taxonomy_codes),
        }
        return await answered(info.context.agreements.start(body), showing(Agreement))

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Move an agreement to its next stage (a step may not be skipped; signing takes "
        "every party's confirmation).",
    )
    async def advance_agreement(
        self, info: Info, id: strawberry.ID, to: AgreementStage, reason: str | None = None
    ) -> AgreementResult:
        body = sent(AdvanceIn.model_construct(to=to, reason=reason))
        return await answered(
            info.context.agreements.agreement_action(str(id), "advance", body),
            showing(Agreement),
        )

    @guarded_mutation(SignedIn(sign_in_first), "Terminate an agreement before it has landed.")
    async def terminate_agreement(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> AgreementResult:
        body = sent(TerminateIn.model_construct(reason=reason))
        return await answered(
            info.context.agreements.agreement_action(str(id), "terminate", body),
            showing(Agreement),
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "A party confirms its signature (staff name the party); the last one signs.",
    )
    async def confirm_signature(
        self, info: Info, id: strawberry.ID, party_id: strawberry.ID
    ) -> AgreementResult:
        body = sent(ConfirmIn.model_construct(party_id=str(party_id)))
        return await answered(
            info.context.agreements.agreement_action(str(id), "confirm", body),
            showing(Agreement),
        )

    @guarded_mutation(SignedIn(sign_in_first), "Replace an agreement's terms.")
    async def amend_agreement_terms(
        self, info: Info, id: strawberry.ID, terms: AgreementTermsInput
    ) -> AgreementResult:
        return await answered(
            info.context.agreements.agreement_action(str(id), "terms", terms_body(terms)),
            showing(Agreement),
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Add an organisation or an investor to an agreement before it is signed (staff); "
        "the confirmations given so far are cleared.",
    )
    async def add_agreement_party(
        self, info: Info, id: strawberry.ID, party: AgreementPartyInput
    ) -> AgreementResult:
        return await answered(
            info.context.agreements.agreement_action(str(id), "parties", body_of(party)),
            showing(Agreement),
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Remove an organisation or an investor from an agreement before it is signed "
        "(staff); the confirmations given so far are cleared.",
    )
    async def remove_agreement_party(
        self, info: Info, id: strawberry.ID, party_id: strawberry.ID
    ) -> AgreementResult:
        return await answered(
            info.context.agreements.remove_party(str(id), str(party_id)), showing(Agreement)
        )

    @guarded_mutation(
        SignedIn(sign_in_first), "Plan a milestone (not due before the signature), or re-plan one."
    )
    async def plan_milestone(
        self, info: Info, id: strawberry.ID, input: MilestoneInput
    ) -> AgreementResult:
        return await answered(
            info.context.agreements.agreement_action(str(id), "milestones", body_of(input)),
            showing(Agreement),
        )

    @guarded_mutation(SignedIn(sign_in_first), "Record the day a milestone was reached.")
    async def reach_milestone(
        self, info: Info, id: strawberry.ID, milestone_id: strawberry.ID, reached_on: date
    ) -> AgreementResult:
        body = sent(ReachedIn.model_construct(reached_on=reached_on))
        return await answered(
            info.context.agreements.milestone_action(str(id), str(milestone_id), "reached", body),
            showing(Agreement),
        )

    @guarded_mutation(SignedIn(sign_in_first), "A district officer's follow-up of a milestone.")
    async def follow_up_milestone(
        self, info: Info, id: strawberry.ID, milestone_id: strawberry.ID, note: str
    ) -> AgreementResult:
        body = sent(FollowUpIn.model_construct(note=note))
        return await answered(
            info.context.agreements.milestone_action(
                str(id), str(milestone_id), "follow-ups", body
            ),
            showing(Agreement),
        )

    @guarded_mutation(
        SignedIn(sign_in_first),
        "Evaluate an agreement against the support policies (on a day; today by default) "
        "with what the caller states about its parties; the evaluation is stored.",
    )
    async def evaluate_support(
        self,
        info: Info,
        id: strawberry.ID,
        on: date | None = None,
        parties: list[PartyFactsInput] | None = None,
    ) -> SupportEvaluationResult:
        body = body_of({"on": on, "parties": facts_body(parties or [])})
        return await answered(
            info.context.agreements.evaluate(str(id), body), showing(SupportEvaluation)
        )
