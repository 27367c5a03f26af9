"""From agreements to their integration events: the agreement as it now is, by ids only
(no contact details ever travel in an event)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from boyin_agreements.agreements.history import Transition
from boyin_agreements.agreements.milestones import Milestone
from boyin_agreements.agreements.parties import Origin, Party
from boyin_agreements.agreements.terms import Terms
from boyin_shared.api.agreements import AgreementStage
from boyin_shared.contracts.agreements import (
    AgreementAmount,
    AgreementChange,
    AgreementMember,
    AgreementOrigin,
    AgreementParty,
    AgreementSigned,
    AgreementSnapshot,
    Amount,
    MilestoneChange,
    MilestoneSnapshot,
    Signing,
)
from boyin_shared.contracts.attachments import AttachmentHeld, AttachmentHold, AttachmentReleased
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.events import Event
from boyin_shared.identity import Actor


class AgreementView(Protocol):
    """What an event reads of an agreement (the domain's ``Agreement`` is one; the domain
    builds its events with these functions, so this module cannot import it)."""

    @property
    def id(self) -> str: ...
    @property
    def stage(self) -> AgreementStage: ...
    @property
    def parties(self) -> Sequence[Party]: ...
    @property
    def origin(self) -> Origin: ...
    @property
    def terms(self) -> Terms: ...
    @property
    def taxonomy_codes(self) -> tuple[str, ...]: ...
    @property
    def signed_at(self) -> datetime | None: ...
    @property
    def revision(self) -> int: ...


def snapshot(a: AgreementView) -> AgreementSnapshot:
    t = a.terms
    headline = t.amounts.headline
    return AgreementSnapshot(
        agreement_id=a.id,
        stage=a.stage.value,
        parties=tuple(
            AgreementMember(
                party_kind=p.kind, party_id=p.id, role=p.role.value, demand_id=p.demand_id
            )
            for p in a.parties
        ),
        origin=AgreementOrigin(
            kind=a.origin.kind.value, match_id=a.origin.match_id, meeting_id=a.origin.meeting_id
        ),
        title=LocalizedText(zh=t.title.zh, en=t.title.en),
        cooperation_type=t.cooperation_type.value if t.cooperation_type else None,
        district_code=t.district_code,
        edition_id=t.edition_id,
        taxonomy_codes=a.taxonomy_codes,
        headline=Amount(amount=headline.amount, currency=headline.currency) if headline else None,
        amounts=tuple(
            AgreementAmount(kind=kind.value, amount=m.amount, currency=m.currency)
            for kind, m in t.amounts.items()
        ),
        signed_at=a.signed_at,
        revision=a.revision,
    )


def change_event(kind: type[Event], a: AgreementView, step: Transition) -> Event:
    """``kind`` (created, stage changed, landed, terminated) of ``step`` to ``a``."""
    data = AgreementChange(
        agreement=snapshot(a),
        from_stage=step.from_stage.value if step.from_stage else None,
        to_stage=step.to_stage.value,
        by=step.by,
        by_role=step.role.value,
        reason=step.reason,
        at=step.at,
    )
    return kind.create(subject=a.id, sequence=a.revision, data=data)


def signed_event(a: AgreementView) -> Event:
    """``AgreementSigned``: the match it grew from and its parties (matching's feedback)."""
    assert a.signed_at is not None
    data = Signing(
        agreement_id=a.id,
        match_id=a.origin.match_id,
        parties=tuple(
            AgreementParty(party_kind=p.kind, party_id=p.id, demand_id=p.demand_id)
            for p in a.parties
        ),
        signed_at=a.signed_at,
    )
    return AgreementSigned.create(subject=a.id, sequence=a.revision, data=data)


def milestone_event(kind: type[Event], a: AgreementView, m: Milestone, actor: Actor) -> Event:
    """``kind`` (reached, overdue) of milestone ``m`` of ``a``."""
    data = MilestoneChange(
        agreement=snapshot(a),
        milestone=MilestoneSnapshot(
            milestone_id=m.id,
            kind=m.kind.value,
            label=m.label,
            due=m.due,
            reached_on=m.reached_on,
            required=m.required,
        ),
        by_role=actor.role.value,
    )
    return kind.create(subject=a.id, sequence=a.revision, data=data)


def hold_event(
    kind: type[AttachmentHeld | AttachmentReleased], a: AgreementView, attachment_id: str
) -> Event:
    """The registry's attachment ``attachment_id`` held (or released) by agreement ``a``, so
    that the registry never removes a file an agreement shows."""
    hold = AttachmentHold(
        attachment_id=attachment_id, service="agreements", holder_kind="agreement", holder_id=a.id
    )
    return kind.create(subject=attachment_id, data=hold)
