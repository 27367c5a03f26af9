"""GraphQL of the registry: organisations, talents and demands."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated
from urllib.parse import quote

import strawberry

from boyin_gateway import paging
from boyin_gateway.accounts.service import already_bound
from boyin_gateway.attempts import RegistrationThrottle
from boyin_gateway.clients import ServiceError, sent
from boyin_gateway.context import Context
from boyin_gateway.demand_types import (
    Demand,
    DemandConnection,
    DemandContentInput,
    DemandEdge,
    DemandFilter,
    content_body,
)
from boyin_gateway.derived import derived_input, shown_as
from boyin_gateway.errors import problem
from boyin_gateway.permissions import acts_for_no_party_yet
from boyin_gateway.registry_enums import Criterion, Degree
from boyin_gateway.types import (
    Conflict,
    DistrictSupply,
    Forbidden,
    InvalidInput,
    NotFound,
    Organisation,
    OrganisationConnection,
    OrganisationEdge,
    OrganisationInput,
    PageInfo,
    RegisterOrganisationResult,
    Talent,
    described_mutation,
)
from boyin_shared.api.registry import (
    ClaimReviewIn,
    ConsentIn,
    DemandOut,
    EditionIn,
    OptionalReasonIn,
    ReasonIn,
    TalentIn,
    TeamMemberIn,
)

MAX_PAGE = 100
Info = strawberry.Info[Context, None]

DemandResult = Annotated[
    Demand | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("DemandResult")
]
RegisterTalentResult = Annotated[
    Talent | InvalidInput | Conflict | Forbidden, strawberry.union("RegisterTalentResult")
]
UpdateOrganisationResult = Annotated[
    Organisation | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("UpdateOrganisationResult"),
]


@strawberry.type(description="How many published demands past their closing date expired.")
class ExpiredDemands:
    expired: int


ExpireDueResult = Annotated[ExpiredDemands | Forbidden, strawberry.union("ExpireDueResult")]


@derived_input(TeamMemberIn, name="TeamMemberInput")
class TeamMemberInput:
    pass


@derived_input(
    ConsentIn,
    name="ConsentInput",
    description="Agreement to the current privacy notice and its purposes.",
)
class ConsentInput:
    pass


@derived_input(TalentIn, name="TalentInput")
class TalentInput:
    degree: Degree


async def _demand(
    call: Awaitable[DemandOut],
) -> Demand | InvalidInput | Conflict | NotFound | Forbidden:
    try:
        return shown_as(Demand, await call)
    except ServiceError as exc:
        return problem(exc)


@strawberry.type
class RegistryQuery:
    @strawberry.field
    async def organisation(self, info: Info, id: strawberry.ID) -> Organisation | None:
        return await info.context.loaders.organisations.load(str(id))

    @strawberry.field
    async def organisations(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        district_code: str | None = None,
    ) -> OrganisationConnection:
        page = await info.context.registry.organisations(
            district_code=district_code,
            after=paging.cursor(after, "org_"),
            limit=paging.page_size(first, MAX_PAGE),
        )
        edges = [OrganisationEdge(cursor=o.id, node=shown_as(Organisation, o)) for o in page.items]
        return OrganisationConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.next_after is not None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field
    async def talent(self, info: Info, id: strawberry.ID) -> Talent | None:
        return await info.context.loaders.talents.load(str(id))

    @strawberry.field
    async def demand(self, info: Info, id: strawberry.ID) -> Demand | None:
        found = await info.context.registry.demand(str(id))
        return shown_as(Demand, found) if found else None

    @strawberry.field
    async def demands(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: DemandFilter | None = None,
    ) -> DemandConnection:
        params = (filter or DemandFilter()).to_params() | {
            "after": paging.cursor(after, "dem_"),
            "limit": paging.page_size(first, MAX_PAGE),
        }
        page = await info.context.registry.demands(params)
        edges = [DemandEdge(cursor=d.id, node=shown_as(Demand, d)) for d in page.items]
        return DemandConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.next_after is not None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )

    @strawberry.field
    async def district_supply(self, info: Info) -> list[DistrictSupply]:
        return [shown_as(DistrictSupply, d) for d in await info.context.matching.district_supply()]


async def _already_bound(info: Info) -> Conflict | None:
    """A token issued before the account registered still says it has no party: ask the
    account, or the registry would create a second profile no account acts for."""
    actor = info.context.actor
    if not acts_for_no_party_yet(actor):
        return None
    account = await info.context.accounts.get(actor.account_id)
    if account is None or account.party_id is None:
        return None
    refusal = problem(already_bound())
    assert isinstance(refusal, Conflict), refusal
    return refusal


async def _bind_if_self_registered(info: Info, party_id: str) -> None:
    actor = info.context.actor
    if acts_for_no_party_yet(actor):
        await info.context.accounts.bind_party(actor.account_id, party_id)


@strawberry.type
class RegistryMutation:
    # one's own registrations are limited per account (attempts.py)
    @strawberry.mutation(extensions=[RegistrationThrottle()])  # type: ignore[untyped-decorator]
    async def register_organisation(
        self, info: Info, input: OrganisationInput
    ) -> RegisterOrganisationResult:
        if (bound := await _already_bound(info)) is not None:
            return bound
        body = strawberry.asdict(input)
        try:
            made = await info.context.registry.register_organisation(body)
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Conflict | Forbidden)
            return result
        await _bind_if_self_registered(info, made.id)
        return shown_as(Organisation, made)

    @strawberry.mutation(extensions=[RegistrationThrottle()])  # type: ignore[untyped-decorator]
    async def register_talent(self, info: Info, input: TalentInput) -> RegisterTalentResult:
        if (bound := await _already_bound(info)) is not None:
            return bound
        body = strawberry.asdict(input)
        try:
            made = await info.context.registry.register_talent(body)
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, InvalidInput | Conflict | Forbidden)
            return result
        await _bind_if_self_registered(info, made.id)
        return shown_as(Talent, made)

    @described_mutation(
        "Replace an organisation's profile with `input` (what it leaves out, "
        "e.g. platforms or contacts, is removed): the organisation itself, staff, or its "
        "district's officer (who may not move it to another district)."
    )
    async def update_organisation(
        self, info: Info, id: strawberry.ID, input: OrganisationInput
    ) -> UpdateOrganisationResult:
        try:
            changed = await info.context.registry.update_organisation(
                str(id), strawberry.asdict(input)
            )
        except ServiceError as exc:
            return problem(exc)
        return shown_as(Organisation, changed)

    @described_mutation(
        "Expire the published demands whose closing date has passed now, rather "
        "than at the registry's next hourly run (operators and administrators)."
    )
    async def expire_due_demands(self, info: Info) -> ExpireDueResult:
        try:
            return ExpiredDemands(expired=await info.context.registry.expire_due())
        except ServiceError as exc:
            result = problem(exc)
            assert isinstance(result, Forbidden), result
            return result

    @strawberry.mutation
    async def create_demand(
        self, info: Info, owner_id: str, content: DemandContentInput, submit: bool = False
    ) -> DemandResult:
        body = content_body(content) | {"owner_id": owner_id, "submit": submit}
        return await _demand(info.context.registry.create_demand(body))

    @strawberry.mutation
    async def edit_demand(
        self, info: Info, id: strawberry.ID, content: DemandContentInput
    ) -> DemandResult:
        return await _demand(info.context.registry.edit_demand(str(id), content_body(content)))

    @strawberry.mutation
    async def submit_demand(self, info: Info, id: strawberry.ID) -> DemandResult:
        return await _demand(info.context.registry.demand_action(str(id), "submit"))

    @strawberry.mutation
    async def start_demand_review(self, info: Info, id: strawberry.ID) -> DemandResult:
        return await _demand(info.context.registry.demand_action(str(id), "start-review"))

    @strawberry.mutation
    async def review_claim(
        self,
        info: Info,
        id: strawberry.ID,
        criterion: Criterion,
        confirmed: bool,
        note: str | None = None,
    ) -> DemandResult:
        body = sent(
            ClaimReviewIn.model_construct(
                outcome="CONFIRMED" if confirmed else "REJECTED", note=note
            )
        )
        return await _demand(
            info.context.registry.demand_action(
                str(id), f"claims/{quote(criterion.value, safe='')}/review", body
            )
        )

    @strawberry.mutation
    async def publish_demand(self, info: Info, id: strawberry.ID) -> DemandResult:
        return await _demand(info.context.registry.demand_action(str(id), "publish"))

    @strawberry.mutation
    async def return_demand(self, info: Info, id: strawberry.ID, comments: str) -> DemandResult:
        body = sent(ReasonIn.model_construct(reason=comments))
        return await _demand(info.context.registry.demand_action(str(id), "return", body))

    @strawberry.mutation
    async def reject_demand(self, info: Info, id: strawberry.ID, reason: str) -> DemandResult:
        body = sent(ReasonIn.model_construct(reason=reason))
        return await _demand(info.context.registry.demand_action(str(id), "reject", body))

    @strawberry.mutation
    async def withdraw_demand(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> DemandResult:
        body = sent(OptionalReasonIn.model_construct(reason=reason))
        return await _demand(info.context.registry.demand_action(str(id), "withdraw", body))

    @strawberry.mutation
    async def reactivate_demand(self, info: Info, id: strawberry.ID, edition: str) -> DemandResult:
        body = sent(EditionIn.model_construct(edition=edition))
        return await _demand(info.context.registry.demand_action(str(id), "reactivate", body))
