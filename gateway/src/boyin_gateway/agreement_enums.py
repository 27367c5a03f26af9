"""The agreements service's enums (``boyin_shared.api.agreements``, one definition each) as
GraphQL enums: import them from here, so that they are shown before a type or input uses
them. Those whose names are too general for the one schema are shown as ``Agreement...``."""

from __future__ import annotations

import strawberry

from boyin_shared.api.agreements import (
    AgreementStage,
    AmountKind,
    CooperationType,
    DocumentKind,
    MilestoneKind,
    OriginKind,
    PartyRole,
)

__all__ = [
    "AgreementStage",
    "AmountKind",
    "CooperationType",
    "DocumentKind",
    "MilestoneKind",
    "OriginKind",
    "PartyRole",
]

strawberry.enum(AgreementStage)
strawberry.enum(CooperationType, description="How the parties of an agreement cooperate.")
strawberry.enum(
    PartyRole,
    name="AgreementPartyRole",
    description="What a party is in an agreement: the talent, an organisation or an investor.",
)
strawberry.enum(OriginKind, name="AgreementOriginKind")
strawberry.enum(AmountKind, name="AgreementAmountKind")
strawberry.enum(DocumentKind, name="AgreementDocumentKind")
strawberry.enum(MilestoneKind)
