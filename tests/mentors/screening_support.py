"""Helpers of the screening tests: demands as the registry publishes them, mentors as
routing sees them, a relevance stand-in (for the service on the embedded bus: matching's
own endpoint has its test with the real encoder), and a full review."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from boyin_mentors.mentors.profile import Conflicts, Profile, Text
from boyin_mentors.screening.routing import Candidate, DemandBrief
from boyin_mentors.screening.rubric import ScoreDraft
from boyin_shared.api.mentors import Criterion, MentorStatus
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.registry import DemandSnapshot, DemandSubmitted, DemandTransition

PROJECT = DemandBrief(
    demand_id="dem_p1",
    title=Text(None, "Solid-state battery management chip"),
    description=Text(None, "A battery management chip for electric vehicles, piloted in Munich."),
    language="en",
    taxonomy_codes=("C33-L1",),
    keywords=("battery", "BMS"),
    owner_kind="talent",
    owner_id="tal_1",
    co_applicants=("tal_2",),
)
PARENTS: dict[str, str | None] = {"C33-L1": "C33-L", "C33-L": "C33", "C33": None, "C33-L2": "C33-L"}


def profile(**changes: Any) -> Profile:
    base = Profile(
        name="Mentor",
        expertise_codes=("C33-L1",),
        expertise=Text("电池管理", "battery management systems"),
        languages=("en", "zh"),
        country="DE",
        timezone="Europe/Berlin",
        organisation_id="org_a",
        organisation_name=None,
        availability=(),
        max_open_reviews=3,
        conflicts=Conflicts(),
    )
    return dataclasses.replace(base, **changes)


def candidate(mentor_id: str, load: int = 0, **changes: Any) -> Candidate:
    status = changes.pop("status", MentorStatus.APPROVED)
    return Candidate(mentor_id, f"acc_{mentor_id}", status, profile(**changes), load)


def review(score: int = 4, **overrides: int) -> dict[str, ScoreDraft]:
    return {
        c.value: ScoreDraft(overrides.get(c.value, score), f"comment on {c.value}")
        for c in Criterion
    }


def review_body(score: int = 4, **overrides: int) -> dict[str, Any]:
    return {
        "scores": {
            c.value: {"score": overrides.get(c.value, score), "comment": "solid"} for c in Criterion
        }
    }


def submitted(
    demand_id: str = "dem_p1",
    channel: str = "PROJECT_COOPERATION",
    owner_id: str = "tal_1",
    codes: Sequence[str] = ("C33-L1",),
    language: str = "en",
) -> DemandSubmitted:
    snapshot = DemandSnapshot(
        demand_id=demand_id,
        channel=channel,
        owner_kind="talent",
        owner_id=owner_id,
        district_code=None,
        status="SUBMITTED",
        title=LocalizedText(en="Solid-state battery management chip"),
        description=LocalizedText(en="A battery management chip for electric vehicles."),
        language=language,
        taxonomy_codes=tuple(codes),
        keywords=("battery",),
        editions=(),
        claims=(),
        details={"co_applicants": ["tal_2"]},
        expires_on=None,
        revision=1,
    )
    return DemandSubmitted.create(
        subject=demand_id, data=DemandTransition(demand=snapshot, by_role="TALENT")
    )


class FixedRelevance:
    """Relevance by a word the candidate text contains (None: matching unavailable)."""

    def __init__(self, word: str | None = "battery") -> None:
        self.word = word
        self.asked = 0

    async def scores(self, query: str, candidates: Sequence[str]) -> list[float] | None:
        self.asked += 1
        if self.word is None:
            return None
        return [0.9 if self.word in c else 0.2 for c in candidates]
