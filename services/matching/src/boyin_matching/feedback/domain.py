"""Feedback: what happened after matching, fused into the ranking.

Every factor below applies to a pair through both of its sides, so a match scores the same
from either side's list.

* **Meetings** (scheduling's ``MeetingHeld`` / ``MeetingNoShow``): a match whose meeting
  took place (or not) carries the outcome, for both sides and the operators to see. Each
  party keeps the outcome of every meeting it had (``showed`` or ``missed``, by meeting id,
  so a corrected outcome replaces the first and a redelivery changes nothing). Its
  **reliability** ``(showed + 2·signed + 2) / (showed + 2·signed + missed + 2)`` (no
  history: 1) scales its scores in other people's lists by ``0.8 + 0.2 × reliability``: a
  party that missed its only meeting ranks about 7% lower. Operators see why; the other
  side is not told.
* **Mentors' screening** (``ProjectScreened``): the mean of the mentors' scores of a demand
  (each mentor's latest) moves its scores by ``1 + 0.25 × (mean − 60) / 100`` (60, "sound",
  changes nothing; 100 adds 10%, 0 takes 15%), capped at 1; everyone reads the mean.
* **Agreements** (``AgreementSigned``): the match is marked signed, and each party's
  signed agreements count twice as meetings attended in its reliability.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from boyin_matching.ranking.finishing import Candidate
from boyin_shared.errors import Message

FLOOR = 0.8  # the factor of a party that never came: its scores keep 80%
NEUTRAL_SCREENING = 60  # a mentor score that changes nothing
SCREENING_WEIGHT = 0.25


@dataclass(frozen=True)
class Record:
    party_id: str
    showed: int = 0
    missed: int = 0
    signed: int = 0

    @property
    def reliability(self) -> float:
        good = self.showed + 2 * self.signed
        return (good + 2) / (good + self.missed + 2)

    @property
    def factor(self) -> float:
        return FLOOR + (1 - FLOOR) * self.reliability

    def note(self) -> Message | None:
        """What operators read about this party (None when nothing was missed)."""
        if not self.missed:
            return None
        total = self.showed + self.missed
        return Message(
            f"在展会上缺席了 {total} 场会谈中的 {self.missed} 场，推荐分数乘以 {self.factor:.2f}",
            f"missed {self.missed} of {total} meetings at the fair; its scores are "
            f"multiplied by {self.factor:.2f}",
        )


@dataclass(frozen=True)
class Screened:
    demand_id: str
    mean: float
    mentors: int

    @property
    def factor(self) -> float:
        return 1 + SCREENING_WEIGHT * (self.mean - NEUTRAL_SCREENING) / 100

    def reason(self) -> Message:
        return Message(
            f"经 {self.mentors} 位导师评审，平均 {self.mean:.0f}/100 分。",
            f"Screened by {self.mentors} mentor{'s' if self.mentors > 1 else ''}: "
            f"{self.mean:.0f}/100 on average.",
        )


def rerank(
    query: tuple[str, str],
    candidates: Sequence[Candidate],
    owners: dict[str, str],
    records: dict[str, Record],
    k: int,
    screenings: dict[str, Screened] | None = None,
) -> list[Candidate]:
    """The list of ``query`` (its demand id, its owner) with each pair's score scaled by
    both sides' reliability and mentors' screening (capped at 1), best ``k`` first.

    Both sides count, so a pair scores the same whichever side's list it is read from
    (the query's own factor does not change the order of its list). ``owners`` maps a
    candidate demand to the party that owns it."""
    screenings = screenings or {}

    def factor(demand_id: str, owner: str | None) -> float:
        f = 1.0
        if owner is not None and (record := records.get(owner)) is not None:
            f *= record.factor
        if (screened := screenings.get(demand_id)) is not None:
            f *= screened.factor
        return f

    own = factor(*query)
    scaled = []
    for c in candidates:
        f = own * factor(c.demand_id, owners.get(c.demand_id))
        scaled.append(c if f == 1.0 else c._replace(score=min(1.0, c.score * f)))
    scaled.sort(key=lambda c: -c.score)
    return scaled[:k]


#: what feedback knows of some parties (records, by party id) and demands (screenings,
#: by demand id)
Known = tuple[Mapping[str, Record], Mapping[str, Screened]]
