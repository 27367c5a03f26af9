"""The screening rubric (pure): five criteria, each an integer 1–5 with a comment; a
review's checks (every problem at once) and the aggregation of reviews (mean and spread
per criterion and of the total), with the disagreement that calls a third review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from boyin_shared.api.mentors import Criterion
from boyin_shared.errors import FieldError, Message

LOWEST, HIGHEST = 1, 5
COMMENT_MAX = 4000
#: a criterion whose scores differ by this much or more (highest − lowest) is a
#: disagreement, and so is a total spread of TOTAL_SPREAD or more
CRITERION_SPREAD = 3
TOTAL_SPREAD = 7
CRITERION_ZH = {
    Criterion.NOVELTY_MATURITY: "技术新颖性与成熟度",
    Criterion.MARKET_POTENTIAL: "市场潜力",
    Criterion.TEAM: "团队",
    Criterion.CLUSTER_FIT: "与城市产业集群的契合度",
    Criterion.READINESS_TO_LAND: "落地准备程度",
}


@dataclass(frozen=True)
class ScoreDraft:
    score: int
    comment: str


@dataclass(frozen=True)
class Score:
    criterion: Criterion
    score: int
    comment: str


@dataclass(frozen=True)
class Review:
    mentor_id: str
    at: datetime
    scores: tuple[Score, ...]

    @property
    def total(self) -> int:
        return sum(s.score for s in self.scores)

    def of(self, criterion: Criterion) -> int:
        return next(s.score for s in self.scores if s.criterion is criterion)


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    mean: float
    spread: int


@dataclass(frozen=True)
class Result:
    reviews: int
    criteria: tuple[CriterionResult, ...]
    total_mean: float
    total_spread: int
    at: datetime

    @property
    def score(self) -> int:
        """On matching's 0–100 scale: the mean criterion score × 20."""
        return round(self.total_mean / len(Criterion) * 20)


def _error(field: str, code: str, zh: str, en: str) -> FieldError:
    return FieldError(field, code, Message(zh, en))


def checked_scores(drafts: Mapping[str, ScoreDraft]) -> tuple[Score, ...] | list[FieldError]:
    """The review's scores in the rubric's order, or every problem with them."""
    problems: list[FieldError] = []
    known = {c.value for c in Criterion}
    for name in drafts:
        if name not in known:
            problems.append(
                _error(
                    f"scores.{name}",
                    "UNKNOWN_CRITERION",
                    f"评分表中没有此项：{name}",
                    f"not a criterion of the rubric: {name}",
                )
            )
    scores: list[Score] = []
    for c in Criterion:
        draft = drafts.get(c.value)
        at = f"scores.{c.value}"
        if draft is None:
            problems.append(
                _error(at, "REQUIRED", f"请为“{CRITERION_ZH[c]}”评分", f"score {c.value}")
            )
            continue
        if not LOWEST <= draft.score <= HIGHEST:
            problems.append(
                _error(
                    f"{at}.score",
                    "OUT_OF_RANGE",
                    f"“{CRITERION_ZH[c]}”的分数须为 {LOWEST} 到 {HIGHEST} 的整数",
                    f"{c.value} is scored {LOWEST} to {HIGHEST}",
                )
            )
        comment = draft.comment.strip()
        if not comment:
            problems.append(
                _error(
                    f"{at}.comment",
                    "REQUIRED",
                    f"请为“{CRITERION_ZH[c]}”写评语",
                    f"comment on {c.value}",
                )
            )
        elif len(comment) > COMMENT_MAX:
            problems.append(
                _error(
                    f"{at}.comment",
                    "TOO_LONG",
                    f"评语最多 {COMMENT_MAX} 字",
                    f"at most {COMMENT_MAX} characters",
                )
            )
        scores.append(Score(c, draft.score, comment))
    return problems or tuple(scores)


def aggregate(reviews: Sequence[Review], at: datetime) -> Result:
    criteria = []
    for c in Criterion:
        values = [r.of(c) for r in reviews]
        criteria.append(
            CriterionResult(c, round(sum(values) / len(values), 2), max(values) - min(values))
        )
    totals = [r.total for r in reviews]
    return Result(
        reviews=len(reviews),
        criteria=tuple(criteria),
        total_mean=round(sum(totals) / len(totals), 2),
        total_spread=max(totals) - min(totals),
        at=at,
    )


def disagree(result: Result) -> bool:
    """Whether the reviews differ enough to call one more."""
    return result.total_spread >= TOTAL_SPREAD or any(
        c.spread >= CRITERION_SPREAD for c in result.criteria
    )
