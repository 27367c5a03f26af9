"""Structured signals: how well one side's facts meet the other side's wishes.

Each signal is scored in [0, 1] from one side's perspective with a reason a person can read
in Chinese and English; ``None`` means the signal does not apply (missing facts).
"""

from __future__ import annotations

from dataclasses import dataclass

from boyin_matching.ranking.profiles import Profile
from boyin_shared.errors import Message

STAGES = ("IDEA", "PROTOTYPE", "PILOT", "PRODUCT")
STAGE_ZH = {"IDEA": "创意", "PROTOTYPE": "样机", "PILOT": "中试", "PRODUCT": "产品"}
MODE_ZH = {
    "TECH_TRANSFER": "技术转让",
    "JOINT_RD": "联合研发",
    "INVESTMENT": "投资",
    "INCUBATION": "孵化",
    "OFFSHORE_RD": "离岸研发",
}
DEGREE_RANK = {"PHD_CANDIDATE": 1, "PHD": 2, "POSTDOC": 3, "POSTDOC_IN_STATION": 3}
DEGREE_ZH = {
    "PHD_CANDIDATE": "在读博士",
    "PHD": "博士",
    "POSTDOC": "博士后",
    "POSTDOC_IN_STATION": "在站博士后",
}
WORK_ZH = {"FULL_TIME": "全职", "PART_TIME": "兼职", "FLEXIBLE": "柔性"}

#: supplier situation -> the demander conditions that answer it
COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "BOTTLENECK_TECHNOLOGY": ("FACILITIES_SCENARIOS", "KEY_PLATFORMS"),
    "TRANSFER_INTENTION": ("INCUBATION_CAPABILITY", "COOPERATION_INTENTION"),
    "INNOVATION_PROJECT": ("INCUBATION_CAPABILITY", "SUPPORT_POLICIES"),
    "FINANCING_INTENTION": ("INVESTMENT_CAPABILITY",),
    "OFFSHORE_EXPERIENCE": ("COOPERATION_INTENTION", "KEY_PLATFORMS"),
    "CHONGQING_INTENTION": ("SUPPORT_POLICIES", "FACILITIES_SCENARIOS"),
}


@dataclass(frozen=True)
class Signal:
    name: str
    score: float
    reason: Message
    #: a hard mismatch worth telling both sides ("stage: prototype, demand wants product")
    mismatch: bool = False


def _en(code: object) -> str:
    """A code as English words: ``JOINT_RD`` -> "joint R&D", ``FULL_TIME`` -> "full time"."""
    return str(code).lower().replace("_rd", " R&D").replace("_", " ")


def _modes(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list | tuple) else []


def modes(supply: Profile, demand: Profile) -> Signal | None:
    """Does the organisation offer the kind of cooperation the project seeks?"""
    sought = _modes(supply.details.get("sought"))
    offered = _modes(demand.details.get("cooperation_modes"))
    if not sought or not offered:
        return None
    common = [m for m in sought if m in offered]
    if common:
        zh = "、".join(MODE_ZH.get(m, m) for m in common)
        en = ", ".join(_en(m) for m in common)
        return Signal(
            "modes", 1.0, Message(f"合作方式一致：{zh}", f"cooperation modes agree: {en}")
        )
    return Signal(
        "modes",
        0.0,
        Message(
            "合作方式不一致：项目寻求"
            + "、".join(MODE_ZH.get(m, m) for m in sought)
            + "，需求方提供"
            + "、".join(MODE_ZH.get(m, m) for m in offered),
            f"cooperation modes differ: project seeks {', '.join(map(_en, sought))}, "
            f"demand offers {', '.join(map(_en, offered))}",
        ),
        mismatch=True,
    )


def stage(supply: Profile, demand: Profile) -> Signal | None:
    """Is the project as far along as the organisation wants?"""
    have, want = supply.details.get("stage"), demand.details.get("wanted_stage")
    if have not in STAGES or want not in STAGES:
        return None
    gap = STAGES.index(str(want)) - STAGES.index(str(have))
    zh = f"阶段：{STAGE_ZH[str(have)]}，需求方希望{STAGE_ZH[str(want)]}"
    en = f"stage: {str(have).lower()}, demand wants {str(want).lower()}"
    if gap <= 0:
        return Signal(
            "stage",
            1.0,
            Message(f"阶段符合（{STAGE_ZH[str(have)]}）", f"stage fits ({str(have).lower()})"),
        )
    return Signal("stage", 0.5 if gap == 1 else 0.0, Message(zh, en), mismatch=gap > 1)


def budget(supply: Profile, demand: Profile) -> Signal | None:
    """Does the organisation's budget cover the funding the project seeks (in 10,000 CNY)?"""
    sought, offered = supply.details.get("funding_sought_wan"), demand.details.get("budget_wan")
    if not isinstance(sought, int) or not isinstance(offered, int) or sought <= 0:
        return None
    ratio = min(1.0, offered / sought)
    if ratio >= 1.0:
        return Signal(
            "budget",
            1.0,
            Message(
                f"预算 {offered} 万元覆盖所需 {sought} 万元",
                f"budget {offered}0k CNY covers the {sought}0k sought",
            ),
        )
    return Signal(
        "budget",
        ratio,
        Message(
            f"预算 {offered} 万元低于所需 {sought} 万元",
            f"budget {offered}0k CNY is below the {sought}0k sought",
        ),
        mismatch=ratio < 0.5,
    )


def eligibility(supply: Profile, demand: Profile) -> Signal | None:
    """Do the confirmed claims of both sides answer each other (a bottleneck technology
    meets an urgent problem, a financing wish meets an investor)?"""
    pairs = [
        (s, d)
        for s in sorted(supply.criteria)
        for d in COMPLEMENTS.get(s, ())
        if d in demand.criteria
    ]
    if not supply.criteria or not demand.criteria:
        return None
    if not pairs:
        return Signal(
            "eligibility",
            0.3,
            Message("资格条件无直接对应", "eligibility claims do not answer each other"),
        )
    s, d = pairs[0]
    return Signal(
        "eligibility",
        1.0,
        Message(f"资格互补：{s} ↔ {d}", f"eligibility complements: {s.lower()} ↔ {d.lower()}"),
    )


def degree(seeker: Profile, post: Profile) -> Signal | None:
    required, have = post.details.get("degree_required"), seeker.degree
    if required not in DEGREE_RANK or have not in DEGREE_RANK:
        return None
    if DEGREE_RANK[str(have)] >= DEGREE_RANK[str(required)]:
        return Signal(
            "degree",
            1.0,
            Message(f"学历符合（{DEGREE_ZH[str(have)]}）", f"degree fits ({str(have).lower()})"),
        )
    return Signal(
        "degree",
        0.0,
        Message(
            f"学历：{DEGREE_ZH[str(have)]}，岗位要求{DEGREE_ZH[str(required)]}",
            f"degree: {str(have).lower()}, the post requires {str(required).lower()}",
        ),
        mismatch=True,
    )


def work_mode(seeker: Profile, post: Profile) -> Signal | None:
    want, offer = seeker.details.get("work_mode"), post.details.get("work_mode")
    if want not in WORK_ZH or offer not in WORK_ZH:
        return None
    if want == offer:
        return Signal(
            "work_mode",
            1.0,
            Message(
                f"工作方式一致（{WORK_ZH[str(want)]}）", f"work mode agrees ({str(want).lower()})"
            ),
        )
    score = 0.5 if "FLEXIBLE" in (want, offer) else 0.0
    return Signal(
        "work_mode",
        score,
        Message(
            f"工作方式：希望{WORK_ZH[str(want)]}，岗位为{WORK_ZH[str(offer)]}",
            f"work mode: wants {_en(want)}, the post is {_en(offer)}",
        ),
        mismatch=score == 0.0,
    )


def editions(a: Profile, b: Profile) -> Signal | None:
    if not a.editions or not b.editions:
        return None
    common = sorted(set(a.editions) & set(b.editions))
    if common:
        return Signal(
            "edition",
            1.0,
            Message(f"同届参会：{'、'.join(common)}", f"both at {', '.join(common)}"),
        )
    return Signal(
        "edition",
        0.0,
        Message("不在同一届洽谈会", "not registered for the same edition of the fair"),
        mismatch=True,
    )
