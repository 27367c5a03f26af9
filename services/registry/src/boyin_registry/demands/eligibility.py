"""Eligibility claims: the situations a supplier and the conditions a demander claim (the
criteria and their names are in ``boyin_shared.api.registry.names``).

A submission claims at least one, each with evidence (text or a file); reviewers confirm or
reject each claim. Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from boyin_shared.api.registry import ClaimReview, Criterion


@dataclass(frozen=True)
class Claim:
    criterion: Criterion
    evidence: str | None = None
    evidence_file: str | None = None  # attachment id
    review: ClaimReview = ClaimReview.PENDING
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    review_note: str | None = None

    def reviewed(self, outcome: ClaimReview, by: str, at: datetime, note: str | None) -> Claim:
        return replace(self, review=outcome, reviewed_by=by, reviewed_at=at, review_note=note)
