"""Structured signals: how well one side's facts meet the other side's wishes.

Each signal is scored in [0, 1] from one side's perspective, with a sentence a person can
read in Chinese and English (the values named, never their codes) and a code for machines;
``None`` means the signal does not apply (missing facts). A signal either fits (a reason
to meet) or does not (a mismatch or a caution: a budget short of the funding sought is
never a reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from boyin_matching.ranking import codes
from boyin_matching.ranking.profiles import Profile
from boyin_shared.api.registry import CooperationMode, Criterion, Degree, Stage, WorkMode
from boyin_shared.api.registry.names import (
    COOPERATION_MODES,
    CRITERIA,
    DEGREES,
    STAGES,
    WORK_MODES,
)
from boyin_shared.errors import Message

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
    #: what the sentence says, for machines (UPPER_SNAKE, e.g. ``BUDGET_BELOW_SOUGHT``)
    code: str
    reason: Message
    #: a reason to meet; otherwise a mismatch or a caution worth telling both sides
    fits: bool


E = TypeVar("E", bound=StrEnum)


def _member(kind: type[E], value: object) -> E | None:
    """``value`` as a member of ``kind``; None when it names none."""
    return next((m for m in kind if m.value == value), None)


def _codes(values: object) -> list[str]:
    return [str(v) for v in values] if isinstance(values, list | tuple) else []


def _modes(values: object) -> list[str]:
    """The known cooperation modes among ``values``."""
    return [m for m in _codes(values) if _member(CooperationMode, m) is not None]


def _joined(codes: list[str]) -> Message:
    """The names of cooperation modes, joined: "联合研发、投资", "joint R&D or investment"."""
    names = [COOPERATION_MODES[CooperationMode(m)] for m in codes]
    en = ", ".join(n.en for n in names[:-1]) + (" or " if len(names) > 1 else "") + names[-1].en
    return Message("、".join(n.zh for n in names), en)


def modes(supply: Profile, demand: Profile) -> Signal | None:
    """Does the organisation offer the kind of cooperation the project seeks?"""
    sought = _modes(supply.details.get("sought"))
    offered = _modes(demand.details.get("cooperation_modes"))
    if not sought or not offered:
        return None
    common = [m for m in sought if m in offered]
    if common:
        both = _joined(common)
        return Signal(
            "modes",
            1.0,
            "MODES_AGREE",
            Message(
                f"合作方式一致：双方都考虑{both.zh}。",
                f"They agree on how to cooperate: both consider {both.en}.",
            ),
            fits=True,
        )
    seeks, offers = _joined(sought), _joined(offered)
    return Signal(
        "modes",
        0.0,
        "MODES_DIFFER",
        Message(
            f"合作方式不一致：项目寻求{seeks.zh}，需求方提供{offers.zh}。",
            f"They differ on how to cooperate: the project seeks {seeks.en}, "
            f"the organisation offers {offers.en}.",
        ),
        fits=False,
    )


def stage(supply: Profile, demand: Profile) -> Signal | None:
    """Is the project as far along as the organisation wants?"""
    have = _member(Stage, supply.details.get("stage"))
    want = _member(Stage, demand.details.get("wanted_stage"))
    if have is None or want is None:
        return None
    order = list(Stage)
    gap = order.index(want) - order.index(have)
    h, w = STAGES[have], STAGES[want]
    if gap <= 0:
        return Signal(
            "stage",
            1.0,
            "STAGE_FITS",
            Message(
                f"项目处于{h.zh}阶段，达到需求方希望的{w.zh}阶段。",
                f"The project is at the {h.en} stage, at least as far along as "
                f"the organisation wants ({w.en}).",
            ),
            fits=True,
        )
    return Signal(
        "stage",
        0.5 if gap == 1 else 0.0,
        "STAGE_BEHIND",
        Message(
            f"项目处于{h.zh}阶段，需求方希望达到{w.zh}阶段。",
            f"The project is at the {h.en} stage; the organisation wants one at the {w.en} stage.",
        ),
        fits=False,
    )


def _cny(wan: int) -> str:
    return f"CNY {wan * 10_000:,}"


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
            "BUDGET_COVERS",
            Message(
                f"需求方预算 {offered} 万元，足以覆盖项目所需的 {sought} 万元。",
                f"The organisation's budget of {_cny(offered)} covers the {_cny(sought)} "
                "the project seeks.",
            ),
            fits=True,
        )
    return Signal(
        "budget",
        ratio,
        "BUDGET_BELOW_SOUGHT",
        Message(
            f"需求方预算 {offered} 万元，低于项目所需的 {sought} 万元。",
            f"The organisation's budget of {_cny(offered)} is below the {_cny(sought)} "
            "the project seeks.",
        ),
        fits=False,
    )


def _claim(criterion: str) -> Message:
    info = CRITERIA[Criterion(criterion)]
    return Message(info.zh, info.en[:1].lower() + info.en[1:])


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
            "ELIGIBILITY_UNANSWERED",
            Message(
                "双方经审核确认的资格条件没有直接对应。",
                "The eligibility each side had confirmed does not answer the other's.",
            ),
            fits=False,
        )
    s, d = (_claim(c) for c in pairs[0])
    return Signal(
        "eligibility",
        1.0,
        "ELIGIBILITY_COMPLEMENTS",
        Message(
            f"资格条件互补：项目方{s.zh}；需求方{d.zh}。",
            f"Their confirmed eligibility is complementary: the project side {s.en}; "
            f"the organisation {d.en}.",
        ),
        fits=True,
    )


def degree(seeker: Profile, post: Profile) -> Signal | None:
    required = _member(Degree, post.details.get("degree_required"))
    have = _member(Degree, seeker.degree)
    if required is None or have is None:
        return None
    h, r = DEGREES[have], DEGREES[required]
    if codes.DEGREES[have] >= codes.DEGREES[required]:
        return Signal(
            "degree",
            1.0,
            "DEGREE_FITS",
            Message(
                f"人才的学历（{h.zh}）达到岗位要求（{r.zh}）。",
                f"The candidate's degree ({h.en}) meets what the post requires ({r.en}).",
            ),
            fits=True,
        )
    return Signal(
        "degree",
        0.0,
        "DEGREE_BELOW",
        Message(
            f"人才的学历（{h.zh}）低于岗位要求（{r.zh}）。",
            f"The candidate's degree ({h.en}) is below what the post requires ({r.en}).",
        ),
        fits=False,
    )


def work_mode(seeker: Profile, post: Profile) -> Signal | None:
    want = _member(WorkMode, seeker.details.get("work_mode"))
    offer = _member(WorkMode, post.details.get("work_mode"))
    if want is None or offer is None:
        return None
    w, o = WORK_MODES[want], WORK_MODES[offer]
    if want == offer:
        return Signal(
            "work_mode",
            1.0,
            "WORK_MODE_AGREES",
            Message(
                f"工作方式一致：双方都是{w.zh}。", f"They agree on the way of working: {w.en}."
            ),
            fits=True,
        )
    return Signal(
        "work_mode",
        0.5 if WorkMode.FLEXIBLE in (want, offer) else 0.0,
        "WORK_MODE_DIFFERS",
        Message(
            f"工作方式不同：人才希望{w.zh}，岗位为{o.zh}。",
            f"The ways of working differ: the candidate wants {w.en} work, the post is {o.en}.",
        ),
        fits=False,
    )


def editions(a: Profile, b: Profile) -> Signal | None:
    if not a.editions or not b.editions:
        return None
    common = sorted(set(a.editions) & set(b.editions))
    if common:
        return Signal(
            "edition",
            1.0,
            "EDITION_SHARED",
            Message(
                f"双方报名了同一届洽谈会（{'、'.join(common)}）。",
                f"Both are registered for the same edition of the fair ({', '.join(common)}).",
            ),
            fits=True,
        )
    return Signal(
        "edition",
        0.0,
        "EDITION_DIFFERS",
        Message(
            "双方报名的不是同一届洽谈会。",
            "They are not registered for the same edition of the fair.",
        ),
        fits=False,
    )
