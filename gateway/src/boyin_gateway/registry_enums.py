"""The registry's and matching's enums (``boyin_shared.api.registry``,
``boyin_shared.api.matching``; one definition each) as GraphQL enums: import them from
here, so that they are shown before a type or input uses them (scheduling's are in
``schedule_enums``).

A GraphQL enum's values are the enum's names, which are its values too: the JSON of an
answer is what the service sends. An input typed with one of them is refused by GraphQL
validation when its value is not allowed (the allowed values are in the schema); the
service still validates what it is sent.

Enums of the services whose values are not GraphQL names of this kind (matching's
``ProposalSource`` and ``JobState``, lower case) stay ``String`` fields.
"""

from __future__ import annotations

import strawberry

from boyin_shared.api.matching import Answer, MatchStatus
from boyin_shared.api.registry import (
    Channel,
    Claimant,
    ClaimReview,
    CooperationMode,
    Criterion,
    Degree,
    ImportKind,
    ImportStatus,
    IpStatus,
    OrganisationKind,
    PlatformLevel,
    Stage,
    Status,
    WorkMode,
)

__all__ = [
    "Answer",
    "Channel",
    "ClaimReview",
    "Claimant",
    "CooperationMode",
    "Criterion",
    "Degree",
    "ImportKind",
    "ImportStatus",
    "IpStatus",
    "MatchStatus",
    "OrganisationKind",
    "PlatformLevel",
    "Stage",
    "Status",
    "WorkMode",
]

strawberry.enum(Channel, name="Channel")
strawberry.enum(Status, name="DemandStatus")
strawberry.enum(
    Claimant, name="ClaimantSide", description="Which side of a match may claim a criterion."
)
strawberry.enum(ImportStatus, name="ImportStatus")
strawberry.enum(ImportKind, description="What one row of an import file is.")
strawberry.enum(OrganisationKind, description="What kind of organisation it is.")
strawberry.enum(PlatformLevel, description="Who recognised a research or innovation platform.")
strawberry.enum(Degree, description="A talent's highest degree (or where they stand in it).")
strawberry.enum(Stage, name="ProjectStage", description="How far a project has come.")
strawberry.enum(IpStatus, description="Where a project's intellectual property stands.")
strawberry.enum(CooperationMode, description="A way of working together on a project.")
strawberry.enum(WorkMode, description="Full time, part time or flexible (柔性引才).")
strawberry.enum(Criterion, description="An eligibility criterion a demand may claim.")
strawberry.enum(ClaimReview, description="Staff's review of a claimed criterion.")
strawberry.enum(MatchStatus, description="Where a proposed match stands.")
strawberry.enum(Answer, name="ProposalAnswer", description="One side's answer to a proposed match.")
