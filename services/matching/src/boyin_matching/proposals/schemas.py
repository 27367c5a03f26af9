"""Proposals as the API shows them (``boyin_shared.api.matching``): each from one side's
point of view, with its explanation."""

from __future__ import annotations

from boyin_matching.feedback.domain import Known
from boyin_matching.proposals.domain import Proposal, Side
from boyin_matching.ranking.explain import Explanation
from boyin_matching.ranking.scorer import NO_GOOD_MATCH
from boyin_shared.api.matching import (
    AgreementOut,
    ExplanationLineOut,
    ExplanationOut,
    MatchOut,
    MatchStatus,
    MeetingOutcomeOut,
)
from boyin_shared.errors import Message


def shown_status(p: Proposal) -> str:
    """What either side is told: mutual, withdrawn (as an operator's review answers it;
    no list shows one) or open (a no is never shown, not even to the side that said it:
    it may change its mind)."""
    if p.status in (MatchStatus.MUTUAL, MatchStatus.WITHDRAWN):
        return p.status.value
    return MatchStatus.PROPOSED.value


def _line(code: str, message: Message) -> ExplanationLineOut:
    return ExplanationLineOut(code=code, zh=message.zh, en=message.en)


def _explanation_out(
    p: Proposal, viewer_demand: str, explanation: Explanation, known: Known, operator: bool
) -> ExplanationOut:
    capped = explanation.capped_note if operator else None
    out = ExplanationOut(
        reasons=[_line(r.code, r.message) for r in explanation.reasons],
        mismatches=[_line(r.code, r.message) for r in explanation.mismatches],
        capped_note={"zh": capped.zh, "en": capped.en} if capped else None,
    )
    other = p.other_side(viewer_demand)
    records, screenings = known
    screened = screenings.get(other.demand_id)
    if screened is not None:  # mentors' view of the counterpart: a reason for everyone
        out.reasons.append(_line("MENTOR_SCREENING", screened.reason()))
    record = records.get(other.party_id) if operator else None
    note = record.note() if record else None
    if note is not None:
        out.reliability_note = {"zh": note.zh, "en": note.en}
    return out


def match_out(
    p: Proposal,
    viewer_demand: str,
    explanation: Explanation | None,
    known: Known,
    *,
    operator: bool,
) -> MatchOut:
    """``p`` as ``viewer_demand``'s side sees it (``operator``: with the notes only
    operators read; ``known``: what feedback knows of the page's parties and demands)."""
    mine: Side = "supply" if p.supply.demand_id == viewer_demand else "demand"
    other = p.other_side(viewer_demand)
    answer = p.responses.get(mine)
    meeting, agreement = p.meeting, p.agreement
    return MatchOut(
        match_id=p.id,
        demand_id=viewer_demand,
        counterpart_demand_id=other.demand_id,
        counterpart_kind=other.party_kind,
        counterpart_party_id=other.party_id,
        score=p.scores.score,
        good_match=p.scores.score >= NO_GOOD_MATCH,
        status=shown_status(p),
        my_response=answer.value if answer is not None else None,
        source=p.source.value,
        explanation=None
        if explanation is None
        else _explanation_out(p, viewer_demand, explanation, known, operator),
        meeting=MeetingOutcomeOut.model_validate(
            {"meeting_id": meeting.meeting_id, "outcome": meeting.outcome, "absent": meeting.absent}
        )
        if meeting
        else None,
        agreement=AgreementOut(agreement_id=agreement.agreement_id, signed_at=agreement.signed_at)
        if agreement
        else None,
    )
