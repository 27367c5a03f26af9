"""The names, in Chinese and English, of the registry's enumerated values: the stages,
cooperation modes, ways of working, degrees and eligibility criteria a demand states.

Defined once here: the registry lists the criteria and reads Chinese names in imported
files with them, and matching writes its explanations with them (never the codes)."""

from __future__ import annotations

from dataclasses import dataclass

from boyin_shared.api.registry.demands import Claimant, CooperationMode, Criterion, Stage, WorkMode
from boyin_shared.api.registry.profiles import Degree
from boyin_shared.errors import Message

STAGES: dict[Stage, Message] = {
    Stage.IDEA: Message("创意", "idea"),
    Stage.PROTOTYPE: Message("原型", "prototype"),
    Stage.PILOT: Message("中试", "pilot"),
    Stage.PRODUCT: Message("产品", "product"),
}

COOPERATION_MODES: dict[CooperationMode, Message] = {
    CooperationMode.TECH_TRANSFER: Message("技术转让", "technology transfer"),
    CooperationMode.JOINT_RD: Message("联合研发", "joint R&D"),
    CooperationMode.INVESTMENT: Message("投资", "investment"),
    CooperationMode.INCUBATION: Message("孵化", "incubation"),
    CooperationMode.OFFSHORE_RD: Message("离岸研发", "offshore R&D"),
}

WORK_MODES: dict[WorkMode, Message] = {
    WorkMode.FULL_TIME: Message("全职", "full-time"),
    WorkMode.PART_TIME: Message("兼职", "part-time"),
    WorkMode.FLEXIBLE: Message("柔性", "flexible"),
}

DEGREES: dict[Degree, Message] = {
    Degree.PHD: Message("博士", "PhD"),
    Degree.PHD_CANDIDATE: Message("在读博士", "PhD candidate"),
    Degree.POSTDOC: Message("博士后", "postdoctoral researcher"),
    Degree.POSTDOC_IN_STATION: Message("在站博士后", "postdoctoral researcher in station"),
}


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
