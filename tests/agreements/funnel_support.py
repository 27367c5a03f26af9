"""A small fair told in the events of every service, for the funnel's tests: four demands
published (and one only submitted), three matches proposed, two of them mutual, two
meetings held, three agreements (one landed, one signed, one started by hand and
terminated). What the funnel must count is written down next to it (``TOTAL``, ...)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from boyin_shared.contracts.agreements import (
    AgreementAmount,
    AgreementChange,
    AgreementCreated,
    AgreementLanded,
    AgreementMember,
    AgreementOrigin,
    AgreementParty,
    AgreementSigned,
    AgreementSnapshot,
    AgreementStageChanged,
    AgreementTerminated,
    Amount,
    Signing,
)
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchParty,
    MatchProposed,
    MutualMatch,
    Proposal,
    ProposedMatches,
)
from boyin_shared.contracts.registry import (
    DemandPublished,
    DemandSnapshot,
    DemandSubmitted,
    DemandTransition,
    DemandUpdated,
)
from boyin_shared.contracts.scheduling import (
    MeetingChange,
    MeetingHeld,
    MeetingParty,
    MeetingSnapshot,
)
from boyin_shared.events import Event

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
E1, E2 = "CQ2026", "CQ2027"
#: the ids the agreements service gives the intentions a match offers (its own offers,
#: made when the match's or the meeting's event reaches it, merge with these)
AGR_1, AGR_2 = "ag_match_mat_1", "ag_match_mat_3"
YUZHONG, WANZHOU = "500103", "500101"


def _at(event: Event, when: datetime) -> Event:
    return event.model_copy(update={"time": when})


def demand(
    demand_id: str,
    channel: str,
    owner: str,
    district: str | None,
    codes: tuple[str, ...],
    editions: tuple[str, ...],
    *,
    status: str = "PUBLISHED",
    revision: int = 2,
) -> DemandSnapshot:
    talent = channel in ("PROJECT_COOPERATION", "JOB_SEEKING")
    values: dict[str, Any] = {
        "demand_id": demand_id,
        "channel": channel,
        "owner_kind": "talent" if talent else "organisation",
        "owner_id": owner,
        "district_code": district,
        "status": status,
        "title": LocalizedText(zh="需求", en=f"Demand {demand_id}"),
        "description": LocalizedText(zh="说明", en="About"),
        "language": "zh",
        "taxonomy_codes": codes,
        "keywords": (),
        "editions": editions,
        "claims": (),
        "details": {},
        "expires_on": None,
        "revision": revision,
    }
    return DemandSnapshot.model_validate(values)


def _transition(kind: type[Event], d: DemandSnapshot) -> Event:
    return kind.create(subject=d.demand_id, data=DemandTransition(demand=d, by_role="OPERATOR"))


def published(d: DemandSnapshot) -> Event:
    return _transition(DemandPublished, d)


def _side(demand_id: str, party: str) -> MatchParty:
    kind = "talent" if party.startswith("tal") else "organisation"
    return MatchParty(party_kind=kind, party_id=party, demand_id=demand_id)


def _proposal(match_id: str, supply: MatchParty, wanted: MatchParty) -> Proposal:
    return Proposal(match_id=match_id, supply=supply, demand=wanted, score=0.8)


def _held(meeting_id: str, match_id: str, a: MatchParty, b: MatchParty) -> Event:
    meeting = MeetingSnapshot(
        meeting_id=meeting_id,
        edition_id=E1,
        requester=MeetingParty(party_kind=a.party_kind, party_id=a.party_id),
        invitee=MeetingParty(party_kind=b.party_kind, party_id=b.party_id),
        source="MATCH",
        match_id=match_id,
        status="ACCEPTED",
        outcome="HELD",
        mode="ON_SITE",
        place=None,
        revision=4,
    )
    return MeetingHeld.create(
        subject=meeting_id, data=MeetingChange(meeting=meeting, by_role="OPERATOR")
    )


def snapshot(
    agreement_id: str,
    stage: str,
    revision: int,
    *,
    origin: AgreementOrigin,
    district: str,
    parties: tuple[MatchParty, ...] = (),
    value: Amount | None = None,
    signed_at: datetime | None = None,
    cooperation_type: str = "TECHNOLOGY_TRANSFER",
    taxonomy_codes: tuple[str, ...] = (),
) -> AgreementSnapshot:
    amounts = (
        (AgreementAmount(kind="CONTRACT_VALUE", amount=value.amount, currency=value.currency),)
        if value
        else ()
    )
    return AgreementSnapshot(
        agreement_id=agreement_id,
        stage=stage,
        parties=tuple(
            AgreementMember(
                party_kind=p.party_kind,
                party_id=p.party_id,
                role="TALENT" if p.party_kind == "talent" else "ORGANISATION",
                demand_id=p.demand_id,
            )
            for p in parties
        ),
        origin=origin,
        title=LocalizedText(zh="协议", en=f"Agreement {agreement_id}"),
        cooperation_type=cooperation_type,
        district_code=district,
        edition_id=E1,
        taxonomy_codes=taxonomy_codes,
        headline=value,
        amounts=amounts,
        signed_at=signed_at,
        revision=revision,
    )


def _change(kind: type[Event], a: AgreementSnapshot, before: str | None) -> Event:
    change = AgreementChange(
        agreement=a, from_stage=before, to_stage=a.stage, by="acc_op", by_role="OPERATOR", at=T0
    )
    return kind.create(subject=a.agreement_id, data=change, sequence=a.revision)


def pipeline(
    agreement_id: str,
    stages: list[str],
    signed_at: datetime | None,
    **terms: Any,
) -> list[Event]:
    """Created at the first stage, then each change; signing and landing add their own."""
    out: list[Event] = []
    before: str | None = None
    signed = False  # the signature stays on the agreement, terminated or not
    for revision, stage in enumerate(stages, start=1):
        signed = signed or stage == "SIGNED"
        a = snapshot(
            agreement_id, stage, revision, signed_at=signed_at if signed else None, **terms
        )
        kind: type[Event] = AgreementCreated if before is None else AgreementStageChanged
        out.append(_change(kind, a, before))
        if stage == "SIGNED" and signed_at is not None:
            members = tuple(
                AgreementParty(party_kind=p.party_kind, party_id=p.party_id, demand_id=p.demand_id)
                for p in a.parties
            )
            signing = Signing(
                agreement_id=agreement_id,
                match_id=a.origin.match_id,
                parties=members,
                signed_at=signed_at,
            )
            out.append(AgreementSigned.create(subject=agreement_id, data=signing))
        if stage == "LANDED":
            out.append(_change(AgreementLanded, a, before))
        if stage == "TERMINATED":
            out.append(_change(AgreementTerminated, a, before))
        before = stage
    return out


def fair() -> list[Event]:
    """Every service's events of the fair, in the order they happened."""
    d1 = demand("dem_1", "PROJECT_COOPERATION", "tal_1", None, ("C33-L1",), (E1,))
    d2 = demand("dem_2", "PROJECT_LANDING", "org_1", YUZHONG, ("C33-L1",), (E1,))
    # back to review after it was published: its newest content names another cluster
    d2b = demand(
        "dem_2", "PROJECT_LANDING", "org_1", YUZHONG, ("C33-L2",), (E1,), status="SUBMITTED"
    )
    d2b = d2b.model_copy(update={"revision": 3})
    d3 = demand("dem_3", "TALENT_RECRUITMENT", "org_2", WANZHOU, ("C33-P1",), (E1,))
    d4 = demand("dem_4", "JOB_SEEKING", "tal_2", None, ("C33-P1",), (E1, E2))
    d5 = demand(
        "dem_5", "PROJECT_LANDING", "org_3", YUZHONG, ("C33-L1",), (E1,), status="SUBMITTED"
    )
    s1, s2, s3, s4 = (
        _side("dem_1", "tal_1"),
        _side("dem_2", "org_1"),
        _side("dem_3", "org_2"),
        _side("dem_4", "tal_2"),
    )
    proposed = ProposedMatches(
        demand_id="dem_1",
        source="auto",
        proposals=(_proposal("mat_1", s1, s2), _proposal("mat_2", s1, s3)),
    )
    events: list[Event] = [
        _transition(DemandPublished, d1),
        _transition(DemandPublished, d2),
        _transition(DemandUpdated, d2b),
        _transition(DemandPublished, d3),
        _transition(DemandPublished, d4),
        _transition(DemandSubmitted, d5),
        MatchesProposed.create(subject="dem_1", data=proposed),
        MatchProposed.create(subject="mat_3", data=_proposal("mat_3", s4, s3)),
        _at(
            MatchMutuallyAccepted.create(
                subject="mat_1",
                data=MutualMatch(match_id="mat_1", first=s1, second=s2, score=0.8),
            ),
            T0,
        ),
        _at(
            MatchMutuallyAccepted.create(
                subject="mat_3",
                data=MutualMatch(match_id="mat_3", first=s4, second=s3, score=0.7),
            ),
            T0,
        ),
        _held("mtg_1", "mat_1", s1, s2),
        _held("mtg_2", "mat_3", s4, s3),
    ]
    events += pipeline(
        AGR_1,
        ["INTENTION", "NEGOTIATING", "DRAFTED", "SIGNED", "IMPLEMENTING", "LANDED"],
        T0 + timedelta(days=10),
        origin=AgreementOrigin(kind="MATCH", match_id="mat_1", meeting_id=None),
        district=YUZHONG,
        parties=(s1, s2),
        value=Amount(amount=Decimal("15000000"), currency="CNY"),
    )
    events += pipeline(
        AGR_2,
        ["INTENTION", "SIGNED"],
        T0 + timedelta(days=20),
        origin=AgreementOrigin(kind="MEETING", match_id=None, meeting_id="mtg_2"),
        district=WANZHOU,
        value=Amount(amount=Decimal("1000000"), currency="USD"),
    )
    events += pipeline(
        "agr_3",
        ["NEGOTIATING", "TERMINATED"],
        None,
        origin=AgreementOrigin(kind="MANUAL", match_id=None, meeting_id=None),
        district=YUZHONG,
        value=Amount(amount=Decimal("500"), currency="CNY"),
    )
    return events


def scrambled(events: list[Event], seed: int) -> list[Event]:
    """Every event once or twice (a redelivery), in an order of ``seed``."""
    rng = random.Random(seed)
    out = events + [e for e in events if rng.random() < 0.5]
    rng.shuffle(out)
    return out


#: the funnel's steps in order: demands, proposals, mutual matches, meetings held,
#: intentions, signed, landed
TOTAL = [4, 3, 2, 2, 3, 2, 1]
BY_DISTRICT = {
    WANZHOU: [1, 2, 1, 1, 1, 1, 0],
    YUZHONG: [1, 1, 1, 1, 2, 1, 1],
    None: [2, 0, 0, 0, 0, 0, 0],
}
