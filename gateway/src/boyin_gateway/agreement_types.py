"""GraphQL types of agreements, their milestones, the ceremony roster and the support
policies with their evaluations, derived from the agreements service's API models
(``boyin_shared.api.agreements``): each class holds only what its model does not say, and
its resolver fields. A map of the model (amounts by kind, support by level) is shown as a
list of its entries."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry

from boyin_gateway.agreement_enums import (
    AgreementStage,
    AmountKind,
    CooperationType,
    DocumentKind,
    MilestoneKind,
    OriginKind,
    PartyRole,
)
from boyin_gateway.demand_types import Party
from boyin_gateway.derived import derived, nested_as, shown_as
from boyin_gateway.schedule_types import party_of
from boyin_gateway.types import (
    Conflict,
    Forbidden,
    InvalidInput,
    LocalizedText,
    NotFound,
    PageInfo,
    described_field,
)
from boyin_shared.api.agreements import (
    AgreementOut,
    ConfirmationOut,
    DocumentOut,
    EvaluationOut,
    EvidenceOut,
    FollowUpOut,
    MilestoneOut,
    OriginOut,
    PartyOut,
    PolicyOut,
    PolicyRefOut,
    PolicyResultOut,
    RosterRowOut,
    SupportOut,
    TermsOut,
    TextOut,
    TransitionOut,
)

#: the agreements service's bilingual text, as every other's
nested_as(TextOut, LocalizedText)

# -- agreements -------------------------------------------------------------------------


@derived(PartyOut, name="AgreementParty", description="A party of an agreement.")
class AgreementParty:
    kind: str = strawberry.field(description="talent or organisation (an investor is one).")
    id: strawberry.ID
    role: PartyRole
    demand_id: strawberry.ID | None

    @described_field("The talent's or organisation's profile (batched per request).")
    async def profile(
        self, root: strawberry.Parent[PartyOut], info: strawberry.Info
    ) -> Party | None:
        return await party_of(info, root.id, root.kind)


@derived(
    OriginOut,
    name="AgreementOrigin",
    description="How an agreement started: after a mutual match, a meeting held, or by hand.",
)
class AgreementOrigin:
    kind: OriginKind
    match_id: strawberry.ID | None
    meeting_id: strawberry.ID | None


@derived(DocumentOut, name="AgreementDocument", description="A document of an agreement.")
class AgreementDocument:
    attachment_id: strawberry.ID
    kind: DocumentKind


@strawberry.type(description="An amount an agreement states, with its currency.")
class AgreementAmount:
    kind: AmountKind
    amount: Decimal
    currency: str


@derived(
    TermsOut,
    name="AgreementTerms",
    description="What an agreement says: its title, cooperation, amounts, district, edition.",
    exclude=["amounts"],
)
class AgreementTerms:
    cooperation_type: CooperationType | None
    edition_id: strawberry.ID | None

    @described_field("The amounts stated, one per kind.")
    def amounts(self, root: strawberry.Parent[TermsOut]) -> list[AgreementAmount]:
        return [
            AgreementAmount(kind=kind, amount=money.amount, currency=money.currency)
            for kind, money in root.amounts.items()
        ]


@derived(
    TransitionOut,
    name="AgreementTransition",
    description="A step of an agreement: from which stage to which, who, when and why.",
)
class AgreementTransition:
    from_stage: AgreementStage | None
    to_stage: AgreementStage


@derived(
    ConfirmationOut,
    name="SignatureConfirmation",
    description="A party's confirmation of its signature.",
)
class SignatureConfirmation:
    party_id: strawberry.ID


@derived(FollowUpOut, name="MilestoneFollowUp", description="A district officer's follow-up.")
class MilestoneFollowUp:
    pass


@derived(
    MilestoneOut,
    name="AgreementMilestone",
    description="A milestone of an agreement's implementation, with its due date.",
)
class AgreementMilestone:
    id: strawberry.ID
    kind: MilestoneKind


@derived(
    AgreementOut,
    name="Agreement",
    description="An agreement between a talent (or team), organisations and investors.",
)
class Agreement:
    id: strawberry.ID
    stage: AgreementStage
    unconfirmed: list[strawberry.ID] = strawberry.field(
        description="The parties whose confirmation of the signature is still missing."
    )


@strawberry.type
class AgreementEdge:
    cursor: str
    node: Agreement


@strawberry.type(description="A page of agreements (Relay-style cursors, 100 at most).")
class AgreementConnection:
    edges: list[AgreementEdge]
    page_info: PageInfo


def agreement_page(agreements: list[AgreementOut], first: int) -> AgreementConnection:
    """``agreements`` asked for with ``first + 1``: one more means another page."""
    edges = [AgreementEdge(cursor=a.id, node=shown_as(Agreement, a)) for a in agreements[:first]]
    return AgreementConnection(
        edges=edges, page_info=PageInfo.of([a.id for a in agreements], first)
    )


# -- the signing ceremony ---------------------------------------------------------------


@derived(
    RosterRowOut,
    name="CeremonyRosterRow",
    description="An agreement on stage at an edition's signing ceremony, in order.",
)
class CeremonyRosterRow:
    agreement_id: strawberry.ID
    cooperation_type: CooperationType | None


@strawberry.type(description="The signing ceremony's roster of an edition.")
class CeremonyRoster:
    edition_id: strawberry.ID
    rows: list[CeremonyRosterRow]


# -- support policies -------------------------------------------------------------------


@derived(
    PolicyOut,
    name="SupportPolicy",
    description="A support policy: its CEL condition, amount formula and cap, its issuer.",
)
class SupportPolicy:
    id: strawberry.ID


@derived(PolicyRefOut, name="PolicyVersion", description="A policy in the version used.")
class PolicyVersion:
    id: strawberry.ID


@derived(EvidenceOut, name="PolicyEvidence", description="Evidence a policy asks for.")
class PolicyEvidence:
    pass


@derived(
    PolicyResultOut,
    name="PolicyResult",
    description="Whether one policy applies to an agreement (or one of its parties) and why.",
)
class PolicyResult:
    party_id: strawberry.ID | None


@strawberry.type(description="The support one level of issuer gives.")
class SupportByLevel:
    level: str
    amount: Decimal


@derived(
    SupportOut,
    name="PartySupport",
    description="The support a party (or the agreement) can claim, combined.",
    exclude=["by_level"],
)
class PartySupport:
    party_id: strawberry.ID | None

    @described_field("The total by level of issuer (city, department, district...).")
    def by_level(self, root: strawberry.Parent[SupportOut]) -> list[SupportByLevel]:
        return [SupportByLevel(level=k, amount=v) for k, v in root.by_level.items()]


@derived(
    EvaluationOut,
    name="SupportEvaluation",
    description="An agreement's evaluation against the support policies, as stored.",
)
class SupportEvaluation:
    id: strawberry.ID
    agreement_id: strawberry.ID


# -- results ----------------------------------------------------------------------------

AgreementResult = Annotated[
    Agreement | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("AgreementResult"),
]
AgreementsResult = Annotated[
    AgreementConnection | InvalidInput | Forbidden, strawberry.union("AgreementsResult")
]
CeremonyRosterResult = Annotated[
    CeremonyRoster | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("CeremonyRosterResult"),
]
SupportEvaluationResult = Annotated[
    SupportEvaluation | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("SupportEvaluationResult"),
]
