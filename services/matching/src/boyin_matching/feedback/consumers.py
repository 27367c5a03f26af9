"""Feedback's event handlers: scheduling's meeting outcomes, mentors' screening,
agreements signed."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.feedback.service import Feedback
from boyin_matching.proposals.domain import Agreement, MeetingOutcome
from boyin_shared.bus import Handler
from boyin_shared.contracts.agreements import AgreementSigned
from boyin_shared.contracts.mentors import ProjectScreened
from boyin_shared.contracts.scheduling import MeetingHeld, MeetingNoShow
from boyin_shared.events import Event


@dataclass
class FeedbackConsumers:
    feedback: Feedback

    async def on_outcome(self, event: MeetingHeld | MeetingNoShow) -> None:
        m = event.data.meeting
        absent = set(event.data.absent) if isinstance(event, MeetingNoShow) else set()
        meeting = MeetingOutcome(m.meeting_id, m.outcome, tuple(sorted(absent)))
        parties = (m.requester.party_id, m.invitee.party_id)
        await self.feedback.meeting_outcome(meeting, parties, m.revision, m.match_id)

    async def on_screened(self, event: ProjectScreened) -> None:
        d = event.data
        await self.feedback.screened(d.demand_id, d.mentor_id, d.score, event.time.isoformat())

    async def on_signed(self, event: AgreementSigned) -> None:
        d = event.data
        agreement = Agreement(d.agreement_id, d.signed_at.isoformat())
        await self.feedback.signed(agreement, [p.party_id for p in d.parties], d.match_id)

    def handlers(self) -> dict[type[Event], Handler]:
        return {
            MeetingHeld: self.on_outcome,
            MeetingNoShow: self.on_outcome,
            ProjectScreened: self.on_screened,
            AgreementSigned: self.on_signed,
        }
