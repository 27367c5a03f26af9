"""Eligibility: the situations a supplier and the conditions a demander may claim.

A submission claims at least one, each with evidence (text or a file); reviewers confirm or
reject each claim. Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from boyin_shared.api.registry import Claimant, ClaimReview, Criterion


@dataclass(frozen=True)
class CriterionInfo:
    claimant: Claimant
    zh: str
    en: str


CRITERIA: dict[Criterion, CriterionInfo] = {
    Criterion.BOTTLENECK_TECHNOLOGY: CriterionInfo(
        Claimant.SUPPLIER,
        "拥有关键核心技术，能解决重庆制造业集群“卡脖子”问题",
        "Owns key core technology that solves a bottleneck of Chongqing's manufacturing clusters",
    ),
    Criterion.TRANSFER_INTENTION: CriterionInfo(
        Claimant.SUPPLIER, "有科技成果转化意向", "Intends to transfer technology or achievements"
    ),
    Criterion.INNOVATION_PROJECT: CriterionInfo(
        Claimant.SUPPLIER,
        "拥有前景良好的创新创业项目",
        "Has a promising innovation or start-up project",
    ),
    Criterion.FINANCING_INTENTION: CriterionInfo(
        Claimant.SUPPLIER, "有投融资意向", "Seeks investment or financing"
    ),
    Criterion.OFFSHORE_EXPERIENCE: CriterionInfo(
        Claimant.SUPPLIER,
        "具有离岸研发或离岸贸易经验",
        "Has offshore R&D or offshore trade experience",
    ),
    Criterion.CHONGQING_INTENTION: CriterionInfo(
        Claimant.SUPPLIER, "有来渝发展意向", "Intends to develop in Chongqing"
    ),
    Criterion.FACILITIES_SCENARIOS: CriterionInfo(
        Claimant.DEMANDER,
        "具备场地、政策、应用场景和急需解决的问题",
        "Has facilities, policies, application scenarios and urgent problems",
    ),
    Criterion.KEY_PLATFORMS: CriterionInfo(
        Claimant.DEMANDER,
        "拥有国家级或省级平台、重点实验室",
        "Holds national or provincial platforms or key laboratories",
    ),
    Criterion.INCUBATION_CAPABILITY: CriterionInfo(
        Claimant.DEMANDER,
        "具备成果转化和孵化能力并有招商引资需求",
        "Can transfer and incubate, and seeks to attract investment",
    ),
    Criterion.INVESTMENT_CAPABILITY: CriterionInfo(
        Claimant.DEMANDER,
        "具备发现优质项目并投资的能力",
        "Can find quality projects and invest in them",
    ),
    Criterion.SUPPORT_POLICIES: CriterionInfo(
        Claimant.DEMANDER,
        "有招商引资、引才引智支持政策",
        "Offers support policies for attracting investment and talent",
    ),
    Criterion.COOPERATION_INTENTION: CriterionInfo(
        Claimant.DEMANDER, "有合作意向", "Intends to cooperate"
    ),
}


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
