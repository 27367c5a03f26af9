"""The platform's events as the gateway's feeds receive them, made for the feed tests
(the gateway on the fakes hears them through ``Gateway.publish``)."""

from __future__ import annotations

from typing import Any

from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import (
    DemandPublished,
    DemandSnapshot,
    DemandSubmitted,
    DemandTransition,
)
from boyin_shared.contracts.scheduling import (
    MeetingCancelled,
    MeetingChange,
    MeetingParty,
    MeetingSnapshot,
)


def snapshot(demand_id: str, owner_id: str, **overrides: Any) -> DemandSnapshot:
    """A talent's project (PROJECT_COOPERATION) as the registry announces it."""
    values: dict[str, Any] = {
        "demand_id": demand_id,
        "channel": "PROJECT_COOPERATION",
        "owner_kind": "talent",
        "owner_id": owner_id,
        "district_code": None,
        "status": "PUBLISHED",
        "title": LocalizedText(zh="高纯靶材联合研发", en=f"Project {demand_id}"),
        "description": LocalizedText(zh="寻求合作", en="Seeking partners"),
        "language": "zh",
        "taxonomy_codes": ("C33-L3",),
        "keywords": (),
        "editions": ("CQ2026",),
        "claims": (),
        "details": {"stage": "PROTOTYPE", "trl": 5},
        "expires_on": None,
        "revision": 3,
    }
    return DemandSnapshot.model_validate(values | overrides)


def published(demand: DemandSnapshot) -> DemandPublished:
    return DemandPublished.create(
        subject=demand.demand_id, data=DemandTransition(demand=demand, by_role="OPERATOR")
    )


def submitted(demand: DemandSnapshot) -> DemandSubmitted:
    return DemandSubmitted.create(
        subject=demand.demand_id, data=DemandTransition(demand=demand, by_role="ORGANISATION")
    )


def project(demand_id: str, owner_id: str, code: str, funding: int) -> DemandPublished:
    """A project published with a taxonomy code and the funding it seeks."""
    details = {"stage": "PROTOTYPE", "trl": 5, "funding_sought_wan": funding}
    return published(snapshot(demand_id, owner_id, taxonomy_codes=(code,), details=details))


def landing(demand_id: str, owner_id: str, district_code: str) -> DemandSubmitted:
    """An organisation's landing offer submitted for review in its district."""
    demand = snapshot(
        demand_id,
        owner_id,
        channel="PROJECT_LANDING",
        owner_kind="organisation",
        district_code=district_code,
        status="SUBMITTED",
        details={"budget_wan": 500},
    )
    return submitted(demand)


def meeting_cancelled(
    meeting_id: str, edition_id: str, requester: str, invitee: str
) -> MeetingCancelled:
    """Staff cancelled a talent's (``requester``) meeting with an organisation."""
    meeting = MeetingSnapshot(
        meeting_id=meeting_id,
        edition_id=edition_id,
        requester=MeetingParty(party_kind="talent", party_id=requester),
        invitee=MeetingParty(party_kind="organisation", party_id=invitee),
        source="DIRECT",
        match_id=None,
        status="CANCELLED",
        outcome=None,
        mode=None,
        place=None,
        revision=3,
    )
    change = MeetingChange(meeting=meeting, by_role="OPERATOR")
    return MeetingCancelled.create(subject=meeting_id, data=change)
