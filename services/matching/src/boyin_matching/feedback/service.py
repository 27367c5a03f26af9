"""Recording what happened after matching: meeting outcomes, mentors' screening, signed
agreements (see ``domain`` for what they do to the ranking). Each record is idempotent:
a redelivered or late older fact changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boyin_matching.feedback.repository import FeedbackRepository
from boyin_matching.proposals.domain import Agreement, MeetingOutcome
from boyin_matching.proposals.service import Proposals


@dataclass
class Feedback:
    repository: FeedbackRepository
    proposals: Proposals

    async def meeting_outcome(
        self,
        meeting: MeetingOutcome,
        parties: Sequence[str],
        revision: int,
        match_id: str | None,
    ) -> None:
        """A meeting between ``parties`` took place (or not: ``meeting.absent``): each
        party showed or missed it, and the match it came from carries the outcome. The
        meeting's ``revision`` orders its outcomes (a corrected one replaces the first)."""
        order = f"{revision:012d}"
        for party in parties:
            outcome = "missed" if party in meeting.absent else "showed"
            await self.repository.meeting(party, meeting.meeting_id, outcome, order)
        if match_id is not None:
            await self.proposals.record_meeting(match_id, meeting)

    async def screened(self, demand_id: str, mentor_id: str, score: int, at: str) -> None:
        """A mentor scored a demand (``at`` orders a mentor's scores: the latest counts)."""
        await self.repository.screening(demand_id, mentor_id, score, at)

    async def signed(
        self, agreement: Agreement, parties: Sequence[str], match_id: str | None
    ) -> None:
        """``parties`` signed an agreement, which the match it came from carries."""
        for party in parties:
            await self.repository.agreement(party, agreement.agreement_id)
        if match_id is not None:
            await self.proposals.record_agreement(match_id, agreement)
